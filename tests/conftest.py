"""Shared fixtures: a configured Bulutfon entry, and posting to its webhook."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
import logging
from typing import Any

from aiohttp import ClientResponse, encode_basic_auth
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bulutfon.const import (
    ALL_EVENT_TYPES,
    CONF_CLOUDHOOK_URL,
    CONF_EVENTS,
    CONF_NUMBER,
    DOMAIN,
)

from .no_silent_skips import register as register_no_silent_skips

# The Home Assistant test plugin logs every SQL statement of the test recorder at INFO;
# some reach the terminal. They say nothing about this integration.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

NUMBER = "908508850000"
WEBHOOK_ID = "0123456789abcdef" * 4

type Post = Callable[..., Awaitable[ClientResponse]]


def pytest_configure(config: pytest.Config) -> None:
    """With $CI set, a skipped test or module fails the run (tests/no_silent_skips.py)."""
    register_no_silent_skips(config)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/bulutfon in every test."""


def make_entry(
    number: str = NUMBER,
    webhook_id: str = WEBHOOK_ID,
    events: list[str] | None = None,
    **options: Any,
) -> MockConfigEntry:
    """A Bulutfon entry as the config flow creates it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Bulutfon {number}",
        unique_id=number,
        data={
            CONF_NUMBER: number,
            CONF_WEBHOOK_ID: webhook_id,
            CONF_CLOUDHOOK_URL: None,
        },
        options={
            CONF_EVENTS: ALL_EVENT_TYPES if events is None else events,
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
            **options,
        },
    )


async def start_flow(hass: HomeAssistant, platform: str = "bulutfon") -> dict[str, Any]:
    """Start adding the integration and pick the platform in its first step (a menu)."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["bulutfon", "hipcall"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": platform}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == platform
    return dict(result)


async def setup_entry(hass: HomeAssistant, **kwargs: Any) -> MockConfigEntry:
    """Add make_entry(**kwargs) to Home Assistant and set it up."""
    config_entry = make_entry(**kwargs)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Options for the `entry` fixture; override in a module to change them."""
    return {}


@pytest.fixture
async def entry(hass: HomeAssistant, entry_options: dict[str, Any]) -> MockConfigEntry:
    """A loaded Bulutfon entry for 908508850000."""
    return await setup_entry(hass, **entry_options)


@pytest.fixture
async def post(hass: HomeAssistant, hass_client_no_auth: Any) -> Post:
    """POST a body to a webhook: a dict goes as JSON, bytes as they are."""
    assert await async_setup_component(hass, "webhook", {})
    client = await hass_client_no_auth()

    async def _post(
        body: dict[str, Any] | bytes | str,
        *,
        webhook_id: str = WEBHOOK_ID,
        content_type: str | None = "application/json",
        auth: tuple[str, str] | None = None,
        method: str = "POST",
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        if isinstance(body, dict):
            body = json.dumps(body)
        all_headers = dict(headers or {})
        if auth is not None:
            all_headers["Authorization"] = encode_basic_auth(*auth)
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        response = await client.request(
            method,
            f"/api/webhook/{webhook_id}",
            data=body.encode() if isinstance(body, str) else body,
            headers=all_headers,
        )
        await hass.async_block_till_done()
        return response

    return _post


@pytest.fixture
async def webhook_ready(hass: HomeAssistant) -> None:
    """Home Assistant's webhook (and HTTP) component, for tests that set up entries late."""
    assert await async_setup_component(hass, "webhook", {})


@pytest.fixture
def late_post(webhook_ready: None, post: Post) -> Post:
    """`post` for tests that set up their entry themselves."""
    return post
