"""With ``CI`` set (GitHub sets ``CI=true``), a skipped part of the suite fails the run.

A skip is right on a contributor's laptop without chromium; in CI it would hide a broken UI or
a Home Assistant release that no longer loads the integration, because ``scripts/setup`` gives a
fresh machine everything the suite needs. Every skip, of a test or of a whole module, is
collected; the run then fails with a summary naming each one and its reason. Expected failures
(xfail) are not skips. Registered by tests/conftest.py (or ``-p tests.no_silent_skips``).
"""

from __future__ import annotations

from collections.abc import Generator
import os

import pytest

_OFF = frozenset({"", "0", "false", "no", "off"})
PLUGIN_NAME = "bulutfon-no-silent-skips"


def ci_enabled() -> bool:
    """Whether ``$CI`` asks for a run without skips (``true``, ``1``, ``yes`` ...)."""
    return os.environ.get("CI", "").strip().lower() not in _OFF


def _reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


class NoSilentSkips:
    """The plugin: notes every skip, then fails the run and says why."""

    def __init__(self) -> None:
        """Nothing skipped yet."""
        self.skips: list[tuple[str, str]] = []

    def _note(self, report: pytest.CollectReport | pytest.TestReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):
            self.skips.append((report.nodeid, _reason(report)))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Note a module that skipped itself (e.g. no chromium)."""
        self._note(report)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Note a test that skipped."""
        self._note(report)

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None]:
        """Fail an otherwise green run that skipped something.

        A wrapper, so that it has the last word: other plugins (syrupy) combine exit statuses.
        """
        result = yield
        if self.skips and session.exitstatus in (
            pytest.ExitCode.OK,
            pytest.ExitCode.NO_TESTS_COLLECTED,  # everything skipped
        ):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return result

    def pytest_terminal_summary(
        self, terminalreporter: pytest.TerminalReporter
    ) -> None:
        """Say what was skipped, why that fails the run, and what to do."""
        if not self.skips:
            return
        terminalreporter.section(
            "skipped with CI set: the run fails", sep="=", red=True
        )
        for nodeid, reason in self.skips:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
        terminalreporter.line(
            "A fresh machine set up by scripts/setup (as root) has everything these need; "
            "in CI a skip would hide what they check. Fix the setup, or unset CI to allow "
            "skips."
        )


def register(config: pytest.Config) -> None:
    """Register the plugin when ``$CI`` is set (from a conftest's pytest_configure)."""
    if ci_enabled() and not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(NoSilentSkips(), PLUGIN_NAME)


def pytest_configure(config: pytest.Config) -> None:
    """Entry point for ``-p tests.no_silent_skips``."""
    register(config)
