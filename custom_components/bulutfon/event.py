"""The call event entity: one event for every Bulutfon event of a canonical type."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BulutfonConfigEntry
from .const import ALL_EVENT_TYPES, event_types_for
from .entity import BulutfonEntity
from .protocol import BulutfonEvent
from .wording import CODE_ATTRIBUTES, attribute_code

PARALLEL_UPDATES = 0

CALL = EventEntityDescription(
    key="call", translation_key="call", event_types=ALL_EVENT_TYPES
)

# caller_readable is for messages (templates): the attributes show numbers as digits;
# callback_uid names the call-back list's item (for automations); platform is the line's.
_NOT_ATTRIBUTES = (
    "type",
    "device_id",
    "entity_id",
    "caller_readable",
    "callback_uid",
    "platform",
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the call event entity, with the event types of the line's platform."""
    line = entry.runtime_data
    description = replace(CALL, event_types=event_types_for(line.settings.platform))
    async_add_entities([CallEventEntity(line, description)])


class CallEventEntity(BulutfonEntity, EventEntity):
    """Fires with the canonical type and the event's fields as attributes."""

    platform_domain = Platform.EVENT

    # The recorder keeps every bulutfon_event with these very fields already; storing
    # them again as attributes would cost a new attributes row for every event.
    _unrecorded_attributes = frozenset(
        {
            *BulutfonEvent._fields,
            "caller_name",
            "callee_name",
            "destination_name",
            "number",
        }
        - {"event_type", "type"}
    )

    async def async_added_to_hass(self) -> None:
        """Follow every event the line fires on the bus."""
        await super().async_added_to_hass()
        self.async_on_remove(self.line.async_listen_events(self._handle_event))
        self.line.call_entity_id = self.entity_id
        self.async_on_remove(self._forget_entity_id)

    @callback
    def _forget_entity_id(self) -> None:
        self.line.call_entity_id = None

    @callback
    def _handle_event(self, event: BulutfonEvent, data: dict[str, Any]) -> None:
        if data["type"] not in self.event_types:
            return  # a type this platform does not send (classic's "call_answered")
        # Fields the event did not carry are left out: fewer attributes to write and send.
        # Codes in the lower case their translations need ("IN" -> "in").
        attributes = {
            key: attribute_code(key, value) if key in CODE_ATTRIBUTES else value
            for key, value in data.items()
            if value is not None and key not in _NOT_ATTRIBUTES
        }
        self._trigger_event(data["type"], attributes)
        self.async_write_ha_state()
