"""Assist's answers to the phone questions, worded in wording.py.

Each answer reads only lines whose entity for that fact is exposed to the assistant that
asked (voice and LLM tools answer for what the user shared, nothing else): the last-caller
sensor, the call-back list, the line's busy / active-calls / call-state entities, a person's
entity, today's figures. A line the question cannot read is left out; when none is left,
the answer says so instead of reading it anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from homeassistant.util import dt as dt_util

from .assist_sentences import (
    ASK_BUSY,
    ASK_COUNT,
    ASK_FREE,
    INTENT_CALLBACKS,
    INTENT_LAST_CALLER,
    INTENT_LINE_BUSY,
    INTENT_ON_THE_PHONE,
    INTENT_TODAY,
)
from .callbacks import caller_key, item_summary
from .calls import CallInfo, CallState, Status
from .entity import place_key, place_name
from .line import PhoneLine
from .places import PlaceKind
from .wording import (
    TURKISH,
    caller_state,
    place_label,
    sentence,
    spoken_duration,
    spoken_list,
    time_ago,
)

LINE_KEYS: Final = (Status.LINE_BUSY, Status.ACTIVE_CALLS, Status.CALL_STATE)
"""The entities that show whether a line is busy: any one exposed lets Assist say so."""
TODAY_KEYS: Final = (
    Status.INCOMING_CALLS_TODAY,
    Status.OUTGOING_CALLS_TODAY,
    Status.ANSWERED_CALLS_TODAY,
    Status.MISSED_CALLS_TODAY,
    Status.TALK_TIME_TODAY,
)
"""Today's figures: the answer reads all five, so all five must be exposed."""


@dataclass(frozen=True, slots=True)
class AskedLine:
    """A line an answer may read: its name as the user sees it, and what is exposed."""

    line: PhoneLine
    name: str
    exposed: Callable[[str], bool]
    """Whether the line's entity with this key (unique id suffix) is exposed."""

    def shows(self, keys: Sequence[str]) -> bool:
        """Whether any of these entities is exposed."""
        return any(self.exposed(key) for key in keys)


def last_caller(lines: Sequence[AskedLine], language: str, ask: str) -> str:
    """Who called last across the lines, and how long ago."""
    readable = [item for item in lines if item.exposed(Status.LAST_CALLER)]
    if not readable:
        return sentence(language, "not_exposed")
    latest: tuple[datetime, PhoneLine, CallInfo] | None = None
    for item in readable:
        info = item.line.tracker.status.last_caller
        if (
            info is not None
            and info.time is not None
            and (latest is None or info.time > latest[0])
        ):
            latest = (info.time, item.line, info)
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


def callbacks(lines: Sequence[AskedLine], language: str, ask: str) -> str:
    """How many callers are still to call back, then who (one per caller, even when two
    lines missed them)."""
    readable = [item for item in lines if item.exposed(Status.CALLBACKS)]
    if not readable:
        return sentence(language, "not_exposed")
    seen: set[str] = set()
    names: list[str] = []
    for item in readable:
        for entry in item.line.callbacks.open_items:
            key = caller_key(entry.number)
            if key is None or key in seen:
                continue
            seen.add(key)
            names.append(item_summary(entry, item.line.settings.phonebook))
    if not names:
        return sentence(language, "no_callbacks")
    key = "callbacks_one" if len(names) == 1 else "callbacks_many"
    return sentence(
        language, key, count=len(names), callers=spoken_list(names, language)
    )


def _line_state(line: PhoneLine, language: str) -> str:
    """One line's state in a few words: idle, ringing (1 call), talking (2 calls)."""
    state = line.tracker.call_state
    if state is CallState.IDLE:
        return sentence(language, "state_idle")
    return sentence(
        language, f"state_{state}", calls=_calls(line.tracker.active_calls, language)
    )


def _calls(count: int, language: str) -> str:
    return sentence(language, "call_one" if count == 1 else "calls", count=count)


def line_busy(lines: Sequence[AskedLine], language: str, ask: str) -> str:
    """Whether the line is busy or free (the yes follows the question), how many calls
    are on, or what the line is doing; several lines in one sentence, each by name."""
    readable = [item for item in lines if item.shows(LINE_KEYS)]
    if not readable:
        return sentence(language, "not_exposed")
    count = sum(item.line.tracker.active_calls for item in readable)
    if len(readable) == 1:
        line = readable[0].line
        if ask == ASK_BUSY:
            if not count:
                return sentence(language, "free")
            return sentence(
                language, "busy_one" if count == 1 else "busy_many", count=count
            )
        if ask == ASK_FREE:
            if not count:
                return sentence(language, "yes_free")
            key = "not_free_one" if count == 1 else "not_free_many"
            return sentence(language, key, count=count)
        if ask == ASK_COUNT:
            if not count:
                return sentence(language, "count_none")
            key = "count_one" if count == 1 else "count_many"
            return sentence(language, key, count=count)
        return sentence(language, "state_of_line", state=_line_state(line, language))
    states = spoken_list(
        [
            sentence(
                language,
                "line_state",
                line=item.name,
                state=_line_state(item.line, language),
            )
            for item in readable
        ],
        language,
    )
    if ask in {ASK_BUSY, ASK_FREE} and not count:
        yes = ask == ASK_FREE
        return sentence(language, "yes_all_free" if yes else "no_all_free")
    if ask in {ASK_BUSY, ASK_FREE}:
        answer = "no" if ask == ASK_FREE else "yes"
        return sentence(language, f"{answer}_lines", states=states)
    if ask == ASK_COUNT:
        if not count:
            return sentence(language, "count_none")
        return sentence(
            language, "count_lines", calls=_calls(count, language), states=states
        )
    return sentence(language, "lines", states=states)


def on_the_phone(lines: Sequence[AskedLine], language: str, ask: str) -> str:
    """The extensions and Hipcall users with a call now, by name: each one only when
    its own entity is exposed."""
    people: list[str] = []
    calls = 0
    readable = False
    for item in lines:
        line = item.line
        if item.shows(LINE_KEYS):
            readable = True
            calls += line.tracker.active_calls
        places = line.tracker.places
        for kind in (PlaceKind.EXTENSION, PlaceKind.USER):
            for place in places.learned(kind):
                if not item.exposed(place_key(place)):
                    continue
                readable = True
                if places.calls_at(place):
                    name = place_name(line, place)  # a Hipcall user's name too
                    people.append(place_label(kind, place.number, name, language))
    if not readable:
        return sentence(language, "not_exposed")
    if people:
        key = "on_phone_one" if len(people) == 1 else "on_phone_many"
        return sentence(language, key, people=spoken_list(people, language))
    if calls:
        key = "on_phone_unknown_one" if calls == 1 else "on_phone_unknown"
        return sentence(language, key, count=calls)
    return sentence(language, "nobody_on_phone")


def today(lines: Sequence[AskedLine], language: str, ask: str) -> str:
    """Today's figures of all lines together."""
    readable = [item for item in lines if all(item.exposed(key) for key in TODAY_KEYS)]
    if not readable:
        return sentence(language, "not_exposed")
    figures = {"incoming": 0, "outgoing": 0, "answered": 0, "missed": 0, "talk": 0}
    for item in readable:
        counts = item.line.tracker.today
        figures["incoming"] += counts.incoming_calls
        figures["outgoing"] += counts.outgoing_calls
        figures["answered"] += counts.answered_calls
        figures["missed"] += counts.missed_calls
        figures["talk"] += counts.talk_time
    talk = spoken_duration(figures.pop("talk"), language)
    return sentence(language, "today", talk=talk, **figures)


def capitalized(answer: str, language: str) -> str:
    """The answer with a capital first letter ("extension 1001 is on the phone" starts a
    sentence); Turkish "i" becomes "İ"."""
    first = answer[:1]
    upper = "İ" if first == "i" and language == TURKISH else first.upper()
    return upper + answer[1:]


ANSWERS: Final[dict[str, Callable[[Sequence[AskedLine], str, str], str]]] = {
    INTENT_LAST_CALLER: last_caller,
    INTENT_CALLBACKS: callbacks,
    INTENT_LINE_BUSY: line_busy,
    INTENT_ON_THE_PHONE: on_the_phone,
    INTENT_TODAY: today,
}
