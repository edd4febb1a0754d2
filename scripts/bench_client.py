"""The benchmark's load generator, run in its own process: POST bodies, report latencies.

    python scripts/bench_client.py URL BODIES.json CONCURRENCY [ORDERED [RATE]]

BODIES.json holds a list of calls, each a list of JSON bodies (strings). With ORDERED=1 each
call's events are posted in order while calls run concurrently (CONCURRENCY calls at a
time); otherwise all events go out in list order with CONCURRENCY requests in flight.
Prints one JSON object: count, statuses, elapsed seconds, latencies in ms.
"""

from __future__ import annotations

import asyncio
from collections import Counter
import json
from pathlib import Path
import sys
import time

import aiohttp


async def _main(
    url: str, calls: list[list[str]], concurrency: int, ordered: bool, rate: float
) -> None:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=connector) as session:

        async def post(body: str) -> None:
            start = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                statuses[response.status] += 1
            latencies.append((time.perf_counter() - start) * 1000)

        if rate > 0:
            flat_bodies = [body for call in calls for body in call]

            async def paced() -> None:
                begin = time.perf_counter()
                tasks = []
                for index, body in enumerate(flat_bodies):
                    delay = begin + index / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    tasks.append(asyncio.create_task(post(body)))
                await asyncio.gather(*tasks)

            workers = [paced()]
        elif ordered:
            queue: asyncio.Queue[list[str]] = asyncio.Queue()
            for call in calls:
                queue.put_nowait(call)

            async def worker() -> None:
                while not queue.empty():
                    for body in queue.get_nowait():
                        await post(body)

            workers = [worker() for _ in range(concurrency)]
        else:
            flat = iter([body for call in calls for body in call])

            async def worker() -> None:
                for body in flat:
                    await post(body)

            workers = [worker() for _ in range(concurrency)]
        start = time.perf_counter()
        await asyncio.gather(*workers)
        elapsed = time.perf_counter() - start
    print(
        json.dumps(
            {
                "count": len(latencies),
                "statuses": {str(k): v for k, v in statuses.items()},
                "elapsed": elapsed,
                "latencies_ms": latencies,
            }
        )
    )


if __name__ == "__main__":
    calls = json.loads(Path(sys.argv[2]).read_text())
    asyncio.run(
        _main(
            sys.argv[1],
            calls,
            int(sys.argv[3]),
            len(sys.argv) > 4 and sys.argv[4] == "1",
            float(sys.argv[5]) if len(sys.argv) > 5 else 0.0,
        )
    )
