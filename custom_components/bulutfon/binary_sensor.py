"""Line busy: on while at least one call is under way."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BulutfonConfigEntry
from .calls import Status
from .entity import BulutfonEntity

PARALLEL_UPDATES = 0

LINE_BUSY = BinarySensorEntityDescription(
    key=Status.LINE_BUSY, translation_key=Status.LINE_BUSY
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the line-busy sensor."""
    async_add_entities([LineBusySensor(entry.runtime_data, LINE_BUSY)])


class LineBusySensor(BulutfonEntity, BinarySensorEntity):
    """On while a call is active. Starts idle: calls do not survive a restart."""

    platform_domain = Platform.BINARY_SENSOR

    @property
    def is_on(self) -> bool:
        """Whether a call is under way."""
        return self.line.tracker.line_busy
