"""The `bulutfon.call` action: call a number back through a Hipcall user's phone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
import voluptuous as vol

from .const import DOMAIN, PLATFORM_HIPCALL
from .entity import place_from_key
from .hipcall_api import (
    HipcallAuthError,
    HipcallRateLimitError,
    HipcallRefusedError,
    HipcallUnavailableError,
    callee_number,
)
from .places import PlaceKind, member_id

if TYPE_CHECKING:
    from . import BulutfonConfigEntry
    from .hipcall_account import HipcallAccount

SERVICE_CALL = "call"
ATTR_NUMBER = "number"
ATTR_USER = "user"
ATTR_RING_USER_FIRST = "ring_user_first"

CALL_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Required(ATTR_NUMBER): cv.string,
        vol.Optional(ATTR_USER): cv.string,
        vol.Optional(ATTR_RING_USER_FIRST, default=True): cv.boolean,
    }
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (once, with the integration)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_CALL,
        _async_call,
        schema=CALL_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )


def _fail(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


async def _async_call(call: ServiceCall) -> ServiceResponse:
    """Ring a Hipcall user's phone and connect it to the number; the call's id."""
    hass = call.hass
    devices: list[str] = call.data[ATTR_DEVICE_ID]
    if len(devices) != 1:
        raise _fail("one_device")
    entry, device_user = _target(hass, devices[0])
    account = entry.runtime_data.account
    if account is None:
        raise _fail("no_api_token", title=entry.title)
    number = callee_number(call.data[ATTR_NUMBER])
    if number is None:
        raise _fail("invalid_callee")
    user = call.data.get(ATTR_USER) or device_user
    if user is None:
        raise _fail("no_user")
    user = member_id(user.strip())
    if user is None or (account.users and user not in account.users):
        raise _fail("unknown_user", user=str(call.data.get(ATTR_USER) or ""))
    call_id = await async_start_call(
        account, user, number, call.data[ATTR_RING_USER_FIRST]
    )
    return {"call_id": call_id}


async def async_start_call(
    account: HipcallAccount, user: str, number: str, ring_user_first: bool = True
) -> str:
    """Start a click-to-call; every failure as a translated HomeAssistantError."""
    try:
        return await account.async_call(user, number, ring_user_first)
    except HipcallAuthError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="api_auth_failed"
        ) from err
    except HipcallRateLimitError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="api_rate_limited",
            translation_placeholders={"seconds": f"{err.retry_after:.0f}"},
        ) from err
    except HipcallRefusedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="api_refused",
            translation_placeholders={
                "status": str(err.status),
                "message": err.message or "-",
            },
        ) from err
    except HipcallUnavailableError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="api_unavailable"
        ) from err


def _target(
    hass: HomeAssistant, device_id: str
) -> tuple[BulutfonConfigEntry, str | None]:
    """The loaded Hipcall entry a device belongs to, and the user id of a user device."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise _fail("not_a_line")
    for entry_id in device.config_entries:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            continue
        if entry.state is not ConfigEntryState.LOADED:
            raise _fail("not_loaded", title=entry.title)
        line = entry.runtime_data
        if line.settings.platform != PLATFORM_HIPCALL:
            raise _fail("not_hipcall", title=entry.title)
        prefix = f"{line.settings.number}_"
        for domain, identifier in device.identifiers:
            if domain != DOMAIN:
                continue
            if identifier == line.settings.number:
                return entry, None
            place = place_from_key(identifier.removeprefix(prefix))
            if place is not None and place.kind is PlaceKind.USER:
                return entry, place.number
        raise _fail("not_a_line")
    raise _fail("not_a_line")
