"""LLM tools: the phone questions (intent.py) for an LLM-based conversation agent.

Home Assistant's Assist LLM API asks each integration's `llm` platform for tools; these are
the same intents the built-in agent answers, so both agents give the same answers. Each
answer reads only entities exposed to the agent's assistant (assist_answers.py), so what
reaches an LLM provider is what the user exposed.
"""

from __future__ import annotations

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)

from .const import DOMAIN
from .intent import DESCRIPTIONS

# Each tool only reads what the lines know: asking again changes nothing.
LLM_ANNOTATIONS = ToolAnnotations(
    read_only=True, destructive=False, idempotent=True, open_world=False
)

TITLES = {
    "BulutfonLastCaller": "Last caller",
    "BulutfonCallbacks": "Calls to return",
    "BulutfonLineBusy": "Line busy",
    "BulutfonOnThePhone": "Who is on the phone",
    "BulutfonToday": "Today's call figures",
}


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """The phone questions as tools, when one of the lines' entities is exposed."""
    if api_id != LLM_API_ASSIST or not llm_context.assistant:
        return None
    assistant = llm_context.assistant
    if not any(
        async_should_expose(hass, assistant, registry_entry.entity_id)
        for registry_entry in er.async_get(hass).entities.values()
        if registry_entry.platform == DOMAIN
    ):
        return None
    tools: list[Tool] = [
        IntentTool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=TITLES[handler.intent_type],
            integration=DOMAIN,
            annotations=LLM_ANNOTATIONS,
        )
        for handler in intent.async_get(hass)
        if handler.intent_type in DESCRIPTIONS
    ]
    return LLMTools(tools=tools)
