"""Security checks: credentials, phone numbers in logs and diagnostics, the webhook secret."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
import json
import logging
import re
from typing import Any
from unittest.mock import patch

from aiohttp import encode_basic_auth
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.bulutfon import endpoint
from custom_components.bulutfon.const import (
    ALL_EVENT_TYPES,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    EVENT_BULUTFON,
)

from .conftest import NUMBER, WEBHOOK_ID, Post, start_flow
from .vendor import VENDOR_EXAMPLES, VENDOR_NAMES, as_form

LOGIN = "bulutfon-kullanici"
SECRET = "Gizli-Parola-42"
RIGHT = {"Authorization": encode_basic_auth(LOGIN, SECRET)}
CREDENTIALS = {CONF_USERNAME: LOGIN, CONF_PASSWORD: SECRET}
FORM = "application/x-www-form-urlencoded"
ACTIVE_CALLS = f"sensor.bulutfon_{NUMBER}_active_calls"
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
LINE_BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"

# Callers and callees of the tests, by their significant digits. A number counts as
# leaked in any notation: with or without country code or leading 0, with spaces,
# dashes, dots or parentheses between the digits.
CALLER_DIGITS = ("532000000", "5321234567", "2125556677")


def _notations(digits: str) -> re.Pattern[str]:
    separated = r"[\s().\-]*".join(digits)
    return re.compile(separated)


LEAKS = [_notations(digits) for digits in CALLER_DIGITS]


def _leaks(text: str) -> list[str]:
    return [pattern.pattern for pattern in LEAKS if pattern.search(text)]


def _states(hass: HomeAssistant) -> dict[str, tuple[str, dict[str, Any], Any]]:
    """Every Bulutfon entity's state, attributes and last update, to compare later."""
    return {
        state.entity_id: (state.state, dict(state.attributes), state.last_updated)
        for state in hass.states.async_all()
        if "bulutfon" in state.entity_id
    }


def _event(name: str, **changes: Any) -> dict[str, Any]:
    return {**json.loads(VENDOR_EXAMPLES[name]), **changes}


@pytest.fixture
def fired(hass: HomeAssistant) -> list[Event]:
    """Every bulutfon_event fired during the test."""
    return async_capture_events(hass, EVENT_BULUTFON)


# --- wrong credentials ------------------------------------------------------------------


@pytest.mark.parametrize("entry_options", [CREDENTIALS])
async def test_wrong_credentials_change_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, fired: list[Event]
) -> None:
    """Without the right credentials no event is fired, counted or remembered."""
    assert (await post(_event("call_init", uuid="A"), headers=RIGHT)).status == 200
    assert (await post(_event("missing_call", uuid="B"), headers=RIGHT)).status == 200
    assert hass.states.get(ACTIVE_CALLS).state == "1"
    assert hass.states.get(MISSED_CALLS).state == "1"
    line = entry.runtime_data
    accepted, duplicates = line.accepted, line.duplicates
    fired.clear()
    before = _states(hass)

    wrong_headers: list[dict[str, str]] = [
        {},
        {"Authorization": encode_basic_auth(LOGIN, "wrong")},
        {"Authorization": encode_basic_auth("wrong", SECRET)},
        {"Authorization": encode_basic_auth(LOGIN.upper(), SECRET)},
        {"Authorization": encode_basic_auth(LOGIN, SECRET + "x")},
        {"Authorization": encode_basic_auth(LOGIN, SECRET[:-1])},
        {"Authorization": encode_basic_auth(SECRET, LOGIN)},
        {"Authorization": "Bearer " + SECRET},
        {"Authorization": "Basic " + LOGIN + ":" + SECRET},
    ]
    bodies = [
        _event("call_hangup", uuid="A"),  # would end the active call
        _event("missing_call", uuid="C"),  # would count a missed call
        _event("call_init", uuid="D"),  # would start a call
        _event("fax_init", uuid="E"),
        _event("call_init", event_type="call_transfer", uuid="F"),
    ]
    for headers in wrong_headers:
        for body in bodies:
            response = await post(body, headers=headers)
            assert response.status == HTTPStatus.UNAUTHORIZED, headers
        response = await post(
            as_form(VENDOR_EXAMPLES["missing_call"]), content_type=FORM
        )
        assert response.status == HTTPStatus.UNAUTHORIZED

    assert fired == []
    assert _states(hass) == before
    assert hass.states.get(ACTIVE_CALLS).state == "1"
    assert hass.states.get(LINE_BUSY).state == "on"
    assert hass.states.get(MISSED_CALLS).state == "1"
    assert (line.accepted, line.duplicates) == (accepted, duplicates)

    # Nothing refused was remembered either: the real deliveries are not "repeats".
    assert (await post(_event("call_hangup", uuid="A"), headers=RIGHT)).status == 200
    assert (await post(_event("missing_call", uuid="C"), headers=RIGHT)).status == 200
    assert [event.data["type"] for event in fired] == ["call_hangup", "missing_call"]
    assert hass.states.get(ACTIVE_CALLS).state == "0"
    assert hass.states.get(MISSED_CALLS).state == "2"


@pytest.mark.parametrize("entry_options", [CREDENTIALS])
async def test_credentials_are_compared_in_constant_time(
    entry: MockConfigEntry, post: Post
) -> None:
    """Both user and password go through hmac.compare_digest, even when the user is wrong."""
    calls: list[tuple[bytes, bytes]] = []
    real = endpoint.compare_digest

    def recording(given: Any, expected: Any) -> bool:
        calls.append((given, expected))
        return real(given, expected)

    cases = [
        ("someone-else", SECRET, HTTPStatus.UNAUTHORIZED),
        ("x", "y", HTTPStatus.UNAUTHORIZED),
        (LOGIN, "wrong-password-of-another-length", HTTPStatus.UNAUTHORIZED),
        (LOGIN, SECRET, HTTPStatus.OK),
    ]
    with patch.object(endpoint, "compare_digest", recording):
        for login, password, status in cases:
            calls.clear()
            headers = {"Authorization": encode_basic_auth(login, password)}
            response = await post(VENDOR_EXAMPLES["call_init"], headers=headers)
            assert response.status == status
            compared = {bytes(given) for given, _ in calls} | {
                bytes(expected) for _, expected in calls
            }
            assert len(calls) == 2, login
            assert {login.encode(), LOGIN.encode()} <= compared, login
            assert {password.encode(), SECRET.encode()} <= compared, login


# --- phone numbers in the log -----------------------------------------------------------


def _requests() -> list[tuple[bytes | dict[str, Any], str | None, dict[str, str]]]:
    """Every kind of request and answer, each carrying the callers' numbers."""
    requests: list[tuple[bytes | dict[str, Any], str | None, dict[str, str]]] = []
    for name in VENDOR_NAMES:
        requests.append((VENDOR_EXAMPLES[name], "application/json", RIGHT))
        requests.append((as_form(VENDOR_EXAMPLES[name]), FORM, RIGHT))  # a repeat
    for name in VENDOR_NAMES:
        outgoing = _event(
            name,
            uuid=f"out-{name}",
            caller="+90 532 123 45 67",
            callee="0 (212) 555-66-77",
            direction="OUT",
            destination="905321234567",
        )
        requests.append((outgoing, "application/json", RIGHT))
        requests.append((outgoing, "application/json", RIGHT))  # a repeat
    unknown = _event("call_init", event_type="call_transfer", uuid="t")
    requests += [
        (unknown, "application/json", RIGHT),
        (unknown, "application/json", RIGHT),
        (_event("call_init", uuid="x"), "application/json", {}),  # 401
        (
            _event("call_init", uuid="y"),
            "application/json",
            {"Authorization": encode_basic_auth("05321234567", "905321234567")},
        ),  # 401, with numbers as credentials
        (VENDOR_EXAMPLES["call_init"] + b" " * 70_000, "application/json", RIGHT),
        (
            b'{"event_type": "call_init", "caller": "05321234567", "pad": "'
            + b"0" * 70_000
            + b'"}',
            None,
            RIGHT,
        ),  # 413 (sent chunked-free, detected type)
        (b'{"caller": "905321234567", "event_type": ', "application/json", RIGHT),
        (b'{"caller": "905321234567"}', "application/json", RIGHT),
        (b'{"caller": "905321234567", "event_type": 905321234567}', None, RIGHT),
        (b"caller=905321234567&callee=02125556677", FORM, RIGHT),
        (b"[905321234567]", "application/json", RIGHT),
        (b"905321234567", "text/plain", RIGHT),
    ]
    return requests


@pytest.mark.parametrize(
    "entry_options",
    [
        {
            **CREDENTIALS,
            CONF_EVENTS: ["call_init", "call_hangup", "fax_init"],
            CONF_PHONEBOOK: "0532 000 00 00 = Ayşe\n0532 123 45 67 = Mehmet",
        }
    ],
)
async def test_no_phone_number_in_the_log(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    fired: list[Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """At INFO and above, no event, answer or rejection logs a caller's or callee's number."""
    caplog.set_level(logging.DEBUG)
    statuses: set[int] = set()
    for body, content_type, headers in _requests():
        response = await post(body, content_type=content_type, headers=headers)
        statuses.add(response.status)
    # Every path was taken: accepted, repeats, unselected, unknown, and every rejection.
    assert statuses == {200, 400, 401, 413}
    assert entry.runtime_data.duplicates > 0
    assert {event.data["type"] for event in fired} >= {"call_init", "call_transfer"}
    assert "missing_call" not in {event.data["type"] for event in fired}

    shown = [record for record in caplog.records if record.levelno >= logging.INFO]
    assert shown  # the capture works: there are lines to look at
    for record in shown:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        assert not _leaks(text), f"{record.name}: {text}"
    # The search finds the numbers in the notations the requests used.
    for notation in (
        "90532000000",
        "+90 532 123 45 67",
        "0 (212) 555-66-77",
        "0532-000.000",
    ):
        assert _leaks(notation), notation


# --- diagnostics --------------------------------------------------------------------------


@pytest.fixture
async def diagnostics(hass: HomeAssistant) -> None:
    """The diagnostics component, set up before any HTTP client freezes the routes."""
    assert await async_setup_component(hass, "diagnostics", {})


@pytest.mark.parametrize(
    "entry_options",
    [
        {
            **CREDENTIALS,
            CONF_PHONEBOOK: "90532000000 = Ayşe Yılmaz\n0532 123 45 67 = Mehmet Öz",  # noqa: RUF001
        }
    ],
)
async def test_diagnostics_hold_no_number_credential_or_webhook_id(
    hass: HomeAssistant,
    diagnostics: None,
    entry: MockConfigEntry,
    post: Post,
    hass_client: Callable[..., Any],
) -> None:
    """After a realistic call flow, diagnostics show counters, not personal data."""
    flow = [
        _event("call_init"),
        _event("incoming_call_group"),
        _event("incoming_call_extension"),
        _event("call_hangup"),
        _event("call_init", uuid="call-2", caller="+90 532 123 45 67"),
        _event("missing_call", uuid="call-2", caller="+90 532 123 45 67"),
        _event(
            "call_init",
            uuid="call-3",
            direction="OUT",
            caller="1000",
            callee="0212 555 66 77",
        ),
        _event("call_hangup", uuid="call-3", callee="02125556677"),
        _event("fax_init", uuid="fax-1", caller="905321234567"),
    ]
    for body in flow:
        assert (await post(body, headers=RIGHT)).status == HTTPStatus.OK
    assert (await post(_event("call_init", uuid="call-4"))).status == 401
    assert (await post(b"{", headers=RIGHT)).status == 400

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert result  # diagnostics really were produced
    text = json.dumps(result, ensure_ascii=False)
    assert not _leaks(text), _leaks(text)
    for secret in (
        NUMBER,
        NUMBER[2:],  # the PBX number without the country code
        LOGIN,
        SECRET,
        WEBHOOK_ID,
        WEBHOOK_ID[:16],
        "Ayşe",
        "Yılmaz",  # noqa: RUF001
        "Mehmet",
    ):
        assert secret not in text, secret


# --- the webhook id ---------------------------------------------------------------------


async def _create_entry(hass: HomeAssistant, number: str) -> str:
    result = await start_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_NUMBER: number,
            CONF_EVENTS: list(ALL_EVENT_TYPES),
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    return str(result["result"].data[CONF_WEBHOOK_ID])


async def test_webhook_id_has_256_random_bits(hass: HomeAssistant) -> None:
    """The URL's secret is 64 hex digits (256 bits), different for every entry."""
    assert await async_setup_component(hass, "webhook", {})
    first = await _create_entry(hass, "0850 885 00 00")
    second = await _create_entry(hass, "+90 212 000 00 00")
    for webhook_id in (first, second):
        assert re.fullmatch(r"[0-9a-f]{64}", webhook_id), webhook_id
        # Not a pattern: all sixteen hex digits show up in 64 random ones (almost surely).
        assert len(set(webhook_id)) > 8
    assert first != second
    # Nothing of the one tells the other: no shared prefix as a counter would give.
    assert first[:8] != second[:8]


@pytest.mark.parametrize("entry_options", [CREDENTIALS])
async def test_credentials_warning_names_the_line(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The wrong-credentials warning says which PBX number it is about."""
    assert (await post(_event("call_init", uuid="A"))).status == 401
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.getMessage().startswith("Bulutfon 0850 885 00 00: rejected")
    assert "HTTP 401" in warning.getMessage()
