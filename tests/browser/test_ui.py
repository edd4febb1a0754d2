# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""The real UI in a real browser: add Bulutfon as a user would, watch calls, read it in Turkish.

A real Home Assistant (scripts/realhass.py) serves the frontend; Playwright drives Debian's
chromium. Skipped when chromium or Playwright is missing. Screenshots land in
artifacts/screenshots/; the two the README shows are copied to docs/screenshots/ when they are
missing there or when UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
from pathlib import Path
import re
import shutil
from typing import TYPE_CHECKING

import pytest

from .conftest import CHROMIUM, PASSWORD, ROOT, USERNAME, RealHass, load_script

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

from playwright.sync_api import Locator, Page, expect

if TYPE_CHECKING:
    from collections.abc import Callable

simulate = load_script("simulate")

# Sockets to 127.0.0.1 (the real Home Assistant); the plugin blocks them by default.
pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

README_SCREENSHOTS = ROOT / "docs" / "screenshots"
WEBHOOK_URL = re.compile(r"^http://127\.0\.0\.1:\d+/api/webhook/[0-9a-f]{32,}$")

expect.set_options(timeout=20_000)


def log_in(page: Page, ha: RealHass) -> None:
    """Log in through the real login page, as the demo user."""
    page.goto(ha.url)
    page.get_by_role("textbox", name="Username").fill(USERNAME)
    # By role: the label "Password" also matches the "Show password" button.
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The frontend keeps its tokens only once it has loaded after the redirect; leaving
    # earlier lands on the login page again.
    expect(page.locator("ha-sidebar")).to_contain_text("Settings")


def settle(page: Page) -> None:
    """Wait for the splash screen to go, so that a screenshot shows the page."""
    page.locator("#ha-launch-screen").wait_for(state="detached")


def row(page: Page, kind: str, name: str) -> Locator:
    """The entities-card row of type ``kind`` (sensor, simple, event...) named ``name``."""
    # A regular expression: a plain string would match case-insensitively, and "Missed
    # calls" would also find "Reset missed calls".
    return page.locator(f"hui-{kind}-entity-row").filter(
        has_text=re.compile(re.escape(name))
    )


def expect_value(page: Page, kind: str, name: str, value: str) -> None:
    """Expect the row named ``name`` to show ``value`` (a whole word of its text)."""
    # Not to_contain_text(value): "1" and "0" are also in the device name's number. The
    # value comes first in the row's text (it is slotted), the name after it.
    expect(row(page, kind, name)).to_contain_text(
        re.compile(rf"(^|\s){re.escape(value)}(\s|$)")
    )


def shoot(page: Page, screenshots: Path, name: str, *, readme: bool = False) -> None:
    """Save a screenshot; README ones also to docs/screenshots/ (when missing or asked to)."""
    settle(page)
    path = screenshots / f"{name}.png"
    page.screenshot(path=path)
    target = README_SCREENSHOTS / path.name
    if readme and (not target.exists() or os.environ.get("UPDATE_SCREENSHOTS") == "1"):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def open_add_integration(page: Page, ha: RealHass, *, add: str, search: str) -> None:
    """Settings > Devices & services > Add integration > search "Bulutfon" > pick it."""
    page.goto(f"{ha.url}/config/integrations/dashboard")
    page.get_by_role("button", name=add).click()
    page.get_by_placeholder(search).fill("Bulutfon")
    page.get_by_role("button", name="Bulutfon", exact=True).click()


def post(url: str, calls: list[list[dict[str, object]]]) -> None:
    """POST call events to a webhook as Bulutfon would; every one must be accepted."""
    summary = simulate.play(url, calls, use_proxy=False)
    assert summary.ok, [result.line() for result in summary.results]


def test_add_bulutfon_in_the_ui_and_watch_a_call(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """A user adds the number through the dialogs, pastes the URL, and sees calls arrive."""
    log_in(page, real_hass)
    open_add_integration(
        page, real_hass, add="Add integration", search="Search for a brand name"
    )
    expect(page.get_by_text("Add a Bulutfon PBX number")).to_be_visible()
    # The number as a Turkish user writes it; every event is selected by default.
    page.get_by_role("textbox", name="PBX number").fill("0850 885 00 00")
    page.get_by_role("button", name="Submit").click()

    dialog = page.locator("dialog-data-entry-flow")
    # get_by_text: the text sits in shadow roots, which to_contain_text does not enter.
    expect(dialog.get_by_text("Almost done")).to_be_visible()
    expect(dialog.get_by_text("908508850000", exact=True)).to_be_visible()
    webhook_url = dialog.locator("code").inner_text().strip()
    assert WEBHOOK_URL.match(webhook_url), webhook_url
    assert webhook_url.startswith(real_hass.url)
    shoot(page, screenshots, "config-flow-success", readme=True)
    page.get_by_role("button", name="Skip and finish").click()
    expect(dialog).to_be_hidden()

    entry_id = real_hass.bulutfon_entries()["Bulutfon 908508850000"]
    dashboard = real_hass.create_dashboard(
        "bulutfon-ui", entities=real_hass.bulutfon_entities(entry_id)
    )
    page.goto(dashboard)
    expect_value(page, "simple", "Line busy", "Off")

    # A caller rings: the line turns busy while the call is up.
    (answered,) = simulate.build_scenario("answered", caller="905321234567")
    post(webhook_url, [answered[:1]])
    expect_value(page, "simple", "Line busy", "On")
    expect_value(page, "sensor", "Active calls", "1")
    expect_value(page, "sensor", "Last caller", "905321234567")

    # It is answered and ends; then a missed call and a fax.
    post(webhook_url, [answered[1:]])
    post(webhook_url, simulate.build_scenario("missed", caller="905551112233"))
    post(webhook_url, simulate.build_scenario("fax", caller="902165550199"))
    expect_value(page, "simple", "Line busy", "Off")
    expect_value(page, "sensor", "Active calls", "0")
    expect_value(page, "sensor", "Missed calls", "1")
    expect_value(page, "sensor", "Last missed caller", "905551112233")
    expect_value(page, "sensor", "Last fax sender", "902165550199")
    expect(row(page, "event", "Call")).to_contain_text("Fax received")
    shoot(page, screenshots, "dashboard", readme=True)


def test_turkish_user_sees_turkish(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """With Turkish chosen in the profile, the dialog, states and entity names are Turkish."""
    number = "902125550000"
    line = real_hass.add_bulutfon(number)
    dashboard = real_hass.create_dashboard(
        "bulutfon-tr", entities=real_hass.bulutfon_entities(line.entry_id)
    )
    post(line.webhook_url, simulate.build_scenario("missed", callee=number))
    restore: list[Callable[[], object]] = []
    try:
        log_in(page, real_hass)
        # Profile > Localization > Language: Türkçe.
        page.goto(f"{real_hass.url}/profile/localization")
        page.locator("ha-language-picker").click()
        languages = page.get_by_role("dialog", name="Language")
        languages.get_by_role("textbox").press_sequentially("Turkish")
        (before,) = real_hass.websocket(
            {"type": "frontend/get_user_data", "key": "language"}
        )
        restore.append(
            lambda: real_hass.websocket(
                {
                    "type": "frontend/set_user_data",
                    "key": "language",
                    "value": before["value"],
                }
            )
        )
        languages.get_by_text("Turkish", exact=True).click()
        expect(page.get_by_role("heading", name="Yerelleştirme")).to_be_visible()

        # The integration's state translations follow the user's language at once (the
        # entity names are still the server's English ones).
        page.goto(dashboard)
        expect(row(page, "event", "Call")).to_contain_text("Cevapsız çağrı")
        expect_value(page, "simple", "Line busy", "Kapalı")

        # Entity names follow the server's language (Settings > System > General), taken
        # when the entry loads: a Turkish installation names them in Turkish.
        real_hass.websocket({"type": "config/core/update", "language": "tr"})
        restore.append(
            lambda: real_hass.websocket(
                {"type": "config/core/update", "language": "en"}
            )
        )
        real_hass.request(
            "POST", f"/api/config/config_entries/entry/{line.entry_id}/reload"
        )
        page.reload()
        expect_value(page, "sensor", "Cevapsız çağrılar", "1")
        expect_value(page, "sensor", "Son arayan", "905321234567")
        shoot(page, screenshots, "dashboard-tr")

        # A second number through the dialogs, in Turkish.
        open_add_integration(
            page, real_hass, add="Entegrasyon ekle", search="Bir marka adı arayın"
        )
        dialog = page.locator("dialog-data-entry-flow")
        expect(dialog.get_by_text("Bulutfon santral numarası ekle")).to_be_visible()
        expect(dialog.get_by_role("textbox", name="Santral numarası")).to_be_visible()
        expect(dialog.get_by_text("Cevapsız çağrı", exact=True)).to_be_visible()
        shoot(page, screenshots, "config-flow-tr")
    finally:
        for undo in reversed(restore):
            undo()
