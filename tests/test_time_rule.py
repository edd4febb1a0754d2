"""Time, once: every time from outside passes one rule before anything stores or shows it
(issue 24, item 1 and "Time, once"; issue 25, item 5).

A time before 2000 or more than a day past its arrival is not the call's time: the line
takes the arrival time instead. Saved data with such a time is skipped on load.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import logging
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.bulutfon.callbacks import CallbackList
from custom_components.bulutfon.calls import CallInfo, record_from_dict
from custom_components.bulutfon.const import EVENT_BULUTFON
from custom_components.bulutfon.protocol import (
    BulutfonEvent,
    EventType,
    call_time,
    dated,
    event_time,
    usable_time,
)
from custom_components.bulutfon.recovery import RecoveryLedger

from .conftest import NUMBER, WEBHOOK_ID, Post, make_entry, setup_entry
from .test_hipcall_ha import make_hipcall_entry
from .vendor import HIPCALL_EXAMPLES

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TODO = f"todo.bulutfon_{NUMBER}_callbacks"
MISSED = f"sensor.bulutfon_{NUMBER}_missed_calls"

# What arrives as a call's time: ISO text (Hipcall) or epoch numbers (classic), at the
# extremes. Each either does not parse or fails the rule: the arrival time stands.
EXTREME_ISO = (
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "1999-12-31T23:59:59Z",
    "4000-01-01T00:00:00Z",
)
EXTREME_CLASSIC: tuple[Any, ...] = (
    *EXTREME_ISO,
    "NaN",
    "1e309",
    1e308,
    -5,
    "-1",
    1,  # 1970
    99_999_999_999,  # seconds: year 5138
    9_999_999_999_999_999,  # microseconds: year 2286
)


@pytest.mark.parametrize("value", EXTREME_CLASSIC)
def test_the_rule_refuses_every_extreme(value: Any) -> None:
    """No extreme is a call's time; the event takes its arrival time."""
    moment = event_time(value)
    assert usable_time(moment, NOW) is None
    assert call_time(moment, NOW) == NOW
    event = BulutfonEvent("missing_call", EventType.MISSING_CALL, timestamp=moment)
    assert dated(event, NOW).timestamp in (None, NOW)


def test_the_rule_keeps_a_real_time() -> None:
    """A time of the last day, and a clock a little ahead, stay the call's time."""
    for moment in (NOW - timedelta(hours=23), NOW + timedelta(minutes=5)):
        assert usable_time(moment, NOW) == moment
        event = BulutfonEvent("call_init", EventType.CALL_INIT, timestamp=moment)
        assert dated(event, NOW) is event
    assert usable_time(NOW + timedelta(days=1, seconds=1), NOW) is None
    naive = datetime(2000, 1, 1)  # noqa: DTZ001 (no zone: not a time from us)
    assert usable_time(naive, NOW) is None


@pytest.mark.parametrize("value", EXTREME_ISO)
def test_saved_data_with_an_extreme_time_is_skipped(
    value: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Saved items, records and ledger entries whose time fails the rule are skipped on
    load, with a debug line, never an exception."""
    caplog.set_level(logging.DEBUG, logger="custom_components.bulutfon")
    callbacks = CallbackList.from_dict(
        {
            "items": [
                {"uid": "bad", "number": "905321234567", "last_missed": value},
                {
                    "uid": "good",
                    "number": "905329999999",
                    "last_missed": "2026-11-30T10:00:00+00:00",
                    "first_missed": value,
                    "done_at": value,
                },
            ]
        },
        NOW,
    )
    (item,) = callbacks
    assert item.uid == "good"
    assert item.first_missed == item.last_missed
    assert item.done_at == NOW  # shown as done before: still done
    assert "Skipped 1 saved call-back item" in caplog.text
    info = record_from_dict(CallInfo, {"caller": "905321234567", "time": value}, NOW)
    assert info is not None
    assert info.time is None
    ledger = RecoveryLedger.from_dict(
        {"floor": value, "seen": [["a", value], ["b", "2026-12-01T11:00:00Z"]]}, NOW
    )
    assert ledger.floor == NOW
    ledger = RecoveryLedger.from_dict(
        {
            "floor": "2026-12-01T10:00:00Z",
            "seen": [["a", value], ["b", NOW.isoformat()]],
        },
        NOW,
    )
    assert list(ledger.seen) == ["b"]


def test_an_end_dated_ahead_never_moves_the_ledger_floor() -> None:
    """A forged end dated in year 4000 is recorded at its arrival (issue 25, item 5): once
    forgotten, the floor stays at the present and real calls are still recovered."""
    ledger = RecoveryLedger(floor=NOW - timedelta(hours=1))
    ledger.note("forged", datetime(4000, 1, 1, tzinfo=UTC), NOW)
    for index in range(1000):
        ledger.note(f"real{index}", NOW - timedelta(minutes=30), NOW)
    assert "forged" not in ledger.seen
    assert ledger.floor <= NOW
    assert not ledger.applied("later", NOW + timedelta(minutes=5))


def _arrival(sent: str | None, before: datetime) -> None:
    """The time an event carries is its arrival (or none, where nothing parsed)."""
    if sent is not None:
        assert before <= datetime.fromisoformat(sent) <= datetime.now(UTC)


def _hipcall_missed(uuid: str, caller: str, **data: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(HIPCALL_EXAMPLES["hipcall_missed_call"])
    body["data"] = {
        **body["data"],
        "uuid": uuid,
        "caller_number": caller,
        "ended_at": "2026-11-30T10:00:00Z",
        **data,
    }
    return body


async def _todo_items(hass: HomeAssistant) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {},
        target={"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    return response[TODO]["items"]  # type: ignore[index,no-any-return]


@pytest.mark.parametrize("value", EXTREME_ISO)
async def test_a_hipcall_call_dated_far_off_never_freezes_the_line(
    hass: HomeAssistant, late_post: Post, value: str
) -> None:
    """A missed call whose ended_at is far off (9999-12-31) is dated at its arrival: the
    list shows it, the other calls' events still fire, and a restart keeps the list."""
    await hass.config.async_set_time_zone("Europe/Istanbul")
    entry = make_hipcall_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    bus = async_capture_events(hass, EVENT_BULUTFON)
    before = datetime.now(UTC)
    response = await late_post(
        _hipcall_missed("far", "+905321234567", ended_at=value, started_at=value)
    )
    assert response.status == 200
    assert await late_post(_hipcall_missed("next", "+905329999999")) is not None
    assert [event.data["uuid"] for event in bus] == ["far", "next"]
    _arrival(bus[0].data["timestamp"], before)
    state = hass.states.get(MISSED)
    assert state is not None
    assert state.state == "2"
    assert len(await _todo_items(hass)) == 2
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    todo = hass.states.get(TODO)
    assert todo is not None
    assert todo.state == "2"
    assert len(await _todo_items(hass)) == 2


@pytest.mark.parametrize("value", EXTREME_CLASSIC)
async def test_a_classic_call_dated_far_off_takes_its_arrival_time(
    hass: HomeAssistant, late_post: Post, value: Any
) -> None:
    """The same for a classic missed call's timestamp, in any notation."""
    await hass.config.async_set_time_zone("Europe/Istanbul")
    await setup_entry(hass)
    bus = async_capture_events(hass, EVENT_BULUTFON)
    before = datetime.now(UTC)
    body = {
        "event_type": "missing_call",
        "uuid": "far",
        "caller": "05321234567",
        "callee": NUMBER,
        "direction": "IN",
        "timestamp": value,
    }
    assert (await late_post(body)).status == 200
    assert (await late_post(body | {"uuid": "next", "caller": "05329999999"})).ok
    assert [event.data["uuid"] for event in bus] == ["far", "next"]
    _arrival(bus[0].data["timestamp"], before)
    assert len(await _todo_items(hass)) == 2


async def test_a_saved_item_dated_far_off_does_not_break_the_list(
    hass: HomeAssistant, hass_storage: dict[str, Any], late_post: Post
) -> None:
    """What 0.3.0 saved for a 9999-12-31 call is skipped at the start: the list is
    available and takes calls."""
    entry = make_entry()
    hass_storage[f"bulutfon.callbacks.{entry.entry_id}"] = {
        "version": 1,
        "key": f"bulutfon.callbacks.{entry.entry_id}",
        "data": {
            "items": [
                {
                    "uid": "far",
                    "number": "905321234567",
                    "missed": 1,
                    "last_missed": "9999-12-31T23:59:59+00:00",
                    "first_missed": "9999-12-31T23:59:59+00:00",
                }
            ]
        },
    }
    await hass.config.async_set_time_zone("Europe/Istanbul")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    todo = hass.states.get(TODO)
    assert todo is not None
    assert todo.state == "0"
    await late_post(
        {
            "event_type": "missing_call",
            "uuid": "c1",
            "caller": "05321234567",
            "callee": NUMBER,
            "direction": "IN",
        },
        webhook_id=WEBHOOK_ID,
    )
    assert len(await _todo_items(hass)) == 1


def test_callers_dated_ahead_never_push_real_callers_off_the_list() -> None:
    """200 forged missed calls dated ahead (a day ahead, year 4000) sort by their arrival:
    a real caller who calls after them is the newest and stays; the bound evicts the
    caller missed longest ago (issue 25, item 5)."""
    callbacks = CallbackList()
    for index in range(200):
        ahead = NOW + (timedelta(hours=23) if index % 2 else timedelta(days=730_000))
        forged = BulutfonEvent(
            "missing_call",
            EventType.MISSING_CALL,
            uuid=f"f{index}",
            caller=f"9053300{index:05d}",
            direction="IN",
            timestamp=ahead,
        )
        callbacks.receive(dated(forged, NOW), received_at=NOW)
    later = NOW + timedelta(minutes=1)
    real = BulutfonEvent(
        "missing_call",
        EventType.MISSING_CALL,
        uuid="real",
        caller="905321234567",
        direction="IN",
        timestamp=later,
    )
    callbacks.receive(dated(real, later), received_at=later)
    open_items = callbacks.open_items
    assert len(open_items) == 200
    assert open_items[0].number == "905321234567"
    assert all(item.last_missed <= later for item in open_items)
