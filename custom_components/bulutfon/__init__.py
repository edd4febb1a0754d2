"""The Bulutfon integration: Bulutfon cloud PBX call and fax webhooks."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
import logging
from typing import Any

from aiohttp.hdrs import METH_POST
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_WEBHOOK_ID, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.event import (
    async_track_time_change,
    async_track_time_interval,
)
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from .callbacks import CallbackList
from .calls import Status
from .const import (
    CONF_API_TOKEN,
    CONF_CLOUDHOOK_URL,
    CONF_NUMBER,
    CONF_ROUTING_CLOUDHOOK_URL,
    CONF_ROUTING_WEBHOOK_ID,
    DOMAIN,
    HIPCALL_MANUFACTURER,
    MANUFACTURER,
    PLATFORM_HIPCALL,
)
from .endpoint import (
    async_handle_hipcall_webhook,
    async_handle_routing,
    async_handle_webhook,
)
from .entity import (
    PERSON_KINDS,
    person_device_info,
    place_from_key,
    place_from_unique_id,
)
from .hipcall_account import HipcallAccount, ledger_store, names_store
from .language import async_follow_language, line_model
from .line import SEEN_STORE_VERSION, PhoneLine
from .migration import async_migrate
from .places import Place, PlaceKind
from .repairs import (
    async_check_reachability,
    async_delete_issues,
    async_watch_rejections,
    async_watch_routing,
)
from .router import CallRouter
from .services import async_setup_services
from .settings import routing_settings_from_entry, settings_from_entry
from .wording import line_name

_LOGGER = logging.getLogger(__name__)


PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.TODO,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
EXPIRE_INTERVAL = timedelta(minutes=15)
"""How often calls whose end never came (and old finished call-backs) are looked for."""
CALLBACKS_STORE_VERSION = 1
CALLBACKS_SAVE_DELAY = 2.0
"""Seconds a change to the call-back list waits before it is written (changes batch)."""

type BulutfonConfigEntry = ConfigEntry[PhoneLine]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the Bulutfon component (config entries only) and its actions.

    Assist's intents are not set up here: Home Assistant's intent component loads them
    from intent.py (once), and only when Assist is there at all.
    """
    async_setup_services(hass)
    async_follow_language(hass)
    return True


def seen_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry's line keeps the calls it has seen across restarts."""
    return Store(hass, SEEN_STORE_VERSION, f"{DOMAIN}.{entry_id}.seen", private=True)


def callbacks_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry's call-back list is kept across restarts."""
    return Store(
        hass, CALLBACKS_STORE_VERSION, f"{DOMAIN}.callbacks.{entry_id}", private=True
    )


async def async_setup_entry(hass: HomeAssistant, entry: BulutfonConfigEntry) -> bool:
    """Set up one PBX number: its device, entities and webhook."""
    settings = settings_from_entry(entry)
    hipcall = settings.platform == PLATFORM_HIPCALL
    model, model_id = line_model(hass, settings.platform)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.data[CONF_NUMBER])},
        name=line_name(entry.data[CONF_NUMBER], settings.platform),
        manufacturer=HIPCALL_MANUFACTURER if hipcall else MANUFACTURER,
        # Home Assistant translates no device model: written in its language, as it
        # writes translated device names (Extension 1001 / Dahili 1001); its model id
        # (the platform) is what the blueprints' line pickers filter on.
        model=model,
        model_id=model_id,
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    line = PhoneLine(hass, settings, device.id)
    entry.runtime_data = line
    routing = routing_settings_from_entry(entry, settings.phonebook)
    if routing is not None:
        line.router = CallRouter(
            hass,
            routing,
            number=settings.number,
            device_id=device.id,
            webhook_id=entry.data[CONF_ROUTING_WEBHOOK_ID],
        )
        line.router.entity_id = lambda: line.call_entity_id
    places = line.tracker.places
    places.vouched = partial(_named_in_phone_book, line)
    if hipcall and entry.data.get(CONF_API_TOKEN):
        # Trust: with a token, Hipcall's own list says who is a user or a team; a
        # webhook (anyone's who has its URL) makes none (its call still counts).
        places.closed = frozenset({PlaceKind.USER, PlaceKind.TEAM})
        line.account = HipcallAccount(hass, entry, line)
        await line.account.async_load_names()
    _restore_places(hass, entry, line)
    line.store = store = callbacks_store(hass, entry.entry_id)
    line.callbacks = CallbackList.from_dict(await store.async_load(), dt_util.utcnow())

    @callback
    def save_callbacks() -> None:
        store.async_delay_save(line.callbacks.as_dict, CALLBACKS_SAVE_DELAY)

    entry.async_on_unload(line.async_listen_status(Status.CALLBACKS, save_callbacks))

    await line.async_load_seen(seen_store(hass, entry.entry_id))

    # Entities first: they restore their values before the first event can arrive.
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    line.async_save_seen_later()  # what 0.3.0's sensors kept, in the line's store now

    webhook_id = entry.data[CONF_WEBHOOK_ID]
    webhook.async_register(
        hass,
        DOMAIN,
        entry.title,
        webhook_id,
        partial(
            async_handle_hipcall_webhook if hipcall else async_handle_webhook, line
        ),
        allowed_methods=[METH_POST],
    )
    entry.async_on_unload(partial(webhook.async_unregister, hass, webhook_id))
    if (router := line.router) is not None:
        # The second door: Bulutfon asks it where each incoming call goes.
        webhook.async_register(
            hass,
            DOMAIN,
            f"{entry.title} call routing",
            router.webhook_id,
            partial(async_handle_routing, line),
            allowed_methods=[METH_POST],
        )
        entry.async_on_unload(
            partial(webhook.async_unregister, hass, router.webhook_id)
        )
        entry.async_on_unload(
            async_track_time_change(
                hass, router.async_new_day, hour=0, minute=0, second=0
            )
        )
        entry.async_on_unload(async_watch_routing(hass, entry, router))
        entry.async_on_unload(router.async_close)
    # A request already past the webhook lookup may still be reading its body.
    entry.async_on_unload(line.async_close)

    @callback
    def expire(_now: datetime) -> None:
        line.async_expire()

    entry.async_on_unload(async_track_time_interval(hass, expire, EXPIRE_INTERVAL))

    @callback
    def daily_reset(_now: datetime) -> None:
        line.async_new_day()
        if line.settings.daily_reset:
            line.async_reset_missed_calls()

    # Local midnight; whether it resets is read at that moment, so options apply at once.
    entry.async_on_unload(
        async_track_time_change(hass, daily_reset, hour=0, minute=0, second=0)
    )
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    entry.async_on_unload(async_watch_rejections(hass, entry, line))
    async_check_reachability(hass, entry)
    if line.account is not None:
        await line.account.async_start()
    return True


def _named_in_phone_book(line: PhoneLine, place: Place) -> bool:
    """Whether the office's phone book names this place (by its digits): the office
    vouched for it, so no flood of forged ids can keep it from being shown."""
    return (
        place.number.isdigit()
        and line.settings.phonebook.name_for(place.number) is not None
    )


def _restore_places(
    hass: HomeAssistant, entry: BulutfonConfigEntry, line: PhoneLine
) -> None:
    """Learn again the extensions and groups learned before: the entity registry keeps
    their entities (and forgets an extension whose device the user deleted)."""
    prefix = f"{line.settings.number}_"
    line.tracker.places.restore(
        place
        for registry_entry in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if registry_entry.unique_id.startswith(prefix)
        and (
            place := place_from_unique_id(
                registry_entry.domain, registry_entry.unique_id.removeprefix(prefix)
            )
        )
    )


async def _async_options_updated(
    hass: HomeAssistant, entry: BulutfonConfigEntry
) -> None:
    """Apply changed options to the running line, without a reload.

    Turning routing on or off (or a new routing URL) adds or removes a webhook and
    the routing sensors: that reloads the entry.
    """
    line = entry.runtime_data
    line.settings = settings_from_entry(entry)
    # Extension and user devices take their names from the phone book.
    device_registry = dr.async_get(hass)
    for kind in PERSON_KINDS:
        for place in line.tracker.places.learned(kind):
            device_registry.async_get_or_create(
                config_entry_id=entry.entry_id, **person_device_info(line, place)
            )
    routing = routing_settings_from_entry(entry, line.settings.phonebook)
    router = line.router
    if (routing is None) != (router is None) or (
        router is not None
        and router.webhook_id != entry.data.get(CONF_ROUTING_WEBHOOK_ID)
    ):
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    if router is not None and routing is not None:
        router.settings = routing
    async_check_reachability(hass, entry)


async def async_migrate_entry(hass: HomeAssistant, entry: BulutfonConfigEntry) -> bool:
    """Bring an entry made by an older version up to date (see migration.py)."""
    return await async_migrate(hass, entry)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: BulutfonConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete an extension's or user's device; it comes back with its next
    call.

    The PBX number's own device goes only with the entry.
    """
    prefix = f"{entry.runtime_data.settings.number}_"
    for domain, identifier in device.identifiers:
        if (
            domain == DOMAIN
            and identifier.startswith(prefix)
            and (place := place_from_key(identifier.removeprefix(prefix)))
            and place.kind in PERSON_KINDS
        ):
            entry.runtime_data.async_forget_place(place)
            return True
    return False


async def async_unload_entry(hass: HomeAssistant, entry: BulutfonConfigEntry) -> bool:
    """Unload an entry; the webhook and timers go with it (async_on_unload).

    The call-back list is written now: a reload reads it back at once.
    """
    line = entry.runtime_data
    if line.store is not None:  # the same store: its pending delayed write is dropped
        await line.store.async_save(line.callbacks.as_dict())
    await line.async_save_seen_now()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: BulutfonConfigEntry) -> None:
    """Delete the entry's Nabu Casa cloudhook, if it had one, and its repair issues."""
    async_delete_issues(hass, entry)
    await ledger_store(hass, entry.entry_id).async_remove()
    await names_store(hass, entry.entry_id).async_remove()
    await callbacks_store(hass, entry.entry_id).async_remove()
    await seen_store(hass, entry.entry_id).async_remove()
    await async_delete_cloudhook(hass, entry)
    await async_delete_routing_cloudhook(hass, entry)


async def async_delete_cloudhook(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete the cloudhook of an entry's current webhook id, if any."""
    await _async_delete_cloudhook(
        hass, entry.data.get(CONF_WEBHOOK_ID), entry.data.get(CONF_CLOUDHOOK_URL)
    )


async def async_delete_routing_cloudhook(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Delete the cloudhook of an entry's routing webhook id, if any."""
    await _async_delete_cloudhook(
        hass,
        entry.data.get(CONF_ROUTING_WEBHOOK_ID),
        entry.data.get(CONF_ROUTING_CLOUDHOOK_URL),
    )


async def _async_delete_cloudhook(
    hass: HomeAssistant, webhook_id: str | None, cloudhook_url: str | None
) -> None:
    if not webhook_id or not cloudhook_url or "cloud" not in hass.config.components:
        return
    # Imported only when needed: cloud is heavy, and an optional after-dependency.
    from homeassistant.components import cloud  # noqa: PLC0415

    try:
        await cloud.async_delete_cloudhook(hass, webhook_id)
    except cloud.CloudNotAvailable:
        _LOGGER.debug("Cloud not available; the cloudhook was not deleted")
