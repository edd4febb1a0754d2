# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""Call routing in the real UI: turn it on in the options and read the routing URL.

Then Bulutfon's request to that URL (scripts/simulate's routing conversation) is answered
with the chosen default destination, and the same page is read in Turkish.
"""

from __future__ import annotations

from pathlib import Path
import re

import pytest

from .conftest import RealHass, load_script
from .test_ui import device_id, log_in, shoot

from playwright.sync_api import Page, expect  # isort: skip (after test_ui's skips)

simulate_routing = load_script("simulate_routing")

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

ROUTING_URL = re.compile(r"^http://127\.0\.0\.1:\d+/api/webhook/[0-9a-f]{32,}$")
NUMBER = "902165550000"

expect.set_options(timeout=20_000)


def open_options(page: Page, ha: RealHass, entry_id: str) -> None:
    """The integration's page > Configure (the options dialog)."""
    page.goto(f"{ha.url}/config/integrations/integration/bulutfon")
    page.locator(f'[data-entry-id="{entry_id}"]').get_by_role(
        "button", name=re.compile("Configure|Yapılandır")
    ).first.click()


def test_turn_routing_on_and_read_the_url(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Options > tick routing > the next page shows the routing URL; it answers calls."""
    line = real_hass.add_bulutfon(NUMBER)
    log_in(page, real_hass)
    open_options(page, real_hass, line.entry_id)

    dialog = page.locator("dialog-data-entry-flow")
    expect(dialog.get_by_text("Bulutfon options")).to_be_visible()
    # The switch's label is a sibling of it: click the label, as a user does.
    dialog.get_by_role("paragraph").filter(
        has_text="Route incoming calls (BulutfonXM)"
    ).click()
    expect(dialog.get_by_role("switch").last).to_be_checked()
    shoot(page, screenshots, "options-routing-switch")
    dialog.get_by_role("button", name="Next").click()

    expect(dialog.get_by_text("Call routing (BulutfonXM)")).to_be_visible()
    expect(dialog.get_by_text("Uygulamalar > BulutfonXM", exact=False)).to_be_visible()
    routing_url = dialog.locator("code").first.inner_text().strip()
    assert ROUTING_URL.match(routing_url), routing_url
    assert routing_url != line.webhook_url
    dialog.get_by_role("textbox", name="Default destination").fill("10")
    # Every field of the page is there (the entity pickers render last).
    for field in ("Routing script", "Blocked numbers", "Text-to-speech engine"):
        expect(dialog.get_by_text(field, exact=True).first).to_be_attached()
    expect(dialog.get_by_role("textbox", name="Default destination")).to_have_value(
        "10"
    )
    shoot(page, screenshots, "options-routing")
    dialog.get_by_role("button", name="Submit").click()
    expect(dialog).to_be_hidden()

    # Bulutfon asks the URL where a call goes: the default destination.
    steps = simulate_routing.converse(
        routing_url, caller="905321234567", callee=NUMBER, timeout=10.0
    )
    assert simulate_routing.succeeded(steps), steps
    assert steps[-1].seq[-1] == {
        "action": "dial",
        "args": {"destination": "10", "hide_cli_on_diversion": "false"},
    }

    # The decision is in the device's Activity, as a line that says where the call went.
    page.goto(
        f"{real_hass.url}/logbook?device_id={device_id(real_hass, line.entry_id)}"
    )
    expect(
        page.locator("ha-logbook")
        .get_by_text(
            "Call routed: 0532 123 45 67 → voice menu 10, the default destination"
        )
        .first
    ).to_be_visible()
    shoot(page, screenshots, "logbook-routing")

    # The same page in Turkish (the user's language), with the URL unchanged.
    real_hass.websocket(
        {
            "type": "frontend/set_user_data",
            "key": "language",
            "value": {"language": "tr", "number_format": "language"},
        }
    )
    try:
        page.reload()
        open_options(page, real_hass, line.entry_id)
        expect(dialog.get_by_text("Bulutfon seçenekleri")).to_be_visible()
        expect(
            dialog.get_by_role("paragraph").filter(
                has_text="Gelen aramaları yönlendir (BulutfonXM)"
            )
        ).to_be_visible()
        expect(dialog.get_by_role("switch").last).to_be_checked()
        dialog.get_by_role("button", name="Sonraki").click()
        expect(dialog.get_by_text("Arama yönlendirme (BulutfonXM)")).to_be_visible()
        assert dialog.locator("code").first.inner_text().strip() == routing_url
        expect(dialog.get_by_role("textbox", name="Varsayılan hedef")).to_have_value(
            "10"
        )
        shoot(page, screenshots, "options-routing-tr")
    finally:
        real_hass.websocket(
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": {"language": "en", "number_format": "language"},
            }
        )
