# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""Logbook: one readable line per bulutfon_event, with the caller's name when known."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.components.logbook.models import (
    LazyEventPartialState,
    LogbookConfig,
    async_event_to_row,
)
from homeassistant.components.recorder import Recorder
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
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


def test_describe_names_the_line() -> None:
    """The entry is named after the readable number and has an icon."""
    described = describe(
        _data(type="missing_call", caller_name="Ayşe", entity_id="event.x_call"), "tr"
    )
    assert described == {
        "name": "Bulutfon 0850 885 00 00",
        "message": "Cevapsız arama: Ayşe (0532 000 00 00)",
        "icon": "mdi:phone-missed",
    }
    assert describe(_data(number=None), "en")["name"] == "Bulutfon"


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
        "name": "Bulutfon 0850 885 00 00",
        "message": "Missed call: Ayşe (0532 000 00 00)",
        "icon": "mdi:phone-missed",
    }

    # Home Assistant's language, read at every line.
    hass.config.language = "tr"
    described = describe_event(LazyEventPartialState(async_event_to_row(event), {}))
    assert described["message"] == "Cevapsız arama: Ayşe (0532 000 00 00)"


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

    assert [(entry["name"], entry["message"], entry["icon"]) for entry in entries] == [
        ("Bulutfon 0850 885 00 00", message, icon)
        for message, icon in (
            ("Call started: Ayşe (0532 000 00 00)", "mdi:phone-incoming"),
            (
                "Call reached an extension: Ayşe (0532 000 00 00) → extension 1000",
                "mdi:phone-forward",
            ),
            (
                "Call ended: Ayşe (0532 000 00 00), talked 35 s",
                "mdi:phone-hangup",
            ),
            ("Missed call: Ayşe (0532 000 00 00)", "mdi:phone-missed"),
            ("Fax received: Ayşe (0532 000 00 00)", "mdi:fax"),
            (
                "Call started: calling Ayşe (0532 000 00 00)",
                "mdi:phone-outgoing",
            ),
            ("Bulutfon event: call_transfer", "mdi:phone-alert"),
        )
    ]

    # Filtered by the device's entities, as the Activity panel asks for a device, the
    # lines are still there, beside the entities' own.
    entities = [
        item.entity_id
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    ]
    response = await client.get(
        f"/api/logbook/{start.isoformat()}?entity={','.join(entities)}"
    )
    filtered = [
        item["message"]
        for item in await response.json()
        if item.get("domain") == DOMAIN
    ]
    assert len(filtered) == 7
