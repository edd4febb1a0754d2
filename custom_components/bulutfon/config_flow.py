"""Config, options and reconfigure flows for Bulutfon."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
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
    CONF_API_TOKEN,
    CONF_BLOCKED_NUMBERS,
    CONF_CALL_PREFIXES,
    CONF_CLOUDHOOK_URL,
    CONF_DAILY_RESET,
    CONF_DEFAULT_DESTINATION,
    CONF_EVENTS,
    CONF_NON_ADMIN_CALLS,
    CONF_NUMBER,
    CONF_PHONEBOOK,
    CONF_PLATFORM,
    CONF_REGION,
    CONF_ROUTING,
    CONF_ROUTING_CLOUDHOOK_URL,
    CONF_ROUTING_SCRIPT,
    CONF_ROUTING_TIMEOUT,
    CONF_ROUTING_WEBHOOK_ID,
    CONF_TTS_ENGINE,
    DEFAULT_ROUTING_TIMEOUT,
    DOMAIN,
    HIPCALL_EVENT_TYPES,
    PLATFORM_BULUTFON,
    PLATFORM_HIPCALL,
)
from .dialing import AllowedNumbers, PrefixError
from .forget_places import ForgetPlacesSteps
from .hipcall_api import (
    DEFAULT_REGION,
    REGION_URLS,
    HipcallAuthError,
    HipcallClient,
    HipcallError,
)
from .phonebook import Phonebook, PhonebookError
from .protocol import pbx_number
from .routing import destination
from .settings import (
    entry_platform,
    reachable_from_internet,
    routing_reachable_from_internet,
    routing_url,
    webhook_url,
)
from .wording import line_name, readable_number

CONF_NEW_URL = "new_url"
CONF_REMOVE_TOKEN = "remove_api_token"  # noqa: S105 (a form field's name)
CONF_AUTH_OFF = "auth_off"

_EVENTS_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=ALL_EVENT_TYPES,
        multiple=True,
        mode=SelectSelectorMode.LIST,
        translation_key="events",
    )
)
_HIPCALL_EVENTS_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=HIPCALL_EVENT_TYPES,
        multiple=True,
        mode=SelectSelectorMode.LIST,
        translation_key="events",
    )
)
_REGION = SelectSelector(
    SelectSelectorConfig(
        options=list(REGION_URLS),
        mode=SelectSelectorMode.DROPDOWN,
        translation_key="region",
    )
)
_TEXT = TextSelector()
_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_PHONEBOOK = TextSelector(TextSelectorConfig(multiline=True))
_SCRIPT = EntitySelector(EntitySelectorConfig(domain="script"))
_TTS = EntitySelector(EntitySelectorConfig(domain="tts"))
_TIMEOUT = NumberSelector(
    NumberSelectorConfig(
        min=1,
        max=10,
        step=0.5,
        unit_of_measurement="s",
        mode=NumberSelectorMode.BOX,
    )
)


def _credentials(user_input: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Both credentials or neither: an empty string counts as not given."""
    username = (user_input.get(CONF_USERNAME) or "").strip()
    password = user_input.get(CONF_PASSWORD) or ""
    if bool(username) != bool(password):
        errors["base"] = "auth_incomplete"
    return {CONF_USERNAME: username, CONF_PASSWORD: password}


_NO_BAD_LINE: Final[dict[str, str]] = {"line": "", "line_text": ""}


def _check_phonebook(phonebook: str, errors: dict[str, str]) -> dict[str, str]:
    """Check a phone book typed in the options; the error's placeholders say which line is
    wrong and quote it back."""
    try:
        Phonebook.parse(phonebook)
    except PhonebookError as err:
        errors[CONF_PHONEBOOK] = "invalid_phonebook"
        return {"line": str(err.line), "line_text": err.text}
    return _NO_BAD_LINE


def _events(
    user_input: dict[str, Any],
    errors: dict[str, str],
    offered: list[str] = ALL_EVENT_TYPES,
) -> list[str]:
    events = [name for name in offered if name in user_input.get(CONF_EVENTS, [])]
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


def _token_characters_ok(token: str) -> bool:
    """Whether a token is one printable ASCII word, as Hipcall's are: a pasted line
    break or space would make the request header invalid (an "unknown error" before)."""
    return token.isascii() and token.isprintable() and " " not in token


async def _async_check_token(flow: ConfigFlow, token: str, region: str) -> str | None:
    """Try a token once: None when Hipcall takes it, else the form's error key."""
    if not _token_characters_ok(token):
        return "invalid_api_token_characters"
    client = HipcallClient(async_get_clientsession(flow.hass), token, region=region)
    try:
        await client.async_check()
    except HipcallAuthError:
        return "invalid_api_token"
    except HipcallError:
        return "cannot_connect"
    return None


def _api_data(user_input: Mapping[str, Any]) -> tuple[str, str]:
    """The token (stripped; empty when none) and the region from a form."""
    token = str(user_input.get(CONF_API_TOKEN) or "").strip()
    region = str(user_input.get(CONF_REGION) or DEFAULT_REGION)
    return token, region if region in REGION_URLS else DEFAULT_REGION


class CloudNotConnectedError(Exception):
    """Nabu Casa is subscribed but not connected: no cloudhook can be made now."""


class BulutfonConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Bulutfon PBX number."""

    VERSION = 1
    MINOR_VERSION = 4

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> BulutfonOptionsFlow:
        """Return the options flow."""
        return BulutfonOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which platform the office uses: classic Bulutfon or Hipcall."""
        return self.async_show_menu(
            step_id="user", menu_options=[PLATFORM_BULUTFON, PLATFORM_HIPCALL]
        )

    async def async_step_bulutfon(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Classic Bulutfon: the PBX number, the events, optional Basic-auth credentials."""
        errors: dict[str, str] = {}
        if user_input is not None:
            number = pbx_number(str(user_input.get(CONF_NUMBER, "")))
            if number is None:
                errors[CONF_NUMBER] = "invalid_number"
            events = _events(user_input, errors)
            credentials = _credentials(user_input, errors)
            if not errors and number is not None:
                await self.async_set_unique_id(number)
                self._abort_if_configured(PLATFORM_BULUTFON)
                try:
                    hook = await _async_new_webhook(self)
                except CloudNotConnectedError:
                    return self.async_abort(reason="cloud_not_connected")
                data = {CONF_NUMBER: number, CONF_PLATFORM: PLATFORM_BULUTFON, **hook}
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
            step_id="bulutfon",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    def _abort_if_configured(self, platform: str) -> None:
        """Abort when an entry has this number: "already configured" on the same
        platform, else which platform has it (re-adding a classic number as Hipcall)."""
        for entry in self._async_current_entries(include_ignore=False):
            if entry.unique_id != self.unique_id:
                continue
            other = entry.data.get(CONF_PLATFORM, PLATFORM_BULUTFON)
            if other != platform:
                raise AbortFlow(f"configured_on_{other}")
        self._abort_if_unique_id_configured()

    async def async_step_hipcall(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Hipcall: the office number that identifies the entry, and the events.

        One Hipcall webhook sends the calls of the whole account, so an entry stands for
        one webhook, under the office's number (normalised as for classic Bulutfon); a
        second entry for that number aborts. Hipcall sends no credentials: none are asked.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            number = pbx_number(str(user_input.get(CONF_NUMBER, "")))
            if number is None:
                # The Hipcall form asks for the "office number", not a "PBX number".
                errors[CONF_NUMBER] = "invalid_office_number"
            events = _events(user_input, errors, HIPCALL_EVENT_TYPES)
            token, region = _api_data(user_input)
            if not errors and number is not None:
                await self.async_set_unique_id(number)
                self._abort_if_configured(PLATFORM_HIPCALL)
                if token and (error := await _async_check_token(self, token, region)):
                    errors[CONF_API_TOKEN] = error
                else:
                    return await self._async_create_hipcall_entry(
                        number,
                        {CONF_EVENTS: events},
                        {CONF_API_TOKEN: token, CONF_REGION: region} if token else None,
                    )
        return self.async_show_form(
            step_id="hipcall",
            data_schema=self.add_suggested_values_to_schema(
                _hipcall_schema(), user_input
            ),
            errors=errors,
        )

    async def _async_create_hipcall_entry(
        self,
        number: str,
        options: dict[str, Any],
        extra_data: dict[str, Any] | None = None,
    ) -> ConfigFlowResult:
        """Make a Hipcall entry; the dialog says where the URL goes and what to tick."""
        try:
            hook = await _async_new_webhook(self)
        except CloudNotConnectedError:
            return self.async_abort(reason="cloud_not_connected")
        data = {
            CONF_NUMBER: number,
            CONF_PLATFORM: PLATFORM_HIPCALL,
            **hook,
            **(extra_data or {}),
        }
        return self.async_create_entry(
            title=line_name(number, PLATFORM_HIPCALL),
            data=data,
            options=options,
            description=(
                "hipcall"
                if reachable_from_internet(self.hass, data)
                else "hipcall_unreachable"
            ),
            description_placeholders={
                "webhook_url": webhook_url(self.hass, data),
                "number": readable_number(number) or number,
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials, or issue a new secret webhook URL."""
        entry = self._get_reconfigure_entry()
        if entry_platform(entry) == PLATFORM_HIPCALL:
            return await self.async_step_reconfigure_hipcall(user_input)
        errors: dict[str, str] = {}
        current_user = entry.options.get(CONF_USERNAME) or ""
        if user_input is not None:
            user_input = dict(user_input)
            turn_off = bool(user_input.get(CONF_AUTH_OFF))
            typed_user = (user_input.get(CONF_USERNAME) or "").strip()
            if turn_off:
                credentials = {CONF_USERNAME: "", CONF_PASSWORD: ""}
            else:
                # The password is never shown again: left empty under the same user
                # name, it stays as it was (so asking for a new URL does not mean
                # retyping it).
                if (
                    current_user
                    and typed_user == current_user
                    and not user_input.get(CONF_PASSWORD)
                ):
                    user_input[CONF_PASSWORD] = entry.options.get(CONF_PASSWORD, "")
                credentials = _credentials(user_input, errors)
                # Both fields emptied: without the tick that says so, authentication
                # is not turned off (every post would be accepted).
                if current_user and not errors and not credentials[CONF_USERNAME]:
                    errors["base"] = "auth_off_unconfirmed"
            if not errors:
                data = dict(entry.data)
                new_url = bool(user_input.get(CONF_NEW_URL))
                if new_url:
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
                    # A new URL: say plainly that the old one no longer works.
                    reason="new_url_issued" if new_url else "reconfigure_successful",
                    description_placeholders={
                        "webhook_url": webhook_url(self.hass, data)
                    },
                )
        fields: dict[vol.Marker, Any] = {
            vol.Optional(CONF_USERNAME): _TEXT,
            vol.Optional(CONF_PASSWORD): _PASSWORD,
        }
        if current_user:
            fields[vol.Required(CONF_AUTH_OFF, default=False)] = BooleanSelector()
        fields[vol.Required(CONF_NEW_URL, default=False)] = BooleanSelector()
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(fields), user_input or {CONF_USERNAME: current_user or None}
            ),
            errors=errors,
            description_placeholders={
                "webhook_url": webhook_url(self.hass, entry.data),
                "title": entry.title,
            },
        )

    async def async_step_reconfigure_hipcall(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A Hipcall line has no credentials: only a new secret webhook URL."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = dict(entry.data)
            token, region = _api_data(user_input)
            if user_input.get(CONF_REMOVE_TOKEN):
                data.pop(CONF_API_TOKEN, None)
                data.pop(CONF_REGION, None)
            elif token or region != data.get(CONF_REGION, region):
                # A new token, or the same one in another region: checked once.
                token = token or str(data.get(CONF_API_TOKEN) or "")
                if token:
                    error = await _async_check_token(self, token, region)
                    if error:
                        errors[CONF_API_TOKEN] = error
                    data.update({CONF_API_TOKEN: token, CONF_REGION: region})
        if user_input is not None and not errors:
            if user_input.get(CONF_NEW_URL):
                try:
                    hook = await _async_new_webhook(self)
                except CloudNotConnectedError:
                    return self.async_abort(reason="cloud_not_connected")
                await _async_delete_cloudhook(self, entry)
                data.update(hook)
            self.hass.config_entries.async_update_entry(entry, data=data)
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
            return self.async_abort(
                reason="reconfigure_hipcall_successful",
                description_placeholders={"webhook_url": webhook_url(self.hass, data)},
            )
        return self.async_show_form(
            step_id="reconfigure_hipcall",
            data_schema=vol.Schema(
                {
                    vol.Optional(CONF_API_TOKEN): _PASSWORD,
                    vol.Required(
                        CONF_REGION,
                        default=entry.data.get(CONF_REGION, DEFAULT_REGION),
                    ): _REGION,
                    vol.Required(CONF_REMOVE_TOKEN, default=False): BooleanSelector(),
                    vol.Required(CONF_NEW_URL, default=False): BooleanSelector(),
                }
            ),
            errors=errors,
            description_placeholders={
                "webhook_url": webhook_url(self.hass, entry.data),
                "title": entry.title,
            },
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Hipcall refused the token: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A new API token, checked once before it is kept."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            token, region = _api_data(user_input)
            if not token:
                errors[CONF_API_TOKEN] = "invalid_api_token"
            elif error := await _async_check_token(self, token, region):
                errors[CONF_API_TOKEN] = error
            else:
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={CONF_API_TOKEN: token, CONF_REGION: region},
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Required(CONF_API_TOKEN): _PASSWORD,
                        vol.Required(CONF_REGION): _REGION,
                    }
                ),
                {CONF_REGION: entry.data.get(CONF_REGION, DEFAULT_REGION)},
            ),
            errors=errors,
            description_placeholders={"title": entry.title},
        )


def _hipcall_schema() -> vol.Schema:
    """The Hipcall step's form: the office number, the events, and the optional API
    token with its region."""
    return vol.Schema(
        {
            vol.Required(CONF_NUMBER): _TEXT,
            vol.Required(
                CONF_EVENTS, default=HIPCALL_EVENT_TYPES
            ): _HIPCALL_EVENTS_SELECTOR,
            vol.Optional(CONF_API_TOKEN): _PASSWORD,
            vol.Required(CONF_REGION, default=DEFAULT_REGION): _REGION,
        }
    )


async def _async_delete_cloudhook(flow: ConfigFlow, entry: ConfigEntry) -> None:
    # Imported here: __init__ imports this module's neighbours, not the other way round.
    from . import async_delete_cloudhook  # noqa: PLC0415

    await async_delete_cloudhook(flow.hass, entry)


async def _async_delete_routing_cloudhook(
    flow: OptionsFlow, entry: ConfigEntry
) -> None:
    from . import async_delete_routing_cloudhook  # noqa: PLC0415

    await async_delete_routing_cloudhook(flow.hass, entry)


def _calls_options(entry: ConfigEntry) -> dict[vol.Marker, Any]:
    """Who may place calls and where to: only on a line that can place them (a Hipcall
    line with an API token)."""
    if not entry.data.get(CONF_API_TOKEN):
        return {}
    return {
        vol.Required(CONF_NON_ADMIN_CALLS, default=False): BooleanSelector(),
        vol.Optional(CONF_CALL_PREFIXES): _TEXT,
    }


def _calls_input(user_input: dict[str, Any]) -> dict[str, Any]:
    """The calls options as saved."""
    return {
        CONF_NON_ADMIN_CALLS: bool(user_input.get(CONF_NON_ADMIN_CALLS)),
        CONF_CALL_PREFIXES: str(user_input.get(CONF_CALL_PREFIXES) or "").strip(),
    }


def _check_call_prefixes(
    user_input: dict[str, Any], errors: dict[str, str]
) -> dict[str, str]:
    """Check the allowed prefixes; the placeholder naming a bad one (always given: the
    form's text names it)."""
    try:
        AllowedNumbers.parse(user_input.get(CONF_CALL_PREFIXES))
    except PrefixError as err:
        errors[CONF_CALL_PREFIXES] = "invalid_prefix"
        return {"prefix": err.text}
    return {"prefix": ""}


class BulutfonOptionsFlow(ForgetPlacesSteps, OptionsFlow):
    """Change what a running line does; applied without a restart.

    The connection settings (credentials, the webhook URL) change in Reconfigure only, the
    one place with one rule; the options show the URL to copy.
    """

    def __init__(self) -> None:
        """Start with nothing chosen yet."""
        self._options: dict[str, Any] = {}
        self._routing_hook: dict[str, Any] | None = None

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Events, phone book, the daily reset, and call routing on or off."""
        if user_input is None and (menu := self.places_menu()) is not None:
            return menu  # the line has learned places: options, or forget some
        errors: dict[str, str] = {}
        bad_line = _NO_BAD_LINE
        entry = self.config_entry
        if entry_platform(entry) == PLATFORM_HIPCALL:
            return await self.async_step_hipcall(user_input)
        if user_input is not None:
            events = _events(user_input, errors)
            phonebook = user_input.get(CONF_PHONEBOOK, "")
            bad_line = _check_phonebook(phonebook, errors)
            if not errors:
                self._options = {
                    # Credentials are kept as Reconfigure set them.
                    **entry.options,
                    CONF_EVENTS: events,
                    CONF_PHONEBOOK: phonebook,
                    CONF_DAILY_RESET: bool(user_input.get(CONF_DAILY_RESET)),
                    CONF_ROUTING: bool(user_input.get(CONF_ROUTING)),
                }
                if self._options[CONF_ROUTING]:
                    return await self.async_step_routing()
                if entry.data.get(CONF_ROUTING_WEBHOOK_ID):
                    # Off: the routing URL stops working; turning it on again gives a new one.
                    await _async_delete_routing_cloudhook(self, entry)
                    data = {
                        key: value
                        for key, value in entry.data.items()
                        if key
                        not in (CONF_ROUTING_WEBHOOK_ID, CONF_ROUTING_CLOUDHOOK_URL)
                    }
                    self.hass.config_entries.async_update_entry(entry, data=data)
                return self.async_create_entry(data=self._options)
        schema = vol.Schema(
            {
                vol.Required(CONF_EVENTS): _EVENTS_SELECTOR,
                vol.Optional(CONF_PHONEBOOK): _PHONEBOOK,
                vol.Required(CONF_DAILY_RESET, default=False): BooleanSelector(),
                vol.Required(CONF_ROUTING, default=False): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                user_input or {CONF_EVENTS: ALL_EVENT_TYPES, **entry.options},
            ),
            errors=errors,
            # The URL as inline code on a line of its own in the description: it wraps on
            # a phone (a code block would scroll and cut it), and a triple click selects
            # exactly the URL.
            # (A read_only selector would do to show it, but the frontend renders it as a
            # disabled field, whose text cannot be selected.)
            description_placeholders={
                "title": entry.title,
                "webhook_url": webhook_url(self.hass, entry.data),
                **bad_line,
            },
            last_step=False,
        )

    async def async_step_hipcall(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A Hipcall line's options: events, phone book, the daily reset (no routing:
        BulutfonXM is classic Bulutfon's)."""
        errors: dict[str, str] = {}
        bad_line = {**_NO_BAD_LINE, "prefix": ""}
        entry = self.config_entry
        calls = _calls_options(entry)
        if user_input is not None:
            events = _events(user_input, errors, HIPCALL_EVENT_TYPES)
            phonebook = user_input.get(CONF_PHONEBOOK, "")
            bad_line = _check_phonebook(phonebook, errors)
            bad_line = {**bad_line, **_check_call_prefixes(user_input, errors)}
            if not errors:
                return self.async_create_entry(
                    data={
                        **entry.options,
                        CONF_EVENTS: events,
                        CONF_PHONEBOOK: phonebook,
                        CONF_DAILY_RESET: bool(user_input.get(CONF_DAILY_RESET)),
                        **(_calls_input(user_input) if calls else {}),
                    }
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_EVENTS): _HIPCALL_EVENTS_SELECTOR,
                vol.Optional(CONF_PHONEBOOK): _PHONEBOOK,
                vol.Required(CONF_DAILY_RESET, default=False): BooleanSelector(),
                **calls,
            }
        )
        return self.async_show_form(
            step_id="hipcall",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                user_input or {CONF_EVENTS: HIPCALL_EVENT_TYPES, **entry.options},
            ),
            errors=errors,
            description_placeholders={
                "title": entry.title,
                "webhook_url": webhook_url(self.hass, entry.data),
                **bad_line,
            },
        )

    async def async_step_routing(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Call routing (BulutfonXM): its URL, the default destination, the script."""
        errors: dict[str, str] = {}
        entry = self.config_entry
        data = dict(entry.data)
        if not data.get(CONF_ROUTING_WEBHOOK_ID):
            if self._routing_hook is None:
                try:
                    hook = await _async_new_webhook(self)
                except CloudNotConnectedError:
                    return self.async_abort(reason="cloud_not_connected")
                self._routing_hook = {
                    CONF_ROUTING_WEBHOOK_ID: hook[CONF_WEBHOOK_ID],
                    CONF_ROUTING_CLOUDHOOK_URL: hook[CONF_CLOUDHOOK_URL],
                }
            data.update(self._routing_hook)
        if user_input is not None and CONF_DEFAULT_DESTINATION in user_input:
            default = destination(str(user_input.get(CONF_DEFAULT_DESTINATION, "")))
            if default is None:
                errors[CONF_DEFAULT_DESTINATION] = "invalid_destination"
            if not errors:
                if data != entry.data:
                    self.hass.config_entries.async_update_entry(entry, data=data)
                return self.async_create_entry(
                    data={
                        **self._options,
                        CONF_DEFAULT_DESTINATION: default,
                        CONF_ROUTING_SCRIPT: user_input.get(CONF_ROUTING_SCRIPT),
                        CONF_ROUTING_TIMEOUT: float(
                            user_input.get(
                                CONF_ROUTING_TIMEOUT, DEFAULT_ROUTING_TIMEOUT
                            )
                        ),
                        CONF_BLOCKED_NUMBERS: user_input.get(CONF_BLOCKED_NUMBERS, ""),
                        CONF_TTS_ENGINE: user_input.get(CONF_TTS_ENGINE),
                    }
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_DEFAULT_DESTINATION): _TEXT,
                vol.Optional(CONF_ROUTING_SCRIPT): _SCRIPT,
                vol.Required(
                    CONF_ROUTING_TIMEOUT, default=DEFAULT_ROUTING_TIMEOUT
                ): _TIMEOUT,
                vol.Optional(CONF_BLOCKED_NUMBERS): _PHONEBOOK,
                vol.Optional(CONF_TTS_ENGINE): _TTS,
            }
        )
        suggested = user_input or {
            key: value for key, value in self._options.items() if value is not None
        }
        if not routing_reachable_from_internet(self.hass, data):
            # A warning, not a refusal: the settings can be saved now and the URL made
            # reachable later; until then Bulutfon cannot ask it.
            errors.setdefault("base", "routing_local_only")
        return self.async_show_form(
            step_id="routing",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={
                "title": entry.title,
                "routing_url": routing_url(self.hass, data) or "",
            },
        )
