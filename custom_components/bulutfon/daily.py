"""What the day counted: calls in and out, answered, missed, and talk time.

Plain Python without Home Assistant imports. The call tracker (calls.py) adds each call once
(repeats never reach here); the Home Assistant side starts a new day at local midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any


@dataclass(slots=True)
class DailyCounts:
    """Today's figures for one PBX number; `day` is the local date they belong to."""

    day: date | None = None
    incoming_calls: int = 0
    outgoing_calls: int = 0
    answered_calls: int = 0
    missed_calls: int = 0
    talk_time: int = 0
    """Seconds, the sum of the ended calls' talk durations."""

    def new_day(self, day: date) -> list[str]:
        """Start counting `day` from 0; the names of the figures that were not 0 already.

        Nothing changes when `day` is the day already counted.
        """
        if day == self.day:
            return []
        self.day = day
        changed = []
        for name in FIGURES:
            if getattr(self, name):
                setattr(self, name, 0)
                changed.append(name)
        return changed

    def saved(self, name: str) -> dict[str, Any]:
        """One figure and its day, JSON-safe (kept across a restart)."""
        return {
            "value": getattr(self, name),
            "day": None if self.day is None else self.day.isoformat(),
        }

    def restore(self, name: str, saved: Any) -> bool:
        """Take back a figure saved on the same day (one of another day stays 0).

        False when the saved data does not fit: then nothing changed.
        """
        if not isinstance(saved, dict):
            return False
        day = saved.get("day")
        if not isinstance(day, str):
            return False
        if self.day is None or day != self.day.isoformat():
            return True  # readable, but not today's
        return self.put_back(name, saved.get("value"))

    def put_back(self, name: str, value: Any) -> bool:
        """Set a figure of this day from outside data; False when it is no count."""
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return False
        setattr(self, name, value)
        return True


FIGURES: tuple[str, ...] = tuple(
    item.name for item in fields(DailyCounts) if item.name != "day"
)
"""The names of the day's figures."""
