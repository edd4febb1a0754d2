"""Logbook: a readable line for every Bulutfon event, in Home Assistant's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.logbook.models import LazyEventPartialState
from homeassistant.core import HomeAssistant, callback

from .const import CONF_NUMBER, DOMAIN, EVENT_BULUTFON, EVENT_ROUTE
from .wording import (
    language_for,
    line_name,
    logbook_icon,
    logbook_message,
    route_icon,
    route_message,
)


def describe(data: Mapping[str, Any], language: str) -> dict[str, str]:
    """The logbook entry for one `bulutfon_event`'s data, worded in `language`.

    The event's data carries the call event entity's id: the logbook finds the line by it
    when the Activity panel is filtered by the Bulutfon device (the panel asks for the
    device's entities). The entry itself names the line, not that entity, so that it reads
    "Bulutfon 0850 885 00 00 · Missed call: …" rather than "Call · Missed call: …".
    """
    return _entry(data, logbook_message(data, language), logbook_icon(data))


def describe_route(data: Mapping[str, Any], language: str) -> dict[str, str]:
    """The logbook entry for one `bulutfon_route`'s data (a routing decision).

    Like `describe`: the line is named, and the call event entity's id in the data lets
    the device's Activity panel list it.
    """
    return _entry(data, route_message(data, language), route_icon(data))


def _entry(data: Mapping[str, Any], message: str, icon: str) -> dict[str, str]:
    """A logbook entry named after the line whose event `data` is."""
    number = data.get(CONF_NUMBER)
    platform = data.get("platform")
    return {
        LOGBOOK_ENTRY_NAME: line_name(
            number, platform if isinstance(platform, str) else None
        )
        if isinstance(number, str)
        else "Bulutfon",
        LOGBOOK_ENTRY_MESSAGE: message,
        LOGBOOK_ENTRY_ICON: icon,
    }


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[
        [str, str, Callable[[LazyEventPartialState], dict[str, str]]], None
    ],
) -> None:
    """Describe `bulutfon_event` and `bulutfon_route` for the logbook."""

    @callback
    def async_describe(event: LazyEventPartialState) -> dict[str, str]:
        # Read at every line: a change of Home Assistant's language applies at once.
        return describe(event.data, language_for(hass.config.language))

    @callback
    def async_describe_route(event: LazyEventPartialState) -> dict[str, str]:
        return describe_route(event.data, language_for(hass.config.language))

    async_describe_event(DOMAIN, EVENT_BULUTFON, async_describe)
    async_describe_event(DOMAIN, EVENT_ROUTE, async_describe_route)
