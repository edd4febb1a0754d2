"""How the simulated PBX writes a request: the body, its content type and the credentials.

Classic Bulutfon sends a flat payload as JSON or as ``application/x-www-form-urlencoded``, with
optional HTTP Basic credentials; Hipcall sends ``{"event": ..., "data": {...}}`` as JSON and no
credentials. The helpers here tell the two shapes apart by themselves. Standard library only.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
import json
from typing import Any, Final, Literal
import urllib.parse

Payload = dict[str, Any]
"""One request's payload: a classic flat event, or a Hipcall envelope."""

Format = Literal["json", "form"]

FORMATS: Final[tuple[Format, ...]] = ("json", "form")

CONTENT_TYPES: Final[dict[Format, str]] = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
}

HIPCALL_TIMES: Final = (
    "started_at",
    "answered_at",
    "bridged_at",
    "ended_at",
    "team_touch_at",
    "callback_time",
)
"""The ISO 8601 times of a Hipcall call record."""
HIPCALL_OLD_TIMES: Final = ("startstamp", "timestamp")
"""The 2023 envelope's times (ISO 8601 with microseconds)."""


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def encode(event: Payload, fmt: str = "json") -> tuple[bytes, str]:
    """Encode one payload as the PBX would send it; return ``(body, content_type)``.

    ``json``: a UTF-8 JSON object, numbers as JSON numbers. ``form``: an
    ``application/x-www-form-urlencoded`` body where every value is a string (``true``/``false``
    for booleans) and null fields are left out (classic Bulutfon only; Hipcall posts JSON).
    """
    if fmt == "json":
        return json.dumps(event, ensure_ascii=False).encode(), CONTENT_TYPES["json"]
    if fmt == "form":
        pairs = [
            (key, _form_value(value))
            for key, value in event.items()
            if value is not None
        ]
        return urllib.parse.urlencode(pairs).encode("ascii"), CONTENT_TYPES["form"]
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def basic_auth(username: str, password: str) -> str:
    """Return the ``Authorization`` header value for HTTP Basic credentials."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def hipcall_data(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``data`` of a Hipcall envelope, or None for a classic payload."""
    data = event.get("data")
    if "event" in event and isinstance(data, Mapping):
        return data
    return None


def describe(event: Mapping[str, Any]) -> tuple[str, str, str]:
    """The event name, call uuid and caller of a payload, as the report shows them."""
    data = hipcall_data(event)
    if data is None:
        return (
            str(event.get("event_type")),
            str(event.get("uuid")),
            str(event.get("caller")),
        )
    caller = data.get("caller_number", data.get("contact_number"))
    return str(event.get("event")), str(data.get("uuid")), str(caller)


def parse_iso(text: str) -> datetime:
    """A Hipcall time ("2024-11-17T10:41:00Z") as an aware datetime."""
    return datetime.fromisoformat(text)


def iso(moment: datetime, *, micro: bool = False) -> str:
    """A time as Hipcall writes it: UTC with "Z", whole seconds (the 2023 envelope: µs)."""
    moment = moment.astimezone(UTC)
    if micro:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_moment(event: Mapping[str, Any]) -> datetime | None:
    """When a Hipcall event happened by its own times (the hangup's end, the answer's
    bridge, else the start), or None for a classic payload."""
    data = hipcall_data(event)
    if data is None:
        return None
    for key in ("ended_at", "bridged_at", "started_at", "timestamp", "startstamp"):
        value = data.get(key)
        if isinstance(value, str):
            return parse_iso(value)
    return None


def restamp(event: Payload, now_us: int) -> Payload:
    """The payload as if it happened at ``now_us`` (µs since the epoch), as a live PBX sends.

    Classic: ``timestamp`` becomes now. Hipcall: every time of the record moves by the same
    step, so that the event's own moment is now and its durations stay as scripted.
    """
    data = hipcall_data(event)
    if data is None:
        return {**event, "timestamp": now_us}
    moment = event_moment(event)
    if moment is None:
        return event
    step = datetime.fromtimestamp(now_us / 1_000_000, tz=UTC) - moment
    moved: dict[str, Any] = dict(data)
    for key in HIPCALL_TIMES:
        if isinstance(value := data.get(key), str):
            moved[key] = iso(parse_iso(value) + step)
    for key in HIPCALL_OLD_TIMES:
        if isinstance(value := data.get(key), str):
            moved[key] = iso(parse_iso(value) + step, micro=True)
    flow = data.get("call_flow")
    if isinstance(flow, list):
        moved["call_flow"] = [
            {**item, "timestamp": item["timestamp"] + round(step.total_seconds())}
            if isinstance(item, dict) and isinstance(item.get("timestamp"), int)
            else item
            for item in flow
        ]
    return {**event, "data": moved}
