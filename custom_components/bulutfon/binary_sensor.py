"""Line busy, and one busy sensor per extension (or Hipcall user) the line has learned."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BulutfonConfigEntry
from .calls import Status
from .entity import (
    PERSON_KINDS,
    BulutfonEntity,
    BulutfonPlaceEntity,
    person_device_info,
    place_key,
)
from .line import PhoneLine
from .places import Place, PlaceKind

PARALLEL_UPDATES = 0

LINE_BUSY = BinarySensorEntityDescription(
    key=Status.LINE_BUSY, translation_key=Status.LINE_BUSY
)
EXTENSION = BinarySensorEntityDescription(key="extension", translation_key="extension")
USER = BinarySensorEntityDescription(key="user", translation_key="user")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the line-busy sensor and the extensions' and users' sensors, now and when
    learned."""
    line = entry.runtime_data

    @callback
    def add_person(place: Place) -> None:
        async_add_entities([ExtensionBusySensor(line, place)])

    for kind in PERSON_KINDS:
        entry.async_on_unload(line.async_listen_learned(kind, add_person))
    async_add_entities(
        [
            LineBusySensor(line, LINE_BUSY),
            *(
                ExtensionBusySensor(line, place)
                for kind in PERSON_KINDS
                for place in line.tracker.places.learned(kind)
            ),
        ]
    )


class LineBusySensor(BulutfonEntity, BinarySensorEntity):
    """On while a call is active. Starts idle: calls do not survive a restart."""

    platform_domain = Platform.BINARY_SENSOR

    @property
    def is_on(self) -> bool:
        """Whether a call is under way."""
        return self.line.tracker.line_busy


class ExtensionBusySensor(BulutfonPlaceEntity, BinarySensorEntity):
    """On while a call is at one extension (or with one Hipcall user); its own device,
    named after it.

    Its entity id keeps the line's pattern (binary_sensor.bulutfon_<number>_extension_1001,
    ..._user_12), not the device's name (a person's, from the phone book).
    """

    platform_domain = Platform.BINARY_SENSOR

    _attr_name = None  # the device's name: the phone book's, or "Extension 1001"
    # Unique to every call: recording it would make every write a new attributes row.
    _unrecorded_attributes = frozenset({"since"})

    def __init__(self, line: PhoneLine, place: Place) -> None:
        """Show extension (or user) `place` on its own device."""
        description = USER if place.kind is PlaceKind.USER else EXTENSION
        super().__init__(line, replace(description, key=place_key(place)), place)
        self._attr_device_info = person_device_info(line, place)

    @property
    def is_on(self) -> bool:
        """Whether a call is at the extension (with the user)."""
        return self.line.tracker.places.calls_at(self.place) > 0

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The caller who reached the extension last, since when, and how many calls."""
        places = self.line.tracker.places
        visit = places.latest_at(self.place)
        if visit is None:
            return {}
        return {
            "caller": visit.caller,
            "caller_name": self.line.settings.phonebook.name_for(visit.caller),
            "since": visit.since,
            "calls": places.calls_at(self.place),
        }
