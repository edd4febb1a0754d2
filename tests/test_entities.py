"""The device's entities, driven by real webhook posts."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
import json
import math
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_FRIENDLY_NAME,
    ATTR_SUPPORTED_FEATURES,
    ATTR_UNIT_OF_MEASUREMENT,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, HomeAssistant, State, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    restore_state as rs,
    translation,
)
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.json import json_dumps
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

from custom_components.bulutfon.const import ALL_EVENT_TYPES, DOMAIN, EVENT_BULUTFON
from custom_components.bulutfon.line import PhoneLine
from custom_components.bulutfon.protocol import EventType, parse_body
from custom_components.bulutfon.sensor import ROUTE_SENSORS, display_minutes
from custom_components.bulutfon.wording import CODE_ATTRIBUTES

from .conftest import NUMBER, WEBHOOK_ID, Post, make_entry, setup_entry
from .vendor import VENDOR_EXAMPLES

LINE_BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"
ACTIVE_CALLS = f"sensor.bulutfon_{NUMBER}_active_calls"
LAST_CALLER = f"sensor.bulutfon_{NUMBER}_last_caller"
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
LAST_MISSED_CALLER = f"sensor.bulutfon_{NUMBER}_last_missed_caller"
LAST_CALL_DURATION = f"sensor.bulutfon_{NUMBER}_last_call_duration"
LAST_FAX_SENDER = f"sensor.bulutfon_{NUMBER}_last_fax_sender"
RESET_BUTTON = f"button.bulutfon_{NUMBER}_reset_missed_calls"
CALL_EVENT = f"event.bulutfon_{NUMBER}_call"
INCOMING_TODAY = f"sensor.bulutfon_{NUMBER}_incoming_calls_today"
OUTGOING_TODAY = f"sensor.bulutfon_{NUMBER}_outgoing_calls_today"
ANSWERED_TODAY = f"sensor.bulutfon_{NUMBER}_answered_calls_today"
MISSED_TODAY = f"sensor.bulutfon_{NUMBER}_missed_calls_today"
TALK_TIME_TODAY = f"sensor.bulutfon_{NUMBER}_talk_time_today"
CALL_STATE = f"sensor.bulutfon_{NUMBER}_call_state"
GROUP_111 = f"sensor.bulutfon_{NUMBER}_group_111_calls"
EXTENSION_1000 = f"binary_sensor.bulutfon_{NUMBER}_extension_1000"
CALLBACKS_TODO = f"todo.bulutfon_{NUMBER}_callbacks"

ALL_ENTITIES = {
    LINE_BUSY: "line_busy",
    ACTIVE_CALLS: "active_calls",
    LAST_CALLER: "last_caller",
    MISSED_CALLS: "missed_calls",
    LAST_MISSED_CALLER: "last_missed_caller",
    LAST_CALL_DURATION: "last_call_duration",
    LAST_FAX_SENDER: "last_fax_sender",
    RESET_BUTTON: "reset_missed_calls",
    CALL_EVENT: "call",
    INCOMING_TODAY: "incoming_calls_today",
    OUTGOING_TODAY: "outgoing_calls_today",
    ANSWERED_TODAY: "answered_calls_today",
    MISSED_TODAY: "missed_calls_today",
    TALK_TIME_TODAY: "talk_time_today",
    CALLBACKS_TODO: "callbacks",
    CALL_STATE: "call_state",
}
"""Entity id -> its key (unique id suffix and translation key): the line's own entities."""

DISABLED_BY_DEFAULT = {OUTGOING_TODAY, MISSED_TODAY}

RESTORED_SENSORS = (
    LAST_CALLER,
    MISSED_CALLS,
    LAST_MISSED_CALLER,
    LAST_CALL_DURATION,
    LAST_FAX_SENDER,
)

UUID = "f615986c-2001-11e5-bdee-6599352d46ce"
CALLER = "90532000000"
CALL_TIME = datetime(2015, 7, 1, 15, 0, 51, 86820, tzinfo=UTC)
"""The vendor examples' timestamp 1435762851086820 (microseconds)."""
HANGUP_TIME = datetime(2021, 2, 25, 13, 59, 42, tzinfo=UTC)
"""The call_hangup example's timestamp 1614261582000000."""

CDR_URL = (
    "https://oim.bulutfon.com/account/pbx/call-records/2021/02/25/"
    "f615986c-2001-11e5-bdee-6599352d46ce"
)
CDR_API_URL = (
    "https://api.bulutfon.com/v2/cdr/2021/02/25/f615986c-2001-11e5-bdee-6599352d46ce"
)

TRANSLATIONS = (
    Path(__file__).parents[1] / "custom_components" / "bulutfon" / "translations"
)


def vendor(name: str, **changes: Any) -> dict[str, Any]:
    """A vendor example as a dict, with some fields changed (None removes a field)."""
    body = json.loads(VENDOR_EXAMPLES[name])
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def state(hass: HomeAssistant, entity_id: str) -> State:
    """The entity's state, which must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current


def attributes(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """The entity's attributes without the friendly name."""
    return {
        key: value
        for key, value in state(hass, entity_id).attributes.items()
        if key != ATTR_FRIENDLY_NAME
    }


def call_attributes(
    *,
    uuid: str = UUID,
    destination: str | None = None,
    time: datetime = CALL_TIME,
    callee: str = NUMBER,
    direction: str | None = "in",
    caller: str | None = CALLER,
    caller_name: str | None = None,
) -> dict[str, Any]:
    """The attributes of a last-caller style sensor: digits, and codes in lower case."""
    return {
        "caller": caller,
        "caller_name": caller_name,
        "callee": callee,
        "callee_name": None,
        "direction": direction,
        "destination": destination,
        "time": time,
        "uuid": uuid,
    }


HANGUP_ATTRIBUTES = {
    "caller": CALLER,
    "caller_name": None,
    "callee": NUMBER,
    "callee_name": None,
    "hangup_cause": "normal_clearing",
    "hangup_detail": "send_bye",
    "result_disposition": "success",
    "cdr_url": CDR_URL,
    "cdr_api_url": CDR_API_URL,
    "time": HANGUP_TIME,
    "uuid": UUID,
}


class Writes:
    """Records state writes of the Bulutfon entities, per POST."""

    def __init__(self) -> None:
        """Nothing recorded yet."""
        self.calls: list[str] = []
        self.changed: list[str] = []
        self.reported: list[str] = []

    def clear(self) -> None:
        """Forget what was recorded."""
        self.calls.clear()
        self.changed.clear()
        self.reported.clear()

    def check_once(self) -> set[str]:
        """Every entity was written at most once; return which were written."""
        assert len(self.calls) == len(set(self.calls)), self.calls
        assert sorted(self.changed) == sorted(self.calls)
        assert not self.reported
        return set(self.calls)


@pytest.fixture
def writes(hass: HomeAssistant) -> Generator[Writes]:
    """Count async_write_ha_state calls and state events of the Bulutfon entities."""
    recorder = Writes()
    original = Entity.async_write_ha_state

    def counting(self: Entity) -> None:
        if self.platform is not None and self.platform.platform_name == DOMAIN:
            recorder.calls.append(self.entity_id)
        original(self)

    @callback
    def ours(event_data: Any) -> bool:
        return f"bulutfon_{NUMBER}_" in event_data["entity_id"]

    @callback
    def on_changed(event: Event[Any]) -> None:
        recorder.changed.append(event.data["entity_id"])

    @callback
    def on_reported(event: Event[Any]) -> None:
        recorder.reported.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, on_changed, event_filter=ours)
    hass.bus.async_listen(EVENT_STATE_REPORTED, on_reported, event_filter=ours)
    with pytest.MonkeyPatch.context() as patcher:
        patcher.setattr(Entity, "async_write_ha_state", counting)
        yield recorder


async def posted(post: Post, body: dict[str, Any], **kwargs: Any) -> None:
    """POST a body and insist that it was accepted."""
    response = await post(body, **kwargs)
    assert response.status == HTTPStatus.OK


# --- initial state ---------------------------------------------------------------------


async def test_initial_states(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """A new line: idle, no calls, nothing missed, no last values yet."""
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, MISSED_CALLS).state == "0"
    for entity_id in (
        LAST_CALLER,
        LAST_MISSED_CALLER,
        LAST_CALL_DURATION,
        LAST_FAX_SENDER,
    ):
        assert state(hass, entity_id).state == STATE_UNKNOWN
        assert attributes(hass, entity_id).keys() <= {
            ATTR_UNIT_OF_MEASUREMENT,
            ATTR_DEVICE_CLASS,
            "state_class",
        }
    assert state(hass, CALL_EVENT).state == STATE_UNKNOWN
    assert state(hass, CALL_EVENT).attributes["event_type"] is None
    assert state(hass, CALL_EVENT).attributes["event_types"] == ALL_EVENT_TYPES
    assert state(hass, RESET_BUTTON).state == STATE_UNKNOWN
    duration = state(hass, LAST_CALL_DURATION).attributes
    assert duration[ATTR_UNIT_OF_MEASUREMENT] == "min"
    assert duration[ATTR_DEVICE_CLASS] == "duration"


# --- a realistic call, step by step ------------------------------------------------------


async def test_answered_call_step_by_step(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, writes: Writes
) -> None:
    """Start -> menu -> group -> extension -> hangup: every entity, after every step."""
    bus_events = async_capture_events(hass, EVENT_BULUTFON)

    writes.clear()
    await posted(post, VENDOR_EXAMPLES["call_init"])
    assert writes.check_once() == {
        LINE_BUSY,
        CALL_STATE,
        ACTIVE_CALLS,
        LAST_CALLER,
        CALL_EVENT,
        INCOMING_TODAY,
    }
    assert state(hass, INCOMING_TODAY).state == "1"
    assert state(hass, LINE_BUSY).state == STATE_ON
    assert state(hass, ACTIVE_CALLS).state == "1"
    assert state(hass, LAST_CALLER).state == CALLER
    assert attributes(hass, LAST_CALLER) == call_attributes()
    assert state(hass, LAST_CALL_DURATION).state == STATE_UNKNOWN
    assert state(hass, MISSED_CALLS).state == "0"

    # Each routing step moves the call on: the last caller's destination, the event
    # entity and the place it left or reached change; the line and counts are not
    # rewritten. A group or an extension seen for the first time gets its entity.
    for name, destination, canonical, moved in (
        ("call_init_menu", "10", "call_init_menu", set()),
        ("incoming_call_group", "111", "call_init_group", {GROUP_111}),
        (
            "incoming_call_extension",
            "1000",
            "call_init_extension",
            {GROUP_111, EXTENSION_1000},
        ),
    ):
        writes.clear()
        await posted(post, VENDOR_EXAMPLES[name])
        assert writes.check_once() == {LAST_CALLER, CALL_EVENT, *moved}, name
        assert state(hass, LINE_BUSY).state == STATE_ON
        assert state(hass, ACTIVE_CALLS).state == "1"
        assert state(hass, LAST_CALLER).state == CALLER
        assert attributes(hass, LAST_CALLER) == call_attributes(destination=destination)
        assert state(hass, CALL_EVENT).attributes["event_type"] == canonical
        assert state(hass, CALL_EVENT).attributes["destination"] == destination
        if name == "incoming_call_group":
            assert state(hass, GROUP_111).state == "1"
    assert state(hass, GROUP_111).state == "0"
    assert state(hass, EXTENSION_1000).state == STATE_ON
    assert attributes(hass, EXTENSION_1000) == {
        "caller": CALLER,
        "caller_name": None,
        "since": CALL_TIME,
        "calls": 1,
    }

    writes.clear()
    await posted(post, VENDOR_EXAMPLES["call_hangup"])
    assert writes.check_once() == {
        LINE_BUSY,
        CALL_STATE,
        ACTIVE_CALLS,
        LAST_CALL_DURATION,
        CALL_EVENT,
        EXTENSION_1000,
        ANSWERED_TODAY,
        TALK_TIME_TODAY,
    }
    assert state(hass, EXTENSION_1000).state == STATE_OFF
    assert attributes(hass, EXTENSION_1000) == {}
    assert state(hass, ANSWERED_TODAY).state == "1"
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    duration = state(hass, LAST_CALL_DURATION)
    assert duration.state == "0.58334"
    assert duration.attributes[ATTR_UNIT_OF_MEASUREMENT] == "min"
    assert duration.attributes[ATTR_DEVICE_CLASS] == "duration"
    assert {
        key: duration.attributes[key] for key in HANGUP_ATTRIBUTES
    } == HANGUP_ATTRIBUTES
    # The last caller stays the caller of the answered call.
    assert state(hass, LAST_CALLER).state == CALLER
    assert attributes(hass, LAST_CALLER) == call_attributes(destination="1000")
    assert state(hass, MISSED_CALLS).state == "0"
    assert state(hass, LAST_MISSED_CALLER).state == STATE_UNKNOWN

    assert [event.data["type"] for event in bus_events] == [
        "call_init",
        "call_init_menu",
        "call_init_group",
        "call_init_extension",
        "call_hangup",
    ]

    # The same hangup again is a repeat: nothing is written.
    writes.clear()
    await posted(post, VENDOR_EXAMPLES["call_hangup"])
    assert writes.check_once() == set()
    assert len(bus_events) == 5


async def test_missed_call(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, writes: Writes
) -> None:
    """A call that nobody answers: counted once, its caller shown, the line idle again."""
    uuid = "missed-1"
    await posted(post, vendor("call_init", uuid=uuid))
    assert state(hass, LINE_BUSY).state == STATE_ON

    writes.clear()
    await posted(post, vendor("missing_call", uuid=uuid, caller=905321112233))
    assert writes.check_once() == {
        LINE_BUSY,
        CALL_STATE,
        ACTIVE_CALLS,
        MISSED_CALLS,
        LAST_MISSED_CALLER,
        CALL_EVENT,
        CALLBACKS_TODO,
    }
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, MISSED_CALLS).state == "1"
    assert state(hass, CALLBACKS_TODO).state == "1"
    # The state reads as people write the number; the attributes keep its digits.
    assert state(hass, LAST_MISSED_CALLER).state == "0532 111 22 33"
    assert attributes(hass, LAST_MISSED_CALLER) == call_attributes(
        uuid=uuid, caller="905321112233"
    )
    # A missed call has no talk duration.
    assert state(hass, LAST_CALL_DURATION).state == STATE_UNKNOWN

    await posted(post, vendor("missing_call", uuid="missed-2"))
    assert state(hass, MISSED_CALLS).state == "2"
    assert state(hass, LAST_MISSED_CALLER).state == CALLER


async def test_fax(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, writes: Writes
) -> None:
    """A fax shows its sender and does not touch the line."""
    writes.clear()
    await posted(post, vendor("fax_init", uuid="fax-1", caller="+90 212 000 00 00"))
    assert writes.check_once() == {LAST_FAX_SENDER, CALL_EVENT}
    assert state(hass, LAST_FAX_SENDER).state == "0212 000 00 00"
    assert attributes(hass, LAST_FAX_SENDER) == call_attributes(
        uuid="fax-1", caller="902120000000"
    )
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, LAST_CALLER).state == STATE_UNKNOWN


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("call_init", "call_init"),
        ("incoming_call_extension", "call_init_extension"),
        ("incoming_call_group", "call_init_group"),
        ("call_init_menu", "call_init_menu"),
        ("call_hangup", "call_hangup"),
        ("fax_init", "fax_init"),
        ("missing_call", "missing_call"),
    ],
)
async def test_event_entity(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    post: Post,
    name: str,
    canonical: str,
) -> None:
    """The event entity fires with the canonical type and the event's fields."""
    before = dt_util.utcnow()
    await posted(post, VENDOR_EXAMPLES[name])
    event = state(hass, CALL_EVENT)
    assert event.state != STATE_UNKNOWN
    assert dt_util.parse_datetime(event.state) >= before.replace(microsecond=0)
    body = json.loads(VENDOR_EXAMPLES[name])
    expected = {
        "event_type": canonical,
        "event_types": ALL_EVENT_TYPES,
        "uuid": UUID,
        "caller": CALLER,
        "caller_name": None,
        "callee": NUMBER,
        "callee_name": None,
        # Codes in the lower case their translations need; bulutfon_event keeps "IN".
        "direction": "in",
        "destination": None if "destination" not in body else str(body["destination"]),
        "timestamp": (HANGUP_TIME if name == "call_hangup" else CALL_TIME).isoformat(),
        "domain_id": "1234" if "domain_id" in body else None,
        "account_id": "5678" if "account_id" in body else None,
        "talk_duration": body.get("talk_duration"),
        "autodial": None,
        "hangup_cause": body.get("hangup_cause", "").lower() or None,
        "hangup_detail": body.get("hangup_detail"),
        "result_disposition": body.get("result_disposition", "").lower() or None,
        "additional_data": None,
        "callback_url": None,
        "cdr_url": body.get("cdr_url"),
        "cdr_api_url": body.get("cdr_api_url"),
        "number": NUMBER,
    }
    # Fields the event did not carry are left out.
    assert attributes(hass, CALL_EVENT) == {
        key: value for key, value in expected.items() if value is not None
    }


async def test_unknown_event_type_changes_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, writes: Writes
) -> None:
    """An event type Bulutfon may add later is accepted but changes no entity."""
    writes.clear()
    await posted(post, vendor("call_init", event_type="call_transfer", uuid="new-type"))
    assert writes.check_once() == set()
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, CALL_EVENT).state == STATE_UNKNOWN


async def test_outgoing_call_does_not_change_last_caller(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, writes: Writes
) -> None:
    """An outgoing call busies the line but the last caller stays the last incoming one."""
    await posted(post, VENDOR_EXAMPLES["call_init"])
    await posted(post, VENDOR_EXAMPLES["call_hangup"])

    writes.clear()
    await posted(
        post,
        vendor(
            "call_init",
            uuid="out-1",
            direction="OUT",
            caller=int(NUMBER),
            callee=905559998877,
        ),
    )
    assert writes.check_once() == {LINE_BUSY, CALL_STATE, ACTIVE_CALLS, CALL_EVENT}
    assert state(hass, LINE_BUSY).state == STATE_ON
    assert state(hass, LAST_CALLER).state == CALLER
    assert attributes(hass, LAST_CALLER) == call_attributes()
    assert state(hass, CALL_EVENT).attributes["direction"] == "out"

    # A start without a direction counts as incoming.
    await posted(post, vendor("call_init", uuid="in-2", direction=None, caller=905551))
    assert state(hass, LAST_CALLER).state == "905551"
    assert attributes(hass, LAST_CALLER) == call_attributes(
        uuid="in-2", direction=None, caller="905551"
    )
    assert state(hass, ACTIVE_CALLS).state == "2"


@pytest.mark.parametrize(
    "entry_options",
    [
        {
            "events": [
                "call_init",
                "call_init_extension",
                "call_init_group",
                "call_init_menu",
                "fax_init",
            ]
        }
    ],
)
async def test_line_follows_unselected_ends(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Ends the user did not select still free the line, but change nothing else."""
    bus_events = async_capture_events(hass, EVENT_BULUTFON)
    await posted(post, VENDOR_EXAMPLES["call_init"])
    await posted(post, vendor("call_init", uuid="second"))
    assert state(hass, ACTIVE_CALLS).state == "2"

    await posted(post, VENDOR_EXAMPLES["call_hangup"])
    await posted(post, vendor("missing_call", uuid="second"))
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, LAST_CALL_DURATION).state == STATE_UNKNOWN
    assert state(hass, MISSED_CALLS).state == "0"
    assert state(hass, LAST_MISSED_CALLER).state == STATE_UNKNOWN
    # Unselected types are not fired, on the bus or by the event entity.
    assert [event.data["type"] for event in bus_events] == ["call_init", "call_init"]
    assert state(hass, CALL_EVENT).attributes["event_type"] == "call_init"


@pytest.mark.parametrize("entry_options", [{"events": ["call_hangup", "missing_call"]}])
async def test_line_follows_unselected_starts(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Starts the user did not select still busy the line; the last caller stays."""
    await posted(post, VENDOR_EXAMPLES["call_init"])
    assert state(hass, LINE_BUSY).state == STATE_ON
    assert state(hass, LAST_CALLER).state == STATE_UNKNOWN
    await posted(post, VENDOR_EXAMPLES["call_hangup"])
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, LAST_CALL_DURATION).state == "0.58334"


async def test_end_before_start_keeps_line_idle(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, writes: Writes
) -> None:
    """A hangup that overtakes its call's start: the late start does not re-open it."""
    await posted(post, VENDOR_EXAMPLES["call_hangup"])
    assert state(hass, LAST_CALL_DURATION).state == "0.58334"

    writes.clear()
    await posted(post, VENDOR_EXAMPLES["call_init"])
    await posted(post, VENDOR_EXAMPLES["incoming_call_extension"])
    assert LINE_BUSY not in writes.calls
    assert ACTIVE_CALLS not in writes.calls
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    # It was still a call from that caller.
    assert state(hass, LAST_CALLER).state == CALLER


# --- reset button ----------------------------------------------------------------------


async def test_reset_button(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """The button sets the count to 0; a re-delivered counted call stays uncounted."""
    await posted(post, vendor("missing_call", uuid="m1"))
    await posted(post, vendor("missing_call", uuid="m2"))
    assert state(hass, MISSED_CALLS).state == "2"

    await hass.services.async_call(
        "button", "press", {"entity_id": RESET_BUTTON}, blocking=True
    )
    assert state(hass, MISSED_CALLS).state == "0"
    assert state(hass, RESET_BUTTON).state != STATE_UNKNOWN
    # The last missed caller is history, not a count: it stays.
    assert state(hass, LAST_MISSED_CALLER).state == CALLER

    await posted(post, vendor("missing_call", uuid="m1"))
    assert state(hass, MISSED_CALLS).state == "0"
    await posted(post, vendor("missing_call", uuid="m3"))
    assert state(hass, MISSED_CALLS).state == "1"


# --- two numbers ---------------------------------------------------------------------------


async def test_two_entries_do_not_hear_each_other(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """Each number's webhook changes only that number's entities."""
    other_number = "902129990000"
    other_webhook = "fedcba9876543210" * 4
    other = make_entry(number=other_number, webhook_id=other_webhook)
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()
    other_busy = f"binary_sensor.bulutfon_{other_number}_line_busy"
    other_missed = f"sensor.bulutfon_{other_number}_missed_calls"
    other_event = f"event.bulutfon_{other_number}_call"

    await posted(post, vendor("call_init", uuid="a"), webhook_id=other_webhook)
    await posted(post, vendor("missing_call", uuid="b"), webhook_id=other_webhook)
    assert state(hass, other_busy).state == STATE_ON
    assert state(hass, other_missed).state == "1"
    assert state(hass, other_event).attributes["number"] == other_number
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, MISSED_CALLS).state == "0"
    assert state(hass, CALL_EVENT).state == STATE_UNKNOWN

    await posted(post, vendor("call_init", uuid="c"), webhook_id=WEBHOOK_ID)
    assert state(hass, LINE_BUSY).state == STATE_ON
    assert state(hass, ACTIVE_CALLS).state == "1"
    assert state(hass, f"sensor.bulutfon_{other_number}_active_calls").state == "1"

    # The same uuid on both lines is two different calls.
    await posted(post, vendor("call_hangup", uuid="a"), webhook_id=WEBHOOK_ID)
    assert state(hass, other_busy).state == STATE_ON
    assert state(hass, LAST_CALL_DURATION).state == "0.58334"
    assert state(hass, f"sensor.bulutfon_{other_number}_last_call_duration").state == (
        STATE_UNKNOWN
    )


# --- names, registry ---------------------------------------------------------------------


def test_every_entity_name_has_a_turkish_translation() -> None:
    """tr.json names every entity (and event type state) that en.json names."""
    english = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    turkish = json.loads((TRANSLATIONS / "tr.json").read_text(encoding="utf-8"))
    keys = 0
    for platform, entities in english["entity"].items():
        for key, texts in entities.items():
            tr_texts = turkish["entity"][platform][key]
            keys += 1
            if "name" not in texts:  # an extension: named after its device
                assert "name" not in tr_texts
                continue
            assert tr_texts["name"].strip(), (platform, key)
            assert tr_texts["name"] != texts["name"], (platform, key)
    # The line's own entities, a group's, an extension's, a Hipcall user's and team's, a
    # user's call-back button (with an API token, tests/test_hipcall_account.py); the
    # routing sensors exist only while call routing is on (tests/test_routing_ha.py).
    assert keys == len(ALL_ENTITIES) + 5 + len(ROUTE_SENSORS)
    states = english["entity"]["event"]["call"]["state_attributes"]["event_type"][
        "state"
    ]
    tr_states = turkish["entity"]["event"]["call"]["state_attributes"]["event_type"][
        "state"
    ]
    # Every type either platform sends: classic's, and Hipcall's call_answered.
    assert tr_states.keys() == states.keys() == set(EventType)


async def test_turkish_names(hass: HomeAssistant) -> None:
    """With Home Assistant in Turkish, the entities have Turkish names."""
    hass.config.language = "tr"
    config_entry = await setup_entry(hass)

    registry = er.async_get(hass)
    names = {}
    for entity in er.async_entries_for_config_entry(registry, config_entry.entry_id):
        key = entity.unique_id.removeprefix(f"{NUMBER}_")
        if entity.disabled_by is not None:
            names[key] = entity.original_name
        else:
            names[key] = state(hass, entity.entity_id).attributes[ATTR_FRIENDLY_NAME]
    device = "Bulutfon 0850 885 00 00"
    assert names == {
        "line_busy": f"{device} Hat",
        "active_calls": f"{device} Aktif aramalar",
        "last_caller": f"{device} Son arayan",
        "missed_calls": f"{device} Cevapsız aramalar",  # noqa: RUF001
        "last_missed_caller": f"{device} Son cevapsız arama",  # noqa: RUF001
        "last_call_duration": f"{device} Son görüşme süresi",
        "last_fax_sender": f"{device} Son faks gönderen",
        "reset_missed_calls": f"{device} Cevapsız aramaları sıfırla",  # noqa: RUF001
        "call": f"{device} Arama",
        "incoming_calls_today": f"{device} Günlük gelen aramalar",
        "outgoing_calls_today": "Günlük giden aramalar",
        "answered_calls_today": f"{device} Günlük cevaplanan aramalar",
        "missed_calls_today": "Günlük cevapsız aramalar",  # noqa: RUF001
        "talk_time_today": f"{device} Günlük konuşma süresi",
        "callbacks": f"{device} Geri aranacak çağrılar",  # noqa: RUF001
        "call_state": f"{device} Arama durumu",
    }
    # Home Assistant translates no device model: it is written in its language.
    line = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), config_entry.entry_id
    )
    assert line is not None
    assert line.model == "Bulut santral"


async def test_english_names(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """In English the entity ids and names are the documented ones."""
    assert state(hass, LINE_BUSY).attributes[ATTR_FRIENDLY_NAME] == (
        "Bulutfon 0850 885 00 00 Line"
    )
    assert state(hass, LAST_CALL_DURATION).attributes[ATTR_FRIENDLY_NAME] == (
        "Bulutfon 0850 885 00 00 Last call duration"
    )


async def test_entity_registry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unique ids, one device, translation keys and categories."""
    registry = er.async_get(hass)
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, NUMBER), entry.entry_id
    )
    assert device is not None
    entities = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert {entity.entity_id for entity in entities} == set(ALL_ENTITIES)
    for entity in entities:
        key = ALL_ENTITIES[entity.entity_id]
        assert entity.unique_id == f"{NUMBER}_{key}"
        assert entity.translation_key == key
        assert entity.device_id == device.id
        assert entity.has_entity_name
        assert entity.platform == DOMAIN
        assert (entity.disabled_by is not None) is (
            entity.entity_id in DISABLED_BY_DEFAULT
        )
    assert {
        entity.entity_id
        for entity in er.async_entries_for_device(
            registry, device.id, include_disabled_entities=True
        )
    } == set(ALL_ENTITIES)
    assert state(hass, ACTIVE_CALLS).attributes["state_class"] == "measurement"
    assert state(hass, MISSED_CALLS).attributes["state_class"] == "total_increasing"


# --- many calls at once -----------------------------------------------------------------


async def test_200_concurrent_calls(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """200 calls posted at once, then all hung up: exact counts, nothing lost."""
    bus_events = async_capture_events(hass, EVENT_BULUTFON)
    busy_changes: list[str] = []

    @callback
    def on_changed(event: Event[Any]) -> None:
        if event.data["entity_id"] == LINE_BUSY:
            busy_changes.append(event.data["new_state"].state)

    hass.bus.async_listen(EVENT_STATE_CHANGED, on_changed)
    uuids = [f"call-{index}" for index in range(200)]

    responses = await asyncio.gather(
        *(
            post(vendor("call_init", uuid=uuid, caller=900 + i))
            for i, uuid in enumerate(uuids)
        )
    )
    assert {response.status for response in responses} == {HTTPStatus.OK}
    assert state(hass, ACTIVE_CALLS).state == "200"
    assert state(hass, LINE_BUSY).state == STATE_ON

    responses = await asyncio.gather(
        *(post(vendor("call_hangup", uuid=uuid)) for uuid in uuids)
    )
    assert {response.status for response in responses} == {HTTPStatus.OK}
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert len(bus_events) == 400
    assert {event.data["uuid"] for event in bus_events} == set(uuids)
    line: PhoneLine = entry.runtime_data
    assert line.accepted == 400
    assert line.duplicates == 0
    # The line went busy once and idle once, not once per call.
    assert busy_changes == [STATE_ON, STATE_OFF]


# --- restore after restart ---------------------------------------------------------------


async def test_restore_after_restart(hass: HomeAssistant, late_post: Post) -> None:
    """Saved values come back with their attributes; the line starts idle."""
    saved_call = {
        "caller": "905551112233",
        "callee": NUMBER,
        "direction": "IN",
        "destination": "1000",
        "time": "2026-01-02T03:04:05+00:00",
        "uuid": "before-restart",
    }
    saved_missed = {**saved_call, "caller": "905554445566", "uuid": "missed-before"}
    saved_fax = {"caller": "902120000000", "callee": NUMBER, "uuid": "fax-before"}
    saved_result = {
        "talk_duration": 125,
        "caller": "905551112233",
        "callee": NUMBER,
        "hangup_cause": "NORMAL_CLEARING",
        "hangup_detail": "send_bye",
        "result_disposition": "SUCCESS",
        "cdr_url": CDR_URL,
        "cdr_api_url": CDR_API_URL,
        "time": "2026-01-02T03:06:10+00:00",
        "uuid": "before-restart",
    }
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(LAST_CALLER, "905551112233"), {"value": saved_call}),
            (State(MISSED_CALLS, "7"), {"value": 7}),
            (State(LAST_MISSED_CALLER, "905554445566"), {"value": saved_missed}),
            (State(LAST_CALL_DURATION, "125"), {"value": saved_result}),
            (State(LAST_FAX_SENDER, "902120000000"), {"value": saved_fax}),
            # A line that was busy when Home Assistant stopped.
            (State(ACTIVE_CALLS, "3"), {"value": 3}),
            (State(LINE_BUSY, STATE_ON), {}),
        ],
    )
    await setup_entry(hass)

    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, MISSED_CALLS).state == "7"
    assert state(hass, LAST_CALLER).state == "0555 111 22 33"
    assert attributes(hass, LAST_CALLER) == call_attributes(
        caller="905551112233",
        uuid="before-restart",
        destination="1000",
        time=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert state(hass, LAST_MISSED_CALLER).state == "0555 444 55 66"
    assert attributes(hass, LAST_MISSED_CALLER) == call_attributes(
        caller="905554445566",
        uuid="missed-before",
        destination="1000",
        time=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert state(hass, LAST_FAX_SENDER).state == "0212 000 00 00"
    fax = attributes(hass, LAST_FAX_SENDER)
    assert fax["uuid"] == "fax-before"
    assert fax["direction"] is None
    assert fax["time"] is None
    duration = state(hass, LAST_CALL_DURATION)
    assert duration.state == "2.08334"
    assert {key: duration.attributes[key] for key in HANGUP_ATTRIBUTES} == {
        **HANGUP_ATTRIBUTES,
        "caller": "905551112233",
        "time": datetime(2026, 1, 2, 3, 6, 10, tzinfo=UTC),
        "uuid": "before-restart",
    }

    # The hangup of a call that began before the restart: harmless.
    await posted(
        late_post, vendor("call_hangup", uuid="before-restart", talk_duration=240)
    )
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, LAST_CALL_DURATION).state == "4.0"
    # Counting goes on from the restored value.
    await posted(late_post, vendor("missing_call", uuid="after-restart"))
    assert state(hass, MISSED_CALLS).state == "8"


async def test_restore_round_trip(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """What the entities save, as JSON on disk, brings the same states back."""
    await posted(post, VENDOR_EXAMPLES["call_init"])
    await posted(post, VENDOR_EXAMPLES["call_hangup"])
    await posted(post, vendor("missing_call", uuid="m1", caller=905551))
    await posted(post, vendor("fax_init", uuid="f1", caller=902120000000))
    await posted(post, vendor("call_init", uuid="open", caller=905559))
    before = {entity_id: state(hass, entity_id) for entity_id in RESTORED_SENSORS}
    assert state(hass, LINE_BUSY).state == STATE_ON

    # What Home Assistant writes to .storage/core.restore_state at shutdown.
    dump = json.loads(
        json_dumps(
            [
                stored.as_dict()
                for stored in rs.async_get(hass).async_get_stored_states()
                if stored.state.entity_id in ALL_ENTITIES
            ]
        )
    )
    assert {item["state"]["entity_id"] for item in dump} >= set(RESTORED_SENSORS)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    # A fresh restore cache holding only what was dumped.
    mock_restore_cache_with_extra_data(
        hass,
        [(State.from_dict(item["state"]), item["extra_data"] or {}) for item in dump],
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    for entity_id, old in before.items():
        new = state(hass, entity_id)
        assert new.state == old.state, entity_id
        assert new.attributes == old.attributes, entity_id
    assert state(hass, MISSED_CALLS).state == "1"
    assert state(hass, LAST_CALLER).state == "905559"
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"


# --- Home Assistant's clock ------------------------------------------------------------


async def test_call_without_end_expires(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, late_post: Post
) -> None:
    """A start whose end never comes is dropped about 4 hours later, not before."""
    await setup_entry(hass)

    await posted(late_post, VENDOR_EXAMPLES["call_init"])
    assert state(hass, LINE_BUSY).state == STATE_ON

    freezer.tick(timedelta(hours=3, minutes=59))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, LINE_BUSY).state == STATE_ON
    assert state(hass, ACTIVE_CALLS).state == "1"

    freezer.tick(timedelta(minutes=16, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, LINE_BUSY).state == STATE_OFF
    assert state(hass, ACTIVE_CALLS).state == "0"
    # Its late hangup is harmless.
    await posted(late_post, VENDOR_EXAMPLES["call_hangup"])
    assert state(hass, ACTIVE_CALLS).state == "0"
    assert state(hass, LINE_BUSY).state == STATE_OFF


@pytest.mark.parametrize(("daily_reset", "after_midnight"), [(True, "0"), (False, "2")])
async def test_daily_reset(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    late_post: Post,
    daily_reset: bool,
    after_midnight: str,
) -> None:
    """With the option on, the missed count goes back to 0 at local midnight."""
    local_evening = datetime(
        2026, 3, 10, 23, 59, 0, tzinfo=dt_util.get_default_time_zone()
    )
    freezer.move_to(local_evening)
    await setup_entry(hass, daily_reset=daily_reset)

    await posted(late_post, vendor("missing_call", uuid="m1"))
    await posted(late_post, vendor("missing_call", uuid="m2"))
    freezer.move_to(local_evening + timedelta(seconds=58))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, MISSED_CALLS).state == "2"

    midnight = datetime(2026, 3, 11, 0, 0, 0, tzinfo=dt_util.get_default_time_zone())
    freezer.move_to(midnight)
    async_fire_time_changed(hass, midnight)
    await hass.async_block_till_done()
    assert state(hass, MISSED_CALLS).state == after_midnight
    assert state(hass, LAST_MISSED_CALLER).state == CALLER


# --- Many events at once ---------------------------------------------------------------


async def test_events_in_one_loop_turn_write_each_entity_once(
    hass: HomeAssistant, entry: MockConfigEntry, writes: Writes
) -> None:
    """Calls arriving together (a busy PBX) write each entity once, with its final state;
    the event entity still fires for every event."""
    line: PhoneLine = entry.runtime_data
    fired = async_capture_events(hass, EVENT_BULUTFON)
    for index in range(5):
        line.async_process(
            parse_body(json.dumps(vendor("call_init", uuid=f"c{index}")).encode())
        )
    await hass.async_block_till_done()
    assert len(fired) == 5
    assert writes.calls.count(ACTIVE_CALLS) == 1
    assert writes.calls.count(LINE_BUSY) == 1
    assert writes.calls.count(CALL_EVENT) == 5
    assert state(hass, ACTIVE_CALLS).state == "5"
    assert state(hass, LINE_BUSY).state == STATE_ON


async def test_automation_started_by_the_event_sees_the_new_states(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """What a bulutfon_event starts (an automation's actions) reads the updated entities."""
    seen: list[tuple[str, str]] = []

    async def on_event(event: Event[Any]) -> None:
        seen.append((state(hass, LINE_BUSY).state, state(hass, ACTIVE_CALLS).state))

    hass.bus.async_listen(EVENT_BULUTFON, on_event)
    await posted(post, vendor("call_init", uuid="a1"))
    await posted(post, vendor("call_hangup", uuid="a1"))
    assert seen == [(STATE_ON, "1"), (STATE_OFF, "0")]


# --- what a person reads -------------------------------------------------------------


@pytest.mark.parametrize(
    "entry_options", [{"phonebook": "0532 111 22 33 = Ayşe Kaya\n1000 = Resepsiyon"}]
)
async def test_callers_read_by_name_else_by_readable_number(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """A caller in the phone book is shown by name, others by their readable number;
    the attributes keep the digits and the name for automations."""
    await posted(post, vendor("call_init", uuid="call-1", caller=905321112233))
    assert state(hass, LAST_CALLER).state == "Ayşe Kaya"
    assert attributes(hass, LAST_CALLER)["caller"] == "905321112233"
    assert attributes(hass, LAST_CALLER)["caller_name"] == "Ayşe Kaya"

    await posted(post, vendor("missing_call", uuid="call-2", caller=442079460000))
    assert state(hass, LAST_MISSED_CALLER).state == "+44 20 7946 0000"
    assert attributes(hass, LAST_MISSED_CALLER)["caller"] == "442079460000"
    assert attributes(hass, LAST_MISSED_CALLER)["caller_name"] is None

    await posted(post, vendor("fax_init", uuid="fax-1", caller="1000"))
    assert state(hass, LAST_FAX_SENDER).state == "Resepsiyon"

    # bulutfon_event keeps the documented values for automations.
    events = async_capture_events(hass, EVENT_BULUTFON)
    await posted(post, vendor("call_hangup", uuid="call-1", caller=905321112233))
    assert events[-1].data["caller"] == "905321112233"
    assert events[-1].data["hangup_cause"] == "NORMAL_CLEARING"
    assert events[-1].data["direction"] == "IN"
    assert attributes(hass, CALL_EVENT)["hangup_cause"] == "normal_clearing"


async def test_unknown_codes_are_shown_as_sent(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post
) -> None:
    """A code without a translation keeps Bulutfon's spelling in the attributes."""
    await posted(
        post,
        vendor("call_hangup", hangup_cause="SOME_NEW_CAUSE", result_disposition="Odd"),
    )
    duration = attributes(hass, LAST_CALL_DURATION)
    assert duration["hangup_cause"] == "SOME_NEW_CAUSE"
    assert duration["result_disposition"] == "Odd"
    assert attributes(hass, CALL_EVENT)["hangup_cause"] == "SOME_NEW_CAUSE"


async def test_call_duration_is_no_measurement(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """One call's length is not averaged into statistics: no state class."""
    duration = attributes(hass, LAST_CALL_DURATION)
    assert "state_class" not in duration
    assert duration[ATTR_DEVICE_CLASS] == "duration"
    # In minutes, as the daily talk time is in hours: the frontend writes both as
    # durations ("3m 58s" / "6h 26m"; Turkish "3d 58sn" / "6s 26d"), so the Turkish
    # "s" never means seconds on one row and hours on the next (issue 32, item 7).
    assert duration[ATTR_UNIT_OF_MEASUREMENT] == "min"


def _frontend_minutes_and_seconds(state: str) -> tuple[int, int]:
    """What the frontend shows for a duration in minutes: it floors the minutes and
    takes the seconds from the fraction, floored too (its formatDurationDigital-free
    narrow style, as in hass_frontend 2026.10)."""
    value = float(state)
    minutes = math.floor(value)
    return minutes, math.floor(60 * (value - minutes))


def test_call_duration_reads_to_the_second() -> None:
    """Every talk time up to three hours reads as its own minutes and seconds: 238 s is
    "3m 58s", never the "3m 57s" that 238 / 60 = 3.9666… would read."""
    for seconds in range(3 * 3600):
        state = str(display_minutes(seconds))
        assert _frontend_minutes_and_seconds(state) == divmod(seconds, 60), seconds
        assert len(state.rsplit(".", maxsplit=1)[-1]) <= 5  # no long tail of digits


@pytest.mark.parametrize(
    ("language", "busy", "idle"), [("en", "Busy", "Idle"), ("tr", "Meşgul", "Boşta")]
)
async def test_line_reads_busy_or_idle(
    hass: HomeAssistant, entry: MockConfigEntry, language: str, busy: str, idle: str
) -> None:
    """The frontend shows the line's on/off as Busy/Idle, through entity translations."""
    strings = await translation.async_get_translations(
        hass, language, "entity", [DOMAIN]
    )
    key = f"component.{DOMAIN}.entity.binary_sensor.line_busy"
    assert strings[f"{key}.state.on"] == busy
    assert strings[f"{key}.state.off"] == idle
    registry_entry = er.async_get(hass).async_get(LINE_BUSY)
    assert registry_entry is not None
    assert registry_entry.translation_key == "line_busy"


# Home Assistant's own attributes, which the frontend names itself.
_BUILT_IN = {
    ATTR_FRIENDLY_NAME,
    ATTR_SUPPORTED_FEATURES,
    ATTR_UNIT_OF_MEASUREMENT,
    ATTR_DEVICE_CLASS,
    "state_class",
    "icon",
    "options",  # an enum sensor's states: translated as its states
}


@pytest.mark.parametrize("language", ["en", "tr"])
async def test_every_attribute_has_a_translated_name(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, language: str
) -> None:
    """After calls of every kind, each attribute any entity shows has a name, and each
    code value a word, in English and Turkish."""
    for name in VENDOR_EXAMPLES:
        await posted(post, vendor(name, uuid=f"call-{name}", autodial=True))
    await posted(post, vendor("call_init", uuid="out", direction="OUT"))
    await posted(post, vendor("call_init", uuid="local", direction="LOCAL"))
    strings = await translation.async_get_translations(
        hass, language, "entity", [DOMAIN]
    )
    registry = er.async_get(hass)
    shown = 0
    # The line's enabled entities, and the extension and group the calls reached.
    shown_entities = [
        registry_entry.entity_id
        for registry_entry in er.async_entries_for_config_entry(
            registry, entry.entry_id
        )
        if registry_entry.disabled_by is None
    ]
    assert EXTENSION_1000 in shown_entities
    assert GROUP_111 in shown_entities
    for entity_id in shown_entities:
        registry_entry = registry.async_get(entity_id)
        assert registry_entry is not None
        base = (
            f"component.{DOMAIN}.entity.{registry_entry.domain}."
            f"{registry_entry.translation_key}.state_attributes"
        )
        for attribute, value in state(hass, entity_id).attributes.items():
            if attribute in _BUILT_IN:
                continue
            assert f"{base}.{attribute}.name" in strings, (entity_id, attribute)
            shown += 1
            if attribute in CODE_ATTRIBUTES and value is not None:
                assert f"{base}.{attribute}.state.{value}" in strings, (
                    entity_id,
                    attribute,
                    value,
                )
    assert shown > 30


@pytest.mark.parametrize(
    "hidden",
    ["anonymous", "Anonymous", "sip:anonymous@anonymous.invalid", "Unknown", "private"],
)
async def test_hidden_caller_is_no_unknown_caller(
    hass: HomeAssistant, entry: MockConfigEntry, post: Post, hidden: str
) -> None:
    """A caller who withheld the number reads "Hidden number" ("Gizli numara"), not
    the Unknown of a line that has had no call; the next caller with a number shows."""
    assert state(hass, LAST_CALLER).state == STATE_UNKNOWN
    events = async_capture_events(hass, EVENT_BULUTFON)
    await posted(post, vendor("call_init", uuid="call-h", caller=hidden))
    assert state(hass, LAST_CALLER).state == "hidden_number"
    assert attributes(hass, LAST_CALLER).get("caller") is None
    assert events[-1].data["caller_hidden"] is True
    assert attributes(hass, CALL_EVENT)["caller_hidden"] is True
    await posted(post, vendor("missing_call", uuid="call-h", caller=hidden))
    assert state(hass, LAST_MISSED_CALLER).state == "hidden_number"

    await posted(post, vendor("call_init", uuid="call-2", caller=905321234567))
    assert state(hass, LAST_CALLER).state == "0532 123 45 67"
    assert events[-1].data["caller_hidden"] is None
