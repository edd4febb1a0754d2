"""Reset the missed-call count."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BulutfonConfigEntry
from .entity import BulutfonEntity

PARALLEL_UPDATES = 0

RESET_MISSED_CALLS = ButtonEntityDescription(
    key="reset_missed_calls", translation_key="reset_missed_calls"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the reset button."""
    async_add_entities([ResetMissedCallsButton(entry.runtime_data, RESET_MISSED_CALLS)])


class ResetMissedCallsButton(BulutfonEntity, ButtonEntity):
    """Sets the missed-call count back to 0."""

    platform_domain = Platform.BUTTON

    async def async_press(self) -> None:
        """Reset the count."""
        self.line.async_reset_missed_calls()
