# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""The wording module alone: numbers, durations, codes and logbook lines as people read them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.bulutfon.protocol import EventType
from custom_components.bulutfon.wording import (
    CODE_ATTRIBUTES,
    ENGLISH,
    EVENT_ICONS,
    EVENT_LABELS,
    LANGUAGES,
    TURKISH,
    attribute_code,
    caller_state,
    event_label,
    language_for,
    line_name,
    logbook_icon,
    logbook_message,
    party,
    readable_duration,
    readable_number,
    turkish_national,
)

INTEGRATION = Path(__file__).parents[1] / "custom_components" / "bulutfon"


def _translations(language: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (INTEGRATION / "translations" / f"{language}.json").read_text("utf-8")
    )
    return loaded


@pytest.mark.parametrize(
    "form",
    [
        "905321234567",
        "+90 532 123 45 67",
        "0532 123 45 67",
        "05321234567",
        "5321234567",
        "0090 532 123 45 67",
        "(0532) 123-45-67",
    ],
)
def test_turkish_numbers_read_as_people_in_turkey_write_them(form: str) -> None:
    """Every notation of a Turkish number reads 0532 123 45 67."""
    assert readable_number(form) == "0532 123 45 67"
    assert turkish_national(form) == "5321234567"


@pytest.mark.parametrize(
    ("number", "readable"),
    [
        ("908508850000", "0850 885 00 00"),
        ("902125550000", "0212 555 00 00"),
        ("442079460000", "+44 20 7946 0000"),
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("447700900123", "+44 7700 900123"),
        ("441614960000", "+44 161 496 0000"),
        ("0044 20 7946 0000", "+44 20 7946 0000"),
        ("12125550100", "+1 212 555 0100"),
        ("33123456789", "+33 1 23 45 67 89"),
        ("79123456789", "+7 912 345 67 89"),
        ("4915112345678", "+49 151 12345678"),
        ("4930123456789", "+49 301 234 567 89"),
        ("994123456789", "+994 123 456 789"),
    ],
)
def test_numbers_read_with_their_country(number: str, readable: str) -> None:
    """Foreign numbers read in international form, grouped where the country is known."""
    assert readable_number(number) == readable


@pytest.mark.parametrize(
    "number",
    [
        "1000",  # an extension
        "111",  # a ring group
        "4441234",  # a short service number
        "90532000000",  # "90" but too short: the vendor example's broken caller
        "0123456789012",  # no country code starts with 0
        "anonymous",
        "+",
        "12345678901234567890",  # longer than any phone number
        "0532 123 45 67 dahili 12",
        "",
    ],
)
def test_what_is_no_readable_number_stays_as_it_came(number: str) -> None:
    """Extensions, short numbers and text are shown exactly as they came."""
    assert readable_number(number) == number


def test_no_number_stays_no_number() -> None:
    """None is None, so that callers can fall back."""
    assert readable_number(None) is None
    assert turkish_national(None) is None


@given(st.text(max_size=40))
def test_readable_number_never_raises(text: str) -> None:
    """Any text gives a string; the digits of a formatted number are the digits it had."""
    shown = readable_number(text)
    assert isinstance(shown, str)
    if shown != text:
        digits = "".join(char for char in text if "0" <= char <= "9")
        shown_digits = "".join(char for char in shown if "0" <= char <= "9")
        assert shown_digits.lstrip("0").endswith(digits.lstrip("0")[-9:])


def test_line_name() -> None:
    """An entry and its device are named with the readable number."""
    assert line_name("908508850000") == "Bulutfon 0850 885 00 00"
    assert line_name("442079460000") == "Bulutfon +44 20 7946 0000"


@pytest.mark.parametrize(
    ("configured", "language"),
    [
        ("tr", TURKISH),
        ("tr-TR", TURKISH),
        ("TR", TURKISH),
        ("en", ENGLISH),
        ("en-GB", ENGLISH),
        ("de", ENGLISH),
        ("", ENGLISH),
        (None, ENGLISH),
    ],
)
def test_language_for(configured: str | None, language: str) -> None:
    """Turkish for Turkish, English for every other language."""
    assert language_for(configured) == language


@pytest.mark.parametrize(
    ("seconds", "english", "turkish"),
    [
        (0, "0 s", "0 sn"),
        (45, "45 s", "45 sn"),
        (60, "1 min", "1 dk"),
        (114, "1 min 54 s", "1 dk 54 sn"),
        (3600, "1 h", "1 sa"),
        (3725, "1 h 2 min 5 s", "1 sa 2 dk 5 sn"),
        (-5, "0 s", "0 sn"),
    ],
)
def test_readable_duration(seconds: int, english: str, turkish: str) -> None:
    """A call's length reads in hours, minutes and seconds, in both languages."""
    assert readable_duration(seconds, ENGLISH) == english
    assert readable_duration(seconds, TURKISH) == turkish


@pytest.mark.parametrize(
    ("attribute", "sent", "held"),
    [
        ("direction", "IN", "in"),
        ("direction", "OUT", "out"),
        ("direction", "LOCAL", "local"),
        ("hangup_cause", "NORMAL_CLEARING", "normal_clearing"),
        ("hangup_cause", "USER_BUSY", "user_busy"),
        ("hangup_detail", "send_bye", "send_bye"),
        ("result_disposition", "SUCCESS", "success"),
        # Codes without a translation are shown as sent.
        ("hangup_cause", "SOMETHING_NEW", "SOMETHING_NEW"),
        ("direction", "Sideways", "Sideways"),
        ("uuid", "ABC", "ABC"),
    ],
)
def test_attribute_code(attribute: str, sent: str, held: str) -> None:
    """Translated codes are held in lower case; unknown ones as Bulutfon sent them."""
    assert attribute_code(attribute, sent) == held


def test_attribute_code_of_nothing() -> None:
    """A field that was not sent stays None."""
    assert attribute_code("direction", None) is None


# Q.850's release causes as FreeSWITCH names them (its cause table), its own causes, and
# what Bulutfon's documents add: written out here, not taken from the code under test.
Q850_CAUSES = [
    "NONE",
    "UNALLOCATED_NUMBER",
    "NO_ROUTE_TRANSIT_NET",
    "NO_ROUTE_DESTINATION",
    "CHANNEL_UNACCEPTABLE",
    "CALL_AWARDED_DELIVERED",
    "NORMAL_CLEARING",
    "USER_BUSY",
    "NO_USER_RESPONSE",
    "NO_ANSWER",
    "SUBSCRIBER_ABSENT",
    "CALL_REJECTED",
    "NUMBER_CHANGED",
    "REDIRECTION_TO_NEW_DESTINATION",
    "EXCHANGE_ROUTING_ERROR",
    "DESTINATION_OUT_OF_ORDER",
    "INVALID_NUMBER_FORMAT",
    "FACILITY_REJECTED",
    "RESPONSE_TO_STATUS_ENQUIRY",
    "NORMAL_UNSPECIFIED",
    "NORMAL_CIRCUIT_CONGESTION",
    "NETWORK_OUT_OF_ORDER",
    "NORMAL_TEMPORARY_FAILURE",
    "SWITCH_CONGESTION",
    "ACCESS_INFO_DISCARDED",
    "REQUESTED_CHAN_UNAVAIL",
    "PRE_EMPTED",
    "FACILITY_NOT_SUBSCRIBED",
    "OUTGOING_CALL_BARRED",
    "INCOMING_CALL_BARRED",
    "BEARERCAPABILITY_NOTAUTH",
    "BEARERCAPABILITY_NOTAVAIL",
    "SERVICE_UNAVAILABLE",
    "BEARERCAPABILITY_NOTIMPL",
    "CHAN_NOT_IMPLEMENTED",
    "FACILITY_NOT_IMPLEMENTED",
    "SERVICE_NOT_IMPLEMENTED",
    "INVALID_CALL_REFERENCE",
    "INCOMPATIBLE_DESTINATION",
    "INVALID_MSG_UNSPECIFIED",
    "MANDATORY_IE_MISSING",
    "MESSAGE_TYPE_NONEXIST",
    "WRONG_MESSAGE",
    "IE_NONEXIST",
    "INVALID_IE_CONTENTS",
    "WRONG_CALL_STATE",
    "RECOVERY_ON_TIMER_EXPIRE",
    "MANDATORY_IE_LENGTH_ERROR",
    "PROTOCOL_ERROR",
    "INTERWORKING",
    "SUCCESS",
    "ORIGINATOR_CANCEL",
    "CRASH",
    "SYSTEM_SHUTDOWN",
    "LOSE_RACE",
    "MANAGER_REQUEST",
    "BLIND_TRANSFER",
    "ATTENDED_TRANSFER",
    "ALLOTTED_TIMEOUT",
    "USER_CHALLENGE",
    "MEDIA_TIMEOUT",
    "PICKED_OFF",
    "USER_NOT_REGISTERED",
    "PROGRESS_TIMEOUT",
    "INVALID_GATEWAY",
    "GATEWAY_DOWN",
    "INVALID_URL",
    "INVALID_PROFILE",
    "NO_PICKUP",
    "SRTP_READ_ERROR",
    "BOWOUT",
    "BUSY_EVERYWHERE",
    "DECLINE",
    "DOES_NOT_EXIST_ANYWHERE",
    "NOT_ACCEPTABLE",
    "UNWANTED",
    "ANSWERED",
]
HANGUP_DETAILS = [
    "send_bye",
    "recv_bye",
    "send_refuse",
    "recv_refuse",
    "send_cancel",
    "recv_cancel",
    "recv_timeout",
]
RESULT_DISPOSITIONS = ["SUCCESS", "FAILED"]


@pytest.mark.parametrize(
    ("attribute", "codes"),
    [
        ("hangup_cause", Q850_CAUSES),
        ("hangup_detail", HANGUP_DETAILS),
        ("result_disposition", RESULT_DISPOSITIONS),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_named_code_reads_translated(
    attribute: str, codes: list[str], language: str
) -> None:
    """Every code Bulutfon's documents and Q.850 name has its words, in every entity
    attribute that can hold it, in English and in Turkish (none shown as sent)."""
    entities = _translations(language)["entity"]
    blocks = [
        entity["state_attributes"][attribute]["state"]
        for platform in entities.values()
        for entity in platform.values()
        if attribute in entity.get("state_attributes", {})
    ]
    assert len(blocks) >= 2  # the call event and the last call's duration
    for code in codes:
        held = attribute_code(attribute, code)
        assert held == code.lower(), code
        for block in blocks:
            assert block.get(held), (language, attribute, code)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_know_every_code(language: str) -> None:
    """Each code attribute of each entity is translated, for every code this module keeps."""
    entities = _translations(language)["entity"]
    checked = 0
    for platform in entities.values():
        for entity in platform.values():
            for attribute, translation in entity.get("state_attributes", {}).items():
                if attribute in CODE_ATTRIBUTES:
                    assert set(translation["state"]) == CODE_ATTRIBUTES[attribute]
                    checked += 1
    assert checked >= 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_vocabulary_for_the_events(language: str) -> None:
    """The logbook, the event entity's states and the device triggers name events alike."""
    translations = _translations(language)
    states = translations["entity"]["event"]["call"]["state_attributes"]["event_type"]
    assert states["state"] == EVENT_LABELS[language]
    assert translations["device_automation"]["trigger_type"] == EVENT_LABELS[language]


def test_icons_match_the_event_entity() -> None:
    """The logbook's icons are the event entity's icons for the same event types."""
    icons = json.loads((INTEGRATION / "icons.json").read_text("utf-8"))
    states = icons["entity"]["event"]["call"]["state_attributes"]["event_type"]
    assert states["state"] == EVENT_ICONS
    assert set(EVENT_ICONS) == set(EventType)


AYSE = "905321234567"


def _data(**fields: Any) -> dict[str, Any]:
    """bulutfon_event data as the line fires it (the fields that matter here)."""
    return {
        "type": "call_init",
        "caller": AYSE,
        "caller_name": None,
        "callee": "908508850000",
        "callee_name": None,
        "direction": "IN",
        "destination": None,
        "talk_duration": None,
        **fields,
    }


@pytest.mark.parametrize(
    ("data", "english", "turkish"),
    [
        (
            _data(type="missing_call", caller_name="Ayşe Kaya"),
            "Missed call: Ayşe Kaya (0532 123 45 67)",
            "Cevapsız arama: Ayşe Kaya (0532 123 45 67)",
        ),
        (
            _data(type="missing_call"),
            "Missed call: 0532 123 45 67",
            "Cevapsız arama: 0532 123 45 67",
        ),
        (
            _data(type="missing_call", caller=None),
            "Missed call: unknown number",
            "Cevapsız arama: bilinmeyen numara",
        ),
        (
            _data(type="call_init"),
            "Call started: 0532 123 45 67",
            "Arama başladı: 0532 123 45 67",
        ),
        (
            _data(
                type="call_init",
                direction="OUT",
                caller="1000",
                callee=AYSE,
                callee_name="Ayşe Kaya",
            ),
            "Call started: calling Ayşe Kaya (0532 123 45 67)",
            "Arama başladı: Ayşe Kaya (0532 123 45 67) aranıyor",
        ),
        (
            _data(type="call_init_extension", destination="1000"),
            "Call reached an extension: 0532 123 45 67 → extension 1000",
            "Arama dahiliye düştü: 0532 123 45 67 → dahili 1000",
        ),
        (
            _data(type="call_init_group", destination="111"),
            "Call reached a ring group: 0532 123 45 67 → ring group 111",
            "Arama gruba düştü: 0532 123 45 67 → grup 111",
        ),
        (
            _data(type="call_init_menu", destination="10"),
            "Call reached a voice menu: 0532 123 45 67 → voice menu 10",
            "Arama menüye düştü: 0532 123 45 67 → sesli menü 10",
        ),
        (
            _data(
                type="call_init_extension",
                destination="1001",
                destination_name="Zeynep",
            ),
            "Call reached an extension: 0532 123 45 67 → Zeynep (extension 1001)",
            "Arama dahiliye düştü: 0532 123 45 67 → Zeynep (dahili 1001)",
        ),
        (
            _data(type="call_init_extension"),
            "Call reached an extension: 0532 123 45 67",
            "Arama dahiliye düştü: 0532 123 45 67",
        ),
        (
            _data(type="call_hangup", talk_duration=114, caller_name="Ayşe Kaya"),
            "Call ended: Ayşe Kaya (0532 123 45 67), talked 1 min 54 s",
            "Arama bitti: Ayşe Kaya (0532 123 45 67), görüşme süresi 1 dk 54 sn",
        ),
        (
            _data(type="call_hangup", talk_duration=0),
            "Call ended: 0532 123 45 67, no conversation",
            "Arama bitti: 0532 123 45 67, görüşme yapılmadı",
        ),
        (
            _data(type="call_hangup"),
            "Call ended: 0532 123 45 67",
            "Arama bitti: 0532 123 45 67",
        ),
        (
            _data(
                type="call_hangup",
                direction="OUT",
                caller="1000",
                callee="442079460000",
                talk_duration=12,
            ),
            "Call ended: +44 20 7946 0000, talked 12 s",
            "Arama bitti: +44 20 7946 0000, görüşme süresi 12 sn",
        ),
        (
            _data(type="fax_init", caller="1000", caller_name="Reception"),
            "Fax received: Reception (1000)",
            "Faks geldi: Reception (1000)",
        ),
        # Issue 32: an internal call is no "unknown number"; an outgoing call's answer
        # names whom the office called, not the office's own number.
        (
            _data(type="call_init", direction="LOCAL", caller=None, callee=None),
            "Call started: internal call",
            "Arama başladı: iç arama",
        ),
        (
            _data(type="call_init", direction="LOCAL", caller="1001", callee="1002"),
            "Call started: internal call from extension 1001",
            "Arama başladı: iç arama, arayan dahili 1001",
        ),
        (
            _data(
                type="call_answered",
                direction="OUT",
                caller="902125550000",
                callee=AYSE,
                callee_name="Ayşe Kaya",
            ),
            "Call answered: outgoing call to Ayşe Kaya (0532 123 45 67)",
            "Arama cevaplandı: giden arama, aranan Ayşe Kaya (0532 123 45 67)",
        ),
        (
            _data(type="call_transfer"),
            "Bulutfon event: call_transfer",
            "Bulutfon olayı: call_transfer",
        ),
    ],
)
def test_logbook_message(data: dict[str, Any], english: str, turkish: str) -> None:
    """Each event reads as its event name and who, in English and in Turkish."""
    assert logbook_message(data, ENGLISH) == english
    assert logbook_message(data, TURKISH) == turkish


def test_logbook_message_of_bad_data_never_raises() -> None:
    """Odd values in an event's data still give a line."""
    odd = _data(type="call_hangup", talk_duration="long", caller=12, destination=5)
    assert logbook_message(odd, ENGLISH).startswith("Call ended: ")
    assert logbook_message({}, TURKISH) == "Bulutfon olayı: None"


def test_logbook_icons() -> None:
    """Each event type has its icon; an outgoing call and an unknown type have theirs."""
    assert logbook_icon(_data(type="missing_call")) == "mdi:phone-missed"
    assert logbook_icon(_data(direction="OUT")) == "mdi:phone-outgoing"
    assert logbook_icon(_data(type="call_transfer")) == "mdi:phone-alert"


def test_party_and_caller_state() -> None:
    """A known caller reads by name; an unknown one by the readable number."""
    assert party(AYSE, "Ayşe Kaya") == "Ayşe Kaya (0532 123 45 67)"
    assert party(None, None, TURKISH) == "bilinmeyen numara"
    assert caller_state(AYSE, "Ayşe Kaya") == "Ayşe Kaya"
    assert caller_state(AYSE, None) == "0532 123 45 67"
    assert caller_state("1000", None) == "1000"
    assert caller_state(None, None) is None


def test_event_label_of_an_unknown_type() -> None:
    """An event type Bulutfon adds later has no label (its line says the type)."""
    assert event_label("call_transfer") is None
    assert event_label("missing_call", "de") == "Missed call"


def test_hidden_caller_reads_hidden() -> None:
    """A withheld number reads "hidden number" in the logbook and the sensor state,
    never the "unknown number" of a caller nothing is known about."""
    assert party(None, None, hidden=True) == "hidden number"
    assert party(None, None, TURKISH, hidden=True) == "gizli numara"
    assert caller_state(None, None, hidden=True) == "hidden_number"
    assert caller_state(None, None) is None
    data = _data(type="missing_call", caller=None, caller_hidden=True)
    assert logbook_message(data) == "Missed call: hidden number"
    assert logbook_message(data, TURKISH).endswith(": gizli numara")
