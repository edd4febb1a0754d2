# ruff: noqa: RUF001, RUF002  (Turkish UI text: its dotless i is meant)
"""Issue 32's tour, in the browser: what Chromium shows for the integration's states.

Item 7: the frontend writes a duration sensor in hours as hours and minutes and one in
minutes as minutes and seconds, in Intl's narrow style (hass_frontend 2026.10: it floors
the whole unit and takes the smaller one from the fraction, floored too). This runs that
same formatting in the Debian chromium the other browser tests use, on the states the
integration writes, in English and Turkish: on one card the two durations must read alike
and Turkish "s" must not mean hours on one row and seconds on the next.

Items 10 and 11 on a Hipcall line in a real Home Assistant, in English and Turkish: a
Hipcall call's details read "Yes"/"Evet" and the user's name, with no classic-only rows,
and the unreachable-webhook repair's title says Hipcall.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from custom_components.bulutfon.sensor import display_minutes

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

from playwright.sync_api import expect

from .test_ui import (
    device_id,
    log_in,
    open_attributes,
    post,
    set_language,
    shoot,
    switch_to_turkish,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page

simulate = load_script("simulate")

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


HIPCALL_NUMBER = "908508850000"

# What a Hipcall call's details and repair read, per language (issue 32, items 10, 11).
HIPCALL_READS = {
    "en": {
        "heading": "Attributes",
        "details": (
            "listitem: Answered by a person Yes",
            "listitem: Hipcall user Zeynep",
        ),
        "classic": ("Call record in Bulutfon", "Bulutfon's API"),
        "repair": "Hipcall 0850 885 00 00: Hipcall cannot reach Home Assistant",
    },
    "tr": {
        "heading": "Nitelikler",
        "details": (
            "listitem: Bir kişi cevapladı Evet",
            "listitem: Hipcall kullanıcısı Zeynep",
        ),
        "classic": ("Bulutfon'daki arama kaydı", "Bulutfon API"),
        "repair": "Hipcall 0850 885 00 00: Hipcall, Home Assistant'a ulaşamıyor",
    },
}


@pytest.mark.browser
@pytest.mark.usefixtures("socket_enabled")
def test_hipcall_call_details_and_repair_in_both_languages(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """A Hipcall call's details read "Answered by a person: Yes" / "Bir kişi cevapladı:
    Evet" and the user's name (not "true" and an id), without classic-only rows; the
    repair for the line's unreachable webhook says Hipcall, in English and Turkish."""
    line = real_hass.add_hipcall(HIPCALL_NUMBER)
    real_hass.configure_bulutfon(line.entry_id, phonebook="12 = Zeynep")
    log_in(page, real_hass)
    restore: list[Callable[[], object]] = []
    try:
        for language, reads in HIPCALL_READS.items():
            if language == "tr":
                switch_to_turkish(page, real_hass, restore, line.entry_id)
            post(
                line.webhook_url,
                simulate.build_hipcall_scenario(
                    "answered", callee=HIPCALL_NUMBER, user=12
                ),
            )
            page.goto(f"{real_hass.url}/config/repairs")
            expect(page.get_by_text(reads["repair"])).to_be_visible()
            shoot(page, screenshots, f"tour-hipcall-repair-{language}")
            read = open_attributes(
                page,
                f"sensor.bulutfon_{HIPCALL_NUMBER}_last_call_duration",
                reads["heading"],
                reads["details"],
            )
            shoot(page, screenshots, f"tour-hipcall-details-{language}")
            for item in reads["details"]:
                assert item in read, read
            for classic in reads["classic"]:
                assert classic not in read, read
            assert "true" not in read, read
    finally:
        for undo in reversed(restore):
            undo()


@pytest.mark.browser
@pytest.mark.usefixtures("socket_enabled")
def test_language_change_renames_lines_without_a_reload(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Issue 32, item 8: after the server's language is set to Turkish (general
    settings; no reload by hand), a classic and a Hipcall line's devices read their
    model and names in Turkish: "Bulut santral", "Kullanıcı 12", "Son arayan"."""
    classic = real_hass.add_bulutfon("902125550201")
    hipcall = real_hass.add_hipcall("902125550202")
    post(
        hipcall.webhook_url,
        simulate.build_hipcall_scenario("answered", callee="902125550202", user=12),
    )
    log_in(page, real_hass)
    (before,) = real_hass.websocket(
        {"type": "frontend/get_user_data", "key": "language"}
    )
    try:
        for line in (classic, hipcall):
            page.goto(
                f"{real_hass.url}/config/devices/device/"
                f"{device_id(real_hass, line.entry_id)}"
            )
            expect(page.get_by_text("Cloud PBX").first).to_be_visible()
        real_hass.websocket(
            {"type": "config/core/update", "language": "tr"},
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": {"language": "tr", "number_format": "language"},
            },
        )
        for name, line in (("classic", classic), ("hipcall", hipcall)):
            page.goto(
                f"{real_hass.url}/config/devices/device/"
                f"{device_id(real_hass, line.entry_id)}"
            )
            expect(page.get_by_text("Bulut santral").first).to_be_visible()
            expect(page.get_by_text("Son arayan").first).to_be_visible()
            if line is hipcall:
                expect(page.get_by_text("Kullanıcı 12").first).to_be_visible()
            expect(page.get_by_text("Cloud PBX")).to_have_count(0)
            shoot(page, screenshots, f"tour-language-device-{name}-tr")
    finally:
        real_hass.websocket(
            {"type": "config/core/update", "language": "en"},
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": before["value"],
            },
        )


BLUEPRINT = (
    Path(__file__).parents[2]
    / "blueprints"
    / "automation"
    / "bulutfon"
    / "missed_call_notify.yaml"
)


@pytest.mark.browser
@pytest.mark.usefixtures("socket_enabled")
def test_missed_call_blueprint_lists_both_lines_in_both_languages(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Issue 32, item 3: the missed-call blueprint's line picker lists the classic and
    the Hipcall line on an English and a Turkish server (it filtered on the model,
    which reads "Bulut santral" in Turkish). The blueprint's own texts stay English:
    Home Assistant does not translate blueprints."""
    classic = real_hass.add_bulutfon("902125550301")
    hipcall = real_hass.add_hipcall("902125550302")
    assert classic.entry_id != hipcall.entry_id
    target = real_hass.directory / "blueprints" / "automation" / "bulutfon"
    target.mkdir(parents=True, exist_ok=True)
    (target / BLUEPRINT.name).write_bytes(BLUEPRINT.read_bytes())
    log_in(page, real_hass)
    restore: list[Callable[[], object]] = []
    try:
        for language in ("en", "tr"):
            if language == "tr":
                switch_to_turkish(page, real_hass, restore, hipcall.entry_id)
            page.goto(f"{real_hass.url}/config/blueprint/dashboard")
            page.get_by_text("Bulutfon missed call notification").first.click()
            picker = page.locator("ha-selector-device").first
            expect(picker).to_be_visible()
            picker.click()
            for name in ("Bulutfon 0212 555 03 01", "Hipcall 0212 555 03 02"):
                expect(page.get_by_text(name).first).to_be_visible()
            shoot(page, screenshots, f"tour-blueprint-lines-{language}")
            page.keyboard.press("Escape")
    finally:
        for undo in reversed(restore):
            undo()


@pytest.mark.browser
@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("language", "add", "services", "answered"),
    [
        ("en", "Add trigger", "Services", "A call was answered"),
        ("tr", "Tetikleyici ekle", "Hizmetler", "Bir arama cevaplandı"),
    ],
)
def test_hipcall_line_offers_the_answered_trigger_by_target(
    real_hass: RealHass,
    page: Page,
    screenshots: Path,
    *,
    language: str,
    add: str,
    services: str,
    answered: str,
) -> None:
    """Issue 32, item 10: picking a Hipcall line in the automation editor's "By target"
    tab offers "A call was answered".

    "A fax arrived" is offered there too: the 2026.10 frontend lists it for every event
    entity of the integration (a device filter in triggers.yaml did not change that); a
    Hipcall line never fires it (tests/test_triggers.py)."""
    number = "902125550501" if language == "en" else "902125550502"
    real_hass.add_hipcall(number)
    line = f"Hipcall 0212 555 05 0{number[-1]}"
    log_in(page, real_hass)
    set_language(real_hass, language)
    try:
        page.goto(f"{real_hass.url}/config/automation/edit/new")
        page.get_by_role("button", name=add).first.click()
        page.get_by_role("treeitem", name=services).click()
        page.get_by_role("treeitem", name=line).click()
        expect(
            page.get_by_role("button", name=f"{answered} {line}", exact=True)
        ).to_be_visible()
        shoot(page, screenshots, f"tour-hipcall-by-target-{language}")
    finally:
        set_language(real_hass, "en")


@pytest.mark.browser
@pytest.mark.usefixtures("socket_enabled")
def test_hipcall_voicemail_is_on_the_to_do_item(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Issue 32, item 11: a missed Hipcall call that left a voicemail says so on its
    "Calls to return" item: "left a voicemail" / "sesli mesaj bıraktı"."""
    number = "902125550601"
    line = real_hass.add_hipcall(number)
    post(
        line.webhook_url,
        simulate.build_hipcall_scenario("voicemail", callee=number),
    )
    log_in(page, real_hass)
    restore: list[Callable[[], object]] = []
    try:
        for language, text in (
            ("en", "left a voicemail"),
            ("tr", "sesli mesaj bıraktı"),
        ):
            if language == "tr":
                switch_to_turkish(page, real_hass, restore, line.entry_id)
            page.goto(
                f"{real_hass.url}/todo?entity_id=todo.bulutfon_{number}_callbacks"
            )
            expect(page.get_by_text(text).first).to_be_visible()
            shoot(page, screenshots, f"tour-hipcall-voicemail-todo-{language}")
    finally:
        for undo in reversed(restore):
            undo()
