# ruff: noqa: RUF001  (Turkish UI text: its dotless i is meant)
"""The call-back list in a real Home Assistant and browser: on a dashboard in English and
Turkish (surviving the reload the language switch makes), and Assist answering over the
real HTTP API."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import CHROMIUM, RealHass

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: the browser tests drive Debian's chromium",
        allow_module_level=True,
    )
pytest.importorskip(
    "playwright.sync_api", reason="playwright is missing from .venv: run scripts/setup"
)

from playwright.sync_api import Page, expect

from .test_ui import demo, log_in, post, shoot, simulate, switch_to_turkish

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]


def ask(ha: RealHass, text: str, language: str) -> str:
    """Ask the built-in agent through the real HTTP API."""
    answer = ha.request(
        "POST", "/api/conversation/process", {"text": text, "language": language}
    )
    return answer["response"]["speech"]["plain"]["speech"]  # type: ignore[no-any-return]


def missed_at(
    number: str, caller: str, extension: int, group: int
) -> list[dict[str, object]]:
    """A call that rings a group, then an extension, and is missed there."""
    (call,) = simulate.build_scenario(
        "answered", caller=caller, callee=number, extension=extension, group=group
    )
    return [*call[:4], {**call[0], "event_type": "missing_call"}]


def test_callback_list_and_assist(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """Three missed callers (one called back), on a to-do card; Assist reads the list."""
    number = "902164440000"
    line = real_hass.add_bulutfon(number)
    real_hass.configure_bulutfon(line.entry_id, phonebook=demo.PHONEBOOK)
    calls = [
        missed_at(number, "905321234567", 1001, 111),
        missed_at(number, "905441234567", 1002, 112),
        missed_at(number, "905551112233", 1001, 111),
        *simulate.build_scenario(
            "answered", caller="905551112233", callee=number, extension=1003, group=112
        ),
    ]
    post(line.webhook_url, calls)
    todo = f"todo.bulutfon_{number}_callbacks"
    assert real_hass.request("GET", f"/api/states/{todo}")["state"] == "2"
    assert (
        ask(real_hass, "Whom should I call back?", "en")
        == "2 callers to call back: 0544 123 45 67 and Ayşe Kaya."
    )
    assert (
        ask(real_hass, "Kimi geri aramalıyım?", "tr")
        == "Geri aranacak 2 kişi var: 0544 123 45 67 ve Ayşe Kaya."
    )
    # The line's state is answered once its entities are exposed to Assist (the to-do
    # list is exposed by default).
    real_hass.expose_to_assist(real_hass.bulutfon_entities(line.entry_id))
    assert ask(real_hass, "Hat meşgul mü?", "tr") == "Hayır, hat boş."

    dashboard = real_hass.create_dashboard(
        url_path="bulutfon-callbacks",
        title="Bulutfon",
        cards=[{"type": "todo-list", "entity": todo, "hide_create": True}],
    )
    log_in(page, real_hass)
    page.goto(dashboard)
    card = page.locator("hui-todo-list-card")
    expect(card).to_contain_text("Ayşe Kaya")
    expect(card).to_contain_text("0544 123 45 67")
    expect(card).to_contain_text("rang at Zeynep")
    expect(card).to_contain_text("Mehmet Demir")  # completed, shown ticked
    shoot(page, screenshots, "callbacks", readme=True)

    restore: list[Callable[[], object]] = []
    try:
        switch_to_turkish(page, real_hass, restore, line.entry_id)
        page.goto(dashboard)
        card = page.locator("hui-todo-list-card")
        # The reload read the list back from its store.
        expect(card).to_contain_text("Ayşe Kaya")
        expect(card).to_contain_text("cevapsız çağrı")
        expect(card).to_contain_text("çaldığı yer: Emre")
        shoot(page, screenshots, "callbacks-tr", readme=True)
    finally:
        for undo in reversed(restore):
            undo()
