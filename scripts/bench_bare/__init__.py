"""The benchmark's baselines, installed beside Bulutfon in a throwaway Home Assistant so that
all handlers are measured in the same process, on the same HTTP server, in the same run:

- `<webhook_id>`: reads the body and answers 200 (the bare handler);
- `<webhook_id>-writes`: also parses the JSON, fires one bus event with it and writes three
  states with hass.states.async_set: the least any integration pays to show an event the way
  Bulutfon does (one bus event, about three state writes).
"""

from __future__ import annotations

import json

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

    count = 0

    async def handle_writes(
        hass: HomeAssistant, webhook_id: str, request: Request
    ) -> Response:
        nonlocal count
        count += 1
        data = json.loads(await request.read())
        hass.bus.async_fire("bench_bare_event", data)
        for name in ("a", "b", "c"):
            hass.states.async_set(f"sensor.bench_bare_{name}", str(count), {"n": count})
        return Response(status=200)

    webhook_id = config[DOMAIN]["webhook_id"]
    for suffix, handler in (("", handle), ("-writes", handle_writes)):
        webhook.async_register(
            hass,
            DOMAIN,
            f"Baseline{suffix}",
            webhook_id + suffix,
            handler,
            allowed_methods=["POST"],
        )
    return True
