"""Who becomes a device: each Hipcall user once, through restarts and reloads, and what
0.3.0 left behind cleaned up (issue 32, item 1; issue 25, item 4)."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.bulutfon.const import CONF_PHONEBOOK, DOMAIN
from custom_components.bulutfon.places import NEW_PLACES_PER_HOUR

from .conftest import NUMBER, Post, setup_entry
from .fake_hipcall import Failure, FakeHipcall
from .test_hipcall_account import api, hipcall_entry, start
from .test_hipcall_ha import _body, config_api, make_hipcall_entry
from .vendor import HIPCALL_EXAMPLES, VENDOR_EXAMPLES

__all__ = ["api", "config_api"]  # fixtures, imported for these tests

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def todo_items(hass: HomeAssistant) -> list[dict[str, Any]]:
    """The call-back list's items."""
    result = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": f"todo.bulutfon_{NUMBER}_callbacks"},
        blocking=True,
        return_response=True,
    )
    return list(result[f"todo.bulutfon_{NUMBER}_callbacks"]["items"])


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


# --- Hipcall team names (issue 32, item 9) ---------------------------------------------


async def test_teams_keep_their_hipcall_name_after_a_restart(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], late_post: Post
) -> None:
    """After a restart the team's sensor is still named as in Hipcall (0.3.0 named it
    "Team 7 calls" until the entry next loaded), and a missed call's to-do item says
    where it rang by the team's name, not "team 7"."""
    fake, _ = api
    entry = hipcall_entry()
    await start(hass, entry)
    team_7 = f"sensor.bulutfon_{NUMBER}_team_7_calls"
    name = "Hipcall 0850 885 00 00 Team Müşteri Hizmetleri calls"
    assert hass.states.get(team_7).attributes["friendly_name"] == name
    # At the next start the API does not answer at once: the names kept from the last
    # read name the sensor from the start.
    fake.failures.extend([Failure(status=503), Failure(status=503)])
    await restart(hass, entry)
    assert hass.states.get(team_7).attributes["friendly_name"] == name
    missed = _body("hipcall_missed_call", team_id=7, uuid="missed-at-team-7")
    missed["data"]["call_flow"].append(
        {"action": "team", "detail": {"id": 7, "type": "team"}, "timestamp": 1}
    )
    assert (await late_post(missed)).status == 200
    await hass.async_block_till_done()
    items = await todo_items(hass)
    assert items, "the missed call is on the call-back list"
    assert "Müşteri Hizmetleri" in items[0]["description"]
    assert "team 7" not in items[0]["description"]


# --- who becomes a device (issue 25, item 4) --------------------------------------------


async def test_with_a_token_only_the_accounts_users_become_devices(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], late_post: Post
) -> None:
    """A webhook naming a user and a team the API does not list makes no device and no
    entity (a forged body, or a stale id); its call still counts on the line."""
    entry = hipcall_entry()
    await start(hass, entry)
    before = entity_ids(hass, entry)
    for index in range(30):
        body = _body(
            "hipcall_call_bridged", uuid=f"forged-{index}", user_id=900 + index
        )
        body["data"]["call_flow"] = [
            {"action": "team", "detail": {"id": 800 + index, "type": "team"}}
        ]
        assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    assert devices(hass, entry) == {NUMBER: "Hipcall 0850 885 00 00", **USERS}
    assert entity_ids(hass, entry) == before
    assert hass.states.get(f"sensor.bulutfon_{NUMBER}_active_calls").state == "30"


async def test_a_user_who_left_the_account_goes_at_the_next_read(
    hass: HomeAssistant,
    api: tuple[FakeHipcall, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Mehmet leaves the Hipcall account (and a team is deleted): at the next API read
    his device and entities go, and the team's sensor; they do not come back after a
    restart."""
    fake, _ = api
    entry = hipcall_entry()
    await start(hass, entry)
    team_7 = f"sensor.bulutfon_{NUMBER}_team_7_calls"
    assert hass.states.get(team_7) is not None
    fake.users = [item for item in fake.users if item["id"] != 13]
    fake.teams = []
    freezer.tick(timedelta(hours=6, minutes=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert devices(hass, entry) == {
        NUMBER: "Hipcall 0850 885 00 00",
        f"{NUMBER}_user_12": "Ayşe Kaya",
    }
    assert hass.states.get(f"binary_sensor.bulutfon_{NUMBER}_user_13") is None
    assert team_7 not in entity_ids(hass, entry)
    await restart(hass, entry)
    assert f"{NUMBER}_user_13" not in devices(hass, entry)
    assert team_7 not in entity_ids(hass, entry)


async def test_without_a_token_a_flood_makes_few_devices_and_named_places_still_come(
    hass: HomeAssistant, late_post: Post, freezer: FrozenDateTimeFactory
) -> None:
    """Without a token, a flood of forged user ids makes at most NEW_PLACES_PER_HOUR
    devices in an hour; a user the phone book names is still shown at once, and the
    flood's calls all count on the line."""
    entry = make_hipcall_entry(**{CONF_PHONEBOOK: "4242 = Zeynep"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    for index in range(100):
        body = _body("hipcall_call_bridged", uuid=f"forged-{index}", user_id=index)
        assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    people = set(devices(hass, entry)) - {NUMBER}
    assert len(people) == NEW_PLACES_PER_HOUR
    assert hass.states.get(f"sensor.bulutfon_{NUMBER}_active_calls").state == "100"
    body = _body("hipcall_call_bridged", uuid="real", user_id=4242)
    assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    assert devices(hass, entry)[f"{NUMBER}_user_4242"] == "Zeynep"
    # An hour later the allowance is back.
    freezer.tick(timedelta(hours=1))
    body = _body("hipcall_call_bridged", uuid="later", user_id=5000)
    assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    assert f"{NUMBER}_user_5000" in devices(hass, entry)


@pytest.mark.usefixtures("config_api")
async def test_a_deleted_device_is_not_made_again_from_memory(
    hass: HomeAssistant, late_post: Post, hass_ws_client: Any
) -> None:
    """A stale user's device deleted from its page stays gone through a restart (the
    line forgets it; only a new call brings it back)."""
    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    body = _body("hipcall_call_bridged", uuid="one", user_id=12)
    assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{NUMBER}_user_12"), entry.entry_id
    )
    assert device is not None
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": entry.entry_id,
            "device_id": device.id,
        }
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    await restart(hass, entry)
    assert f"{NUMBER}_user_12" not in devices(hass, entry)
    assert hass.states.get(f"binary_sensor.bulutfon_{NUMBER}_user_12") is None


async def test_user_ids_with_capitals_make_no_invalid_entity_ids(
    hass: HomeAssistant, late_post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    """A Hipcall user id "AbC-9" names no device and no entity (Hipcall's ids are whole
    numbers: the body is refused, issue 24 item 7), so Home Assistant never warns of an
    invalid entity id; a numeric id still makes its user."""
    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    body = _body("hipcall_call_bridged", uuid="caps", user_id="AbC-9")
    assert (await late_post(body)).status == 400
    body = _body("hipcall_call_bridged", uuid="digits", user_id="0042")
    assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    users = sorted(
        item.entity_id
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
        if "_user_" in item.entity_id
    )
    assert users
    assert all(entity_id == entity_id.lower() for entity_id in users)
    assert not any("abc" in entity_id for entity_id in users)
    assert "invalid entity ID" not in caplog.text


# --- forgetting a ring group or a team in the options (issue 25, item 4) ----------------


async def forget_in_options(
    hass: HomeAssistant, entry: MockConfigEntry, label: str
) -> None:
    """Configure -> Forget places -> tick the place shown as `label` -> Submit."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["settings", "forget_places"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "forget_places"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "forget_places"
    selector = result["data_schema"].schema["places"].config
    labels = {option["label"]: option["value"] for option in selector["options"]}
    assert label in labels, labels
    options = dict(entry.options)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"places": [labels[label]]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(entry.options) == options  # the other options stay as they were
    await hass.async_block_till_done()


async def test_a_ring_group_is_forgotten_in_the_options(
    hass: HomeAssistant, late_post: Post
) -> None:
    """A classic line's ring group 111 (a sensor on the line's device, no device page to
    delete it from) goes through Configure -> Forget places, stays gone after a restart,
    and comes back only with a new call to it."""
    entry = await setup_entry(hass)
    group = f"sensor.bulutfon_{NUMBER}_group_111_calls"
    assert (await late_post(VENDOR_EXAMPLES["incoming_call_group"])).status == 200
    await hass.async_block_till_done()
    assert hass.states.get(group) is not None
    await forget_in_options(hass, entry, "Group 111 calls")
    assert hass.states.get(group) is None
    assert group not in entity_ids(hass, entry)
    await restart(hass, entry)
    assert hass.states.get(group) is None
    assert group not in entity_ids(hass, entry)
    # Nothing left to forget: Configure opens the options form directly again.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    body = json.loads(VENDOR_EXAMPLES["incoming_call_group"])
    body["uuid"] = "a-new-call"
    assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    assert hass.states.get(group).state == "1"


async def test_a_team_of_a_line_without_a_token_is_forgotten_in_the_options(
    hass: HomeAssistant, late_post: Post
) -> None:
    """A Hipcall line without a token: team 7 learned from a webhook is forgotten in the
    options, stays gone after a restart, and comes back only with a new call; the user
    on the call is not touched."""
    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    team = f"sensor.bulutfon_{NUMBER}_team_7_calls"
    assert (await late_post(HIPCALL_EXAMPLES["hipcall_call_init"])).status == 200
    assert (await late_post(HIPCALL_EXAMPLES["hipcall_call_bridged"])).status == 200
    await hass.async_block_till_done()
    assert hass.states.get(team) is not None
    await forget_in_options(hass, entry, "Team 7 calls")
    assert hass.states.get(team) is None
    await restart(hass, entry)
    assert team not in entity_ids(hass, entry)
    assert hass.states.get(team) is None
    assert f"{NUMBER}_user_12" in devices(hass, entry)
    body = _body("hipcall_call_init", uuid="a-new-call")
    assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    assert hass.states.get(team).state == "1"


async def test_a_users_device_is_forgotten_in_the_options(
    hass: HomeAssistant, late_post: Post
) -> None:
    """A user (with a device) can be forgotten in the same step: its device, busy sensor
    and call-back button go."""
    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    body = _body("hipcall_call_bridged", uuid="one", user_id=12)
    assert (await late_post(body)).status == 200
    await hass.async_block_till_done()
    await forget_in_options(hass, entry, "User 12")
    await restart(hass, entry)
    assert f"{NUMBER}_user_12" not in devices(hass, entry)
    assert not [e for e in entity_ids(hass, entry) if "_user_12" in e]


async def test_the_menu_leads_to_the_options_as_before(
    hass: HomeAssistant, late_post: Post
) -> None:
    """With learned places, Configure -> Options opens the line's options form."""
    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert (await late_post(HIPCALL_EXAMPLES["hipcall_call_init"])).status == 200
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "hipcall"
