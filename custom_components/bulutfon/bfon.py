"""BFON, the JSON document a BulutfonXM (call routing) server answers with.

Plain Python without Home Assistant imports. Bulutfon insists that every argument of a
directive be filled in, so each builder here takes all of them; `document` wraps the
directives in the envelope Bulutfon expects: {"bfxm": {"version": 1}, "seq": [...]}.
"""

from __future__ import annotations

from collections.abc import Iterable
import json
import re
from typing import Any, Final, NamedTuple

VERSION: Final = 1

DEFAULT_GATHER_TIMEOUT_MS: Final = 5000
"""Bulutfon's own default wait between key presses."""

_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


class Directive(NamedTuple):
    """One step of a BFON sequence: an action and its arguments."""

    action: str
    args: dict[str, str | int]

    def as_dict(self) -> dict[str, Any]:
        """The directive as it appears in the document's `seq`."""
        return {
            "action": self.action,
            "args": {
                name: _LONE_SURROGATE.sub("\ufffd", value)
                if isinstance(value, str) and not value.isascii()
                else value
                for name, value in self.args.items()
            },
        }


def play(url: str) -> Directive:
    """Play the MP3 at `url` (Bulutfon fetches it) to the caller."""
    return Directive("play", {"url": url})


def dial(destination: str) -> Directive:
    """Send the call to a voice menu, ring group, extension or external number."""
    return Directive(
        "dial", {"destination": destination, "hide_cli_on_diversion": "false"}
    )


def reject() -> Directive:
    """Refuse a call that is still ringing."""
    return Directive("reject", {})


def hangup() -> Directive:
    """End a call that was answered."""
    return Directive("hangup", {})


def set_caller_name(name: str) -> Directive:
    """Show `name` as the caller on the PBX's phones for calls passed to them."""
    return Directive("set_caller_name", {"caller_name": name})


def gather(
    *,
    ask: str,
    play_on_error: str,
    variable_name: str,
    min_digits: int,
    max_digits: int,
    max_attempts: int,
    timeout_ms: int = DEFAULT_GATHER_TIMEOUT_MS,
) -> Directive:
    """Play `ask`, collect digits and post them back in the field `variable_name`."""
    return Directive(
        "gather",
        {
            "min_digits": min_digits,
            "max_digits": max_digits,
            "max_attempts": max_attempts,
            "timeout": timeout_ms,
            "ask": ask,
            "play_on_error": play_on_error,
            "variable_name": variable_name,
        },
    )


def document(directives: Iterable[Directive]) -> bytes:
    """The complete BFON document for a sequence of directives, as UTF-8 JSON."""
    return json.dumps(
        {
            "bfxm": {"version": VERSION},
            "seq": [directive.as_dict() for directive in directives],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
