"""Who to call back: the callers a line missed and has not reached since.

Plain Python without Home Assistant imports, beside the call tracker (calls.py) and with the
same "what changed" answer: every change returns the set of Status parts that moved (here
only Status.CALLBACKS), a repeat or an event that does not concern the list returns nothing.

- A missed call adds an open item for its caller, or updates the caller's open item (count,
  last time, where it rang). Callers are matched by their number in any notation
  (phonebook.number_key): "+90 532 ...", "0532 ..." and "90532..." are one caller.
- A call that a person answered, from or to that number, completes the item (reached()).
- People tick, edit or delete items by hand; a ticked item opens again with the caller's next
  missed call. A hand-edited summary or description is kept through later updates.
- Calls without a number (hidden, empty, "anonymous") and outgoing calls add nothing.
- Bounded: MAX_OPEN open items (the oldest open item goes when a new caller comes past it)
  and finished items are kept DONE_KEPT, at most MAX_DONE of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import hashlib
import logging
from typing import Any, Final

from .calls import Status
from .phonebook import Phonebook, number_key
from .places import Place, PlaceKind, member_id
from .protocol import (
    MAX_FREE_TEXT_LENGTH,
    BulutfonEvent,
    EventType,
    bounded_text,
    call_time,
    event_time,
    phone_digits,
    usable_time,
    whole_number,
)
from .wording import callback_description, caller_state, place_label

_LOGGER = logging.getLogger(__package__)

MAX_OPEN: Final = 200
"""Open items kept; a new caller past this pushes out the one missed longest ago."""

MAX_DONE: Final = 200
"""Finished items kept (the most recently finished)."""

DONE_KEPT: Final = timedelta(days=3)
"""How long a finished item stays on the list."""

UUIDS_KEPT: Final = 20
"""Missed-call uuids remembered per item, so a repeated delivery counts once."""

MAX_MISSED: Final = 9999
"""The count an item shows at most."""

MAX_TEXT: Final = MAX_FREE_TEXT_LENGTH
"""Longest summary or description a person can give an item."""

CHANGED: Final = frozenset({Status.CALLBACKS})
NOTHING: Final[frozenset[Status]] = frozenset()

_OUTGOING: Final = "OUT"


def reached(event: BulutfonEvent) -> bool:
    """Whether a person talked on this event's call: the rule that completes an item.

    Hipcall says so itself (`answered`: bridged); on classic Bulutfon an end of call with
    talk time, or with the result disposition SUCCESS, is a call someone answered.
    """
    event_type = event.type
    if event_type is EventType.CALL_ANSWERED:
        return True
    if event_type is not EventType.CALL_HANGUP:
        return False
    if event.answered:
        return True
    disposition = event.result_disposition
    return bool(event.talk_duration) or (
        disposition is not None and disposition.upper() == "SUCCESS"
    )


def caller_key(number: str | None) -> str | None:
    """The key one caller is known by in any notation; None for no number to call back."""
    key = number_key(number)
    if key is None or not key.strip("0"):
        return None
    return key


def _place_of(event: BulutfonEvent) -> Place | None:
    """Where a missed Hipcall call rang, from the event itself: the user, else the team."""
    if event.user_id is not None and (user := member_id(event.user_id)) is not None:
        return Place(PlaceKind.USER, user)
    if event.team_id is not None and (team := member_id(event.team_id)) is not None:
        return Place(PlaceKind.TEAM, team)
    return None


@dataclass(slots=True, kw_only=True)
class Callback:
    """One caller to call back."""

    uid: str
    number: str
    """The caller's number in digits, as the latest missed call sent it."""
    missed: int
    last_missed: datetime
    first_missed: datetime
    place: Place | None = None
    """Where the latest missed call rang."""
    done_at: datetime | None = None
    summary: str | None = None
    """A summary a person typed (else the entity shows the name or number)."""
    description: str | None = None
    """A description a person typed (else the entity words the facts)."""
    uuids: tuple[str, ...] = field(default_factory=tuple)
    voicemail: bool = False
    """Whether a missed call since the item (re)opened left a voicemail (never its link:
    a to-do description is no place for a pre-signed recording URL)."""

    @property
    def done(self) -> bool:
        """Whether the caller was reached or the item ticked."""
        return self.done_at is not None

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe data for the store."""
        return {
            "uid": self.uid,
            "number": self.number,
            "missed": self.missed,
            "last_missed": self.last_missed.isoformat(),
            "first_missed": self.first_missed.isoformat(),
            "place": None if self.place is None else list(self.place),
            "done_at": None if self.done_at is None else self.done_at.isoformat(),
            "summary": self.summary,
            "description": self.description,
            "uuids": list(self.uuids),
            "voicemail": self.voicemail,
        }

    @classmethod
    def from_dict(cls, data: Any, now: datetime) -> Callback | None:
        """Rebuild what as_dict saved; None for anything that does not fit.

        Times pass the one time rule against `now` (when the data is read).
        """
        if not isinstance(data, Mapping):
            return None
        uid = bounded_text(data.get("uid"))
        number = phone_digits(data.get("number"))
        last = _time(data.get("last_missed"), now)
        if uid is None or number is None or last is None:
            return None
        place = None
        if isinstance(raw := data.get("place"), list) and len(raw) == 2:
            kind, place_number = raw
            if kind in set(PlaceKind) and (
                (number_text := member_id(place_number)) is not None
            ):
                place = Place(PlaceKind(kind), number_text)
        uuids = data.get("uuids")
        done_at = data.get("done_at")
        return cls(
            uid=uid,
            number=number,
            missed=max(1, min(whole_number(data.get("missed")) or 1, MAX_MISSED)),
            last_missed=last,
            first_missed=min(_time(data.get("first_missed"), now) or last, last),
            place=place,
            # A finished item whose time does not fit stays finished (as shown).
            done_at=_time(done_at, now) or (now if isinstance(done_at, str) else None),
            summary=_text(data.get("summary")),
            description=_text(data.get("description")),
            uuids=tuple(
                uuid
                for value in (uuids if isinstance(uuids, list) else [])[-UUIDS_KEPT:]
                if isinstance(value, str) and (uuid := bounded_text(value))
            ),
            voicemail=data.get("voicemail") is True,
        )


def _time(value: Any, now: datetime) -> datetime | None:
    """A saved time by the one time rule (protocol.usable_time), else None."""
    if not isinstance(value, str):
        return None
    return usable_time(event_time(value), now)


def _text(value: Any) -> str | None:
    return bounded_text(value, MAX_TEXT, cut=True) if isinstance(value, str) else None


class CallbackList:
    """One line's call-back list: keyed by caller, newest missed first when listed."""

    def __init__(
        self,
        *,
        max_open: int = MAX_OPEN,
        max_done: int = MAX_DONE,
        done_kept: timedelta = DONE_KEPT,
    ) -> None:
        """Start with an empty list."""
        self._items: dict[str, Callback] = {}  # caller key -> item
        self._by_uid: dict[str, str] = {}  # uid -> caller key
        self._max_open = max_open
        self._max_done = max_done
        self._done_kept = done_kept

    def __len__(self) -> int:
        """How many items the list holds, open and finished."""
        return len(self._items)

    def __iter__(self) -> Iterator[Callback]:
        """Open items first, the latest missed first; then finished, the latest first."""
        items = self._items.values()
        open_items = sorted(
            (item for item in items if not item.done),
            key=lambda item: item.last_missed,
            reverse=True,
        )
        done = sorted(
            (item for item in items if item.done_at is not None),
            key=lambda item: item.done_at or item.last_missed,
            reverse=True,
        )
        return iter(open_items + done)

    @property
    def open_items(self) -> list[Callback]:
        """The callers still to call back, the latest missed first."""
        return [item for item in self if not item.done]

    def get(self, uid: str) -> Callback | None:
        """The item with this uid, or None."""
        key = self._by_uid.get(uid)
        return None if key is None else self._items.get(key)

    def uid_for(self, number: str | None) -> str | None:
        """The uid of a caller's item (open or finished), or None."""
        key = caller_key(phone_digits(number))
        item = None if key is None else self._items.get(key)
        return None if item is None else item.uid

    def receive(
        self,
        event: BulutfonEvent,
        *,
        received_at: datetime,
        place: Place | None = None,
    ) -> frozenset[Status]:
        """Apply one call event: a missed call adds or updates, a reached call completes.

        `place` is where the call model saw the call last (the extension or group it
        reached); a Hipcall event names its user or team itself.
        """
        if event.type is EventType.MISSING_CALL:
            return self._missed(event, received_at, _place_of(event) or place)
        if reached(event):
            changed = NOTHING
            for party in (event.caller, event.callee):
                if (key := caller_key(phone_digits(party))) is not None:
                    changed |= self._complete(
                        key, min(call_time(event.timestamp, received_at), received_at)
                    )
            return changed
        return NOTHING

    def _missed(
        self, event: BulutfonEvent, received_at: datetime, place: Place | None
    ) -> frozenset[Status]:
        if event.direction == _OUTGOING:
            return NOTHING
        number = phone_digits(event.caller)
        key = caller_key(number)
        if key is None or number is None:
            return NOTHING
        # Never after its arrival (issue 25): a call dated ahead does not sort before
        # the callers who really called last.
        when = min(call_time(event.timestamp, received_at), received_at)
        item = self._items.get(key)
        uuid = event.uuid
        if item is not None and uuid is not None and uuid in item.uuids:
            return NOTHING
        uuids = () if uuid is None else (uuid,)
        if item is None:
            uid = _uid(key, when)
            item = Callback(
                uid=uid,
                number=number,
                missed=1,
                last_missed=when,
                first_missed=when,
                place=place,
                uuids=uuids,
                voicemail=event.voicemail_url is not None,
            )
            self._items[key] = item
            self._by_uid[uid] = key
            self._bound_open()
            return CHANGED
        if item.done:
            # Reached before: the caller's new missed call starts the item again.
            item.done_at = None
            item.missed = 1
            item.first_missed = item.last_missed = when
            item.place = place
            item.number = number
            item.uuids = (*item.uuids, *uuids)[-UUIDS_KEPT:]
            item.voicemail = event.voicemail_url is not None
            # Open again, it counts against MAX_OPEN like a new caller: the bound holds at
            # every moment, so a restart never has to drop what was shown.
            self._bound_open()
            return CHANGED
        item.missed = min(item.missed + 1, MAX_MISSED)
        item.last_missed = max(item.last_missed, when)
        item.place = place or item.place
        item.number = number
        item.uuids = (*item.uuids, *uuids)[-UUIDS_KEPT:]
        item.voicemail = item.voicemail or event.voicemail_url is not None
        return CHANGED

    def _complete(self, key: str, when: datetime) -> frozenset[Status]:
        item = self._items.get(key)
        if item is None or item.done:
            return NOTHING
        item.done_at = when
        self._bound_done()
        return CHANGED

    def set_done(self, uid: str, done: bool, *, now: datetime) -> frozenset[Status]:
        """Tick an item, or open it again, by hand."""
        item = self.get(uid)
        if item is None or item.done == done:
            return NOTHING
        item.done_at = now if done else None
        if done:
            self._bound_done()
        else:
            self._bound_open()
        return CHANGED

    def edit(
        self, uid: str, *, summary: str | None, description: str | None
    ) -> frozenset[Status]:
        """Keep a summary or description a person typed (None: leave it as it is)."""
        item = self.get(uid)
        if item is None:
            return NOTHING
        changed = NOTHING
        if summary is not None and (text := _text(summary)) != item.summary:
            item.summary = text
            changed = CHANGED
        if description is not None:
            text = _text(description)
            if text != item.description:
                item.description = text
                changed = CHANGED
        return changed

    def delete(self, uids: list[str]) -> frozenset[Status]:
        """Remove items by uid (unknown uids are ignored)."""
        changed = NOTHING
        for uid in uids:
            key = self._by_uid.pop(uid, None)
            if key is not None and self._items.pop(key, None) is not None:
                changed = CHANGED
        return changed

    def prune(self, now: datetime) -> frozenset[Status]:
        """Drop finished items older than DONE_KEPT."""
        old = [
            item.uid
            for item in self._items.values()
            if item.done_at is not None and item.done_at <= now - self._done_kept
        ]
        return self.delete(old)

    def _bound_open(self) -> None:
        open_items = [item for item in self._items.values() if not item.done]
        excess = len(open_items) - self._max_open
        if excess > 0:
            open_items.sort(key=lambda item: item.last_missed)
            self.delete([item.uid for item in open_items[:excess]])

    def _bound_done(self) -> None:
        done = [item for item in self._items.values() if item.done_at is not None]
        excess = len(done) - self._max_done
        if excess > 0:
            done.sort(key=lambda item: item.done_at or item.last_missed)
            self.delete([item.uid for item in done[:excess]])

    def as_dict(self) -> dict[str, Any]:
        """The whole list as JSON-safe data for the store."""
        return {"items": [item.as_dict() for item in self]}

    @classmethod
    def from_dict(cls, data: Any, now: datetime | None = None) -> CallbackList:
        """Rebuild a stored list; items that do not fit, or repeat a caller, are left out
        (with a debug line: saved data is outside input too, never an exception)."""
        callbacks = cls()
        if now is None:
            now = datetime.now(UTC)
        items = data.get("items") if isinstance(data, Mapping) else None
        skipped = 0
        for raw in items if isinstance(items, list) else []:
            item = Callback.from_dict(raw, now)
            if item is None or (key := caller_key(item.number)) is None:
                skipped += 1
                continue
            if key in callbacks._items or item.uid in callbacks._by_uid:
                skipped += 1
                continue
            callbacks._items[key] = item
            callbacks._by_uid[item.uid] = key
        if skipped:
            _LOGGER.debug("Skipped %s saved call-back item(s) that do not fit", skipped)
        callbacks._bound_open()
        callbacks._bound_done()
        return callbacks

    def snapshot(self) -> dict[str, int]:
        """Counters for diagnostics (no numbers)."""
        open_count = sum(1 for item in self._items.values() if not item.done)
        return {"callbacks_open": open_count, "callbacks_done": len(self) - open_count}


def _uid(key: str, when: datetime) -> str:
    """A stable uid that shows no number (uids reach the frontend and diagnostics)."""
    return hashlib.blake2s(
        f"{key}|{when.isoformat()}".encode(), digest_size=8
    ).hexdigest()


def item_summary(item: Callback, phonebook: Phonebook) -> str:
    """What the list shows for a caller: the typed summary, the name, else the number."""
    return (
        item.summary
        or caller_state(item.number, phonebook.name_for(item.number))
        or item.number
    )


def item_description(
    item: Callback,
    phonebook: Phonebook,
    language: str,
    to_local: Callable[[datetime], datetime],
    place_name: Callable[[Place], str | None] | None = None,
) -> str:
    """The typed description, else how many missed calls, when (local) and where it rang
    (named by `place_name`, else by the phone book: a Hipcall team by its name)."""
    if item.description:
        return item.description
    place = None
    if item.place is not None:
        name = (
            place_name(item.place)
            if place_name is not None
            else phonebook.name_for(item.place.number)
        )
        place = place_label(item.place.kind, item.place.number, name, language)
    return callback_description(
        item.missed,
        to_local(item.last_missed),
        place,
        language,
        voicemail=item.voicemail,
    )
