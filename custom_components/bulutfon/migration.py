"""Entry migrations: what each older entry version becomes, and what 0.3.0 left behind."""

from __future__ import annotations

import logging
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import CONF_NUMBER, CONF_PLATFORM, DOMAIN, PLATFORM_BULUTFON
from .entity import place_from_unique_id
from .places import PlaceKind
from .wording import line_name

_LOGGER = logging.getLogger(__name__)

LEGACY_API_URL: Final = "api_url"
"""0.3.0's hidden entry key for another API host (demo plumbing): removed (1.4)."""
ECHO_SUFFIX: Final = "_call_back"


async def async_migrate(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Bring an entry made by an older version up to date.

    1.1 -> 1.2: entries are named with the readable number ("Bulutfon 0850 885 00 00"); an
    entry still named with the old default ("Bulutfon 908508850000") gets the new name, a
    name the user chose stays. Entity ids and unique ids do not change.
    1.2 -> 1.3: a second platform (Hipcall) exists; every entry made before is classic
    Bulutfon, and says so (`platform: bulutfon`). Nothing else changes.
    1.3 -> 1.4: the duplicate user devices 0.3.0 made go (see _remove_echo_users), and so
    does the hidden `api_url` key: the token goes only to its region's Hipcall host.
    """
    if entry.version > 1:
        return False  # made by a newer version: do not guess
    if entry.minor_version < 2:
        number = entry.data[CONF_NUMBER]
        title = entry.title
        if title == f"Bulutfon {number}":
            title = line_name(number)
        hass.config_entries.async_update_entry(entry, title=title, minor_version=2)
    if entry.minor_version < 3:
        hass.config_entries.async_update_entry(
            entry,
            data={**entry.data, CONF_PLATFORM: PLATFORM_BULUTFON},
            minor_version=3,
        )
    if entry.minor_version < 4:
        _remove_echo_users(hass, entry)
        hass.config_entries.async_update_entry(
            entry,
            data={k: v for k, v in entry.data.items() if k != LEGACY_API_URL},
            minor_version=4,
        )
    return True


def _remove_echo_users(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove the users 0.3.0 made up from its own call-back buttons.

    0.3.0 read the button user_12_call_back back as a user "12_call_back" at every start
    (and that user's button as "12_call_back_call_back"...): a device each, named as the
    real user. Such a user is the real one's id followed by "_call_back"; its device and
    entities go (the real user's stay, and so do ids no real user explains).
    """
    prefix = f"{entry.data[CONF_NUMBER]}_"
    entities = er.async_get(hass)
    registered = er.async_entries_for_config_entry(entities, entry.entry_id)
    users = {
        place.number
        for item in registered
        if (
            place := place_from_unique_id(
                item.domain, item.unique_id.removeprefix(prefix)
            )
        )
        and place.kind is PlaceKind.USER
    }
    echoes = {
        user
        for user in users
        if user.endswith(ECHO_SUFFIX) and user.removesuffix(ECHO_SUFFIX) in users
    }
    if not echoes:
        return
    keys = {f"{prefix}user_{user}" for user in echoes}
    keys |= {f"{key}{ECHO_SUFFIX}" for key in keys}  # each echo's own button
    for item in registered:
        if item.unique_id in keys and not (
            # The real user's button has the echo's binary sensor's unique id.
            item.domain == Platform.BUTTON
            and item.unique_id.removesuffix(ECHO_SUFFIX) not in keys
        ):
            entities.async_remove(item.entity_id)
    devices = dr.async_get(hass)
    for user in echoes:
        device = devices.async_get_device_by_identifier(
            (DOMAIN, f"{prefix}user_{user}"), entry.entry_id
        )
        if device is not None:
            devices.async_remove_device(device.id)
    _LOGGER.info(
        "Removed %s duplicate Hipcall user device(s) left by 0.3.0 from entry %s",
        len(echoes),
        entry.entry_id,
    )
