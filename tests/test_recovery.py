"""Tests for the recovery rule (pure): which API call records are applied, exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json

from custom_components.bulutfon.calls import CallTracker, Status
from custom_components.bulutfon.hipcall import event_from_call_record
from custom_components.bulutfon.protocol import BulutfonEvent, EventType
from custom_components.bulutfon.recovery import (
    KEPT,
    MAX_AGE,
    MAX_CALLS,
    SETTLE,
    RecoveryLedger,
)
from custom_components.bulutfon.wording import logbook_message

from .fake_hipcall import call_record

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DOWN = NOW - timedelta(hours=2)  # the last time the line ran
SELECTED = frozenset(EventType)


def ledger() -> RecoveryLedger:
    return RecoveryLedger(floor=DOWN)


def test_ended_calls_since_the_floor_are_recovered_oldest_first() -> None:
    records = [
        call_record(NOW - timedelta(minutes=30), uuid="b"),
        call_record(NOW - timedelta(minutes=90), uuid="a", missed=True),
        call_record(NOW - timedelta(minutes=5), uuid="ringing", ended=False),
        call_record(DOWN - timedelta(minutes=10), uuid="before"),  # ended before
    ]
    plan = ledger().plan(records, NOW)
    assert [event.uuid for event in plan.events] == ["a", "b"]
    assert all(event.replayed for event in plan.events)
    assert plan.events[0].type is EventType.MISSING_CALL
    assert not plan.pending


def test_a_long_call_that_ended_after_the_floor_is_asked_for() -> None:
    book = ledger()
    assert book.since(NOW) < DOWN
    assert book.since(NOW) >= NOW - MAX_AGE
    long_call = call_record(DOWN - timedelta(minutes=20), uuid="long", talk=3600)
    assert [event.uuid for event in book.plan([long_call], NOW).events] == ["long"]


def test_applied_calls_are_not_recovered_again() -> None:
    book = ledger()
    record = call_record(NOW - timedelta(minutes=30), uuid="pushed")
    event = event_from_call_record(record)
    assert event is not None
    assert event.timestamp is not None
    book.note("pushed", event.timestamp, NOW)  # its webhook came
    assert book.plan([record], NOW).events == []


def test_a_fresh_end_is_left_to_its_webhook() -> None:
    fresh = call_record(NOW - timedelta(seconds=80), uuid="fresh", talk=10, ring=5)
    plan = ledger().plan([fresh], NOW)
    assert plan.events == []
    assert plan.pending
    later = ledger().plan([fresh], NOW + SETTLE)
    assert [event.uuid for event in later.events] == ["fresh"]


def test_at_most_a_day_and_a_bounded_number() -> None:
    book = RecoveryLedger(floor=NOW - timedelta(days=3))
    old = call_record(NOW - MAX_AGE - timedelta(minutes=5), uuid="old")
    many = [
        call_record(NOW - timedelta(hours=5, seconds=-30 * index), uuid=f"c{index}")
        for index in range(MAX_CALLS + 50)
    ]
    plan = book.plan([old, *many], NOW)
    assert len(plan.events) == MAX_CALLS
    assert plan.events[-1].uuid == f"c{MAX_CALLS + 49}"  # the newest are kept
    assert "old" not in {event.uuid for event in plan.events}


def test_repeats_and_garbage_in_one_answer() -> None:
    record = call_record(NOW - timedelta(minutes=30), uuid="same")
    plan = ledger().plan(
        [record, dict(record), "garbage", None, {"uuid": None}, {"ended_at": "x"}],
        NOW,
    )
    assert [event.uuid for event in plan.events] == ["same"]


def test_the_ledger_survives_a_restart_and_bad_data() -> None:
    book = ledger()
    book.note("x", NOW - timedelta(minutes=10), NOW)
    book.recovered_now(3, NOW)
    stored = json.loads(json.dumps(book.as_dict()))
    again = RecoveryLedger.from_dict(stored, NOW)
    assert again.floor == DOWN
    assert again.applied("x", NOW - timedelta(minutes=10))
    assert (again.recovered, again.last_recovered) == (3, 3)
    assert again.last_recovery == NOW
    for bad in (None, [], {"floor": "soon"}, {"floor": (NOW + MAX_AGE).isoformat()}):
        fresh = RecoveryLedger.from_dict(bad, NOW)
        assert fresh.floor == NOW  # nothing before now is recovered: never twice
        assert fresh.seen == {}
    odd = RecoveryLedger.from_dict(
        {
            "floor": DOWN.isoformat(),
            "seen": [["a", "x"], [1, 2], "z", ["\ud800", DOWN.timestamp()], ["y", 5.0]],
        },
        NOW,
    )
    assert list(odd.seen) == ["\ufffd"]


def test_the_ledger_is_bounded_and_forgotten_calls_stay_applied() -> None:
    book = ledger()
    for index in range(KEPT + 10):
        book.note(f"c{index}", DOWN + timedelta(seconds=index), NOW)
    assert len(book.seen) == KEPT
    assert book.floor == DOWN + timedelta(seconds=9)
    assert book.applied("c3", DOWN + timedelta(seconds=3))


def tracker_with(*events_and_today: tuple[object, bool]) -> CallTracker:
    tracker = CallTracker()
    tracker.new_day(NOW.date())
    for event, today in events_and_today:
        tracker.receive(
            event,  # type: ignore[arg-type]
            selected=SELECTED,
            now=NOW.timestamp(),
            received_at=NOW,
            count_today=today,
        )
    return tracker


def replayed(record: dict[str, object]):  # type: ignore[no-untyped-def]
    event = event_from_call_record(record)
    assert event is not None
    return event._replace(replayed=True)


def test_a_recovered_missed_call_counts_and_yesterdays_not_today() -> None:
    yesterday = replayed(call_record(NOW - timedelta(hours=14), uuid="y", missed=True))
    today = replayed(call_record(NOW - timedelta(hours=1), uuid="t", missed=True))
    tracker = tracker_with((yesterday, False), (today, True))
    assert tracker.status.missed_calls == 2
    assert tracker.today.missed_calls == 1
    assert tracker.status.last_missed_caller is not None
    assert tracker.status.last_missed_caller.uuid == "t"


def test_a_recovered_call_never_replaces_a_newer_value() -> None:
    live = event_from_call_record(
        call_record(NOW - timedelta(minutes=5), uuid="live", missed=True)
    )
    older = replayed(
        call_record(
            NOW - timedelta(minutes=50), uuid="old", missed=True, caller="+905550000000"
        )
    )
    assert live is not None
    start = BulutfonEvent(
        "call_init",
        EventType.CALL_INIT,
        uuid="live",
        caller=live.caller,
        direction="IN",
        timestamp=NOW - timedelta(minutes=5),
        answered=False,
    )
    tracker = tracker_with((start, True), (live, True), (older, True))
    assert tracker.status.missed_calls == 2
    assert tracker.status.last_missed_caller is not None
    assert tracker.status.last_missed_caller.uuid == "live"
    assert tracker.status.last_caller is not None
    assert tracker.status.last_caller.uuid == "live"


def test_a_recovered_answered_call_is_the_last_caller_and_duration() -> None:
    event = replayed(call_record(NOW - timedelta(minutes=30), uuid="a", talk=75))
    tracker = CallTracker()
    tracker.new_day(NOW.date())
    outcome = tracker.receive(
        event, selected=SELECTED, now=NOW.timestamp(), received_at=NOW
    )
    assert {Status.LAST_CALLER, Status.LAST_CALL_DURATION} <= outcome.changed
    assert tracker.status.last_call is not None
    assert tracker.status.last_call.talk_duration == 75
    assert tracker.today.answered_calls == 1
    assert tracker.today.incoming_calls == 1


def test_webhook_and_api_race_for_one_call_counts_it_once() -> None:
    record = call_record(NOW - timedelta(minutes=30), uuid="race", missed=True)
    pushed = event_from_call_record(record)
    assert pushed is not None
    for first, second in ((pushed, replayed(record)), (replayed(record), pushed)):
        tracker = CallTracker()
        tracker.receive(first, selected=SELECTED, now=0, received_at=NOW)
        outcome = tracker.receive(second, selected=SELECTED, now=0, received_at=NOW)
        assert outcome.duplicate
        assert tracker.status.missed_calls == 1


def test_the_logbook_says_a_call_was_recovered() -> None:
    data = {"type": "missing_call", "caller": "905551112233", "replayed": True}
    assert logbook_message(data, "en").endswith("(recovered from Hipcall afterwards)")
    assert logbook_message(data, "tr").endswith("(sonradan Hipcall'dan alındı)")  # noqa: RUF001
    assert "recovered" not in logbook_message({**data, "replayed": None}, "en")
