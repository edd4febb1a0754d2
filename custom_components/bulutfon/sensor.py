"""Sensors: the call state, active calls, missed calls, the last caller, missed caller, call
and fax (classic only), today's figures, and the calls waiting at each ring group or Hipcall
team the line has learned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
import math
from typing import Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import (
    ExtraStoredData,
    RestoredExtraData,
    RestoreEntity,
)
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import DurationConverter

from . import BulutfonConfigEntry
from .calls import (
    CallInfo,
    CallResult,
    CallState,
    CallTracker,
    Status,
    record_as_dict,
    record_from_dict,
    record_from_state,
)
from .const import DOMAIN, PLATFORM_HIPCALL
from .entity import WAITING_KINDS, BulutfonEntity, BulutfonPlaceEntity, place_key
from .line import PhoneLine
from .phonebook import Phonebook
from .places import Place, PlaceKind
from .protocol import whole_number
from .router import RouteTally
from .wording import HIDDEN_NUMBER, attribute_code, caller_state

PARALLEL_UPDATES = 0

CLASSIC_CALL_STATES: list[str] = [CallState.IDLE.value, CallState.IN_CALL.value]
"""Classic Bulutfon never says whether a call was answered: a call is "In call" until
it ends."""
HIPCALL_CALL_STATES: list[str] = [
    CallState.IDLE.value,
    CallState.RINGING.value,
    CallState.TALKING.value,
    CallState.IN_CALL.value,  # a call of Hipcall's 2023 envelope, which never says either
]


def display_minutes(seconds: int) -> float:
    """Whole seconds as minutes that the frontend shows as those seconds ("3m 58s").

    The frontend takes the seconds from the fraction and rounds them down, so 238 s as
    238 / 60 = 3.96666… reads "3m 57s" (the float is a hair short). The plain quotient
    when it reads right, else the quotient raised by under a thousandth of a second.
    """
    exact = round(seconds / 60, 5)
    whole = math.floor(exact)
    if math.floor(60 * (exact - whole)) == seconds % 60:
        return exact
    return (seconds * 100_000 // 60 + 1) / 100_000


def _hipcall_extras(
    record: CallInfo | CallResult, names: tuple[str, ...]
) -> dict[str, Any]:
    """The Hipcall fields of a record that it carries (classic records carry none)."""
    return {
        name: value for name in names if (value := getattr(record, name)) is not None
    }


CLASSIC_ONLY: Final = (
    "destination",
    "cdr_url",
    "cdr_api_url",
    "hangup_detail",
    "result_disposition",
)
"""Attributes Hipcall never fills: left out on a Hipcall line rather than shown as
"Call record in Bulutfon: Unknown"."""


def _for_platform(line: PhoneLine, attributes: dict[str, Any]) -> dict[str, Any]:
    """The attributes as the line's platform has them: a Hipcall line's without the
    classic-only ones, and with the Hipcall user's name beside the id when it is known."""
    if line.settings.platform != PLATFORM_HIPCALL:
        return attributes
    for classic in CLASSIC_ONLY:
        attributes.pop(classic, None)
    if (user := attributes.get("user_id")) is not None:
        name = line.settings.phonebook.name_for(user) or line.member_names.get(user)
        if name:
            attributes["user"] = name
    return attributes


def _call_attributes(info: CallInfo | None, phonebook: Phonebook) -> dict[str, Any]:
    """Who called whom: numbers as digits (for automations), codes as translated."""
    if info is None:
        return {}
    return {
        "caller": info.caller,
        "caller_name": phonebook.name_for(info.caller),
        "callee": info.callee,
        "callee_name": phonebook.name_for(info.callee),
        "direction": attribute_code("direction", info.direction),
        "destination": info.destination,
        "time": info.time,
        "uuid": info.uuid,
        **_hipcall_extras(info, ("user_id",)),
    }


def _result_attributes(
    result: CallResult | None, phonebook: Phonebook
) -> dict[str, Any]:
    if result is None:
        return {}
    return {
        "caller": result.caller,
        "caller_name": phonebook.name_for(result.caller),
        "callee": result.callee,
        "callee_name": phonebook.name_for(result.callee),
        "hangup_cause": attribute_code("hangup_cause", result.hangup_cause),
        "hangup_detail": attribute_code("hangup_detail", result.hangup_detail),
        "result_disposition": attribute_code(
            "result_disposition", result.result_disposition
        ),
        "cdr_url": result.cdr_url,
        "cdr_api_url": result.cdr_api_url,
        "time": result.time,
        "uuid": result.uuid,
        **_hipcall_extras(result, ("answered", "user_id")),
    }


@dataclass(frozen=True, slots=True)
class Keeper:
    """How a sensor keeps its part of the line's status across a restart."""

    save: Callable[[CallTracker], dict[str, Any]]
    """What to keep (JSON-safe)."""
    restore: Callable[[CallTracker, dict[str, Any]], bool]
    """Put back what save kept; False when it does not fit (then nothing is put back)."""
    from_state: Callable[[CallTracker, State], None]
    """Put back what the last state shows, when the saved data is missing or unreadable."""


@dataclass(frozen=True, kw_only=True)
class BulutfonSensorDescription(SensorEntityDescription):
    """A sensor shows one part of the line's status, and may keep it across restarts."""

    value_fn: Callable[[PhoneLine], StateType]
    attributes_fn: Callable[[PhoneLine], dict[str, Any]] = lambda _line: {}
    keeper: Keeper | None = None


def _save_missed_calls(tracker: CallTracker) -> dict[str, Any]:
    # The calls counted are the line's fact, kept in its own store (PhoneLine.seen_data).
    return {"value": tracker.status.missed_calls}


def _restore_missed_calls(tracker: CallTracker, saved: dict[str, Any]) -> bool:
    count = saved.get("value")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        return False
    tracker.status.missed_calls = count
    # What 0.3.0 kept here: honoured on the first start after the upgrade.
    tracker.remember_missed_calls(saved.get("counted"))
    return True


def _missed_calls_from_state(tracker: CallTracker, last: State) -> None:
    if (count := whole_number(last.state)) is not None:
        tracker.status.missed_calls = count


def _state_seconds(last: State) -> str | None:
    """A duration sensor's last state in whole seconds, from whatever unit it was in."""
    try:
        seconds = DurationConverter.convert(
            float(last.state),
            last.attributes.get(ATTR_UNIT_OF_MEASUREMENT),
            UnitOfTime.SECONDS,
        )
    except ValueError, HomeAssistantError:
        return None
    return str(round(seconds)) if math.isfinite(seconds) else None


def _record_keeper[R: (CallInfo, CallResult)](name: str, kind: type[R]) -> Keeper:
    """The keeper of the LineStatus field `name`, which holds a `kind` record."""

    def save(tracker: CallTracker) -> dict[str, Any]:
        record = getattr(tracker.status, name)
        return {"value": None if record is None else record_as_dict(record)}

    def restore(tracker: CallTracker, saved: dict[str, Any]) -> bool:
        value = saved.get("value", False)
        if value is None:  # saved before any call: nothing to put back
            return True
        record = record_from_dict(kind, value)
        setattr(tracker.status, name, record)
        return record is not None

    def from_state(tracker: CallTracker, last: State) -> None:
        attributes = dict(last.attributes)
        if last.state == HIDDEN_NUMBER:
            attributes["caller_hidden"] = True
        value = last.state
        if name == "last_call":  # a duration in its unit: minutes, seconds before
            value = _state_seconds(last) or value
        record = record_from_state(kind, value, attributes)
        setattr(tracker.status, name, record)

    return Keeper(save, restore, from_state)


def _daily_keeper(figure: str) -> Keeper:
    """The keeper of one of today's figures: kept across a restart on the same day only."""

    def from_state(tracker: CallTracker, last: State) -> None:
        # Only a state written today is today's figure.
        if dt_util.as_local(last.last_updated).date() != tracker.today.day:
            return
        if figure != "talk_time":
            tracker.today.put_back(figure, whole_number(last.state))
            return
        try:  # shown in the user's unit (minutes by default)
            seconds = DurationConverter.convert(
                float(last.state),
                last.attributes.get(ATTR_UNIT_OF_MEASUREMENT),
                UnitOfTime.SECONDS,
            )
        except ValueError, HomeAssistantError:
            return
        if math.isfinite(seconds):
            tracker.today.put_back(figure, round(seconds))

    def save(tracker: CallTracker) -> dict[str, Any]:
        # What was counted is the line's fact, kept in its own store (seen_data).
        return tracker.today.saved(figure)

    def restore(tracker: CallTracker, saved: dict[str, Any]) -> bool:
        # What 0.3.0 kept here: honoured on the first start after the upgrade.
        tracker.remember_counted_calls(saved.get("counted"))
        return tracker.today.restore(figure, saved)

    return Keeper(save=save, restore=restore, from_state=from_state)


def _daily_sensor(figure: str, **kwargs: Any) -> BulutfonSensorDescription:
    """One of today's figures (see daily.py): a total that starts again at midnight."""
    key = Status(f"{figure}_today")
    return BulutfonSensorDescription(
        key=key,
        translation_key=key,
        # Back to 0 at midnight: the recorder takes the drop as a new cycle, so long-term
        # statistics add up days, weeks and months correctly.
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda line: getattr(line.tracker.today, figure),
        keeper=_daily_keeper(figure),
        **kwargs,
    )


def _caller(info: CallInfo | None, phonebook: Phonebook) -> str | None:
    """The phone-book name, else the number as people read it."""
    if info is None:
        return None
    return caller_state(
        info.caller, phonebook.name_for(info.caller), hidden=info.caller_hidden
    )


def _call_sensor(key: Status, field: str) -> BulutfonSensorDescription:
    """A sensor showing a caller: the LineStatus `field` holding a CallInfo."""

    def info(line: PhoneLine) -> CallInfo | None:
        value: CallInfo | None = getattr(line.tracker.status, field)
        return value

    return BulutfonSensorDescription(
        key=key,
        translation_key=key,
        value_fn=lambda line: _caller(info(line), line.settings.phonebook),
        attributes_fn=lambda line: _for_platform(
            line, _call_attributes(info(line), line.settings.phonebook)
        ),
        keeper=_record_keeper(field, CallInfo),
    )


CALL_STATE = BulutfonSensorDescription(
    key=Status.CALL_STATE,
    translation_key=Status.CALL_STATE,
    device_class=SensorDeviceClass.ENUM,
    options=HIPCALL_CALL_STATES,
    value_fn=lambda line: line.tracker.call_state,
)
"""The line's call state: its options are narrowed to classic's in async_setup_entry."""

SENSORS: tuple[BulutfonSensorDescription, ...] = (
    BulutfonSensorDescription(
        key=Status.ACTIVE_CALLS,
        translation_key=Status.ACTIVE_CALLS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda line: line.tracker.active_calls,
    ),
    _call_sensor(Status.LAST_CALLER, "last_caller"),
    BulutfonSensorDescription(
        key=Status.MISSED_CALLS,
        translation_key=Status.MISSED_CALLS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda line: line.tracker.status.missed_calls,
        keeper=Keeper(
            _save_missed_calls, _restore_missed_calls, _missed_calls_from_state
        ),
    ),
    _call_sensor(Status.LAST_MISSED_CALLER, "last_missed_caller"),
    BulutfonSensorDescription(
        key=Status.LAST_CALL_DURATION,
        translation_key=Status.LAST_CALL_DURATION,
        # One call's length, not a measurement: no state class, so no averaged band.
        # In minutes, as the frontend writes them ("3m 58s", Turkish "3d 58sn") beside
        # the daily talk time's hours ("6h 26m", "6s 26d"): in seconds ("238 s") the
        # Turkish card read "s" for hours on one row and for seconds on the next.
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        value_fn=lambda line: (
            None
            if (last := line.tracker.status.last_call) is None
            else display_minutes(last.talk_duration)
        ),
        attributes_fn=lambda line: _for_platform(
            line,
            _result_attributes(line.tracker.status.last_call, line.settings.phonebook),
        ),
        keeper=_record_keeper("last_call", CallResult),
    ),
    _call_sensor(Status.LAST_FAX_SENDER, "last_fax_sender"),
    _daily_sensor("incoming_calls"),
    _daily_sensor("outgoing_calls", entity_registry_enabled_default=False),
    _daily_sensor("answered_calls"),
    _daily_sensor("missed_calls", entity_registry_enabled_default=False),
    _daily_sensor(
        "talk_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        # The frontend shows hours as hours and minutes ("4h 53m"); no display
        # precision: it would round the hours before the minutes are taken from them.
        suggested_unit_of_measurement=UnitOfTime.HOURS,
    ),
)

GROUP_CALLS = BulutfonSensorDescription(
    key="group_calls",
    translation_key="group_calls",
    state_class=SensorStateClass.MEASUREMENT,
    value_fn=lambda _line: None,  # GroupCallsSensor reads its own place
)
TEAM_CALLS = replace(GROUP_CALLS, key="team_calls", translation_key="team_calls")


def _line_sensors(line: PhoneLine) -> list[BulutfonSensorDescription]:
    """The line's own sensors on its platform: Hipcall has no fax, classic no answer."""
    if line.settings.platform == PLATFORM_HIPCALL:
        return [
            CALL_STATE,
            *(item for item in SENSORS if item.key != Status.LAST_FAX_SENDER),
        ]
    return [
        replace(CALL_STATE, options=CLASSIC_CALL_STATES, value_fn=_classic_call_state),
        *SENSORS,
    ]


def _classic_call_state(line: PhoneLine) -> CallState:
    """Idle or In call: classic Bulutfon never tells ringing from talking."""
    if line.tracker.call_state is CallState.IDLE:
        return CallState.IDLE
    return CallState.IN_CALL


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the line's sensors, and the ring groups' and teams' sensors now and when
    learned."""
    line = entry.runtime_data

    @callback
    def add_group(place: Place) -> None:
        async_add_entities([GroupCallsSensor(line, place)])

    for kind in WAITING_KINDS:
        entry.async_on_unload(line.async_listen_learned(kind, add_group))
    async_add_entities(
        [
            *(BulutfonSensor(line, description) for description in _line_sensors(line)),
            *(
                GroupCallsSensor(line, place)
                for kind in WAITING_KINDS
                for place in line.tracker.places.learned(kind)
            ),
        ]
    )
    if line.router is not None:
        async_add_entities(
            BulutfonRouteSensor(line, description) for description in ROUTE_SENSORS
        )
        return
    # Routing is off: its sensors go (they come back when it is turned on again).
    registry = er.async_get(hass)
    for description in ROUTE_SENSORS:
        unique_id = f"{line.settings.number}_{description.key}"
        if entity_id := registry.async_get_entity_id("sensor", DOMAIN, unique_id):
            registry.async_remove(entity_id)


class BulutfonSensor(BulutfonEntity, SensorEntity, RestoreEntity):
    """One part of the line's status; the last-* values and the count survive restarts."""

    platform_domain = Platform.SENSOR

    entity_description: BulutfonSensorDescription
    # Unique to every call: recording them would make every write a new attributes row.
    _unrecorded_attributes = frozenset({"time", "uuid", "cdr_url", "cdr_api_url"})

    async def async_added_to_hass(self) -> None:
        """Put the value saved before the restart back, then follow the line.

        When the saved data is missing or unreadable, the state Home Assistant kept is
        the fallback (a count of "7" comes back as 7); failing both, the sensor starts
        empty. Every value passes the webhook's checks again, so whatever was on disk,
        what is restored can be shown and saved again.
        """
        await super().async_added_to_hass()
        keeper = self.entity_description.keeper
        if keeper is None:
            return
        tracker = self.line.tracker
        saved = await self.async_get_last_extra_data()
        if saved is not None and keeper.restore(tracker, saved.as_dict()):
            return
        last = await self.async_get_last_state()
        if last is not None and last.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            keeper.from_state(tracker, last)

    @property
    def native_value(self) -> StateType:
        """The value from the line's status."""
        return self.entity_description.value_fn(self.line)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Details of the last call, fax or missed call."""
        return self.entity_description.attributes_fn(self.line)

    @property
    def extra_restore_state_data(self) -> ExtraStoredData | None:
        """What to keep across a restart."""
        keeper = self.entity_description.keeper
        if keeper is None:
            return None
        return RestoredExtraData(keeper.save(self.line.tracker))


@dataclass(frozen=True, kw_only=True)
class BulutfonRouteSensorDescription(SensorEntityDescription):
    """A count of today's call routing decisions."""

    value_fn: Callable[[RouteTally], int]


ROUTE_SENSORS: tuple[BulutfonRouteSensorDescription, ...] = (
    BulutfonRouteSensorDescription(
        key="routed_calls",
        translation_key="routed_calls",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda tally: tally.routed,
    ),
    BulutfonRouteSensorDescription(
        key="rejected_calls",
        translation_key="rejected_calls",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda tally: tally.rejected,
    ),
)


class BulutfonRouteSensor(BulutfonEntity, SensorEntity, RestoreEntity):
    """Today's routed or rejected calls (while routing is on); kept across restarts."""

    platform_domain = Platform.SENSOR

    entity_description: BulutfonRouteSensorDescription
    _last: int | None = None

    async def async_added_to_hass(self) -> None:
        """Put today's counts back, then follow the router's decisions."""
        await super().async_added_to_hass()
        router = self.line.router
        assert router is not None
        if saved := await self.async_get_last_extra_data():
            router.async_restore_tally(saved.as_dict())
        self.async_on_remove(router.async_listen(self._decided))
        self._last = self.native_value

    @callback
    def _decided(self) -> None:
        # Written only when its own count moved.
        if (value := self.native_value) != self._last:
            self._last = value
            self.async_write_ha_state()

    @property
    def native_value(self) -> int:
        """Today's count."""
        router = self.line.router
        return 0 if router is None else self.entity_description.value_fn(router.tally)

    @property
    def extra_restore_state_data(self) -> ExtraStoredData | None:
        """Today's counts, with their day."""
        router = self.line.router
        if router is None:
            return None
        tally = router.tally
        return RestoredExtraData(
            {"day": tally.day, "routed": tally.routed, "rejected": tally.rejected}
        )


class GroupCallsSensor(BulutfonPlaceEntity, SensorEntity):
    """How many calls wait at one ring group (or Hipcall team): reached it, not yet moved
    on, answered or ended."""

    platform_domain = Platform.SENSOR

    entity_description: BulutfonSensorDescription

    def __init__(self, line: PhoneLine, place: Place) -> None:
        """Show ring group (or team) `place` on the PBX number's device."""
        description = TEAM_CALLS if place.kind is PlaceKind.TEAM else GROUP_CALLS
        super().__init__(line, replace(description, key=place_key(place)), place)
        # A team as named in Hipcall (read before the entities are made); a ring group
        # by its number, as the PBX shows it.
        name = place.number
        if place.kind is PlaceKind.TEAM:
            name = line.team_names.get(place.number, name)
        self._attr_translation_placeholders = {str(place.kind): name}

    @property
    def native_value(self) -> int:
        """The number of calls at the group now."""
        return self.line.tracker.places.calls_at(self.place)
