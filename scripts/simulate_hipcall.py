"""The Hipcall scenarios: the webhook requests of realistic Hipcall calls, in sending order.

Hipcall (Bulutfon's newer platform) POSTs ``{"event": "call_init" | "call_bridged" |
"call_hangup", "data": {...}}`` as JSON, without credentials; ``data`` is the whole call record
(every field, most of them null until the call gets there), numbers in E.164 with "+", times in
ISO 8601 UTC, ``call_flow`` timestamps in epoch seconds (see vendor/hipcall.md). The 2023
envelope, ``{"event": "call::init" | "call::hangup", "data": {"event_type": "call_state",
...}}``, is played too. :func:`build_hipcall_scenario` makes them; scripts/simulate.py sends
them (``--platform hipcall``). Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import random
import time
from typing import TYPE_CHECKING, Any, Final
import uuid as uuid_lib

from simulate_encode import Payload, iso
from simulate_scenarios import (
    DEFAULT_CALLEE,
    DEFAULT_CALLER,
    DEFAULT_CALLS,
    phone_number,
)

if TYPE_CHECKING:
    from collections.abc import Callable

HipcallCall = list[Payload]
"""The requests of one Hipcall call, in the order they are delivered."""

HIPCALL_SINGLE_SCENARIOS: Final = (
    "answered",
    "missed",
    "voicemail",
    "outgoing",
    "internal",
    "repeated",
    "out_of_order",
    "old_envelope",
)
HIPCALL_SCENARIOS: Final = (*HIPCALL_SINGLE_SCENARIOS, "burst", "all")

DEFAULT_USER: Final = 12
"""The Hipcall user who takes the calls (user 15 is a colleague)."""
DEFAULT_TEAM: Final = 7
"""The team (ring group) inbound calls are offered to."""
NUMBER_ID: Final = 328
ACCOUNT_ID: Final = 1
MEDIA_HOST: Final = "https://files.hipcall.example"
"""Where the simulated recordings and voicemails are (never fetched)."""


def _uuid(rng: random.Random) -> str:
    """A random (version 4) uuid like Hipcall's, reproducible from ``rng``."""
    return str(uuid_lib.UUID(int=rng.getrandbits(128), version=4))


def _signed(rng: random.Random, path: str) -> str:
    """A pre-signed media link, valid 7 days as observed."""
    signature = f"{rng.getrandbits(128):032x}"
    return f"{MEDIA_HOST}/{path}?X-Amz-Expires=604800&X-Amz-Signature={signature}"


def _flow(action: str, kind: str | None, ident: int | None, at: datetime) -> Payload:
    return {
        "action": action,
        "detail": {"id": ident, "type": kind},
        "timestamp": int(at.timestamp()),
    }


@dataclass(slots=True)
class _Record:
    """One Hipcall call record as it grows, event by event."""

    uuid: str
    caller_number: str | None
    callee_number: str | None
    direction: str
    started: datetime
    fields: Payload = field(default_factory=dict)
    flow: list[Payload] = field(default_factory=list)

    def event(self, name: str, **changes: Any) -> Payload:
        """The request for ``name`` with the record as it is after ``changes``."""
        self.fields.update(changes)
        data: Payload = {
            "uuid": self.uuid,
            "number_id": NUMBER_ID,
            "channel_id": NUMBER_ID,
            "channel_type": "number",
            "user_id": None,
            "caller_id": None,
            "callee_id": None,
            "contact_id": None,
            "company_id": None,
            "related_id": None,
            "related_type": None,
            "caller_number": self.caller_number,
            "callee_number": self.callee_number,
            "caller_type": "contact",
            "callee_type": None,
            "direction": self.direction,
            "started_at": iso(self.started),
            "answered_at": None,
            "bridged_at": None,
            "ended_at": None,
            "call_duration": None,
            "first_touch_duration": None,
            "missing_call": None,
            "missing_call_reason": None,
            "hangup_by": None,
            "record_url": None,
            "voicemail_id": None,
            "voicemail_url": None,
            "voicemail_type": None,
            "callback_time": None,
            "callback_user_id": None,
            "callback_cdr_uuid": None,
            "team_touch_at": None,
            "credited": None,
        }
        data.update(self.fields)
        # Newest first, as in the vendor's examples.
        data["call_flow"] = list(reversed(self.flow))
        return {"event": name, "data": data}

    def hangup(self, ended: datetime, **changes: Any) -> Payload:
        """The call_hangup: durations from the record's own times."""
        bridged = self.fields.get("bridged_at")
        touch = (
            round((datetime.fromisoformat(bridged) - self.started).total_seconds())
            if isinstance(bridged, str)
            else None
        )
        self.flow.append(
            _flow("hangup", None, None, ended)
            | {"detail": {"hangup_by": changes.get("hangup_by")}}
        )
        return self.event(
            "call_hangup",
            **{
                "ended_at": iso(ended),
                "call_duration": round((ended - self.started).total_seconds()),
                "first_touch_duration": touch,
                "missing_call": False,
                **changes,
            },
        )


def build_hipcall_scenario(
    name: str,
    *,
    caller: str | int = DEFAULT_CALLER,
    callee: str | int = DEFAULT_CALLEE,
    now_us: int | None = None,
    rng: random.Random | None = None,
    calls: int = DEFAULT_CALLS,
    user: int = DEFAULT_USER,
    team: int = DEFAULT_TEAM,
) -> list[HipcallCall]:
    """Build the requests of Hipcall scenario ``name`` (one of :data:`HIPCALL_SCENARIOS`).

    Returns a list of calls, each the list of its requests in delivery order. ``caller`` is the
    outside number, ``callee`` the office's Hipcall number (digits; sent with "+"). Inbound
    calls are offered to ``team`` and taken by ``user``; the colleague is ``user + 3``.
    Times start at ``now_us`` (default: now). ``calls`` is the number of calls of ``burst``,
    whose callers are consecutive numbers from ``caller``, taken by users from ``user`` on.
    Raises ``ValueError`` for an unknown scenario or a malformed number.
    """
    if name not in HIPCALL_SCENARIOS:
        raise ValueError(
            f"unknown Hipcall scenario {name!r}; choose from {', '.join(HIPCALL_SCENARIOS)}"
        )
    if calls < 1:
        raise ValueError("calls must be at least 1")
    outside = phone_number(caller, "caller")
    office = phone_number(callee, "callee")
    rng = rng if rng is not None else random.Random()
    start_us = now_us if now_us is not None else time.time_ns() // 1000
    start = datetime.fromtimestamp(start_us // 1_000_000, tz=UTC)
    colleague = user + 3

    def later(moment: datetime, low: float, high: float) -> datetime:
        return moment + timedelta(seconds=round(rng.uniform(low, high)))

    def inbound(t0: datetime, number: int = outside) -> _Record:
        record = _Record(_uuid(rng), f"+{number}", f"+{office}", "inbound", t0)
        record.fields["contact_id"] = rng.randint(1000, 9999)
        record.flow.append(_flow("init", "contact", None, t0))
        return record

    def offered(record: _Record, t0: datetime) -> Payload:
        """call_init: the voice menu answers, then the call waits at the team."""
        greeting = t0 + timedelta(seconds=1)
        record.flow.append(_flow("greeting", "greeting", 3, greeting))
        record.flow.append(_flow("team", "team", team, later(greeting, 2, 6)))
        return record.event(
            "call_init",
            callee_type="team",
            callee_id=team,
            answered_at=iso(greeting),
        )

    def answered(t0: datetime, number: int = outside, taker: int = user) -> HipcallCall:
        record = inbound(t0, number)
        init = offered(record, t0)
        bridged = later(t0, 6, 20)
        record.flow.append(_flow("bridge", "user", taker, bridged))
        answer = record.event(
            "call_bridged",
            callee_type="user",
            callee_id=taker,
            user_id=taker,
            bridged_at=iso(bridged),
            team_touch_at=iso(bridged - timedelta(seconds=1)),
        )
        hangup = record.hangup(
            later(bridged, 15, 240),
            hangup_by=rng.choice(("user", "contact")),
            record_url=_signed(rng, f"records/{record.uuid}.mp3"),
        )
        return [init, answer, hangup]

    def missed(t0: datetime) -> HipcallCall:
        record = inbound(t0)
        init = offered(record, t0)
        hangup = record.hangup(
            later(t0, 20, 35),
            hangup_by="contact",
            missing_call=True,
            missing_call_reason="no_answer",
        )
        return [init, hangup]

    def voicemail(t0: datetime) -> HipcallCall:
        record = inbound(t0)
        init = offered(record, t0)
        recorded = later(t0, 25, 30)
        voicemail_id = rng.randint(100, 999)
        record.flow.append(_flow("voicemail", "voicemail", voicemail_id, recorded))
        hangup = record.hangup(
            later(recorded, 10, 40),
            callee_type="voicemail",
            callee_id=None,
            hangup_by="contact",
            missing_call=True,
            missing_call_reason="no_answer",
            voicemail_id=voicemail_id,
            voicemail_url=_signed(rng, f"voicemails/{voicemail_id}.mp3"),
            voicemail_type="voicemail",
        )
        return [init, hangup]

    def outgoing(t0: datetime) -> HipcallCall:
        record = _Record(_uuid(rng), f"+{office}", f"+{outside}", "outbound", t0)
        record.flow.append(_flow("init", "user", user, t0))
        mine = {"caller_type": "user", "caller_id": user, "user_id": user}
        init = record.event("call_init", callee_type="contact", **mine)
        bridged = later(t0, 3, 12)
        record.flow.append(_flow("bridge", "contact", None, bridged))
        answer = record.event("call_bridged", bridged_at=iso(bridged))
        hangup = record.hangup(
            later(bridged, 10, 300),
            hangup_by=rng.choice(("user", "contact")),
            record_url=_signed(rng, f"records/{record.uuid}.mp3"),
        )
        return [init, answer, hangup]

    def internal(t0: datetime) -> HipcallCall:
        # Between two users: Hipcall's documents show no numbers for them.
        record = _Record(_uuid(rng), None, None, "internal", t0)
        record.flow.append(_flow("init", "user", user, t0))
        init = record.event(
            "call_init",
            caller_type="user",
            caller_id=user,
            callee_type="user",
            callee_id=colleague,
            user_id=user,
        )
        bridged = later(t0, 2, 8)
        record.flow.append(_flow("bridge", "user", colleague, bridged))
        answer = record.event("call_bridged", bridged_at=iso(bridged))
        hangup = record.hangup(later(bridged, 10, 120), hangup_by="user")
        return [init, answer, hangup]

    def repeated(t0: datetime) -> HipcallCall:
        # Every request delivered twice, as after a timeout on Hipcall's side.
        return [event for event in answered(t0) for event in (event, event)]

    def out_of_order(t0: datetime) -> list[HipcallCall]:
        init, answer, hangup = answered(t0)
        late = missed(later(t0, 1, 3))
        return [[answer, init, hangup], list(reversed(late))]

    def old_envelope(t0: datetime) -> HipcallCall:
        call_uuid = _uuid(rng)
        ended = later(t0, 20, 90)

        def old(state: str, at: datetime) -> Payload:
            return {
                "event": f"call::{state}",
                "data": {
                    "event_type": "call_state",
                    "state": state,
                    "uuid": call_uuid,
                    "startstamp": iso(t0, micro=True),
                    "timestamp": iso(at, micro=True),
                    "direction": 0,
                    "account_id": ACCOUNT_ID,
                    "contact_number": str(outside),
                    "number_id": 1,
                    "number": {
                        "resource_type": "number",
                        "id": 1,
                        "name": "Bulutfon 850",
                        "number": f"+{office}",
                    },
                    "user_id": 0,
                },
            }

        return [old("init", t0), old("hangup", ended)]

    singles: dict[str, Callable[[datetime], list[HipcallCall]]] = {
        "answered": lambda t0: [answered(t0)],
        "missed": lambda t0: [missed(t0)],
        "voicemail": lambda t0: [voicemail(t0)],
        "outgoing": lambda t0: [outgoing(t0)],
        "internal": lambda t0: [internal(t0)],
        "repeated": lambda t0: [repeated(t0)],
        "out_of_order": out_of_order,
        "old_envelope": lambda t0: [old_envelope(t0)],
    }
    if name == "burst":
        return [
            answered(later(start, 0, 1), outside + i, user + i % 5)
            for i in range(calls)
        ]
    if name == "all":
        result: list[HipcallCall] = []
        t0 = start
        for single in HIPCALL_SINGLE_SCENARIOS:
            result.extend(singles[single](t0))
            t0 = _last_time(result[-1]) + timedelta(seconds=5)
        return result
    return singles[name](start)


def _last_time(call: HipcallCall) -> datetime:
    """When a call's last request says it ended (its latest time)."""
    return max(
        datetime.fromisoformat(value)
        for event in call
        for key in ("ended_at", "bridged_at", "started_at", "timestamp")
        if isinstance(value := event["data"].get(key), str)
    )
