"""Play a BulutfonXM (call routing) conversation against a routing URL.

When a call arrives, Bulutfon POSTs ``uuid``, ``caller``, ``callee`` and ``step`` (a form, as
the vendor's PHP examples read it from ``$_POST``) and does what the BFON document in the answer
says. After a ``gather`` it posts again, one step further, with the keys the caller pressed in
the field the gather named. This plays that exchange: the first request, each gather answered
with ``digits``, until the answer routes the call (dial, reject or hangup).

Standard library only; used by ``scripts/simulate URL route`` (see simulate.py).
"""

from __future__ import annotations

from dataclasses import dataclass
import json
import time
from typing import IO, Any, Final
import urllib.error
import urllib.parse
import urllib.request
import uuid as uuid_lib

MAX_STEPS: Final = 5
"""A conversation that still asks after this many steps is reported as a failure."""
_ENDS: Final = frozenset({"dial", "reject", "hangup"})
_MAX_RESPONSE_BYTES: Final = 64 * 1024


@dataclass(slots=True)
class Step:
    """One request of the conversation and what came back."""

    step: int
    status: int | None
    seq: list[dict[str, Any]]
    elapsed: float
    error: str | None = None

    @property
    def last_action(self) -> str | None:
        """The directive that decides the call (the last one)."""
        return str(self.seq[-1].get("action")) if self.seq else None


def post_step(
    url: str,
    fields: dict[str, str],
    *,
    fmt: str = "form",
    authorization: str | None = None,
    timeout: float = 10.0,
    opener: urllib.request.OpenerDirector | None = None,
) -> Step:
    """POST one routing request; never raises for network, HTTP or document errors."""
    if fmt == "json":
        body = json.dumps(fields).encode()
        content_type = "application/json"
    else:
        body = urllib.parse.urlencode(fields).encode()
        content_type = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    if authorization:
        request.add_header("Authorization", authorization)
    opener = opener or urllib.request.build_opener()
    step = int(fields.get("step", "1"))
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=timeout) as response:
            raw = response.read(_MAX_RESPONSE_BYTES)
            status = response.status
    except urllib.error.HTTPError as err:
        err.close()
        return Step(step, err.code, [], time.perf_counter() - started, "rejected")
    except (urllib.error.URLError, OSError) as err:
        return Step(step, None, [], time.perf_counter() - started, str(err))
    elapsed = time.perf_counter() - started
    seq = _bfon_seq(raw)
    if seq is None:
        return Step(step, status, [], elapsed, "the answer is not a BFON document")
    return Step(step, status, seq, elapsed)


def _bfon_seq(raw: bytes) -> list[dict[str, Any]] | None:
    """The directives of a BFON document, or None when it is not one."""
    try:
        document = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(document, dict) or document.get("bfxm") != {"version": 1}:
        return None
    seq = document.get("seq")
    if not isinstance(seq, list) or not all(isinstance(d, dict) for d in seq):
        return None
    return seq


def describe(directive: dict[str, Any]) -> str:
    """One directive as a short line."""
    action = directive.get("action")
    args = directive.get("args") or {}
    if action == "dial":
        return f"dial {args.get('destination')}"
    if action == "play":
        return f"play {args.get('url')}"
    if action == "set_caller_name":
        return f"show caller as {args.get('caller_name')!r}"
    if action == "gather":
        return (
            f"ask {args.get('ask')} for {args.get('min_digits')}-"
            f"{args.get('max_digits')} keys into {args.get('variable_name')!r}"
        )
    return str(action)


def converse(
    url: str,
    *,
    caller: str,
    callee: str,
    digits: str = "1",
    fmt: str = "form",
    authorization: str | None = None,
    timeout: float = 10.0,
    out: IO[str] | None = None,
    call_uuid: str | None = None,
) -> list[Step]:
    """Play one call's conversation; return its steps (the last decides the call)."""
    call_uuid = call_uuid or str(uuid_lib.uuid1())
    fields = {"uuid": call_uuid, "caller": caller, "callee": callee, "step": "1"}
    steps: list[Step] = []
    for number in range(1, MAX_STEPS + 1):
        fields["step"] = str(number)
        result = post_step(
            url, fields, fmt=fmt, authorization=authorization, timeout=timeout
        )
        steps.append(result)
        if out is not None:
            head = (
                f"step {number}: HTTP {result.status} in {result.elapsed * 1000:.0f} ms"
            )
            print(head + (f" ({result.error})" if result.error else ""), file=out)
            for directive in result.seq:
                print(f"    {describe(directive)}", file=out)
        if result.error or result.last_action != "gather":
            break
        variable = str(result.seq[-1].get("args", {}).get("variable_name", "digits"))
        fields = {**fields, variable: digits}
        if out is not None:
            print(f"  the caller presses {digits}", file=out)
    return steps


def succeeded(steps: list[Step]) -> bool:
    """Every answer was 200 with a document, and the last one routed the call."""
    return (
        bool(steps)
        and all(step.status == 200 and not step.error for step in steps)
        and steps[-1].last_action in _ENDS
    )
