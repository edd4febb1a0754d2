"""Config, options and reconfigure flows for Bulutfon."""

from __future__ import annotations

from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .const import (
    ALL_EVENT_TYPES,
    CONF_CLOUDHOOK_URL,
    CONF_DAILY_RESET,
    CONF_EVENTS,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    DOMAIN,
)
from .phonebook import Phonebook
from .protocol import pbx_number
from .settings import reachable_from_internet, webhook_url
from .wording import line_name, readable_number

CONF_NEW_URL = "new_url"

_EVENTS_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=ALL_EVENT_TYPES,
        multiple=True,
        mode=SelectSelectorMode.LIST,
        translation_key="events",
    )
)
_TEXT = TextSelector()
_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_PHONEBOOK = TextSelector(TextSelectorConfig(multiline=True))


def _credentials(user_input: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Both credentials or neither: an empty string counts as not given."""
    username = (user_input.get(CONF_USERNAME) or "").strip()
    password = user_input.get(CONF_PASSWORD) or ""
    if bool(username) != bool(password):
        errors["base"] = "auth_incomplete"
    return {CONF_USERNAME: username, CONF_PASSWORD: password}


def _events(user_input: dict[str, Any], errors: dict[str, str]) -> list[str]:
    events = [
        name for name in ALL_EVENT_TYPES if name in user_input.get(CONF_EVENTS, [])
    ]
    if not events:
        errors[CONF_EVENTS] = "no_events"
    return events


async def _async_new_webhook(flow: ConfigFlow | OptionsFlow) -> dict[str, Any]:
    """A fresh secret webhook id, with a Nabu Casa cloudhook when subscribed."""
    hass = flow.hass
    webhook_id = webhook.async_generate_id()
    data: dict[str, Any] = {CONF_WEBHOOK_ID: webhook_id, CONF_CLOUDHOOK_URL: None}
    if "cloud" not in hass.config.components:
        return data
    # Imported only when loaded: cloud is heavy, and an optional after-dependency.
    from homeassistant.components import cloud  # noqa: PLC0415

    if cloud.async_active_subscription(hass):
        if not cloud.async_is_connected(hass):
            raise CloudNotConnectedError
        data[CONF_CLOUDHOOK_URL] = await cloud.async_create_cloudhook(hass, webhook_id)
    return data


class CloudNotConnectedError(Exception):
    """Nabu Casa is subscribed but not connected: no cloudhook can be made now."""


class BulutfonConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Bulutfon PBX number."""

    VERSION = 1
    MINOR_VERSION = 2

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> BulutfonOptionsFlow:
        """Return the options flow."""
        return BulutfonOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the PBX number, the events and optional Basic-auth credentials."""
        errors: dict[str, str] = {}
        if user_input is not None:
            number = pbx_number(str(user_input.get(CONF_NUMBER, "")))
            if number is None:
                errors[CONF_NUMBER] = "invalid_number"
            events = _events(user_input, errors)
            credentials = _credentials(user_input, errors)
            if not errors and number is not None:
                await self.async_set_unique_id(number)
                self._abort_if_unique_id_configured()
                try:
                    hook = await _async_new_webhook(self)
                except CloudNotConnectedError:
                    return self.async_abort(reason="cloud_not_connected")
                data = {CONF_NUMBER: number, **hook}
                return self.async_create_entry(
                    title=line_name(number),
                    data=data,
                    options={CONF_EVENTS: events, **credentials},
                    # Before the user pastes a local address into Bulutfon, say so.
                    description=(
                        None
                        if reachable_from_internet(self.hass, data)
                        else "unreachable"
                    ),
                    description_placeholders={
                        "webhook_url": webhook_url(self.hass, data),
                        "number": readable_number(number) or number,
                    },
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_NUMBER): _TEXT,
                vol.Required(CONF_EVENTS, default=ALL_EVENT_TYPES): _EVENTS_SELECTOR,
                vol.Optional(CONF_USERNAME): _TEXT,
                vol.Optional(CONF_PASSWORD): _PASSWORD,
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials, or issue a new secret webhook URL."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = dict(user_input)
            # The password is never shown again: left empty under the same user name, it
            # stays as it was (so asking for a new URL does not mean retyping it).
            current_user = entry.options.get(CONF_USERNAME) or ""
            if (
                current_user
                and (user_input.get(CONF_USERNAME) or "").strip() == current_user
                and not user_input.get(CONF_PASSWORD)
            ):
                user_input[CONF_PASSWORD] = entry.options.get(CONF_PASSWORD, "")
            credentials = _credentials(user_input, errors)
            if not errors:
                data = dict(entry.data)
                if user_input.get(CONF_NEW_URL):
                    try:
                        hook = await _async_new_webhook(self)
                    except CloudNotConnectedError:
                        return self.async_abort(reason="cloud_not_connected")
                    await _async_delete_cloudhook(self, entry)
                    data.update(hook)
                self.hass.config_entries.async_update_entry(
                    entry, data=data, options={**entry.options, **credentials}
                )
                self.hass.config_entries.async_schedule_reload(entry.entry_id)
                return self.async_abort(
                    reason="reconfigure_successful",
                    description_placeholders={
                        "webhook_url": webhook_url(self.hass, data)
                    },
                )
        schema = vol.Schema(
            {
                vol.Optional(CONF_USERNAME): _TEXT,
                vol.Optional(CONF_PASSWORD): _PASSWORD,
                vol.Required(CONF_NEW_URL, default=False): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or {CONF_USERNAME: entry.options.get(CONF_USERNAME)}
            ),
            errors=errors,
            description_placeholders={
                "webhook_url": webhook_url(self.hass, entry.data),
                "title": entry.title,
            },
        )


async def _async_delete_cloudhook(flow: ConfigFlow, entry: ConfigEntry) -> None:
    # Imported here: __init__ imports this module's neighbours, not the other way round.
    from . import async_delete_cloudhook  # noqa: PLC0415

    await async_delete_cloudhook(flow.hass, entry)


class BulutfonOptionsFlow(OptionsFlow):
    """Change what a running line does; applied without a restart.

    The connection settings (credentials, the webhook URL) change in Reconfigure only, the
    one place with one rule; the options show the URL to copy.
    """

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Events, phone book and the daily reset; the webhook URL to copy."""
        errors: dict[str, str] = {}
        entry = self.config_entry
        if user_input is not None:
            events = _events(user_input, errors)
            phonebook = user_input.get(CONF_PHONEBOOK, "")
            try:
                Phonebook.parse(phonebook)
            except ValueError:
                errors[CONF_PHONEBOOK] = "invalid_phonebook"
            if not errors:
                return self.async_create_entry(
                    data={
                        # Credentials are kept as Reconfigure set them.
                        **entry.options,
                        CONF_EVENTS: events,
                        CONF_PHONEBOOK: phonebook,
                        CONF_DAILY_RESET: bool(user_input.get(CONF_DAILY_RESET)),
                    }
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_EVENTS): _EVENTS_SELECTOR,
                vol.Optional(CONF_PHONEBOOK): _PHONEBOOK,
                vol.Required(CONF_DAILY_RESET, default=False): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                user_input or {CONF_EVENTS: ALL_EVENT_TYPES, **entry.options},
            ),
            errors=errors,
            # The URL in a block of its own in the description, to select and copy whole.
            # (A read_only selector would do to show it, but the frontend renders it as a
            # disabled field, whose text cannot be selected.)
            description_placeholders={
                "title": entry.title,
                "webhook_url": webhook_url(self.hass, entry.data),
            },
        )
