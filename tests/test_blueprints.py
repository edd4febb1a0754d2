"""The automation blueprints in blueprints/automation/bulutfon.

Every file must load with Home Assistant's blueprint loader and schema, and the two
blueprints must behave: each is set up as a real automation in `hass` and driven with
`bulutfon_event`s. Blueprint inputs are not checked against the integration, so the
integration itself is set up only to see which devices the line picker lists.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
import json
from pathlib import Path
import shutil
from typing import TYPE_CHECKING, Any

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.bulutfon.const import DOMAIN

from .conftest import NUMBER, setup_entry
from .vendor import HIPCALL_EXAMPLES

if TYPE_CHECKING:
    from collections.abc import Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, ServiceCall

BLUEPRINT_DIR = Path(__file__).parent.parent / "blueprints" / "automation" / "bulutfon"
BLUEPRINTS = sorted(BLUEPRINT_DIR.glob("*.yaml"))
SOURCE_URL = (
    "https://github.com/ha-bulutfon/bulutfon/blob/main/blueprints/automation/bulutfon/"
)

EVENT = "bulutfon_event"
NOW = datetime.fromisoformat("2026-05-04T11:05:00+00:00")
"""The frozen clock: 14:05 in Istanbul."""

TITLE = "Cevapsız arama"  # noqa: RUF001 - Turkish has a dotless i
"""A custom title, in Turkish ("missed call")."""

LINE_DEVICE = "0d0a8e3f5c7b4a29b1e6f3c2d4a5b6c7"
OTHER_DEVICE = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A private config folder per test, so the blueprints can be copied into it."""
    return hass_tmp_config_dir


@pytest.fixture(autouse=True)
async def istanbul_clock(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Istanbul time, frozen at a known moment."""
    await hass.config.async_set_time_zone("Europe/Istanbul")
    freezer.move_to(NOW)


def install_blueprints(hass: HomeAssistant) -> None:
    """Copy the repository's blueprints where Home Assistant looks for them."""
    target = Path(hass.config.path("blueprints", "automation", "bulutfon"))
    target.mkdir(parents=True, exist_ok=True)
    for path in BLUEPRINTS:
        shutil.copy(path, target / path.name)


async def setup_automation(
    hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]
) -> None:
    """Set up one automation from a blueprint, and check that it is on."""
    install_blueprints(hass)
    config = {
        "automation": {
            "id": "under_test",
            "alias": "Under test",
            "use_blueprint": {"path": f"bulutfon/{blueprint}", "input": inputs},
        }
    }
    assert await async_setup_component(hass, "automation", config)
    await hass.async_block_till_done()
    assert state_of(hass, "automation.under_test") == "on"


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """An entity's state, which must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} has no state"
    return state.state


def call_event(event_type: str, **fields: Any) -> dict[str, Any]:
    """The data of a `bulutfon_event`, shaped as the integration fires it."""
    data: dict[str, Any] = {
        "type": event_type,
        "number": "908501234567",
        "device_id": LINE_DEVICE,
        "uuid": "6f1c2b9e-4d3a-4b8e-9c71-2a5d8e0f4b13",
        "caller": "905321234567",
        "callee": "908501234567",
        "destination": None,
        "direction": "IN",
        "timestamp": NOW.isoformat(),
        "talk_duration": None,
        "caller_name": None,
        "caller_readable": "0532 123 45 67",
        "callee_name": None,
    }
    data.update(fields)
    return data


async def fire(
    hass: HomeAssistant, event_type: str, *, settle: bool = True, **fields: Any
) -> None:
    """Fire a `bulutfon_event`; with `settle`, let the automations finish with it.

    Do not settle while an automation run waits for the end of a call: that wait is a
    task, and hass.async_block_till_done() would wait for it too. Use run_until().
    """
    hass.bus.async_fire(EVENT, call_event(event_type, **fields))
    if settle:
        await hass.async_block_till_done()


def event_listeners(hass: HomeAssistant) -> int:
    """Listeners for `bulutfon_event`: one per automation, two per run awaiting an end."""
    return hass.bus.async_listeners().get(EVENT, 0)


async def run_until(condition: Callable[[], bool], rounds: int = 500) -> None:
    """Let the event loop run until the condition holds (and a few rounds more)."""
    for _ in range(rounds):
        if condition():
            break
        await asyncio.sleep(0)
    else:
        pytest.fail("the automation did not get there")
    for _ in range(20):
        await asyncio.sleep(0)


def test_blueprint_files_exist() -> None:
    """Both blueprints are there (and nothing is silently skipped below)."""
    assert {path.name for path in BLUEPRINTS} >= {
        "missed_call_notify.yaml",
        "ringing_pause_media.yaml",
        "extension_busy_light.yaml",
    }


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda path: path.name)
def test_blueprint_schema(path: Path) -> None:
    """Each file is a valid automation blueprint with documented inputs."""
    blueprint = Blueprint(
        yaml_util.load_yaml_dict(path),
        path=str(path),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.validate() is None
    assert blueprint.metadata["source_url"] == SOURCE_URL + path.name
    assert blueprint.metadata["description"]
    for name, spec in blueprint.inputs.items():
        assert spec.get("name"), f"input {name} has no name"
        assert spec.get("description"), f"input {name} has no description"
        assert "selector" in spec, f"input {name} has no selector"


async def test_blueprints_load_in_home_assistant(hass: HomeAssistant) -> None:
    """Home Assistant's own loader finds and accepts every blueprint file."""
    install_blueprints(hass)
    assert await async_setup_component(hass, "automation", {})
    blueprints = async_get_blueprints(hass)
    for path in BLUEPRINTS:
        blueprint = await blueprints.async_get_blueprint(f"bulutfon/{path.name}")
        assert blueprint.domain == "automation"


# Missed call notification


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"caller_name": "Ayşe"},
            "Missed call from Ayşe (0532 123 45 67) at 14:05",
            id="name-and-number",
        ),
        pytest.param(
            {"caller_name": None},
            "Missed call from 0532 123 45 67 at 14:05",
            id="number-only",
        ),
        pytest.param(
            {"caller_name": None, "caller": "05321234567", "caller_readable": None},
            "Missed call from 05321234567 at 14:05",
            id="leading-zero-kept",
        ),
        pytest.param(
            {
                "caller_name": None,
                "caller": None,
                "caller_readable": None,
                "timestamp": None,
            },
            "Missed call from an unknown number at 14:05",
            id="anonymous-no-timestamp",
        ),
        pytest.param(
            {"caller_name": "Ayşe", "timestamp": "2026-05-03T20:30:00+00:00"},
            "Missed call from Ayşe (0532 123 45 67) at 03.05.2026 23:30",
            id="yesterday",
        ),
    ],
)
async def test_missed_call_notifies(
    hass: HomeAssistant, fields: dict[str, Any], message: str
) -> None:
    """A missed call sends the notification: caller name or number, and the time."""
    calls = async_mock_service(hass, "notify", "mobile_app_test_phone")
    await setup_automation(
        hass,
        "missed_call_notify.yaml",
        {"notify_action": "notify.mobile_app_test_phone", "title": TITLE},
    )

    await fire(hass, "missing_call", **fields)

    assert len(calls) == 1
    assert calls[0].data["title"] == TITLE
    assert calls[0].data["message"] == message


async def test_missed_call_defaults(hass: HomeAssistant) -> None:
    """With only defaults the blueprint works: persistent notification, default title."""
    calls = async_mock_service(hass, "notify", "persistent_notification")
    await setup_automation(hass, "missed_call_notify.yaml", {})

    await fire(hass, "missing_call", caller_name="Ayşe")

    assert len(calls) == 1
    assert calls[0].data["title"] == "Missed call"
    assert "Ayşe" in calls[0].data["message"]
    assert calls[0].data["data"] == {}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"caller_name": "Ayşe"},
            "Cevapsız arama: Ayşe (0532 123 45 67), 14:05",  # noqa: RUF001
            id="name-and-number",
        ),
        pytest.param(
            {"caller_name": None, "caller": None, "caller_readable": None},
            "Cevapsız arama: bilinmeyen numara, 14:05",  # noqa: RUF001
            id="unknown",
        ),
    ],
)
async def test_missed_call_in_turkish(
    hass: HomeAssistant, fields: dict[str, Any], message: str
) -> None:
    """In Turkish, title and message: the user chooses the language (a blueprint
    cannot follow each user's)."""
    calls = async_mock_service(hass, "notify", "persistent_notification")
    await setup_automation(hass, "missed_call_notify.yaml", {"language": "tr"})

    await fire(hass, "missing_call", **fields)

    assert calls[0].data["title"] == "Cevapsız arama"  # noqa: RUF001
    assert calls[0].data["message"] == message


def _listed(filters: list[dict[str, str]], device: dr.DeviceEntry) -> bool:
    """Whether a device selector's filters (any of them) list the device, as the
    frontend matches them: every key but the integration compared with the device."""
    return any(
        all(
            getattr(device, key) == value
            for key, value in wanted.items()
            if key != "integration"
        )
        for wanted in filters
    )


@pytest.mark.parametrize("language", ["en", "tr"])
@pytest.mark.parametrize("platform", ["bulutfon", "hipcall"])
@pytest.mark.parametrize(
    "name", ["missed_call_notify.yaml", "ringing_pause_media.yaml"]
)
async def test_line_picker_lists_lines_only(
    hass: HomeAssistant, post: Any, name: str, platform: str, language: str
) -> None:
    """The line picker lists the line's device, classic or Hipcall, in English and in
    Turkish (whose model reads "Bulut santral"), and never an extension or a user."""
    from .test_hipcall_ha import (
        make_hipcall_entry,  # here: test_hipcall_ha imports this module
    )

    blueprint = yaml_util.load_yaml_dict(BLUEPRINT_DIR / name)
    picker = blueprint["blueprint"]["input"]["bulutfon_device"]["selector"]["device"]
    assert {wanted["integration"] for wanted in picker["filter"]} == {DOMAIN}
    hass.config.language = language
    if platform == "hipcall":
        entry = make_hipcall_entry()
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        body: dict[str, Any] = json.loads(HIPCALL_EXAMPLES["hipcall_call_bridged"])
    else:
        entry = await setup_entry(hass)
        body = {
            **call_event("call_init_extension", destination="1001", number=NUMBER),
            "event_type": "call_init_extension",
        }
    assert (await post(body)).status == 200
    await hass.async_block_till_done()
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 2  # the line and extension 1001 / user 12
    listed = [device for device in devices if _listed(picker["filter"], device)]
    assert [device.identifiers for device in listed] == [{(DOMAIN, NUMBER)}]


async def test_missed_call_extra_data_is_templated(hass: HomeAssistant) -> None:
    """The extra notification data goes along, with templates filled in."""
    calls = async_mock_service(hass, "notify", "mobile_app_test_phone")
    await setup_automation(
        hass,
        "missed_call_notify.yaml",
        {
            "notify_action": "notify.mobile_app_test_phone",
            "notify_data": {
                "tag": "bulutfon-missed",
                "clickAction": "tel:{{ trigger.event.data.caller }}",
            },
        },
    )

    await fire(hass, "missing_call", caller="05321234567")

    assert calls[0].data["data"] == {
        "tag": "bulutfon-missed",
        "clickAction": "tel:05321234567",
    }


async def test_missed_call_only_on_missing_call(hass: HomeAssistant) -> None:
    """Other event types, answered calls included, send nothing."""
    calls = async_mock_service(hass, "notify", "persistent_notification")
    await setup_automation(hass, "missed_call_notify.yaml", {})

    for event_type in ("call_init", "call_hangup", "fax_init", "call_init_group"):
        await fire(hass, event_type, caller_name="Ayşe")

    assert calls == []


@pytest.mark.parametrize(
    "chosen", [[LINE_DEVICE], LINE_DEVICE], ids=["list", "single-id"]
)
async def test_missed_call_device_filter(hass: HomeAssistant, chosen: Any) -> None:
    """With lines chosen, only missed calls on those lines notify."""
    calls = async_mock_service(hass, "notify", "persistent_notification")
    await setup_automation(hass, "missed_call_notify.yaml", {"bulutfon_device": chosen})

    await fire(hass, "missing_call", device_id=OTHER_DEVICE, caller_name="Mehmet")
    assert calls == []

    await fire(hass, "missing_call", device_id=LINE_DEVICE, caller_name="Ayşe")
    assert len(calls) == 1
    assert "Ayşe" in calls[0].data["message"]


@pytest.mark.parametrize("chosen", [[], None], ids=["empty", "none"])
async def test_missed_call_any_line(hass: HomeAssistant, chosen: Any) -> None:
    """Without lines chosen, missed calls on every line notify."""
    calls = async_mock_service(hass, "notify", "persistent_notification")
    await setup_automation(hass, "missed_call_notify.yaml", {"bulutfon_device": chosen})

    await fire(hass, "missing_call", device_id=OTHER_DEVICE, caller_name="Mehmet")
    await fire(hass, "missing_call", device_id=LINE_DEVICE, caller_name="Ayşe")

    assert [call.data["message"][:23] for call in calls] == [
        "Missed call from Mehmet",
        "Missed call from Ayşe (",
    ]


# Incoming call pauses media


class MediaServices:
    """Fake media player and light actions; pause and play change the player's state."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Register the fakes."""
        self.hass = hass
        self.paused: list[list[str]] = []
        self.played: list[list[str]] = []
        self.lights = async_mock_service(hass, "light", "turn_on")
        hass.services.async_register("media_player", "media_pause", self._pause)
        hass.services.async_register("media_player", "media_play", self._play)

    def _pause(self, call: ServiceCall) -> None:
        self.paused.append(sorted(call.data["entity_id"]))
        for entity_id in call.data["entity_id"]:
            self.hass.states.async_set(entity_id, "paused")

    def _play(self, call: ServiceCall) -> None:
        self.played.append(sorted(call.data["entity_id"]))
        for entity_id in call.data["entity_id"]:
            self.hass.states.async_set(entity_id, "playing")


@pytest.fixture
def media(hass: HomeAssistant) -> MediaServices:
    """Three players: two playing, one idle; and the fake actions."""
    hass.states.async_set("media_player.salon", "playing")
    hass.states.async_set("media_player.kitchen", "playing")
    hass.states.async_set("media_player.bedroom", "idle")
    return MediaServices(hass)


PLAYERS = ["media_player.salon", "media_player.kitchen", "media_player.bedroom"]
PLAYING = ["media_player.kitchen", "media_player.salon"]


WAITING = 3
"""`bulutfon_event` listeners while a run awaits the end of a call."""


@pytest.mark.parametrize("end", ["call_hangup", "missing_call"])
async def test_ringing_pauses_and_resumes(
    hass: HomeAssistant, media: MediaServices, end: str
) -> None:
    """An incoming call pauses the playing players; its end (only) resumes them."""
    await setup_automation(hass, "ringing_pause_media.yaml", {"media_players": PLAYERS})

    await fire(hass, "call_init", uuid="call-1", settle=False)
    await run_until(lambda: event_listeners(hass) == WAITING)
    assert media.paused == [PLAYING]
    assert state_of(hass, "media_player.bedroom") == "idle"
    assert media.lights == []

    await fire(hass, end, uuid="another-call", settle=False)
    await fire(hass, "call_init_extension", uuid="call-1", settle=False)
    await run_until(lambda: True)
    assert event_listeners(hass) == WAITING
    assert media.played == []

    await fire(hass, end, uuid="call-1", settle=False)
    await run_until(lambda: event_listeners(hass) == 1)
    await hass.async_block_till_done()
    assert media.played == [PLAYING]
    assert state_of(hass, "media_player.bedroom") == "idle"


async def test_ringing_resumes_only_players_still_paused(
    hass: HomeAssistant, media: MediaServices
) -> None:
    """A player someone stopped during the call stays stopped."""
    await setup_automation(hass, "ringing_pause_media.yaml", {"media_players": PLAYERS})

    await fire(hass, "call_init", uuid="call-1", settle=False)
    await run_until(lambda: event_listeners(hass) == WAITING)
    hass.states.async_set("media_player.salon", "off")
    await fire(hass, "call_hangup", uuid="call-1", settle=False)
    await run_until(lambda: event_listeners(hass) == 1)
    await hass.async_block_till_done()

    assert media.played == [["media_player.kitchen"]]


async def test_ringing_nothing_playing(
    hass: HomeAssistant, media: MediaServices
) -> None:
    """With nothing playing nothing is paused, and the run does not wait for the end."""
    for player in PLAYING:
        hass.states.async_set(player, "paused")
    await setup_automation(hass, "ringing_pause_media.yaml", {"media_players": PLAYERS})

    await fire(hass, "call_init", uuid="call-1")
    await fire(hass, "call_hangup", uuid="call-1")

    assert media.paused == []
    assert media.played == []


@pytest.mark.parametrize(
    ("lights", "light_action", "data"),
    [
        (["light.hall"], "flash", {"flash": "long"}),
        ("light.hall", "turn_on", {}),
    ],
    ids=["flash", "turn-on-single-id"],
)
async def test_ringing_lights(
    hass: HomeAssistant,
    media: MediaServices,
    lights: Any,
    light_action: str,
    data: dict[str, str],
) -> None:
    """The chosen lights flash or turn on; without resume nothing waits for the end."""
    await setup_automation(
        hass,
        "ringing_pause_media.yaml",
        {
            "media_players": PLAYERS,
            "lights": lights,
            "light_action": light_action,
            "resume_media": False,
        },
    )

    await fire(hass, "call_init", uuid="call-1")
    await fire(hass, "call_hangup", uuid="call-1")

    assert media.paused == [PLAYING]
    assert media.played == []
    assert len(media.lights) == 1
    assert media.lights[0].data == {"entity_id": ["light.hall"], **data}


async def test_ringing_ignores_other_calls(
    hass: HomeAssistant, media: MediaServices
) -> None:
    """Outgoing calls, other start types and other lines leave the media alone."""
    await setup_automation(
        hass,
        "ringing_pause_media.yaml",
        {"media_players": PLAYERS, "bulutfon_device": [LINE_DEVICE]},
    )

    await fire(hass, "call_init", direction="OUT")
    await fire(hass, "call_init_group")
    await fire(hass, "missing_call")
    await fire(hass, "call_init", device_id=OTHER_DEVICE)
    assert media.paused == []

    await fire(hass, "call_init", device_id=LINE_DEVICE, settle=False)
    await run_until(lambda: event_listeners(hass) == WAITING)
    assert media.paused == [PLAYING]


async def test_ringing_gives_up_after_max_wait(
    hass: HomeAssistant, media: MediaServices, freezer: FrozenDateTimeFactory
) -> None:
    """Past the longest wait, a late end of the call no longer resumes anything."""
    await setup_automation(
        hass,
        "ringing_pause_media.yaml",
        {"media_players": PLAYERS, "max_wait": {"minutes": 5}},
    )

    await fire(hass, "call_init", uuid="call-1", settle=False)
    await run_until(lambda: event_listeners(hass) == WAITING)
    assert media.paused == [PLAYING]

    freezer.tick(301)
    async_fire_time_changed(hass)
    await run_until(lambda: event_listeners(hass) == 1)
    await fire(hass, "call_hangup", uuid="call-1")

    assert media.played == []


# Extension on a call lights a lamp

EXTENSION = "binary_sensor.bulutfon_908501234567_extension_1001"


async def test_extension_lamp_follows_the_extension(hass: HomeAssistant) -> None:
    """The lamp turns on while the extension is busy and off when it is idle again;
    other extensions leave it alone."""
    turn_on = async_mock_service(hass, "light", "turn_on")
    turn_off = async_mock_service(hass, "light", "turn_off")
    hass.states.async_set(EXTENSION, "off")
    hass.states.async_set("binary_sensor.bulutfon_908501234567_extension_1002", "off")
    await setup_automation(
        hass,
        "extension_busy_light.yaml",
        {"extension": EXTENSION, "lights": {"entity_id": "light.on_air"}},
    )

    hass.states.async_set(EXTENSION, "on")
    await hass.async_block_till_done()
    assert [call.data for call in turn_on] == [
        {"entity_id": ["light.on_air"], "brightness_pct": 100}
    ]
    assert not turn_off

    hass.states.async_set("binary_sensor.bulutfon_908501234567_extension_1002", "on")
    hass.states.async_set(EXTENSION, "on", {"calls": 2})  # a second call: no new change
    await hass.async_block_till_done()
    assert len(turn_on) == 1

    hass.states.async_set(EXTENSION, "off")
    await hass.async_block_till_done()
    assert [call.data for call in turn_off] == [{"entity_id": ["light.on_air"]}]
