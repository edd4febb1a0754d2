"""A real Home Assistant and a headless chromium for the browser tests.

Home Assistant (``scripts/realhass.py``) runs once per module in a temporary config folder,
onboarded through its API with the user ``demo``; chromium runs through Playwright with a fresh
profile for every test, so every test logs in through the real login page. test_ui.py skips
itself when chromium or Playwright is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
import os
from pathlib import Path
import shutil
import threading
from typing import TYPE_CHECKING

import pytest
import pytest_socket

from tests.real_hass import ROOT, load_script

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Debian's chromium (scripts/setup installs it); $CHROMIUM names another build.
CHROMIUM = Path(
    os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
USERNAME = "demo"
PASSWORD = "demo1234"

# As root chromium needs --no-sandbox; on a closed network the rest keep it from stalling on
# refused connections (updates, sync, QUIC probes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


realhass = load_script("realhass")
RealHass = realhass.RealHass


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``browser`` mark (``-m "not browser"`` leaves these tests out)."""
    config.addinivalue_line(
        "markers",
        "browser: drives the real UI in chromium against a real Home Assistant",
    )


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process ``hass`` here: these tests talk to a real Home Assistant process."""


@pytest.fixture(scope="module")
def real_hass(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealHass]:
    """A real Home Assistant on 127.0.0.1, onboarded; stopped after the module."""
    # pytest-homeassistant-custom-component blocks sockets before each test's fixtures are
    # set up; the function-scoped socket_enabled fixture comes too late for this one.
    pytest_socket.enable_socket()
    ha = RealHass(tmp_path_factory.mktemp("hass") / "config")
    ha.start()
    try:
        ha.onboard(USERNAME, PASSWORD, name="Demo")
        yield ha
    finally:
        ha.stop()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    """A page of a fresh headless chromium (empty profile), closed after the test.

    Function-scoped on purpose: while Playwright's sync API runs, its event loop counts as
    running in this thread, and the Home Assistant plugin's async autouse fixtures (set up
    before this one, torn down after it) could not run.
    """
    from playwright.sync_api import sync_playwright

    threads_before = set(threading.enumerate())
    # It drives chromium over a pipe: no port is opened.
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800},
            locale="en-US",
        )
        context.set_default_timeout(20_000)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
    # Closing its event loop stops the loop's worker threads without waiting for them; wait,
    # or the plugin's check for lingering threads may still see them.
    for thread in set(threading.enumerate()) - threads_before:
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """artifacts/screenshots/ (git-ignored), emptied once per run."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS
