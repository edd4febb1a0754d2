# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""Who becomes a device, in the real UI (issue 32, items 1 and 9): a Hipcall line with a
token on the fake API, after two restarts, lists each user exactly once and its team by
name, in English and in Turkish (the switch to Turkish reloads the entry: a third time).

A real Home Assistant and Debian's chromium as in test_ui.py; the line is pointed at the fake
API as `scripts/demo --fake-api` does it (demo.use_fake_api: the first restart).
"""

from __future__ import annotations

from collections.abc import Callable
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

from .test_ui import demo, device_id, log_in, shoot, switch_to_turkish

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

NUMBER = "908508850000"
TOKEN = "browser-devices-token"
USERS = ("Ayşe Kaya", "Mehmet Demir")


def device_names(ha: RealHass, entry_id: str) -> list[str]:
    """The entry's device names, as the user sees them (repeats kept)."""
    (listed,) = ha.websocket({"type": "config/device_registry/list"})
    return sorted(
        device["name_by_user"] or device["name"]
        for device in listed
        if entry_id in device["config_entries"]
    )


def check_devices(page: Page, ha: RealHass, entry_id: str) -> None:
    """Each user once in the registry and on the devices page."""
    names = wait_for(
        lambda: device_names(ha, entry_id),
        lambda names: all(user in names for user in USERS),
    )
    for user in USERS:
        assert names.count(user) == 1, names
    assert not [name for name in names if "call_back" in name], names
    page.goto(f"{ha.url}/config/devices/dashboard?config_entry={entry_id}")
    for user in USERS:
        expect(page.get_by_text(user, exact=True)).to_have_count(1)


def test_each_user_once_and_teams_by_name_after_two_restarts(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    fake_api = realhass.FakeHipcallApi(TOKEN)
    fake_api.start()
    try:
        line = real_hass.add_hipcall(NUMBER)
        demo.use_fake_api(real_hass, fake_api, line.entry_id, NUMBER)  # restart 1
        real_hass.stop()
        real_hass.start()  # restart 2
        log_in(page, real_hass)
        check_devices(page, real_hass, line.entry_id)
        shoot(page, screenshots, "tour-devices-users")
        page.goto(
            f"{real_hass.url}/config/devices/device/"
            f"{device_id(real_hass, line.entry_id)}"
        )
        expect(
            page.get_by_text("Team Müşteri Hizmetleri calls", exact=False).first
        ).to_be_visible()
        expect(page.get_by_text("Team 7", exact=False)).to_have_count(0)
        shoot(page, screenshots, "tour-devices-team")

        restore: list[Callable[[], object]] = []
        try:
            switch_to_turkish(page, real_hass, restore, line.entry_id)  # a reload
            check_devices(page, real_hass, line.entry_id)
            shoot(page, screenshots, "tour-devices-users-tr")
            page.goto(
                f"{real_hass.url}/config/devices/device/"
                f"{device_id(real_hass, line.entry_id)}"
            )
            expect(
                page.get_by_text("Ekip Müşteri Hizmetleri aramaları", exact=False).first
            ).to_be_visible()
            expect(page.get_by_text("Ekip 7", exact=False)).to_have_count(0)
            shoot(page, screenshots, "tour-devices-team-tr")
        finally:
            for undo in reversed(restore):
                undo()
    finally:
        fake_api.stop()
