"""Repairs: tell the user when Bulutfon cannot reach us or keeps sending wrong credentials."""

from __future__ import annotations

from collections import deque
from http import HTTPStatus
import time

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util.hass_dict import HassKey

from .const import CONF_PLATFORM, DOMAIN, PLATFORM_HIPCALL
from .line import PhoneLine
from .router import CallRouter
from .settings import reachable_from_internet

NETWORK_SETTINGS = "homeassistant://config/network"
INTEGRATION_SETTINGS = f"homeassistant://config/integrations/integration/{DOMAIN}"

UNAUTHORIZED_LIMIT = 5
"""This many 401 answers ..."""
UNAUTHORIZED_WINDOW = 600.0
"""... within this many seconds raise the wrong-credentials issue."""
SCRIPT_TROUBLE_LIMIT = 3
"""This many routing-script failures or timeouts in a row raise an issue."""


UNREACHABLE_ISSUE = "webhook_unreachable"
"""One issue for every line the internet cannot reach: the cause (no external URL) is one."""
UNREACHABLE_LINES: HassKey[dict[str, tuple[str, str]]] = HassKey(
    f"{DOMAIN}_unreachable_lines"
)
"""Entry id -> (title, platform) of each loaded line whose webhook the internet cannot reach."""


def credentials_issue_id(entry: ConfigEntry) -> str:
    """The issue id of 'Bulutfon sends wrong credentials' for an entry."""
    return f"wrong_credentials_{entry.entry_id}"


@callback
def async_check_reachability(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Note whether the internet can reach an entry's webhook, and update the issue."""
    lines = hass.data.setdefault(UNREACHABLE_LINES, {})
    if reachable_from_internet(hass, entry.data):
        lines.pop(entry.entry_id, None)
    else:
        # The platform that posts: a Hipcall line's repair must not say "Bulutfon".
        platform = (
            "Hipcall"
            if entry.data.get(CONF_PLATFORM) == PLATFORM_HIPCALL
            else "Bulutfon"
        )
        lines[entry.entry_id] = (entry.title, platform)
    _async_update_unreachable(hass)


@callback
def _async_update_unreachable(hass: HomeAssistant) -> None:
    """Raise, reword or clear the one unreachable-webhook issue.

    Issue 32: with four lines and no external URL the user saw four identical repairs
    for one cause. One line keeps the text that names it and its platform; several
    lines share one repair that lists them.
    """
    lines = hass.data.get(UNREACHABLE_LINES) or {}
    if not lines:
        ir.async_delete_issue(hass, DOMAIN, UNREACHABLE_ISSUE)
        return
    if len(lines) == 1:
        ((title, platform),) = lines.values()
        key = UNREACHABLE_ISSUE
        placeholders = {"title": title, "platform": platform}
    else:
        key = f"{UNREACHABLE_ISSUE}_lines"
        placeholders = {
            "count": str(len(lines)),
            "title": ", ".join(sorted(title for title, _ in lines.values())),
        }
    ir.async_create_issue(
        hass,
        DOMAIN,
        UNREACHABLE_ISSUE,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=key,
        translation_placeholders=placeholders,
        # Where the cause is fixed: the external URL, under Settings > System > Network.
        learn_more_url=NETWORK_SETTINGS,
    )


@callback
def async_watch_rejections(
    hass: HomeAssistant, entry: ConfigEntry, line: PhoneLine
) -> CALLBACK_TYPE:
    """Follow the line's answers: repeated 401s raise an issue, an accepted request clears it.

    Also re-checks reachability when Home Assistant's URLs change. Returns the function
    that stops both watchers and withdraws the entry's issues (called on unload).
    """
    recent: deque[float] = deque(maxlen=UNAUTHORIZED_LIMIT)
    issue_id = credentials_issue_id(entry)
    # Only this watcher raises the issue, and unloading withdraws it: a flag is enough,
    # and an accepted request (the hot path) costs no registry look-up.
    raised = False

    @callback
    def answered(status: int) -> None:
        nonlocal raised
        if status == HTTPStatus.OK:
            if recent:
                recent.clear()
            if raised:
                raised = False
                ir.async_delete_issue(hass, DOMAIN, issue_id)
            return
        if status != HTTPStatus.UNAUTHORIZED:
            return
        now = time.monotonic()
        recent.append(now)
        if (
            len(recent) == UNAUTHORIZED_LIMIT
            and now - recent[0] <= UNAUTHORIZED_WINDOW
            and not raised
        ):
            raised = True
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="wrong_credentials",
                translation_placeholders={"title": entry.title},
                # Where the credentials change: the integration's page (Reconfigure).
                learn_more_url=INTEGRATION_SETTINGS,
            )

    @callback
    def core_config_updated(_event: Event) -> None:
        async_check_reachability(hass, entry)

    remove_answers = line.async_listen_answers(answered)
    remove_config = hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, core_config_updated)

    @callback
    def stop() -> None:
        remove_answers()
        remove_config()
        # Unloaded (disabled, reloading): nothing could clear the issues any more.
        async_delete_issues(hass, entry)

    return stop


def routing_script_issue_id(entry: ConfigEntry) -> str:
    """The issue id of 'the routing script keeps failing' for an entry."""
    return f"routing_script_failing_{entry.entry_id}"


def speech_issue_id(entry: ConfigEntry) -> str:
    """The issue id of 'call routing cannot speak' for an entry."""
    return f"routing_speech_{entry.entry_id}"


@callback
def async_watch_routing(
    hass: HomeAssistant, entry: ConfigEntry, router: CallRouter
) -> CALLBACK_TYPE:
    """Follow the router's decisions: a failing script, or speech that cannot work.

    Each issue goes away by itself: with the script's next usable answer, or the next
    text that could be spoken. Returns the function that stops watching (on unload).
    """
    script_raised = False
    speech_raised: str | None = None

    @callback
    def decided() -> None:
        nonlocal script_raised, speech_raised
        trouble = router.script_trouble
        if trouble >= SCRIPT_TROUBLE_LIMIT and not script_raised:
            script_raised = True
            ir.async_create_issue(
                hass,
                DOMAIN,
                routing_script_issue_id(entry),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="routing_script_failing",
                translation_placeholders={
                    "title": entry.title,
                    "script": router.settings.script or "",
                    "count": str(trouble),
                    "timeout": f"{router.settings.timeout:g}",
                },
            )
        elif trouble == 0 and script_raised:
            script_raised = False
            ir.async_delete_issue(hass, DOMAIN, routing_script_issue_id(entry))
        speech = router.speech_trouble
        if speech != speech_raised:
            speech_raised = speech
            if speech is None:
                ir.async_delete_issue(hass, DOMAIN, speech_issue_id(entry))
            else:
                ir.async_create_issue(
                    hass,
                    DOMAIN,
                    speech_issue_id(entry),
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key=f"routing_speech_{speech}",
                    translation_placeholders={"title": entry.title},
                )

    remove = router.async_listen(decided)

    @callback
    def stop() -> None:
        remove()
        ir.async_delete_issue(hass, DOMAIN, routing_script_issue_id(entry))
        ir.async_delete_issue(hass, DOMAIN, speech_issue_id(entry))

    return stop


@callback
def async_delete_issues(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove an entry's issues (the entry is gone)."""
    ir.async_delete_issue(hass, DOMAIN, f"hipcall_api_unreachable_{entry.entry_id}")
    if hass.data.get(UNREACHABLE_LINES, {}).pop(entry.entry_id, None) is not None:
        _async_update_unreachable(hass)
    ir.async_delete_issue(hass, DOMAIN, credentials_issue_id(entry))
    ir.async_delete_issue(hass, DOMAIN, routing_script_issue_id(entry))
    ir.async_delete_issue(hass, DOMAIN, speech_issue_id(entry))
