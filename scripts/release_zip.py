"""Build the zip for a manual install: custom_components/bulutfon's files at the top level.

``scripts/release-zip [--tag TAG] OUT.zip``. The release workflow runs it for a published
release (with the release's tag) and attaches the result; the tests build and install the same
zip into a real Home Assistant. With ``--tag``, it refuses (exit status 1) when the tag, without
a leading ``v``, is not manifest.json's version: the version the Marketplace and HACS show (the
tag) would not be the one Home Assistant loads.

The Marketplace and HACS install the tagged source, not this zip (the catalog can not install a
ZIP release); a user who copies by hand unpacks it into ``custom_components/bulutfon/``. The
zip is reproducible: sorted entries, fixed timestamps and permissions, no byte-code caches. The standard library only, and Pythons as old as a runner's system Python.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import json
from pathlib import Path
import sys
from typing import Final
import zipfile

ROOT: Final = Path(__file__).resolve().parent.parent
INTEGRATION: Final = ROOT / "custom_components" / "bulutfon"
# The earliest time a zip entry can carry: the same bytes from the same files, whenever built.
_TIMESTAMP: Final = (1980, 1, 1, 0, 0, 0)
_SKIPPED_DIRECTORIES: Final = frozenset({"__pycache__"})
_SKIPPED_SUFFIXES: Final = frozenset({".pyc", ".pyo"})


class ReleaseError(Exception):
    """The zip must not be built; the message says why."""


def manifest_version(integration: Path = INTEGRATION) -> str:
    """The ``version`` of the integration's manifest.json."""
    version = json.loads((integration / "manifest.json").read_text(encoding="utf-8"))[
        "version"
    ]
    if not isinstance(version, str) or not version:
        raise ReleaseError("manifest.json has no version")
    return version


def check_tag(tag: str, version: str) -> None:
    """Raise :class:`ReleaseError` unless ``tag`` is ``version`` or ``v`` + ``version``."""
    if tag.removeprefix("v") != version:
        raise ReleaseError(
            f"the release tag {tag!r} is not manifest.json's version {version!r}: "
            "raise the version in manifest.json (and pyproject.toml, CHANGELOG.md) or tag "
            f"v{version}"
        )


def shipped_files(integration: Path = INTEGRATION) -> list[Path]:
    """The integration's files that go into the zip, sorted, relative to ``integration``."""
    files = []
    for path in integration.rglob("*"):
        relative = path.relative_to(integration)
        if (
            path.is_file()
            and not _SKIPPED_DIRECTORIES.intersection(relative.parts)
            and path.suffix not in _SKIPPED_SUFFIXES
        ):
            files.append(relative)
    return sorted(files, key=lambda path: path.as_posix())


def build(out: Path, integration: Path = INTEGRATION) -> list[str]:
    """Write the zip to ``out`` (its folder is made); return the names it holds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in shipped_files(integration):
            info = zipfile.ZipInfo(relative.as_posix(), date_time=_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, (integration / relative).read_bytes())
            names.append(info.filename)
    return names


def main(argv: Sequence[str] | None = None) -> int:
    """Build the zip; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="release-zip", description="Build the zip HACS installs."
    )
    parser.add_argument(
        "out", type=Path, help="the zip to write, e.g. dist/bulutfon.zip"
    )
    parser.add_argument(
        "--tag", help="the release's tag: refused unless it is manifest.json's version"
    )
    args = parser.parse_args(argv)
    try:
        version = manifest_version()
        if args.tag is not None:
            check_tag(args.tag, version)
        names = build(args.out)
    except ReleaseError as err:
        print(f"release-zip: {err}", file=sys.stderr)
        return 1
    print(f"{args.out}: Bulutfon {version}, {len(names)} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
