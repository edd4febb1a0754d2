"""A fake Hipcall REST API v3, for tests in-process and for a real hass on 127.0.0.1.

Shapes follow the vendor's SDK models (hipcall-sdk 0.2.1: `User`, `Team`, `CallDetail`,
`Meta`, `CallAndBridge`) and the help centre's examples: lists answer
`{"data": [...], "meta": {"count", "limit", "offset"}}`, click-to-call answers 201
`{"data": {"id": ...}}`, errors are JSON with `errors`. The account's token, users, teams and
call records are plain attributes a test changes; `failures` queues answers to give instead
of the real one (a status, a body, headers, a delay), one per request.

    python tests/fake_hipcall.py --port 8765 --token demo-token

serves it on 127.0.0.1 (no other interface), with `POST /_fake/calls` (a JSON list of call
records to add), `GET /_fake/placed` (the calls placed: id, user, body),
`GET /_fake/requests` (method and path of each API request) and `POST /_fake/reset` for
scripts.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import json
from typing import Any
import uuid as uuid_module

from aiohttp import web

TOKEN = "hipcall-test-token"
API = "/api/v3"


@dataclass
class Failure:
    """One answer to give instead of the real one."""

    status: int = 500
    body: bytes | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    """Seconds to wait before answering (a slow API: the client's timeout is shorter)."""


def user(user_id: int, first: str, last: str, **extra: Any) -> dict[str, Any]:
    """A user as `GET /users` lists it (the SDK's `User`)."""
    return {
        "id": user_id,
        "email": f"{first.lower()}@example.com",
        "first_name": first,
        "last_name": last,
        "full_name": f"{first} {last}",
        "locale": "tr",
        "timezone": "Europe/Istanbul",
        "owner": user_id == 1,
        "suspended": False,
        "state": "available",
        **extra,
    }


def team(team_id: int, name: str) -> dict[str, Any]:
    """A team as `GET /teams` lists it (the SDK's `Team`)."""
    return {
        "id": team_id,
        "name": name,
        "state": "active",
        "strategy": "ringall",
        "user_case": "available",
        "callback_action": "none",
    }


def iso(moment: datetime) -> str:
    """A time as Hipcall writes it ("2024-11-17T10:41:00Z")."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def call_record(
    started_at: datetime,
    *,
    caller: str = "+905321234567",
    callee: str = "+908508850000",
    uuid: str | None = None,
    talk: int | None = 60,
    ring: int = 10,
    missed: bool = False,
    ended: bool = True,
    user_id: int | None = 12,
    team_id: int | None = None,
    direction: str = "inbound",
) -> dict[str, Any]:
    """One call record as `GET /calls` answers it (the SDK's `CallDetail` fields).

    Answered after `ring` seconds and talked `talk` seconds; `missed` never answered;
    not `ended` is a call still under way (no `ended_at`).
    """
    bridged = None if missed or talk is None else started_at + timedelta(seconds=ring)
    ended_at = None
    if ended:
        ended_at = (
            bridged + timedelta(seconds=talk or 0)
            if bridged is not None
            else started_at + timedelta(seconds=ring + 20)
        )
    callee_type = "team" if team_id is not None and bridged is None else "user"
    return {
        "uuid": uuid or str(uuid_module.uuid4()),
        "number_id": 328,
        "channel_id": 328,
        "channel_type": "number",
        "user_id": None if bridged is None and team_id is not None else user_id,
        "caller_id": None,
        "callee_id": team_id if callee_type == "team" else user_id,
        "contact_id": None,
        "caller_number": caller,
        "callee_number": callee,
        "caller_type": "contact",
        "callee_type": callee_type,
        "direction": direction,
        "started_at": iso(started_at),
        "answered_at": None if bridged is None else iso(bridged),
        "bridged_at": None if bridged is None else iso(bridged),
        "ended_at": None if ended_at is None else iso(ended_at),
        "call_duration": None
        if ended_at is None
        else int((ended_at - started_at).total_seconds()),
        "missing_call": missed,
        "missing_call_reason": "no_answer" if missed else None,
        "hangup_by": None if ended_at is None else "contact",
        "record_url": None,
        "voicemail_url": None,
        "call_flow": [],
    }


class FakeHipcall:
    """The fake account and its aiohttp application."""

    def __init__(self, token: str = TOKEN) -> None:
        """Start with two users, one team and no calls."""
        self.token = token
        self.users: list[dict[str, Any]] = [
            user(12, "Ayşe", "Kaya"),
            user(13, "Mehmet", "Demir"),
        ]
        self.teams: list[dict[str, Any]] = [team(7, "Müşteri Hizmetleri")]
        self.calls: list[dict[str, Any]] = []
        self.failures: list[Failure] = []
        self.always: Failure | None = None
        """Given for every request while set (an outage)."""
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.placed: list[tuple[str, dict[str, Any]]] = []
        self.placed_ids: list[str] = []
        """The ids click-to-call answered, in order."""
        self.app = web.Application()
        self.app.router.add_get(f"{API}/users", self._users)
        self.app.router.add_get(f"{API}/teams", self._teams)
        self.app.router.add_get(f"{API}/calls", self._calls)
        self.app.router.add_get(f"{API}/calls/{{uuid}}", self._call_record)
        self.app.router.add_post(f"{API}/users/{{user_id}}/call", self._call)
        self.app.router.add_post("/_fake/calls", self._add_calls)
        self.app.router.add_get("/_fake/placed", self._placed)
        self.app.router.add_get("/_fake/requests", self._requests)
        self.app.router.add_post("/_fake/reset", self._reset)

    def paths(self, method: str = "GET") -> list[str]:
        """The paths requested with `method`, in order (for asserting what was read)."""
        return [path for used, path, _query in self.requests if used == method]

    async def _answer_failure(self) -> web.Response | None:
        failure = self.always or (self.failures.pop(0) if self.failures else None)
        if failure is None:
            return None
        if failure.delay:
            await asyncio.sleep(failure.delay)
        body = failure.body
        if body is None:
            body = json.dumps({"errors": {"detail": "Internal Server Error"}})
        return web.Response(
            status=failure.status,
            body=body.encode() if isinstance(body, str) else body,
            headers={"Content-Type": failure.content_type, **failure.headers},
        )

    async def _guard(self, request: web.Request) -> web.Response | None:
        """Record the request; the failure queued, or a 401 for a wrong token."""
        self.requests.append(
            (request.method, request.rel_url.raw_path, dict(request.query))
        )
        if (failure := await self._answer_failure()) is not None:
            return failure
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"errors": {"detail": "Unauthorized"}}, status=401)
        return None

    @staticmethod
    def _page(request: web.Request, items: list[dict[str, Any]]) -> web.Response:
        try:
            limit = int(request.query.get("limit", "10"))
            offset = int(request.query.get("offset", "0"))
        except ValueError:
            return web.json_response({"errors": {"limit": ["is invalid"]}}, status=422)
        if not 1 <= limit <= 100 or offset < 0:
            return web.json_response(
                {"errors": {"limit": ["must be between 1 and 100"]}}, status=422
            )
        return web.json_response(
            {
                "data": items[offset : offset + limit],
                "meta": {"count": len(items), "limit": limit, "offset": offset},
            }
        )

    async def _users(self, request: web.Request) -> web.Response:
        return await self._guard(request) or self._page(request, self.users)

    async def _teams(self, request: web.Request) -> web.Response:
        return await self._guard(request) or self._page(request, self.teams)

    async def _calls(self, request: web.Request) -> web.Response:
        if (refused := await self._guard(request)) is not None:
            return refused

        def started(call: Any) -> str:
            # A test may slip in a record that is no object: it is listed as it is.
            return str(call.get("started_at")) if isinstance(call, dict) else "~"

        calls = self.calls
        if (since := request.query.get("started_at[gte]")) is not None:
            calls = [call for call in calls if started(call) >= since]
        descending = request.query.get("sort", "started_at.desc") == "started_at.desc"
        calls = sorted(calls, key=started, reverse=descending)
        return self._page(request, calls)

    async def _call_record(self, request: web.Request) -> web.Response:
        """`GET /calls/{uuid}?date=YYYY-MM-DD`: one record, 404 for an unknown uuid."""
        if (refused := await self._guard(request)) is not None:
            return refused
        if "date" not in request.query:
            return web.json_response({"errors": {"date": ["is missing"]}}, status=422)
        uuid = request.match_info["uuid"]
        for call in self.calls:
            if isinstance(call, dict) and call.get("uuid") == uuid:
                return web.json_response({"data": call})
        return web.json_response({"errors": {"detail": "Not Found"}}, status=404)

    async def _call(self, request: web.Request) -> web.Response:
        if (refused := await self._guard(request)) is not None:
            return refused
        user_id = request.match_info["user_id"]
        if not any(str(item.get("id")) == user_id for item in self.users):
            return web.json_response({"errors": {"detail": "Not Found"}}, status=404)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"errors": {"detail": "Bad Request"}}, status=400)
        number = body.get("callee_number") if isinstance(body, dict) else None
        if not isinstance(number, str) or not number.startswith("+"):
            return web.json_response(
                {"errors": {"callee_number": ["is invalid"]}}, status=422
            )
        self.placed.append((user_id, body))
        self.placed_ids.append(call_id := str(uuid_module.uuid4()))
        return web.json_response({"data": {"id": call_id}}, status=201)

    async def _add_calls(self, request: web.Request) -> web.Response:
        calls = await request.json()
        self.calls.extend(call for call in calls if isinstance(call, dict))
        return web.json_response({"count": len(self.calls)})

    async def _placed(self, request: web.Request) -> web.Response:
        return web.json_response(
            [
                {"id": call_id, "user_id": user_id, **body}
                for call_id, (user_id, body) in zip(
                    self.placed_ids, self.placed, strict=True
                )
            ]
        )

    async def _requests(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"method": method, "path": path} for method, path, _q in self.requests]
        )

    async def _reset(self, request: web.Request) -> web.Response:
        self.calls.clear()
        self.failures.clear()
        self.always = None
        return web.json_response({})


def main() -> None:
    """Serve the fake API on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default=TOKEN)
    args = parser.parse_args()
    web.run_app(FakeHipcall(args.token).app, host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
