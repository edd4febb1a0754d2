"""Restores that never lose a count and never block a save (issues 10 and 14).

The saved data of the sensors is read like webhook input: each value by the same rule. When
a sensor's own saved data is missing or unreadable, Home Assistant's last state stands in
for it; failing both, the sensor starts empty. Nothing on disk can fail setup, make a count
negative, or keep Home Assistant from saving the state of every entity at the next stop.
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import restore_state as rs
from homeassistant.helpers.json import json_bytes
import pytest
from pytest_homeassistant_custom_component.common import (
    mock_restore_cache,
    mock_restore_cache_with_extra_data,
)

from .conftest import NUMBER, Post, setup_entry

LAST_CALLER = f"sensor.bulutfon_{NUMBER}_last_caller"
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
LAST_MISSED_CALLER = f"sensor.bulutfon_{NUMBER}_last_missed_caller"
LAST_CALL_DURATION = f"sensor.bulutfon_{NUMBER}_last_call_duration"
LAST_FAX_SENDER = f"sensor.bulutfon_{NUMBER}_last_fax_sender"

# The states and attributes version 0.1.0 showed (the caller's digits were the state).
CALLER_ATTRIBUTES = {
    "caller_name": None,
    "callee": NUMBER,
    "callee_name": None,
    "direction": "IN",
    "destination": "1000",
    "time": "2026-01-02T03:04:05+00:00",
    "uuid": "before-restart",
}
RESULT_ATTRIBUTES = {
    "caller": "905551112233",
    "callee": NUMBER,
    "hangup_cause": "NORMAL_CLEARING",
    "hangup_detail": "send_bye",
    "result_disposition": "SUCCESS",
    "time": "2026-01-02T03:06:10+00:00",
}
LAST_STATES = [
    State(MISSED_CALLS, "7"),
    State(LAST_CALLER, "905551112233", CALLER_ATTRIBUTES),
    State(LAST_MISSED_CALLER, "905554445566", CALLER_ATTRIBUTES),
    State(LAST_CALL_DURATION, "125", RESULT_ATTRIBUTES),
    State(LAST_FAX_SENDER, "902120000000", {"callee": NUMBER}),
]
UNREADABLE: list[Any] = [
    {},
    {"something": "else"},
    {"value": -3},
    {"value": "many"},
    {"value": True},
    {"value": "not a record"},
    {"value": {"talk_duration": -1}},
    {"value": ["a", "list"]},
]


def _value(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _assert_last_states_came_back(hass: HomeAssistant) -> None:
    assert _value(hass, MISSED_CALLS) == "7"
    # Shown as people read the number; the digits are in the caller attribute.
    assert _value(hass, LAST_CALLER) == "0555 111 22 33"
    caller = hass.states.get(LAST_CALLER)
    assert caller is not None
    assert caller.attributes["caller"] == "905551112233"
    assert caller.attributes["callee"] == NUMBER
    assert caller.attributes["destination"] == "1000"
    assert caller.attributes["uuid"] == "before-restart"
    assert _value(hass, LAST_MISSED_CALLER) == "0555 444 55 66"
    assert _value(hass, LAST_CALL_DURATION) == "2.08334"
    result = hass.states.get(LAST_CALL_DURATION)
    assert result is not None
    assert result.attributes["caller"] == "905551112233"
    assert _value(hass, LAST_FAX_SENDER) == "0212 000 00 00"


async def test_missing_saved_data_falls_back_to_the_last_state(
    hass: HomeAssistant,
) -> None:
    """No extra data at all (a cache from elsewhere): the last states come back."""
    mock_restore_cache(hass, LAST_STATES)
    await setup_entry(hass)
    _assert_last_states_came_back(hass)


@pytest.mark.parametrize("saved", UNREADABLE)
async def test_unreadable_saved_data_falls_back_to_the_last_state(
    hass: HomeAssistant, saved: dict[str, Any]
) -> None:
    """Saved data of the wrong shape: the last states come back instead."""
    mock_restore_cache_with_extra_data(hass, [(state, saved) for state in LAST_STATES])
    await setup_entry(hass)
    _assert_last_states_came_back(hass)


async def test_lower_case_codes_in_the_last_state_come_back_as_sent(
    hass: HomeAssistant,
) -> None:
    """A state showing `direction: in` restores the call as Bulutfon sent it (IN)."""
    attributes = {**CALLER_ATTRIBUTES, "direction": "in", "caller": "905551112233"}
    mock_restore_cache(hass, [State(LAST_CALLER, "Ayşe Kaya", attributes)])
    entry = await setup_entry(hass)
    last = entry.runtime_data.tracker.status.last_caller
    assert last is not None
    assert last.caller == "905551112233"
    assert last.direction == "IN"


@pytest.mark.parametrize(
    "shown",
    ["unknown", "unavailable", "-3", "many", "nan", "inf", "1e400", "", "2.5"],
)
async def test_corrupt_cache_never_fails_setup_or_breaks_a_count(
    hass: HomeAssistant, shown: str
) -> None:
    """Neither saved data nor a state that fits: empty, never negative or non-numeric."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(MISSED_CALLS, shown), {"value": "x"}),
            (State(LAST_CALL_DURATION, shown), {"value": {"talk_duration": "x"}}),
            (State(LAST_CALLER, shown), {"value": 3}),
        ],
    )
    await setup_entry(hass)
    count = _value(hass, MISSED_CALLS)
    assert count.isdigit()
    assert count == ("2" if shown == "2.5" else "0")
    duration = _value(hass, LAST_CALL_DURATION)
    assert duration == (
        "0.03334" if shown == "2.5" else STATE_UNKNOWN
    )  # 2 s, in minutes
    assert _value(hass, LAST_CALLER) == STATE_UNKNOWN


async def test_one_unreadable_sensor_does_not_block_the_others(
    hass: HomeAssistant,
) -> None:
    """Each sensor restores on its own: garbage in one leaves the others whole."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(MISSED_CALLS, STATE_UNKNOWN), {"value": {"nested": "nonsense"}}),
            (State(LAST_CALLER, "1"), {"value": {"caller": "905551112233"}}),
            (State(LAST_FAX_SENDER, "1"), {"value": {"caller": 42, "uuid": "fax-1"}}),
        ],
    )
    await setup_entry(hass)
    assert _value(hass, MISSED_CALLS) == "0"
    assert _value(hass, LAST_CALLER) == "0555 111 22 33"
    # Fields that do not fit are left out, the record is kept.
    assert _value(hass, LAST_FAX_SENDER) == STATE_UNKNOWN
    fax = hass.states.get(LAST_FAX_SENDER)
    assert fax is not None
    assert fax.attributes["uuid"] == "fax-1"


async def test_restored_text_follows_the_webhook_rule(
    hass: HomeAssistant, post: Post
) -> None:
    """Saved text that cannot be encoded (as 0.1.0 kept it) is cleaned when read back.

    Before, one such uuid among the counted missed calls made every save of
    core.restore_state fail, for every entity of Home Assistant, at every restart.
    """
    bad = "x\ud800"
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(MISSED_CALLS, "2"),
                {"value": 2, "counted": [bad, "ok-1", "y\x00", "z" * 500, 7]},
            ),
            (
                State(LAST_CALL_DURATION, "35"),
                {
                    "value": {
                        "talk_duration": 35,
                        "caller": "90532\ud800000",
                        "hangup_cause": "NORMAL\udfff",
                        "cdr_url": "https://x/" + "\ud800" * 3,
                        "uuid": bad,
                        "time": "2026-01-02T03:04:05",
                    }
                },
            ),
        ],
    )
    entry = await setup_entry(hass)
    tracker = entry.runtime_data.tracker
    assert tracker.counted_missed_calls() == ["x\ufffd", "ok-1", "y\ufffd"]
    result = hass.states.get(LAST_CALL_DURATION)
    assert result is not None
    assert result.state == "0.58334"
    assert result.attributes["caller"] == "90532000"
    assert result.attributes["hangup_cause"] == "NORMAL\ufffd"
    assert result.attributes["uuid"] == "x\ufffd"

    stored = rs.async_get(hass).async_get_stored_states()
    json_bytes([state.as_dict() for state in stored])  # what the save at stop does

    # The same missed call delivered again (the fuzzer's request) is a repeat: not
    # counted twice across the restart.
    body = b'{"event_type":"missing_call","uuid":"x\\ud800","caller":90532000000}'
    assert (await post(body)).status == 200
    assert _value(hass, MISSED_CALLS) == "2"


async def test_restore_state_is_saved_after_a_hostile_event(
    hass: HomeAssistant, post: Post, hass_storage: dict[str, Any]
) -> None:
    """Home Assistant's own dump of core.restore_state succeeds and holds our sensors."""
    mock_restore_cache(hass, [])
    await setup_entry(hass)
    body = b'{"event_type":"missing_call","uuid":"x\\ud800","caller":90532000000}'
    assert (await post(body)).status == 200
    await rs.async_get(hass).async_dump_states()
    saved = {
        item["state"]["entity_id"]: item
        for item in hass_storage[rs.STORAGE_KEY]["data"]
    }
    assert saved[MISSED_CALLS]["extra_data"] == {"value": 1}
    # The calls seen are the line's, in its own store (issue 24, item 5).
    (entry,) = hass.config_entries.async_entries("bulutfon")
    await entry.runtime_data.async_save_seen_now()
    assert hass_storage[f"bulutfon.{entry.entry_id}.seen"]["data"]["missed"] == [
        "x\ufffd"
    ]
    assert saved[MISSED_CALLS]["state"]["state"] == "1"
