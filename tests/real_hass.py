"""Helpers for tests that run a real Home Assistant process (scripts/realhass.py).

Not a conftest: the modules that need a real ``hass`` import what they use from here.
"""

from __future__ import annotations

from collections.abc import Callable
import importlib.util
from pathlib import Path
import re
import sys
import time
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NUMBER = "908508850000"
"""The PBX number RealHass.add_bulutfon adds by default."""

# A log line at ERROR or CRITICAL ("2026-11-29 17:31:38.389 ERROR (MainThread) [...]"), or a
# traceback: what a user reads as "something is broken".
_ALARM = re.compile(
    r"^\S+ \S+ (?:ERROR|CRITICAL) .*$|^Traceback \(most recent call last\):$",
    re.MULTILINE,
)


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` (scripts/ is not a package) once, as the browser tests do."""
    module_name = f"bulutfon_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        # The scripts import each other by name (demo imports realhass and simulate).
        sys.path.append(scripts)
    spec = importlib.util.spec_from_file_location(
        module_name, ROOT / "scripts" / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up while the module is being executed.
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


realhass = load_script("realhass")
simulate = load_script("simulate")
RealHass = realhass.RealHass


def alarms(log: str) -> list[str]:
    """The ERROR and CRITICAL lines and tracebacks of a Home Assistant log."""
    return [match.group(0) for match in _ALARM.finditer(log)]


def wait_for(
    read: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 30.0
) -> Any:
    """Call ``read`` until ``done`` accepts its value; return it (the last one on timeout)."""
    deadline = time.monotonic() + timeout
    while not done(value := read()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def wait_until_running(ha: Any, timeout: float = 60.0) -> None:
    """Wait until Home Assistant has finished starting (needs a token)."""

    def state() -> str | None:
        # Early in a start the API may not be there yet: that is "not running" too.
        try:
            return str(ha.request("GET", "/api/config")["state"])
        except OSError, realhass.RealHassError:
            return None

    state_now = wait_for(state, lambda state: state == "RUNNING", timeout)
    assert state_now == "RUNNING", (
        f"Home Assistant is still {state_now}\n{ha.log_tail()}"
    )


def digits(text: str) -> str:
    """Only the digits of ``text`` (a number as the UI shows it, e.g. 0532 123 45 67)."""
    return re.sub(r"\D", "", text)


def assert_no_alarms(log: str) -> None:
    """Fail with the alarming lines first (then the whole log) when there are any."""
    found = alarms(log)
    assert not found, "Home Assistant logged:\n" + "\n".join(found) + "\n\n" + log
