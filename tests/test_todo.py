# ruff: noqa: RUF001, RUF002  (Turkish text: its dotless i is meant)
"""The "Calls to return" to-do list, through webhooks, Home Assistant's todo actions and
restarts."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bulutfon.callbacks import DONE_KEPT
from custom_components.bulutfon.const import CONF_PHONEBOOK

from .conftest import NUMBER, Post, make_entry, setup_entry

TODO = f"todo.bulutfon_{NUMBER}_callbacks"
AYSE = "+90 532 123 45 67"


def call(
    event_type: str, uuid: str, caller: str = AYSE, **fields: Any
) -> dict[str, Any]:
    """A classic webhook body."""
    return {
        "event_type": event_type,
        "uuid": uuid,
        "caller": caller,
        "callee": NUMBER,
        "direction": "IN",
        **fields,
    }


async def items(hass: HomeAssistant, entity_id: str = TODO) -> list[dict[str, Any]]:
    """The list as todo.get_items answers it."""
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {},
        target={"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    return response[entity_id]["items"]  # type: ignore[index,no-any-return]


def open_count(hass: HomeAssistant, entity_id: str = TODO) -> str:
    """The list's state: how many items are open."""
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


async def test_life_of_an_item(hass: HomeAssistant, late_post: Post) -> None:
    """Missed, missed again (merged), answered (done), missed again (open), ticked."""
    await hass.config.async_set_time_zone("Europe/Istanbul")
    await setup_entry(hass, **{CONF_PHONEBOOK: "0532 123 45 67 = Ayşe Kaya"})
    assert open_count(hass) == "0"
    await late_post(call("call_init_group", "c1", destination="111"))
    await late_post(call("missing_call", "c1", timestamp="2026-05-04T11:05:00Z"))
    await late_post(call("missing_call", "c1", timestamp="2026-05-04T11:05:00Z"))
    await late_post(
        call(
            "missing_call", "c2", caller="05321234567", timestamp="2026-05-04T11:06:00Z"
        )
    )
    (item,) = await items(hass)
    assert item["summary"] == "Ayşe Kaya"
    assert item["status"] == "needs_action"
    assert item["description"].startswith("2 missed calls, the last on ")
    assert open_count(hass) == "1"

    await late_post(call("call_hangup", "c3", talk_duration=42))
    (item,) = await items(hass)
    assert item["status"] == "completed"
    assert open_count(hass) == "0"

    await late_post(call("missing_call", "c4", timestamp="2026-05-04T15:00:00Z"))
    (item,) = await items(hass)
    assert item["status"] == "needs_action"
    assert item["description"] == "1 missed call, on 4 May at 18:00"

    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": item["uid"], "status": "completed"},
        target={"entity_id": TODO},
        blocking=True,
    )
    assert open_count(hass) == "0"


async def test_hidden_caller_adds_nothing(hass: HomeAssistant, late_post: Post) -> None:
    """A hidden or empty caller: no number to call back, no item."""
    await setup_entry(hass)
    for index, caller in enumerate(("anonymous", "", "0")):
        await late_post(call("missing_call", f"h{index}", caller=caller))
    assert await items(hass) == []


async def test_edit_and_delete_by_hand_while_calls_arrive(
    hass: HomeAssistant, late_post: Post
) -> None:
    """A renamed item keeps its name through later calls; a deleted one comes back."""
    await setup_entry(hass)
    await late_post(call("missing_call", "c1"))
    (item,) = await items(hass)
    assert item["summary"] == "0532 123 45 67"
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": item["uid"], "rename": "Kargo 📦 <b>", "description": "ara"},
        target={"entity_id": TODO},
        blocking=True,
    )
    await late_post(call("missing_call", "c2"))
    (item,) = await items(hass)
    assert (item["summary"], item["description"]) == ("Kargo 📦 <b>", "ara")
    await hass.services.async_call(
        "todo",
        "remove_item",
        {"item": [item["uid"]]},
        target={"entity_id": TODO},
        blocking=True,
    )
    assert await items(hass) == []
    await late_post(call("missing_call", "c3"))
    assert len(await items(hass)) == 1
    # An item shown, but gone from the line meanwhile (deleted as the person ticked it):
    # Home Assistant's todo component passes it on, and the error is ours, translated.
    (shown,) = await items(hass)
    line = hass.config_entries.async_entries("bulutfon")[0].runtime_data
    line.callbacks.delete([shown["uid"]])
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            "todo",
            "update_item",
            {"item": shown["uid"], "status": "completed"},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert raised.value.translation_domain == "bulutfon"
    assert raised.value.translation_key == "callback_not_found"


async def test_restart_between_missed_call_and_call_back(
    hass: HomeAssistant, late_post: Post, hass_storage: dict[str, Any]
) -> None:
    """The list survives a reload, and the call back after it still completes the item."""
    entry = await setup_entry(hass)
    await late_post(call("missing_call", "c1"))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert open_count(hass) == "1"
    stored = hass_storage[f"bulutfon.callbacks.{entry.entry_id}"]["data"]
    assert len(stored["items"]) == 1
    await late_post(
        call(
            "call_hangup",
            "c2",
            caller=NUMBER,
            callee="0532 123 4567",
            direction="OUT",
            talk_duration=10,
        )
    )
    assert open_count(hass) == "0"


async def test_restored_from_store_at_start(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A stored list (a restart) shows at once; finished items past DONE_KEPT go later."""
    entry: MockConfigEntry = make_entry()
    hass_storage[f"bulutfon.callbacks.{entry.entry_id}"] = {
        "version": 1,
        "key": f"bulutfon.callbacks.{entry.entry_id}",
        "data": {
            "items": [
                {
                    "uid": "a",
                    "number": "905321234567",
                    "missed": 2,
                    "last_missed": "2026-05-04T11:05:00+00:00",
                },
                {
                    "uid": "b",
                    "number": "905329999999",
                    "missed": 1,
                    "last_missed": "2026-05-04T11:05:00+00:00",
                    "done_at": "2020-01-01T00:00:00+00:00",
                },
                {"uid": "c", "number": "nonsense"},
            ]
        },
    }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert open_count(hass) == "1"
    assert [item["uid"] for item in await items(hass)] == ["a", "b"]
    entry.runtime_data.async_expire()  # the 15-minute timer
    await hass.async_block_till_done()
    assert [item["uid"] for item in await items(hass)] == ["a"]
    assert DONE_KEPT.days == 3


async def test_two_lines_sharing_a_caller(hass: HomeAssistant, late_post: Post) -> None:
    """Each line keeps its own item for a caller both missed; each completes on its own."""
    await setup_entry(hass)
    await setup_entry(hass, number="908501112233", webhook_id="f" * 64)
    other = "todo.bulutfon_908501112233_callbacks"
    await late_post(call("missing_call", "c1"))
    await late_post(call("missing_call", "c2"), webhook_id="f" * 64)
    assert (open_count(hass), open_count(hass, other)) == ("1", "1")
    await late_post(call("call_hangup", "c3", talk_duration=5))
    assert (open_count(hass), open_count(hass, other)) == ("0", "1")


async def test_turkish_name_and_description(
    hass: HomeAssistant, late_post: Post
) -> None:
    """In Turkish: "Geri aranacak çağrılar", and the description in Turkish."""
    hass.config.language = "tr"
    await hass.config.async_set_time_zone("Europe/Istanbul")
    await setup_entry(hass)
    await late_post(call("call_init_extension", "c1", destination="1001"))
    await late_post(call("missing_call", "c1", timestamp="2026-05-04T11:05:00Z"))
    state = hass.states.get(TODO)
    assert state is not None
    assert state.attributes["friendly_name"].endswith("Geri aranacak çağrılar")
    (item,) = await items(hass)
    assert (
        item["description"]
        == "1 cevapsız çağrı, 4 Mayıs 14:05; çaldığı yer: dahili 1001"
    )


async def test_numbers_not_logged_above_debug(
    hass: HomeAssistant, late_post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    """The list's life (add, edit, complete, reload) logs no number above debug."""
    entry = await setup_entry(hass)
    await late_post(call("missing_call", "c1"))
    (item,) = await items(hass)
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": item["uid"], "status": "completed"},
        target={"entity_id": TODO},
        blocking=True,
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    for record in caplog.records:
        if record.levelno > logging.DEBUG:
            assert "5321234567" not in record.getMessage(), record.getMessage()
