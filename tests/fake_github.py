"""A fake GitHub on loopback, serving this repository's releases to Home Assistant's Marketplace.

It answers the requests the Marketplace of Home Assistant 2026.11 sends (through aiohttp and
aiogithubapi), with the shapes GitHub gives: the REST API (the repository, its releases and
tags, a git tree, a file's contents, a branch), the device-code login that connects a GitHub
account, the repository archive of a tag (``archive/refs/tags/<tag>.zip``), single raw files,
and an empty catalog. Each tag's files are given by the test, usually ``git archive`` of this
repository's HEAD (:func:`head_files`). Anything else is answered 404 and remembered in
:attr:`FakeGitHub.unknown`, so a test sees what it does not serve.

Run in a thread of the test process; the Marketplace runs in a ``hass`` of its own
(:class:`MarketplaceHass`: tests/marketplace_hass.py points the Marketplace's download profile at
this server). Used by tests/test_marketplace.py and tests/browser/test_hass_next_ui.py.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
import hashlib
import io
import json
from pathlib import Path
import subprocess
import tarfile
import threading
from typing import Any
import zipfile

from aiohttp import web

from .real_hass import ROOT, RealHass, realhass, wait_for

OWNER = "ha-bulutfon"
NAME = "bulutfon"
FULL_NAME = f"{OWNER}/{NAME}"
TOKEN = "gho_fake-token-of-the-loopback-github"
PUSHED_AT = "2026-12-01T10:00:00Z"
REPOSITORY_ID = 900000001
NEXT_PYTHON = ROOT / ".venv-next" / "bin" / "python"
VERSION: str = json.loads(
    (ROOT / "custom_components" / "bulutfon" / "manifest.json").read_text()
)["version"]
TAG = f"v{VERSION}"
"""The release tag of the working tree's version: HEAD, hacs.json and all."""
WITHOUT_HACS_JSON = "v0.1.0"
"""An older release without hacs.json (bad input)."""
NEEDS_NEWER_HASS = "v9.0.0b1"
"""A pre-release whose hacs.json asks for Home Assistant 2099.1.0 (bad input)."""


def head_files() -> dict[str, bytes]:
    """Every file of this repository's HEAD commit, by path, as ``git archive`` gives them."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                extracted = tar.extractfile(member)
                assert extracted is not None
                files[member.name] = extracted.read()
    return files


def _sha(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


@dataclass
class Release:
    """One tagged version: its files, and whether GitHub calls it a pre-release."""

    tag: str
    files: dict[str, bytes]
    prerelease: bool = False
    sha: str = field(init=False)

    def __post_init__(self) -> None:
        """The commit SHA stands for the tree: the same files, the same SHA."""
        self.sha = _sha(
            b"".join(path.encode() + data for path, data in self.files.items())
        )

    def zipball(self) -> bytes:
        """The archive GitHub serves for the tag: every file below ``<name>-<tag>/``."""
        buffer = io.BytesIO()
        top = f"{NAME}-{self.tag.removeprefix('v')}"
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(self.files.items()):
                archive.writestr(f"{top}/{path}", data)
        return buffer.getvalue()

    def tree(self) -> list[dict[str, Any]]:
        """The recursive git tree: the files as blobs, their folders as trees."""
        folders = {
            "/".join(path.split("/")[:depth])
            for path in self.files
            for depth in range(1, path.count("/") + 1)
        }
        entries = [
            {
                "path": folder,
                "mode": "040000",
                "type": "tree",
                "sha": _sha(folder.encode()),
            }
            for folder in folders
        ] + [
            {
                "path": path,
                "mode": "100644",
                "type": "blob",
                "sha": _sha(data),
                "size": len(data),
            }
            for path, data in self.files.items()
        ]
        return sorted(entries, key=lambda entry: entry["path"])


class FakeGitHub:
    """The loopback GitHub: :meth:`start` it, give :attr:`url` to the Marketplace, :meth:`stop`."""

    def __init__(self, releases: list[Release], *, in_catalog: bool = False) -> None:
        """``releases`` newest first, as GitHub lists them; the first is the default branch too.

        ``in_catalog``: the catalog lists the repository at its newest non-pre-release, as
        the default catalog does once a pull request adding it is merged.
        """
        self.releases = releases
        self.catalog: dict[str, Any] = {}
        if in_catalog:
            self.catalog["/catalog/integration/data.json"] = self._catalog_entry()
        self.url = ""
        self.unknown: list[str] = []
        """Requests nothing here answers (method and path)."""
        self.requests: list[str] = []
        """Every request, method and path, in order."""
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Listen on a free port of 127.0.0.1 in a thread of its own."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        """Close the server and its thread."""
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(
                10
            )
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- what GitHub answers --------------------------------------------------------------------

    def _release(self, ref: str) -> Release | None:
        ref = ref.removeprefix("tags/")
        if ref in {"main", "HEAD"}:
            return self.releases[0]
        return next(
            (release for release in self.releases if ref in {release.tag, release.sha}),
            None,
        )

    def _repository(self) -> dict[str, Any]:
        return {
            "id": REPOSITORY_ID,
            "name": NAME,
            "full_name": FULL_NAME,
            "owner": {"login": OWNER, "id": 900000000, "type": "Organization"},
            "description": "Bulutfon and Hipcall cloud PBX calls in Home Assistant",
            "topics": ["home-assistant", "hacs", "integration", "bulutfon"],
            "default_branch": "main",
            "archived": False,
            "fork": False,
            "private": False,
            "stargazers_count": 1,
            "pushed_at": PUSHED_AT,
            "html_url": f"https://github.com/{FULL_NAME}",
        }

    def _catalog_entry(self) -> dict[str, Any]:
        release = next(release for release in self.releases if not release.prerelease)
        return {
            str(REPOSITORY_ID): {
                "description": self._repository()["description"],
                "domain": NAME,
                "etag_repository": "fake-etag",
                "full_name": FULL_NAME,
                "last_commit": release.sha[:7],
                "last_fetched": 1796000000,
                "last_updated": PUSHED_AT,
                "last_version": release.tag,
                "manifest": {"name": "Bulutfon"},
                "manifest_name": "Bulutfon",
                "stargazers_count": 1,
                "topics": self._repository()["topics"],
            }
        }

    def _api(self, request: web.Request, path: str) -> web.Response | None:
        """The REST API's answer; None for a request it does not serve."""
        prefix = f"/repos/{FULL_NAME}"
        if path == prefix:
            return web.json_response(self._repository())
        if path == f"{prefix}/releases":
            return web.json_response(
                [
                    {
                        "id": 800000000 + number,
                        "tag_name": release.tag,
                        "name": release.tag,
                        "draft": False,
                        "prerelease": release.prerelease,
                        "published_at": PUSHED_AT,
                        "created_at": PUSHED_AT,
                        "body": f"Release {release.tag}",
                        "html_url": f"https://github.com/{FULL_NAME}/releases/tag/{release.tag}",
                        "assets": [],
                    }
                    for number, release in enumerate(self.releases)
                ]
            )
        if path == f"{prefix}/tags":
            return web.json_response(
                [
                    {"name": release.tag, "commit": {"sha": release.sha}}
                    for release in self.releases
                ]
            )
        if path.startswith(f"{prefix}/branches/"):
            return web.json_response(
                {"name": "main", "commit": {"sha": self.releases[0].sha}}
            )
        if path.startswith(f"{prefix}/git/trees/"):
            release = self._release(path.removeprefix(f"{prefix}/git/trees/"))
            if release is None:
                return _NOT_FOUND()
            return web.json_response(
                {"sha": release.sha, "tree": release.tree(), "truncated": False}
            )
        if path.startswith(f"{prefix}/contents/"):
            release = self._release(request.query.get("ref", "main"))
            file_path = path.removeprefix(f"{prefix}/contents/")
            if release is None or file_path not in release.files:
                return _NOT_FOUND()
            data = release.files[file_path]
            return web.json_response(
                {
                    "type": "file",
                    "encoding": "base64",
                    "name": file_path.rsplit("/", 1)[-1],
                    "path": file_path,
                    "sha": _sha(data),
                    "size": len(data),
                    "content": base64.b64encode(data).decode(),
                }
            )
        if path == "/rate_limit":
            core = {"limit": 5000, "remaining": 4999, "reset": 4102444800, "used": 1}
            return web.json_response({"resources": {"core": core}, "rate": core})
        return None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(f"{request.method} {request.path_qs}")
        response = self._answer(request, request.path)
        if response is None:
            self.unknown.append(f"{request.method} {request.path_qs}")
            return _NOT_FOUND()
        return response

    def _answer(self, request: web.Request, path: str) -> web.StreamResponse | None:
        """GitHub's answer (a 404 for a missing file too); None for a request not served."""
        if path.startswith("/api/"):
            return self._api(request, path.removeprefix("/api"))
        if path == "/login/device/code":
            # The device-code login: the user would type user_code at github.com/login/device.
            return web.json_response(
                {
                    "device_code": "fake-device-code",
                    "user_code": "ABCD-1234",
                    "verification_uri": "https://github.com/login/device",
                    "expires_in": 900,
                    "interval": 1,
                }
            )
        if path == "/login/oauth/access_token":
            # As if the user had entered the code on GitHub at once.
            return web.json_response(
                {"access_token": TOKEN, "token_type": "bearer", "scope": ""}
            )
        if path.startswith(f"/{FULL_NAME}/archive/") and path.endswith(".zip"):
            ref = path.removeprefix(f"/{FULL_NAME}/archive/").removesuffix(".zip")
            release = self._release(ref.removeprefix("refs/tags/"))
            if release is None or ref.startswith("refs/heads/"):
                return _NOT_FOUND()
            return web.Response(body=release.zipball(), content_type="application/zip")
        if path.startswith(f"/raw/{FULL_NAME}/"):
            ref, _, file_path = path.removeprefix(f"/raw/{FULL_NAME}/").partition("/")
            release = self._release(ref)
            if release is None or file_path not in release.files:
                return _NOT_FOUND()
            return web.Response(body=release.files[file_path])
        if path.startswith("/catalog/"):
            return web.json_response(self.catalog.get(path, {}))
        return None


def _NOT_FOUND() -> web.Response:  # noqa: N802 - reads as the constant it stands for
    return web.json_response({"message": "Not Found"}, status=404)


def bulutfon_releases() -> list[Release]:
    """HEAD as :data:`TAG`, and the two bad versions around it, newest first."""
    files = head_files()
    without = {path: data for path, data in files.items() if path != "hacs.json"}
    future = dict(files)
    future["hacs.json"] = json.dumps(
        {**json.loads(files["hacs.json"]), "homeassistant": "2099.1.0"}
    ).encode()
    return [
        Release(NEEDS_NEWER_HASS, future, prerelease=True),
        Release(TAG, files),
        Release(WITHOUT_HACS_JSON, without),
    ]


class MarketplaceHass(RealHass):
    """A real ``hass`` of .venv-next whose Marketplace talks to the fake GitHub.

    The fake's URL comes from ``BULUTFON_FAKE_GITHUB`` in the environment. Unlike RealHass,
    nothing is linked into custom_components/: the Marketplace installs the integration.
    """

    def __init__(self, directory: Path) -> None:
        """Write the launcher beside ``directory``: .venv-next's Python running marketplace_hass.py."""
        launcher = Path(directory).parent / "hass-marketplace"
        launcher.parent.mkdir(parents=True, exist_ok=True)
        launcher.write_text(
            f'#!/bin/sh\nexec "{NEXT_PYTHON}" "{ROOT / "tests" / "marketplace_hass.py"}" "$@"\n'
        )
        launcher.chmod(0o755)
        super().__init__(directory, hass=launcher)

    def prepare(self) -> None:
        """Write the folder as RealHass does, without its link to the working tree."""
        super().prepare()
        link = self.directory / "custom_components" / "bulutfon"
        if link.is_symlink():
            link.unlink()

    def marketplace(self, command: dict[str, Any]) -> Any:
        """One Marketplace websocket command's result, or its error as text when it fails."""
        try:
            return self.websocket(command)[0]
        except realhass.RealHassError as err:
            return str(err)

    def wait_for_marketplace(self) -> dict[str, Any]:
        """Wait until the Marketplace is loaded and has read the catalog; its info."""
        info = wait_for(
            lambda: self.marketplace({"type": "marketplace/info"}),
            lambda info: isinstance(info, dict) and info["stage"] == "running",
        )
        assert isinstance(info, dict), info
        return info
