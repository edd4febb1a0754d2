"""config.yaml, for hassfest's next `config_entry` plugin, and what hassfest scans.

The plugin's rules are restated in tests/hassfest_config_entry.py (from
home-assistant/core script/hassfest/config_entry.py at 2f37a587989543e8c031d3243ff6e028269fcfd6).
The hassfest action of validate.yml runs an entrypoint that validates every file named
manifest.json in the repository: only the integration's may be one.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
import shutil
import subprocess
import sys
from typing import Any

from homeassistant.util.yaml import load_yaml_dict
import pytest

from custom_components.bulutfon.config_flow import BulutfonConfigFlow
from custom_components.bulutfon.const import ALL_EVENT_TYPES

from . import hassfest_config_entry as hassfest

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "bulutfon"
FLOW = ast.parse((INTEGRATION / "config_flow.py").read_text())


def _versions() -> dict[tuple[int, int], dict[str, Any]]:
    config = load_yaml_dict(str(INTEGRATION / "config.yaml"))
    return {
        (item["version"]["major"], item["version"]["minor"]): item
        for item in config["config_entry"]["versions"]
    }


def _fields(version: tuple[int, int], section: str) -> dict[str, Any]:
    fields: dict[str, Any] = _versions()[version][section]["fields"]
    return fields


def test_config_yaml_passes_the_plugins_rules() -> None:
    """No error from any rule of the plugin."""
    assert hassfest.errors(INTEGRATION) == []


def test_every_version_an_entry_can_have_is_declared() -> None:
    """1.1 (0.1), 1.2 (0.2), 1.3 (Hipcall) and 1.4 (today's flow: 0.3.0's duplicate
    devices and api_url key removed), each with data and options."""
    flow = (BulutfonConfigFlow.VERSION, BulutfonConfigFlow.MINOR_VERSION)
    assert set(_versions()) == {(1, 1), (1, 2), (1, 3), (1, 4)}
    assert flow in _versions()


def test_every_key_the_flows_write_is_declared() -> None:
    """Stricter than the plugin (whose create-entry check applies only to an empty
    declaration): what the flows store, in the newest version and in today's."""
    written_data = hassfest.create_entry_literal_keys(FLOW) | {
        "webhook_id",
        "cloudhook_url",
        "routing_webhook_id",
        "routing_cloudhook_url",
    }
    shown_options = {
        field
        for node in ast.walk(FLOW)
        if isinstance(node, ast.ClassDef) and node.name == "BulutfonOptionsFlow"
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and (hassfest._name(call.func) or "").endswith("Schema")
        and call.args
        and isinstance(call.args[0], ast.Dict)
        for field in hassfest._dict_fields(call.args[0], {})
    } | {"username", "password"}
    flow = (BulutfonConfigFlow.VERSION, BulutfonConfigFlow.MINOR_VERSION)
    for version in {flow, max(_versions())}:
        assert written_data <= set(_fields(version, "data")), version
        assert shown_options <= set(_fields(version, "options")), version


def test_hipcall_version_declares_the_platform_and_api_fields() -> None:
    """1.3: the platform (required), Hipcall's optional API token and region; the event
    types offered are every type the integration knows."""
    data = _fields((1, 3), "data")
    assert data["platform"]["required"] is True
    assert data["platform"]["selector"]["select"]["options"] == ["bulutfon", "hipcall"]
    assert data["api_token"]["required"] is False
    assert data["api_token"]["selector"] == {"text": {"type": "password"}}
    assert data["region"]["required"] is False
    assert "platform" not in _fields((1, 2), "data")
    events = _fields((1, 3), "options")["events"]["selector"]["select"]["options"]
    assert set(ALL_EVENT_TYPES) <= set(events)
    for version in ((1, 1), (1, 2)):
        old = _fields(version, "options")["events"]["selector"]["select"]["options"]
        assert set(old) <= set(ALL_EVENT_TYPES)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("versions", "Duplicate version 1.2"),
        ("selector", "Invalid config.yaml"),
        ("missing", "must define config.yaml"),
    ],
)
def test_the_copied_rules_catch_what_the_plugin_catches(
    tmp_path: Path, change: str, message: str
) -> None:
    """The restated rules are not toothless: broken copies of config.yaml fail them."""
    folder = tmp_path / "bulutfon"
    shutil.copytree(INTEGRATION, folder, ignore=shutil.ignore_patterns("__pycache__"))
    text = (folder / "config.yaml").read_text()
    if change == "versions":
        text = text.replace("minor: 3", "minor: 2")
    elif change == "selector":
        text = text.replace(
            "selector:\n              boolean:", "selector:\n              nonsense:", 1
        )
    (folder / "config.yaml").write_text(text)
    if change == "missing":
        (folder / "config.yaml").unlink()
    assert any(message in error for error in hassfest.errors(folder))


def test_the_only_manifest_in_the_repository_is_the_integrations() -> None:
    """The hassfest action validates every manifest.json it finds (`**/manifest.json`):
    the benchmark's baseline keeps its manifest under another name."""
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert [path for path in tracked if Path(path).name == "manifest.json"] == [
        "custom_components/bulutfon/manifest.json"
    ]


def test_the_bench_still_installs_its_baseline(tmp_path: Path) -> None:
    """scripts/bench installs bench_bare with a manifest Home Assistant can load."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    bench.install_bare(tmp_path)
    target = tmp_path / "custom_components" / "bench_bare"
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["domain"] == "bench_bare"
    assert (target / "__init__.py").is_file()
    assert not (target / "manifest.bench.json").exists()
