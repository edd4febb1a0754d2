"""Property-based fuzzing of the webhook endpoint through Home Assistant's real HTTP server.

Hypothesis cannot drive a function-scoped async fixture such as `hass` from `@given`, so each
test first lets a derandomized `@given` function draw a few hundred requests (random bodies:
bytes, JSON of any shape, forms in any encoding, vendor-like events with random fields and
types; random content types, Authorization headers, Content-Encoding headers, chunked or
not; sizes on both sides of the 64 KiB limit), then posts them one by one to a loaded entry.

Text is drawn from an alphabet that holds what Hypothesis' text() leaves out by default:
lone surrogates (as JSON "\\ud800" escapes and as raw bytes), NUL, and astral characters;
raw JSON text brings NaN/Infinity tokens, huge numbers and huge strings; forms bring
percent-encoded garbage; and some bodies are really gzip-, deflate- or zstd-encoded, whole
or cut short.

After every request: never a 5xx, the status is the one the rules (401 -> 413 -> 400 -> 200)
give for that request, exactly the expected `bulutfon_event`s are fired, and the entities
agree with a small model of the line (active calls, line busy, missed count never going
down). After every accepted request, Home Assistant's own serializer takes every state, the
fired events and the restore data. Afterwards: no ERROR record and no logged exception,
apart from aiohttp's own line for a "br" body, which it refuses before any handler runs
(see _aiohttp_decode_error).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from compression import zstd
from dataclasses import dataclass, field
import gzip
from http import HTTPStatus
import json
import logging
import traceback
from typing import Any
from urllib.parse import urlencode
import warnings
import zlib

from aiohttp import encode_basic_auth
from aiohttp.http_exceptions import ContentEncodingError
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.restore_state import async_get as async_get_restore_data
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from hypothesis.errors import HypothesisWarning
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bulutfon.calls import REACHED_KINDS
from custom_components.bulutfon.const import EVENT_BULUTFON
from custom_components.bulutfon.places import destination_number
from custom_components.bulutfon.protocol import (
    END_TYPES,
    MAX_BODY_BYTES,
    START_TYPES,
    EventType,
    PayloadError,
    parse_body,
)

from .conftest import NUMBER, WEBHOOK_ID

ACTIVE_CALLS = f"sensor.bulutfon_{NUMBER}_active_calls"
MISSED_CALLS = f"sensor.bulutfon_{NUMBER}_missed_calls"
LINE_BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"
LOGIN, PASSWORD = "bulutfon", "gizli-sifre"
EXAMPLES_PER_TEST = 400
COMPRESSED = ("gzip", "deflate", "br")
ENCODED = ("gzip", "deflate", "zstd")
"""Encodings aiohttp decodes here (no brotli module is installed)."""

TYPE_NAMES = [
    "call_init",
    "call_hangup",
    "fax_init",
    "missing_call",
    "missed_call",
    "call_init_extension",
    "incoming_call_extension",
    "call_init_group",
    "incoming_call_group",
    "call_init_menu",
    "call_init_manu",
    "CALL_INIT",
    " call_hangup ",
    "call_transfer",
    "",
    "null",
]


@dataclass(frozen=True)
class Request:
    """One drawn request, and whether its credentials are the right ones."""

    body: bytes
    content_type: str | None
    authorization: str | None = None
    auth_ok: bool = False
    chunk_size: int | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)
    encoded: bool = False
    """Whether the body really is in its Content-Encoding (else the header lies)."""
    decoded: bytes | None = None
    """For an encoded body: what aiohttp hands the handler; None if undecodable."""

    def __repr__(self) -> str:
        """Short enough for an assertion message."""
        return (
            f"Request(body={self.body[:120]!r}... ({len(self.body)} bytes), "
            f"content_type={self.content_type!r}, authorization={self.authorization!r}, "
            f"chunk_size={self.chunk_size}, extra_headers={self.extra_headers})"
        )


# --- strategies -----------------------------------------------------------------------


def one_in(n: int) -> st.SearchStrategy[bool]:
    """True about once in n draws (Hypothesis favours small integers, so not integers)."""
    return st.sampled_from([False] * (n - 1) + [True])


# Hypothesis' text() leaves out surrogates: this alphabet brings them (and NUL, and
# characters outside the BMP) often enough to matter.
awkward_chars = st.sampled_from(
    ["\ud800", "\udfff", "\udc00", "\x00", "\ufffd", "ş", "İ", "\U0001f4de"]
) | st.characters(exclude_categories=())
texts = st.text(awkward_chars, max_size=20)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()  # NaN and Infinity too: Python's json writes and reads them
    | texts,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3)
    ),
    max_leaves=6,
)
phones = st.one_of(
    st.integers(min_value=-10, max_value=10**16),
    st.floats(allow_nan=True),
    st.from_regex(r"\+?[0-9 ().-]{0,18}", fullmatch=True),
    st.sampled_from(["90532000000", "+90 532 000 00 00", "anonymous", "", "null"]),
    json_values,
)
timestamps = st.one_of(
    st.integers(min_value=-(10**21), max_value=10**21),
    st.floats(),
    st.sampled_from(
        ["1435762851086820", "1435762851", "2015-07-01T15:00:51+03:00", "", "x"]
    ),
    st.text(max_size=25),
)
pool = st.sampled_from([f"call-{index}" for index in range(8)])
uuids = st.one_of(pool, pool, st.sampled_from([" call-1 ", "", "null"]), json_values)
event_types = st.one_of(
    st.sampled_from(TYPE_NAMES),
    st.sampled_from(TYPE_NAMES),
    st.text(awkward_chars, max_size=12),
    json_values,
)
event_fields = st.fixed_dictionaries(
    {"event_type": event_types, "uuid": uuids},
    optional={
        "caller": phones,
        "callee": phones,
        "destination": phones,
        "direction": st.sampled_from(["IN", "in", "OUT", "LOCAL", ""]) | json_values,
        "timestamp": timestamps,
        "domain_id": json_values,
        "account_id": json_values,
        "talk_duration": st.integers(-5, 10**12) | st.floats() | st.text(max_size=6),
        "autodial": json_values | st.sampled_from(["true", "1", "evet", "0"]),
        "hangup_cause": json_values,
        "hangup_detail": json_values,
        "result_disposition": json_values,
        "additional_data": json_values | st.text(awkward_chars, max_size=40_000),
        "cdr_url": json_values,
    },
)


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    """A vendor-like event: known or odd fields, sometimes nested, sometimes broken."""
    data: dict[str, Any] = draw(event_fields)
    if draw(st.booleans()):
        data.update(draw(st.dictionaries(texts, json_values, max_size=3)))
    if draw(one_in(5)):  # an older shape: details in a nested object
        inner = {key: data.pop(key) for key in list(data) if key != "event_type"}
        data["call"] = inner
    if draw(one_in(10)):
        data.pop("event_type", None)
    return data


def _form_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    """A body, and the content type it really is."""
    kind = draw(
        st.sampled_from(
            ["json", "json", "raw", "form", "form", "value", "bytes", "text"]
        )
    )
    if kind == "json":
        # ensure_ascii writes a lone surrogate as a "\\ud800" escape (valid JSON text);
        # without it, surrogatepass writes its bytes raw (invalid UTF-8).
        text = json.dumps(draw(events()), ensure_ascii=draw(st.booleans()))
        body = text.encode("utf-8", "surrogatepass")
        if draw(one_in(6)):  # cut short or with a byte spliced in
            cut = draw(st.integers(0, len(body)))
            body = body[:cut] + draw(st.binary(max_size=2))
        return body, "application/json"
    if kind == "raw":
        return draw(raw_json()), "application/json"
    if kind == "form":
        data = draw(events())
        encoding = draw(st.sampled_from(["utf-8", "iso-8859-9", "utf-16"]))
        pairs = {key: _form_value(value) for key, value in data.items()}
        errors = "surrogatepass" if encoding == "utf-8" else "replace"
        body = urlencode(pairs, encoding=encoding, errors=errors).encode("ascii")
        if draw(st.booleans()):  # raw, not percent-encoded, bytes as some senders do
            body = body.replace(b"%", b"") + draw(st.binary(max_size=8))
        if draw(st.booleans()):  # percent-encoded garbage: bytes that are no UTF-8
            body += b"&uuid=" + b"".join(
                b"%%%02X" % byte for byte in draw(st.binary(min_size=1, max_size=6))
            )
        return body, "application/x-www-form-urlencoded"
    if kind == "value":
        return json.dumps(draw(json_values)).encode(), "application/json"
    if kind == "bytes":
        return draw(st.binary(max_size=200)), "application/octet-stream"
    return draw(st.text(max_size=100)).encode("utf-8", "surrogatepass"), "text/plain"


raw_tokens = st.sampled_from(
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999",
        "-0",
        "9" * 5000,  # more digits than Python's json takes (4300): refused
        "9" * 4000,
        '"\\ud800"',
        '"x\\udfff\\u0000"',
        '"\\ud83d\\udcde"',
        '"' + "\\ud800" * 5000 + '"',
        '"' + "a" * 60_000 + '"',  # on its own under the limit, with the rest over it
        "[]",
        "{}",
        "true",
        "null",
    ]
)


@st.composite
def raw_json(draw: st.DrawFn) -> bytes:
    """JSON text written by hand: tokens json.dumps would never write together."""
    fields = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["uuid", "caller", "additional_data", "hangup_cause"]),
                raw_tokens,
            ),
            max_size=3,
        )
    )
    event_type = draw(
        st.sampled_from(['"missing_call"', '"call_init"', '"x\\ud800"', "NaN"])
    )
    members = [f'"event_type": {event_type}', '"uuid": "raw-1"'] + [
        f'"{key}": {token}' for key, token in fields
    ]
    return ("{" + ", ".join(members) + "}").encode()


def _encode(data: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    return zstd.compress(data)


def _decoded_by_aiohttp(data: bytes, encoding: str) -> bytes | None:
    """What aiohttp hands the handler for a body with this Content-Encoding.

    aiohttp checks the end of a deflate stream only: a gzip or zstd body cut short gives
    what was decoded up to the cut (README: accepted like any body, then parsed).
    """
    try:
        if encoding == "gzip":
            decoder = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            return decoder.decompress(data) + decoder.flush()
        if encoding == "deflate":
            decoder = zlib.decompressobj()
            decoded = decoder.decompress(data) + decoder.flush()
            return decoded if decoder.eof else None
        return zstd.ZstdDecompressor().decompress(data)
    except zlib.error, zstd.ZstdError:
        return None


content_types = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            "application/problem+json",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=iso-8859-9",
            "text/plain",
            "text/html; charset=windows-1254",
            "multipart/form-data; boundary=xyz",
            "application/octet-stream",
            ";",
            "",
        ]
    ),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30),
)
printable = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


@st.composite
def authorizations(draw: st.DrawFn) -> tuple[str | None, bool]:
    """An Authorization header (or none), and whether it carries the right credentials."""
    kind = draw(
        st.sampled_from(["right", "right", "right", "none", "wrong", "junk", "b64"])
    )
    if kind == "right":
        header = encode_basic_auth(LOGIN, PASSWORD)
        scheme = draw(st.sampled_from(["Basic", "basic", "BASIC"]))
        return header.replace("Basic", scheme, 1), True
    if kind == "none":
        return None, False
    if kind == "wrong":
        login = draw(st.sampled_from([LOGIN, "", "Bulutfon"]) | st.text(max_size=10))
        password = draw(
            st.sampled_from([PASSWORD, "", PASSWORD + " "]) | st.text(max_size=10)
        )
        if ":" in login or (login, password) == (LOGIN, PASSWORD):
            login = "x" + login.replace(":", "")
        return encode_basic_auth(login, password), False
    if kind == "b64":
        return "Basic " + draw(
            st.from_regex(r"[A-Za-z0-9+/=]{0,40}", fullmatch=True)
        ), False
    return draw(printable), False


@st.composite
def requests(draw: st.DrawFn) -> Request:
    """A request Bulutfon might send, or anybody else."""
    body, real_type = draw(bodies())
    extra: dict[str, str] = {}
    encoded, decoded = False, None
    if draw(one_in(8)):  # really encoded: whole, or cut short
        encoded, encoding = True, draw(st.sampled_from(ENCODED))
        decoded, body = body, _encode(body, encoding)
        if draw(st.booleans()):
            body = body[: draw(st.integers(1, len(body) - 1))]
            decoded = _decoded_by_aiohttp(body, encoding)
        extra["Content-Encoding"] = encoding
    elif draw(one_in(10)):  # a body that says it is compressed but is not
        extra["Content-Encoding"] = draw(
            st.sampled_from([*COMPRESSED, "identity", "x"])
        )
    if draw(one_in(10)):
        extra[draw(st.sampled_from(["X-Bulutfon", "Accept", "Expect-Not"]))] = draw(
            printable
        )
    # Right around the size limit, or far beyond. (Not for bodies that claim to be
    # compressed: aiohttp drops the connection while such a big body is still being sent,
    # before the client reads the answer; that is aiohttp's business, not the handler's.)
    if extra.get("Content-Encoding") not in ENCODED and draw(one_in(6)):
        target = draw(
            st.sampled_from([MAX_BODY_BYTES * 2])
            | st.integers(MAX_BODY_BYTES - 2, MAX_BODY_BYTES + 2)
        )
        filler = draw(st.sampled_from([b" ", b"\n", b"&", b"a", b"\x00"]))
        body += filler * max(0, target - len(body))
    content_type = draw(st.sampled_from([real_type]) | content_types)
    authorization, auth_ok = draw(authorizations())
    chunk_size = draw(st.none() | st.sampled_from([7, 1000, 4096, 65536]))
    return Request(
        body,
        content_type,
        authorization,
        auth_ok,
        chunk_size,
        extra,
        encoded=encoded,
        decoded=decoded,
    )


def _draw_requests(strategy: st.SearchStrategy[Request], count: int) -> list[Request]:
    """Let Hypothesis draw `count` requests, the same ones on every run."""
    drawn: list[Request] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(request: Request) -> None:
        drawn.append(request)

    with warnings.catch_warnings():
        # Hypothesis' own global PRNG trips its weak-reference heuristic when @given
        # first runs outside a collected test; harmless, and not about our code.
        warnings.filterwarnings(
            "ignore",
            message="It looks like `register_random`",
            category=HypothesisWarning,
        )
        collect()
    return drawn


# --- the model the entities must agree with ------------------------------------------


class Model:
    """What the rules say the line must show after the requests so far."""

    def __init__(self, selected: set[str], credentials: bool) -> None:
        self.selected = selected
        self.credentials = credentials
        self.seen: set[tuple[str, str]] = set()
        self.active: set[str] = set()
        self.ended: set[str] = set()
        self.places: dict[str, tuple[str, str]] = {}
        """Where each call was last reached: a move elsewhere is a transfer, not a repeat."""
        self.missed = 0

    def expect(self, request: Request) -> tuple[int, list[str]]:
        """The status for a request, and the types of the bus events it must fire."""
        if self.credentials and not request.auth_ok:
            return HTTPStatus.UNAUTHORIZED, []
        if len(request.body) > MAX_BODY_BYTES and request.chunk_size is None:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, []  # by Content-Length
        body = request.body
        if request.encoded:
            if request.decoded is None:
                return HTTPStatus.BAD_REQUEST, []
            body = request.decoded
        if len(body) > MAX_BODY_BYTES:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, []
        try:
            event = parse_body(body, request.content_type)
        except PayloadError:
            return HTTPStatus.BAD_REQUEST, []
        if event.type is None:  # unknown types are always fired, never counted
            return HTTPStatus.OK, [event.event_type]
        if event.uuid is not None:
            place = None
            if event.type in REACHED_KINDS and (
                number := destination_number(event.destination)
            ):
                place = (REACHED_KINDS[event.type].value, number)
            if (event.uuid, event.type) in self.seen and (
                place is None
                or event.uuid in self.ended
                or place == self.places.get(event.uuid)
            ):
                return HTTPStatus.OK, []
            self.seen.add((event.uuid, event.type))
            if place is not None:
                self.places[event.uuid] = place
            if event.type in START_TYPES and event.uuid not in self.ended:
                self.active.add(event.uuid)
            elif event.type in END_TYPES:
                self.ended.add(event.uuid)
                self.active.discard(event.uuid)
        if event.type not in self.selected:
            return HTTPStatus.OK, []
        if event.type is EventType.MISSING_CALL:
            self.missed += 1
        return HTTPStatus.OK, [event.type.value]


async def _body(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def _fuzz(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    *,
    client: Any,
    caplog: pytest.LogCaptureFixture,
    drawn: list[Request],
    model: Model,
) -> dict[int, int]:
    """Post every drawn request and check each answer and the line after it."""
    caplog.set_level(logging.DEBUG)
    fired = async_capture_events(hass, EVENT_BULUTFON)
    line = entry.runtime_data
    statuses: dict[int, int] = {}
    last_missed = 0
    for request in drawn:
        headers = dict(request.extra_headers)
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        if request.authorization is not None:
            headers["Authorization"] = request.authorization
        data = (
            request.body
            if request.chunk_size is None
            else _body(request.body, request.chunk_size)
        )
        if headers.get("Content-Encoding") in COMPRESSED and not request.encoded:
            # These bodies are no compressed data: aiohttp cannot decode them,
            # and only the Content-Length (compressed size), if any, tells 413 from 400.
            # aiohttp itself answers 400, before any handler runs, to "br" (no brotli
            # module here) and, when the whole request arrives in one read, to a
            # deflate stream that does not end (see _aiohttp_decode_error).
            unauthorized = model.credentials and not request.auth_ok
            allowed = {401} if unauthorized else {400, 413}
            if headers["Content-Encoding"] in ("br", "deflate"):
                allowed.add(400)
            expected_types: list[str] = []
        else:
            expected_status, expected_types = model.expect(request)
            allowed = {expected_status}
            if (
                request.encoded
                and request.decoded is None
                and headers["Content-Encoding"] == "deflate"
            ):
                allowed.add(400)  # the same: aiohttp may refuse it before the handler
        before = len(fired)
        try:
            response = await client.post(
                f"/api/webhook/{WEBHOOK_ID}",
                data=data,
                headers=headers,
                skip_auto_headers=["Content-Type"],
            )
        except Exception as err:
            raise AssertionError(repr(request)) from err
        await hass.async_block_till_done()
        status = response.status
        statuses[status] = statuses.get(status, 0) + 1

        assert status < 500, request
        assert status in (200, 400, 401, 413), request
        assert status in allowed, request
        if status == HTTPStatus.UNAUTHORIZED:
            assert response.headers["WWW-Authenticate"].startswith("Basic"), request
        assert [event.data["type"] for event in fired[before:]] == expected_types, (
            request
        )
        for event in fired[before:]:
            assert event.data["number"] == NUMBER
            assert event.data["device_id"] == line.device_id

        active = line.tracker.active_calls
        assert active == len(model.active) >= 0, request
        assert hass.states.get(ACTIVE_CALLS).state == str(active), request
        assert hass.states.get(LINE_BUSY).state == ("on" if active else "off"), request
        missed = int(hass.states.get(MISSED_CALLS).state)
        assert missed == model.missed >= last_missed, request
        last_missed = missed
        if status == HTTPStatus.OK:
            _assert_serializable(hass, fired[before:], request)

    problems = [
        record
        for record in caplog.records
        # Logged exceptions count from WARNING up: asyncio logs a connection reset by
        # aiohttp (see below) at DEBUG with its OSError, which is no failure.
        if (
            record.levelno >= logging.ERROR
            or (record.exc_info and record.levelno >= logging.WARNING)
        )
        and not _aiohttp_decode_error(record)
    ]
    assert problems == []
    assert "Error processing webhook" not in caplog.text
    return statuses


def _assert_serializable(
    hass: HomeAssistant, events: list[Event], request: Request
) -> None:
    """What was accepted can still be sent and saved by Home Assistant (issue 10).

    json_bytes is Home Assistant's own serializer (orjson): the one behind /api/states,
    the websocket (events and states) and the restore-state file. It refuses lone
    surrogates, which is how one request once broke all three.
    """
    for state in hass.states.async_all():
        json_bytes(state.as_dict())
    for event in events:
        json_bytes(event.data)
    stored = async_get_restore_data(hass).async_get_stored_states()
    assert stored, request
    json_bytes([state.as_dict() for state in stored])


def _aiohttp_decode_error(record: logging.LogRecord) -> bool:
    """aiohttp's own log line for a body its parser refuses, outside any handler.

    Two cases, both answered 400 by aiohttp itself, with an ERROR of its own whose
    traceback never passes through the integration: a "br" body (no brotli module here)
    and a deflate body whose stream ends early (aiohttp checks that end when the whole
    request has arrived, in its protocol's data_received). Every other body that does
    not decode reaches the handler, which reads it before answering (endpoint._refuse),
    so aiohttp has nothing left to log after the answer: test_hostile_input checks that.
    Everything else at ERROR level fails the test.
    """
    if (
        record.name != "aiohttp.server"
        or record.exc_info is None
        # aiohttp's parser, in data_received; never its "Unhandled exception" after a
        # handler answered, which is what a body left unread used to cause.
        or not str(record.msg).startswith("Error handling request")
    ):
        return False
    decode_error = False
    error: BaseException | None = record.exc_info[1]
    while error is not None:
        decode_error |= isinstance(error, ContentEncodingError)
        if any(
            "custom_components" in frame.filename
            for frame in traceback.extract_tb(error.__traceback__)
        ):
            return False
        error = error.__cause__ or error.__context__
    return decode_error


@pytest.fixture(scope="module")
def drawn() -> list[Request]:
    """The drawn requests: drawn once, outside the event loop, only when a fuzz test runs."""
    return _draw_requests(requests(), EXAMPLES_PER_TEST)


async def test_fuzz_without_credentials(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
    drawn: list[Request],
) -> None:
    """Random requests to an open endpoint: right statuses, events and entities."""
    client = await hass_client_no_auth()
    model = Model({event_type.value for event_type in EventType}, credentials=False)
    statuses = await _fuzz(
        hass, entry, client=client, caplog=caplog, drawn=drawn, model=model
    )
    # The draw really explored: every kind of answer came up, and calls were counted.
    assert statuses.keys() >= {200, 400, 413}
    assert model.seen
    assert len(model.ended) > 0


SELECTED = ["call_init", "call_hangup", "missing_call", "call_init_extension"]


@pytest.mark.parametrize(
    "entry_options",
    [{"username": LOGIN, "password": PASSWORD, "events": SELECTED}],
)
async def test_fuzz_with_credentials_and_a_selection(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
    drawn: list[Request],
) -> None:
    """Random requests, credentials and headers against a protected line with a selection."""
    client = await hass_client_no_auth()
    model = Model(set(SELECTED), credentials=True)
    statuses = await _fuzz(
        hass, entry, client=client, caplog=caplog, drawn=drawn, model=model
    )
    assert statuses.keys() >= {200, 400, 401, 413}
