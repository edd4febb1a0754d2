"""The Bulutfon webhook protocol: a raw request body in, one typed event out.

Plain Python without Home Assistant imports, so that it can be read, tested and fuzzed on its
own. Bulutfon's document (and its payloads over the years) are loose: numbers arrive as JSON
numbers or strings, event names in two spellings, fields empty, "null" or missing. Everything
is normalised here, once, and a field of the wrong type never fails the event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import json
import math
import re
from typing import Any, Final, NamedTuple
from urllib.parse import parse_qsl

MAX_BODY_BYTES: Final = 64 * 1024
"""Largest body accepted: a Bulutfon event is a few hundred bytes."""

_MAX_FORM_FIELDS: Final = 256

# Length limits, in characters, for the text fields. They keep every entity's attributes
# (and the bus event) small whatever is sent: with every field at its limit and every
# character 4 bytes long in UTF-8, an event's fields stay under 10 KiB, well below the
# recorder's 16 KiB attribute limit.
MAX_ID_LENGTH: Final = 64
"""Ids and codes (uuid, event_type, direction, hangup cause, ...): a uuid is 36."""
MAX_URL_LENGTH: Final = 512
"""Links (cdr_url, cdr_api_url, callback_url)."""
MAX_FREE_TEXT_LENGTH: Final = 256
"""The caller's own text (additional_data)."""
MAX_MEDIA_URL_LENGTH: Final = 1024
"""Hipcall's recording and voicemail links: pre-signed, so longer than the other links."""


class EventType(StrEnum):
    """The canonical event types: Bulutfon's seven, and Hipcall's answer."""

    CALL_INIT = "call_init"
    CALL_HANGUP = "call_hangup"
    FAX_INIT = "fax_init"
    MISSING_CALL = "missing_call"
    CALL_INIT_EXTENSION = "call_init_extension"
    CALL_INIT_GROUP = "call_init_group"
    CALL_INIT_MENU = "call_init_menu"
    CALL_ANSWERED = "call_answered"
    """A person answered (Hipcall's call_bridged); classic Bulutfon never says so."""


START_TYPES: Final = frozenset(
    {
        EventType.CALL_INIT,
        EventType.CALL_INIT_EXTENSION,
        EventType.CALL_INIT_GROUP,
        EventType.CALL_INIT_MENU,
        EventType.CALL_ANSWERED,
    }
)
"""Types that say a call is under way."""

END_TYPES: Final = frozenset({EventType.CALL_HANGUP, EventType.MISSING_CALL})
"""Types that say a call is over."""

# The vendor document spells three types two ways (its list and its examples disagree).
_TYPE_NAMES: Final[dict[str, EventType]] = {
    **{event_type.value: event_type for event_type in EventType},
    "missed_call": EventType.MISSING_CALL,
    "incoming_call_extension": EventType.CALL_INIT_EXTENSION,
    "incoming_call_group": EventType.CALL_INIT_GROUP,
    "call_init_manu": EventType.CALL_INIT_MENU,
}


class PayloadError(ValueError):
    """A request body that is not a Bulutfon event; the message is safe to show and log."""


class BulutfonEvent(NamedTuple):
    """One normalised Bulutfon webhook event. Fields not sent are None.

    A NamedTuple rather than a frozen dataclass: as immutable and as typed, and several
    times faster to build, which matters at a busy PBX's event rate.
    """

    event_type: str
    """The type as sent (stripped)."""
    type: EventType | None
    """The canonical type, or None when the type is unknown."""
    uuid: str | None = None
    caller: str | None = None
    callee: str | None = None
    destination: str | None = None
    direction: str | None = None
    timestamp: datetime | None = None
    domain_id: str | None = None
    account_id: str | None = None
    talk_duration: int | None = None
    autodial: bool | None = None
    hangup_cause: str | None = None
    hangup_detail: str | None = None
    result_disposition: str | None = None
    additional_data: str | None = None
    callback_url: str | None = None
    cdr_url: str | None = None
    cdr_api_url: str | None = None
    # What Hipcall adds (classic Bulutfon leaves them None / False).
    answered: bool | None = None
    """True when a person answered, False when the platform says nobody has (yet);
    None when the platform never tells (classic Bulutfon)."""
    user_id: str | None = None
    """The Hipcall user who took or made the call."""
    team_id: str | None = None
    """The Hipcall team (ring group, queue) the call waits at."""
    record_url: str | None = None
    """A link to the call's recording (pre-signed, it expires). Read, never passed on:
    nothing the recorder keeps (event data, attributes, restore data) may hold it."""
    voicemail_url: str | None = None
    """A link to the voicemail left (pre-signed, it expires); passed on no more than
    record_url."""
    replayed: bool = False
    """Recovered from the platform's call records afterwards, not pushed as it happened."""
    caller_hidden: bool = False
    """The caller withheld their number ("anonymous"): not the same as no caller known."""

    @property
    def type_name(self) -> str:
        """The canonical type's name, or the type as sent when it is unknown."""
        return self.event_type if self.type is None else self.type.value

    def as_dict(self) -> dict[str, Any]:
        """Return the event's fields for a Home Assistant event: JSON-safe values only."""
        return {
            "type": self.type_name,
            "uuid": self.uuid,
            "caller": self.caller,
            "callee": self.callee,
            "destination": self.destination,
            "direction": self.direction,
            "timestamp": None if self.timestamp is None else self.timestamp.isoformat(),
            "domain_id": self.domain_id,
            "account_id": self.account_id,
            "talk_duration": self.talk_duration,
            "autodial": self.autodial,
            "hangup_cause": self.hangup_cause,
            "hangup_detail": self.hangup_detail,
            "result_disposition": self.result_disposition,
            "additional_data": self.additional_data,
            "callback_url": self.callback_url,
            "cdr_url": self.cdr_url,
            "cdr_api_url": self.cdr_api_url,
            "answered": self.answered,
            "user_id": self.user_id,
            "team_id": self.team_id,
            # No record_url or voicemail_url: pre-signed links, and the recorder keeps
            # every bus event; whoever reads the database could listen (issue 24, item 3).
            # null, not false, when pushed live: attributes leave out what is not sent.
            "replayed": True if self.replayed else None,
            # null, not false, when the number is shown: attributes leave out what is not sent.
            "caller_hidden": True if self.caller_hidden else None,
        }


def parse_body(body: bytes, content_type: str | None = None) -> BulutfonEvent:
    """Parse a webhook request body into an event.

    JSON when the content type says JSON, a form when it says form; anything else is
    detected from the body. Raises PayloadError, and nothing else, for a body that is not
    an event.
    """
    return event_from_mapping(decode_body(body, content_type))


def decode_body(body: bytes, content_type: str | None = None) -> dict[str, Any]:
    """Decode a request body (a JSON object or a form) into its fields.

    JSON when the content type says JSON, a form when it says form; anything else is
    detected from the body. Raises PayloadError for a body that is neither an object nor
    a form. Shared by the events webhook and the routing (BulutfonXM) webhook.
    """
    if len(body) > MAX_BODY_BYTES:
        raise PayloadError("body too large")
    mime = (
        content_type
        if content_type == "application/json"  # as Bulutfon sends it
        else (content_type or "").partition(";")[0].strip().lower()
    )
    if mime == "application/json" or mime.endswith("+json"):
        data = _load_json(body)
    elif mime == "application/x-www-form-urlencoded":
        data = _load_form(body)
    else:
        head = body.lstrip()[:1]
        if head in (b"{", b"["):
            data = _load_json(body)
        elif b"=" in body:
            data = _load_form(body)
        else:
            raise PayloadError("body is neither JSON nor a form")
    if not isinstance(data, dict):
        raise PayloadError("body is not an object")
    return data


def _load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (
        ValueError,
        RecursionError,
    ) as err:  # JSONDecodeError and UnicodeDecodeError
        raise PayloadError("body is not valid JSON") from err


def _load_form(body: bytes) -> dict[str, str]:
    try:
        pairs = parse_qsl(
            body.decode("utf-8", "replace"),
            keep_blank_values=True,
            max_num_fields=_MAX_FORM_FIELDS,
        )
    except ValueError as err:
        raise PayloadError("form has too many fields") from err
    return dict(pairs)


def event_from_mapping(data: Mapping[str, Any]) -> BulutfonEvent:
    """Build an event from an already decoded body (a JSON object or form fields)."""
    fields = _flatten(data)
    sent_type = fields.get("event_type")
    if not isinstance(sent_type, str) or (sent_type := sent_type.strip()) in (
        "",
        "null",
    ):
        raise PayloadError("event_type is missing")
    if len(sent_type) > MAX_ID_LENGTH:
        raise PayloadError("event_type is too long")
    # Only the fields sent are read (most events carry fewer than half of them); one
    # not sent, or sent as null, stays None as every reader would make it.
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if value is not None and (read := _READERS.get(name)) is not None:
            values[name] = read(value)
    if hidden_number(fields.get("caller")):
        values["caller_hidden"] = True
    return BulutfonEvent(
        clean_text(sent_type), _TYPE_NAMES.get(sent_type.lower()), **values
    )


def _url(value: Any) -> str | None:
    return bounded_text(value, MAX_URL_LENGTH)


def _free_text(value: Any) -> str | None:
    return bounded_text(value, MAX_FREE_TEXT_LENGTH, cut=True)


def _flatten(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Lift fields out of nested objects where the top level lacks them.

    Older Bulutfon payloads carried a call's details in a nested object (for example an
    end-of-call event with {"call": {"talk_duration": ...}}); the top level always wins.
    """
    for value in data.values():
        if type(value) is dict:
            break
    else:
        return data
    nested = [value for value in data.values() if isinstance(value, dict)]
    merged: dict[str, Any] = {}
    for inner in nested:
        for key, value in inner.items():
            merged.setdefault(key, value)
    merged.update({key: value for key, value in data.items() if not _absent(value)})
    return merged


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "null"))


def bounded_text(
    value: Any, limit: int = MAX_ID_LENGTH, *, cut: bool = False
) -> str | None:
    """A text field from outside: strings stripped, numbers as written, else not sent.

    Every string from outside passes here (the event type through clean_text), webhook
    fields and restored data alike, so this is where the text rule holds: what comes out
    always encodes as UTF-8 and has at most `limit` characters. Past `limit` a value is
    cut when `cut`, else dropped as not sent: a cut id or link would be a different id
    (two calls could merge) or a link to nowhere.
    """
    if value is None:
        return None
    kind = type(value)
    # Fast paths for what Bulutfon sends (short ASCII text, ids as small numbers); they
    # give exactly what the general rule below gives for such values.
    if kind is str:
        if len(value) <= limit and value.isascii() and "\x00" not in value:
            text = value.strip()
            return None if text in ("", "null") else text
    elif kind is int and -_SMALL_INT < value < _SMALL_INT and limit >= _SMALL_INT_WIDTH:
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if text in ("", "null"):
            return None
    elif isinstance(value, bool):
        return "true" if value else "false"
    elif isinstance(value, int):
        # No id is that long; str() of a huge int would even raise.
        if value.bit_length() > 128:
            return None
        text = str(value)
    elif isinstance(value, float) and math.isfinite(value):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        return None
    if len(text) > limit:
        if not cut:
            return None
        text = text[:limit].rstrip()
    return clean_text(text)


_SMALL_INT: Final = 10**18
_SMALL_INT_WIDTH: Final = 19
"""The longest str() of an int strictly between -_SMALL_INT and _SMALL_INT."""

_UNSAFE: Final = re.compile("[\x00\ud800-\udfff]")
"""Lone surrogates (JSON's "\\ud800" escapes decode to them; no UTF-8 encoder accepts
them) and NUL (PostgreSQL, one of the recorder's databases, refuses it in text)."""


def clean_text(text: str) -> str:
    """`text` with every character that cannot be stored replaced by U+FFFD.

    Home Assistant serialises states, events and restore data with orjson, which refuses
    lone surrogates: one such string would break /api/states, the websocket and the saved
    state of every entity. Applied to all text that comes from outside (webhook fields,
    restore data), so that anything built from it can always be saved and sent.
    """
    if text.isascii():
        return text.replace("\x00", "\ufffd") if "\x00" in text else text
    return _UNSAFE.sub("\ufffd", text)


def _upper(value: Any) -> str | None:
    if value in ("IN", "OUT"):  # as Bulutfon sends it
        return value  # type: ignore[no-any-return]
    if value is None:
        return None
    text = bounded_text(value) if isinstance(value, str) else None
    return None if text is None else text.upper()


_NOT_DIGITS: Final = re.compile(r"[^0-9]")
_MAX_DIGITS: Final = 32
"""Longer is no phone number (E.164 allows 15 digits); a sensor state must stay short."""
_DIGITS_LIMIT: Final = 10**_MAX_DIGITS


def phone_digits(value: Any) -> str | None:
    """A phone number as a string of ASCII digits ("+90 532 000 00 00" -> "905320000000").

    JSON numbers are written out exactly (never through float); a value without any digit,
    such as "anonymous", is None.
    """
    if value is None:
        return None
    kind = type(value)
    if kind is int:  # the usual JSON number (a bool is no int here: type() is exact)
        return str(value) if 0 <= value < _DIGITS_LIMIT else None
    if kind is str and value.isdigit() and value.isascii():
        return value if len(value) <= _MAX_DIGITS else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if 0 <= value < _DIGITS_LIMIT else None
    if isinstance(value, float):
        if (
            not math.isfinite(value)
            or value < 0
            or not value.is_integer()
            or value >= 2**53
        ):
            return None
        return str(int(value))
    if isinstance(value, str):
        if value.isascii() and value.isdigit():
            return value if len(value) <= _MAX_DIGITS else None
        digits = _NOT_DIGITS.sub("", value)
        return digits if 0 < len(digits) <= _MAX_DIGITS else None
    return None


# What switches send in place of a withheld number (FreeSWITCH and SIP "anonymous",
# Asterisk "Unknown"/"Private"/"Restricted", carriers' "Withheld"), and Turkish panels' words.
_HIDDEN_NUMBERS: Final = frozenset(
    {
        "anonymous",
        "unknown",
        "private",
        "restricted",
        "withheld",
        "unavailable",
        "hidden",
        "blocked",
        "gizli",
        "gizli numara",
        "bilinmeyen",
        "bilinmeyen numara",
    }
)


def hidden_number(value: Any) -> bool:
    """Whether a caller field says the number is withheld rather than giving one.

    "anonymous" in any case, a SIP address such as "sip:anonymous@anonymous.invalid"
    and the words other switches use. A field that is missing or empty is not: a form
    post sends JSON's null as an empty field, so nothing is known then; nor is text that
    is merely broken.
    """
    if not isinstance(value, str) or len(value) > MAX_ID_LENGTH:
        return False
    text = value.strip().lower()
    user = text.removeprefix("sip:").removeprefix("tel:").split("@", 1)[0].strip()
    return user in _HIDDEN_NUMBERS


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _timestamp(value: Any) -> datetime | None:
    """Epoch time in seconds, milliseconds or microseconds (told apart by magnitude)."""
    if value is None:
        return None
    if type(value) is int and 1e14 <= value < 1e17:  # the document's microseconds
        return _EPOCH + timedelta(0, 0, value)  # positional: cheaper to build
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        try:
            value = int(value)
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                return _iso_time(value)
    if not isinstance(value, int | float) or value <= 0:
        return None
    # Only a float can be infinite; math.isfinite(10**400) would raise OverflowError.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        if value < 1e11:  # seconds until the year 5138
            return _EPOCH + timedelta(seconds=value)
        if value < 1e14:
            return _EPOCH + timedelta(milliseconds=value)
        if value < 1e17:
            return _EPOCH + timedelta(microseconds=value)
        if value < 1e20:
            return _EPOCH + timedelta(microseconds=value / 1000)
    except OverflowError:
        return None
    return None


EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)
"""No call of a line in Home Assistant happened before this: an earlier time is garbage."""
AHEAD: Final = timedelta(days=1)
"""How far past its arrival a call's time may lie (clocks and time zones disagree)."""


def usable_time(moment: datetime | None, now: datetime) -> datetime | None:
    """The one rule for every time from outside (a webhook, the API, saved data).

    A time before EARLIEST or more than AHEAD past `now` (the moment it arrived, or the
    moment saved data is read) is not the call's time: None. Without this rule one body
    dated 9999-12-31 would overflow wherever the time is shown in local time, and one
    dated in year 4000 would sort before every real call for ever.
    """
    if moment is None or moment.tzinfo is None:
        return None
    if moment < EARLIEST or moment - now > AHEAD:
        return None
    return moment


def call_time(moment: datetime | None, received_at: datetime) -> datetime:
    """A call's time by the rule: its own when usable, else when it arrived."""
    return usable_time(moment, received_at) or received_at


def dated(event: BulutfonEvent, received_at: datetime) -> BulutfonEvent:
    """The event as the line takes it: a time the rule refuses is its arrival time."""
    moment = event.timestamp
    if moment is None or usable_time(moment, received_at) is not None:
        return event
    return event._replace(timestamp=received_at)


def event_time(value: Any) -> datetime | None:
    """A time from outside, or None: epoch seconds, milliseconds or microseconds (a
    number or numeric text), or ISO 8601 text (UTC when it names no zone)."""
    # "2024-11-17T10:41:00Z" (Hipcall's times) is no number: parse it without trying.
    if isinstance(value, str) and value[4:5] == "-" and value[:4].isdigit():
        return _iso_time(value.strip())
    return _timestamp(value)


def _iso_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # "0001-01-01T00:00:00+01:00" is before datetime.min in UTC
        return None


_MAX_COUNT: Final = 2**53
"""Larger is no duration: it would not even fit in a sensor's state (255 characters)."""


def whole_number(value: Any) -> int | None:
    """A non-negative whole number (seconds, a count), from a number or a numeric string."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int):
        return value if 0 <= value < _MAX_COUNT else None
    if isinstance(value, float) and math.isfinite(value) and 0 <= value < _MAX_COUNT:
        return int(value)
    return None


_TRUE: Final = frozenset({"true", "1", "yes", "on", "evet"})
_FALSE: Final = frozenset({"false", "0", "no", "off", "hayir", "hayır"})  # noqa: RUF001


def _flag(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return None


def written_international(
    text: str, *, bare: bool, separators: str = " -.()\t"
) -> str | None:
    """International digits of a number (or a prefix) as people write it, or None.

    The separators go; a leading "+" or "00" goes; a single leading "0" becomes "90"
    (Turkey). Digits with none of these are taken as international only when `bare`.
    None when what is left is not all digits or starts with 0 (no country code does).
    """
    number = text.strip()
    for char in separators:
        number = number.replace(char, "")
    if number.startswith("+"):
        number = number[1:]
    elif number.startswith("00"):
        number = number[2:]
    elif number.startswith("0"):
        number = "90" + number[1:]
    elif not bare:
        return None
    if not (number.isascii() and number.isdigit()) or number.startswith("0"):
        return None
    return number


def pbx_number(text: str) -> str | None:
    """Normalise a PBX number as a user types it to international digits, or None.

    "+90 850 885 00 00", "0850 885 00 00" and "908508850000" are all "908508850000"; the
    result must be 10 to 15 digits.
    """
    number = written_international(text, bare=True)
    if number is None or not 10 <= len(number) <= 15:
        return None
    return number


_READERS: Final[dict[str, Callable[[Any], Any]]] = {
    "uuid": bounded_text,
    "caller": phone_digits,
    "callee": phone_digits,
    "destination": phone_digits,
    "direction": _upper,
    "timestamp": _timestamp,
    "domain_id": bounded_text,
    "account_id": bounded_text,
    "talk_duration": whole_number,
    "autodial": _flag,
    "hangup_cause": bounded_text,
    "hangup_detail": bounded_text,
    "result_disposition": bounded_text,
    "additional_data": _free_text,
    "callback_url": _url,
    "cdr_url": _url,
    "cdr_api_url": _url,
}
"""How each field of BulutfonEvent (after the type) is read from the body."""
