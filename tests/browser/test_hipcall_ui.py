# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""A Hipcall office in the real UI: the platform menu, the Hipcall dialog, a line's dashboard
during an answered call, in English and in Turkish.

Same machinery as test_ui.py (a real Home Assistant, Debian's chromium); the calls are the
ones `scripts/simulate --platform hipcall` plays.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import CHROMIUM, RealHass, load_script

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
    WEBHOOK_URL,
    expect_value,
    log_in,
    open_add_integration,
    row,
    shoot,
    switch_to_turkish,
)

if TYPE_CHECKING:
    from collections.abc import Callable

simulate = load_script("simulate")

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

NUMBER = "908508850000"


def test_hipcall_office_in_the_ui(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Pick Hipcall in the first step, add the office, paste the URL; an answered call shows
    Ringing then Talking, the team's waiting call and the user who took it; in Turkish too."""
    log_in(page, real_hass)
    open_add_integration(
        page, real_hass, add="Add integration", search="Search for a brand name"
    )
    dialog = page.locator("dialog-data-entry-flow")
    expect(
        dialog.get_by_text("Which phone system does your office use?")
    ).to_be_visible()
    expect(dialog.get_by_text("Settings > Integrations > Webhook")).to_be_visible()
    shoot(page, screenshots, "config-flow-platform", readme=True)
    dialog.get_by_text("Hipcall", exact=True).click()
    expect(dialog.get_by_text("Add a Hipcall office")).to_be_visible()
    expect(dialog.get_by_role("textbox", name="Password")).to_have_count(0)
    shoot(page, screenshots, "config-flow-hipcall")
    dialog.get_by_role("textbox", name="Office number").fill("0850 885 00 00")
    dialog.get_by_role("button", name="Submit").click()
    expect(
        dialog.get_by_text("Almost done, but Hipcall cannot reach this URL yet")
    ).to_be_visible()
    webhook_url = (
        dialog.locator("code").filter(has_text="/api/webhook/").inner_text().strip()
    )
    assert WEBHOOK_URL.match(webhook_url), webhook_url
    shoot(page, screenshots, "config-flow-hipcall-success")
    page.get_by_role("button", name="Skip and finish").click()
    expect(dialog).to_be_hidden()

    entry_id = real_hass.bulutfon_entries()["Hipcall 0850 885 00 00"]
    real_hass.configure_bulutfon(entry_id, phonebook="0532 123 45 67 = Ayşe Kaya")
    (call,) = simulate.build_hipcall_scenario(
        "answered", caller="905321234567", callee=NUMBER, user=12, team=7
    )
    # The call starts, waiting at team 7: Ringing.
    summary = simulate.play(webhook_url, [call[:1]], use_proxy=False)
    assert summary.ok, [result.line() for result in summary.results]
    # User 12's sensor comes with the answer: on the dashboard already, as a user adds it.
    user = f"binary_sensor.bulutfon_{NUMBER}_user_12"
    dashboard = real_hass.create_dashboard(
        "hipcall-ui",
        title="Hipcall",
        entities=[*real_hass.bulutfon_entities(entry_id), user],
    )
    page.goto(dashboard)
    expect_value(page, "sensor", "Call state", "Ringing")
    expect_value(page, "sensor", "Team 7 calls", "1")
    expect(row(page, "sensor", "Last caller")).to_contain_text("Ayşe Kaya")
    # User 12 answers: Talking, the user Busy.
    summary = simulate.play(webhook_url, [call[1:2]], use_proxy=False)
    assert summary.ok, [result.line() for result in summary.results]
    expect_value(page, "sensor", "Call state", "Talking")
    expect_value(page, "sensor", "Team 7 calls", "0")
    expect_value(page, "simple", "User 12", "Busy")
    expect(page.get_by_text("Last fax sender")).to_have_count(0)
    shoot(page, screenshots, "dashboard-hipcall", readme=True)

    restore: list[Callable[[], object]] = []
    try:
        # Turkish reloads the entry, which forgets calls under way: a second call.
        switch_to_turkish(page, real_hass, restore, entry_id)
        (call,) = simulate.build_hipcall_scenario(
            "answered", caller="905551112233", callee=NUMBER, user=12, team=7
        )
        summary = simulate.play(webhook_url, [call[:2]], use_proxy=False)
        assert summary.ok, [result.line() for result in summary.results]
        page.goto(dashboard)
        expect_value(page, "sensor", "Arama durumu", "Görüşmede")
        expect_value(page, "simple", "Kullanıcı 12", "Meşgul")
        expect_value(page, "sensor", "Ekip 7 aramaları", "0")
        shoot(page, screenshots, "dashboard-hipcall-tr")
        # The call ends: Boşta, and the talk time is there.
        summary = simulate.play(webhook_url, [call[2:]], use_proxy=False)
        assert summary.ok, [result.line() for result in summary.results]
        expect_value(page, "sensor", "Arama durumu", "Boşta")
        expect_value(page, "simple", "Kullanıcı 12", "Boşta")
        open_add_integration(
            page, real_hass, add="Entegrasyon ekle", search="Bir marka adı arayın"
        )
        dialog = page.locator("dialog-data-entry-flow")
        expect(
            dialog.get_by_text("Ofisiniz hangi santrali kullanıyor?")
        ).to_be_visible()
        shoot(page, screenshots, "config-flow-platform-tr")
        dialog.get_by_text("Hipcall", exact=True).click()
        expect(dialog.get_by_text("Hipcall ofisi ekle")).to_be_visible()
        shoot(page, screenshots, "config-flow-hipcall-tr")
    finally:
        for undo in reversed(restore):
            undo()
