# ruff: noqa: RUF001, RUF002  (Turkish UI text: its dotless i is meant)
"""Placing calls in the real UI (issue 32 items 5 and 6), in English and in Turkish:

- the call-back button shows whom it will call (*Will call*), calls the latest caller still
  waiting on *Calls to return* (not one already ticked), and says what it started in a
  notification;
- the action's form in Developer tools > Actions is called *Place a call* (*Telefon araması
  başlat*, not "Ara", the word on every search box) and its person picker offers the
  Hipcall people by name; a call placed from it rings through the (fake) Hipcall API.

A real Home Assistant and Debian's chromium as in test_ui.py; the API is the fake one
(tests/fake_hipcall.py) on 127.0.0.1, the line pointed at it by the demo's `use_fake_api`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import re
import urllib.request

import pytest

from tests.fake_hipcall import call_record
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

from playwright.sync_api import Error as PlaywrightError, Page, expect

from .test_ui import demo, log_in, open_attributes, row, shoot, switch_to_turkish

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

FakeHipcallApi = realhass.FakeHipcallApi

NUMBER = "908508850000"
LINE = f"bulutfon_{NUMBER}"
TOKEN = "browser-tour-calls-token"
BUTTON = f"button.{LINE}_user_12_call_back"
TODO = f"todo.{LINE}_callbacks"
RECOVERED = "0555 111 22 33"  # the demo's missed call, recovered at the start


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeHipcallApi]:
    """The fake Hipcall API for this module."""
    api = realhass.FakeHipcallApi(TOKEN)
    api.start()
    try:
        yield api
    finally:
        api.stop()


def missed_call(
    ha: RealHass, api: FakeHipcallApi, webhook_url: str, caller: str
) -> None:
    """A real missed call: in Hipcall's records, and pushed through the webhook."""
    record = call_record(
        datetime.now(UTC) - timedelta(seconds=40),
        caller=caller,
        callee=f"+{NUMBER}",
        missed=True,
    )
    api.add_calls([record])
    request = urllib.request.Request(
        webhook_url,
        data=json.dumps({"event": "call_hangup", "data": record}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        assert response.status == 200


def tick_latest(ha: RealHass) -> None:
    """Tick the first open caller on the list (as a person would on the to-do card)."""
    (items,) = ha.websocket({"type": "todo/item/list", "entity_id": TODO})
    uid = next(
        item["uid"] for item in items["items"] if item["status"] == "needs_action"
    )
    ha.websocket(
        {
            "type": "call_service",
            "domain": "todo",
            "service": "update_item",
            "target": {"entity_id": TODO},
            "service_data": {"item": uid, "status": "completed"},
        }
    )


def will_call(ha: RealHass) -> str:
    """What the button's *callee* attribute says now."""
    return str(ha.states()[BUTTON]["attributes"].get("callee"))


def press_and_see_the_notice(
    page: Page, screenshots: Path, name: str, label: str, notice: str
) -> None:
    """Press the dashboard's call-back button; the notification drawer says what started."""
    row(page, "button", label).get_by_role("button").click()
    page.locator("ha-sidebar").get_by_text(
        re.compile(r"^\s*(Notifications|Bildirimler)\s*$")
    ).click()
    expect(page.get_by_text(notice, exact=False)).to_be_visible()
    shoot(page, screenshots, name)


def pick_people_in_the_action_form(
    page: Page,
    ha: RealHass,
    *,
    screenshots: Path,
    name: str,
    action: str,
    field: str,
    number: str,
) -> None:
    """Developer tools > Actions: choose the action by its name; its person field lists
    Ayşe Kaya and Mehmet Demir; pick Mehmet, give a number, perform it."""
    # The drawer's page may still be loading: a second try lands.
    for _ in range(3):
        try:
            page.goto(f"{ha.url}/developer-tools/action")
            break
        except PlaywrightError:
            page.wait_for_timeout(500)
    picker = page.locator("ha-service-picker")
    try:
        picker.click()
    except PlaywrightError:
        shoot(page, screenshots, f"{name}-failed")
        raise
    search = page.get_by_placeholder(re.compile(r"^(Search|Ara)")).last
    search.fill(action)
    page.wait_for_timeout(500)
    shoot(page, screenshots, f"{name}-picker")
    page.get_by_text(action, exact=True).last.click()
    form = page.locator("ha-service-control")
    expect(form).to_contain_text(field)
    shoot(page, screenshots, f"{name}-form")
    device = form.locator("ha-selector-device")
    # Developer tools keep the last form: in the second language it is filled already.
    chosen = device.filter(has_text="Mehmet Demir").count() > 0
    device.click()
    page.wait_for_timeout(1000)
    shoot(page, screenshots, f"{name}-people")
    expect(page.get_by_text("Ayşe Kaya").first).to_be_visible()
    expect(page.get_by_text("Mehmet Demir").first).to_be_visible()
    if chosen:
        page.keyboard.press("Escape")
    else:
        page.get_by_text("Mehmet Demir").first.click()
    number_row = form.locator("ha-settings-row").filter(
        has_text=re.compile(rf"^\s*{number}\b")
    )
    if not number_row.get_by_role("checkbox").is_checked():
        number_row.locator("ha-checkbox").click()  # an optional field: on, then filled
    number_row.locator("input[type=tel]").fill("0532 123 45 67")
    shoot(page, screenshots, name)
    page.locator("ha-progress-button").last.click()
    page.wait_for_timeout(1000)
    shoot(page, screenshots, f"{name}-done")


def test_call_back_button_and_the_action_form(
    real_hass: RealHass, fake_api: FakeHipcallApi, page: Page, screenshots: Path
) -> None:
    """English, then Turkish: the button calls the caller still waiting and says so; the
    action's form offers the people and places the call."""
    line = real_hass.add_hipcall(NUMBER)
    demo.use_fake_api(real_hass, fake_api, line.entry_id, NUMBER)
    dashboard = real_hass.create_dashboard(
        "tour-calls", title="Calls", entities=[f"todo.{LINE}_callbacks", BUTTON]
    )
    # Somebody called after the recovered caller, and was called back by hand already.
    missed_call(real_hass, fake_api, line.webhook_url, "+905554445566")
    wait_for(lambda: will_call(real_hass), lambda shown: "444 55 66" in shown)
    tick_latest(real_hass)
    wait_for(lambda: will_call(real_hass), lambda shown: shown == RECOVERED)

    log_in(page, real_hass)
    page.goto(dashboard)
    read = open_attributes(page, BUTTON, "Attributes", ("Will call",))
    assert f"Will call {RECOVERED}" in read, read
    shoot(page, screenshots, "tour-calls-button-will-call")
    page.goto(dashboard)
    press_and_see_the_notice(
        page,
        screenshots,
        "tour-calls-button-notice",
        "Call back waiting caller",
        f"Hipcall is ringing Ayşe Kaya's phone; when it is answered, it calls {RECOVERED}",
    )
    placed = wait_for(fake_api.placed, bool)
    assert [(call["user_id"], call["callee_number"]) for call in placed] == [
        ("12", "+905551112233")  # the waiting caller, not the one ticked
    ]

    pick_people_in_the_action_form(
        page,
        real_hass,
        screenshots=screenshots,
        name="tour-calls-action-form",
        action="Place a call",
        field="Person or line",
        number="Number",
    )
    placed = wait_for(fake_api.placed, lambda calls: len(calls) == 2)
    assert (placed[-1]["user_id"], placed[-1]["callee_number"]) == (
        "13",
        "+905321234567",
    )

    restore: list[Callable[[], object]] = []
    try:
        switch_to_turkish(page, real_hass, restore, line.entry_id)
        missed_call(real_hass, fake_api, line.webhook_url, "+905557778899")
        wait_for(lambda: will_call(real_hass), lambda shown: "777 88 99" in shown)
        page.goto(dashboard)
        read = open_attributes(page, BUTTON, "Nitelikler", ("Aranacak",))
        assert "Aranacak 0555 777 88 99" in read, read
        shoot(page, screenshots, "tour-calls-button-will-call-tr")
        page.goto(dashboard)
        press_and_see_the_notice(
            page,
            screenshots,
            "tour-calls-button-notice-tr",
            "Bekleyen arayanı geri ara",
            "Telefon açılınca aranan: 0555 777 88 99",
        )
        placed = wait_for(fake_api.placed, lambda calls: len(calls) == 3)
        assert placed[-1]["callee_number"] == "+905557778899"
        pick_people_in_the_action_form(
            page,
            real_hass,
            screenshots=screenshots,
            name="tour-calls-action-form-tr",
            action="Telefon araması başlat",
            field="Kişi ya da hat",
            number="Numara",
        )
        placed = wait_for(fake_api.placed, lambda calls: len(calls) == 4)
        assert placed[-1]["user_id"] == "13"
    finally:
        for undo in reversed(restore):
            undo()
