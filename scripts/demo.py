"""A live demo: a fresh Home Assistant with Bulutfon added, and calls ringing through.

Run it with ``scripts/demo`` (or ``scripts/develop --demo``). It makes a throwaway config folder
under the system's temporary directory, starts Home Assistant on http://127.0.0.1:8123 (``PORT``
or ``--port`` to change), completes onboarding with a demo user, adds Bulutfon through the real
config flow, gives it a small phone book, makes a "Bulutfon" dashboard with the office view
(extensions, ring groups, the call-back list, today's figures and a week of calls in a
statistics graph), prints how to log in, then plays a call scenario against the webhook
every few seconds (answered through a ring group to an extension, missed, outgoing, fax, transferred between extensions, an
API-started call, in turn) so that the entities move. Call routing (BulutfonXM) is on too,
decided by a script made from the office-hours blueprint (with an "Office hours" schedule and a
"Do not disturb" toggle to play with): each round also asks the routing URL where a call goes.
With ``--hipcall`` a Hipcall office (``--hipcall-number``) runs beside the classic line: added
through the config flow's Hipcall step, with its own "Hipcall" dashboard, and a Hipcall call
(answered by a user, missed with a voicemail, outgoing, internal, in turn; as
``scripts/simulate --platform hipcall`` plays them) after each classic one. ``--fake-api``
(implies ``--hipcall``) serves a fake Hipcall API on 127.0.0.1 (tests/fake_hipcall.py) and
gives the Hipcall office a token for it: its users' devices take their Hipcall names, each
gets a "Call back waiting caller" button that rings through the fake, and a missed call
the webhook never brought is recovered when the demo restarts Home Assistant during set-up.
Ctrl-C stops Home Assistant and removes the folder.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import contextlib
from datetime import UTC, datetime, timedelta
import itertools
import os
from pathlib import Path
import random
import shutil
import signal
import sys
import tempfile
import time
from types import FrameType
from typing import Any, Final

from realhass import (
    CONFIGURATION,
    DEFAULT_NUMBER,
    ROOT,
    FakeHipcallApi,
    RealHass,
    RealHassError,
)
import simulate
import simulate_routing

USERNAME: Final = "demo"
PASSWORD: Final = "demo1234"
DEFAULT_INTERVAL: Final = 10.0

# (scenario, caller, extension, ring group): callers and extensions from the phone book show
# by name, the others by number.
SCHEDULE: Final = (
    ("answered", "905321234567", 1001, 111),
    ("missed", "905551112233", 1001, 111),
    ("outgoing", "902125550101", 1001, 111),
    ("transfer", "905441234567", 1002, 112),
    ("fax", "902165550199", 1001, 111),
    ("answered", "905551112233", 1003, 112),
    ("missed", "905321234567", 1001, 111),
    ("autodial", "905551112233", 1001, 111),
)
PHONEBOOK: Final = (
    "0532 123 45 67 = Ayşe Kaya\n0555 111 22 33 = Mehmet Demir\n"
    "1001 = Zeynep\n1002 = Emre"
)
OFFICE: Final = ((1001, 111), (1002, 112), (1003, 112))
"""(extension, ring group) pairs the office view shows from the start."""
BLUEPRINTS: Final = ROOT / "blueprints"
BLUEPRINT: Final = BLUEPRINTS / "script" / "bulutfon" / "route_by_office_hours.yaml"
BLOCKED: Final = "0850 000 00 00"
"""A blocked (robot) caller: the routing rounds show it rejected."""
ROUTE_CALLERS: Final = ("905321234567", "902125550101", "908500000000")
HIPCALL_NUMBER: Final = "902125550000"
"""The Hipcall office's number (the classic line has its own)."""
HIPCALL_SCHEDULE: Final = ("answered", "voicemail", "outgoing", "missed", "internal")
HIPCALL_PHONEBOOK: Final = "0532 123 45 67 = Ayşe Kaya\n12 = Zeynep\n15 = Emre"
"""Callers by name, and Hipcall users 12 and 15 (the simulator's user and colleague)."""
HIPCALL_USERS: Final = (12, 15)
FAKE_API_TOKEN: Final = "demo-hipcall-token"
"""The API token the fake Hipcall API (--fake-api) accepts."""
LOST_CALLER: Final = "+905551112233"
"""Who called the Hipcall office while its webhook did not reach Home Assistant (--fake-api)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="demo",
        description="A fresh Home Assistant with Bulutfon, and simulated calls every few seconds.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8123")),
        help="HTTP port on 127.0.0.1 (default: $PORT or 8123)",
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        help=f"seconds between two calls (default {DEFAULT_INTERVAL:g})",
    )
    parser.add_argument(
        "--number", default=DEFAULT_NUMBER, help="the PBX number to add"
    )
    parser.add_argument(
        "--hipcall",
        action="store_true",
        help="also run a Hipcall office beside the classic line",
    )
    parser.add_argument(
        "--hipcall-number",
        default=HIPCALL_NUMBER,
        help=f"the Hipcall office's number (default {HIPCALL_NUMBER})",
    )
    parser.add_argument(
        "--fake-api",
        action="store_true",
        help="serve a fake Hipcall API on 127.0.0.1 and give the Hipcall office a token "
        "for it: user names, the call-back buttons, a call recovered after a restart "
        "(implies --hipcall)",
    )
    return parser


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Let a plain `kill` clean up like Ctrl-C does.
    raise KeyboardInterrupt


def _say(text: str = "") -> None:
    print(text, flush=True)


def office_cards(
    number: str, extensions: list[int], groups: list[int], others: list[str]
) -> list[dict[str, Any]]:
    """The office view: who is on the phone, who waits in each group, how today went, and
    the calls of the last days; then the line's other entities."""
    prefix = f"bulutfon_{number}"
    today = [
        f"sensor.{prefix}_{figure}_today"
        for figure in (
            "incoming_calls",
            "outgoing_calls",
            "answered_calls",
            "missed_calls",
            "talk_time",
        )
    ]
    people = [
        f"binary_sensor.{prefix}_extension_{extension}" for extension in extensions
    ]
    office = [
        f"binary_sensor.{prefix}_line_busy",
        *(f"sensor.{prefix}_group_{group}_calls" for group in groups),
        *today,
    ]
    callbacks = f"todo.{prefix}_callbacks"
    shown = {*people, *office, callbacks}

    def named(entities: list[str], kind: str = "entity") -> list[dict[str, Any]]:
        # The entity's own (translated) name, without the line's device name before it.
        return [{"entity": entity, "name": {"type": kind}} for entity in entities]

    return [
        {
            "type": "glance",
            "columns": max(3, len(people)),
            "entities": named(people, "device"),
        },
        {"type": "entities", "entities": named(office)},
        {"type": "todo-list", "entity": callbacks, "hide_create": True},
        {
            "type": "statistics-graph",
            "entities": named([today[0], today[2]]),
            "period": "day",
            "days_to_show": 7,
            "stat_types": ["change"],
            "chart_type": "bar",
        },
        {
            "type": "entities",
            "entities": named([entity for entity in others if entity not in shown]),
        },
    ]


def hipcall_cards(
    registry: list[dict[str, Any]], entry_id: str
) -> list[dict[str, Any]]:
    """The Hipcall view: a card per device (the office line, then each user), each row
    named by its entity alone, so that it fits a 390 px phone.

    ``registry`` is the entity registry's list (``config/entity_registry/list``). One card
    with the device's name before every entity ("Hipcall 0212 555 00 00 Last call
    duration") cut every row on a phone (issue 32, item 11). A card's first row names the
    device instead (the office's number, the user's Hipcall name), so that each card
    still says whose it is, in the user's language.
    """
    cards: dict[str | None, list[dict[str, Any]]] = {}
    for item in registry:
        if (
            item["platform"] != "bulutfon"
            or item["config_entry_id"] != entry_id
            or item.get("disabled_by") is not None
        ):
            continue
        rows = cards.setdefault(item.get("device_id"), [])
        rows.append({"entity": item["entity_id"], "name": {"type": "entity"}})
    for rows in cards.values():
        # The busy sensor first: "Zeynep  Busy" reads well with the device's name.
        rows.sort(key=lambda row: not row["entity"].startswith("binary_sensor."))
        rows[0]["name"] = {"type": "device"}
    return [{"type": "entities", "entities": rows} for rows in cards.values()]


def seed_history(ha: RealHass, number: str, days: int = 10, seed: int = 12) -> None:
    """Office hours of the last days behind today's figures, so that the statistics graph
    (a week) has bars."""
    rng = random.Random(seed)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    incoming: list[tuple[datetime, int]] = []
    answered: list[tuple[datetime, int]] = []
    for day in range(days, 0, -1):
        for hour in range(24):
            start = today - timedelta(days=day, hours=-hour)
            busy = 9 <= hour < 18 and start.weekday() < 5
            calls = rng.randint(2, 9) if busy else 0
            incoming.append((start, calls))
            answered.append((start, calls - rng.randint(0, min(calls, 2))))
    prefix = f"sensor.bulutfon_{number}"
    ha.import_hourly_statistics(f"{prefix}_incoming_calls_today", None, incoming)
    ha.import_hourly_statistics(f"{prefix}_answered_calls_today", None, answered)


def set_up_office(ha: RealHass, entry_id: str, webhook: str, number: str) -> str:
    """Let the office's extensions and groups take a first call each, enable today's
    less-used figures, give them a history, and make the dashboard; return its URL."""
    for extension, group in OFFICE:
        simulate.play(
            webhook,
            simulate.build_scenario(
                "answered", callee=number, extension=extension, group=group
            ),
            pace=0.0,
            use_proxy=False,
        )
    prefix = f"sensor.bulutfon_{number}"
    ha.enable_entities(
        [f"{prefix}_outgoing_calls_today", f"{prefix}_missed_calls_today"], entry_id
    )
    seed_history(ha, number)
    extensions = sorted({extension for extension, _ in OFFICE})
    groups = sorted({group for _, group in OFFICE})
    return ha.create_dashboard(
        cards=office_cards(number, extensions, groups, ha.bulutfon_entities(entry_id))
    )


def _start(ha: RealHass, number: str) -> tuple[str, str, str]:
    """Start, onboard, add Bulutfon with a phone book and call routing by the blueprint.

    Returns the webhook, dashboard and routing URLs.
    """
    started = time.perf_counter()
    _say(f"Starting Home Assistant in {ha.directory} (log: {ha.log_path}) ...")
    ha.start()
    ha.onboard(USERNAME, PASSWORD, name="Demo")
    line = ha.add_bulutfon(number)
    ha.configure_bulutfon(line.entry_id, phonebook=PHONEBOOK)
    script = _routing_script(ha)
    routing_url = ha.enable_routing(
        line.entry_id,
        default_destination="10",
        routing_script=script,
        blocked_numbers=BLOCKED,
    )
    dashboard = set_up_office(ha, line.entry_id, line.webhook_url, number)
    # Assist answers phone questions only from exposed entities.
    ha.expose_to_assist(ha.bulutfon_entities(line.entry_id))
    _say(f"Ready in {time.perf_counter() - started:.1f} s.")
    return line.webhook_url, dashboard, routing_url


def set_up_hipcall(
    ha: RealHass, number: str, api: FakeHipcallApi | None = None
) -> tuple[str, str]:
    """Add a Hipcall office with a phone book, let its users take a first call, and make
    its dashboard; return the webhook and dashboard URLs.

    With `api` (the fake Hipcall API, running) the office gets its token too, then a call
    the webhook never brought: see `use_fake_api`.
    """
    line = ha.add_hipcall(number)
    ha.configure_bulutfon(line.entry_id, phonebook=HIPCALL_PHONEBOOK)
    for user in HIPCALL_USERS:
        simulate.play(
            line.webhook_url,
            simulate.build_hipcall_scenario("answered", callee=number, user=user),
            use_proxy=False,
        )
    if api is not None:
        use_fake_api(ha, api, line.entry_id, number)
    ha.expose_to_assist(ha.bulutfon_entities(line.entry_id))
    (registry,) = ha.websocket({"type": "config/entity_registry/list"})
    dashboard = ha.create_dashboard(
        "hipcall-demo",
        title="Hipcall",
        cards=hipcall_cards(registry, line.entry_id),
        icon="mdi:phone-voip",
    )
    return line.webhook_url, dashboard


def use_fake_api(ha: RealHass, api: FakeHipcallApi, entry_id: str, number: str) -> None:
    """Point the Hipcall office at the fake API, with a missed call recovered at a restart.

    Hipcall's config flow checks a token against the real Hipcall, so the token is written
    into the stopped hass's entry (as the flow stores it) and hass starts again with the
    fake's address in its environment (a loopback address only: see hipcall_api.py).
    The fake holds a missed call that ended ten minutes ago, whose webhook never came; the
    line has been recovering since an hour ago: starting again, it reads its users (device
    names, call-back buttons) and recovers that call (missed-call count, call-back list, a
    logbook line "... (recovered from Hipcall afterwards)").
    """
    now = datetime.now(UTC)
    _say("Restarting Home Assistant with the Hipcall office on the fake API ...")
    ha.stop()
    ha.point_at_hipcall_api(
        entry_id,
        token=api.token,
        api_url=api.url,
        recovering_since=now - timedelta(hours=1),
    )
    api.add_missed_call(LOST_CALLER, f"+{number}", now - timedelta(minutes=10))
    ha.start()
    deadline = time.monotonic() + 60
    missed = f"sensor.bulutfon_{number}_missed_calls"
    # The line reads the API in the background, after its set-up.
    while ha.states().get(missed, {}).get("state") in {None, "unknown", "0"}:
        if time.monotonic() > deadline:
            raise RealHassError(
                "the Hipcall office recovered no call from the fake API"
            )
        time.sleep(0.5)


DEMO_CONFIGURATION: Final = """
# The demo: automations, scripts and scenes made in the UI are kept (a blueprint's
# automation appears once saved), and a lamp and a radio to act on.
automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml

input_boolean:
  on_air_lamp_power:
    name: On-air lamp power
  office_radio_playing:
    name: Office radio playing
input_number:
  on_air_lamp_level:
    name: On-air lamp brightness
    min: 0
    max: 255

template:
  - light:
      - name: On-air lamp
        unique_id: demo_on_air_lamp
        state: "{{ is_state('input_boolean.on_air_lamp_power', 'on') }}"
        level: "{{ states('input_number.on_air_lamp_level') | int(0) }}"
        turn_on:
          action: input_boolean.turn_on
          target:
            entity_id: input_boolean.on_air_lamp_power
        turn_off:
          action: input_boolean.turn_off
          target:
            entity_id: input_boolean.on_air_lamp_power
        set_level:
          - action: input_number.set_value
            target:
              entity_id: input_number.on_air_lamp_level
            data:
              value: "{{ brightness }}"
          - action: input_boolean.turn_on
            target:
              entity_id: input_boolean.on_air_lamp_power

media_player:
  - platform: universal
    name: Office radio
    unique_id: demo_office_radio
    state_template: >-
      {{ 'playing' if is_state('input_boolean.office_radio_playing', 'on') else 'paused' }}
    commands:
      media_play:
        action: input_boolean.turn_on
        target:
          entity_id: input_boolean.office_radio_playing
      media_pause:
        action: input_boolean.turn_off
        target:
          entity_id: input_boolean.office_radio_playing
      media_play_pause:
        action: input_boolean.toggle
        target:
          entity_id: input_boolean.office_radio_playing
"""
"""What the demo adds to the development configuration (config/configuration.yaml)."""

UI_FILES: Final = {
    "automations.yaml": "[]\n",
    "scripts.yaml": "{}\n",
    "scenes.yaml": "[]\n",
}
"""The files the UI saves automations, scripts and scenes to, empty at first."""


def configuration(directory: Path) -> Path:
    """The development configuration for the demo in ``directory``: automations, scripts
    and scenes made in the UI are loaded, the repository's blueprints are installed, and a
    lamp and a radio are there to act on, so that every blueprint can be tried."""
    for name, empty in UI_FILES.items():
        (directory / name).write_text(empty, encoding="utf-8")
    # Installed as "Import blueprint" would (that needs GitHub; the demo runs offline).
    for source in BLUEPRINTS.glob("*/bulutfon/*.yaml"):
        target = directory / "blueprints" / source.parent.parent.name / "bulutfon"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / source.name)
    path = directory / "demo-configuration.yaml"
    path.write_text(
        CONFIGURATION.read_text(encoding="utf-8") + DEMO_CONFIGURATION,
        encoding="utf-8",
    )
    return path


def _routing_script(ha: RealHass) -> str:
    """A schedule, a toggle and a script from the office-hours blueprint; its entity id."""
    target = ha.directory / "blueprints" / "script" / "bulutfon"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)
    weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday")
    ha.websocket(
        {
            "type": "schedule/create",
            "name": "Office hours",
            **{day: [{"from": "09:00:00", "to": "18:00:00"}] for day in weekdays},
        },
        {"type": "input_boolean/create", "name": "Do not disturb"},
    )
    ha.request(
        "POST",
        "/api/config/script/config/route_calls",
        {
            "alias": "Route Bulutfon calls",
            "use_blueprint": {
                "path": f"bulutfon/{BLUEPRINT.name}",
                "input": {
                    "office_hours": "schedule.office_hours",
                    "do_not_disturb": "input_boolean.do_not_disturb",
                    "open_destination": "10",
                    "closed_destination": "11",
                    "dnd_destination": "1000",
                },
            },
        },
    )
    return "script.route_calls"


def _play(
    webhook: str,
    routing: str,
    number: str,
    interval: float,
    hipcall: tuple[str, str] | None = None,
) -> None:
    """Play the schedule against ``webhook`` forever, one scenario every ``interval`` seconds;
    before each, ask ``routing`` where a call goes; after each, with ``hipcall`` (its webhook
    and number), play a Hipcall scenario."""
    route_callers = itertools.cycle(ROUTE_CALLERS)
    hipcall_scenarios = itertools.cycle(HIPCALL_SCHEDULE)
    for scenario, caller, extension, group in itertools.cycle(SCHEDULE):
        routed = next(route_callers)
        steps = simulate_routing.converse(
            routing, caller=routed, callee=number, timeout=10.0
        )
        decided = (
            ", ".join(simulate_routing.describe(d) for d in steps[-1].seq)
            if steps and steps[-1].seq
            else "no answer"
        )
        _say(f"{time.strftime('%H:%M:%S')}  {routed}: routed: {decided}")
        summary = simulate.play(
            webhook,
            simulate.build_scenario(
                scenario,
                caller=caller,
                callee=number,
                extension=extension,
                group=group,
            ),
            pace=1.0,
            use_proxy=False,
        )
        _say(f"{time.strftime('%H:%M:%S')}  {caller}: {summary.line()}")
        if not summary.ok:
            for result in summary.results:
                if not result.accepted:
                    _say(f"    {result.line()}")
        if hipcall is not None:
            hipcall_url, hipcall_number = hipcall
            name = next(hipcall_scenarios)
            summary = simulate.play(
                hipcall_url,
                simulate.build_hipcall_scenario(name, callee=hipcall_number),
                pace=1.0,
                use_proxy=False,
            )
            _say(f"{time.strftime('%H:%M:%S')}  Hipcall {name}: {summary.line()}")
        time.sleep(interval)


def _hipcall_lines(hipcall: tuple[str, str] | None) -> str:
    """The Hipcall office's lines in the start-up message (none without --hipcall)."""
    if hipcall is None:
        return ""
    webhook, dashboard = hipcall
    return f"  Hipcall         {dashboard}\n  Hipcall webhook {webhook}\n"


def _fake_api_lines(api: FakeHipcallApi | None) -> str:
    """The fake Hipcall API's lines in the start-up message (none without --fake-api)."""
    if api is None:
        return ""
    return (
        f"  Hipcall API     {api.url}  (fake; token {api.token})\n"
        "                  a missed call it held was recovered at the restart: see the\n"
        "                  logbook; the users' Call back buttons ring through it\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo until Ctrl-C; return the exit status."""
    args = _parser().parse_args(argv)
    # Ctrl-C even when started in the background of a script (which ignores SIGINT there).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    directory = Path(tempfile.mkdtemp(prefix="bulutfon-demo-"))
    ha = RealHass(directory, port=args.port, configuration=configuration(directory))
    api = FakeHipcallApi(FAKE_API_TOKEN) if args.fake_api else None
    try:
        try:
            if api is not None:
                api.start()
            webhook, dashboard, routing = _start(ha, args.number)
            hipcall = (
                set_up_hipcall(ha, args.hipcall_number, api)
                if args.hipcall or api is not None
                else None
            )
        except (RealHassError, OSError) as err:
            _say(f"The demo could not start: {err}")
            return 1
        _say(
            f"""
  Home Assistant  {ha.url}
  Log in as       {USERNAME} / {PASSWORD}
  Dashboard       {dashboard}
  Webhook URL     {webhook}
  Routing URL     {routing}  (decided by script.route_calls, from the blueprint)
{_hipcall_lines(hipcall)}{_fake_api_lines(api)}
  Calls ring through every {args.interval:g} s. Try your own:
    scripts/simulate {webhook} missed --caller 905321234567
    scripts/simulate {routing} route --caller 905321234567
  Ctrl-C stops Home Assistant and removes {directory}.
"""
        )
        _play(
            webhook,
            routing,
            args.number,
            args.interval,
            None if hipcall is None else (hipcall[0], args.hipcall_number),
        )
    except KeyboardInterrupt:
        _say("\nStopping ...")
    finally:
        # Ignore further Ctrl-C while cleaning up, so nothing is left behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stopped = ha.stop() is not None
        if api is not None:
            api.stop()
        shutil.rmtree(directory, ignore_errors=True)
        with contextlib.suppress(OSError):
            _say(
                f"{'Home Assistant stopped and ' if stopped else ''}{directory} removed."
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
