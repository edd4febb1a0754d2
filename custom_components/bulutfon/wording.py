# ruff: noqa: RUF001, RUF002  (Turkish text: its dotless i is meant)
"""How Bulutfon's facts read to a person: numbers, durations, codes and logbook lines.

Plain Python without Home Assistant imports: the one place that decides the wording, so that
the logbook, the entities and the dialogs cannot disagree. Nothing here raises on odd input:
what cannot be formatted is shown as it came.

Home Assistant translates what the frontend shows (entity names, states, attribute names and
values) from translations/*.json. What the backend writes as text itself (logbook lines) is
worded here, in English and Turkish, and picked by Home Assistant's configured language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from .protocol import EventType

ENGLISH: Final = "en"
TURKISH: Final = "tr"
LANGUAGES: Final = (ENGLISH, TURKISH)


def language_for(configured: str | None) -> str:
    """The language to write in for Home Assistant's configured language ("tr-TR" -> "tr").

    Turkish for Turkish, English for every other language.
    """
    if configured and configured.replace("_", "-").split("-")[0].lower() == TURKISH:
        return TURKISH
    return ENGLISH


# --- phone numbers -------------------------------------------------------------------------

_NATIONAL_DIGITS: Final = 10
"""A Turkish number without its trunk 0 or country code 90: 532 123 45 67."""
_SHORTEST_INTERNATIONAL: Final = 11
"""Digits without "+": shorter is an extension or a short service number."""
_SHORTEST_FOREIGN: Final = 7
"""Digits after a "+" (or "00"): the shortest international numbers."""
_LONGEST_INTERNATIONAL: Final = 15
"""E.164: at most 15 digits, country code included."""
_PUNCTUATION: Final = frozenset(" -.()/\t")

# ITU-T E.164 country codes: 1 and 7 have one digit, these have two, all others three.
_TWO_DIGIT_CODES: Final = frozenset(
    [
        "20",
        "27",
        "30",
        "31",
        "32",
        "33",
        "34",
        "36",
        "39",
        "40",
        "41",
        "43",
        "44",
        "45",
        "46",
        "47",
        "48",
        "49",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "81",
        "82",
        "84",
        "86",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
    ]
)


def _country_code(digits: str) -> str:
    if digits[0] in "17":
        return digits[0]
    if digits[:2] in _TWO_DIGIT_CODES:
        return digits[:2]
    return digits[:3]


def _groups(digits: str, sizes: tuple[int, ...]) -> str:
    """Groups of the given sizes, then the rest: (2, 4) makes 2079460000 "20 7946 0000"."""
    parts: list[str] = []
    for size in sizes:
        parts.append(digits[:size])
        digits = digits[size:]
    parts.append(digits)
    return " ".join(parts)


def _generic_groups(national: str) -> str:
    """Threes from the left, ending in a group of two to four: 123 456 7890."""
    parts: list[str] = []
    while len(national) > 4:
        parts.append(national[:3])
        national = national[3:]
    parts.append(national)
    return " ".join(parts)


def _national_groups(country: str, national: str) -> str:
    """The national part of a foreign number, grouped as that country writes it.

    The countries whose callers Turkish businesses see most have their own pattern; the
    others get a plain grouping in threes.
    """
    size = len(national)
    if country == "1" and size == 10:  # North America: 212 555 0100
        return _groups(national, (3, 3))
    if country == "44" and size == 10:  # UK: 20 7946 0000, 7700 900000, 161 496 0000
        if national[0] == "2":
            return _groups(national, (2, 4))
        if national[0] == "7":
            return _groups(national, (4,))
        return _groups(national, (3, 3))
    if country == "33" and size == 9:  # France: 1 23 45 67 89
        return _groups(national, (1, 2, 2, 2))
    if country == "7" and size == 10:  # Russia, Kazakhstan: 912 345 67 89
        return _groups(national, (3, 3, 2))
    if country == "49" and national[:1] == "1" and size in (10, 11):  # German mobile
        return _groups(national, (3,))
    return _generic_groups(national)


def turkish_national(number: str | None) -> str | None:
    """The ten national digits of a Turkish number in any notation, else None.

    "905321234567", "+90 532 123 45 67", "0532 123 45 67", "0090532..." and "5321234567"
    all give "5321234567".
    """
    if not number:
        return None
    digits = "".join(char for char in number if "0" <= char <= "9")
    digits = digits.removeprefix("00")
    if len(digits) == _NATIONAL_DIGITS + 2 and digits.startswith("90"):
        return digits[2:]
    if len(digits) == _NATIONAL_DIGITS + 1 and digits.startswith("0"):
        return digits[1:]
    if len(digits) == _NATIONAL_DIGITS and digits[0] != "0":
        return digits
    return None


@lru_cache(maxsize=1024)
def readable_number(number: str | None) -> str | None:
    """A phone number as people in Turkey write it (the latest 1,024 kept: a sensor
    shows the same caller again with every event of the call).

    A Turkish number (country code 90 and ten digits) reads "0532 123 45 67"; a foreign
    number (11 to 15 digits with its country code) "+44 20 7946 0000"; a short number (an
    extension) and anything else that is not a phone number in digits stays as it came.
    """
    if not number:
        return number
    text = number.strip()
    international = text.startswith("+")
    body = text.removeprefix("+")
    if not body or not all("0" <= char <= "9" or char in _PUNCTUATION for char in body):
        return number
    digits = "".join(char for char in body if "0" <= char <= "9")
    if not international and digits.startswith("00"):
        international = True
        digits = digits[2:]
    if international:
        national = turkish_national(digits) if digits.startswith("90") else None
        foreign = _SHORTEST_FOREIGN <= len(digits) <= _LONGEST_INTERNATIONAL
    else:
        national = turkish_national(digits)
        foreign = _SHORTEST_INTERNATIONAL <= len(digits) <= _LONGEST_INTERNATIONAL
    if national is not None:
        return f"0{national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"
    # Turkey's numbers all have ten national digits: "90" and another length is broken.
    if foreign and digits[0] != "0" and not digits.startswith("90"):
        country = _country_code(digits)
        return f"+{country} {_national_groups(country, digits[len(country) :])}"
    return number


_DEVICE_MODELS: Final = {ENGLISH: "Cloud PBX", TURKISH: "Bulut santral"}


def device_model(language: str = ENGLISH) -> str:
    """The model a PBX number's device shows: "Cloud PBX", "Bulut santral"."""
    return _DEVICE_MODELS.get(language, _DEVICE_MODELS[ENGLISH])


def line_name(number: str, platform: str | None = None) -> str:
    """The name of a PBX number's entry and device: "Bulutfon 0850 885 00 00", or
    "Hipcall 0850 885 00 00" for a line on Hipcall (`platform` "hipcall")."""
    brand = "Hipcall" if platform == "hipcall" else "Bulutfon"
    return f"{brand} {readable_number(number)}"


# --- codes in entity attributes ------------------------------------------------------------

DIRECTIONS: Final = frozenset({"in", "out", "local"})
HANGUP_CAUSES: Final = frozenset(
    {
        # ITU-T Q.850's causes as FreeSWITCH spells them (Bulutfon's codes are its), its own
        # causes beside them, and Bulutfon's ANSWERED.
        "none",
        "unallocated_number",
        "no_route_transit_net",
        "no_route_destination",
        "channel_unacceptable",
        "call_awarded_delivered",
        "normal_clearing",
        "user_busy",
        "no_user_response",
        "no_answer",
        "subscriber_absent",
        "call_rejected",
        "number_changed",
        "redirection_to_new_destination",
        "exchange_routing_error",
        "destination_out_of_order",
        "invalid_number_format",
        "facility_rejected",
        "response_to_status_enquiry",
        "normal_unspecified",
        "normal_circuit_congestion",
        "network_out_of_order",
        "normal_temporary_failure",
        "switch_congestion",
        "access_info_discarded",
        "requested_chan_unavail",
        "pre_empted",
        "facility_not_subscribed",
        "outgoing_call_barred",
        "incoming_call_barred",
        "bearercapability_notauth",
        "bearercapability_notavail",
        "service_unavailable",
        "bearercapability_notimpl",
        "chan_not_implemented",
        "facility_not_implemented",
        "service_not_implemented",
        "invalid_call_reference",
        "incompatible_destination",
        "invalid_msg_unspecified",
        "mandatory_ie_missing",
        "message_type_nonexist",
        "wrong_message",
        "ie_nonexist",
        "invalid_ie_contents",
        "wrong_call_state",
        "recovery_on_timer_expire",
        "mandatory_ie_length_error",
        "protocol_error",
        "interworking",
        "success",
        "originator_cancel",
        "crash",
        "system_shutdown",
        "lose_race",
        "manager_request",
        "blind_transfer",
        "attended_transfer",
        "allotted_timeout",
        "user_challenge",
        "media_timeout",
        "picked_off",
        "user_not_registered",
        "progress_timeout",
        "invalid_gateway",
        "gateway_down",
        "invalid_url",
        "invalid_profile",
        "no_pickup",
        "srtp_read_error",
        "bowout",
        "busy_everywhere",
        "decline",
        "does_not_exist_anywhere",
        "not_acceptable",
        "unwanted",
        "answered",
        # Hipcall's hangup_by: who ended the call
        "user",
        "contact",
        "system",
    }
)
HANGUP_DETAILS: Final = frozenset(
    {
        # Who ended the call (FreeSWITCH's sip_hangup_disposition), and a timeout.
        "send_bye",
        "recv_bye",
        "send_refuse",
        "recv_refuse",
        "send_cancel",
        "recv_cancel",
        "recv_timeout",
    }
)
RESULT_DISPOSITIONS: Final = frozenset({"success", "failed", "busy", "no_answer"})

CODE_ATTRIBUTES: Final[Mapping[str, frozenset[str]]] = {
    "direction": DIRECTIONS,
    "hangup_cause": HANGUP_CAUSES,
    "hangup_detail": HANGUP_DETAILS,
    "result_disposition": RESULT_DISPOSITIONS,
}
"""Attributes whose values are codes, and the codes the translations know."""


def attribute_code(attribute: str, value: str | None) -> str | None:
    """A code as an entity attribute holds it: lower case when translated ("IN" -> "in").

    Home Assistant translates attribute values only in lower case; a code without a
    translation keeps the spelling Bulutfon sent, so that it is shown as sent.
    """
    if value is None:
        return None
    lowered = value.lower()
    return lowered if lowered in CODE_ATTRIBUTES.get(attribute, ()) else value


# --- durations -----------------------------------------------------------------------------

_UNITS: Final = {ENGLISH: ("h", "min", "s"), TURKISH: ("sa", "dk", "sn")}


def readable_duration(seconds: int, language: str = ENGLISH) -> str:
    """A length of time as people say it: "1 h 2 min 5 s", "1 dk 54 sn", "0 s"."""
    hours_unit, minutes_unit, seconds_unit = _UNITS.get(language, _UNITS[ENGLISH])
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} {hours_unit}")
    if minutes:
        parts.append(f"{minutes} {minutes_unit}")
    if secs or not parts:
        parts.append(f"{secs} {seconds_unit}")
    return " ".join(parts)


# --- events and logbook lines --------------------------------------------------------------

EVENT_ICONS: Final[Mapping[str, str]] = {
    EventType.CALL_INIT: "mdi:phone-incoming",
    EventType.CALL_HANGUP: "mdi:phone-hangup",
    EventType.FAX_INIT: "mdi:fax",
    EventType.MISSING_CALL: "mdi:phone-missed",
    EventType.CALL_INIT_EXTENSION: "mdi:phone-forward",
    EventType.CALL_INIT_GROUP: "mdi:account-group",
    EventType.CALL_INIT_MENU: "mdi:dialpad",
    EventType.CALL_ANSWERED: "mdi:phone-in-talk",
}
"""An icon per event type (also in icons.json for the event entity's states)."""
OUTGOING_ICON: Final = "mdi:phone-outgoing"
UNKNOWN_EVENT_ICON: Final = "mdi:phone-alert"

# The event vocabulary: the event entity's states and the device triggers use the same
# words (translations/*.json); the logbook line starts with them.
EVENT_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    ENGLISH: {
        EventType.CALL_INIT: "Call started",
        EventType.CALL_HANGUP: "Call ended",
        EventType.FAX_INIT: "Fax received",
        EventType.MISSING_CALL: "Missed call",
        EventType.CALL_INIT_EXTENSION: "Call reached an extension",
        EventType.CALL_INIT_GROUP: "Call reached a ring group",
        EventType.CALL_INIT_MENU: "Call reached a voice menu",
        EventType.CALL_ANSWERED: "Call answered",
    },
    TURKISH: {
        EventType.CALL_INIT: "Arama başladı",
        EventType.CALL_HANGUP: "Arama bitti",
        EventType.FAX_INIT: "Faks geldi",
        EventType.MISSING_CALL: "Cevapsız arama",
        EventType.CALL_INIT_EXTENSION: "Arama dahiliye düştü",
        EventType.CALL_INIT_GROUP: "Arama gruba düştü",
        EventType.CALL_INIT_MENU: "Arama menüye düştü",
        EventType.CALL_ANSWERED: "Arama cevaplandı",
    },
}

# Phrases of the logbook lines. A line is "<event>: <details>", never a sentence that puts
# a case ending on a name or number: Turkish suffixes would have to follow its sounds.
PHRASES: Final[Mapping[str, Mapping[str, str]]] = {
    ENGLISH: {
        "unknown_number": "unknown number",
        "hidden_number": "hidden number",
        "named": "{name} ({number})",
        "outgoing": "calling {callee}",
        "reached": "{caller} → {destination}",
        "extension": "extension {number}",
        "named_extension": "{name} (extension {number})",
        "group": "ring group {number}",
        "menu": "voice menu {number}",
        "talked": "{party}, talked {duration}",
        "not_talked": "{party}, no conversation",
        "unknown_event": "Bulutfon event: {type}",
        "recovered": "{message} (recovered from Hipcall afterwards)",
        "internal": "internal call",
        "internal_from": "internal call from {caller}",
        "answered_by": "outgoing call to {callee}",
    },
    TURKISH: {
        "unknown_number": "bilinmeyen numara",
        "hidden_number": "gizli numara",
        "named": "{name} ({number})",
        "outgoing": "{callee} aranıyor",
        "reached": "{caller} → {destination}",
        "extension": "dahili {number}",
        "named_extension": "{name} (dahili {number})",
        "group": "grup {number}",
        "menu": "sesli menü {number}",
        "talked": "{party}, görüşme süresi {duration}",
        "not_talked": "{party}, görüşme yapılmadı",
        "unknown_event": "Bulutfon olayı: {type}",
        "recovered": "{message} (sonradan Hipcall'dan alındı)",
        "internal": "iç arama",
        "internal_from": "iç arama, arayan {caller}",
        "answered_by": "giden arama, aranan {callee}",
    },
}

_REACHED: Final = {
    EventType.CALL_INIT_EXTENSION: "extension",
    EventType.CALL_INIT_GROUP: "group",
    EventType.CALL_INIT_MENU: "menu",
}
"""What a call reached, by the type of the event that says so."""

_KIND_BY_LENGTH: Final = {2: "menu", 3: "group", 4: "extension"}
"""What a destination is by its length: Bulutfon's voice menus have 2 digits, ring groups
3, extensions 4; anything else is a phone number."""


def phrase(language: str, key: str, **values: object) -> str:
    """One phrase of the logbook's wording in `language` (English when unknown)."""
    words = PHRASES.get(language, PHRASES[ENGLISH])
    return words[key].format(**values)


def party(
    number: str | None,
    name: str | None,
    language: str = ENGLISH,
    *,
    hidden: bool = False,
) -> str:
    """Who called, for people: "Ayşe Kaya (0532 123 45 67)", the number, "hidden number"
    when the caller withheld it, or "unknown number"."""
    if not isinstance(number, str):  # bad data: no number rather than an error
        number = None
    shown = readable_number(number) or phrase(
        language, "hidden_number" if hidden else "unknown_number"
    )
    if name:
        return phrase(language, "named", name=name, number=shown)
    return shown


def destination(
    number: str,
    name: str | None,
    language: str = ENGLISH,
    kind: str | None = None,
) -> str:
    """What a call reached or is sent to, saying what it is: "voice menu 11", "ring group
    112", "Zeynep (extension 1001)", or a phone number ("Ayşe (0532 123 45 67)").

    `kind` ("extension", "group", "menu") when the event says it; else by the length.
    """
    if kind is None:
        digits = number if number.isascii() and number.isdigit() else ""
        kind = _KIND_BY_LENGTH.get(len(digits))
    if kind is None:
        return party(number, name, language)
    if kind == "extension" and name:
        return phrase(language, "named_extension", name=name, number=number)
    return phrase(language, kind, number=number)


HIDDEN_NUMBER: Final = "hidden_number"
"""The state of a caller sensor whose caller withheld the number (translated: "Hidden
number", "Gizli numara"); a sensor that saw no call yet has no state (Unknown)."""


def caller_state(
    number: str | None, name: str | None, *, hidden: bool = False
) -> str | None:
    """A caller as a sensor state shows it: the phone-book name, else the readable
    number, else HIDDEN_NUMBER for a withheld one."""
    return name or readable_number(number) or (HIDDEN_NUMBER if hidden else None)


def event_label(event_type: str, language: str = ENGLISH) -> str | None:
    """The name of an event type in the event vocabulary, or None for an unknown type."""
    return EVENT_LABELS.get(language, EVENT_LABELS[ENGLISH]).get(event_type)


def _is_outgoing(data: Mapping[str, Any]) -> bool:
    return str(data.get("direction") or "").upper() == "OUT"


def _internal_caller(data: Mapping[str, Any], language: str) -> str:
    """Who made an internal call: "internal call from extension 1001" (its number says
    what it is), or "internal call" when the event does not tell (Hipcall's internal calls
    carry no number): never "unknown number", which reads as an outside caller."""
    number = data.get("caller")
    if not isinstance(number, str) or not number:
        return phrase(language, "internal")
    name = data.get("caller_name")
    caller = destination(number, name if isinstance(name, str) else None, language)
    return phrase(language, "internal_from", caller=caller)


def logbook_message(data: Mapping[str, Any], language: str = ENGLISH) -> str:
    """The logbook line for one `bulutfon_event`'s data: "Missed call: Ayşe (0532 …)"."""
    event_type = str(data.get("type"))
    label = event_label(event_type, language)
    if label is None:
        return phrase(language, "unknown_event", type=event_type)
    outgoing = _is_outgoing(data)
    if str(data.get("direction") or "").upper() == "LOCAL":
        caller = _internal_caller(data, language)
    else:
        caller = party(
            data.get("caller"),
            data.get("caller_name"),
            language,
            hidden=data.get("caller_hidden") is True,
        )
    if event_type == EventType.CALL_INIT and outgoing:
        callee = party(data.get("callee"), data.get("callee_name"), language)
        detail = phrase(language, "outgoing", callee=callee)
    elif event_type in _REACHED and isinstance(place := data.get("destination"), str):
        name = data.get("destination_name")
        reached = destination(
            place,
            name if isinstance(name, str) else None,
            language,
            _REACHED[EventType(event_type)],
        )
        detail = phrase(language, "reached", caller=caller, destination=reached)
    elif event_type == EventType.CALL_HANGUP:
        other = (
            party(data.get("callee"), data.get("callee_name"), language)
            if outgoing
            else caller
        )
        duration = data.get("talk_duration")
        if isinstance(duration, int) and not isinstance(duration, bool) and duration:
            detail = phrase(
                language,
                "talked",
                party=other,
                duration=readable_duration(duration, language),
            )
        elif duration == 0:
            detail = phrase(language, "not_talked", party=other)
        else:
            detail = other
    elif event_type == EventType.CALL_ANSWERED and outgoing:
        # The office's own number answered nothing: the called party did.
        callee = party(data.get("callee"), data.get("callee_name"), language)
        detail = phrase(language, "answered_by", callee=callee)
    else:
        detail = caller
    if data.get("replayed") is True:
        # Recovered through the API: it happened while nobody listened.
        return phrase(language, "recovered", message=f"{label}: {detail}")
    return f"{label}: {detail}"


def logbook_icon(data: Mapping[str, Any]) -> str:
    """The icon of a `bulutfon_event`'s logbook line."""
    event_type = data.get("type")
    if event_type == EventType.CALL_INIT and _is_outgoing(data):
        return OUTGOING_ICON
    return EVENT_ICONS.get(str(event_type), UNKNOWN_EVENT_ICON)


# --- call routing (BulutfonXM) decisions ---------------------------------------------------

ROUTE_ICONS: Final[Mapping[str, str]] = {
    "dial": "mdi:phone-forward",
    "reject": "mdi:phone-cancel",
    "hangup": "mdi:phone-hangup",
    "gather": "mdi:dialpad",
}
"""An icon per routing action (`bulutfon_route`'s logbook lines)."""

# A line is "<what happened>: <details>", as for the call events.
ROUTE_PHRASES: Final[Mapping[str, Mapping[str, str]]] = {
    ENGLISH: {
        "routed": "Call routed",
        "rejected": "Call rejected",
        "ended": "Call ended by routing",
        "asked": "Caller asked to press keys",
        "blocked": "{caller}, blocked number",
        "by_script": "{caller}, by the routing script",
        "to": "{caller} → {destination}",
        "to_default": "{caller} → {destination}, the default destination",
        "to_fallback": "{caller} → {destination}, the default destination: {problem}",
        "failed": "the routing script failed",
        "timeout": "the routing script took too long",
        "no_answer": "the routing script answered nothing",
        "invalid_answer": "the routing script answered something unusable",
        "invalid_destination": "the routing script gave an invalid destination",
        "speech_unavailable": "the question could not be spoken",
    },
    TURKISH: {
        "routed": "Arama yönlendirildi",
        "rejected": "Arama reddedildi",
        "ended": "Arama yönlendirmede sonlandırıldı",
        "asked": "Arayandan tuşlama istendi",
        "blocked": "{caller}, engelli numara",
        "by_script": "{caller}, yönlendirme betiği",
        "to": "{caller} → {destination}",
        "to_default": "{caller} → {destination}, varsayılan hedef",
        "to_fallback": "{caller} → {destination}, varsayılan hedef: {problem}",
        "failed": "yönlendirme betiği hata verdi",
        "timeout": "yönlendirme betiği çok uzun sürdü",
        "no_answer": "yönlendirme betiği yanıt vermedi",
        "invalid_answer": "yönlendirme betiğinin yanıtı kullanılamadı",
        "invalid_destination": "yönlendirme betiği geçersiz bir hedef verdi",
        "speech_unavailable": "soru seslendirilemedi",
    },
}


def route_message(data: Mapping[str, Any], language: str = ENGLISH) -> str:
    """The logbook line for one `bulutfon_route`'s data: "Call routed: Ayşe (0532 …) → 1000"."""
    words = ROUTE_PHRASES.get(language, ROUTE_PHRASES[ENGLISH])
    caller = party(data.get("caller"), data.get("caller_name"), language)
    action, reason = data.get("action"), data.get("reason")
    if reason == "blocked":
        return f"{words['rejected']}: {words['blocked'].format(caller=caller)}"
    if action == "reject":
        return f"{words['rejected']}: {words['by_script'].format(caller=caller)}"
    if action == "hangup":
        return f"{words['ended']}: {words['by_script'].format(caller=caller)}"
    if action == "gather":
        return f"{words['asked']}: {caller}"
    target, name = data.get("destination"), data.get("destination_name")
    sent_to = (
        destination(target, name if isinstance(name, str) else None, language)
        if isinstance(target, str) and target
        else "?"
    )
    if reason == "script":
        detail = words["to"].format(caller=caller, destination=sent_to)
    elif reason == "fallback":
        problem = words.get(str(data.get("problem")), words["failed"])
        detail = words["to_fallback"].format(
            caller=caller, destination=sent_to, problem=problem
        )
    else:
        detail = words["to_default"].format(caller=caller, destination=sent_to)
    return f"{words['routed']}: {detail}"


def route_icon(data: Mapping[str, Any]) -> str:
    """The icon of a `bulutfon_route`'s logbook line."""
    return ROUTE_ICONS.get(str(data.get("action")), UNKNOWN_EVENT_ICON)


# --- the call-back list and spoken answers -------------------------------------------------

_MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    ENGLISH: (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    TURKISH: (
        "Ocak",
        "Şubat",
        "Mart",
        "Nisan",
        "Mayıs",
        "Haziran",
        "Temmuz",
        "Ağustos",
        "Eylül",
        "Ekim",
        "Kasım",
        "Aralık",
    ),
}

# Sentences of the to-do items and of Assist's answers. None puts a case ending on a name
# or a number ("Ayşe'den", "0532 ...'den"): each names the person first or after a colon,
# so the Turkish is right whatever the name sounds like.
SENTENCES: Final[Mapping[str, Mapping[str, str]]] = {
    ENGLISH: {
        "missed_once": "1 missed call, {time}",
        "missed_many": "{count} missed calls, the last {time}",
        "at_time": "on {day} {month} at {clock}",
        "rang_at": "rang at {place}",
        "voicemail": "left a voicemail",
        "extension": "extension {number}",
        "group": "ring group {number}",
        "menu": "voice menu {number}",
        "user": "user {number}",
        "team": "team {number}",
        "and": "and",
        "more": "{count} more",
        "just_now": "just now",
        "minutes_ago": "{count} minutes ago",
        "minute_ago": "1 minute ago",
        "hours_ago": "{count} hours ago",
        "hour_ago": "1 hour ago",
        "days_ago": "{count} days ago",
        "day_ago": "yesterday",
        "hour": "{count} hour",
        "hours": "{count} hours",
        "minute": "{count} minute",
        "minutes": "{count} minutes",
        "second": "{count} second",
        "seconds": "{count} seconds",
        "no_line": "No Bulutfon line is set up.",
        "last_caller": "The last call was from {caller}, {ago}.",
        "no_caller": "No one has called yet.",
        "unknown_caller": "an unknown number",
        "callbacks_one": "One caller to call back: {callers}.",
        "callbacks_many": "{count} callers to call back: {callers}.",
        "no_callbacks": "No one to call back.",
        "busy_one": "Yes, one call is on.",
        "busy_many": "Yes, {count} calls are on.",
        "free": "No, the line is free.",
        "yes_free": "Yes, the line is free.",
        "not_free_one": "No, one call is on.",
        "not_free_many": "No, {count} calls are on.",
        "count_none": "No call is on.",
        "count_one": "One call is on.",
        "count_many": "{count} calls are on.",
        "call_one": "1 call",
        "calls": "{count} calls",
        "state_idle": "idle",
        "state_ringing": "ringing ({calls})",
        "state_talking": "talking ({calls})",
        "state_in_call": "in a call ({calls})",
        "state_of_line": "The line is {state}.",
        "line_state": "{line} is {state}",
        "yes_all_free": "Yes, every line is free.",
        "no_all_free": "No, every line is free.",
        "yes_lines": "Yes: {states}.",
        "no_lines": "No: {states}.",
        "count_lines": "{calls} in all: {states}.",
        "lines": "{states}.",
        "not_exposed": (
            "I can't answer that: the line's entities it reads are not exposed to Assist."
        ),
        "unknown_line": "There is no phone line called {name}; the lines are {lines}.",
        "on_phone_one": "{people} is on the phone.",
        "on_phone_many": "{people} are on the phone.",
        "on_phone_unknown": "{count} calls are on, but not at a known extension.",
        "on_phone_unknown_one": "One call is on, but not at a known extension.",
        "nobody_on_phone": "No one is on the phone.",
        "today": (
            "Today: {incoming} incoming, {outgoing} outgoing, {answered} answered "
            "and {missed} missed calls; {talk} of talk."
        ),
    },
    TURKISH: {
        "missed_once": "1 cevapsız çağrı, {time}",
        "missed_many": "{count} cevapsız çağrı, sonuncusu {time}",
        "at_time": "{day} {month} {clock}",
        "rang_at": "çaldığı yer: {place}",
        "voicemail": "sesli mesaj bıraktı",
        "extension": "dahili {number}",
        "group": "grup {number}",
        "menu": "menü {number}",
        "user": "kullanıcı {number}",
        "team": "ekip {number}",
        "and": "ve",
        "more": "{count} kişi daha",
        "just_now": "az önce",
        "minutes_ago": "{count} dakika önce",
        "minute_ago": "1 dakika önce",
        "hours_ago": "{count} saat önce",
        "hour_ago": "1 saat önce",
        "days_ago": "{count} gün önce",
        "day_ago": "dün",
        "hour": "{count} saat",
        "hours": "{count} saat",
        "minute": "{count} dakika",
        "minutes": "{count} dakika",
        "second": "{count} saniye",
        "seconds": "{count} saniye",
        "no_line": "Kurulu bir Bulutfon hattı yok.",
        "last_caller": "Son arayan: {caller}, {ago}.",
        "no_caller": "Henüz arayan olmadı.",
        "unknown_caller": "bilinmeyen numara",
        "callbacks_one": "Geri aranacak 1 kişi var: {callers}.",
        "callbacks_many": "Geri aranacak {count} kişi var: {callers}.",
        "no_callbacks": "Geri aranacak kimse yok.",
        "busy_one": "Evet, hatta 1 çağrı var.",
        "busy_many": "Evet, hatta {count} çağrı var.",
        "free": "Hayır, hat boş.",
        "yes_free": "Evet, hat boş.",
        "not_free_one": "Hayır, hatta 1 çağrı var.",
        "not_free_many": "Hayır, hatta {count} çağrı var.",
        "count_none": "Hatta çağrı yok.",
        "count_one": "Hatta 1 çağrı var.",
        "count_many": "Hatta {count} çağrı var.",
        "call_one": "1 çağrı",
        "calls": "{count} çağrı",
        "state_idle": "boşta",
        "state_ringing": "çalıyor ({calls})",
        "state_talking": "görüşmede ({calls})",
        "state_in_call": "meşgul ({calls})",
        "state_of_line": "Hat {state}.",
        "line_state": "{line} {state}",
        "yes_all_free": "Evet, bütün hatlar boş.",
        "no_all_free": "Hayır, bütün hatlar boş.",
        "yes_lines": "Evet: {states}.",
        "no_lines": "Hayır: {states}.",
        "count_lines": "Toplam {calls}: {states}.",
        "lines": "{states}.",
        "not_exposed": (
            "Bunu yanıtlayamam: gereken hat varlıkları Assist'e açık değil."
        ),
        "unknown_line": "{name} adında bir hat yok; hatlar: {lines}.",
        "on_phone_one": "Telefonda: {people}.",
        "on_phone_many": "Telefonda: {people}.",
        "on_phone_unknown": "Hatta {count} çağrı var, ama bilinen bir dahilide değil.",
        "on_phone_unknown_one": "Hatta 1 çağrı var, ama bilinen bir dahilide değil.",
        "nobody_on_phone": "Şu an kimse telefonda değil.",
        "today": (
            "Bugün {incoming} gelen, {outgoing} giden, {answered} cevaplanan ve "
            "{missed} cevapsız çağrı; toplam görüşme {talk}."
        ),
    },
}

SPOKEN_LIST_LIMIT: Final = 5
"""How many names an answer reads out before "and 3 more"."""


def sentence(language: str, key: str, **values: object) -> str:
    """One sentence of the list's and Assist's wording in `language` (English if unknown)."""
    words = SENTENCES.get(language, SENTENCES[ENGLISH])
    return words[key].format(**values)


def place_label(
    kind: str, number: str, name: str | None = None, language: str = ENGLISH
) -> str:
    """A place as people name it: its phone-book name, else "extension 1001", "grup 111"."""
    if name:
        return name
    words = SENTENCES.get(language, SENTENCES[ENGLISH])
    return words[kind].format(number=number) if kind in words else number


def local_moment(moment: datetime, language: str = ENGLISH) -> str:
    """A local date and time: "on 4 May at 14:05" / "4 Mayıs 14:05"."""
    months = _MONTHS.get(language, _MONTHS[ENGLISH])
    return sentence(
        language,
        "at_time",
        day=moment.day,
        month=months[moment.month - 1],
        clock=f"{moment.hour:02d}:{moment.minute:02d}",
    )


def callback_description(
    missed: int,
    last_missed: datetime,
    place: str | None,
    language: str = ENGLISH,
    *,
    voicemail: bool = False,
) -> str:
    """A to-do item's description: how many missed calls, the last one's local time,
    where it rang, and whether one left a voicemail ("3 missed calls, the last on 4 May at
    14:05; rang at ring group 111; left a voicemail")."""
    time = local_moment(last_missed, language)
    if missed == 1:
        text = sentence(language, "missed_once", time=time)
    else:
        text = sentence(language, "missed_many", count=missed, time=time)
    if place:
        text = f"{text}; {sentence(language, 'rang_at', place=place)}"
    if voicemail:
        text = f"{text}; {sentence(language, 'voicemail')}"
    return text


def time_ago(seconds: float, language: str = ENGLISH) -> str:
    """How long ago, as said aloud: "just now", "5 minutes ago", "2 saat önce", "dün"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return sentence(language, "just_now")
    minutes = seconds // 60
    if minutes < 60:
        if minutes == 1:
            return sentence(language, "minute_ago")
        return sentence(language, "minutes_ago", count=minutes)
    hours = minutes // 60
    if hours < 24:
        if hours == 1:
            return sentence(language, "hour_ago")
        return sentence(language, "hours_ago", count=hours)
    days = hours // 24
    if days == 1:
        return sentence(language, "day_ago")
    return sentence(language, "days_ago", count=days)


def spoken_duration(seconds: int, language: str = ENGLISH) -> str:
    """A length of time in words: "1 hour 2 minutes", "45 saniye"."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    for count, one, many in (
        (hours, "hour", "hours"),
        (minutes, "minute", "minutes"),
    ):
        if count:
            parts.append(sentence(language, one if count == 1 else many, count=count))
    if (secs and not hours) or not parts:
        parts.append(
            sentence(language, "second" if secs == 1 else "seconds", count=secs)
        )
    return " ".join(parts)


def spoken_list(items: list[str], language: str = ENGLISH) -> str:
    """Names read out: "A", "A and B", "A, B and C"; past five "..., E and 3 more"."""
    if len(items) > SPOKEN_LIST_LIMIT:
        rest = len(items) - SPOKEN_LIST_LIMIT
        items = [*items[:SPOKEN_LIST_LIMIT], sentence(language, "more", count=rest)]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {sentence(language, 'and')} {items[-1]}"
