"""With CI set, a skipped part of the suite fails the run, and says what to fix.

Each case runs pytest in a subprocess, as CI does: a sample suite with only this project's
plugin (tests/no_silent_skips.py), and the real browser tests without a browser.
"""

from __future__ import annotations

import os
from pathlib import Path
import subprocess
import sys
import textwrap

import pytest

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = {
    "test_sample.py": """
        import pytest

        def test_passes():
            pass

        def test_skips():
            pytest.skip("no frobnicator here")

        @pytest.mark.xfail(reason="a known bug", strict=True)
        def test_known_bug():
            assert False
    """,
    "test_module_skips.py": """
        import pytest

        pytest.skip("the whole module needs a gizmo", allow_module_level=True)
    """,
}


def _pytest(
    args: list[str], ci: str | None, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key != "CI"}
    if ci is not None:
        environ["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=environ | env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _sample(
    tmp_path: Path, files: dict[str, str], ci: str | None
) -> subprocess.CompletedProcess[str]:
    for name, source in files.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return _pytest(
        ["-p", "tests.no_silent_skips", "--rootdir", str(tmp_path), str(tmp_path)],
        ci,
        tmp_path,
        # Only this plugin: the sample needs none of the installed ones.
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
        PYTHONPATH=str(ROOT),
    )


@pytest.mark.parametrize("ci", ["true", "1"])
def test_skips_fail_the_run_in_ci(tmp_path: Path, ci: str) -> None:
    """Every skip is named with its reason, and the run fails; xfail stays an xfail."""
    result = _sample(tmp_path, SAMPLE, ci)
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "skipped with CI set: the run fails" in result.stdout
    assert "SKIPPED test_sample.py::test_skips: no frobnicator here" in result.stdout
    assert (
        "SKIPPED test_module_skips.py: the whole module needs a gizmo" in result.stdout
    )
    assert "test_known_bug" not in result.stdout
    assert "Fix the setup" in result.stdout


@pytest.mark.parametrize("ci", [None, "false"])
def test_skips_are_skips_outside_ci(tmp_path: Path, ci: str | None) -> None:
    """On a laptop (CI unset or false) a skip is a skip: the run passes."""
    result = _sample(tmp_path, SAMPLE, ci)
    assert result.returncode == pytest.ExitCode.OK, result.stdout
    assert "2 skipped" in result.stdout
    assert "skipped with CI set" not in result.stdout


def test_nothing_skipped_in_ci_passes(tmp_path: Path) -> None:
    """A complete run in CI passes untouched."""
    result = _sample(tmp_path, {"test_fine.py": "def test_fine():\n    pass\n"}, "true")
    assert result.returncode == pytest.ExitCode.OK, result.stdout
    assert "skipped with CI set" not in result.stdout


def test_failures_stay_failures_in_ci(tmp_path: Path) -> None:
    """A real failure beside a skip still reports as the failure it is."""
    files = SAMPLE | {"test_fails.py": "def test_fails():\n    assert 1 == 2\n"}
    result = _sample(tmp_path, files, "true")
    assert result.returncode == pytest.ExitCode.TESTS_FAILED
    assert "FAILED test_fails.py::test_fails" in result.stdout
    assert "SKIPPED test_sample.py::test_skips" in result.stdout


def test_missing_browser_fails_the_browser_tests_in_ci() -> None:
    """The real suite's conftest: no chromium and CI=true is a failed run naming chromium."""
    result = _pytest(
        ["tests/browser/test_ui.py"],
        "true",
        ROOT,
        CHROMIUM=str(ROOT / "no-such-chromium"),
    )
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "SKIPPED tests/browser/test_ui.py:" in result.stdout
    assert "no-such-chromium is missing" in result.stdout
