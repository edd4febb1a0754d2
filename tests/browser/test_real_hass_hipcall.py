"""A Hipcall office in a real Home Assistant process (no browser): the vendor-shaped bodies
drive every entity, a non-call event and hostile bodies are answered without a 5xx, and a
restart keeps the counts.

The calls are those `scripts/simulate --platform hipcall` plays; the single bodies are the
fixtures built from Hipcall's field lists (tests/fixtures/hipcall_*.json).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from tests.vendor import HIPCALL_EXAMPLES

from .conftest import RealHass, load_script

pytestmark = pytest.mark.usefixtures("socket_enabled")

simulate = load_script("simulate")

NUMBER = "908508850000"
LINE = f"bulutfon_{NUMBER}"


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        err.close()
        return err.code


def _play(url: str, calls: list[list[dict[str, object]]]) -> None:
    summary = simulate.play(url, calls, use_proxy=False)
    assert summary.ok, [result.line() for result in summary.results]


def test_hipcall_calls_through_a_real_home_assistant(real_hass: RealHass) -> None:
    """Answered, missed (with voicemail) and outgoing Hipcall calls; a contact event and
    broken bodies; then a restart: the counts and the last values come back."""
    line = real_hass.add_hipcall(NUMBER)
    assert line.title == "Hipcall 0850 885 00 00"
    (answered,) = simulate.build_hipcall_scenario(
        "answered", caller="905321234567", callee=NUMBER, user=12, team=7
    )
    _play(line.webhook_url, [answered[:1]])
    states = real_hass.states()
    assert states[f"sensor.{LINE}_call_state"]["state"] == "ringing"
    assert states[f"sensor.{LINE}_team_7_calls"]["state"] == "1"
    _play(line.webhook_url, [answered[1:2]])
    states = real_hass.states()
    assert states[f"sensor.{LINE}_call_state"]["state"] == "talking"
    assert states[f"binary_sensor.{LINE}_user_12"]["state"] == "on"
    _play(line.webhook_url, [answered[2:]])
    _play(
        line.webhook_url,
        simulate.build_hipcall_scenario("voicemail", callee=NUMBER)
        + simulate.build_hipcall_scenario("outgoing", callee=NUMBER),
    )
    # Not a call, and bodies that are no Hipcall envelope: never a 5xx.
    assert _post(line.webhook_url, HIPCALL_EXAMPLES["hipcall_contact_create"]) == 200
    assert _post(line.webhook_url, b'{"event": "call_hangup", "data": null}') == 400
    assert _post(line.webhook_url, b'{"event": "call_hangup", "data": {}}') == 200
    assert _post(line.webhook_url, b"[" * 10_000) == 400

    states = real_hass.states()
    assert states[f"binary_sensor.{LINE}_line_busy"]["state"] == "off"
    assert states[f"sensor.{LINE}_call_state"]["state"] == "idle"
    assert states[f"binary_sensor.{LINE}_user_12"]["state"] == "off"
    assert states[f"sensor.{LINE}_missed_calls"]["state"] == "1"
    missed = states[f"sensor.{LINE}_last_missed_caller"]["attributes"]
    assert "voicemail_url" not in missed  # a pre-signed link: never kept (issue 24, 3)
    # Answered: the inbound call (an answered outgoing call counts as outgoing only).
    assert states[f"sensor.{LINE}_answered_calls_today"]["state"] == "1"
    assert f"sensor.{LINE}_last_fax_sender" not in states

    real_hass.stop()
    real_hass.start()
    deadline = time.monotonic() + 30
    missed_calls = f"sensor.{LINE}_missed_calls"
    while (state := real_hass.states().get(missed_calls, {}).get("state")) != "1":
        assert time.monotonic() < deadline, state
        time.sleep(0.5)
    states = real_hass.states()
    assert states[f"sensor.{LINE}_answered_calls_today"]["state"] == "1"
    assert f"binary_sensor.{LINE}_user_12" in states  # learned again after the restart

    log = real_hass.log_path.read_text(errors="replace")
    assert "Unhandled exception" not in log
    for traceback in log.split("Traceback (most recent call last)")[1:]:
        head = traceback.split("\n20")[0]
        assert "bulutfon" not in head, head
    assert "905321234567" not in log  # no phone number above debug
