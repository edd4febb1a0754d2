"""Who becomes a device: each Hipcall user once, through restarts and reloads, and what
0.3.0 left behind cleaned up (issue 32, item 1; issue 25, item 4)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bulutfon.const import DOMAIN

from .conftest import NUMBER
from .fake_hipcall import FakeHipcall
from .test_hipcall_account import api, hipcall_entry, start

__all__ = ["api"]  # the fixture, imported for these tests

pytestmark = pytest.mark.usefixtures("socket_enabled")

LINE = f"{NUMBER}"


def devices(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str | None]:
    """The entry's devices: identifier -> name."""
    return {
        identifier: device.name
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        for _, identifier in device.identifiers
    }


def entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The entry's entity ids."""
    return {
        item.entity_id
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """What a restart leaves the entry: only the registries (unload, then set up)."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


USERS = {
    f"{NUMBER}_user_12": "Ayşe Kaya",
    f"{NUMBER}_user_13": "Mehmet Demir",
}


async def test_each_user_is_one_device_through_restarts_and_a_reload(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    """Two restarts and a reload later, each Hipcall user is still one device with one
    busy sensor and one call-back button (0.3.0 added "12_call_back", then
    "12_call_back_call_back", ...: a device each)."""
    entry = hipcall_entry()
    await start(hass, entry)
    first = entity_ids(hass, entry)
    assert devices(hass, entry) == {NUMBER: "Hipcall 0850 885 00 00", **USERS}
    for _ in range(2):
        await restart(hass, entry)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    assert devices(hass, entry) == {NUMBER: "Hipcall 0850 885 00 00", **USERS}
    assert entity_ids(hass, entry) == first
    assert not any("call_back_call_back" in entity_id for entity_id in first)


def _registry_as_030_left_it(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """User 12 and the echoes 0.3.0 made of it in two restarts: "12_call_back" and
    "12_call_back_call_back", each a device named like the real one (from the phone
    book's digits) with its busy sensor and its own button."""
    devices_ = dr.async_get(hass)
    entities = er.async_get(hass)
    line = devices_.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, NUMBER)}, name="Hipcall"
    )
    for user in ("12", "12_call_back", "12_call_back_call_back"):
        device = devices_.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, f"{NUMBER}_user_{user}")},
            name="Ayşe Kaya",
            via_device_id=line.id,
        )
        for domain, key in (
            ("binary_sensor", f"user_{user}"),
            ("button", f"user_{user}_call_back"),
        ):
            entities.async_get_or_create(
                domain,
                DOMAIN,
                f"{NUMBER}_{key}",
                suggested_object_id=f"bulutfon_{NUMBER}_{key}",
                config_entry=entry,
                device_id=device.id,
            )


async def test_an_upgrade_removes_the_duplicates_030_made(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    """A registry exactly as 0.3.0 left it after two restarts: the upgrade removes the
    echoes' devices and entities, and keeps the real user's (its button too)."""
    entry = hipcall_entry()
    data: dict[str, Any] = {**entry.data, "api_url": "https://attacker.example"}
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        version=1,
        minor_version=3,
        data=data,
        options=entry.options,
    )
    entry.add_to_hass(hass)
    _registry_as_030_left_it(hass, entry)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.minor_version == 4
    assert "api_url" not in entry.data
    assert devices(hass, entry) == {NUMBER: "Hipcall 0850 885 00 00", **USERS}
    ids = entity_ids(hass, entry)
    assert f"button.bulutfon_{NUMBER}_user_12_call_back" in ids
    assert f"binary_sensor.bulutfon_{NUMBER}_user_12" in ids
    assert not [entity_id for entity_id in ids if "_call_back_" in entity_id]
    assert f"binary_sensor.bulutfon_{NUMBER}_user_12_call_back" not in ids
    await restart(hass, entry)
    assert devices(hass, entry) == {NUMBER: "Hipcall 0850 885 00 00", **USERS}
    assert entity_ids(hass, entry) == ids
