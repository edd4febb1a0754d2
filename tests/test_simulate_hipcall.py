"""Tests of `scripts/simulate --platform hipcall` against a real local aiohttp server, and of
what its requests mean to the integration's own parser and call model."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import itertools
import json
import random
import time
from typing import Any

import pytest

from custom_components.bulutfon.calls import CallState, CallTracker
from custom_components.bulutfon.hipcall import parse_hipcall_body
from custom_components.bulutfon.protocol import BulutfonEvent, EventType

from .test_hipcall import CALL_FIELDS, OLD_FIELDS
from .test_simulate import Recorder, server, simulate

__all__ = ["server"]  # the fixture, shared with test_simulate.py

pytestmark = pytest.mark.usefixtures("socket_enabled")

NOW_US = 1_731_840_060_000_000  # 2024-11-17T10:41:00Z, the vendor's example day


async def _run(url: str, scenario: str, **kwargs: object) -> Any:
    """Run the blocking simulator off the event loop that serves the requests."""
    kwargs.setdefault("pace", 0)
    kwargs.setdefault("use_proxy", False)
    kwargs.setdefault("platform", "hipcall")
    return await asyncio.to_thread(simulate.run, url, scenario, **kwargs)


async def _main(*argv: str) -> int:
    return await asyncio.to_thread(simulate.main, list(argv))


def _events(payloads: list[dict[str, Any]]) -> list[BulutfonEvent]:
    """What the integration reads from the requests (each must be a call event)."""
    events = []
    for payload in payloads:
        event = parse_hipcall_body(json.dumps(payload).encode(), "application/json")
        assert event is not None, payload["event"]
        events.append(event)
    return events


def _replay(events: list[BulutfonEvent]) -> CallTracker:
    tracker = CallTracker()
    for now, event in enumerate(events):
        tracker.receive(
            event,
            selected=frozenset(EventType),
            now=float(now),
            received_at=datetime.now(UTC),
        )
    return tracker


async def test_answered_call_over_http(server: Recorder) -> None:
    """answered: init, bridged, hangup of one call, as JSON without credentials, every field
    of Hipcall's call record present, times of the moment they are sent."""
    before = datetime.now(UTC).replace(microsecond=0)
    summary = await _run(server.url, "answered")
    after = datetime.now(UTC) + timedelta(seconds=1)

    assert summary.ok
    assert (summary.requests, summary.calls) == (3, 1)
    assert {item.content_type for item in server.received} == {"application/json"}
    assert {item.authorization for item in server.received} == {None}
    payloads = server.payloads()
    assert [p["event"] for p in payloads] == [
        "call_init",
        "call_bridged",
        "call_hangup",
    ]
    datas: list[dict[str, Any]] = [p["data"] for p in payloads]  # type: ignore[misc]
    assert all(set(data) == set(CALL_FIELDS) for data in datas)
    assert len({data["uuid"] for data in datas}) == 1
    assert datas[0]["caller_number"] == "+905321234567"
    assert datas[0]["callee_number"] == "+908508850000"
    # Live: each event's own moment is when it was sent.
    init, bridged, hangup = _events(payloads)
    for event in (init, bridged, hangup):
        assert event.timestamp is not None
        assert before <= event.timestamp <= after
    assert hangup.talk_duration is not None
    assert hangup.talk_duration >= 15  # the scripted talk survives the shift
    assert hangup.record_url is not None
    assert (init.team_id, bridged.user_id, hangup.answered) == ("7", "12", True)
    assert "call_bridged" in summary.results[1].line()


async def test_all_plays_every_scenario_both_envelopes(server: Recorder) -> None:
    """all: every Hipcall scenario; the integration's model ends idle with the day's
    figures of eight calls (one outgoing, one internal), repeats and late events included."""
    summary = await _run(server.url, "all", seed=5)
    assert summary.ok
    payloads = server.payloads()
    names = [p["event"] for p in payloads]
    assert names.count("call::init") == names.count("call::hangup") == 1
    old = [p for p in payloads if "::" in str(p["event"])]
    assert all(set(p["data"]) == set(OLD_FIELDS) for p in old)  # type: ignore[arg-type]
    events = _events(payloads)
    uuids = [event.uuid for event in events]
    assert len(set(uuids)) == summary.calls == 9
    # Repeated deliveries: the same request (times and all) twice in a row.
    assert any(a == b for a, b in itertools.pairwise(payloads))
    # Out of order: an answer before its init, a hangup before its init.
    kinds = [(event.uuid, event.type) for event in events]
    for uuid in set(uuids):
        types = [kind for call, kind in kinds if call == uuid]
        if types[0] in (EventType.CALL_ANSWERED, EventType.MISSING_CALL):
            assert EventType.CALL_INIT in types[1:]
    assert {event.direction for event in events} == {"IN", "OUT", "LOCAL"}
    assert any(event.voicemail_url for event in events)

    tracker = _replay(events)
    assert tracker.call_state is CallState.IDLE
    today = tracker.today
    assert (today.incoming_calls, today.outgoing_calls) == (7, 1)
    # Answered counts incoming calls only (issue 20): the outgoing and the internal call that
    # were answered are not among them, and the 2023-envelope call never says.
    assert (today.answered_calls, today.missed_calls) == (3, 3)
    assert tracker.status.missed_calls == 3


async def test_scripted_timestamps_are_kept(server: Recorder) -> None:
    """--scripted-timestamps sends the scenario's own timeline."""
    built = simulate.build_hipcall_scenario(
        "missed", now_us=NOW_US, rng=random.Random(1)
    )
    summary = await asyncio.to_thread(
        simulate.play, server.url, built, pace=0, use_proxy=False, live_timestamps=False
    )
    assert summary.ok
    assert server.payloads() == built[0]


def test_live_times_move_together() -> None:
    """Sending now moves every time of a record alike: durations stay as scripted."""
    ((_, _, hangup),) = simulate.build_hipcall_scenario(
        "answered", now_us=NOW_US, rng=random.Random(2)
    )
    now_us = time.time_ns() // 1000
    moved = simulate.restamp(hangup, now_us)
    (scripted, live) = _events([hangup, moved])
    assert scripted.talk_duration == live.talk_duration
    assert live.timestamp is not None
    assert abs(live.timestamp.timestamp() - now_us / 1e6) < 1
    assert scripted.timestamp is not None
    step = (live.timestamp - scripted.timestamp).total_seconds()
    flows = (hangup["data"]["call_flow"], moved["data"]["call_flow"])
    for before, after in zip(*flows, strict=True):
        assert abs(after["timestamp"] - before["timestamp"] - step) <= 1


def test_build_hipcall_scenario() -> None:
    """The payloads themselves: reproducible from a seed, sane for every scenario."""
    built = simulate.build_hipcall_scenario("all", now_us=NOW_US, rng=random.Random(7))
    assert built == simulate.build_hipcall_scenario(
        "all", now_us=NOW_US, rng=random.Random(7)
    )
    assert built[0][0]["data"]["started_at"] == "2024-11-17T10:41:00Z"
    for call in built:
        assert len({p["data"]["uuid"] for p in call}) == 1
    for name in simulate.HIPCALL_SINGLE_SCENARIOS:
        for call in simulate.build_hipcall_scenario(name, rng=random.Random(3)):
            _events(call)
    burst = simulate.build_hipcall_scenario("burst", calls=7, rng=random.Random(1))
    assert len({call[0]["data"]["uuid"] for call in burst}) == 7
    users = {event.user_id for call in burst for event in _events(call)}
    assert users - {None} == {"12", "13", "14", "15", "16"}
    with pytest.raises(ValueError, match="unknown Hipcall scenario"):
        simulate.build_hipcall_scenario("fax")
    with pytest.raises(ValueError, match="caller"):
        simulate.build_hipcall_scenario("answered", caller="+90532")


async def test_cli_plays_hipcall(
    server: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line: --platform hipcall, one line per request, exit status 0."""
    code = await _main(
        server.url, "voicemail", "--platform", "hipcall", "--pace", "0", "--no-proxy"
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "(Hipcall)" in out
    assert out.count("-> 200") == 2
    assert "+905321234567" in out
    assert [p["event"] for p in server.payloads()] == ["call_init", "call_hangup"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--platform", "hipcall", "fax"],
        ["--platform", "hipcall", "route"],
        ["--platform", "hipcall", "answered", "--format", "form"],
        ["--platform", "hipcall", "answered", "--username", "x"],
        ["--platform", "bulutfon", "voicemail"],
        ["old_envelope"],  # the default platform is classic
        ["--platform", "skype"],
    ],
)
def test_cli_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """What Hipcall cannot do (or classic has no scenario for) is a usage error: exit 2."""
    assert simulate.main(["http://127.0.0.1:1/hook", *argv]) == 2
    assert "error" in capsys.readouterr().err
