"""Print what a real ``hass --skip-pip`` of one Home Assistant release needs, as that release pins it.

Used by ``scripts/setup`` for ``.venv-next``: run it with the Python of an environment that has
``homeassistant`` installed, with requirements files as arguments (default
``requirements_hass_runtime.txt``: what config/configuration.yaml's components import). It prints
the frontend and the packages those files name, one a line, each at the version that release's
own component manifests pin (the frontend's manifest pins ``home-assistant-frontend``); the
versions written in the files are not used. A package no manifest names (a dependency of a
dependency, such as ``unicode-rbnf``) is printed bare, and pip resolves it under the release's
package_constraints.txt. Home Assistant itself is left out: setup installs it first. So moving ``.venv-next`` to a newer release is one line in
``requirements_hass_next.txt``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
import importlib.util
import json
from pathlib import Path
import re
import sys
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
RUNTIME: Final = ROOT / "requirements_hass_runtime.txt"
FRONTEND: Final = "home-assistant-frontend"
_NAME: Final = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    """The PEP 503 form of a distribution name: ``PyTurboJPEG`` -> ``pyturbojpeg``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(lines: Iterable[str]) -> list[str]:
    """The distribution names of a requirements file's lines, comments and blanks left out."""
    matches = (_NAME.match(line) for line in lines)
    return [match.group(1) for match in matches if match is not None]


def manifest_pins(components: Path) -> dict[str, str]:
    """Every ``name==version`` the components' manifests require, by normalized name."""
    pins: dict[str, str] = {}
    for manifest in sorted(components.glob("*/manifest.json")):
        for requirement in json.loads(manifest.read_text(encoding="utf-8")).get(
            "requirements", []
        ):
            name, sep, _version = requirement.partition("==")
            if sep:
                pins.setdefault(normalize(name), requirement)
    return pins


def pinned(names: Iterable[str], pins: dict[str, str]) -> list[str]:
    """``names`` as the release pins them, bare where no manifest does; Home Assistant left out."""
    return [
        pins.get(normalize(name), name)
        for name in names
        if normalize(name) != "homeassistant"
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the requirements; exit non-zero when Home Assistant is not installed here."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        default=[RUNTIME],
        help="requirements files naming the packages (default requirements_hass_runtime.txt)",
    )
    args = parser.parse_args(argv)
    spec = importlib.util.find_spec("homeassistant")
    if spec is None or spec.origin is None:
        print(f"homeassistant is not installed for {sys.executable}", file=sys.stderr)
        return 1
    components = Path(spec.origin).parent / "components"
    names = [FRONTEND]
    for path in args.files:
        names += requirement_names(path.read_text(encoding="utf-8").splitlines())
    print("\n".join(pinned(names, manifest_pins(components))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
