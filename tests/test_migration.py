"""An upgrade from an entry made by 0.1: readable names, unchanged entity ids."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er

from custom_components.bulutfon.const import (
    CONF_NUMBER,
    CONF_PLATFORM,
    DOMAIN,
    PLATFORM_BULUTFON,
)

from .conftest import NUMBER, Post, make_entry, start_flow
from .test_entities import ALL_ENTITIES, LAST_CALLER
from .vendor import VENDOR_EXAMPLES

OLD_TITLE = f"Bulutfon {NUMBER}"
NEW_TITLE = "Bulutfon 0850 885 00 00"


async def test_upgrade_keeps_entity_ids_and_renames(
    hass: HomeAssistant, late_post: Post
) -> None:
    """An entry, device and entities as 0.1 left them: after the upgrade the entry and
    device read "Bulutfon 0850 885 00 00", every entity keeps its id (also one the user
    renamed) and the line works."""
    entry = make_entry()  # what 0.1's config flow made: version 1.1, the old title
    assert (entry.version, entry.minor_version, entry.title) == (1, 1, OLD_TITLE)
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, NUMBER)},
        name=OLD_TITLE,
        manufacturer="Bulutfon",
    )
    registry = er.async_get(hass)
    for entity_id, key in ALL_ENTITIES.items():
        domain, object_id = split_entity_id(entity_id)
        registry.async_get_or_create(
            domain,
            DOMAIN,
            f"{NUMBER}_{key}",
            suggested_object_id=object_id,
            config_entry=entry,
            device_id=device.id,
        )
    registry.async_update_entity(LAST_CALLER, new_entity_id="sensor.office_caller")

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version, entry.title) == (1, 4, NEW_TITLE)
    assert entry.data[CONF_NUMBER] == NUMBER
    assert entry.unique_id == NUMBER
    updated = dr.async_get(hass).async_get(device.id)
    assert updated is not None
    assert updated.name == NEW_TITLE
    expected = {*ALL_ENTITIES} - {LAST_CALLER} | {"sensor.office_caller"}
    assert {
        item.entity_id
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
    } == expected
    assert {state.entity_id for state in hass.states.async_all()} >= expected

    response = await late_post(VENDOR_EXAMPLES["call_init"])
    assert response.status == 200
    line_busy = hass.states.get(f"binary_sensor.bulutfon_{NUMBER}_line_busy")
    assert line_busy is not None
    assert line_busy.state == "on"


async def test_upgrade_keeps_a_title_the_user_chose(hass: HomeAssistant) -> None:
    """A renamed entry keeps its name; it is still brought up to date (1.4)."""
    entry = make_entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, title="Office")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.title == "Office"
    assert entry.minor_version == 4


async def test_entry_from_a_newer_version_is_not_touched(hass: HomeAssistant) -> None:
    """An entry a newer major version wrote fails migration instead of being guessed at."""
    entry = make_entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, version=2)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.title == OLD_TITLE


async def test_new_entry_entity_ids_keep_the_digits(hass: HomeAssistant) -> None:
    """A new entry is named with the readable number; its entity ids hold the digits."""
    result = await start_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NUMBER: "0850 885 00 00"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == NEW_TITLE
    entry = result["result"]
    assert entry.minor_version == 4
    assert entry.data[CONF_PLATFORM] == PLATFORM_BULUTFON
    await hass.async_block_till_done()
    assert {
        item.entity_id
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    } == set(ALL_ENTITIES)
