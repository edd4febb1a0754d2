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
import sys
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
# The demo imports its neighbours (realhass, simulate) by name.
sys.path.insert(0, str(ROOT / "scripts"))
demo = load_script("demo")

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


def scroll_to(page: Page, target: Locator) -> None:
    """Scroll the Activity panel's list (it renders only what is on screen) to a line."""
    for _ in range(30):
        if target.count():
            break
        page.mouse.move(900, 500)
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(200)
    target.scroll_into_view_if_needed()
    expect(target).to_be_visible()


def device_id(ha: RealHass, entry_id: str) -> str:
    """The id of the device of a Bulutfon entry (its line's, not an extension's)."""
    (devices,) = ha.websocket({"type": "config/device_registry/list"})
    (device,) = [
        item
        for item in devices
        if entry_id in item["config_entries"] and item["via_device_id"] is None
    ]
    return str(device["id"])


def open_attributes(
    page: Page, entity_id: str, heading: str, expected: tuple[str, ...]
) -> str:
    """Open an entity's more-info details (the ⋮ menu's Attributes); return what its
    attribute list reads, one "name value" line per attribute."""
    page.goto(
        f"{page.url.split('?')[0]}?more-info-entity-id={entity_id}"
        "&more-info-view=details"
    )
    attributes = page.locator("ha-more-info-dialog").get_by_role("list", name=heading)
    expect(attributes).to_be_visible()
    # Read the list as assistive technology does, once its values are rendered.
    read = ""
    for _ in range(40):
        read = attributes.aria_snapshot()
        if read.count("listitem") >= len(expected) and all(
            line in read for line in expected
        ):
            break
        page.wait_for_timeout(250)
    return read


def test_add_bulutfon_in_the_ui_and_watch_a_call(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """A user adds the number through the dialogs, pastes the URL, and sees calls arrive:
    numbers readable, the caller by name, the line Busy or Idle, details in words."""
    log_in(page, real_hass)
    open_add_integration(
        page, real_hass, add="Add integration", search="Search for a brand name"
    )
    # The first step asks the platform: classic Bulutfon here.
    page.get_by_text("Bulutfon (classic panel)").click()
    expect(page.get_by_text("Add a Bulutfon PBX number")).to_be_visible()
    # The number as a Turkish user writes it; every event is selected by default.
    page.get_by_role("textbox", name="PBX number").fill("0850 885 00 00")
    page.get_by_role("button", name="Submit").click()

    dialog = page.locator("dialog-data-entry-flow")
    # get_by_text: the text sits in shadow roots, which to_contain_text does not enter.
    # This Home Assistant has no external URL: the dialog says so before anything else.
    expect(
        dialog.get_by_text("Almost done, but Bulutfon cannot reach this URL yet")
    ).to_be_visible()
    expect(dialog.get_by_text("Settings > System > Network")).to_be_visible()
    expect(dialog.get_by_text("0850 885 00 00", exact=True)).to_be_visible()
    # The URL on its own, whole, in a paragraph of its own (it wraps on a phone).
    webhook_url = (
        dialog.locator("code").filter(has_text="/api/webhook/").inner_text().strip()
    )
    assert WEBHOOK_URL.match(webhook_url), webhook_url
    assert webhook_url.startswith(real_hass.url)
    # A triple click selects the whole URL, however wide, to copy it.
    dialog.get_by_text(webhook_url, exact=True).click(click_count=3)
    assert page.evaluate("document.getSelection().toString()").strip() == webhook_url
    shoot(page, screenshots, "config-flow-success", readme=True)
    page.get_by_role("button", name="Skip and finish").click()
    expect(dialog).to_be_hidden()

    entry_id = real_hass.bulutfon_entries()["Bulutfon 0850 885 00 00"]
    real_hass.configure_bulutfon(entry_id, phonebook="0532 123 45 67 = Ayşe Kaya")
    dashboard = real_hass.create_dashboard(
        "bulutfon-ui", entities=real_hass.bulutfon_entities(entry_id)
    )
    page.goto(dashboard)
    expect_value(page, "simple", "Line", "Idle")

    # Ayşe rings: the line turns busy while the call is up, and shows her name.
    (answered,) = simulate.build_scenario("answered", caller="905321234567")
    post(webhook_url, [answered[:1]])
    expect_value(page, "simple", "Line", "Busy")
    expect_value(page, "sensor", "Active calls", "1")
    expect(row(page, "sensor", "Last caller")).to_contain_text("Ayşe Kaya")

    # It is answered and ends; then a missed call and a fax from numbers not in the book.
    post(webhook_url, [answered[1:]])
    post(webhook_url, simulate.build_scenario("missed", caller="905551112233"))
    post(webhook_url, simulate.build_scenario("fax", caller="902165550199"))
    expect_value(page, "simple", "Line", "Idle")
    expect_value(page, "sensor", "Active calls", "0")
    expect_value(page, "sensor", "Missed calls", "1")
    expect(row(page, "sensor", "Last missed caller")).to_contain_text("0555 111 22 33")
    expect(row(page, "sensor", "Last fax sender")).to_contain_text("0216 555 01 99")
    expect(row(page, "event", "Call")).to_contain_text("Fax received")
    shoot(page, screenshots, "dashboard", readme=True)

    # The call's details, in words.
    expected = (
        "listitem: Hangup cause Ended normally",
        "listitem: How it ended Called party hung up",
        "listitem: Caller's name Ayşe Kaya",
        "listitem: Caller 905321234567",
        "listitem: Result Connected",
    )
    read = open_attributes(
        page,
        "sensor.bulutfon_908508850000_last_call_duration",
        "Attributes",
        expected,
    )
    for item in expected:
        assert item in read, read
    page.get_by_text("Hangup cause").first.scroll_into_view_if_needed()
    shoot(page, screenshots, "more-info")

    # The Activity panel filtered by the Bulutfon device tells the call's story.
    page.goto(f"{real_hass.url}/logbook?device_id={device_id(real_hass, entry_id)}")
    logbook = page.locator("ha-logbook")
    expect(
        logbook.get_by_text("Missed call: 0555 111 22 33", exact=False).first
    ).to_be_visible()
    # Further down: Ayşe's answered call, by name, with its length.
    scroll_to(
        page,
        logbook.get_by_text(
            re.compile(r"Call ended: Ayşe Kaya \(0532 123 45 67\), talked \d+ (min|s)")
        ),
    )
    expect(
        logbook.get_by_text("Call reached an extension: Ayşe Kaya", exact=False)
    ).to_be_visible()
    shoot(page, screenshots, "logbook", readme=True)

    # Configure shows the URL again, whole, to select and copy; no credentials there.
    page.goto(f"{real_hass.url}/config/integrations/integration/bulutfon")
    page.get_by_role("button", name="Configure").first.click()
    options = page.locator("dialog-data-entry-flow")
    # The line has learned the extension Ayşe's call reached: a menu first, and Forget
    # places lists the extension by its device's name.
    options.get_by_text("Forget places", exact=True).click()
    expect(options.get_by_text("Extension 1000", exact=True)).to_be_visible()
    shoot(page, screenshots, "options-forget-places")
    page.goto(f"{real_hass.url}/config/integrations/integration/bulutfon")
    page.get_by_role("button", name="Configure").first.click()
    options.get_by_text("Line options", exact=True).click()
    expect(options.get_by_text("Bulutfon 0850 885 00 00", exact=True)).to_be_visible()
    shown = options.get_by_text(webhook_url, exact=True)
    expect(shown).to_have_text(webhook_url)
    shown.click(click_count=3)
    assert page.evaluate("document.getSelection().toString()").strip() == webhook_url
    expect(options.get_by_role("textbox", name="Password")).to_have_count(0)
    shoot(page, screenshots, "options")


def test_turkish_user_sees_turkish(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """With Turkish chosen, the dialogs, states, details and the logbook are Turkish."""
    number = "902125550000"
    line = real_hass.add_bulutfon(number)
    real_hass.configure_bulutfon(line.entry_id, phonebook="0532 123 45 67 = Ayşe Kaya")
    dashboard = real_hass.create_dashboard(
        "bulutfon-tr", entities=real_hass.bulutfon_entities(line.entry_id)
    )
    post(line.webhook_url, simulate.build_scenario("missed", callee=number))
    post(
        line.webhook_url,
        simulate.build_scenario("answered", caller="905551112233", callee=number),
    )
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
        expect(row(page, "event", "Call")).to_contain_text("Arama bitti")
        expect_value(page, "simple", "Line", "Boşta")

        # Entity names and the logbook follow the server's language (Settings > System >
        # General): a Turkish installation names them in Turkish.
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
        expect_value(page, "simple", "Hat", "Boşta")
        expect_value(page, "sensor", "Cevapsız aramalar", "1")
        expect(row(page, "sensor", "Son cevapsız arama")).to_contain_text("Ayşe Kaya")
        expect(row(page, "sensor", "Son arayan")).to_contain_text("0555 111 22 33")
        shoot(page, screenshots, "dashboard-tr", readme=True)

        expected = (
            "listitem: Sonlanma nedeni Normal şekilde sonlandı",
            "listitem: Sonlanma şekli Aranan taraf kapattı",
            "listitem: Sonuç Bağlandı",
            "listitem: Arayan 905551112233",
        )
        read = open_attributes(
            page, f"sensor.bulutfon_{number}_last_call_duration", "Nitelikler", expected
        )
        for item in expected:
            assert item in read, read
        page.get_by_text("Sonlanma nedeni").first.scroll_into_view_if_needed()
        shoot(page, screenshots, "more-info-tr")

        page.goto(
            f"{real_hass.url}/logbook?device_id={device_id(real_hass, line.entry_id)}"
        )
        logbook = page.locator("ha-logbook")
        # The reload's own lines come first: scroll down to the calls.
        scroll_to(page, logbook.get_by_text("Cevapsız arama: Ayşe Kaya").first)
        expect(
            logbook.get_by_text(
                re.compile(r"Arama bitti: 0555 111 22 33, görüşme süresi \d+ (dk|sn)")
            )
        ).to_be_visible()
        shoot(page, screenshots, "logbook-tr")

        # A third number through the dialogs, in Turkish, up to the success dialog.
        open_add_integration(
            page, real_hass, add="Entegrasyon ekle", search="Bir marka adı arayın"
        )
        dialog = page.locator("dialog-data-entry-flow")
        dialog.get_by_text("Bulutfon (klasik panel)").click()
        expect(dialog.get_by_text("Bulutfon santral numarası ekle")).to_be_visible()
        expect(
            dialog.get_by_text(
                "Bulutfon, bu santral numarasının arama ve faks olaylarını"
            )
        ).to_be_visible()
        # The selector keeps the labels of Bulutfon's own form.
        expect(dialog.get_by_text("Cevaplanmayan çağrı", exact=True)).to_be_visible()
        shoot(page, screenshots, "config-flow-tr")
        dialog.get_by_role("textbox", name="Santral numarası").fill("0216 555 00 00")
        dialog.get_by_role("button", name="Gönder").click()
        expect(
            dialog.get_by_text(
                "Neredeyse bitti, ancak Bulutfon bu adrese henüz ulaşamıyor"
            )
        ).to_be_visible()
        expect(dialog.get_by_text("0216 555 00 00", exact=True)).to_be_visible()
        expect(dialog.locator("code").filter(has_text="/api/webhook/")).to_be_visible()
        shoot(page, screenshots, "config-flow-success-tr")
    finally:
        for undo in reversed(restore):
            undo()


def switch_to_turkish(
    page: Page, ha: RealHass, restore: list[Callable[[], object]], entry_id: str
) -> None:
    """The user's profile and the server in Turkish (undone through ``restore``)."""
    page.goto(f"{ha.url}/profile/localization")
    page.locator("ha-language-picker").click()
    languages = page.get_by_role("dialog", name="Language")
    languages.get_by_role("textbox").press_sequentially("Turkish")
    (before,) = ha.websocket({"type": "frontend/get_user_data", "key": "language"})
    restore.append(
        lambda: ha.websocket(
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": before["value"],
            }
        )
    )
    languages.get_by_text("Turkish", exact=True).click()
    expect(page.get_by_role("heading", name="Yerelleştirme")).to_be_visible()
    ha.websocket({"type": "config/core/update", "language": "tr"})
    restore.append(
        lambda: ha.websocket({"type": "config/core/update", "language": "en"})
    )
    ha.request("POST", f"/api/config/config_entries/entry/{entry_id}/reload")


def test_office_view(real_hass: RealHass, page: Page, screenshots: Path) -> None:
    """The demo's office view: who is on the phone, who waits in a group, how today went,
    the last week in a graph; in English and in Turkish."""
    number = "902163330000"
    line = real_hass.add_bulutfon(number)
    real_hass.configure_bulutfon(line.entry_id, phonebook=demo.PHONEBOOK)
    dashboard = demo.set_up_office(real_hass, line.entry_id, line.webhook_url, number)
    # Ayşe is on the phone with Zeynep at 1001; Mehmet waits in ring group 112.
    (talking,) = simulate.build_scenario(
        "answered", caller="905321234567", callee=number, extension=1001, group=111
    )
    (waiting,) = simulate.build_scenario(
        "answered", caller="905551112233", callee=number, extension=1003, group=112
    )
    post(line.webhook_url, [talking[:4], waiting[:3]])

    log_in(page, real_hass)
    page.goto(dashboard)
    glance = page.locator("hui-glance-card")
    expect(glance).to_contain_text("Zeynep")
    expect(glance).to_contain_text("Extension 1003")
    expect(glance).to_contain_text("Busy")
    expect(glance).to_contain_text("Idle")
    expect_value(page, "sensor", "Group 112 calls", "1")
    expect_value(page, "sensor", "Group 111 calls", "0")
    expect_value(page, "sensor", "Daily incoming calls", "5")
    expect_value(page, "sensor", "Daily answered calls", "3")
    # Hours and minutes, as people read a day's talk time.
    expect(row(page, "sensor", "Daily talk time")).to_contain_text(
        re.compile(r"\b\d+h \d+m\b")
    )
    expect(
        page.locator(
            "hui-statistics-graph-card canvas, hui-statistics-graph-card ha-chart-base"
        ).first
    ).to_be_visible()
    shoot(page, screenshots, "office-view", readme=True)

    restore: list[Callable[[], object]] = []
    try:
        switch_to_turkish(page, real_hass, restore, line.entry_id)
        # Calls under way do not survive the reload: two new ones.
        (talking,) = simulate.build_scenario(
            "answered", caller="905321234567", callee=number, extension=1001, group=111
        )
        (waiting,) = simulate.build_scenario(
            "answered", caller="905551112233", callee=number, extension=1003, group=112
        )
        post(line.webhook_url, [talking[:4], waiting[:3]])
        page.goto(dashboard)
        glance = page.locator("hui-glance-card")
        expect(glance).to_contain_text("Meşgul")
        expect(glance).to_contain_text("Boşta")
        expect(glance).to_contain_text("Dahili 1003")
        expect_value(page, "sensor", "Grup 112 aramaları", "1")
        expect_value(page, "sensor", "Günlük gelen aramalar", "7")
        # Home Assistant's frontend writes hours and minutes as "s" and "d" in Turkish
        # (Intl's narrow style; an integration cannot choose another).
        expect(row(page, "sensor", "Günlük konuşma süresi")).to_contain_text(
            re.compile(r"\b\d+s \d+d\b")
        )
        shoot(page, screenshots, "office-view-tr", readme=True)
    finally:
        for undo in reversed(restore):
            undo()


def set_language(ha: RealHass, language: str) -> None:
    """The demo user's profile language (the frontend's and the integration's strings)."""
    ha.websocket(
        {
            "type": "frontend/set_user_data",
            "key": "language",
            "value": {
                "language": language,
                "number_format": "language",
                "time_format": "language",
                "date_format": "language",
                "time_zone": "local",
                "first_weekday": "language",
            },
        }
    )


@pytest.mark.parametrize(
    ("language", "add", "services", "expected"),
    [
        (
            "en",
            "Add trigger",
            "Services",
            (
                "A call started",
                "A call was missed",
                "A line or extension became busy",
                "A line or extension became idle",
            ),
        ),
        (
            "tr",
            "Tetikleyici ekle",
            "Hizmetler",
            (
                "Bir arama başladı",
                "Bir arama cevapsız kaldı",
                "Hat veya dahili meşgul oldu",
                "Hat veya dahili boşa çıktı",
            ),
        ),
    ],
)
def test_by_target_tab_offers_bulutfon_triggers(
    real_hass: RealHass,
    page: Page,
    screenshots: Path,
    *,
    language: str,
    add: str,
    services: str,
    expected: tuple[str, ...],
) -> None:
    """The automation editor's first tab, "By target": pick the line, and Bulutfon's own
    triggers are there, in the user's language."""
    number = "902163330001" if language == "en" else "902163330002"
    real_hass.add_bulutfon(number)
    line = f"Bulutfon 0216 333 00 0{number[-1]}"
    log_in(page, real_hass)
    set_language(real_hass, language)
    try:
        page.goto(f"{real_hass.url}/config/automation/edit/new")
        page.get_by_role("button", name=add).first.click()
        page.get_by_role("treeitem", name=services).click()
        page.get_by_role("treeitem", name=line).click()
        for name in expected:
            expect(
                page.get_by_role("button", name=f"{name} {line}", exact=True)
            ).to_be_visible()
        shoot(page, screenshots, f"automation-by-target-{language}", readme=True)
    finally:
        set_language(real_hass, "en")


def test_success_dialog_is_one_list_of_five_steps(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Reachable from the internet, the dialog numbers its steps 1 to 5 in one list, the
    URL inside step 2; in English and in Turkish."""
    real_hass.websocket(
        {"type": "config/core/update", "external_url": "https://office.example.com"}
    )
    log_in(page, real_hass)
    try:
        for language, add, search, classic, field, submit, number in (
            (
                "en",
                "Add integration",
                "Search for a brand name",
                "Bulutfon (classic panel)",
                "PBX number",
                "Submit",
                "0216 444 00 01",
            ),
            (
                "tr",
                "Entegrasyon ekle",
                "Bir marka adı arayın",
                "Bulutfon (klasik panel)",
                "Santral numarası",
                "Gönder",
                "0216 444 00 02",
            ),
        ):
            set_language(real_hass, language)
            open_add_integration(page, real_hass, add=add, search=search)
            dialog = page.locator("dialog-data-entry-flow")
            dialog.get_by_text(classic).click()  # the platform menu
            dialog.get_by_role("textbox", name=field).fill(number)
            dialog.get_by_role("button", name=submit).click()
            expect(dialog.locator("code")).to_contain_text(
                "https://office.example.com/api/webhook/"
            )
            lists = dialog.locator("ha-markdown ol")
            expect(lists).to_have_count(1)
            expect(lists.locator(":scope > li")).to_have_count(5)
            # The URL is in step 2.
            expect(lists.locator(":scope > li").nth(1).locator("code")).to_have_count(1)
            shoot(page, screenshots, f"config-flow-success-reachable-{language}")
    finally:
        set_language(real_hass, "en")
        real_hass.websocket({"type": "config/core/update", "external_url": None})
