"""The benchmark's baseline: a webhook that only reads the body and answers 200.

scripts/bench installs it beside Bulutfon in a throwaway Home Assistant, so both handlers are
measured in the same process, on the same HTTP server, in the same run.
"""

from __future__ import annotations

from aiohttp.web import Request, Response
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from homeassistant.helpers.typing import ConfigType

DOMAIN = "bench_bare"


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the bare webhook under the id given in configuration.yaml."""

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: Request
    ) -> Response:
        await request.read()
        return Response(status=200)

    webhook.async_register(
        hass,
        DOMAIN,
        "Bare baseline",
        config[DOMAIN]["webhook_id"],
        handle,
        allowed_methods=["POST"],
    )
    return True
