"""What hassfest and HACS check before they accept the integration."""

from __future__ import annotations

import json
from pathlib import Path
import re

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "custom_components" / "bulutfon"


def _load(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_manifest_keys_in_hassfest_order() -> None:
    """domain and name first, then every other key in alphabetical order."""
    manifest = _load(COMPONENT / "manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == "bulutfon"
    assert manifest["config_flow"] is True
    assert manifest["dependencies"] == ["webhook"]
    assert manifest["after_dependencies"] == ["cloud"]
    assert manifest["iot_class"] == "cloud_push"
    assert manifest["requirements"] == []
    assert manifest["version"]  # HACS refuses a custom integration without one
    for key in ("codeowners", "documentation", "issue_tracker", "integration_type"):
        assert manifest[key], key


def test_hacs_json() -> None:
    """The repository file of the Marketplace and HACS: a name and the Home Assistant it needs.

    Nothing else: no ZIP release (the catalog can not install one), and none of the keys
    the Marketplace no longer reads (render_readme, country). The minimum is the tested
    release's year.month: older releases are refused with the Marketplace's own message.
    """
    hacs = _load(ROOT / "hacs.json")
    assert hacs == {"name": "Bulutfon", "homeassistant": hacs["homeassistant"]}
    tested = re.search(
        r"^homeassistant==(\d+\.\d+)\.",
        (ROOT / "requirements_dev.txt").read_text(),
        re.MULTILINE,
    )
    assert tested is not None
    assert hacs["homeassistant"] == f"{tested.group(1)}.0"
    assert (ROOT / "info.md").read_text(encoding="utf-8").startswith("# Bulutfon")


def test_brand_icons() -> None:
    """Home Assistant serves these for custom integrations: square, 256 and 512 px."""
    for name, size in (("icon.png", 256), ("icon@2x.png", 512)):
        with Image.open(COMPONENT / "brand" / name) as image:
            assert image.size == (size, size), name
            assert image.mode in ("RGBA", "P", "LA"), name  # transparent background


def test_icons_cover_every_translated_entity() -> None:
    """Every entity with a translated name has an icon, and no icon is orphaned."""
    names = _load(COMPONENT / "translations" / "en.json")["entity"]
    icons = _load(COMPONENT / "icons.json")["entity"]
    assert isinstance(names, dict)
    assert isinstance(icons, dict)
    assert {(platform, key) for platform, keys in names.items() for key in keys} == {
        (platform, key) for platform, keys in icons.items() for key in keys
    }


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """Fail on a key that stands twice in one JSON object (json keeps only the last)."""
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"duplicate keys {repeated}"
    return dict(pairs)


def test_shipped_json_has_no_duplicate_keys() -> None:
    """A key written twice silently loses the first copy (0.3.0 lost callback_not_found so)."""
    shipped = [*sorted(COMPONENT.rglob("*.json")), ROOT / "hacs.json"]
    assert COMPONENT / "translations" / "tr.json" in shipped
    for path in shipped:
        json.loads(
            path.read_text(encoding="utf-8"), object_pairs_hook=_reject_duplicates
        )


def test_every_raised_exception_has_a_message() -> None:
    """Each exception the code raises with a translation key has a message in both languages."""
    raised: set[str] = set()
    pattern = re.compile(r'translation_domain=DOMAIN,\s*translation_key="([a-z0-9_]+)"')
    for module in COMPONENT.glob("*.py"):
        raised.update(pattern.findall(module.read_text(encoding="utf-8")))
    assert "callback_not_found" in raised
    for language in ("en", "tr"):
        exceptions = _load(COMPONENT / "translations" / f"{language}.json")[
            "exceptions"
        ]
        assert isinstance(exceptions, dict)
        assert raised <= exceptions.keys(), sorted(raised - exceptions.keys())
