"""Hostile input cannot poison Home Assistant (issue 10), tested through its own harness.

An outside fuzzer once broke the whole instance with one request: a JSON "\\ud800" escape
decodes to a lone surrogate, which Home Assistant's serializer (orjson) refuses. Here the
fuzzer's request, and the same escape in every text field, go through the real endpoint;
then /api/states, a websocket subscriber and the restore-state save must all still work.
Also: the length limits, the answers to bodies that do not decode (without tracebacks in
the log), and the decision on a gzip body cut before its trailer.
"""

from __future__ import annotations

import gzip
from http import HTTPStatus
import json
import logging
from typing import Any
import zlib

from homeassistant.core import HomeAssistant
from homeassistant.helpers import restore_state as rs
from homeassistant.helpers.json import json_bytes
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.bulutfon.const import EVENT_BULUTFON
from custom_components.bulutfon.protocol import (
    MAX_FREE_TEXT_LENGTH,
    MAX_ID_LENGTH,
    MAX_URL_LENGTH,
)

from .conftest import NUMBER, Post

REPRODUCER = b'{"event_type":"missing_call","uuid":"x\\ud800","caller":90532000000}'
CALL_EVENT = f"event.bulutfon_{NUMBER}_call"
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
LAST_MISSED_CALLER = f"sensor.bulutfon_{NUMBER}_last_missed_caller"
LAST_CALL_DURATION = f"sensor.bulutfon_{NUMBER}_last_call_duration"
# Every text field issue 10 lists, with the event type that shows it on an entity.
FIELDS = {
    "uuid": "missing_call",
    "hangup_cause": "call_hangup",
    "hangup_detail": "call_hangup",
    "result_disposition": "call_hangup",
    "additional_data": "call_init",
    "callback_url": "call_init",
    "cdr_url": "call_hangup",
    "cdr_api_url": "call_hangup",
    "domain_id": "call_init",
    "account_id": "call_init",
    "direction": "call_init",
}
CREDENTIALS = {"username": "bulutfon", "password": "gizli"}


@pytest.fixture
async def api(hass: HomeAssistant) -> None:
    """Home Assistant's REST and websocket APIs, as the frontend uses them."""
    assert await async_setup_component(hass, "api", {})
    assert await async_setup_component(hass, "websocket_api", {})


def _body(field: str, value: str) -> bytes:
    """A vendor-like event whose `field` carries `value` as a raw JSON string token."""
    event: dict[str, Any] = {
        "event_type": FIELDS[field],
        "uuid": f"call-{field}",
        "caller": 90532000000,
        "talk_duration": 35,
    }
    text = json.dumps(event)
    return (text[:-1] + f', "{field}": "{value}"}}').encode()


async def _assert_home_assistant_still_works(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """/api/states answers, every state and the restore data serialize, and save."""
    client = await hass_client()
    response = await client.get("/api/states")
    assert response.status == HTTPStatus.OK
    for state in hass.states.async_all():
        json_bytes(state.as_dict())
        response = await client.get(f"/api/states/{state.entity_id}")
        assert response.status == HTTPStatus.OK, state.entity_id
    stored = rs.async_get(hass).async_get_stored_states()
    assert any(item.state.entity_id == MISSED_CALLS for item in stored)
    json_bytes([item.as_dict() for item in stored])
    await rs.async_get(hass).async_dump_states()


async def test_the_fuzzers_request(  # noqa: PLR0917
    hass: HomeAssistant,
    api: None,
    entry: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The reproducer: accepted, counted once, and nothing of Home Assistant breaks."""
    websocket = await hass_ws_client(hass)
    await websocket.send_json_auto_id(
        {"type": "subscribe_events", "event_type": EVENT_BULUTFON}
    )
    assert (await websocket.receive_json())["success"]

    response = await post(REPRODUCER)
    assert response.status == HTTPStatus.OK

    # The subscriber gets the event (before: "surrogates not allowed", and it was lost).
    message = await websocket.receive_json()
    assert message["type"] == "event"
    assert message["event"]["data"]["uuid"] == "x\ufffd"
    assert message["event"]["data"]["caller"] == "90532000000"
    assert hass.states.get(MISSED_CALLS).state == "1"
    event_state = hass.states.get(CALL_EVENT)
    assert event_state.attributes["uuid"] == "x\ufffd"
    await _assert_home_assistant_still_works(hass, hass_client)
    assert "surrogates not allowed" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    # Bulutfon (or the attacker) sends it again: a repeat, not a second missed call.
    assert (await post(REPRODUCER)).status == HTTPStatus.OK
    assert hass.states.get(MISSED_CALLS).state == "1"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("nested", [False, True], ids=["top", "nested"])
async def test_every_text_field(  # noqa: PLR0917
    hass: HomeAssistant,
    api: None,
    entry: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
    field: str,
    nested: bool,
) -> None:
    """The same escape in each listed field, at the top level or in a nested object."""
    fired = async_capture_events(hass, EVENT_BULUTFON)
    body = _body(field, "a\\ud800b\\u0000")
    if nested:  # an older payload shape: the details in a nested object
        data = json.loads(body)
        inner = {key: data.pop(key) for key in list(data) if key != "event_type"}
        body = json.dumps({**data, "call": inner}).encode()
    assert (await post(body)).status == HTTPStatus.OK
    assert len(fired) == 1
    expected = "A\ufffdB\ufffd" if field == "direction" else "a\ufffdb\ufffd"
    assert fired[0].data[field] == expected
    json_bytes(fired[0].data)
    assert hass.states.get(CALL_EVENT).attributes[field] == expected
    await _assert_home_assistant_still_works(hass, hass_client)


async def test_unknown_event_type_with_a_surrogate(
    hass: HomeAssistant,
    api: None,
    entry: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
) -> None:
    """An unknown type is fired as sent, and kept as sent, minus what cannot be stored."""
    fired = async_capture_events(hass, EVENT_BULUTFON)
    assert (await post(b'{"event_type": "call_transfer\\udc00"}')).status == 200
    assert fired[0].data["type"] == "call_transfer\ufffd"
    json_bytes(fired[0].data)
    await _assert_home_assistant_still_works(hass, hass_client)


async def test_form_bodies_follow_the_same_rule(
    hass: HomeAssistant,
    api: None,
    entry: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
) -> None:
    """Percent-encoded garbage in a form: replaced, accepted, serializable."""
    fired = async_capture_events(hass, EVENT_BULUTFON)
    body = b"event_type=missing_call&uuid=x%ED%A0%80%00&hangup_cause=%FF&caller=90532"
    response = await post(body, content_type="application/x-www-form-urlencoded")
    assert response.status == HTTPStatus.OK
    assert fired[0].data["uuid"] == "x\ufffd\ufffd\ufffd\ufffd"
    await _assert_home_assistant_still_works(hass, hass_client)


async def test_length_limits_keep_attributes_small(
    hass: HomeAssistant,
    api: None,
    entry: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
) -> None:
    """A 40 KB additional_data is cut; over-long ids and links are dropped.

    Whatever is sent, every entity's attributes stay well under the recorder's 16 KiB.
    """
    fired = async_capture_events(hass, EVENT_BULUTFON)
    wide = "\U0001f4de"
    event = {
        "event_type": "call_hangup",
        "uuid": "call-1",
        "caller": 90532000000,
        "talk_duration": 35,
        "additional_data": "crm-42 " + "x" * 40_000,
        "hangup_cause": "C" * (MAX_ID_LENGTH + 1),
        "hangup_detail": wide * MAX_ID_LENGTH,
        "result_disposition": wide * MAX_ID_LENGTH,
        "cdr_url": "https://x/" + "u" * MAX_URL_LENGTH,
        "cdr_api_url": "https://x/" + wide * (MAX_URL_LENGTH - 10),
        "callback_url": "https://x/" + wide * (MAX_URL_LENGTH - 10),
    }
    assert (await post(event)).status == HTTPStatus.OK
    data = fired[0].data
    assert data["additional_data"] == ("crm-42 " + "x" * 40_000)[:MAX_FREE_TEXT_LENGTH]
    assert data["hangup_cause"] is None  # dropped: a cut code would be another code
    assert data["cdr_url"] is None  # dropped: a cut link leads nowhere
    assert data["hangup_detail"] == wide * MAX_ID_LENGTH  # at the limit: kept
    assert (
        hass.states.get(CALL_EVENT).attributes["additional_data"]
        == (data["additional_data"])
    )
    for state in hass.states.async_all():
        assert len(json_bytes(dict(state.attributes))) < 10 * 1024, state.entity_id
    await _assert_home_assistant_still_works(hass, hass_client)


# --- bodies that do not decode: answered, and no traceback in the log -------------------

GARBAGE = b"this is not compressed data at all " * 40


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.levelno >= logging.ERROR
        or (record.exc_info and record.levelno >= logging.WARNING)
    ]


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "zstd"])
async def test_undecodable_body_is_400_without_traceback(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    caplog: pytest.LogCaptureFixture,
    encoding: str,
) -> None:
    """A Content-Encoding that lies: 400, the connection closed, nothing in the log.

    Before, aiohttp read the body again after the answer and logged the decoding error
    as an "Unhandled exception" traceback through endpoint.py, once per request.
    """
    response = await post(GARBAGE, headers={"Content-Encoding": encoding})
    assert response.status == HTTPStatus.BAD_REQUEST
    assert await response.text() == "body could not be read"
    assert response.headers["Connection"] == "close"
    assert entry.runtime_data.rejected[HTTPStatus.BAD_REQUEST] == 1
    assert _errors(caplog) == []


@pytest.mark.parametrize("entry_options", [CREDENTIALS])
@pytest.mark.parametrize("size", [1, 40], ids=["small", "large"])
async def test_refused_undecodable_body_leaves_no_traceback(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    caplog: pytest.LogCaptureFixture,
    size: int,
) -> None:
    """401 and 413 answers read the rest of the body first (bounded), so aiohttp has
    nothing left to fail on after the answer; its content is never looked at."""
    garbage = GARBAGE * size * 100
    unauthorized = await post(
        garbage, headers={"Content-Encoding": "gzip"}, auth=("bulutfon", "yanlis")
    )
    assert unauthorized.status == HTTPStatus.UNAUTHORIZED
    assert unauthorized.headers["WWW-Authenticate"].startswith("Basic")
    too_large = await post(
        garbage + b" " * 70_000,
        headers={"Content-Encoding": "deflate"},
        auth=("bulutfon", "gizli"),
    )
    assert too_large.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert _errors(caplog) == []
    assert hass.states.get(MISSED_CALLS).state == "0"


# --- a gzip body cut before its trailer: accepted when what decodes is complete ---------

HANGUP = json.dumps(
    {
        "event_type": "call_hangup",
        "uuid": "cut-1",
        "caller": 90532000000,
        "talk_duration": 35,
    }
).encode()


@pytest.mark.parametrize("cut", [8, 4, 1])
async def test_gzip_cut_before_its_trailer_is_accepted(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, cut: int
) -> None:
    """The decision (README): aiohttp hands over what decoded; a complete event counts.

    aiohttp checks the end of a deflate stream only; of a gzip body (whose 8-byte trailer
    holds a checksum and the length) the integration never sees the compressed bytes.
    What decoded is parsed like any body: complete JSON is an event, a cut one is 400.
    """
    packed = gzip.compress(HANGUP)[:-cut]
    response = await post(packed, headers={"Content-Encoding": "gzip"})
    assert response.status == HTTPStatus.OK
    assert hass.states.get(LAST_CALL_DURATION).state == "0.58334"


async def test_body_cut_inside_the_event_is_400(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Cut inside the data, what decodes is no complete JSON: 400, nothing changes."""
    packed = gzip.compress(HANGUP)
    response = await post(
        packed[: len(packed) // 2], headers={"Content-Encoding": "gzip"}
    )
    assert response.status == HTTPStatus.BAD_REQUEST
    assert hass.states.get(LAST_CALL_DURATION).state == "unknown"


async def test_deflate_cut_short_is_400(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """aiohttp itself refuses a deflate stream without its end (400)."""
    packed = zlib.compress(HANGUP)[:-4]
    response = await post(packed, headers={"Content-Encoding": "deflate"})
    assert response.status == HTTPStatus.BAD_REQUEST
    assert hass.states.get(LAST_CALL_DURATION).state == "unknown"
