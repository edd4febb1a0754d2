"""scripts/bench: call routing (BulutfonXM) figures, beside the bare handler of the same run.

- the pure decision (parse the request, blocklist, default, BFON) on one core;
- through a real Home Assistant without the recorder: the routing URL's latency one request
  at a time (as Bulutfon asks, one call after another) and Home Assistant's CPU per request,
  without a script and with a trivial one, against the bare handler.

Called by bench.py with itself as `bench` (report, run_client, settle, cpu_seconds, ...).
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import json
from pathlib import Path
import sys
import tempfile
import time
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TRIVIAL_SCRIPT = """
script:
  route_trivial:
    mode: parallel
    sequence:
      - variables:
          route: {action: dial, destination: "1000"}
      - stop: Routed
        response_variable: route
"""


def pure(bench: ModuleType, quick: bool) -> None:
    """The decision without a script, pure Python on one core."""
    from custom_components.bulutfon.phonebook import Phonebook
    from custom_components.bulutfon.routing import (
        Answered,
        CallSessions,
        RoutingRules,
        blocked_keys,
        parse_route_request,
        render,
    )

    rules = RoutingRules(
        default_destination="1000",
        blocked=blocked_keys("\n".join(f"0555 000 {i:04d}" for i in range(100))),
        phonebook=Phonebook.parse(
            "\n".join(f"0532 000 {i:04d} = Caller {i}" for i in range(200))
        ),
    )
    count = 20_000 if quick else 100_000
    bodies = [
        f"uuid=call-{i}&caller=90532000{i % 400:04d}&callee=908508850000&step=1".encode()
        for i in range(count)
    ]
    content_type = "application/x-www-form-urlencoded"
    sessions = CallSessions()
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for body in bodies:
            request = parse_route_request(body, content_type)
            route = rules.first_look(request) or rules.default(request)
            sessions.remember(request, Answered(route, render(route, {})))
        best = min(best, time.perf_counter() - started)
    baseline = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for body in bodies:
            json.dumps({"seq": body.decode()}).encode()
        baseline = min(baseline, time.perf_counter() - started)
    per_request = best / count
    bench.report(
        "routing decision without a script (parse, blocklist, phone book, BFON), one core",
        f"{per_request * 1e6:.1f} µs per request ({1 / per_request:,.0f}/s; "
        f"{best / baseline:.1f}x a bare json.dumps of the same bodies)",
        "well under 1 ms",
        per_request < 0.0001,
    )


@contextlib.contextmanager
def routing_hass(bench: ModuleType) -> Iterator[tuple[Any, Path]]:
    """A Home Assistant without the recorder, with the bare handler and a trivial script."""
    with tempfile.TemporaryDirectory(prefix="bulutfon-bench-routing-") as tmp:
        workdir = Path(tmp)
        configuration = bench.configuration_with_bare(workdir, recorder=False)
        configuration.write_text(configuration.read_text() + TRIVIAL_SCRIPT)
        ha = bench.RealHass(workdir / "config", configuration=configuration)
        ha.prepare()
        bench.install_bare(ha.directory)
        with ha:
            yield ha, workdir


def end_to_end(bench: ModuleType, quick: bool) -> None:
    """Latency and CPU per routing request, without and with a trivial script."""
    print("Call routing, real Home Assistant without the recorder:", flush=True)
    with routing_hass(bench) as (ha, workdir):
        ha.onboard("bench", "bench-password")
        entry = ha.add_bulutfon()
        routing_url = ha.enable_routing(entry.entry_id, default_destination="1000")
        bare_url = f"{ha.url}/api/webhook/{bench.BARE_ID}"
        count = 500 if quick else 2_000
        rounds = 2 if quick else 3

        def measure(url: str, label: str) -> tuple[list[float], float]:
            latencies: list[float] = []
            cpu: list[float] = []
            for round_index in range(rounds):
                calls = [
                    [
                        json.dumps(
                            {
                                "uuid": f"{label}-{round_index}-{index}",
                                "caller": f"90532{index % 10_000:07d}",
                                "callee": "908508850000",
                                "step": 1,
                            }
                        )
                    ]
                    for index in range(count)
                ]
                bench.settle(ha.pid, 0.5)
                before = bench.cpu_seconds(ha.pid)
                outcome = bench.run_client(url, calls, 1, workdir)
                bench.settle(ha.pid, 0.5)
                cpu.append((bench.cpu_seconds(ha.pid) - before) / outcome["count"])
                assert outcome["statuses"] == {"200": outcome["count"]}, outcome
                latencies.extend(outcome["latencies_ms"])
            return latencies, min(cpu)

        bare, bare_cpu = measure(bare_url, "bare")
        plain, plain_cpu = measure(routing_url, "plain")
        ha.enable_routing(
            entry.entry_id,
            default_destination="1000",
            routing_script="script.route_trivial",
        )
        scripted, scripted_cpu = measure(routing_url, "script")

        def line(values: list[float], cpu: float) -> str:
            return (
                f"p50 {bench.percentile(values, 0.5):.2f} ms, "
                f"p99 {bench.percentile(values, 0.99):.2f} ms; "
                f"Home Assistant CPU {cpu * 1e6:.0f} µs per request"
            )

        bench.report(
            "routing: bare handler, one request at a time", line(bare, bare_cpu)
        )
        own = plain_cpu - bare_cpu
        bench.report(
            "routing URL without a script",
            f"{line(plain, plain_cpu)} = {plain_cpu / bare_cpu:.2f}x bare; the decision's "
            f"own share {own * 1e6:.0f} µs",
            "well under 1 ms of Home Assistant's time",
            own < 0.001,
        )
        bench.report(
            "routing URL with a trivial script (script.route_trivial)",
            f"{line(scripted, scripted_cpu)} = {scripted_cpu / bare_cpu:.2f}x bare; "
            f"the script adds {(scripted_cpu - plain_cpu) * 1e6:.0f} µs",
        )


def run(bench: ModuleType, quick: bool, *, e2e: bool) -> None:
    """Every routing figure."""
    print("Call routing (BulutfonXM), pure:", flush=True)
    pure(bench, quick)
    if e2e:
        end_to_end(bench, quick)
