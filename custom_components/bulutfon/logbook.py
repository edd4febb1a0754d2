"""Logbook: a readable line for every Bulutfon event."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.logbook.models import LazyEventPartialState
from homeassistant.core import HomeAssistant, callback

from .const import DOMAIN, EVENT_BULUTFON
from .phonebook import display_number
from .protocol import EventType

_REACHED = {
    EventType.CALL_INIT_EXTENSION: "extension",
    EventType.CALL_INIT_GROUP: "ring group",
    EventType.CALL_INIT_MENU: "voice menu",
}


def _party(data: Mapping[str, Any], role: str) -> str:
    """A number for people to read, with its phone-book name when known."""
    shown = display_number(data.get(role)) or "an unknown number"
    name = data.get(f"{role}_name")
    return f"{shown} ({name})" if name else shown


def describe(data: Mapping[str, Any]) -> str:
    """The logbook message for one `bulutfon_event`'s data."""
    event_type = data.get("type")
    caller = _party(data, "caller")
    if event_type == EventType.CALL_INIT:
        if data.get("direction") == "OUT":
            return f"Outgoing call to {_party(data, 'callee')} started"
        return f"Call from {caller} started"
    if event_type in _REACHED:
        where = _REACHED[EventType(event_type)]
        return f"Call from {caller} reached {where} {data.get('destination') or ''}".rstrip()
    if event_type == EventType.CALL_HANGUP:
        other = _party(data, "callee") if data.get("direction") == "OUT" else caller
        duration = data.get("talk_duration")
        if duration is None:
            return f"Call with {other} ended"
        return f"Call with {other} ended after {duration} s"
    if event_type == EventType.MISSING_CALL:
        return f"Missed call from {caller}"
    if event_type == EventType.FAX_INIT:
        return f"Fax received from {caller}"
    return f"Bulutfon event {event_type}"


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
        data = event.data
        return {
            LOGBOOK_ENTRY_NAME: f"Bulutfon {data.get('number', '')}".rstrip(),
            LOGBOOK_ENTRY_MESSAGE: describe(data),
        }

    async_describe_event(DOMAIN, EVENT_BULUTFON, async_describe)
