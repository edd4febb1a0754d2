"""Buttons: reset the missed-call count; call the last missed caller back (Hipcall)."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BulutfonConfigEntry
from .calls import Status
from .const import DOMAIN
from .entity import BulutfonEntity, BulutfonPlaceEntity, person_device_info
from .hipcall_api import callee_number
from .line import PhoneLine
from .places import Place, PlaceKind
from .services import async_start_call

PARALLEL_UPDATES = 1

RESET_MISSED_CALLS = ButtonEntityDescription(
    key="reset_missed_calls", translation_key="reset_missed_calls"
)
CALL_BACK = ButtonEntityDescription(key="call_back", translation_key="call_back")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BulutfonConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the reset button; on a Hipcall line with an API token, a call-back button on
    every user's device (that user's phone rings first)."""
    line = entry.runtime_data
    async_add_entities([ResetMissedCallsButton(line, RESET_MISSED_CALLS)])
    if line.account is None:
        return

    @callback
    def add_user(place: Place) -> None:
        async_add_entities([CallBackButton(line, place)])

    entry.async_on_unload(line.async_listen_learned(PlaceKind.USER, add_user))
    async_add_entities(
        CallBackButton(line, place)
        for place in line.tracker.places.learned(PlaceKind.USER)
    )


class ResetMissedCallsButton(BulutfonEntity, ButtonEntity):
    """Sets the missed-call count back to 0."""

    platform_domain = Platform.BUTTON

    async def async_press(self) -> None:
        """Reset the count."""
        self.line.async_reset_missed_calls()


class CallBackButton(BulutfonPlaceEntity, ButtonEntity):
    """Calls the line's last missed caller back: this user's phone rings, then Hipcall
    dials the caller. Unavailable while there is no missed caller with a number."""

    platform_domain = Platform.BUTTON

    def __init__(self, line: PhoneLine, place: Place) -> None:
        """A button on user `place`'s device."""
        super().__init__(
            line, replace(CALL_BACK, key=f"user_{place.number}_call_back"), place
        )
        self._attr_device_info = person_device_info(line, place)

    async def async_added_to_hass(self) -> None:
        """Follow the last missed caller (it decides whether the button can work)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.line.async_listen_status(
                Status.LAST_MISSED_CALLER, self._handle_change
            )
        )

    def _number(self) -> str | None:
        missed = self.line.tracker.status.last_missed_caller
        return (
            None
            if missed is None or not missed.caller
            else callee_number(missed.caller)
        )

    @property
    def available(self) -> bool:
        """Whether there is somebody to call back."""
        return self._number() is not None

    async def async_press(self) -> None:
        """Start the call back."""
        number = self._number()
        account = self.line.account
        if number is None or account is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_missed_caller"
            )
        await async_start_call(account, self.place.number, number)
