"""Where calls are: which extension, ring group, user or team each call has reached.

Plain Python without Home Assistant imports. The call tracker (calls.py) moves a call here when
a `call_init_extension`, `call_init_group` or `call_init_menu` names its destination, or when an
event names the user on the call or the team it waits at (Hipcall), and takes it away when the
call ends, goes stale or is forgotten. The places a line has seen are "learned" (each gets its
entities), up to a bound, so memory stays flat however many numbers a PBX sends.

Learning a place makes a device or entities from a request's body: a trust decision. A body
is anyone's who has the webhook URL, so (issue 25) a place a webhook names is learned only
within NEW_PLACES_PER_HOUR, unless the office vouched for it (its phone book names it); kinds
that a trusted list owns (a Hipcall account's users and teams, read through its API) are
never learned from a webhook at all (`closed`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from enum import StrEnum
from typing import Final, NamedTuple

from .allowance import Allowance

MAX_EXTENSIONS: Final = 300
"""How many extensions a line learns; calls to further ones get no entity."""

MAX_GROUPS: Final = 300
"""How many ring groups a line learns; calls to further ones get no entity."""

MAX_USERS: Final = 300
"""How many Hipcall users a line learns; calls with further ones get no entity."""

MAX_TEAMS: Final = 300
"""How many Hipcall teams a line learns; calls to further ones get no entity."""

NEW_PLACES_PER_HOUR: Final = 20
"""How many places a line learns from webhooks in an hour (and at once, after a quiet
hour): a forged flood makes at most this many devices an hour, while an office's real
extensions, even many new at once, all appear within hours. A place past it is learned at
a later call (its calls are counted on the line meanwhile)."""

MAX_DESTINATION_DIGITS: Final = 6
"""Longer is no extension, group or menu number but a phone number (a call forwarded
outside): personal data, which must not become a device or an entity id."""


class PlaceKind(StrEnum):
    """What a destination is."""

    EXTENSION = "extension"
    GROUP = "group"
    MENU = "menu"
    USER = "user"
    """A Hipcall user: busy while a call is with them (like an extension)."""
    TEAM = "team"
    """A Hipcall team: counts the calls waiting for it (like a group)."""


class Place(NamedTuple):
    """One destination of the PBX: extension 1001, ring group 111, voice menu 10."""

    kind: PlaceKind
    number: str


class Visit(NamedTuple):
    """One call at a place: who is calling, and since when the call is there (Bulutfon's
    timestamp of the event that brought it, else when that event arrived)."""

    caller: str | None
    since: datetime


def destination_number(destination: str | None) -> str | None:
    """The destination as a place number, or None when it is missing or no number."""
    if (
        destination is None
        or not destination.isascii()
        or not destination.isdigit()
        or len(destination) > MAX_DESTINATION_DIGITS
    ):
        return None
    return destination


MAX_MEMBER_ID_LENGTH: Final = 36
"""A Hipcall user or team id: a number (or at most a uuid's length)."""

MAX_MEMBER_ID_DIGITS: Final = 9
"""An all-digit id longer than this could be a phone number: personal data, which must not
become a device or an entity id."""


def member_id(value: str | None) -> str | None:
    """A Hipcall user or team id as a place number, or None when it cannot name a device.

    Letters, digits, "-" and "_" only (ids go into unique ids and entity ids).
    """
    if value is None or not value.isascii() or len(value) > MAX_MEMBER_ID_LENGTH:
        return None
    if value.isdigit():
        return value if len(value) <= MAX_MEMBER_ID_DIGITS else None
    if not value.replace("-", "").replace("_", "").isalnum():
        return None
    return value


_BOUNDS: Final = {
    PlaceKind.EXTENSION: MAX_EXTENSIONS,
    PlaceKind.GROUP: MAX_GROUPS,
    PlaceKind.MENU: 0,  # a menu holds no caller for long: nothing shows it
    PlaceKind.USER: MAX_USERS,
    PlaceKind.TEAM: MAX_TEAMS,
}


class CallPlaces:
    """The learned extensions and groups, and which calls are at each now.

    Only learned places keep their calls; a menu, or a place past the bound, is a place a call
    can move to (leaving where it was) without being counted anywhere.
    """

    __slots__ = (
        "_allowance",
        "_bounds",
        "_learned",
        "_visits",
        "_where",
        "closed",
        "not_learned",
        "unlisted",
        "vouched",
    )

    def __init__(
        self,
        *,
        max_extensions: int = MAX_EXTENSIONS,
        max_groups: int = MAX_GROUPS,
        max_users: int = MAX_USERS,
        max_teams: int = MAX_TEAMS,
        per_hour: int = NEW_PLACES_PER_HOUR,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Start with nothing learned; `clock` (seconds) paces the hourly limit."""
        self._bounds = {
            **_BOUNDS,
            PlaceKind.EXTENSION: max_extensions,
            PlaceKind.GROUP: max_groups,
            PlaceKind.USER: max_users,
            PlaceKind.TEAM: max_teams,
        }
        # kind -> learned places in the order they were learned
        self._learned: dict[PlaceKind, dict[Place, None]] = {
            kind: {} for kind in PlaceKind
        }
        # place -> uuid -> visit, in arrival order (the latest caller last)
        self._visits: dict[Place, dict[str, Visit]] = {}
        self._where: dict[str, Place] = {}  # uuid -> the learned place it is at
        self.not_learned = 0
        """How often a call reached an extension, group, user or team past the bound
        (diagnostics)."""
        self.closed: frozenset[PlaceKind] = frozenset()
        """Kinds only a trusted list learns (learn(trusted=True)): a Hipcall line with
        an API token takes its users and teams from the API, never from a webhook."""
        self.vouched: Callable[[Place], bool] | None = None
        """Places the office named (its phone book): learned past the hourly limit and
        the bound, so that a flood never crowds a real extension out."""
        self.unlisted = 0
        """How often a webhook named a user or team the trusted list does not hold."""
        self._allowance = Allowance(per_hour, 3600.0, clock)

    def learned(self, kind: PlaceKind) -> list[Place]:
        """The places of one kind learned so far, oldest first."""
        return list(self._learned[kind])

    def is_learned(self, place: Place) -> bool:
        """Whether the line shows this place."""
        return place in self._learned[place.kind]

    def learn(self, place: Place, *, trusted: bool = False) -> bool:
        """Learn a place if it may be learned; True when it is newly learned.

        `trusted`: the place comes from a list the office owns (the API's, or what was
        learned before a restart); otherwise a webhook named it (see the module docstring).
        """
        learned = self._learned[place.kind]
        if place in learned or place.kind is PlaceKind.MENU:
            return False
        if not trusted and place.kind in self.closed:
            self.unlisted += 1
            return False
        named = self.vouched is not None and self.vouched(place)
        if not named and len(learned) >= self._bounds[place.kind]:
            self.not_learned += 1
            return False
        if not (trusted or named) and not self._allowance.take():
            return False
        learned[place] = None
        return True

    def forget(self, place: Place) -> bool:
        """Stop showing a place (its device was deleted); its calls are no longer counted
        there. It is learned again with its next call. True when it was learned."""
        learned = self._learned[place.kind]
        if place not in learned:
            return False
        del learned[place]
        for uuid in self._visits.pop(place, {}):
            del self._where[uuid]
        return True

    def move(
        self, uuid: str, place: Place, visit: Visit, moved: set[Place]
    ) -> Place | None:
        """Put a call at `place` (it leaves where it was); add the places whose calls
        changed to `moved`. Returns the place if this move learned it."""
        self.leave(uuid, moved)
        newly = self.learn(place)
        if place in self._learned[place.kind]:
            self._visits.setdefault(place, {})[uuid] = visit
            self._where[uuid] = place
            moved.add(place)
        return place if newly else None

    def leave(self, uuid: str, moved: set[Place]) -> None:
        """Take a call away from its place (it ended or moved on)."""
        place = self._where.pop(uuid, None)
        if place is None:
            return
        visits = self._visits[place]
        del visits[uuid]
        if not visits:
            del self._visits[place]
        moved.add(place)

    def calls_at(self, place: Place) -> int:
        """How many calls are at a place now."""
        visits = self._visits.get(place)
        return 0 if visits is None else len(visits)

    def latest_at(self, place: Place) -> Visit | None:
        """The call that reached a place last, among those still there."""
        visits = self._visits.get(place)
        if not visits:
            return None
        return visits[next(reversed(visits))]

    def place_of(self, uuid: str) -> Place | None:
        """The learned place where a call is now."""
        return self._where.get(uuid)

    def restore(self, places: Iterable[Place]) -> None:
        """Learn again what was learned before a restart (up to the bounds; trusted: the
        office kept it, so no hourly limit)."""
        for place in places:
            self.learn(place, trusted=True)

    def snapshot(self) -> dict[str, int]:
        """Counters for diagnostics (no numbers); users and teams only once learned."""
        users = len(self._learned[PlaceKind.USER])
        teams = len(self._learned[PlaceKind.TEAM])
        return {
            "learned_extensions": len(self._learned[PlaceKind.EXTENSION]),
            "learned_groups": len(self._learned[PlaceKind.GROUP]),
            **({"learned_users": users} if users else {}),
            **({"learned_teams": teams} if teams else {}),
            "calls_at_places": len(self._where),
            "calls_past_the_bound": self.not_learned,
            **(
                {"places_over_the_hourly_limit": self._allowance.refused}
                if self._allowance.refused
                else {}
            ),
            **({"unlisted_users_or_teams": self.unlisted} if self.unlisted else {}),
        }
