"""Long-term statistics of today's figures, compiled by Home Assistant's recorder."""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from .conftest import NUMBER, setup_entry
from .test_office import body, value

ANSWERED = f"sensor.bulutfon_{NUMBER}_answered_calls_today"


@pytest.fixture
async def mock_recorder_before_hass(async_test_recorder: Any) -> None:
    """Prepare the test database before `hass` (the autouse fixtures start it early)."""


@pytest.fixture
def enable_statistics() -> bool:
    """Let the recorder compile statistics on its own five-minute schedule."""
    return True


async def test_long_term_statistics_across_midnight_and_a_restart(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: Any,
) -> None:
    """The recorder's statistics add up the days: 3 answered calls before midnight, 2
    after it, 1 more after a restart make a sum of 6, while the state shows each day."""
    assert await async_setup_component(hass, "webhook", {})
    client = await hass_client_no_auth()

    async def post(event_type: str, uuid: str) -> None:
        response = await client.post(
            f"/api/webhook/{entry.data['webhook_id']}",
            json=body(event_type, uuid, result_disposition="SUCCESS"),
        )
        assert response.status == HTTPStatus.OK
        await hass.async_block_till_done()
        # One state per moment: the recorder orders states by their time.
        freezer.tick(timedelta(seconds=1))

    async def compile_at(moment: datetime) -> None:
        """Move the clock to `moment` and let the recorder do its five-minute work."""
        freezer.move_to(moment)
        async_fire_time_changed(hass, moment)
        await async_wait_recording_done(hass)

    zone = dt_util.get_default_time_zone()
    # Ahead of the real clock, where the recorder's schedule already waits.
    midnight = dt_util.start_of_local_day(dt_util.now().date() + timedelta(days=2))
    start = midnight - timedelta(minutes=10)
    freezer.move_to(start)
    entry = await setup_entry(hass)
    freezer.tick(timedelta(minutes=1))
    for uuid in ("a", "b", "c"):
        await post("call_hangup", uuid)
    await compile_at(start + timedelta(minutes=5, seconds=10))

    await compile_at(midnight)
    assert value(hass, ANSWERED) == "0"
    await compile_at(midnight + timedelta(seconds=10))
    freezer.tick(timedelta(minutes=1))
    for uuid in ("d", "e"):
        await post("call_hangup", uuid)
    await compile_at(midnight + timedelta(minutes=5, seconds=10))

    freezer.move_to(midnight + timedelta(minutes=6))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert value(hass, ANSWERED) == "2"
    freezer.tick(timedelta(minutes=1))
    await post("call_hangup", "f")
    assert value(hass, ANSWERED) == "3"
    await compile_at(midnight + timedelta(minutes=10, seconds=10))

    stats = await hass.async_add_executor_job(
        statistics_during_period,
        hass,
        dt_util.as_utc(start),
        None,
        {ANSWERED},
        "5minute",
        None,
        {"state", "sum"},
    )
    by_start = {
        datetime.fromtimestamp(row["start"], tz=zone): (row["state"], row["sum"])
        for row in stats[ANSWERED]
    }
    five = timedelta(minutes=5)
    assert by_start == {
        start: (3, 3),
        start + five: (3, 3),
        midnight: (2, 5),
        midnight + five: (3, 6),
    }
