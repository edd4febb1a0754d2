"""Tests for where calls are (extensions, ring groups), transfers, and today's figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.bulutfon.calls import CallTracker, Outcome, Status
from custom_components.bulutfon.daily import DailyCounts
from custom_components.bulutfon.places import (
    CallPlaces,
    Place,
    PlaceKind,
    Visit,
    destination_number,
)
from custom_components.bulutfon.protocol import BulutfonEvent, event_from_mapping

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
EXT_1001 = Place(PlaceKind.EXTENSION, "1001")
EXT_1002 = Place(PlaceKind.EXTENSION, "1002")
GROUP_111 = Place(PlaceKind.GROUP, "111")
MENU_10 = Place(PlaceKind.MENU, "10")


def event(kind: str, uuid: str | None = "u1", **fields: Any) -> BulutfonEvent:
    """An event as protocol.py makes it."""
    return event_from_mapping(
        {"event_type": kind, "uuid": uuid, "caller": "905320000001", **fields}
    )


def feed(tracker: CallTracker, item: BulutfonEvent, now: float = 0.0) -> Outcome:
    """Hand one event to the tracker (everything selected), `now` seconds after T0."""
    return tracker.receive(
        item,
        selected=frozenset(),
        now=now,
        received_at=T0 + timedelta(seconds=now),
    )


def at(kind: str, destination: str | None, uuid: str = "u1", **fields: Any) -> Any:
    """A "reached" event: call_init_extension / _group / _menu with a destination."""
    return event(f"call_init_{kind}", uuid, destination=destination, **fields)


def where(tracker: CallTracker) -> dict[Place, int]:
    """Calls at every learned extension and group."""
    places = tracker.places
    return {
        place: places.calls_at(place)
        for kind in (PlaceKind.EXTENSION, PlaceKind.GROUP)
        for place in places.learned(kind)
    }


# --- reaching places ----------------------------------------------------------------------


def test_first_call_at_an_extension_learns_it() -> None:
    """The first call to reach extension 1001 learns it and puts the call there."""
    tracker = CallTracker()
    feed(tracker, event("call_init"))
    outcome = feed(tracker, at("extension", "1001"), now=5)
    assert outcome.learned == (EXT_1001,)
    assert outcome.places == {EXT_1001}
    assert where(tracker) == {EXT_1001: 1}
    assert tracker.places.latest_at(EXT_1001) == Visit(
        "905320000001", T0 + timedelta(seconds=5)
    )
    # A second call there is no new place; Bulutfon's timestamp says since when.
    outcome = feed(
        tracker, at("extension", "1001", uuid="u2", timestamp=1435762851086820)
    )
    assert (outcome.learned, outcome.places) == ((), {EXT_1001})
    assert where(tracker) == {EXT_1001: 2}
    visit = tracker.places.latest_at(EXT_1001)
    assert visit is not None
    assert visit.since == datetime(2015, 7, 1, 15, 0, 51, 86820, tzinfo=UTC)


def test_group_then_extension() -> None:
    """A call waits at the group, then an extension takes it: the group is empty again."""
    tracker = CallTracker()
    feed(tracker, at("menu", "10"))
    assert where(tracker) == {}  # a menu is no place anyone shows
    assert feed(tracker, at("group", "111")).places == {GROUP_111}
    assert where(tracker) == {GROUP_111: 1}
    assert feed(tracker, at("extension", "1001")).places == {GROUP_111, EXT_1001}
    assert where(tracker) == {GROUP_111: 0, EXT_1001: 1}
    assert feed(tracker, event("call_hangup")).places == {EXT_1001}
    assert where(tracker) == {GROUP_111: 0, EXT_1001: 0}


def test_transfer_between_extensions_is_no_repeat() -> None:
    """A second call_init_extension with another destination is a transfer."""
    tracker = CallTracker()
    feed(tracker, at("extension", "1001"))
    transfer = feed(tracker, at("extension", "1002"))
    assert not transfer.duplicate
    assert transfer.places == {EXT_1001, EXT_1002}
    assert where(tracker) == {EXT_1001: 0, EXT_1002: 1}
    # And back: 1001 is not where the call is now, so that is a transfer too.
    assert not feed(tracker, at("extension", "1001")).duplicate
    assert where(tracker) == {EXT_1001: 1, EXT_1002: 0}
    assert tracker.active_calls == 1


def test_same_destination_again_is_a_repeat() -> None:
    """The same destination as the call's current place is Bulutfon repeating itself."""
    tracker = CallTracker()
    feed(tracker, at("group", "111"))
    feed(tracker, at("extension", "1001"))
    assert feed(tracker, at("extension", "1001")) == Outcome(
        duplicate=True, changed=frozenset()
    )
    # The group is no longer the call's place, and the group's type was seen: a call
    # going back to the group is a transfer.
    assert not feed(tracker, at("group", "111")).duplicate
    assert where(tracker) == {GROUP_111: 1, EXT_1001: 0}


def test_a_call_counts_once_at_a_place() -> None:
    """A call reaching the same extension twice (through a group) is one call there."""
    tracker = CallTracker()
    feed(tracker, at("extension", "1001"))
    feed(tracker, at("group", "111"))
    feed(tracker, at("extension", "1001"))
    assert where(tracker) == {EXT_1001: 1, GROUP_111: 0}


def test_a_menu_moves_the_call_on() -> None:
    """From a group back to a voice menu: the call no longer waits at the group."""
    tracker = CallTracker()
    feed(tracker, at("group", "111"))
    outcome = feed(tracker, at("menu", "10"))
    assert outcome.places == {GROUP_111}
    assert where(tracker) == {GROUP_111: 0}
    assert feed(tracker, at("menu", "10")).duplicate


def test_several_calls_at_once() -> None:
    """Three calls in the group, two taken by extensions; the latest caller shows."""
    tracker = CallTracker()
    for number, uuid in enumerate(("a", "b", "c")):
        feed(tracker, at("group", "111", uuid=uuid, caller=f"90532000000{number}"))
    assert where(tracker) == {GROUP_111: 3}
    feed(tracker, at("extension", "1001", uuid="a"), now=1)
    feed(tracker, at("extension", "1001", uuid="c", caller="905320000002"), now=2)
    assert where(tracker) == {GROUP_111: 1, EXT_1001: 2}
    visit = tracker.places.latest_at(EXT_1001)
    assert visit is not None
    assert visit.caller == "905320000002"
    feed(tracker, event("call_hangup", uuid="c"), now=3)
    visit = tracker.places.latest_at(EXT_1001)
    assert visit is not None
    assert visit.since == T0 + timedelta(seconds=1)
    assert where(tracker) == {GROUP_111: 1, EXT_1001: 1}


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("destination", [None, "", "null", "abc", "905321234567"])
def test_no_destination_creates_nothing(destination: str | None) -> None:
    """Missing, empty, non-numeric or phone-number destinations: no place, the call stays
    where it was, and the event is still an event (not a repeat)."""
    tracker = CallTracker()
    feed(tracker, at("extension", "1001"))
    outcome = feed(tracker, at("group", destination))
    assert not outcome.duplicate
    assert outcome.places == frozenset()
    assert outcome.learned == ()
    assert where(tracker) == {EXT_1001: 1}


def test_destination_numbers() -> None:
    """What counts as an extension, group or menu number."""
    assert destination_number("1001") == "1001"
    assert destination_number("0") == "0"
    assert destination_number("123456") == "123456"
    for text in (None, "", "1001a", "١٢٣", "1234567", "-1"):
        assert destination_number(text) is None


def test_end_for_an_unknown_call_changes_nothing() -> None:
    """A hangup of a call never seen: no place moves."""
    tracker = CallTracker()
    feed(tracker, at("extension", "1001", uuid="a"))
    assert feed(tracker, event("call_hangup", uuid="zzz")).places == frozenset()
    assert where(tracker) == {EXT_1001: 1}


def test_call_first_seen_at_an_extension() -> None:
    """No call_init received: the extension event alone puts the call there."""
    tracker = CallTracker()
    assert feed(tracker, at("extension", "1001", uuid="late")).places == {EXT_1001}
    assert tracker.active_calls == 1


def test_extension_after_the_end_places_nothing() -> None:
    """Out of order: the end came first; the late extension event does not reopen it,
    and its repeat is a repeat."""
    tracker = CallTracker()
    feed(tracker, event("call_hangup"))
    outcome = feed(tracker, at("extension", "1001"))
    assert not outcome.duplicate
    assert outcome.learned == (EXT_1001,)
    assert where(tracker) == {EXT_1001: 0}
    assert feed(tracker, at("extension", "1002")).duplicate


def test_stale_call_leaves_its_place() -> None:
    """The 4-hour rule frees the extension too."""
    tracker = CallTracker(stale_after=100)
    feed(tracker, at("extension", "1001"), now=0)
    assert tracker.expire(99).places == frozenset()
    assert tracker.expire(100).places == {EXT_1001}
    assert where(tracker) == {EXT_1001: 0}
    # Its repeat after that is still a repeat.
    assert feed(tracker, at("extension", "1001"), now=101).duplicate


def test_forgotten_history_leaves_its_place() -> None:
    """A call pushed out of the bounded history leaves its place."""
    tracker = CallTracker(history_size=2)
    feed(tracker, at("extension", "1001", uuid="a"))
    feed(tracker, event("call_init", uuid="b"))
    outcome = feed(tracker, event("call_init", uuid="c"))
    assert outcome.places == {EXT_1001}
    assert where(tracker) == {EXT_1001: 0}


def test_events_without_uuid_learn_but_place_nothing() -> None:
    """Without a uuid a call cannot be followed; the extension is still learned."""
    tracker = CallTracker()
    outcome = feed(tracker, at("extension", "1001", uuid=None))
    assert outcome.learned == (EXT_1001,)
    assert where(tracker) == {EXT_1001: 0}


# --- bounds and forgetting -----------------------------------------------------------------


def test_places_are_bounded() -> None:
    """Past the bound no place is learned; calls there leave where they were."""
    tracker = CallTracker(places=CallPlaces(max_extensions=2, max_groups=1))
    for number, uuid in ((1001, "a"), (1002, "b"), (1003, "c")):
        feed(tracker, at("extension", str(number), uuid=uuid))
    assert tracker.places.learned(PlaceKind.EXTENSION) == [EXT_1001, EXT_1002]
    feed(tracker, at("extension", "1003", uuid="a"))
    assert where(tracker) == {EXT_1001: 0, EXT_1002: 1}
    feed(tracker, at("group", "111", uuid="d"))
    feed(tracker, at("group", "222", uuid="e"))
    assert tracker.places.learned(PlaceKind.GROUP) == [GROUP_111]
    assert tracker.snapshot()["learned_extensions"] == 2
    assert tracker.snapshot()["calls_past_the_bound"] == 3


def test_forget_a_place() -> None:
    """A deleted extension shows nothing until its next call learns it again."""
    tracker = CallTracker()
    feed(tracker, at("extension", "1001", uuid="a"))
    assert tracker.forget_place(EXT_1001).places == {EXT_1001}
    assert tracker.forget_place(EXT_1001).places == frozenset()
    assert where(tracker) == {}
    feed(tracker, event("call_hangup", uuid="a"))  # nothing to leave
    outcome = feed(tracker, at("extension", "1001", uuid="b"))
    assert outcome.learned == (EXT_1001,)
    assert where(tracker) == {EXT_1001: 1}


def test_restore_learned_places() -> None:
    """What was learned before a restart is learned again, within the bounds."""
    places = CallPlaces(max_extensions=1)
    places.restore([EXT_1001, EXT_1002, GROUP_111, MENU_10])
    assert places.learned(PlaceKind.EXTENSION) == [EXT_1001]
    assert places.learned(PlaceKind.GROUP) == [GROUP_111]
    assert places.learned(PlaceKind.MENU) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from(
                [
                    ("extension", "1001"),
                    ("extension", "1002"),
                    ("group", "111"),
                    ("menu", "10"),
                    ("extension", None),
                    ("hangup", None),
                    ("missing", None),
                ]
            ),
        ),
        max_size=30,
    )
)
def test_places_follow_a_plain_model(
    steps: list[tuple[str, tuple[str, str | None]]],
) -> None:
    """Every call is at the last place it reached until it ends; changes are reported."""
    tracker = CallTracker()
    model: dict[str, Place | None] = {}
    ended: set[str] = set()
    for uuid, (kind, destination) in steps:
        before = where(tracker)
        if kind == "hangup":
            outcome = feed(tracker, event("call_hangup", uuid))
            ended.add(uuid)
            model.pop(uuid, None)
        elif kind == "missing":
            outcome = feed(tracker, event("missing_call", uuid))
            ended.add(uuid)
            model.pop(uuid, None)
        else:
            outcome = feed(tracker, at(kind, destination, uuid=uuid))
            if destination is not None and uuid not in ended:
                place = Place(PlaceKind(kind), destination)
                model[uuid] = place if place.kind is not PlaceKind.MENU else None
        expected: dict[Place, int] = dict.fromkeys(before, 0)
        expected.update(dict.fromkeys(where(tracker), 0))
        for place in model.values():
            if place is not None:
                expected[place] += 1
        assert where(tracker) == expected
        after = where(tracker)
        for place, count in after.items():
            if before.get(place) != count:
                assert place in outcome.places or place in outcome.learned


# --- today's figures ----------------------------------------------------------------------


def test_today_counts_each_call_once() -> None:
    """Incoming, outgoing, answered (incoming only), missed and talk time, repeats
    counted once."""
    tracker = CallTracker()
    for _ in range(2):
        feed(tracker, event("call_init", "in1", direction="IN"))
        feed(tracker, at("extension", "1001", uuid="in1", direction="IN"))
        feed(
            tracker,
            event(
                "call_hangup",
                "in1",
                talk_duration=30,
                result_disposition="SUCCESS",
            ),
        )
        feed(tracker, event("call_init", "in2", direction="IN"))
        feed(tracker, event("missing_call", "in2"))
        feed(tracker, event("call_init", "out1", direction="OUT"))
        feed(
            tracker,
            event(
                "call_hangup", "out1", talk_duration=12, result_disposition="success"
            ),
        )
        feed(tracker, event("call_init", "local", direction="LOCAL"))
    today = tracker.today
    assert (
        today.incoming_calls,
        today.outgoing_calls,
        today.answered_calls,
        today.missed_calls,
        today.talk_time,
    ) == (2, 1, 1, 1, 42)


def test_a_transfer_is_not_a_new_call() -> None:
    """A call moving between extensions is still one incoming call."""
    tracker = CallTracker()
    feed(tracker, at("extension", "1001", direction="IN"))
    outcome = feed(tracker, at("extension", "1002", direction="IN"))
    assert Status.INCOMING_CALLS_TODAY not in outcome.changed
    assert tracker.today.incoming_calls == 1


def test_new_day_starts_from_zero() -> None:
    """Midnight: every figure that was not 0 changes; the same day again changes nothing."""
    tracker = CallTracker()
    tracker.new_day(date(2026, 1, 1))
    feed(tracker, event("call_init", direction="IN"))
    feed(tracker, event("call_hangup", talk_duration=5))
    assert tracker.new_day(date(2026, 1, 1)) == frozenset()
    assert tracker.new_day(date(2026, 1, 2)) == {
        Status.INCOMING_CALLS_TODAY,
        Status.TALK_TIME_TODAY,
    }
    assert tracker.today == DailyCounts(day=date(2026, 1, 2))


def test_daily_figures_restore_on_the_same_day_only() -> None:
    """A saved figure comes back on its own day; another day's, or junk, is ignored."""
    counts = DailyCounts(day=date(2026, 1, 1), answered_calls=7)
    saved = counts.saved("answered_calls")
    assert saved == {"value": 7, "day": "2026-01-01"}
    same_day = DailyCounts(day=date(2026, 1, 1))
    assert same_day.restore("answered_calls", saved)
    assert same_day.answered_calls == 7
    next_day = DailyCounts(day=date(2026, 1, 2))
    assert next_day.restore("answered_calls", saved)
    assert next_day.answered_calls == 0
    for junk in (
        None,
        [],
        {"value": -1, "day": "2026-01-01"},
        {"value": True, "day": "2026-01-01"},
        {"value": 3},
    ):
        assert not same_day.restore("talk_time", junk)
    assert same_day.talk_time == 0
