"""A refilling allowance: at most so many new things in a period, evenly refilled.

Plain Python without Home Assistant imports. Bounds what a request from outside may make
happen: devices a webhook creates (places.py), calls the routing door decides (router.py).
"""

from __future__ import annotations

from collections.abc import Callable
import time


class Allowance:
    """Up to `amount` takes at once; each period refills `amount`, evenly over time."""

    __slots__ = ("_amount", "_at", "_clock", "_left", "_period", "refused")

    def __init__(
        self,
        amount: int,
        period: float,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Start full; `period` in seconds; `clock` (seconds) defaults to monotonic time,
        looked up at each take (a test's frozen clock moves it too)."""
        self._amount = float(amount)
        self._period = period
        self._clock = clock or (lambda: time.monotonic())  # noqa: PLW0108
        self._left = float(amount)
        self._at = self._clock()
        self.refused = 0
        """How many takes were refused (diagnostics)."""

    def take(self) -> bool:
        """Take one if any is left (True), else count the refusal (False)."""
        now = self._clock()
        elapsed = max(now - self._at, 0.0)
        self._at = now
        self._left = min(
            self._amount, self._left + elapsed * self._amount / self._period
        )
        if self._left < 1:
            self.refused += 1
            return False
        self._left -= 1
        return True
