"""Call routing at run time: a parsed request in; the user's script, speech and a BFON out.

The decision itself is pure (routing.py). This is the Home Assistant side: it runs the
routing script under its time limit, turns spoken text into MP3 URLs through the chosen
text-to-speech engine, fires `bulutfon_route` and keeps the counters diagnostics, the
sensors and the repairs read.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
import logging
from typing import Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.util import dt as dt_util

from .allowance import Allowance
from .const import EVENT_ROUTE
from .routing import (
    Action,
    Answered,
    CallSessions,
    Problem,
    Route,
    RouteRequest,
    RoutingRules,
    ScriptAnswerError,
    Speech,
    render,
    route_event_data,
    route_from_answer,
    script_variables,
)

_LOGGER = logging.getLogger(__package__)

NEW_CALLS_PER_MINUTE = 30
"""New calls the routing door decides in a minute (an office's busiest minute is far
below); each later step of a call it knows is no new call."""

RECENT_ROUTES = 20
"""How many recent decisions diagnostics show."""


class SpeechTrouble(StrEnum):
    """Why `say` cannot work."""

    NO_ENGINE = "no_engine"
    """No text-to-speech engine is chosen, or it is not available."""
    NO_URL = "no_url"
    """Home Assistant has no URL the internet (Bulutfon) can reach."""


@dataclass(frozen=True, slots=True)
class RoutingSettings:
    """What the user chose for call routing (options, parsed once)."""

    rules: RoutingRules
    script: str | None = None
    """The routing script's entity id."""
    timeout: float = 3.0
    tts_engine: str | None = None
    """The text-to-speech entity (or legacy engine) that speaks `say` texts."""


@dataclass(slots=True)
class RouteTally:
    """Today's routed and rejected calls (each call counted once, at its last decision)."""

    routed: int = 0
    rejected: int = 0
    day: str = field(default_factory=lambda: dt_util.now().date().isoformat())


class CallRouter:
    """Answers one line's BulutfonXM requests."""

    def __init__(
        self,
        hass: HomeAssistant,
        settings: RoutingSettings,
        *,
        number: str,
        device_id: str,
        webhook_id: str,
    ) -> None:
        """Start with no calls seen."""
        self.hass = hass
        self.settings = settings
        self.webhook_id = webhook_id
        self.number = number
        self.device_id = device_id
        self.sessions = CallSessions()
        self.tally = RouteTally()
        self.decisions: Counter[str] = Counter()
        """Decisions by reason."""
        self.problems: Counter[str] = Counter()
        """Script answers not used, by problem."""
        self.repeats = 0
        self.script_trouble = 0
        """Script failures and timeouts in a row (a working answer resets it)."""
        self.speech_trouble: SpeechTrouble | None = None
        """Why the last `say` could not be spoken (None once one could)."""
        self.recent: deque[dict[str, Any]] = deque(maxlen=RECENT_ROUTES)
        self.entity_id: Callable[[], str | None] = lambda: None
        """The line's call event entity id (as `bulutfon_event` carries it): the route
        event carries it too, so that the logbook lists decisions under the device."""
        self.new_calls = Allowance(NEW_CALLS_PER_MINUTE, 60.0)
        """New calls decided in a minute; past it, the default at once (see
        async_answer)."""
        self._in_flight: dict[tuple[str, int], asyncio.Task[bytes]] = {}
        """Decisions still running, by (uuid, step)."""
        self._listeners: list[Callable[[], None]] = []

    @callback
    def async_listen(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` after every decision (sensors, repairs); returns the remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def async_answer(self, request: RouteRequest) -> bytes:
        """The BFON document for a request; the same one again for a repeated step.

        The decision is the router's own task, not the request's: a copy of the request
        that Bulutfon sends while the first still waits shares it, and a client that
        goes away (Home Assistant then cancels its handler) takes only its own wait
        with it. The script runs once; every copy still connected gets its answer.
        """
        if (answered := self.sessions.answered(request)) is not None:
            self.repeats += 1
            return answered.document
        key = (request.uuid, request.step)
        if (
            key not in self._in_flight
            and not self.sessions.knows(request.uuid)
            and not self.new_calls.take()
        ):
            # Past the limit (a flood: anyone with the URL can post): the default
            # destination at once, without the phone book's name, the blocklist or the
            # script, so a stranger learns nothing of the office, nothing is logged or
            # remembered, and a real call in the flood still rings.
            self.decisions["over_the_limit"] += 1
            route = self.settings.rules.default(request)._replace(caller_name=None)
            return render(route, {})
        if (decision := self._in_flight.get(key)) is not None:
            # Bulutfon asked again while the script still runs: one decision for both.
            self.repeats += 1
        else:
            decision = self.hass.async_create_background_task(
                self._async_decide_safely(request),
                "bulutfon call routing decision",
                eager_start=True,
            )
            self._in_flight[key] = decision
            decision.add_done_callback(partial(self._decided, key))
        try:
            return await asyncio.shield(decision)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if decision.cancelled() and (task is None or not task.cancelling()):
                # The decision itself was stopped (the entry unloads), not this
                # request: the caller still rings somewhere.
                return render(self.settings.rules.default(request, Problem.FAILED), {})
            raise

    def _decided(self, key: tuple[str, int], decision: asyncio.Task[bytes]) -> None:
        if self._in_flight.get(key) is decision:
            del self._in_flight[key]

    @callback
    def async_close(self) -> None:
        """Stop the decisions still running (the entry unloads)."""
        for decision in list(self._in_flight.values()):
            decision.cancel()

    async def _async_decide_safely(self, request: RouteRequest) -> bytes:
        """The decision, under the time limit (inside); a bug of ours gives the default."""
        try:
            return await self._async_decide(request)
        except Exception:
            # A bug of ours must not leave the caller without an answer either.
            _LOGGER.exception("Unexpected error while routing a Bulutfon call")
            return render(self.settings.rules.default(request, Problem.FAILED), {})

    async def _async_decide(self, request: RouteRequest) -> bytes:
        settings = self.settings
        rules = settings.rules
        caller_name = rules.phonebook.name_for(request.caller)
        digits = self.sessions.digits(request)
        route = rules.first_look(request)
        if route is None:
            if settings.script is None:
                route = rules.default(request)
            else:
                route = await self._async_ask_script(request, caller_name, digits)
        audio = await self._async_speak(route.speech) if route.speech else {}
        route = rules.playable(request, route, audio)
        document = render(route, audio)
        self.sessions.remember(request, Answered(route, document))
        self._record(request, route, caller_name, digits)
        return document

    async def _async_ask_script(
        self, request: RouteRequest, caller_name: str | None, digits: str | None
    ) -> Route:
        """Run the routing script; its response, checked, or the default."""
        settings = self.settings
        rules = settings.rules
        assert settings.script is not None
        service = _script_service(self.hass, settings.script)
        try:
            async with asyncio.timeout(settings.timeout):
                response = await self.hass.services.async_call(
                    "script",
                    service,
                    script_variables(request, caller_name, digits),
                    blocking=True,
                    context=Context(),
                    return_response=True,
                )
        except TimeoutError:
            return self._script_let_down(
                request, Problem.TIMEOUT, f"took longer than {settings.timeout:g} s"
            )
        except Exception as err:  # noqa: BLE001
            # Whatever a script raises (a missing script, an error in an action), the
            # caller still gets the default destination.
            return self._script_let_down(
                request, Problem.FAILED, f"failed ({type(err).__name__})"
            )
        try:
            route = route_from_answer(response)
        except ScriptAnswerError as err:
            self.script_trouble = 0
            return self._script_let_down(
                request, err.problem, f"answered something unusable: {err}"
            )
        self.script_trouble = 0
        return rules.decide(request, route)

    def _script_let_down(
        self, request: RouteRequest, problem: Problem, what: str
    ) -> Route:
        if problem in (Problem.TIMEOUT, Problem.FAILED):
            self.script_trouble += 1
        self.problems[problem] += 1
        # Never the caller's number: only what went wrong, and the script's id.
        _LOGGER.warning(
            "The Bulutfon routing script %s %s; the call goes to the default destination",
            self.settings.script,
            what,
        )
        return self.settings.rules.default(request, problem)

    async def _async_speak(self, texts: tuple[Speech, ...]) -> dict[Speech, str]:
        """MP3 URLs Bulutfon can fetch for the texts; empty when speech cannot work."""
        engine = self.settings.tts_engine
        if engine is None or "tts" not in self.hass.config.components:
            return self._no_speech(SpeechTrouble.NO_ENGINE)
        try:
            # Bulutfon fetches the audio from the internet: never an internal URL.
            base = get_url(self.hass, allow_internal=False, prefer_external=True)
        except NoURLAvailableError:
            return self._no_speech(SpeechTrouble.NO_URL)
        # Imported only when speaking: tts is heavy, and optional (an after-dependency).
        from homeassistant.components import tts  # noqa: PLC0415

        urls: dict[Speech, str] = {}
        for speech in texts:
            try:
                stream = tts.async_create_stream(self.hass, engine)
            except HomeAssistantError:
                return self._no_speech(SpeechTrouble.NO_ENGINE)
            stream.async_set_message(speech.text)
            urls[speech] = base + stream.url
        self.speech_trouble = None
        return urls

    def _no_speech(self, why: SpeechTrouble) -> dict[Speech, str]:
        self.problems[Problem.SPEECH_UNAVAILABLE] += 1
        self.speech_trouble = why
        _LOGGER.warning(
            "A Bulutfon routing answer cannot be spoken: %s",
            "no text-to-speech engine"
            if why is SpeechTrouble.NO_ENGINE
            else "Home Assistant has no URL reachable from the internet",
        )
        return {}

    def _record(
        self,
        request: RouteRequest,
        route: Route,
        caller_name: str | None,
        digits: str | None,
    ) -> None:
        """Count the decision and fire `bulutfon_route`."""
        self.decisions[route.reason] += 1
        self._count_today(route)
        data = route_event_data(request, route, caller_name, digits)
        data["destination_name"] = self.settings.rules.phonebook.name_for(
            route.destination
        )
        data["number"] = self.number
        data["device_id"] = self.device_id
        data["entity_id"] = self.entity_id()
        self.recent.append(
            {
                "uuid": request.uuid,
                "step": request.step,
                "action": route.action.value,
                "reason": route.reason.value,
                "problem": data["problem"],
                "time": dt_util.utcnow().isoformat(),
            }
        )
        _LOGGER.debug(
            "Call %s (step %s) from %s: %s %s (%s)",
            request.uuid,
            request.step,
            request.caller,
            route.action,
            route.destination or "",
            route.reason
            if route.problem is None
            else f"{route.reason}: {route.problem}",
        )
        self.hass.bus.async_fire(EVENT_ROUTE, data)
        for listener in self._listeners:
            listener()

    def _count_today(self, route: Route) -> None:
        today = dt_util.now().date().isoformat()
        if self.tally.day != today:
            self.tally = RouteTally(day=today)
        if route.action is Action.DIAL:
            self.tally.routed += 1
        elif route.action in (Action.REJECT, Action.HANGUP):
            self.tally.rejected += 1

    @callback
    def async_new_day(self, _now: datetime | None = None) -> None:
        """Start today's counts from 0 (called at local midnight)."""
        self.tally = RouteTally()
        for listener in self._listeners:
            listener()

    @callback
    def async_restore_tally(self, saved: dict[str, Any]) -> None:
        """Put back today's counts saved before a restart (other days' are dropped)."""
        day, routed, rejected = (
            saved.get("day"),
            saved.get("routed"),
            saved.get("rejected"),
        )
        if (
            day == self.tally.day
            and isinstance(routed, int)
            and isinstance(rejected, int)
            and not isinstance(routed, bool)
            and not isinstance(rejected, bool)
            and routed >= 0
            and rejected >= 0
        ):
            self.tally.routed = max(self.tally.routed, routed)
            self.tally.rejected = max(self.tally.rejected, rejected)


def _script_service(hass: HomeAssistant, entity_id: str) -> str:
    """The service that runs a script entity: `script.<its key in scripts.yaml>`.

    The key is the entity's unique id; the entity id may have been renamed since.
    """
    entry = er.async_get(hass).async_get(entity_id)
    if entry is not None and entry.platform == "script":
        return entry.unique_id
    return entity_id.partition(".")[2]
