# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""Triggers and conditions for targets (the automation editor's "By target" tab), firing
from the calls Bulutfon posts."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.condition import (
    async_get_all_descriptions as condition_descriptions,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.trigger import (
    async_get_all_descriptions as trigger_descriptions,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.bulutfon.const import DOMAIN
from custom_components.bulutfon.trigger import TRIGGERS as TRIGGER_CLASSES

from .conftest import NUMBER, Post
from .vendor import HIPCALL_EXAMPLES, VENDOR_EXAMPLES

CALL_EVENT = f"event.bulutfon_{NUMBER}_call"
LINE_BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"
TRIGGERS = (
    "call_started",
    "call_missed",
    "call_ended",
    "fax_received",
    "call_answered",
    "became_busy",
    "became_idle",
)
CONDITIONS = ("is_busy", "is_idle")


def event(name: str, **fields: Any) -> dict[str, Any]:
    """A vendor example of one call, with its fields replaced."""
    return {**json.loads(VENDOR_EXAMPLES[name]), "uuid": "call-1", **fields}


@pytest.fixture
def calls(hass: HomeAssistant) -> list[ServiceCall]:
    """Service calls the automations make to test.automation."""
    return async_mock_service(hass, "test", "automation")


async def automate(hass: HomeAssistant, *automations: dict[str, Any]) -> None:
    """Automations as the editor saves them, each saying which one ran."""
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    **config,
                    "actions": {
                        "action": "test.automation",
                        "data": {
                            "ran": config["alias"],
                            "entity_id": "{{ trigger.entity_id }}",
                        },
                    },
                }
                for config in automations
            ]
        },
    )
    await hass.async_block_till_done()


def ran(calls: list[ServiceCall]) -> list[str]:
    """Which automations ran, in order."""
    return [call.data["ran"] for call in calls]


async def test_call_triggers_fire_from_webhook_posts(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, calls: list[ServiceCall]
) -> None:
    """ "A call started", "... was missed", "... ended", "a fax arrived": each once, for
    its own event only."""
    await automate(
        hass,
        *(
            {
                "alias": name,
                "triggers": [
                    {"trigger": f"{DOMAIN}.{name}", "target": {"entity_id": CALL_EVENT}}
                ],
            }
            for name in TRIGGERS[:4]
        ),
    )
    await post(event("call_init"))
    await post(event("incoming_call_extension"))
    await post(event("missing_call"))
    assert ran(calls) == ["call_started", "call_missed"]
    await post(event("call_init", uuid="call-2"))
    await post(event("call_hangup", uuid="call-2"))
    await post(event("fax_init", uuid="fax-1"))
    assert ran(calls) == [
        "call_started",
        "call_missed",
        "call_started",
        "call_ended",
        "fax_received",
    ]
    assert {call.data["entity_id"] for call in calls} == {CALL_EVENT}


async def test_busy_triggers_and_conditions_for_a_device_target(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, calls: list[ServiceCall]
) -> None:
    """Targeting the line's device: busy when the call starts, idle when it ends; the
    conditions see the same."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), entry.entry_id
    )
    assert device is not None
    target = {"device_id": device.id}
    await automate(
        hass,
        {
            "alias": "busy",
            "triggers": [{"trigger": f"{DOMAIN}.became_busy", "target": target}],
        },
        {
            "alias": "idle",
            "triggers": [{"trigger": f"{DOMAIN}.became_idle", "target": target}],
        },
        {
            "alias": "fax while busy",
            "triggers": [
                {
                    "trigger": f"{DOMAIN}.fax_received",
                    "target": {"entity_id": CALL_EVENT},
                }
            ],
            "conditions": [{"condition": f"{DOMAIN}.is_busy", "target": target}],
        },
        {
            "alias": "fax while idle",
            "triggers": [
                {
                    "trigger": f"{DOMAIN}.fax_received",
                    "target": {"entity_id": CALL_EVENT},
                }
            ],
            "conditions": [{"condition": f"{DOMAIN}.is_idle", "target": target}],
        },
    )
    await post(event("call_init"))
    await post(event("fax_init", uuid="fax-1"))
    await post(event("call_hangup"))
    await post(event("fax_init", uuid="fax-2"))
    assert ran(calls) == ["busy", "fax while busy", "idle", "fax while idle"]
    # The device's other entities (its sensors) do not count as lines.
    assert calls[0].data["entity_id"] == LINE_BUSY


async def test_the_editor_lists_them_for_bulutfon_entities(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """The "By target" tab offers them for Bulutfon's entities only."""
    assert await async_setup_component(hass, automation.DOMAIN, {})
    triggers = await trigger_descriptions(hass)
    conditions = await condition_descriptions(hass)
    for name in TRIGGERS:
        (target,) = triggers[f"{DOMAIN}.{name}"]["target"]["entity"]
        assert target["integration"] == DOMAIN
    for name in CONDITIONS:
        (target,) = conditions[f"{DOMAIN}.{name}"]["target"]["entity"]
        assert target["integration"] == DOMAIN


@pytest.mark.parametrize(
    ("language", "missed", "busy"),
    [
        ("en", "A call was missed", "A line or extension became busy"),
        ("tr", "Bir arama cevapsız kaldı", "Hat veya dahili meşgul oldu"),
    ],
)
async def test_names_in_both_languages(
    hass: HomeAssistant, language: str, missed: str, busy: str
) -> None:
    """Named in the user's language (the frontend asks for these translations)."""
    triggers = await async_get_translations(hass, language, "triggers", [DOMAIN])
    conditions = await async_get_translations(hass, language, "conditions", [DOMAIN])
    assert triggers[f"component.{DOMAIN}.triggers.call_missed.name"] == missed
    assert triggers[f"component.{DOMAIN}.triggers.became_busy.name"] == busy
    for name in TRIGGERS:
        assert triggers[f"component.{DOMAIN}.triggers.{name}.description"]
    for name in CONDITIONS:
        assert conditions[f"component.{DOMAIN}.conditions.{name}.name"]


async def test_call_answered_by_target_on_a_hipcall_line(
    hass: HomeAssistant, post: Post, calls: list[ServiceCall]
) -> None:
    """ "A call was answered" (issue 32): a Hipcall line's answer fires it, once."""
    from .test_hipcall_ha import make_hipcall_entry  # here: it imports test_blueprints

    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await automate(
        hass,
        {
            "alias": "answered",
            "triggers": [
                {
                    "trigger": f"{DOMAIN}.call_answered",
                    "target": {"entity_id": CALL_EVENT},
                }
            ],
        },
    )
    for name in ("hipcall_call_init", "hipcall_call_bridged", "hipcall_call_hangup"):
        assert (await post(HIPCALL_EXAMPLES[name])).status == 200
        await hass.async_block_till_done()
    assert ran(calls) == ["answered"]


async def test_a_hipcall_line_is_no_fax_target(
    hass: HomeAssistant, post: Post, calls: list[ServiceCall]
) -> None:
    """ "A fax arrived" never applies to a Hipcall line (Hipcall sends no fax): its call
    event entity is left out of the trigger's targets."""
    from .test_hipcall_ha import make_hipcall_entry  # here: it imports test_blueprints

    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    trigger = TRIGGER_CLASSES["fax_received"]
    answered = TRIGGER_CLASSES["call_answered"]
    fax = trigger.__new__(trigger)
    fax._hass = hass
    answer = answered.__new__(answered)
    answer._hass = hass
    assert fax.entity_filter({CALL_EVENT}) == set()
    assert answer.entity_filter({CALL_EVENT}) == {CALL_EVENT}
