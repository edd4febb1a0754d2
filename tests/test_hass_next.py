"""The integration in the newest Home Assistant release, run for real.

The test suite runs on requirements_dev.txt's release (the newest with a matching
pytest-homeassistant-custom-component); users upgrade sooner. This runs a real ``hass`` of
requirements_hass_next.txt's release from ``.venv-next`` (scripts/setup builds it) as a user
meets it: Bulutfon added through the config flow, calls posted to its webhook, the entities read,
Home Assistant restarted, the values read again.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import subprocess

import pytest

from .real_hass import (
    NUMBER,
    ROOT,
    RealHass,
    assert_no_alarms,
    digits,
    load_script,
    simulate,
    wait_for,
    wait_until_running,
)

NEXT_HASS = ROOT / ".venv-next" / "bin" / "hass"
_PIN = re.search(
    r"^homeassistant==(\S+)$",
    (ROOT / "requirements_hass_next.txt").read_text(),
    re.MULTILINE,
)
assert _PIN is not None, "requirements_hass_next.txt pins no homeassistant release"
NEXT_VERSION = _PIN.group(1)

MISSED = f"sensor.bulutfon_{NUMBER}_missed_calls"
LAST_MISSED = f"sensor.bulutfon_{NUMBER}_last_missed_caller"
LAST_CALLER = f"sensor.bulutfon_{NUMBER}_last_caller"
BUSY = f"binary_sensor.bulutfon_{NUMBER}_line_busy"
CALLER = "905551112233"
OTHER_CALLER = "905321234567"

if not NEXT_HASS.exists():
    pytest.skip(
        f"{NEXT_HASS.relative_to(ROOT)} is missing: run scripts/setup",
        allow_module_level=True,
    )

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _play(url: str, scenario: str, caller: str) -> None:
    summary = simulate.run(
        url, scenario, caller=caller, callee=NUMBER, pace=0.0, use_proxy=False
    )
    assert summary.ok, [result.line() for result in summary.results]


def _state(ha: RealHass, entity_id: str) -> str | None:
    state = ha.states().get(entity_id)
    return None if state is None else str(state["state"])


def test_newest_release_runs_bulutfon_across_a_restart(tmp_path: Path) -> None:
    """Config flow, webhook posts, entities, restart: all as on the tested release."""
    ha = RealHass(tmp_path / "config", hass=NEXT_HASS)
    ha.start()
    try:
        ha.onboard()
        wait_until_running(ha)
        assert ha.request("GET", "/api/config")["version"] == NEXT_VERSION
        line = ha.add_bulutfon()
        assert line.webhook_url.startswith(f"{ha.url}/api/webhook/")

        _play(line.webhook_url, "missed", CALLER)
        _play(line.webhook_url, "answered", OTHER_CALLER)
        assert wait_for(lambda: _state(ha, MISSED), lambda s: s == "1") == "1"
        assert digits(_state(ha, LAST_MISSED) or "").endswith(CALLER[2:])
        assert digits(_state(ha, LAST_CALLER) or "").endswith(OTHER_CALLER[2:])
        assert _state(ha, BUSY) == "off"
        entities = set(ha.bulutfon_entities(line.entry_id))
        assert {MISSED, LAST_MISSED, LAST_CALLER, BUSY} <= entities

        ha.stop()
        ha.start()
        wait_until_running(ha)
        # The count and the last callers come back from before the restart.
        assert wait_for(lambda: _state(ha, MISSED), lambda s: s == "1") == "1"
        assert digits(_state(ha, LAST_MISSED) or "").endswith(CALLER[2:])
        assert digits(_state(ha, LAST_CALLER) or "").endswith(OTHER_CALLER[2:])
        assert set(ha.bulutfon_entities(line.entry_id)) == entities

        _play(line.webhook_url, "missed", OTHER_CALLER)
        assert wait_for(lambda: _state(ha, MISSED), lambda s: s == "2") == "2"
        assert digits(_state(ha, LAST_MISSED) or "").endswith(OTHER_CALLER[2:])
    finally:
        ha.stop()
    assert_no_alarms(ha.log_path.read_text(errors="replace"))


_INSTALLED = """
import importlib.metadata, json, sys
from pathlib import Path
sys.path.insert(0, "scripts")
import hass_requirements as h
components = Path(__import__("homeassistant").__file__).parent / "components"
configured = h.configured_components(Path("config/configuration.yaml").read_text())
domains = h.loaded(components, [*configured, *h.always_loaded()])
pins = h.manifest_pins(components)
found = {}
for name in h.component_requirements(components, domains):
    try:
        found[name] = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        found[name] = None
print(json.dumps({"conversation": "conversation" in domains, "found": found, "pins": pins}))
"""


def test_newest_release_has_what_its_components_require() -> None:
    """.venv-next has every package the components it loads require, at the release's pins.

    As a user's Home Assistant installs them: config/configuration.yaml's components
    (conversation among them), what Home Assistant always sets up, and their dependencies.
    The exceptions are requirements_hass_nodeps.txt's newer builds (no Python 3.14 wheels
    of the pinned ones), installed at their own pins.
    """
    result = subprocess.run(
        [str(ROOT / ".venv-next" / "bin" / "python"), "-c", _INSTALLED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["conversation"]
    hass_requirements = load_script("hass_requirements")
    normalize = hass_requirements.normalize
    instead = {
        normalize(name): version
        for name, _, version in (
            line.partition("==")
            for line in (ROOT / "requirements_hass_nodeps.txt").read_text().splitlines()
            if "==" in line and not line.startswith("#")
        )
    }
    wrong = {
        name: installed
        for name, installed in report["found"].items()
        if installed
        != instead.get(
            normalize(name), report["pins"][normalize(name)].partition("==")[2]
        )
    }
    assert wrong == {}, "not as the release pins them: run scripts/setup"


def test_setup_derives_the_same_pins_for_the_tested_release() -> None:
    """scripts/hass_requirements.py, run for .venv's release, gives the pins kept by hand.

    requirements_hass_runtime.txt and requirements_dev.txt's frontend were written from
    2026.10.4's manifests; .venv-next's are derived by the script. Where both exist they must
    agree, or the derivation is wrong.
    """
    hass_requirements = load_script("hass_requirements")
    components = Path(__import__("homeassistant").__file__).parent / "components"
    by_hand = {
        hass_requirements.normalize(line.split("==")[0]): line.strip()
        for path in ("requirements_hass_runtime.txt", "requirements_dev.txt")
        for line in (ROOT / path).read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    names = [
        hass_requirements.FRONTEND,
        *hass_requirements.requirement_names(
            (ROOT / "requirements_hass_runtime.txt").read_text().splitlines()
        ),
    ]
    derived = hass_requirements.pinned(
        names, hass_requirements.manifest_pins(components)
    )
    pinned_by_manifests = [line for line in derived if "==" in line]
    # Everything a manifest pins (unicode-rbnf, hassil's dependency, is not).
    assert len(pinned_by_manifests) == len(names) - 1
    for requirement in pinned_by_manifests:
        name = hass_requirements.normalize(requirement.split("==")[0])
        assert by_hand[name] == requirement


def test_moving_to_a_newer_release_is_one_line() -> None:
    """requirements_hass_next.txt pins one thing, Home Assistant; the rest is derived."""
    lines = [
        line
        for line in (ROOT / "requirements_hass_next.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    pinned = [line for line in lines if "=" in line or "<" in line or ">" in line]
    assert pinned == [f"homeassistant=={NEXT_VERSION}"]


def test_readme_names_the_tested_releases() -> None:
    """The README's table of tested versions follows the pins (it must stay true)."""
    tested = re.search(
        r"^homeassistant==(\S+)$",
        (ROOT / "requirements_dev.txt").read_text(),
        re.MULTILINE,
    )
    assert tested is not None
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Tested Home Assistant versions") :]
    assert f"\n| {tested.group(1)} | the whole test suite" in table
    assert f"\n| {NEXT_VERSION}, the newest release | a real Home Assistant" in table
