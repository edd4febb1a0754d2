"""Run a real Home Assistant with this integration, in a throwaway config folder.

Used by the demo (``scripts/demo``), the browser tests (``tests/browser``) and benchmarks::

    with RealHass(Path(tmp)) as ha:
        token = ha.onboard("demo", "demo1234")
        url = ha.add_bulutfon("908508850000")
        ...  # POST call events to url, read ha.states()

:class:`RealHass` makes the folder (the project's ``config/configuration.yaml``, the integration
linked from the working tree, HTTP bound to 127.0.0.1 on a free port, onboarding down to its user
step), starts ``hass`` in its own process group with its log in the folder, completes onboarding
and adds Bulutfon through Home Assistant's own REST APIs, and stops it again. The standard library
and aiohttp (for the websocket API) only.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
import importlib.util
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
from types import TracebackType
from typing import Any, Final, Self
import urllib.error
import urllib.parse
import urllib.request

import aiohttp

FAKE_API_ENV: Final = "BULUTFON_FAKE_HIPCALL_API"
"""The variable the integration reads for a fake Hipcall API on loopback (hipcall_api.py)."""

ROOT: Final = Path(__file__).resolve().parent.parent
"""The project's folder."""
CONFIGURATION: Final = ROOT / "config" / "configuration.yaml"
INTEGRATION: Final = ROOT / "custom_components" / "bulutfon"
HASS: Final = ROOT / ".venv" / "bin" / "hass"

HOST: Final = "127.0.0.1"
DEFAULT_NUMBER: Final = "908508850000"
"""The vendor document's example PBX number (what scripts/simulate calls by default)."""
LOG_NAME: Final = "hass-console.log"
"""The file in the config folder that takes hass's output (its own log is home-assistant.log)."""

# Onboarding steps other than "user": marked done before the first start, so that creating
# the owner through the API completes onboarding (and core_config starts no discovery flows).
_ONBOARDING: Final = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config", "analytics", "integration"]},
}


class RealHassError(RuntimeError):
    """Home Assistant did not start, or refused a request; the message says what it answered."""


def free_port(host: str = HOST) -> int:
    """Return a TCP port on ``host`` that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Bulutfon:
    """A Bulutfon entry added through the config flow."""

    entry_id: str
    title: str
    webhook_url: str
    """The URL the success dialog tells the user to paste into Bulutfon."""


def _prefilled(form: dict[str, Any]) -> dict[str, object]:
    """A form step's fields as the dialog fills them: suggested values, else defaults."""
    fields: dict[str, object] = {}
    for field in form["data_schema"]:
        suggested = (field.get("description") or {}).get("suggested_value")
        if suggested is not None:
            fields[field["name"]] = suggested
        elif "default" in field:
            fields[field["name"]] = field["default"]
    return fields


FAKE_HIPCALL: Final = ROOT / "tests" / "fake_hipcall.py"


class FakeHipcallApi:
    """The fake Hipcall API (``tests/fake_hipcall.py``) in its own process on 127.0.0.1.

    For the demo's ``--fake-api`` and the real-hass tests: a Hipcall line pointed at
    :attr:`url` (:meth:`RealHass.point_at_hipcall_api`) reads users and call records from it
    and places calls through it.
    """

    def __init__(self, token: str, port: int | None = None) -> None:
        """Describe it (``port`` defaults to a free one); nothing runs yet."""
        self.token = token
        self.port = port if port is not None else free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        """Serve it; wait until it answers. Raises :class:`RealHassError` if it does not."""
        command = [sys.executable, str(FAKE_HIPCALL), "--port", str(self.port)]
        self._process = subprocess.Popen(
            [*command, "--token", self.token],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.request("GET", "/_fake/placed")
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RealHassError("the fake Hipcall API did not start") from None
                time.sleep(0.2)
            else:
                return

    def stop(self) -> None:
        """Stop its process (if it runs)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
        self._process = None

    def request(self, method: str, path: str, body: object = None) -> Any:
        """One JSON request to the fake (its ``/_fake/...`` control endpoints)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            headers={"Content-Type": "application/json"},
            method=method,
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            return json.loads(response.read())

    def add_calls(self, records: list[dict[str, Any]]) -> None:
        """Give the account call records (as ``GET /calls`` lists them)."""
        self.request("POST", "/_fake/calls", records)

    def add_missed_call(
        self, caller: str, callee: str, ended: datetime, user_id: int = 12
    ) -> None:
        """Give the account one missed call (ringing user `user_id`) that ended at `ended`;
        numbers as Hipcall writes them (+E.164)."""
        name = "bulutfon_fake_hipcall"
        if (fake := sys.modules.get(name)) is None:
            spec = importlib.util.spec_from_file_location(name, FAKE_HIPCALL)
            assert spec is not None
            assert spec.loader is not None
            fake = importlib.util.module_from_spec(spec)
            # dataclasses look their module up while the module is being executed.
            sys.modules[name] = fake
            spec.loader.exec_module(fake)
        # A missed call rings for 30 s (fake_hipcall.call_record's ring time + 20 s).
        record = fake.call_record(
            ended - timedelta(seconds=30),
            caller=caller,
            callee=callee,
            missed=True,
            ring=10,
            user_id=user_id,
        )
        self.add_calls([record])

    def placed(self) -> list[dict[str, Any]]:
        """The calls placed through it: ``id``, ``user_id`` and the request's body."""
        placed: list[dict[str, Any]] = self.request("GET", "/_fake/placed")
        return placed


class RealHass:
    """One ``hass`` process serving the config folder ``directory``.

    ``directory`` is made if missing and left in place by :meth:`stop` (the caller owns it; use a
    temporary directory). ``port`` defaults to a free one. Use it as a context manager, or call
    :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        directory: Path,
        *,
        port: int | None = None,
        hass: Path = HASS,
        configuration: Path = CONFIGURATION,
    ) -> None:
        """Describe the instance; nothing is written or started yet."""
        self.directory = Path(directory)
        self.port = port if port is not None else free_port()
        self.url = f"http://{HOST}:{self.port}"
        """The base URL, e.g. ``http://127.0.0.1:8123``."""
        self.token: str | None = None
        """The owner's access token, once :meth:`onboard` has run."""
        self._hass = hass
        self._configuration = configuration
        self._process: subprocess.Popen[bytes] | None = None
        self.environment: dict[str, str] = {}
        """Variables added to hass's environment at each start (the fake API's address)."""

    # --- lifecycle ------------------------------------------------------------------------

    @property
    def log_path(self) -> Path:
        """The file hass writes its output to."""
        return self.directory / LOG_NAME

    @property
    def pid(self) -> int | None:
        """The process id of hass while it runs."""
        return self._process.pid if self._process is not None else None

    def prepare(self) -> None:
        """Write the config folder (idempotent): configuration, integration, HTTP, onboarding."""
        storage = self.directory / ".storage"
        storage.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._configuration, self.directory / "configuration.yaml")
        components = self.directory / "custom_components"
        components.mkdir(exist_ok=True)
        link = components / "bulutfon"
        if not link.exists():
            link.symlink_to(INTEGRATION, target_is_directory=True)
        # HTTP settings live in .storage/http; written before the first start they bind
        # loopback at once (a YAML http: block would be a trial setting).
        http = {
            "version": 1,
            "minor_version": 1,
            "key": "http",
            "data": {"server_host": [HOST], "server_port": self.port},
        }
        (storage / "http").write_text(json.dumps(http))
        onboarding = storage / "onboarding"
        if not onboarding.exists():
            onboarding.write_text(json.dumps(_ONBOARDING))

    def start(self, timeout: float = 90.0) -> None:
        """Prepare the folder, start hass and wait until its HTTP server answers.

        Also a restart: after :meth:`stop`, the same object starts the same folder again (the
        owner's token still works).

        Raises :class:`RealHassError` (with the log's tail) when hass exits or does not answer
        within ``timeout`` seconds; the process is stopped then.
        """
        if self._process is not None:
            raise RealHassError("already started")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            # As hass does: connections of an earlier run in TIME_WAIT do not count.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((HOST, self.port))
            except OSError as err:
                raise RealHassError(
                    f"port {self.port} on {HOST} is taken ({err.strerror}): is another "
                    "Home Assistant running? Choose another port."
                ) from None
        self.prepare()
        with self.log_path.open("ab") as log:
            # Its own session: a Ctrl-C in the terminal reaches the caller, who stops hass.
            self._process = subprocess.Popen(
                [str(self._hass), "--config", str(self.directory), "--skip-pip"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=self.directory,
                env=os.environ | self.environment,
            )
        try:
            self._wait_until_answering(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_until_answering(self, timeout: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while self._process.poll() is None:
            with contextlib.suppress(OSError):
                # An error answer counts too: once onboarded (a restart), Home
                # Assistant no longer serves the onboarding API.
                with contextlib.suppress(RealHassError):
                    self.request("GET", "/api/onboarding", timeout=5)
                return
            if time.monotonic() > deadline:
                raise RealHassError(
                    f"hass did not answer on {self.url} within {timeout:g} s\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.2)
        raise RealHassError(
            f"hass exited with status {self._process.returncode}\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 20.0) -> int | None:
        """Stop hass: SIGTERM to its process group, then SIGKILL after ``timeout`` seconds.

        Returns its exit status (``None`` when it was not running). Safe to call twice.
        """
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        return process.returncode

    def running(self) -> bool:
        """Whether the hass process is alive."""
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of hass's log (for error messages)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Self:
        """Start hass."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop hass."""
        self.stop()

    # --- REST -----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        form: dict[str, str] | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> Any:
        """Send one request to hass; return the decoded JSON answer (``None`` when empty).

        ``body`` goes as JSON, ``form`` as a form. ``token`` defaults to :attr:`token`. Raises
        :class:`RealHassError` for a non-2xx answer, ``OSError`` when hass cannot be reached.
        """
        headers = {"Accept": "application/json"}
        data: bytes | None = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if (bearer := token or self.token) is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        request = urllib.request.Request(
            self.url + path, data=data, headers=headers, method=method
        )
        # No proxy: hass is on loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=timeout) as response:
                raw: bytes = response.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace")
            err.close()
            raise RealHassError(
                f"{method} {path} -> {err.code} {err.reason}: {detail}"
            ) from None
        return json.loads(raw) if raw.strip() else None

    def onboard(
        self,
        username: str = "demo",
        password: str = "demo1234",
        *,
        name: str = "Demo",
        language: str = "en",
    ) -> str:
        """Create the owner through the onboarding API; return (and keep) an access token.

        With the other steps written as done by :meth:`prepare`, this completes onboarding:
        the login page then accepts ``username`` and ``password``. The internal URL is set to
        :attr:`url`, so webhook URLs point at this loopback address.
        """
        client_id = self.url + "/"
        answer = self.request(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": client_id,
                "name": name,
                "username": username,
                "password": password,
                "language": language,
            },
        )
        token = self._token_for(answer["auth_code"], client_id)
        # Without an internal URL, hass builds webhook URLs from the machine's LAN address,
        # where it does not listen: the same setting a user makes under System > Network.
        self.websocket({"type": "config/core/update", "internal_url": self.url})
        return token

    def login(self, username: str, password: str) -> str:
        """Log in through the login-flow API (what the login page does); return a token.

        Also for a hass this object did not start (``RealHass(dir, port=8123)`` without
        :meth:`start`). The token is kept as :attr:`token`.
        """
        client_id = self.url + "/"
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": client_id,
            },
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"username": username, "password": password, "client_id": client_id},
        )
        if result.get("type") != "create_entry":
            raise RealHassError(f"login refused: {result.get('errors')}")
        return self._token_for(result["result"], client_id)

    def _token_for(self, code: str, client_id: str) -> str:
        """Exchange an authorization code for an access token, kept as :attr:`token`."""
        tokens = self.request(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": client_id,
            },
        )
        token: str = tokens["access_token"]
        self.token = token
        return token

    def add_bulutfon(
        self,
        number: str = DEFAULT_NUMBER,
        *,
        events: list[str] | None = None,
        username: str = "",
        password: str = "",
    ) -> Bulutfon:
        """Add a Bulutfon PBX number through the config-flow REST API, as the dialog does.

        ``events`` defaults to the form's default (all). Needs :meth:`onboard` first. Raises
        :class:`RealHassError` when the flow does not create an entry.
        """
        fields: dict[str, object] = {"number": number}
        if events is not None:
            fields["events"] = events
        if username or password:
            fields |= {"username": username, "password": password}
        return self._add_line("bulutfon", fields)

    def add_hipcall(
        self, number: str = DEFAULT_NUMBER, *, events: list[str] | None = None
    ) -> Bulutfon:
        """Add a Hipcall office (its webhook) through the config-flow REST API.

        Like :meth:`add_bulutfon`, with the platform menu's Hipcall choice.
        """
        fields: dict[str, object] = {"number": number}
        if events is not None:
            fields["events"] = events
        return self._add_line("hipcall", fields)

    def _add_line(self, platform: str, fields: dict[str, object]) -> Bulutfon:
        """Start the config flow, pick `platform` in its first menu, submit `fields`."""
        flow = self.request(
            "POST", "/api/config/config_entries/flow", {"handler": "bulutfon"}
        )
        step = f"/api/config/config_entries/flow/{flow['flow_id']}"
        self.request("POST", step, {"next_step_id": platform})
        result = self.request("POST", step, fields)
        if result.get("type") != "create_entry":
            raise RealHassError(f"the config flow did not create an entry: {result}")
        return Bulutfon(
            entry_id=result["result"]["entry_id"],
            title=result["result"]["title"],
            webhook_url=result["description_placeholders"]["webhook_url"],
        )

    def point_at_hipcall_api(
        self,
        entry_id: str,
        *,
        token: str,
        api_url: str,
        recovering_since: datetime | None = None,
    ) -> None:
        """Give a stopped hass's Hipcall entry an API token, its API on ``api_url``.

        Hipcall's config flow checks a token against the real region, which no test and no
        demo may reach; this writes ``api_token`` into ``.storage/core.config_entries`` as
        the flow would have stored it, and from the next start hass's environment names
        the fake API (``BULUTFON_FAKE_HIPCALL_API``, honoured only for a loopback address:
        no entry holds another host). ``recovering_since`` writes the line's recovery ledger as a line that
        has run since then leaves it (calls that ended after it and were not pushed are
        recovered at the next start). Raises :class:`RealHassError` while hass runs.
        """
        if self.running():
            raise RealHassError("stop Home Assistant before editing its entries")
        storage = self.directory / ".storage"
        path = storage / "core.config_entries"
        stored = json.loads(path.read_text())
        (entry,) = [
            entry
            for entry in stored["data"]["entries"]
            if entry["entry_id"] == entry_id
        ]
        entry["data"] |= {"api_token": token}
        self.environment[FAKE_API_ENV] = api_url
        path.write_text(json.dumps(stored, indent=2))
        if recovering_since is not None:
            key = f"bulutfon.{entry_id}.recovery"
            ledger = {
                "floor": recovering_since.isoformat(),
                "seen": [],
                "recovered": 0,
                "last_recovery": None,
                "last_recovered": 0,
            }
            (storage / key).write_text(
                json.dumps(
                    {"version": 1, "minor_version": 1, "key": key, "data": ledger}
                )
            )

    def configure_bulutfon(self, entry_id: str, **changes: object) -> None:
        """Change an entry's options through the options-flow REST API.

        Like the dialog: the form's prefilled values stay, ``changes`` (e.g. ``phonebook=``,
        ``daily_reset=True``) replace theirs. Raises :class:`RealHassError` when it is refused.
        """
        base = "/api/config/config_entries/options/flow"
        form = self.request("POST", base, {"handler": entry_id})
        fields = _prefilled(form)
        result = self.request("POST", f"{base}/{form['flow_id']}", fields | changes)
        if result.get("type") != "create_entry":
            raise RealHassError(f"the options flow did not finish: {result}")

    def enable_routing(self, entry_id: str, **routing: object) -> str:
        """Turn call routing (BulutfonXM) on through the options flow; return its URL.

        The first page keeps its prefilled values and ticks ``routing``; the second takes
        ``routing`` (e.g. ``default_destination="10"``, ``routing_script=...``). Raises
        :class:`RealHassError` when it is refused.
        """
        base = "/api/config/config_entries/options/flow"
        form = self.request("POST", base, {"handler": entry_id})
        fields = _prefilled(form)
        page = self.request(
            "POST", f"{base}/{form['flow_id']}", fields | {"routing": True}
        )
        if page.get("step_id") != "routing":
            raise RealHassError(f"the options flow did not ask for routing: {page}")
        url = str(page["description_placeholders"]["routing_url"])
        result = self.request("POST", f"{base}/{form['flow_id']}", routing)
        if result.get("type") != "create_entry":
            raise RealHassError(f"the options flow did not finish: {result}")
        return url

    def states(self) -> dict[str, dict[str, Any]]:
        """Every entity's state object (as ``/api/states`` gives it), by entity id."""
        return {
            state["entity_id"]: state for state in self.request("GET", "/api/states")
        }

    # --- websocket ------------------------------------------------------------------------

    def websocket(self, *commands: dict[str, Any]) -> list[Any]:
        """Send websocket API commands in order; return each one's ``result``.

        Raises :class:`RealHassError` when one fails. Runs its own event loop in a worker
        thread, so it can be called from anywhere (also under a running loop).
        """
        if self.token is None:
            raise RealHassError("onboard() first: the websocket API needs a token")
        with ThreadPoolExecutor(1, thread_name_prefix="realhass-ws") as pool:
            return pool.submit(
                asyncio.run, self._websocket(self.token, commands)
            ).result()

    async def _websocket(
        self, token: str, commands: tuple[dict[str, Any], ...]
    ) -> list[Any]:
        results: list[Any] = []
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(self.url + "/api/websocket") as ws,
        ):
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": token})
            if (auth := await ws.receive_json())["type"] != "auth_ok":
                raise RealHassError(f"websocket authentication failed: {auth}")
            for number, command in enumerate(commands, start=1):
                await ws.send_json({**command, "id": number})
                while (answer := await ws.receive_json()).get("id") != number:
                    pass  # an event of an earlier subscription
                if not answer.get("success"):
                    raise RealHassError(
                        f"{command['type']} failed: {answer.get('error')}"
                    )
                results.append(answer.get("result"))
        return results

    def bulutfon_entries(self) -> dict[str, str]:
        """The Bulutfon entries' ids by title (e.g. ``"Bulutfon 0850 885 00 00"``)."""
        entries = self.request(
            "GET", "/api/config/config_entries/entry?domain=bulutfon"
        )
        return {item["title"]: item["entry_id"] for item in entries}

    def bulutfon_entities(self, entry_id: str | None = None) -> list[str]:
        """The entity ids of Bulutfon's enabled entities (of entry ``entry_id`` only, when
        given)."""
        (registry,) = self.websocket({"type": "config/entity_registry/list"})
        return [
            item["entity_id"]
            for item in registry
            if item["platform"] == "bulutfon"
            and entry_id in (None, item["config_entry_id"])
            and item.get("disabled_by") is None
        ]

    def create_dashboard(
        self,
        url_path: str = "bulutfon-demo",
        title: str = "Bulutfon",
        entities: list[str] | None = None,
        *,
        icon: str = "mdi:phone-classic",
        cards: list[dict[str, Any]] | None = None,
    ) -> str:
        """Create a storage dashboard with one entities card; return its URL.

        ``entities`` defaults to every Bulutfon entity. The card shows each entity's own
        (translated) name, so the dashboard follows the user's language. ``cards`` replaces
        that card with these.
        """
        shown = entities if entities is not None else self.bulutfon_entities()
        self.websocket(
            {
                "type": "lovelace/dashboards/create",
                "url_path": url_path,
                "title": title,
                "icon": icon,
                "show_in_sidebar": True,
                "require_admin": False,
                "mode": "storage",
            },
            {
                "type": "lovelace/config/save",
                "url_path": url_path,
                "config": {
                    "title": title,
                    "views": [
                        {
                            "title": title,
                            "path": "calls",
                            "cards": cards
                            if cards is not None
                            else [{"type": "entities", "entities": shown}],
                        }
                    ],
                },
            },
        )
        return f"{self.url}/{url_path}/calls"

    def expose_to_assist(self, entity_ids: list[str]) -> None:
        """Expose entities to Assist (Settings > Voice assistants > Expose): Bulutfon's
        answers read only exposed entities."""
        self.websocket(
            {
                "type": "homeassistant/expose_entity",
                "assistants": ["conversation"],
                "entity_ids": entity_ids,
                "should_expose": True,
            }
        )

    def enable_entities(self, entity_ids: list[str], entry_id: str) -> None:
        """Enable entities that are disabled by default, then reload their entry."""
        self.websocket(
            *(
                {
                    "type": "config/entity_registry/update",
                    "entity_id": entity_id,
                    "disabled_by": None,
                }
                for entity_id in entity_ids
            )
        )
        self.request("POST", f"/api/config/config_entries/entry/{entry_id}/reload")

    def import_hourly_statistics(
        self, entity_id: str, unit: str | None, counts: list[tuple[datetime, int]]
    ) -> None:
        """Give a counting sensor past long-term statistics (as if it had run before):
        ``counts`` are (hour start, what that hour added), oldest first.

        The sums end at 0, where the sensor's own statistics start: a graph of the change
        per hour or day then runs on without a jump.
        """
        total = -sum(added for _, added in counts)
        stats = []
        for start, added in counts:
            total += added
            stats.append({"start": start.isoformat(), "state": added, "sum": total})
        self.websocket(
            {
                "type": "recorder/import_statistics",
                "metadata": {
                    "has_mean": False,
                    "mean_type": 0,
                    "has_sum": True,
                    "name": None,
                    "source": "recorder",
                    "statistic_id": entity_id,
                    "unit_class": None,
                    "unit_of_measurement": unit,
                },
                "stats": stats,
            }
        )


if __name__ == "__main__":
    # A smoke run: start, onboard, add Bulutfon, print what a user would be told, stop.
    import tempfile

    with tempfile.TemporaryDirectory(prefix="realhass-") as tmp:

        def lap(what: str, since: float) -> float:
            now = time.perf_counter()
            print(f"{what}: {now - since:.1f} s", file=sys.stderr)
            return now

        mark = time.perf_counter()
        with RealHass(Path(tmp)) as ha:
            mark = lap(f"hass answering on {ha.url}", mark)
            ha.onboard()
            mark = lap("onboarded", mark)
            line = ha.add_bulutfon()
            print(f"{line.title}: {line.webhook_url}", file=sys.stderr)
            print(f"dashboard: {ha.create_dashboard()}", file=sys.stderr)
            mark = lap("Bulutfon and a dashboard added", mark)
        lap("stopped", mark)
