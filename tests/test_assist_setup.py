# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""How Assist attaches to the integration: once, optionally, and only for what is exposed
(issue 32 item 12, issue 24 item 6, issue 25 item 7)."""

from __future__ import annotations

import logging
from typing import Any
from unittest.mock import patch

from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er, llm
from homeassistant.setup import async_set_domains_to_be_loaded, async_setup_component
import pytest

from custom_components.bulutfon.const import DOMAIN

from .conftest import NUMBER, Post, setup_entry
from .test_assist import ask, assist, call  # noqa: F401 - fixture

NOT_EXPOSED = (
    "I can't answer that: the line's entities it reads are not exposed to Assist."
)


def entity_id(hass: HomeAssistant, domain: str, key: str) -> str:
    """The entity id of the line's entity with this key."""
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{NUMBER}_{key}")
    assert found is not None
    return found


async def converse(hass: HomeAssistant, text: str, language: str) -> str:
    """Ask the built-in agent from Python (no HTTP server needed)."""
    result = await conversation.async_converse(hass, text, None, Context(), language)
    return result.response.speech["plain"]["speech"]


async def test_intents_register_once(
    hass: HomeAssistant,
    assist: None,  # noqa: F811 - the fixture imported above
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No "Intent … is being overwritten" at start, after a reload or a second line."""
    caplog.set_level(logging.WARNING)
    entry = await setup_entry(hass)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await setup_entry(hass, number="902125550000", webhook_id="second-hook")
    await hass.async_block_till_done()
    assert "is being overwritten" not in caplog.text
    assert (
        await converse(hass, "Hat boş mu", "tr")
        == "Bunu yanıtlayamam: gereken hat varlıkları Assist'e açık değil."
    )


async def test_sentences_attach_when_conversation_comes_later(
    hass: HomeAssistant,
) -> None:
    """Bulutfon first, Assist later: the questions are understood once it is there,
    and answered once (one trigger per question, not one per setup)."""
    await setup_entry(hass)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    async_expose_entity(
        hass, "conversation", entity_id(hass, "binary_sensor", "line_busy"), True
    )
    assert await converse(hass, "Is the line free", "en") == "Yes, the line is free."


async def test_the_phone_works_when_conversation_cannot_start(
    hass: HomeAssistant, late_post: Post
) -> None:
    """Conversation fails to set up at start: Bulutfon still sets up and takes calls
    (before, as an after-dependency, its failure refused Bulutfon's setup)."""
    async_set_domains_to_be_loaded(hass, {"conversation", DOMAIN})
    with patch("homeassistant.components.conversation.async_setup", return_value=False):
        # As at a start: both are to be set up; Bulutfon must not wait on Assist.
        assert await async_setup_component(hass, DOMAIN, {})
        assert not await async_setup_component(hass, "conversation", {})
        entry = await setup_entry(hass)
    assert entry.state is ConfigEntryState.LOADED
    await late_post(call("call_init", "a", "905321234567"))
    assert hass.states.get(entity_id(hass, "binary_sensor", "line_busy")).state == "on"  # type: ignore[union-attr]


async def test_answers_only_what_is_exposed(
    hass: HomeAssistant,
    assist: None,  # noqa: F811 - the fixture imported above
    late_post: Post,
    hass_client: Any,
) -> None:
    """Each answer reads only entities exposed to Assist; the call-back list (a to-do
    list, exposed by default) answers, the sensors (not exposed by default) do not."""
    await setup_entry(hass)
    await late_post(call("call_init", "a", "905321234567"))
    await late_post(call("missing_call", "a", "905321234567"))
    await late_post(call("call_init", "b", "905551112233"))
    await late_post(
        call("call_init_extension", "b", "905551112233", destination="1001")
    )
    client = await hass_client()
    assert await ask(client, "Who called last", "en") == NOT_EXPOSED
    assert await ask(client, "Is the line busy", "en") == NOT_EXPOSED
    assert await ask(client, "How many calls today", "en") == NOT_EXPOSED
    assert await ask(client, "Who is on the phone", "en") == NOT_EXPOSED
    assert (
        await ask(client, "Who should I call back", "en")
        == "One caller to call back: 0532 123 45 67."
    )
    async_expose_entity(
        hass, "conversation", entity_id(hass, "sensor", "call_state"), True
    )
    assert await ask(client, "Is the line busy", "en") == "Yes, one call is on."
    # The line is exposed, the person is not: the answer does not name them.
    assert (
        await ask(client, "Who is on the phone", "en")
        == "One call is on, but not at a known extension."
    )
    async_expose_entity(
        hass, "conversation", entity_id(hass, "binary_sensor", "extension_1001"), True
    )
    assert (
        await ask(client, "Who is on the phone", "en")
        == "Extension 1001 is on the phone."
    )


async def test_llm_tools_answer_only_what_is_exposed(
    hass: HomeAssistant,
    assist: None,  # noqa: F811 - the fixture imported above
    late_post: Post,
) -> None:
    """An LLM agent's tools check the exposure of what they read for its assistant."""
    assert await async_setup_component(hass, "llm", {})
    await setup_entry(hass)
    await late_post(call("call_init", "a", "905321234567"))
    context = llm.LLMContext(
        platform="test",
        context=None,
        language="en",
        assistant="conversation",
        device_id=None,
    )
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)
    tool = llm.ToolInput(
        tool_name="bulutfon__BulutfonLineBusy", tool_args={"question": "free"}
    )
    result = await api.async_call_tool(tool)
    assert result.data["speech"]["plain"]["speech"] == NOT_EXPOSED  # type: ignore[index,call-overload]
    async_expose_entity(
        hass, "conversation", entity_id(hass, "binary_sensor", "line_busy"), True
    )
    result = await api.async_call_tool(tool)
    assert result.data["speech"]["plain"]["speech"] == "No, one call is on."  # type: ignore[index,call-overload]
