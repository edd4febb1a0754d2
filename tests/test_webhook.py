"""The webhook endpoint through real HTTP posts: statuses, their order, and bus events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from http import HTTPStatus
import json
import logging
from typing import Any

from aiohttp import ClientResponse, encode_basic_auth
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bulutfon.const import ALL_EVENT_TYPES, DOMAIN, EVENT_BULUTFON

from .conftest import NUMBER, WEBHOOK_ID, Post
from .vendor import NORMALISED_FIELDS, VENDOR_EXAMPLES, VENDOR_NAMES, as_form

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
LIMIT = 64 * 1024
UUID = "f615986c-2001-11e5-bdee-6599352d46ce"
CALL_TIME = "2015-07-01T15:00:51.086820+00:00"
ACTIVE_CALLS = f"sensor.bulutfon_{NUMBER}_active_calls"
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
LINE_BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"


def _start(kind: str, destination: str | None = None) -> dict[str, Any]:
    return {
        "type": kind,
        "uuid": UUID,
        "caller": "90532000000",
        "callee": NUMBER,
        "destination": destination,
        "direction": "IN",
        "timestamp": CALL_TIME,
        "domain_id": "1234",
        "account_id": "5678",
    }


CDR = "2021/02/25/f615986c-2001-11e5-bdee-6599352d46ce"
EXPECTED: dict[str, dict[str, Any]] = {
    "call_init": _start("call_init"),
    "incoming_call_extension": _start("call_init_extension", "1000"),
    "incoming_call_group": _start("call_init_group", "111"),
    "call_init_menu": _start("call_init_menu", "10"),
    "fax_init": _start("fax_init"),
    "missing_call": _start("missing_call"),
    "call_hangup": {
        "type": "call_hangup",
        "uuid": UUID,
        "caller": "90532000000",
        "callee": NUMBER,
        "direction": "IN",
        "timestamp": "2021-02-25T13:59:42+00:00",
        "talk_duration": 35,
        "hangup_cause": "NORMAL_CLEARING",
        "hangup_detail": "send_bye",
        "result_disposition": "SUCCESS",
        "cdr_url": f"https://oim.bulutfon.com/account/pbx/call-records/{CDR}",
        "cdr_api_url": f"https://api.bulutfon.com/v2/cdr/{CDR}",
    },
}
"""What each vendor example must fire; normalised fields not listed must be None."""

ALIASES = {
    "missed_call": "missing_call",
    "incoming_call_extension": "call_init_extension",
    "incoming_call_group": "call_init_group",
    "call_init_manu": "call_init_menu",
    **{name: name for name in ALL_EVENT_TYPES},
}


@pytest.fixture
def fired(hass: HomeAssistant) -> list[Event]:
    """Every bulutfon_event fired during the test."""
    return async_capture_events(hass, EVENT_BULUTFON)


def _states(hass: HomeAssistant) -> dict[str, tuple[str, dict[str, Any], Any]]:
    """Every Bulutfon entity's state, attributes and last update, to compare later."""
    return {
        state.entity_id: (state.state, dict(state.attributes), state.last_updated)
        for state in hass.states.async_all()
        if "bulutfon" in state.entity_id
    }


async def _raw_post(
    hass: HomeAssistant,
    client: Any,
    body: bytes | AsyncIterator[bytes],
    headers: dict[str, str] | None = None,
) -> ClientResponse:
    """POST exactly these headers: no Content-Type unless given (aiohttp adds one)."""
    response = await client.post(
        f"/api/webhook/{WEBHOOK_ID}",
        data=body,
        headers=headers or {},
        skip_auto_headers=["Content-Type"],
    )
    await hass.async_block_till_done()
    return response


async def _chunks(body: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    """A body sent chunked, without a Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [(name, encoding) for name in VENDOR_NAMES for encoding in ("json", "form")],
)
async def test_vendor_examples_fire_one_normalised_event(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    name: str,
    encoding: str,
) -> None:
    """Each example of the vendor document, as JSON and as a form, fires its event once."""
    fired = async_capture_events(hass, EVENT_BULUTFON)
    body = VENDOR_EXAMPLES[name]
    if encoding == "form":
        response = await post(as_form(body), content_type=FORM)
    else:
        response = await post(body)

    assert response.status == HTTPStatus.OK
    assert len(fired) == 1
    data = fired[0].data
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), entry.entry_id
    )
    assert device is not None
    assert data["number"] == NUMBER
    assert data["device_id"] == device.id
    expected = EXPECTED[name]
    assert data["type"] == expected["type"]
    for field in NORMALISED_FIELDS:
        assert data[field] == expected.get(field), field
    # Values are what the issue promises: strings for numbers, never an int round trip.
    assert isinstance(data["caller"], str)
    assert isinstance(data["callee"], str)


async def test_every_alias_fires_the_canonical_type(
    entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Both spellings of a type fire the canonical name."""
    for index, (sent, canonical) in enumerate(ALIASES.items()):
        response = await post({"event_type": sent, "uuid": f"alias-{index}"})
        assert response.status == HTTPStatus.OK, sent
        assert fired[-1].data["type"] == canonical, sent
    assert len(fired) == len(ALIASES)


@pytest.mark.parametrize("entry_options", [{"events": ["call_hangup"]}])
async def test_unknown_types_fire_as_sent_whatever_the_selection(
    entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """A type the integration does not know is answered 200 and fired as it was sent."""
    response = await post(
        {"event_type": "call_transfer", "uuid": "u-1", "caller": "+90 532 000 00 00"}
    )
    assert response.status == HTTPStatus.OK
    assert len(fired) == 1
    assert fired[0].data["type"] == "call_transfer"
    assert fired[0].data["caller"] == "905320000000"
    assert fired[0].data["number"] == NUMBER


@pytest.mark.parametrize("entry_options", [{"events": ["call_hangup", "fax_init"]}])
async def test_types_not_selected_are_answered_but_not_fired(
    entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Unselected types get 200 and no bus event; selected ones still fire."""
    for name in ("call_init", "missing_call", "incoming_call_group"):
        response = await post(VENDOR_EXAMPLES[name])
        assert response.status == HTTPStatus.OK
    assert fired == []
    # The same unselected type by its alias is not fired either.
    response = await post({"event_type": "missed_call", "uuid": "other"})
    assert response.status == HTTPStatus.OK
    assert fired == []

    response = await post(VENDOR_EXAMPLES["call_hangup"])
    assert response.status == HTTPStatus.OK
    response = await post(VENDOR_EXAMPLES["fax_init"], content_type=None)
    assert response.status == HTTPStatus.OK
    assert [event.data["type"] for event in fired] == ["call_hangup", "fax_init"]


async def test_repeated_deliveries_are_answered_but_fired_once(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """The same (uuid, type) again, in either format or spelling, is not fired again."""
    assert (await post(VENDOR_EXAMPLES["call_init"])).status == HTTPStatus.OK
    assert (await post(VENDOR_EXAMPLES["call_init"])).status == HTTPStatus.OK
    response = await post(as_form(VENDOR_EXAMPLES["call_init"]), content_type=FORM)
    assert response.status == HTTPStatus.OK
    assert len(fired) == 1

    # missing_call and its alias missed_call are one type.
    assert (await post(VENDOR_EXAMPLES["missing_call"])).status == HTTPStatus.OK
    alias = json.loads(VENDOR_EXAMPLES["missing_call"])
    alias["event_type"] = "missed_call"
    assert (await post(alias)).status == HTTPStatus.OK
    assert [event.data["type"] for event in fired] == ["call_init", "missing_call"]
    assert hass.states.get(MISSED_CALLS).state == "1"

    # Another type of the same call is not a repeat.
    assert (await post(VENDOR_EXAMPLES["call_hangup"])).status == HTTPStatus.OK
    assert [event.data["type"] for event in fired] == [
        "call_init",
        "missing_call",
        "call_hangup",
    ]


async def test_events_without_uuid_are_never_repeats(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Without a uuid nothing tells two deliveries apart: each one fires."""
    body = {"event_type": "missing_call", "caller": "90532000000"}
    for _ in range(3):
        assert (await post(body)).status == HTTPStatus.OK
    assert (await post({**body, "uuid": ""})).status == HTTPStatus.OK
    assert (await post({**body, "uuid": "null"})).status == HTTPStatus.OK
    assert len(fired) == 5
    assert all(event.data["uuid"] is None for event in fired)
    assert hass.states.get(MISSED_CALLS).state == "5"


@pytest.mark.parametrize("method", ["GET", "PUT"])
async def test_only_post_is_allowed(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    fired: list[Event],
    method: str,
) -> None:
    """GET and PUT get 405 and change nothing."""
    before = _states(hass)
    response = await post(VENDOR_EXAMPLES["call_init"], method=method)
    assert response.status == HTTPStatus.METHOD_NOT_ALLOWED
    assert fired == []
    assert _states(hass) == before


CREDENTIALS = {"username": "bulutfon", "password": "gizli-sifre"}
GOOD = ("bulutfon", "gizli-sifre")
TOO_BIG_VALID = VENDOR_EXAMPLES["call_init"] + b" " * LIMIT
TOO_BIG_INVALID = b"{" * (LIMIT + 1)


def _auth(login: str, password: str) -> dict[str, str]:
    return {"Authorization": encode_basic_auth(login, password)}


@pytest.mark.parametrize("entry_options", [CREDENTIALS])
async def test_checks_run_in_order_auth_size_body(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Credentials first (even for a huge or broken body), then size, then the body."""
    call = VENDOR_EXAMPLES["call_init"]
    cases: list[tuple[bytes, dict[str, str], HTTPStatus]] = [
        (call, {}, HTTPStatus.UNAUTHORIZED),
        (call, _auth("bulutfon", "wrong"), HTTPStatus.UNAUTHORIZED),
        (call, _auth("other", "gizli-sifre"), HTTPStatus.UNAUTHORIZED),
        (call, _auth("", ""), HTTPStatus.UNAUTHORIZED),
        (call, _auth("Bulutfon", "gizli-sifre"), HTTPStatus.UNAUTHORIZED),
        (call, _auth("bulutfon", "gizli-sifre "), HTTPStatus.UNAUTHORIZED),
        (TOO_BIG_VALID, {}, HTTPStatus.UNAUTHORIZED),
        (TOO_BIG_INVALID, _auth("bulutfon", "wrong"), HTTPStatus.UNAUTHORIZED),
        (b"not json at all", {}, HTTPStatus.UNAUTHORIZED),
        (b"[]", _auth("x", "y"), HTTPStatus.UNAUTHORIZED),
        (TOO_BIG_VALID, _auth(*GOOD), HTTPStatus.REQUEST_ENTITY_TOO_LARGE),
        (TOO_BIG_INVALID, _auth(*GOOD), HTTPStatus.REQUEST_ENTITY_TOO_LARGE),
        (b"not json at all", _auth(*GOOD), HTTPStatus.BAD_REQUEST),
        (b'{"uuid": "x"}', _auth(*GOOD), HTTPStatus.BAD_REQUEST),
    ]
    before = _states(hass)
    for index, (body, headers, status) in enumerate(cases):
        response = await post(body, headers=headers)
        assert response.status == status, index
        if status == HTTPStatus.UNAUTHORIZED:
            assert response.headers["WWW-Authenticate"].startswith("Basic"), index
        else:
            assert "WWW-Authenticate" not in response.headers, index
    assert fired == []
    assert _states(hass) == before
    assert entry.runtime_data.rejected == {401: 10, 413: 2, 400: 2}
    assert entry.runtime_data.accepted == 0

    response = await post(call, headers=_auth(*GOOD))
    assert response.status == HTTPStatus.OK
    assert len(fired) == 1
    assert hass.states.get(LINE_BUSY).state == "on"


@pytest.mark.parametrize("entry_options", [CREDENTIALS])
async def test_malformed_authorization_is_401(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """A broken Authorization header is a plain 401, never a crash or a pass."""
    headers = [
        "Bearer abc",
        "Basic",
        "Basic ",
        "Basic !!!not-base64!!!",
        encode_basic_auth(*GOOD) + "x",
        encode_basic_auth(*GOOD) + "==",
        "Basic YnVsdXRmb24=",  # "bulutfon" with no colon and no password
        "Basic //79",  # not UTF-8 once decoded
        encode_basic_auth(*GOOD).replace("Basic ", "Digest "),
    ]
    before = _states(hass)
    for header in headers:
        response = await post(
            VENDOR_EXAMPLES["call_init"], headers={"Authorization": header}
        )
        assert response.status == HTTPStatus.UNAUTHORIZED, header
        assert response.headers["WWW-Authenticate"].startswith("Basic"), header
    assert fired == []
    assert _states(hass) == before


@pytest.mark.parametrize("entry_options", [CREDENTIALS])
async def test_credentials_in_lower_case_scheme_pass(
    entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """The right credentials are accepted (the auth scheme is case-insensitive)."""
    header = encode_basic_auth(*GOOD).replace("Basic", "basic")
    response = await post(
        VENDOR_EXAMPLES["call_init"], headers={"Authorization": header}
    )
    assert response.status == HTTPStatus.OK
    assert len(fired) == 1


@pytest.mark.parametrize(
    "entry_options", [{"username": "müşteri", "password": "gizli-şifre"}]
)
async def test_non_ascii_credentials_in_utf8(
    entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Turkish letters in the credentials work when the client sends them in UTF-8."""
    good = encode_basic_auth("müşteri", "gizli-şifre")
    wrong = encode_basic_auth("müşteri", "gizli-sifre")
    body = VENDOR_EXAMPLES["call_init"]
    assert (await post(body, headers={"Authorization": wrong})).status == 401
    assert fired == []
    assert (await post(body, headers={"Authorization": good})).status == 200
    assert len(fired) == 1


async def test_no_credentials_configured_ignores_authorization(
    entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Without configured credentials any (or no) Authorization header is accepted."""
    response = await post(VENDOR_EXAMPLES["call_init"], headers=_auth("a", "b"))
    assert response.status == HTTPStatus.OK
    assert (await post(VENDOR_EXAMPLES["fax_init"])).status == HTTPStatus.OK
    assert len(fired) == 2


def _padded(size: int) -> bytes:
    """A valid call_init JSON body padded with white space to exactly `size` bytes."""
    body = VENDOR_EXAMPLES["call_init"]
    return body + b" " * (size - len(body))


async def test_size_limit_is_64_kib_with_content_length(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """64 KiB is accepted; one byte more is 413 and processes nothing."""
    before = _states(hass)
    response = await post(_padded(LIMIT + 1))
    assert response.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert fired == []
    assert _states(hass) == before

    response = await post(_padded(LIMIT))
    assert response.status == HTTPStatus.OK
    assert len(fired) == 1


async def test_size_limit_holds_for_chunked_bodies(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: Any,
    fired: list[Event],
) -> None:
    """Without a Content-Length the body is read only up to the limit, then 413."""
    client = await hass_client_no_auth()
    headers = {"Content-Type": JSON}
    before = _states(hass)
    for size in (LIMIT + 1, 4 * LIMIT):
        response = await _raw_post(hass, client, _chunks(_padded(size)), headers)
        assert response.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        assert "Transfer-Encoding" in response.request_info.headers
    assert fired == []
    assert _states(hass) == before

    response = await _raw_post(hass, client, _chunks(_padded(LIMIT)), headers)
    assert response.status == HTTPStatus.OK
    assert len(fired) == 1


BAD_BODIES: list[tuple[bytes, str | None]] = [
    (b"not json", JSON),
    (b'{"event_type": "call_init"', JSON),
    (b"\xff\xfe{}", JSON),
    (b"[]", JSON),
    (b'[{"event_type": "call_init"}]', JSON),
    (b'"call_init"', JSON),
    (b"42", JSON),
    (b"null", JSON),
    (b"[" * 100_00 + b"]" * 100_00, JSON),
    (b"{}", JSON),
    (b'{"uuid": "x", "caller": "90532000000"}', JSON),
    (b'{"event_type": ""}', JSON),
    (b'{"event_type": "   "}', JSON),
    (b'{"event_type": null}', JSON),
    (b'{"event_type": 5}', JSON),
    (b'{"event_type": true}', JSON),
    (b'{"event_type": ["call_init"]}', JSON),
    (b'{"event_type": {"name": "call_init"}}', JSON),
    (b"uuid=x&caller=90532000000", FORM),
    (b"event_type=&uuid=x", FORM),
    (b"", FORM),
    (b"", JSON),
    (b"", None),
    (b"just some text", None),
    (b"just some text", "text/plain"),
    (b"[1, 2]", None),
]


async def test_bad_bodies_are_400_with_a_short_plain_message(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: Any,
    post: Post,
    fired: list[Event],
) -> None:
    """Unparsable bodies, non-objects and a missing or bad event_type are 400."""
    assert (await post(VENDOR_EXAMPLES["call_init"])).status == HTTPStatus.OK
    fired.clear()
    before = _states(hass)
    client = await hass_client_no_auth()

    for body, content_type in BAD_BODIES:
        headers = {} if content_type is None else {"Content-Type": content_type}
        response = await _raw_post(hass, client, body, headers)
        assert response.status == HTTPStatus.BAD_REQUEST, body[:40]
        assert response.content_type == "text/plain", body[:40]
        text = await response.text()
        assert 0 < len(text) <= 80, body[:40]
        assert "90532000000" not in text

    assert fired == []
    assert _states(hass) == before
    assert hass.states.get(ACTIVE_CALLS).state == "1"
    assert entry.runtime_data.rejected[HTTPStatus.BAD_REQUEST] == len(BAD_BODIES)


CALL_INIT_FORM = as_form(VENDOR_EXAMPLES["call_init"])
GOOD_BODIES: list[tuple[bytes, str | None]] = [
    (VENDOR_EXAMPLES["call_init"], "application/json; charset=utf-8"),
    (VENDOR_EXAMPLES["call_init"], "Application/JSON"),
    (CALL_INIT_FORM, FORM),
    (CALL_INIT_FORM, f"{FORM}; charset=UTF-8"),
    (VENDOR_EXAMPLES["call_init"], None),
    (CALL_INIT_FORM, None),
    (VENDOR_EXAMPLES["call_init"], "text/plain"),
    (VENDOR_EXAMPLES["call_init"], "application/octet-stream"),
    (CALL_INIT_FORM, "text/plain"),
]


async def test_content_types(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: Any,
    fired: list[Event],
) -> None:
    """JSON and forms are read whatever the Content-Type says, or when it says nothing."""
    client = await hass_client_no_auth()
    for index, (body, content_type) in enumerate(GOOD_BODIES):
        headers = {} if content_type is None else {"Content-Type": content_type}
        # A fresh uuid each time, so that no delivery is a repeat of the one before.
        fresh = body.replace(UUID.encode(), f"uuid-{index}".encode())
        response = await _raw_post(hass, client, fresh, headers)
        assert response.status == HTTPStatus.OK, (index, content_type)
        assert len(fired) == index + 1, (index, content_type)
        data = fired[-1].data
        expected = {**EXPECTED["call_init"], "uuid": f"uuid-{index}"}
        for field in NORMALISED_FIELDS:
            assert data[field] == expected.get(field), (index, field)


async def test_non_utf8_form_is_accepted(
    entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Latin-5 bytes in a form (raw or percent-encoded) do not break the event."""
    body = (
        b"event_type=call_init&uuid=latin-1&caller=%2B90+532+000+00+00"
        b"&direction=in&additional_data=M\xfc\xfeteri+%FD%F0"
    )
    response = await post(body, content_type=FORM)
    assert response.status == HTTPStatus.OK
    assert len(fired) == 1
    data = fired[0].data
    assert data["type"] == "call_init"
    assert data["uuid"] == "latin-1"
    assert data["caller"] == "905320000000"
    assert data["direction"] == "IN"
    assert isinstance(data["additional_data"], str)

    response = await post(b"event_type=fax%FFinit&uuid=x", content_type=FORM)
    assert response.status == HTTPStatus.OK
    assert len(fired) == 2
    assert fired[1].data["type"] == "fax\ufffdinit"


async def test_absurd_values_do_not_break_entities(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    fired: list[Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 300-digit "caller" or a 1e308 s call is no number: accepted, never a broken state.

    Home Assistant refuses states over 255 characters with an ERROR and shows "unknown".
    """
    assert (await post(VENDOR_EXAMPLES["call_hangup"])).status == HTTPStatus.OK
    duration = f"sensor.bulutfon_{NUMBER}_last_call_duration"
    assert hass.states.get(duration).state == "0.58334"  # 35 s, in minutes
    long_digits = "9" * 300
    bodies: list[bytes | dict[str, Any]] = [
        {"event_type": "call_init", "uuid": "a", "caller": long_digits},
        {"event_type": "fax_init", "uuid": "b", "caller": "+" + " 1" * 200},
        b'{"event_type": "missing_call", "uuid": "c", "caller": ' + b"7" * 400 + b"}",
        {"event_type": "call_hangup", "uuid": "a", "talk_duration": 1e308},
        {"event_type": "call_hangup", "uuid": "d", "talk_duration": "1e308"},
        b'{"event_type": "call_hangup", "uuid": "e", "talk_duration": 1'
        + b"0" * 300
        + b"}",
    ]
    for body in bodies:
        assert (await post(body)).status == HTTPStatus.OK
    assert len(fired) == 1 + len(bodies)
    for event in fired[1:]:
        assert event.data["caller"] is None
        assert event.data["talk_duration"] is None
    for state in hass.states.async_all():
        assert len(state.state) <= 255, state.entity_id
    assert hass.states.get(duration).state == "0.58334"  # 35 s, in minutes
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
