"""Issue 10 in a real Home Assistant process (no browser): hostile text, then a restart.

The in-process harness (tests/test_hostile_input.py) checks the serializers one by one;
here the whole chain runs for real: the fuzzer's request and the same escape in every text
field are posted to the webhook, /api/states must still answer, Home Assistant is stopped
(it saves core.restore_state then: before, that save failed for every entity) and started
again, and the missed-call count and its counted uuids must come back.
"""

from __future__ import annotations

import gzip
import json
import time
import urllib.error
import urllib.request

import pytest

from .conftest import RealHass

pytestmark = pytest.mark.usefixtures("socket_enabled")

NUMBER = "908508850000"
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
CALL_EVENT = f"event.bulutfon_{NUMBER}_call"
REPRODUCER = b'{"event_type":"missing_call","uuid":"x\\ud800","caller":90532000000}'
FIELDS = [
    "hangup_cause",
    "hangup_detail",
    "result_disposition",
    "additional_data",
    "callback_url",
    "cdr_url",
    "cdr_api_url",
    "domain_id",
    "account_id",
    "direction",
]


def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        err.close()
        return err.code


def test_hostile_text_survives_the_api_and_a_restart(real_hass: RealHass) -> None:
    """Accepted, shown by /api/states, saved at stop, restored at start."""
    line = real_hass.add_bulutfon(NUMBER)
    assert _post(line.webhook_url, REPRODUCER) == 200
    for index, field in enumerate(FIELDS):
        body = json.dumps(
            {"event_type": "call_hangup", "uuid": f"c{index}", "talk_duration": 3}
        )
        body = body[:-1] + f', "{field}": "a\\udfffb"}}'
        assert _post(line.webhook_url, body.encode()) == 200, field
    # A body whose Content-Encoding lies: 400, and (below) no traceback in the log.
    bad = _post(line.webhook_url, b"not gzip" * 50, {"Content-Encoding": "gzip"})
    assert bad == 400
    assert (
        _post(line.webhook_url, gzip.compress(b"{}")[:-8], {"Content-Encoding": "gzip"})
        == 400
    )

    states = real_hass.states()  # /api/states: answered 500 for everybody before
    assert states[MISSED_CALLS]["state"] == "1"
    assert states[CALL_EVENT]["attributes"]["direction"] == "A\ufffdB"

    real_hass.stop()  # SIGTERM: Home Assistant saves core.restore_state
    saved = json.loads(
        (real_hass.directory / ".storage" / "core.restore_state").read_text()
    )
    by_entity = {item["state"]["entity_id"]: item for item in saved["data"]}
    assert by_entity[MISSED_CALLS]["extra_data"] == {"value": 1}
    # The calls seen are the line's, in its own store (issue 24, item 5).
    (seen,) = (real_hass.directory / ".storage").glob("bulutfon.*.seen")
    assert json.loads(seen.read_text())["data"]["missed"] == ["x\ufffd"]

    real_hass.start()
    deadline = time.monotonic() + 30
    while (state := real_hass.states().get(MISSED_CALLS, {}).get("state")) != "1":
        assert time.monotonic() < deadline, state
        time.sleep(0.5)
    # The same request again after the restart is a repeat: still one missed call.
    assert _post(line.webhook_url, REPRODUCER) == 200
    assert real_hass.states()[MISSED_CALLS]["state"] == "1"

    log = real_hass.log_path.read_text(errors="replace")
    assert "surrogates not allowed" not in log
    assert "Bad data at" not in log
    assert "Unhandled exception" not in log
    # Tracebacks of other components (see README) may appear; none passes through ours.
    for traceback in log.split("Traceback (most recent call last)")[1:]:
        head = traceback.split("\n20")[0]  # up to the next timestamped log line
        assert "bulutfon" not in head, head
