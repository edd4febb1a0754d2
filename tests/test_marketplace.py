"""Home Assistant's Marketplace installs Bulutfon: its own code, against this repository.

Home Assistant 2026.11 ships HACS inside as the Marketplace. This runs the Marketplace of
requirements_hass_next.txt's release for real: a ``hass`` from ``.venv-next`` (started by
tests/marketplace_hass.py, the Marketplace's download profile pointed at tests/fake_github.py on
loopback) with this repository's HEAD as the tagged releases. As a user does it, over the
websocket API the Marketplace's panel uses: accept the warning, connect GitHub (the device-code
login), add the repository as a custom one (the Marketplace's validation of the repository),
install a tagged version into the config folder. Then Home Assistant restarts and loads the
installed copy: Bulutfon is added and a call is posted.

Bad input: a version without hacs.json, or one needing a newer Home Assistant, fails with the
Marketplace's own message and leaves nothing installed.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re

import pytest

from .fake_github import (
    FULL_NAME,
    NEEDS_NEWER_HASS,
    NEXT_PYTHON,
    TAG,
    VERSION,
    WITHOUT_HACS_JSON,
    FakeGitHub,
    MarketplaceHass,
    bulutfon_releases,
    head_files,
)
from .real_hass import (
    NUMBER,
    ROOT,
    assert_no_alarms,
    simulate,
    wait_for,
    wait_until_running,
)

_PIN = re.search(
    r"^homeassistant==(\S+)$",
    (ROOT / "requirements_hass_next.txt").read_text(),
    re.MULTILINE,
)
assert _PIN is not None, "requirements_hass_next.txt pins no homeassistant release"
NEXT_VERSION = _PIN.group(1)
HACS_JSON = json.loads((ROOT / "hacs.json").read_text())

if not NEXT_PYTHON.exists():
    pytest.skip(
        f"{NEXT_PYTHON.relative_to(ROOT)} is missing: run scripts/setup",
        allow_module_level=True,
    )

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """The fake GitHub, its URL in the environment the ``hass`` below inherits."""
    fake = FakeGitHub(bulutfon_releases())
    fake.start()
    monkeypatch.setenv("BULUTFON_FAKE_GITHUB", fake.url)
    try:
        yield fake
    finally:
        fake.stop()


def _connect_github(ha: MarketplaceHass) -> None:
    """Settings > Marketplace > Connect GitHub: the device-code login, as the panel runs it."""
    (flow,) = ha.websocket({"type": "marketplace/github/connect"})
    url = f"/api/config/config_entries/flow/{flow['flow_id']}"
    # The form that explains the connection; Continue shows the code to enter on GitHub.
    progress = ha.request("POST", url, {})
    assert progress["progress_action"] == "wait_for_device"
    assert progress["description_placeholders"]["code"] == "ABCD-1234"
    # The fake confirms at once; the panel then moves the flow on, as here.
    done = wait_for(
        lambda: ha.request("POST", url, {}), lambda r: r["type"] != "progress"
    )
    assert done["reason"] == "reconfigure_successful"
    info = wait_for(
        lambda: ha.marketplace({"type": "marketplace/info"}),
        lambda info: isinstance(info, dict) and info["github_connected"],
    )
    assert isinstance(info, dict), info
    assert info["github_connected"]


def test_marketplace_installs_a_tagged_release(
    github: FakeGitHub, tmp_path: Path
) -> None:
    """Add, validate, refuse two bad versions, install the tag; after a restart it works."""
    ha = MarketplaceHass(tmp_path / "config")
    installed = ha.directory / "custom_components" / "bulutfon"
    ha.start()
    try:
        ha.onboard()
        wait_until_running(ha)
        assert ha.wait_for_marketplace()["version"] == NEXT_VERSION
        ha.websocket({"type": "marketplace/warning/accept"})
        _connect_github(ha)

        # The Marketplace's validation of the repository: hacs.json at the root of the
        # newest release, one integration below custom_components/.
        assert ha.websocket(
            {
                "type": "marketplace/repositories/add",
                "repository": f"https://github.com/{FULL_NAME}",
                "category": "integration",
            }
        ) == [None]
        (repository,) = [
            repository
            for repository in ha.websocket({"type": "marketplace/repositories/list"})[0]
            if repository["full_name"] == FULL_NAME
        ]
        assert repository["domain"] == "bulutfon"
        assert repository["name"] == "Bulutfon"
        assert repository["available_version"] == TAG
        assert repository["homeassistant"] == HACS_JSON["homeassistant"]
        assert repository["can_install"] is True

        install = {
            "type": "marketplace/repository/install",
            "repository": repository["id"],
        }
        # Bad input: the Marketplace's own messages, and nothing written.
        without = ha.marketplace({**install, "version": WITHOUT_HACS_JSON})
        assert isinstance(without, str)
        assert "'translation_key': 'version_without_repository_manifest'" in without
        assert (
            f"Version {WITHOUT_HACS_JSON} of {FULL_NAME} is missing the hacs.json file "
            "required for installation" in without
        )
        newer = ha.marketplace({**install, "version": NEEDS_NEWER_HASS})
        assert isinstance(newer, str)
        assert "'translation_key': 'requires_newer_home_assistant'" in newer
        assert "This version requires Home Assistant 2099.1.0 or newer" in newer
        assert not installed.exists()
        assert not any(request.endswith(".zip") for request in github.requests), (
            "a refused version was downloaded"
        )

        assert ha.marketplace({**install, "version": TAG}) is None
        info = ha.websocket(
            {"type": "marketplace/repository/info", "repository_id": repository["id"]}
        )[0]
        assert info["installed"] is True
        assert info["installed_version"] == TAG
        assert f"GET /{FULL_NAME}/archive/refs/tags/{TAG}.zip" in github.requests

        # The tag's integration folder, and only it: the same files as the working tree's HEAD.
        assert installed.is_dir()
        assert not installed.is_symlink()
        shipped = {
            path.removeprefix("custom_components/bulutfon/")
            for path in head_files()
            if path.startswith("custom_components/bulutfon/")
        }
        assert {
            path.relative_to(installed).as_posix()
            for path in installed.rglob("*")
            if path.is_file()
        } == shipped
        assert not (ha.directory / "hacs.json").exists()

        # The restart the Marketplace asks for; then Home Assistant loads the installed copy.
        ha.stop()
        ha.start()
        wait_until_running(ha)
        (manifest,) = ha.websocket({"type": "manifest/get", "integration": "bulutfon"})
        assert manifest["version"] == VERSION
        line = ha.add_bulutfon()
        summary = simulate.run(
            line.webhook_url,
            "missed",
            caller="905551112233",
            callee=NUMBER,
            pace=0.0,
            use_proxy=False,
        )
        assert summary.ok, summary.results
        missed = f"sensor.bulutfon_{NUMBER}_missed_calls"
        assert wait_for(lambda: ha.states()[missed]["state"], lambda s: s == "1") == "1"
    finally:
        ha.stop()
    assert github.unknown == []
    log = ha.log_path.read_text(errors="replace")
    # The two refusals are logged by the Marketplace as errors; nothing else is.
    assert_no_alarms(_without_refusals(log))


def _without_refusals(log: str) -> str:
    return re.sub(
        r"^.* ERROR \(MainThread\) \[homeassistant\.components\.marketplace\] "
        r"<Integration ha-bulutfon/bulutfon> (Version v0\.1\.0 of .* is missing the "
        r"hacs\.json file|This version requires Home Assistant 2099\.1\.0).*$",
        "",
        log,
        flags=re.MULTILINE,
    )


def test_the_catalog_installs_the_tag_without_a_github_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once in the default catalog, a user installs the tag's source straight from it.

    No GitHub connection and no GitHub API: the catalog names the version, the Marketplace
    downloads the tag's archive. A ZIP release (hacs.json zip_release) could not go this way
    ("A ZIP release can not be installed from the catalog").
    """
    github = FakeGitHub(bulutfon_releases(), in_catalog=True)
    github.start()
    monkeypatch.setenv("BULUTFON_FAKE_GITHUB", github.url)
    ha = MarketplaceHass(tmp_path / "config")
    installed = ha.directory / "custom_components" / "bulutfon"
    try:
        ha.start()
        ha.onboard()
        wait_until_running(ha)
        assert ha.wait_for_marketplace()["github_connected"] is False
        ha.websocket({"type": "marketplace/warning/accept"})
        (repository,) = [
            repository
            for repository in ha.websocket({"type": "marketplace/repositories/list"})[0]
            if repository["full_name"] == FULL_NAME
        ]
        assert repository["custom"] is False
        assert repository["available_version"] == TAG
        before = len(github.requests)
        assert (
            ha.marketplace(
                {
                    "type": "marketplace/repository/install",
                    "repository": repository["id"],
                },
            )
            is None
        )
        during = github.requests[before:]
        assert f"GET /{FULL_NAME}/archive/refs/tags/{TAG}.zip" in during
        assert not [request for request in during if request.startswith("GET /api/")]
        assert (installed / "manifest.json").is_file()
        assert (
            json.loads((installed / "manifest.json").read_text())["version"] == VERSION
        )
    finally:
        ha.stop()
        github.stop()
    assert github.unknown == []
    assert_no_alarms(ha.log_path.read_text(errors="replace"))
