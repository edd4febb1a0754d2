"""Print what a real ``hass --skip-pip`` of one Home Assistant release needs, as that release pins it.

Used by ``scripts/setup`` for ``.venv-next``: run it with the Python of an environment that has
``homeassistant`` installed, with requirements files as arguments (default
``requirements_hass_runtime.txt``: what config/configuration.yaml's components import). It prints
the frontend and the packages those files name, one a line, each at the version that release's
own component manifests pin (the frontend's manifest pins ``home-assistant-frontend``); the
versions written in the files are not used. A package no manifest names (a dependency of a
dependency, such as ``unicode-rbnf``) is printed bare, and pip resolves it under the release's
package_constraints.txt. Home Assistant itself is left out: setup installs it first. So moving
``.venv-next`` to a newer release is one line in ``requirements_hass_next.txt``.

With ``--config configuration.yaml`` it adds what that release loads for the configuration as a
user's Home Assistant does: the configured components, the integrations Home Assistant always
sets up (its bootstrap's core and default sets), and their dependencies, each with the
requirements its manifest names (conversation's hassil and intents, cloud's openai...). A name
in ``--except`` files (requirements_hass_nodeps.txt: a newer build installed instead) is left out.
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


def configured_components(configuration: str) -> list[str]:
    """The top-level keys of a configuration.yaml (its components), without parsing YAML tags."""
    return [
        match.group(1)
        for match in re.finditer(r"^([a-z0-9_]+):", configuration, re.MULTILINE)
    ]


def loaded(components: Path, names: Iterable[str]) -> set[str]:
    """``names`` and everything their manifests' ``dependencies`` load, transitively."""
    found: set[str] = set()
    todo = list(names)
    while todo:
        domain = todo.pop()
        manifest = components / domain / "manifest.json"
        if domain in found or not manifest.is_file():
            continue
        found.add(domain)
        todo += json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", [])
    return found


def component_requirements(components: Path, domains: Iterable[str]) -> list[str]:
    """The distribution names the manifests of ``domains`` require, sorted, each once."""
    names = {
        requirement.partition("==")[0]
        for domain in domains
        for requirement in json.loads(
            (components / domain / "manifest.json").read_text(encoding="utf-8")
        ).get("requirements", [])
    }
    return sorted(names, key=normalize)


def always_loaded() -> set[str]:
    """The integrations this Home Assistant sets up whatever the configuration says."""
    # Imported here: only the Python of an environment with Home Assistant runs this.
    from homeassistant import bootstrap

    return set(bootstrap.CORE_INTEGRATIONS) | set(bootstrap.DEFAULT_INTEGRATIONS)


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
    parser.add_argument(
        "--config",
        type=Path,
        help="a configuration.yaml: add the requirements of what the release loads for it",
    )
    parser.add_argument(
        "--except",
        dest="excepted",
        type=Path,
        action="append",
        default=[],
        help="a requirements file whose names are installed otherwise (left out)",
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
    if args.config is not None:
        configured = configured_components(args.config.read_text(encoding="utf-8"))
        names += component_requirements(
            components, loaded(components, [*configured, *always_loaded()])
        )
    excepted = {
        normalize(name)
        for path in args.excepted
        for name in requirement_names(path.read_text(encoding="utf-8").splitlines())
    }
    unique: dict[str, str] = {}
    for name in names:
        if normalize(name) not in excepted:
            unique.setdefault(normalize(name), name)
    print("\n".join(pinned(unique.values(), manifest_pins(components))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
