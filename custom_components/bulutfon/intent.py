"""Assist: phone questions answered from the loaded lines, in Turkish and English.

Home Assistant's intent component loads this module as the integration's `intent` platform
and calls async_setup_intents once (the integration's own setup does not: registering
twice is what logged "Intent … is being overwritten" at every start). Five intents read
what the lines already know (assist_answers.py); an LLM agent reaches them as tools
(llm.py).

The built-in conversation agent has no public way for an integration to add sentences to
it; conversation triggers are public, so the integration attaches its templates
(assist_sentences.py) itself, one trigger per question and language, once `conversation`
is loaded: Assist is optional, calls are not, so nothing here may stop the phone when
conversation cannot start (it is no dependency of the integration).
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import re
from typing import Any, Final

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.const import EVENT_COMPONENT_LOADED
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    intent,
)
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import (
    async_initialize_triggers,
    async_validate_trigger_config,
)
import voluptuous as vol

from .assist_answers import ANSWERS, AskedLine, capitalized
from .assist_sentences import (
    ASK_STATUS,
    ASKS,
    GENERIC_LINE_WORDS,
    INTENT_CALLBACKS,
    INTENT_LAST_CALLER,
    INTENT_LINE_BUSY,
    INTENT_ON_THE_PHONE,
    INTENT_TODAY,
    LANGUAGE_TEMPLATES,
    LINE_SLOT,
    Question,
    without_turkish_letters,
)
from .const import DOMAIN
from .line import PhoneLine
from .wording import language_for, sentence, spoken_list

_LOGGER = logging.getLogger(__name__)

ASK_SLOT: Final = "question"
"""How the line question was put (assist_sentences.ASKS)."""
BUILT_IN_ASSISTANT: Final = "conversation"
"""The assistant id of Home Assistant's built-in agent, for its exposure settings."""
MIN_NUMBER_DIGITS: Final = 4
"""A number naming a line must have at least this many of its last digits."""

DESCRIPTIONS: Final[dict[str, str]] = {
    INTENT_LAST_CALLER: "Tells who called the Bulutfon phone line last, and when.",
    INTENT_CALLBACKS: (
        "Tells how many missed callers are still to be called back, and who they are."
    ),
    INTENT_LINE_BUSY: (
        "Tells whether the phone line is busy or free, how many calls are on, or "
        "what the line is doing (idle, ringing, talking)."
    ),
    INTENT_ON_THE_PHONE: "Tells which extensions or users are on the phone now.",
    INTENT_TODAY: (
        "Tells today's call figures: incoming, outgoing, answered, missed, talk time."
    ),
}


def loaded_lines(hass: HomeAssistant) -> list[PhoneLine]:
    """The lines of every loaded Bulutfon entry."""
    return [
        entry.runtime_data
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        if isinstance(entry.runtime_data, PhoneLine)
    ]


def _fold(text: str) -> str:
    """Lower case, Turkish letters folded, no punctuation: how names are compared."""
    text = text.replace("İ", "i").lower()
    return " ".join(re.sub(r"[^\w ]", " ", without_turkish_letters(text)).split())


def _asked_line(hass: HomeAssistant, line: PhoneLine, assistant: str) -> AskedLine:
    device = dr.async_get(hass).async_get(line.device_id)
    name = (device.name_by_user or device.name) if device else None
    registry = er.async_get(hass)
    number = line.settings.number

    def exposed(key: str) -> bool:
        unique_id = f"{number}_{key}"
        return any(
            async_should_expose(hass, assistant, entity_id)
            for domain in ("sensor", "binary_sensor", "todo")
            if (entity_id := registry.async_get_entity_id(domain, DOMAIN, unique_id))
        )

    return AskedLine(line, name or number, exposed)


def named(lines: list[AskedLine], text: str) -> list[AskedLine] | None:
    """The lines a spoken name or number means: all of them for a generic word ("phone"),
    None when it names no line."""
    folded = _fold(text)
    for word in ("the ", "our "):
        folded = folded.removeprefix(word)
    if not folded or folded in GENERIC_LINE_WORDS:
        return lines
    digits = re.sub(r"\D", "", text)
    found = []
    for item in lines:
        name = _fold(item.name)
        words = name.split()
        number = item.line.settings.number
        if folded in {name, *words, " ".join(words[1:])} or (
            len(digits) >= MIN_NUMBER_DIGITS
            and (number.endswith((digits, digits.lstrip("0"))))
        ):
            found.append(item)
    return found or None


class PhoneQuestionHandler(intent.IntentHandler):
    """Answers one phone question from the loaded lines."""

    def __init__(self, intent_type: str, description: str) -> None:
        """Answer `intent_type`; the description is what an LLM reads about it."""
        self.intent_type = intent_type
        self.description = description

    @property
    def slot_schema(self) -> dict[Any, Any] | None:
        """A line may be named; the line question says how it was put."""
        schema: dict[Any, Any] = {vol.Optional(LINE_SLOT): cv.string}
        if self.intent_type == INTENT_LINE_BUSY:
            schema[vol.Optional(ASK_SLOT)] = vol.In(ASKS)
        return schema

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Word the answer in the language of the question."""
        hass = intent_obj.hass
        language = language_for(intent_obj.language)
        slots = self.async_validate_slots(intent_obj.slots)
        # No assistant (the intent HTTP API): the built-in agent's exposure settings.
        assistant = intent_obj.assistant or BUILT_IN_ASSISTANT
        lines = [_asked_line(hass, line, assistant) for line in loaded_lines(hass)]
        response = intent_obj.create_response()
        if not lines:
            response.async_set_speech(sentence(language, "no_line"))
            return response
        if (line_name := slots.get(LINE_SLOT, {}).get("value")) is not None:
            chosen = named(lines, line_name)
            if chosen is None:
                response.async_set_speech(
                    sentence(
                        language,
                        "unknown_line",
                        name=line_name,
                        lines=spoken_list([item.name for item in lines], language),
                    )
                )
                return response
            lines = chosen
        ask = slots.get(ASK_SLOT, {}).get("value", ASK_STATUS)
        answer = ANSWERS[self.intent_type](lines, language, ask)
        response.async_set_speech(capitalized(answer, language))
        return response


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents (once: the intent component calls this), and attach their
    sentences when conversation is, or becomes, loaded."""
    for intent_type, description in DESCRIPTIONS.items():
        intent.async_register(
            hass, PhoneQuestionHandler(intent_type, description=description)
        )
    if BUILT_IN_ASSISTANT in hass.config.components:
        await _async_attach_sentences(hass)
        return

    async def conversation_loaded(event: Event[Any]) -> None:
        if event.data.get("component") == BUILT_IN_ASSISTANT:
            remove()
            await _async_attach_sentences(hass)

    remove = hass.bus.async_listen(EVENT_COMPONENT_LOADED, conversation_loaded)


async def _async_attach_sentences(hass: HomeAssistant) -> None:
    """One conversation trigger per question and language, answering with the intent's
    speech in the language its template is in."""
    for language, questions in LANGUAGE_TEMPLATES.items():
        for question, sentences in questions.items():
            config = await async_validate_trigger_config(
                hass, [{"platform": "conversation", "command": sentences}]
            )
            await async_initialize_triggers(
                hass,
                config,
                _answerer(hass, question, language),
                DOMAIN,
                f"{DOMAIN} {question.intent_type} {question.ask} {language}",
                _log,
            )


def _answerer(
    hass: HomeAssistant, question: Question, language: str
) -> Callable[[dict[str, Any], Context | None], Any]:
    async def answer(
        run_variables: dict[str, Any], context: Context | None = None
    ) -> ScriptRunResult:
        trigger = run_variables.get("trigger", {})
        slots: dict[str, Any] = {}
        if question.ask:
            slots[ASK_SLOT] = {"value": question.ask}
        if line_name := (trigger.get("slots") or {}).get(LINE_SLOT):
            slots[LINE_SLOT] = {"value": line_name}
        response = await intent.async_handle(
            hass,
            DOMAIN,
            question.intent_type,
            slots=slots,
            text_input=trigger.get("sentence"),
            context=context,
            # The template's language, not the pipeline's: a Turkish question on an
            # English pipeline is answered in Turkish.
            language=language,
            assistant=BUILT_IN_ASSISTANT,
        )
        speech = response.speech.get("plain", {}).get("speech")
        return ScriptRunResult(
            conversation_response=speech, service_response=None, variables={}
        )

    return answer


@callback
def _log(level: int, message: str, **kwargs: Any) -> None:
    _LOGGER.log(level, "Phone questions: %s", message, **kwargs)
