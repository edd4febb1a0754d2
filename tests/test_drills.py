"""Fault drills: restarts, unloads during bursts, storms of repeats, disorder, lost ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from http import HTTPStatus
import json
import logging
import random
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.bulutfon.const import EVENT_BULUTFON
from custom_components.bulutfon.line import PhoneLine

from .conftest import WEBHOOK_ID, Post, setup_entry
from .test_entities import (
    ACTIVE_CALLS,
    LAST_CALL_DURATION,
    LAST_CALLER,
    LAST_FAX_SENDER,
    LAST_MISSED_CALLER,
    LINE_BUSY,
    MISSED_CALLS,
    RESTORED_SENSORS,
    posted,
    state,
    vendor,
)

STARTS = (
    "call_init",
    "call_init_menu",
    "incoming_call_group",
    "incoming_call_extension",
)


def busy_history(hass: HomeAssistant) -> list[str]:
    """Every state the line-busy sensor is set to from now on."""
    history: list[str] = []

    @callback
    def on_changed(event: Event[Any]) -> None:
        history.append(event.data["new_state"].state)

    hass.bus.async_listen(
        EVENT_STATE_CHANGED,
        on_changed,
        event_filter=callback(lambda data: data["entity_id"] == LINE_BUSY),
    )
    return history


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records at ERROR and above."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
    ]


# --- restart in the middle of calls -------------------------------------------------------


async def test_restart_in_the_middle_of_calls(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """A reload while calls are under way: idle line, kept values, harmless old ends."""
    await posted(post, vendor("call_init", uuid="done", caller=905550000001))
    await posted(post, vendor("call_hangup", uuid="done", talk_duration=61))
    await posted(post, vendor("call_init", uuid="missed", caller=905550000002))
    await posted(post, vendor("missing_call", uuid="missed", caller=905550000002))
    await posted(post, vendor("fax_init", uuid="fax", caller=902120000000))
    for uuid in ("open-1", "open-2", "open-3"):
        await posted(post, vendor("call_init", uuid=uuid, caller=905550000003))
    assert state(hass, ACTIVE_CALLS).state == "3"
    before = {entity_id: state(hass, entity_id) for entity_id in RESTORED_SENSORS}
    old_line: PhoneLine = entry.runtime_data

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    line: PhoneLine = entry.runtime_data
    assert line is not old_line

    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    for entity_id, old in before.items():
        assert state(hass, entity_id).state == old.state, entity_id
        assert state(hass, entity_id).attributes == old.attributes, entity_id
    assert state(hass, MISSED_CALLS).state == "1"
    assert state(hass, LAST_CALLER).state == "0555 000 00 03"
    assert state(hass, LAST_MISSED_CALLER).state == "0555 000 00 02"
    assert state(hass, LAST_CALL_DURATION).state == "1.01667"
    assert state(hass, LAST_FAX_SENDER).state == "0212 000 00 00"

    # The calls that were under way end after the restart.
    history = busy_history(hass)
    await posted(post, vendor("call_hangup", uuid="open-1", talk_duration=300))
    await posted(post, vendor("call_hangup", uuid="open-2", talk_duration=None))
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, LAST_CALL_DURATION).state == "5.0"
    # The third was not answered: that is a missed call not counted before.
    await posted(post, vendor("missing_call", uuid="open-3"))
    assert state(hass, MISSED_CALLS).state == "2"
    # Bulutfon repeating the missed call counted before the restart counts nothing.
    await posted(post, vendor("missing_call", uuid="missed", caller=905550000002))
    assert state(hass, MISSED_CALLS).state == "2"
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert history == []
    assert old_line.accepted == 8
    assert line.accepted == 3
    assert line.duplicates == 1

    # And the line works as before.
    await posted(post, vendor("call_init", uuid="new"))
    assert state(hass, LINE_BUSY).state == STATE_ON
    assert state(hass, ACTIVE_CALLS).state == "1"


async def test_unload_then_setup_keeps_values(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Unload and a later setup (as when the entry is disabled and enabled again)."""
    await posted(post, vendor("missing_call", uuid="m1"))
    await posted(post, vendor("call_init", uuid="open"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, MISSED_CALLS).state == STATE_UNAVAILABLE
    assert state(hass, LINE_BUSY).state == STATE_UNAVAILABLE

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, MISSED_CALLS).state == "1"
    assert state(hass, LINE_BUSY).state == STATE_OFF
    await posted(post, vendor("call_hangup", uuid="open"))
    assert state(hass, ACTIVE_CALLS).state == "0"


# --- unload during a burst -------------------------------------------------------------


async def test_unload_and_reload_during_burst(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unloading while hundreds of posts arrive: no error, nothing processed after it."""
    line: PhoneLine = entry.runtime_data
    bus_events = async_capture_events(hass, EVENT_BULUTFON)
    halfway = asyncio.Event()
    accepted_at_unload: list[int] = []

    @callback
    def on_event(_event: Event[Any]) -> None:
        if line.accepted >= 50:
            halfway.set()

    hass.bus.async_listen(EVENT_BULUTFON, on_event)

    async def unload() -> None:
        await halfway.wait()
        assert await hass.config_entries.async_unload(entry.entry_id)
        accepted_at_unload.append(line.accepted)

    bodies = [vendor("call_init", uuid=f"burst-{index}") for index in range(200)]
    *responses, _ = await asyncio.gather(*(post(body) for body in bodies), unload())
    await hass.async_block_till_done()

    # Home Assistant answers 200 for a webhook that is gone, as for an unknown one.
    assert {response.status for response in responses} == {HTTPStatus.OK}
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert 50 <= accepted_at_unload[0] < len(bodies)
    assert line.accepted == accepted_at_unload[0]
    assert len(bus_events) == line.accepted
    assert errors(caplog) == []

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    new_line: PhoneLine = entry.runtime_data
    assert state(hass, LINE_BUSY).state == STATE_OFF
    await posted(post, vendor("call_init", uuid="after"))
    await posted(post, vendor("missing_call", uuid="after"))
    assert new_line.accepted == 2
    assert line.accepted == accepted_at_unload[0]
    assert state(hass, MISSED_CALLS).state == "1"
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert errors(caplog) == []


async def test_request_in_flight_during_unload(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A request whose body is still arriving when the entry unloads is not processed."""
    client = await hass_client_no_auth()
    line: PhoneLine = entry.runtime_data
    bus_events = async_capture_events(hass, EVENT_BULUTFON)
    body = json.dumps(vendor("call_init", uuid="slow")).encode()
    handler_entered = asyncio.Event()
    unloaded = asyncio.Event()

    # Know for sure when the request is inside the integration's handler.
    registered = hass.data[webhook.DOMAIN][WEBHOOK_ID]
    handler = registered.handler

    async def entering(*args: Any) -> Any:
        handler_entered.set()
        return await handler(*args)

    hass.data[webhook.DOMAIN][WEBHOOK_ID] = replace(registered, handler=entering)

    async def slow_body() -> AsyncIterator[bytes]:
        yield body[:20]
        await unloaded.wait()
        yield body[20:]

    request = asyncio.ensure_future(
        client.post(
            f"/api/webhook/{WEBHOOK_ID}",
            data=slow_body(),
            headers={"Content-Type": "application/json"},
        )
    )
    # The handler is waiting for the rest of the body when the entry unloads.
    await handler_entered.wait()
    assert await hass.config_entries.async_unload(entry.entry_id)
    unloaded.set()
    response = await request
    await hass.async_block_till_done()

    assert response.status == HTTPStatus.OK
    assert line.accepted == 0
    assert bus_events == []
    assert errors(caplog) == []


# --- storms of repeats, disorder ----------------------------------------------------------


async def test_storm_of_duplicates(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """The same event 100 times at once is fired once and counted once."""
    line: PhoneLine = entry.runtime_data
    bus_events = async_capture_events(hass, EVENT_BULUTFON)
    history = busy_history(hass)

    responses = await asyncio.gather(
        *(post(vendor("call_init", uuid="storm")) for _ in range(100))
    )
    assert {response.status for response in responses} == {HTTPStatus.OK}
    assert state(hass, ACTIVE_CALLS).state == "1"

    responses = await asyncio.gather(
        *(post(vendor("missing_call", uuid="storm")) for _ in range(100))
    )
    assert {response.status for response in responses} == {HTTPStatus.OK}
    assert [event.data["type"] for event in bus_events] == ["call_init", "missing_call"]
    assert state(hass, MISSED_CALLS).state == "1"
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert history == [STATE_ON, STATE_OFF]
    assert line.accepted == 2
    assert line.duplicates == 198


async def test_ends_before_starts_for_many_calls(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Hangups overtaking their starts, for many calls at once: the line is never busy."""
    history = busy_history(hass)
    uuids = [f"late-start-{index}" for index in range(20)]
    await asyncio.gather(
        *(post(vendor("call_hangup", uuid=uuid, talk_duration=7)) for uuid in uuids)
    )
    await asyncio.gather(
        *(post(vendor(name, uuid=uuid)) for uuid in uuids for name in STARTS)
    )
    assert history == []
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, LAST_CALL_DURATION).state == "0.11667"


async def test_shuffled_events_end_idle(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Each call's events in a random order, all calls at once: the end state is exact."""
    rng = random.Random(4)
    bus_events = async_capture_events(hass, EVENT_BULUTFON)
    bodies = []
    for index in range(24):
        end = "missing_call" if index % 4 == 0 else "call_hangup"
        bodies += [vendor(name, uuid=f"mix-{index}") for name in (*STARTS, end)]
    rng.shuffle(bodies)
    responses = await asyncio.gather(*(post(body) for body in bodies))
    assert {response.status for response in responses} == {HTTPStatus.OK}
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, MISSED_CALLS).state == "6"
    assert len(bus_events) == len(bodies)


# --- a start whose end never comes -----------------------------------------------------------


async def test_ends_that_never_come(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, late_post: Post
) -> None:
    """Calls without an end are dropped 4 hours after they began, each on its own time."""
    config_entry = await setup_entry(hass)
    line: PhoneLine = config_entry.runtime_data

    await asyncio.gather(
        *(late_post(vendor("call_init", uuid=f"a-{i}")) for i in range(20))
    )
    freezer.tick(timedelta(hours=2))
    async_fire_time_changed(hass)
    await asyncio.gather(
        *(late_post(vendor("call_init", uuid=f"b-{i}")) for i in range(10))
    )
    assert state(hass, ACTIVE_CALLS).state == "30"

    freezer.tick(timedelta(hours=1, minutes=59))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, ACTIVE_CALLS).state == "30"

    freezer.tick(timedelta(minutes=16, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, ACTIVE_CALLS).state == "10"
    assert state(hass, LINE_BUSY).state == STATE_ON

    freezer.tick(timedelta(hours=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, LINE_BUSY).state == STATE_OFF

    # Their ends arriving after all are harmless, and nothing is remembered as active.
    await asyncio.gather(
        *(late_post(vendor("call_hangup", uuid=f"a-{i}")) for i in range(20))
    )
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert line.tracker.snapshot()["active_calls"] == 0
