"""Names written in Home Assistant's language follow a change of that language.

Home Assistant writes entity names, device names from translation keys ("Extension 1001")
and device models ("Cloud PBX") once, in its language when an entry is set up; to-do item
descriptions and the line device's model come from this integration's own wording in that
language too. A change of language in the general settings changes none of them until the
entry is set up again: so the entries are reloaded, once, when the language they write in
(English or Turkish) changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback

from .const import DOMAIN, LINE_MODEL_IDS, PLATFORM_BULUTFON, PLATFORM_HIPCALL
from .wording import device_model, language_for


def line_model(hass: HomeAssistant, platform: str) -> tuple[str, str]:
    """A line device's model (in Home Assistant's language) and model id (the same in
    every language: what blueprints filter lines on)."""
    return (
        device_model(language_for(hass.config.language)),
        LINE_MODEL_IDS[
            PLATFORM_HIPCALL if platform == PLATFORM_HIPCALL else PLATFORM_BULUTFON
        ],
    )


@callback
def async_follow_language(hass: HomeAssistant) -> CALLBACK_TYPE:
    """Reload every loaded entry when Home Assistant's language changes between the
    languages the integration writes in; returns the listener's remover."""
    written = language_for(hass.config.language)

    @callback
    def _changed(event_data: Mapping[str, Any]) -> bool:
        nonlocal written
        new = event_data.get("language")
        if not new or language_for(new) == written:
            return False
        written = language_for(new)
        return True

    @callback
    def _reload(_event: Event[Mapping[str, Any]]) -> None:
        for entry in hass.config_entries.async_loaded_entries(DOMAIN):
            hass.config_entries.async_schedule_reload(entry.entry_id)

    return hass.bus.async_listen(
        EVENT_CORE_CONFIG_UPDATE, _reload, event_filter=_changed
    )
