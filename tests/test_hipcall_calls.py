"""The call model with Hipcall events: a call state per line, users and teams as places,
today's figures, repeats and deliveries out of order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.bulutfon.calls import (
    DUPLICATE,
    CallResult,
    CallState,
    CallTracker,
    Outcome,
    Status,
    record_as_dict,
    record_from_dict,
)
from custom_components.bulutfon.hipcall import parse_hipcall_body
from custom_components.bulutfon.places import CallPlaces, Place, PlaceKind
from custom_components.bulutfon.protocol import (
    BulutfonEvent,
    EventType,
    event_from_mapping,
)

from .vendor import HIPCALL_EXAMPLES

ALL = frozenset(EventType)
T0 = datetime(2024, 11, 17, 10, 41, tzinfo=UTC)
TEAM = Place(PlaceKind.TEAM, "7")
USER = Place(PlaceKind.USER, "12")
RECORD = "https://records.hipcall.example/5f0c2b9e.mp3?X-Amz-Expires=604800&X-Amz-Signature=0f3a9c"


def hipcall(name: str, **fields: Any) -> BulutfonEvent:
    """A Hipcall fixture's event, with some data fields changed."""
    payload = json.loads(HIPCALL_EXAMPLES[name])
    payload["data"].update(fields)
    event = parse_hipcall_body(json.dumps(payload).encode())
    assert event is not None
    return event


INIT = hipcall("hipcall_call_init")
BRIDGED = hipcall("hipcall_call_bridged")
HANGUP = hipcall("hipcall_call_hangup")
MISSED = hipcall("hipcall_missed_call")


def feed(tracker: CallTracker, event: BulutfonEvent, now: float = 0.0) -> Outcome:
    """Hand one event to the tracker, received `now` seconds after T0."""
    return tracker.receive(
        event, selected=ALL, now=now, received_at=T0 + timedelta(seconds=now)
    )


def test_answered_call_through_a_team() -> None:
    """Ringing while team 7 holds it, talking once user 12 takes it, idle at the end."""
    tracker = CallTracker()
    assert tracker.call_state is CallState.IDLE

    outcome = feed(tracker, INIT)
    assert tracker.call_state is CallState.RINGING
    assert Status.CALL_STATE in outcome.changed
    assert outcome.learned == (TEAM,)
    assert tracker.places.calls_at(TEAM) == 1

    outcome = feed(tracker, BRIDGED, 12)
    assert tracker.call_state is CallState.TALKING
    # Only what moved: the state, the last caller (who took it), the team and the user.
    assert outcome.changed == {Status.CALL_STATE, Status.LAST_CALLER}
    assert outcome.places == {TEAM, USER}
    assert outcome.learned == (USER,)
    assert (tracker.places.calls_at(TEAM), tracker.places.calls_at(USER)) == (0, 1)
    assert tracker.status.last_caller is not None
    assert tracker.status.last_caller.user_id == "12"
    assert tracker.status.last_caller.time == T0  # still the call's start

    outcome = feed(tracker, HANGUP, 120)
    assert tracker.call_state is CallState.IDLE
    assert tracker.places.calls_at(USER) == 0
    assert outcome.places == {USER}
    last = tracker.status.last_call
    assert last is not None
    assert (last.talk_duration, last.hangup_cause, last.answered, last.user_id) == (
        108,
        "contact",
        True,
        "12",
    )
    today = tracker.today
    assert (today.incoming_calls, today.answered_calls, today.talk_time) == (1, 1, 108)
    assert today.missed_calls == 0


def test_missed_call_with_voicemail() -> None:
    """A missed call: counted, its voicemail on the last missed caller, no talk time."""
    tracker = CallTracker()
    feed(tracker, hipcall("hipcall_call_init", uuid=MISSED.uuid))
    assert tracker.call_state is CallState.RINGING
    outcome = feed(tracker, MISSED, 65)
    assert tracker.call_state is CallState.IDLE
    assert {
        Status.MISSED_CALLS,
        Status.LAST_MISSED_CALLER,
        Status.MISSED_CALLS_TODAY,
        Status.LAST_CALL_DURATION,
        Status.CALL_STATE,
        Status.LINE_BUSY,
    } <= outcome.changed
    assert tracker.status.missed_calls == 1
    missed = tracker.status.last_missed_caller
    assert missed is not None
    assert missed.caller == "905559876543"
    assert tracker.status.last_call is not None
    assert tracker.status.last_call.talk_duration == 0
    assert (tracker.today.missed_calls, tracker.today.answered_calls) == (1, 0)
    assert tracker.places.calls_at(TEAM) == 0


def test_hangup_without_its_init_ends_nothing_but_counts() -> None:
    """The call_init never came: the line never was busy, but the call is counted."""
    tracker = CallTracker()
    outcome = feed(tracker, HANGUP)
    assert (
        not {Status.LINE_BUSY, Status.ACTIVE_CALLS, Status.CALL_STATE} & outcome.changed
    )
    assert tracker.call_state is CallState.IDLE
    assert outcome.learned == (USER,)  # the user who took it is known now
    today = tracker.today
    assert (today.incoming_calls, today.answered_calls, today.talk_time) == (1, 1, 108)
    missed = feed(tracker, MISSED)
    assert Status.MISSED_CALLS_TODAY in missed.changed
    assert (tracker.today.missed_calls, tracker.today.incoming_calls) == (1, 2)


def test_repeats_are_repeats() -> None:
    """Hipcall delivering an event again changes nothing and counts nothing."""
    tracker = CallTracker()
    for event in (INIT, BRIDGED, HANGUP, MISSED):
        feed(tracker, event)
        assert feed(tracker, event, 1) is DUPLICATE
    today = tracker.today
    assert (today.incoming_calls, today.answered_calls, today.missed_calls) == (2, 1, 1)
    assert today.talk_time == 108
    assert tracker.status.missed_calls == 1


def test_answer_before_init() -> None:
    """call_bridged first: talking at once; the late call_init does not make it ring."""
    tracker = CallTracker()
    feed(tracker, BRIDGED)
    assert tracker.call_state is CallState.TALKING
    outcome = feed(tracker, INIT, 1)
    assert tracker.call_state is CallState.TALKING
    assert Status.CALL_STATE not in outcome.changed
    assert tracker.today.incoming_calls == 1
    feed(tracker, HANGUP, 2)
    assert tracker.call_state is CallState.IDLE
    assert tracker.today.incoming_calls == 1


@pytest.mark.parametrize(
    "order", [(INIT, BRIDGED, INIT), (BRIDGED, INIT), (BRIDGED, INIT, INIT, BRIDGED)]
)
def test_a_late_or_repeated_init_after_the_answer(
    order: tuple[BulutfonEvent, ...],
) -> None:
    """call_init again after call_bridged, or only after it, ends as init then bridged:
    each (uuid, type) counts once, the user who talks stays busy, no team waits for it,
    and the last caller keeps who took the call (issue 24, item 2)."""
    tracker = CallTracker()
    seen: list[EventType | None] = []
    for now, event in enumerate(order):
        if not feed(tracker, event, now).duplicate:
            seen.append(event.type)
    assert sorted(map(str, seen)) == sorted(
        map(str, {EventType.CALL_INIT, EventType.CALL_ANSWERED})
    )
    assert tracker.call_state is CallState.TALKING
    assert (tracker.places.calls_at(USER), tracker.places.calls_at(TEAM)) == (1, 0)
    assert tracker.today.incoming_calls == 1
    last = tracker.status.last_caller
    assert last is not None
    assert last.user_id == "12"


def test_hangup_before_init_and_answer() -> None:
    """The end came first: the late start and answer keep the call ended."""
    tracker = CallTracker()
    feed(tracker, HANGUP)
    for event in (INIT, BRIDGED):
        outcome = feed(tracker, event, 1)
        assert not outcome.changed & {Status.LINE_BUSY, Status.CALL_STATE}
    assert (tracker.call_state, tracker.line_busy) == (CallState.IDLE, False)
    assert tracker.places.calls_at(USER) == 0
    assert (tracker.today.incoming_calls, tracker.today.answered_calls) == (1, 1)


def test_answered_counted_once_even_if_the_hangup_forgets_the_bridge() -> None:
    """A call that had a call_bridged is answered, whatever its hangup says."""
    tracker = CallTracker()
    feed(tracker, INIT)
    feed(tracker, BRIDGED)
    feed(tracker, hipcall("hipcall_call_hangup", bridged_at=None))
    assert tracker.today.answered_calls == 1


def test_talking_wins_over_ringing() -> None:
    """Two calls: one talking, one ringing; the line talks until the talking one ends."""
    tracker = CallTracker()
    feed(tracker, BRIDGED)
    feed(tracker, hipcall("hipcall_call_init", uuid="second"))
    assert tracker.call_state is CallState.TALKING
    assert tracker.places.calls_at(TEAM) == 1
    outcome = feed(tracker, HANGUP)
    assert tracker.call_state is CallState.RINGING
    assert Status.CALL_STATE in outcome.changed
    assert Status.LINE_BUSY not in outcome.changed


def test_classic_calls_are_in_call_never_ringing_or_talking() -> None:
    """Classic Bulutfon never says who answered: in call from start to end."""
    tracker = CallTracker()
    start = event_from_mapping(
        {"event_type": "call_init", "uuid": "c1", "caller": "905320000001"}
    )
    outcome = feed(tracker, start)
    assert tracker.call_state is CallState.IN_CALL
    assert {Status.LINE_BUSY, Status.CALL_STATE} <= outcome.changed
    reached = event_from_mapping(
        {"event_type": "call_init_extension", "uuid": "c1", "destination": "1001"}
    )
    assert Status.CALL_STATE not in feed(tracker, reached).changed
    end = event_from_mapping(
        {"event_type": "call_hangup", "uuid": "c1", "talk_duration": 30}
    )
    assert Status.CALL_STATE in feed(tracker, end).changed
    assert tracker.call_state is CallState.IDLE


def test_the_2023_envelope_is_in_call() -> None:
    """The old envelope says nothing of an answer either."""
    event = parse_hipcall_body(HIPCALL_EXAMPLES["hipcall_2023_call_init"])
    assert event is not None
    tracker = CallTracker()
    feed(tracker, event)
    assert tracker.call_state is CallState.IN_CALL
    assert tracker.places.snapshot()["learned_extensions"] == 0
    assert "learned_users" not in tracker.places.snapshot()  # user 0 is nobody


def test_outbound_call_by_a_user() -> None:
    """A user calls out: outgoing today, the user busy while it rings and talks."""
    tracker = CallTracker()
    start = hipcall(
        "hipcall_outbound_init", caller_type="user", caller_id=1121, user_id=None
    )
    outcome = feed(tracker, start)
    user = Place(PlaceKind.USER, "1121")
    assert outcome.learned == (user,)
    assert tracker.places.calls_at(user) == 1
    assert (tracker.today.outgoing_calls, tracker.today.incoming_calls) == (1, 0)
    assert tracker.status.last_caller is None  # the last caller is the last one in


def test_internal_call_counts_neither_way() -> None:
    """A call between two users is neither incoming nor outgoing."""
    tracker = CallTracker()
    start = hipcall(
        "hipcall_call_init", direction="internal", callee_type="user", callee_id=12
    )
    feed(tracker, start)
    assert tracker.call_state is CallState.RINGING
    assert (tracker.today.outgoing_calls, tracker.today.incoming_calls) == (0, 0)
    assert tracker.places.calls_at(USER) == 1


def test_users_and_teams_are_bounded() -> None:
    """Like extensions: past the bound a user or team gets no place, only a count."""
    tracker = CallTracker(places=CallPlaces(max_users=2, max_teams=1))
    for number in range(4):
        feed(
            tracker,
            hipcall("hipcall_call_bridged", uuid=f"u{number}", user_id=number + 1),
        )
        feed(
            tracker,
            hipcall("hipcall_call_init", uuid=f"t{number}", callee_id=number + 1),
        )
    assert tracker.places.learned(PlaceKind.USER) == [
        Place(PlaceKind.USER, "1"),
        Place(PlaceKind.USER, "2"),
    ]
    assert tracker.places.learned(PlaceKind.TEAM) == [Place(PlaceKind.TEAM, "1")]
    snapshot = tracker.snapshot()
    assert (snapshot["learned_users"], snapshot["learned_teams"]) == (2, 1)
    assert snapshot["calls_past_the_bound"] == 5


@pytest.mark.parametrize("user_id", ["9053212345678", "1" * 37, "1" * 40])
def test_ids_that_cannot_name_a_device(user_id: str) -> None:
    """A phone-number-like or odd id is no place (it would become a device and entity id)."""
    tracker = CallTracker()
    outcome = feed(tracker, hipcall("hipcall_call_bridged", user_id=user_id))
    places = [place for place in outcome.learned if place.kind is PlaceKind.USER]
    assert places == [] or places[0].number == "-"
    assert tracker.call_state is CallState.TALKING


def test_expiring_a_talking_call_idles_the_line() -> None:
    """A call whose end never comes is dropped, and the line says idle again."""
    tracker = CallTracker(stale_after=60)
    feed(tracker, BRIDGED)
    outcome = tracker.expire(61)
    assert Status.CALL_STATE in outcome.changed
    assert tracker.call_state is CallState.IDLE
    assert outcome.places == {USER}


def test_forgotten_history_keeps_the_state_counts_right() -> None:
    """An active call pushed out of the history ends; the call state follows."""
    tracker = CallTracker(history_size=1)
    feed(tracker, BRIDGED)
    outcome = feed(tracker, hipcall("hipcall_call_init", uuid="next"))
    assert tracker.active_calls == 1
    assert tracker.call_state is CallState.RINGING
    assert Status.CALL_STATE in outcome.changed


def test_last_call_survives_a_restart_without_its_links() -> None:
    """The last call's answer and user are saved and read back by the text rule; links
    saved by 0.3.0 are not read back (pre-signed: issue 24, item 3)."""
    tracker = CallTracker()
    feed(tracker, HANGUP)
    last = tracker.status.last_call
    assert last is not None
    assert record_from_dict(CallResult, record_as_dict(last)) == last
    assert "record_url" not in record_as_dict(last)
    saved = record_as_dict(last) | {"answered": "yes", "record_url": RECORD}
    restored = record_from_dict(CallResult, saved)
    assert restored is not None
    assert restored.answered is None
    assert RECORD not in str(record_as_dict(restored))


# --- property: the call state always matches the calls under way --------------------------

deliveries = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["init", "bridged", "hangup", "missed", "init_old"]),
    ),
    max_size=25,
)


def _event(uuid: str, kind: str) -> BulutfonEvent:
    if kind == "init_old":
        payload = json.loads(HIPCALL_EXAMPLES["hipcall_2023_call_init"])
        payload["data"]["uuid"] = uuid
        event = parse_hipcall_body(json.dumps(payload).encode())
        assert event is not None
        return event
    name = {
        "init": "hipcall_call_init",
        "bridged": "hipcall_call_bridged",
        "hangup": "hipcall_call_hangup",
        "missed": "hipcall_missed_call",
    }[kind]
    return hipcall(name, uuid=uuid)


@settings(max_examples=200, deadline=None)
@given(deliveries)
def test_call_state_follows_any_delivery_order(steps: list[tuple[str, str]]) -> None:
    """Whatever arrives in whatever order, repeated or not: the line's call state is what
    its calls under way say, and it is reported exactly when it changes."""
    tracker = CallTracker()
    answered: set[str] = set()
    ended: set[str] = set()
    started: set[str] = set()
    for now, (uuid, kind) in enumerate(steps):
        before = tracker.call_state
        outcome = feed(tracker, _event(uuid, kind), now)
        if kind in ("hangup", "missed"):
            ended.add(uuid)
        elif uuid not in ended:
            started.add(uuid)
            if kind == "bridged":
                answered.add(uuid)
        active = started - ended
        if not active:
            expected = CallState.IDLE
        elif active & answered:
            expected = CallState.TALKING
        elif tracker._in_call:
            expected = CallState.IN_CALL
        else:
            expected = CallState.RINGING
        assert tracker.call_state is expected
        assert tracker.active_calls == len(active)
        if not outcome.duplicate:
            assert (Status.CALL_STATE in outcome.changed) is (before is not expected)
        assert tracker.places.calls_at(TEAM) + tracker.places.calls_at(USER) <= len(
            active
        )
