"""Reading an entry's settings, and the webhook URL to give Bulutfon."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError

from .const import (
    CONF_BLOCKED_NUMBERS,
    CONF_CLOUDHOOK_URL,
    CONF_DAILY_RESET,
    CONF_DEFAULT_DESTINATION,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    CONF_PLATFORM,
    CONF_ROUTING,
    CONF_ROUTING_CLOUDHOOK_URL,
    CONF_ROUTING_SCRIPT,
    CONF_ROUTING_TIMEOUT,
    CONF_ROUTING_WEBHOOK_ID,
    CONF_TTS_ENGINE,
    DEFAULT_ROUTING_TIMEOUT,
    PLATFORM_BULUTFON,
    PLATFORM_HIPCALL,
    event_types_for,
)
from .line import LineSettings
from .phonebook import Phonebook
from .protocol import EventType
from .router import RoutingSettings
from .routing import RoutingRules, blocked_keys, destination


def settings_from_entry(entry: ConfigEntry) -> LineSettings:
    """Parse an entry's data and options into the line's settings."""
    options = entry.options
    platform = entry_platform(entry)
    # Hipcall sends no credentials: a Hipcall line never asks for them.
    username = options.get(CONF_USERNAME) or None
    password = options.get(CONF_PASSWORD) or None
    if platform == PLATFORM_HIPCALL:
        username = password = None
    types = event_types_for(platform)
    try:
        phonebook = Phonebook.parse(options.get(CONF_PHONEBOOK, ""))
    except ValueError:  # the options flow validates it; never fail setup on it
        phonebook = Phonebook()
    return LineSettings(
        number=entry.data[CONF_NUMBER],
        selected=frozenset(
            EventType(name) for name in options.get(CONF_EVENTS, types) if name in types
        ),
        username=username if username and password else None,
        password=password if username and password else None,
        phonebook=phonebook,
        daily_reset=bool(options.get(CONF_DAILY_RESET, False)),
        platform=platform,
    )


def entry_platform(entry: ConfigEntry) -> str:
    """The platform an entry's office uses; classic Bulutfon unless it says Hipcall."""
    if entry.data.get(CONF_PLATFORM) == PLATFORM_HIPCALL:
        return PLATFORM_HIPCALL
    return PLATFORM_BULUTFON


def routing_settings_from_entry(
    entry: ConfigEntry, phonebook: Phonebook
) -> RoutingSettings | None:
    """The routing settings, or None when routing is off (or not yet complete)."""
    options = entry.options
    if entry_platform(entry) == PLATFORM_HIPCALL:
        return None  # BulutfonXM is classic Bulutfon's; Hipcall has no such door
    default = destination(options.get(CONF_DEFAULT_DESTINATION))
    if (
        not options.get(CONF_ROUTING)
        or not entry.data.get(CONF_ROUTING_WEBHOOK_ID)
        or default is None
    ):
        return None
    try:
        timeout = float(options.get(CONF_ROUTING_TIMEOUT, DEFAULT_ROUTING_TIMEOUT))
    except TypeError, ValueError:
        timeout = DEFAULT_ROUTING_TIMEOUT
    return RoutingSettings(
        rules=RoutingRules(
            default_destination=default,
            blocked=blocked_keys(str(options.get(CONF_BLOCKED_NUMBERS) or "")),
            phonebook=phonebook,
        ),
        script=options.get(CONF_ROUTING_SCRIPT) or None,
        timeout=min(max(timeout, 0.5), 10.0),
        tts_engine=options.get(CONF_TTS_ENGINE) or None,
    )


def routing_url(hass: HomeAssistant, data: Mapping[str, Any]) -> str | None:
    """The routing URL to paste into Bulutfon's BulutfonXM form, if routing has one."""
    if not (webhook_id := data.get(CONF_ROUTING_WEBHOOK_ID)):
        return None
    return _hook_url(hass, webhook_id, data.get(CONF_ROUTING_CLOUDHOOK_URL))


def webhook_url(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """The URL to paste into Bulutfon: the cloudhook, else external, else internal URL."""
    return _hook_url(hass, data[CONF_WEBHOOK_ID], data.get(CONF_CLOUDHOOK_URL))


def _hook_url(hass: HomeAssistant, webhook_id: str, cloudhook_url: Any) -> str:
    if cloudhook_url:
        return str(cloudhook_url)
    try:
        return webhook.async_generate_url(hass, webhook_id)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)


def reachable_from_internet(hass: HomeAssistant, data: Mapping[str, Any]) -> bool:
    """Whether Bulutfon, on the internet, can reach the URL we offer."""
    return bool(data.get(CONF_CLOUDHOOK_URL) or hass.config.external_url)


def routing_reachable_from_internet(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> bool:
    """Whether Bulutfon can reach the routing URL we offer."""
    return bool(data.get(CONF_ROUTING_CLOUDHOOK_URL) or hass.config.external_url)
