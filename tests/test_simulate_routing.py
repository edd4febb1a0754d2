"""`scripts/simulate URL route`: a BulutfonXM conversation against the real routing URL."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest

from custom_components.bulutfon.const import CONF_ROUTING_SCRIPT

from .test_routing_ha import ROUTING_ID, _answer, routing_entry
from .test_simulate import simulate

MENU = {
    "mode": "parallel",
    "sequence": [
        {
            "if": [{"condition": "template", "value_template": "{{ not digits }}"}],
            "then": _answer(
                {
                    "gather": {
                        "ask": "https://cdn.example.org/menu.mp3",
                        "variable": "choice",
                    }
                }
            ),
        },
        *_answer({"action": "dial", "destination": "{{ '100' ~ digits }}"}),
    ],
}


@pytest.fixture
async def routing_url(
    hass: HomeAssistant, socket_enabled: None, hass_client_no_auth: Any
) -> str:
    """The routing URL of a loaded entry whose script asks for a key, on a real socket."""
    assert await async_setup_component(hass, "script", {"script": {"menu": MENU}})
    assert await async_setup_component(hass, "webhook", {})
    entry = routing_entry(**{CONF_ROUTING_SCRIPT: "script.menu"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    return str(client.make_url(f"/api/webhook/{ROUTING_ID}"))


async def test_route_plays_the_gather_round_trip(routing_url: str) -> None:
    """First request, the question, the digits, the routed call: exit status 0."""
    out = io.StringIO()
    status = await asyncio.to_thread(
        simulate.main, [routing_url, "route", "--digits", "2", "--no-proxy"]
    )
    assert status == 0
    import simulate_routing

    steps = await asyncio.to_thread(
        simulate_routing.converse,
        routing_url,
        caller="905320000000",
        callee="908508850000",
        digits="3",
        out=out,
    )
    assert simulate_routing.succeeded(steps)
    assert [step.last_action for step in steps] == ["gather", "dial"]
    assert steps[-1].seq[-1]["args"]["destination"] == "1003"
    text = out.getvalue()
    assert "ask https://cdn.example.org/menu.mp3 for 1-1 keys into 'choice'" in text
    assert "the caller presses 3" in text
    assert "dial 1003" in text


async def test_route_reports_a_refused_request(routing_url: str) -> None:
    """Wrong credentials or a wrong URL: not routed, exit status 1."""
    status = await asyncio.to_thread(
        simulate.main, [routing_url + "x", "route", "--no-proxy", "-q"]
    )
    assert status == 1
