"""Triggers for targets: "a call starts", "a call is missed", "an extension becomes busy"...

The automation editor lists these in its "By target" tab (Home Assistant 2026's trigger
platform), in the user's language, beside the device triggers of device_trigger.py, which
keep working. The call triggers follow the line's call event entity, the busy ones the
line's and the extensions' busy sensors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, override

from homeassistant.components.event import ATTR_EVENT_TYPE, ATTR_EVENT_TYPES
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers.automation import DomainSpec
from homeassistant.helpers.trigger import (
    EntityTargetStateTriggerBase,
    NotTriggeredReasonReporter,
    StatelessEntityTriggerBase,
    Trigger,
)

from .entity import own_entities
from .protocol import EventType

_EVENTS: Final[Mapping[str, DomainSpec]] = {Platform.EVENT: DomainSpec()}
_BINARY_SENSORS: Final[Mapping[str, DomainSpec]] = {
    Platform.BINARY_SENSOR: DomainSpec()
}


class _CallEventTrigger(StatelessEntityTriggerBase):
    """Fires when the line's call event entity fires with one event type."""

    _domain_specs = _EVENTS
    _event_type: EventType

    @override
    def entity_filter(self, entities: set[str]) -> set[str]:
        """Only Bulutfon's call event entities whose line sends this event type (a
        Hipcall line has no fax, a classic line no answer)."""
        return {
            entity_id
            for entity_id in own_entities(self._hass, super().entity_filter(entities))
            if (state := self._hass.states.get(entity_id)) is None
            or self._event_type in state.attributes.get(ATTR_EVENT_TYPES, ())
        }

    @override
    def is_valid_state(
        self, state: State, report_not_triggered: NotTriggeredReasonReporter
    ) -> bool:
        """Whether the event that fired is of this trigger's type."""
        return state.attributes.get(ATTR_EVENT_TYPE) == self._event_type


def _call_event_trigger(event_type: EventType) -> type[_CallEventTrigger]:
    class CallEventTrigger(_CallEventTrigger):
        _event_type = event_type

    return CallEventTrigger


class _BusyTrigger(EntityTargetStateTriggerBase):
    """Fires when a line or extension turns busy (on) or idle (off)."""

    _domain_specs = _BINARY_SENSORS

    @override
    def entity_filter(self, entities: set[str]) -> set[str]:
        """Only Bulutfon's busy sensors (the line's and the extensions')."""
        return own_entities(self._hass, super().entity_filter(entities))


def _busy_trigger(state: str) -> type[_BusyTrigger]:
    to_states = {state}

    class BusyTrigger(_BusyTrigger):
        _to_states = to_states

    return BusyTrigger


TRIGGERS: dict[str, type[Trigger]] = {
    "call_started": _call_event_trigger(EventType.CALL_INIT),
    "call_answered": _call_event_trigger(EventType.CALL_ANSWERED),  # Hipcall only
    "call_missed": _call_event_trigger(EventType.MISSING_CALL),
    "call_ended": _call_event_trigger(EventType.CALL_HANGUP),
    "fax_received": _call_event_trigger(EventType.FAX_INIT),
    "became_busy": _busy_trigger(STATE_ON),
    "became_idle": _busy_trigger(STATE_OFF),
}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """The triggers Bulutfon offers for its lines and extensions."""
    return TRIGGERS
