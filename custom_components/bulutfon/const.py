"""Constants for the Bulutfon integration."""

from __future__ import annotations

from typing import Final

from .protocol import EventType

DOMAIN: Final = "bulutfon"

CONF_NUMBER: Final = "number"
CONF_PLATFORM: Final = "platform"
"""Which platform the office uses: PLATFORM_BULUTFON (classic) or PLATFORM_HIPCALL."""
PLATFORM_BULUTFON: Final = "bulutfon"
PLATFORM_HIPCALL: Final = "hipcall"
CONF_EVENTS: Final = "events"
CONF_API_TOKEN: Final = "api_token"  # noqa: S105 (the key, not a token)
"""A Hipcall entry's optional API token (a secret: never logged, redacted)."""
CONF_REGION: Final = "region"
"""A Hipcall entry's API region: hipcall_api.REGION_TR or REGION_GLOBAL."""
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"
CONF_PHONEBOOK: Final = "phonebook"
CONF_DAILY_RESET: Final = "daily_reset"

# Call routing (BulutfonXM): options, and the second webhook in the entry's data.
CONF_ROUTING: Final = "routing"
CONF_ROUTING_WEBHOOK_ID: Final = "routing_webhook_id"
CONF_ROUTING_CLOUDHOOK_URL: Final = "routing_cloudhook_url"
CONF_DEFAULT_DESTINATION: Final = "default_destination"
CONF_ROUTING_SCRIPT: Final = "routing_script"
CONF_ROUTING_TIMEOUT: Final = "routing_timeout"
CONF_BLOCKED_NUMBERS: Final = "blocked_numbers"
CONF_TTS_ENGINE: Final = "tts_engine"
DEFAULT_ROUTING_TIMEOUT: Final = 3.0

EVENT_BULUTFON: Final = "bulutfon_event"
"""The Home Assistant event fired for every accepted Bulutfon event."""

EVENT_ROUTE: Final = "bulutfon_route"
"""The Home Assistant event fired for every call routing decision."""

ALL_EVENT_TYPES: Final = [
    event_type.value
    for event_type in EventType
    if event_type is not EventType.CALL_ANSWERED  # Hipcall's: classic never sends it
]

HIPCALL_EVENT_TYPES: Final = [
    EventType.CALL_INIT.value,
    EventType.CALL_ANSWERED.value,
    EventType.CALL_HANGUP.value,
    EventType.MISSING_CALL.value,
]
"""What a Hipcall line fires: no fax, no destination events, but the answer."""


def event_types_for(platform: str) -> list[str]:
    """The event types a line of `platform` can fire (and the options offer)."""
    return HIPCALL_EVENT_TYPES if platform == PLATFORM_HIPCALL else ALL_EVENT_TYPES


MANUFACTURER: Final = "Bulutfon"
HIPCALL_MANUFACTURER: Final = "Hipcall"
# Placing calls (Hipcall lines with an API token): who may, and where to.
CONF_NON_ADMIN_CALLS: Final = "non_admin_calls"
"""Whether users who are not administrators may use `bulutfon.call` (off by default)."""
CONF_CALL_PREFIXES: Final = "call_prefixes"
"""Where calls may go: prefixes, "*" for any number; empty: all but premium-rate."""

LINE_MODEL_IDS: Final = {PLATFORM_BULUTFON: "Bulutfon", PLATFORM_HIPCALL: "Hipcall"}
"""A line device's model id, per platform: the same in every language (its model is
written in Home Assistant's language), and only lines have one, so a blueprint's device
picker can filter on it. Never change these: blueprints and users' automations filter on them."""
