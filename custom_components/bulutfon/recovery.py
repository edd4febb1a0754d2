"""Which calls the Hipcall API recovers: the ones the webhook never brought, each once.

Plain Python without Home Assistant imports, beside the call model. The line notes every
call end it applies (pushed or recovered) in a RecoveryLedger that outlives a restart; a
recovery asks the API for the calls since the ledger's last ones, and `plan` says which of
the answered records to apply: ended, not applied before, not older than MAX_AGE, not so
fresh that their own webhook may still be on its way (SETTLE), at most MAX_CALLS.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import logging
from typing import Any, Final

from .hipcall import event_from_call_record
from .protocol import (
    BulutfonEvent,
    PayloadError,
    bounded_text,
    event_time,
    usable_time,
    whole_number,
)

_LOGGER = logging.getLogger(__package__)

MAX_AGE: Final = timedelta(hours=24)
"""Calls that ended longer ago than this are not recovered."""
MAX_CALLS: Final = 300
"""Call records read (and recovered) at most in one recovery."""
SETTLE: Final = timedelta(minutes=2)
"""A call that ended less than this ago is left to its webhook (and the next recovery)."""
LONGEST_CALL: Final = timedelta(hours=4)
"""How long before the ledger's floor a call may have started and still end after it."""
KEPT: Final = 1000
"""How many applied call ends the ledger remembers (more than MAX_CALLS)."""


@dataclass(frozen=True, slots=True)
class RecoveryPlan:
    """What one recovery applies, oldest end first; `pending` when ended calls were left
    to settle (a recovery after SETTLE takes them, unless their webhook came)."""

    events: list[BulutfonEvent]
    pending: bool = False


@dataclass(slots=True)
class RecoveryLedger:
    """The call ends a line applied, remembered across restarts.

    A call that ended at or before `floor` counts as applied: the moment the ledger began
    (nothing before it is recovered), or the end of the newest call forgotten past KEPT.
    """

    floor: datetime
    seen: OrderedDict[str, float] = field(default_factory=OrderedDict)
    recovered: int = 0
    """Calls recovered in all, since the ledger began."""
    last_recovery: datetime | None = None
    """When the API was last read for calls."""
    last_recovered: int = 0
    """How many calls that reading recovered."""

    def note(self, uuid: str, ended: datetime, now: datetime) -> None:
        """Remember that the call `uuid`, which ended at `ended`, was applied at `now`.

        An end dated after `now` is recorded at `now`: a time from outside never moves
        the floor past the present (a forged end in year 4000 would otherwise make every
        real call count as applied once it is forgotten).
        """
        seen = self.seen
        seen[uuid] = min(ended, now).timestamp()
        seen.move_to_end(uuid)
        while len(seen) > KEPT:
            _uuid, forgotten = seen.popitem(last=False)
            if forgotten > self.floor.timestamp():
                self.floor = datetime.fromtimestamp(forgotten, UTC)

    def applied(self, uuid: str, ended: datetime) -> bool:
        """Whether the call's end was applied already (or lies before the floor)."""
        return uuid in self.seen or ended <= self.floor

    def since(self, now: datetime) -> datetime:
        """From when calls must be asked for (by their start): early enough for a long
        call that ended after the floor, never longer ago than MAX_AGE."""
        return max(self.floor - LONGEST_CALL, now - MAX_AGE)

    def plan(self, records: Iterable[Any], now: datetime) -> RecoveryPlan:
        """The recovered events to apply from the API's call records, oldest end first.

        Records that are not ended calls (still ringing, no uuid, garbage) are skipped;
        so are calls applied before, too old, or too fresh (pending). Each event comes
        with `replayed` set.
        """
        oldest = now - MAX_AGE
        newest = now - SETTLE
        found: dict[str, BulutfonEvent] = {}
        pending = False
        for record in records:
            if not isinstance(record, Mapping):
                continue
            try:
                event = event_from_call_record(record)
            except (
                PayloadError
            ):  # a field of a type Hipcall does not send (see hipcall.py)
                continue
            if event is None or event.uuid is None or event.timestamp is None:
                continue
            ended = event.timestamp
            if ended < oldest or ended > now or self.applied(event.uuid, ended):
                continue
            if ended > newest:
                pending = True
                continue
            found.setdefault(event.uuid, event._replace(replayed=True))
        events = sorted(found.values(), key=_ended)[-MAX_CALLS:]
        return RecoveryPlan(events, pending)

    def recovered_now(self, count: int, now: datetime) -> None:
        """Count one recovery's result (for diagnostics)."""
        self.recovered += count
        self.last_recovery = now
        self.last_recovered = count

    def as_dict(self) -> dict[str, Any]:
        """The ledger as JSON-safe data, to store."""
        return {
            "floor": self.floor.isoformat(),
            "seen": [[uuid, ended] for uuid, ended in self.seen.items()],
            "recovered": self.recovered,
            "last_recovery": None
            if self.last_recovery is None
            else self.last_recovery.isoformat(),
            "last_recovered": self.last_recovered,
        }

    @classmethod
    def from_dict(cls, data: Any, now: datetime) -> RecoveryLedger:
        """A stored ledger back; what cannot be read starts a new one at `now` (which
        recovers nothing from before: never a call twice)."""
        if not isinstance(data, Mapping):
            return cls(floor=now)
        floor = usable_time(event_time(data.get("floor")), now)
        if floor is None or floor > now:
            return cls(floor=now)
        ledger = cls(floor=floor)
        seen = data.get("seen")
        skipped = 0
        if isinstance(seen, list):
            for item in seen[-KEPT:]:
                if not isinstance(item, list) or len(item) != 2:
                    continue
                uuid = bounded_text(item[0]) if isinstance(item[0], str) else None
                # The time rule again: saved data is outside input too.
                ended = usable_time(event_time(item[1]), now)
                if uuid is None or ended is None:
                    skipped += 1
                    continue
                ledger.seen[uuid] = min(ended, now).timestamp()
        if skipped:
            _LOGGER.debug("Skipped %s saved call end(s) that do not fit", skipped)
        ledger.recovered = whole_number(data.get("recovered")) or 0
        ledger.last_recovery = usable_time(event_time(data.get("last_recovery")), now)
        ledger.last_recovered = whole_number(data.get("last_recovered")) or 0
        return ledger


def _ended(event: BulutfonEvent) -> datetime:
    assert event.timestamp is not None
    return event.timestamp
