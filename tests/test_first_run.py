"""A new user's first run reads as healthy: no ERROR lines or tracebacks in Home Assistant's log.

Both ways in, each in a real Home Assistant on config/configuration.yaml in a fresh folder:
``scripts/develop`` (the configuration and the integration linked from the working tree, the
owner created as the onboarding page does) and ``scripts/demo`` (run as a user runs it, through
a full round of its calls). What made them alarming before, and what scripts/setup installs for
it: ffmpeg (Home Assistant's ffmpeg component, loaded through tts by cloud and assist_pipeline)
and libturbojpeg0 (camera, loaded by mobile_app).
"""

from __future__ import annotations

import os
from pathlib import Path
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from .real_hass import ROOT, RealHass, assert_no_alarms, realhass, wait_until_running

# Sockets to 127.0.0.1 (the real Home Assistant); the plugin blocks them by default.
pytestmark = pytest.mark.usefixtures("socket_enabled")

DEMO_SCENARIOS = 6
"""Calls the demo plays in one round of its schedule (scripts/demo.py's SCHEDULE)."""


def test_develop_first_run_logs_no_errors(tmp_path: Path) -> None:
    """Start, onboard, add Bulutfon, stop: not one ERROR line or traceback."""
    ha = RealHass(tmp_path / "config")
    with ha:
        ha.onboard()
        wait_until_running(ha)
        ha.add_bulutfon()
    log = ha.log_path.read_text(errors="replace")
    # The log is the real one: it names the custom integration it loaded.
    assert "custom integration bulutfon" in log
    assert_no_alarms(log)


def _lines(stream: object, into: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)
    into.put(None)


def test_demo_first_run_logs_no_errors(tmp_path: Path) -> None:
    """scripts/demo through a full round of calls: not one ERROR line or traceback."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts" / "demo.py"),
            "--port",
            str(realhass.free_port()),
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        # Its throwaway folder lands in tmp_path, where this test can read the log.
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, output), daemon=True).start()
    printed: list[str] = []
    calls = 0
    deadline = time.monotonic() + 150
    try:
        while calls < DEMO_SCENARIOS and time.monotonic() < deadline:
            try:
                line = output.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            printed.append(line)
            # Each played call prints "HH:MM:SS  caller: summary".
            calls += line[:2].isdigit() and line[2:3] == ":"
        (folder,) = tmp_path.glob("bulutfon-demo-*")
        log = (folder / realhass.LOG_NAME).read_text(errors="replace")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    transcript = "".join(printed)
    assert calls == DEMO_SCENARIOS, transcript
    assert "custom integration bulutfon" in log
    assert_no_alarms(log)
    # The demo cleaned up after itself.
    assert not list(tmp_path.glob("bulutfon-demo-*")), transcript
