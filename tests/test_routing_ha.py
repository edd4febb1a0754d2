# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""Call routing through Home Assistant: the routing URL, real scripts, speech, events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from http import HTTPStatus
import json
import logging
from pathlib import Path
import re
from typing import Any, ClassVar
from unittest.mock import AsyncMock, patch
from urllib.parse import urlencode, urlsplit

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import tts
from homeassistant.components.logbook.models import (
    LazyEventPartialState,
    async_event_to_row,
)
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
    Platform,
)
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_capture_events,
    async_fire_time_changed,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.bulutfon.const import (
    CONF_BLOCKED_NUMBERS,
    CONF_CLOUDHOOK_URL,
    CONF_DEFAULT_DESTINATION,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    CONF_ROUTING,
    CONF_ROUTING_SCRIPT,
    CONF_ROUTING_TIMEOUT,
    CONF_ROUTING_WEBHOOK_ID,
    CONF_TTS_ENGINE,
    DOMAIN,
    EVENT_ROUTE,
)
from custom_components.bulutfon.diagnostics import async_get_config_entry_diagnostics
from custom_components.bulutfon.logbook import describe_route
from custom_components.bulutfon.routing import Problem
from custom_components.bulutfon.wording import ROUTE_PHRASES

from .conftest import NUMBER, WEBHOOK_ID, Post
from .test_routing import assert_valid_bfon

FORM = "application/x-www-form-urlencoded"
ROUTING_ID = "fedcba9876543210" * 4
EXTERNAL_URL = "https://office.example.org"
CALLER = "905320000000"
UUID = "f615986c-2001-11e5-bdee-6599352d46ce"
ROUTED = f"sensor.bulutfon_{NUMBER}_routed_calls"
REJECTED = f"sensor.bulutfon_{NUMBER}_rejected_calls"
VOICE = "tts.test_voice"


def _answer(route: dict[str, Any]) -> list[dict[str, Any]]:
    """A script sequence that answers `route` (templates allowed)."""
    return [
        {"variables": {"route": route}},
        {"stop": "routed", "response_variable": "route"},
    ]


SCRIPTS: dict[str, Any] = {
    # Which extension depends on the phone book's name; "1001" renders as a number.
    "by_name": {
        "mode": "parallel",
        "sequence": _answer(
            {
                "action": "dial",
                "destination": "{{ '1001' if caller_name == 'Ayşe' else '1002' }}",
            }
        ),
    },
    # Shows every variable it got in the name the desk phones show.
    "echo": {
        "mode": "parallel",
        "sequence": _answer(
            {
                "action": "dial",
                "destination": "1000",
                "caller_name": "{{ [caller, caller_name, callee, uuid, step, digits]"
                " | join('|') }}",
            }
        ),
    },
    "reject": {"sequence": _answer({"action": "reject"})},
    "hangup_with_message": {
        "sequence": _answer(
            {
                "action": "hangup",
                "play": "https://cdn.example.org/closed.mp3",
                "say": "Bugün kapalıyız",
            }
        )
    },
    "slow": {
        "mode": "parallel",
        "sequence": [{"delay": {"seconds": 30}}, *_answer({"action": "reject"})],
    },
    "failing": {"sequence": [{"action": "bulutfon_test.does_not_exist"}]},
    "thinking": {
        "mode": "parallel",
        "sequence": [
            {"delay": {"milliseconds": 200}},
            {"event": "routing_script_ran"},
            *_answer({"action": "dial", "destination": "1003"}),
        ],
    },
    "silent": {"sequence": [{"delay": 0}]},
    "bad_destination": {
        "sequence": _answer({"action": "dial", "destination": "12345"})
    },
    "unknown_action": {"sequence": _answer({"action": "transfer"})},
    "not_a_mapping": {"sequence": [{"stop": "x", "response_variable": "caller"}]},
    # Asks for a key by voice, then dials by the key pressed.
    "menu": {
        "mode": "parallel",
        "sequence": [
            {
                "if": [{"condition": "template", "value_template": "{{ not digits }}"}],
                "then": _answer(
                    {
                        "gather": {
                            "say": "Satış için 1, destek için 2",
                            "max_digits": 1,
                            "variable": "choice",
                        }
                    }
                ),
            },
            *_answer(
                {
                    "action": "dial",
                    "destination": "{{ {'1': '1001', '2': '1002'}.get(digits, '10') }}",
                }
            ),
        ],
    },
}


def routing_entry(**options: Any) -> MockConfigEntry:
    """A Bulutfon entry with call routing on."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Bulutfon {NUMBER}",
        unique_id=NUMBER,
        data={
            CONF_NUMBER: NUMBER,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
            CONF_CLOUDHOOK_URL: None,
            CONF_ROUTING_WEBHOOK_ID: ROUTING_ID,
        },
        options={
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
            CONF_PHONEBOOK: "0532 000 00 00 = Ayşe",
            CONF_ROUTING: True,
            CONF_DEFAULT_DESTINATION: "1000",
            CONF_BLOCKED_NUMBERS: "0555 111 22 33",
            CONF_ROUTING_TIMEOUT: 3.0,
            **options,
        },
    )


async def _setup(hass: HomeAssistant, **options: Any) -> MockConfigEntry:
    assert await async_setup_component(hass, "script", {"script": SCRIPTS})
    entry = routing_entry(**options)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _route(
    post: Post, *, caller: str = CALLER, uuid: str = UUID, **fields: Any
) -> list[dict[str, Any]]:
    """Ask the routing URL like Bulutfon does (a form); the BFON `seq` it answers."""
    response = await post(
        urlencode({"uuid": uuid, "caller": caller, "callee": NUMBER, **fields}),
        webhook_id=ROUTING_ID,
        content_type=FORM,
    )
    assert response.status == HTTPStatus.OK
    assert response.content_type == "application/json"
    return assert_valid_bfon(await response.read())


def _actions(seq: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(directive["action"], directive["args"]) for directive in seq]


def _dial(destination: str) -> tuple[str, dict[str, Any]]:
    return ("dial", {"destination": destination, "hide_cli_on_diversion": "false"})


# --- the decision order ---------------------------------------------------------------


async def test_no_script_dials_the_default_with_the_phone_book_name(
    hass: HomeAssistant, post: Post
) -> None:
    """Without a script: the default destination, the caller named on the desk phones."""
    await _setup(hass)
    events = async_capture_events(hass, EVENT_ROUTE)
    seq = await _route(post)
    assert _actions(seq) == [
        ("set_caller_name", {"caller_name": "Ayşe"}),
        _dial("1000"),
    ]
    assert _actions(await _route(post, caller="1", uuid="other")) == [_dial("1000")]
    assert events[0].data == {
        "uuid": UUID,
        "caller": CALLER,
        "caller_name": "Ayşe",
        "callee": NUMBER,
        "step": 1,
        "digits": None,
        "action": "dial",
        "destination": "1000",
        "reason": "default",
        "problem": None,
        "destination_name": None,
        "number": NUMBER,
        "device_id": events[0].data["device_id"],
        # The logbook lists decisions under the device by this entity, as call events.
        "entity_id": f"event.bulutfon_{NUMBER}_call",
    }
    assert hass.states.get(ROUTED).state == "2"
    assert hass.states.get(REJECTED).state == "0"


@pytest.mark.parametrize(
    "caller", ["905551112233", "05551112233", "5551112233", "+90 555 111 22 33"]
)
async def test_blocked_caller_is_rejected_before_the_script(
    hass: HomeAssistant, post: Post, caller: str
) -> None:
    """A blocked number, in whatever notation, is rejected; the script never runs."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.failing"})
    events = async_capture_events(hass, EVENT_ROUTE)
    assert _actions(await _route(post, caller=caller)) == [("reject", {})]
    assert events[0].data["reason"] == "blocked"
    assert events[0].data["action"] == "reject"
    assert hass.states.get(REJECTED).state == "1"
    assert hass.states.get("script.failing").attributes.get("last_triggered") is None


async def test_script_decides_with_the_callers_name(
    hass: HomeAssistant, post: Post
) -> None:
    """A real script answers through its response variable; numbers are destinations."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.by_name"})
    events = async_capture_events(hass, EVENT_ROUTE)
    assert _actions(await _route(post)) == [
        ("set_caller_name", {"caller_name": "Ayşe"}),
        _dial("1001"),
    ]
    assert _actions(await _route(post, caller="905559999999", uuid="b")) == [
        _dial("1002")
    ]
    assert [(e.data["reason"], e.data["destination"]) for e in events] == [
        ("script", "1001"),
        ("script", "1002"),
    ]


async def test_script_gets_every_variable(hass: HomeAssistant, post: Post) -> None:
    """caller, caller_name, callee, uuid, step and digits reach the script."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.echo"})
    seq = await _route(post, step="1", unknown_field="tolerated")
    assert seq[0] == {
        "action": "set_caller_name",
        "args": {"caller_name": f"{CALLER}|Ayşe|{NUMBER}|{UUID}|1|None"},
    }


async def test_script_rejects(hass: HomeAssistant, post: Post) -> None:
    """A script may refuse a call: no caller name, just the reject."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.reject"})
    assert _actions(await _route(post)) == [("reject", {})]
    assert hass.states.get(REJECTED).state == "1"


@pytest.mark.parametrize(
    ("script", "problem"),
    [
        ("failing", "failed"),
        ("silent", "no_answer"),
        ("bad_destination", "invalid_destination"),
        ("unknown_action", "invalid_answer"),
        # Home Assistant itself refuses a response variable that is not a mapping.
        ("not_a_mapping", "failed"),
        ("missing", "failed"),
    ],
)
async def test_script_let_down_gives_the_default(
    hass: HomeAssistant,
    post: Post,
    caplog: pytest.LogCaptureFixture,
    script: str,
    problem: str,
) -> None:
    """A failing script, no answer or a wrong one: the default, with a warning."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: f"script.{script}"})
    events = async_capture_events(hass, EVENT_ROUTE)
    with caplog.at_level(logging.WARNING):
        seq = await _route(post)
    assert _actions(seq)[-1] == _dial("1000")
    assert (events[0].data["reason"], events[0].data["problem"]) == (
        "fallback",
        problem,
    )
    warnings = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert any("routing script" in r.getMessage() for r in warnings)
    # Never a phone number in the log above debug level.
    assert not any("532" in r.getMessage() for r in caplog.records)


async def test_slow_script_times_out_to_the_default(
    hass: HomeAssistant, post: Post
) -> None:
    """A script slower than the time limit: the caller rings the default in time."""
    await _setup(
        hass, **{CONF_ROUTING_SCRIPT: "script.slow", CONF_ROUTING_TIMEOUT: 0.5}
    )
    events = async_capture_events(hass, EVENT_ROUTE)
    loop = hass.loop
    started = loop.time()
    seq = await _route(post)
    assert loop.time() - started < 5
    assert _actions(seq)[-1] == _dial("1000")
    assert events[0].data["problem"] == "timeout"


async def test_repeated_step_gets_the_same_answer(
    hass: HomeAssistant, post: Post
) -> None:
    """Bulutfon retrying one step: the same document, one decision, one event."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.by_name"})
    events = async_capture_events(hass, EVENT_ROUTE)
    first = await _route(post, step="1")
    again = await _route(post, step="1")
    assert first == again
    assert len(events) == 1
    assert hass.states.get(ROUTED).state == "1"


async def test_retry_while_the_script_runs_waits_for_the_same_answer(
    hass: HomeAssistant, post: Post
) -> None:
    """Bulutfon asking again before the first answer: the script runs once, both agree."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.thinking"})
    events = async_capture_events(hass, EVENT_ROUTE)
    runs = async_capture_events(hass, "routing_script_ran")
    first, second = await asyncio.gather(_route(post), _route(post))
    assert first == second
    assert _actions(first)[-1] == _dial("1003")
    assert len(runs) == 1
    assert len(events) == 1


# --- a gather round trip, spoken through a test TTS engine ------------------------------


class _TestVoice(tts.TextToSpeechEntity):
    """A text-to-speech engine that "speaks" by tagging the text."""

    _attr_name = "Test voice"
    _attr_unique_id = "test_voice"
    _attr_supported_languages: ClassVar[list[str]] = ["tr", "en"]
    _attr_default_language = "tr"

    def get_tts_audio(
        self, message: str, language: str, options: dict[str, Any]
    ) -> tts.TtsAudioType:
        return ("mp3", b"ID3 spoken: " + message.encode())


@pytest.fixture
async def voice(hass: HomeAssistant, tmp_path: Path) -> AsyncIterator[str]:
    """A TTS entity from a test integration, with its cache in a temporary folder."""

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.TTS])
        return True

    async def setup_platform(
        hass: HomeAssistant,
        entry: ConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_add_entities([_TestVoice()])

    mock_integration(hass, MockModule("test_voice", async_setup_entry=setup_entry))
    mock_platform(hass, "test_voice.config_flow")
    mock_platform(
        hass, "test_voice.tts", MockPlatform(async_setup_entry=setup_platform)
    )
    with (
        mock_config_flow("test_voice", ConfigFlow),
        patch(
            "homeassistant.components.tts._init_tts_cache_dir",
            return_value=str(tmp_path),
        ),
        patch(
            "homeassistant.components.tts.SpeechManager.write_tags",
            side_effect=lambda _name, data, *_args: data,
        ),
    ):
        assert await async_setup_component(hass, tts.DOMAIN, {})
        voice_entry = MockConfigEntry(domain="test_voice")
        voice_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(voice_entry.entry_id)
        await hass.async_block_till_done()
        assert hass.states.get(VOICE) is not None
        yield VOICE


async def test_gather_round_trip_spoken(
    hass: HomeAssistant, voice: str, post: Post, hass_client_no_auth: Any
) -> None:
    """Step 1 asks by voice; step 2 brings the key pressed and dials by it."""
    await hass.config.async_update(external_url=EXTERNAL_URL)
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.menu", CONF_TTS_ENGINE: voice})
    events = async_capture_events(hass, EVENT_ROUTE)

    seq = await _route(post, step="1")
    assert [d["action"] for d in seq] == ["set_caller_name", "gather"]
    asked = seq[-1]["args"]
    assert asked["variable_name"] == "choice"
    assert (asked["min_digits"], asked["max_digits"], asked["max_attempts"]) == (
        1,
        1,
        3,
    )
    url = urlsplit(asked["ask"])
    assert f"{url.scheme}://{url.netloc}" == EXTERNAL_URL
    assert url.path.startswith("/api/tts_proxy/")
    assert url.path.endswith(".mp3")
    # Bulutfon fetches the question without credentials: it is the spoken text.
    client = await hass_client_no_auth()
    audio = await client.get(url.path)
    assert audio.status == HTTPStatus.OK
    assert await audio.read() == "ID3 spoken: Satış için 1, destek için 2".encode()

    seq = await _route(post, step="2", choice="2")
    assert _actions(seq) == [
        ("set_caller_name", {"caller_name": "Ayşe"}),
        _dial("1002"),
    ]
    assert [(e.data["action"], e.data["digits"]) for e in events] == [
        ("gather", None),
        ("dial", "2"),
    ]
    # A call is counted once, when it is routed.
    assert hass.states.get(ROUTED).state == "1"


async def test_say_and_play_before_hangup(
    hass: HomeAssistant, voice: str, post: Post
) -> None:
    """Recordings and spoken text play before the action, in the script's order."""
    await hass.config.async_update(external_url=EXTERNAL_URL)
    await _setup(
        hass,
        **{CONF_ROUTING_SCRIPT: "script.hangup_with_message", CONF_TTS_ENGINE: voice},
    )
    seq = await _route(post)
    assert [d["action"] for d in seq] == ["play", "play", "hangup"]
    assert seq[0]["args"]["url"] == "https://cdn.example.org/closed.mp3"
    assert seq[1]["args"]["url"].startswith(f"{EXTERNAL_URL}/api/tts_proxy/")


def _issue(
    hass: HomeAssistant, entry: MockConfigEntry, kind: str
) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{entry.entry_id}")


async def test_say_without_engine_raises_a_repair(
    hass: HomeAssistant, post: Post
) -> None:
    """No TTS engine: the question cannot be asked, the default rings, a repair says why."""
    await hass.config.async_update(external_url=EXTERNAL_URL)
    entry = await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.menu"})
    events = async_capture_events(hass, EVENT_ROUTE)
    seq = await _route(post)
    assert _actions(seq)[-1] == _dial("1000")
    assert events[0].data["problem"] == "speech_unavailable"
    issue = _issue(hass, entry, "routing_speech")
    assert issue is not None
    assert issue.translation_key == "routing_speech_no_engine"


async def test_say_without_external_url_raises_a_repair(
    hass: HomeAssistant, voice: str, post: Post
) -> None:
    """Bulutfon cannot fetch audio from an internal URL: a repair, then cleared."""
    entry = await _setup(
        hass,
        **{CONF_ROUTING_SCRIPT: "script.hangup_with_message", CONF_TTS_ENGINE: voice},
    )
    seq = await _route(post)
    # The recording still plays; the text is left out.
    assert [d["action"] for d in seq] == ["play", "hangup"]
    issue = _issue(hass, entry, "routing_speech")
    assert issue is not None
    assert issue.translation_key == "routing_speech_no_url"

    await hass.config.async_update(external_url=EXTERNAL_URL)
    seq = await _route(post, uuid="next-call")
    assert [d["action"] for d in seq] == ["play", "play", "hangup"]
    assert _issue(hass, entry, "routing_speech") is None


async def test_failing_script_raises_a_repair_until_it_works(
    hass: HomeAssistant, post: Post
) -> None:
    """Three failures in a row raise an issue; the next usable answer clears it."""
    entry = await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.failing"})
    for index in range(3):
        assert _issue(hass, entry, "routing_script_failing") is None
        await _route(post, uuid=f"call-{index}")
    issue = _issue(hass, entry, "routing_script_failing")
    assert issue is not None
    assert issue.translation_placeholders == {
        "title": entry.title,
        "script": "script.failing",
        "count": "3",
        "timeout": "3",
    }

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"events": ["call_init"], CONF_ROUTING: True}
    )
    assert result["step_id"] == "routing"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_DEFAULT_DESTINATION: "1000",
            CONF_ROUTING_SCRIPT: "script.by_name",
            CONF_ROUTING_TIMEOUT: 3,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    await _route(post, uuid="call-ok")
    assert _issue(hass, entry, "routing_script_failing") is None


# --- the door: the same checks as the events webhook -----------------------------------


async def test_routing_door_checks_like_the_events_door(
    hass: HomeAssistant, post: Post
) -> None:
    """Credentials (401), then size (413), then the body (400); POST only."""
    await _setup(hass, **{CONF_USERNAME: "bulut", CONF_PASSWORD: "s3cret"})
    body = urlencode({"uuid": UUID, "caller": CALLER})
    auth = ("bulut", "s3cret")
    unauthorized = await post(body, webhook_id=ROUTING_ID, content_type=FORM)
    assert unauthorized.status == HTTPStatus.UNAUTHORIZED
    assert "WWW-Authenticate" in unauthorized.headers
    wrong = await post(
        b"x" * (65 * 1024),
        webhook_id=ROUTING_ID,
        content_type=FORM,
        auth=("bulut", "no"),
    )
    assert wrong.status == HTTPStatus.UNAUTHORIZED
    too_big = await post(
        b"x" * (65 * 1024), webhook_id=ROUTING_ID, content_type=FORM, auth=auth
    )
    assert too_big.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    for bad in (
        urlencode({"caller": CALLER}),
        urlencode({"uuid": UUID}),
        "not a form",
    ):
        response = await post(bad, webhook_id=ROUTING_ID, content_type=None, auth=auth)
        assert response.status == HTTPStatus.BAD_REQUEST
    get = await post(body, webhook_id=ROUTING_ID, method="GET", auth=auth)
    assert get.status == HTTPStatus.METHOD_NOT_ALLOWED
    ok = await post(body, webhook_id=ROUTING_ID, content_type=FORM, auth=auth)
    assert ok.status == HTTPStatus.OK
    # JSON works as well.
    ok = await post(
        json.dumps({"uuid": "json-call", "caller": CALLER}),
        webhook_id=ROUTING_ID,
        auth=auth,
    )
    assert ok.status == HTTPStatus.OK
    assert_valid_bfon(await ok.read())


async def test_routing_url_is_not_the_events_url(
    hass: HomeAssistant, post: Post
) -> None:
    """A routing request at the events URL is no event, and the other way round."""
    await _setup(hass)
    events_door = await post(
        urlencode({"uuid": UUID, "caller": CALLER}), content_type=FORM
    )
    assert events_door.status == HTTPStatus.BAD_REQUEST  # no event_type
    routing_door = await post(
        {"event_type": "call_init", "uuid": UUID}, webhook_id=ROUTING_ID
    )
    assert routing_door.status == HTTPStatus.BAD_REQUEST  # no caller


# --- options: turning routing on and off --------------------------------------------------


async def test_options_turn_routing_on_show_the_url_and_off_again(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """On: a new secret URL in the form; off: it stops; on again: another secret."""
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id("sensor", DOMAIN, f"{NUMBER}_routed_calls") is None
    )

    async def turn_on(default: str = "1000") -> Any:
        result = await hass.config_entries.options.async_init(entry.entry_id)
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"events": ["call_init"], CONF_ROUTING: True}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "routing"
        url = result["description_placeholders"]["routing_url"]
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_DEFAULT_DESTINATION: default}
        )
        return url, result

    url, result = await turn_on("12345")
    assert result["errors"] == {
        CONF_DEFAULT_DESTINATION: "invalid_destination",
        "base": "routing_local_only",  # no external URL in these tests
    }
    assert result["description_placeholders"]["routing_url"] == url
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_DEFAULT_DESTINATION: "10"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    routing_id = entry.data[CONF_ROUTING_WEBHOOK_ID]
    assert routing_id != entry.data[CONF_WEBHOOK_ID]
    assert url.endswith(f"/api/webhook/{routing_id}")
    response = await post(
        urlencode({"uuid": UUID, "caller": CALLER}),
        webhook_id=routing_id,
        content_type=FORM,
    )
    assert response.status == HTTPStatus.OK
    assert assert_valid_bfon(await response.read())[-1]["args"]["destination"] == "10"
    assert hass.states.get(ROUTED).state == "1"

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"events": ["call_init"], CONF_ROUTING: False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert CONF_ROUTING_WEBHOOK_ID not in entry.data
    gone = await post(
        urlencode({"uuid": UUID, "caller": CALLER}),
        webhook_id=routing_id,
        content_type=FORM,
    )
    assert gone.status == HTTPStatus.OK  # Home Assistant's answer for unknown webhooks
    assert await gone.read() == b""
    assert hass.states.get(ROUTED) is None

    second_url, result = await turn_on()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert second_url != url
    # The routing options came back as they were.
    assert entry.options[CONF_DEFAULT_DESTINATION] == "1000"


# --- visible: logbook, diagnostics ---------------------------------------------------------


AYSE = "Ayşe (0532 000 00 00)"


@pytest.mark.parametrize(
    ("data", "english", "turkish"),
    [
        (
            {"reason": "blocked", "action": "reject"},
            f"Call rejected: {AYSE}, blocked number",
            f"Arama reddedildi: {AYSE}, engelli numara",
        ),
        (
            {"reason": "script", "action": "reject"},
            f"Call rejected: {AYSE}, by the routing script",
            f"Arama reddedildi: {AYSE}, yönlendirme betiği",
        ),
        (
            {"reason": "script", "action": "hangup"},
            f"Call ended by routing: {AYSE}, by the routing script",
            f"Arama yönlendirmede sonlandırıldı: {AYSE}, yönlendirme betiği",
        ),
        (
            {
                "reason": "script",
                "action": "dial",
                "destination": "1001",
                "destination_name": "Zeynep",
            },
            f"Call routed: {AYSE} → Zeynep (extension 1001)",
            f"Arama yönlendirildi: {AYSE} → Zeynep (dahili 1001)",
        ),
        (
            {"reason": "script", "action": "dial", "destination": "905551112233"},
            f"Call routed: {AYSE} → 0555 111 22 33",
            f"Arama yönlendirildi: {AYSE} → 0555 111 22 33",
        ),
        (
            {"reason": "default", "action": "dial", "destination": "10"},
            f"Call routed: {AYSE} → voice menu 10, the default destination",
            f"Arama yönlendirildi: {AYSE} → sesli menü 10, varsayılan hedef",
        ),
        (
            {
                "reason": "fallback",
                "action": "dial",
                "destination": "1000",
                "problem": "timeout",
            },
            (
                f"Call routed: {AYSE} → extension 1000, the default destination: "
                "the routing script took too long"
            ),
            (
                f"Arama yönlendirildi: {AYSE} → dahili 1000, varsayılan hedef: "
                "yönlendirme betiği çok uzun sürdü"
            ),
        ),
        (
            {"reason": "script", "action": "gather"},
            f"Caller asked to press keys: {AYSE}",
            f"Arayandan tuşlama istendi: {AYSE}",
        ),
    ],
)
def test_logbook_lines(data: dict[str, Any], english: str, turkish: str) -> None:
    """Each decision reads as a line, in English and in Turkish, with an icon."""
    data = {"number": NUMBER, "caller": CALLER, "caller_name": "Ayşe", **data}
    for language, line in (("en", english), ("tr", turkish)):
        described = describe_route(data, language)
        assert described["message"] == line
        assert described["name"] == "Bulutfon 0850 885 00 00"
        assert described["icon"] in {
            "mdi:phone-forward",
            "mdi:phone-cancel",
            "mdi:phone-hangup",
            "mdi:dialpad",
        }


async def test_diagnostics_show_routing_without_numbers(
    hass: HomeAssistant, post: Post
) -> None:
    """Counters and recent decisions, but no number, id or secret."""
    entry = await _setup(
        hass,
        **{
            CONF_ROUTING_SCRIPT: "script.failing",
            CONF_DEFAULT_DESTINATION: "05321112233",
        },
    )
    await _route(post)
    await _route(post, caller="05551112233", uuid="blocked-call")
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    routing = diagnostics["routing"]
    assert routing["enabled"] is True
    assert routing["decisions"] == {"blocked": 1, "fallback": 1}
    assert routing["script_problems"] == {"failed": 1}
    assert routing["blocked_numbers"] == 1
    text = json.dumps(diagnostics)
    for secret in (ROUTING_ID, UUID, "532", "555", "05321112233"):
        assert secret not in text


# --- the README's example script is a working script --------------------------------------


def _readme_script() -> dict[str, Any]:
    readme = (Path(__file__).parent.parent / "docs" / "routing.md").read_text(
        encoding="utf-8"
    )
    block = readme.split("A script that routes by office hours")[1]
    block = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    return yaml_util.parse_yaml(block)["script"]


async def test_readme_example_script(
    hass: HomeAssistant, voice: str, post: Post
) -> None:
    """The README's office-hours script, as printed, routes a call through a question."""
    await hass.config.async_update(external_url=EXTERNAL_URL)
    hass.states.async_set("schedule.office_hours", "off")
    assert await async_setup_component(hass, "script", {"script": _readme_script()})
    entry = routing_entry(
        **{CONF_ROUTING_SCRIPT: "script.route_calls", CONF_TTS_ENGINE: voice}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert (await _route(post, step="1"))[-1]["action"] == "gather"
    assert _actions(await _route(post, step="2", choice="1"))[-1] == _dial(
        "05321112233"
    )
    hass.states.async_set("schedule.office_hours", "on")
    assert _actions(await _route(post, uuid="day-call"))[-1] == _dial("10")


# --- more of what a user notices ----------------------------------------------------------


async def test_logbook_describes_route_events(hass: HomeAssistant) -> None:
    """The logbook's describe registry turns bulutfon_route into a named line."""
    await _setup(hass)
    hass.config.components.add("recorder")  # logbook's dependency, not needed here
    assert await async_setup_component(hass, "logbook", {})
    await hass.async_block_till_done()
    domain, describe_event = hass.data["logbook"].external_events[EVENT_ROUTE]
    assert domain == DOMAIN
    event = Event(
        EVENT_ROUTE,
        {
            "number": NUMBER,
            "caller": CALLER,
            "caller_name": None,
            "action": "reject",
            "reason": "blocked",
        },
    )
    described = describe_event(LazyEventPartialState(async_event_to_row(event), {}))
    assert described["message"] == "Call rejected: 0532 000 00 00, blocked number"
    hass.config.language = "tr"
    described = describe_event(LazyEventPartialState(async_event_to_row(event), {}))
    assert described["message"] == "Arama reddedildi: 0532 000 00 00, engelli numara"
    assert described["icon"] == "mdi:phone-cancel"


async def test_todays_counts_survive_a_restart_and_reset_at_midnight(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory
) -> None:
    """The counts are today's: kept across a restart the same day, 0 after midnight."""
    await hass.config.async_set_time_zone("Europe/Istanbul")
    freezer.move_to("2026-05-04T10:00:00+03:00")
    entry = await _setup(hass)
    await _route(post)
    await _route(post, caller="05551112233", uuid="blocked")
    assert (hass.states.get(ROUTED).state, hass.states.get(REJECTED).state) == (
        "1",
        "1",
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert (hass.states.get(ROUTED).state, hass.states.get(REJECTED).state) == (
        "1",
        "1",
    )
    freezer.move_to("2026-05-05T00:00:01+03:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert (hass.states.get(ROUTED).state, hass.states.get(REJECTED).state) == (
        "0",
        "0",
    )


async def test_routing_page_warns_of_a_local_only_url(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A routing URL only the local network reaches (127.0.0.1) is flagged on its page,
    without refusing the settings; an external URL takes the warning away."""

    async def routing_page() -> Any:
        result = await hass.config_entries.options.async_init(entry.entry_id)
        return await hass.config_entries.options.async_configure(
            result["flow_id"], {"events": ["call_init"], CONF_ROUTING: True}
        )

    await hass.config.async_update(internal_url="http://127.0.0.1:8123")
    result = await routing_page()
    assert result["description_placeholders"]["routing_url"].startswith(
        "http://127.0.0.1:8123/api/webhook/"
    )
    assert result["errors"] == {"base": "routing_local_only"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_DEFAULT_DESTINATION: "10"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    await hass.config.async_update(external_url="https://example.duckdns.org")
    result = await routing_page()
    assert result["step_id"] == "routing"
    assert result["errors"] == {}


async def test_every_routing_string_is_translated(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """The routing page's fields, its error, the sensors and repairs, in both languages."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"events": ["call_init"], CONF_ROUTING: True}
    )
    keys = {str(key) for key in result["data_schema"].schema}
    used = {"options.step.routing.title", "options.step.routing.description"}
    used |= {f"options.step.routing.data.{key}" for key in keys}
    used |= {f"options.step.routing.data_description.{key}" for key in keys}
    used |= {
        "options.step.init.data.routing",
        "options.error.invalid_destination",
        "options.error.routing_local_only",
        "entity.sensor.routed_calls.name",
        "entity.sensor.rejected_calls.name",
    }
    for issue in (
        "routing_script_failing",
        "routing_speech_no_engine",
        "routing_speech_no_url",
    ):
        used |= {f"issues.{issue}.title", f"issues.{issue}.description"}
    for language in ("en", "tr"):
        path = Path(__file__).parent.parent / "custom_components" / DOMAIN
        texts = json.loads(
            (path / "translations" / f"{language}.json").read_text(encoding="utf-8")
        )
        for key in used:
            node: Any = texts
            for part in key.split("."):
                node = node[part]
            assert isinstance(node, str), (language, key)
            assert node.strip(), (language, key)


async def test_routing_with_cloud_makes_and_deletes_a_cloudhook(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """With Home Assistant Cloud the routing URL is a cloudhook, deleted when turned off."""
    hass.config.components.add("cloud")
    with (
        patch(
            "homeassistant.components.cloud.async_active_subscription",
            return_value=True,
        ),
        patch("homeassistant.components.cloud.async_is_connected", return_value=True),
        patch(
            "homeassistant.components.cloud.async_create_cloudhook",
            AsyncMock(return_value="https://hooks.nabu.casa/routing"),
        ) as create,
        patch(
            "homeassistant.components.cloud.async_delete_cloudhook", AsyncMock()
        ) as delete,
    ):
        result = await hass.config_entries.options.async_init(entry.entry_id)
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"events": ["call_init"], CONF_ROUTING: True}
        )
        assert (
            result["description_placeholders"]["routing_url"]
            == "https://hooks.nabu.casa/routing"
        )
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_DEFAULT_DESTINATION: "1000"}
        )
        await hass.async_block_till_done()
        routing_id = entry.data[CONF_ROUTING_WEBHOOK_ID]
        create.assert_awaited_once_with(hass, routing_id)
        assert entry.data["routing_cloudhook_url"] == "https://hooks.nabu.casa/routing"

        result = await hass.config_entries.options.async_init(entry.entry_id)
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"events": ["call_init"], CONF_ROUTING: False}
        )
        await hass.async_block_till_done()
        delete.assert_awaited_once_with(hass, routing_id)
        assert "routing_cloudhook_url" not in entry.data


def test_route_wording_is_complete_in_both_languages() -> None:
    """Every routing phrase exists in English and Turkish, and every problem is worded."""
    english, turkish = ROUTE_PHRASES["en"], ROUTE_PHRASES["tr"]
    assert english.keys() == turkish.keys()
    assert {problem.value for problem in Problem} <= english.keys()
    for key, text in english.items():
        assert set(re.findall(r"\{(\w+)\}", text)) == set(
            re.findall(r"\{(\w+)\}", turkish[key])
        ), key
