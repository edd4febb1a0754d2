"""A Hipcall line's link to its account's API: names, recovered calls, click-to-call.

Only for Hipcall entries with an API token. The webhook stays the main source; this reads
the users and teams at start-up and every few hours, recovers the calls the webhook never
brought (at start-up and then every RECOVER_EVERY), and starts calls for `bulutfon.call`.
A refused token starts Home Assistant's re-authentication; a rate limit pauses until its
reset; an unreachable API is retried with a growing delay and becomes a repair only when it
lasts. Nothing here logs the token or a phone number above debug.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import CONF_API_TOKEN, CONF_REGION, DOMAIN
from .dialing import CallLimit, confirms
from .entity import person_device_info, place_key
from .hipcall_api import (
    MAX_NAME_LENGTH,
    MAX_PEOPLE,
    REQUEST_TIMEOUT,
    HipcallAuthError,
    HipcallClient,
    HipcallError,
    HipcallRateLimitError,
    HipcallRefusedError,
    HipcallTeam,
    HipcallUnavailableError,
    HipcallUser,
)
from .places import Place, PlaceKind, member_id
from .recovery import MAX_CALLS, SETTLE, RecoveryLedger

if TYPE_CHECKING:
    from . import BulutfonConfigEntry
    from .line import PhoneLine

_LOGGER = logging.getLogger(__name__)

API_TIMEOUT: Final = REQUEST_TIMEOUT
"""Seconds one API request may take (set-up never waits for it: it runs in the background)."""
TICK: Final = timedelta(minutes=5)
"""How often the account looks whether work is due."""
RECOVER_EVERY: Final = timedelta(minutes=15)
"""How often the calls since the last one seen are read after the start-up recovery: the
gap a lost webhook delivery can leave before it is filled."""
MEMBERS_EVERY: Final = timedelta(hours=6)
"""How often the users and teams are read again (renames reach Home Assistant)."""
RETRY_FIRST: Final = 60.0
RETRY_MAX: Final = 3600.0
"""Seconds before the next try after the API could not be reached: doubling, bounded."""
REPAIR_AFTER: Final = 3
"""Failed tries in a row (some 7 minutes and more) before a repair says so."""
SAVE_DELAY: Final = 10.0
STORE_VERSION: Final = 1
ISSUE_UNREACHABLE: Final = "hipcall_api_unreachable"
CONFIRM_UUIDS: Final = 2
"""A caller's latest missed calls asked for by uuid when confirming a call-back."""
CONFIRM_CALLS: Final = 300
"""Call records read at most when a call-back is confirmed from the recent calls."""
CONFIRM_MARGIN: Final = timedelta(hours=1)
CONFIRM_LOOKBACK: Final = timedelta(days=7)
"""How far back the recent calls are searched for a caller to confirm."""


def ledger_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry's recovery ledger is kept across restarts."""
    return Store(hass, STORE_VERSION, f"{DOMAIN}.{entry_id}.recovery")


def names_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where the Hipcall users' and teams' names are kept across restarts (people's
    names: private)."""
    return Store(
        hass, STORE_VERSION, f"{DOMAIN}.{entry_id}.hipcall_names", private=True
    )


def _names(stored: object) -> dict[str, str]:
    """Names read back from the store, only those that could have been stored."""
    if not isinstance(stored, dict):
        return {}
    return {
        key: value
        for key, value in stored.items()
        if isinstance(key, str)
        and member_id(key) == key
        and isinstance(value, str)
        and 0 < len(value) <= MAX_NAME_LENGTH
    }


class HipcallAccount:
    """The API side of one Hipcall line (see the module docstring)."""

    def __init__(
        self, hass: HomeAssistant, entry: BulutfonConfigEntry, line: PhoneLine
    ) -> None:
        """Make the client on Home Assistant's shared session."""
        self.hass = hass
        self.entry = entry
        self.line = line
        self.client = HipcallClient(
            async_get_clientsession(hass),
            entry.data[CONF_API_TOKEN],
            region=entry.data.get(CONF_REGION),
            timeout=API_TIMEOUT,
        )
        self.users: dict[str, str | None] = {}
        """The account's users (id -> name) as last read; empty until read."""
        self.teams: dict[str, str | None] = {}
        self._store = ledger_store(hass, entry.entry_id)
        self._names = names_store(hass, entry.entry_id)
        self._paused_until = 0.0
        self._failures = 0
        self._auth_failed = False
        self._next_members = 0.0
        self._next_recovery = 0.0
        self._settle_timer: CALLBACK_TYPE | None = None
        """The recovery after SETTLE, while calls wait to settle."""
        self.last_error: str | None = None
        """The kind of the last failure, for diagnostics (never its text)."""
        self.truncated = False
        """Whether the last recovery hit its bound (more calls than MAX_CALLS)."""
        self.call_limit = CallLimit()
        """Calls placed from Home Assistant on this line, bounded per minute."""

    async def async_start(self) -> None:
        """Load the ledger, then do the first work in the background (set-up does not
        wait for the API) and every TICK after."""
        now = dt_util.utcnow()
        self.line.ledger = RecoveryLedger.from_dict(await self._store.async_load(), now)
        self.line.ledger_changed = self._save_later
        self._save_later()
        self.entry.async_on_unload(self._async_save_now)
        self.entry.async_on_unload(self._cancel_settle)
        self.entry.async_on_unload(
            async_track_time_interval(self.hass, self._tick, TICK)
        )
        self.entry.async_create_background_task(
            self.hass, self.async_work(), f"{DOMAIN} Hipcall start-up"
        )

    @callback
    def _save_later(self) -> None:
        ledger = self.line.ledger
        if ledger is not None:
            self._store.async_delay_save(ledger.as_dict, SAVE_DELAY)

    async def _async_save_now(self) -> None:
        if (ledger := self.line.ledger) is not None:
            await self._store.async_save(ledger.as_dict())

    @callback
    def _tick(self, _now: datetime) -> None:
        self.entry.async_create_background_task(
            self.hass, self.async_work(), f"{DOMAIN} Hipcall refresh"
        )

    async def async_work(self) -> None:
        """Do what is due: the users and teams, then the recovery."""
        now = dt_util.utcnow().timestamp()
        if self._auth_failed or now < self._paused_until:
            return
        if now >= self._next_members:
            if not await self._async_guard(self.async_refresh_members):
                return
            self._next_members = now + MEMBERS_EVERY.total_seconds()
        if now >= self._next_recovery:
            due = self._next_recovery
            if not await self._async_guard(self.async_recover):
                return
            # Unless the recovery asked for an earlier one (calls left to settle), the
            # next comes RECOVER_EVERY after this one.
            if self._next_recovery == due:
                self._next_recovery = now + RECOVER_EVERY.total_seconds()

    async def _async_guard(self, work: Callable[[], Awaitable[None]]) -> bool:
        """Run one piece of work; what a failure means for the next try. True when done."""
        try:
            await work()
        except HipcallAuthError:
            self._auth_failed = True
            self.last_error = "auth"
            # The entry id, not its title: the title holds the office's number.
            _LOGGER.warning(
                "The Hipcall API refused the token of entry %s", self.entry.entry_id
            )
            self.entry.async_start_reauth(self.hass)
            return False
        except HipcallRateLimitError as err:
            # Expected now and then (60 requests a minute): no warning.
            self._paused_until = dt_util.utcnow().timestamp() + err.retry_after
            self.last_error = "rate_limited"
            _LOGGER.debug("Hipcall API rate limit: next try in %.0f s", err.retry_after)
            return False
        except HipcallUnavailableError as err:
            self._unreachable(err.reason)
            return False
        except HipcallRefusedError as err:
            self.last_error = f"refused_{err.status}"
            self._paused_until = dt_util.utcnow().timestamp() + RETRY_MAX
            _LOGGER.warning(
                "The Hipcall API refused a read for entry %s (HTTP %s)",
                self.entry.entry_id,
                err.status,
            )
            return False
        self._reachable()
        return True

    def _unreachable(self, reason: str) -> None:
        self._failures += 1
        self.last_error = reason
        delay = min(RETRY_FIRST * 2 ** (self._failures - 1), RETRY_MAX)
        self._paused_until = dt_util.utcnow().timestamp() + delay
        level = logging.WARNING if self._failures == 1 else logging.DEBUG
        _LOGGER.log(
            level,
            "The Hipcall API of entry %s could not be reached (%s); trying again in %.0f s",
            self.entry.entry_id,
            reason,
            delay,
        )
        if self._failures == REPAIR_AFTER:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"{ISSUE_UNREACHABLE}_{self.entry.entry_id}",
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_UNREACHABLE,
                translation_placeholders={"title": self.entry.title},
            )

    def _reachable(self) -> None:
        if self._failures >= REPAIR_AFTER:
            ir.async_delete_issue(
                self.hass, DOMAIN, f"{ISSUE_UNREACHABLE}_{self.entry.entry_id}"
            )
        if self._failures:
            _LOGGER.info(
                "The Hipcall API of entry %s answers again", self.entry.entry_id
            )
        self._failures = 0
        self.last_error = None

    async def async_load_names(self) -> None:
        """Read the users' and teams' names kept from the last API read, before the
        entities are made: a team's sensor is named as in Hipcall from the start, not
        "Team 7" until the API answers (issue 32, item 9)."""
        stored = await self._names.async_load() or {}
        line = self.line
        line.member_names = _names(stored.get("users"))
        line.team_names = _names(stored.get("teams"))

    async def async_refresh_members(self) -> None:
        """Read the users and teams: a device for every user and a sensor for every team,
        named as in Hipcall; those the account no longer lists go."""
        users = await self.client.async_get_users()
        teams = await self.client.async_get_teams()
        self.teams = {team.id: team.name for team in teams}
        self._apply_users(users)
        self._apply_teams(teams)
        line = self.line
        # Written at once: read every few hours, and a reload may follow at any time.
        await self._names.async_save(
            {"users": line.member_names, "teams": line.team_names}
        )

    @callback
    def _apply_teams(self, teams: list[HipcallTeam]) -> None:
        """A calls-waiting sensor for every team from the start, named as in Hipcall (a
        team renamed in Hipcall takes its new name when the entry next loads)."""
        line = self.line
        line.team_names = {team.id: team.name for team in teams if team.name}
        places = [Place(PlaceKind.TEAM, team.id) for team in teams]
        line.async_learn_places(places)
        # An account may have no team; it always has a user (its owner).
        self._remove_unlisted(
            PlaceKind.TEAM,
            places,
            complete=bool(self.users) and len(teams) < MAX_PEOPLE,
        )

    @callback
    def _apply_users(self, users: list[HipcallUser]) -> None:
        line = self.line
        self.users = {user.id: user.name for user in users}
        line.member_names = {user.id: user.name for user in users if user.name}
        places = [Place(PlaceKind.USER, user.id) for user in users]
        known = set(line.tracker.places.learned(PlaceKind.USER))
        line.async_learn_places(places)
        self._remove_unlisted(
            PlaceKind.USER, places, complete=bool(users) and len(users) < MAX_PEOPLE
        )
        # Devices already there take a name changed in Hipcall (a name the user gave
        # in Home Assistant stays: the registry keeps it apart).
        registry = dr.async_get(self.hass)
        for place in places:
            if place in known:
                registry.async_get_or_create(
                    config_entry_id=self.entry.entry_id,
                    **person_device_info(line, place),
                )

    @callback
    def _remove_unlisted(
        self, kind: PlaceKind, listed: list[Place], *, complete: bool
    ) -> None:
        """Remove the users (or teams) the account does not list: people who left it, and
        ids a webhook or an older version brought. Only after a complete list (a list
        cut at MAX_PEOPLE says nothing of the rest)."""
        if not complete:
            return
        keep = set(listed)
        line = self.line
        number = line.settings.number
        devices = dr.async_get(self.hass)
        entities = er.async_get(self.hass)
        for place in line.tracker.places.learned(kind):
            if place in keep:
                continue
            line.async_forget_place(place)
            unique_id = f"{number}_{place_key(place)}"
            if kind is PlaceKind.USER:
                if device := devices.async_get_device_by_identifier(
                    (DOMAIN, unique_id), self.entry.entry_id
                ):
                    devices.async_remove_device(device.id)  # its entities go with it
            elif entity_id := entities.async_get_entity_id(
                Platform.SENSOR, DOMAIN, unique_id
            ):
                entities.async_remove(entity_id)
            _LOGGER.debug("Removed a Hipcall %s the account does not list", kind)

    async def async_recover(self) -> None:
        """Apply the ended calls the webhook never brought (see recovery.py)."""
        ledger = self.line.ledger
        if ledger is None:
            return
        now = dt_util.utcnow()
        result = await self.client.async_get_calls(
            ledger.since(now), max_calls=MAX_CALLS
        )
        self.truncated = result.truncated
        plan = ledger.plan(result.records, now)
        for event in plan.events:
            self.line.async_process(event)
        ledger.recovered_now(len(plan.events), now)
        self._save_later()
        if plan.events:
            _LOGGER.info(
                "Recovered %s call(s) for entry %s that the webhook did not bring",
                len(plan.events),
                self.entry.entry_id,
            )
        if plan.pending:
            # Calls that just ended: their webhook has SETTLE to come first; then a
            # recovery of its own takes them (the TICK would come later).
            self._next_recovery = dt_util.utcnow().timestamp() + SETTLE.total_seconds()
            self._cancel_settle()
            self._settle_timer = async_call_later(self.hass, SETTLE, self._tick)

    @callback
    def _cancel_settle(self) -> None:
        if self._settle_timer is not None:
            self._settle_timer()
            self._settle_timer = None

    async def async_call(self, user_id: str, number: str, ring_user_first: bool) -> str:
        """Start a click-to-call; HipcallError as the client raises it."""
        try:
            return await self.client.async_call(
                user_id, number, ring_user_first=ring_user_first
            )
        except HipcallAuthError:
            if not self._auth_failed:
                self._auth_failed = True
                self.entry.async_start_reauth(self.hass)
            raise

    async def async_confirm_caller(
        self, number: str, uuids: Sequence[str], last_missed: datetime
    ) -> bool:
        """Whether the API's own call records show `number` calling the office: one of
        its missed calls' `uuids` (the latest first), else a call from it among the
        recent calls. HipcallError as the client raises it.

        The webhook's data (uuids, time) only says where to look: a forged one finds
        nothing, or a real call from another number, and confirms nothing.
        """
        day = last_missed.astimezone(UTC).date().isoformat()
        for uuid in list(reversed(uuids))[:CONFIRM_UUIDS]:
            record = await self.client.async_get_call(uuid, day)
            if record is not None and confirms(record, number):
                return True
        now = dt_util.utcnow()
        since = min(
            max(last_missed - CONFIRM_MARGIN, now - CONFIRM_LOOKBACK),
            now - CONFIRM_MARGIN,
        )
        result = await self.client.async_get_calls(since, max_calls=CONFIRM_CALLS)
        return any(confirms(record, number) for record in result.records)

    def snapshot(self) -> dict[str, Any]:
        """What diagnostics show (no token, no numbers)."""
        ledger = self.line.ledger
        return {
            "users": len(self.users),
            "teams": len(self.teams),
            "last_error": self.last_error,
            "failures_in_a_row": self._failures,
            "recovery": None
            if ledger is None
            else {
                "recovered_calls": ledger.recovered,
                "last_recovery": None
                if ledger.last_recovery is None
                else ledger.last_recovery.isoformat(),
                "recovered_last_time": ledger.last_recovered,
                "recovering_since": ledger.floor.isoformat(),
                "calls_remembered": len(ledger.seen),
                "bound_reached": self.truncated,
            },
        }


__all__ = ["HipcallAccount", "HipcallError"]
