"""A retry never hangs up on the caller: copies of one routing request, one dropping.

Through the real HTTP server of the test harness (aiohttp on 127.0.0.1, with Home
Assistant's handler cancellation on): Bulutfon's first request for a (uuid, step) is
dropped by its client while a second copy waits for the same answer. The copy still
connected gets the answer the first would have got, and the script runs once.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any, NamedTuple
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.bulutfon.const import (
    CONF_ROUTING_SCRIPT,
    CONF_ROUTING_TIMEOUT,
    EVENT_ROUTE,
)
from custom_components.bulutfon.router import CallRouter

from .conftest import NUMBER
from .test_routing import assert_valid_bfon
from .test_routing_ha import (
    CALLER,
    FORM,
    ROUTING_ID,
    UUID,
    _readme_script,
    routing_entry,
)

RELEASE = "bulutfon_test_release"
RAN = "routing_script_ran"


def _held(route: dict[str, Any]) -> dict[str, Any]:
    """A script that thinks until the test releases it, then answers `route`."""
    return {
        "mode": "parallel",
        "max": 20,
        "sequence": [
            {"wait_for_trigger": [{"trigger": "event", "event_type": RELEASE}]},
            {"event": RAN},
            {"variables": {"route": route}},
            {"stop": "routed", "response_variable": "route"},
        ],
    }


SCRIPTS: dict[str, Any] = {
    "held_dial": _held({"action": "dial", "destination": "1004"}),
    "held_gather": _held(
        {
            "gather": {
                "ask": "https://cdn.example.org/menu.mp3",
                "max_digits": 1,
                "variable": "choice",
            }
        }
    ),
    # Never answers in time: the time limit's fallback decides.
    "held_forever": _held({"action": "reject"}),
}


def _request(client: TestClient, body: str) -> bytes:
    """A routing request as Bulutfon sends it, byte for byte."""
    return (
        f"POST /api/webhook/{ROUTING_ID} HTTP/1.1\r\n"
        f"Host: {client.host}:{client.port}\r\n"
        f"Content-Type: {FORM}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
        f"{body}"
    ).encode()


async def _until(condition: Any) -> None:
    """Let the loop run until `condition()` holds (a guard against hanging, not a timing)."""
    async with asyncio.timeout(20):
        # Polled: the conditions (a socket closed, a script running) have no event here.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


class Case(NamedTuple):
    """A routing script, its time limit, and what the copy still connected hears."""

    script: str
    time_limit: float
    released: bool
    """Whether the script is let go on (or runs into the time limit)."""
    expected: list[dict[str, Any]]
    """The directives after the phone book's caller name (args: a subset)."""


@pytest.mark.parametrize(
    "case",
    [
        # A slow script: it answers after the first copy is gone.
        Case(
            "held_dial",
            30.0,
            True,
            [{"action": "dial", "args": {"destination": "1004"}}],
        ),
        # A gather: the still-connected copy is asked for the digits.
        Case("held_gather", 30.0, True, [{"action": "gather"}]),
        # The time limit runs out after the first copy is gone: the default.
        Case(
            "held_forever",
            0.5,
            False,
            [{"action": "dial", "args": {"destination": "1000"}}],
        ),
    ],
    ids=lambda case: case.script,
)
async def test_a_dropped_first_request_still_answers_its_copy(
    hass: HomeAssistant, hass_client_no_auth: Any, case: Case
) -> None:
    """The first copy's client goes mid-request; the second gets the full answer."""
    assert await async_setup_component(hass, "webhook", {})
    assert await async_setup_component(hass, "script", {"script": SCRIPTS})
    entry = routing_entry(
        **{
            CONF_ROUTING_SCRIPT: f"script.{case.script}",
            CONF_ROUTING_TIMEOUT: case.time_limit,
        }
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    router: CallRouter = entry.runtime_data.router
    client: TestClient = await hass_client_no_auth()
    server = client.server.runner.server  # type: ignore[union-attr]
    routes = async_capture_events(hass, EVENT_ROUTE)
    runs = async_capture_events(hass, RAN)
    body = urlencode({"uuid": UUID, "caller": CALLER, "callee": NUMBER, "step": "1"})

    # The first copy: sent whole, then its client waits for the answer.
    _reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(_request(client, body))
    await writer.drain()
    await _until(lambda: hass.states.get(f"script.{case.script}").state == "on")
    # The second copy, from another connection, waits for the same decision.
    second = asyncio.ensure_future(
        client.post(
            f"/api/webhook/{ROUTING_ID}", data=body, headers={"Content-Type": FORM}
        )
    )
    await _until(lambda: router.repeats == 1)
    # The first client goes: Home Assistant cancels its handler.
    open_before = len(server.connections)
    writer.close()
    await writer.wait_closed()
    await _until(lambda: len(server.connections) < open_before)

    if case.released:
        hass.bus.async_fire(RELEASE)
    response = await second
    assert response.status == HTTPStatus.OK
    seq = assert_valid_bfon(await response.read())
    assert [directive["action"] for directive in seq] == [
        "set_caller_name",
        *(directive["action"] for directive in case.expected),
    ]
    assert seq[0]["args"] == {"caller_name": "Ayşe"}  # from the phone book
    for directive, wanted in zip(seq[1:], case.expected, strict=True):
        assert wanted.get("args", {}).items() <= directive["args"].items()
    # One decision: the script ran (at most) once, one route event, one count.
    await hass.async_block_till_done()
    assert len(runs) == (1 if case.released else 0)
    assert len(routes) == 1
    # A third copy, later, hears the same answer without a new run.
    again = await client.post(
        f"/api/webhook/{ROUTING_ID}", data=body, headers={"Content-Type": FORM}
    )
    assert assert_valid_bfon(await again.read()) == seq
    assert len(routes) == 1


async def test_a_decision_stopped_by_unloading_still_answers(
    hass: HomeAssistant, hass_client_no_auth: Any
) -> None:
    """The entry unloads while the script thinks: its run stops, the caller rings the
    default (not after the time limit, and not a dropped connection)."""
    assert await async_setup_component(hass, "webhook", {})
    assert await async_setup_component(hass, "script", {"script": SCRIPTS})
    entry = routing_entry(
        **{CONF_ROUTING_SCRIPT: "script.held_dial", CONF_ROUTING_TIMEOUT: 30.0}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client: TestClient = await hass_client_no_auth()
    body = urlencode({"uuid": UUID, "caller": CALLER, "callee": NUMBER})
    waiting = asyncio.ensure_future(
        client.post(
            f"/api/webhook/{ROUTING_ID}", data=body, headers={"Content-Type": FORM}
        )
    )
    await _until(lambda: hass.states.get("script.held_dial").state == "on")
    assert await hass.config_entries.async_unload(entry.entry_id)
    response = await waiting
    await hass.async_block_till_done()
    assert hass.states.get("script.held_dial").state == "off"
    assert response.status == HTTPStatus.OK
    seq = assert_valid_bfon(await response.read())
    assert seq[-1] == {
        "action": "dial",
        "args": {"destination": "1000", "hide_cli_on_diversion": "false"},
    }


async def test_calls_past_the_scripts_max_ring_the_default(
    hass: HomeAssistant, hass_client_no_auth: Any
) -> None:
    """More calls at once than the script's `max`: those past it ring the default
    (as README says), and the README's example sets `max` like the blueprint."""
    assert _readme_script()["route_calls"]["max"] >= 40
    scripts = {"held_dial": {**SCRIPTS["held_dial"], "max": 2}}
    assert await async_setup_component(hass, "webhook", {})
    assert await async_setup_component(hass, "script", {"script": scripts})
    entry = routing_entry(**{CONF_ROUTING_SCRIPT: "script.held_dial"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client: TestClient = await hass_client_no_auth()
    routes = async_capture_events(hass, EVENT_ROUTE)

    async def ask(uuid: str) -> list[dict[str, Any]]:
        body = urlencode({"uuid": uuid, "caller": CALLER, "callee": NUMBER})
        response = await client.post(
            f"/api/webhook/{ROUTING_ID}", data=body, headers={"Content-Type": FORM}
        )
        return assert_valid_bfon(await response.read())

    calls = [asyncio.ensure_future(ask(f"call-{n}")) for n in range(3)]
    await _until(lambda: len(routes) == 1)  # the third call: past max, at once
    hass.bus.async_fire(RELEASE)
    answers = [(await call)[-1]["args"]["destination"] for call in calls]
    assert sorted(answers) == ["1000", "1004", "1004"]
    assert (routes[0].data["reason"], routes[0].data["problem"]) == (
        "fallback",
        "no_answer",
    )
