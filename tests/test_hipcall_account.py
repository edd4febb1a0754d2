"""Hipcall's API inside Home Assistant, against the fake Hipcall API on 127.0.0.1:
the token in the flows, re-authentication, names, recovered calls, the action, the button.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

from aiohttp.test_utils import TestServer
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.bulutfon.const import (
    CONF_API_TOKEN,
    CONF_CLOUDHOOK_URL,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PLATFORM,
    CONF_REGION,
    DOMAIN,
    EVENT_BULUTFON,
    HIPCALL_EVENT_TYPES,
    PLATFORM_HIPCALL,
)
from custom_components.bulutfon.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.bulutfon.hipcall_api import FAKE_API_ENV
from custom_components.bulutfon.recovery import RecoveryLedger

from .conftest import NUMBER, WEBHOOK_ID, Post, start_flow
from .fake_hipcall import TOKEN, Failure, FakeHipcall, call_record, user

pytestmark = pytest.mark.usefixtures("socket_enabled")

NOW = "2026-12-01 20:00:00+00:00"  # noon in the tests' time zone (US/Pacific)
MISSED = "sensor.bulutfon_908508850000_missed_calls"
LAST_MISSED = "sensor.bulutfon_908508850000_last_missed_caller"
CALL_EVENT = "event.bulutfon_908508850000_call"


@pytest.fixture
async def api(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[FakeHipcall, str]]:
    """The fake Hipcall API on 127.0.0.1 and its address; the client goes there (the
    demo's loopback variable, as scripts/demo.py sets it for a real hass)."""
    fake = FakeHipcall()
    server = TestServer(fake.app, host="127.0.0.1", access_log=None)
    await server.start_server()
    url = str(server.make_url("")).rstrip("/")
    monkeypatch.setenv(FAKE_API_ENV, url)
    yield fake, url
    await server.close()


def hipcall_entry(_url: str = "", **data: Any) -> MockConfigEntry:
    """A Hipcall entry with an API token (its API is on the fake: see `api`)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Hipcall 0850 885 00 00",
        unique_id=NUMBER,
        version=1,
        minor_version=4,
        data={
            CONF_NUMBER: NUMBER,
            CONF_PLATFORM: PLATFORM_HIPCALL,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
            CONF_CLOUDHOOK_URL: None,
            CONF_API_TOKEN: TOKEN,
            CONF_REGION: "tr",
            **data,
        },
        options={CONF_EVENTS: HIPCALL_EVENT_TYPES},
    )


async def start(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


def ledger_since(
    hass_storage: dict[str, Any], entry: MockConfigEntry, hours: float
) -> None:
    """A ledger as a line that last ran `hours` ago left it."""
    floor = dt_util.utcnow() - timedelta(hours=hours)
    hass_storage[f"{DOMAIN}.{entry.entry_id}.recovery"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{entry.entry_id}.recovery",
        "data": RecoveryLedger(floor=floor).as_dict(),
    }


def device_of(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    """The device of the one Bulutfon entry with this identifier."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    return dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, identifier), entry.entry_id
    )


def ours_at_warning(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """This integration's log records at warning and above."""
    return [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.bulutfon")
        and record.levelno >= logging.WARNING
    ]


async def work(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float
) -> None:
    """Let `minutes` pass, with the account's timer."""
    freezer.tick(timedelta(minutes=minutes))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# Names before the first call


@pytest.mark.freeze_time(NOW)
async def test_users_are_devices_named_as_in_hipcall(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], freezer: FrozenDateTimeFactory
) -> None:
    fake, url = api
    entry = hipcall_entry(url)
    await start(hass, entry)
    device = device_of(hass, f"{NUMBER}_user_12")
    assert device is not None
    assert device.name == "Ayşe Kaya"
    assert hass.states.get("binary_sensor.bulutfon_908508850000_user_13") is not None
    # A rename in Hipcall arrives with the next reading (every few hours).
    fake.users[0] = user(12, "Ayşe", "Demir")
    await work(hass, freezer, 6 * 60 + 5)
    device = device_of(hass, f"{NUMBER}_user_12")
    assert device is not None
    assert device.name == "Ayşe Demir"


@pytest.mark.freeze_time(NOW)
async def test_teams_have_their_sensor_named_as_in_hipcall_from_the_start(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    """Before any call reaches team 7, its calls-waiting sensor is there, with its name."""
    _, url = api
    await start(hass, hipcall_entry(url))
    state = hass.states.get("sensor.bulutfon_908508850000_team_7_calls")
    assert state is not None
    assert state.state == "0"
    assert state.attributes["friendly_name"] == (
        "Hipcall 0850 885 00 00 Team Müşteri Hizmetleri calls"
    )


async def test_without_a_token_nothing_is_asked(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    fake, url = api
    entry = hipcall_entry(url)
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=NUMBER,
        version=1,
        minor_version=3,
        data={k: v for k, v in entry.data.items() if k != CONF_API_TOKEN},
        options=dict(entry.options),
    )
    await start(hass, entry)
    assert fake.requests == []
    assert hass.states.get("binary_sensor.bulutfon_908508850000_user_12") is None


# Recovery


@pytest.mark.freeze_time(NOW)
async def test_calls_missed_while_down_are_recovered_once(
    hass: HomeAssistant,
    api: tuple[FakeHipcall, str],
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    fake, url = api
    now = dt_util.utcnow()
    fake.calls = [
        call_record(now - timedelta(minutes=90), uuid="answered", talk=75),
        call_record(
            now - timedelta(minutes=30),
            uuid="missed",
            missed=True,
            caller="+905551112233",
        ),
        call_record(now - timedelta(minutes=1), uuid="ringing", ended=False),
        call_record(now - timedelta(hours=5), uuid="before"),
    ]
    entry = hipcall_entry(url)
    ledger_since(hass_storage, entry, hours=2)
    events = async_capture_events(hass, EVENT_BULUTFON)
    await start(hass, entry)
    assert [event.data["uuid"] for event in events] == ["answered", "missed"]
    assert all(event.data["replayed"] is True for event in events)
    assert hass.states.get(MISSED).state == "1"
    assert hass.states.get(LAST_MISSED).state == "0555 111 22 33"
    # The call event entity shows what happens now: nothing did.
    assert hass.states.get(CALL_EVENT).state == "unknown"
    query = fake.requests[-1][2]
    assert query["sort"] == "started_at.asc"
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    recovery = diagnostics["hipcall_api"]["recovery"]
    assert recovery["recovered_calls"] == 2
    assert recovery["last_recovery"] == now.isoformat()
    assert TOKEN not in str(diagnostics)

    # A restart: nothing is recovered twice, and the count stays.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(events) == 2
    assert hass.states.get(MISSED).state == "1"

    # The next recovery (every 15 minutes) also finds nothing new.
    await work(hass, freezer, 16)
    assert len(events) == 2


@pytest.mark.freeze_time(NOW)
async def test_replayed_events_start_no_device_trigger(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], hass_storage: dict[str, Any]
) -> None:
    fake, url = api
    now = dt_util.utcnow()
    fake.calls = [call_record(now - timedelta(minutes=30), uuid="m", missed=True)]
    entry = hipcall_entry(url)
    ledger_since(hass_storage, entry, hours=1)
    entry.add_to_hass(hass)
    line_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, NUMBER)}
    )
    fired = async_capture_events(hass, "test_missed")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": {
                    "trigger": "device",
                    "domain": DOMAIN,
                    "device_id": line_device.id,
                    "type": "missing_call",
                },
                "actions": {"event": "test_missed"},
            }
        },
    )
    events = async_capture_events(hass, EVENT_BULUTFON)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [event.data["type"] for event in events] == ["missing_call"]
    assert fired == []


@pytest.mark.freeze_time(NOW)
async def test_webhook_and_recovery_race_for_one_call(
    hass: HomeAssistant,
    api: tuple[FakeHipcall, str],
    hass_storage: dict[str, Any],
    late_post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    fake, url = api
    now = dt_util.utcnow()
    pushed = call_record(now - timedelta(minutes=10), uuid="pushed", missed=True)
    entry = hipcall_entry(url)
    ledger_since(hass_storage, entry, hours=1)
    await start(hass, entry)
    events = async_capture_events(hass, EVENT_BULUTFON)
    # The webhook brings it first; the API lists it afterwards.
    assert (await late_post({"event": "call_hangup", "data": pushed})).status == 200
    fake.calls = [pushed]
    await work(hass, freezer, 16)
    assert [event.data["replayed"] for event in events] == [None]
    assert hass.states.get(MISSED).state == "1"
    # The reverse: recovered first, then its webhook comes late: a repeat.
    late = call_record(
        dt_util.utcnow() - timedelta(minutes=10), uuid="late", missed=True
    )
    fake.calls.append(late)
    await work(hass, freezer, 16)
    assert (await late_post({"event": "call_hangup", "data": late})).status == 200
    await hass.async_block_till_done()
    assert [event.data["uuid"] for event in events] == ["pushed", "late"]
    assert events[1].data["replayed"] is True
    assert hass.states.get(MISSED).state == "2"


@pytest.mark.freeze_time(NOW)
async def test_a_call_that_just_ended_is_recovered_after_its_wait(
    hass: HomeAssistant,
    api: tuple[FakeHipcall, str],
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A call that ended a minute before the start is left to its webhook for SETTLE,
    then recovered: after some 2 minutes, not at the recovery 15 minutes later (issue 24,
    item 11)."""
    fake, url = api
    now = dt_util.utcnow()
    fake.calls = [
        call_record(now - timedelta(seconds=40), uuid="fresh", missed=True, ring=10)
    ]
    entry = hipcall_entry(url)
    ledger_since(hass_storage, entry, hours=1)
    events = async_capture_events(hass, EVENT_BULUTFON)
    await start(hass, entry)
    assert events == []  # its webhook may still come
    await work(hass, freezer, 2.5)
    assert [event.data["uuid"] for event in events] == ["fresh"]
    assert hass.states.get(MISSED).state == "1"


# Failures


async def test_a_refused_token_starts_reauth_and_the_webhook_keeps_working(
    hass: HomeAssistant,
    api: tuple[FakeHipcall, str],
    late_post: Post,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, url = api
    fake.token = "another"
    entry = hipcall_entry(url)
    await start(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert TOKEN not in caplog.text
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    missed = call_record(dt_util.utcnow(), uuid="w", missed=True)
    assert (await late_post({"event": "call_hangup", "data": missed})).status == 200
    assert hass.states.get(MISSED).state == "1"


@pytest.mark.freeze_time(NOW)
async def test_rate_limit_waits_for_its_reset_without_a_warning(
    hass: HomeAssistant,
    api: tuple[FakeHipcall, str],
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, url = api
    fake.failures.append(Failure(429, headers={"x-ratelimit-reset": "600"}))
    caplog.set_level(logging.DEBUG)
    await start(hass, hipcall_entry(url))
    assert len(fake.requests) == 1
    await work(hass, freezer, 5)  # a tick, before the reset: nothing asked
    assert len(fake.requests) == 1
    await work(hass, freezer, 6)  # past the reset
    assert len(fake.requests) > 1
    assert not ours_at_warning(caplog)


@pytest.mark.freeze_time(NOW)
async def test_a_lasting_outage_becomes_a_repair_that_goes_away(
    hass: HomeAssistant,
    api: tuple[FakeHipcall, str],
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, url = api
    fake.always = Failure(503)
    entry = hipcall_entry(url)
    await start(hass, entry)
    issues = ir.async_get(hass)
    issue_id = f"hipcall_api_unreachable_{entry.entry_id}"
    await work(hass, freezer, 5)
    assert issues.async_get_issue(DOMAIN, issue_id) is None  # a blip is no repair
    for _ in range(3):
        await work(hass, freezer, 5)
    assert issues.async_get_issue(DOMAIN, issue_id) is not None
    assert len(ours_at_warning(caplog)) == 1  # not one per try
    ours = " ".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.bulutfon")
        and record.levelno >= logging.INFO
    )
    assert "885 00 00" not in ours  # the office's number, in the entry's title
    assert NUMBER not in ours
    assert TOKEN not in caplog.text
    fake.always = None
    await work(hass, freezer, 65)
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("binary_sensor.bulutfon_908508850000_user_12") is not None


@pytest.mark.parametrize(
    "failure",
    [
        Failure(200, "<html>maintenance</html>", content_type="text/html"),
        Failure(200, '{"data": [{"id": {"x": 1}}, "garbage", {"id": "\\ud800"}]}'),
        Failure(200, '{"data": '),
    ],
)
async def test_malformed_answers_never_break_set_up(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], failure: Failure
) -> None:
    fake, url = api
    fake.failures.append(failure)
    entry = hipcall_entry(url)
    await start(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["hipcall_api"]["users"] in (0, 1)


async def test_a_slow_api_times_out_and_the_webhook_keeps_working(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], late_post: Post
) -> None:
    fake, url = api
    fake.failures.append(Failure(200, delay=2.0))
    entry = hipcall_entry(url)
    with patch("custom_components.bulutfon.hipcall_account.API_TIMEOUT", 0.2):
        await start(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["hipcall_api"]["last_error"] == "timeout"
    missed = call_record(dt_util.utcnow(), uuid="w", missed=True)
    assert (await late_post({"event": "call_hangup", "data": missed})).status == 200
    assert hass.states.get(MISSED).state == "1"


# The config flow, reconfigure and re-authentication


async def _hipcall_form(hass: HomeAssistant) -> dict[str, Any]:
    return await start_flow(hass, "hipcall")


@pytest.mark.usefixtures("webhook_ready")
async def test_flow_checks_the_token_once(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    fake, url = api
    with patch.dict("custom_components.bulutfon.hipcall_api.REGION_URLS", {"tr": url}):
        form = await _hipcall_form(hass)
        result = await hass.config_entries.flow.async_configure(
            form["flow_id"],
            {
                CONF_NUMBER: "0850 885 00 00",
                CONF_EVENTS: HIPCALL_EVENT_TYPES,
                CONF_API_TOKEN: "wrong",
                CONF_REGION: "tr",
            },
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {CONF_API_TOKEN: "invalid_api_token"}
        # A token pasted with a line break inside: a form error, not "unknown error",
        # and nothing sent.
        asked = len(fake.requests)
        result = await hass.config_entries.flow.async_configure(
            form["flow_id"],
            {
                CONF_NUMBER: "0850 885 00 00",
                CONF_EVENTS: HIPCALL_EVENT_TYPES,
                CONF_API_TOKEN: "hipcall-\ntoken",
                CONF_REGION: "tr",
            },
        )
        assert result["errors"] == {CONF_API_TOKEN: "invalid_api_token_characters"}
        assert len(fake.requests) == asked
        fake.always = Failure(502)
        result = await hass.config_entries.flow.async_configure(
            form["flow_id"],
            {
                CONF_NUMBER: "0850 885 00 00",
                CONF_EVENTS: HIPCALL_EVENT_TYPES,
                CONF_API_TOKEN: TOKEN,
                CONF_REGION: "tr",
            },
        )
        assert result["errors"] == {CONF_API_TOKEN: "cannot_connect"}
        fake.always = None
        result = await hass.config_entries.flow.async_configure(
            form["flow_id"],
            {
                CONF_NUMBER: "0850 885 00 00",
                CONF_EVENTS: HIPCALL_EVENT_TYPES,
                CONF_API_TOKEN: f" {TOKEN} ",
                CONF_REGION: "tr",
            },
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"][CONF_API_TOKEN] == TOKEN
        assert result["data"][CONF_REGION] == "tr"
        await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.usefixtures("webhook_ready")
async def test_flow_without_a_token_asks_nothing(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    fake, _url = api
    form = await _hipcall_form(hass)
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"],
        {CONF_NUMBER: "0850 885 00 00", CONF_EVENTS: HIPCALL_EVENT_TYPES},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_API_TOKEN not in result["data"]
    assert fake.requests == []


async def test_reauth_takes_a_checked_token(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    fake, url = api
    fake.token = "new-token"
    entry = hipcall_entry(url)
    await start(hass, entry)
    flow = hass.config_entries.flow.async_progress_by_handler(DOMAIN)[0]
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_TOKEN: "still-wrong", CONF_REGION: "tr"}
    )
    assert result["errors"] == {CONF_API_TOKEN: "invalid_api_token"}
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_TOKEN: "new-token", CONF_REGION: "tr"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_TOKEN] == "new-token"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("binary_sensor.bulutfon_908508850000_user_12") is not None


async def test_reconfigure_changes_or_removes_the_token(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    _fake, url = api
    entry = hipcall_entry(url)
    await start(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_API_TOKEN: "bad", CONF_REGION: "tr", "remove_api_token": False},
    )
    assert result["errors"] == {CONF_API_TOKEN: "invalid_api_token"}
    assert entry.data[CONF_API_TOKEN] == TOKEN
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_REGION: "tr", "remove_api_token": True, "new_url": False},
    )
    assert result["type"] is FlowResultType.ABORT
    assert CONF_API_TOKEN not in entry.data
    await hass.async_block_till_done(wait_background_tasks=True)


# The action and the button


async def call(hass: HomeAssistant, device_id: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        "call",
        {"device_id": device_id, **data},
        blocking=True,
        return_response=True,
    )


async def test_the_call_action(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    fake, url = api
    entry = hipcall_entry(url)
    await start(hass, entry)
    line = device_of(hass, NUMBER)
    ayse = device_of(hass, f"{NUMBER}_user_12")
    assert line is not None
    assert ayse is not None
    response = await call(hass, line.id, number="0532 123 45 67", user="13")
    assert response["call_id"]
    assert fake.placed[-1] == (
        "13",
        {"callee_number": "+905321234567", "ring_user_first": True},
    )
    await call(hass, ayse.id, number="+90 532 123 45 67", ring_user_first=False)
    assert fake.placed[-1][0] == "12"
    assert fake.placed[-1][1]["ring_user_first"] is False


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"number": "call me", "user": "12"}, "invalid_callee"),
        ({"number": "05321234567"}, "no_user"),
        ({"number": "05321234567", "user": "99"}, "unknown_user"),
    ],
)
async def test_the_call_action_refuses_what_cannot_work(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], data: dict[str, str], key: str
) -> None:
    _fake, url = api
    await start(hass, hipcall_entry(url))
    line = device_of(hass, NUMBER)
    assert line is not None
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, line.id, **data)
    assert err.value.translation_key == key


@pytest.mark.parametrize(
    ("failure", "key"),
    [
        (Failure(422, '{"errors": {"callee_number": ["is invalid"]}}'), "api_refused"),
        (Failure(429, headers={"x-ratelimit-reset": "20"}), "api_rate_limited"),
        (Failure(503), "api_unavailable"),
        (Failure(401), "api_auth_failed"),
    ],
)
async def test_the_call_action_says_why_hipcall_did_not_call(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], failure: Failure, key: str
) -> None:
    fake, url = api
    await start(hass, hipcall_entry(url))
    line = device_of(hass, NUMBER)
    assert line is not None
    fake.failures.append(failure)
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, line.id, number="05321234567", user="12")
    assert err.value.translation_key == key
    assert fake.placed == []


async def test_the_call_action_needs_a_token(
    hass: HomeAssistant, api: tuple[FakeHipcall, str]
) -> None:
    _fake, url = api
    entry = hipcall_entry(url)
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=NUMBER,
        title="Hipcall",
        version=1,
        minor_version=3,
        data={k: v for k, v in entry.data.items() if k != CONF_API_TOKEN},
        options=dict(entry.options),
    )
    await start(hass, entry)
    line = device_of(hass, NUMBER)
    assert line is not None
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, line.id, number="05321234567", user="12")
    assert err.value.translation_key == "no_api_token"


async def test_the_call_back_button(
    hass: HomeAssistant, api: tuple[FakeHipcall, str], late_post: Post
) -> None:
    fake, url = api
    await start(hass, hipcall_entry(url))
    button = "button.bulutfon_908508850000_user_12_call_back"
    assert hass.states.get(button).state == "unavailable"  # nobody to call back yet
    missed = call_record(
        dt_util.utcnow(), uuid="m", missed=True, caller="+905551112233"
    )
    fake.calls.append(missed)  # Hipcall's records confirm the call (issue 25)
    assert (await late_post({"event": "call_hangup", "data": missed})).status == 200
    assert hass.states.get(button).state == "unknown"
    await hass.services.async_call(
        "button", "press", {"entity_id": button}, blocking=True
    )
    assert fake.placed == [
        ("12", {"callee_number": "+905551112233", "ring_user_first": True})
    ]
