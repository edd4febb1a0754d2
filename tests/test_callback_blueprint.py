"""The "call back or done" blueprint as a real automation with the real integration: a
missed call notifies the phone, and the notification's buttons (their events simulated as
the Home Assistant app sends them) tick the caller on the list or call back."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.bulutfon.const import CONF_PHONEBOOK
from custom_components.bulutfon.protocol import event_from_mapping

from .conftest import NUMBER, setup_entry
from .test_blueprints import install_blueprints

TODO = f"todo.bulutfon_{NUMBER}_callbacks"
NOTIFY = "mobile_app_test_phone"


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A private config folder per test, so the blueprints can be copied into it."""
    return hass_tmp_config_dir


async def run_until(predicate: Any, rounds: int = 500) -> None:
    """Let the loop run until `predicate()` holds (the automation waits for a button:
    hass.async_block_till_done() would wait for it too)."""
    for _ in range(rounds):
        if predicate():
            return
        await asyncio.sleep(0)
    pytest.fail("the automation did not get there")


async def start(hass: HomeAssistant, **inputs: Any) -> list[ServiceCall]:
    """The line, and an automation from the blueprint; the phone's notify calls."""
    await setup_entry(hass, **{CONF_PHONEBOOK: "0532 123 45 67 = Ayşe Kaya"})
    notified = async_mock_service(hass, "notify", NOTIFY)
    install_blueprints(hass)
    config = {
        "automation": {
            "id": "call_back",
            "alias": "Call back",
            "use_blueprint": {
                "path": "bulutfon/missed_call_callback.yaml",
                "input": {"notify_action": f"notify.{NOTIFY}", **inputs},
            },
        }
    }
    assert await async_setup_component(hass, "automation", config)
    await hass.async_block_till_done()
    return notified


def miss(hass: HomeAssistant, caller: str = "905321234567", uuid: str = "m1") -> None:
    """A missed call reaches the line (as the webhook hands it over)."""
    entry = hass.config_entries.async_entries("bulutfon")[0]
    entry.runtime_data.async_process(
        event_from_mapping(
            {
                "event_type": "missing_call",
                "uuid": uuid,
                "caller": caller,
                "callee": NUMBER,
                "direction": "IN",
            }
        )
    )


def tap(hass: HomeAssistant, action: str) -> None:
    """The Home Assistant app reports a tap on a notification button."""
    hass.bus.async_fire("mobile_app_notification_action", {"action": action})


def open_count(hass: HomeAssistant) -> str:
    """How many callers the list still holds open."""
    state = hass.states.get(TODO)
    assert state is not None
    return state.state


async def test_done_ticks_the_caller(hass: HomeAssistant) -> None:
    """Name in the message, a tel: link and a Done button; Done ticks the item."""
    notified = await start(hass)
    miss(hass)
    await run_until(lambda: notified)
    data = notified[0].data
    assert data["message"] == "Ayşe Kaya"
    call_back, done = data["data"]["actions"]
    assert call_back["action"] == "URI"
    assert call_back["uri"] == "tel:+905321234567"
    assert done["action"].startswith("BULUTFON_DONE_")
    assert open_count(hass) == "1"
    tap(hass, "BULUTFON_DONE_someone-else")  # another notification's button
    for _ in range(50):
        await asyncio.sleep(0)
    assert open_count(hass) == "1"
    tap(hass, done["action"])
    await run_until(lambda: open_count(hass) == "0")


async def test_unknown_caller_reads_as_a_number(hass: HomeAssistant) -> None:
    """Without a phone-book name the message is the readable number."""
    notified = await start(hass)
    miss(hass, caller="05329998877")
    await run_until(lambda: notified)
    assert notified[0].data["message"] == "0532 999 88 77"


async def test_hidden_caller_sends_nothing(hass: HomeAssistant) -> None:
    """No number to call back: no item, no notification."""
    notified = await start(hass)
    miss(hass, caller="anonymous")
    await hass.async_block_till_done()
    assert notified == []


async def test_hipcall_click_to_call(hass: HomeAssistant) -> None:
    """With "Hipcall", Call back runs bulutfon.call for the line and the caller."""
    notified = await start(hass, call_back_with="hipcall", hipcall_user="12")
    # After set-up: the integration registers the real bulutfon.call (issue 18), which
    # needs a Hipcall line with an API token; this test is about what the blueprint sends.
    calls = async_mock_service(hass, "bulutfon", "call")
    miss(hass)
    await run_until(lambda: notified)
    call_back = notified[0].data["data"]["actions"][0]
    assert call_back["action"].startswith("BULUTFON_CALL_BACK_")
    tap(hass, call_back["action"])
    await run_until(lambda: calls)
    entry = hass.config_entries.async_entries("bulutfon")[0]
    # The call-back list's item, not the number: bulutfon.call dials its caller only
    # when Hipcall's records confirm the call (issue 25: a forged webhook cannot
    # choose whom the office dials).
    assert calls[0].data == {
        "device_id": entry.runtime_data.device_id,
        "missed_call": entry.runtime_data.callbacks.open_items[0].uid,
        "user": 12,  # bulutfon.call reads it as text (cv.string)
    }
    assert open_count(hass) == "1"  # called back: the answered call will tick it
