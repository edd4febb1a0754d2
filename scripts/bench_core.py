"""Benchmarks of the pure core: parse + call model throughput, and call-model memory.

Run through scripts/bench (which prints every figure with its target). Importable, so the
end-to-end benchmark shares the realistic event mix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
import gc
import json
from pathlib import Path
import random
import sys
import time
import tracemalloc
from typing import Any, Final

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from simulate_hipcall import build_hipcall_scenario  # noqa: E402

from custom_components.bulutfon.calls import CallTracker  # noqa: E402
from custom_components.bulutfon.hipcall import parse_hipcall_body  # noqa: E402
from custom_components.bulutfon.places import CallPlaces  # noqa: E402
from custom_components.bulutfon.protocol import (  # noqa: E402
    BulutfonEvent,
    EventType,
    parse_body,
)

ALL_TYPES = frozenset(EventType)
PBX = 908508850000


EXTENSIONS = 12
"""Extensions the realistic mix reaches (1001...), as in a small office."""
GROUPS = (111, 112, 113)
"""Ring groups the realistic mix reaches."""


def realistic_calls(count: int, seed: int = 1) -> Iterator[list[dict[str, Any]]]:
    """Calls as a busy PBX sends them: most answered through menu, one of three ring
    groups and one of twelve extensions (one in eight then transferred to another
    extension), some missed while waiting in a group, some outgoing, a few faxes. Each
    call is its list of event payloads."""
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
        group = rng.choice(GROUPS)
        extension = 1001 + rng.randrange(EXTENSIONS)
        if kind < 0.6:  # answered through the menu
            transfer = (
                [
                    {
                        **base,
                        "event_type": "call_init_extension",
                        "destination": 1001 + (extension - 1000) % EXTENSIONS,
                    }
                ]
                if rng.random() < 0.125
                else []
            )
            yield [
                {**base, "event_type": "call_init"},
                {**base, "event_type": "call_init_menu", "destination": 10},
                {**base, "event_type": "call_init_group", "destination": group},
                {**base, "event_type": "call_init_extension", "destination": extension},
                *transfer,
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
        elif kind < 0.8:  # missed while waiting in a group
            yield [
                {**base, "event_type": "call_init"},
                {**base, "event_type": "call_init_menu", "destination": 10},
                {**base, "event_type": "call_init_group", "destination": group},
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


HIPCALL_MIX: Final = (("answered", 0.6), ("missed", 0.2), ("outgoing", 0.15))
"""The Hipcall mix: answered through a team by one of five users, missed, outgoing; the
rest leave a voicemail."""


def realistic_hipcall_calls(
    count: int, seed: int = 1
) -> Iterator[list[dict[str, Any]]]:
    """Hipcall calls as its webhook sends them (whole call records, about 1.3 KB each),
    from scripts/simulate_hipcall.py. Each call is its list of request payloads."""
    rng = random.Random(seed)
    now_us = 1_735_000_000_000_000
    for index in range(count):
        pick = rng.random()
        name = "voicemail"
        for scenario, share in HIPCALL_MIX:
            if pick < share:
                name = scenario
                break
            pick -= share
        (call,) = build_hipcall_scenario(
            name,
            caller=905_320_000_000 + rng.randrange(1_000_000),
            now_us=now_us + index * 1_000_000,
            rng=rng,
            user=12 + rng.randrange(5),
        )
        yield call


def realistic_hipcall_bodies(calls: int, seed: int = 1) -> list[bytes]:
    """The Hipcall mix as JSON request bodies, each call's events in order."""
    return [
        json.dumps(event).encode()
        for call in realistic_hipcall_calls(calls, seed)
        for event in call
    ]


@dataclass(frozen=True, slots=True)
class CoreResult:
    """Throughput of the pure core."""

    events: int
    parse_per_s: float
    parse_and_track_per_s: float
    json_loads_per_s: float

    @property
    def parse_and_track_us(self) -> float:
        """Microseconds per event, parse + call model."""
        return 1e6 / self.parse_and_track_per_s


type Parser = Callable[[bytes, str | None], BulutfonEvent | None]


def bench_core(
    calls: int = 20_000, rounds: int = 5, *, platform: str = "bulutfon"
) -> CoreResult:
    """Events per second on one core: parse alone, parse + call model, and a baseline of
    bare json.loads on the same bodies (the floor any Python parser stands on). The
    classic mix, or with `platform` "hipcall" the Hipcall mix through its parser."""
    hipcall = platform == "hipcall"
    bodies = realistic_hipcall_bodies(calls) if hipcall else realistic_bodies(calls)
    parse_body_of: Parser = parse_hipcall_body if hipcall else parse_body
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
            parse_body_of(body, "application/json")

    def parse_and_track() -> None:
        tracker = CallTracker()
        now = 0.0
        for body in bodies:
            now += 0.001
            event = parse_body_of(body, "application/json")
            assert event is not None
            tracker.receive(
                event,
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


def bench_memory(events: int = 1_000_000) -> tuple[float, float, dict[str, int]]:
    """Call-model memory (MB) after `events` events, and after a tenth of them (flat
    memory: both about equal), with what the line learned.

    Every call has a new uuid and reaches a group then an extension, each one of 100,000
    numbers: far more than the line learns (places.py bounds them)."""
    received = datetime.now(UTC)
    template = parse_body(
        b'{"event_type":"call_init_group","caller":90532000000,"callee":908508850000,'
        b'"uuid":"x","direction":"IN","timestamp":1435762851086820}'
    )
    extension = template._replace(
        event_type="call_init_extension", type=EventType.CALL_INIT_EXTENSION
    )
    gc.collect()
    tracemalloc.start()
    # The worst case: both bounds filled (a webhook's hourly limit on new places lifted).
    tracker = CallTracker(places=CallPlaces(per_hour=events))
    sizes = []
    for index in range(events):
        uuid = f"f615986c-2001-11e5-bdee-{index // 2:012x}"
        kind = extension if index % 2 else template
        event = kind._replace(uuid=uuid, destination=str(index % 100_000))
        tracker.receive(
            event, selected=ALL_TYPES, now=index * 0.01, received_at=received
        )
        if index + 1 in (events // 10, events):
            gc.collect()
            sizes.append(tracemalloc.get_traced_memory()[0] / 1e6)
    tracemalloc.stop()
    return sizes[0], sizes[1], tracker.snapshot()
