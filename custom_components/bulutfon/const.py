"""Constants for the Bulutfon integration."""

from __future__ import annotations

from typing import Final

from .protocol import EventType

DOMAIN: Final = "bulutfon"

CONF_NUMBER: Final = "number"
CONF_EVENTS: Final = "events"
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"
CONF_PHONEBOOK: Final = "phonebook"
CONF_DAILY_RESET: Final = "daily_reset"

EVENT_BULUTFON: Final = "bulutfon_event"
"""The Home Assistant event fired for every accepted Bulutfon event."""

ALL_EVENT_TYPES: Final = [event_type.value for event_type in EventType]

MANUFACTURER: Final = "Bulutfon"
MODEL: Final = "Cloud PBX"
