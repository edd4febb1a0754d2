"""Play realistic Bulutfon webhook scenarios against a URL.

Bulutfon (a Turkish cloud PBX) POSTs one request per call or fax event to a webhook, as JSON or
as ``application/x-www-form-urlencoded``, optionally with HTTP Basic authentication. This script
plays the same requests, in the same order, with the field names and value types of the vendor's
own examples, so that a webhook (the Home Assistant integration, or anything else) can be tried
without a PBX.

Standard library only, so it runs with any Python >= 3.11::

    scripts/simulate http://127.0.0.1:8123/api/webhook/WEBHOOK_ID answered
    scripts/simulate URL burst --calls 50 --concurrency 16 --format form
    scripts/simulate URL all --username bulutfon --password secret

Scenarios:

``answered``
    An incoming call through a voice menu (10), a ring group (111) and an extension (1000):
    ``call_init``, ``call_init_menu``, ``call_init_group``, ``call_init_extension``,
    ``call_hangup``.
``missed``
    ``call_init`` then ``missing_call``.
``outgoing``
    ``call_init`` (direction ``OUT``, from the PBX number to the caller number) then
    ``call_hangup``.
``fax``
    ``fax_init``.
``autodial``
    A call started through the Bulutfon API: ``call_init`` and ``call_hangup`` carrying
    ``autodial``, ``additional_data`` and ``callback_url``.
``transfer``
    An incoming call through the ring group (111) to an extension (1000), which transfers it to
    another extension (1001): ``call_init``, ``call_init_group``, two ``call_init_extension``,
    ``call_hangup``.
``burst``
    ``--calls`` simultaneous incoming calls (``call_init``, ``call_init_extension``,
    ``call_hangup`` each), posted ``--concurrency`` at a time, each call's events in order.
``all``
    ``answered``, ``missed``, ``outgoing``, ``fax`` and ``autodial`` in turn.
``route``
    A call asking the *routing* URL (BulutfonXM) where to go: the first request, then each
    question (``gather``) answered with ``--digits``, until the call is routed; prints every
    directive of each answer (see simulate_routing.py). Sent as a form unless ``--format``.

Exit status: 0 when every request got a 2xx answer, 1 when any was rejected or failed, 2 for a
usage error.

The module is importable too: :func:`build_scenario` makes the payloads, :func:`encode` makes a
request body, :func:`play` and :func:`run` send them and return a :class:`Summary`.
"""

from __future__ import annotations

import argparse
import base64
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
import http.client
import itertools
import json
from pathlib import Path
import random
import re
import sys
import threading
import time
from typing import IO, TYPE_CHECKING, Final, Literal
import urllib.error
import urllib.parse
import urllib.request
import uuid as uuid_lib

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

Scalar = str | int | bool | None
"""A payload value: Bulutfon's payloads are flat, with strings, numbers, booleans and nulls."""

Event = dict[str, Scalar]
"""One webhook payload, in the field order of the vendor's examples."""

Call = list[Event]
"""The events of one call (or fax), in the order Bulutfon sends them."""

Format = Literal["json", "form"]

FORMATS: Final[tuple[Format, ...]] = ("json", "form")
SINGLE_SCENARIOS: Final = ("answered", "missed", "outgoing", "fax", "autodial")
SCENARIOS: Final = (*SINGLE_SCENARIOS, "transfer", "burst", "all", "route")

DEFAULT_CALLER: Final = "905321234567"
"""A Turkish mobile number in international form, without the plus sign."""
DEFAULT_CALLEE: Final = "908508850000"
"""The PBX number (the vendor document's example)."""
DEFAULT_DOMAIN_ID: Final = 1234
DEFAULT_ACCOUNT_ID: Final = 5678
DEFAULT_CALLS: Final = 20
DEFAULT_CONCURRENCY: Final = 16
DEFAULT_PACE: Final = 0.5
DEFAULT_TIMEOUT: Final = 10.0

MENU: Final = 10
GROUP: Final = 111
EXTENSION: Final = 1000

CONTENT_TYPES: Final[dict[Format, str]] = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
}

USER_AGENT: Final = "bulutfon-simulate/1.0 (Python urllib)"

_PHONE: Final = re.compile(r"[1-9][0-9]{2,19}")
# From 1582-10-15 (the uuid epoch) to 1970-01-01, in 100 ns steps.
_UUID_EPOCH_100NS: Final = 0x01B21DD213814000
_SECOND_US: Final = 1_000_000
_MAX_RESPONSE_BYTES: Final = 64 * 1024


# --- payloads -------------------------------------------------------------------------------


def _phone(value: str | int, what: str) -> int:
    text = str(value).strip()
    if not _PHONE.fullmatch(text):
        raise ValueError(
            f"{what} must be digits in international form without '+' or a leading 0 "
            f"(e.g. {DEFAULT_CALLER}), not {value!r}"
        )
    return int(text)


def _call_uuid(at_us: int, index: int, rng: random.Random) -> str:
    """A version-1 style uuid like Bulutfon's (time based), reproducible from ``rng``."""
    ticks = at_us * 10 + _UUID_EPOCH_100NS + index
    clock_seq = rng.getrandbits(14)
    # The multicast bit marks a random node rather than a MAC address.
    node = rng.getrandbits(48) | (1 << 40)
    return str(
        uuid_lib.UUID(
            fields=(
                ticks & 0xFFFFFFFF,
                (ticks >> 32) & 0xFFFF,
                ((ticks >> 48) & 0x0FFF) | 0x1000,
                0x80 | (clock_seq >> 8),
                clock_seq & 0xFF,
                node,
            )
        )
    )


def _seconds(rng: random.Random, low: float, high: float) -> int:
    """A random span in microseconds."""
    return int(rng.uniform(low, high) * _SECOND_US)


def cdr_urls(call_uuid: str, at_us: int) -> tuple[str, str]:
    """Return the ``cdr_url`` and ``cdr_api_url`` Bulutfon gives a call that started at ``at_us``."""
    day = datetime.fromtimestamp(at_us / _SECOND_US, tz=UTC).strftime("%Y/%m/%d")
    return (
        f"https://oim.bulutfon.com/account/pbx/call-records/{day}/{call_uuid}",
        f"https://api.bulutfon.com/v2/cdr/{day}/{call_uuid}",
    )


@dataclass(frozen=True, slots=True)
class _CallContext:
    """What every event of one call repeats."""

    caller: int
    callee: int
    uuid: str
    direction: str
    domain_id: int
    account_id: int
    extra: Event = field(default_factory=dict)

    def event(self, event_type: str, at_us: int, **fields: Scalar) -> Event:
        payload: Event = {
            "event_type": event_type,
            "domain_id": self.domain_id,
            "account_id": self.account_id,
            "caller": self.caller,
            "callee": self.callee,
            "uuid": self.uuid,
            "direction": self.direction,
            "timestamp": at_us,
        }
        payload.update(self.extra)
        payload.update(fields)
        return payload

    def hangup(
        self,
        start_us: int,
        end_us: int,
        *,
        talk_duration: int,
        hangup_detail: str,
        result_disposition: str = "SUCCESS",
        hangup_cause: str = "NORMAL_CLEARING",
    ) -> Event:
        cdr_url, cdr_api_url = cdr_urls(self.uuid, start_us)
        return self.event(
            "call_hangup",
            end_us,
            talk_duration=talk_duration,
            hangup_cause=hangup_cause,
            hangup_detail=hangup_detail,
            result_disposition=result_disposition,
            cdr_url=cdr_url,
            cdr_api_url=cdr_api_url,
        )


def build_scenario(
    name: str,
    *,
    caller: str | int = DEFAULT_CALLER,
    callee: str | int = DEFAULT_CALLEE,
    now_us: int | None = None,
    rng: random.Random | None = None,
    calls: int = DEFAULT_CALLS,
    domain_id: int = DEFAULT_DOMAIN_ID,
    account_id: int = DEFAULT_ACCOUNT_ID,
    extension: int = EXTENSION,
    group: int = GROUP,
) -> list[Call]:
    """Build the payloads of scenario ``name`` (one of :data:`SCENARIOS`).

    Returns a list of calls, each the list of its event payloads in sending order. Every event of
    a call carries the same fresh uuid; timestamps are microseconds since the epoch, starting at
    ``now_us`` (default: now) and following a plausible timeline (ringing, menu, talk).
    ``caller`` is the outside number (a mobile), ``callee`` the PBX number; on outgoing calls
    they swap places in the payload, as the PBX is then the calling side. Phone numbers, ids
    and ``destination`` are ints, as in the vendor's JSON examples. ``calls`` is the number of
    calls of the ``burst`` scenario, whose callers are consecutive numbers from ``caller``.
    ``extension`` and ``group`` are where ``answered`` and ``transfer`` calls go (``transfer``
    then moves on to the next extension number). Raises ``ValueError`` for an unknown scenario or a malformed number.
    """
    if name not in SCENARIOS:
        raise ValueError(
            f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}"
        )
    if calls < 1:
        raise ValueError("calls must be at least 1")
    outside = _phone(caller, "caller")
    pbx = _phone(callee, "callee")
    rng = rng if rng is not None else random.Random()
    start = now_us if now_us is not None else time.time_ns() // 1000
    index = 0

    def context(
        direction: str = "IN", *, number: int = outside, extra: Event | None = None
    ) -> _CallContext:
        nonlocal index
        index += 1
        incoming = direction == "IN"
        return _CallContext(
            caller=number if incoming else pbx,
            callee=pbx if incoming else number,
            uuid=_call_uuid(start, index, rng),
            direction=direction,
            domain_id=domain_id,
            account_id=account_id,
            extra=extra or {},
        )

    def answered(t0: int) -> Call:
        call = context()
        menu = t0 + _seconds(rng, 0.05, 0.4)
        group_at = menu + _seconds(rng, 4, 12)
        extension_at = group_at + _seconds(rng, 2, 9)
        end = extension_at + _seconds(rng, 15, 240)
        # A voice menu answers the call: listening to it counts as talk time.
        talk = round((end - menu) / _SECOND_US)
        return [
            call.event("call_init", t0),
            call.event("call_init_menu", menu, destination=MENU),
            call.event("call_init_group", group_at, destination=group),
            call.event("call_init_extension", extension_at, destination=extension),
            call.hangup(t0, end, talk_duration=talk, hangup_detail="send_bye"),
        ]

    def transfer(t0: int) -> Call:
        call = context()
        group_at = t0 + _seconds(rng, 0.05, 0.4)
        extension_at = group_at + _seconds(rng, 2, 9)
        transfer_at = extension_at + _seconds(rng, 10, 40)
        end = transfer_at + _seconds(rng, 15, 240)
        talk = round((end - extension_at) / _SECOND_US)
        return [
            call.event("call_init", t0),
            call.event("call_init_group", group_at, destination=group),
            call.event("call_init_extension", extension_at, destination=extension),
            call.event("call_init_extension", transfer_at, destination=extension + 1),
            call.hangup(t0, end, talk_duration=talk, hangup_detail="send_bye"),
        ]

    def missed(t0: int) -> Call:
        call = context()
        return [
            call.event("call_init", t0),
            call.event("missing_call", t0 + _seconds(rng, 15, 30)),
        ]

    def outgoing(t0: int, extra: Event | None = None) -> Call:
        call = context("OUT", extra=extra)
        answer = t0 + _seconds(rng, 3, 12)
        end = answer + _seconds(rng, 10, 300)
        talk = round((end - answer) / _SECOND_US)
        detail = rng.choice(("send_bye", "recv_bye"))
        return [
            call.event("call_init", t0),
            call.hangup(t0, end, talk_duration=talk, hangup_detail=detail),
        ]

    def fax(t0: int) -> Call:
        return [context().event("fax_init", t0)]

    def autodial(t0: int) -> Call:
        extra: Event = {
            "autodial": True,
            "additional_data": f"crm-order-{rng.randint(10000, 99999)}",
            "callback_url": "https://crm.example.com/bulutfon/callback",
        }
        return outgoing(t0, extra)

    def burst_call(number: int, t0: int) -> Call:
        call = context(number=number)
        extension = t0 + _seconds(rng, 0.5, 3)
        end = extension + _seconds(rng, 5, 120)
        talk = round((end - extension) / _SECOND_US)
        detail = rng.choice(("send_bye", "recv_bye"))
        return [
            call.event("call_init", t0),
            call.event(
                "call_init_extension",
                extension,
                destination=EXTENSION + rng.randrange(10),
            ),
            call.hangup(t0, end, talk_duration=talk, hangup_detail=detail),
        ]

    singles: dict[str, Callable[[int], Call]] = {
        "answered": answered,
        "missed": missed,
        "outgoing": outgoing,
        "fax": fax,
        "autodial": autodial,
    }
    if name == "burst":
        return [
            burst_call(outside + i, start + _seconds(rng, 0, 0.2)) for i in range(calls)
        ]
    if name == "transfer":
        return [transfer(start)]
    if name == "all":
        result: list[Call] = []
        t0 = start
        for single in SINGLE_SCENARIOS:
            result.append(singles[single](t0))
            t0 = max(event_time(event) for event in result[-1]) + _SECOND_US
        return result
    return [singles[name](start)]


def event_time(event: Event) -> int:
    """Return the ``timestamp`` of ``event`` (0 when it has none)."""
    value = event.get("timestamp")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _form_value(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def encode(event: Event, fmt: str = "json") -> tuple[bytes, str]:
    """Encode one payload as Bulutfon would send it; return ``(body, content_type)``.

    ``json``: a UTF-8 JSON object, numbers as JSON numbers. ``form``: an
    ``application/x-www-form-urlencoded`` body where every value is a string (``true``/``false``
    for booleans) and null fields are left out.
    """
    if fmt == "json":
        return json.dumps(event, ensure_ascii=False).encode(), CONTENT_TYPES["json"]
    if fmt == "form":
        pairs = [
            (key, _form_value(value))
            for key, value in event.items()
            if value is not None
        ]
        return urllib.parse.urlencode(pairs).encode("ascii"), CONTENT_TYPES["form"]
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def basic_auth(username: str, password: str) -> str:
    """Return the ``Authorization`` header value for HTTP Basic credentials."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


# --- sending --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one request."""

    seq: int
    event_type: str
    uuid: str
    caller: str
    status: int | None
    """HTTP status, or ``None`` when no answer came (connection refused, timeout, ...)."""
    error: str | None
    elapsed: float
    """Seconds from sending to the end of the answer."""

    @property
    def accepted(self) -> bool:
        """Whether the server answered with a 2xx status."""
        return self.status is not None and 200 <= self.status < 300

    def line(self) -> str:
        """A one-line report of the request, as the CLI prints it."""
        answer = (
            f"{self.status} {_reason(self.status)}"
            if self.status is not None
            else f"failed: {self.error}"
        )
        return (
            f"[{self.seq:>4}] {self.event_type:<20} uuid {self.uuid[:8]}  "
            f"caller {self.caller:<14} -> {answer} ({self.elapsed * 1000:.0f} ms)"
        )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _reason(status: int) -> str:
    return http.client.responses.get(status, "")


@dataclass(slots=True)
class Summary:
    """What a run sent and how the server answered."""

    scenario: str
    calls: int = 0
    results: list[Result] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        """Number of requests sent (or attempted)."""
        return len(self.results)

    @property
    def accepted(self) -> int:
        """Requests answered with a 2xx status."""
        return sum(1 for result in self.results if result.accepted)

    @property
    def rejected(self) -> int:
        """Requests answered with a status other than 2xx."""
        return sum(1 for r in self.results if r.status is not None and not r.accepted)

    @property
    def failed(self) -> int:
        """Requests that got no HTTP answer at all."""
        return sum(1 for result in self.results if result.status is None)

    @property
    def statuses(self) -> Counter[int | None]:
        """Count of each HTTP status (``None`` for failures)."""
        return Counter(result.status for result in self.results)

    @property
    def ok(self) -> bool:
        """Whether at least one request was sent and every one got a 2xx answer."""
        return bool(self.results) and self.accepted == self.requests

    def line(self) -> str:
        """The summary line the CLI prints."""
        return (
            f"{self.scenario}: {_plural(self.requests, 'request')} for "
            f"{_plural(self.calls, 'call')} in {self.elapsed:.2f} s: "
            f"{self.accepted} accepted (2xx), {self.rejected} rejected, {self.failed} failed"
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the answer: Bulutfon does not follow them with a POST body."""

    def redirect_request(  # noqa: PLR0917 (the signature of the method it overrides)
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def make_opener(*, use_proxy: bool = True) -> urllib.request.OpenerDirector:
    """Return the urllib opener :func:`send_event` uses: no redirects; proxies from the
    environment unless ``use_proxy`` is false."""
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if not use_proxy:
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def send_event(
    url: str,
    event: Event,
    *,
    fmt: str = "json",
    authorization: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    opener: urllib.request.OpenerDirector | None = None,
    seq: int = 0,
) -> Result:
    """POST one payload to ``url`` and return how the server answered. Never raises for
    network or HTTP errors: they are reported in the :class:`Result`."""
    body, content_type = encode(event, fmt)
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    request.add_header("User-Agent", USER_AGENT)
    if authorization:
        request.add_header("Authorization", authorization)
    opener = opener or make_opener()
    status: int | None = None
    error: str | None = None
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(_MAX_RESPONSE_BYTES)
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
        err.close()
    except urllib.error.URLError as err:
        error = str(err.reason)
    except (OSError, http.client.HTTPException) as err:
        error = str(err) or type(err).__name__
    return Result(
        seq=seq,
        event_type=str(event.get("event_type")),
        uuid=str(event.get("uuid")),
        caller=str(event.get("caller")),
        status=status,
        error=error,
        elapsed=time.perf_counter() - started,
    )


def play(
    url: str,
    calls: Sequence[Call],
    *,
    fmt: str = "json",
    username: str | None = None,
    password: str | None = None,
    concurrency: int = 1,
    pace: float = 0.0,
    timeout: float = DEFAULT_TIMEOUT,
    live_timestamps: bool = True,
    use_proxy: bool = True,
    out: IO[str] | None = None,
    scenario: str = "custom",
    first_seq: int = 1,
) -> Summary:
    """POST prepared ``calls`` (as from :func:`build_scenario`) to ``url``.

    Each call's events go in order, ``pace`` seconds apart. With ``concurrency`` 1 the calls go
    one after another (also ``pace`` apart); otherwise up to ``concurrency`` calls are in flight
    at once. With ``live_timestamps`` every event's ``timestamp`` is set to the moment it is
    sent (microseconds), as a live PBX would; otherwise the scripted timeline is kept. When
    ``out`` is given, one line per request is written to it as the answer arrives. Requests
    are numbered from ``first_seq`` in sending order.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    authorization = (
        basic_auth(username, password or "") if username is not None else None
    )
    opener = make_opener(use_proxy=use_proxy)
    summary = Summary(scenario=scenario, calls=len(calls))
    lock = threading.Lock()
    counter = itertools.count(first_seq)

    def post(event: Event) -> None:
        if live_timestamps:
            event = {**event, "timestamp": time.time_ns() // 1000}
        with lock:
            seq = next(counter)
        result = send_event(
            url,
            event,
            fmt=fmt,
            authorization=authorization,
            timeout=timeout,
            opener=opener,
            seq=seq,
        )
        with lock:
            summary.results.append(result)
            if out is not None:
                print(result.line(), file=out, flush=True)

    def play_call(call: Call) -> None:
        for position, event in enumerate(call):
            if position and pace > 0:
                time.sleep(pace)
            post(event)

    started = time.perf_counter()
    if concurrency == 1:
        for position, call in enumerate(calls):
            if position and pace > 0:
                time.sleep(pace)
            play_call(call)
    else:
        with ThreadPoolExecutor(
            max_workers=min(concurrency, max(len(calls), 1)),
            thread_name_prefix="bulutfon-simulate",
        ) as pool:
            for future in [pool.submit(play_call, call) for call in calls]:
                future.result()
    summary.elapsed = time.perf_counter() - started
    summary.results.sort(key=lambda result: result.seq)
    return summary


def run(
    url: str,
    scenario: str,
    *,
    fmt: str = "json",
    username: str | None = None,
    password: str | None = None,
    caller: str | int = DEFAULT_CALLER,
    callee: str | int = DEFAULT_CALLEE,
    calls: int = DEFAULT_CALLS,
    concurrency: int | None = None,
    pace: float | None = None,
    repeat: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    live_timestamps: bool = True,
    use_proxy: bool = True,
    seed: int | None = None,
    out: IO[str] | None = None,
) -> Summary:
    """Build scenario ``scenario`` and play it against ``url`` ``repeat`` times.

    Every repetition has fresh uuids. ``concurrency`` defaults to
    :data:`DEFAULT_CONCURRENCY` for ``burst`` and 1 (one call after another) otherwise; ``pace``
    defaults to 0 for ``burst`` and :data:`DEFAULT_PACE` otherwise. ``seed`` makes the random
    parts (durations, uuids' random bits) reproducible. Returns the combined :class:`Summary`.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    burst = scenario == "burst"
    concurrency = concurrency or (DEFAULT_CONCURRENCY if burst else 1)
    pace = pace if pace is not None else (0.0 if burst else DEFAULT_PACE)
    rng = random.Random(seed)
    total = Summary(scenario=scenario)
    started = time.perf_counter()
    for round_ in range(repeat):
        if round_ and pace > 0:
            time.sleep(pace)
        built = build_scenario(
            scenario, caller=caller, callee=callee, rng=rng, calls=calls
        )
        part = play(
            url,
            built,
            fmt=fmt,
            username=username,
            password=password,
            concurrency=concurrency,
            pace=pace,
            timeout=timeout,
            live_timestamps=live_timestamps,
            use_proxy=use_proxy,
            out=out,
            scenario=scenario,
            first_seq=total.requests + 1,
        )
        total.results.extend(part.results)
        total.calls += part.calls
    total.elapsed = time.perf_counter() - started
    return total


# --- command line ---------------------------------------------------------------------------


class _UsageError(Exception):
    """A bad command line, reported with exit status 2."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _seconds_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0: {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simulate",
        description="Play realistic Bulutfon webhook scenarios (calls, faxes) against a URL.",
        epilog=(
            "Exit status: 0 when every request got a 2xx answer, 1 when any was rejected or "
            "failed, 2 for a usage error."
        ),
    )
    parser.add_argument("url", help="the webhook URL Bulutfon would POST to")
    parser.add_argument(
        "scenario_pos",
        nargs="?",
        choices=SCENARIOS,
        metavar="scenario",
        help=f"one of {', '.join(SCENARIOS)} (default: all)",
    )
    parser.add_argument("--scenario", choices=SCENARIOS, help="the same, as an option")
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        help="request body: json (default; form for route) or form (x-www-form-urlencoded)",
    )
    parser.add_argument(
        "--digits",
        default="1",
        help="route: the keys the caller presses when asked (default 1)",
    )
    parser.add_argument("--username", help="HTTP Basic user name")
    parser.add_argument("--password", help="HTTP Basic password")
    parser.add_argument(
        "--caller",
        default=DEFAULT_CALLER,
        help=f"the outside (mobile) number, digits (default {DEFAULT_CALLER})",
    )
    parser.add_argument(
        "--callee",
        default=DEFAULT_CALLEE,
        help=f"the PBX number, digits (default {DEFAULT_CALLEE})",
    )
    parser.add_argument(
        "--calls",
        type=_positive_int,
        default=DEFAULT_CALLS,
        help=f"simultaneous calls of the burst scenario (default {DEFAULT_CALLS})",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive_int,
        help=f"calls in flight at once (default {DEFAULT_CONCURRENCY} for burst, else 1)",
    )
    parser.add_argument(
        "--pace",
        type=_seconds_arg,
        help=f"seconds between the events of a call (default {DEFAULT_PACE}, 0 for burst)",
    )
    parser.add_argument(
        "--repeat", type=_positive_int, default=1, help="play the scenario N times"
    )
    parser.add_argument(
        "--timeout",
        type=_seconds_arg,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for each answer (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--scripted-timestamps",
        action="store_true",
        help="send the scenario's scripted timeline instead of the time of sending",
    )
    parser.add_argument(
        "--no-proxy", action="store_true", help="ignore http_proxy/https_proxy"
    )
    parser.add_argument("--seed", type=int, help="seed for the random parts")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only failures and the summary"
    )
    return parser


def _check_url(url: str) -> tuple[str, str | None, str | None]:
    """Validate ``url``; move credentials in it (``http://user:pass@host``) out of it."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _UsageError(f"not an http(s) URL: {url!r}")
    try:
        _ = parts.port
    except ValueError as err:
        raise _UsageError(f"bad port in URL {url!r}") from err
    if parts.username is None:
        return url, None, None
    netloc = parts.netloc.rpartition("@")[2]
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return (
        clean,
        urllib.parse.unquote(parts.username),
        urllib.parse.unquote(parts.password or ""),
    )


def _resolve(args: argparse.Namespace) -> tuple[str, str, str | None, str | None]:
    """Check what argparse cannot; return the scenario, URL, user name and password."""
    if args.scenario and args.scenario_pos and args.scenario != args.scenario_pos:
        raise _UsageError(
            f"two scenarios given: {args.scenario_pos!r} and --scenario {args.scenario!r}"
        )
    scenario: str = args.scenario or args.scenario_pos or "all"
    url, url_user, url_password = _check_url(args.url)
    username: str | None = args.username if args.username is not None else url_user
    password: str | None = args.password if args.password is not None else url_password
    if password is not None and username is None:
        raise _UsageError("--password needs --username")
    for what in ("caller", "callee"):
        try:
            _phone(getattr(args, what), what)
        except ValueError as err:
            raise _UsageError(str(err)) from None
    return scenario, url, username, password


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 all 2xx, 1 any not, 2 usage error)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        # argparse's way to report a usage error (2) or the end of --help (0).
        return exc.code if isinstance(exc.code, int) else 2
    try:
        scenario, url, username, password = _resolve(args)
    except _UsageError as err:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {err}", file=sys.stderr)
        return 2

    if scenario == "route":
        return _route(args, url, username, password)
    args.fmt = args.fmt or "json"
    target = urllib.parse.urlsplit(url)
    auth_note = f", basic auth as {username!r}" if username is not None else ""
    print(
        f"Playing {scenario!r} as {args.fmt} to {target.scheme}://{target.netloc}{auth_note}",
        flush=True,
    )
    out: IO[str] | None = None if args.quiet else sys.stdout
    try:
        summary = run(
            url,
            scenario,
            fmt=args.fmt,
            username=username,
            password=password,
            caller=args.caller,
            callee=args.callee,
            calls=args.calls,
            concurrency=args.concurrency,
            pace=args.pace,
            repeat=args.repeat,
            timeout=args.timeout,
            live_timestamps=not args.scripted_timestamps,
            use_proxy=not args.no_proxy,
            seed=args.seed,
            out=out,
        )
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if args.quiet:
        for result in summary.results:
            if not result.accepted:
                print(result.line(), file=sys.stderr)
    print(summary.line(), flush=True)
    return 0 if summary.ok else 1


def _route(
    args: argparse.Namespace, url: str, username: str | None, password: str | None
) -> int:
    """The ``route`` scenario: one BulutfonXM conversation (simulate_routing.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import simulate_routing

    authorization = (
        basic_auth(username, password or "") if username is not None else None
    )
    target = urllib.parse.urlsplit(url)
    print(f"Routing a call from {args.caller} at {target.scheme}://{target.netloc}")
    steps = simulate_routing.converse(
        url,
        caller=str(args.caller),
        callee=str(args.callee),
        digits=args.digits,
        fmt=args.fmt or "form",
        authorization=authorization,
        timeout=args.timeout,
        out=None if args.quiet else sys.stdout,
    )
    ok = simulate_routing.succeeded(steps)
    print(f"{len(steps)} request(s); {'routed' if ok else 'NOT routed'}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
