"""What the GitHub workflows promise, checked here because they cannot run here.

scripts/test also runs zizmor (security audit) and check-jsonschema (GitHub's workflow schema)
on them; these tests check this project's own rules: actions pinned by commit with their version
beside, least privilege per job, and that each workflow runs what the README says it runs.
"""

from __future__ import annotations

from pathlib import Path
import re
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
# owner/repo[/path]@<full commit> # <version>
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40} # \S+$")


def _load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _uses_lines() -> list[str]:
    return [
        line.split("uses:", 1)[1].strip()
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for line in path.read_text().splitlines()
        if line.strip().startswith(("uses:", "- uses:"))
    ]


def test_the_three_workflows_exist() -> None:
    """Validation, tests and release; no other, unreviewed workflow."""
    assert sorted(path.name for path in WORKFLOWS.iterdir()) == [
        "release.yml",
        "tests.yml",
        "validate.yml",
    ]


def test_actions_are_pinned_by_commit_with_their_version() -> None:
    """A tag can be moved to other code; a full commit hash cannot."""
    uses = _uses_lines()
    assert uses
    for line in uses:
        assert PINNED.match(line), line


@pytest.mark.parametrize("name", ["release.yml", "tests.yml", "validate.yml"])
def test_each_job_gets_only_the_permissions_it_needs(name: str) -> None:
    """Nothing by default; each job names its own, and only the release may write."""
    workflow = _load(name)
    assert workflow["permissions"] == {}
    for job_name, job in workflow["jobs"].items():
        permissions = job["permissions"]
        writes = {scope for scope, level in permissions.items() if level == "write"}
        expected = {"contents"} if (name, job_name) == ("release.yml", "zip") else set()
        assert writes == expected, (name, job_name)


def test_checkouts_keep_no_credentials() -> None:
    """No job needs git credentials after checkout; none are left on disk for later steps."""
    for name in ("release.yml", "tests.yml", "validate.yml"):
        for step in _steps(_load(name)):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


def test_validation_runs_hacs_and_hassfest_on_every_change_and_weekly() -> None:
    """HACS' action for an integration and hassfest, on push, pull request and a schedule."""
    workflow = _load("validate.yml")
    assert {"push", "pull_request", "schedule"} <= set(workflow["on"])
    (cron,) = workflow["on"]["schedule"]
    # Weekly: one day of the week, every week.
    _minute, _hour, day, month, weekday = cron["cron"].split()
    assert (day, month) == ("*", "*")
    assert weekday.isdigit()
    uses = {step.get("uses", "").split("@")[0]: step for step in _steps(workflow)}
    assert uses["hacs/action"]["with"] == {"category": "integration"}
    assert "home-assistant/actions/hassfest" in uses


def test_tests_run_the_readme_test_command_as_ci_does() -> None:
    """The workflow runs .ci/run, which runs scripts/test, the README's test command."""
    workflow = _load("tests.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    runs = [step["run"] for step in _steps(workflow) if "run" in step]
    assert runs == [".ci/run"]
    assert "exec scripts/test" in (ROOT / ".ci" / "run").read_text()
    assert "| `scripts/test` | **Runs the tests**" in (ROOT / "README.md").read_text()


def test_release_builds_the_zip_for_a_published_release() -> None:
    """Only a published release triggers it, and it checks the tag against the manifest."""
    workflow = _load("release.yml")
    assert workflow["on"] == {"release": {"types": ["published"]}}
    runs = " ".join(step.get("run", "") for step in _steps(workflow))
    assert 'scripts/release-zip --tag "$TAG"' in runs
