"""A Hipcall line in Home Assistant: its flows, its door, its entities, and what surrounds them.

Hipcall bodies come from tests/fixtures/hipcall_*.json (built from the vendor's field lists):
one inbound call to team 7 that user 12 answers and that is recorded, a missed call with a
voicemail, a contact event that is no call.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    translation,
)
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.restore_state import async_get as async_get_restore_data
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_get_device_automations,
    async_mock_service,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bulutfon.const import (
    ALL_EVENT_TYPES,
    CONF_CLOUDHOOK_URL,
    CONF_DAILY_RESET,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    CONF_PLATFORM,
    CONF_ROUTING,
    DOMAIN,
    EVENT_BULUTFON,
    HIPCALL_EVENT_TYPES,
    PLATFORM_BULUTFON,
    PLATFORM_HIPCALL,
)
from custom_components.bulutfon.logbook import describe

from .conftest import NUMBER, WEBHOOK_ID, Post, make_entry, start_flow
from .test_blueprints import setup_automation
from .vendor import HIPCALL_EXAMPLES, VENDOR_EXAMPLES

TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations"
)
LINE = f"bulutfon_{NUMBER}"
LINE_BUSY = f"binary_sensor.{LINE}_line_busy"
CALL_STATE = f"sensor.{LINE}_call_state"
ACTIVE_CALLS = f"sensor.{LINE}_active_calls"
LAST_CALLER = f"sensor.{LINE}_last_caller"
MISSED_CALLS = f"sensor.{LINE}_missed_calls"
LAST_MISSED_CALLER = f"sensor.{LINE}_last_missed_caller"
LAST_CALL_DURATION = f"sensor.{LINE}_last_call_duration"
LAST_FAX_SENDER = f"sensor.{LINE}_last_fax_sender"
CALL_EVENT = f"event.{LINE}_call"
USER_12 = f"binary_sensor.{LINE}_user_12"
TEAM_7 = f"sensor.{LINE}_team_7_calls"
ANSWERED_TODAY = f"sensor.{LINE}_answered_calls_today"
TALK_TIME_TODAY = f"sensor.{LINE}_talk_time_today"
RECORD_URL = "https://records.hipcall.com.tr/5f0c2b9e.mp3"


def _body(name: str, **data: Any) -> dict[str, Any]:
    """A Hipcall example, with some of its call fields changed."""
    body: dict[str, Any] = json.loads(HIPCALL_EXAMPLES[name])
    body["data"] = {**body["data"], **data}
    return body


def make_hipcall_entry(**options: Any) -> MockConfigEntry:
    """A Hipcall entry as the config flow creates it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Hipcall 0850 885 00 00",
        unique_id=NUMBER,
        version=1,
        minor_version=3,
        data={
            CONF_NUMBER: NUMBER,
            CONF_PLATFORM: PLATFORM_HIPCALL,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
            CONF_CLOUDHOOK_URL: None,
        },
        options={CONF_EVENTS: HIPCALL_EVENT_TYPES, **options},
    )


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def hipcall(hass: HomeAssistant) -> MockConfigEntry:
    """A loaded Hipcall entry for 908508850000."""
    return await _setup(hass, make_hipcall_entry())


def hipcall_entry_id(hass: HomeAssistant) -> str:
    """The id of the one Hipcall entry."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    return entry.entry_id


def state(hass: HomeAssistant, entity_id: str) -> State:
    """The entity's state; it must exist."""
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found


# --- the config flow ------------------------------------------------------------------------


async def test_hipcall_flow_creates_a_line_without_credentials(
    hass: HomeAssistant,
) -> None:
    """Hipcall in the menu: the office number and the events, no user name or password; the
    dialog says where the URL goes in Hipcall and which events to tick."""
    await async_process_ha_core_config(hass, {"external_url": "https://ev.example.com"})
    result = await start_flow(hass, PLATFORM_HIPCALL)
    # No user name or password; the optional API token and its region (issue 18).
    assert {str(key) for key in result["data_schema"].schema} == {
        CONF_NUMBER,
        CONF_EVENTS,
        "api_token",
        "region",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NUMBER: "+90 850 885 00 00"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Hipcall 0850 885 00 00"
    assert result["description"] == "hipcall"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert placeholders["webhook_url"].startswith("https://ev.example.com/api/webhook/")
    assert placeholders["number"] == "0850 885 00 00"
    entry = result["result"]
    assert entry.unique_id == NUMBER
    assert entry.minor_version == 4
    assert entry.data[CONF_PLATFORM] == PLATFORM_HIPCALL
    assert entry.data[CONF_NUMBER] == NUMBER
    assert entry.options == {CONF_EVENTS: HIPCALL_EVENT_TYPES}
    assert CONF_USERNAME not in entry.options
    english = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    dialog = english["config"]["create_entry"]["hipcall"]
    assert "Settings > Integrations > Create New Integration > Webhook" in dialog
    for event in ("call_init", "call_bridged", "call_hangup"):
        assert f"**{event}**" in dialog


async def test_unreachable_hipcall_url_is_said_first(hass: HomeAssistant) -> None:
    """Without an external URL or cloud, the dialog says Hipcall cannot reach it yet."""
    result = await start_flow(hass, PLATFORM_HIPCALL)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NUMBER: "0850 885 00 00"}
    )
    assert result["description"] == "hipcall_unreachable"


@pytest.mark.parametrize("existing", [PLATFORM_HIPCALL, PLATFORM_BULUTFON])
async def test_second_entry_for_the_same_office_aborts(
    hass: HomeAssistant, existing: str
) -> None:
    """The office number identifies the webhook: a second entry for it aborts, whichever
    platform the first one is on."""
    first = make_hipcall_entry() if existing == PLATFORM_HIPCALL else make_entry()
    first.add_to_hass(hass)
    result = await start_flow(hass, PLATFORM_HIPCALL)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NUMBER: "0850 885 00 00"}
    )
    assert result["type"] is FlowResultType.ABORT
    # Issue 32: a classic line's number says where it is set up, not just "already".
    assert result["reason"] == (
        "already_configured"
        if existing == PLATFORM_HIPCALL
        else "configured_on_bulutfon"
    )


async def test_hipcall_flow_rejects_a_bad_number_and_no_events(
    hass: HomeAssistant,
) -> None:
    """The number is checked as for classic lines; at least one event is needed."""
    result = await start_flow(hass, PLATFORM_HIPCALL)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NUMBER: "12", CONF_EVENTS: []}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_NUMBER: "invalid_office_number",
        CONF_EVENTS: "no_events",
    }


async def test_hipcall_options_have_no_routing(
    hass: HomeAssistant, hipcall: MockConfigEntry
) -> None:
    """Options: events (Hipcall's), phone book, daily reset; no BulutfonXM routing."""
    result = await hass.config_entries.options.async_init(hipcall.entry_id)
    assert result["step_id"] == "hipcall"
    keys = {str(key) for key in result["data_schema"].schema}
    assert keys == {CONF_EVENTS, CONF_PHONEBOOK, CONF_DAILY_RESET}
    assert CONF_ROUTING not in keys
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_EVENTS: HIPCALL_EVENT_TYPES,
            CONF_PHONEBOOK: "12 = Ayşe",
            CONF_DAILY_RESET: True,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert hipcall.options[CONF_PHONEBOOK] == "12 = Ayşe"
    assert hipcall.options[CONF_DAILY_RESET] is True


async def test_hipcall_phone_book_error_names_the_line(
    hass: HomeAssistant, hipcall: MockConfigEntry
) -> None:
    """A Hipcall line's phone book error says which line, like a classic line's: the
    error text's placeholders are filled, never shown as {line}."""
    result = await hass.config_entries.options.async_init(hipcall.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_EVENTS: HIPCALL_EVENT_TYPES, CONF_PHONEBOOK: "12 = Ayşe\nno name here"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PHONEBOOK: "invalid_phonebook"}
    placeholders = result["description_placeholders"]
    assert placeholders["line"] == "2"
    assert placeholders["line_text"] == "no name here"


async def test_hipcall_reconfigure_only_issues_a_new_url(
    hass: HomeAssistant, hipcall: MockConfigEntry
) -> None:
    """No credentials to change on Hipcall: Reconfigure offers a new secret URL only."""
    result = await hipcall.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_hipcall"
    # No credentials: a new URL, and the optional API token (issue 18).
    assert {str(key) for key in result["data_schema"].schema} == {
        "new_url",
        "api_token",
        "region",
        "remove_api_token",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"new_url": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_hipcall_successful"
    assert hipcall.data[CONF_WEBHOOK_ID] != WEBHOOK_ID
    assert hipcall.data[CONF_PLATFORM] == PLATFORM_HIPCALL


def _has(texts: dict[str, Any], path: str) -> bool:
    node: Any = texts
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return isinstance(node, str) and bool(node.strip())


@pytest.mark.parametrize("language", ["en", "tr"])
def test_every_new_flow_string_is_translated(language: str) -> None:
    """The platform menu and the Hipcall steps read in English and in Turkish."""
    texts = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
    paths = [
        "config.step.user.title",
        "config.step.user.description",
        *(
            f"config.step.user.{part}.{platform}"
            for part in ("menu_options", "menu_option_descriptions")
            for platform in (PLATFORM_BULUTFON, PLATFORM_HIPCALL)
        ),
        *(
            f"config.step.hipcall.{part}"
            for part in (
                "title",
                "description",
                "data.number",
                "data.events",
                "data_description.number",
                "data_description.events",
            )
        ),
        "config.step.reconfigure_hipcall.data.new_url",
        "config.create_entry.hipcall",
        "config.create_entry.hipcall_unreachable",
        "config.abort.reconfigure_hipcall_successful",
        "options.step.hipcall.title",
        "options.step.hipcall.description",
        *(
            f"options.step.hipcall.{part}.{key}"
            for part in ("data", "data_description")
            for key in (CONF_EVENTS, CONF_PHONEBOOK, CONF_DAILY_RESET)
        ),
        *(f"selector.events.options.{name}" for name in HIPCALL_EVENT_TYPES),
        *(
            f"entity.sensor.call_state.state.{name}"
            for name in ("idle", "ringing", "talking", "in_call")
        ),
        "entity.sensor.team_calls.name",
        "device.user.name",
    ]
    assert [path for path in paths if not _has(texts, path)] == []
    assert (
        texts["config"]["step"]["hipcall"]["title"]
        != (texts["config"]["step"]["bulutfon"]["title"])
    )


# --- the migration --------------------------------------------------------------------------


async def test_entry_as_0_2_0_left_it_becomes_classic(
    hass: HomeAssistant, post: Post
) -> None:
    """An entry 0.2.0 made (version 1.2, options and all) gains `platform: bulutfon`, and
    nothing else changes: the same title, data, options and a working line."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Bulutfon 0850 885 00 00",
        unique_id=NUMBER,
        version=1,
        minor_version=2,
        data={
            CONF_NUMBER: NUMBER,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
            CONF_CLOUDHOOK_URL: None,
        },
        options={
            CONF_EVENTS: ALL_EVENT_TYPES,
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
            CONF_PHONEBOOK: "0532 123 45 67 = Ayşe",
            CONF_DAILY_RESET: True,
            CONF_ROUTING: False,
        },
    )
    options = dict(entry.options)
    await _setup(hass, entry)
    assert (entry.version, entry.minor_version) == (1, 4)
    assert entry.data == {
        CONF_NUMBER: NUMBER,
        CONF_WEBHOOK_ID: WEBHOOK_ID,
        CONF_CLOUDHOOK_URL: None,
        CONF_PLATFORM: PLATFORM_BULUTFON,
    }
    assert entry.options == options
    assert entry.title == "Bulutfon 0850 885 00 00"
    assert hass.states.get(LAST_FAX_SENDER) is not None  # classic: the fax is there
    assert (await post(VENDOR_EXAMPLES["call_init"])).status == 200
    await hass.async_block_till_done()
    assert state(hass, LINE_BUSY).state == "on"
    # Classic Bulutfon never says a call was answered: "In call" until it ends.
    assert state(hass, CALL_STATE).state == "in_call"
    assert state(hass, CALL_STATE).attributes["options"] == ["idle", "in_call"]


# --- the door -------------------------------------------------------------------------------


async def test_an_answered_hipcall_call_drives_every_entity(
    hass: HomeAssistant, hipcall: MockConfigEntry, post: Post
) -> None:
    """init (waits at team 7) -> bridged (user 12 talks) -> hangup (108 s, recorded)."""
    bus = async_capture_events(hass, EVENT_BULUTFON)
    assert (await post(HIPCALL_EXAMPLES["hipcall_call_init"])).status == 200
    await hass.async_block_till_done()
    assert state(hass, LINE_BUSY).state == "on"
    assert state(hass, CALL_STATE).state == "ringing"
    assert state(hass, ACTIVE_CALLS).state == "1"
    assert state(hass, TEAM_7).state == "1"
    assert state(hass, LAST_CALLER).state == "0532 123 45 67"

    assert (await post(HIPCALL_EXAMPLES["hipcall_call_bridged"])).status == 200
    await hass.async_block_till_done()
    assert state(hass, CALL_STATE).state == "talking"
    assert state(hass, TEAM_7).state == "0"
    assert state(hass, USER_12).state == "on"
    assert state(hass, LAST_CALLER).attributes["user_id"] == "12"
    assert state(hass, CALL_EVENT).attributes["event_type"] == "call_answered"

    assert (await post(HIPCALL_EXAMPLES["hipcall_call_hangup"])).status == 200
    await hass.async_block_till_done()
    assert state(hass, LINE_BUSY).state == "off"
    assert state(hass, CALL_STATE).state == "idle"
    assert state(hass, USER_12).state == "off"
    duration = state(hass, LAST_CALL_DURATION)
    assert duration.state == "1.8"
    assert duration.attributes["answered"] is True
    assert duration.attributes["user_id"] == "12"
    assert duration.attributes["hangup_cause"] == "contact"
    assert state(hass, ANSWERED_TODAY).state == "1"
    assert state(hass, TALK_TIME_TODAY).state != "0"

    assert [event.data["type"] for event in bus] == [
        "call_init",
        "call_answered",
        "call_hangup",
    ]
    classic_keys = {
        "type",
        "uuid",
        "caller",
        "callee",
        "caller_name",
        "callee_name",
        "direction",
        "timestamp",
        "talk_duration",
        "hangup_cause",
        "number",
        "device_id",
        "entity_id",
    }
    for event in bus:
        assert classic_keys <= event.data.keys()
        assert event.data["platform"] == PLATFORM_HIPCALL
        assert event.data["number"] == NUMBER
    # Every state is still one Home Assistant can serialize.
    json_bytes([item.as_dict() for item in hass.states.async_all()])


async def test_a_missed_hipcall_call_with_voicemail(
    hass: HomeAssistant, hipcall: MockConfigEntry, post: Post
) -> None:
    """A call_hangup with missing_call true: counted missed once, its voicemail linked."""
    body = HIPCALL_EXAMPLES["hipcall_missed_call"]
    assert (await post(body)).status == 200
    assert (await post(body)).status == 200  # Hipcall repeating itself
    await hass.async_block_till_done()
    assert state(hass, MISSED_CALLS).state == "1"
    assert state(hass, LAST_CALL_DURATION).state == "0.0"
    assert state(hass, CALL_STATE).state == "idle"


async def test_media_links_are_kept_out_of_the_recorder(
    hass: HomeAssistant, hipcall: MockConfigEntry, post: Post
) -> None:
    """The recording and voicemail links are pre-signed: whoever reads the database could
    listen. They reach no bus event (the recorder keeps every one), no state and no
    restore data (issue 24, item 3)."""
    bus = async_capture_events(hass, EVENT_BULUTFON)
    links = []
    for name in ("hipcall_call_hangup", "hipcall_missed_call"):
        data = json.loads(HIPCALL_EXAMPLES[name])["data"]
        links.append(data["record_url"] or data["voicemail_url"])
        assert (await post(HIPCALL_EXAMPLES[name])).status == 200
    await hass.async_block_till_done()
    assert len(bus) == 2
    kept = [
        json.dumps([event.data for event in bus]),
        json.dumps([item.as_dict() for item in hass.states.async_all()], default=str),
        json.dumps(
            [
                stored.as_dict()
                for stored in async_get_restore_data(hass).async_get_stored_states()
            ],
            default=str,
        ),
    ]
    for link in links:
        assert link.startswith("https://")
        for text in kept:
            assert link not in text


async def test_non_call_events_are_answered_and_ignored(
    hass: HomeAssistant,
    hipcall: MockConfigEntry,
    post: Post,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """contact_create (and task, deal events): 200, nothing fired, no log above debug."""
    bus = async_capture_events(hass, EVENT_BULUTFON)
    caplog.set_level("DEBUG")
    for body in (
        HIPCALL_EXAMPLES["hipcall_contact_create"],
        {"event": "task_create", "data": {"id": 1}},
        {"event": "contact_center::contact_create", "data": {}},
    ):
        assert (await post(body)).status == 200
    await hass.async_block_till_done()
    assert bus == []
    assert hipcall.runtime_data.accepted == 0
    assert [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.bulutfon")
        and record.levelname != "DEBUG"
    ] == []


def _hostile_bodies() -> list[tuple[str, bytes, bool]]:
    """(name, body, well-formed call event?) for every class of hostile Hipcall body."""
    init: dict[str, Any] = json.loads(HIPCALL_EXAMPLES["hipcall_call_init"])
    fields = list(init["data"])
    nested = {"a": [{"b": {"c": [None, 1e308, "\ud800"]}}]}
    bodies: list[tuple[str, bytes, bool]] = [
        ("not json", b"{not json", False),
        ("a list", b"[1, 2]", False),
        ("empty object", b"{}", False),
        ("event not text", b'{"event": 5, "data": {}}', False),
        ("no data", b'{"event": "call_init"}', False),
        ("data a list", b'{"event": "call_init", "data": []}', False),
        (
            "nesting",
            b'{"event": "call_init", "data": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            False,
        ),
        ("plain text", b"hello", False),
    ]

    def call(
        name: str, data: dict[str, Any], event: str = "call_hangup", *, ok: bool = True
    ) -> None:
        body = json.dumps({"event": event, "data": data}).encode()
        bodies.append((name, body, ok))

    call("everything null", dict.fromkeys(fields))
    call("empty data", {})
    # Garbage in an id or in missing_call is a 400 (issue 24, item 7).
    call("nested garbage everywhere", dict.fromkeys(fields, nested), ok=False)
    call("numbers as objects", {**init["data"], "caller_number": {"x": 1}})
    call("lists for scalars", {key: [1, "2"] for key in fields}, ok=False)
    call(
        "times that do not parse",
        {
            **init["data"],
            "started_at": "yesterday",
            "bridged_at": "2024-13-45T99:99:99Z",
            "ended_at": "∞",
        },
    )
    call("huge numbers", {**init["data"], "call_duration": 10**100, "user_id": 10**30})
    call("lone surrogates", dict.fromkeys(fields, "x\ud800"), ok=False)
    call("booleans as text", {**init["data"], "missing_call": "true"})
    call("unknown call event", init["data"], "call_transferred")
    call(
        "2023 envelope, garbage",
        {"event_type": "call_state", "number": [1]},
        "call::hangup",
    )
    call("bridged without init", {"uuid": "lonely", "user_id": "12"}, "call_bridged")
    call("very long text", {**init["data"], "uuid": "u" * 10_000})
    return bodies


async def test_no_hostile_body_gets_a_5xx_at_the_hipcall_door(
    hass: HomeAssistant,
    hipcall: MockConfigEntry,
    post: Post,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Hipcall marks a webhook Broken after a few 5xx: every class of hostile body is
    answered below 500, every well-formed call event with 200, without a traceback, and
    Home Assistant can still serialize every state afterwards."""
    answers = {}
    for name, body, call_event in _hostile_bodies():
        response = await post(body)
        answers[name] = response.status
        if call_event:
            assert response.status == 200, (name, await response.text())
        else:
            assert response.status == 400, name
    await hass.async_block_till_done()
    assert all(status < 500 for status in answers.values())
    assert "Traceback" not in caplog.text
    json_bytes([item.as_dict() for item in hass.states.async_all()])
    # The line is still alive: a real call goes through after all that.
    assert (await post(HIPCALL_EXAMPLES["hipcall_call_init"])).status == 200
    await hass.async_block_till_done()
    assert state(hass, LINE_BUSY).state == "on"


async def test_a_classic_body_at_the_hipcall_door_is_a_400(
    hass: HomeAssistant, hipcall: MockConfigEntry, post: Post
) -> None:
    """A classic Bulutfon body is no Hipcall envelope: a 400, nothing changes."""
    assert (await post(VENDOR_EXAMPLES["call_init"])).status == 400
    await hass.async_block_till_done()
    assert state(hass, LINE_BUSY).state == "off"


# --- entities -------------------------------------------------------------------------------


async def test_hipcall_line_has_no_fax_and_hipcall_event_types(
    hass: HomeAssistant, hipcall: MockConfigEntry
) -> None:
    """No fax on Hipcall; the call event entity offers Hipcall's types, the call state
    sensor its four states; the device says Hipcall."""
    assert hass.states.get(LAST_FAX_SENDER) is None
    assert state(hass, CALL_EVENT).attributes["event_types"] == HIPCALL_EVENT_TYPES
    assert state(hass, CALL_STATE).state == "idle"
    assert state(hass, CALL_STATE).attributes["options"] == [
        "idle",
        "ringing",
        "talking",
        "in_call",
    ]
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), hipcall_entry_id(hass)
    )
    assert device is not None
    assert device.name == "Hipcall 0850 885 00 00"
    assert device.manufacturer == "Hipcall"


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "User 12"), ("tr", "Kullanıcı 12")],  # noqa: RUF001
)
async def test_a_user_gets_a_device_named_until_the_phone_book_knows(
    hass: HomeAssistant, post: Post, language: str, name: str
) -> None:
    """User 12 answering makes a device "User 12" (in Turkish too); `12 = Ayşe` in the
    phone book names it Ayşe; it stays after a reload."""
    hass.config.language = language
    entry = await _setup(hass, make_hipcall_entry())
    assert (await post(HIPCALL_EXAMPLES["hipcall_call_bridged"])).status == 200
    await hass.async_block_till_done()
    registry = dr.async_get(hass)
    device = registry.async_get_device_by_identifier(
        (DOMAIN, f"{NUMBER}_user_12"), hipcall_entry_id(hass)
    )
    assert device is not None
    assert device.name == name
    assert device.via_device_id is not None

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_PHONEBOOK: "12 = Ayşe"}
    )
    await hass.async_block_till_done()
    device = registry.async_get(device.id)
    assert device is not None
    assert device.name == "Ayşe"

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, USER_12).state == "off"
    entity = er.async_get(hass).async_get(USER_12)
    assert entity is not None
    assert entity.translation_key == "user"


async def test_team_calls_have_a_translated_name(
    hass: HomeAssistant, post: Post
) -> None:
    """The team sensor's name is translated ("Team 7 calls" in English)."""
    hass.config.language = "tr"
    await _setup(hass, make_hipcall_entry())
    assert (await post(HIPCALL_EXAMPLES["hipcall_call_init"])).status == 200
    await hass.async_block_till_done()
    assert state(hass, TEAM_7).attributes["friendly_name"] == (
        "Hipcall 0850 885 00 00 Ekip 7 aramaları"  # noqa: RUF001
    )


# --- around the entities --------------------------------------------------------------------


async def test_device_triggers_of_a_hipcall_line(
    hass: HomeAssistant, hipcall: MockConfigEntry, post: Post
) -> None:
    """The line's device offers Hipcall's event types, and "Call answered" fires."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), hipcall_entry_id(hass)
    )
    assert device is not None
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, device.id
    )
    assert sorted(
        trigger["type"] for trigger in triggers if trigger["domain"] == DOMAIN
    ) == sorted(HIPCALL_EVENT_TYPES)
    calls = async_capture_events(hass, "answered_test")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device.id,
                    "type": "call_answered",
                },
                "actions": {"event": "answered_test"},
            }
        },
    )
    assert (await post(HIPCALL_EXAMPLES["hipcall_call_bridged"])).status == 200
    await hass.async_block_till_done()
    assert len(calls) == 1


@pytest.fixture
async def diagnostics(hass: HomeAssistant) -> None:
    """The diagnostics component, set up before any HTTP client freezes the routes."""
    assert await async_setup_component(hass, "diagnostics", {})


@pytest.mark.usefixtures("diagnostics")
async def test_diagnostics_redact_the_media_links(
    hass: HomeAssistant,
    hipcall: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
) -> None:
    """Diagnostics say the platform and never hold a recording link or a number."""
    assert (await post(HIPCALL_EXAMPLES["hipcall_call_hangup"])).status == 200
    await hass.async_block_till_done()
    record_url = json.loads(HIPCALL_EXAMPLES["hipcall_call_hangup"])["data"][
        "record_url"
    ]
    result = await get_diagnostics_for_config_entry(hass, hass_client, hipcall)
    assert result["settings"]["platform"] == PLATFORM_HIPCALL
    assert result["settings"]["credentials_required"] is False
    text = json.dumps(result)
    assert record_url not in text
    assert NUMBER not in text
    assert "905321234567" not in text


def test_logbook_names_the_hipcall_line() -> None:
    """A Hipcall line's logbook entries carry its name and the answer's wording."""
    data = {
        "type": "call_answered",
        "caller": "905321234567",
        "number": NUMBER,
        "platform": PLATFORM_HIPCALL,
    }
    entry = describe(data, "en")
    assert entry["name"] == "Hipcall 0850 885 00 00"
    assert entry["message"].startswith("Call answered")
    assert describe(data, "tr")["message"].startswith("Arama cevaplandı")  # noqa: RUF001
    assert describe({**data, "platform": None}, "en")["name"] == (
        "Bulutfon 0850 885 00 00"
    )


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A private config folder per test, so the blueprints can be copied into it."""
    return hass_tmp_config_dir


async def test_missed_call_blueprint_works_for_a_hipcall_line(
    hass: HomeAssistant, hipcall: MockConfigEntry, post: Post
) -> None:
    """The missed-call blueprint, chosen for the Hipcall line's device, notifies for a
    Hipcall missed call, by the phone book's name."""
    hass.config_entries.async_update_entry(
        hipcall, options={**hipcall.options, CONF_PHONEBOOK: "0532 123 45 67 = Ayşe"}
    )
    await hass.async_block_till_done()
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), hipcall.entry_id
    )
    assert device is not None
    calls = async_mock_service(hass, "notify", "persistent_notification")
    await setup_automation(
        hass, "missed_call_notify.yaml", {"bulutfon_device": [device.id]}
    )
    body = _body("hipcall_missed_call", caller_number="+905321234567")
    assert (await post(body)).status == 200
    await hass.async_block_till_done()
    assert len(calls) == 1
    assert "Ayşe" in calls[0].data["message"]


@pytest.fixture
async def config_api(hass: HomeAssistant) -> None:
    """Home Assistant's config API, set up before any HTTP client freezes the routes."""
    assert await async_setup_component(hass, "websocket_api", {})
    assert await async_setup_component(hass, "config", {})


@pytest.mark.usefixtures("config_api")
async def test_delete_a_user_device(
    hass: HomeAssistant, hipcall: MockConfigEntry, post: Post, hass_ws_client: Any
) -> None:
    """The user deletes a Hipcall user's device; it comes back with the user's next call."""
    assert (await post(HIPCALL_EXAMPLES["hipcall_call_bridged"])).status == 200
    await hass.async_block_till_done()
    registry = dr.async_get(hass)
    device = registry.async_get_device_by_identifier(
        (DOMAIN, f"{NUMBER}_user_12"), hipcall.entry_id
    )
    assert device is not None
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": hipcall.entry_id,
            "device_id": device.id,
        }
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    assert hass.states.get(USER_12) is None

    call = _body("hipcall_call_bridged", uuid="second-call")
    assert (await post(call)).status == 200
    await hass.async_block_till_done()
    assert state(hass, USER_12).state == "on"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Yes", "No", "Hipcall user")),
        ("tr", ("Evet", "Hayır", "Hipcall kullanıcısı")),  # noqa: RUF001
    ],
)
async def test_hipcall_call_details_read_as_words(
    hass: HomeAssistant, post: Post, language: str, words: tuple[str, str, str]
) -> None:
    """Issue 32: a Hipcall call's details say "Answered by a person: Yes", name the
    user ("Ayşe", not 12), and leave out the classic-only rows (no "Call record in
    Bulutfon: Unknown")."""
    await _setup(hass, make_hipcall_entry(**{CONF_PHONEBOOK: "12 = Ayşe"}))
    for name in ("hipcall_call_init", "hipcall_call_bridged", "hipcall_call_hangup"):
        assert (await post(HIPCALL_EXAMPLES[name])).status == 200
    await hass.async_block_till_done()
    details = state(hass, LAST_CALL_DURATION).attributes
    assert details["user"] == "Ayşe"
    assert details["user_id"] == "12"
    for classic in ("cdr_url", "cdr_api_url", "hangup_detail", "result_disposition"):
        assert classic not in details
    assert "destination" not in state(hass, LAST_CALLER).attributes
    assert state(hass, LAST_CALLER).attributes["user"] == "Ayşe"
    strings = await translation.async_get_translations(
        hass, language, "entity", [DOMAIN]
    )
    key = f"component.{DOMAIN}.entity.sensor.last_call_duration.state_attributes"
    yes, no, user = words
    assert strings[f"{key}.answered.state.true"] == yes
    assert strings[f"{key}.answered.state.false"] == no
    assert strings[f"{key}.user.name"] == user
