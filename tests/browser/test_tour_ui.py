"""Issue 32's tour, in the browser: what Chromium shows for the integration's states.

Item 7: the frontend writes a duration sensor in hours as hours and minutes and one in
minutes as minutes and seconds, in Intl's narrow style (hass_frontend 2026.10: it floors
the whole unit and takes the smaller one from the fraction, floored too). This runs that
same formatting in the Debian chromium the other browser tests use, on the states the
integration writes, in English and Turkish: on one card the two durations must read alike
and Turkish "s" must not mean hours on one row and seconds on the next.

Not covered here yet (said in the report): the real-Home-Assistant tour of items 3, 8, 10
and 11 in both languages and on both platforms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.bulutfon.sensor import display_minutes

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The frontend's duration formatting for "h" and "min" (hass_frontend 2026.10).
FORMAT = """([language, value, unit]) => {
  const whole = Math.floor(value);
  const rest = Math.floor(60 * (value - whole));
  const parts = unit === "h" ? {hours: whole, minutes: rest} : {minutes: whole, seconds: rest};
  const display = unit === "h" ? {hoursDisplay: "always"} : {minutesDisplay: "always"};
  return new Intl.DurationFormat(language, {style: "narrow", ...display}).format(parts);
}"""

TALK_TIME_TODAY = 6 + 26 / 60
"""Daily talk time as Home Assistant converts 6 h 26 min of seconds to hours."""


@pytest.mark.parametrize(
    ("language", "day", "call"),
    [("en", "6h 26m", "3m 58s"), ("tr", "6s 26d", "3d 58sn")],
)
def test_both_durations_read_alike(
    page: Page, language: str, day: str, call: str
) -> None:
    """Daily talk time "6h 26m" / "6s 26d" beside last call duration "3m 58s" /
    "3d 58sn": no "238 s" whose Turkish "s" reads as hours."""
    shown_day = page.evaluate(FORMAT, [language, TALK_TIME_TODAY, "h"])
    shown_call = page.evaluate(FORMAT, [language, display_minutes(238), "min"])
    assert shown_day.replace("\u00a0", " ") == day
    assert shown_call.replace("\u00a0", " ") == call


def test_every_call_length_reads_to_the_second_in_chromium(page: Page) -> None:
    """The states the integration writes read, in Chromium, as their own minutes and
    seconds for every talk time up to two hours (the float 238 / 60 would read 3m 57s)."""
    shown = page.evaluate(
        """(states) => states.map(([value]) => {
          const whole = Math.floor(value);
          return [whole, Math.floor(60 * (value - whole))];
        })""",
        [[display_minutes(seconds)] for seconds in range(2 * 3600)],
    )
    assert shown == [list(divmod(seconds, 60)) for seconds in range(2 * 3600)]
