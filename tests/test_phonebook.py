"""The phone book: parsing the user's text, matching numbers in any form, showing them."""

from __future__ import annotations

import json

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest

from custom_components.bulutfon.const import CONF_PHONEBOOK, EVENT_BULUTFON
from custom_components.bulutfon.phonebook import Phonebook, PhonebookError, number_key

from .conftest import Post, make_entry
from .vendor import VENDOR_EXAMPLES

AYSE_FORMS = (
    "0532 000 00 00",
    "05320000000",
    "905320000000",
    "90 532 000 00 00",
    "+90 532 000 00 00",
    "+905320000000",
    "0090 532 000 00 00",
    "00905320000000",
    "(0532) 000-00-00",
    "5320000000",
)
"""How one Turkish mobile number reaches us: typed by people, sent by Bulutfon."""


@pytest.mark.parametrize(
    "text",
    [
        "0532 000 00 00 = Ayşe",
        "0532 000 00 00=Ayşe",
        "0532 000 00 00: Ayşe",
        "0532 000 00 00\tAyşe",
        "0532 000 00 00 ; Ayşe",
        "0532 000 00 00, Ayşe",
        "  +90 532 000 00 00   =   Ayşe  ",
    ],
)
def test_parse_separators(text: str) -> None:
    """`=`, `:`, a tab, `;` and `,` all separate the number from the name."""
    book = Phonebook.parse(text)
    assert book.names == {"5320000000": "Ayşe"}
    assert len(book) == 1


def test_parse_skips_comments_and_blank_lines() -> None:
    """Comments and blank lines are ignored; every other line is one name."""
    book = Phonebook.parse(
        "# family\n"
        "\n"
        "0532 000 00 00 = Ayşe\n"
        "   \n"
        "   # the office\n"
        "0212 555 44 33 = Ofis: Muhasebe\n"
        "1000 = Reception\r\n"
    )
    assert book.names == {
        "5320000000": "Ayşe",
        "2125554433": "Ofis: Muhasebe",  # only the first separator splits
        "1000": "Reception",
    }
    assert len(book) == 3


def test_parse_empty_text_is_an_empty_book() -> None:
    """No text, no names: nothing matches."""
    for text in ("", "\n\n", "# nothing yet\n"):
        book = Phonebook.parse(text)
        assert len(book) == 0
        assert book.name_for("905320000000") is None
    assert Phonebook().name_for("905320000000") is None


def test_later_line_wins_for_the_same_number() -> None:
    """The same number written twice (in two forms) keeps the last name."""
    book = Phonebook.parse("0532 000 00 00 = Ayşe\n+90 532 000 00 00 = Ayşe Hanım")  # noqa: RUF001
    assert book.name_for("05320000000") == "Ayşe Hanım"  # noqa: RUF001
    assert len(book) == 1


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Ayşe", 1),  # no separator
        ("0532 000 00 00 =", 1),  # no name
        ("0532 000 00 00 =    ", 1),
        ("= Ayşe", 1),  # no number
        ("Ayşe = Fatma", 1),  # no digit in the number
        ("0532 000 00 00 = Ayşe\n\n# ok so far\nbroken", 4),
        ("1000 = Reception\n0532 000 00 00 Ayşe", 2),  # spaces do not separate
    ],
)
def test_parse_error_names_the_line(text: str, line: int) -> None:
    """A line that cannot be read fails the whole book, naming the line (1-based)."""
    with pytest.raises(PhonebookError, match=rf"^line {line}$") as raised:
        Phonebook.parse(text)
    assert raised.value.line == line
    assert raised.value.text == text.splitlines()[line - 1].strip()


def test_parse_error_quotes_a_long_line_cut() -> None:
    """A very long bad line is quoted cut, so that the message stays readable."""
    with pytest.raises(PhonebookError) as raised:
        Phonebook.parse("x" * 500)
    assert raised.value.text == "x" * 59 + "…"


@pytest.mark.parametrize("form", AYSE_FORMS)
def test_matches_across_turkish_forms(form: str) -> None:
    """A name written with one form of a number is found with any other form."""
    assert number_key(form) == "5320000000"
    for written in ("0532 000 00 00", "+90 532 000 00 00", "0090 532 000 00 00"):
        book = Phonebook.parse(f"{written} = Ayşe")
        assert book.name_for(form) == "Ayşe"


def test_other_numbers_do_not_match() -> None:
    """Numbers that differ in a digit, or are unknown, get no name."""
    book = Phonebook.parse("0532 000 00 00 = Ayşe")
    assert book.name_for("905320000001") is None
    assert book.name_for("0533 000 00 00") is None
    assert book.name_for(None) is None
    assert book.name_for("") is None
    assert book.name_for("anonymous") is None


def test_extensions_match_only_themselves() -> None:
    """Short numbers (extensions, groups) are kept whole, without leading zeros mixing in."""
    book = Phonebook.parse("1000 = Reception\n10 = Voice menu")
    assert book.name_for("1000") == "Reception"
    assert book.name_for("10") == "Voice menu"
    assert book.name_for("100") is None
    assert book.name_for("01000") is None
    assert number_key("1000") == "1000"


def test_foreign_numbers_match_in_their_own_forms() -> None:
    """A foreign number matches with and without + or 00, but is not taken for Turkish."""
    book = Phonebook.parse("+49 30 1234567 = Berlin office")
    assert book.name_for("00493012345 67") == "Berlin office"
    assert book.name_for("49301234567") == "Berlin office"
    assert number_key("+49 30 1234567") == "49301234567"
    # A German number does not collide with a Turkish one with the same last digits.
    assert (
        Phonebook.parse("0532 000 00 00 = Ayşe").name_for("+49 532 000 00 00") is None
    )


def test_turkish_landline_and_mobile_do_not_collide() -> None:
    """Two different ten-digit numbers keep their own names."""
    book = Phonebook.parse("0532 000 00 00 = Ayşe\n0212 000 00 00 = Ofis")
    assert book.name_for("905320000000") == "Ayşe"
    assert book.name_for("902120000000") == "Ofis"


async def test_unreadable_stored_phone_book_does_not_break_the_line(
    hass: HomeAssistant, post: Post
) -> None:
    """A stored phone book that no longer parses costs the names, never the line."""
    entry = make_entry(**{CONF_PHONEBOOK: "0532 000 00 00 = Ayşe\nnot a line"})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    fired = []
    hass.bus.async_listen(EVENT_BULUTFON, fired.append)

    body = {**json.loads(VENDOR_EXAMPLES["missing_call"]), "caller": "905320000000"}
    assert (await post(body)).status == 200

    assert [event.data["caller_name"] for event in fired] == [None]
