"""The classic Bulutfon scenarios: the payloads of realistic calls and faxes, in sending order.

Bulutfon POSTs one flat payload per call or fax event, with the field names and value types of the
vendor's own examples: phone numbers, ids and ``destination`` as JSON numbers, ``timestamp`` in
microseconds since the epoch. :func:`build_scenario` makes them; scripts/simulate.py sends them.
Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
import random
import re
import time
from typing import TYPE_CHECKING, Final
import uuid as uuid_lib

if TYPE_CHECKING:
    from collections.abc import Callable

Scalar = str | int | bool | None
"""A payload value: Bulutfon's payloads are flat, with strings, numbers, booleans and nulls."""

Event = dict[str, Scalar]
"""One webhook payload, in the field order of the vendor's examples."""

Call = list[Event]
"""The events of one call (or fax), in the order Bulutfon sends them."""

SINGLE_SCENARIOS: Final = ("answered", "missed", "outgoing", "fax", "autodial")
SCENARIOS: Final = (*SINGLE_SCENARIOS, "transfer", "burst", "all", "route")

DEFAULT_CALLER: Final = "905321234567"
"""A Turkish mobile number in international form, without the plus sign."""
DEFAULT_CALLEE: Final = "908508850000"
"""The PBX number (the vendor document's example)."""
DEFAULT_DOMAIN_ID: Final = 1234
DEFAULT_ACCOUNT_ID: Final = 5678
DEFAULT_CALLS: Final = 20

MENU: Final = 10
GROUP: Final = 111
EXTENSION: Final = 1000

_PHONE: Final = re.compile(r"[1-9][0-9]{2,19}")
# From 1582-10-15 (the uuid epoch) to 1970-01-01, in 100 ns steps.
_UUID_EPOCH_100NS: Final = 0x01B21DD213814000
SECOND_US: Final = 1_000_000


def phone_number(value: str | int, what: str) -> int:
    """``value`` as a phone number in international digits; ValueError naming ``what``."""
    text = str(value).strip()
    if not _PHONE.fullmatch(text):
        raise ValueError(
            f"{what} must be digits in international form without '+' or a leading 0 "
            f"(e.g. {DEFAULT_CALLER}), not {value!r}"
        )
    return int(text)


def call_uuid(at_us: int, index: int, rng: random.Random) -> str:
    """A version-1 style uuid like Bulutfon's (time based), reproducible from ``rng``."""
    ticks = at_us * 10 + _UUID_EPOCH_100NS + index
    clock_seq = rng.getrandbits(14)
    # The multicast bit marks a random node rather than a MAC address.
    node = rng.getrandbits(48) | (1 << 40)
    return str(
        uuid_lib.UUID(
            fields=(
                ticks & 0xFFFFFFFF,
                (ticks >> 32) & 0xFFFF,
                ((ticks >> 48) & 0x0FFF) | 0x1000,
                0x80 | (clock_seq >> 8),
                clock_seq & 0xFF,
                node,
            )
        )
    )


def seconds(rng: random.Random, low: float, high: float) -> int:
    """A random span in microseconds."""
    return int(rng.uniform(low, high) * SECOND_US)


def cdr_urls(call_uuid: str, at_us: int) -> tuple[str, str]:
    """Return the ``cdr_url`` and ``cdr_api_url`` Bulutfon gives a call that started at ``at_us``."""
    day = datetime.fromtimestamp(at_us / SECOND_US, tz=UTC).strftime("%Y/%m/%d")
    return (
        f"https://oim.bulutfon.com/account/pbx/call-records/{day}/{call_uuid}",
        f"https://api.bulutfon.com/v2/cdr/{day}/{call_uuid}",
    )


@dataclass(frozen=True, slots=True)
class _CallContext:
    """What every event of one call repeats."""

    caller: int
    callee: int
    uuid: str
    direction: str
    domain_id: int
    account_id: int
    extra: Event = field(default_factory=dict)

    def event(self, event_type: str, at_us: int, **fields: Scalar) -> Event:
        payload: Event = {
            "event_type": event_type,
            "domain_id": self.domain_id,
            "account_id": self.account_id,
            "caller": self.caller,
            "callee": self.callee,
            "uuid": self.uuid,
            "direction": self.direction,
            "timestamp": at_us,
        }
        payload.update(self.extra)
        payload.update(fields)
        return payload

    def hangup(
        self,
        start_us: int,
        end_us: int,
        *,
        talk_duration: int,
        hangup_detail: str,
        result_disposition: str = "SUCCESS",
        hangup_cause: str = "NORMAL_CLEARING",
    ) -> Event:
        cdr_url, cdr_api_url = cdr_urls(self.uuid, start_us)
        return self.event(
            "call_hangup",
            end_us,
            talk_duration=talk_duration,
            hangup_cause=hangup_cause,
            hangup_detail=hangup_detail,
            result_disposition=result_disposition,
            cdr_url=cdr_url,
            cdr_api_url=cdr_api_url,
        )


def build_scenario(
    name: str,
    *,
    caller: str | int = DEFAULT_CALLER,
    callee: str | int = DEFAULT_CALLEE,
    now_us: int | None = None,
    rng: random.Random | None = None,
    calls: int = DEFAULT_CALLS,
    domain_id: int = DEFAULT_DOMAIN_ID,
    account_id: int = DEFAULT_ACCOUNT_ID,
    extension: int = EXTENSION,
    group: int = GROUP,
) -> list[Call]:
    """Build the payloads of scenario ``name`` (one of :data:`SCENARIOS`).

    Returns a list of calls, each the list of its event payloads in sending order. Every event of
    a call carries the same fresh uuid; timestamps are microseconds since the epoch, starting at
    ``now_us`` (default: now) and following a plausible timeline (ringing, menu, talk).
    ``caller`` is the outside number (a mobile), ``callee`` the PBX number; on outgoing calls
    they swap places in the payload, as the PBX is then the calling side. Phone numbers, ids
    and ``destination`` are ints, as in the vendor's JSON examples. ``calls`` is the number of
    calls of the ``burst`` scenario, whose callers are consecutive numbers from ``caller``.
    ``extension`` and ``group`` are where ``answered`` and ``transfer`` calls go (``transfer``
    then moves on to the next extension number). Raises ``ValueError`` for an unknown scenario or a malformed number.
    """
    if name not in SCENARIOS:
        raise ValueError(
            f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}"
        )
    if calls < 1:
        raise ValueError("calls must be at least 1")
    outside = phone_number(caller, "caller")
    pbx = phone_number(callee, "callee")
    rng = rng if rng is not None else random.Random()
    start = now_us if now_us is not None else time.time_ns() // 1000
    index = 0

    def context(
        direction: str = "IN", *, number: int = outside, extra: Event | None = None
    ) -> _CallContext:
        nonlocal index
        index += 1
        incoming = direction == "IN"
        return _CallContext(
            caller=number if incoming else pbx,
            callee=pbx if incoming else number,
            uuid=call_uuid(start, index, rng),
            direction=direction,
            domain_id=domain_id,
            account_id=account_id,
            extra=extra or {},
        )

    def answered(t0: int) -> Call:
        call = context()
        menu = t0 + seconds(rng, 0.05, 0.4)
        group_at = menu + seconds(rng, 4, 12)
        extension_at = group_at + seconds(rng, 2, 9)
        end = extension_at + seconds(rng, 15, 240)
        # A voice menu answers the call: listening to it counts as talk time.
        talk = round((end - menu) / SECOND_US)
        return [
            call.event("call_init", t0),
            call.event("call_init_menu", menu, destination=MENU),
            call.event("call_init_group", group_at, destination=group),
            call.event("call_init_extension", extension_at, destination=extension),
            call.hangup(t0, end, talk_duration=talk, hangup_detail="send_bye"),
        ]

    def transfer(t0: int) -> Call:
        call = context()
        group_at = t0 + seconds(rng, 0.05, 0.4)
        extension_at = group_at + seconds(rng, 2, 9)
        transfer_at = extension_at + seconds(rng, 10, 40)
        end = transfer_at + seconds(rng, 15, 240)
        talk = round((end - extension_at) / SECOND_US)
        return [
            call.event("call_init", t0),
            call.event("call_init_group", group_at, destination=group),
            call.event("call_init_extension", extension_at, destination=extension),
            call.event("call_init_extension", transfer_at, destination=extension + 1),
            call.hangup(t0, end, talk_duration=talk, hangup_detail="send_bye"),
        ]

    def missed(t0: int) -> Call:
        call = context()
        return [
            call.event("call_init", t0),
            call.event("missing_call", t0 + seconds(rng, 15, 30)),
        ]

    def outgoing(t0: int, extra: Event | None = None) -> Call:
        call = context("OUT", extra=extra)
        answer = t0 + seconds(rng, 3, 12)
        end = answer + seconds(rng, 10, 300)
        talk = round((end - answer) / SECOND_US)
        detail = rng.choice(("send_bye", "recv_bye"))
        return [
            call.event("call_init", t0),
            call.hangup(t0, end, talk_duration=talk, hangup_detail=detail),
        ]

    def fax(t0: int) -> Call:
        return [context().event("fax_init", t0)]

    def autodial(t0: int) -> Call:
        extra: Event = {
            "autodial": True,
            "additional_data": f"crm-order-{rng.randint(10000, 99999)}",
            "callback_url": "https://crm.example.com/bulutfon/callback",
        }
        return outgoing(t0, extra)

    def burst_call(number: int, t0: int) -> Call:
        call = context(number=number)
        extension = t0 + seconds(rng, 0.5, 3)
        end = extension + seconds(rng, 5, 120)
        talk = round((end - extension) / SECOND_US)
        detail = rng.choice(("send_bye", "recv_bye"))
        return [
            call.event("call_init", t0),
            call.event(
                "call_init_extension",
                extension,
                destination=EXTENSION + rng.randrange(10),
            ),
            call.hangup(t0, end, talk_duration=talk, hangup_detail=detail),
        ]

    singles: dict[str, Callable[[int], Call]] = {
        "answered": answered,
        "missed": missed,
        "outgoing": outgoing,
        "fax": fax,
        "autodial": autodial,
    }
    if name == "burst":
        return [
            burst_call(outside + i, start + seconds(rng, 0, 0.2)) for i in range(calls)
        ]
    if name == "transfer":
        return [transfer(start)]
    if name == "all":
        result: list[Call] = []
        t0 = start
        for single in SINGLE_SCENARIOS:
            result.append(singles[single](t0))
            t0 = max(event_time(event) for event in result[-1]) + SECOND_US
        return result
    return [singles[name](start)]


def event_time(event: Event) -> int:
    """Return the ``timestamp`` of ``event`` (0 when it has none)."""
    value = event.get("timestamp")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
