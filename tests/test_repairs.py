"""Repairs: raised when Bulutfon cannot reach us or sends wrong credentials, and cleared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock, patch

import hass_frontend
from homeassistant.config_entries import ConfigEntryDisabler
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bulutfon.const import CONF_CLOUDHOOK_URL, DOMAIN

from .conftest import Post, make_entry
from .vendor import VENDOR_EXAMPLES

EXTERNAL_URL = "https://example.duckdns.org"
AUTH = ("bulutfon-hook", "s3cret-Pa55")
WRONG = ("bulutfon-hook", "wrong")


def _issue(
    hass: HomeAssistant, kind: str, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{entry.entry_id}")


def _unreachable(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    """The one unreachable-webhook issue, if it names this entry."""
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "webhook_unreachable")
    if issue is None or entry.title not in (issue.translation_placeholders or {}).get(
        "title", ""
    ):
        return None
    return issue


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_unreachable_raised_and_cleared_by_external_url(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """No external URL and no cloudhook: an issue, gone once an external URL is set."""
    issue = _unreachable(hass, entry)
    assert issue is not None
    assert issue.translation_key == "webhook_unreachable"
    # The title names the number, so that two numbers' issues can be told apart.
    assert issue.translation_placeholders == {
        "title": "Bulutfon 0850 885 00 00",
        "platform": "Bulutfon",
    }
    assert entry.title == "Bulutfon 0850 885 00 00"
    # "Learn more" opens the place where it is fixed: Settings > System > Network.
    assert issue.learn_more_url == "homeassistant://config/network"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable

    await hass.config.async_update(external_url=EXTERNAL_URL)
    await hass.async_block_till_done()

    assert _unreachable(hass, entry) is None

    # Taking the external URL away again brings the issue back.
    await hass.config.async_update(external_url=None)
    await hass.async_block_till_done()
    assert _unreachable(hass, entry) is not None


async def test_unloaded_entry_leaves_no_issue(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A disabled line does not nag, and its issue comes back when it is enabled again."""
    assert _unreachable(hass, entry) is not None

    await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    # Nothing watches the URL of an unloaded entry: its issue could never clear.
    assert _unreachable(hass, entry) is None

    await hass.config_entries.async_set_disabled_by(entry.entry_id, None)
    await hass.async_block_till_done()
    assert _unreachable(hass, entry) is not None


async def test_no_unreachable_issue_with_external_url(hass: HomeAssistant) -> None:
    """With an external URL configured before setup, nothing is raised."""
    await hass.config.async_update(external_url=EXTERNAL_URL)
    entry = make_entry()
    await _setup(hass, entry)

    assert _unreachable(hass, entry) is None


async def test_no_unreachable_issue_with_cloudhook(hass: HomeAssistant) -> None:
    """A Home Assistant Cloud webhook is reachable from the internet: nothing is raised."""
    entry = make_entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        data={**entry.data, CONF_CLOUDHOOK_URL: "https://hooks.nabu.casa/secret"},
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert _unreachable(hass, entry) is None


class TestWrongCredentials:
    """Bulutfon keeps sending a wrong or missing password."""

    @pytest.fixture
    def entry_options(self) -> dict[str, Any]:
        """The line requires credentials."""
        return {CONF_USERNAME: AUTH[0], CONF_PASSWORD: AUTH[1]}

    async def test_five_refusals_raise_an_issue(
        self, hass: HomeAssistant, entry: MockConfigEntry, post: Post
    ) -> None:
        """Four refused requests may be a typo or a scanner; the fifth raises the issue."""
        for attempt in range(4):
            auth = None if attempt % 2 else WRONG
            assert (await post(VENDOR_EXAMPLES["call_init"], auth=auth)).status == 401
        assert _issue(hass, "wrong_credentials", entry) is None

        assert (await post(VENDOR_EXAMPLES["call_init"], auth=WRONG)).status == 401

        issue = _issue(hass, "wrong_credentials", entry)
        assert issue is not None
        assert issue.translation_key == "wrong_credentials"
        assert issue.translation_placeholders == {"title": entry.title}
        # "Learn more" opens the integration, where Reconfigure changes the credentials.
        assert issue.learn_more_url == (
            "homeassistant://config/integrations/integration/bulutfon"
        )
        assert issue.severity is ir.IssueSeverity.ERROR

        # More refusals keep the one issue.
        assert (await post(VENDOR_EXAMPLES["call_init"], auth=WRONG)).status == 401
        assert _issue(hass, "wrong_credentials", entry) is not None

    async def test_refusals_spread_out_do_not_raise(
        self, hass: HomeAssistant, entry: MockConfigEntry, post: Post
    ) -> None:
        """Five refusals over more than ten minutes are not a pattern."""
        clock = MagicMock(monotonic=MagicMock(return_value=1000.0))
        with patch("custom_components.bulutfon.repairs.time", clock):
            for _ in range(5):
                assert (
                    await post(VENDOR_EXAMPLES["call_init"], auth=WRONG)
                ).status == 401
                clock.monotonic.return_value += 151
            assert _issue(hass, "wrong_credentials", entry) is None

            # The last four and this one fall within ten minutes: now it is a pattern.
            clock.monotonic.return_value -= 91
            assert (await post(VENDOR_EXAMPLES["call_init"], auth=WRONG)).status == 401
            assert _issue(hass, "wrong_credentials", entry) is not None

    async def test_accepted_request_clears_the_issue(
        self, hass: HomeAssistant, entry: MockConfigEntry, post: Post
    ) -> None:
        """Once Bulutfon sends the right credentials, the issue goes away."""
        for _ in range(5):
            await post(VENDOR_EXAMPLES["call_init"], auth=WRONG)
        assert _issue(hass, "wrong_credentials", entry) is not None

        assert (await post(VENDOR_EXAMPLES["call_init"], auth=AUTH)).status == 200

        assert _issue(hass, "wrong_credentials", entry) is None

    async def test_accepted_request_restarts_the_count(
        self, hass: HomeAssistant, entry: MockConfigEntry, post: Post
    ) -> None:
        """Refusals before an accepted request do not count towards the issue."""
        for _ in range(4):
            await post(VENDOR_EXAMPLES["call_init"], auth=WRONG)
        assert (await post(VENDOR_EXAMPLES["call_init"], auth=AUTH)).status == 200
        for _ in range(4):
            await post(VENDOR_EXAMPLES["call_hangup"], auth=WRONG)

        assert _issue(hass, "wrong_credentials", entry) is None

    async def test_other_refusals_do_not_count(
        self, hass: HomeAssistant, entry: MockConfigEntry, post: Post
    ) -> None:
        """Malformed bodies with the right credentials are not a credentials problem."""
        for _ in range(5):
            assert (await post(b"not json", auth=AUTH)).status == 400

        assert _issue(hass, "wrong_credentials", entry) is None

    async def test_removing_the_entry_removes_its_issues(
        self, hass: HomeAssistant, entry: MockConfigEntry, post: Post
    ) -> None:
        """A deleted line leaves no issues behind."""
        for _ in range(5):
            await post(VENDOR_EXAMPLES["call_init"], auth=WRONG)
        assert _issue(hass, "wrong_credentials", entry) is not None
        assert _unreachable(hass, entry) is not None

        assert (await hass.config_entries.async_remove(entry.entry_id))[
            "require_restart"
        ] is False
        await hass.async_block_till_done()

        assert _issue(hass, "wrong_credentials", entry) is None
        assert _unreachable(hass, entry) is None
        assert not [
            issue_id
            for (domain, issue_id) in ir.async_get(hass).issues
            if domain == DOMAIN
        ]


async def test_issues_of_other_entries_stay(hass: HomeAssistant) -> None:
    """Removing one line keeps the issues of another."""
    first = make_entry()
    second = make_entry(number="908508850001", webhook_id="f" * 64)
    await _setup(hass, first)
    await _setup(hass, second)

    await hass.config_entries.async_remove(first.entry_id)
    await hass.async_block_till_done()

    assert _unreachable(hass, first) is None
    assert _unreachable(hass, second) is not None


async def test_issues_are_translated(hass: HomeAssistant) -> None:
    """Both issues have a title and a description in English and Turkish."""
    english = await async_get_translations(hass, "en", "issues", [DOMAIN])
    turkish = await async_get_translations(hass, "tr", "issues", [DOMAIN])
    for issue in (
        "webhook_unreachable",
        "webhook_unreachable_lines",
        "wrong_credentials",
    ):
        for part in ("title", "description"):
            key = f"component.{DOMAIN}.issues.{issue}.{part}"
            assert english.get(key), key
            assert turkish.get(key), key
            # Home Assistant fills gaps with English: the Turkish text must be its own.
            assert turkish[key] != english[key], key
        description = f"component.{DOMAIN}.issues.{issue}.description"
        assert "{title}" in english[description]
        assert "{title}" in turkish[description]


def _frontend_button(language: str) -> str:
    """The label of the repairs dialog's link button, as the installed frontend reads."""
    folder = Path(hass_frontend.where()) / "static" / "translations" / "config"
    (path,) = folder.glob(f"{language}-[0-9a-f]*.json")
    label: str = json.loads(path.read_text("utf-8"))[
        "ui.panel.config.repairs.dialog.learn"
    ]
    return label


async def test_issue_text_names_the_button_it_shows(hass: HomeAssistant) -> None:
    """An issue with a link sends the reader to the button the dialog shows ("Learn
    more", "Daha fazla bilgi edinin"), not to a "link below" that is not there."""
    for language in ("en", "tr"):
        button = _frontend_button(language)
        strings = await async_get_translations(hass, language, "issues", [DOMAIN])
        for issue in (
            "webhook_unreachable",
            "webhook_unreachable_lines",
            "wrong_credentials",
        ):
            text = strings[f"component.{DOMAIN}.issues.{issue}.description"]
            assert f"**{button}**" in text, (language, issue)
            assert "link below" not in text
            assert "bağlantı" not in text  # noqa: RUF001


async def test_one_cause_is_one_repair_that_names_every_line(
    hass: HomeAssistant,
) -> None:
    """Issue 32: four lines without an external URL made four identical repairs for
    one cause. There is one, listing the lines, in English and Turkish; it follows
    lines going away and goes when the cause is fixed."""
    from .test_hipcall_ha import make_hipcall_entry  # here: it imports test_blueprints

    first = make_entry(number="902125550001", webhook_id="d" * 64)
    second = make_entry(number="902125550000", webhook_id="e" * 64)
    third = make_hipcall_entry()
    for entry in (first, second, third):
        await _setup(hass, entry)

    issues = [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN]
    assert issues == ["webhook_unreachable"]
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "webhook_unreachable")
    assert issue is not None
    assert issue.translation_placeholders is not None
    texts = {}
    for language in ("en", "tr"):
        strings = await async_get_translations(hass, language, "issues", [DOMAIN])
        key = f"component.{DOMAIN}.issues.{issue.translation_key}"
        texts[language] = strings[f"{key}.title"].format(
            **issue.translation_placeholders
        ) + strings[f"{key}.description"].format(**issue.translation_placeholders)
    assert texts["en"].startswith("3 lines cannot receive calls")
    assert texts["tr"].startswith("3 hat arama olaylarını alamıyor")  # noqa: RUF001
    for text in texts.values():
        for entry in (first, second, third):
            assert entry.title in text

    # Two lines gone: the one left gets the text that names it and its platform.
    await hass.config_entries.async_remove(first.entry_id)
    await hass.config_entries.async_remove(second.entry_id)
    await hass.async_block_till_done()
    issue = _unreachable(hass, third)
    assert issue is not None
    assert issue.translation_key == "webhook_unreachable"
    assert issue.translation_placeholders == {
        "title": third.title,
        "platform": "Hipcall",
    }

    await hass.config.async_update(external_url=EXTERNAL_URL)
    await hass.async_block_till_done()
    assert not [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN]


async def test_a_hipcall_line_s_repair_says_hipcall(hass: HomeAssistant) -> None:
    """Issue 32: the Turkish title of a Hipcall line's unreachable-webhook repair said
    "Bulutfon"; it names Hipcall, in both languages' texts."""
    from .test_hipcall_ha import make_hipcall_entry  # here: it imports test_blueprints

    entry = make_hipcall_entry()
    await _setup(hass, entry)
    issue = _unreachable(hass, entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    for language in ("en", "tr"):
        strings = await async_get_translations(hass, language, "issues", [DOMAIN])
        key = f"component.{DOMAIN}.issues.webhook_unreachable"
        for part in ("title", "description"):
            text = strings[f"{key}.{part}"].format(**issue.translation_placeholders)
            assert "Bulutfon" not in text, (language, part)
    turkish = await async_get_translations(hass, "tr", "issues", [DOMAIN])
    assert turkish[f"component.{DOMAIN}.issues.webhook_unreachable.title"].format(
        **issue.translation_placeholders
    ) == ("Hipcall 0850 885 00 00: Hipcall, Home Assistant'a ulaşamıyor")  # noqa: RUF001
