"""The `bulutfon.call` action, and placing a call from Home Assistant at all.

Every call Home Assistant places (this action, the call-back button, the missed-call
blueprint's *Call back*) goes through `async_place_call`: one rule for where a call may go
(dialing.py), one limit per line, one logbook line naming who placed it. A call costs the
office money, so the action is an administrator's act unless the line's options let other
users call (see SECURITY.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import math
import time
from typing import TYPE_CHECKING

from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, EVENT_LOGBOOK_ENTRY
from homeassistant.core import (
    Context,
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
    UnknownUser,
)
from homeassistant.helpers import config_validation as cv, device_registry as dr
import voluptuous as vol

from .callbacks import Callback
from .const import CONF_CALL_PREFIXES, CONF_NON_ADMIN_CALLS, DOMAIN, PLATFORM_HIPCALL
from .dialing import AllowedNumbers, PrefixError, placed_words, refusal
from .entity import place_from_key
from .hipcall_api import (
    HipcallAuthError,
    HipcallRateLimitError,
    HipcallRefusedError,
    HipcallUnavailableError,
    callee_number,
)
from .places import PlaceKind, member_id
from .wording import language_for, party

if TYPE_CHECKING:
    from . import BulutfonConfigEntry
    from .hipcall_account import HipcallAccount
    from .line import PhoneLine

SERVICE_CALL = "call"
ATTR_NUMBER = "number"
ATTR_MISSED_CALL = "missed_call"
ATTR_USER = "user"
ATTR_RING_USER_FIRST = "ring_user_first"

CALL_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Exclusive(ATTR_NUMBER, "callee"): cv.string,
        vol.Exclusive(ATTR_MISSED_CALL, "callee"): cv.string,
        vol.Optional(ATTR_USER): cv.string,
        vol.Optional(ATTR_RING_USER_FIRST, default=True): cv.boolean,
    }
)


class CallNotAllowed(Unauthorized):
    """The user may not place calls: Home Assistant's own refusal (Unauthorized), with a
    message the frontend shows translated."""

    def __init__(self, context: Context) -> None:
        """Refuse the call of `context`'s user."""
        super().__init__(context=context, permission="call")
        self.translation_domain = DOMAIN
        self.translation_key = "call_not_allowed"
        self.generate_message = True


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
    line = entry.runtime_data
    await _async_check_user(hass, entry, call.context)
    account = line.account
    if account is None:
        raise _fail("no_api_token", title=entry.title)
    text = call.data.get(ATTR_USER)
    user = resolve_user(line, account, text) if text else device_user
    if user is None:
        raise _fail("no_user")
    if user not in account.users and account.users:
        raise _fail("unknown_user", user=user, users=_user_names(account))
    item = None
    if (uid := call.data.get(ATTR_MISSED_CALL)) is not None:
        item = line.callbacks.get(uid)
        if item is None:
            raise _fail("callback_not_found")
        number = callee_number(item.number)
    elif (written := call.data.get(ATTR_NUMBER)) is not None:
        number = callee_number(written)
    else:
        raise _fail("no_callee")
    if number is None:
        raise _fail("invalid_callee")
    call_id = await async_place_call(
        line,
        account,
        user,
        number,
        context=call.context,
        ring_user_first=call.data[ATTR_RING_USER_FIRST],
        confirm=item,
    )
    return {"call_id": call_id}


async def _async_check_user(
    hass: HomeAssistant, entry: BulutfonConfigEntry, context: Context
) -> None:
    """Refuse a user who may not place calls on this line.

    No user in the context is Home Assistant itself: an automation or script an
    administrator wrote (only administrators write them), which must keep working. A
    person must be an administrator, or, when the line's options allow other users, one
    who may control entities (Home Assistant's read-only users never may).
    """
    if context.user_id is None:
        return
    user = await hass.auth.async_get_user(context.user_id)
    if user is None:
        raise UnknownUser(context=context)
    if user.is_admin:
        return
    if entry.options.get(CONF_NON_ADMIN_CALLS) and (
        user.permissions.access_all_entities(POLICY_CONTROL)
    ):
        return
    raise CallNotAllowed(context)


def resolve_user(line: PhoneLine, account: HipcallAccount, text: str) -> str:
    """The Hipcall user id `text` names: an id, or a name (as Hipcall or the phone book
    names the person, any case)."""
    text = text.strip()
    if (identifier := member_id(text)) is not None and (
        identifier in account.users or not account.users
    ):
        return identifier
    wanted = text.casefold()
    phonebook = line.settings.phonebook
    found = {
        user_id
        for user_id, name in account.users.items()
        if wanted
        in {(name or "").casefold(), (phonebook.name_for(user_id) or "").casefold()}
    }
    if len(found) == 1:
        return found.pop()
    if found:
        raise _fail("ambiguous_user", user=text)
    raise _fail("unknown_user", user=text, users=_user_names(account))


def _user_names(account: HipcallAccount) -> str:
    """The account's users as a short list for an error ("Ayşe Kaya, Mehmet Demir")."""
    names = sorted(name or user_id for user_id, name in account.users.items())
    return ", ".join(names[:10]) + (", …" if len(names) > 10 else "") or "-"


def allowed_numbers(entry: BulutfonConfigEntry) -> AllowedNumbers:
    """Where this line's calls may go (its options; the default on a bad value, which the
    options flow never saves)."""
    try:
        return AllowedNumbers.parse(entry.options.get(CONF_CALL_PREFIXES))
    except PrefixError:
        return AllowedNumbers()


async def async_place_call(
    line: PhoneLine,
    account: HipcallAccount,
    user: str,
    number: str,
    *,
    context: Context | None,
    ring_user_first: bool = True,
    confirm: Callback | None = None,
    entity_id: str | None = None,
) -> str:
    """Place one call: the destination rule, the line's limit, the API's confirmation of
    a call-back (`confirm`, the call-back list's item), then click-to-call and a logbook
    line. Every refusal is a translated error; nothing is logged with the number."""
    entry = account.entry
    why = refusal(number, allowed_numbers(entry))
    if why is not None:
        raise _fail(f"callee_{why.rule}", prefix=why.prefix)
    now = time.monotonic()
    if (wait := account.call_limit.wait(now)) > 0:
        raise _fail("call_limit", seconds=str(math.ceil(wait)))
    # Counted before the API is asked: refused or not, each try is a request.
    account.call_limit.placed(now)
    if confirm is not None:
        # A webhook has no credentials on Hipcall: its missed call is dialled only when
        # Hipcall's own records show that caller calling in (see dialing.confirms).
        with _api_errors():
            confirmed = await account.async_confirm_caller(
                number, confirm.uuids, confirm.last_missed
            )
        if not confirmed:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="call_back_unconfirmed"
            )
    with _api_errors():
        call_id = await account.async_call(user, number, ring_user_first)
    await _async_log_placed(line, account, user, context, entity_id)
    return call_id


def person_name(line: PhoneLine, account: HipcallAccount, user: str) -> str:
    """A Hipcall user as people know them (phone book, Hipcall's name, else the id)."""
    return line.settings.phonebook.name_for(user) or account.users.get(user) or user


async def _async_log_placed(
    line: PhoneLine,
    account: HipcallAccount,
    user: str,
    context: Context | None,
    entity_id: str | None,
) -> None:
    """A logbook line: who placed the call and whose phone rang, never the number."""
    hass = line.hass
    language = language_for(hass.config.language)
    person = person_name(line, account, user)
    who = None
    if context is not None and context.user_id is not None:
        ha_user = await hass.auth.async_get_user(context.user_id)
        who = ha_user.name if ha_user is not None else None
    message = (
        placed_words(language, "by_user", user=who, person=person)
        if who
        else placed_words(language, "by_automation", person=person)
    )
    data = {"name": account.entry.title, "message": message, "domain": DOMAIN}
    if (shown := entity_id or line.call_entity_id) is not None:
        data["entity_id"] = shown
    hass.bus.async_fire(EVENT_LOGBOOK_ENTRY, data, context=context)


@callback
def async_notify_call_back(
    line: PhoneLine, account: HipcallAccount, user: str, item: Callback
) -> None:
    """Tell the person who pressed the call-back button what happens now."""
    hass = line.hass
    language = language_for(hass.config.language)
    phonebook = line.settings.phonebook
    persistent_notification.async_create(
        hass,
        placed_words(
            language,
            "notice",
            person=person_name(line, account, user),
            callee=party(item.number, phonebook.name_for(item.number), language),
        ),
        title=placed_words(language, "notice_title"),
        notification_id=f"{DOMAIN}_call_back_{line.settings.number}",
    )


@contextmanager
def _api_errors() -> Iterator[None]:
    """Hipcall's failures as translated errors."""
    try:
        yield
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
    entry = (
        None
        if device is None
        else hass.config_entries.async_get_entry(device.config_entry_id)
    )
    if device is None or entry is None or entry.domain != DOMAIN:
        raise _fail("not_a_line")
    if entry.state is not ConfigEntryState.LOADED:
        raise _fail("not_loaded", title=entry.title)
    line: PhoneLine = entry.runtime_data
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
