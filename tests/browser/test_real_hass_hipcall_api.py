"""A Hipcall line with an API token in a real Home Assistant process (no browser), its API
the fake one (tests/fake_hipcall.py) served on 127.0.0.1 in its own process.

The config flow checks a token against Hipcall's real region, so the line is added without
one and the token and the fake's address are written into the stopped hass's entries
(RealHass.point_at_hipcall_api), the way the flow stores them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
import json
import re

import pytest
import pytest_socket

from tests.real_hass import assert_no_alarms, wait_for

from .conftest import PASSWORD, USERNAME, RealHass, realhass

FakeHipcallApi = realhass.FakeHipcallApi

pytestmark = pytest.mark.usefixtures("socket_enabled")

NUMBER = "908508850000"
LINE = f"bulutfon_{NUMBER}"
TOKEN = "real-hass-hipcall-token"
CALLER = "+905321234567"


@pytest.fixture(scope="module")
def real_hass(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealHass]:
    """A real Home Assistant as the other browser tests have it, with diagnostics (what
    tells when the line last asked Hipcall)."""
    pytest_socket.enable_socket()
    folder = tmp_path_factory.mktemp("hass")
    configuration = folder / "configuration.yaml"
    configuration.write_text(realhass.CONFIGURATION.read_text() + "\ndiagnostics:\n")
    ha = realhass.RealHass(folder / "config", configuration=configuration)
    ha.start()
    try:
        ha.onboard(USERNAME, PASSWORD, name="Demo")
        yield ha
    finally:
        ha.stop()


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeHipcallApi]:
    """The fake Hipcall API for this module."""
    api = realhass.FakeHipcallApi(TOKEN)
    api.start()
    try:
        yield api
    finally:
        api.stop()


def devices(ha: RealHass, entry_id: str) -> dict[str, str]:
    """The entry's devices: name (as the user sees it) by device id."""
    (listed,) = ha.websocket({"type": "config/device_registry/list"})
    return {
        device["id"]: device["name_by_user"] or device["name"]
        for device in listed
        if entry_id in device["config_entries"]
    }


def recovered_lines(ha: RealHass, since: datetime) -> list[str]:
    """The logbook's Bulutfon lines that say a call was recovered from Hipcall."""
    entries = ha.request("GET", f"/api/logbook/{since.isoformat()}")
    return [
        str(entry.get("message"))
        for entry in entries
        if "recovered from Hipcall" in str(entry.get("message"))
    ]


def last_recovery(ha: RealHass, entry_id: str) -> str | None:
    """When the line last applied what Hipcall answered (its diagnostics), if it did."""
    try:
        diagnostics = ha.request("GET", f"/api/diagnostics/config_entry/{entry_id}")
    except realhass.RealHassError:
        return None  # not loaded yet
    text = json.dumps(diagnostics["data"])
    match = re.search(r'"last_recovery": "([^"]+)"', text)
    return None if match is None else match.group(1)


def recovered(ha: RealHass, entry_id: str, before: str | None) -> None:
    """Wait until the line has applied an answer of Hipcall's since `before`.

    The events it applies are written at the next loop turn, before hass answers any
    later request: the states read after this see them.
    """
    done = wait_for(
        lambda: last_recovery(ha, entry_id),
        lambda value: value is not None and value != before,
        60,
    )
    assert done not in {None, before}, ha.log_tail()


def test_hipcall_api_in_a_real_home_assistant(
    real_hass: RealHass, fake_api: FakeHipcallApi
) -> None:
    """User devices named from the API at once; a call the webhook never sent recovered
    after a restart, exactly once across another; bulutfon.call answers the API's call id."""
    started = datetime.now(UTC)
    line = real_hass.add_hipcall(NUMBER)
    real_hass.stop()
    real_hass.point_at_hipcall_api(
        line.entry_id,
        token=TOKEN,
        api_url=fake_api.url,
        recovering_since=started - timedelta(hours=1),
    )
    # A missed call that ended half an hour ago: Hipcall has it, the webhook never came.
    fake_api.add_missed_call(CALLER, f"+{NUMBER}", started - timedelta(minutes=30))
    real_hass.start()
    recovered(real_hass, line.entry_id, None)

    # The users are devices, named as in Hipcall, before any of them took a call.
    names = wait_for(
        lambda: set(devices(real_hass, line.entry_id).values()),
        lambda names: {"Ayşe Kaya", "Mehmet Demir"} <= names,
    )
    assert {"Ayşe Kaya", "Mehmet Demir"} <= names

    states = wait_for(
        real_hass.states,
        lambda states: (
            states.get(f"sensor.{LINE}_missed_calls", {}).get("state") == "1"
        ),
    )
    assert states[f"sensor.{LINE}_missed_calls"]["state"] == "1"
    callbacks = states[f"todo.{LINE}_callbacks"]
    assert callbacks["state"] == "1"
    button = f"button.{LINE}_user_12_call_back"
    assert states[button]["state"] != "unavailable"
    # The recorder writes the event a moment later.
    since = started - timedelta(hours=2)
    lines = wait_for(lambda: recovered_lines(real_hass, since), bool)
    assert len(lines) == 1, lines
    assert lines[0].startswith("Missed call"), lines

    # Another restart: the call is not applied again.
    before = last_recovery(real_hass, line.entry_id)
    real_hass.stop()
    real_hass.start()
    recovered(real_hass, line.entry_id, before)
    states = real_hass.states()
    assert states[f"sensor.{LINE}_missed_calls"]["state"] == "1"
    assert states[f"todo.{LINE}_callbacks"]["state"] == "1"
    # (The counts above already show it; the logbook is given the recorder's time to show a
    # second line if there were one.)
    lines = wait_for(
        lambda: recovered_lines(real_hass, since), lambda lines: len(lines) > 1, 8
    )
    assert len(lines) == 1, lines

    # The action answers the id Hipcall gave the call.
    ayse = next(
        device_id
        for device_id, name in devices(real_hass, line.entry_id).items()
        if name == "Ayşe Kaya"
    )
    answer = real_hass.request(
        "POST",
        "/api/services/bulutfon/call?return_response",
        {"device_id": ayse, "number": "0532 765 43 21"},
    )
    (placed,) = fake_api.placed()
    assert answer["service_response"] == {"call_id": placed["id"]}
    assert placed["user_id"] == "12"
    assert placed["callee_number"] == "+905327654321"

    log = real_hass.log_path.read_text(errors="replace")
    assert_no_alarms(log)
    assert TOKEN not in log
