"""The office view through Home Assistant: extensions, ring groups, today's figures."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    async_get_device_automations,
)
from homeassistant.const import ATTR_FRIENDLY_NAME, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

from custom_components.bulutfon.const import CONF_PHONEBOOK, DOMAIN, EVENT_BULUTFON
from custom_components.bulutfon.device_trigger import async_get_triggers

from .conftest import NUMBER, Post, setup_entry

CALLER = "905321234567"
EXT = f"binary_sensor.bulutfon_{NUMBER}_extension_"
GROUP = f"sensor.bulutfon_{NUMBER}_group_"
INCOMING = f"sensor.bulutfon_{NUMBER}_incoming_calls_today"
OUTGOING = f"sensor.bulutfon_{NUMBER}_outgoing_calls_today"
ANSWERED = f"sensor.bulutfon_{NUMBER}_answered_calls_today"
MISSED = f"sensor.bulutfon_{NUMBER}_missed_calls_today"
TALK_TIME = f"sensor.bulutfon_{NUMBER}_talk_time_today"
TODAY = (INCOMING, OUTGOING, ANSWERED, MISSED, TALK_TIME)


def body(event_type: str, uuid: str, **fields: Any) -> dict[str, Any]:
    """One Bulutfon event of an incoming call, as the vendor's examples carry it."""
    return {
        "event_type": event_type,
        "uuid": uuid,
        "caller": CALLER,
        "callee": NUMBER,
        "direction": "IN",
        **fields,
    }


async def send(post: Post, event_type: str, uuid: str, **fields: Any) -> None:
    """POST one event; it must be accepted."""
    response = await post(body(event_type, uuid, **fields))
    assert response.status == HTTPStatus.OK


def value(hass: HomeAssistant, entity_id: str) -> str:
    """An entity's state, which must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


def extension_device(hass: HomeAssistant, extension: str) -> dr.DeviceEntry:
    """An extension's device, which must exist."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{NUMBER}_extension_{extension}"), entry_id(hass)
    )
    assert device is not None
    return device


def line_device(hass: HomeAssistant) -> dr.DeviceEntry:
    """The PBX number's device."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), entry_id(hass)
    )
    assert device is not None
    return device


def entry_id(hass: HomeAssistant) -> str:
    """The one Bulutfon entry's id."""
    (config_entry,) = hass.config_entries.async_entries(DOMAIN)
    return config_entry.entry_id


def figures(hass: HomeAssistant) -> list[float]:
    """Today's five figures (the talk time in minutes)."""
    return [float(value(hass, entity_id)) for entity_id in TODAY]


@pytest.fixture(autouse=True)
def all_enabled() -> Generator[None]:
    """Today's less-used figures are disabled by default; these tests read them all."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


# --- extensions ---------------------------------------------------------------------------


async def test_extension_is_learned_with_its_own_device(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """The first call at extension 1001 makes its device and sensor: busy until the end."""
    assert hass.states.get(f"{EXT}1001") is None
    await send(post, "call_init", "c1")
    await send(post, "call_init_extension", "c1", destination=1001)
    assert value(hass, f"{EXT}1001") == STATE_ON
    current = hass.states.get(f"{EXT}1001")
    assert current is not None
    assert current.attributes[ATTR_FRIENDLY_NAME] == "Extension 1001"
    assert current.attributes["caller"] == CALLER
    assert current.attributes["calls"] == 1

    device = extension_device(hass, "1001")
    assert device.via_device_id == line_device(hass).id
    assert device.name == "Extension 1001"
    entity = er.async_get(hass).async_get(f"{EXT}1001")
    assert entity is not None
    assert entity.device_id == device.id
    assert entity.unique_id == f"{NUMBER}_extension_1001"

    await send(post, "call_hangup", "c1", talk_duration=20)
    assert value(hass, f"{EXT}1001") == STATE_OFF
    current = hass.states.get(f"{EXT}1001")
    assert current is not None
    assert "caller" not in current.attributes


async def test_extension_survives_a_restart(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """A learned extension and group are there again after a restart, idle."""
    await send(post, "call_init_group", "c1", destination=111)
    await send(post, "call_init_extension", "c2", destination=1001)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert value(hass, f"{EXT}1001") == STATE_OFF
    assert value(hass, f"{GROUP}111_calls") == "0"
    # And they keep working.
    await send(post, "call_init_extension", "c3", destination=1001)
    assert value(hass, f"{EXT}1001") == STATE_ON


async def test_extension_names_in_turkish(hass: HomeAssistant, late_post: Post) -> None:
    """Without a phone-book name an extension is "Dahili 1001" in Turkish."""
    hass.config.language = "tr"
    await setup_entry(hass)
    await send(late_post, "call_init_extension", "c1", destination=1001)
    assert extension_device(hass, "1001").name == "Dahili 1001"
    await send(late_post, "call_init_group", "c2", destination=111)
    # The entity id keeps the line's pattern; the name is Turkish.
    group = hass.states.get(f"{GROUP}111_calls")
    assert group is not None
    assert group.attributes[ATTR_FRIENDLY_NAME] == (
        "Bulutfon 0850 885 00 00 Grup 111 aramaları"  # noqa: RUF001
    )


async def test_extension_name_follows_the_phone_book(
    hass: HomeAssistant, late_post: Post
) -> None:
    """1001 = Ayşe names the extension, with its number; a phone-book change renames it
    without a restart."""
    config_entry = await setup_entry(hass, **{CONF_PHONEBOOK: "1001 = Ayşe"})
    await send(late_post, "call_init_extension", "c1", destination=1001)
    assert extension_device(hass, "1001").name == "Ayşe (1001)"
    current = hass.states.get(f"{EXT}1001")
    assert current is not None
    assert current.attributes[ATTR_FRIENDLY_NAME] == "Ayşe (1001)"

    for phonebook, name in (
        ("1001 = Ayşe Kaya", "Ayşe Kaya (1001)"),
        ("", "Extension 1001"),
    ):
        hass.config_entries.async_update_entry(
            config_entry, options={**config_entry.options, CONF_PHONEBOOK: phonebook}
        )
        await hass.async_block_till_done()
        assert extension_device(hass, "1001").name == name
        current = hass.states.get(f"{EXT}1001")
        assert current is not None
        assert current.attributes[ATTR_FRIENDLY_NAME] == name


async def test_caller_name_from_the_phone_book(
    hass: HomeAssistant, late_post: Post
) -> None:
    """The extension shows the caller's digits and phone-book name."""
    await setup_entry(hass, **{CONF_PHONEBOOK: "0532 123 45 67 = Mehmet"})
    await send(late_post, "call_init_extension", "c1", destination=1001)
    current = hass.states.get(f"{EXT}1001")
    assert current is not None
    assert (current.attributes["caller"], current.attributes["caller_name"]) == (
        CALLER,
        "Mehmet",
    )


async def test_transfer_between_extensions(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """1001 hands the call to 1002: a new bulutfon_event, 1001 idle, 1002 busy; the
    same destination again is a repeat."""
    fired = async_capture_events(hass, EVENT_BULUTFON)
    await send(post, "call_init", "c1")
    await send(post, "call_init_extension", "c1", destination=1001)
    await send(post, "call_init_extension", "c1", destination=1002)
    assert [event.data.get("destination") for event in fired] == [None, "1001", "1002"]
    assert value(hass, f"{EXT}1001") == STATE_OFF
    assert value(hass, f"{EXT}1002") == STATE_ON

    await send(post, "call_init_extension", "c1", destination=1002)
    assert len(fired) == 3
    assert entry.runtime_data.duplicates == 1
    # Back to 1001 is a transfer again.
    await send(post, "call_init_extension", "c1", destination=1001)
    assert len(fired) == 4
    assert (value(hass, f"{EXT}1001"), value(hass, f"{EXT}1002")) == (
        STATE_ON,
        STATE_OFF,
    )
    assert value(hass, INCOMING) == "1"


async def test_group_then_extension_and_several_calls(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Three callers wait in group 111; extensions take two; one hangs up waiting."""
    for uuid in ("a", "b", "c"):
        await send(post, "call_init", uuid)
        await send(post, "call_init_menu", uuid, destination=10)
        await send(post, "call_init_group", uuid, destination=111)
    assert value(hass, f"{GROUP}111_calls") == "3"
    await send(post, "call_init_extension", "a", destination=1001)
    await send(post, "call_init_extension", "b", destination=1001)
    assert value(hass, f"{GROUP}111_calls") == "1"
    current = hass.states.get(f"{EXT}1001")
    assert current is not None
    assert (current.state, current.attributes["calls"]) == (STATE_ON, 2)
    await send(post, "missing_call", "c")
    assert value(hass, f"{GROUP}111_calls") == "0"
    await send(post, "call_hangup", "a")
    assert value(hass, f"{EXT}1001") == STATE_ON
    await send(post, "call_hangup", "b")
    assert value(hass, f"{EXT}1001") == STATE_OFF
    # No entity for the menu.
    assert not [
        entity_id for entity_id in hass.states.async_entity_ids() if "_10_" in entity_id
    ]


@pytest.mark.parametrize(
    "destination",
    [None, "", "null", "abc", "905321234567"],
    ids=["missing", "empty", "null", "letters", "phone-number"],
)
async def test_bad_destination_creates_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, destination: str | None
) -> None:
    """A destination that is missing or not a number: the event fires as always, nothing
    is created, and the call stays at its extension."""
    fired = async_capture_events(hass, EVENT_BULUTFON)
    await send(post, "call_init_extension", "c1", destination=1001)
    before = set(hass.states.async_entity_ids())
    fields = {} if destination is None else {"destination": destination}
    await send(post, "call_init_group", "c1", **fields)
    assert [event.data["type"] for event in fired] == [
        "call_init_extension",
        "call_init_group",
    ]
    assert set(hass.states.async_entity_ids()) == before
    assert value(hass, f"{EXT}1001") == STATE_ON


async def test_out_of_order_and_unknown_ends(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """An end before the extension event keeps the call ended; an end for an unknown
    call changes nothing."""
    await send(post, "call_hangup", "early", talk_duration=3)
    await send(post, "call_init_extension", "early", destination=1001)
    assert value(hass, f"{EXT}1001") == STATE_OFF
    await send(post, "call_init_extension", "on", destination=1001)
    await send(post, "call_hangup", "never-seen")
    assert value(hass, f"{EXT}1001") == STATE_ON


async def test_stale_call_frees_its_extension(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    late_post: Post,
) -> None:
    """A call whose end never comes stops holding its extension after 4 hours."""
    await setup_entry(hass)
    await send(late_post, "call_init_extension", "lost", destination=1001)
    freezer.tick(timedelta(hours=4, minutes=15, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert value(hass, f"{EXT}1001") == STATE_OFF


@pytest.fixture
async def config_api(hass: HomeAssistant) -> None:
    """Home Assistant's config API, set up before any HTTP client freezes the routes."""
    assert await async_setup_component(hass, "websocket_api", {})
    assert await async_setup_component(hass, "config", {})


async def test_delete_an_extension_device(
    config_api: None,
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    hass_ws_client: Any,
) -> None:
    """The user deletes an extension's device; it comes back with its next call. The
    PBX number's own device cannot be deleted on its own."""
    await send(post, "call_init_extension", "c1", destination=1001)
    device = extension_device(hass, "1001")
    client = await hass_ws_client(hass)

    async def remove(device_id: str) -> dict[str, Any]:
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": entry.entry_id,
                "device_id": device_id,
            }
        )
        response: dict[str, Any] = await client.receive_json()
        return response

    assert (await remove(device.id))["success"]
    await hass.async_block_till_done()
    assert hass.states.get(f"{EXT}1001") is None
    assert er.async_get(hass).async_get(f"{EXT}1001") is None
    assert not (await remove(line_device(hass).id))["success"]

    await send(post, "call_hangup", "c1")
    await send(post, "call_init_extension", "c2", destination=1001)
    assert value(hass, f"{EXT}1001") == STATE_ON
    # Forgotten across a restart too, until its next call.
    assert (await remove(extension_device(hass, "1001").id))["success"]
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(f"{EXT}1001") is None


async def test_extension_device_triggers(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """An extension's device offers its busy sensor's triggers, not the line's events."""
    await send(post, "call_init_extension", "c1", destination=1001)
    device = extension_device(hass, "1001")
    assert await async_get_triggers(hass, device.id) == []
    assert await async_setup_component(hass, "device_automation", {})
    offered = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, [device.id]
    )
    assert {
        (trigger["domain"], trigger["type"], trigger.get("entity_id"))
        for trigger in offered[device.id]
    } >= {
        ("binary_sensor", "turned_on", er.async_get(hass).async_get(f"{EXT}1001").id),
        ("binary_sensor", "turned_off", er.async_get(hass).async_get(f"{EXT}1001").id),
    }
    assert all(trigger["domain"] != DOMAIN for trigger in offered[device.id])
    assert len(await async_get_triggers(hass, line_device(hass).id)) == 7


# --- today's figures ----------------------------------------------------------------------


async def play_a_day(post: Post) -> None:
    """Two incoming calls (one answered, one missed) and one outgoing, with repeats."""
    for _ in range(2):  # Bulutfon repeating everything: counted once
        await send(post, "call_init", "in1")
        await send(post, "call_init_extension", "in1", destination=1001)
        await send(
            post,
            "call_hangup",
            "in1",
            talk_duration=95,
            result_disposition="SUCCESS",
        )
        await send(post, "call_init", "in2")
        await send(post, "missing_call", "in2")
        await send(post, "call_init", "out1", direction="OUT")
        await send(
            post,
            "call_hangup",
            "out1",
            direction="OUT",
            talk_duration=25,
            result_disposition="SUCCESS",
        )


async def test_today_figures(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Calls in, out, answered, missed and the talk time, each call counted once."""
    assert figures(hass) == [0] * 5
    await play_a_day(post)
    # Answered counts incoming calls only: answered + missed = incoming.
    assert [value(hass, entity_id) for entity_id in TODAY[:4]] == ["2", "1", "1", "1"]
    talk = hass.states.get(TALK_TIME)
    assert talk is not None
    # Hours, which the frontend shows as hours and minutes ("4h 53m").
    assert float(talk.state) == pytest.approx(120 / 3600, abs=1e-4)
    assert talk.attributes["unit_of_measurement"] == "h"
    assert talk.attributes["device_class"] == "duration"
    for entity_id in TODAY:
        current = hass.states.get(entity_id)
        assert current is not None
        assert current.attributes["state_class"] == "total_increasing"


async def test_today_counts_whatever_is_selected(
    hass: HomeAssistant, late_post: Post
) -> None:
    """Like line busy, the figures count every event Bulutfon sends."""
    await setup_entry(hass, events=["fax_init"])
    await play_a_day(late_post)
    assert [value(hass, entity_id) for entity_id in TODAY[:4]] == ["2", "1", "1", "1"]


async def test_less_used_figures_are_disabled_by_default(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Outgoing and missed calls today start disabled (the missed count exists already)."""
    registry = er.async_get(hass)
    disabled = {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.disabled_by is not None
    }
    # all_enabled (above) patches the default; the descriptions say what it would be.
    assert disabled == set()
    from custom_components.bulutfon.sensor import SENSORS

    assert {
        description.key
        for description in SENSORS
        if not description.entity_registry_enabled_default
    } == {"outgoing_calls_today", "missed_calls_today"}


def saved_today(
    day: str, counts: tuple[int, ...]
) -> list[tuple[State, dict[str, Any]]]:
    """What the five figures saved before a restart on `day`."""
    return [
        (State(entity_id, str(count)), {"value": count, "day": day})
        for entity_id, count in zip(TODAY, counts, strict=True)
    ]


async def test_today_survives_a_restart_on_the_same_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, late_post: Post
) -> None:
    """Restarted at 15:00: the figures saved at 14:00 come back and go on counting."""
    afternoon = datetime(2026, 3, 10, 15, 0, tzinfo=dt_util.get_default_time_zone())
    freezer.move_to(afternoon)
    mock_restore_cache_with_extra_data(
        hass, saved_today("2026-03-10", (4, 3, 2, 1, 600))
    )
    await setup_entry(hass)
    assert [value(hass, entity_id) for entity_id in TODAY[:4]] == ["4", "3", "2", "1"]
    assert float(value(hass, TALK_TIME)) == pytest.approx(600 / 3600, abs=1e-4)
    await send(late_post, "call_init", "after-restart")
    assert value(hass, INCOMING) == "5"


async def test_today_is_zero_after_a_restart_on_a_later_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, late_post: Post
) -> None:
    """Yesterday's saved figures are not today's."""
    morning = datetime(2026, 3, 11, 8, 0, tzinfo=dt_util.get_default_time_zone())
    freezer.move_to(morning)
    mock_restore_cache_with_extra_data(
        hass, saved_today("2026-03-10", (4, 3, 2, 1, 600))
    )
    await setup_entry(hass)
    assert figures(hass) == [0] * 5


async def test_today_from_the_last_state_when_the_saved_data_is_lost(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, late_post: Post
) -> None:
    """Without readable saved data, today's last states stand in (talk time shown in
    minutes comes back in seconds); states from an earlier day do not."""
    afternoon = datetime(2026, 3, 10, 15, 0, tzinfo=dt_util.get_default_time_zone())
    freezer.move_to(afternoon)
    earlier = afternoon - timedelta(hours=1)
    yesterday = afternoon - timedelta(days=1)
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(INCOMING, "4", last_updated=earlier, last_changed=earlier),
                {"value": "junk"},
            ),
            (State(ANSWERED, "3", last_updated=yesterday, last_changed=yesterday), {}),
            (
                State(
                    TALK_TIME,
                    "2.5",
                    {"unit_of_measurement": "min"},
                    last_updated=earlier,
                    last_changed=earlier,
                ),
                {},
            ),
        ],
    )
    await setup_entry(hass)
    assert value(hass, INCOMING) == "4"
    assert value(hass, ANSWERED) == "0"
    # Shown in minutes before the restart, in hours now: the same 150 seconds.
    assert float(value(hass, TALK_TIME)) == pytest.approx(150 / 3600, abs=1e-4)
    await send(late_post, "call_hangup", "x", talk_duration=30)
    assert float(value(hass, TALK_TIME)) == pytest.approx(180 / 3600, abs=1e-4)


async def test_midnight_starts_a_new_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, late_post: Post
) -> None:
    """At local midnight every figure goes back to 0; calls after it count for the new day."""
    zone = dt_util.get_default_time_zone()
    freezer.move_to(datetime(2026, 3, 10, 23, 58, tzinfo=zone))
    await setup_entry(hass)
    await play_a_day(late_post)
    assert value(hass, INCOMING) == "2"

    midnight = datetime(2026, 3, 11, 0, 0, 0, tzinfo=zone)
    freezer.move_to(midnight)
    async_fire_time_changed(hass, midnight)
    await hass.async_block_till_done()
    assert figures(hass) == [0] * 5

    await send(late_post, "call_init", "new-day")
    assert value(hass, INCOMING) == "1"


async def test_an_event_just_after_midnight_counts_for_the_new_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, late_post: Post
) -> None:
    """An event arriving before the midnight timer ran still starts the new day."""
    zone = dt_util.get_default_time_zone()
    freezer.move_to(datetime(2026, 3, 10, 23, 59, tzinfo=zone))
    await setup_entry(hass)
    await send(late_post, "call_init", "late")
    freezer.move_to(datetime(2026, 3, 11, 0, 0, 0, 500, tzinfo=zone))
    await send(late_post, "call_init", "early")
    assert value(hass, INCOMING) == "1"


async def test_same_name_twice_gives_devices_told_apart(
    hass: HomeAssistant, late_post: Post
) -> None:
    """Two extensions the phone book names alike read apart by their numbers, and
    each sits under its PBX number's device (what pickers show beside the name)."""
    await setup_entry(hass, **{CONF_PHONEBOOK: "1001 = Zeynep\n1002 = Zeynep"})
    await send(late_post, "call_init_extension", "c1", destination=1001)
    await send(late_post, "call_init_extension", "c2", destination=1002)
    first, second = extension_device(hass, "1001"), extension_device(hass, "1002")
    assert (first.name, second.name) == ("Zeynep (1001)", "Zeynep (1002)")
    assert first.via_device_id == second.via_device_id == line_device(hass).id
