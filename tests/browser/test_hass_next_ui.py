# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""The browser smoke test on the newest release, and the Marketplace path a user clicks.

test_ui.py runs on requirements_dev.txt's release; here the same two tests (add Bulutfon in
the dialogs, post a call, read the dashboard; then all of it in Turkish) run against a real
``hass`` of requirements_hass_next.txt's release from ``.venv-next``. Then Settings >
Marketplace as docs/installation.md describes it, in English and Turkish, with the Marketplace
pointed at the fake GitHub of tests/fake_github.py (Bulutfon listed in its catalog): the
screenshots land in artifacts/screenshots/marketplace-*.png, the button names are checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_socket

from tests.fake_github import (
    NEXT_PYTHON,
    TAG,
    FakeGitHub,
    MarketplaceHass,
    bulutfon_releases,
)

from .conftest import PASSWORD, ROOT, USERNAME, RealHass
from .test_ui import (
    expect,
    log_in,
    settle,
    test_add_bulutfon_in_the_ui_and_watch_a_call,
    test_turkish_user_sees_turkish,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

NEXT_HASS = ROOT / ".venv-next" / "bin" / "hass"
if not NEXT_HASS.exists() or not NEXT_PYTHON.exists():
    pytest.skip(
        f"{NEXT_HASS.relative_to(ROOT)} is missing: run scripts/setup",
        allow_module_level=True,
    )

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

__all__ = [
    "test_add_bulutfon_in_the_ui_and_watch_a_call",
    "test_turkish_user_sees_turkish",
]

# What the 2026.11 frontend and the Marketplace's translations call each step, by language.
WORDS = {
    "en": {
        "entry": "Marketplace",
        "agree": "I understand the risks and agree",
        "continue": "Continue",
        "add_from_link": "Add from link",
        "link_dialog": "Add from a GitHub link",
        "install": "Install",
        "setup": "Which phone system does your office use?",
    },
    "tr": {
        "entry": "Marketplace",
        "agree": "Risklerin farkındayım ve kabul ediyorum",
        "continue": "Devam et",
        "add_from_link": "Bağlantıdan ekle",
        "link_dialog": "GitHub bağlantısından ekle",
        "install": "Kurulum",
        "setup": "Ofisiniz hangi santrali kullanıyor?",
    },
}


@pytest.fixture(scope="module")
def real_hass(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealHass]:
    """The newest release's ``hass`` for the tests taken from test_ui.py."""
    pytest_socket.enable_socket()
    ha = RealHass(tmp_path_factory.mktemp("hass-next") / "config", hass=NEXT_HASS)
    ha.start()
    try:
        ha.onboard(USERNAME, PASSWORD, name="Demo")
        yield ha
    finally:
        ha.stop()


@pytest.fixture
def marketplace_hass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[RealHass]:
    """A ``hass`` of the newest release whose Marketplace lists Bulutfon (fake GitHub)."""
    github = FakeGitHub(bulutfon_releases(), in_catalog=True)
    github.start()
    monkeypatch.setenv("BULUTFON_FAKE_GITHUB", github.url)
    ha = MarketplaceHass(tmp_path / "config")
    try:
        ha.start()
        ha.onboard(USERNAME, PASSWORD, name="Demo")
        ha.wait_for_marketplace()
        yield ha
    finally:
        ha.stop()
        github.stop()


@pytest.mark.parametrize("language", ["en", "tr"])
def test_marketplace_path_to_bulutfon(
    marketplace_hass: RealHass, page: Page, screenshots: Path, language: str
) -> None:
    """Settings > Marketplace > the warning > Add from link / Bulutfon > Install > Install,
    and Bulutfon's setup dialog opens without a restart."""
    words = WORDS[language]
    log_in(page, marketplace_hass)
    if language != "en":
        # The user's language (Profile > Language), as the frontend stores it.
        marketplace_hass.websocket(
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": {"language": language, "number_format": "language"},
            }
        )
    page.goto(f"{marketplace_hass.url}/config/dashboard")
    entry = page.locator("ha-config-navigation").get_by_text(words["entry"], exact=True)
    expect(entry).to_be_visible()
    settle(page)
    page.screenshot(path=screenshots / f"marketplace-{language}-1-settings.png")
    entry.click()

    # The first visit: the warning, accepted once per user.
    page.get_by_text(words["agree"]).click()
    page.screenshot(path=screenshots / f"marketplace-{language}-2-warning.png")
    page.get_by_role("button", name=words["continue"]).click()

    page.get_by_role("button", name=words["add_from_link"]).click()
    dialog = page.get_by_role("dialog", name=words["link_dialog"])
    expect(dialog).to_be_visible()
    page.screenshot(path=screenshots / f"marketplace-{language}-3-add-from-link.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.get_by_text("Bulutfon", exact=True).first.click()
    expect(page.get_by_role("heading", name="Bulutfon", exact=True)).to_be_visible()
    install = page.get_by_role("button", name=words["install"], exact=True)
    expect(install).to_be_visible()
    page.screenshot(path=screenshots / f"marketplace-{language}-4-bulutfon.png")

    # Install asks once more (at your own risk, the version), then the files are written.
    install.click()
    expect(page.get_by_text(TAG).last).to_be_visible()
    page.screenshot(path=screenshots / f"marketplace-{language}-5-install.png")
    # The dialog's own button comes after the page's in the document.
    confirm = page.get_by_role("button", name=words["install"], exact=True).last
    confirm.click()
    # A first install needs no restart: the running Home Assistant loads the new integration
    # and the Marketplace opens its setup dialog at once.
    expect(page.get_by_text(words["setup"])).to_be_visible()
    page.screenshot(path=screenshots / f"marketplace-{language}-6-installed.png")
    installed = marketplace_hass.directory / "custom_components" / "bulutfon"
    assert (installed / "manifest.json").is_file()
