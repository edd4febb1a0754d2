"""Buttons: reset the missed-call count; call the last missed caller back (Hipcall)."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BulutfonConfigEntry
from .callbacks import Callback
from .calls import Status
from .const import DOMAIN
from .entity import BulutfonEntity, BulutfonPlaceEntity, person_device_info
from .hipcall_api import callee_number
from .line import PhoneLine
from .places import Place, PlaceKind
from .services import async_notify_call_back, async_place_call
from .wording import party

PARALLEL_UPDATES = 1

RESET_MISSED_CALLS = ButtonEntityDescription(
    key="reset_missed_calls", translation_key="reset_missed_calls"
)
CALL_BACK = ButtonEntityDescription(key="call_back", translation_key="call_back")
ATTR_CALLEE = "callee"


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
    """Calls back the caller waiting longest on nothing: the latest missed caller still
    open on the line's call-back list (one ticked or reached is done). This user's phone
    rings, then Hipcall dials the caller, once Hipcall's own records confirm that caller
    called. Unavailable while nobody waits; the `callee` attribute shows who it calls."""

    platform_domain = Platform.BUTTON

    def __init__(self, line: PhoneLine, place: Place) -> None:
        """A button on user `place`'s device."""
        super().__init__(
            line, replace(CALL_BACK, key=f"user_{place.number}_call_back"), place
        )
        self._attr_device_info = person_device_info(line, place)

    async def async_added_to_hass(self) -> None:
        """Follow the call-back list (it decides whom the button calls)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.line.async_listen_status(Status.CALLBACKS, self._handle_change)
        )

    def _waiting(self) -> Callback | None:
        """The caller to call back: the latest missed one still open on the list."""
        for item in self.line.callbacks.open_items:
            if callee_number(item.number) is not None:
                return item
        return None

    @property
    def available(self) -> bool:
        """Whether somebody waits to be called back."""
        return self._waiting() is not None

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """Whom a press calls, shown before it is pressed (name and number)."""
        item = self._waiting()
        if item is None:
            return {ATTR_CALLEE: None}
        name = self.line.settings.phonebook.name_for(item.number)
        return {ATTR_CALLEE: party(item.number, name)}

    async def async_press(self) -> None:
        """Call the waiting caller back; a notice says what happens."""
        item = self._waiting()
        account = self.line.account
        number = None if item is None else callee_number(item.number)
        if item is None or number is None or account is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_missed_caller"
            )
        await async_place_call(
            self.line,
            account,
            self.place.number,
            number,
            context=self._context,
            confirm=item,
            entity_id=self.entity_id,
        )
        async_notify_call_back(self.line, account, self.place.number, item)
