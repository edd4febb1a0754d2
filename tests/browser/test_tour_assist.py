# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""Assist in a real Home Assistant and browser (issues 31 and 32 items 2 and 4): the
phone questions typed into the Assist dialog of the real UI, in English and Turkish, on the
default (English) pipeline; the answers read back from the dialog and the real server's
conversation API."""

from __future__ import annotations

from pathlib import Path
import re

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

from .test_callbacks_ui import ask
from .test_ui import log_in, post, settle, shoot, simulate

pytestmark = [pytest.mark.usefixtures("socket_enabled"), pytest.mark.browser]

NUMBER = "902124440000"


def ask_in_dialog(page: Page, text: str, answer: str) -> None:
    """Type a question into the open Assist dialog; wait for the answer to show."""
    dialog = page.locator("ha-voice-command-dialog")
    field = dialog.get_by_role("textbox")
    field.fill(text)
    field.press("Enter")
    expect(dialog.get_by_text(answer, exact=True).last).to_be_visible()


def test_assist_answers_line_questions_in_the_question_language(
    real_hass: RealHass, page: Page, screenshots: Path
) -> None:
    """ "Is the line free?" / "Hat boş mu?" answered the right way round, idle and busy;
    a Turkish question on the English pipeline answered in Turkish."""
    (pipelines,) = real_hass.websocket({"type": "assist_pipeline/pipeline/list"})
    (preferred,) = [
        pipeline
        for pipeline in pipelines["pipelines"]
        if pipeline["id"] == pipelines["preferred_pipeline"]
    ]
    assert preferred["language"] == "en"
    line = real_hass.add_bulutfon(NUMBER)
    # Settings > Voice assistants > Expose: answers read only exposed entities.
    real_hass.expose_to_assist(real_hass.bulutfon_entities(line.entry_id))
    # The real server's conversation API, the English pipeline's language.
    assert ask(real_hass, "Is the line free?", "en") == "Yes, the line is free."
    assert ask(real_hass, "Hat boş mu?", "en") == "Evet, hat boş."
    assert ask(real_hass, "Is the line busy?", "en") == "No, the line is free."
    assert ask(real_hass, "Son arayan kim?", "en") == "Henüz arayan olmadı."

    log_in(page, real_hass)
    settle(page)
    # The Overview's Assist button (a chat bubble) opens the dialog.
    page.get_by_role("button", name="Assist (A)").click()
    dialog = page.locator("ha-voice-command-dialog")
    expect(dialog.get_by_role("textbox")).to_be_visible()
    ask_in_dialog(page, "Is the line free?", "Yes, the line is free.")
    ask_in_dialog(page, "Hat boş mu?", "Evet, hat boş.")
    shoot(page, screenshots, "assist-idle")

    (ringing,) = simulate.build_scenario(
        "answered", caller="905321234567", callee=NUMBER
    )
    post(line.webhook_url, [ringing[:1]])
    assert ask(real_hass, "Is the line free?", "en") == "No, one call is on."
    ask_in_dialog(page, "Is the line free?", "No, one call is on.")
    ask_in_dialog(page, "Hatta kaç çağrı var?", "Hatta 1 çağrı var.")
    answer = re.compile(r"^Son arayan: 0532 123 45 67, (az önce|1 dakika önce)\.$")
    dialog.get_by_role("textbox").fill("Son arayan kim?")
    dialog.get_by_role("textbox").press("Enter")
    expect(dialog.get_by_text(answer)).to_be_visible()
    # The chat scrolls as answers come; show the last one on the screenshot.
    dialog.get_by_text(answer).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shoot(page, screenshots, "assist-busy-turkish-on-english")
