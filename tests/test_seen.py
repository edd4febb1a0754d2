"""What the line has seen is the line's fact: a repeat after a restart is a repeat, whichever
entities are enabled (issue 24, item 5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

from custom_components.bulutfon.const import DOMAIN, EVENT_BULUTFON

from .conftest import NUMBER, Post, make_entry, setup_entry

MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
MISSED_TODAY = f"sensor.bulutfon_{NUMBER}_missed_calls_today"
MISSED = {
    "event_type": "missing_call",
    "uuid": "m1",
    "caller": "05321234567",
    "callee": NUMBER,
    "direction": "IN",
}


async def test_a_repeat_after_a_restart_with_every_entity_disabled(
    hass: HomeAssistant, late_post: Post
) -> None:
    """Missed calls, today's figures, talk time, everything disabled: the same missed
    call delivered again after a restart fires bulutfon_event once in all."""
    entry = await setup_entry(hass)
    registry = er.async_get(hass)
    for item in er.async_entries_for_config_entry(registry, entry.entry_id):
        registry.async_update_entity(
            item.entity_id, disabled_by=er.RegistryEntryDisabler.USER
        )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.async_entity_ids(DOMAIN) == []
    assert not [
        state
        for state in hass.states.async_all()
        if state.entity_id.startswith(("sensor.bulutfon", "todo.bulutfon"))
    ]
    bus = async_capture_events(hass, EVENT_BULUTFON)
    assert (await late_post(MISSED)).status == 200
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert (await late_post(MISSED)).status == 200
    assert [event.data["uuid"] for event in bus] == ["m1"]


async def test_what_was_seen_is_saved_by_the_line(
    hass: HomeAssistant, late_post: Post, hass_storage: dict[str, Any]
) -> None:
    """The line keeps the calls it has seen in its own store (uuids, no numbers), soon
    after they come, not only when the entry unloads."""
    entry = await setup_entry(hass)
    assert (await late_post(MISSED)).status == 200
    for seconds in (11, 22):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
        await hass.async_block_till_done()
    saved = hass_storage[f"{DOMAIN}.{entry.entry_id}.seen"]["data"]
    assert saved["missed"] == ["m1"]
    assert ["m1", "dm"] in saved["counted"] or ["m1", "m"] in saved["counted"]
    assert "5321234567" not in str(saved)


async def test_what_0_3_0_kept_in_the_sensors_is_honoured_after_the_upgrade(
    hass: HomeAssistant, late_post: Post, hass_storage: dict[str, Any]
) -> None:
    """The first start after the upgrade has no store of the line yet: the memory 0.3.0
    kept in the sensors' restore data still makes a repeat a repeat, and moves into the
    line's store."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(MISSED_CALLS, "1"), {"value": 1, "counted": ["m1"]}),
            (
                State(MISSED_TODAY, "1"),
                {
                    "value": 1,
                    "day": dt_util.now().date().isoformat(),
                    "counted": [["m1", "dm"]],
                },
            ),
        ],
    )
    entry = await setup_entry(hass)
    bus = async_capture_events(hass, EVENT_BULUTFON)
    assert (await late_post(MISSED)).status == 200
    assert bus == []
    state = hass.states.get(MISSED_CALLS)
    assert state is not None
    assert state.state == "1"
    for seconds in (11, 22):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
        await hass.async_block_till_done()
    assert hass_storage[f"{DOMAIN}.{entry.entry_id}.seen"]["data"]["missed"] == ["m1"]


@pytest.mark.parametrize(
    "data",
    [[], "x", {"missed": "m1", "counted": {"a": 1}}, {"missed": [1, None, "m1"]}],
)
async def test_saved_data_that_does_not_fit_is_ignored(
    hass: HomeAssistant, late_post: Post, hass_storage: dict[str, Any], data: Any
) -> None:
    """A store of the line written by hand or foreign: ignored item by item, never an
    exception; what fits still makes a repeat a repeat."""
    entry = make_entry()
    hass_storage[f"{DOMAIN}.{entry.entry_id}.seen"] = {
        "version": 1,
        "key": f"{DOMAIN}.{entry.entry_id}.seen",
        "data": data,
    }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    bus = async_capture_events(hass, EVENT_BULUTFON)
    assert (await late_post(MISSED)).status == 200
    kept = isinstance(data, dict) and isinstance(data["missed"], list)
    assert len(bus) == (0 if kept and "m1" in data["missed"] else 1)
