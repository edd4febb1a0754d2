# ruff: noqa: RUF001  (Turkish sentences: their dotless i is meant)
"""The phone questions Assist understands: sentence templates in English and Turkish.

Home Assistant's sentence syntax (hassil): `(a|b)` alternatives, `[word]` optional words,
`{line}` a line named by its name or number (a wildcard: conversation triggers take every
list reference as one). No punctuation: the agent removes it from what was said.

Each question is one trigger per language, so the template that matched tells the language
of the question (the pipeline's language may be another one) and which question it was: "is
the line free" and "is the line busy" reach the same intent with opposite yes/no.
Turkish templates are also attached spelled without Turkish letters (cevapsiz, cagri,
mesgul), since people type on keyboards without them.

Pure: no Home Assistant import (tests expand these templates with hassil).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from .wording import ENGLISH, TURKISH

INTENT_LAST_CALLER: Final = "BulutfonLastCaller"
INTENT_CALLBACKS: Final = "BulutfonCallbacks"
INTENT_LINE_BUSY: Final = "BulutfonLineBusy"
INTENT_ON_THE_PHONE: Final = "BulutfonOnThePhone"
INTENT_TODAY: Final = "BulutfonToday"

ASK_BUSY: Final = "busy"
ASK_FREE: Final = "free"
ASK_COUNT: Final = "count"
ASK_STATUS: Final = "status"
ASKS: Final = (ASK_BUSY, ASK_FREE, ASK_COUNT, ASK_STATUS)
"""How the line question was put: the answer's yes means busy, free, or it is a count or
the line's state (idle / ringing / talking)."""

LINE_SLOT: Final = "line"
"""The wildcard naming one line ("Hipcall", "office", "0212 555 00 00")."""


class Question(NamedTuple):
    """One way of asking: the intent that answers it and, for the line, how it was put."""

    intent_type: str
    ask: str = ""


LAST_CALLER: Final = Question(INTENT_LAST_CALLER)
CALLBACKS: Final = Question(INTENT_CALLBACKS)
BUSY: Final = Question(INTENT_LINE_BUSY, ASK_BUSY)
FREE: Final = Question(INTENT_LINE_BUSY, ASK_FREE)
COUNT: Final = Question(INTENT_LINE_BUSY, ASK_COUNT)
STATUS: Final = Question(INTENT_LINE_BUSY, ASK_STATUS)
ON_THE_PHONE: Final = Question(INTENT_ON_THE_PHONE)
TODAY: Final = Question(INTENT_TODAY)

_ENGLISH: Final[dict[Question, list[str]]] = {
    LAST_CALLER: [
        "who [last] (called|rang|phoned) [us|me|the office] [(last|most recently)]",
        "who was the (last|latest|most recent) (caller|call|person to call)",
        "who (called|rang|phoned) [us|me] last time",
        "[who was] the last call from",
        "[(tell me|who is|who was)] the last caller",
        "who (called|rang) the {line} line [last|most recently]",
        "who was the last caller on the {line} line",
    ],
    CALLBACKS: [
        (
            "how many (missed|unanswered) calls [(are there|do (we|i) have|did (we|i) "
            "(have|get|miss))] [now]"
        ),
        "(are there|do (we|i) have|did (we|i) (have|get)) any (missed|unanswered) calls",
        "did (we|i) miss any calls",
        "any missed calls",
        "[read [me]] [the] (missed|unanswered) calls",
        "(who|whom) (should|do|must) (we|i) [need to] (call|ring) back",
        "who (is|are) [still] (left|waiting) [for a call] [to call back]",
        "who (needs|wants|is waiting for) a (call back|callback)",
        "who did (we|i) miss",
        "(read|show|tell) [me] [the] (call back|callback) list",
        "how many (missed|unanswered) calls on the {line} line",
        "who should (we|i) call back on the {line} line",
    ],
    BUSY: [
        "is the [phone] line (busy|in use|engaged|taken)",
        "is the phone (busy|in use|engaged)",
        "are the [phone] lines (busy|in use|engaged)",
        "is (anyone|someone|somebody) calling [now|right now]",
        "is there a call (on|in progress|going on) [now|right now]",
        "are there any calls (on|in progress|going on) [now|right now]",
        "is the {line} line (busy|in use|engaged|taken)",
    ],
    FREE: [
        "is the [phone] line (free|available|idle|open|clear)",
        "is the phone (free|available|idle)",
        "are the [phone] lines (free|available|idle|clear)",
        "is the {line} line (free|available|idle|open|clear)",
    ],
    COUNT: [
        "how many calls are (on|active|in progress|going on|open|there) [now|right now]",
        "how many (active|ongoing|current|open) calls [are there] [now|right now]",
        "how many calls [are] on the [phone] line [now|right now]",
        "how many calls [are] on the {line} line [now|right now]",
    ],
    STATUS: [
        "what is the [phone] (line|phone) (status|state)",
        "[phone] line (status|state)",
        "[what is the] (status|state) of the [phone] (line|phone)",
        "what is the (line|phone) doing [now|right now]",
        "how is the [phone] line [now|right now]",
        "what is the {line} line doing [now|right now]",
        "what is the (status|state) of the {line} line",
        "{line} line (status|state)",
    ],
    ON_THE_PHONE: [
        (
            "who is (on the phone|talking|speaking|on a call|in a call|on the line) "
            "[now|right now]"
        ),
        (
            "is (anyone|anybody|someone|somebody) (on the phone|on a call|talking) "
            "[now|right now]"
        ),
        "who is talking on the phone",
        "who (answered|picked up) [the phone|the call]",
        "who is (on|talking on) the {line} line",
    ],
    TODAY: [
        (
            "how many [(incoming|outgoing|answered|missed)] calls [(did (we|i) (have|get|"
            "receive|make)|came in|have (we|i) had|were there)] today"
        ),
        "how many calls (came|have come) in today",
        "how many people (called|rang|phoned) [us|me] today",
        (
            "[(what are|tell me|read me)] [the] (phone|call) (figures|numbers|stats|"
            "statistics|summary) [for] today"
        ),
        (
            "[(what are|tell me|read me)] todays (phone|call) (figures|numbers|stats|"
            "statistics|summary)"
        ),
        "how busy was the phone today",
        "how many calls [did] the {line} line [(have|get)] today",
    ],
}

_TURKISH: Final[dict[Question, list[str]]] = {
    LAST_CALLER: [
        "son arayan (kim|kimdi|kişi kim|kimdir) [acaba]",
        "[(beni|bizi|ofisi)] (en son|son) kim (aradı|aramış)",
        "kim aradı (en son|son)",
        "son (arama|çağrı|gelen arama|gelen çağrı) (kimden|kimdendi|kimden geldi)",
        "son arayanı söyle",
        "{line} hattını (en son|son) kim aradı",
        "{line} hattında son arayan kim",
    ],
    CALLBACKS: [
        (
            "kaç (cevapsız|kaçan|kaçırılan|kaçırdığım|kaçırdığımız|açılmayan) (çağrı|arama) "
            "(var|oldu)"
        ),
        "kaç (çağrı|arama) (kaçırdım|kaçırdık|kaçtı)",
        "(cevapsız|kaçan|kaçırılan) (çağrı|arama) var (mı|mi)",
        "(cevapsız|kaçan|kaçırılan) (çağrılar|aramalar) [neler|kimler]",
        "cevapsız (çağrı|arama) (sayısı|kaç)",
        (
            "kimi geri (aramalıyım|aramalıyız|aramam gerekiyor|aramamız gerekiyor|arayayım|"
            "arayalım|aramam lazım|aramamız lazım)"
        ),
        "kimleri geri (aramalıyım|aramalıyız|arayayım|arayalım)",
        "geri aranacak (kim|kimler|kişiler) var [mı|mi]",
        "geri aranacaklar (kim|kimler)",
        "geri (aramam|aramamız) gereken (kim|kimler) var",
        "geri arama listesi[ni] [(oku|söyle|göster)]",
        "{line} hattında kaç (cevapsız|kaçan) (çağrı|arama) var",
    ],
    BUSY: [
        "(hat|telefon|hatlar|santral) (meşgul|dolu|kullanımda) [mı|mi|mu|mü]",
        "(hat|telefon) meşgulmü",
        "(hatta|telefonda) (çağrı|arama|görüşme|konuşan) var (mı|mi)",
        "şu an (hatta|telefonda) (çağrı|arama|görüşme) var (mı|mi)",
        "görüşme var (mı|mi)",
        "{line} hattı (meşgul|dolu|kullanımda) [mı|mi|mu|mü]",
        "{line} hattında (çağrı|arama|görüşme) var (mı|mi)",
    ],
    FREE: [
        (
            "(hat|telefon|hatlar|santral) (boş|boşta|müsait|serbest|uygun|açık) "
            "[mı|mi|mu|mü]"
        ),
        "(hat|telefon) (boşmu|müsaitmi)",
        "{line} hattı (boş|boşta|müsait|serbest|uygun) [mı|mi|mu|mü]",
    ],
    COUNT: [
        "(hatta|telefonda) kaç (çağrı|arama|görüşme) var",
        "şu an kaç (çağrı|arama|görüşme) var",
        "kaç (çağrı|arama|görüşme) (sürüyor|devam ediyor|açık)",
        "kaç (aktif|açık) (çağrı|arama) var",
        "(aktif|açık) (çağrı|arama) sayısı",
        "{line} hattında kaç (çağrı|arama|görüşme) var",
    ],
    STATUS: [
        "(hattın|hat|telefonun|santralin) durumu [(ne|nedir|nasıl)]",
        "(hat|telefon) ne durumda",
        "(hatta|telefonda) ne oluyor",
        "hat durumu [(ne|nedir|nasıl)]",
        "{line} hattının durumu [(ne|nedir|nasıl)]",
        "{line} hattı ne durumda",
    ],
    ON_THE_PHONE: [
        "[şu an] kim telefonda",
        "[şu an] (telefonda|hatta) kim (var|konuşuyor)",
        "[şu an] kimler (telefonda|konuşuyor|görüşüyor|görüşmede)",
        "[şu an] kim (görüşmede|konuşuyor|görüşüyor)",
        "telefonla kim konuşuyor",
        "telefonda (biri|birisi|kimse) var (mı|mi)",
        "telefonu kim (açtı|cevapladı)",
        "{line} hattında kim (var|konuşuyor)",
    ],
    TODAY: [
        "bugün kaç (çağrı|arama) (geldi|oldu|var|aldık|yaptık|karşıladık)",
        "bugün kaç (gelen|giden|cevapsız|cevaplanan|kaçan) (çağrı|arama) (var|oldu|geldi)",
        "bugün kaç kişi (aradı|aramış)",
        "bugünkü (rakamlar|sayılar|çağrılar|aramalar)",
        "bugünün (rakamları|özeti|sayıları)",
        "bugünkü (çağrı|arama|telefon) (sayısı|sayıları|özeti|rakamları)",
        "bugün telefon (nasıldı|yoğun muydu|ne kadar çaldı)",
        "bugün {line} hattına kaç (çağrı|arama) geldi",
    ],
}

_TURKISH_LETTERS: Final = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")


def without_turkish_letters(template: str) -> str:
    """The template as typed on a keyboard without Turkish letters."""
    return template.translate(_TURKISH_LETTERS)


def templates(language: str) -> dict[Question, list[str]]:
    """Every question's templates in `language` ("en" or "tr"); Turkish ones twice, also
    without Turkish letters."""
    if language == ENGLISH:
        return {question: list(items) for question, items in _ENGLISH.items()}
    result: dict[Question, list[str]] = {}
    for question, items in _TURKISH.items():
        folded = [without_turkish_letters(item) for item in items]
        result[question] = list(dict.fromkeys([*items, *folded]))
    return result


LANGUAGE_TEMPLATES: Final[dict[str, dict[Question, list[str]]]] = {
    ENGLISH: templates(ENGLISH),
    TURKISH: templates(TURKISH),
}
"""The templates attached as conversation triggers, by the language they are in."""

GENERIC_LINE_WORDS: Final = frozenset(
    {"phone", "telephone", "main", "our", "the", "office phone", "telefon", "ana"}
)
"""Words a `{line}` wildcard catches that name no line: "is the phone line busy" asks
about every line."""
