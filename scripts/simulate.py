"""Play realistic Bulutfon or Hipcall webhook scenarios against a URL: the command line.

Bulutfon (a Turkish cloud PBX) POSTs one request per call or fax event to a webhook, as JSON or
as ``application/x-www-form-urlencoded``, optionally with HTTP Basic authentication; Hipcall, its
newer platform, POSTs JSON envelopes without credentials. This script plays the same requests, in
the same order, with the field names and value types of the vendors' own examples, so that a
webhook (the Home Assistant integration, or anything else) can be tried without a PBX.

Standard library only, so it runs with any Python >= 3.11::

    scripts/simulate http://127.0.0.1:8123/api/webhook/WEBHOOK_ID answered
    scripts/simulate URL burst --calls 50 --concurrency 16 --format form
    scripts/simulate URL all --username bulutfon --password secret
    scripts/simulate URL all --platform hipcall

Its jobs live in their own modules: the classic scenarios in simulate_scenarios.py, Hipcall's in
simulate_hipcall.py, the request bodies in simulate_encode.py, sending in simulate_send.py, the
routing conversation in simulate_routing.py. Their public names are importable from here too.

Classic Bulutfon scenarios (``--platform bulutfon``, the default):

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


Hipcall scenarios (``--platform hipcall``; JSON, no credentials):

``answered``
    An inbound call offered to team 7 and taken by user 12: ``call_init``, ``call_bridged``,
    ``call_hangup`` with a recording link.
``missed``
    ``call_init`` then ``call_hangup`` with ``missing_call: true``.
``voicemail``
    A missed call that leaves a voicemail (``voicemail_url``).
``outgoing``
    User 12 calls out: ``call_init``, ``call_bridged`` when the contact answers, ``call_hangup``.
``internal``
    User 12 calls user 15.
``repeated``
    An answered call whose every request is delivered twice.
``out_of_order``
    An answered call delivered bridged, init, hangup, and a missed call whose hangup comes
    before its init.
``old_envelope``
    The 2023 envelope: ``call::init`` then ``call::hangup``.
``burst``
    ``--calls`` simultaneous answered calls, taken by five users.
``all``
    Every single scenario above in turn.

Exit status: 0 when every request got a 2xx answer, 1 when any was rejected or failed, 2 for a
usage error.

The module is importable too: :func:`build_scenario` and :func:`build_hipcall_scenario` make the
payloads, :func:`encode` makes a request body, :func:`play` and :func:`run` send them and return
a :class:`Summary`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
import random
import sys
import time
from typing import IO, TYPE_CHECKING, Final, Literal
import urllib.parse

# The modules beside this one, also when it is loaded from its path (tests, the demo).
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from simulate_encode import (  # noqa: E402
    CONTENT_TYPES,
    FORMATS,
    Format,
    Payload,
    basic_auth,
    encode,
    restamp,
)
from simulate_hipcall import (  # noqa: E402
    HIPCALL_SCENARIOS,
    HIPCALL_SINGLE_SCENARIOS,
    HipcallCall,
    build_hipcall_scenario,
)
from simulate_scenarios import (  # noqa: E402
    DEFAULT_ACCOUNT_ID,
    DEFAULT_CALLEE,
    DEFAULT_CALLER,
    DEFAULT_CALLS,
    DEFAULT_DOMAIN_ID,
    EXTENSION,
    GROUP,
    MENU,
    SCENARIOS,
    SINGLE_SCENARIOS,
    Call,
    Event,
    Scalar,
    build_scenario,
    cdr_urls,
    event_time,
    phone_number,
)
from simulate_send import (  # noqa: E402
    DEFAULT_TIMEOUT,
    USER_AGENT,
    Result,
    Summary,
    make_opener,
    play,
    send_event,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_CALLEE",
    "DEFAULT_CALLER",
    "DEFAULT_CALLS",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_DOMAIN_ID",
    "DEFAULT_PACE",
    "DEFAULT_TIMEOUT",
    "EXTENSION",
    "FORMATS",
    "GROUP",
    "HIPCALL_SCENARIOS",
    "HIPCALL_SINGLE_SCENARIOS",
    "MENU",
    "PLATFORMS",
    "SCENARIOS",
    "SINGLE_SCENARIOS",
    "USER_AGENT",
    "Call",
    "Event",
    "Format",
    "HipcallCall",
    "Payload",
    "Platform",
    "Result",
    "Scalar",
    "Summary",
    "basic_auth",
    "build_hipcall_scenario",
    "build_scenario",
    "cdr_urls",
    "encode",
    "event_time",
    "main",
    "make_opener",
    "play",
    "restamp",
    "run",
    "send_event",
]

Platform = Literal["bulutfon", "hipcall"]
PLATFORMS: Final[tuple[Platform, ...]] = ("bulutfon", "hipcall")
PLATFORM_SCENARIOS: Final[dict[str, tuple[str, ...]]] = {
    "bulutfon": SCENARIOS,
    "hipcall": HIPCALL_SCENARIOS,
}
ALL_SCENARIOS: Final = tuple(dict.fromkeys((*SCENARIOS, *HIPCALL_SCENARIOS)))

DEFAULT_CONCURRENCY: Final = 16
DEFAULT_PACE: Final = 0.5


def run(
    url: str,
    scenario: str,
    *,
    platform: str = "bulutfon",
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
    """Build scenario ``scenario`` of ``platform`` and play it against ``url`` ``repeat`` times.

    Every repetition has fresh uuids. ``concurrency`` defaults to
    :data:`DEFAULT_CONCURRENCY` for ``burst`` and 1 (one call after another) otherwise; ``pace``
    defaults to 0 for ``burst`` and :data:`DEFAULT_PACE` otherwise. ``seed`` makes the random
    parts (durations, uuids' random bits) reproducible. Returns the combined :class:`Summary`.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    if platform not in PLATFORMS:
        raise ValueError(
            f"unknown platform {platform!r}; choose from {', '.join(PLATFORMS)}"
        )
    burst = scenario == "burst"
    concurrency = concurrency or (DEFAULT_CONCURRENCY if burst else 1)
    pace = pace if pace is not None else (0.0 if burst else DEFAULT_PACE)
    rng = random.Random(seed)
    total = Summary(scenario=scenario)
    started = time.perf_counter()
    for round_ in range(repeat):
        if round_ and pace > 0:
            time.sleep(pace)
        build = build_hipcall_scenario if platform == "hipcall" else build_scenario
        built: Sequence[Sequence[Payload]] = build(
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
        description=(
            "Play realistic Bulutfon or Hipcall webhook scenarios (calls, faxes) against a URL."
        ),
        epilog=(
            "Exit status: 0 when every request got a 2xx answer, 1 when any was rejected or "
            "failed, 2 for a usage error."
        ),
    )
    parser.add_argument("url", help="the webhook URL the PBX would POST to")
    parser.add_argument(
        "scenario_pos",
        nargs="?",
        choices=ALL_SCENARIOS,
        metavar="scenario",
        help=(
            f"Bulutfon: {', '.join(SCENARIOS)}; Hipcall: {', '.join(HIPCALL_SCENARIOS)} "
            "(default: all)"
        ),
    )
    parser.add_argument(
        "--scenario", choices=ALL_SCENARIOS, help="the same, as an option"
    )
    parser.add_argument(
        "--platform",
        choices=PLATFORMS,
        default="bulutfon",
        help="classic Bulutfon (default) or Hipcall (JSON envelopes, no credentials)",
    )
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
    if scenario not in PLATFORM_SCENARIOS[args.platform]:
        raise _UsageError(f"{args.platform} has no scenario {scenario!r}")
    if args.platform == "hipcall":
        if args.fmt == "form":
            raise _UsageError("Hipcall posts JSON only: no --format form")
        if username is not None:
            raise _UsageError("Hipcall sends no credentials: no --username")
    for what in ("caller", "callee"):
        try:
            phone_number(getattr(args, what), what)
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
    platform_note = " (Hipcall)" if args.platform == "hipcall" else ""
    print(
        f"Playing {scenario!r}{platform_note} as {args.fmt} to "
        f"{target.scheme}://{target.netloc}{auth_note}",
        flush=True,
    )
    out: IO[str] | None = None if args.quiet else sys.stdout
    try:
        summary = run(
            url,
            scenario,
            platform=args.platform,
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
