"""Where calls are: which extension or ring group each call has reached.

Plain Python without Home Assistant imports. The call tracker (calls.py) moves a call here when
a `call_init_extension`, `call_init_group` or `call_init_menu` names its destination, and takes
it away when the call ends, goes stale or is forgotten. The extensions and groups a line has
seen are "learned" (each gets its entities), up to a bound, so memory stays flat however many
numbers a PBX sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Final, NamedTuple

MAX_EXTENSIONS: Final = 300
"""How many extensions a line learns; calls to further ones get no entity."""

MAX_GROUPS: Final = 300
"""How many ring groups a line learns; calls to further ones get no entity."""

MAX_DESTINATION_DIGITS: Final = 6
"""Longer is no extension, group or menu number but a phone number (a call forwarded
outside): personal data, which must not become a device or an entity id."""


class PlaceKind(StrEnum):
    """What a destination is."""

    EXTENSION = "extension"
    GROUP = "group"
    MENU = "menu"


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


_BOUNDS: Final = {
    PlaceKind.EXTENSION: MAX_EXTENSIONS,
    PlaceKind.GROUP: MAX_GROUPS,
    PlaceKind.MENU: 0,  # a menu holds no caller for long: nothing shows it
}


class CallPlaces:
    """The learned extensions and groups, and which calls are at each now.

    Only learned places keep their calls; a menu, or a place past the bound, is a place a call
    can move to (leaving where it was) without being counted anywhere.
    """

    __slots__ = ("_bounds", "_learned", "_visits", "_where", "not_learned")

    def __init__(
        self,
        *,
        max_extensions: int = MAX_EXTENSIONS,
        max_groups: int = MAX_GROUPS,
    ) -> None:
        """Start with nothing learned."""
        self._bounds = {
            **_BOUNDS,
            PlaceKind.EXTENSION: max_extensions,
            PlaceKind.GROUP: max_groups,
        }
        # kind -> learned places in the order they were learned
        self._learned: dict[PlaceKind, dict[Place, None]] = {
            kind: {} for kind in PlaceKind
        }
        # place -> uuid -> visit, in arrival order (the latest caller last)
        self._visits: dict[Place, dict[str, Visit]] = {}
        self._where: dict[str, Place] = {}  # uuid -> the learned place it is at
        self.not_learned = 0
        """How often a call reached an extension or group past the bound (diagnostics)."""

    def learned(self, kind: PlaceKind) -> list[Place]:
        """The places of one kind learned so far, oldest first."""
        return list(self._learned[kind])

    def is_learned(self, place: Place) -> bool:
        """Whether the line shows this place."""
        return place in self._learned[place.kind]

    def learn(self, place: Place) -> bool:
        """Learn a place if there is room; True when it is newly learned."""
        learned = self._learned[place.kind]
        if place in learned:
            return False
        if len(learned) >= self._bounds[place.kind]:
            if place.kind is not PlaceKind.MENU:
                self.not_learned += 1
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
        """Learn again what was learned before a restart (up to the bounds)."""
        for place in places:
            self.learn(place)

    def snapshot(self) -> dict[str, int]:
        """Counters for diagnostics (no numbers)."""
        return {
            "learned_extensions": len(self._learned[PlaceKind.EXTENSION]),
            "learned_groups": len(self._learned[PlaceKind.GROUP]),
            "calls_at_places": len(self._where),
            "calls_past_the_bound": self.not_learned,
        }
