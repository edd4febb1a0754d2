"""The call model: which calls are active, what was missed, what was already seen.

Plain Python without Home Assistant imports. The tracker takes normalised events (from
protocol.py) with the receiving clock's time, and says what each event changed, so that the
Home Assistant side writes only the entities whose state really moved. Where each call is
(places.py) and what the day counted (daily.py) are parts of the same model.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from enum import StrEnum
import logging
from typing import Any, Final, NamedTuple

from .daily import DailyCounts
from .places import (
    CallPlaces,
    Place,
    PlaceKind,
    Visit,
    destination_number,
    member_id,
)
from .protocol import (
    END_TYPES,
    MAX_ID_LENGTH,
    MAX_URL_LENGTH,
    START_TYPES,
    BulutfonEvent,
    EventType,
    bounded_text,
    event_time,
    phone_digits,
    usable_time,
    whole_number,
)

_LOGGER = logging.getLogger(__package__)

HISTORY_SIZE: Final = 10_000
"""How many recent calls (uuids) are remembered for duplicates and ordering."""

MISSED_KEPT: Final = 100
"""How many counted missed calls are remembered across a restart."""

COUNTED_KEPT: Final = 200
"""How many calls counted in the day's figures are remembered across a restart."""

STALE_AFTER: Final = 4 * 3600.0
"""Seconds after its first start event that a call with no end is dropped."""

_TYPE_BIT: Final = {
    event_type: 1 << index for index, event_type in enumerate(EventType)
}
_DIRECTION_COUNTED: Final = 1 << len(EventType)
"""In a call's bit set: counted as incoming or outgoing today."""
_INCOMING: Final = _DIRECTION_COUNTED << 1
"""In a call's bit set: counted as incoming today (so its answer counts as answered)."""

_COUNTED_FACTS: Final = {
    "d": _DIRECTION_COUNTED,
    "i": _INCOMING,
    "h": _TYPE_BIT[EventType.CALL_HANGUP],
    "m": _TYPE_BIT[EventType.MISSING_CALL],
}
"""What the day's figures counted of a call, as kept across a restart (one letter each):
its direction counted, whether that was incoming (an answer counts only for incoming calls),
its hangup (talk time, answered), its miss."""
_COUNTED_ANY: Final = sum(_COUNTED_FACTS.values())
_ENDS: Final = _COUNTED_FACTS["h"] | _COUNTED_FACTS["m"]

REACHED_KINDS: Final = {
    EventType.CALL_INIT_EXTENSION: PlaceKind.EXTENSION,
    EventType.CALL_INIT_GROUP: PlaceKind.GROUP,
    EventType.CALL_INIT_MENU: PlaceKind.MENU,
}
"""The types that say a call reached a destination, and what kind of place that is."""


class CallState(StrEnum):
    """What the line is doing, as its call state sensor shows it."""

    IDLE = "idle"
    """No call under way."""
    RINGING = "ringing"
    """Calls under way, none answered by a person yet (the platform says so)."""
    TALKING = "talking"
    """A person answered one of the calls under way."""
    IN_CALL = "in_call"
    """Calls under way on a platform that never says whether they were answered (classic
    Bulutfon): ringing or talking, nobody can tell, so neither is claimed."""


class Status(StrEnum):
    """The parts of the line's status that an event can change; one entity each."""

    LINE_BUSY = "line_busy"
    ACTIVE_CALLS = "active_calls"
    LAST_CALLER = "last_caller"
    MISSED_CALLS = "missed_calls"
    LAST_MISSED_CALLER = "last_missed_caller"
    LAST_CALL_DURATION = "last_call_duration"
    LAST_FAX_SENDER = "last_fax_sender"
    INCOMING_CALLS_TODAY = "incoming_calls_today"
    OUTGOING_CALLS_TODAY = "outgoing_calls_today"
    ANSWERED_CALLS_TODAY = "answered_calls_today"
    MISSED_CALLS_TODAY = "missed_calls_today"
    TALK_TIME_TODAY = "talk_time_today"
    CALL_STATE = "call_state"
    CALLBACKS = "callbacks"
    """The call-back list (callbacks.py): not moved by the tracker itself."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallInfo:
    """Who called whom, as the last-* values show it."""

    caller: str | None
    callee: str | None = None
    direction: str | None = None
    destination: str | None = None
    time: datetime | None = None
    uuid: str | None = None
    user_id: str | None = None
    caller_hidden: bool = False
    """The caller withheld their number (see protocol.hidden_number)."""

    @classmethod
    def from_event(cls, event: BulutfonEvent, received_at: datetime) -> CallInfo:
        """Take the call's facts from an event; the time falls back to when it arrived."""
        return cls(
            caller_hidden=event.caller_hidden and event.caller is None,
            caller=event.caller,
            callee=event.callee,
            direction=event.direction,
            destination=event.destination,
            time=event.timestamp or received_at,
            uuid=event.uuid,
            user_id=event.user_id,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CallResult:
    """How the last call that reported a talk duration ended."""

    talk_duration: int
    caller: str | None = None
    callee: str | None = None
    hangup_cause: str | None = None
    hangup_detail: str | None = None
    result_disposition: str | None = None
    cdr_url: str | None = None
    cdr_api_url: str | None = None
    time: datetime | None = None
    uuid: str | None = None
    answered: bool | None = None
    user_id: str | None = None

    @classmethod
    def from_event(cls, event: BulutfonEvent, received_at: datetime) -> CallResult:
        """Take the end-of-call facts from an end event that carries a duration."""
        assert event.talk_duration is not None
        return cls(
            talk_duration=event.talk_duration,
            caller=event.caller,
            callee=event.callee,
            hangup_cause=event.hangup_cause,
            hangup_detail=event.hangup_detail,
            result_disposition=event.result_disposition,
            cdr_url=event.cdr_url,
            cdr_api_url=event.cdr_api_url,
            time=event.timestamp or received_at,
            uuid=event.uuid,
            answered=event.answered,
            user_id=event.user_id,
        )


def record_as_dict(record: CallInfo | CallResult) -> dict[str, Any]:
    """A CallInfo or CallResult as JSON-safe data (for restore state)."""
    return {
        item.name: value.isoformat() if isinstance(value, datetime) else value
        for item in fields(record)
        if (value := getattr(record, item.name)) is not None
        # A shown number is the default: the hidden flag is saved only when set.
        and not (item.name == "caller_hidden" and value is False)
    }


_NUMBER_FIELDS: Final = frozenset({"caller", "callee", "destination"})
_URL_FIELDS: Final = frozenset({"cdr_url", "cdr_api_url"})
_UPPER_CASE_CODES: Final = frozenset(
    {"direction", "hangup_cause", "result_disposition"}
)
"""Codes Bulutfon sends in upper case (entities may show them in lower case)."""


def _restored_value(name: str, value: Any, now: datetime) -> Any:
    """One field of saved data, by the rule webhook fields follow; None if it does not fit.

    Saved data is outside input too: a file written by an older version, edited by hand
    or foreign. What passes here can be shown and saved again, whatever was on disk.
    """
    if name in _NUMBER_FIELDS:
        return phone_digits(value) if isinstance(value, str) else None
    if name == "time":
        return _restored_time(value, now)
    if name == "talk_duration":
        return whole_number(value)
    if name == "answered":
        return value if isinstance(value, bool) else None
    if name == "caller_hidden":
        return True if value is True else None
    if not isinstance(value, str):
        return None
    return bounded_text(value, MAX_URL_LENGTH if name in _URL_FIELDS else MAX_ID_LENGTH)


def _restored_time(value: Any, now: datetime) -> datetime | None:
    """A saved time, by the one time rule (protocol.usable_time); None otherwise."""
    if not isinstance(value, str):
        return None
    moment = event_time(value)
    if moment is None or usable_time(moment, now) is None:
        _LOGGER.debug("A saved call time that does not fit was left out")
        return None
    return moment


def record_from_dict[R: (CallInfo, CallResult)](
    kind: type[R], data: Any, now: datetime | None = None
) -> R | None:
    """Rebuild what record_as_dict saved; None for anything that does not fit.

    Each field is checked on its own: a field that does not fit is left out, the rest
    is kept. A result without a usable talk duration, or a record with nothing usable
    at all, is no record. `now` is when the data is read (the time rule's present).
    """
    if not isinstance(data, dict):
        return None
    if now is None:
        now = datetime.now(UTC)
    values: dict[str, Any] = {}
    for item in fields(kind):
        value = _restored_value(item.name, data.get(item.name), now)
        if value is not None:
            values[item.name] = value
    if not values or (kind is CallResult and "talk_duration" not in values):
        return None
    if kind is CallInfo:
        values.setdefault("caller", None)
    return kind(**values)


def record_from_state[R: (CallInfo, CallResult)](
    kind: type[R], state: str, attributes: Mapping[str, Any]
) -> R | None:
    """Rebuild a record from the state Home Assistant kept, when the saved data is lost.

    The number is the `caller` attribute, or the state itself where it is a bare number
    (what older versions showed); codes shown in lower case are put back as Bulutfon
    sends them. A result's talk duration is its state.
    """
    data: dict[str, Any] = {
        key: value.upper()
        if key in _UPPER_CASE_CODES and isinstance(value, str)
        else value
        for key, value in attributes.items()
    }
    if kind is CallResult:
        data["talk_duration"] = state
    elif "caller" not in data and state.isascii() and state.isdigit():
        data["caller"] = state
    return record_from_dict(kind, data)


@dataclass(slots=True)
class LineStatus:
    """The values the dashboard shows that are worth keeping across a restart."""

    missed_calls: int = 0
    last_caller: CallInfo | None = None
    last_missed_caller: CallInfo | None = None
    last_call: CallResult | None = None
    last_fax_sender: CallInfo | None = None


_ENDED: Final = CallState.IDLE
"""A remembered call's state once its end came."""


class _Call:
    """What is remembered of one recent call."""

    __slots__ = ("place", "state", "types")

    def __init__(self) -> None:
        # Bit set of the canonical types received, and _DIRECTION_COUNTED.
        self.types = 0
        self.place: Place | None = None  # the destination it reached last
        # What it does while under way; IDLE once it ended (one slot for both: memory
        # is 10,000 of these).
        self.state = CallState.IN_CALL

    @property
    def ended(self) -> bool:
        """Whether an end event came for the call."""
        return self.state is _ENDED

    @ended.setter
    def ended(self, value: bool) -> None:
        """Mark the call ended (an end, once come, is not taken back)."""
        if value:
            self.state = _ENDED


def _call_state(event: BulutfonEvent, event_type: EventType) -> CallState:
    """What a start event says of its call: answered, not yet, or the platform never says."""
    if event.answered or event_type is EventType.CALL_ANSWERED:
        return CallState.TALKING
    if event.answered is None:
        return CallState.IN_CALL
    return CallState.RINGING


def place_of_event(event: BulutfonEvent, event_type: EventType) -> Place | None:
    """Where an event says its call is: the destination it reached (classic), else the
    Hipcall user on it (once answered, or when no team holds it), else the team it waits at.
    """
    kind = REACHED_KINDS.get(event_type)
    if kind is not None:
        number = destination_number(event.destination)
        return None if number is None else Place(kind, number)
    return _member_place(event)


def _member_place(event: BulutfonEvent) -> Place | None:
    """The Hipcall user or team place of an event that names no destination."""
    if event.user_id is None and event.team_id is None:
        return None
    user = member_id(event.user_id)
    team = member_id(event.team_id)
    if user is not None and (event.answered or team is None):
        return Place(PlaceKind.USER, user)
    if team is not None:
        return Place(PlaceKind.TEAM, team)
    return None


def _older(time: datetime | None, shown: CallInfo | CallResult | None) -> bool:
    """Whether a recovered value's time is before the time of the value shown."""
    return (
        shown is not None
        and shown.time is not None
        and (time is None or time < shown.time)
    )


class Outcome(NamedTuple):
    """What one event did: a repeat does nothing; otherwise these parts changed.

    `places` are the extensions and groups whose calls changed; `learned` the places this
    event made the line learn (they need entities before they can show anything). A
    NamedTuple: made for every event that moves a call, and cheaper to build than a frozen
    dataclass.
    """

    duplicate: bool
    changed: frozenset[Status]
    places: frozenset[Place] = frozenset()
    learned: tuple[Place, ...] = ()

    @property
    def quiet(self) -> bool:
        """Whether nothing shown changed."""
        return not (self.changed or self.places or self.learned)


DUPLICATE: Final = Outcome(duplicate=True, changed=frozenset())

# Inside the tracker a change set is a bit mask (no allocation per event); each mask has
# its Outcome made once, when first needed.
_BIT: Final = {status: 1 << index for index, status in enumerate(Status)}
_BUSY: Final = _BIT[Status.LINE_BUSY]
_ACTIVE: Final = _BIT[Status.ACTIVE_CALLS]
_DAILY_BIT: Final = {
    name: _BIT[Status(f"{name}_today")]
    for name in ("incoming_calls", "outgoing_calls", "answered_calls", "missed_calls")
}
_TALK_TIME: Final = _BIT[Status.TALK_TIME_TODAY]
_CALL_STATE: Final = _BIT[Status.CALL_STATE]
_ANSWERED_BIT: Final = _TYPE_BIT[EventType.CALL_ANSWERED]
_OUTCOMES: dict[int, Outcome] = {}


def _outcome(mask: int) -> Outcome:
    outcome = _OUTCOMES.get(mask)
    if outcome is None:
        outcome = _OUTCOMES[mask] = Outcome(
            duplicate=False,
            changed=frozenset(status for status, bit in _BIT.items() if mask & bit),
        )
    return outcome


_NOTHING: Final = _outcome(0)


def _incoming(event: BulutfonEvent, call: _Call | None) -> bool:
    """Whether a call counts as incoming: by its start when that was seen, else by the
    event's own direction (an answered outgoing call is no answered call of the office)."""
    if call is not None and call.types & _DIRECTION_COUNTED:
        return bool(call.types & _INCOMING)
    return event.direction == "IN"


class CallTracker:
    """Follows one PBX number's calls from its webhook events.

    Memory is bounded: HISTORY_SIZE recent calls, active calls among them, and a call whose
    end never comes is dropped STALE_AFTER seconds after its first start was received; the
    places it learns are bounded in places.py.
    """

    def __init__(
        self,
        *,
        history_size: int = HISTORY_SIZE,
        stale_after: float = STALE_AFTER,
        places: CallPlaces | None = None,
    ) -> None:
        """Start with an idle line and nothing counted."""
        self.status = LineStatus()
        self.today = DailyCounts()
        self.places = places if places is not None else CallPlaces()
        self._history_size = history_size
        self._stale_after = stale_after
        self._calls: OrderedDict[str, _Call] = OrderedDict()
        # uuid -> receive time of its first start; insertion order is start order
        self._active: dict[str, float] = {}
        # How many active calls are talking, and how many in a call nobody can tell; the
        # call state last reported, and whether the counts moved since.
        self._talking = 0
        self._in_call = 0
        self._state = CallState.IDLE
        self._recount = False
        # Places whose calls changed during the current event (see receive).
        self._moved: set[Place] = set()
        self._learned: list[Place] = []

    @property
    def active_calls(self) -> int:
        """How many calls are under way."""
        return len(self._active)

    @property
    def line_busy(self) -> bool:
        """Whether at least one call is under way."""
        return bool(self._active)

    @property
    def call_state(self) -> CallState:
        """Idle, or what the calls under way are doing (talking wins over ringing)."""
        if not self._active:
            return CallState.IDLE
        if self._talking:
            return CallState.TALKING
        if self._in_call:
            return CallState.IN_CALL
        return CallState.RINGING

    def receive(
        self,
        event: BulutfonEvent,
        *,
        selected: Collection[EventType],
        now: float,
        received_at: datetime,
        count_today: bool = True,
    ) -> Outcome:
        """Apply one event received at `now` (seconds, the receiving clock).

        A recovered call that happened before today is applied without `count_today`:
        it moves the line's values, not today's figures. A recovered (replayed) event
        replaces a last-* value only when it is newer than the one shown.

        The line state, where calls are and today's figures follow every event; the other
        values change only for the selected types. A repeat of a (uuid, type) already seen
        is a duplicate and changes nothing, except that a call reaching a destination other
        than where it is now is a transfer. An event without a uuid is never a repeat.
        """
        event_type = event.type
        if event_type is None:
            return _NOTHING
        changed = 0
        if event.uuid is not None:
            changed = self._track(
                event, event.uuid, event_type, now, received_at, count_today=count_today
            )
            if changed < 0:
                return DUPLICATE
        else:
            changed = self._count_today(event, event_type, None) if count_today else 0
            place = place_of_event(event, event_type)
            # Without a uuid the call cannot be followed, but the place is real.
            if place is not None and self.places.learn(place):
                self._learned.append(place)
        active = self._active
        if active and next(iter(active.values())) <= now - self._stale_after:
            changed |= self._expire(now)
        if self._recount:
            changed |= self._restate()
        if event_type in selected:
            changed |= self._update_status(event, event_type, received_at)
        if self._moved or self._learned:
            return self._result(changed)
        return _OUTCOMES.get(changed) or _outcome(changed)

    def _result(self, changed: int) -> Outcome:
        """The Outcome of a change mask and of the places moved since the last one."""
        if not self._moved and not self._learned:
            return _outcome(changed)
        outcome = Outcome(
            duplicate=False,
            changed=_outcome(changed).changed,
            places=frozenset(self._moved),
            learned=tuple(self._learned),
        )
        self._moved.clear()
        self._learned.clear()
        return outcome

    def _track(
        self,
        event: BulutfonEvent,
        uuid: str,
        event_type: EventType,
        now: float,
        received_at: datetime,
        *,
        count_today: bool = True,
    ) -> int:
        """Record the event in the call's history: the change mask, or -1 for a repeat."""
        changed = 0
        call = self._calls.get(uuid)
        if call is None:
            call = self._calls[uuid] = _Call()
            if len(self._calls) > self._history_size:
                old_uuid, old_call = self._calls.popitem(last=False)
                changed = self._end(old_uuid, old_call)
        else:
            self._calls.move_to_end(uuid)
        bit = _TYPE_BIT[event_type]
        # place_of_event, unrolled: this runs for every event.
        kind = REACHED_KINDS.get(event_type)
        if kind is not None:
            number = destination_number(event.destination)
            place = None if number is None else Place(kind, number)
        elif event.user_id is None and event.team_id is None:
            place = None
        else:
            place = _member_place(event)
        if event.answered is False and call.types & _ANSWERED_BIT:
            # A start that says nobody answered yet, of a call a person already answered:
            # late or again (webhooks arrive out of order and twice). It says nothing of
            # where the call is now: the user who talks keeps it, no team waits for it.
            place = None
        # Seen before: a repeat, unless the call moved on to another destination.
        ended = call.state is _ENDED
        if call.types & bit and (place is None or ended or place == call.place):
            return -1
        call.types |= bit
        if event_type in START_TYPES:
            # An end that came before its start keeps the call ended.
            if not ended:
                if uuid not in self._active:
                    self._active[uuid] = now
                    changed |= _ACTIVE if len(self._active) > 1 else _ACTIVE | _BUSY
                    call.state = _call_state(event, event_type)
                    self._count_state(call.state, 1)
                elif call.state is not CallState.TALKING and (
                    event.answered is not None or event_type is EventType.CALL_ANSWERED
                ):
                    self._set_state(call, _call_state(event, event_type))
                if place is not None:
                    call.place = place
                    visit = Visit(event.caller, event.timestamp or received_at)
                    learned = self.places.move(uuid, place, visit, self._moved)
                    if learned is not None:
                        self._learned.append(learned)
            elif place is not None:
                call.place = place
                if self.places.learn(place):  # reached, though already over
                    self._learned.append(place)
        elif event_type in END_TYPES:
            changed |= self._end(uuid)
            call.state = _ENDED
            if place is not None and self.places.learn(place):
                self._learned.append(place)  # whom it reached, though already over
        if not count_today:
            return changed
        return changed | self._count_today(event, event_type, call)

    def _set_state(self, call: _Call, state: CallState) -> None:
        """Count an active call as `state` (it was counted as call.state, if active)."""
        self._count_state(call.state, -1)
        call.state = state
        self._count_state(state, 1)

    def _count_state(self, state: CallState, step: int) -> None:
        self._recount = True
        if state is CallState.TALKING:
            self._talking += step
        elif state is CallState.IN_CALL:
            self._in_call += step

    def _restate(self) -> int:
        """The change mask of the line's call state, after calls started, ended or moved
        on (only then can it change)."""
        self._recount = False
        state = self.call_state
        if state is self._state:
            return 0
        self._state = state
        return _CALL_STATE

    def _count_today(
        self, event: BulutfonEvent, event_type: EventType, call: _Call | None
    ) -> int:
        """Add a new fact to today's figures; the change mask."""
        today = self.today
        if event_type in START_TYPES:
            # _count_direction, unrolled: most events are starts.
            direction = event.direction
            if direction not in ("IN", "OUT"):
                return 0
            if call is not None:
                if call.types & _DIRECTION_COUNTED:
                    return 0
                call.types |= _DIRECTION_COUNTED
            if direction == "IN":
                if call is not None:
                    call.types |= _INCOMING
                today.incoming_calls += 1
                return _DAILY_BIT["incoming_calls"]
            today.outgoing_calls += 1
            return _DAILY_BIT["outgoing_calls"]
        changed = 0
        if event_type in END_TYPES and call is not None and event.answered is not None:
            # An end that is a whole call record (it knows whether the call was answered:
            # Hipcall's) counts which way the call went when its start never came.
            changed = self._count_direction(event, call)
        if event_type is EventType.MISSING_CALL:
            today.missed_calls += 1
            return changed | _DAILY_BIT["missed_calls"]
        if event_type is EventType.CALL_HANGUP:
            if event.talk_duration:
                today.talk_time += event.talk_duration
                changed |= _TALK_TIME
            disposition = event.result_disposition
            if (
                event.answered
                or (disposition is not None and disposition.upper() == "SUCCESS")
                or (call is not None and call.types & _ANSWERED_BIT)
            ) and _incoming(event, call):
                today.answered_calls += 1
                changed |= _DAILY_BIT["answered_calls"]
        return changed

    def _count_direction(self, event: BulutfonEvent, call: _Call | None) -> int:
        """Count a call as incoming or outgoing today, once; the change mask."""
        direction = event.direction
        if direction not in ("IN", "OUT"):
            return 0
        if call is not None:
            if call.types & _DIRECTION_COUNTED:
                return 0
            call.types |= _DIRECTION_COUNTED
        if direction == "IN":
            if call is not None:
                call.types |= _INCOMING
            self.today.incoming_calls += 1
            return _DAILY_BIT["incoming_calls"]
        self.today.outgoing_calls += 1
        return _DAILY_BIT["outgoing_calls"]

    def new_day(self, day: date) -> frozenset[Status]:
        """Start today's figures again from 0 for `day` (local midnight); what changed."""
        return frozenset(Status(f"{name}_today") for name in self.today.new_day(day))

    def place_of_call(self, uuid: str | None) -> Place | None:
        """Where a recent call was last (the destination it reached), or None."""
        call = None if uuid is None else self._calls.get(uuid)
        return None if call is None else call.place

    def forget_place(self, place: Place) -> Outcome:
        """Stop showing a place (its device was deleted); it comes back with its next call."""
        if not self.places.forget(place):
            return _NOTHING
        return Outcome(duplicate=False, changed=frozenset(), places=frozenset({place}))

    def _end(self, uuid: str, call: _Call | None = None) -> int:
        self.places.leave(uuid, self._moved)
        if self._active.pop(uuid, None) is None:
            return 0
        if call is None:
            call = self._calls.get(uuid)
        if call is not None:
            self._count_state(call.state, -1)
        return _ACTIVE if self._active else _ACTIVE | _BUSY

    def _update_status(
        self, event: BulutfonEvent, event_type: EventType, received_at: datetime
    ) -> int:
        status = self.status
        if event_type in START_TYPES:
            if event.direction in (None, "IN"):
                last = status.last_caller
                if (
                    event_type is EventType.CALL_ANSWERED
                    and last is not None
                    and last.uuid is not None
                    and last.uuid == event.uuid
                ):
                    # The answer of the call shown: it only adds who took it.
                    if event.user_id is None or event.user_id == last.user_id:
                        return 0
                    info = replace(last, user_id=event.user_id)
                else:
                    info = CallInfo.from_event(event, received_at)
                    if (
                        last is not None
                        and info.user_id is None
                        and last.uuid is not None
                        and last.uuid == event.uuid
                    ):
                        # A late start of the call shown keeps who took it.
                        info = replace(info, user_id=last.user_id)
                if info != last:
                    status.last_caller = info
                    return _BIT[Status.LAST_CALLER]
        elif event_type is EventType.MISSING_CALL:
            status.missed_calls += 1
            changed = _BIT[Status.MISSED_CALLS] | self._recovered_caller(
                event, received_at
            )
            info = CallInfo.from_event(event, received_at)
            if info.destination is None:
                info = replace(info, destination=self._last_destination(event.uuid))
            if event.replayed and _older(info.time, status.last_missed_caller):
                return changed
            if info != status.last_missed_caller:
                status.last_missed_caller = info
                changed |= _BIT[Status.LAST_MISSED_CALLER]
            if event.talk_duration is not None and event.answered is not None:
                # A whole call record's missed call (Hipcall's: its only end event) is the
                # last call too; classic Bulutfon follows its missing_call with a hangup.
                result = CallResult.from_event(event, received_at)
                if result != status.last_call and not (
                    event.replayed and _older(result.time, status.last_call)
                ):
                    status.last_call = result
                    changed |= _BIT[Status.LAST_CALL_DURATION]
            return changed
        elif event_type is EventType.CALL_HANGUP:
            changed = self._recovered_caller(event, received_at)
            if event.talk_duration is not None:
                result = CallResult.from_event(event, received_at)
                if result != status.last_call and not (
                    event.replayed and _older(result.time, status.last_call)
                ):
                    status.last_call = result
                    changed |= _BIT[Status.LAST_CALL_DURATION]
            return changed
        elif event_type is EventType.FAX_INIT:
            info = CallInfo.from_event(event, received_at)
            if info != status.last_fax_sender:
                status.last_fax_sender = info
                return _BIT[Status.LAST_FAX_SENDER]
        return 0

    def _recovered_caller(self, event: BulutfonEvent, received_at: datetime) -> int:
        """A recovered incoming call is the last caller when newer than the one shown
        (its start was never pushed: its record is all there is)."""
        if not event.replayed or event.direction not in (None, "IN"):
            return 0
        info = CallInfo.from_event(event, received_at)
        status = self.status
        if _older(info.time, status.last_caller) or info == status.last_caller:
            return 0
        status.last_caller = info
        return _BIT[Status.LAST_CALLER]

    def _last_destination(self, uuid: str | None) -> str | None:
        """Where a call was last (the extension, group or menu it reached), if known."""
        call = None if uuid is None else self._calls.get(uuid)
        return None if call is None or call.place is None else call.place.number

    def expire(self, now: float) -> Outcome:
        """Drop calls whose end never came; return what that changed."""
        changed = self._expire(now)
        if self._recount:
            changed |= self._restate()
        return self._result(changed)

    def _expire(self, now: float) -> int:
        changed = 0
        deadline = now - self._stale_after
        active = self._active
        while active:
            uuid, started = next(iter(active.items()))
            if started > deadline:
                break
            changed |= self._end(uuid)
        return changed

    def reset_missed_calls(self) -> frozenset[Status]:
        """Set the missed-call count back to 0; calls already counted stay counted."""
        if self.status.missed_calls == 0:
            return _NOTHING.changed
        self.status.missed_calls = 0
        return _outcome(_BIT[Status.MISSED_CALLS]).changed

    def counted_missed_calls(self, limit: int = MISSED_KEPT) -> list[str]:
        """The uuids of the latest calls counted as missed, oldest first (kept across a
        restart, so that Bulutfon repeating one afterwards does not count it again)."""
        bit = _TYPE_BIT[EventType.MISSING_CALL]
        found: list[str] = []
        for uuid in reversed(self._calls):
            if self._calls[uuid].types & bit:
                found.append(uuid)
                if len(found) == limit:
                    break
        found.reverse()
        return found

    def remember_missed_calls(self, uuids: Any) -> None:
        """Take back what counted_missed_calls gave before a restart (ignores bad data).

        The uuids pass the webhook's text rule again: an older version saved them as they
        came, and one that cannot be encoded would keep Home Assistant from saving the
        state of every entity at the next shutdown.
        """
        if not isinstance(uuids, list):
            return
        bit = _TYPE_BIT[EventType.MISSING_CALL]
        # Newest first, each put in front: the oldest ends up first, forgotten first.
        for value in reversed(uuids[-MISSED_KEPT:]):
            uuid = bounded_text(value) if isinstance(value, str) else None
            if uuid is None:
                continue
            if (known := self._calls.get(uuid)) is not None:
                # Remembered through the other list too: what both say was seen.
                known.types |= bit
                known.state = _ENDED
                continue
            if len(self._calls) >= self._history_size:
                break
            call = _Call()
            call.types = bit
            call.state = _ENDED
            self._calls[uuid] = call
            self._calls.move_to_end(uuid, last=False)

    def counted_calls(self, limit: int = COUNTED_KEPT) -> list[list[str]]:
        """The latest calls the day's figures counted, oldest first, as [uuid, facts]
        pairs (facts: letters of _COUNTED_FACTS). Kept across a restart, so that Bulutfon
        delivering a call's event again afterwards does not count it again."""
        found: list[list[str]] = []
        calls = self._calls
        for uuid in reversed(calls):
            if counted := calls[uuid].types & _COUNTED_ANY:
                facts = "".join(
                    letter for letter, bit in _COUNTED_FACTS.items() if counted & bit
                )
                found.append([uuid, facts])
                if len(found) == limit:
                    break
        found.reverse()
        return found

    def remember_counted_calls(self, saved: Any) -> None:
        """Take back what counted_calls gave before a restart; bad data is ignored.

        A call remembered with its hangup or miss is over: its events are repeats. One
        remembered with its direction only may still be under way: its start is taken
        again (the line is busy again) but not counted again.
        """
        if not isinstance(saved, list):
            return
        calls = self._calls
        # Newest first, each put in front: the oldest ends up first, forgotten first.
        for item in reversed(saved[-COUNTED_KEPT:]):
            if not (
                isinstance(item, list)
                and len(item) == 2
                and isinstance(item[0], str)
                and isinstance(item[1], str)
            ):
                continue
            uuid = bounded_text(item[0])
            bits = 0
            for letter in item[1][: len(_COUNTED_FACTS)]:
                bits |= _COUNTED_FACTS.get(letter, 0)
            if uuid is None or not bits:
                continue
            if (known := calls.get(uuid)) is not None:
                # Remembered through the other list too: what both say was seen (the
                # missed calls' list knows no hangup; losing it made a hangup new).
                known.types |= bits
                if bits & _ENDS:
                    known.ended = True
                continue
            if len(calls) >= self._history_size:
                break
            call = _Call()
            call.types = bits
            call.ended = bool(bits & _ENDS)
            calls[uuid] = call
            calls.move_to_end(uuid, last=False)

    def snapshot(self) -> dict[str, Any]:
        """Counters for diagnostics (no phone numbers)."""
        return {
            "active_calls": len(self._active),
            "remembered_calls": len(self._calls),
            "missed_calls": self.status.missed_calls,
            **self.places.snapshot(),
        }
