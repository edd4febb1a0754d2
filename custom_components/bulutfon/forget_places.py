"""The options flow's "Forget places" step: remove learned places a user no longer wants.

An extension or Hipcall user has a device of its own, deletable from its page
(async_remove_config_entry_device). A ring group or a Hipcall team is only a calls sensor on
the line's device, so without this step a stale one could never go: the line restores every
place from the entity registry at each start (issue 25, item 4).

Forgetting removes the place from the running line and its entity (and device) from the
registries, so nothing recreates it from memory; a new call can learn it again, within the
same limits as any place a webhook names (places.py).
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .const import DOMAIN
from .entity import PERSON_KINDS, place_key
from .line import PhoneLine
from .places import Place, PlaceKind

CONF_PLACES = "places"

_ORDER = (PlaceKind.GROUP, PlaceKind.TEAM, PlaceKind.EXTENSION, PlaceKind.USER)


def _entity_id(hass: HomeAssistant, line: PhoneLine, place: Place) -> str | None:
    """The entity that carries a place (a busy sensor, or a calls sensor)."""
    domain = "binary_sensor" if place.kind in PERSON_KINDS else "sensor"
    return er.async_get(hass).async_get_entity_id(
        domain, DOMAIN, f"{line.settings.number}_{place_key(place)}"
    )


def _label(hass: HomeAssistant, line: PhoneLine, place: Place) -> str:
    """A place as the user sees it: its device's name, or its sensor's name without the
    line's name in front (both already in Home Assistant's language)."""
    if place.kind in PERSON_KINDS:
        device = dr.async_get(hass).async_get_device(
            identifiers={(DOMAIN, f"{line.settings.number}_{place_key(place)}")}
        )
        if device is not None and (device.name_by_user or device.name):
            return str(device.name_by_user or device.name)
    entity_id = _entity_id(hass, line, place)
    state = hass.states.get(entity_id) if entity_id else None
    if state is None:
        return place_key(place)
    line_device = dr.async_get(hass).async_get(line.device_id or "")
    prefix = (line_device.name_by_user or line_device.name or "") if line_device else ""
    return state.name.removeprefix(prefix).strip() or state.name


def forgettable(hass: HomeAssistant, line: PhoneLine) -> dict[str, str]:
    """The places a user may forget (key -> readable name): every learned one, except the
    users and teams a Hipcall token's API list owns (the next read would bring them back;
    users that left go at that read by themselves)."""
    places = line.tracker.places
    return {
        place_key(place): _label(hass, line, place)
        for kind in _ORDER
        if kind not in places.closed
        for place in places.learned(kind)
    }


def forget(hass: HomeAssistant, line: PhoneLine, keys: list[str]) -> None:
    """Forget the chosen places: off the line, their entities and devices out of the
    registries (start-up restores places from the entity registry, so none comes back)."""
    chosen = set(keys)
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    for kind in _ORDER:
        for place in line.tracker.places.learned(kind):
            if place_key(place) not in chosen:
                continue
            entity_id = _entity_id(hass, line, place)
            line.async_forget_place(place)
            if place.kind in PERSON_KINDS:
                device = devices.async_get_device(
                    identifiers={(DOMAIN, f"{line.settings.number}_{place_key(place)}")}
                )
                if device is not None:  # its entities (the call-back button) go with it
                    devices.async_remove_device(device.id)
            if entity_id is not None and entities.async_get(entity_id) is not None:
                entities.async_remove(entity_id)


class ForgetPlacesSteps(OptionsFlow):
    """A menu before the options when the line has learned places, and the step that
    forgets the chosen ones; lines that have learned none see the options as before."""

    _settings_chosen = False

    def _line(self) -> PhoneLine | None:
        runtime = getattr(self.config_entry, "runtime_data", None)
        return runtime if isinstance(runtime, PhoneLine) else None

    def places_menu(self) -> ConfigFlowResult | None:
        """The menu (options or forget places), or None to go straight to the options."""
        line = self._line()
        if self._settings_chosen or line is None or not forgettable(self.hass, line):
            return None
        return self._menu()

    def _menu(self) -> ConfigFlowResult:
        return self.async_show_menu(
            step_id="menu",
            menu_options=["settings", "forget_places"],
            description_placeholders={"title": self.config_entry.title},
        )

    async def async_step_menu(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The menu itself (Home Assistant requires a step of the menu's id)."""
        return self._menu()

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The options form (BulutfonOptionsFlow's)."""
        raise NotImplementedError

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The menu's "Options": the line's options form."""
        self._settings_chosen = True
        return await self.async_step_init()

    async def async_step_forget_places(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose learned places to forget; the other options stay as they are."""
        line = self._line()
        if line is None:
            return self.async_abort(reason="not_loaded")
        if user_input is not None:
            forget(self.hass, line, list(user_input.get(CONF_PLACES, [])))
            return self.async_create_entry(data=dict(self.config_entry.options))
        choices = forgettable(self.hass, line)
        schema = vol.Schema(
            {
                vol.Optional(CONF_PLACES, default=[]): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(value=key, label=label)
                            for key, label in choices.items()
                        ],
                        multiple=True,
                        mode=SelectSelectorMode.LIST,
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="forget_places",
            data_schema=schema,
            description_placeholders={"title": self.config_entry.title},
        )
