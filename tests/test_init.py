"""Setting up, unloading and removing an entry."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from unittest.mock import patch

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bulutfon.const import DOMAIN

from .conftest import NUMBER, WEBHOOK_ID, Post
from .vendor import VENDOR_EXAMPLES


async def test_setup_creates_device_and_accepts_events(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """A loaded entry has its service device and answers Bulutfon's posts."""
    assert entry.state is ConfigEntryState.LOADED
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), entry.entry_id
    )
    assert device is not None
    assert device.name == "Bulutfon 0850 885 00 00"
    assert device.manufacturer == "Bulutfon"
    assert device.model == "Cloud PBX"
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert entry.runtime_data.device_id == device.id

    response = await post(VENDOR_EXAMPLES["call_init"])
    assert response.status == HTTPStatus.OK
    assert (
        hass.states.get("binary_sensor.bulutfon_908508850000_line_busy").state == "on"
    )


async def test_unload_removes_webhook_and_timers(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """After unload the URL no longer reaches the integration and nothing is scheduled:
    the webhook is gone from Home Assistant's registry, and no timer calls the line."""
    line = entry.runtime_data
    handlers = hass.data[webhook.DOMAIN]
    assert WEBHOOK_ID in handlers
    called: list[str] = []
    with (
        patch.object(line, "async_expire", lambda: called.append("expire")),
        patch.object(line, "async_new_day", lambda: called.append("new_day")),
    ):
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is ConfigEntryState.NOT_LOADED
        assert WEBHOOK_ID not in handlers
        # Home Assistant answers 200 for unknown webhooks; nothing may be processed.
        response = await post(VENDOR_EXAMPLES["call_init"])
        assert response.status == HTTPStatus.OK
        assert line.accepted == 0
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=1, hours=1))
        await hass.async_block_till_done()
    assert called == []
