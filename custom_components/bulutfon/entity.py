"""The base entity: one device per PBX number, updated only when its part changes."""

from __future__ import annotations

from typing import ClassVar

from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .calls import Status
from .const import DOMAIN
from .line import PhoneLine

_STATUS_KEYS = frozenset(Status)


class BulutfonEntity(Entity):
    """An entity of one Bulutfon line that shows one part of its status."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    platform_domain: ClassVar[Platform]

    def __init__(self, line: PhoneLine, description: EntityDescription) -> None:
        """Attach the entity to its line's device."""
        self.entity_description = description
        self.line = line
        number = line.settings.number
        self._attr_unique_id = f"{number}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, number)})
        # The device is named with the readable number ("Bulutfon 0850 885 00 00"); entity
        # ids keep the digits, as they always had, so automations need no change.
        self.entity_id = f"{self.platform_domain}.bulutfon_{number}_{description.key}"

    async def async_added_to_hass(self) -> None:
        """Listen to this entity's own part of the line's status, if it shows one."""
        await super().async_added_to_hass()
        key = self.entity_description.key
        if key in _STATUS_KEYS:
            self.async_on_remove(
                self.line.async_listen_status(Status(key), self._handle_change)
            )

    @callback
    def _handle_change(self) -> None:
        self.async_write_ha_state()
