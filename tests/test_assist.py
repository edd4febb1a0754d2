# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""Assist answers phone questions, in English and Turkish, through the built-in agent's
HTTP API (/api/conversation/process), and the same intents are LLM tools."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, intent, llm
from homeassistant.setup import async_setup_component
import pytest

from custom_components.bulutfon.assist_sentences import LANGUAGE_TEMPLATES
from custom_components.bulutfon.const import CONF_PHONEBOOK

from .conftest import NUMBER, Post, setup_entry

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory

T0 = datetime(2026, 5, 4, 11, 0, tzinfo=UTC)
BOOK = "0532 123 45 67 = Ayşe Kaya\n1001 = Mehmet"

QUESTIONS = [
    ("en", "Who called last?", "The last call was from 0555 111 22 33, 5 minutes ago."),
    ("tr", "Son arayan kim?", "Son arayan: 0555 111 22 33, 5 dakika önce."),
    (
        "en",
        "How many missed calls?",
        "2 callers to call back: 0532 999 99 99 and Ayşe Kaya.",
    ),
    (
        "tr",
        "Kaç cevapsız çağrı var?",
        "Geri aranacak 2 kişi var: 0532 999 99 99 ve Ayşe Kaya.",
    ),
    (
        "en",
        "Whom should I call back?",
        "2 callers to call back: 0532 999 99 99 and Ayşe Kaya.",
    ),
    (
        "tr",
        "Kimi geri aramalıyım?",
        "Geri aranacak 2 kişi var: 0532 999 99 99 ve Ayşe Kaya.",
    ),
    ("en", "Is the line busy?", "Yes, one call is on."),
    ("tr", "Hat meşgul mü?", "Evet, hatta 1 çağrı var."),
    ("en", "Is the line free?", "No, one call is on."),
    ("tr", "Hat boş mu?", "Hayır, hatta 1 çağrı var."),
    ("en", "How many calls are on?", "One call is on."),
    ("tr", "Hatta kaç çağrı var?", "Hatta 1 çağrı var."),
    ("en", "What is the line status?", "The line is in a call (1 call)."),
    ("tr", "Hattın durumu ne?", "Hat meşgul (1 çağrı)."),
    ("en", "Who is on the phone?", "Mehmet is on the phone."),
    ("tr", "Kim telefonda?", "Telefonda: Mehmet."),
    (
        "en",
        "How many calls today?",
        (
            "Today: 3 incoming, 0 outgoing, 0 answered and 2 missed calls; "
            "0 seconds of talk."
        ),
    ),
    (
        "tr",
        "Bugün kaç çağrı geldi?",
        (
            "Bugün 3 gelen, 0 giden, 0 cevaplanan ve 2 cevapsız çağrı; "
            "toplam görüşme 0 saniye."
        ),
    ),
]


@pytest.fixture
async def assist(hass: HomeAssistant) -> None:
    """The built-in agent; set up before any HTTP view (the webhook) is registered."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


async def ask(client: Any, text: str, language: str) -> str:
    """Ask the built-in agent over HTTP; its spoken answer."""
    response = await client.post(
        "/api/conversation/process", json={"text": text, "language": language}
    )
    assert response.status == 200
    body = await response.json()
    return body["response"]["speech"]["plain"]["speech"]  # type: ignore[no-any-return]


def expose_all(hass: HomeAssistant, assistant: str = "conversation") -> None:
    """Expose every Bulutfon entity to the assistant (most are not exposed by default)."""
    for entry in er.async_get(hass).entities.values():
        if entry.platform == "bulutfon":
            async_expose_entity(hass, assistant, entry.entity_id, True)


def call(event_type: str, uuid: str, caller: str, **fields: Any) -> dict[str, Any]:
    """A classic webhook body for an incoming call."""
    return {
        "event_type": event_type,
        "uuid": uuid,
        "caller": caller,
        "callee": NUMBER,
        "direction": "IN",
        **fields,
    }


@pytest.fixture
async def busy_office(
    hass: HomeAssistant,
    assist: None,
    late_post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two missed callers, then a call at extension 1001 (Mehmet), 5 minutes ago."""
    freezer.move_to(T0)
    await setup_entry(hass, **{CONF_PHONEBOOK: BOOK})
    await late_post(call("call_init", "a", "905321234567"))
    await late_post(call("missing_call", "a", "905321234567"))
    freezer.tick(timedelta(minutes=1))
    await late_post(call("call_init", "b", "905329999999"))
    await late_post(call("missing_call", "b", "905329999999"))
    freezer.tick(timedelta(minutes=1))
    await late_post(call("call_init", "c", "905551112233"))
    await late_post(
        call("call_init_extension", "c", "905551112233", destination="1001")
    )
    freezer.tick(timedelta(minutes=5))
    expose_all(hass)


@pytest.mark.parametrize(("language", "text", "answer"), QUESTIONS)
async def test_questions(  # noqa: PLR0917 - fixtures and parameters
    hass: HomeAssistant,
    busy_office: None,
    hass_client: Any,
    language: str,
    text: str,
    answer: str,
) -> None:
    """Every question, in both languages, answered from the lines."""
    assert await ask(await hass_client(), text, language) == answer


async def test_quiet_office(
    hass: HomeAssistant, assist: None, late_post: Post, hass_client: Any
) -> None:
    """Nothing happened yet: the answers say so rather than fail."""
    await setup_entry(hass)
    expose_all(hass)
    client = await hass_client()
    assert await ask(client, "Who called last", "en") == "No one has called yet."
    assert await ask(client, "Kimi geri aramalıyım", "tr") == "Geri aranacak kimse yok."
    assert await ask(client, "Hat boş mu", "tr") == "Evet, hat boş."
    assert await ask(client, "Is the line busy", "en") == "No, the line is free."
    assert await ask(client, "Is the line free", "en") == "Yes, the line is free."
    assert await ask(client, "How many calls are on", "en") == "No call is on."
    assert await ask(client, "Hatta kaç çağrı var", "tr") == "Hatta çağrı yok."
    assert await ask(client, "Line status", "en") == "The line is idle."
    assert await ask(client, "Who is on the phone", "en") == "No one is on the phone."


async def test_no_line(hass: HomeAssistant, assist: None, hass_client: Any) -> None:
    """With no entry loaded the sentences still answer (the intents are global)."""
    assert await async_setup_component(hass, "bulutfon", {})
    client = await hass_client()
    assert await ask(client, "Son arayan kim", "tr") == "Kurulu bir Bulutfon hattı yok."


async def test_called_back_leaves_the_answer(
    hass: HomeAssistant, busy_office: None, late_post: Post, hass_client: Any
) -> None:
    """Reading the list: a call back (answered) removes the caller from the answer."""
    await late_post(
        {
            "event_type": "call_hangup",
            "uuid": "d",
            "caller": "1001",
            "callee": "05329999999",
            "direction": "OUT",
            "talk_duration": 20,
        }
    )
    assert (
        await ask(await hass_client(), "Whom should I call back", "en")
        == "One caller to call back: Ayşe Kaya."
    )


def test_every_question_has_templates_in_both_languages() -> None:
    """Each question has English and Turkish templates (Turkish also without Turkish
    letters), none punctuated."""
    english, turkish = LANGUAGE_TEMPLATES["en"], LANGUAGE_TEMPLATES["tr"]
    assert english.keys() == turkish.keys()
    for question, sentences in turkish.items():
        assert english[question], question
        assert any(any(char in "ıçşğüö" for char in s) for s in sentences)
        assert any(not any(char in "ıçşğüö" for char in s) for s in sentences)
    for sentences in (*english.values(), *turkish.values()):
        assert not any(char in s for s in sentences for char in "?.,!'")


async def test_intents_are_llm_tools(hass: HomeAssistant, busy_office: None) -> None:
    """With an LLM agent (the Assist API), the five questions are tools that answer."""
    assert await async_setup_component(hass, "llm", {})
    context = llm.LLMContext(
        platform="test",
        context=None,
        language="en",
        assistant="conversation",
        device_id=None,
    )
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)
    names = {tool.name for tool in api.tools}
    assert {
        "bulutfon__BulutfonLastCaller",
        "bulutfon__BulutfonCallbacks",
        "bulutfon__BulutfonLineBusy",
        "bulutfon__BulutfonOnThePhone",
        "bulutfon__BulutfonToday",
    } <= names
    result = await api.async_call_tool(
        llm.ToolInput(tool_name="bulutfon__BulutfonOnThePhone", tool_args={})
    )
    assert not result.error
    assert result.data["speech"]["plain"]["speech"] == "Mehmet is on the phone."  # type: ignore[index,call-overload]
    assert intent.async_get(hass)
