"""The real UI on a 390 px phone (the URL to copy) and a caller who hides the number.

A real Home Assistant (scripts/realhass.py) serves the frontend; Playwright drives Debian's
chromium. Skipped when chromium or Playwright is missing. Screenshots land in
artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import CHROMIUM, RealHass, load_script

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: the browser tests drive Debian's chromium",
        allow_module_level=True,
    )
pytest.importorskip(
    "playwright.sync_api",
    reason="playwright is missing from .venv: run scripts/setup",
)

from playwright.sync_api import Locator, Page, expect

from .test_ui import log_in, post, row, shoot, switch_to_turkish

simulate = load_script("simulate")
demo = load_script("demo")

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}

# Where a text's lines end on screen, against the box that shows it: a URL cut off by
# its block (scrolled or clipped) ends right of it.
_TEXT_RIGHT = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const right = Math.max(...[...range.getClientRects()].map(rect => rect.right));
    return {right, box: element.getBoundingClientRect().right, width: innerWidth};
}"""


def whole_on_screen(url: Locator) -> None:
    """The URL's text ends inside its own box and inside the phone's screen."""
    sizes = url.evaluate(_TEXT_RIGHT)
    assert sizes["right"] <= sizes["box"] + 0.5, sizes
    assert sizes["right"] <= sizes["width"], sizes


def test_url_is_copyable_whole_on_a_phone(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """At 390 px the webhook URL wraps inside its block, all of it on screen, and a
    triple tap/click selects exactly the whole URL to copy."""
    line = real_hass.add_bulutfon("902125550101")
    page.set_viewport_size(PHONE)
    log_in(page, real_hass)
    page.goto(f"{real_hass.url}/config/integrations/integration/bulutfon")
    page.get_by_role("button", name="Configure").first.click()
    dialog = page.locator("dialog-data-entry-flow")
    url = dialog.get_by_text(line.webhook_url, exact=True)
    expect(url).to_be_visible()
    whole_on_screen(url)
    url.click(click_count=3)
    selected = page.evaluate("document.getSelection().toString()")
    assert selected.strip() == line.webhook_url
    shoot(page, screenshots, "phone-options-url")


def test_hidden_caller_reads_hidden_number(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """A caller who hides the number reads Hidden number / Gizli numara, while a line
    that has had no call yet still reads Unknown."""
    hidden = real_hass.add_bulutfon("902125550102")
    fresh = real_hass.add_bulutfon("902125550103")
    dashboard = real_hass.create_dashboard(
        "bulutfon-hidden",
        cards=[
            {
                "type": "entities",
                "entities": [
                    {
                        "entity": "sensor.bulutfon_902125550102_last_caller",
                        "name": "After a hidden caller",
                    },
                    {
                        "entity": "sensor.bulutfon_902125550103_last_caller",
                        "name": "Before any call",
                    },
                ],
            }
        ],
    )
    # A missed call as the switch sends it when the caller hides the number.
    missed = [
        [{**event, "caller": "anonymous"} for event in call]
        for call in simulate.build_scenario("missed")
    ]
    post(hidden.webhook_url, missed)
    log_in(page, real_hass)
    page.goto(dashboard)
    after, before_any = (
        row(page, "sensor", "After a hidden caller"),
        row(page, "sensor", "Before any call"),
    )
    expect(after).to_contain_text("Hidden number")
    expect(before_any).to_contain_text("Unknown")
    shoot(page, screenshots, "hidden-caller")

    (before,) = real_hass.websocket(
        {"type": "frontend/get_user_data", "key": "language"}
    )
    real_hass.websocket(
        {
            "type": "frontend/set_user_data",
            "key": "language",
            "value": {"language": "tr", "number_format": "language"},
        }
    )
    try:
        page.reload()
        expect(after).to_contain_text("Gizli numara")
        expect(before_any).to_contain_text("Bilinmeyen")
        shoot(page, screenshots, "hidden-caller-tr")
    finally:
        real_hass.websocket(
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": before["value"],
            }
        )
    assert fresh.entry_id


# Row names the entities card cut with an ellipsis: their text is wider than their box.
_CUT_NAMES = """rows => rows.flatMap(row => {
    const cut = [];
    const walk = root => {
        for (const element of root.querySelectorAll("*")) {
            if (element.shadowRoot) walk(element.shadowRoot);
            if (element.classList.contains("info")
                && element.scrollWidth > element.clientWidth + 1) {
                cut.push(element.textContent.trim());
            }
        }
    };
    walk(row.shadowRoot || row);
    return cut;
})"""


def test_demo_hipcall_rows_fit_a_phone(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Issue 32, item 11: the demo's Hipcall rows were cut on a phone ("Hipcall 0212
    555 00 00 Last call dur..."). Its dashboard (demo.hipcall_cards) shows at 390 px
    every row's name whole, in English and Turkish."""
    number = "902125550104"
    line = real_hass.add_hipcall(number)
    for user in (12, 15):
        post(
            line.webhook_url,
            simulate.build_hipcall_scenario("answered", callee=number, user=user),
        )
    (registry,) = real_hass.websocket({"type": "config/entity_registry/list"})
    dashboard = real_hass.create_dashboard(
        "hipcall-phone", cards=demo.hipcall_cards(registry, line.entry_id)
    )
    page.set_viewport_size(PHONE)
    log_in(page, real_hass)
    restore: list[Callable[[], object]] = []
    try:
        for language, user in (("en", "User 12"), ("tr", "Kullanıcı 12")):  # noqa: RUF001
            if language == "tr":
                switch_to_turkish(page, real_hass, restore, line.entry_id)
            page.goto(dashboard)
            cards = page.locator("hui-entities-card")
            expect(cards.get_by_text(user, exact=True)).to_be_visible()
            shoot(page, screenshots, f"phone-hipcall-demo-{language}")
            cut = cards.evaluate_all(_CUT_NAMES)
            assert cut == [], (language, cut)
    finally:
        for undo in reversed(restore):
            undo()
