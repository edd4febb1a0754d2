"""Tests for the call model: active calls, missed calls, repeats and what each event changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
import pytest

from custom_components.bulutfon.calls import (
    CallInfo,
    CallResult,
    CallTracker,
    Outcome,
    Status,
    record_as_dict,
    record_from_dict,
    record_from_state,
)
from custom_components.bulutfon.protocol import (
    END_TYPES,
    START_TYPES,
    BulutfonEvent,
    EventType,
    event_from_mapping,
    parse_body,
)

from .vendor import VENDOR_EXAMPLES

ALL = frozenset(EventType)
NONE: frozenset[EventType] = frozenset()
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
# On classic Bulutfon the call state moves exactly when the line busy does (idle <-> in call).
LINE = {Status.ACTIVE_CALLS, Status.LINE_BUSY, Status.CALL_STATE}
INCOMING = Status.INCOMING_CALLS_TODAY
OUTGOING = Status.OUTGOING_CALLS_TODAY
ANSWERED = Status.ANSWERED_CALLS_TODAY
MISSED_TODAY = Status.MISSED_CALLS_TODAY
TALK_TIME = Status.TALK_TIME_TODAY
TODAY = {INCOMING, OUTGOING, ANSWERED, MISSED_TODAY, TALK_TIME}

# Sorted: a frozenset's order follows the hash seed, and pytest-xdist needs one order.
START_NAMES = sorted(kind.value for kind in START_TYPES)


def event(kind: str, uuid: str | None = "u1", **fields: Any) -> BulutfonEvent:
    """An event as protocol.py would make it; the type may be an alias or unknown."""
    data = {
        "event_type": kind,
        "uuid": uuid,
        "caller": "905320000001",
        "direction": "IN",
    }
    data.update(fields)
    return event_from_mapping(data)


def feed(
    tracker: CallTracker,
    item: BulutfonEvent,
    *,
    selected: frozenset[EventType] = ALL,
    now: float = 0.0,
) -> Outcome:
    """Hand one event to the tracker, received `now` seconds after T0."""
    return tracker.receive(
        item, selected=selected, now=now, received_at=T0 + timedelta(seconds=now)
    )


# --- one call -----------------------------------------------------------------------------


def test_start_makes_the_line_busy() -> None:
    """A call start: one active call, a busy line, the caller shown, one call in today."""
    tracker = CallTracker()
    assert (tracker.active_calls, tracker.line_busy) == (0, False)
    outcome = feed(tracker, event("call_init"))
    assert outcome == Outcome(
        duplicate=False, changed=frozenset({*LINE, Status.LAST_CALLER, INCOMING})
    )
    assert tracker.today.incoming_calls == 1
    assert (tracker.active_calls, tracker.line_busy) == (1, True)
    assert tracker.status.last_caller == CallInfo(
        caller="905320000001", direction="IN", time=T0, uuid="u1"
    )


@pytest.mark.parametrize(
    "kind", [*START_NAMES, "incoming_call_extension", "call_init_manu"]
)
def test_every_start_type_starts_a_call(kind: str) -> None:
    """A call may first be heard of at an extension, group or menu (call_init not selected)."""
    tracker = CallTracker()
    assert Status.ACTIVE_CALLS in feed(tracker, event(kind)).changed
    assert tracker.active_calls == 1


def test_menu_group_and_extension_do_not_double_count() -> None:
    """One call walking through menu, group and extension is still one active call."""
    tracker = CallTracker()
    feed(tracker, event("call_init"))
    for kind, destination in (
        ("call_init_menu", "10"),
        ("incoming_call_group", "111"),
        ("incoming_call_extension", "1000"),
    ):
        outcome = feed(tracker, event(kind, destination=destination))
        assert not outcome.duplicate
        assert outcome.changed == {Status.LAST_CALLER}
        assert tracker.active_calls == 1
        assert tracker.today.incoming_calls == 1
        assert tracker.status.last_caller is not None
        assert tracker.status.last_caller.destination == destination


def test_start_repeating_the_same_facts_changes_nothing() -> None:
    """A menu event with nothing new for the last caller writes no entity."""
    tracker = CallTracker()
    feed(tracker, event("call_init"))
    assert feed(tracker, event("call_init_menu")) == Outcome(
        duplicate=False, changed=frozenset()
    )


def test_hangup_ends_the_call() -> None:
    """A hangup frees the line and reports the call's talk time."""
    tracker = CallTracker()
    feed(tracker, event("call_init"))
    outcome = feed(
        tracker,
        event(
            "call_hangup",
            talk_duration=35,
            hangup_cause="NORMAL_CLEARING",
            hangup_detail="send_bye",
            result_disposition="SUCCESS",
            timestamp=1614261582000000,
        ),
        now=40,
    )
    assert outcome.changed == {*LINE, Status.LAST_CALL_DURATION, TALK_TIME, ANSWERED}
    assert (tracker.active_calls, tracker.line_busy) == (0, False)
    assert (tracker.today.answered_calls, tracker.today.talk_time) == (1, 35)
    assert tracker.status.last_call == CallResult(
        talk_duration=35,
        caller="905320000001",
        hangup_cause="NORMAL_CLEARING",
        hangup_detail="send_bye",
        result_disposition="SUCCESS",
        time=datetime(2021, 2, 25, 13, 59, 42, tzinfo=UTC),
        uuid="u1",
    )


def test_missed_call_ends_the_call_and_is_counted() -> None:
    """An unanswered call frees the line, counts as missed and shows who it was."""
    tracker = CallTracker()
    feed(tracker, event("call_init"))
    outcome = feed(tracker, event("missing_call", caller="905559998877"), now=20)
    assert outcome.changed == {
        *LINE,
        Status.MISSED_CALLS,
        Status.LAST_MISSED_CALLER,
        MISSED_TODAY,
    }
    assert (tracker.active_calls, tracker.line_busy) == (0, False)
    assert tracker.status.missed_calls == tracker.today.missed_calls == 1
    missed = tracker.status.last_missed_caller
    assert missed is not None
    assert (missed.caller, missed.uuid, missed.time) == (
        "905559998877",
        "u1",
        T0 + timedelta(seconds=20),
    )
    assert tracker.status.last_call is None


def test_last_missed_caller_keeps_where_the_call_waited() -> None:
    """A missed call says no destination of its own: the group it waited in is kept."""
    tracker = CallTracker()
    feed(tracker, event("call_init"))
    feed(tracker, event("call_init_group", destination="112"), now=2)
    feed(tracker, event("missing_call"), now=30)
    missed = tracker.status.last_missed_caller
    assert missed is not None
    assert missed.destination == "112"


def test_today_counts_answered_incoming_calls_only() -> None:
    """Answered incoming + missed = incoming, as an office reads it; an answered outgoing
    call is an outgoing call, not an answered one."""
    tracker = CallTracker()
    answered = {"result_disposition": "SUCCESS", "talk_duration": 30}
    feed(tracker, event("call_init", "in1"))
    feed(tracker, event("call_hangup", "in1", **answered), now=40)
    feed(tracker, event("call_init", "in2"), now=41)
    feed(tracker, event("missing_call", "in2"), now=60)
    feed(tracker, event("call_init", "out1", direction="OUT"), now=61)
    # Bulutfon's hangup of an outgoing call may not repeat the direction.
    feed(tracker, event("call_hangup", "out1", direction=None, **answered), now=90)
    # A hangup whose start never came counts by its own direction.
    feed(tracker, event("call_hangup", "out2", direction="OUT", **answered), now=95)
    today = tracker.today
    assert (today.incoming_calls, today.answered_calls, today.missed_calls) == (2, 1, 1)
    assert today.incoming_calls == today.answered_calls + today.missed_calls
    assert today.outgoing_calls == 1
    assert today.talk_time == 90


def test_end_before_start_keeps_the_call_ended() -> None:
    """Out of order delivery: a start arriving after its end does not reopen the call."""
    tracker = CallTracker()
    outcome = feed(tracker, event("call_hangup", talk_duration=12))
    assert outcome.changed == {Status.LAST_CALL_DURATION, TALK_TIME}
    for kind in ("call_init", "call_init_extension"):
        outcome = feed(tracker, event(kind, destination="1000"), now=1)
        assert not outcome.duplicate
        assert not outcome.changed & LINE
        assert (tracker.active_calls, tracker.line_busy) == (0, False)


def test_fax_does_not_touch_the_line() -> None:
    """A fax shows its sender but is no call on the line."""
    tracker = CallTracker()
    outcome = feed(tracker, event("fax_init", caller="902120000000"))
    assert outcome.changed == {Status.LAST_FAX_SENDER}
    assert tracker.line_busy is False
    assert tracker.status.last_fax_sender is not None
    assert tracker.status.last_fax_sender.caller == "902120000000"
    assert tracker.status.last_caller is None


def test_unknown_type_changes_nothing() -> None:
    """An event type Bulutfon adds later leaves the model alone and is never a repeat."""
    tracker = CallTracker()
    for _ in range(2):
        assert feed(tracker, event("call_transfer")) == Outcome(
            duplicate=False, changed=frozenset()
        )
    assert tracker.active_calls == 0
    # It left no trace: the call's real start still counts.
    assert Status.ACTIVE_CALLS in feed(tracker, event("call_init")).changed


# --- repeats ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [kind.value for kind in EventType])
def test_repeat_is_a_duplicate_and_changes_nothing(kind: str) -> None:
    """Bulutfon retrying an event: the repeat is reported as such and counts for nothing."""
    tracker = CallTracker()
    feed(tracker, event("call_init", uuid="other"))
    first = feed(tracker, event(kind, talk_duration=9))
    before = (replace(tracker.status), tracker.active_calls, tracker.snapshot())
    assert not first.duplicate
    assert first.changed
    repeat = feed(tracker, event(kind, talk_duration=9, caller="905551234567"), now=5)
    assert repeat == Outcome(duplicate=True, changed=frozenset())
    assert (tracker.status, tracker.active_calls, tracker.snapshot()) == before


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("missing_call", "missed_call"),
        ("call_init_extension", "incoming_call_extension"),
        ("incoming_call_group", "call_init_group"),
        ("call_init_manu", "call_init_menu"),
    ],
)
def test_repeat_under_the_other_spelling_is_a_duplicate(
    first: str, second: str
) -> None:
    """The two spellings of a type are the same type, also for repeats."""
    tracker = CallTracker()
    feed(tracker, event(first))
    assert feed(tracker, event(second)).duplicate


def test_repeated_missed_call_counts_once() -> None:
    """A retried missed call is one missed call."""
    tracker = CallTracker()
    for _ in range(3):
        feed(tracker, event("missing_call", uuid="m1"))
    assert tracker.status.missed_calls == 1


def test_events_without_uuid() -> None:
    """Without a uuid an event is never a repeat, and cannot start or end a call."""
    tracker = CallTracker()
    feed(tracker, event("call_init", uuid="u1"))
    outcome = feed(tracker, event("call_init", uuid=None, caller="905550000000"))
    assert outcome == Outcome(
        duplicate=False, changed=frozenset({Status.LAST_CALLER, INCOMING})
    )
    assert tracker.active_calls == 1

    for count in (1, 2):
        outcome = feed(tracker, event("missing_call", uuid=None))
        assert outcome.duplicate is False
        assert Status.MISSED_CALLS in outcome.changed
        assert tracker.status.missed_calls == count
        assert tracker.active_calls == 1

    feed(tracker, event("call_hangup", uuid=None, talk_duration=3))
    assert tracker.status.last_call is not None
    assert (tracker.active_calls, tracker.line_busy) == (1, True)


# --- what is selected ---------------------------------------------------------------------


def test_line_follows_calls_even_when_not_selected() -> None:
    """The line state and today's figures follow every call whatever the user selected;
    nothing else moves."""
    tracker = CallTracker()
    assert feed(tracker, event("call_init"), selected=NONE).changed == {
        *LINE,
        INCOMING,
    }
    assert feed(tracker, event("call_init", uuid="u2"), selected=NONE).changed == {
        Status.ACTIVE_CALLS,
        INCOMING,
    }
    assert feed(
        tracker, event("call_hangup", talk_duration=5), selected=NONE
    ).changed == {Status.ACTIVE_CALLS, TALK_TIME}
    assert feed(tracker, event("missing_call", uuid="u2"), selected=NONE).changed == {
        *LINE,
        MISSED_TODAY,
    }
    assert (
        feed(tracker, event("fax_init", uuid="f1"), selected=NONE).changed
        == frozenset()
    )
    assert (tracker.active_calls, tracker.line_busy) == (0, False)
    assert tracker.status.last_caller is None
    assert tracker.status.last_call is None
    assert tracker.status.missed_calls == 0
    assert tracker.status.last_missed_caller is None
    assert tracker.status.last_fax_sender is None


def test_only_selected_types_change_the_values() -> None:
    """Selecting only missed calls: starts and hangups move the line but not the last-* values."""
    tracker = CallTracker()
    selected = frozenset({EventType.MISSING_CALL})
    feed(tracker, event("call_init", uuid="a"), selected=selected)
    feed(tracker, event("call_hangup", uuid="a", talk_duration=7), selected=selected)
    feed(tracker, event("missing_call", uuid="b"), selected=selected)
    assert tracker.status.last_caller is None
    assert tracker.status.last_call is None
    assert tracker.status.missed_calls == 1
    assert tracker.status.last_missed_caller is not None


def test_a_not_selected_event_is_still_remembered() -> None:
    """An event is a repeat even if its first delivery was for a type not selected then."""
    tracker = CallTracker()
    feed(tracker, event("missing_call"), selected=NONE)
    assert feed(tracker, event("missing_call")).duplicate
    assert tracker.status.missed_calls == 0


# --- last caller and last call ------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "shown"), [("IN", True), (None, True), ("in", True)]
)
def test_last_caller_for_incoming_calls(direction: str | None, shown: bool) -> None:
    """An incoming call, or one whose direction is not sent, is the last caller."""
    tracker = CallTracker()
    feed(tracker, event("call_init", direction=direction))
    assert (tracker.status.last_caller is not None) is shown


@pytest.mark.parametrize(
    ("direction", "counted"),
    [("OUT", {OUTGOING}), ("out", {OUTGOING}), ("LOCAL", set())],
)
def test_last_caller_not_for_outgoing_calls(
    direction: str, counted: set[Status]
) -> None:
    """Our own outgoing calls (and calls between extensions) are not 'the last caller';
    outgoing ones count as outgoing today, calls between extensions in neither."""
    tracker = CallTracker()
    feed(tracker, event("call_init", uuid="in", caller="905551112233"))
    outcome = feed(
        tracker, event("call_init", uuid="out", direction=direction, caller="1000")
    )
    assert outcome.changed == {Status.ACTIVE_CALLS, *counted}
    assert tracker.today.outgoing_calls == len(counted)
    assert tracker.today.incoming_calls == 1
    assert tracker.status.last_caller is not None
    assert tracker.status.last_caller.caller == "905551112233"


def test_last_call_only_from_hangups_with_a_duration() -> None:
    """The last call's talk time comes only from hangups that carry one; 0 seconds counts."""
    tracker = CallTracker()
    feed(tracker, event("call_hangup", uuid="a", talk_duration=35))
    outcome = feed(tracker, event("call_hangup", uuid="b"))
    assert outcome == Outcome(duplicate=False, changed=frozenset())
    assert feed(tracker, event("missing_call", uuid="c", talk_duration=99)).changed == {
        Status.MISSED_CALLS,
        Status.LAST_MISSED_CALLER,
        MISSED_TODAY,
    }
    assert tracker.status.last_call is not None
    assert tracker.status.last_call.talk_duration == 35
    assert tracker.status.last_call.uuid == "a"

    outcome = feed(tracker, event("call_hangup", uuid="d", talk_duration=0), now=9)
    assert outcome.changed == {Status.LAST_CALL_DURATION}
    assert tracker.status.last_call.talk_duration == 0
    assert tracker.status.last_call.time == T0 + timedelta(
        seconds=9
    )  # no timestamp sent


def test_event_time_prefers_the_sent_timestamp() -> None:
    """The last caller's time is Bulutfon's timestamp when sent, the arrival time otherwise."""
    tracker = CallTracker()
    feed(tracker, event("call_init", uuid="a", timestamp=1435762851086820), now=3)
    assert tracker.status.last_caller is not None
    assert tracker.status.last_caller.time == datetime(
        2015, 7, 1, 15, 0, 51, 86820, tzinfo=UTC
    )
    feed(tracker, event("call_init", uuid="b"), now=3)
    assert tracker.status.last_caller.time == T0 + timedelta(seconds=3)


# --- missed calls and reset ---------------------------------------------------------------


def test_reset_missed_calls() -> None:
    """Reset sets the count to 0; a repeat of an already counted call is not counted again."""
    tracker = CallTracker()
    assert tracker.reset_missed_calls() == frozenset()
    feed(tracker, event("missing_call", uuid="m1"))
    feed(tracker, event("missing_call", uuid="m2"))
    assert tracker.status.missed_calls == 2
    last_missed = tracker.status.last_missed_caller

    assert tracker.reset_missed_calls() == {Status.MISSED_CALLS}
    assert tracker.status.missed_calls == 0
    assert tracker.status.last_missed_caller == last_missed
    assert tracker.reset_missed_calls() == frozenset()

    assert feed(tracker, event("missing_call", uuid="m1")).duplicate
    assert feed(tracker, event("missed_call", uuid="m2")).duplicate
    assert tracker.status.missed_calls == 0
    feed(tracker, event("missing_call", uuid="m3"))
    assert tracker.status.missed_calls == 1


# --- calls whose end never comes ----------------------------------------------------------


def test_stale_call_is_dropped() -> None:
    """A call whose end is lost stops holding the line stale_after seconds after its start."""
    tracker = CallTracker(stale_after=100)
    feed(tracker, event("call_init", uuid="a"), now=1000)
    assert tracker.expire(1099).changed == frozenset()
    assert tracker.active_calls == 1
    assert tracker.expire(1101).changed == LINE
    assert (tracker.active_calls, tracker.line_busy) == (0, False)
    assert tracker.expire(5000).changed == frozenset()
    # Its late hangup still reports the talk time but does not make the count negative.
    outcome = feed(
        tracker, event("call_hangup", uuid="a", talk_duration=4000), now=5000
    )
    assert outcome.changed == {Status.LAST_CALL_DURATION, TALK_TIME}
    assert tracker.active_calls == 0


def test_stale_calls_are_dropped_oldest_first() -> None:
    """Only the calls that are too old go; the line stays busy while a newer call is on."""
    tracker = CallTracker(stale_after=100)
    feed(tracker, event("call_init", uuid="a"), now=0)
    feed(tracker, event("call_init", uuid="b"), now=50)
    # A later menu event of "a" does not make it younger: staleness counts from its first start.
    feed(tracker, event("call_init_menu", uuid="a", destination="10"), now=90)
    assert tracker.expire(120).changed == {Status.ACTIVE_CALLS}
    assert (tracker.active_calls, tracker.line_busy) == (1, True)
    assert tracker.expire(160).changed == LINE
    assert tracker.active_calls == 0


def test_stale_calls_are_dropped_on_the_next_event() -> None:
    """Any later event also clears stale calls, and says so in what it changed."""
    tracker = CallTracker(stale_after=100)
    feed(tracker, event("call_init", uuid="a"), now=0)
    outcome = feed(tracker, event("fax_init", uuid="f"), now=500)
    assert outcome.changed == {*LINE, Status.LAST_FAX_SENDER}
    assert tracker.line_busy is False


# --- bounded memory -----------------------------------------------------------------------


def test_memory_is_bounded() -> None:
    """However many calls come and go, only history_size of them are remembered."""
    tracker = CallTracker(history_size=5)
    for number in range(100):
        feed(tracker, event("call_init", uuid=f"c{number}"), now=number)
        assert tracker.snapshot()["remembered_calls"] <= 5
        assert tracker.active_calls <= 5
    # The 95 calls pushed out of the history no longer hold the line.
    assert tracker.active_calls == 5
    for number in range(95, 100):
        feed(tracker, event("call_hangup", uuid=f"c{number}"), now=200)
    assert (tracker.active_calls, tracker.line_busy) == (0, False)
    assert tracker.snapshot() == {
        "active_calls": 0,
        "remembered_calls": 5,
        "missed_calls": 0,
        "learned_extensions": 0,
        "learned_groups": 0,
        "calls_at_places": 0,
        "calls_past_the_bound": 0,
    }


def test_history_forgets_the_least_recently_heard_call() -> None:
    """A call that is still sending events is not the one forgotten."""
    tracker = CallTracker(history_size=3)
    for uuid in ("a", "b", "c"):
        feed(tracker, event("call_init", uuid=uuid))
    feed(tracker, event("call_init_extension", uuid="a"))
    feed(
        tracker, event("call_init", uuid="d")
    )  # "b" is forgotten, and stops being active
    assert tracker.active_calls == 3
    assert feed(tracker, event("call_init", uuid="a")).duplicate
    assert feed(tracker, event("call_init", uuid="d")).duplicate
    assert not feed(tracker, event("call_init", uuid="b")).duplicate


# --- many calls at once -------------------------------------------------------------------


def test_two_hundred_concurrent_calls() -> None:
    """A busy PBX: the line turns busy once, idle once; the count follows every call."""
    tracker = CallTracker()
    for number in range(200):
        outcome = feed(tracker, event("call_init", uuid=f"c{number}"), selected=NONE)
        assert outcome.changed - TODAY == (
            LINE if number == 0 else {Status.ACTIVE_CALLS}
        )
    assert (tracker.active_calls, tracker.line_busy) == (200, True)
    for number in range(200):
        kind = "call_hangup" if number % 2 else "missing_call"
        outcome = feed(tracker, event(kind, uuid=f"c{number}"), selected=NONE)
        assert outcome.changed - TODAY == (
            LINE if number == 199 else {Status.ACTIVE_CALLS}
        )
        assert tracker.active_calls == 199 - number
    assert tracker.line_busy is False


def test_vendor_examples_as_one_call() -> None:
    """The document's examples, one call's events in order, then all of them again."""
    tracker = CallTracker()
    order = [
        "call_init",
        "call_init_menu",
        "incoming_call_group",
        "incoming_call_extension",
        "call_hangup",
    ]
    active = []
    for name in order:
        outcome = feed(tracker, parse_body(VENDOR_EXAMPLES[name], "application/json"))
        assert not outcome.duplicate
        active.append(tracker.active_calls)
    assert active == [1, 1, 1, 1, 0]
    assert tracker.status.last_caller is not None
    assert tracker.status.last_caller.caller == "90532000000"
    assert tracker.status.last_caller.destination == "1000"
    assert tracker.status.last_call is not None
    assert tracker.status.last_call.talk_duration == 35
    for name in order:
        assert feed(tracker, parse_body(VENDOR_EXAMPLES[name], None)).duplicate


# --- properties ---------------------------------------------------------------------------

UUIDS = ["a", "b", "c", "d", None]
KINDS = [
    *(kind.value for kind in EventType),
    "missed_call",
    "incoming_call_extension",
    "call_init_manu",
    "call_transfer",
]
steps = st.lists(
    st.tuples(
        st.sampled_from(UUIDS),
        st.sampled_from(KINDS),
        st.sets(st.sampled_from(EventType)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_active_calls_follow_starts_and_ends(
    sequence: list[tuple[str | None, str, set[EventType]]],
) -> None:
    """Active calls are those with a start and no end; changed says exactly what moved."""
    tracker = CallTracker()
    started: set[str] = set()
    ended: set[str] = set()
    seen: set[tuple[str, EventType]] = set()
    missed = 0
    for uuid, kind, selected in sequence:
        item = event(kind, uuid=uuid)
        before = (tracker.active_calls, tracker.line_busy)
        outcome = tracker.receive(item, selected=selected, now=0.0, received_at=T0)

        repeat = (
            uuid is not None and item.type is not None and (uuid, item.type) in seen
        )
        assert outcome.duplicate is repeat
        if uuid is not None and item.type is not None:
            seen.add((uuid, item.type))
            if item.type in START_TYPES:
                started.add(uuid)
            if item.type in END_TYPES:
                ended.add(uuid)
        if not repeat and item.type is EventType.MISSING_CALL and item.type in selected:
            missed += 1

        assert tracker.active_calls == len(started - ended) >= 0
        assert tracker.line_busy is (tracker.active_calls > 0)
        assert (Status.ACTIVE_CALLS in outcome.changed) is (
            tracker.active_calls != before[0]
        )
        assert (Status.LINE_BUSY in outcome.changed) is (tracker.line_busy != before[1])
        assert tracker.status.missed_calls == missed


class TrackerMachine(RuleBasedStateMachine):
    """Calls over time, with a clock, lost ends, repeats and resets, against a plain model."""

    STALE = 100.0

    def __init__(self) -> None:
        super().__init__()
        self.tracker = CallTracker(stale_after=self.STALE)
        self.now = 0.0
        self.seen: set[tuple[str, EventType]] = set()
        self.ended: set[str] = set()
        self.active: dict[str, float] = {}  # uuid -> when it became active

    def _expire_model(self) -> None:
        for uuid, since in list(self.active.items()):
            if self.now - since >= self.STALE:
                del self.active[uuid]

    def _check_changed(self, changed: frozenset[Status], before: int) -> None:
        # Never under-reported: an entity whose value moved must be written.
        if self.tracker.active_calls != before:
            assert Status.ACTIVE_CALLS in changed
        if (self.tracker.active_calls > 0) != (before > 0):
            assert Status.LINE_BUSY in changed
        if Status.ACTIVE_CALLS not in changed:
            assert self.tracker.active_calls == before

    @rule(uuid=st.sampled_from(["a", "b", "c"]), kind=st.sampled_from(KINDS))
    def receive(self, uuid: str, kind: str) -> None:
        item = event(kind, uuid=uuid)
        before = self.tracker.active_calls
        outcome = feed(self.tracker, item, now=self.now)
        if item.type is None:
            assert outcome == Outcome(duplicate=False, changed=frozenset())
            return
        repeat = (uuid, item.type) in self.seen
        assert outcome.duplicate is repeat
        if repeat:
            assert outcome.changed == frozenset()
            assert self.tracker.active_calls == before
            return
        self.seen.add((uuid, item.type))
        if (
            item.type in START_TYPES
            and uuid not in self.ended
            and uuid not in self.active
        ):
            self.active[uuid] = self.now
        if item.type in END_TYPES:
            self.ended.add(uuid)
            self.active.pop(uuid, None)
        self._expire_model()
        self._check_changed(outcome.changed, before)

    @rule(seconds=st.sampled_from([1.0, 30.0, 99.0, 100.0, 250.0]))
    def wait(self, seconds: float) -> None:
        self.now += seconds

    @rule()
    def expire(self) -> None:
        before = self.tracker.active_calls
        self._expire_model()
        self._check_changed(self.tracker.expire(self.now).changed, before)

    @precondition(lambda self: self.tracker.status.missed_calls > 0)
    @rule()
    def reset(self) -> None:
        assert self.tracker.reset_missed_calls() == {Status.MISSED_CALLS}

    @invariant()
    def line_matches_model(self) -> None:
        assert self.tracker.active_calls == len(self.active) >= 0
        assert self.tracker.line_busy is bool(self.active)


TrackerMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=30, deadline=None
)
test_tracker_machine = TrackerMachine.TestCase


def test_counted_missed_calls_survive_a_restart() -> None:
    """The uuids counted as missed, handed to a fresh tracker, are not counted again."""
    tracker = CallTracker()
    for uuid in ("a", "b", "c"):
        feed(tracker, event("missing_call", uuid))
    feed(tracker, event("call_init", "d"))
    assert tracker.counted_missed_calls() == ["a", "b", "c"]
    assert tracker.counted_missed_calls(limit=2) == ["b", "c"]

    fresh = CallTracker()
    fresh.remember_missed_calls(["a", "b", "c", 7, None])
    outcome = feed(fresh, event("missing_call", "b"), now=1.0)
    assert outcome.duplicate
    assert fresh.status.missed_calls == 0
    # A start arriving late for a remembered call does not open it either.
    feed(fresh, event("call_init", "c"), now=1.0)
    assert fresh.active_calls == 0
    fresh.remember_missed_calls("not a list")
    assert fresh.snapshot()["remembered_calls"] == 3


# --- saved data read back by the webhook's rule (issue 10) ------------------------------

saved_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(
        st.sampled_from(["\ud800", "\x00", "9", "a", "-", ":", "T"])
        | st.characters(exclude_categories=()),
        max_size=80,
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=8,
)
record_fields = st.dictionaries(
    st.sampled_from(
        ["caller", "callee", "direction", "time", "uuid", "talk_duration", "cdr_url"]
    ),
    saved_values,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([CallInfo, CallResult]), record_fields | saved_values)
def test_any_saved_record_reads_back_storable(kind: type, data: Any) -> None:
    """Whatever was on disk: no record, or one whose text encodes and is bounded."""
    record = record_from_dict(kind, data)
    if record is None:
        return
    for name, value in record_as_dict(record).items():
        if isinstance(value, str):
            value.encode("utf-8")
            assert "\x00" not in value
            assert len(value) <= 512, name
        if name == "talk_duration":
            assert isinstance(value, int)
            assert value >= 0
    # A record survives its own round trip unchanged.
    assert record_from_dict(kind, record_as_dict(record)) == record


def test_saved_time_without_zone_is_utc_and_bad_time_is_left_out() -> None:
    """A naive time is read as UTC; one that is no time is dropped, the rest kept."""
    naive = record_from_dict(CallInfo, {"caller": "1", "time": "2026-01-02T03:04:05"})
    assert naive is not None
    assert naive.time == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    bad = record_from_dict(CallInfo, {"caller": "1", "time": "yesterday"})
    assert bad == CallInfo(caller="1")


def test_record_from_state_reads_what_the_entity_showed() -> None:
    """The state Home Assistant kept: digits as the state (0.1.0), or a `caller`
    attribute beside a name; lower-case codes back in Bulutfon's case."""
    old = record_from_state(CallInfo, "905551112233", {"direction": "IN"})
    assert old == CallInfo(caller="905551112233", direction="IN")
    named = record_from_state(
        CallInfo, "Ayşe Kaya", {"caller": "905551112233", "direction": "in"}
    )
    assert named == CallInfo(caller="905551112233", direction="IN")
    assert record_from_state(CallInfo, "Ayşe Kaya", {}) is None
    result = record_from_state(
        CallResult,
        "125",
        {"hangup_cause": "normal_clearing", "hangup_detail": "send_bye"},
    )
    assert result is not None
    assert result.talk_duration == 125
    assert result.hangup_cause == "NORMAL_CLEARING"
    assert result.hangup_detail == "send_bye"
    assert record_from_state(CallResult, "-1", {}) is None
