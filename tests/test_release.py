"""The release zip: built as the release workflow builds it, installed as a user copies it.

.github/workflows/release.yml runs ``scripts/release-zip --tag TAG dist/bulutfon.zip`` and
attaches the file for a manual install (docs/installation.md): unpacked into the config folder's
``custom_components/bulutfon/``. These tests run the same command, unpack the zip the same way
into a real Home Assistant's config folder, and use the integration from there. The Marketplace
and HACS install the tagged source instead (tests/test_marketplace.py).
"""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import zipfile

import pytest

from .real_hass import (
    NUMBER,
    ROOT,
    RealHass,
    assert_no_alarms,
    simulate,
    wait_for,
    wait_until_running,
)

INTEGRATION = ROOT / "custom_components" / "bulutfon"
RELEASE_ZIP = ROOT / "scripts" / "release-zip"
VERSION = json.loads((INTEGRATION / "manifest.json").read_text())["version"]
FILENAME = "bulutfon.zip"


def release_zip(
    out: Path, tag: str = f"v{VERSION}"
) -> subprocess.CompletedProcess[str]:
    """Run scripts/release-zip as the release workflow does (any python3 on PATH)."""
    return subprocess.run(
        [str(RELEASE_ZIP), "--tag", tag, str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bulutfon.zip, built for the tag of manifest.json's version."""
    out = tmp_path_factory.mktemp("dist") / FILENAME
    result = release_zip(out)
    assert result.returncode == 0, result.stderr
    return out


def test_zip_holds_the_integration_at_its_top_level(built: Path) -> None:
    """Every file of custom_components/bulutfon, where HACS expects them, and no caches."""
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    expected = sorted(
        path.relative_to(INTEGRATION).as_posix()
        for path in INTEGRATION.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    assert sorted(names) == expected
    assert {"__init__.py", "manifest.json", "translations/tr.json"} <= set(names)
    assert manifest["version"] == VERSION


def test_zip_is_reproducible(built: Path, tmp_path: Path) -> None:
    """Built twice, byte for byte the same: a release's asset can be rebuilt and compared."""
    again = tmp_path / FILENAME
    assert release_zip(again).returncode == 0
    assert again.read_bytes() == built.read_bytes()


@pytest.mark.parametrize("tag", [VERSION, f"v{VERSION}"])
def test_tag_of_the_version_is_accepted(tag: str, tmp_path: Path) -> None:
    """``0.2.0`` and ``v0.2.0`` both name manifest.json's version."""
    assert release_zip(tmp_path / FILENAME, tag).returncode == 0


@pytest.mark.parametrize("tag", ["v0.0.1", "v" + VERSION + ".1", "latest", ""])
def test_tag_that_is_not_the_version_is_refused(tag: str, tmp_path: Path) -> None:
    """A release whose tag differs from manifest.json gets no zip, and the log says why."""
    result = release_zip(tmp_path / FILENAME, tag)
    assert result.returncode == 1
    assert f"not manifest.json's version '{VERSION}'" in result.stderr
    assert not (tmp_path / FILENAME).exists()


def test_the_catalog_installs_the_tag_and_the_zip_is_for_copying() -> None:
    """No ZIP-only release: hacs.json names no zip, the workflow still attaches one.

    The Marketplace refuses a ZIP release from the catalog ("A ZIP release can not be
    installed from the catalog"); the zip stays for users who copy the files by hand.
    """
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert "zip_release" not in hacs
    assert "filename" not in hacs
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert f'scripts/release-zip --tag "$TAG" dist/{FILENAME}' in workflow
    assert f'gh release upload "$TAG" dist/{FILENAME}' in workflow


@pytest.mark.usefixtures("socket_enabled")
def test_zip_installed_into_a_config_folder_loads(built: Path, tmp_path: Path) -> None:
    """Unpacked into custom_components/bulutfon, a real Home Assistant sets it up and uses it."""
    config = tmp_path / "config"
    target = config / "custom_components" / "bulutfon"
    with zipfile.ZipFile(built) as archive:
        archive.extractall(target)
    ha = RealHass(config)
    with ha:
        ha.onboard()
        wait_until_running(ha)
        (manifest,) = ha.websocket({"type": "manifest/get", "integration": "bulutfon"})
        line = ha.add_bulutfon()
        summary = simulate.run(
            line.webhook_url,
            "missed",
            caller="905551112233",
            callee=NUMBER,
            pace=0.0,
            use_proxy=False,
        )
        missed = wait_for(
            lambda: ha.states()[f"sensor.bulutfon_{NUMBER}_missed_calls"]["state"],
            lambda state: state == "1",
        )
    # RealHass links the working tree only where nothing is installed: this was the zip's copy.
    assert not target.is_symlink()
    assert manifest["version"] == VERSION
    assert summary.ok, summary.results
    assert missed == "1"
    assert_no_alarms(ha.log_path.read_text(errors="replace"))


def test_versions_agree_and_the_changelog_has_the_release() -> None:
    """manifest.json (what HACS shows), pyproject.toml and CHANGELOG.md name one version."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'\nversion = "{VERSION}"\n' in pyproject
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"\n## [{VERSION}]\n" in changelog
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{VERSION}]")
    assert f"\n[{VERSION}]: https://github.com/ha-bulutfon/bulutfon/" in changelog
