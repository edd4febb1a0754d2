"""Line busy, and one busy sensor per extension the line has learned."""

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
    BulutfonEntity,
    BulutfonPlaceEntity,
    extension_device_info,
    place_key,
)
from .line import PhoneLine
from .places import Place, PlaceKind

PARALLEL_UPDATES = 0

LINE_BUSY = BinarySensorEntityDescription(
    key=Status.LINE_BUSY, translation_key=Status.LINE_BUSY
)
EXTENSION = BinarySensorEntityDescription(key="extension", translation_key="extension")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the line-busy sensor and the extensions' sensors, now and when learned."""
    line = entry.runtime_data

    @callback
    def add_extension(place: Place) -> None:
        async_add_entities([ExtensionBusySensor(line, place)])

    entry.async_on_unload(line.async_listen_learned(PlaceKind.EXTENSION, add_extension))
    async_add_entities(
        [
            LineBusySensor(line, LINE_BUSY),
            *(
                ExtensionBusySensor(line, place)
                for place in line.tracker.places.learned(PlaceKind.EXTENSION)
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
    """On while a call is at one extension; the extension's own device, named after it.

    Its entity id keeps the line's pattern (binary_sensor.bulutfon_<number>_extension_1001),
    not the device's name (a person's, from the phone book).
    """

    platform_domain = Platform.BINARY_SENSOR

    _attr_name = None  # the device's name: the phone book's, or "Extension 1001"
    # Unique to every call: recording it would make every write a new attributes row.
    _unrecorded_attributes = frozenset({"since"})

    def __init__(self, line: PhoneLine, place: Place) -> None:
        """Show extension `place` on its own device."""
        key = place_key(place)
        super().__init__(line, replace(EXTENSION, key=key), place)
        self._attr_device_info = extension_device_info(line, place)

    @property
    def is_on(self) -> bool:
        """Whether a call is at the extension."""
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
