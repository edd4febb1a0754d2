# ruff: noqa: RUF001  (Turkish sentences: their dotless i is meant)
"""Assist: phone questions answered from the loaded lines, in Turkish and English.

Five intents (Home Assistant's intent helper) read what the lines already know: the last
caller, the call-back list, the calls under way, who is on the phone and today's figures.
The answers are worded in wording.py. The built-in conversation agent has no public way for
an integration to add sentences to it; conversation triggers are public, so the integration
attaches one trigger per intent itself (SENTENCES below, both languages: a trigger matches
in every language, and the answer follows the language that was spoken). Users get the
questions without copying files or making an automation; an LLM agent reaches the same
intents as tools through llm.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
import logging
from typing import Any, Final

from homeassistant.const import EVENT_COMPONENT_LOADED
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import (
    async_initialize_triggers,
    async_validate_trigger_config,
)
from homeassistant.util import dt as dt_util

from .callbacks import caller_key, item_summary
from .calls import CallInfo
from .const import DOMAIN
from .entity import place_name
from .line import PhoneLine
from .places import PlaceKind
from .wording import (
    caller_state,
    language_for,
    place_label,
    sentence,
    spoken_duration,
    spoken_list,
    time_ago,
)

_LOGGER = logging.getLogger(__name__)

INTENT_LAST_CALLER: Final = "BulutfonLastCaller"
INTENT_CALLBACKS: Final = "BulutfonCallbacks"
INTENT_LINE_BUSY: Final = "BulutfonLineBusy"
INTENT_ON_THE_PHONE: Final = "BulutfonOnThePhone"
INTENT_TODAY: Final = "BulutfonToday"

# Sentence templates (hassil syntax), English then Turkish; no punctuation (the agent
# removes it from what was said). Turkish forms avoid suffixes on names entirely.
SENTENCES: Final[dict[str, list[str]]] = {
    INTENT_LAST_CALLER: [
        "who called [us|me] last",
        "who was the last caller",
        "who called last time",
        "son arayan kim",
        "[beni|bizi] en son kim aradı",
        "son kim aradı",
    ],
    INTENT_CALLBACKS: [
        "how many missed calls [are there|do (we|I) have]",
        "(who|whom) (should|do) (we|I) [need to] call back",
        "who is left to call back",
        "(read|show) [me] the (call back|callback) list",
        "kaç cevapsız (çağrı|arama) var",
        "kimi geri (aramalıyım|aramalıyız|aramam gerekiyor|aramamız gerekiyor)",
        "kimleri geri (aramalıyım|aramalıyız)",
        "geri aranacak (kim|kimler) var",
        "geri aranacaklar kim",
    ],
    INTENT_LINE_BUSY: [
        "is the [phone] line busy",
        "is the [phone] line free",
        "how many calls are (on|active|in progress)",
        "hat meşgul mü",
        "hat boş mu",
        "telefon meşgul mü",
        "hatta kaç (çağrı|arama) var",
        "şu an kaç (çağrı|arama) var",
    ],
    INTENT_ON_THE_PHONE: [
        "who is on the phone",
        "who is (talking|on a call)",
        "kim telefonda",
        "telefonda kim var",
        "kimler telefonda",
        "kim görüşmede",
    ],
    INTENT_TODAY: [
        "how many calls [did we have] today",
        "(phone|call) (figures|numbers|stats|statistics) [for] today",
        "bugün kaç (çağrı|arama) (geldi|oldu|var)",
        "bugünkü (rakamlar|sayılar)",
        "bugünün (rakamları|özeti)",
    ],
}

DESCRIPTIONS: Final[dict[str, str]] = {
    INTENT_LAST_CALLER: "Tells who called the Bulutfon phone line last, and when.",
    INTENT_CALLBACKS: (
        "Tells how many missed callers are still to be called back, and who they are."
    ),
    INTENT_LINE_BUSY: "Tells whether the phone line is busy and how many calls are on.",
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


def last_caller(lines: Iterable[PhoneLine], language: str) -> str:
    """Who called last across the lines, and how long ago."""
    latest: tuple[datetime, PhoneLine, CallInfo] | None = None
    for line in lines:
        info = line.tracker.status.last_caller
        if (
            info is not None
            and info.time is not None
            and (latest is None or info.time > latest[0])
        ):
            latest = (info.time, line, info)
    if latest is None:
        return sentence(language, "no_caller")
    moment, line, info = latest
    who = caller_state(info.caller, line.settings.phonebook.name_for(info.caller))
    ago = time_ago((dt_util.utcnow() - moment).total_seconds(), language)
    return sentence(
        language,
        "last_caller",
        caller=who or sentence(language, "unknown_caller"),
        ago=ago,
    )


def callbacks(lines: Iterable[PhoneLine], language: str) -> str:
    """The callers still to call back (one per caller, even when two lines missed them)."""
    seen: set[str] = set()
    names: list[str] = []
    for line in lines:
        for item in line.callbacks.open_items:
            key = caller_key(item.number)
            if key is None or key in seen:
                continue
            seen.add(key)
            names.append(item_summary(item, line.settings.phonebook))
    if not names:
        return sentence(language, "no_callbacks")
    key = "callbacks_one" if len(names) == 1 else "callbacks_many"
    return sentence(
        language, key, count=len(names), callers=spoken_list(names, language)
    )


def line_busy(lines: Iterable[PhoneLine], language: str) -> str:
    """Whether any call is on, and how many."""
    count = sum(line.tracker.active_calls for line in lines)
    if not count:
        return sentence(language, "free")
    return sentence(language, "busy_one" if count == 1 else "busy_many", count=count)


def on_the_phone(lines: Iterable[PhoneLine], language: str) -> str:
    """The extensions and Hipcall users with a call now, by name."""
    people: list[str] = []
    calls = 0
    for line in lines:
        calls += line.tracker.active_calls
        places = line.tracker.places
        for kind in (PlaceKind.EXTENSION, PlaceKind.USER):
            for place in places.learned(kind):
                if places.calls_at(place):
                    name = place_name(line, place)  # a Hipcall user's name too
                    people.append(place_label(kind, place.number, name, language))
    if people:
        key = "on_phone_one" if len(people) == 1 else "on_phone_many"
        return sentence(language, key, people=spoken_list(people, language))
    if calls:
        return sentence(language, "on_phone_unknown", count=calls)
    return sentence(language, "nobody_on_phone")


def today(lines: Iterable[PhoneLine], language: str) -> str:
    """Today's figures of all lines together."""
    figures = {"incoming": 0, "outgoing": 0, "answered": 0, "missed": 0, "talk": 0}
    for line in lines:
        counts = line.tracker.today
        figures["incoming"] += counts.incoming_calls
        figures["outgoing"] += counts.outgoing_calls
        figures["answered"] += counts.answered_calls
        figures["missed"] += counts.missed_calls
        figures["talk"] += counts.talk_time
    talk = spoken_duration(figures.pop("talk"), language)
    return sentence(language, "today", talk=talk, **figures)


ANSWERS: Final[dict[str, Callable[[list[PhoneLine], str], str]]] = {
    INTENT_LAST_CALLER: last_caller,
    INTENT_CALLBACKS: callbacks,
    INTENT_LINE_BUSY: line_busy,
    INTENT_ON_THE_PHONE: on_the_phone,
    INTENT_TODAY: today,
}


class PhoneQuestionHandler(intent.IntentHandler):
    """Answers one phone question from the loaded lines."""

    def __init__(self, intent_type: str, description: str) -> None:
        """Answer `intent_type`; the description is what an LLM reads about it."""
        self.intent_type = intent_type
        self.description = description

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Word the answer in the language that was spoken."""
        language = language_for(intent_obj.language)
        lines = loaded_lines(intent_obj.hass)
        if lines:
            answer = ANSWERS[self.intent_type](lines, language)
        else:
            answer = sentence(language, "no_line")
        response = intent_obj.create_response()
        response.async_set_speech(answer)
        return response


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents, and attach their sentences once conversation is there."""
    for intent_type, description in DESCRIPTIONS.items():
        intent.async_register(
            hass, PhoneQuestionHandler(intent_type, description=description)
        )
    if "conversation" in hass.config.components:
        await _async_attach_sentences(hass)
        return

    async def conversation_loaded(event: Event[Any]) -> None:
        if event.data.get("component") == "conversation":
            remove()
            await _async_attach_sentences(hass)

    remove = hass.bus.async_listen(EVENT_COMPONENT_LOADED, conversation_loaded)


async def _async_attach_sentences(hass: HomeAssistant) -> None:
    """One conversation trigger per intent, answering with the intent's speech."""
    for intent_type, sentences in SENTENCES.items():
        config = await async_validate_trigger_config(
            hass, [{"platform": "conversation", "command": sentences}]
        )
        await async_initialize_triggers(
            hass,
            config,
            _answerer(hass, intent_type),
            DOMAIN,
            f"{DOMAIN} {intent_type}",
            _log,
        )


def _answerer(
    hass: HomeAssistant, intent_type: str
) -> Callable[[dict[str, Any], Context | None], Any]:
    async def answer(
        run_variables: dict[str, Any], context: Context | None = None
    ) -> ScriptRunResult:
        trigger = run_variables.get("trigger", {})
        user_input = trigger.get("user_input") or {}
        response = await intent.async_handle(
            hass,
            DOMAIN,
            intent_type,
            text_input=trigger.get("sentence"),
            context=context,
            language=user_input.get("language"),
        )
        speech = response.speech.get("plain", {}).get("speech")
        return ScriptRunResult(
            conversation_response=speech, service_response=None, variables={}
        )

    return answer


@callback
def _log(level: int, message: str, **kwargs: Any) -> None:
    _LOGGER.log(level, "Phone questions: %s", message, **kwargs)
