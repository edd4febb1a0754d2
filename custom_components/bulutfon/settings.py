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
    ALL_EVENT_TYPES,
    CONF_CLOUDHOOK_URL,
    CONF_DAILY_RESET,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PHONEBOOK,
)
from .line import LineSettings
from .phonebook import Phonebook
from .protocol import EventType


def settings_from_entry(entry: ConfigEntry) -> LineSettings:
    """Parse an entry's data and options into the line's settings."""
    options = entry.options
    username = options.get(CONF_USERNAME) or None
    password = options.get(CONF_PASSWORD) or None
    try:
        phonebook = Phonebook.parse(options.get(CONF_PHONEBOOK, ""))
    except ValueError:  # the options flow validates it; never fail setup on it
        phonebook = Phonebook()
    return LineSettings(
        number=entry.data[CONF_NUMBER],
        selected=frozenset(
            EventType(name)
            for name in options.get(CONF_EVENTS, ALL_EVENT_TYPES)
            if name in ALL_EVENT_TYPES
        ),
        username=username if username and password else None,
        password=password if username and password else None,
        phonebook=phonebook,
        daily_reset=bool(options.get(CONF_DAILY_RESET, False)),
    )


def webhook_url(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """The URL to paste into Bulutfon: the cloudhook, else external, else internal URL."""
    if cloudhook_url := data.get(CONF_CLOUDHOOK_URL):
        return str(cloudhook_url)
    try:
        return webhook.async_generate_url(hass, data[CONF_WEBHOOK_ID])
    except NoURLAvailableError:
        return webhook.async_generate_path(data[CONF_WEBHOOK_ID])


def reachable_from_internet(hass: HomeAssistant, data: Mapping[str, Any]) -> bool:
    """Whether Bulutfon, on the internet, can reach the URL we offer."""
    return bool(data.get(CONF_CLOUDHOOK_URL) or hass.config.external_url)
