"""Logbook: one readable line per bulutfon_event, with the caller's name when known."""

from __future__ import annotations

from collections.abc import Mapping
import json
from typing import Any

from homeassistant.components.logbook.models import (
    LazyEventPartialState,
    LogbookConfig,
    async_event_to_row,
)
from homeassistant.components.recorder import Recorder
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bulutfon.const import CONF_PHONEBOOK, DOMAIN, EVENT_BULUTFON
from custom_components.bulutfon.logbook import describe

from .conftest import NUMBER, Post
from .vendor import VENDOR_EXAMPLES

AYSE = "905320000000"
PHONEBOOK = "0532 000 00 00 = Ayşe"


def _event(name: str, **changes: Any) -> dict[str, Any]:
    """A vendor example with Ayşe as the caller, changed as given."""
    return {**json.loads(VENDOR_EXAMPLES[name]), "caller": AYSE, **changes}


def _data(**fields: Any) -> dict[str, Any]:
    """bulutfon_event data as the line fires it (the fields that matter here)."""
    return {
        "type": "call_init",
        "caller": AYSE,
        "caller_name": None,
        "callee": NUMBER,
        "callee_name": None,
        "direction": "IN",
        "destination": None,
        "talk_duration": None,
        "number": NUMBER,
        **fields,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _data(type="missing_call", caller_name="Ayşe"),
            "Missed call from 0532 000 00 00 (Ayşe)",
        ),
        (_data(type="missing_call"), "Missed call from 0532 000 00 00"),
        (_data(type="call_init"), "Call from 0532 000 00 00 started"),
        (
            _data(type="call_init_extension", destination="1000"),
            "Call from 0532 000 00 00 reached extension 1000",
        ),
        (
            _data(type="call_init_group", destination="111"),
            "Call from 0532 000 00 00 reached ring group 111",
        ),
        (
            _data(type="call_init_menu", destination="10"),
            "Call from 0532 000 00 00 reached voice menu 10",
        ),
        (
            _data(type="call_init_extension"),
            "Call from 0532 000 00 00 reached extension",
        ),
        (
            _data(type="call_hangup", talk_duration=35),
            "Call with 0532 000 00 00 ended after 35 s",
        ),
        (
            _data(type="call_hangup", talk_duration=0),
            "Call with 0532 000 00 00 ended after 0 s",
        ),
        (_data(type="call_hangup"), "Call with 0532 000 00 00 ended"),
        (
            _data(type="fax_init", caller_name="Ayşe"),
            "Fax received from 0532 000 00 00 (Ayşe)",
        ),
        (
            _data(
                type="call_init",
                direction="OUT",
                caller="1000",
                callee=AYSE,
                callee_name="Ayşe",
            ),
            "Outgoing call to 0532 000 00 00 (Ayşe) started",
        ),
        (
            _data(
                type="call_hangup",
                direction="OUT",
                caller="1000",
                callee=AYSE,
                talk_duration=12,
            ),
            "Call with 0532 000 00 00 ended after 12 s",
        ),
        (_data(type="missing_call", caller=None), "Missed call from an unknown number"),
        (
            _data(type="missing_call", caller="1000", caller_name="Reception"),
            "Missed call from 1000 (Reception)",
        ),
        (_data(type="call_transfer"), "Bulutfon event call_transfer"),
    ],
)
def test_describe(data: Mapping[str, Any], message: str) -> None:
    """Each event type reads as a sentence; Turkish numbers as people write them."""
    assert describe(data) == message


@pytest.fixture
async def mock_recorder_before_hass(async_test_recorder: Any) -> None:
    """Prepare the test database before `hass` (the autouse fixtures start it early)."""


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """The entry has a phone book with Ayşe in it."""
    return {CONF_PHONEBOOK: PHONEBOOK}


async def test_logbook_describes_events(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """The logbook's describe registry turns bulutfon_event into a named entry."""
    hass.config.components.add("recorder")  # logbook's dependency, not needed here
    assert await async_setup_component(hass, "logbook", {})
    await hass.async_block_till_done()

    logbook_config: LogbookConfig = hass.data["logbook"]
    domain, describe_event = logbook_config.external_events[EVENT_BULUTFON]
    assert domain == DOMAIN

    event = Event(
        EVENT_BULUTFON, _data(type="missing_call", caller_name="Ayşe", number=NUMBER)
    )
    described = describe_event(LazyEventPartialState(async_event_to_row(event), {}))
    assert described == {
        "name": f"Bulutfon {NUMBER}",
        "message": "Missed call from 0532 000 00 00 (Ayşe)",
    }


@pytest.fixture
async def logbook(recorder_mock: Recorder, hass: HomeAssistant) -> None:
    """The logbook, on a test database; set up before any HTTP client freezes the routes."""
    assert await async_setup_component(hass, "logbook", {})
    await hass.async_block_till_done()


async def test_logbook_entries_for_a_day_of_calls(
    logbook: None,
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
) -> None:
    """Calls Bulutfon posts show up in the logbook, named from the phone book."""
    start = dt_util.utcnow()

    # An answered call, a missed one, a fax, an outgoing call and a type Bulutfon adds later.
    await post(_event("call_init", uuid="call-1"))
    await post(_event("incoming_call_extension", uuid="call-1"))
    await post(_event("call_hangup", uuid="call-1"))
    await post(_event("missing_call", uuid="call-2"))
    await post(_event("fax_init", uuid="fax-1"))
    await post(
        _event("call_init", uuid="call-3", direction="OUT", caller="1000", callee=AYSE)
    )
    await post({"event_type": "call_transfer", "uuid": "call-4", "caller": AYSE})
    await async_wait_recording_done(hass)

    client = await hass_client()
    response = await client.get(f"/api/logbook/{start.isoformat()}")
    assert response.status == 200
    entries = [
        entry for entry in await response.json() if entry.get("domain") == DOMAIN
    ]

    assert [(entry["name"], entry["message"]) for entry in entries] == [
        (f"Bulutfon {NUMBER}", message)
        for message in (
            "Call from 0532 000 00 00 (Ayşe) started",
            "Call from 0532 000 00 00 (Ayşe) reached extension 1000",
            "Call with 0532 000 00 00 (Ayşe) ended after 35 s",
            "Missed call from 0532 000 00 00 (Ayşe)",
            "Fax received from 0532 000 00 00 (Ayşe)",
            "Outgoing call to 0532 000 00 00 (Ayşe) started",
            "Bulutfon event call_transfer",
        )
    ]
