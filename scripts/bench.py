"""scripts/bench: every performance figure of the project, each next to its target.

Figures are ratios against baselines measured in the same run where a baseline exists:
these machines are noisy, absolute numbers move with the load, ratios much less.

    scripts/bench            everything (about two minutes)
    scripts/bench --quick    smaller counts, for a smoke run
    scripts/bench --routing  only the call routing figures
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Iterator
import contextlib
from dataclasses import dataclass
import json
import os
from pathlib import Path
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_core  # noqa: E402
import bench_routing  # noqa: E402
from realhass import RealHass  # noqa: E402

PYTHON = sys.executable
BARE_ID = "bench-bare-baseline"
HIPCALL_NUMBER = "908508850001"
"""The Hipcall line's office number (the classic line has the default)."""


@dataclass
class Row:
    """One printed figure."""

    name: str
    value: str
    target: str = ""
    met: bool | None = None


ROWS: list[Row] = []

BEFORE_OFFICE_VIEW: dict[str, str] = {
    "parse + call model": "116,000 events/s",
    "call-model memory after 1,000,000 events": "2.9 MB, flat",
    "entity state writes per event (realistic mix, one post at a time)": "2.95",
    "entity state writes per event (realistic mix, 16 calls at a time)": "1.42",
    "Bulutfon throughput, no recorder": "0.47 of bare",
    "Home Assistant CPU per event, Bulutfon, no recorder": "152 µs = 2.16x bare",
    "latency at concurrency 16, Bulutfon, no recorder": "p50 2.4 ms, p99 3.7 ms",
    "Bulutfon throughput": "0.10 of bare",
    "latency at concurrency 16, Bulutfon": "p50 5.1 ms, p99 44 ms",
    "import of the integration and its platforms": "26 ms (4.6x webhook)",
}
"""docs/performance.md's figures from the last full run before the office view (issue 12: extension,
group and today's entities; a mix with one extension and one group), shown beside the new
ones. Ratios compare across runs; absolute figures move with the machine's load."""


def report(name: str, value: str, target: str = "", met: bool | None = None) -> None:
    """Print a figure at once (long runs) and keep it for the final table."""
    if (before := BEFORE_OFFICE_VIEW.get(name)) is not None:
        value = f"{value}   [before the office view: {before}]"
    ROWS.append(Row(name, value, target, met))
    mark = "" if met is None else ("  ok" if met else "  MISSED")
    print(
        f"  {name}: {value}" + (f"   [target {target}]{mark}" if target else ""),
        flush=True,
    )


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_client(
    url: str,
    calls: list[list[str]],
    concurrency: int,
    workdir: Path,
    rate: float = 0.0,
) -> dict[str, Any]:
    """POST the calls from a separate process (each call's events in order); with a
    rate, one after another at that many events per second."""
    bodies = workdir / "bodies.json"
    bodies.write_text(json.dumps(calls))
    out = subprocess.run(
        [
            PYTHON,
            str(HERE / "bench_client.py"),
            url,
            str(bodies),
            str(concurrency),
            "1",
            str(rate),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def mix_calls(count: int, seed: int) -> list[list[str]]:
    """The realistic mix as lists of JSON bodies, with uuids unique to this seed."""
    return [
        [json.dumps(event) for event in call]
        for call in bench_core.realistic_calls(count, seed=seed)
    ]


def hipcall_mix_calls(count: int, seed: int) -> list[list[str]]:
    """The Hipcall mix (whole call records) as lists of JSON bodies."""
    return [
        [json.dumps(event) for event in call]
        for call in bench_core.realistic_hipcall_calls(count, seed=seed)
    ]


def core_benchmarks(quick: bool) -> None:
    """The pure core on one core."""
    print("Pure core (parse + call model), one core:", flush=True)
    result = bench_core.bench_core(
        calls=4_000 if quick else 20_000, rounds=3 if quick else 5
    )
    report("events in the realistic mix", f"{result.events}")
    report(
        "parse + call model",
        f"{result.parse_and_track_per_s:,.0f} events/s",
        ">= 100,000 events/s",
        result.parse_and_track_per_s >= 100_000,
    )
    report("parse alone", f"{result.parse_per_s:,.0f} events/s")
    report(
        "baseline json.loads of the same bodies",
        f"{result.json_loads_per_s:,.0f} bodies/s; parse + model = "
        f"{result.parse_and_track_per_s / result.json_loads_per_s:.2f} of it",
    )
    hipcall = bench_core.bench_core(
        calls=4_000 if quick else 20_000, rounds=3 if quick else 5, platform="hipcall"
    )
    report(
        "Hipcall: parse + call model",
        f"{hipcall.parse_and_track_per_s:,.0f} events/s "
        f"({hipcall.parse_and_track_us:.1f} µs an event; classic "
        f"{result.parse_and_track_us:.1f} µs)",
        ">= 50,000 events/s",
        hipcall.parse_and_track_per_s >= 50_000,
    )
    report(
        "Hipcall: parse alone; json.loads of the same bodies",
        f"{hipcall.parse_per_s:,.0f} events/s; {hipcall.json_loads_per_s:,.0f} bodies/s "
        f"(whole call records, {hipcall.events:,} events)",
    )
    report(
        "a Hipcall event against a classic one (parse + call model)",
        f"{hipcall.parse_and_track_us:.1f} µs against {result.parse_and_track_us:.1f} µs "
        f"= {hipcall.parse_and_track_us / result.parse_and_track_us:.2f}x (json.loads "
        f"alone: {1e6 / hipcall.json_loads_per_s:.1f} µs against "
        f"{1e6 / result.json_loads_per_s:.1f} µs; Hipcall's bodies are larger)",
        "no dearer than a classic one",
        hipcall.parse_and_track_us <= result.parse_and_track_us,
    )
    events = 200_000 if quick else 1_000_000
    small, large, learned = bench_core.bench_memory(events)
    report(
        f"call-model memory after {events:,} events",
        f"{large:.2f} MB (after {events // 10:,}: {small:.2f} MB); calls reached "
        f"100,000 extension and group numbers, the line learned "
        f"{learned['learned_extensions']} extensions and {learned['learned_groups']} groups",
        "< 5 MB and flat",
        large < 5 and large <= small * 1.1,
    )


LEAN_CONFIGURATION = """\
# Home Assistant without the recorder (and so without history and logbook).
frontend:
config:
webhook:
"""


def configuration_with_bare(directory: Path, *, recorder: bool) -> Path:
    """The project's configuration.yaml (or a lean one) plus the bare baseline webhook."""
    if recorder:
        text = (HERE.parent / "config" / "configuration.yaml").read_text()
    else:
        text = LEAN_CONFIGURATION
    path = directory / "bench-configuration.yaml"
    path.write_text(text + f"\nbench_bare:\n  webhook_id: {BARE_ID}\n")
    return path


OFFICE_VIEW = re.compile(r"_extension_\d+$|_group_\d+_calls$|_today$")
"""Entity ids of the office view (extensions, ring groups, today's figures)."""


async def count_writes(
    ha: RealHass, url: str, calls: list[list[str]], concurrency: int = 1
) -> tuple[int, int, int]:
    """Post the calls (`concurrency` calls at a time, each call's events in order) and
    count the state writes of Bulutfon entities: all, the office view's, and the events."""
    writes = 0
    office = 0
    events = 0
    entities = set(ha.bulutfon_entities())
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{ha.url}/api/websocket") as ws,
    ):
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": ha.token})
        await ws.receive_json()
        for index, event_type in enumerate(
            ("state_changed", "state_reported"), start=1
        ):
            await ws.send_json(
                {"id": index, "type": "subscribe_events", "event_type": event_type}
            )
            await ws.receive_json()
        queue = list(calls)

        async def worker() -> None:
            nonlocal events
            while queue:
                for body in queue.pop():
                    async with session.post(
                        url, data=body, headers={"Content-Type": "application/json"}
                    ) as response:
                        assert response.status == 200, response.status
                    events += 1

        async def reader() -> None:
            # Read while posting: Home Assistant closes a websocket whose client lags.
            nonlocal writes, office
            while True:
                try:
                    message = await ws.receive_json(timeout=1.0)
                except TimeoutError:
                    if not queue and posting.done():
                        return
                    continue
                data = message.get("event", {}).get("data", {})
                if (entity_id := data.get("entity_id")) in entities:
                    writes += 1
                    office += bool(OFFICE_VIEW.search(entity_id))

        posting = asyncio.gather(*(worker() for _ in range(concurrency)))
        await asyncio.gather(posting, reader())
    return writes, office, events


def install_bare(directory: Path) -> None:
    """Install the baselines as the custom integration `bench_bare` in `directory`.

    Its manifest is kept as manifest.bench.json: hassfest's action validates every file
    named manifest.json in the repository, and the baselines are no integration to ship.
    """
    target = directory / "custom_components" / "bench_bare"
    shutil.copytree(
        HERE / "bench_bare",
        target,
        ignore=shutil.ignore_patterns("__pycache__", "manifest.bench.json"),
    )
    shutil.copyfile(
        HERE / "bench_bare" / "manifest.bench.json", target / "manifest.json"
    )


@contextlib.contextmanager
def bench_hass(*, recorder: bool) -> Iterator[tuple[RealHass, Path]]:
    """A running throwaway Home Assistant with the baselines installed, and a work folder."""
    with tempfile.TemporaryDirectory(prefix="bulutfon-bench-") as tmp:
        workdir = Path(tmp)
        directory = workdir / "config"
        ha = RealHass(
            directory, configuration=configuration_with_bare(workdir, recorder=recorder)
        )
        ha.prepare()
        install_bare(directory)
        with ha:
            yield ha, workdir


def end_to_end(quick: bool) -> None:
    """Through Home Assistant's real HTTP server, against a bare handler in the same run."""
    print(
        "End to end, real Home Assistant (configuration.yaml: recorder, history, logbook), "
        "client in its own process:",
        flush=True,
    )
    started = time.perf_counter()
    with bench_hass(recorder=True) as (ha, workdir):
        report(
            "Home Assistant start (to answering HTTP)",
            f"{time.perf_counter() - started:.1f} s",
        )
        ha.onboard("bench", "bench-password")
        added = time.perf_counter()
        entry = ha.add_bulutfon()
        report(
            "add the integration through the config flow (REST)",
            f"{(time.perf_counter() - added) * 1000:.0f} ms",
        )
        reloads = []
        for _ in range(5):
            begin = time.perf_counter()
            ha.request(
                "POST", f"/api/config/config_entries/entry/{entry.entry_id}/reload"
            )
            reloads.append(time.perf_counter() - begin)
        pings = []
        for _ in range(5):
            begin = time.perf_counter()
            ha.request("GET", "/api/config/config_entries/entry")
            pings.append(time.perf_counter() - begin)
        reload_s, ping_s = statistics.median(reloads), statistics.median(pings)
        report(
            "reload of the entry (unload + set up, through REST)",
            f"median {reload_s * 1000:.0f} ms = {reload_s / ping_s:.0f}x a REST call "
            f"listing the entries ({ping_s * 1000:.1f} ms)",
        )
        throughput(ha, entry.webhook_url, workdir, quick, "", settle_for=6.0)
        steady(ha, entry.webhook_url, workdir, quick)

        writes, office, events = asyncio.run(
            count_writes(
                ha, entry.webhook_url, mix_calls(100 if quick else 300, seed=7)
            )
        )
        report(
            "entity state writes per event (realistic mix, one post at a time)",
            f"{writes / events:.2f} ({writes} writes for {events} events)",
        )
        report(
            "  of them, the line's entities as before the office view",
            f"{(writes - office) / events:.2f}",
            "<= 3 on average",
            (writes - office) / events <= 3,
        )
        report(
            "  of them, extensions, ring groups and today's figures",
            f"{office / events:.2f} (each a state that changed: a call reaching or "
            "leaving a place, a figure counting)",
        )
        writes, _, events = asyncio.run(
            count_writes(
                ha,
                entry.webhook_url,
                mix_calls(300 if quick else 1_000, seed=8),
                concurrency=16,
            )
        )
        report(
            "entity state writes per event (realistic mix, 16 calls at a time)",
            f"{writes / events:.2f} ({writes} writes for {events} events: entities "
            "written once per loop turn)",
        )

        burst_calls = 1_000
        burst = [
            [
                json.dumps({**event, "event_type": kind})
                for kind in ("call_init", "call_init_extension", "call_hangup")
            ]
            for event in (
                {
                    "uuid": f"burst-{index:06d}",
                    "caller": 905320000000 + index,
                    "callee": 908508850000,
                    "direction": "IN",
                    "destination": 1000,
                    "talk_duration": 10,
                    "timestamp": 1735000000000000 + index,
                }
                for index in range(burst_calls)
            )
        ]
        outcome = run_client(entry.webhook_url, burst, burst_calls, workdir)
        states = ha.states()
        number = "908508850000"
        active = states[f"sensor.bulutfon_{number}_active_calls"]["state"]
        busy = states[f"binary_sensor.bulutfon_{number}_line_busy"]["state"]
        accepted = outcome["statuses"].get("200", 0)
        exact = accepted == 3 * burst_calls and active == "0" and busy == "off"
        report(
            f"burst of {burst_calls:,} simultaneous calls ({3 * burst_calls:,} posts)",
            f"{accepted:,} accepted, final active calls {active}, line {busy}; "
            f"p50 {percentile(outcome['latencies_ms'], 0.5):.1f} ms, "
            f"p99 {percentile(outcome['latencies_ms'], 0.99):.1f} ms",
            "none lost, states exact",
            exact,
        )


def baselines(ha: RealHass, webhook_url: str) -> dict[str, str]:
    """The handlers measured side by side: bare, the minimal-writes reference, Bulutfon."""
    return {
        "bare": f"{ha.url}/api/webhook/{BARE_ID}",
        "writes": f"{ha.url}/api/webhook/{BARE_ID}-writes",
        "bulutfon": webhook_url,
    }


def settle(pid: int, at_least: float) -> None:
    """Wait until Home Assistant has done the work a round left behind (the recorder
    commits every 5 s): at least `at_least` seconds, then until a second passes idle."""
    time.sleep(at_least)
    deadline = time.monotonic() + 30
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(pid)
        if now - last < 0.03:
            return
        last = now


def throughput(
    ha: RealHass,
    webhook_url: str,
    workdir: Path,
    quick: bool,
    label: str,
    *,
    settle_for: float,
    reference_target: bool = False,
    mix: Callable[[int, int], list[list[str]]] = mix_calls,
    ours: str = "Bulutfon",
) -> None:
    """Bulutfon against the bare handler, rounds interleaved, client in its own process.

    A round's CPU time runs until Home Assistant is idle again, so work it defers (the
    recorder's commits) counts for the round that caused it, not for the next one."""
    assert ha.pid is not None
    pid = ha.pid
    calls_per_round = 300 if quick else 1_000
    rounds = 2 if quick else 4
    handlers = baselines(ha, webhook_url)
    results: dict[str, list[tuple[float, float, list[float]]]] = {
        name: [] for name in handlers
    }
    for round_index in range(rounds):
        calls = mix(calls_per_round, 100 + round_index)
        for name, url in handlers.items():
            settle(pid, 0.5)
            cpu_before = cpu_seconds(pid)
            outcome = run_client(url, calls, 16, workdir)
            settle(pid, settle_for)
            used = cpu_seconds(pid) - cpu_before
            assert outcome["statuses"] == {"200": outcome["count"]}, outcome["statuses"]
            results[name].append(
                (
                    outcome["count"] / outcome["elapsed"],
                    used / outcome["count"],
                    outcome["latencies_ms"],
                )
            )
    rate = {
        name: statistics.median(r[0] for r in rows) for name, rows in results.items()
    }
    cpu = {
        name: statistics.median(r[1] for r in rows) for name, rows in results.items()
    }
    latencies = {
        name: [x for r in rows for x in r[2]] for name, rows in results.items()
    }
    report(f"bare handler throughput{label}", f"{rate['bare']:,.0f} requests/s")
    report(
        f"{ours} throughput{label}",
        f"{rate['bulutfon']:,.0f} events/s = {rate['bulutfon'] / rate['bare']:.2f} of bare",
        ">= 0.5 of bare",
        rate["bulutfon"] / rate["bare"] >= 0.5,
    )
    report(
        f"Home Assistant CPU per request, bare{label}", f"{cpu['bare'] * 1e6:.0f} µs"
    )
    report(
        f"Home Assistant CPU per event, {ours}{label}",
        f"{cpu['bulutfon'] * 1e6:.0f} µs = {cpu['bulutfon'] / cpu['bare']:.2f}x bare",
        "<= 2.5x bare",
        cpu["bulutfon"] / cpu["bare"] <= 2.5,
    )
    report(
        f"reference: one bus event + three state writes{label}",
        f"{rate['writes']:,.0f} requests/s = {rate['writes'] / rate['bare']:.2f} of bare; "
        f"CPU {cpu['writes'] * 1e6:.0f} µs = {cpu['writes'] / cpu['bare']:.2f}x bare",
    )
    ratio = cpu["bulutfon"] / cpu["writes"]
    # The target is the integration's own cost: without the recorder, whose database
    # work (heavier for the reference's three writes than for Bulutfon's coalesced
    # ones) otherwise dominates both.
    report(
        "Home Assistant CPU per event against the reference, "
        f"{'realistic mix' if ours == 'Bulutfon' else ours}{label}",
        f"{ratio:.2f}x ({cpu['bulutfon'] * 1e6:.0f} µs against "
        f"{cpu['writes'] * 1e6:.0f} µs)",
        "<= 1.3x the reference" if reference_target else "",
        ratio <= 1.3 if reference_target else None,
    )
    p99 = percentile(latencies["bulutfon"], 0.99)
    report(
        f"latency at concurrency 16, {ours}{label}",
        f"p50 {percentile(latencies['bulutfon'], 0.5):.1f} ms, p99 {p99:.1f} ms "
        f"(bare p50 {percentile(latencies['bare'], 0.5):.1f} ms, p99 "
        f"{percentile(latencies['bare'], 0.99):.1f} ms)",
        "p99 < 10 ms",
        p99 < 10,
    )


def steady(ha: RealHass, webhook_url: str, workdir: Path, quick: bool) -> None:
    """CPU per event at a steady, busy-but-real rate (recorder included), against bare."""
    assert ha.pid is not None
    pid = ha.pid
    rate = 50.0
    calls = mix_calls(100 if quick else 250, seed=900)
    cpu: dict[str, float] = {}
    for name, url in baselines(ha, webhook_url).items():
        settle(pid, 0.5)
        before = cpu_seconds(pid)
        outcome = run_client(url, calls, 16, workdir, rate=rate)
        settle(pid, 6.0)
        cpu[name] = (cpu_seconds(pid) - before) / outcome["count"]
    ratio = cpu["bulutfon"] / cpu["bare"]
    report(
        f"Home Assistant CPU per event at a steady {rate:.0f} events/s, recorder included",
        f"Bulutfon {cpu['bulutfon'] * 1e6:.0f} µs = {ratio:.2f}x bare "
        f"({cpu['bare'] * 1e6:.0f} µs) and {cpu['bulutfon'] / cpu['writes']:.2f}x one bus "
        f"event + three state writes ({cpu['writes'] * 1e6:.0f} µs); all include Home "
        "Assistant's idle work over the same time",
    )


def end_to_end_lean(quick: bool) -> None:
    """The same rounds in a Home Assistant without the recorder: the integration's own cost."""
    print("End to end, real Home Assistant without the recorder:", flush=True)
    with bench_hass(recorder=False) as (ha, workdir):
        ha.onboard("bench", "bench-password")
        entry = ha.add_bulutfon()
        throughput(
            ha,
            entry.webhook_url,
            workdir,
            quick,
            ", no recorder",
            settle_for=0.5,
            reference_target=True,
        )
        # A Hipcall line in the same Home Assistant, against the same bare handler (which
        # then reads Hipcall's bodies: whole call records, four times a classic event's).
        hipcall = ha.add_hipcall(HIPCALL_NUMBER)
        throughput(
            ha,
            hipcall.webhook_url,
            workdir,
            quick,
            ", no recorder, Hipcall mix",
            settle_for=0.5,
            mix=hipcall_mix_calls,
            ours="Hipcall line",
        )


def import_time() -> None:
    """Import of the integration with its platforms, against importing a core one."""
    print("Start-up:", flush=True)
    code = (
        "import sys, time; sys.path.insert(0, {root!r}); import homeassistant.core, "
        "homeassistant.helpers.entity_platform, homeassistant.components.sensor, "
        "homeassistant.components.binary_sensor, homeassistant.components.button, "
        "homeassistant.components.event\n"
        "t = time.perf_counter(); import {module}\n"
        "print(time.perf_counter() - t)"
    )

    def measure(module: str) -> float:
        samples = []
        for _ in range(5):
            out = subprocess.run(
                [PYTHON, "-c", code.format(root=str(HERE.parent), module=module)],
                check=True,
                capture_output=True,
                text=True,
            )
            samples.append(float(out.stdout.strip().splitlines()[-1]))
        return statistics.median(samples)

    ours = measure(
        "custom_components.bulutfon, custom_components.bulutfon.sensor, "
        "custom_components.bulutfon.binary_sensor, custom_components.bulutfon.button, "
        "custom_components.bulutfon.event, custom_components.bulutfon.config_flow"
    )
    baseline = measure("homeassistant.components.webhook")
    report(
        "import of the integration and its platforms",
        f"{ours * 1000:.1f} ms ({ours / baseline:.1f}x importing Home Assistant's webhook "
        f"component, {baseline * 1000:.1f} ms)",
    )


def main() -> int:
    """Run everything and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    parser.add_argument(
        "--skip-e2e", action="store_true", help="pure core and import only"
    )
    parser.add_argument(
        "--routing", action="store_true", help="only the call routing figures"
    )
    args = parser.parse_args()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}",
        flush=True,
    )
    if not args.routing:
        core_benchmarks(args.quick)
        import_time()
    if not args.skip_e2e and not args.routing:
        end_to_end(args.quick)
        end_to_end_lean(args.quick)
    bench_routing.run(sys.modules[__name__], args.quick, e2e=not args.skip_e2e)
    print("\nSummary:")
    width = max(len(row.name) for row in ROWS)
    for row in ROWS:
        if row.target:
            verdict = {True: "met", False: "MISSED", None: "open"}[row.met]
            print(
                f"  {row.name:<{width}}  {verdict:<6}  {row.value}  (target {row.target})"
            )
    missed = [row.name for row in ROWS if row.met is False]
    if missed:
        print(f"\n{len(missed)} target(s) missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
