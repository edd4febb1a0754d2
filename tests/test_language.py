"""A change of Home Assistant's language reaches the names it wrote at setup."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_FRIENDLY_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest

from custom_components.bulutfon.const import DOMAIN

from .conftest import NUMBER, Post, setup_entry
from .test_blueprints import call_event

LINE_BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"


def _device(hass: HomeAssistant, key: str, entry_id: str) -> dr.DeviceEntry:
    device = dr.async_get(hass).async_get_device_by_identifier((DOMAIN, key), entry_id)
    assert device is not None, key
    return device


async def test_names_follow_a_language_change(hass: HomeAssistant, post: Post) -> None:
    """English, then Turkish in the general settings: the line's model, an unnamed
    extension's device and the entity names read Turkish without a manual reload."""
    hass.config.language = "en"
    entry = await setup_entry(hass)
    body: dict[str, Any] = {
        **call_event("call_init_extension", destination="1001", number=NUMBER),
        "event_type": "call_init_extension",
    }
    assert (await post(body)).status == 200
    await hass.async_block_till_done()
    assert _device(hass, NUMBER, entry.entry_id).model == "Cloud PBX"
    assert _device(hass, f"{NUMBER}_extension_1001", entry.entry_id).name == (
        "Extension 1001"
    )

    await hass.config.async_update(language="tr")
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    line = _device(hass, NUMBER, entry.entry_id)
    assert line.model == "Bulut santral"
    assert line.model_id == "Bulutfon"  # what the blueprints filter on: unchanged
    assert _device(hass, f"{NUMBER}_extension_1001", entry.entry_id).name == (
        "Dahili 1001"
    )
    state = hass.states.get(LINE_BUSY)
    assert state is not None
    assert state.attributes[ATTR_FRIENDLY_NAME] == "Bulutfon 0850 885 00 00 Hat"


@pytest.mark.parametrize("language", ["de", "en-GB"])
async def test_no_reload_when_the_written_language_stays(
    hass: HomeAssistant, language: str
) -> None:
    """English to German (written in English too) reloads nothing."""
    hass.config.language = "en"
    entry = await setup_entry(hass)
    reloads: list[str] = []
    original = hass.config_entries.async_schedule_reload

    def spy(entry_id: str) -> None:
        reloads.append(entry_id)
        original(entry_id)

    hass.config_entries.async_schedule_reload = spy  # type: ignore[method-assign]
    await hass.config.async_update(language=language)
    await hass.async_block_till_done()
    assert reloads == []
    await hass.config.async_update(language="tr")
    await hass.async_block_till_done()
    assert reloads == [entry.entry_id]
