"""Tests for the Bulutfon webhook protocol: raw body in, one normalised event out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import given, settings, strategies as st
import orjson
import pytest

from custom_components.bulutfon.protocol import (
    END_TYPES,
    MAX_BODY_BYTES,
    MAX_FREE_TEXT_LENGTH,
    MAX_ID_LENGTH,
    MAX_URL_LENGTH,
    START_TYPES,
    BulutfonEvent,
    EventType,
    PayloadError,
    clean_text,
    event_from_mapping,
    parse_body,
    pbx_number,
    phone_digits,
)

from .vendor import NORMALISED_FIELDS, VENDOR_EXAMPLES, VENDOR_NAMES, as_form

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
UUID = "f615986c-2001-11e5-bdee-6599352d46ce"
CALL_TIME = datetime(2015, 7, 1, 15, 0, 51, 86820, tzinfo=UTC)
HANGUP_TIME = datetime(2021, 2, 25, 13, 59, 42, tzinfo=UTC)
CDR = "2021/02/25/f615986c-2001-11e5-bdee-6599352d46ce"

PHONE_FIELDS = ("caller", "callee", "destination")
ID_FIELDS = (
    "uuid",
    "direction",
    "domain_id",
    "account_id",
    "hangup_cause",
    "hangup_detail",
    "result_disposition",
)
URL_FIELDS = ("callback_url", "cdr_url", "cdr_api_url")
TEXT_FIELDS = ("event_type", *ID_FIELDS, "additional_data", *URL_FIELDS)
LIMITS = {
    **dict.fromkeys(("event_type", *ID_FIELDS), MAX_ID_LENGTH),
    **dict.fromkeys(URL_FIELDS, MAX_URL_LENGTH),
    "additional_data": MAX_FREE_TEXT_LENGTH,
}


def _common(event_type: str, kind: EventType, **extra: Any) -> BulutfonEvent:
    return BulutfonEvent(
        event_type=event_type,
        type=kind,
        uuid=UUID,
        caller="90532000000",
        callee="908508850000",
        direction="IN",
        timestamp=CALL_TIME,
        domain_id="1234",
        account_id="5678",
        **extra,
    )


EXPECTED: dict[str, BulutfonEvent] = {
    "call_init": _common("call_init", EventType.CALL_INIT),
    "incoming_call_extension": _common(
        "incoming_call_extension", EventType.CALL_INIT_EXTENSION, destination="1000"
    ),
    "incoming_call_group": _common(
        "incoming_call_group", EventType.CALL_INIT_GROUP, destination="111"
    ),
    "call_init_menu": _common(
        "call_init_menu", EventType.CALL_INIT_MENU, destination="10"
    ),
    "call_hangup": BulutfonEvent(
        event_type="call_hangup",
        type=EventType.CALL_HANGUP,
        uuid=UUID,
        caller="90532000000",
        callee="908508850000",
        direction="IN",
        timestamp=HANGUP_TIME,
        talk_duration=35,
        hangup_cause="NORMAL_CLEARING",
        hangup_detail="send_bye",
        result_disposition="SUCCESS",
        cdr_url=f"https://oim.bulutfon.com/account/pbx/call-records/{CDR}",
        cdr_api_url=f"https://api.bulutfon.com/v2/cdr/{CDR}",
    ),
    "fax_init": _common("fax_init", EventType.FAX_INIT),
    "missing_call": _common("missing_call", EventType.MISSING_CALL),
}


def _event(**fields: Any) -> BulutfonEvent:
    """Parse a JSON body built from the given fields (event_type defaults to call_init)."""
    fields.setdefault("event_type", "call_init")
    return parse_body(json.dumps(fields).encode(), JSON)


# --- the vendor document's examples -------------------------------------------------------


def test_fixtures_are_the_raw_vendor_examples() -> None:
    """The fixtures keep the document's quirks: JSON numbers, a repeated key, no ids on hangup."""
    assert set(VENDOR_EXAMPLES) == set(EXPECTED)
    assert VENDOR_EXAMPLES["call_hangup"].count(b'"hangup_cause"') == 2
    assert b'"domain_id"' not in VENDOR_EXAMPLES["call_hangup"]
    for body in VENDOR_EXAMPLES.values():
        assert b'"caller": 90532000000,' in body


@pytest.mark.parametrize("name", VENDOR_NAMES)
@pytest.mark.parametrize(
    "content_type", [JSON, "application/json; charset=utf-8", None]
)
def test_vendor_example_as_json(name: str, content_type: str | None) -> None:
    """Every example of the document parses, as JSON, to exactly the expected event."""
    assert parse_body(VENDOR_EXAMPLES[name], content_type) == EXPECTED[name]


@pytest.mark.parametrize("name", VENDOR_NAMES)
@pytest.mark.parametrize("content_type", [FORM, f"{FORM}; charset=UTF-8", None])
def test_vendor_example_as_form(name: str, content_type: str | None) -> None:
    """The same examples posted as x-www-form-urlencoded give the very same event."""
    assert parse_body(as_form(VENDOR_EXAMPLES[name]), content_type) == EXPECTED[name]


def test_vendor_example_as_dict() -> None:
    """The Home Assistant event data: strings for numbers, ISO time, canonical type name."""
    data = parse_body(VENDOR_EXAMPLES["incoming_call_extension"], JSON).as_dict()
    assert data["type"] == "call_init_extension"
    assert data["caller"] == "90532000000"
    assert data["callee"] == "908508850000"
    assert data["destination"] == "1000"
    assert data["domain_id"] == "1234"
    assert data["timestamp"] == "2015-07-01T15:00:51.086820+00:00"
    assert data["talk_duration"] is None
    assert json.loads(json.dumps(data)) == data

    hangup = parse_body(VENDOR_EXAMPLES["call_hangup"], JSON).as_dict()
    assert hangup["talk_duration"] == 35
    assert hangup["timestamp"] == "2021-02-25T13:59:42+00:00"
    assert hangup["domain_id"] is None


def test_as_form_helper() -> None:
    """as_form writes JSON values the way a form post carries them."""
    form = as_form(b'{"a": 90532000000, "b": null, "c": true, "d": "x y"}')
    assert form == b"a=90532000000&b=&c=true&d=x+y"
    with pytest.raises(TypeError):
        as_form(b"[1]")


# --- event types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        *((kind.value, kind) for kind in EventType),
        ("missed_call", EventType.MISSING_CALL),
        ("incoming_call_extension", EventType.CALL_INIT_EXTENSION),
        ("incoming_call_group", EventType.CALL_INIT_GROUP),
        ("call_init_manu", EventType.CALL_INIT_MENU),
        (" Call_Hangup ", EventType.CALL_HANGUP),
    ],
)
def test_type_names(sent: str, canonical: EventType) -> None:
    """Both spellings the document uses, and the canonical names, give the canonical type."""
    event = _event(event_type=sent)
    assert event.type is canonical
    assert event.type_name == canonical.value
    assert event.event_type == sent.strip()
    assert event.as_dict()["type"] == canonical.value


def test_start_and_end_types() -> None:
    """Every call-reached (or answered) event is a start; hangup and missed call are the
    ends; fax neither."""
    assert {
        EventType.CALL_INIT,
        EventType.CALL_INIT_EXTENSION,
        EventType.CALL_INIT_GROUP,
        EventType.CALL_INIT_MENU,
        EventType.CALL_ANSWERED,
    } == START_TYPES
    assert {EventType.CALL_HANGUP, EventType.MISSING_CALL} == END_TYPES


def test_unknown_type_is_kept_as_sent() -> None:
    """A type Bulutfon adds later is passed on as sent, with its other fields parsed."""
    event = _event(event_type="Call_Transfer", caller=90532000000, uuid="u1")
    assert event.type is None
    assert event.event_type == "Call_Transfer"
    assert event.type_name == "Call_Transfer"
    assert event.as_dict()["type"] == "Call_Transfer"
    assert event.caller == "90532000000"
    assert event.uuid == "u1"


# --- field normalisation ------------------------------------------------------------------


@pytest.mark.parametrize("field", NORMALISED_FIELDS)
def test_empty_means_not_sent(field: str) -> None:
    """ "" , "null" and JSON null are all "not sent", in JSON and in a form."""
    for empty in ("", "null", "   ", " null ", None):
        body = json.dumps({"event_type": "call_hangup", field: empty}).encode()
        assert getattr(parse_body(body, JSON), field) is None, empty
        assert getattr(parse_body(as_form(body), FORM), field) is None, empty


@pytest.mark.parametrize(
    "value",
    ["+90 532 000 000", 90532000000, "90532000000", 90532000000.0, "(90) 532-000-000"],
)
def test_phone_number_shapes(value: Any) -> None:
    """Written, JSON-number and float phone numbers are all the same digit string."""
    event = _event(caller=value, callee=value, destination=value)
    assert event.caller == event.callee == event.destination == "90532000000"
    assert phone_digits(value) == "90532000000"


def test_phone_number_keeps_leading_zeros_and_big_numbers() -> None:
    """Leading zeros and numbers past float precision are not mangled."""
    assert phone_digits("0532 000 00 00") == "05320000000"
    assert _event(caller=12345678901234567890).caller == "12345678901234567890"


@pytest.mark.parametrize("value", ["9" * 200, 10**200, "+90 " * 100])
def test_phone_number_absurdly_long(value: Any) -> None:
    """A "number" hundreds of digits long is no phone number (and no sensor state)."""
    assert phone_digits(value) is None
    assert _event(caller=value).caller is None


@pytest.mark.parametrize(
    "value", ["anonymous", "", "+", True, False, -5, 1.5, [905], {}]
)
def test_phone_number_without_digits(value: Any) -> None:
    """A value that is not a phone number is None, never an error."""
    assert phone_digits(value) is None
    assert _event(caller=value).caller is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1435762851, datetime(2015, 7, 1, 15, 0, 51, tzinfo=UTC)),
        ("1435762851", datetime(2015, 7, 1, 15, 0, 51, tzinfo=UTC)),
        (1435762851.5, datetime(2015, 7, 1, 15, 0, 51, 500000, tzinfo=UTC)),
        (1435762851086, datetime(2015, 7, 1, 15, 0, 51, 86000, tzinfo=UTC)),
        ("1435762851086", datetime(2015, 7, 1, 15, 0, 51, 86000, tzinfo=UTC)),
        (1435762851086820, CALL_TIME),
        # Before 2001-09-09 an epoch in microseconds has 15 digits, milliseconds 12.
        (946684800000000, datetime(2000, 1, 1, tzinfo=UTC)),
        ("946684800000000", datetime(2000, 1, 1, tzinfo=UTC)),
        (946684800000, datetime(2000, 1, 1, tzinfo=UTC)),
        ("946684800000", datetime(2000, 1, 1, tzinfo=UTC)),
        (946684800, datetime(2000, 1, 1, tzinfo=UTC)),
        ("1435762851086820", CALL_TIME),
        (" 1435762851086820 ", CALL_TIME),
        (1435762851086820000, CALL_TIME),
        ("2015-07-01T15:00:51.086820+00:00", CALL_TIME),
        ("2015-07-01T18:00:51.086820+03:00", CALL_TIME),
        ("2015-07-01T15:00:51.086820Z", CALL_TIME),
        ("2015-07-01T15:00:51.086820", CALL_TIME),
    ],
)
def test_timestamp_units(value: Any, expected: datetime) -> None:
    """Epoch seconds, milliseconds, microseconds (and ISO text) give the same UTC moment."""
    timestamp = _event(timestamp=value).timestamp
    assert timestamp == expected
    assert timestamp is not None
    assert timestamp.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    [
        0,
        -1435762851,
        "yesterday",
        True,
        [1435762851],
        {"t": 1},
        10**25,
        pytest.param(10**400, id="10**400"),  # too big for a float: must not overflow
        pytest.param(str(10**400), id="'10**400'"),
        "1e400",
        "nan",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_timestamp_unusable(value: Any) -> None:
    """A timestamp that is no moment Python can hold is None, and the event still parses."""
    event = _event(timestamp=value, uuid="u1")
    assert event.timestamp is None
    assert event.uuid == "u1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(35, 35), ("35", 35), (" 35 ", 35), (35.0, 35), ("35.0", 35), (0, 0), ("0", 0)],
)
def test_talk_duration(value: Any, expected: int) -> None:
    """Seconds of talk from a number or numeric text; 0 (nobody talked) is kept as 0."""
    duration = _event(event_type="call_hangup", talk_duration=value).talk_duration
    assert duration == expected
    assert type(duration) is int


@pytest.mark.parametrize("value", [-1, "-1", "abc", True, [35], "inf", float("nan")])
def test_talk_duration_unusable(value: Any) -> None:
    """A duration that is no count of seconds is None."""
    assert _event(event_type="call_hangup", talk_duration=value).talk_duration is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("true", True),
        ("True", True),
        ("1", True),
        (1, True),
        (1.0, True),
        (False, False),
        ("false", False),
        ("0", False),
        (0, False),
        (0.0, False),
        ("maybe", None),
        (2, None),
    ],
)
def test_autodial(value: Any, expected: bool | None) -> None:
    """The API-call flag from a JSON boolean, a form string or a number."""
    assert _event(autodial=value).autodial is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("IN", "IN"),
        ("in", "IN"),
        (" out ", "OUT"),
        ("local", "LOCAL"),
        (1, None),
        ([], None),
    ],
)
def test_direction(value: Any, expected: str | None) -> None:
    """The direction is upper-cased; a non-text direction is not sent."""
    assert _event(direction=value).direction == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234, "1234"), ("1234", "1234"), (" 1234 ", "1234"), (12.0, "12")],
)
def test_ids_are_strings(value: Any, expected: str) -> None:
    """domain_id and account_id are text whether sent as numbers or strings."""
    event = _event(domain_id=value, account_id=value)
    assert event.domain_id == event.account_id == expected


def test_api_call_fields() -> None:
    """The fields of a call started through the Bulutfon API are passed on."""
    event = _event(
        autodial=True,
        additional_data=" order-42 ",
        callback_url="https://example.com/cb",
    )
    assert event.autodial is True
    assert event.additional_data == "order-42"
    assert event.callback_url == "https://example.com/cb"


def test_nested_older_payload() -> None:
    """End-of-call details in a nested object are used where the top level lacks them."""
    event = _event(
        event_type="call_hangup",
        uuid="u1",
        caller="905551112233",
        callee=None,
        call={
            "talk_duration": "35",
            "hangup_cause": "NORMAL_CLEARING",
            "caller": "900000000000",
            "callee": 908508850000,
        },
    )
    assert event.talk_duration == 35
    assert event.hangup_cause == "NORMAL_CLEARING"
    assert event.caller == "905551112233"  # the top level wins
    assert (
        event.callee == "908508850000"
    )  # a null top level does not hide the nested value


def test_wrong_types_never_fail_the_event() -> None:
    """Every field of a wrong type is dropped; the event itself still arrives."""
    fields = [*BulutfonEvent._fields]
    fields.remove("event_type")
    fields.remove("type")
    for wrong in ([1, 2], {"x": [1]}, float("inf"), float("nan")):
        event = _event(event_type="call_hangup", **dict.fromkeys(fields, wrong))
        assert event.type is EventType.CALL_HANGUP
        for field in (
            "uuid",
            "caller",
            "timestamp",
            "talk_duration",
            "autodial",
            "direction",
        ):
            assert getattr(event, field) is None, (field, wrong)
    # Python's json module accepts NaN and Infinity literals; they are not numbers to keep.
    body = b'{"event_type": "call_init", "caller": NaN, "timestamp": Infinity, "talk_duration": -Infinity}'
    event = parse_body(body, JSON)
    assert (event.caller, event.timestamp, event.talk_duration) == (None, None, None)


def test_unknown_fields_are_ignored() -> None:
    """Fields the document does not list do not disturb the ones it does."""
    event = _event(uuid="u1", new_field="x", another={"deep": [1, {"deeper": None}]})
    assert event.uuid == "u1"
    assert event.type is EventType.CALL_INIT


# --- content types and errors -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b'{"event_type": "call_init", "uuid": "u1"}',
            "application/json; charset=utf-8",
        ),
        (b'{"event_type": "call_init", "uuid": "u1"}', "APPLICATION/JSON"),
        (b'{"event_type": "call_init", "uuid": "u1"}', "application/vnd.bulutfon+json"),
        (b'  \n{"event_type": "call_init", "uuid": "u1"}', None),
        (b'{"event_type": "call_init", "uuid": "u1"}', "text/plain"),
        (b"event_type=call_init&uuid=u1", FORM),
        (b"event_type=call_init&uuid=u1", f"{FORM}; charset=utf-8"),
        (b"event_type=call_init&uuid=u1", None),
        (b"event_type=call_init&uuid=u1", ""),
        (b"event_type=call_init&uuid=u1", "text/plain"),
    ],
)
def test_content_types(body: bytes, content_type: str | None) -> None:
    """JSON and forms are recognised by their content type, or from the body without one."""
    event = parse_body(body, content_type)
    assert (event.type, event.uuid) == (EventType.CALL_INIT, "u1")


def test_form_text_is_utf8() -> None:
    """A form's percent-encoded UTF-8 text arrives intact."""
    body = urlencode(
        {
            "event_type": "call_init",
            "additional_data": "M\u00fc\u015fteri A\u011f\u0131",
        }
    ).encode()
    assert parse_body(body, FORM).additional_data == "M\u00fc\u015fteri A\u011f\u0131"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", None),
        (b"", JSON),
        (b"hello", None),
        (b"{not json", None),
        (b'{"event_type": "call_init"', JSON),
        (b"\xff\xfe{\x00", JSON),
        (b"[1, 2]", JSON),
        (b'[{"event_type": "call_init"}]', None),
        (b"42", JSON),
        (b'"call_init"', JSON),
        (b"null", JSON),
        (b"{}", JSON),
        (b'{"uuid": "u1"}', JSON),
        (b'{"event_type": ""}', JSON),
        (b'{"event_type": "  "}', JSON),
        (b'{"event_type": "null"}', JSON),
        (b'{"event_type": null}', JSON),
        (b'{"event_type": 5}', JSON),
        (b'{"event_type": ["call_init"]}', JSON),
        (b"uuid=u1&caller=905", FORM),
        (b"event_type=&uuid=u1", FORM),
        (b"[" * 32_000 + b"]" * 32_000, JSON),  # as deep as fits in the size limit
    ],
)
def test_not_an_event(body: bytes, content_type: str | None) -> None:
    """A body that is not a Bulutfon event raises PayloadError, and only that."""
    with pytest.raises(PayloadError):
        parse_body(body, content_type)


def test_deeply_nested_event() -> None:
    """An event carrying a deeply nested extra field is still read (one level is lifted)."""
    depth = 9_000
    body = b'{"event_type": "call_init", "uuid": "u1", "x": ' + b'{"a": ' * depth
    body += b"1" + b"}" * (depth + 1)
    assert len(body) <= MAX_BODY_BYTES
    assert parse_body(body, JSON).uuid == "u1"


def test_error_message_does_not_echo_the_body() -> None:
    """The message is safe to log: it does not repeat the caller's number."""
    with pytest.raises(PayloadError) as err:
        parse_body(b'{"caller": "905321234567"}', JSON)
    assert "905321234567" not in str(err.value)


def test_body_size_limit() -> None:
    """A body at the limit is read; one byte more is refused before it is parsed."""
    event = b'{"event_type": "call_init"}'
    at_limit = event + b" " * (MAX_BODY_BYTES - len(event))
    assert parse_body(at_limit, JSON).type is EventType.CALL_INIT
    with pytest.raises(PayloadError, match="too large"):
        parse_body(at_limit + b" ", JSON)


def test_form_with_too_many_fields() -> None:
    """A form with hundreds of fields is refused rather than parsed."""
    body = b"event_type=call_init&" + b"&".join(b"f%d=1" % i for i in range(1000))
    with pytest.raises(PayloadError):
        parse_body(body, FORM)


# --- pbx_number ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "+90 850 885 00 00",
        "0850 885 00 00",
        "908508850000",
        "0090 850 885 00 00",
        " 0 (850) 885-00-00 ",
        "+90.850.885.00.00",
    ],
)
def test_pbx_number(text: str) -> None:
    """The ways a user writes a Turkish PBX number all give the international digits."""
    assert pbx_number(text) == "908508850000"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "+",
        "12345",
        "0850 885",
        "+90 850 885 00 00 00 00",
        "0850 885 OO OO",
        "90850885000a",
        "+90 \u0668\u0665\u0660 \u0668\u0668\u0665 \u0660\u0660 \u0660\u0660",  # Arabic-Indic digits
        "++908508850000",
    ],
)
def test_pbx_number_rejected(text: str) -> None:
    """Too short, too long or not digits: no PBX number."""
    assert pbx_number(text) is None


# --- properties ---------------------------------------------------------------------------

KNOWN_FIELDS = [*BulutfonEvent._fields]
KNOWN_FIELDS.remove("type")

# Hypothesis' text() leaves out surrogates, the very characters that broke Home Assistant
# (issue 10): every text here may hold lone surrogates, NUL, U+FFFD and astral characters.
awkward_chars = st.sampled_from(
    ["\ud800", "\udfff", "\udc80", "\x00", "\ufffd", "ş", "\U0001f4de", '"', "\\"]
) | st.characters(exclude_categories=())
any_text = st.text(awkward_chars, max_size=20)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | any_text
    | st.text(awkward_chars, min_size=60, max_size=600)
    | st.sampled_from(
        ["", "null", "90532000000", "+90 532 000 00 00", "1435762851086820"]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(awkward_chars, max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
offsets = st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
# Values aimed at the parsers of individual fields, boundaries included.
field_values = (
    json_values
    | st.datetimes().map(datetime.isoformat)
    | st.builds(
        datetime.isoformat, st.datetimes(timezones=st.builds(timezone, offsets))
    )
    | st.integers(min_value=-(10**21), max_value=10**21)
    | st.integers(min_value=-(10**21), max_value=10**21).map(str)
    | st.floats().map(repr)
    # Every magnitude a JSON integer can have (json refuses more than 4300 digits).
    | st.integers(min_value=0, max_value=4000).map(lambda exponent: 10**exponent)
)
event_types = st.sampled_from(
    ["call_init", "missed_call", "call_init_manu", "x", "x\ud800", "\x00"]
) | st.text(awkward_chars, min_size=1, max_size=20).filter(
    lambda text: text.strip() not in ("", "null")
)
# Without surrogates: a form cannot carry one (UTF-8 has no encoding for it).
form_event_types = event_types.filter(
    lambda text: not any("\ud800" <= char <= "\udfff" for char in text)
)
payloads = st.builds(
    lambda event_type, known, extra: {**extra, **known, "event_type": event_type},
    event_types,
    st.dictionaries(st.sampled_from(KNOWN_FIELDS), field_values, max_size=8),
    st.dictionaries(st.text(max_size=8), json_values, max_size=4),
)


def _check_event(event: BulutfonEvent) -> None:
    for field in PHONE_FIELDS:
        value = getattr(event, field)
        assert value is None or (value.isascii() and value.isdigit()), (field, value)
    for field in TEXT_FIELDS:
        value = getattr(event, field)
        if value is not None:
            _check_text(value)
            assert len(value) <= LIMITS[field], field
    assert event.talk_duration is None or event.talk_duration >= 0
    assert event.timestamp is None or event.timestamp.utcoffset() == timedelta(0)
    data = event.as_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    # What Home Assistant's own serializer (orjson) does with states, events and restore
    # data: it refuses lone surrogates.
    assert orjson.loads(orjson.dumps(data)) == data


def _check_text(value: str) -> None:
    """Text that every store and encoder takes: strict UTF-8, no NUL."""
    value.encode("utf-8")  # raises on a lone surrogate
    assert "\x00" not in value


@settings(max_examples=300, deadline=None)
@given(payloads)
def test_any_json_object_gives_an_event(payload: dict[str, Any]) -> None:
    """Whatever an object carries, with a usable event_type it becomes a sane event."""
    sent = payload["event_type"].strip()
    if len(sent) > MAX_ID_LENGTH:
        with pytest.raises(PayloadError, match="too long"):
            event_from_mapping(payload)
        return
    event = event_from_mapping(payload)
    assert event.event_type == clean_text(sent)
    _check_event(event)


@settings(max_examples=200, deadline=None)
@given(payloads)
def test_any_json_body_gives_an_event(payload: dict[str, Any]) -> None:
    """The same objects as a JSON request body, with or without a content type."""
    if len(payload["event_type"].strip()) > MAX_ID_LENGTH:
        return
    # ensure_ascii writes a lone surrogate as the escape "\\ud800", the way the fuzzer's
    # request carried it; surrogatepass writes it raw, which is invalid UTF-8.
    for ensure_ascii in (True, False):
        body = json.dumps(payload, ensure_ascii=ensure_ascii).encode(
            "utf-8", "surrogatepass"
        )
        for content_type in (JSON, None):
            try:
                event = parse_body(body, content_type)
            except PayloadError:
                assert not ensure_ascii  # only invalid UTF-8 may be refused
                continue
            _check_event(event)


form_values = (
    st.none()
    | st.booleans()
    # Non-negative: phone_digits drops a negative JSON number but keeps the digits of "-5".
    # At most 2**53: numeric text goes through float, so 2**53 + 1 seconds of talk would not
    # survive a form; no call is that long.
    | st.integers(min_value=0, max_value=2**53)
    | st.text(max_size=20)
    | st.sampled_from(
        ["", "null", "+90 532 000 00 00", "1435762851086820", "35", "true"]
    )
)


@settings(max_examples=300, deadline=None)
@given(
    form_event_types,
    st.dictionaries(st.sampled_from(KNOWN_FIELDS), form_values, max_size=10),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4),
)
def test_json_and_form_mean_the_same(
    event_type: str, known: dict[str, Any], extra: dict[str, str]
) -> None:
    """Whichever request format the webhook is set to, the same values make the same event."""
    if not isinstance(known.get("direction"), str | None):
        del known[
            "direction"
        ]  # a non-text direction is dropped in JSON, kept in a form
    body = json.dumps({**extra, **known, "event_type": event_type}).encode()
    assert parse_body(as_form(body), FORM) == parse_body(body, JSON)


content_types = (
    st.none() | st.text(max_size=40) | st.sampled_from([JSON, FORM, "text/plain"])
)


@settings(max_examples=400, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=200).map(str.encode)
    | payloads.map(lambda payload: json.dumps(payload).encode())
    | payloads.map(lambda payload: as_form(json.dumps(payload).encode())),
    content_types,
)
def test_any_body_gives_an_event_or_payload_error(
    body: bytes, content_type: str | None
) -> None:
    """For any bytes, parse_body returns an event or raises PayloadError, never anything else."""
    try:
        event = parse_body(body, content_type)
    except PayloadError:
        return
    assert isinstance(event, BulutfonEvent)
    _check_event(event)


@settings(max_examples=300, deadline=None)
@given(st.text() | st.integers() | st.floats() | st.booleans() | st.none())
def test_phone_digits_property(value: Any) -> None:
    """A phone number is always None or ASCII digits; any E.164-sized number is kept exactly."""
    digits = phone_digits(value)
    assert digits is None or (digits.isascii() and digits.isdigit())
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**15:
        assert digits == str(value)


@settings(max_examples=300, deadline=None)
@given(st.text() | st.from_regex(r"\A(\+|00|0)?[0-9 ().-]{8,18}\Z"))
def test_pbx_number_property(text: str) -> None:
    """A PBX number is None or 10 to 15 ASCII digits, and normalising it again changes nothing."""
    number = pbx_number(text)
    if number is not None:
        assert number.isascii()
        assert number.isdigit()
        assert 10 <= len(number) <= 15
        assert pbx_number(number) in (number, None)


def test_huge_integer_field_is_dropped_not_raised() -> None:
    """An integer too long for any id (str() would refuse it) counts as not sent."""
    event = event_from_mapping({"event_type": "call_init", "uuid": 10**5000})
    assert event.uuid is None
    assert event.type is EventType.CALL_INIT


# --- text from outside: always storable, always bounded (issue 10) -----------------------

REPRODUCER = b'{"event_type":"missing_call","uuid":"x\\ud800","caller":90532000000}'


def test_lone_surrogate_escape_becomes_replacement_character() -> None:
    """The fuzzer's request: a JSON "\\ud800" escape decodes to a character no encoder takes."""
    event = parse_body(REPRODUCER, JSON)
    assert event.uuid == "x\ufffd"
    assert event.type is EventType.MISSING_CALL
    assert event.caller == "90532000000"
    _check_event(event)


@pytest.mark.parametrize("field", [*ID_FIELDS, "additional_data", *URL_FIELDS])
@pytest.mark.parametrize("nested", [False, True])
def test_every_text_field_is_cleaned(field: str, nested: bool) -> None:
    """Each listed field, at the top level or lifted from a nested object."""
    body = '{"event_type": "call_hangup", %s}' % (
        f'"call": {{"{field}": "a\\udfffb\\u0000c"}}'
        if nested
        else f'"{field}": "a\\udfffb\\u0000c"'
    )
    event = parse_body(body.encode(), JSON)
    expected = "a\ufffdb\ufffdc"
    assert getattr(event, field) == (
        expected.upper() if field == "direction" else expected
    )
    _check_event(event)


def test_unknown_event_type_is_kept_cleaned() -> None:
    """An unknown type is fired as sent: as sent, but storable."""
    event = parse_body(b'{"event_type": "call_transfer\\ud83d"}', JSON)
    assert event.type is None
    assert event.event_type == "call_transfer\ufffd"


def test_valid_surrogate_pair_is_kept() -> None:
    """A correct pair is one character (an emoji in a name, say), not garbage."""
    event = parse_body(b'{"event_type": "call_init", "uuid": "\\ud83d\\udcde"}', JSON)
    assert event.uuid == "\U0001f4de"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"uuid=x%ED%A0%80", "x\ufffd\ufffd\ufffd"),  # a surrogate's UTF-8 bytes
        (b"uuid=x%FF%FE", "x\ufffd\ufffd"),  # bytes that are no UTF-8 at all
        (b"uuid=x%00y", "x\ufffdy"),
        (b"uuid=x\xed\xa0\x80", "x\ufffd\ufffd\ufffd"),  # raw, not percent-encoded
    ],
)
def test_form_garbage_is_cleaned(raw: bytes, expected: str) -> None:
    """Form bodies follow the same rule as JSON."""
    event = parse_body(b"event_type=call_init&" + raw, FORM)
    assert event.uuid == expected
    _check_event(event)


def test_invalid_utf8_json_is_refused() -> None:
    """Raw bytes that are not UTF-8 make no JSON: 400, not a guess."""
    with pytest.raises(PayloadError):
        parse_body(b'{"event_type": "call_init", "uuid": "\xff"}', JSON)


@pytest.mark.parametrize("field", ID_FIELDS)
def test_ids_and_codes_past_their_limit_are_dropped(field: str) -> None:
    """A cut id would be another id (two calls could merge): past the limit it is not sent."""
    at_limit = "a" * MAX_ID_LENGTH
    ok = event_from_mapping({"event_type": "call_hangup", field: at_limit})
    assert getattr(ok, field) == (
        at_limit.upper() if field == "direction" else at_limit
    )
    over = event_from_mapping({"event_type": "call_hangup", field: at_limit + "a"})
    assert getattr(over, field) is None
    number = event_from_mapping({"event_type": "call_hangup", field: 10.0**70})
    assert getattr(number, field) is None


@pytest.mark.parametrize("field", URL_FIELDS)
def test_links_past_their_limit_are_dropped(field: str) -> None:
    """A cut link leads nowhere."""
    url = "https://example.com/" + "a" * (MAX_URL_LENGTH - 20)
    ok = event_from_mapping({"event_type": "call_hangup", field: url})
    assert getattr(ok, field) == url
    over = event_from_mapping({"event_type": "call_hangup", field: url + "a"})
    assert getattr(over, field) is None


def test_free_text_past_its_limit_is_cut() -> None:
    """additional_data keeps its beginning, which is what matches a record."""
    event = event_from_mapping(
        {"event_type": "call_init", "additional_data": "crm-42 " + "x" * 40_000}
    )
    assert event.additional_data is not None
    assert len(event.additional_data) == MAX_FREE_TEXT_LENGTH
    assert event.additional_data.startswith("crm-42 x")


def test_too_long_event_type_is_refused() -> None:
    """No event type is that long: 400 with a short reason."""
    with pytest.raises(PayloadError, match="event_type is too long"):
        event_from_mapping({"event_type": "x" * (MAX_ID_LENGTH + 1)})


def test_worst_case_event_stays_well_under_the_recorder_limit() -> None:
    """Every field at its limit, every character 4 bytes: still well under 16 KiB."""
    wide = "\U0001f4de"
    payload: dict[str, Any] = {"event_type": wide * MAX_ID_LENGTH}
    payload |= dict.fromkeys(ID_FIELDS, wide * MAX_ID_LENGTH)
    payload |= dict.fromkeys(URL_FIELDS, wide * MAX_URL_LENGTH)
    payload["additional_data"] = wide * 50_000
    payload |= dict.fromkeys(PHONE_FIELDS, "9" * 40)
    size = len(orjson.dumps(event_from_mapping(payload).as_dict()))
    assert size < 10 * 1024


@pytest.mark.parametrize(
    ("caller", "hidden"),
    [
        ("anonymous", True),
        ("Anonymous", True),
        (" ANONYMOUS ", True),
        ("sip:anonymous@anonymous.invalid", True),
        ("Unknown", True),
        ("private", True),
        ("Restricted", True),
        ("Gizli Numara", True),
        (None, False),
        ("", False),  # a form post's empty field is JSON's null: nothing known
        ("905321234567", False),
        (905321234567, False),
        ("garbage", False),
    ],
)
def test_hidden_caller(caller: Any, hidden: bool) -> None:
    """A withheld number is told apart from a caller that is not known at all."""
    body = json.dumps({"event_type": "call_init", "caller": caller}).encode()
    event = parse_body(body, JSON)
    assert event.caller_hidden is hidden
    assert event.as_dict()["caller_hidden"] is (True if hidden else None)
