"""Device triggers: one per Bulutfon event type, for the automation editor."""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .const import (
    ALL_EVENT_TYPES,
    CONF_PLATFORM as CONF_LINE_PLATFORM,
    DOMAIN,
    EVENT_BULUTFON,
    HIPCALL_EVENT_TYPES,
    event_types_for,
)

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In([*ALL_EVENT_TYPES, *HIPCALL_EVENT_TYPES])}
)


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """List the triggers of a PBX number's device: one per event type its platform sends.

    An extension's device has none of its own: the events belong to the line (its busy
    sensor brings the binary sensor's triggers).
    """
    device = dr.async_get(hass).async_get(device_id)
    if device is None or not any(
        domain == DOMAIN and identifier.isdigit()
        for domain, identifier in device.identifiers
    ):
        return []
    # A device belongs to one config entry (DeviceEntry.config_entries is deprecated
    # and stops working in Home Assistant 2027.10).
    entry = hass.config_entries.async_get_entry(device.config_entry_id)
    platform = (
        entry.data.get(CONF_LINE_PLATFORM)
        if entry is not None and entry.domain == DOMAIN
        else None
    )
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: event_type,
        }
        for event_type in event_types_for(str(platform))
    ]


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Fire on the device's `bulutfon_event` of the trigger's type."""
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: EVENT_BULUTFON,
            CONF_EVENT_DATA: {
                CONF_DEVICE_ID: config[CONF_DEVICE_ID],
                "type": config[CONF_TYPE],
                # A call recovered through the API happened in the past: it must not
                # start what a call starts now (live events carry replayed: null).
                "replayed": None,
            },
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
