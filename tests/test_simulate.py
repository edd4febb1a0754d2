"""Tests of scripts/simulate.py against a real local aiohttp server."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
import importlib.util
import json
from pathlib import Path
import random
import socket
import sys
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from aiohttp import web
import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "simulate.py"
WRAPPER = ROOT / "scripts" / "simulate"


def _load_simulate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bulutfon_simulate", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up while the module is being executed.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


simulate = _load_simulate()

# pytest-homeassistant-custom-component blocks sockets; these tests talk to 127.0.0.1.
pytestmark = pytest.mark.usefixtures("socket_enabled")

ANSWERED_TYPES = [
    "call_init",
    "call_init_menu",
    "call_init_group",
    "call_init_extension",
    "call_hangup",
]


@dataclass
class Received:
    """One request as the server saw it."""

    content_type: str
    authorization: str | None
    body: bytes

    def payload(self) -> dict[str, object]:
        """The body decoded by its content type (form values as strings)."""
        if self.content_type == "application/json":
            decoded = json.loads(self.body)
            assert isinstance(decoded, dict)
            return decoded
        return {key: values[0] for key, values in parse_qs(self.body.decode()).items()}


@dataclass
class Recorder:
    """A webhook endpoint that records what it receives and answers with ``status``."""

    url: str = ""
    status: int = 200
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            Received(
                content_type=request.content_type,
                authorization=request.headers.get("Authorization"),
                body=await request.read(),
            )
        )
        return web.Response(status=self.status, text="ok")

    def payloads(self) -> list[dict[str, object]]:
        return [item.payload() for item in self.received]


@pytest.fixture
async def server(socket_enabled: None) -> AsyncIterator[Recorder]:
    """A recording webhook server on 127.0.0.1 with an ephemeral port."""
    recorder = Recorder()
    app = web.Application()
    app.router.add_post("/api/webhook/test-hook", recorder.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    recorder.url = f"http://127.0.0.1:{port}/api/webhook/test-hook"
    try:
        yield recorder
    finally:
        await runner.cleanup()


async def _run(url: str, scenario: str, **kwargs: object) -> Any:
    """Run the blocking simulator off the event loop that serves the requests."""
    kwargs.setdefault("pace", 0)
    kwargs.setdefault("use_proxy", False)
    return await asyncio.to_thread(simulate.run, url, scenario, **kwargs)


async def _main(*argv: str) -> int:
    return await asyncio.to_thread(simulate.main, list(argv))


async def test_answered_sends_five_events_of_one_call(server: Recorder) -> None:
    """answered: the five event types in order, one uuid, microsecond timestamps."""
    before_us = time.time_ns() // 1000
    summary = await _run(server.url, "answered")
    after_us = time.time_ns() // 1000

    assert summary.ok
    assert (summary.requests, summary.accepted, summary.calls) == (5, 5, 1)
    assert all(item.content_type == "application/json" for item in server.received)
    payloads = server.payloads()
    assert [p["event_type"] for p in payloads] == ANSWERED_TYPES
    assert len({p["uuid"] for p in payloads}) == 1
    # Microseconds since the epoch, taken as each event is sent: 16 digits today.
    stamps = [p["timestamp"] for p in payloads if isinstance(p["timestamp"], int)]
    assert len(stamps) == 5
    assert before_us <= stamps[0] <= stamps[-1] <= after_us
    assert stamps == sorted(stamps)
    for payload in payloads:
        assert payload["direction"] == "IN"
        assert payload["domain_id"] == 1234
        assert payload["account_id"] == 5678
        # JSON numbers, like the vendor's examples.
        assert payload["caller"] == 905321234567
        assert payload["callee"] == 908508850000
    assert [p.get("destination") for p in payloads] == [None, 10, 111, 1000, None]
    hangup = payloads[-1]
    assert isinstance(hangup["talk_duration"], int)
    assert hangup["talk_duration"] > 0
    assert hangup["hangup_cause"] == "NORMAL_CLEARING"
    assert hangup["hangup_detail"] == "send_bye"
    assert hangup["result_disposition"] == "SUCCESS"
    assert str(hangup["cdr_url"]).endswith(str(hangup["uuid"]))
    assert str(hangup["cdr_api_url"]).startswith("https://api.bulutfon.com/v2/cdr/")


async def test_form_encoding(server: Recorder) -> None:
    """form: x-www-form-urlencoded bodies whose values are all strings."""
    summary = await _run(server.url, "autodial", fmt="form", caller="905551112233")

    assert summary.ok
    assert [item.content_type for item in server.received] == [
        "application/x-www-form-urlencoded"
    ] * 2
    payloads = server.payloads()
    assert [p["event_type"] for p in payloads] == ["call_init", "call_hangup"]
    for payload in payloads:
        assert all(isinstance(value, str) for value in payload.values())
        assert payload["direction"] == "OUT"
        assert payload["callee"] == "905551112233"
        assert payload["caller"] == "908508850000"
        assert payload["autodial"] == "true"
        assert payload["additional_data"]
        assert payload["callback_url"]
        assert str(payload["timestamp"]).isdigit()
        assert len(str(payload["timestamp"])) == 16


def test_encode() -> None:
    """encode: JSON keeps numbers and nulls; form stringifies and leaves nulls out."""
    event = {"event_type": "call_init", "caller": 905321234567, "additional_data": None}
    body, content_type = simulate.encode(event, "json")
    assert content_type == "application/json"
    assert json.loads(body) == event
    body, content_type = simulate.encode({**event, "autodial": True}, "form")
    assert content_type == "application/x-www-form-urlencoded"
    assert parse_qs(body.decode()) == {
        "event_type": ["call_init"],
        "caller": ["905321234567"],
        "autodial": ["true"],
    }
    with pytest.raises(ValueError, match="unknown format"):
        simulate.encode(event, "xml")


async def test_basic_auth_header(server: Recorder) -> None:
    """Credentials become a Basic Authorization header on every request; none without."""
    await _run(server.url, "missed", username="bulutfon", password="s3cr:et")
    expected = "Basic " + base64.b64encode(b"bulutfon:s3cr:et").decode()
    assert [item.authorization for item in server.received] == [expected] * 2

    server.received.clear()
    await _run(server.url, "fax")
    assert [item.authorization for item in server.received] == [None]


async def test_burst_sends_each_call_in_order(server: Recorder) -> None:
    """burst: 3*N requests, N distinct uuids, each call's events in order."""
    calls = 12
    summary = await _run(server.url, "burst", calls=calls, concurrency=6)

    assert summary.ok
    assert summary.requests == summary.accepted == 3 * calls
    payloads = server.payloads()
    assert len(payloads) == 3 * calls
    by_call: dict[object, list[object]] = {}
    for payload in payloads:
        by_call.setdefault(payload["uuid"], []).append(payload["event_type"])
    assert len(by_call) == calls
    assert all(
        types == ["call_init", "call_init_extension", "call_hangup"]
        for types in by_call.values()
    )
    assert len({p["caller"] for p in payloads}) == calls


async def test_all_plays_every_scenario(server: Recorder) -> None:
    """all: answered, missed, outgoing, fax and autodial, one call after another."""
    summary = await _run(server.url, "all", repeat=2)
    assert summary.ok
    assert summary.calls == 10
    assert [result.seq for result in summary.results] == list(range(1, 25))
    types = [p["event_type"] for p in server.payloads()]
    one_round = [
        *ANSWERED_TYPES,
        "call_init",
        "missing_call",
        "call_init",
        "call_hangup",
        "fax_init",
        "call_init",
        "call_hangup",
    ]
    assert types == one_round * 2
    assert len({p["uuid"] for p in server.payloads()}) == 10


@pytest.mark.parametrize(
    ("status", "exit_code"), [(200, 0), (204, 0), (400, 1), (401, 1)]
)
async def test_cli_exit_status(
    server: Recorder,
    status: int,
    exit_code: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI exits 0 when every request got a 2xx, 1 when any did not."""
    server.status = status
    code = await _main(server.url, "missed", "--pace", "0", "--no-proxy")
    assert code == exit_code
    assert len(server.received) == 2
    out = capsys.readouterr().out
    assert out.count(f"-> {status}") == 2
    assert "call_init" in out
    assert "missing_call" in out
    assert "905321234567" in out
    assert "2 requests" in out


async def test_cli_form_and_credentials_in_url(server: Recorder) -> None:
    """Credentials in the URL are sent as Basic auth; --quiet prints only the summary."""
    url = server.url.replace("http://", "http://hook:p%40ss@")
    code = await _main(
        url, "--scenario", "fax", "--format", "form", "--quiet", "--no-proxy"
    )
    assert code == 0
    [item] = server.received
    assert item.content_type == "application/x-www-form-urlencoded"
    assert item.authorization == "Basic " + base64.b64encode(b"hook:p@ss").decode()


async def test_cli_connection_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A URL nobody listens on counts as a failure: exit status 1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = await _main(f"http://127.0.0.1:{port}/hook", "fax", "--no-proxy", "-q")
    assert code == 1
    captured = capsys.readouterr()
    assert "1 failed" in captured.out
    assert "failed:" in captured.err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["http://127.0.0.1:1/hook", "ringing"],
        ["ftp://127.0.0.1/hook"],
        ["http://127.0.0.1:1/hook", "--caller", "+90 532"],
        ["http://127.0.0.1:1/hook", "--calls", "0"],
        ["http://127.0.0.1:1/hook", "--password", "x"],
        ["http://127.0.0.1:1/hook", "fax", "--scenario", "missed"],
        ["http://127.0.0.1:1/hook", "--format", "xml"],
    ],
)
def test_cli_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Usage errors exit with status 2 and send nothing."""
    assert simulate.main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_build_scenario() -> None:
    """The payloads themselves: shapes of every scenario, reproducible from a seed."""
    now_us = 1435762851086820
    built = simulate.build_scenario("all", now_us=now_us, rng=random.Random(7))
    again = simulate.build_scenario("all", now_us=now_us, rng=random.Random(7))
    assert built == again
    answered, missed, outgoing, fax, autodial = built
    assert [e["event_type"] for e in answered] == ANSWERED_TYPES
    assert [e["event_type"] for e in missed] == ["call_init", "missing_call"]
    assert [e["event_type"] for e in fax] == ["fax_init"]
    assert {e["direction"] for e in outgoing} == {"OUT"}
    assert "autodial" not in outgoing[0]
    assert all(e["autodial"] is True for e in autodial)
    assert answered[0]["timestamp"] == now_us
    for call in built:
        assert len({e["uuid"] for e in call}) == 1
        stamps = [e["timestamp"] for e in call]
        assert stamps == sorted(stamps)
    assert len({call[0]["uuid"] for call in built}) == 5
    # Version-1 (time based) uuids, like Bulutfon's.
    assert str(answered[0]["uuid"])[14] == "1"

    burst = simulate.build_scenario("burst", calls=3, rng=random.Random(1))
    assert [call[0]["caller"] for call in burst] == [
        905321234567,
        905321234568,
        905321234569,
    ]
    with pytest.raises(ValueError, match="unknown scenario"):
        simulate.build_scenario("ringing")
    with pytest.raises(ValueError, match="caller"):
        simulate.build_scenario("fax", caller="05321234567")


async def test_wrapper_script(server: Recorder) -> None:
    """scripts/simulate runs the CLI and passes its exit status on."""
    process = await asyncio.create_subprocess_exec(
        str(WRAPPER),
        server.url,
        "outgoing",
        "--pace",
        "0",
        "--no-proxy",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert "2 accepted" in stdout.decode()
    assert [p["event_type"] for p in server.payloads()] == ["call_init", "call_hangup"]
