# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""The config flow, the options flow and the reconfigure flow, through the flow manager."""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
import json
from pathlib import Path
import re
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bulutfon.const import (
    ALL_EVENT_TYPES,
    CONF_CLOUDHOOK_URL,
    CONF_DAILY_RESET,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    CONF_ROUTING,
    DOMAIN,
    EVENT_BULUTFON,
)

from .conftest import NUMBER, WEBHOOK_ID, Post, make_entry, setup_entry, start_flow
from .vendor import VENDOR_EXAMPLES

INTERNAL_URL = "http://192.168.1.10:8123"
EXTERNAL_URL = "https://ev.example.com"
CLOUDHOOK_URL = "https://hooks.nabu.casa/xyz"
TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations"
)
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
LINE_BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"
HEX_256_BITS = re.compile(r"[0-9a-f]{64}")


@pytest.fixture(autouse=True)
async def internal_url(hass: HomeAssistant) -> None:
    """Home Assistant has an internal URL, and no external URL unless a test sets one."""
    await async_process_ha_core_config(hass, {"internal_url": INTERNAL_URL})


@pytest.fixture
async def webhook_component(hass: HomeAssistant) -> None:
    """Home Assistant's webhook endpoint, which the `post` fixture needs, without an entry."""
    assert await async_setup_component(hass, "webhook", {})


def _user_input(**changes: Any) -> dict[str, Any]:
    return {
        CONF_NUMBER: "0850 885 00 00",
        CONF_EVENTS: list(ALL_EVENT_TYPES),
        CONF_USERNAME: "",
        CONF_PASSWORD: "",
        **changes,
    }


def _options_input(**changes: Any) -> dict[str, Any]:
    return {
        CONF_EVENTS: list(ALL_EVENT_TYPES),
        CONF_PHONEBOOK: "",
        CONF_DAILY_RESET: False,
        **changes,
    }


def _event(name: str, uuid: str, **fields: Any) -> dict[str, Any]:
    """A vendor example with its own call uuid, so it is never taken for a repeat."""
    body: dict[str, Any] = json.loads(VENDOR_EXAMPLES[name])
    return {**body, "uuid": uuid, **fields}


async def _start_user_flow(hass: HomeAssistant) -> dict[str, Any]:
    return await start_flow(hass, "bulutfon")


def _schema_keys(result: Any) -> set[str]:
    return {str(key) for key in result["data_schema"].schema}


def _shown_url(result: Any) -> str:
    """The webhook URL a form shows, in a block of its own in its description."""
    return str(result["description_placeholders"]["webhook_url"])


@pytest.fixture
def cloud_subscribed(hass: HomeAssistant) -> Iterator[dict[str, MagicMock]]:
    """Home Assistant Cloud is loaded, subscribed and connected."""
    hass.config.components.add("cloud")
    with (
        patch(
            "homeassistant.components.cloud.async_active_subscription",
            return_value=True,
        ) as active,
        patch(
            "homeassistant.components.cloud.async_is_connected", return_value=True
        ) as connected,
        patch(
            "homeassistant.components.cloud.async_create_cloudhook",
            AsyncMock(return_value=CLOUDHOOK_URL),
        ) as create,
        patch(
            "homeassistant.components.cloud.async_delete_cloudhook", AsyncMock()
        ) as delete,
    ):
        yield {
            "active": active,
            "connected": connected,
            "create": create,
            "delete": delete,
        }


# --- The user step -----------------------------------------------------------------


async def test_user_form(hass: HomeAssistant) -> None:
    """The first form asks for the number, the events and optional credentials."""
    result = await _start_user_flow(hass)
    assert result["step_id"] == "bulutfon"
    assert result["errors"] == {}
    assert _schema_keys(result) == {
        CONF_NUMBER,
        CONF_EVENTS,
        CONF_USERNAME,
        CONF_PASSWORD,
    }
    # Every event type is selected unless the user says otherwise.
    schema = result["data_schema"]({CONF_NUMBER: "0850 885 00 00"})
    assert schema[CONF_EVENTS] == ALL_EVENT_TYPES


@pytest.mark.parametrize(
    "typed", ["+90 850 885 00 00", "0850 885 00 00", "908508850000"]
)
async def test_user_creates_entry(hass: HomeAssistant, typed: str) -> None:
    """Any usual notation of the number gives the same, normalised entry."""
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _user_input(number=typed, username="bulut", password="s3cret"),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bulutfon 0850 885 00 00"
    assert result["description_placeholders"]["number"] == "0850 885 00 00"
    # Only an internal URL: the dialog says Bulutfon cannot reach it, and what to do.
    assert result["description"] == "unreachable"
    entry = result["result"]
    assert entry.unique_id == NUMBER
    assert entry.data[CONF_NUMBER] == NUMBER
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    assert HEX_256_BITS.fullmatch(webhook_id)
    assert entry.data[CONF_CLOUDHOOK_URL] is None
    assert entry.options == {
        CONF_EVENTS: ALL_EVENT_TYPES,
        CONF_USERNAME: "bulut",
        CONF_PASSWORD: "s3cret",
    }
    assert result["description_placeholders"]["webhook_url"] == (
        f"{INTERNAL_URL}/api/webhook/{webhook_id}"
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_each_entry_gets_its_own_secret(hass: HomeAssistant) -> None:
    """Webhook ids are fresh secrets, not derived from the number."""
    ids = set()
    for typed in ("0850 885 00 00", "0212 000 00 00"):
        result = await _start_user_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _user_input(number=typed)
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        ids.add(result["result"].data[CONF_WEBHOOK_ID])
    assert len(ids) == 2


async def test_user_external_url_preferred(hass: HomeAssistant) -> None:
    """With an external URL the user is given that one: Bulutfon posts from the internet."""
    await async_process_ha_core_config(
        hass, {"internal_url": INTERNAL_URL, "external_url": EXTERNAL_URL}
    )
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input()
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    webhook_id = result["result"].data[CONF_WEBHOOK_ID]
    assert result["description_placeholders"]["webhook_url"] == (
        f"{EXTERNAL_URL}/api/webhook/{webhook_id}"
    )
    # Reachable: the usual success text, without the warning.
    assert result["description"] is None


async def test_created_entry_receives_at_its_url(
    hass: HomeAssistant, webhook_component: None, post: Post
) -> None:
    """The URL the flow shows is the one that works, without credentials when none given."""
    events = async_capture_events(hass, EVENT_BULUTFON)
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(number="+90 850 885 00 00")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    webhook_id = result["result"].data[CONF_WEBHOOK_ID]
    assert result["description_placeholders"]["webhook_url"].endswith(
        f"/api/webhook/{webhook_id}"
    )

    response = await post(VENDOR_EXAMPLES["call_init"], webhook_id=webhook_id)
    assert response.status == HTTPStatus.OK
    assert [event.data["type"] for event in events] == ["call_init"]
    assert events[0].data["number"] == NUMBER


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({CONF_NUMBER: "12345"}, {CONF_NUMBER: "invalid_number"}),
        ({CONF_NUMBER: "0850 ABC 00 00"}, {CONF_NUMBER: "invalid_number"}),
        ({CONF_NUMBER: "bulutfon"}, {CONF_NUMBER: "invalid_number"}),
        ({CONF_NUMBER: "9085088500001234"}, {CONF_NUMBER: "invalid_number"}),
        ({CONF_EVENTS: []}, {CONF_EVENTS: "no_events"}),
        ({CONF_USERNAME: "bulut"}, {"base": "auth_incomplete"}),
        ({CONF_PASSWORD: "s3cret"}, {"base": "auth_incomplete"}),
        ({CONF_USERNAME: "   ", CONF_PASSWORD: "s3cret"}, {"base": "auth_incomplete"}),
        (
            {CONF_NUMBER: "1", CONF_EVENTS: [], CONF_USERNAME: "bulut"},
            {
                CONF_NUMBER: "invalid_number",
                CONF_EVENTS: "no_events",
                "base": "auth_incomplete",
            },
        ),
    ],
)
async def test_user_errors_then_recovers(
    hass: HomeAssistant, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    """Wrong input shows the form again with the error; fixing it completes the flow."""
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(**changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "bulutfon"
    assert result["errors"] == errors
    assert not hass.config_entries.async_entries(DOMAIN)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input()
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == NUMBER


async def test_user_without_credentials(hass: HomeAssistant) -> None:
    """Empty credentials count as not given: the entry is made and needs no auth."""
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NUMBER: NUMBER, CONF_EVENTS: ALL_EVENT_TYPES}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert not result["result"].options.get(CONF_USERNAME)
    assert not result["result"].options.get(CONF_PASSWORD)


async def test_user_keeps_only_selected_events(hass: HomeAssistant) -> None:
    """The events chosen are the ones stored."""
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(events=["missing_call", "call_hangup"])
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert set(result["result"].options[CONF_EVENTS]) == {
        "missing_call",
        "call_hangup",
    }


async def test_user_already_configured(hass: HomeAssistant) -> None:
    """The same number in another notation is refused."""
    make_entry().add_to_hass(hass)
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(number="+90 (850) 885-00-00")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


# --- Home Assistant Cloud --------------------------------------------------------


async def test_user_with_cloud_uses_cloudhook(
    hass: HomeAssistant, cloud_subscribed: dict[str, MagicMock]
) -> None:
    """With Nabu Casa the user pastes the cloudhook, which removal deletes again."""
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input()
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    cloud_subscribed["create"].assert_awaited_once_with(hass, webhook_id)
    assert entry.data[CONF_CLOUDHOOK_URL] == CLOUDHOOK_URL
    assert result["description_placeholders"]["webhook_url"] == CLOUDHOOK_URL
    await hass.async_block_till_done()

    cloud_subscribed["delete"].assert_not_awaited()
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    cloud_subscribed["delete"].assert_awaited_once_with(hass, webhook_id)
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_user_cloud_not_connected(
    hass: HomeAssistant, cloud_subscribed: dict[str, MagicMock]
) -> None:
    """Subscribed but disconnected: no URL can be made, so no entry is."""
    cloud_subscribed["connected"].return_value = False
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input()
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cloud_not_connected"
    cloud_subscribed["create"].assert_not_awaited()
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_user_cloud_without_subscription(
    hass: HomeAssistant, cloud_subscribed: dict[str, MagicMock]
) -> None:
    """Cloud loaded but not subscribed: the ordinary URL, no cloudhook to delete later."""
    cloud_subscribed["active"].return_value = False
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input()
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.data[CONF_CLOUDHOOK_URL] is None
    assert result["description_placeholders"]["webhook_url"] == (
        f"{INTERNAL_URL}/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"
    )
    cloud_subscribed["create"].assert_not_awaited()
    await hass.async_block_till_done()
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    cloud_subscribed["delete"].assert_not_awaited()


# --- Translations ----------------------------------------------------------------


def _load(language: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    return data


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    leaves: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            leaves.update(_leaves(value, path))
        else:
            leaves[path] = value
    return leaves


@pytest.mark.parametrize("language", ["en", "tr"])
def test_success_message_says_where_to_paste(language: str) -> None:
    """The message after adding names Bulutfon's menu and shows the URL."""
    message = _load(language)["config"]["create_entry"]["default"]
    assert "Uygulamalar > Web Kancalar\u0131" in message  # \u0131: dotless i
    assert "{webhook_url}" in message
    assert "json" in message


@pytest.mark.parametrize("language", ["en", "tr"])
@pytest.mark.parametrize("message", ["default", "unreachable"])
def test_success_message_is_one_list_of_five_steps(language: str, message: str) -> None:
    """The steps read 1 to 5 in one list: the URL block sits inside step 2 and does not
    end the list (a new list after it would number from 1 again)."""
    from markdown_it import MarkdownIt

    text = _load(language)["config"]["create_entry"][message]
    tokens = MarkdownIt("commonmark").parse(text)
    lists = [token for token in tokens if token.type == "ordered_list_open"]
    assert len(lists) == 1, text
    items = [
        token
        for token in tokens
        if token.type == "list_item_open" and token.level == lists[0].level + 1
    ]
    assert len(items) == 5, text
    # The URL, where there is one in the list, is a code block of its own.
    fences = [token for token in tokens if token.type == "fence"]
    assert all("{webhook_url}" in fence.content for fence in fences)


def test_translations_have_the_same_keys_and_placeholders() -> None:
    """English and Turkish say the same things, with the same placeholders."""
    english, turkish = _leaves(_load("en")), _leaves(_load("tr"))
    assert set(english) == set(turkish)
    placeholder = re.compile(r"\{(\w+)\}")
    for key, text in english.items():
        assert set(placeholder.findall(text)) == set(
            placeholder.findall(turkish[key])
        ), key
        assert turkish[key].strip(), key


async def test_every_flow_string_is_translated(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Each field, error and abort the flows can show has a text in both languages."""
    user = await _start_user_flow(hass)
    reconfigure = await entry.start_reconfigure_flow(hass)
    options = await hass.config_entries.options.async_init(entry.entry_id)
    used: set[str] = set()
    for section, result in (
        ("config", user),
        ("config", reconfigure),
        ("options", options),
    ):
        step = f"{section}.step.{result['step_id']}"
        used |= {f"{step}.title", f"{step}.description"}
        used |= {f"{step}.data.{key}" for key in _schema_keys(result)}
        used |= {f"{step}.data_description.{key}" for key in _schema_keys(result)}
    used |= {
        f"config.error.{error}"
        for error in (
            "invalid_number",
            "invalid_office_number",
            "no_events",
            "auth_incomplete",
            "auth_off_unconfirmed",
        )
    }
    used |= {
        "config.step.reconfigure.data.auth_off",
        "config.step.reconfigure.data_description.auth_off",
    }
    used |= {f"options.error.{error}" for error in ("no_events", "invalid_phonebook")}
    used |= {
        f"config.abort.{reason}"
        for reason in (
            "already_configured",
            "configured_on_bulutfon",
            "configured_on_hipcall",
            "cloud_not_connected",
            "reconfigure_successful",
            "new_url_issued",
        )
    }
    used |= {"config.create_entry.default", "config.create_entry.unreachable"}
    used |= {
        f"issues.{issue}.{part}"
        for issue in ("webhook_unreachable", "wrong_credentials")
        for part in ("title", "description")
    }
    used |= {f"selector.events.options.{name}" for name in ALL_EVENT_TYPES}
    for language in ("en", "tr"):
        missing = used - set(_leaves(_load(language)))
        assert not missing, (language, sorted(missing))


# --- The options flow --------------------------------------------------------------


async def _configure_options(
    hass: HomeAssistant, entry: MockConfigEntry, user_input: dict[str, Any]
) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )
    await hass.async_block_till_done()
    return result


async def test_options_form_shows_webhook_url(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Users lose the URL: the options show it again, in a block of its own.

    The credentials are not here: they change in Reconfigure only.
    """
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert _shown_url(result) == f"{INTERNAL_URL}/api/webhook/{WEBHOOK_ID}"
    assert result["description_placeholders"]["title"] == entry.title
    assert _schema_keys(result) == {
        CONF_EVENTS,
        CONF_PHONEBOOK,
        CONF_DAILY_RESET,
        CONF_ROUTING,
    }


async def test_options_form_shows_cloudhook(hass: HomeAssistant) -> None:
    """An entry with a cloudhook shows the cloudhook, not a local address."""
    config_entry = make_entry()
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_CLOUDHOOK_URL: CLOUDHOOK_URL}
    )
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert _shown_url(result) == CLOUDHOOK_URL


async def test_options_events_apply_without_restart(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Deselecting missed calls silences them at once, though Bulutfon still gets 200."""
    events = async_capture_events(hass, EVENT_BULUTFON)
    response = await post(_event("missing_call", "call-1"))
    assert response.status == HTTPStatus.OK
    assert len(events) == 1
    assert hass.states.get(MISSED_CALLS).state == "1"

    selected = [name for name in ALL_EVENT_TYPES if name != "missing_call"]
    result = await _configure_options(hass, entry, _options_input(events=selected))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_EVENTS] == selected
    assert entry.state is ConfigEntryState.LOADED

    response = await post(_event("missing_call", "call-2"))
    assert response.status == HTTPStatus.OK
    assert len(events) == 1
    assert hass.states.get(MISSED_CALLS).state == "1"

    # The other types still fire.
    response = await post(_event("call_init", "call-3"))
    assert response.status == HTTPStatus.OK
    assert [event.data["type"] for event in events] == ["missing_call", "call_init"]


async def test_options_keep_the_credentials(hass: HomeAssistant, post: Post) -> None:
    """Saving the options keeps the credentials Reconfigure set."""
    entry = await setup_entry(hass, username="bulut", password="s3cret")
    url = f"{INTERNAL_URL}/api/webhook/{WEBHOOK_ID}"
    result = await _configure_options(hass, entry, _options_input(daily_reset=True))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_USERNAME] == "bulut"
    assert entry.options[CONF_PASSWORD] == "s3cret"
    assert entry.options[CONF_DAILY_RESET] is True
    response = await post(_event("call_init", "call-1"))
    assert response.status == HTTPStatus.UNAUTHORIZED
    response = await post(_event("call_init", "call-2"), auth=("bulut", "s3cret"))
    assert response.status == HTTPStatus.OK
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert _shown_url(result) == url


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {CONF_PHONEBOOK: "0532 000 00 00 = Ayşe\nno name here"},
            {CONF_PHONEBOOK: "invalid_phonebook"},
        ),
        ({CONF_PHONEBOOK: "= Ayşe"}, {CONF_PHONEBOOK: "invalid_phonebook"}),
        ({CONF_EVENTS: []}, {CONF_EVENTS: "no_events"}),
    ],
)
async def test_options_errors_then_recovers(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    changes: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """Invalid options are refused with the error and change nothing until fixed."""
    before = dict(entry.options)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_input(**changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert dict(entry.options) == before

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_input(daily_reset=True)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_DAILY_RESET] is True


async def test_options_phonebook_names_callers(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """A phone book entered in the options puts the caller's name in the event."""
    events = async_capture_events(hass, EVENT_BULUTFON)
    await post(_event("missing_call", "call-1", caller="905321234567"))
    assert events[-1].data["caller_name"] is None

    result = await _configure_options(
        hass,
        entry,
        _options_input(
            phonebook="# family\n0532 123 45 67 = Ayşe\n0212 000 00 00: Ofis"
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await post(_event("missing_call", "call-2", caller="+90 532 123 45 67"))
    assert events[-1].data["caller_name"] == "Ayşe"
    assert events[-1].data["caller"] == "905321234567"


# --- The reconfigure flow ----------------------------------------------------------


async def test_reconfigure_form(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The form shows the URL in use and offers credentials and a new URL."""
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert _shown_url(result) == f"{INTERNAL_URL}/api/webhook/{WEBHOOK_ID}"
    assert result["description_placeholders"]["title"] == entry.title
    assert _schema_keys(result) == {
        CONF_USERNAME,
        CONF_PASSWORD,
        "new_url",
    }


async def test_reconfigure_credentials(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """New credentials keep the URL and are demanded once saved."""
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_USERNAME: "bulut", CONF_PASSWORD: "s3cret", "new_url": False},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert result["description_placeholders"]["webhook_url"] == (
        f"{INTERNAL_URL}/api/webhook/{WEBHOOK_ID}"
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_WEBHOOK_ID] == WEBHOOK_ID
    assert entry.options[CONF_USERNAME] == "bulut"
    assert entry.options[CONF_EVENTS] == ALL_EVENT_TYPES

    assert (await post(_event("call_init", "c1"))).status == HTTPStatus.UNAUTHORIZED
    response = await post(_event("call_init", "c2"), auth=("bulut", "s3cret"))
    assert response.status == HTTPStatus.OK


async def test_reconfigure_auth_incomplete(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Only one credential is refused, and the URL is not replaced meanwhile."""
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "bulut", CONF_PASSWORD: "", "new_url": True}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "auth_incomplete"}
    assert entry.data[CONF_WEBHOOK_ID] == WEBHOOK_ID

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "", CONF_PASSWORD: "", "new_url": False}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_emptied_fields_do_not_turn_authentication_off(
    hass: HomeAssistant, post: Post
) -> None:
    """Clearing the user name and leaving the password empty is refused: turning
    authentication off takes its own switch, shown only while authentication is on."""
    config_entry = await setup_entry(hass, username="bulut", password="s3cret")
    result = await config_entry.start_reconfigure_flow(hass)
    assert "auth_off" in _schema_keys(result)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "", CONF_PASSWORD: "", "new_url": False}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "auth_off_unconfirmed"}
    assert config_entry.options[CONF_USERNAME] == "bulut"
    assert (await post(_event("call_init", "a1"))).status == HTTPStatus.UNAUTHORIZED

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_USERNAME: "", CONF_PASSWORD: "", "auth_off": True, "new_url": False},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert config_entry.options[CONF_USERNAME] == ""
    assert config_entry.options[CONF_PASSWORD] == ""
    assert (await post(_event("call_init", "a2"))).status == HTTPStatus.OK

    # Off now: no switch to turn off what is not on.
    result = await config_entry.start_reconfigure_flow(hass)
    assert "auth_off" not in _schema_keys(result)


async def test_reconfigure_new_url_says_the_old_one_is_dead(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """After a new URL, the message says plainly that the old URL no longer works."""
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "", CONF_PASSWORD: "", "new_url": True}
    )
    assert result["reason"] == "new_url_issued"
    await hass.async_block_till_done()
    for language, words in (
        ("en", "The old webhook URL no longer works"),
        ("tr", "Eski web kancası adresi artık çalışmıyor"),
    ):
        message = _load(language)["config"]["abort"]["new_url_issued"]
        assert words in message
        assert "{webhook_url}" in message


async def test_reconfigure_new_url_keeps_the_password(
    hass: HomeAssistant, post: Post
) -> None:
    """Asking for a new URL under the same user name does not mean retyping the password."""
    config_entry = await setup_entry(hass, username="bulut", password="s3cret")
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "bulut", "new_url": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "new_url_issued"
    await hass.async_block_till_done()
    assert config_entry.options[CONF_PASSWORD] == "s3cret"
    new_id = config_entry.data[CONF_WEBHOOK_ID]
    response = await post(_event("call_init", "k1"), webhook_id=new_id)
    assert response.status == HTTPStatus.UNAUTHORIZED
    response = await post(
        _event("call_init", "k2"), webhook_id=new_id, auth=("bulut", "s3cret")
    )
    assert response.status == HTTPStatus.OK


async def test_reconfigure_new_url_retires_the_old_one(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """A leaked URL is replaced: the old one stops reaching the line, the new one works."""
    events = async_capture_events(hass, EVENT_BULUTFON)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "", CONF_PASSWORD: "", "new_url": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "new_url_issued"
    new_id = entry.data[CONF_WEBHOOK_ID]
    assert new_id != WEBHOOK_ID
    assert HEX_256_BITS.fullmatch(new_id)
    assert result["description_placeholders"]["webhook_url"] == (
        f"{INTERNAL_URL}/api/webhook/{new_id}"
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    # Home Assistant answers 200 to unknown webhooks too; nothing may happen.
    response = await post(_event("call_init", "old"), webhook_id=WEBHOOK_ID)
    assert response.status == HTTPStatus.OK
    assert events == []
    assert hass.states.get(LINE_BUSY).state == "off"

    response = await post(_event("call_init", "new"), webhook_id=new_id)
    assert response.status == HTTPStatus.OK
    assert [event.data["uuid"] for event in events] == ["new"]
    assert hass.states.get(LINE_BUSY).state == "on"


async def test_reconfigure_new_url_replaces_cloudhook(
    hass: HomeAssistant, cloud_subscribed: dict[str, MagicMock]
) -> None:
    """With Nabu Casa the old cloudhook is deleted and a new one made."""
    config_entry = make_entry()
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry,
        data={**config_entry.data, CONF_CLOUDHOOK_URL: "https://hooks.nabu.casa/old"},
    )
    result = await config_entry.start_reconfigure_flow(hass)
    assert result["description_placeholders"]["webhook_url"] == (
        "https://hooks.nabu.casa/old"
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "", CONF_PASSWORD: "", "new_url": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "new_url_issued"
    new_id = config_entry.data[CONF_WEBHOOK_ID]
    assert new_id != WEBHOOK_ID
    cloud_subscribed["delete"].assert_awaited_once_with(hass, WEBHOOK_ID)
    cloud_subscribed["create"].assert_awaited_once_with(hass, new_id)
    assert config_entry.data[CONF_CLOUDHOOK_URL] == CLOUDHOOK_URL
    assert result["description_placeholders"]["webhook_url"] == CLOUDHOOK_URL
    await hass.async_block_till_done()


async def test_reconfigure_new_url_cloud_not_connected(
    hass: HomeAssistant, cloud_subscribed: dict[str, MagicMock]
) -> None:
    """Without a cloud connection the old URL is kept rather than lost."""
    cloud_subscribed["connected"].return_value = False
    config_entry = make_entry()
    config_entry.add_to_hass(hass)
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "", CONF_PASSWORD: "", "new_url": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cloud_not_connected"
    assert config_entry.data[CONF_WEBHOOK_ID] == WEBHOOK_ID
    cloud_subscribed["delete"].assert_not_awaited()


async def test_phone_book_error_names_the_line(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A phone book that cannot be read says which line, quoting it back, in both
    languages, without markdown backticks (errors are shown as plain text)."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        _options_input(phonebook="0532 000 00 00 = Ayşe\n\n  no name here  "),
    )
    assert result["errors"] == {CONF_PHONEBOOK: "invalid_phonebook"}
    placeholders = result["description_placeholders"]
    assert placeholders["line"] == "3"
    assert placeholders["line_text"] == "no name here"
    for language, expected in (
        ("en", "Line 3 cannot be read: “no name here”."),
        ("tr", "3. satır okunamadı: “no name here”."),
    ):
        message = _load(language)["options"]["error"]["invalid_phonebook"]
        assert "`" not in message
        assert message.format(**placeholders).startswith(expected)
