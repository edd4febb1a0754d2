"""One PBX line at run time: events in, bus events and entity updates out."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http import HTTPStatus
import logging
import time
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .callbacks import CallbackList
from .calls import CallTracker, Status
from .const import EVENT_BULUTFON, PLATFORM_BULUTFON
from .phonebook import Phonebook
from .places import Place, PlaceKind
from .protocol import END_TYPES, BulutfonEvent, EventType, dated
from .recovery import RecoveryLedger
from .wording import line_name, readable_number

if TYPE_CHECKING:
    from .hipcall_account import HipcallAccount
    from .router import CallRouter

_LOGGER = logging.getLogger(__package__)

SEEN_STORE_VERSION = 1
SEEN_SAVE_DELAY = 10.0
"""Seconds between saves of what the line has seen (and at Home Assistant's stop)."""

RECENT_EVENTS = 20
"""How many recent events diagnostics show."""

WARN_EVERY = 60.0
"""Seconds between warnings for one kind of rejection; the others are debug lines."""

type EventListener = Callable[[BulutfonEvent, dict[str, Any]], None]
type PlaceLearnedListener = Callable[[Place], None]


@dataclass(slots=True)
class LineSettings:
    """What the user chose for this line (entry data and options, parsed once)."""

    number: str
    selected: frozenset[EventType]
    username: str | None = None
    password: str | None = None
    phonebook: Phonebook = field(default_factory=Phonebook)
    daily_reset: bool = False
    platform: str = PLATFORM_BULUTFON
    """Which platform posts to this line: PLATFORM_BULUTFON or PLATFORM_HIPCALL."""


class PhoneLine:
    """Everything one config entry owns while it is loaded.

    The webhook hands it parsed events; it asks the CallTracker what changed, fires one
    `bulutfon_event` and tells only the entities whose state moved.
    """

    def __init__(
        self, hass: HomeAssistant, settings: LineSettings, device_id: str
    ) -> None:
        """Start with an idle line."""
        self.hass = hass
        self.settings = settings
        self.device_id = device_id
        self.tracker = CallTracker()
        self.callbacks = CallbackList()
        """Who to call back (replaced by the stored list at setup)."""
        self.store: Store[dict[str, Any]] | None = None
        """Where the call-back list is kept across restarts."""
        self.seen_store: Store[dict[str, Any]] | None = None
        """Where the calls already seen are kept across restarts (async_load_seen)."""
        self._seen_save_pending = False
        self._next_day_at = 0.0
        self._start_day()
        self.rejected: Counter[int] = Counter()
        # (type, uuid, received) of the latest events, formatted only for diagnostics.
        self.recent: deque[tuple[str, str | None, datetime]] = deque(
            maxlen=RECENT_EVENTS
        )
        self.accepted = 0
        self.duplicates = 0
        self.closed = False
        """Set when the entry unloads: a request still in flight is then not processed."""
        self.call_entity_id: str | None = None
        """The call event entity's id, while it is added: bulutfon_event data carries it,
        so that the logbook lists the event's line under the device's entities."""
        self.router: CallRouter | None = None
        """Answers call routing (BulutfonXM) requests while routing is on."""
        self._status_listeners: dict[Status, list[CALLBACK_TYPE]] = {}
        self._place_listeners: dict[Place, list[CALLBACK_TYPE]] = {}
        self._learned_listeners: dict[PlaceKind, list[PlaceLearnedListener]] = {}
        self._event_listeners: list[EventListener] = []
        self._answer_listeners: list[Callable[[int], None]] = []
        self._last_warning: dict[int, float] = {}
        # What async_process leaves for the next loop turn (see _flush).
        self._pending_status: set[Status] = set()
        self._pending_places: set[Place] = set()
        self._pending_learned: list[Place] = []
        self._pending_events: list[tuple[BulutfonEvent, dict[str, Any]]] = []
        self._flush_scheduled = False
        self.ledger: RecoveryLedger | None = None
        """The call ends applied, while the line recovers calls through the API."""
        self.ledger_changed: CALLBACK_TYPE | None = None
        """Called when the ledger took a call end (to store it)."""
        self.account: HipcallAccount | None = None
        """The Hipcall API side, on a Hipcall line with an API token."""
        self.member_names: dict[str, str] = {}
        """Hipcall user id -> the user's name in Hipcall (read through the API)."""
        self.team_names: dict[str, str] = {}
        """Hipcall team id -> the team's name in Hipcall (read through the API)."""

    async def async_load_seen(self, store: Store[dict[str, Any]]) -> None:
        """Take back the calls the line had seen before the restart, and keep them.

        What was seen is the line's fact: a repeat after a restart is a repeat whichever
        entities are enabled. (0.3.0 kept it in the sensors' restore data: those sensors
        still read it back when they are added, so a repeat right after the upgrade is
        recognised too.)
        """
        self.seen_store = store
        data = await store.async_load()
        if isinstance(data, dict):
            # Bad data is ignored item by item: saved data is outside input too.
            self.tracker.remember_missed_calls(data.get("missed"))
            self.tracker.remember_counted_calls(data.get("counted"))
        else:
            _LOGGER.debug("No calls seen before kept for %s", self.settings.platform)

    def seen_data(self) -> dict[str, Any]:
        """What the line has seen, as JSON-safe data for its store (uuids, no numbers)."""
        return {
            "missed": self.tracker.counted_missed_calls(),
            "counted": self.tracker.counted_calls(),
        }

    @callback
    def async_save_seen_later(self) -> None:
        """Save what was seen within SEEN_SAVE_DELAY (and at Home Assistant's stop).

        Once per save: asked again while one is pending, the store would put it off
        again, and a busy line would then save only at the stop.
        """
        if self.seen_store is not None and not self._seen_save_pending:
            self._seen_save_pending = True
            self.seen_store.async_delay_save(self._seen_to_save, SEEN_SAVE_DELAY)

    def _seen_to_save(self) -> dict[str, Any]:
        self._seen_save_pending = False
        return self.seen_data()

    async def async_save_seen_now(self) -> None:
        """Save what was seen now (the entry unloads; a reload reads it back at once)."""
        if self.seen_store is not None:
            await self.seen_store.async_save(self.seen_data())

    @callback
    def async_listen_status(
        self, status: Status, listener: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call `listener` whenever `status` changes; returns the remover."""
        listeners = self._status_listeners.setdefault(status, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def async_listen_place(
        self, place: Place, listener: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call `listener` whenever the calls at `place` change; returns the remover."""
        listeners = self._place_listeners.setdefault(place, [])
        listeners.append(listener)

        def remove() -> None:
            listeners.remove(listener)
            if not listeners:
                self._place_listeners.pop(place, None)

        return remove

    @callback
    def async_listen_learned(
        self, kind: PlaceKind, listener: PlaceLearnedListener
    ) -> CALLBACK_TYPE:
        """Call `listener` with every place of `kind` the line learns; returns the remover."""
        listeners = self._learned_listeners.setdefault(kind, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def async_listen_events(self, listener: EventListener) -> CALLBACK_TYPE:
        """Call `listener` with every event fired on the bus, and its event data."""
        self._event_listeners.append(listener)
        return lambda: self._event_listeners.remove(listener)

    @callback
    def async_listen_answers(self, listener: Callable[[int], None]) -> CALLBACK_TYPE:
        """Call `listener` with the HTTP status of every answered request."""
        self._answer_listeners.append(listener)
        return lambda: self._answer_listeners.remove(listener)

    @callback
    def async_reject(self, status: int, reason: str) -> None:
        """Count and log a rejected request (400, 401, 413); the reason holds no content."""
        self.rejected[status] += 1
        now = time.monotonic()
        level = logging.DEBUG
        if now - self._last_warning.get(status, -WARN_EVERY) >= WARN_EVERY:
            self._last_warning[status] = now
            level = logging.WARNING
        # Named by the line (the office's PBX number, not a caller's): with two lines,
        # the warning says which one Bulutfon is sending wrong credentials to.
        _LOGGER.log(
            level,
            "%s: rejected a webhook request: %s (HTTP %s)",
            line_name(self.settings.number, self.settings.platform),
            reason,
            status,
        )
        for listener in self._answer_listeners:
            listener(status)

    @callback
    def async_close(self) -> None:
        """Stop processing: the entry is unloading (its webhook is unregistered too)."""
        self.closed = True

    @callback
    def async_process(self, event: BulutfonEvent) -> None:
        """Apply one accepted event: the call model now; at the next loop turn the
        entities that changed, then the bus event (see _flush)."""
        if self.closed:
            _LOGGER.debug("Event for an unloaded Bulutfon entry ignored")
            return
        for listener in self._answer_listeners:
            listener(HTTPStatus.OK)
        settings = self.settings
        now = dt_util.utcnow()
        # The one time rule, before anything stores or shows the event's time.
        event = dated(event, now)
        timestamp = now.timestamp()
        # Midnight passed and its timer has not run yet: count this event to the new day.
        if timestamp >= self._next_day_at and (new_day := self._start_day()):
            self._pending_status |= new_day
            self._schedule_flush()
        # A recovered call counts in today's figures only when it happened today.
        count_today = not event.replayed or (
            event.timestamp is not None
            and dt_util.as_local(event.timestamp).date() == self.tracker.today.day
        )
        outcome = self.tracker.receive(
            event,
            selected=settings.selected,
            now=timestamp,
            received_at=now,
            count_today=count_today,
        )
        if (
            self.ledger is not None
            and event.uuid is not None
            and event.type in END_TYPES
        ):
            # Pushed or recovered, the end is applied now (or was: a repeat).
            self.ledger.note(event.uuid, event.timestamp or now, now)
            if self.ledger_changed is not None:
                self.ledger_changed()
        if outcome.duplicate:
            self.duplicates += 1
            _LOGGER.debug(
                "Repeated %s for call %s ignored", event.type_name, event.uuid
            )
            return
        self.accepted += 1
        self.async_save_seen_later()
        if callbacks := self.callbacks.receive(
            event, received_at=now, place=self.tracker.place_of_call(event.uuid)
        ):
            self._pending_status |= callbacks
            self._schedule_flush()
        if event.type is None or event.type in settings.selected:
            data = event.as_dict()
            phonebook = settings.phonebook
            data["caller_name"] = phonebook.name_for(event.caller)
            # The number as people write it (0532 123 45 67), for messages and blueprints.
            data["caller_readable"] = readable_number(event.caller)
            data["callee_name"] = phonebook.name_for(event.callee)
            data["destination_name"] = phonebook.name_for(event.destination)
            data["number"] = settings.number
            data["platform"] = settings.platform
            data["device_id"] = self.device_id
            data["entity_id"] = self.call_entity_id
            if event.type is EventType.MISSING_CALL and (
                uid := self.callbacks.uid_for(event.caller)
            ):
                # The call-back list's item: a notification's "Done" ticks it.
                data["callback_uid"] = uid
            self.recent.append((data["type"], event.uuid, now))
            self._pending_events.append((event, data))
        elif outcome.quiet:
            return
        self._pending_status |= outcome.changed
        if outcome.places:
            self._pending_places |= outcome.places
        if outcome.learned:
            self._pending_learned.extend(outcome.learned)
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.hass.loop.call_soon(self._flush)

    def _flush(self) -> None:
        """Write the entities that changed, then fire the events, at the next loop turn.

        Events that arrive together (a busy PBX posts many at once) are handled in the same
        turn: each entity is then written once for all of them, with its final state. The
        bus events follow the writes, so what they start (an automation) sees those states.
        """
        self._flush_scheduled = False
        changed, self._pending_status = self._pending_status, set()
        places, self._pending_places = self._pending_places, set()
        learned, self._pending_learned = self._pending_learned, []
        events, self._pending_events = self._pending_events, []
        self._notify(changed)
        if learned:
            # A new place's entity writes its state when added: not once more here.
            self._add_places(learned)
            places.difference_update(learned)
        self._notify_places(places)
        fire = self.hass.bus.async_fire
        for event, data in events:
            fire(EVENT_BULUTFON, data)
            # A recovered call is news of the past: the call event entity (what
            # automations on "the last event" watch) shows what happens now.
            if event.type is not None and not event.replayed:
                for event_listener in self._event_listeners:
                    event_listener(event, data)

    @callback
    def async_expire(self) -> None:
        """Drop calls whose end never came."""
        now = dt_util.utcnow()
        outcome = self.tracker.expire(now.timestamp())
        self._notify(outcome.changed | self.callbacks.prune(now))
        self._notify_places(outcome.places)

    @callback
    def async_new_day(self) -> None:
        """Start today's figures again if the local date moved on (run at midnight)."""
        if dt_util.utcnow().timestamp() >= self._next_day_at:
            self._notify(self._start_day())

    def _start_day(self) -> frozenset[Status]:
        """Count from the local date of now; remember when the next day starts."""
        today = dt_util.now().date()
        self._next_day_at = dt_util.start_of_local_day(
            today + timedelta(days=1)
        ).timestamp()
        return self.tracker.new_day(today)

    @callback
    def async_learn_places(self, places: Collection[Place]) -> None:
        """Learn places known before their first call (Hipcall's users, from the API):
        their entities are added now."""
        learned = [
            place for place in places if self.tracker.places.learn(place, trusted=True)
        ]
        if learned:
            self._add_places(learned)

    @callback
    def async_forget_place(self, place: Place) -> None:
        """Stop showing a place whose device the user deleted."""
        self._notify_places(self.tracker.forget_place(place).places)

    def _add_places(self, learned: list[Place]) -> None:
        for place in learned:
            for listener in self._learned_listeners.get(place.kind, ()):
                listener(place)

    def _notify_places(self, places: Collection[Place]) -> None:
        for place in places:
            for listener in self._place_listeners.get(place, ()):
                listener()

    @callback
    def async_callbacks_changed(self, changed: Collection[Status]) -> None:
        """Tell the list's entity (and its store) that people changed the list."""
        self._notify(changed)

    @callback
    def async_reset_missed_calls(self) -> None:
        """Set the missed-call count back to 0."""
        self._notify(self.tracker.reset_missed_calls())

    def _notify(self, changed: Collection[Status]) -> None:
        for status in changed:
            for listener in self._status_listeners.get(status, ()):
                listener()
