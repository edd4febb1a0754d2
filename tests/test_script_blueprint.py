"""The call routing script blueprint in blueprints/script/bulutfon, run as a real script.

The script is what the integration calls for each incoming call; here it is set up from
the blueprint and called the same way (return_response), and finally through the routing
URL with the integration itself.
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from pathlib import Path
import shutil
from typing import Any
from urllib.parse import urlencode

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.blueprint import BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest

from custom_components.bulutfon.const import CONF_ROUTING_SCRIPT

from .conftest import Post
from .test_routing import assert_valid_bfon
from .test_routing_ha import ROUTING_ID, routing_entry

BLUEPRINT = (
    Path(__file__).parent.parent
    / "blueprints"
    / "script"
    / "bulutfon"
    / "route_by_office_hours.yaml"
)
SOURCE_URL = (
    "https://github.com/ha-bulutfon/bulutfon/blob/main/blueprints/script/bulutfon/"
    "route_by_office_hours.yaml"
)
MONDAY_AFTERNOON = datetime.fromisoformat("2026-05-04T11:05:00+00:00")
"""14:05 in Istanbul, a Monday."""
MONDAY_NIGHT = datetime.fromisoformat("2026-05-04T19:05:00+00:00")


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A private config folder per test, so the blueprint can be copied into it."""
    return hass_tmp_config_dir


@pytest.fixture(autouse=True)
async def istanbul(hass: HomeAssistant) -> None:
    """Istanbul time."""
    await hass.config.async_set_time_zone("Europe/Istanbul")


def test_blueprint_schema() -> None:
    """A valid script blueprint, every input named, described and with a selector."""
    blueprint = Blueprint(
        yaml_util.load_yaml_dict(BLUEPRINT),
        path=str(BLUEPRINT),
        expected_domain="script",
        schema=BLUEPRINT_SCHEMA,
    )
    assert blueprint.validate() is None
    assert blueprint.metadata["source_url"] == SOURCE_URL
    for name, spec in blueprint.inputs.items():
        assert spec.get("name"), name
        assert spec.get("description"), name
        assert "selector" in spec, name


@pytest.fixture
def expected_lingering_timers() -> bool:
    """The schedule entity keeps a timer for its next change; that is its business."""
    return True


def install_blueprint(hass: HomeAssistant) -> None:
    """Copy the blueprint where Home Assistant looks for it."""
    target = Path(hass.config.path("blueprints", "script", "bulutfon"))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)


async def _setup(hass: HomeAssistant, **inputs: Any) -> None:
    install_blueprint(hass)
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"dnd": {}, "open": {}}}
    )
    assert await async_setup_component(
        hass,
        "schedule",
        {
            "schedule": {
                "office": {
                    "name": "Office",
                    **{
                        day: [{"from": "09:00:00", "to": "18:00:00"}]
                        for day in ("monday", "tuesday", "wednesday")
                    },
                }
            }
        },
    )
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "route_calls": {
                    "use_blueprint": {
                        "path": f"bulutfon/{BLUEPRINT.name}",
                        "input": {
                            "office_hours": "schedule.office",
                            "do_not_disturb": "input_boolean.dnd",
                            "open_destination": "10",
                            "closed_destination": "0532 111 22 33",
                            "dnd_destination": "1000",
                            **inputs,
                        },
                    }
                }
            }
        },
    )
    await hass.async_block_till_done()


async def _ask(hass: HomeAssistant) -> Any:
    return await hass.services.async_call(
        "script",
        "route_calls",
        {"caller": "905320000000", "caller_name": None, "step": 1, "digits": None},
        blocking=True,
        return_response=True,
    )


async def test_office_hours_closed_and_do_not_disturb(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Open: the menu; closed: the after-hours number; do-not-disturb wins over both."""
    freezer.move_to(MONDAY_AFTERNOON)
    await _setup(hass, closed_message="  ")
    assert hass.states.get("schedule.office").state == "on"
    assert await _ask(hass) == {"action": "dial", "destination": "10"}

    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.dnd"}, blocking=True
    )
    assert await _ask(hass) == {"action": "dial", "destination": "1000"}


async def test_closed_with_a_message(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """After hours the message is spoken first; a leading zero survives."""
    freezer.move_to(MONDAY_NIGHT)
    await _setup(hass, closed_message="Mesai saatleri dışındayız.")  # noqa: RUF001
    assert hass.states.get("schedule.office").state == "off"
    assert await _ask(hass) == {
        "action": "dial",
        "destination": "0532 111 22 33",
        "say": "Mesai saatleri dışındayız.",  # noqa: RUF001
    }


async def test_boolean_as_office_hours_without_dnd(hass: HomeAssistant) -> None:
    """Office hours may be a plain toggle, and do-not-disturb may be left out."""
    await _setup(hass, office_hours="input_boolean.open", do_not_disturb="")
    assert await _ask(hass) == {"action": "dial", "destination": "0532 111 22 33"}
    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.open"}, blocking=True
    )
    assert await _ask(hass) == {"action": "dial", "destination": "10"}


async def test_blueprint_routes_through_the_integration(
    hass: HomeAssistant, post: Post
) -> None:
    """Chosen as the routing script, it answers Bulutfon's request with BFON."""
    await _setup(hass, office_hours="input_boolean.open")
    entry = routing_entry(**{CONF_ROUTING_SCRIPT: "script.route_calls"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    response = await post(
        urlencode({"uuid": "c1", "caller": "905320000000", "step": "1"}),
        webhook_id=ROUTING_ID,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status == HTTPStatus.OK
    seq = assert_valid_bfon(await response.read())
    assert seq[-1]["args"]["destination"] == "05321112233"
