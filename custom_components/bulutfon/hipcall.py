"""The Hipcall webhook protocol: a raw request body in, one typed event (or nothing) out.

Plain Python without Home Assistant imports, beside the classic parser (protocol.py) and
producing the same BulutfonEvent, so that nothing above the parser needs to know which platform
spoke. Hipcall posts `{"event": "call_init" | "call_bridged" | "call_hangup", "data": {...}}`;
its 2023 envelope, `{"event": "call::init" | "call::hangup", "data": {"event_type":
"call_state", ...}}`, is still accepted. Non-call events (contacts, tasks, deals) are no events
here. Every field passes the classic text rule and limits (protocol.bounded_text and friends),
and a field of the wrong type never fails the event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from .protocol import (
    MAX_ID_LENGTH,
    MAX_MEDIA_URL_LENGTH,
    BulutfonEvent,
    EventType,
    PayloadError,
    bounded_text,
    clean_text,
    decode_body,
    event_time,
    phone_digits,
)

CALL_INIT: Final = "call_init"
CALL_BRIDGED: Final = "call_bridged"
CALL_HANGUP: Final = "call_hangup"

# What each call event name means; a call_hangup is a missed call when it says so.
_CALL_EVENTS: Final[dict[str, EventType]] = {
    CALL_INIT: EventType.CALL_INIT,
    CALL_BRIDGED: EventType.CALL_ANSWERED,
    CALL_HANGUP: EventType.CALL_HANGUP,
    "call::init": EventType.CALL_INIT,
    "call::hangup": EventType.CALL_HANGUP,
}

# Hipcall names its call events call_* (and call::* in 2023); everything else (contact_create,
# task_create, contact_center::contact_create, deal events) is not about calls.
_CALL_PREFIXES: Final = ("call_", "call::")

# Hipcall's directions as the classic codes the call model counts.
_DIRECTIONS: Final = {"inbound": "IN", "outbound": "OUT", "internal": "LOCAL"}
_OLD_DIRECTIONS: Final = {0: "IN"}
"""The 2023 envelope's integer directions: 0 is seen for an inbound call; the other values
are not documented, so they are not guessed."""

LONGEST_TALK: Final = timedelta(days=1)
"""Longer is no call's talk time, but a time that does not fit (see protocol.usable_time)."""

_NO_USER: Final = "0"
"""The 2023 example's `user_id: 0` on a call no user has taken: Hipcall ids start at 1."""


def parse_hipcall_body(
    body: bytes, content_type: str | None = None
) -> BulutfonEvent | None:
    """Parse a Hipcall webhook request body into an event.

    None for a well-formed event that is not about a call (answer it 200 and ignore it).
    Raises PayloadError, and nothing else, for a body that is neither Hipcall envelope.
    """
    envelope = decode_body(body, content_type)
    name = envelope.get("event")
    if not isinstance(name, str) or not (name := name.strip()):
        raise PayloadError("event is missing")
    if len(name) > MAX_ID_LENGTH:
        raise PayloadError("event is too long")
    if not name.lower().startswith(_CALL_PREFIXES):
        return None
    data = envelope.get("data")
    if not isinstance(data, dict):
        raise PayloadError("data is missing")
    return _call_event(name, data)


def event_from_call_record(data: Mapping[str, Any]) -> BulutfonEvent | None:
    """One Hipcall call record as the event its final state means.

    The record is the `data` of a webhook or one item of the REST API's `GET /calls`: an
    ended call reads as its `call_hangup` (a missed call when `missing_call`). None when it
    is no call record (no uuid) or the call has not ended.
    """
    if not isinstance(data, Mapping) or bounded_text(data.get("uuid")) is None:
        return None
    if event_time(data.get("ended_at")) is None:
        return None
    try:
        return _call_event(CALL_HANGUP, data)
    except PayloadError:  # a field of a type Hipcall never sends: no record to trust
        return None


def _call_event(name: str, data: Mapping[str, Any]) -> BulutfonEvent:
    """The event of a call event's `data`, in either envelope."""
    kind = _CALL_EVENTS.get(name.lower())
    if "::" in name or data.get("event_type") == "call_state":
        return _old_call_event(name, kind, data)
    ended = kind is EventType.CALL_HANGUP
    if ended and _missing_call(data.get("missing_call")):
        kind = EventType.MISSING_CALL
    bridged_at = data.get("bridged_at")
    bridged = event_time(bridged_at)
    # A bridge time that does not parse still says a person answered.
    was_bridged = bridged is not None or bounded_text(bridged_at) is not None
    answered = was_bridged or kind is EventType.CALL_ANSWERED
    ended_at = event_time(data.get("ended_at"))
    started_at = event_time(data.get("started_at"))
    if kind is EventType.CALL_ANSWERED:
        timestamp = bridged or started_at
    elif ended:
        timestamp = ended_at or started_at
    else:
        timestamp = started_at
    return BulutfonEvent(
        event_type=clean_text(name),
        type=kind,
        uuid=bounded_text(data.get("uuid")),
        caller=_number(data.get("caller_number")),
        callee=_number(data.get("callee_number")),
        direction=_direction(data.get("direction")),
        timestamp=timestamp,
        account_id=bounded_text(data.get("account_id")),
        talk_duration=_talk_time(was_bridged, bridged, ended_at) if ended else None,
        hangup_cause=_code(data.get("hangup_by")) if ended else None,
        hangup_detail=bounded_text(data.get("missing_call_reason")),
        result_disposition="SUCCESS" if ended and answered else None,
        answered=answered,
        user_id=_user_id(data),
        team_id=_team_id(data),
        record_url=bounded_text(data.get("record_url"), MAX_MEDIA_URL_LENGTH),
        voicemail_url=bounded_text(data.get("voicemail_url"), MAX_MEDIA_URL_LENGTH),
    )


def _old_call_event(
    name: str, kind: EventType | None, data: Mapping[str, Any]
) -> BulutfonEvent:
    """The 2023 envelope: one contact number, the office number in `number`, no answer.

    It never says whether a person answered, so `answered` stays None, as on classic.
    """
    if kind is EventType.CALL_HANGUP and _missing_call(data.get("missing_call")):
        kind = EventType.MISSING_CALL
    direction = _direction(data.get("direction"))
    number = data.get("number")
    office = phone_digits(number.get("number")) if isinstance(number, dict) else None
    contact = phone_digits(data.get("contact_number"))
    # An outgoing call's contact is the callee; any other (and an unknown) direction's the
    # caller, as the 2023 example's inbound call shows.
    caller, callee = (office, contact) if direction == "OUT" else (contact, office)
    return BulutfonEvent(
        event_type=clean_text(name),
        type=kind,
        uuid=bounded_text(data.get("uuid")),
        caller=caller,
        callee=callee,
        direction=direction,
        timestamp=event_time(data.get("timestamp"))
        or event_time(data.get("startstamp")),
        account_id=bounded_text(data.get("account_id")),
        user_id=_user_id(data),
        record_url=bounded_text(data.get("record_url"), MAX_MEDIA_URL_LENGTH),
        voicemail_url=bounded_text(data.get("voicemail_url"), MAX_MEDIA_URL_LENGTH),
    )


def _number(value: Any) -> str | None:
    """A Hipcall number as digits: "+905321234567" -> "905321234567" (phone_digits' rule,
    with a shortcut for the E.164 text Hipcall sends)."""
    if isinstance(value, str) and value[:1] == "+":
        digits = value[1:]
        if digits.isascii() and digits.isdigit():
            return phone_digits(digits)
    return phone_digits(value)


def _direction(value: Any) -> str | None:
    """inbound / outbound / internal as IN / OUT / LOCAL; another text upper-cased as classic
    directions are; a number only where the 2023 envelope's meaning is known."""
    if isinstance(value, str):
        text = bounded_text(value)
        if text is None:
            return None
        return _DIRECTIONS.get(text.lower()) or text.upper()
    if type(value) is int:
        return _OLD_DIRECTIONS.get(value)
    return None


def _code(value: Any) -> str | None:
    """A code such as hangup_by or callee_type, in lower case."""
    text = bounded_text(value) if isinstance(value, str) else None
    return None if text is None else text.lower()


_MISSING: Final[dict[Any, bool]] = {
    "true": True,
    "false": False,
    True: True,
    False: False,
}
"""What `missing_call` may be: Hipcall sends JSON booleans (True == 1 and False == 0 here,
as 0/1 a gateway could make of them); "true"/"false" as text an export could make."""


def _missing_call(value: Any) -> bool:
    """Whether `missing_call` says the call was missed; PayloadError for a value no
    platform would send (a missed call counted on a guess would run automations)."""
    if value is None:
        return False
    if isinstance(value, str):
        value = value.strip().lower()
        if value in ("", "null"):
            return False
    elif type(value) not in (bool, int):
        raise PayloadError("missing_call is not true or false")
    found = _MISSING.get(value)
    if found is None:
        raise PayloadError("missing_call is not true or false")
    return found


def _hipcall_id(data: Mapping[str, Any], field: str) -> str | None:
    """A Hipcall id (user, team): a whole number, as JSON number or numeric text.

    Hipcall's ids are integers (vendor/hipcall.md). A boolean, a fraction or other text is
    no id: PayloadError (400), never a person called "User true" made from it (an id
    becomes a device).
    """
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text in ("", "null"):
            return None
        if text.isascii() and text.isdigit() and len(text) <= MAX_ID_LENGTH:
            return str(int(text))
    elif type(value) is int and 0 <= value < 10**MAX_ID_LENGTH:
        return str(value)
    raise PayloadError(f"{field} is not an id")


def _user_id(data: Mapping[str, Any]) -> str | None:
    """The Hipcall user on the call: `user_id`, else the user party of the call."""
    user = _hipcall_id(data, "user_id")
    if user is None:
        for role in ("callee", "caller"):
            if _code(data.get(f"{role}_type")) == "user":
                user = _hipcall_id(data, f"{role}_id")
                break
    return None if user == _NO_USER else user


def _team_id(data: Mapping[str, Any]) -> str | None:
    """The team (ring group, queue) a call is offered to: the callee when it is a team."""
    if _code(data.get("callee_type")) == "team":
        return _hipcall_id(data, "callee_id")
    return _hipcall_id(data, "team_id")


def _talk_time(
    was_bridged: bool, bridged: datetime | None, ended_at: datetime | None
) -> int | None:
    """Seconds from bridge to end: 0 when never bridged, None when the times do not tell.

    Never `call_duration`, which counts ringing and the voice menu too.
    """
    if not was_bridged:
        return 0
    if bridged is None or ended_at is None or ended_at < bridged:
        return None
    talk = ended_at - bridged
    # A bridge or end dated far off (9999-12-31) is no talk time: the day's talk time
    # would take billions of seconds from one body.
    return None if talk > LONGEST_TALK else int(talk.total_seconds())
