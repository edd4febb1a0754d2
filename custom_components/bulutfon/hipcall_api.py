"""Hipcall's REST API v3: the door out, the mirror of endpoint.py.

Plain Python on aiohttp, without Home Assistant: Home Assistant hands in its shared
session. Typed results come out, and every failure is one of a few typed exceptions, so
that the line decides what an answer means (as it does for a pushed event) and nothing here
logs. Anything the API answers is outside input: read bounded, parsed defensively, text
passed through the webhook's text rule. The vendor's SDK (hipcall-sdk) is not used; why is
in docs/hipcall.md ("Why not the vendor's SDK").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from ipaddress import ip_address
import json
import math
import os
import time
from typing import Any, Final
from urllib.parse import quote, urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout

from .places import member_id
from .protocol import MAX_FREE_TEXT_LENGTH, bounded_text, pbx_number

REGION_TR: Final = "tr"
REGION_GLOBAL: Final = "global"
REGION_URLS: Final = {
    REGION_TR: "https://use.hipcall.com.tr",
    REGION_GLOBAL: "https://use.hipcall.com",
}
"""Hipcall's two regions; Turkey's is the vendor SDK's default."""
DEFAULT_REGION: Final = REGION_TR
FAKE_API_ENV: Final = "BULUTFON_FAKE_HIPCALL_API"
"""For the demo and the tests only: a fake API on loopback (see base_url)."""

API_PATH: Final = "/api/v3"
REQUEST_TIMEOUT: Final = 15.0
"""Seconds one request may take in all (connect, answer, body)."""
MAX_RESPONSE_BYTES: Final = 2 * 1024 * 1024
"""A page of 100 call records is some 100 KB; a longer answer is not read."""
PAGE_SIZE: Final = 100
"""The API's largest page (`limit` 1-100)."""
MAX_PEOPLE: Final = 300
"""Users (and teams) read at most: the line learns no more places than that."""
MAX_NAME_LENGTH: Final = 64

DEFAULT_RETRY_AFTER: Final = 60.0
"""Seconds to wait after a 429 that says nothing (the limit is per minute)."""
MAX_RETRY_AFTER: Final = 900.0
_EPOCH_SECONDS_FROM: Final = 1_000_000_000
"""A reset header above this is a moment (epoch seconds), below it a wait."""


class HipcallError(Exception):
    """The API did not do what was asked. Messages hold no token and no number."""


class HipcallAuthError(HipcallError):
    """The token was refused (401, or 403: a plan without the API)."""


class HipcallRateLimitError(HipcallError):
    """Too many requests (429): wait `retry_after` seconds before the next one."""

    def __init__(self, retry_after: float) -> None:
        """Remember how long to wait."""
        super().__init__(f"rate limited for {retry_after:.0f} s")
        self.retry_after = retry_after


class HipcallRefusedError(HipcallError):
    """The API understood and refused the request (400, 404, 422, another 4xx).

    `message` is the API's own short explanation, when it gave one (bounded, cleaned).
    """

    def __init__(self, status: int, message: str | None) -> None:
        """Remember the status and the API's message."""
        super().__init__(f"refused with HTTP {status}")
        self.status = status
        self.message = message


class HipcallUnavailableError(HipcallError):
    """Hipcall could not be reached or did not answer in a form this client reads.

    `reason` is one of "timeout", "network", "server_error" (5xx) and "bad_response"
    (not JSON, too long, an HTML page, a shape that is no API answer).
    """

    def __init__(self, reason: str) -> None:
        """Remember why."""
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class HipcallUser:
    """A person in the Hipcall account: the id calls name them by, and their name."""

    id: str
    name: str | None


@dataclass(frozen=True, slots=True)
class HipcallTeam:
    """A team (ring group, queue) of the Hipcall account."""

    id: str
    name: str | None


@dataclass(frozen=True, slots=True)
class CallRecords:
    """The call records read from `GET /calls`, oldest first.

    Each record is the raw mapping (hipcall.event_from_call_record reads it); `truncated`
    says the bound stopped the reading before the API's last page.
    """

    records: list[Mapping[str, Any]]
    truncated: bool = False


def base_url(region: str | None) -> str:
    """The API's address for a region (Turkey's when the region is unknown).

    The token goes nowhere else, with one exception for the demo and the tests: a fake
    API on this machine's loopback, named by FAKE_API_ENV in Home Assistant's own
    environment (no entry, form or request can set it; any other address is ignored).
    """
    if (fake := os.environ.get(FAKE_API_ENV)) and _is_loopback(fake):
        return fake
    return REGION_URLS.get(region or DEFAULT_REGION, REGION_URLS[DEFAULT_REGION])


def _is_loopback(url: str) -> bool:
    """Whether `url` is a plain http(s) address on 127.0.0.1, ::1 or localhost."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def callee_number(text: str) -> str | None:
    """A number to dial as Hipcall takes it ("+905321234567"), from any usual notation.

    "0532 123 45 67", "+90 (532) 123-45-67", "0090 532 1234567", "905321234567" and
    "532 123 45 67" (ten digits: a Turkish national number) are all "+905321234567";
    foreign numbers need their country code. None for anything that is no phone number.
    """
    cleaned = text.strip()
    for char in " -.()/\t":
        cleaned = cleaned.replace(char, "")
    if len(cleaned) == 10 and cleaned.isascii() and cleaned.isdigit():
        if cleaned[0] == "0":
            return None
        cleaned = "90" + cleaned  # written without the leading 0
    number = pbx_number(cleaned)
    return None if number is None else f"+{number}"


def api_time(moment: datetime) -> str:
    """A moment as the API's filters take it: ISO 8601 in UTC, whole seconds, "Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def retry_after(headers: Mapping[str, str], now: float) -> float:
    """Seconds to wait after a 429, from `x-ratelimit-reset` (a wait or an epoch
    moment) or `retry-after`; bounded, and a minute when neither can be read."""
    for name in ("x-ratelimit-reset", "retry-after"):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw.strip())
        except ValueError:
            continue
        if not math.isfinite(value):
            continue
        if value >= _EPOCH_SECONDS_FROM:
            value -= now
        return min(max(value, 1.0), MAX_RETRY_AFTER)
    return DEFAULT_RETRY_AFTER


def _name(item: Mapping[str, Any]) -> str | None:
    """A person's or team's name as shown: `full_name`, else first and last name."""
    name = bounded_text(item.get("full_name"), MAX_NAME_LENGTH, cut=True)
    if name is None:
        parts = [
            part
            for key in ("first_name", "last_name")
            if (part := bounded_text(item.get(key), MAX_NAME_LENGTH, cut=True))
        ]
        name = " ".join(parts)[:MAX_NAME_LENGTH].strip() or None
    if name is None:
        name = bounded_text(item.get("name"), MAX_NAME_LENGTH, cut=True)
    return name


def _member(item: Any) -> tuple[str, str | None] | None:
    """The id and name of one user or team item, or None when it has no usable id."""
    if not isinstance(item, Mapping):
        return None
    identifier = member_id(bounded_text(item.get("id")))
    if identifier is None:
        return None
    return identifier, _name(item)


def _refusal_message(content: Any) -> str | None:
    """The API's short explanation in an error body (`errors`, `message`, `error`)."""
    if not isinstance(content, Mapping):
        return None
    for key in ("message", "error", "errors", "detail"):
        value = content.get(key)
        if isinstance(value, Mapping):
            detail = value.get("detail")
            if detail is None:
                parts = [
                    f"{field}: {', '.join(map(str, text)) if isinstance(text, list) else text}"
                    for field, text in list(value.items())[:5]
                ]
                detail = "; ".join(parts)
            value = detail
        elif isinstance(value, list):
            value = "; ".join(str(part) for part in value[:5])
        text = bounded_text(value, MAX_FREE_TEXT_LENGTH, cut=True)
        if text is not None:
            return text
    return None


class HipcallClient:
    """Talks to one Hipcall account's API with its token, on a session it is given."""

    def __init__(
        self,
        session: ClientSession,
        token: str,
        *,
        region: str | None = DEFAULT_REGION,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Use `session` (Home Assistant's shared one), on the region's host."""
        self._session = session
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
        }
        self._url = base_url(region).rstrip("/") + API_PATH
        self._timeout = ClientTimeout(total=timeout)

    async def async_check(self) -> None:
        """Check the token with the cheapest read (one user); raises as every call."""
        await self._async_request("GET", "/users", params={"limit": 1})

    async def async_get_users(self) -> list[HipcallUser]:
        """The account's users (at most MAX_PEOPLE), each once, in the API's order."""
        return [
            HipcallUser(identifier, name)
            for identifier, name in await self._async_members("/users")
        ]

    async def async_get_teams(self) -> list[HipcallTeam]:
        """The account's teams (at most MAX_PEOPLE), each once."""
        return [
            HipcallTeam(identifier, name)
            for identifier, name in await self._async_members("/teams")
        ]

    async def _async_members(self, path: str) -> list[tuple[str, str | None]]:
        found: dict[str, str | None] = {}
        offset = 0
        while len(found) < MAX_PEOPLE:
            items = await self._async_page(path, {"limit": PAGE_SIZE, "offset": offset})
            for item in items[:PAGE_SIZE]:
                member = _member(item)
                if member is not None and member[0] not in found:
                    found[member[0]] = member[1]
                    if len(found) == MAX_PEOPLE:
                        break
            if len(items) < PAGE_SIZE:
                break
            offset += PAGE_SIZE
            if offset >= MAX_PEOPLE * 2:  # an API that pages forever
                break
        return list(found.items())

    async def async_get_calls(self, since: datetime, *, max_calls: int) -> CallRecords:
        """The call records started at or after `since`, oldest first, at most
        `max_calls` of them (paged by PAGE_SIZE)."""
        records: list[Mapping[str, Any]] = []
        offset = 0
        params: dict[str, str | int] = {
            "sort": "started_at.asc",
            "started_at[gte]": api_time(since),
        }
        while True:
            limit = min(PAGE_SIZE, max_calls - len(records))
            items = await self._async_page(
                "/calls", {**params, "limit": limit, "offset": offset}
            )
            records.extend(item for item in items[:limit] if isinstance(item, Mapping))
            if len(items) < limit:
                return CallRecords(records)
            offset += limit
            if offset >= max_calls:
                return CallRecords(records, truncated=True)

    async def async_get_call(self, uuid: str, day: str) -> Mapping[str, Any] | None:
        """One call record by its uuid (`day`: its date, YYYY-MM-DD, as the API asks);
        None when the API knows no such call."""
        try:
            content = await self._async_request(
                "GET", f"/calls/{quote(uuid, safe='')}", params={"date": day}
            )
        except HipcallRefusedError as err:
            if err.status == HTTPStatus.NOT_FOUND:
                return None
            raise
        data = content.get("data") if isinstance(content, Mapping) else None
        return data if isinstance(data, Mapping) else None

    async def async_call(
        self, user_id: str, number: str, *, ring_user_first: bool = True
    ) -> str:
        """Start a click-to-call: ring `user_id`'s phone and connect it to `number`
        (+E.164). Returns the call's id; the call is queued, not yet connected."""
        content = await self._async_request(
            "POST",
            f"/users/{quote(user_id, safe='')}/call",
            body={"callee_number": number, "ring_user_first": ring_user_first},
        )
        data = content.get("data") if isinstance(content, Mapping) else None
        call_id = bounded_text(data.get("id")) if isinstance(data, Mapping) else None
        if call_id is None:
            raise HipcallUnavailableError("bad_response")
        return call_id

    async def _async_page(
        self, path: str, params: Mapping[str, str | int]
    ) -> list[Any]:
        """The `data` list of one page; a page of another shape is a bad response."""
        content = await self._async_request("GET", path, params=params)
        data = content.get("data") if isinstance(content, Mapping) else None
        if not isinstance(data, list):
            raise HipcallUnavailableError("bad_response")
        return data

    async def _async_request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """One request; its JSON answer, or the typed error it means."""
        try:
            async with self._session.request(
                method,
                self._url + path,
                params=params,
                json=body,
                headers=self._headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                status = response.status
                if status == HTTPStatus.TOO_MANY_REQUESTS:
                    raise HipcallRateLimitError(
                        retry_after(response.headers, time.time())
                    )
                if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
                    raise HipcallAuthError(f"token refused (HTTP {status})")
                if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
                    raise HipcallUnavailableError("server_error")
                raw = await _read_bounded(response.content)
        except TimeoutError as err:
            raise HipcallUnavailableError("timeout") from err
        except ClientError as err:
            raise HipcallUnavailableError("network") from err
        content = _load_json(raw)
        if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
            if content is _NOT_JSON:
                raise HipcallUnavailableError("bad_response")
            return content
        if HTTPStatus.BAD_REQUEST <= status < HTTPStatus.INTERNAL_SERVER_ERROR:
            raise HipcallRefusedError(status, _refusal_message(content))
        raise HipcallUnavailableError(
            "bad_response"
        )  # a redirect or another odd status


_NOT_JSON: Final = object()


async def _read_bounded(stream: Any) -> bytes:
    """The whole body, or a bad response past MAX_RESPONSE_BYTES (read no further)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise HipcallUnavailableError("bad_response")
        chunks.append(chunk)
    return b"".join(chunks)


def _load_json(raw: bytes) -> Any:
    """The decoded JSON, or _NOT_JSON (an HTML page, garbage, nesting past the limit)."""
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError, RecursionError:
        return _NOT_JSON
