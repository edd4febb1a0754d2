"""Fuzzing the routing URL through Home Assistant's real HTTP server and a real script.

A derandomized `@given` draws a few hundred (request body, script answer) pairs; each body is
posted to a loaded entry's routing URL while the routing script answers the drawn answer. After
every request: a 400 exactly when the pure parser refuses the body, else a 200 with a complete,
valid BFON document; never anything else. Afterwards no ERROR record in the log.
"""

from __future__ import annotations

from http import HTTPStatus
import json
import logging
from typing import Any
from urllib.parse import urlencode
import warnings

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from hypothesis.errors import HypothesisWarning
import pytest

from custom_components.bulutfon.const import CONF_ROUTING_SCRIPT, CONF_TTS_ENGINE
from custom_components.bulutfon.protocol import PayloadError
from custom_components.bulutfon.routing import parse_route_request

from .conftest import Post
from .test_routing import _JSON, assert_valid_bfon
from .test_routing_ha import ROUTING_ID, routing_entry

EXAMPLES = 250

_TEXT = st.text(max_size=12) | st.sampled_from(["", "null", "1", "2", "abc"])
_CALLERS = st.sampled_from(
    ["905320000000", "05551112233", "+90 555 111 22 33", "anonymous", "", "1"]
)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """Bulutfon-like forms and JSON with random fields, and random bytes."""
    fields: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        fields["uuid"] = draw(st.uuids().map(str) | _TEXT)
    if draw(st.integers(0, 9)):
        fields["caller"] = draw(_CALLERS | _TEXT)
    if draw(st.booleans()):
        fields["callee"] = draw(_CALLERS)
    if draw(st.booleans()):
        fields["step"] = draw(st.integers(-3, 12) | _TEXT | st.floats(allow_nan=True))
    fields.update(draw(st.dictionaries(_TEXT, _TEXT, max_size=3)))
    kind = draw(st.sampled_from(["form", "json", "bytes"]))
    if kind == "form":
        body = urlencode({key: str(value) for key, value in fields.items()}).encode()
        return body, draw(st.sampled_from(["application/x-www-form-urlencoded", None]))
    if kind == "json":
        return json.dumps(fields).encode(), draw(
            st.sampled_from(["application/json", None, "text/plain"])
        )
    return draw(st.binary(max_size=80)), draw(
        st.sampled_from([None, "application/json"])
    )


def _draw() -> list[tuple[tuple[bytes, str | None], Any]]:
    drawn: list[tuple[tuple[bytes, str | None], Any]] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(bodies(), _JSON)
    def collect(body: tuple[bytes, str | None], answer: Any) -> None:
        drawn.append((body, answer))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HypothesisWarning)
        collect()
    return drawn


async def test_fuzz_routing_url(
    hass: HomeAssistant, post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    """Whatever comes in and whatever the script says: a valid answer or a clear 400."""
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "fuzz": {
                    "mode": "parallel",
                    "sequence": [
                        {
                            "variables": {
                                "route": "{{ state_attr('sensor.fuzz', 'answer') }}"
                            }
                        },
                        {"stop": "x", "response_variable": "route"},
                    ],
                }
            }
        },
    )
    entry = routing_entry(
        **{CONF_ROUTING_SCRIPT: "script.fuzz", CONF_TTS_ENGINE: "tts.missing"}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    statuses: dict[int, int] = {}
    for (body, content_type), answer in _draw():
        hass.states.async_set("sensor.fuzz", "on", {"answer": answer})
        try:
            parse_route_request(body, content_type)
        except PayloadError:
            expected = HTTPStatus.BAD_REQUEST
        else:
            expected = HTTPStatus.OK
        response = await post(body, webhook_id=ROUTING_ID, content_type=content_type)
        assert response.status == expected, (body, content_type)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if expected == HTTPStatus.OK:
            assert_valid_bfon(await response.read())
    # Both kinds were really exercised.
    assert statuses[HTTPStatus.OK] > EXAMPLES // 5
    assert statuses[HTTPStatus.BAD_REQUEST] > EXAMPLES // 10
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors[:3]]
