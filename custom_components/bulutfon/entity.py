"""The base entity: one device per PBX number, updated only when its part changes."""

from __future__ import annotations

from typing import ClassVar

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.util import slugify

from .calls import Status
from .const import DOMAIN, HIPCALL_MANUFACTURER, MANUFACTURER, PLATFORM_HIPCALL
from .line import PhoneLine
from .places import Place, PlaceKind, destination_number, member_id

_STATUS_KEYS = frozenset(Status)

PERSON_KINDS = (PlaceKind.EXTENSION, PlaceKind.USER)
"""Places that are somebody's phone: each has its own device and a busy sensor."""

WAITING_KINDS = (PlaceKind.GROUP, PlaceKind.TEAM)
"""Places where calls wait (ring groups, Hipcall teams): a calls sensor each."""


def own_entities(hass: HomeAssistant, entity_ids: set[str]) -> set[str]:
    """The entities among `entity_ids` that belong to Bulutfon (for targeted triggers and
    conditions: an area or device target also holds other integrations' entities)."""
    registry = er.async_get(hass)
    return {
        entity_id
        for entity_id in entity_ids
        if (entry := registry.async_get(entity_id)) is not None
        and entry.platform == DOMAIN
    }


def place_key(place: Place) -> str:
    """The key (unique id suffix) of a place's entity: extension_1001, group_111_calls,
    user_12, team_7_calls."""
    if place.kind in PERSON_KINDS:
        return f"{place.kind}_{place.number}"
    return f"{place.kind}_{place.number}_calls"


def _place_number(kind: PlaceKind, number: str) -> bool:
    """Whether `number` is a valid number of a place of `kind`, exactly as it is."""
    if kind in (PlaceKind.USER, PlaceKind.TEAM):
        return member_id(number) == number
    return destination_number(number) == number


def _parse(kinds: tuple[PlaceKind, ...], key: str, suffix: str) -> Place | None:
    for kind in kinds:
        prefix = f"{kind}_"
        if key.startswith(prefix) and key.endswith(suffix):
            number = key[len(prefix) : len(key) - len(suffix)]
            if _place_number(kind, number):
                return Place(kind, number)
    return None


def place_from_key(key: str) -> Place | None:
    """The extension or user whose device has this identifier key (extension_1001,
    user_12: see place_key), or None."""
    return _parse(PERSON_KINDS, key, "")


def place_from_unique_id(domain: str, key: str) -> Place | None:
    """The place an entity of `domain` with this unique id key shows, or None.

    Exact, by platform: only the entity that carries a place names one (an extension's or
    user's busy binary sensor, a group's or team's calls sensor). Other keys that contain
    a place's key, as the call-back button's user_12_call_back does, name none; 0.3.0 read
    that one as a user "12_call_back" and made a new device at every restart (issue 32).
    """
    if domain == Platform.BINARY_SENSOR:
        return _parse(PERSON_KINDS, key, "")
    if domain == Platform.SENSOR:
        return _parse(WAITING_KINDS, key, "_calls")
    return None


def place_name(line: PhoneLine, place: Place) -> str | None:
    """What people call a place: its phone-book name, else (a Hipcall user or team) its
    name in Hipcall, as the API told; None when nobody named it."""
    name = line.settings.phonebook.name_for(place.number)
    if name is None and place.kind is PlaceKind.USER:
        name = line.member_names.get(place.number)
    elif name is None and place.kind is PlaceKind.TEAM:
        name = line.team_names.get(place.number)
    return name


def person_device_info(line: PhoneLine, place: Place) -> DeviceInfo:
    """An extension's or Hipcall user's device, linked to its PBX number's device.

    Named from the phone book when it holds the extension or user id, else (a Hipcall
    user) as named in Hipcall when the API told, else "Extension 1001" / "User 12" in
    Home Assistant's language. A named extension shows its number too ("Zeynep (1001)":
    the number is what the office dials, and tells two Zeyneps apart); pickers show the
    PBX number's device beside it (the via device), so the same extension on two lines
    reads apart too. A Hipcall user's id is no number anyone dials: the name alone.
    """
    number = line.settings.number
    hipcall = line.settings.platform == PLATFORM_HIPCALL
    info = DeviceInfo(
        identifiers={(DOMAIN, f"{number}_{place_key(place)}")},
        manufacturer=HIPCALL_MANUFACTURER if hipcall else MANUFACTURER,
        via_device_id=line.device_id,
    )
    name = place_name(line, place)
    if name:
        info["name"] = (
            f"{name} ({place.number})" if place.kind is PlaceKind.EXTENSION else name
        )
    else:
        info["translation_key"] = str(place.kind)
        info["translation_placeholders"] = {str(place.kind): place.number}
    return info


class BulutfonEntity(Entity):
    """An entity of one Bulutfon line that shows one part of its status."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    platform_domain: ClassVar[Platform]

    def __init__(self, line: PhoneLine, description: EntityDescription) -> None:
        """Attach the entity to its line's device."""
        self.entity_description = description
        self.line = line
        number = line.settings.number
        self._attr_unique_id = f"{number}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, number)})
        # The device is named with the readable number ("Bulutfon 0850 885 00 00"); entity
        # ids keep the digits, as they always had, so automations need no change. The key
        # is slugified for the entity id only (a Hipcall user id "AbC-1" -> "abc_1": Home
        # Assistant refuses capitals and "-" from 2027.2); unique ids keep it as it is.
        self.entity_id = (
            f"{self.platform_domain}.bulutfon_{number}_{slugify(description.key)}"
        )

    async def async_added_to_hass(self) -> None:
        """Listen to this entity's own part of the line's status, if it shows one."""
        await super().async_added_to_hass()
        key = self.entity_description.key
        if key in _STATUS_KEYS:
            self.async_on_remove(
                self.line.async_listen_status(Status(key), self._handle_change)
            )

    @callback
    def _handle_change(self) -> None:
        self.async_write_ha_state()


class BulutfonPlaceEntity(BulutfonEntity):
    """An entity that shows the calls at one extension, ring group, user or team."""

    def __init__(
        self, line: PhoneLine, description: EntityDescription, place: Place
    ) -> None:
        """Attach the entity to its line, showing `place`."""
        super().__init__(line, description)
        self.place = place

    async def async_added_to_hass(self) -> None:
        """Listen to the calls at this entity's place."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.line.async_listen_place(self.place, self._handle_change)
        )
