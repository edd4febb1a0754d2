"""Caller names: a small phone book matched across the forms Turkish numbers take.

Plain Python without Home Assistant imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Final

_SEPARATOR: Final = re.compile(r"\s*[=:;,\t]\s*")
_NOT_DIGITS: Final = re.compile(r"[^0-9]")
_NATIONAL_DIGITS: Final = 10
_SHOWN_LINE_LENGTH: Final = 60
"""A bad line is quoted back to the user cut to this many characters."""


class PhonebookError(ValueError):
    """A line of the phone book that cannot be read: its number (from 1) and its text."""

    def __init__(self, line: int, text: str) -> None:
        """Name the line; `text` is the line as written, cut to a readable length."""
        super().__init__(f"line {line}")
        self.line = line
        self.text = (
            text
            if len(text) <= _SHOWN_LINE_LENGTH
            else f"{text[: _SHOWN_LINE_LENGTH - 1]}…"
        )


def number_key(number: str | None) -> str | None:
    """The part of a number that identifies it across notations.

    "0532 000 00 00", "90532 000 00 00", "+90 532 000 00 00" and "0090 532..." all give
    "5320000000": a Turkish number's ten national digits. Short numbers (extensions) and
    foreign numbers are kept whole, without leading zeros or "+".
    """
    if not number:
        return None
    digits = _NOT_DIGITS.sub("", number)
    digits = digits.removeprefix("00")
    if digits.startswith("90") and len(digits) == _NATIONAL_DIGITS + 2:
        return digits[2:]
    if digits.startswith("0") and len(digits) == _NATIONAL_DIGITS + 1:
        return digits[1:]
    return digits or None


@dataclass(frozen=True, slots=True)
class Phonebook:
    """Names by number, parsed from the user's text (one `number = name` a line)."""

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Phonebook:
        """Parse `number = name` lines; `:` `,` `;` or a tab also separate, # starts a comment.

        Raises PhonebookError (a ValueError) naming the first line that cannot be read.
        """
        names: dict[str, str] = {}
        for index, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = _SEPARATOR.split(line, maxsplit=1)
            key = number_key(parts[0])
            if len(parts) != 2 or key is None or not parts[1].strip():
                raise PhonebookError(index, line)
            names[key] = parts[1].strip()
        return cls(names)

    def name_for(self, number: str | None) -> str | None:
        """The name for a number in any of its forms, or None."""
        if not self.names:
            return None
        key = number_key(number)
        return None if key is None else self.names.get(key)

    def __len__(self) -> int:
        """How many names the book holds."""
        return len(self.names)
