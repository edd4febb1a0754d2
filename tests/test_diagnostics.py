"""Diagnostics: what helps to debug a line, with nothing personal left in it."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.bulutfon.const import (
    CONF_CLOUDHOOK_URL,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    DOMAIN,
)

from .conftest import NUMBER, WEBHOOK_ID, Post
from .vendor import VENDOR_EXAMPLES

USERNAME = "bulutfon-hook"
PASSWORD = "s3cret-Pa55"
AUTH = (USERNAME, PASSWORD)
AYSE = "905320000000"
UUID = "f615986c-2001-11e5-bdee-6599352d46ce"
CLOUDHOOK_URL = "https://hooks.nabu.casa/gAAAAABsecretcloudhook"

PERSONAL = (
    NUMBER,
    NUMBER[2:],  # 8508850000: the number in any notation
    AYSE,
    AYSE[2:],
    "90532000000",  # the vendor examples' caller
    "Ayşe",
    USERNAME,
    PASSWORD,
    WEBHOOK_ID,
    UUID,
    "call-2",
    "example.duckdns.org",
)


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Credentials and a phone book: the personal things diagnostics must hide."""
    return {
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
        CONF_PHONEBOOK: "0532 000 00 00 = Ayşe\n1000 = Reception",
    }


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in tests/snapshots/, as Home Assistant keeps them."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def diagnostics(hass: HomeAssistant) -> None:
    """The diagnostics component, set up before any HTTP client freezes the routes."""
    assert await async_setup_component(hass, "diagnostics", {})


def _event(name: str, **changes: Any) -> dict[str, Any]:
    return {**json.loads(VENDOR_EXAMPLES[name]), "caller": AYSE, **changes}


def _assert_nothing_personal(diagnostics: Any) -> None:
    text = json.dumps(diagnostics, ensure_ascii=False)
    leaked = [secret for secret in PERSONAL if secret in text]
    assert not leaked, f"diagnostics contain {leaked}"


async def test_diagnostics_after_calls(
    *,
    hass: HomeAssistant,
    diagnostics: None,
    entry: MockConfigEntry,
    post: Post,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """Configuration, counters, rejections by reason and recent events; no personal data."""
    before = dt_util.utcnow()
    assert (await post(_event("call_init"), auth=AUTH)).status == 200
    assert (await post(_event("call_init"), auth=AUTH)).status == 200  # a repeat
    assert (await post(_event("call_hangup"), auth=AUTH)).status == 200
    assert (await post(_event("missing_call", uuid="call-2"), auth=AUTH)).status == 200
    # One refused request of each kind.
    assert (await post(_event("call_init", uuid="call-3"))).status == 401
    too_large = b'{"event_type": "call_init", "pad": "' + b"x" * 70_000 + b'"}'
    assert (await post(too_large, auth=AUTH)).status == 413
    assert (await post(b"not json", auth=AUTH)).status == 400

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert result["settings"] == {
        "platform": "bulutfon",
        "selected_events": sorted(
            [
                "call_hangup",
                "call_init",
                "call_init_extension",
                "call_init_group",
                "call_init_menu",
                "fax_init",
                "missing_call",
            ]
        ),
        "credentials_required": True,
        "phonebook_entries": 2,
        "daily_reset": False,
    }
    counters = result["counters"]
    assert counters["accepted_events"] == 3
    assert counters["duplicate_events"] == 1
    assert counters["rejected_requests"] == {"400": 1, "401": 1, "413": 1}
    assert counters["missed_calls"] == 1
    assert counters["active_calls"] == 0
    assert [event["type"] for event in result["recent_events"]] == [
        "call_init",
        "call_hangup",
        "missing_call",
    ]
    for event in result["recent_events"]:
        assert before <= dt_util.parse_datetime(event["received"]) <= dt_util.utcnow()
    assert result["webhook"] == {
        "reachable_from_internet": False,
        "uses_cloudhook": False,
        "external_url_configured": False,
    }
    _assert_nothing_personal(result)
    # The whole document, reviewed once; the arrival times change from run to run.
    assert result == snapshot(exclude=props("received"))


async def test_diagnostics_reachable_with_external_url(
    hass: HomeAssistant,
    diagnostics: None,
    entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """With an external URL Bulutfon can reach Home Assistant; the URL is not shown."""
    await hass.config.async_update(external_url="https://example.duckdns.org")

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert result["webhook"] == {
        "reachable_from_internet": True,
        "uses_cloudhook": False,
        "external_url_configured": True,
    }
    _assert_nothing_personal(result)


async def test_diagnostics_with_cloudhook(
    hass: HomeAssistant, diagnostics: None, hass_client: ClientSessionGenerator
) -> None:
    """A Home Assistant Cloud webhook makes the line reachable, and is redacted."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Bulutfon {NUMBER}",
        unique_id=NUMBER,
        data={
            CONF_NUMBER: NUMBER,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
            CONF_CLOUDHOOK_URL: CLOUDHOOK_URL,
        },
        options={},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert result["webhook"] == {
        "reachable_from_internet": True,
        "uses_cloudhook": True,
        "external_url_configured": False,
    }
    assert result["entry"]["data"][CONF_CLOUDHOOK_URL] == "**REDACTED**"
    assert result["settings"]["credentials_required"] is False
    assert CLOUDHOOK_URL not in json.dumps(result)
    _assert_nothing_personal(result)
