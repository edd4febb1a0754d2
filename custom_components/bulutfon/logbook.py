"""Logbook: a readable line for every Bulutfon event, in Home Assistant's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.logbook.models import LazyEventPartialState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, callback

from .const import CONF_NUMBER, DOMAIN, EVENT_BULUTFON
from .wording import language_for, line_name, logbook_icon, logbook_message


def describe(data: Mapping[str, Any], language: str) -> dict[str, str]:
    """The logbook entry for one `bulutfon_event`'s data, worded in `language`.

    The line belongs to the call event entity whose id the event carries, so that it also
    shows when the Activity panel is filtered by the Bulutfon device (the panel asks for
    the device's entities).
    """
    number = data.get(CONF_NUMBER)
    described = {
        LOGBOOK_ENTRY_NAME: line_name(number)
        if isinstance(number, str)
        else "Bulutfon",
        LOGBOOK_ENTRY_MESSAGE: logbook_message(data, language),
        LOGBOOK_ENTRY_ICON: logbook_icon(data),
    }
    if entity_id := data.get(ATTR_ENTITY_ID):
        described[LOGBOOK_ENTRY_ENTITY_ID] = str(entity_id)
    return described


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[
        [str, str, Callable[[LazyEventPartialState], dict[str, str]]], None
    ],
) -> None:
    """Describe `bulutfon_event` for the logbook."""

    @callback
    def async_describe(event: LazyEventPartialState) -> dict[str, str]:
        # Read at every line: a change of Home Assistant's language applies at once.
        return describe(event.data, language_for(hass.config.language))

    async_describe_event(DOMAIN, EVENT_BULUTFON, async_describe)
