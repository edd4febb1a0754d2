"""Sending: POST prepared payloads to a webhook, as the PBX would, and report the answers.

Each call's events go in order; calls go one after another or several at once. A server's answer
(or the lack of one) is a :class:`Result`; a run's is a :class:`Summary`. Works for both
platforms' payloads (simulate_encode.py tells them apart). Standard library only.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
import http.client
import itertools
import threading
import time
from typing import IO, TYPE_CHECKING, Final
import urllib.error
import urllib.request

from simulate_encode import FORMATS, Payload, basic_auth, describe, encode, restamp

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_TIMEOUT: Final = 10.0
USER_AGENT: Final = "bulutfon-simulate/1.0 (Python urllib)"
_MAX_RESPONSE_BYTES: Final = 64 * 1024


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
    event: Payload,
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
    event_type, call_uuid, caller = describe(event)
    return Result(
        seq=seq,
        event_type=event_type,
        uuid=call_uuid,
        caller=caller,
        status=status,
        error=error,
        elapsed=time.perf_counter() - started,
    )


def play(
    url: str,
    calls: Sequence[Sequence[Payload]],
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
    """POST prepared ``calls`` (as from ``build_scenario`` or ``build_hipcall_scenario``).

    Each call's events go in order, ``pace`` seconds apart. With ``concurrency`` 1 the calls go
    one after another (also ``pace`` apart); otherwise up to ``concurrency`` calls are in flight
    at once. With ``live_timestamps`` every event's time is the moment it is sent, as a live
    PBX would (a Hipcall record's times all move alike); otherwise the scripted timeline is
    kept. When ``out`` is given, one line per request is written to it as the answer arrives.
    Requests are numbered from ``first_seq`` in sending order.
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

    def post(event: Payload) -> None:
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

    def play_call(call: Sequence[Payload]) -> None:
        scripted: Payload | None = None
        sent: Payload = {}
        for position, event in enumerate(call):
            if position and pace > 0:
                time.sleep(pace)
            # A repeated delivery is the same request again, times and all.
            if event != scripted:
                scripted = event
                sent = (
                    restamp(event, time.time_ns() // 1000) if live_timestamps else event
                )
            post(sent)

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
