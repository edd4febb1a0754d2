# ruff: noqa: RUF001  (Turkish text: its dotless i is meant)
"""Where a call placed from Home Assistant may go, how often, and how it is recorded.

Plain Python without Home Assistant imports: the one rule that the `bulutfon.call` action,
the call-back button and the missed-call blueprint's *Call back* share (they all go
through services.async_start_call, which asks this module).

- Premium-rate numbers are refused unless the line's options name them: a call there
  costs the office far more than a normal call, and is what a forged number or a stolen
  login would be used for (international revenue share fraud dials exactly these).
- The line's options may list the only prefixes calls may go to, or allow any number.
- At most CALLS_PER_MINUTE calls a minute per line.
- A call-back is confirmed against the account's own call records: a webhook alone (no
  credentials on Hipcall's side) cannot choose whom the office dials.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .phonebook import number_key
from .protocol import phone_digits, written_international

ANY_NUMBER: Final = "*"
"""What the allowed-prefixes option holds to allow any number, premium-rate too."""

TURKISH_PREMIUM: Final = ("90900",)
"""Turkey's premium-rate range: 0900, BTK's numbers for "katma değerli hizmetler" (paid
information, chat and contest lines), billed per minute far above a normal call."""

INTERNATIONAL_PREMIUM: Final = (
    "808",  # International Shared Cost Service (ITU-T E.164 global service)
    "870",  # Inmarsat satellite phones: several dollars a minute
    "878",  # Universal Personal Telecommunications
    "881",  # Global Mobile Satellite System (Iridium, Globalstar, Thuraya...)
    "882",  # International Networks: the codes revenue share fraud rents most
    "883",  # International Networks (second range)
    "888",  # telecommunications for disaster relief: no office calls it
    "979",  # International Premium Rate Service
    "991",  # International Telecommunications Public Correspondence trial
)
"""ITU-T E.164 global service codes that cost more than a call to a country (all of
them but +800, the free international freephone)."""

RULE_PREMIUM_TR: Final = "premium_tr"
RULE_PREMIUM_INTERNATIONAL: Final = "premium_international"
RULE_NOT_LISTED: Final = "not_listed"

CALLS_PER_MINUTE: Final = 10
"""Calls placed from Home Assistant per line and minute; more is a runaway automation
or someone who should not be calling."""
WINDOW: Final = 60.0

MAX_PREFIXES: Final = 50
_MIN_PREFIX_DIGITS: Final = 1
_MAX_PREFIX_DIGITS: Final = 15


class PrefixError(ValueError):
    """An entry of the allowed-prefixes option that is no prefix (`text`, as written)."""

    def __init__(self, text: str) -> None:
        """Name the entry."""
        super().__init__(text)
        self.text = text[:30]


@dataclass(frozen=True, slots=True)
class AllowedNumbers:
    """Where a line's calls may go (the allowed-prefixes option, parsed).

    No prefixes and not `any_number`: every number but the premium-rate ones.
    """

    prefixes: tuple[str, ...] = ()
    """International digits each allowed number starts with ("90532", "49")."""
    any_number: bool = False

    @classmethod
    def parse(cls, text: str | None) -> AllowedNumbers:
        """Read the option: prefixes separated by commas, semicolons or new lines; "*"
        allows any number. A prefix starts with "+" or "00" (country code first) or
        with "0" (a Turkish one: "0532" is "+90 532"). Raises PrefixError."""
        entries = [
            entry.strip()
            for line in (text or "").replace(";", ",").splitlines()
            for entry in line.split(",")
        ]
        entries = [entry for entry in entries if entry]
        if ANY_NUMBER in entries:
            return cls(any_number=True)
        prefixes: list[str] = []
        for entry in entries[:MAX_PREFIXES]:
            prefix = _prefix(entry)
            if prefix is None:
                raise PrefixError(entry)
            if prefix not in prefixes:
                prefixes.append(prefix)
        return cls(prefixes=tuple(prefixes))

    def readable(self) -> str:
        """The prefixes as people write them ("+90 532, +49")."""
        return ", ".join(f"+{prefix}" for prefix in self.prefixes)


def _prefix(entry: str) -> str | None:
    """International digits of one written prefix ("+90 532", "0900"), or None: a prefix
    must say it is international ("+", "00") or Turkish ("0"), bare digits are refused."""
    digits = written_international(entry, bare=False, separators=" -.()/\t")
    if digits is None or not _MIN_PREFIX_DIGITS <= len(digits) <= _MAX_PREFIX_DIGITS:
        return None
    return digits


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a number may not be called: the rule, and the prefix as people write it."""

    rule: str
    prefix: str


def _premium(digits: str) -> tuple[str, str] | None:
    """The premium range a number is in: (rule, its prefix in digits), or None."""
    for prefix in TURKISH_PREMIUM:
        if digits.startswith(prefix):
            return RULE_PREMIUM_TR, prefix
    for prefix in INTERNATIONAL_PREMIUM:
        if digits.startswith(prefix):
            return RULE_PREMIUM_INTERNATIONAL, prefix
    return None


def _written(rule: str, prefix: str) -> str:
    """A premium prefix as people write it: Turkish ones nationally (0900)."""
    if rule == RULE_PREMIUM_TR:
        return "0" + prefix.removeprefix("90")
    return f"+{prefix}"


def refusal(number: str, allowed: AllowedNumbers) -> Refusal | None:
    """Why `number` (+E.164, as hipcall_api.callee_number gives it) may not be called,
    or None when it may.

    A premium-rate number is allowed only by a listed prefix that names its range
    itself ("0900" or "+882 16"): listing "+90" opens Turkey, not its 0900 numbers.
    """
    digits = number.removeprefix("+")
    if allowed.any_number:
        return None
    premium = _premium(digits)
    if allowed.prefixes:
        matching = [p for p in allowed.prefixes if digits.startswith(p)]
        if not matching:
            return Refusal(RULE_NOT_LISTED, allowed.readable())
        if premium is None or any(p.startswith(premium[1]) for p in matching):
            return None
    if premium is None:
        return None
    rule, prefix = premium
    return Refusal(rule, _written(rule, prefix))


class CallLimit:
    """At most `calls` calls in any `window` seconds (one per line)."""

    def __init__(self, calls: int = CALLS_PER_MINUTE, window: float = WINDOW) -> None:
        """Start with no call placed."""
        self._calls = calls
        self._window = window
        self._placed: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until the next call may be placed (0 when it may be now)."""
        while self._placed and self._placed[0] <= now - self._window:
            self._placed.popleft()
        if len(self._placed) < self._calls:
            return 0.0
        return self._placed[0] + self._window - now

    def placed(self, now: float) -> None:
        """Count a call placed at `now`."""
        self._placed.append(now)


def confirms(record: Any, number: str) -> bool:
    """Whether a call record from Hipcall's API shows `number` calling in: the API's own
    word that this caller really called the office (a forged webhook has none)."""
    if not isinstance(record, Mapping):
        return False
    if str(record.get("direction") or "inbound") != "inbound":
        return False
    wanted = number_key(number)
    caller = number_key(phone_digits(record.get("caller_number")))
    return wanted is not None and caller == wanted


# How a call placed from Home Assistant reads in the logbook and the button's notice:
# "<what>: <details>", with no case ending on a name (as wording.py does). Never the
# number called: the logbook is kept for days and shown to every user.
PLACED: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "by_user": "Call placed by {user}: {person}'s Hipcall phone rings first",
        "by_automation": (
            "Call placed by an automation or script: "
            "{person}'s Hipcall phone rings first"
        ),
        "notice_title": "Calling back",
        "notice": (
            "Hipcall is ringing {person}'s phone; when it is answered, it calls "
            "{callee}."
        ),
    },
    "tr": {
        "by_user": "Arama başlatıldı, başlatan {user}: önce Hipcall telefonu çalan {person}",
        "by_automation": (
            "Arama başlatıldı, başlatan bir otomasyon ya da betik: "
            "önce Hipcall telefonu çalan {person}"
        ),
        "notice_title": "Geri arama",
        "notice": (
            "Hipcall önce şu kişinin telefonunu çaldırıyor: {person}. "
            "Telefon açılınca aranan: {callee}."
        ),
    },
}


def placed_words(language: str, key: str, **values: str) -> str:
    """One of the PLACED sentences in `language` (English when unknown)."""
    return PLACED.get(language, PLACED["en"])[key].format(**values)
