"""Diagnostics: configuration, counters and recent events, with everything personal redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from . import BulutfonConfigEntry
from .const import (
    CONF_BLOCKED_NUMBERS,
    CONF_CLOUDHOOK_URL,
    CONF_DEFAULT_DESTINATION,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    CONF_ROUTING_CLOUDHOOK_URL,
    CONF_ROUTING_WEBHOOK_ID,
)
from .router import CallRouter
from .settings import reachable_from_internet, routing_reachable_from_internet

TO_REDACT = {
    CONF_NUMBER,
    CONF_WEBHOOK_ID,
    CONF_CLOUDHOOK_URL,
    CONF_USERNAME,
    CONF_PASSWORD,
    CONF_PHONEBOOK,
    CONF_ROUTING_WEBHOOK_ID,
    CONF_ROUTING_CLOUDHOOK_URL,
    CONF_BLOCKED_NUMBERS,
    # An external number is personal; menus and extensions say little.
    CONF_DEFAULT_DESTINATION,
    "unique_id",
    "title",
    "uuid",
    # Hipcall's pre-signed links open the recording to anyone who has them.
    "record_url",
    "voicemail_url",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BulutfonConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug a line, without numbers, credentials or the URL."""
    line = entry.runtime_data
    settings = line.settings
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            TO_REDACT,
        ),
        "settings": {
            "platform": settings.platform,
            "selected_events": sorted(settings.selected),
            "credentials_required": settings.username is not None,
            "phonebook_entries": len(settings.phonebook),
            "daily_reset": settings.daily_reset,
        },
        "webhook": {
            "reachable_from_internet": reachable_from_internet(hass, entry.data),
            "uses_cloudhook": bool(entry.data.get(CONF_CLOUDHOOK_URL)),
            "external_url_configured": hass.config.external_url is not None,
        },
        "counters": {
            **line.tracker.snapshot(),
            **line.callbacks.snapshot(),
            "accepted_events": line.accepted,
            "duplicate_events": line.duplicates,
            "rejected_requests": {
                str(status): count for status, count in sorted(line.rejected.items())
            },
        },
        "recent_events": async_redact_data(
            [
                {"type": kind, "uuid": uuid, "received": received.isoformat()}
                for kind, uuid, received in line.recent
            ],
            TO_REDACT,
        ),
        "routing": _routing(hass, entry.data, line.router),
    }


def _routing(
    hass: HomeAssistant, data: Any, router: CallRouter | None
) -> dict[str, Any]:
    """Call routing: its settings and counters, and recent decisions without numbers."""
    if router is None:
        return {"enabled": False}
    settings = router.settings
    return {
        "enabled": True,
        "script": settings.script,
        "timeout": settings.timeout,
        "tts_engine": settings.tts_engine,
        "blocked_numbers": len(settings.rules.blocked),
        "reachable_from_internet": routing_reachable_from_internet(hass, data),
        "uses_cloudhook": bool(data.get(CONF_ROUTING_CLOUDHOOK_URL)),
        "decisions": dict(sorted(router.decisions.items())),
        "script_problems": dict(sorted(router.problems.items())),
        "script_trouble_in_a_row": router.script_trouble,
        "speech_trouble": router.speech_trouble,
        "repeated_requests": router.repeats,
        "calls_remembered": len(router.sessions),
        "today": {"routed": router.tally.routed, "rejected": router.tally.rejected},
        "recent_decisions": async_redact_data(list(router.recent), TO_REDACT),
    }
