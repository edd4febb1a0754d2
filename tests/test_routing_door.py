"""The routing door and a stranger (issue 25, item 6): call ids of a safe alphabet, and a
limit on new calls a minute past which the answer is the default destination at once,
revealing nothing (no name, no blocklist, no script)."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlencode

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.bulutfon.const import CONF_ROUTING_SCRIPT, EVENT_ROUTE
from custom_components.bulutfon.router import NEW_CALLS_PER_MINUTE

from .conftest import NUMBER, Post
from .test_routing_ha import (
    CALLER,
    FORM,
    ROUTING_ID,
    _actions,
    _dial,
    _route,
    _setup,
)


async def test_a_uuid_outside_the_alphabet_is_a_400(
    hass: HomeAssistant, post: Post
) -> None:
    await _setup(hass)
    response = await post(
        urlencode({"uuid": "<b>x</b>", "caller": CALLER, "callee": NUMBER}),
        webhook_id=ROUTING_ID,
        content_type=FORM,
    )
    assert response.status == HTTPStatus.BAD_REQUEST


async def test_a_flood_of_new_calls_learns_nothing_and_real_calls_still_ring(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory
) -> None:
    """Past NEW_CALLS_PER_MINUTE new calls in a minute the door answers the default
    destination at once: no phone-book name, no blocked flag, no script run, no event;
    a later step of a call it knows is still decided; a minute on, all is as before."""
    await _setup(hass, **{CONF_ROUTING_SCRIPT: "script.failing"})
    events = async_capture_events(hass, EVENT_ROUTE)
    for index in range(NEW_CALLS_PER_MINUTE):
        await _route(post, caller="1", uuid=f"flood-{index}")
    await hass.async_block_till_done()
    assert len(events) == NEW_CALLS_PER_MINUTE
    # The phone book names CALLER "Ayşe" and blocks 0555 111 22 33: past the limit, the
    # answer says neither.
    assert _actions(await _route(post, uuid="past-1")) == [_dial("1000")]
    assert _actions(await _route(post, caller="05551112233", uuid="past-2")) == [
        _dial("1000")
    ]
    await hass.async_block_till_done()
    assert len(events) == NEW_CALLS_PER_MINUTE  # nothing recorded for the flood
    # A known call's next step is no new call: decided as always.
    assert await _route(post, caller="1", uuid="flood-0", step="2")
    freezer.tick(timedelta(minutes=1))
    assert _actions(await _route(post, caller="05551112233", uuid="later")) == [
        ("reject", {})
    ]


@pytest.mark.parametrize("uuid", ["f615986c-2001-11e5-bdee-6599352d46ce", "A.b_c:1"])
async def test_call_ids_of_the_alphabet_are_answered(
    hass: HomeAssistant, post: Post, uuid: str
) -> None:
    await _setup(hass)
    assert _actions(await _route(post, uuid=uuid))[-1] == _dial("1000")
