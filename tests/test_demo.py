"""The demo's configuration: it loads, and an automation from each blueprint can be made
in it and acts on the demo's lamp and radio."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from homeassistant import config as conf_util
from homeassistant.const import EVENT_HOMEASSISTANT_START
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest

from .real_hass import ROOT, load_script

demo = load_script("demo")

BLUEPRINTS = ROOT / "blueprints" / "automation" / "bulutfon"
LINE_DEVICE = "0d0a8e3f5c7b4a29b1e6f3c2d4a5b6c7"
EXTENSION = "binary_sensor.bulutfon_902163330000_extension_1001"
LAMP = "light.on_air_lamp"
RADIO = "media_player.office_radio"

AUTOMATIONS: dict[str, dict[str, Any]] = {
    "missed_call_notify.yaml": {"language": "tr"},
    "missed_call_callback.yaml": {"notify_action": "notify.persistent_notification"},
    "ringing_pause_media.yaml": {"media_players": [RADIO], "lights": [LAMP]},
    "extension_busy_light.yaml": {
        "extension": EXTENSION,
        "lights": {"entity_id": LAMP},
        "brightness": 50,
    },
}
"""An automation per blueprint, with the inputs the blueprint's form would save."""


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A config folder of the test's own, to write the demo's files into."""
    return hass_tmp_config_dir


async def load_demo(hass: HomeAssistant, automations: list[dict[str, Any]]) -> None:
    """Write the demo's configuration (with automations saved from the UI), load it as
    Home Assistant does, and set up what it configures."""
    directory = Path(hass.config.config_dir)
    path = demo.configuration(directory)
    # Only what the demo adds: the rest is config/configuration.yaml, which
    # scripts/develop and the browser tests start for real.
    (directory / "configuration.yaml").write_text(demo.DEMO_CONFIGURATION)
    assert path.exists()
    # The demo installs every blueprint of the repository.
    installed = directory / "blueprints" / "automation" / "bulutfon"
    assert {blueprint.name for blueprint in installed.glob("*.yaml")} == {
        blueprint.name for blueprint in BLUEPRINTS.glob("*.yaml")
    }
    (directory / "automations.yaml").write_text(yaml_util.dump(automations))
    config = await conf_util.async_hass_config_yaml(hass)
    for domain in (
        "input_boolean",
        "input_number",
        "template",
        "media_player",
        "script",
        "scene",
        "automation",
    ):
        assert await async_setup_component(hass, domain, config), domain
    # As at a real start: the radio's state template is first rendered then.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_START)
    await hass.async_block_till_done()


def test_every_blueprint_has_a_demo_automation() -> None:
    """The demo has something to try each automation blueprint with."""
    assert {path.name for path in BLUEPRINTS.glob("*.yaml")} >= set(AUTOMATIONS)


async def test_demo_configuration_loads(hass: HomeAssistant) -> None:
    """Automations, scripts and scenes from the UI are loaded; a lamp and a radio."""
    await load_demo(hass, [])
    lamp, radio = hass.states.get(LAMP), hass.states.get(RADIO)
    assert lamp is not None
    assert lamp.state == "off"
    assert radio is not None
    assert radio.state == "paused"


@pytest.mark.parametrize("blueprint", sorted(AUTOMATIONS))
async def test_an_automation_from_each_blueprint(
    hass: HomeAssistant, blueprint: str
) -> None:
    """Saved from the blueprint's form, the automation is on."""
    await load_demo(
        hass,
        [
            {
                "id": "from_blueprint",
                "alias": "From the blueprint",
                "use_blueprint": {
                    "path": f"bulutfon/{blueprint}",
                    "input": AUTOMATIONS[blueprint],
                },
            }
        ],
    )
    state = hass.states.get("automation.from_the_blueprint")
    assert state is not None
    assert state.state == "on"


async def test_the_blueprints_act_on_the_demo(hass: HomeAssistant) -> None:
    """A ringing call pauses the radio; the extension on a call lights the lamp."""
    await load_demo(
        hass,
        [
            {
                "id": name.removesuffix(".yaml"),
                "alias": name.removesuffix(".yaml"),
                "use_blueprint": {"path": f"bulutfon/{name}", "input": inputs},
            }
            for name, inputs in AUTOMATIONS.items()
            if name != "missed_call_notify.yaml"
        ],
    )
    await hass.services.async_call(
        "media_player", "media_play", {"entity_id": RADIO}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(RADIO).state == "playing"  # type: ignore[union-attr]
    call = {"uuid": "c1", "device_id": LINE_DEVICE, "direction": "IN"}
    hass.bus.async_fire("bulutfon_event", {"type": "call_init", **call})
    # Not async_block_till_done: the run waits for the call's end, and so would it.
    for _ in range(200):
        if hass.states.get(RADIO).state == "paused":  # type: ignore[union-attr]
            break
        await asyncio.sleep(0)
    assert hass.states.get(RADIO).state == "paused"  # type: ignore[union-attr]
    hass.bus.async_fire("bulutfon_event", {"type": "call_hangup", **call})
    await hass.async_block_till_done()
    assert hass.states.get(RADIO).state == "playing"  # type: ignore[union-attr]

    hass.states.async_set(EXTENSION, "off")
    await hass.async_block_till_done()
    hass.states.async_set(EXTENSION, "on")
    await hass.async_block_till_done()
    lamp = hass.states.get(LAMP)
    assert lamp is not None
    assert lamp.state == "on"
