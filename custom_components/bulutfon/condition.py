"""Conditions for targets: "a line or extension is busy / idle", in the "By target" tab."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, override

from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.automation import DomainSpec
from homeassistant.helpers.condition import Condition, EntityStateConditionBase

from .entity import own_entities

_BINARY_SENSORS: Final[Mapping[str, DomainSpec]] = {
    Platform.BINARY_SENSOR: DomainSpec()
}
_BUSY: Final[set[str | bool]] = {STATE_ON}
_IDLE: Final[set[str | bool]] = {STATE_OFF}


class _BusyCondition(EntityStateConditionBase):
    """Whether Bulutfon's busy sensors (the line's, the extensions') are busy or idle."""

    _domain_specs = _BINARY_SENSORS

    @override
    def entity_filter(self, entities: set[str]) -> set[str]:
        """Only Bulutfon's busy sensors."""
        return own_entities(self._hass, super().entity_filter(entities))


class IsBusyCondition(_BusyCondition):
    """A call is under way there."""

    _states = _BUSY


class IsIdleCondition(_BusyCondition):
    """No call is under way there."""

    _states = _IDLE


CONDITIONS: dict[str, type[Condition]] = {
    "is_busy": IsBusyCondition,
    "is_idle": IsIdleCondition,
}


async def async_get_conditions(hass: HomeAssistant) -> dict[str, type[Condition]]:
    """The conditions Bulutfon offers for its lines and extensions."""
    return CONDITIONS
