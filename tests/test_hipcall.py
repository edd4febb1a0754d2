"""Tests for the Hipcall webhook protocol: raw body in, one normalised event (or none) out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import orjson
import pytest

from custom_components.bulutfon.hipcall import (
    event_from_call_record,
    parse_hipcall_body,
)
from custom_components.bulutfon.protocol import (
    MAX_BODY_BYTES,
    MAX_ID_LENGTH,
    MAX_MEDIA_URL_LENGTH,
    BulutfonEvent,
    EventType,
    PayloadError,
)

from .vendor import HIPCALL_EXAMPLES, VENDOR_EXAMPLES

JSON = "application/json"
UUID = "5f0c2b9e-8a41-4c3e-9d27-1b6e0a7c3f42"
STARTED = datetime(2024, 11, 17, 10, 41, tzinfo=UTC)
BRIDGED = datetime(2024, 11, 17, 10, 41, 12, tzinfo=UTC)
ENDED = datetime(2024, 11, 17, 10, 43, tzinfo=UTC)
RECORD = "https://records.hipcall.example/5f0c2b9e.mp3?X-Amz-Expires=604800&X-Amz-Signature=0f3a9c"
VOICEMAIL = "https://records.hipcall.example/vm/88.mp3?X-Amz-Expires=604800&X-Amz-Signature=7be21d"

PHONE_FIELDS = ("caller", "callee", "destination")
TEXT_LIMITS = {
    "event_type": MAX_ID_LENGTH,
    "uuid": MAX_ID_LENGTH,
    "direction": MAX_ID_LENGTH,
    "account_id": MAX_ID_LENGTH,
    "hangup_cause": MAX_ID_LENGTH,
    "hangup_detail": MAX_ID_LENGTH,
    "result_disposition": MAX_ID_LENGTH,
    "user_id": MAX_ID_LENGTH,
    "team_id": MAX_ID_LENGTH,
    "record_url": MAX_MEDIA_URL_LENGTH,
    "voicemail_url": MAX_MEDIA_URL_LENGTH,
}

# Every field of Hipcall's call records (vendor/hipcall.md), and the 2023 envelope's.
CALL_FIELDS = (
    "uuid",
    "number_id",
    "channel_id",
    "channel_type",
    "user_id",
    "caller_id",
    "callee_id",
    "contact_id",
    "company_id",
    "related_id",
    "related_type",
    "caller_number",
    "callee_number",
    "caller_type",
    "callee_type",
    "direction",
    "started_at",
    "answered_at",
    "bridged_at",
    "ended_at",
    "call_duration",
    "first_touch_duration",
    "missing_call",
    "missing_call_reason",
    "hangup_by",
    "record_url",
    "voicemail_id",
    "voicemail_url",
    "voicemail_type",
    "callback_time",
    "callback_user_id",
    "callback_cdr_uuid",
    "team_touch_at",
    "credited",
    "call_flow",
)
OLD_FIELDS = (
    "event_type",
    "state",
    "uuid",
    "startstamp",
    "timestamp",
    "direction",
    "account_id",
    "contact_number",
    "number_id",
    "number",
    "user_id",
)
CALL_NAMES = ("call_init", "call_bridged", "call_hangup", "call::init", "call::hangup")


def example(name: str) -> dict[str, Any]:
    """A fixture as a dict, to vary."""
    data: dict[str, Any] = json.loads(HIPCALL_EXAMPLES[name])
    return data


def parse(payload: Any) -> BulutfonEvent | None:
    """Parse a JSON body made of `payload`."""
    return parse_hipcall_body(json.dumps(payload).encode(), JSON)


def parsed(payload: Any) -> BulutfonEvent:
    """Parse a JSON body that must be a call event."""
    event = parse(payload)
    assert event is not None
    check_event(event)
    return event


def with_data(name: str, **fields: Any) -> dict[str, Any]:
    """A fixture with some of its data fields changed."""
    payload = example(name)
    payload["data"].update(fields)
    return payload


def check_event(event: BulutfonEvent) -> None:
    """What every event must be, whatever was sent: bounded, storable, JSON-safe."""
    for field in PHONE_FIELDS:
        value = getattr(event, field)
        assert value is None or (value.isascii() and value.isdigit()), (field, value)
    for field, limit in TEXT_LIMITS.items():
        value = getattr(event, field)
        if value is not None:
            assert isinstance(value, str)
            value.encode("utf-8")  # raises on a lone surrogate
            assert "\x00" not in value
            assert len(value) <= limit, field
    assert event.talk_duration is None or event.talk_duration >= 0
    assert event.timestamp is None or event.timestamp.utcoffset() == timedelta(0)
    assert event.answered in (None, True, False)
    data = event.as_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert orjson.loads(orjson.dumps(data)) == data


# --- the vendor-shaped examples ------------------------------------------------------------


def test_inbound_call_init_waits_at_its_team() -> None:
    """A call from a contact rings team 7: started, not answered, no talk time yet."""
    assert parsed(example("hipcall_call_init")) == BulutfonEvent(
        event_type="call_init",
        type=EventType.CALL_INIT,
        uuid=UUID,
        caller="905321234567",
        callee="908508850000",
        direction="IN",
        timestamp=STARTED,
        answered=False,
        team_id="7",
    )


def test_call_bridged_is_the_answer_by_a_user() -> None:
    """call_bridged: answered by user 12, at the bridge time."""
    assert parsed(example("hipcall_call_bridged")) == BulutfonEvent(
        event_type="call_bridged",
        type=EventType.CALL_ANSWERED,
        uuid=UUID,
        caller="905321234567",
        callee="908508850000",
        direction="IN",
        timestamp=BRIDGED,
        answered=True,
        user_id="12",
    )


def test_call_hangup_counts_talk_from_the_bridge() -> None:
    """Talk time is ended_at - bridged_at (108 s), not call_duration (120 s, with ringing);
    hangup_by is the end reason, the recording link is kept."""
    assert parsed(example("hipcall_call_hangup")) == BulutfonEvent(
        event_type="call_hangup",
        type=EventType.CALL_HANGUP,
        uuid=UUID,
        caller="905321234567",
        callee="908508850000",
        direction="IN",
        timestamp=ENDED,
        talk_duration=108,
        hangup_cause="contact",
        result_disposition="SUCCESS",
        answered=True,
        user_id="12",
        record_url=RECORD,
    )


def test_missed_call_with_voicemail() -> None:
    """missing_call: true makes a missed call: no talk, the reason and the voicemail link."""
    event = parsed(example("hipcall_missed_call"))
    assert event.type is EventType.MISSING_CALL
    assert event.event_type == "call_hangup"
    assert event.type_name == "missing_call"
    assert (event.talk_duration, event.answered, event.result_disposition) == (
        0,
        False,
        None,
    )
    assert event.hangup_detail == "no_answer"
    assert event.voicemail_url == VOICEMAIL
    assert event.caller == "905559876543"
    assert event.timestamp == datetime(2024, 11, 17, 11, 3, 5, tzinfo=UTC)


def test_vendor_outbound_call_init() -> None:
    """The vendor's own call_init: outbound, a short callee number, no user yet."""
    event = parsed(example("hipcall_outbound_init"))
    assert (event.direction, event.caller, event.callee) == (
        "OUT",
        "902582440032",
        "4440333",
    )
    assert (event.user_id, event.team_id, event.answered) == (None, None, False)


def test_2023_envelope_example() -> None:
    """The 2023 blog post's call::init: the contact calls the office number, inbound
    (direction 0); user 0 is no user; the old envelope never says who answered."""
    assert parsed(example("hipcall_2023_call_init")) == BulutfonEvent(
        event_type="call::init",
        type=EventType.CALL_INIT,
        uuid="c3f1e0b2-6a9d-4e57-b1c8-0d2f4a6e8b91",
        caller="905438856301",
        callee="908508850000",
        direction="IN",
        timestamp=datetime(2023, 4, 4, 9, 59, 51, tzinfo=UTC),
        account_id="1",
    )


def test_2023_hangup_and_missed() -> None:
    """call::hangup ends the call; with missing_call it is a missed call."""
    payload = example("hipcall_2023_call_init")
    payload["event"] = "call::hangup"
    payload["data"]["state"] = "hangup"
    assert parsed(payload).type is EventType.CALL_HANGUP
    payload["data"]["missing_call"] = True
    assert parsed(payload).type is EventType.MISSING_CALL


@pytest.mark.parametrize(
    "name", ["contact_create", "contact_number_updated", "task_create", "deal_won"]
)
def test_non_call_events_are_no_events(name: str) -> None:
    """Contacts, tasks, deals: answered 200 and ignored."""
    payload = example("hipcall_contact_create")
    payload["event"] = name
    assert parse(payload) is None


def test_contact_example_and_2023_contact_event_are_no_events() -> None:
    """The contact fixture, and the 2023 envelope's contact event (whatever its data)."""
    assert parse_hipcall_body(HIPCALL_EXAMPLES["hipcall_contact_create"]) is None
    assert parse({"event": "contact_center::contact_create", "data": None}) is None
    assert parse({"event": "task_create"}) is None


@pytest.mark.parametrize("name", ["call_transferred", "call::hold", "CALL_PARKED"])
def test_unknown_call_event_is_kept_as_sent(name: str) -> None:
    """An unknown call event is fired like classic unknown types: type None, name as sent."""
    event = parsed(with_data("hipcall_call_bridged") | {"event": name})
    assert (event.type, event.event_type, event.type_name) == (None, name, name)
    assert event.uuid == UUID


@pytest.mark.parametrize("name", ["CALL_INIT", " call_init ", "Call_Hangup"])
def test_event_names_ignore_case_and_spaces(name: str) -> None:
    """The names are matched as Hipcall's, whatever their case."""
    assert parsed(
        {"event": name, "data": example("hipcall_call_init")["data"]}
    ).type in (
        EventType.CALL_INIT,
        EventType.CALL_HANGUP,
    )


# --- mapping rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("inbound", "IN"),
        ("outbound", "OUT"),
        ("internal", "LOCAL"),
        ("Inbound", "IN"),
        ("forwarded", "FORWARDED"),
        (None, None),
        ("", None),
        (0, "IN"),  # the 2023 envelope's integer, read alike in both
        (1, None),
        (True, None),
        ({"x": 1}, None),
    ],
)
def test_direction(sent: Any, expected: str | None) -> None:
    """Hipcall's directions read as the classic codes the call model counts."""
    assert parsed(with_data("hipcall_call_init", direction=sent)).direction == expected


@pytest.mark.parametrize(
    ("sent", "expected"),
    [(0, "IN"), (1, None), (2, None), (-1, None), (True, None), ("inbound", "IN")],
)
def test_2023_direction(sent: Any, expected: str | None) -> None:
    """The 2023 integer direction: 0 is inbound; undocumented values are not guessed."""
    event = parsed(with_data("hipcall_2023_call_init", direction=sent))
    assert event.direction == expected
    assert event.caller == "905438856301"  # the contact, unless known to be called


def test_2023_outbound_swaps_the_parties() -> None:
    """An outgoing call of the 2023 envelope: the office calls the contact."""
    event = parsed(with_data("hipcall_2023_call_init", direction="outbound"))
    assert (event.caller, event.callee) == ("908508850000", "905438856301")


@pytest.mark.parametrize(
    "number", ["+905321234567", "905321234567", "+90 532 123 45 67", 905321234567]
)
def test_e164_and_digits_are_the_same_number(number: Any) -> None:
    """With "+", without (one Turkish example), spaced or a JSON number: the same digits."""
    assert (
        parsed(with_data("hipcall_call_init", caller_number=number)).caller
        == "905321234567"
    )


@pytest.mark.parametrize(
    ("bridged_at", "ended_at", "expected"),
    [
        ("2024-11-17T10:41:12Z", "2024-11-17T10:43:00Z", 108),
        ("2024-11-17T10:41:12.900Z", "2024-11-17T10:43:00Z", 107),
        ("2024-11-17T13:41:12+03:00", "2024-11-17T10:43:00Z", 108),
        (1731840072, "2024-11-17T10:43:00Z", 108),  # epoch seconds, as call_flow has
        (None, "2024-11-17T10:43:00Z", 0),  # never bridged
        ("", "2024-11-17T10:43:00Z", 0),
        ("not a time", "2024-11-17T10:43:00Z", None),  # bridged, but when?
        ("2024-11-17T10:41:12Z", None, None),
        ("2024-11-17T10:41:12Z", "garbage", None),
        ("2024-11-17T10:44:00Z", "2024-11-17T10:43:00Z", None),  # ended before bridged
    ],
)
def test_talk_time(bridged_at: Any, ended_at: Any, expected: int | None) -> None:
    """ended_at - bridged_at in whole seconds; 0 when never bridged; never call_duration."""
    event = parsed(
        with_data(
            "hipcall_call_hangup",
            bridged_at=bridged_at,
            ended_at=ended_at,
            call_duration=999,
        )
    )
    assert event.talk_duration == expected
    assert event.answered is (bridged_at not in (None, ""))


@pytest.mark.parametrize("name", ["hipcall_call_init", "hipcall_call_bridged"])
def test_only_hangups_carry_talk_time_and_end_reason(name: str) -> None:
    """A start or an answer has no talk time and no end reason, whatever it carries."""
    event = parsed(with_data(name, ended_at="2024-11-17T10:43:00Z", hangup_by="system"))
    assert (event.talk_duration, event.hangup_cause, event.result_disposition) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("sent", "expected"),
    [("user", "user"), ("CONTACT", "contact"), ("system", "system"), (None, None)],
)
def test_hangup_by_is_the_end_reason(sent: Any, expected: str | None) -> None:
    """hangup_by, in lower case, is the hangup cause."""
    assert (
        parsed(with_data("hipcall_call_hangup", hangup_by=sent)).hangup_cause
        == expected
    )


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        (True, EventType.MISSING_CALL),
        (False, EventType.CALL_HANGUP),
        (None, EventType.CALL_HANGUP),
        # Hipcall sends JSON booleans; text and 0/1 are what a gateway could make of them.
        ("true", EventType.MISSING_CALL),
        (" TRUE ", EventType.MISSING_CALL),
        ("false", EventType.CALL_HANGUP),
        (1, EventType.MISSING_CALL),
        (0, EventType.CALL_HANGUP),
        ("", EventType.CALL_HANGUP),
    ],
)
def test_missing_call_flag(missing: Any, expected: EventType) -> None:
    """missing_call true (or "true", 1) makes a hangup a missed call (issue 24, item 7)."""
    assert (
        parsed(with_data("hipcall_call_hangup", missing_call=missing)).type is expected
    )


def test_call_bridged_without_bridged_at_is_still_answered() -> None:
    """The event itself says a person answered; the time falls back to the start."""
    event = parsed(with_data("hipcall_call_bridged", bridged_at=None))
    assert (event.answered, event.timestamp) == (True, STARTED)


@pytest.mark.parametrize(
    ("fields", "user", "team"),
    [
        ({"user_id": 12}, "12", None),
        ({"user_id": None, "callee_type": "user", "callee_id": 15}, "15", None),
        ({"user_id": None, "caller_type": "user", "caller_id": 1121}, "1121", None),
        ({"user_id": 0}, None, None),
        ({"callee_type": "team", "callee_id": 7}, None, "7"),
        ({"callee_type": "Team", "callee_id": "7"}, None, "7"),
        ({"callee_type": "greeting", "callee_id": 3}, None, None),
    ],
)
def test_user_and_team(
    fields: dict[str, Any], user: str | None, team: str | None
) -> None:
    """The user on the call, and the team (ring group) it is offered to."""
    base = {"user_id": None, "callee_type": "contact", "callee_id": None}
    event = parsed(with_data("hipcall_outbound_init", **(base | fields)))
    assert (event.user_id, event.team_id) == (user, team)


# --- bodies that are no Hipcall event ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"{}",
        b"null",
        b"not json",
        b'{"event": 5, "data": {}}',
        b'{"event": "", "data": {}}',
        b'{"event": null, "data": {}}',
        b'{"event": "call_init"}',
        b'{"event": "call_init", "data": []}',
        b'{"event": "call_hangup", "data": "x"}',
        b'{"event": "call_hangup", "data": null}',
        b'{"event": "' + b"call_" * 20 + b'", "data": {}}',
        b'{"event": "call_init", "data": {}, "x": "\xff"}',  # not UTF-8
        VENDOR_EXAMPLES["call_init"],  # a classic Bulutfon body
    ],
)
def test_not_an_envelope(body: bytes) -> None:
    """Neither envelope: PayloadError (the endpoint answers 400)."""
    with pytest.raises(PayloadError):
        parse_hipcall_body(body, JSON)


def test_error_message_does_not_echo_the_body() -> None:
    """The reason is short and holds nothing that was sent (it is logged)."""
    with pytest.raises(PayloadError) as err:
        parse_hipcall_body(b'{"event": "call_init", "data": "+905321234567"}')
    assert "905" not in str(err.value)
    assert len(str(err.value)) < 40


def test_body_size_limit() -> None:
    """The classic limit holds: a huge body is refused before it is read as JSON."""
    body = example("hipcall_call_hangup")
    body["data"]["call_flow"] = [{"action": "x" * 1000}] * (MAX_BODY_BYTES // 1000)
    with pytest.raises(PayloadError, match="too large"):
        parse(body)


# --- hostile input: never an exception but PayloadError, always a storable event ----------


@pytest.mark.parametrize("name", CALL_NAMES)
def test_null_everywhere(name: str) -> None:
    """Every field null: a call event of nothing, not an error."""
    fields = OLD_FIELDS if "::" in name else CALL_FIELDS
    event = parsed({"event": name, "data": dict.fromkeys(fields)})
    assert event.uuid is None
    assert event.caller is None
    assert event.timestamp is None


@pytest.mark.parametrize("name", CALL_NAMES)
@pytest.mark.parametrize(
    "garbage",
    [
        '{"a": {"b": [1, {"c": null}]}}',
        "[[[]]]",
        '[{"number": "+905321234567"}]',
        "1" + "0" * 4000,  # an integer no id, number or time can be
        "-1" + "0" * 400,
        "1e308",
        "1e999",  # Python's JSON reads it as infinity
        "NaN",
        "-Infinity",
        "-1.5",
        '"' + "x" * 60_000 + '"',
        '"\\ud800\\udfff\\ud83d"',
        '"null"',
        '"  "',
        "true",
    ],
    ids=lambda text: text[:12],
)
def test_nested_garbage_in_every_field(name: str, garbage: str) -> None:
    """Any JSON value in any field (the 2023 `number` object too): a sane event, or a
    PayloadError (400) where it lands in an id or flag the event would be built on."""
    fields = OLD_FIELDS if "::" in name else CALL_FIELDS
    if len(garbage) * len(fields) > MAX_BODY_BYTES:
        fields = fields[:1]
    data = ", ".join(f'"{field}": {garbage}' for field in fields)
    body = f'{{"event": "{name}", "data": {{{data}}}}}'.encode()
    try:
        event = parse_hipcall_body(body)
    except PayloadError as err:
        assert str(err).endswith(("is not an id", "is not true or false"))  # noqa: PT017
        return
    assert event is not None
    check_event(event)


def test_number_too_long_for_python_is_a_payload_error() -> None:
    """Python refuses to read a JSON integer of more than 4300 digits: a 400, no crash."""
    with pytest.raises(PayloadError):
        parse_hipcall_body(
            b'{"event": "call_init", "data": {"uuid": 1' + b"0" * 5000 + b"}}"
        )


@pytest.mark.parametrize(
    "field",
    [
        "uuid",
        "hangup_by",
        "missing_call_reason",
        "record_url",
        "voicemail_url",
        "direction",
    ],
)
def test_lone_surrogates_become_replacement_characters(field: str) -> None:
    """A JSON "\\ud800" escape decodes to a character no encoder takes: cleaned."""
    payload = with_data("hipcall_call_hangup", callee_type="team")
    body = json.dumps(payload).replace(
        f'"{field}": ', f'"{field}": "x\\ud800\\u0000y", "_{field}": ', 1
    )
    event = parse_hipcall_body(body.encode(), JSON)
    assert event is not None
    check_event(event)
    # The event's fields, not its bus data: the media links are read, never passed on.
    values = {value for value in event if isinstance(value, str)}
    assert any("\ufffd" in value for value in values), field


def test_lone_surrogate_in_the_event_name() -> None:
    """An unknown call event's name is fired as sent, but storable."""
    event = parse_hipcall_body(b'{"event": "call_x\\udfff", "data": {}}', JSON)
    assert event is not None
    assert event.event_type == "call_x\ufffd"
    assert event.type is None


@pytest.mark.parametrize(
    "time",
    [
        "2024-13-45T99:99:99Z",
        "yesterday",
        "",
        "2024-11-17T10:41:00+99:00",
        "0001-01-01T00:00:00+01:00",
        "9" * 400,
        float("1e300"),
        -5,
        [],
    ],
    ids=lambda value: type(value).__name__,
)
def test_times_that_do_not_parse(time: Any) -> None:
    """A time that is no time is not sent; the event still arrives."""
    payload = with_data(
        "hipcall_call_hangup", started_at=time, bridged_at=time, ended_at=time
    )
    body = json.dumps(payload, allow_nan=True).encode()
    event = parse_hipcall_body(body, JSON)
    assert event is not None
    check_event(event)
    assert event.timestamp is None
    assert event.type is EventType.CALL_HANGUP


def test_links_past_their_limit_are_dropped() -> None:
    """A cut pre-signed link leads nowhere: past the limit it is not sent."""
    url = "https://records.example/" + "a" * (MAX_MEDIA_URL_LENGTH - 24)
    assert parsed(with_data("hipcall_call_hangup", record_url=url)).record_url == url
    assert (
        parsed(with_data("hipcall_call_hangup", record_url=url + "a")).record_url
        is None
    )


def test_ids_past_their_limit_are_dropped() -> None:
    """A cut id would be another id (two calls could merge)."""
    long_id = "a" * (MAX_ID_LENGTH + 1)
    event = parsed(
        with_data("hipcall_call_hangup", uuid=long_id, callee_type="contact")
    )
    assert event.uuid is None
    with pytest.raises(PayloadError):
        parse(with_data("hipcall_call_hangup", user_id="1" * (MAX_ID_LENGTH + 1)))


@pytest.mark.parametrize(
    ("fields", "user", "team"),
    [
        ({"user_id": 12}, "12", "7"),
        ({"user_id": "12"}, "12", "7"),
        ({"user_id": " 0012 "}, "12", "7"),
        ({"user_id": ""}, None, "7"),
        ({"callee_type": "team", "callee_id": "8", "user_id": None}, None, "8"),
    ],
)
def test_ids_a_vendor_could_send(fields: dict[str, Any], user: Any, team: Any) -> None:
    """Whole numbers, as JSON numbers or numeric text (issue 24, item 7)."""
    event = parsed(with_data("hipcall_call_init", **fields))
    assert (event.user_id, event.team_id) == (user, team)


@pytest.mark.parametrize(
    "fields",
    [
        {"user_id": True},
        {"user_id": False},
        {"user_id": 12.5},
        {"user_id": -3},
        {"user_id": "Ayşe"},
        {"user_id": [12]},
        {"user_id": {"id": 12}},
        {"user_id": None, "callee_type": "user", "callee_id": True},
        {"callee_type": "team", "callee_id": "seven"},
        {"missing_call": "maybe"},
        {"missing_call": 2},
        {"missing_call": 1.0},
        {"missing_call": []},
    ],
)
def test_types_taken_on_trust_no_more(fields: dict[str, Any]) -> None:
    """`"user_id": true` made a device "User true": an id or flag of a type no vendor
    sends is a PayloadError (400), never a person or a missed call (issue 24, item 7)."""
    with pytest.raises(PayloadError):
        parse(with_data("hipcall_call_hangup", **fields))
    record = with_data("hipcall_call_hangup", **fields)["data"]
    assert event_from_call_record(record) is None


# --- property tests -----------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "2024-11-17T10:41:00Z",
            "+905321234567",
            "inbound",
            "team",
            "user",
            "null",
            "\ud800",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
call_data = st.dictionaries(
    st.sampled_from((*CALL_FIELDS, *OLD_FIELDS)), json_values, max_size=12
)
names = st.sampled_from(
    (*CALL_NAMES, "contact_create", "call_x", "task_create")
) | st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(names, call_data)
def test_any_envelope_gives_an_event_none_or_payload_error(
    name: str, data: dict[str, Any]
) -> None:
    """Whatever a call event's data carries, the parser answers an event (or None for a
    non-call event) or PayloadError, never anything else; the event is always storable."""
    for ensure_ascii in (True, False):
        body = json.dumps({"event": name, "data": data}, ensure_ascii=ensure_ascii)
        try:
            event = parse_hipcall_body(body.encode("utf-8", "surrogatepass"), JSON)
        except PayloadError:
            continue
        if event is not None:
            check_event(event)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_bytes(body: bytes) -> None:
    """For any bytes: an event, None or PayloadError."""
    try:
        event = parse_hipcall_body(body)
    except PayloadError:
        return
    if event is not None:
        check_event(event)


@settings(max_examples=200, deadline=None)
@given(call_data)
def test_any_call_record(data: dict[str, Any]) -> None:
    """event_from_call_record: an ended call's event or None, never an exception."""
    event = event_from_call_record(data)
    if event is not None:
        assert event.type in (EventType.CALL_HANGUP, EventType.MISSING_CALL)
        check_event(event)


# --- call records (the REST API's GET /calls) ----------------------------------------------


def test_call_record_reads_as_its_hangup() -> None:
    """An ended call's record is the same event its call_hangup webhook makes."""
    record = example("hipcall_call_hangup")["data"]
    assert event_from_call_record(record) == parsed(example("hipcall_call_hangup"))
    missed = event_from_call_record(example("hipcall_missed_call")["data"])
    assert missed is not None
    assert missed.type is EventType.MISSING_CALL
    assert missed.replayed is False


@pytest.mark.parametrize(
    "record",
    [
        example("hipcall_call_init")["data"],  # not ended yet
        {**example("hipcall_call_hangup")["data"], "uuid": None},
        {**example("hipcall_call_hangup")["data"], "ended_at": "soon"},
        {"id": 5521, "name": "Ayşe"},  # a contact, not a call
        {},
        [],
        None,
    ],
)
def test_what_is_no_ended_call_record(record: Any) -> None:
    """A call under way, a record without a uuid or end, or no record at all: None."""
    assert event_from_call_record(record) is None


def test_replayed_shows_in_the_bus_event_only_when_set() -> None:
    """`replayed` is true for recovered calls, null (left out by the entity) otherwise."""
    event = parsed(example("hipcall_call_hangup"))
    assert event.as_dict()["replayed"] is None
    assert event._replace(replayed=True).as_dict()["replayed"] is True
    data = event.as_dict()
    assert {key: data[key] for key in ("answered", "user_id", "team_id")} == {
        "answered": True,
        "user_id": "12",
        "team_id": None,
    }
    # Pre-signed links: the recorder keeps every bus event (issue 24, item 3).
    assert event.record_url == RECORD
    assert "record_url" not in data
    assert "voicemail_url" not in data
