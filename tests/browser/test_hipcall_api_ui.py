# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""Hipcall's API in the real UI: a user's *Call back waiting caller* button rings through
the API, and the logbook tells a call recovered from the API after a restart; in English and
in Turkish.

A real Home Assistant and Debian's chromium as in test_ui.py; the API is the fake one
(tests/fake_hipcall.py) on 127.0.0.1, the line pointed at it by the demo's own
`use_fake_api` (what `scripts/demo --fake-api` does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.real_hass import wait_for

from .conftest import CHROMIUM, RealHass, realhass

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: the browser tests drive Debian's chromium "
        "(scripts/setup installs it when run as root: apt-get install chromium)",
        allow_module_level=True,
    )
pytest.importorskip(
    "playwright.sync_api",
    reason="playwright is missing from .venv: run scripts/setup",
)

from playwright.sync_api import Page, expect

from .test_ui import (
    demo,
    device_id,
    expect_value,
    log_in,
    row,
    scroll_to,
    shoot,
    switch_to_turkish,
)

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

FakeHipcallApi = realhass.FakeHipcallApi

NUMBER = "908508850000"
LINE = f"bulutfon_{NUMBER}"
TOKEN = "browser-hipcall-token"
BUTTON = f"button.{LINE}_user_12_call_back"


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeHipcallApi]:
    """The fake Hipcall API for this module."""
    api = realhass.FakeHipcallApi(TOKEN)
    api.start()
    try:
        yield api
    finally:
        api.stop()


def test_call_back_button_and_recovered_call(
    real_hass: RealHass, fake_api: FakeHipcallApi, page: Page, screenshots: Path
) -> None:
    """A missed call the webhook never brought is recovered at a restart: the dashboard
    counts it, Ayşe Kaya's button calls it back through the API, the logbook says it was
    recovered; in Turkish too."""
    line = real_hass.add_hipcall(NUMBER)
    # As `scripts/demo --fake-api` does it: the token and the fake's address written into
    # the stopped hass's entry, a missed call the webhook never brought, a start.
    demo.use_fake_api(real_hass, fake_api, line.entry_id, NUMBER)
    missed = f"sensor.{LINE}_missed_calls"
    assert real_hass.states()[missed]["state"] == "1"
    dashboard = real_hass.create_dashboard(
        "hipcall-api",
        title="Hipcall",
        entities=[
            missed,
            f"sensor.{LINE}_last_missed_caller",
            f"todo.{LINE}_callbacks",
            BUTTON,
        ],
    )

    log_in(page, real_hass)
    page.goto(dashboard)
    expect_value(page, "sensor", "Missed calls", "1")
    expect(row(page, "sensor", "Last missed caller")).to_contain_text("0555 111 22 33")
    button = row(page, "button", "Call back waiting caller")
    expect(button).to_be_visible()
    shoot(page, screenshots, "hipcall-call-back-button", readme=True)
    button.get_by_role("button").click()
    placed = wait_for(fake_api.placed, bool)
    assert [(call["user_id"], call["callee_number"]) for call in placed] == [
        ("12", "+905551112233")
    ]

    page.goto(
        f"{real_hass.url}/logbook?device_id={device_id(real_hass, line.entry_id)}"
    )
    logbook = page.locator("ha-logbook")
    expect(
        logbook.get_by_text(
            "Missed call: 0555 111 22 33 (recovered from Hipcall afterwards)",
            exact=False,
        )
    ).to_be_visible()
    shoot(page, screenshots, "logbook-hipcall-recovered", readme=True)

    restore: list[Callable[[], object]] = []
    try:
        switch_to_turkish(page, real_hass, restore, line.entry_id)
        page.goto(dashboard)
        expect(row(page, "button", "Bekleyen arayanı geri ara")).to_be_visible()
        shoot(page, screenshots, "hipcall-call-back-button-tr", readme=True)
        page.goto(
            f"{real_hass.url}/logbook?device_id={device_id(real_hass, line.entry_id)}"
        )
        # The reload in Turkish wrote the entities again: the line is further down.
        recovered = page.locator("ha-logbook").get_by_text(
            "Cevapsız arama: 0555 111 22 33 (sonradan Hipcall'dan alındı)", exact=False
        )
        scroll_to(page, recovered)
        shoot(page, screenshots, "logbook-hipcall-recovered-tr", readme=True)
    finally:
        for undo in reversed(restore):
            undo()
