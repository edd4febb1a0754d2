"""The dialling rule alone (pure): premium-rate numbers, the allowed prefixes, the limit
per minute and what confirms a call-back."""

from __future__ import annotations

import pytest

from custom_components.bulutfon.dialing import (
    AllowedNumbers,
    CallLimit,
    PrefixError,
    Refusal,
    confirms,
    placed_words,
    refusal,
)

DEFAULT = AllowedNumbers()


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+905321234567", None),
        ("+902121234567", None),
        ("+908508850000", None),
        ("+908001234567", None),  # 0800 is free to call
        ("+4930123456", None),
        ("+80012345678", None),  # international freephone
        ("+909001234567", Refusal("premium_tr", "0900")),
        ("+8821612345678", Refusal("premium_international", "+882")),
        ("+881612345678", Refusal("premium_international", "+881")),
        ("+979123456789", Refusal("premium_international", "+979")),
        ("+80812345678", Refusal("premium_international", "+808")),
        ("+870772123456", Refusal("premium_international", "+870")),
    ],
)
def test_premium_numbers_are_refused_by_default(
    number: str, expected: Refusal | None
) -> None:
    assert refusal(number, DEFAULT) == expected


@pytest.mark.parametrize(
    ("text", "prefixes", "any_number"),
    [
        ("", (), False),
        (None, (), False),
        ("*", (), True),
        ("0532, +90 212\n+49;0049 30", ("90532", "90212", "49", "4930"), False),
        ("0532, 0532", ("90532",), False),
    ],
)
def test_the_option_is_read(
    text: str | None, prefixes: tuple[str, ...], any_number: bool
) -> None:
    allowed = AllowedNumbers.parse(text)
    assert allowed.prefixes == prefixes
    assert allowed.any_number is any_number


@pytest.mark.parametrize("text", ["532", "+90 5x", "+0", "call me", "+"])
def test_a_bad_prefix_is_named(text: str) -> None:
    with pytest.raises(PrefixError) as err:
        AllowedNumbers.parse(f"0532, {text}")
    assert err.value.text == text.strip()


def test_listed_prefixes() -> None:
    listed = AllowedNumbers.parse("0532, +49")
    assert refusal("+905321234567", listed) is None
    assert refusal("+4930123456", listed) is None
    assert refusal("+902121234567", listed) == Refusal("not_listed", "+90532, +49")
    # A premium range opens only when listed itself, not with its country.
    assert refusal("+909001234567", AllowedNumbers.parse("+90")) == Refusal(
        "premium_tr", "0900"
    )
    assert refusal("+909001234567", AllowedNumbers.parse("0900")) is None
    assert refusal("+8821612345678", AllowedNumbers.parse("*")) is None


def test_ten_calls_a_minute() -> None:
    limit = CallLimit()
    for second in range(10):
        assert limit.wait(second) == 0
        limit.placed(second)
    assert limit.wait(30) == 30  # the first call leaves the window at 60
    assert limit.wait(60) == 0


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"caller_number": "+905321234567", "direction": "inbound"}, True),
        ({"caller_number": "905321234567"}, True),
        ({"caller_number": "+905551112233", "direction": "inbound"}, False),
        ({"caller_number": "+905321234567", "direction": "outbound"}, False),
        ({"caller_number": None}, False),
        ("not a record", False),
    ],
)
def test_what_confirms_a_caller(record: object, expected: bool) -> None:
    assert confirms(record, "+905321234567") is expected


def test_the_logbook_line_never_holds_the_number() -> None:
    for language in ("en", "tr"):
        line = placed_words(language, "by_user", user="Ayla", person="Ayşe Kaya")
        assert "Ayla" in line
        assert "Ayşe Kaya" in line
    assert "otomasyon" in placed_words("tr", "by_automation", person="Ayşe Kaya")
