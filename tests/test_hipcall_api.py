"""Tests for the Hipcall API client against the fake Hipcall API (no Home Assistant)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
import json
import socket

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
import pytest

from custom_components.bulutfon.hipcall import event_from_call_record
from custom_components.bulutfon.hipcall_api import (
    DEFAULT_RETRY_AFTER,
    FAKE_API_ENV,
    MAX_PEOPLE,
    MAX_RESPONSE_BYTES,
    MAX_RETRY_AFTER,
    REGION_URLS,
    HipcallAuthError,
    HipcallClient,
    HipcallError,
    HipcallRateLimitError,
    HipcallRefusedError,
    HipcallTeam,
    HipcallUnavailableError,
    HipcallUser,
    api_time,
    base_url,
    callee_number,
    retry_after,
)
from custom_components.bulutfon.protocol import EventType

from .fake_hipcall import TOKEN, Failure, FakeHipcall, call_record, team, user

pytestmark = pytest.mark.usefixtures("socket_enabled")

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Api:
    """The fake API and a client on it."""

    def __init__(self, fake: FakeHipcall, server: TestServer, session: ClientSession):
        self.fake = fake
        self.server = server
        self.session = session
        self.url = str(server.make_url("/"))

    def client(self, token: str = TOKEN, timeout: float = 5.0) -> HipcallClient:
        return HipcallClient(self.session, token, timeout=timeout)


@pytest.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Api]:
    fake = FakeHipcall()
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    monkeypatch.setenv(FAKE_API_ENV, str(server.make_url("/")))
    async with ClientSession() as session:
        yield Api(fake, server, session)
    await server.close()


async def test_users_named_as_in_hipcall(api: Api) -> None:
    users = await api.client().async_get_users()
    assert users == [
        HipcallUser("12", "Ayşe Kaya"),
        HipcallUser("13", "Mehmet Demir"),
    ]
    assert api.fake.requests[0][2]["limit"] == "100"


async def test_token_is_sent_as_bearer_and_a_wrong_one_is_an_auth_error(
    api: Api,
) -> None:
    await api.client().async_check()
    with pytest.raises(HipcallAuthError) as err:
        await api.client("wrong-token").async_check()
    assert "wrong-token" not in str(err.value)


async def test_forbidden_is_an_auth_error(api: Api) -> None:
    api.fake.failures.append(Failure(status=403))
    with pytest.raises(HipcallAuthError):
        await api.client().async_get_users()


async def test_odd_user_records_are_skipped_or_cleaned(api: Api) -> None:
    api.fake.users = [
        {"id": 1, "first_name": "Zeynep", "last_name": None},  # no full_name
        {"id": "2", "full_name": "Bad \ud800 name"},  # a lone surrogate
        {"id": 3},  # no name at all
        {"id": {"nested": 1}, "full_name": "no id"},
        {"full_name": "missing id"},
        {"id": "../etc", "full_name": "unusable id"},
        {"id": 1, "full_name": "Zeynep again"},  # a repeat
        {"id": 4, "full_name": "x" * 10_000},
        "not an object",
        None,
        42,
    ]
    users = await api.client().async_get_users()
    assert [item.id for item in users] == ["1", "2", "3", "4"]
    assert users[0].name == "Zeynep"
    assert users[1].name == "Bad \ufffd name"
    assert users[2].name is None
    assert users[3].name is not None
    assert len(users[3].name) == 64
    json.dumps([item.name for item in users]).encode()  # always encodable


async def test_users_are_bounded_and_paged(api: Api) -> None:
    api.fake.users = [user(index, f"U{index}", "X") for index in range(1, 451)]
    users = await api.client().async_get_users()
    assert len(users) == MAX_PEOPLE
    assert [query["offset"] for _m, _p, query in api.fake.requests] == [
        "0",
        "100",
        "200",
    ]


async def test_teams(api: Api) -> None:
    api.fake.teams = [team(7, "Müşteri Hizmetleri"), team(8, "Destek"), {"id": None}]
    assert await api.client().async_get_teams() == [
        HipcallTeam("7", "Müşteri Hizmetleri"),
        HipcallTeam("8", "Destek"),
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-ratelimit-reset": "30"}, 30.0),
        ({"x-ratelimit-reset": str(NOW.timestamp() + 42)}, 42.0),
        ({"retry-after": "5"}, 5.0),
        ({"x-ratelimit-reset": "soon", "retry-after": "7"}, 7.0),
        ({}, DEFAULT_RETRY_AFTER),
        ({"x-ratelimit-reset": "nan"}, DEFAULT_RETRY_AFTER),
        ({"x-ratelimit-reset": "-5"}, 1.0),
        ({"x-ratelimit-reset": "99999999"}, MAX_RETRY_AFTER),
    ],
)
def test_retry_after(headers: dict[str, str], expected: float) -> None:
    assert retry_after(headers, NOW.timestamp()) == pytest.approx(expected)


async def test_rate_limited_reads_the_reset_header(api: Api) -> None:
    api.fake.failures.append(
        Failure(
            status=429,
            headers={
                "x-ratelimit-limit": "60",
                "x-ratelimit-remaining": "0",
                "x-ratelimit-reset": "25",
            },
        )
    )
    with pytest.raises(HipcallRateLimitError) as err:
        await api.client().async_get_users()
    assert err.value.retry_after == 25.0


@pytest.mark.parametrize(
    ("failure", "status", "message"),
    [
        (
            Failure(422, json.dumps({"errors": {"callee_number": ["is invalid"]}})),
            422,
            "callee_number: is invalid",
        ),
        (
            Failure(404, json.dumps({"errors": {"detail": "Not Found"}})),
            404,
            "Not Found",
        ),
        (Failure(400, json.dumps({"message": "Bad things"})), 400, "Bad things"),
        (Failure(400, "<html>nope</html>", content_type="text/html"), 400, None),
        (Failure(409, json.dumps({"errors": ["one", "two"]})), 409, "one; two"),
    ],
)
async def test_refusals_carry_the_apis_message(
    api: Api, failure: Failure, status: int, message: str | None
) -> None:
    api.fake.failures.append(failure)
    with pytest.raises(HipcallRefusedError) as err:
        await api.client().async_get_users()
    assert err.value.status == status
    assert err.value.message == message


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (Failure(500), "server_error"),
        (
            Failure(502, "<html>Bad gateway</html>", content_type="text/html"),
            "server_error",
        ),
        (
            Failure(200, "<html>captive portal</html>", content_type="text/html"),
            "bad_response",
        ),
        (Failure(200, ""), "bad_response"),  # no data list
        (Failure(200, '{"data": {"id": 1}}'), "bad_response"),
        (Failure(200, "[" * 100_000 + "]" * 100_000), "bad_response"),
        (Failure(200, b"\xff\xfe garbage"), "bad_response"),
        (Failure(200, '{"data": [' + "1" * 5000 + "]}"), "bad_response"),
        (Failure(200, b" " * (MAX_RESPONSE_BYTES + 1)), "bad_response"),
        (Failure(302, "", headers={"Location": "https://example.com"}), "bad_response"),
    ],
)
async def test_answers_that_are_no_api_answer(
    api: Api, failure: Failure, reason: str
) -> None:
    api.fake.failures.append(failure)
    with pytest.raises(HipcallUnavailableError) as err:
        await api.client().async_get_users()
    assert err.value.reason == reason


async def test_a_slow_answer_times_out(api: Api) -> None:
    api.fake.failures.append(Failure(status=200, delay=2.0))
    with pytest.raises(HipcallUnavailableError) as err:
        await api.client(timeout=0.2).async_get_users()
    assert err.value.reason == "timeout"


async def test_nobody_listening_is_a_network_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:  # a free port, closed again: nobody listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv(FAKE_API_ENV, f"http://127.0.0.1:{port}")
    async with ClientSession() as session:
        client = HipcallClient(session, TOKEN)
        with pytest.raises(HipcallUnavailableError) as err:
            await client.async_get_users()
    assert err.value.reason == "network"


async def test_calls_are_paged_oldest_first_from_since(api: Api) -> None:
    since = NOW - timedelta(hours=3)
    api.fake.calls = [
        call_record(since + timedelta(seconds=30 * index), uuid=f"call-{index:03}")
        for index in range(250)
    ]
    api.fake.calls.append(call_record(since - timedelta(minutes=1), uuid="too-old"))
    result = await api.client().async_get_calls(since, max_calls=300)
    assert not result.truncated
    assert [record["uuid"] for record in result.records] == [
        f"call-{index:03}" for index in range(250)
    ]
    queries = [query for _m, _p, query in api.fake.requests]
    assert [query["offset"] for query in queries] == ["0", "100", "200"]
    assert {query["sort"] for query in queries} == {"started_at.asc"}
    assert {query["started_at[gte]"] for query in queries} == {"2026-12-01T09:00:00Z"}


async def test_calls_are_bounded(api: Api) -> None:
    since = NOW - timedelta(hours=3)
    api.fake.calls = [
        call_record(since + timedelta(seconds=index), uuid=f"call-{index:04}")
        for index in range(1000)
    ]
    result = await api.client().async_get_calls(since, max_calls=150)
    assert result.truncated
    assert len(result.records) == 150
    assert [query["limit"] for _m, _p, query in api.fake.requests] == ["100", "50"]


async def test_call_records_read_as_events(api: Api) -> None:
    """The records the fake answers are what the Hipcall parser reads."""
    api.fake.calls = [
        call_record(NOW, uuid="answered", talk=90),
        call_record(NOW, uuid="missed", missed=True),
        call_record(NOW, uuid="ringing", ended=False),
        "garbage",  # type: ignore[list-item]
    ]
    result = await api.client().async_get_calls(NOW, max_calls=10)
    events = {
        record["uuid"]: event_from_call_record(record) for record in result.records
    }
    assert events["answered"] is not None
    assert events["answered"].type is EventType.CALL_HANGUP
    assert events["answered"].talk_duration == 90
    assert events["missed"] is not None
    assert events["missed"].type is EventType.MISSING_CALL
    assert events["ringing"] is None
    assert len(result.records) == 3


async def test_click_to_call(api: Api) -> None:
    call_id = await api.client().async_call("12", "+905321234567")
    assert call_id
    assert api.fake.placed == [
        ("12", {"callee_number": "+905321234567", "ring_user_first": True})
    ]
    await api.client().async_call("13", "+905321234567", ring_user_first=False)
    assert api.fake.placed[-1][1]["ring_user_first"] is False


async def test_click_to_call_refused(api: Api) -> None:
    with pytest.raises(HipcallRefusedError) as err:
        await api.client().async_call("99", "+905321234567")
    assert err.value.status == 404
    with pytest.raises(HipcallRefusedError) as err:
        await api.client().async_call("12", "5321234567")
    assert err.value.status == 422
    assert err.value.message == "callee_number: is invalid"


async def test_click_to_call_quotes_the_user_id(api: Api) -> None:
    with pytest.raises(HipcallRefusedError):
        await api.client().async_call("12/../../teams", "+905321234567")
    assert api.fake.requests[-1][1] == "/api/v3/users/12%2F..%2F..%2Fteams/call"


@pytest.mark.parametrize(
    "body", ['{"data": {}}', '{"data": {"id": null}}', '{"data": []}', "{}"]
)
async def test_click_to_call_without_an_id(api: Api, body: str) -> None:
    api.fake.failures.append(Failure(201, body))
    with pytest.raises(HipcallUnavailableError):
        await api.client().async_call("12", "+905321234567")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0532 123 45 67", "+905321234567"),
        ("+90 (532) 123-45-67", "+905321234567"),
        ("0090 532 1234567", "+905321234567"),
        ("905321234567", "+905321234567"),
        ("532 123 45 67", "+905321234567"),
        ("0850 885 00 00", "+908508850000"),
        ("+44 20 7946 0000", "+442079460000"),
        ("12", None),
        ("", None),
        ("call me", None),
        ("0123456789", None),
        ("+0850 885 00 00", None),
        ("1" * 20, None),
    ],
)
def test_callee_number(text: str, expected: str | None) -> None:
    assert callee_number(text) == expected


def test_regions_and_times() -> None:
    assert base_url("tr") == REGION_URLS["tr"] == "https://use.hipcall.com.tr"
    assert base_url("global") == "https://use.hipcall.com"
    assert base_url(None) == base_url("elsewhere") == REGION_URLS["tr"]
    assert api_time(datetime(2024, 11, 17, 13, 41, 5, 999, tzinfo=UTC)) == (
        "2024-11-17T13:41:05Z"
    )


def test_errors_share_one_base() -> None:
    for error in (
        HipcallAuthError("x"),
        HipcallRateLimitError(1.0),
        HipcallRefusedError(400, None),
        HipcallUnavailableError("network"),
    ):
        assert isinstance(error, HipcallError)


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://attacker.example",
        "http://10.0.0.5:8080",
        "http://127.0.0.1.attacker.example",
        "ftp://127.0.0.1",
        "http://127.0.0.1:notaport",
    ],
)
def test_the_token_goes_only_to_hipcall_or_loopback(
    monkeypatch: pytest.MonkeyPatch, elsewhere: str
) -> None:
    """Only a fake on this machine may replace Hipcall's host; any other address in the
    demo's variable is ignored (the token would go there)."""
    monkeypatch.setenv(FAKE_API_ENV, elsewhere)
    assert base_url("tr") == "https://use.hipcall.com.tr"
    monkeypatch.setenv(FAKE_API_ENV, "http://127.0.0.1:8765")
    assert base_url("tr") == "http://127.0.0.1:8765"


def test_the_scripts_name_the_variable_the_client_reads() -> None:
    """scripts/realhass.py (the demo, the real-hass tests) sets what base_url reads."""
    from .real_hass import realhass

    assert realhass.FAKE_API_ENV == FAKE_API_ENV
