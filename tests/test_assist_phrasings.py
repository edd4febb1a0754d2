# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""Assist understands how people ask (issue 31): every template expanded, and 30 hand-written
questions per language, each through /api/conversation/process, each reaching the question
it asks (never Home Assistant's own intents, never two answers), answered in its own
language, on one line or all of them (issue 32 items 2 and 4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hassil.intents import TextSlotList
from hassil.parse_expression import parse_sentence
from hassil.sample import sample_expression
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bulutfon import intent as bulutfon_intent
from custom_components.bulutfon.assist_sentences import (
    BUSY,
    CALLBACKS,
    COUNT,
    FREE,
    LANGUAGE_TEMPLATES,
    LAST_CALLER,
    LINE_SLOT,
    ON_THE_PHONE,
    STATUS,
    TODAY,
    Question,
)
from custom_components.bulutfon.const import (
    CONF_CLOUDHOOK_URL,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PLATFORM,
    DOMAIN,
    HIPCALL_EVENT_TYPES,
    PLATFORM_HIPCALL,
)

from .conftest import Post, make_entry
from .test_assist import ask, assist, call, expose_all  # noqa: F401 - fixture

HIPCALL_NUMBER = "902125550000"
LINE_NAMES = ["office", "Hipcall", "0212 555 00 00"]
"""What the generated phrasings name a line by: a renamed line, a platform, a number."""

HAND_WRITTEN: dict[str, list[tuple[str, Question]]] = {
    "en": [
        ("Who called last?", LAST_CALLER),
        ("Who called me last?", LAST_CALLER),
        ("Who rang last?", LAST_CALLER),
        ("Who was the last caller?", LAST_CALLER),
        ("Who phoned us most recently?", LAST_CALLER),
        ("How many missed calls?", CALLBACKS),
        ("How many missed calls do we have?", CALLBACKS),
        ("Any missed calls?", CALLBACKS),
        ("Did I miss any calls?", CALLBACKS),
        ("Who should I call back?", CALLBACKS),
        ("Who do we need to call back?", CALLBACKS),
        ("Read me the callback list", CALLBACKS),
        ("Is the line busy?", BUSY),
        ("Is the phone busy?", BUSY),
        ("Is the phone line in use?", BUSY),
        ("Is there a call going on right now?", BUSY),
        ("Is the line free?", FREE),
        ("Is the phone free?", FREE),
        ("Is the line available?", FREE),
        ("How many calls are on?", COUNT),
        ("How many active calls are there?", COUNT),
        ("What is the line status?", STATUS),
        ("Line status", STATUS),
        ("What is the phone doing right now?", STATUS),
        ("Who is on the phone?", ON_THE_PHONE),
        ("Who is talking?", ON_THE_PHONE),
        ("Is anyone on the phone?", ON_THE_PHONE),
        ("How many calls today?", TODAY),
        ("How many calls came in today?", TODAY),
        ("How many people called today?", TODAY),
    ],
    "tr": [
        ("Son arayan kim?", LAST_CALLER),
        ("Son arayan kimdi?", LAST_CALLER),
        ("En son kim aradı?", LAST_CALLER),
        ("Beni en son kim aradı?", LAST_CALLER),
        ("Son arama kimdendi?", LAST_CALLER),
        ("Kaç cevapsız çağrı var?", CALLBACKS),
        ("kac cevapsiz arama var", CALLBACKS),
        ("Kaçan arama var mı?", CALLBACKS),
        ("Kaç arama kaçırdım?", CALLBACKS),
        ("Cevapsız aramalar", CALLBACKS),
        ("Kimi geri aramalıyım?", CALLBACKS),
        ("Geri aranacak kim var?", CALLBACKS),
        ("Hat meşgul mü?", BUSY),
        ("hat mesgul mu", BUSY),
        ("Telefon meşgul mü?", BUSY),
        ("Hatta görüşme var mı?", BUSY),
        ("Hat boş mu?", FREE),
        ("hat bos mu", FREE),
        ("Hat müsait mi?", FREE),
        ("Hatta kaç çağrı var?", COUNT),
        ("Şu an kaç arama var?", COUNT),
        ("Hattın durumu ne?", STATUS),
        ("Hat ne durumda?", STATUS),
        ("Kim telefonda?", ON_THE_PHONE),
        ("Telefonda kim var?", ON_THE_PHONE),
        ("Kim konuşuyor?", ON_THE_PHONE),
        ("Bugün kaç çağrı geldi?", TODAY),
        ("bugun kac arama geldi", TODAY),
        ("Bugün kaç kişi aradı?", TODAY),
        ("Bugünkü rakamlar", TODAY),
    ],
}


def generated(language: str) -> Iterator[tuple[str, Question]]:
    """Every phrasing the templates of `language` make (lines named as in LINE_NAMES)."""
    lines = {LINE_SLOT: TextSlotList.from_strings(LINE_NAMES)}
    for question, templates in LANGUAGE_TEMPLATES[language].items():
        for template in templates:
            for text in sample_expression(parse_sentence(template).expression, lines):
                yield " ".join(text.split()), question


Handled = list[tuple[str, str, str | None, str]]


@pytest.fixture
async def office(
    hass: HomeAssistant,
    assist: None,  # noqa: F811 - the fixture imported above
    webhook_ready: None,
    monkeypatch: pytest.MonkeyPatch,
) -> Handled:
    """Two lines (a classic one renamed "Office", a Hipcall one), everything exposed;
    yields what the phone questions handled: (intent, question, line, language)."""
    classic = make_entry()
    hipcall = MockConfigEntry(
        domain=DOMAIN,
        title="Hipcall 0212 555 00 00",
        unique_id=HIPCALL_NUMBER,
        version=1,
        minor_version=3,
        data={
            CONF_PLATFORM: PLATFORM_HIPCALL,
            CONF_NUMBER: HIPCALL_NUMBER,
            "webhook_id": "hipcall-hook",
            CONF_CLOUDHOOK_URL: None,
        },
        options={CONF_EVENTS: HIPCALL_EVENT_TYPES},
    )
    for entry in (classic, hipcall):
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    devices = dr.async_get(hass)
    (device,) = dr.async_entries_for_config_entry(devices, classic.entry_id)
    devices.async_update_device(device.id, name_by_user="Office")
    expose_all(hass)
    handled: Handled = []
    original = bulutfon_intent.PhoneQuestionHandler.async_handle

    async def recording(
        self: bulutfon_intent.PhoneQuestionHandler, intent_obj: Any
    ) -> Any:
        slots = intent_obj.slots
        handled.append(
            (
                self.intent_type,
                slots.get("question", {}).get("value", ""),
                slots.get(LINE_SLOT, {}).get("value"),
                intent_obj.language,
            )
        )
        return await original(self, intent_obj)

    monkeypatch.setattr(bulutfon_intent.PhoneQuestionHandler, "async_handle", recording)
    return handled


async def _reaches(
    client: Any, handled: Handled, text: str, question: Question, language: str
) -> str:
    """Ask once; the one phone question it reached must be `question`, in `language`."""
    handled.clear()
    # The pipeline's language is the other one: the answer follows the question's.
    other = "tr" if language == "en" else "en"
    answer = await ask(client, text, other)
    assert [(intent, ask_, lang) for intent, ask_, _, lang in handled] == [
        (question.intent_type, question.ask, language)
    ], text
    assert "http" not in answer, text  # spoken answers never read a URL
    return answer


@pytest.mark.parametrize("language", ["en", "tr"])
async def test_every_generated_phrasing_reaches_its_question(
    hass: HomeAssistant, office: Handled, hass_client: Any, language: str
) -> None:
    """At least 100 phrasings per language from the templates, each reaching its own
    question (and a named line reaching that line's answer)."""
    phrasings = dict(generated(language))
    assert len(phrasings) >= 100
    client = await hass_client()
    for text, question in phrasings.items():
        await _reaches(client, office, text, question, language)


@pytest.mark.parametrize("language", ["en", "tr"])
async def test_hand_written_questions_reach_their_question(
    hass: HomeAssistant, office: Handled, hass_client: Any, language: str
) -> None:
    """30 ways people really ask, per language, none taken by a built-in intent."""
    questions = HAND_WRITTEN[language]
    assert len(questions) == 30
    client = await hass_client()
    for text, question in questions:
        await _reaches(client, office, text, question, language)


async def test_answers_cover_every_line_or_the_named_one(
    hass: HomeAssistant, office: Handled, late_post: Post, hass_client: Any
) -> None:
    """Without a name the answer covers every line in one sentence; a name or number
    picks one line; a name no line has is said."""
    client = await hass_client()
    assert await ask(client, "Is the line busy?", "en") == "No, every line is free."
    assert await ask(client, "Hat boş mu?", "tr") == "Evet, bütün hatlar boş."
    await late_post(call("call_init", "a", "905321234567"))
    assert await ask(client, "Is the line busy?", "en") == (
        "Yes: Office is in a call (1 call) and Hipcall 0212 555 00 00 is idle."
    )
    assert await ask(client, "Is the line free?", "en") == (
        "No: Office is in a call (1 call) and Hipcall 0212 555 00 00 is idle."
    )
    assert await ask(client, "Hatta kaç çağrı var?", "tr") == (
        "Toplam 1 çağrı: Office meşgul (1 çağrı) ve Hipcall 0212 555 00 00 boşta."
    )
    assert await ask(client, "Hipcall hattı meşgul mü?", "tr") == "Hayır, hat boş."
    assert await ask(client, "Is the office line busy?", "en") == (
        "Yes, one call is on."
    )
    assert await ask(client, "Is the 0850 885 00 00 line free?", "en") == (
        "No, one call is on."
    )
    assert await ask(client, "What is the Hipcall line doing?", "en") == (
        "The line is idle."
    )
    assert await ask(client, "Is the kitchen line busy?", "en") == (
        "There is no phone line called kitchen; the lines are Office and "
        "Hipcall 0212 555 00 00."
    )


async def test_answer_follows_the_question_not_the_pipeline(
    hass: HomeAssistant, office: Handled, hass_client: Any
) -> None:
    """A Turkish question on an English pipeline is answered in Turkish, and back."""
    client = await hass_client()
    assert await ask(client, "Son arayan kim?", "en") == "Henüz arayan olmadı."
    assert await ask(client, "Who called last?", "tr") == "No one has called yet."
