"""Call routing with BulutfonXM (BFXM): a routing request in, a decision and its BFON out.

Plain Python without Home Assistant imports. When a call arrives, Bulutfon posts it to the
routing URL and does what the answer says. The Home Assistant side only runs the user's
script between `RoutingRules.first_look` and `RoutingRules.decide`, and turns spoken text
into audio URLs before `render`; everything else (parsing, the blocklist, checking what a
script answered, the default, per-call gather state) is here, tested and fuzzed alone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
import math
import re
from typing import Any, Final, NamedTuple

from . import bfon
from .phonebook import Phonebook, number_key
from .protocol import (
    MAX_BODY_BYTES,
    MAX_FREE_TEXT_LENGTH,
    MAX_ID_LENGTH,
    PayloadError,
    bounded_text,
    clean_text,
    decode_body,
    phone_digits,
)

MAX_STEP: Final = 10_000
MAX_TEXT: Final = 500
"""Longest `say` text or caller name taken from a script."""
MAX_URL: Final = 2048
MAX_DIGITS_ASKED: Final = 32

_UUID: Final = re.compile(r"[0-9A-Za-z][0-9A-Za-z._:-]*")
"""A call id: Bulutfon's are uuids; anything else (spaces, markup, control characters)
is refused before it reaches a log, an event or a script."""
_KEYS: Final = re.compile(r"[^0-9*#]")
_VARIABLE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}")
_DESTINATION_CHARS: Final = re.compile(r"[\s\-().]")

DEFAULT_VARIABLE: Final = "digits"
"""The form field a gather asks Bulutfon to post the digits in, unless the script names one."""


class Reason(StrEnum):
    """Why a call went where it went."""

    BLOCKED = "blocked"
    """The caller is in the blocked numbers."""
    SCRIPT = "script"
    """The routing script decided."""
    DEFAULT = "default"
    """No routing script is chosen: the default destination."""
    FALLBACK = "fallback"
    """The script failed, timed out or answered something unusable: the default."""


class Action(StrEnum):
    """What a decision does with the call."""

    DIAL = "dial"
    REJECT = "reject"
    HANGUP = "hangup"
    GATHER = "gather"


class Problem(StrEnum):
    """Why a script's decision was not used (the route's reason is then `fallback`)."""

    FAILED = "failed"
    TIMEOUT = "timeout"
    NO_ANSWER = "no_answer"
    INVALID_ANSWER = "invalid_answer"
    INVALID_DESTINATION = "invalid_destination"
    SPEECH_UNAVAILABLE = "speech_unavailable"


class RouteRequest(NamedTuple):
    """One request from Bulutfon: a call asking where to go."""

    uuid: str
    caller: str | None
    """Digits, or None for a hidden or non-numeric caller."""
    callee: str | None
    step: int
    """1 on a call's first request, one more on each later one."""
    fields: Mapping[str, str]
    """Every other field, by name (a gather's digits come back in one of them)."""


def parse_route_request(body: bytes, content_type: str | None = None) -> RouteRequest:
    """Parse a routing request body (a form, or JSON).

    Raises PayloadError, and nothing else, when the body is unreadable or lacks the
    call's `uuid` or the `caller` field. A missing or non-numeric step counts as 1;
    unknown fields are kept (bounded) for a gather's digits.
    """
    return request_from_mapping(decode_body(body, content_type))


def request_from_mapping(data: Mapping[str, Any]) -> RouteRequest:
    """Build a request from already decoded fields.

    Text follows the events' rule (protocol.bounded_text): it always encodes, and ids
    longer than an id can be are refused rather than cut.
    """
    uuid = bounded_text(data.get("uuid"), MAX_BODY_BYTES)
    if uuid is None:
        raise PayloadError("uuid is missing")
    if len(uuid) > MAX_ID_LENGTH:
        raise PayloadError("uuid is too long")
    if not _UUID.fullmatch(uuid):
        raise PayloadError("uuid has characters a call id does not have")
    if "caller" not in data:
        raise PayloadError("caller is missing")
    fields: dict[str, str] = {}
    for name, value in data.items():
        if name in ("uuid", "caller", "callee", "step") or not isinstance(name, str):
            continue
        text = bounded_text(value, MAX_FREE_TEXT_LENGTH, cut=True)
        if text is not None:
            fields[clean_text(name[:MAX_ID_LENGTH])] = text
    return RouteRequest(
        uuid=uuid,
        caller=phone_digits(data.get("caller")),
        callee=phone_digits(data.get("callee")),
        step=_step(data.get("step")),
        fields=fields,
    )


def _step(value: Any) -> int:
    if isinstance(value, bool):
        return 1
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit() and len(value) <= 6):
            return 1
        value = int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 1 <= value <= MAX_STEP:
        return value
    return 1


def destination(value: Any) -> str | None:
    """A dial destination as digits, or None when it is not one.

    Voice menus have 2 digits, ring groups 3, extensions 4; an external number has 7 to
    15 digits and may be written with spaces, dashes or a leading "+". A number is
    accepted as well as a string: a script's template renders "1000" as 1000.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = _DESTINATION_CHARS.sub("", value)
    text = text.removeprefix("+")
    if not (text.isascii() and text.isdigit()):
        return None
    if len(text) in (2, 3, 4) or 7 <= len(text) <= 15:
        return text
    return None


def keys_pressed(value: str | None) -> str | None:
    """What a caller pressed, as sent back after a gather: digits, * and # only."""
    if value is None:
        return None
    keys = _KEYS.sub("", value)[:MAX_DIGITS_ASKED]
    return keys or None


class Speech(NamedTuple):
    """Text to be spoken; the Home Assistant side turns it into an MP3 URL."""

    text: str


type Prompt = str | Speech
"""Something the caller hears: an MP3 URL, or text to speak."""


class Gather(NamedTuple):
    """Ask the caller for digits; they come back with the call's next request."""

    ask: Prompt
    play_on_error: Prompt
    variable: str
    min_digits: int
    max_digits: int
    max_attempts: int
    timeout_ms: int


class Route(NamedTuple):
    """A routing decision."""

    action: Action
    reason: Reason
    destination: str | None = None
    caller_name: str | None = None
    """Shown on the desk phones (set_caller_name)."""
    prompts: tuple[Prompt, ...] = ()
    """Heard first, in order."""
    gather: Gather | None = None
    problem: Problem | None = None
    """Why the script's decision was not used (with reason `fallback`)."""

    @property
    def speech(self) -> tuple[Speech, ...]:
        """Every text this route needs spoken."""
        texts = [prompt for prompt in self.prompts if isinstance(prompt, Speech)]
        if self.gather is not None:
            texts.extend(
                prompt
                for prompt in (self.gather.ask, self.gather.play_on_error)
                if isinstance(prompt, Speech)
            )
        return tuple(dict.fromkeys(texts))


class ScriptAnswerError(ValueError):
    """A script's response that is not a decision; the message names what is wrong."""

    def __init__(self, problem: Problem, message: str) -> None:
        """Keep the kind of problem beside its (number-free) message."""
        super().__init__(message)
        self.problem = problem


def route_from_answer(answer: Any) -> Route:
    """Read a routing script's response into a route (reason `script`).

    The response is a mapping: {"action": "dial", "destination": "1000"} (or "reject",
    "hangup"), optionally with "caller_name", "play" (an MP3 URL or a list of them) and
    "say" (text); or {"gather": {...}} instead of an action. Raises ScriptAnswerError.
    """
    if not answer:
        raise ScriptAnswerError(Problem.NO_ANSWER, "the script answered nothing")
    if not isinstance(answer, Mapping):
        raise ScriptAnswerError(Problem.INVALID_ANSWER, "the answer is not a mapping")
    prompts: list[Prompt] = [*_urls(answer.get("play"), "play")]
    if (say := answer.get("say")) is not None:
        prompts.append(Speech(_speech_text(say, "say")))
    caller_name = answer.get("caller_name")
    if caller_name is not None:
        if not isinstance(caller_name, str | int) or isinstance(caller_name, bool):
            raise ScriptAnswerError(Problem.INVALID_ANSWER, "caller_name is not a text")
        caller_name = clean_text(str(caller_name).strip())[:MAX_TEXT] or None
    if (asked := answer.get("gather")) is not None:
        return Route(
            Action.GATHER,
            Reason.SCRIPT,
            caller_name=caller_name,
            prompts=tuple(prompts),
            gather=_gather(asked),
        )
    action = answer.get("action")
    if not isinstance(action, str) or action.strip().lower() not in (
        Action.DIAL,
        Action.REJECT,
        Action.HANGUP,
    ):
        raise ScriptAnswerError(
            Problem.INVALID_ANSWER, "the action is not dial, reject or hangup"
        )
    kind = Action(action.strip().lower())
    target = None
    if kind is Action.DIAL:
        target = destination(answer.get("destination"))
        if target is None:
            raise ScriptAnswerError(
                Problem.INVALID_DESTINATION,
                "the destination is not a menu (2 digits), group (3), extension (4) "
                "or external number",
            )
    return Route(
        kind,
        Reason.SCRIPT,
        destination=target,
        caller_name=caller_name,
        prompts=tuple(prompts),
    )


def _urls(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    if len(items) > 10:
        raise ScriptAnswerError(Problem.INVALID_ANSWER, f"{what} has too many URLs")
    return [_url(item, what) for item in items]


def _url(value: Any, what: str) -> str:
    if (
        not isinstance(value, str)
        or not value.strip().lower().startswith(("http://", "https://"))
        or len(value.strip()) > MAX_URL
        or any(char.isspace() for char in value.strip())
    ):
        raise ScriptAnswerError(Problem.INVALID_ANSWER, f"{what} is not an http(s) URL")
    return clean_text(value.strip())


def _speech_text(value: Any, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ScriptAnswerError(Problem.INVALID_ANSWER, f"{what} is not a text")
    text = clean_text(str(value).strip())
    if not text:
        raise ScriptAnswerError(Problem.INVALID_ANSWER, f"{what} is empty")
    return text[:MAX_TEXT]


def _gather(asked: Any) -> Gather:
    if not isinstance(asked, Mapping):
        raise ScriptAnswerError(Problem.INVALID_ANSWER, "gather is not a mapping")
    if asked.get("ask") is not None:
        ask: Prompt = _url(asked["ask"], "gather ask")
    elif asked.get("say") is not None:
        ask = Speech(_speech_text(asked["say"], "gather say"))
    else:
        raise ScriptAnswerError(
            Problem.INVALID_ANSWER, "gather needs an ask URL or a say text"
        )
    on_error: Prompt = ask
    if asked.get("play_on_error") is not None:
        on_error = _url(asked["play_on_error"], "gather play_on_error")
    elif asked.get("say_on_error") is not None:
        on_error = Speech(_speech_text(asked["say_on_error"], "gather say_on_error"))
    min_digits = _whole(asked.get("min_digits", 1), "min_digits", 1, MAX_DIGITS_ASKED)
    max_digits = _whole(
        asked.get("max_digits", max(min_digits, 1)),
        "max_digits",
        min_digits,
        MAX_DIGITS_ASKED,
    )
    variable = asked.get("variable", DEFAULT_VARIABLE)
    if not isinstance(variable, str) or not _VARIABLE.fullmatch(variable):
        raise ScriptAnswerError(
            Problem.INVALID_ANSWER, "gather variable is not a plain name"
        )
    if variable in ("uuid", "caller", "callee", "step"):
        raise ScriptAnswerError(
            Problem.INVALID_ANSWER, "gather variable is a name Bulutfon uses"
        )
    return Gather(
        ask=ask,
        play_on_error=on_error,
        variable=variable,
        min_digits=min_digits,
        max_digits=max_digits,
        max_attempts=_whole(asked.get("max_attempts", 3), "max_attempts", 1, 10),
        timeout_ms=_whole(
            asked.get("timeout", bfon.DEFAULT_GATHER_TIMEOUT_MS),
            "timeout",
            500,
            60_000,
        ),
    )


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise ScriptAnswerError(
            Problem.INVALID_ANSWER, f"gather {what} is not a whole number {low}-{high}"
        )
    return value


def blocked_keys(text: str) -> frozenset[str]:
    """The blocked numbers option (one number a line, any notation) as number keys.

    Text after a "#" is a comment; lines without digits are ignored.
    """
    keys = set()
    for line in text.splitlines():
        key = number_key(line.partition("#")[0].strip())
        if key is not None:
            keys.add(key)
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class RoutingRules:
    """What the user chose: the default destination, the blocklist, the phone book."""

    default_destination: str
    blocked: frozenset[str] = frozenset()
    """Number keys (phonebook.number_key) of blocked callers."""
    phonebook: Phonebook = field(default_factory=Phonebook)

    def first_look(self, request: RouteRequest) -> Route | None:
        """The decision that needs no script: a blocked caller is rejected."""
        if self.blocked and number_key(request.caller) in self.blocked:
            return Route(Action.REJECT, Reason.BLOCKED)
        return None

    def default(self, request: RouteRequest, problem: Problem | None = None) -> Route:
        """Dial the default destination (reason `fallback` when a script let us down)."""
        return Route(
            Action.DIAL,
            Reason.DEFAULT if problem is None else Reason.FALLBACK,
            destination=self.default_destination,
            caller_name=self.phonebook.name_for(request.caller),
            problem=problem,
        )

    def decide(self, request: RouteRequest, route: Route) -> Route:
        """Complete a script's route: the phone book's name unless the script gave one."""
        if route.caller_name is None and route.action in (Action.DIAL, Action.GATHER):
            name = self.phonebook.name_for(request.caller)
            if name is not None:
                return route._replace(caller_name=name)
        return route

    def playable(
        self, request: RouteRequest, route: Route, audio: Mapping[Speech, str]
    ) -> Route:
        """The route as it can be played with the audio there is.

        A spoken prompt without audio is left out (render skips it); a gather whose
        question cannot be spoken cannot ask, so the call goes to the default instead.
        """
        if (
            route.gather is not None
            and isinstance(route.gather.ask, Speech)
            and route.gather.ask not in audio
        ):
            return self.default(request, Problem.SPEECH_UNAVAILABLE)
        return route


def render(route: Route, audio: Mapping[Speech, str]) -> bytes:
    """The BFON document for a route; `audio` holds the MP3 URL of each spoken text.

    Spoken prompts without audio are left out. A gather must be playable (see
    RoutingRules.playable); one that is not is answered with a hangup rather than a
    document Bulutfon cannot follow.
    """
    directives: list[bfon.Directive] = []
    if route.caller_name and route.action in (Action.DIAL, Action.GATHER):
        directives.append(bfon.set_caller_name(route.caller_name))
    directives.extend(
        bfon.play(url)
        for prompt in route.prompts
        if (url := _prompt_url(prompt, audio)) is not None
    )
    if route.action is Action.DIAL and route.destination is not None:
        directives.append(bfon.dial(route.destination))
    elif route.action is Action.REJECT:
        directives.append(bfon.reject())
    elif route.action is Action.HANGUP:
        directives.append(bfon.hangup())
    elif route.gather is not None:
        asked = route.gather
        ask = _prompt_url(asked.ask, audio)
        if ask is None:
            directives.append(bfon.hangup())
            return bfon.document(directives)
        directives.append(
            bfon.gather(
                ask=ask,
                play_on_error=_prompt_url(asked.play_on_error, audio) or ask,
                variable_name=asked.variable,
                min_digits=asked.min_digits,
                max_digits=asked.max_digits,
                max_attempts=asked.max_attempts,
                timeout_ms=asked.timeout_ms,
            )
        )
    return bfon.document(directives)


def _prompt_url(prompt: Prompt, audio: Mapping[Speech, str]) -> str | None:
    return audio.get(prompt) if isinstance(prompt, Speech) else prompt


class Answered(NamedTuple):
    """A request already answered: the same step gets the same document again."""

    route: Route
    document: bytes


@dataclass(slots=True)
class _CallState:
    answered: dict[int, Answered] = field(default_factory=dict)
    asked_variable: str | None = None
    """The field the last gather asked Bulutfon to send the digits in."""
    asked_at_step: int = 0


class CallSessions:
    """What the router remembers per call (by uuid), bounded.

    The answer of each (uuid, step), so a repeated request is answered the same way; and
    the variable a gather asked for, so the next request's digits are found. Keeps the
    `max_calls` most recent calls and `max_steps` steps of each.
    """

    def __init__(self, max_calls: int = 512, max_steps: int = 32) -> None:
        """Start empty."""
        self._calls: OrderedDict[str, _CallState] = OrderedDict()
        self._max_calls = max_calls
        self._max_steps = max_steps

    def __len__(self) -> int:
        """How many calls are remembered."""
        return len(self._calls)

    def knows(self, uuid: str) -> bool:
        """Whether a call was answered before (a later step of it is no new call)."""
        return uuid in self._calls

    def answered(self, request: RouteRequest) -> Answered | None:
        """The answer already given to this call's step, if any."""
        state = self._calls.get(request.uuid)
        return None if state is None else state.answered.get(request.step)

    def digits(self, request: RouteRequest) -> str | None:
        """The keys pressed for this call's last gather, when this request brings them."""
        state = self._calls.get(request.uuid)
        if state is None or state.asked_variable is None:
            return None
        if request.step <= state.asked_at_step:
            return None
        return keys_pressed(request.fields.get(state.asked_variable))

    def remember(self, request: RouteRequest, answered: Answered) -> None:
        """Keep the answer of a step (and the gather it asks, if any)."""
        state = self._calls.get(request.uuid)
        if state is None:
            state = self._calls[request.uuid] = _CallState()
            if len(self._calls) > self._max_calls:
                self._calls.popitem(last=False)
        else:
            self._calls.move_to_end(request.uuid)
        if len(state.answered) >= self._max_steps:
            del state.answered[min(state.answered)]
        state.answered[request.step] = answered
        gather = answered.route.gather
        if gather is not None and answered.route.action is Action.GATHER:
            state.asked_variable = gather.variable
            state.asked_at_step = request.step

    def forget_all(self) -> None:
        """Drop every call (the rules changed)."""
        self._calls.clear()


def script_variables(
    request: RouteRequest, caller_name: str | None, digits: str | None
) -> dict[str, Any]:
    """The variables a routing script runs with."""
    return {
        "caller": request.caller,
        "caller_name": caller_name,
        "callee": request.callee,
        "uuid": request.uuid,
        "step": request.step,
        "digits": digits,
    }


def route_event_data(
    request: RouteRequest, route: Route, caller_name: str | None, digits: str | None
) -> dict[str, Any]:
    """The data of a `bulutfon_route` event (without the line's number and device)."""
    return {
        "uuid": request.uuid,
        "caller": request.caller,
        "caller_name": caller_name,
        "callee": request.callee,
        "step": request.step,
        "digits": digits,
        "action": route.action.value,
        "destination": route.destination,
        "reason": route.reason.value,
        "problem": None if route.problem is None else route.problem.value,
    }
