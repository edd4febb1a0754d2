"""Start a real ``hass`` whose Marketplace talks to a fake GitHub on loopback.

Run with the Python of ``.venv-next`` (Home Assistant 2026.11), with ``hass``'s own arguments
and ``BULUTFON_FAKE_GITHUB`` set to the fake's base URL (tests/fake_github.py). Nothing of the
Marketplace is replaced: only the hosts of its default download profile (``profiles.py``: "another
profile sends the same requests, with the same paths, to other endpoints") and the host of
aiogithubapi's device-code login point at the fake. Not a test module: tests/test_marketplace.py
starts it as the ``hass`` of scripts/realhass.py's RealHass.
"""

from __future__ import annotations

import os
import sys

from aiogithubapi import device
from homeassistant.__main__ import main
from homeassistant.components.marketplace import profiles

BASE = os.environ["BULUTFON_FAKE_GITHUB"]

LOOPBACK = profiles.DownloadProfile(
    id=profiles.DEFAULT_PROFILE,
    operator="the tests' fake GitHub on loopback",
    api=f"{BASE}/api",
    uses_github_account=True,
    github=BASE,
    raw=f"{BASE}/raw",
    catalog=f"{BASE}/catalog",
)
profiles.GITHUB = LOOPBACK
profiles.PROFILES[profiles.DEFAULT_PROFILE] = LOOPBACK
device.BASE_GITHUB_URL = BASE

if __name__ == "__main__":
    sys.exit(main())
