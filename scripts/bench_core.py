"""Benchmarks of the pure core: parse + call model throughput, and call-model memory.

Run through scripts/bench (which prints every figure with its target). Importable, so the
end-to-end benchmark shares the realistic event mix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
import gc
import json
from pathlib import Path
import random
import sys
import time
import tracemalloc
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.bulutfon.calls import CallTracker  # noqa: E402
from custom_components.bulutfon.protocol import EventType, parse_body  # noqa: E402

ALL_TYPES = frozenset(EventType)
PBX = 908508850000


def realistic_calls(count: int, seed: int = 1) -> Iterator[list[dict[str, Any]]]:
    """Calls as a busy PBX sends them: most answered through menu, group and extension,
    some missed, some outgoing, a few faxes. Each call is its list of event payloads."""
    rng = random.Random(seed)
    now_us = 1_735_000_000_000_000
    for index in range(count):
        uuid = f"{index:08x}-2001-11e5-bdee-{rng.getrandbits(48):012x}"
        caller = 905_320_000_000 + rng.randrange(1_000_000)
        base = {
            "domain_id": 1234,
            "account_id": 5678,
            "caller": caller,
            "callee": PBX,
            "uuid": uuid,
            "direction": "IN",
            "timestamp": now_us + index * 1_000_000,
        }
        kind = rng.random()
        if kind < 0.6:  # answered through the menu
            yield [
                {**base, "event_type": "call_init"},
                {**base, "event_type": "call_init_menu", "destination": 10},
                {**base, "event_type": "call_init_group", "destination": 111},
                {**base, "event_type": "call_init_extension", "destination": 1000},
                {
                    **base,
                    "event_type": "call_hangup",
                    "talk_duration": rng.randrange(5, 600),
                    "hangup_cause": "NORMAL_CLEARING",
                    "hangup_detail": "send_bye",
                    "result_disposition": "SUCCESS",
                    "cdr_url": f"https://oim.bulutfon.com/cdr/{uuid}",
                    "cdr_api_url": f"https://api.bulutfon.com/v2/cdr/{uuid}",
                },
            ]
        elif kind < 0.8:  # missed
            yield [
                {**base, "event_type": "call_init"},
                {**base, "event_type": "call_init_menu", "destination": 10},
                {**base, "event_type": "missing_call"},
            ]
        elif kind < 0.95:  # outgoing
            out = {**base, "caller": PBX, "callee": caller, "direction": "OUT"}
            yield [
                {**out, "event_type": "call_init"},
                {
                    **out,
                    "event_type": "call_hangup",
                    "talk_duration": rng.randrange(0, 300),
                },
            ]
        else:  # fax
            yield [{**base, "event_type": "fax_init"}]


def realistic_bodies(calls: int, seed: int = 1) -> list[bytes]:
    """The mix as JSON request bodies, each call's events in order, calls one after another."""
    return [
        json.dumps(event).encode()
        for call in realistic_calls(calls, seed)
        for event in call
    ]


@dataclass(frozen=True, slots=True)
class CoreResult:
    """Throughput of the pure core."""

    events: int
    parse_per_s: float
    parse_and_track_per_s: float
    json_loads_per_s: float


def bench_core(calls: int = 20_000, rounds: int = 5) -> CoreResult:
    """Events per second on one core: parse alone, parse + call model, and a baseline of
    bare json.loads on the same bodies (the floor any Python parser stands on)."""
    bodies = realistic_bodies(calls)
    received = datetime.now(UTC)

    def best(run: Any) -> float:
        times = []
        for _ in range(rounds):
            gc.collect()
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return len(bodies) / min(times)

    def loads() -> None:
        for body in bodies:
            json.loads(body)

    def parse() -> None:
        for body in bodies:
            parse_body(body, "application/json")

    def parse_and_track() -> None:
        tracker = CallTracker()
        now = 0.0
        for body in bodies:
            now += 0.001
            tracker.receive(
                parse_body(body, "application/json"),
                selected=ALL_TYPES,
                now=now,
                received_at=received,
            )

    return CoreResult(
        events=len(bodies),
        json_loads_per_s=best(loads),
        parse_per_s=best(parse),
        parse_and_track_per_s=best(parse_and_track),
    )


def bench_memory(events: int = 1_000_000) -> tuple[float, float]:
    """Call-model memory (MB) after `events` events with distinct uuids, and after a tenth
    of them (flat memory: both about equal)."""
    received = datetime.now(UTC)
    template = parse_body(
        b'{"event_type":"call_init","caller":90532000000,"callee":908508850000,'
        b'"uuid":"x","direction":"IN","timestamp":1435762851086820}'
    )
    gc.collect()
    tracemalloc.start()
    tracker = CallTracker()
    sizes = []
    for index in range(events):
        event = template._replace(uuid=f"f615986c-2001-11e5-bdee-{index:012x}")
        tracker.receive(
            event, selected=ALL_TYPES, now=index * 0.01, received_at=received
        )
        if index + 1 in (events // 10, events):
            gc.collect()
            sizes.append(tracemalloc.get_traced_memory()[0] / 1e6)
    tracemalloc.stop()
    return sizes[0], sizes[1]
