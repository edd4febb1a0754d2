"""Device triggers: listed on the device page, firing a real automation, translated."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr, frame
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
    async_mock_service,
)

from custom_components.bulutfon import device_trigger
from custom_components.bulutfon.const import ALL_EVENT_TYPES, DOMAIN

from .conftest import Post, make_entry
from .vendor import VENDOR_EXAMPLES

OTHER_NUMBER = "908508850001"
OTHER_WEBHOOK_ID = "fedcba9876543210" * 4

MISSED_CALL: dict[str, Any] = {
    **json.loads(VENDOR_EXAMPLES["missing_call"]),
    "caller": "905320000000",
}


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.unique_id), entry.entry_id
    )
    assert device is not None
    return device.id


@pytest.fixture
def calls(hass: HomeAssistant) -> list[ServiceCall]:
    """Service calls an automation makes to test.automation."""
    return async_mock_service(hass, "test", "automation")


async def _setup_automation(
    hass: HomeAssistant, device_id: str, trigger_type: str
) -> None:
    """A missed-call style automation, made the way the automation editor makes it."""
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    "triggers": [
                        {
                            "trigger": "device",
                            "domain": DOMAIN,
                            "device_id": device_id,
                            "type": trigger_type,
                        }
                    ],
                    "actions": {
                        "action": "test.automation",
                        "data_template": {
                            "type": "{{ trigger.event.data.type }}",
                            "caller": "{{ trigger.event.data.caller }}",
                            "description": "{{ trigger.description }}",
                        },
                    },
                }
            ]
        },
    )
    await hass.async_block_till_done()


async def test_lists_one_trigger_per_event_type(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """The device page offers a trigger for each of the seven event types."""
    device_id = _device_id(hass, entry)
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, device_id
    )
    expected = [
        {
            "platform": "device",
            "domain": DOMAIN,
            "device_id": device_id,
            "type": event_type,
            "metadata": {},
        }
        for event_type in ALL_EVENT_TYPES
    ]
    # The device's entities bring their own (sensor, event) triggers; ours are these.
    ours = [trigger for trigger in triggers if trigger["domain"] == DOMAIN]
    assert sorted(ours, key=lambda t: t["type"]) == sorted(
        expected, key=lambda t: t["type"]
    )


async def test_missed_call_fires_automation(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, calls: list[ServiceCall]
) -> None:
    """A missed call Bulutfon posts runs the automation once, with the event's data."""
    await _setup_automation(hass, _device_id(hass, entry), "missing_call")

    await post(MISSED_CALL)

    assert len(calls) == 1
    assert calls[0].data["type"] == "missing_call"
    # Templates render numbers as numbers.
    assert calls[0].data["caller"] == 905320000000
    assert calls[0].data["description"] == "event 'bulutfon_event'"

    # Bulutfon's older spelling of the same event triggers it too.
    await post({**MISSED_CALL, "event_type": "missed_call", "uuid": "another-call"})
    assert len(calls) == 2


async def test_other_types_do_not_fire(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, calls: list[ServiceCall]
) -> None:
    """A missed-call trigger ignores every other event of the same call."""
    await _setup_automation(hass, _device_id(hass, entry), "missing_call")

    for name in ("call_init", "incoming_call_extension", "call_hangup", "fax_init"):
        await post(VENDOR_EXAMPLES[name])

    assert calls == []


async def test_other_device_does_not_fire(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, calls: list[ServiceCall]
) -> None:
    """A missed call on another PBX number does not run this number's automation."""
    other = make_entry(number=OTHER_NUMBER, webhook_id=OTHER_WEBHOOK_ID)
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()
    await _setup_automation(hass, _device_id(hass, entry), "missing_call")

    await post(MISSED_CALL, webhook_id=OTHER_WEBHOOK_ID)
    assert calls == []

    await post(MISSED_CALL)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("trigger_type", "vendor_example"),
    [
        ("call_init", "call_init"),
        ("call_init_extension", "incoming_call_extension"),
        ("call_init_group", "incoming_call_group"),
        ("call_init_menu", "call_init_menu"),
        ("call_hangup", "call_hangup"),
        ("fax_init", "fax_init"),
    ],
)
async def test_each_trigger_fires_for_its_event(
    *,
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    calls: list[ServiceCall],
    trigger_type: str,
    vendor_example: str,
) -> None:
    """Every listed trigger fires for the vendor document's example of its event."""
    await _setup_automation(hass, _device_id(hass, entry), trigger_type)

    await post(VENDOR_EXAMPLES[vendor_example])

    assert [call.data["type"] for call in calls] == [trigger_type]


async def test_invalid_trigger_type_is_refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An automation with a type that is not a Bulutfon event is shown as broken."""
    await _setup_automation(hass, _device_id(hass, entry), "doorbell")

    state = hass.states.get("automation.automation_0")
    assert state is not None
    assert state.state == "unavailable"
    assert "failed to setup triggers" in caplog.text
    assert "missing_call" in caplog.text  # the message lists the valid types


async def _trigger_names(hass: HomeAssistant, language: str) -> dict[str, str | None]:
    translations = await async_get_translations(
        hass, language, "device_automation", [DOMAIN]
    )
    return {
        event_type: translations.get(
            f"component.{DOMAIN}.device_automation.trigger_type.{event_type}"
        )
        for event_type in ALL_EVENT_TYPES
    }


async def test_trigger_names_are_translated(hass: HomeAssistant) -> None:
    """The automation editor shows a name, in English and Turkish, for each trigger."""
    english = await _trigger_names(hass, "en")
    turkish = await _trigger_names(hass, "tr")

    assert english["missing_call"] == "Missed call"
    assert turkish["missing_call"] == "Cevapsız arama"  # noqa: RUF001
    for names in (english, turkish):
        assert all(names.values()), names
        assert len(set(names.values())) == 7  # no two triggers read the same
    # Home Assistant fills missing Turkish strings with English ones: none may be missing.
    assert not {key for key in ALL_EVENT_TYPES if turkish[key] == english[key]}


async def test_triggers_use_no_device_api_deprecated_for_2027_10(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 32, item 12: listing a line's triggers logged "... will stop working in
    Home Assistant 2027.10.0" (DeviceEntry.config_entries). The device's own entry is
    read instead, and the triggers are still the line's platform's."""
    # Home Assistant logs each deprecated use once per process: forget earlier reports.
    monkeypatch.setattr(frame, "_REPORTED_INTEGRATIONS", set())
    triggers = await device_trigger.async_get_triggers(hass, _device_id(hass, entry))
    assert sorted(trigger["type"] for trigger in triggers) == sorted(ALL_EVENT_TYPES)
    assert "2027.10" not in caplog.text
    assert "config_entries" not in caplog.text
