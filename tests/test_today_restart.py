"""Today's figures across a restart: a call's event delivered again is not counted again.

Bulutfon (or a proxy before Home Assistant) may deliver an event again when Home Assistant
did not answer it, for example because it was restarting. The day's figures remember, with
their saved state, which calls they counted (bounded, calls.COUNTED_KEPT), as the missed-call
count does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    mock_restore_cache_with_extra_data,
)

from custom_components.bulutfon.calls import COUNTED_KEPT, CallTracker

from .conftest import Post, setup_entry
from .test_calls import event, feed
from .test_office import ANSWERED, INCOMING, TALK_TIME, TODAY, send, value

ACTIVE_CALLS = INCOMING.replace("incoming_calls_today", "active_calls")


def _talk_minutes(hass: HomeAssistant) -> float:
    """Daily talk time in minutes, whatever unit the sensor shows it in."""
    state = hass.states.get(TALK_TIME)
    assert state is not None
    per_unit = {"min": 1.0, "h": 60.0, "s": 1 / 60}
    return float(state.state) * per_unit[state.attributes["unit_of_measurement"]]


def _figures(hass: HomeAssistant) -> tuple[str, str, float]:
    return (
        value(hass, INCOMING),
        value(hass, ANSWERED),
        _talk_minutes(hass),
    )


@pytest.fixture
def afternoon(freezer: FrozenDateTimeFactory) -> None:
    """A working day's afternoon, well away from midnight."""
    freezer.move_to(
        datetime(2026, 3, 10, 15, 0, tzinfo=dt_util.get_default_time_zone())
    )


@pytest.mark.usefixtures("afternoon")
async def test_a_repeat_after_a_restart_counts_once(
    hass: HomeAssistant, late_post: Post
) -> None:
    """Two calls (one ended, one under way), a restart, every event again: still 2."""
    entry = await setup_entry(hass)
    await send(late_post, "call_init", "ended")
    await send(
        late_post,
        "call_hangup",
        "ended",
        talk_duration=120,
        result_disposition="SUCCESS",
    )
    await send(late_post, "call_init", "under-way")
    before = _figures(hass)
    assert before == ("2", "1", pytest.approx(2))

    # A restart: the entities go (Home Assistant keeps what they save) and come back.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _figures(hass) == before

    # Every event delivered again: nothing counted twice, talk time not doubled.
    await send(late_post, "call_init", "ended")
    await send(
        late_post,
        "call_hangup",
        "ended",
        talk_duration=120,
        result_disposition="SUCCESS",
    )
    await send(late_post, "call_init", "under-way")
    assert _figures(hass) == before
    # The call still under way is followed again (the line starts idle after a restart).
    assert value(hass, ACTIVE_CALLS) == "1"
    # Its end, which never came before, counts once.
    await send(
        late_post,
        "call_hangup",
        "under-way",
        talk_duration=60,
        result_disposition="SUCCESS",
    )
    assert _figures(hass) == ("2", "2", pytest.approx(3))
    assert value(hass, ACTIVE_CALLS) == "0"
    # A new call counts as ever.
    await send(late_post, "call_init", "new")
    assert value(hass, INCOMING) == "3"


CORRUPT: list[Any] = [
    None,
    "not a list",
    [["ok-but", 5]],
    [[3, "d"], ["x" * 10_000, "d"], ["\ud800", "d"], ["bad-letters", "zz"]],
    [["two", "dh", "extra"], {"uuid": "dict"}, ["", "d"]],
]


@pytest.mark.usefixtures("afternoon")
@pytest.mark.parametrize("counted", CORRUPT)
async def test_corrupt_remembered_calls_never_fail(
    hass: HomeAssistant, late_post: Post, counted: Any
) -> None:
    """Unreadable memory of counted calls: the figures come back, counting goes on."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, "1" if entity_id != TALK_TIME else "0"),
                {"value": 1 if entity_id != TALK_TIME else 0, "day": "2026-03-10"}
                | {"counted": counted},
            )
            for entity_id in TODAY
        ],
    )
    await setup_entry(hass)
    assert value(hass, INCOMING) == "1"
    await send(late_post, "call_init", "after-restart")
    await send(late_post, "call_init", "bad-letters")
    assert value(hass, INCOMING) == "3"


@pytest.mark.usefixtures("afternoon")
async def test_remembered_calls_from_disk_are_not_counted_again(
    hass: HomeAssistant, late_post: Post
) -> None:
    """Saved by one figure only (the others disabled or unreadable) is enough."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(INCOMING, "1"),
                {"value": 1, "day": "2026-03-10", "counted": [["before", "dh"]]},
            ),
            (State(TALK_TIME, "2"), {"value": 120, "day": "2026-03-10"}),
        ],
    )
    await setup_entry(hass)
    await send(late_post, "call_init", "before")
    await send(late_post, "call_hangup", "before", talk_duration=120)
    assert value(hass, INCOMING) == "1"
    assert _talk_minutes(hass) == pytest.approx(2)
    assert value(hass, ACTIVE_CALLS) == "0"  # it is over: its start is a repeat


def test_the_tracker_hands_what_it_counted_to_its_successor() -> None:
    """The pure part: counted_calls, remembered by a fresh tracker, bounded, in order."""
    tracker = CallTracker()
    feed(tracker, event("call_init", "a"))
    feed(tracker, event("call_hangup", "a", talk_duration=30))
    feed(tracker, event("missing_call", "b"))
    feed(tracker, event("call_init", "c"))
    feed(tracker, event("call_init", "no-direction", direction=None))
    assert tracker.counted_calls() == [["a", "dih"], ["b", "m"], ["c", "di"]]
    assert tracker.counted_calls(limit=1) == [["c", "di"]]

    fresh = CallTracker()
    fresh.remember_counted_calls(tracker.counted_calls())
    for item in (
        event("call_init", "a"),
        event("call_hangup", "a", talk_duration=30),
        event("missing_call", "b"),
        event("call_init", "c"),
    ):
        feed(fresh, item, now=1.0)
    assert (fresh.today.incoming_calls, fresh.today.talk_time) == (0, 0)
    assert fresh.today.missed_calls == 0
    assert fresh.active_calls == 1  # c, still under way
    assert fresh.counted_calls() == tracker.counted_calls()

    bounded = CallTracker()
    bounded.remember_counted_calls([[f"u{n}", "d"] for n in range(COUNTED_KEPT * 3)])
    assert len(bounded.counted_calls()) == COUNTED_KEPT
    assert bounded.counted_calls()[-1] == [f"u{COUNTED_KEPT * 3 - 1}", "d"]
