"""One process of the shared-budget proof: update one order ``count`` times through a real client
whose rate limiter is the Redis one, once the parent says go.

Run by ``multiprocessing`` from a forkserver that has imported orderpatch already, so eight
processes start in milliseconds rather than each paying for a fresh interpreter.
"""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from orderpatch import Rate, RedisRateLimiter
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate

#: What the forkserver imports once, before any worker forks from it.
PRELOAD = ["orderpatch.licensespring", "orderpatch._ratelimit_redis", "redis", "tests.ratelimit_redis._worker"]


def run(base_url: str, api_key: str, order_id: str, redis_url: str, rate: tuple[int, float], count: int,
        ready: Barrier, go: Barrier) -> None:
    """Warm up (token, pool, Redis script), wait for ``ready``/``go``, then send ``count`` updates."""
    limiter = RedisRateLimiter([Rate(limit=rate[0], period=rate[1])], name="licensespring",
                               key="licensespring:proof", url=redis_url)
    with LicenseSpringClient(api_key=api_key, base_url=base_url, rate_limiter=limiter, max_retries=5) as client:
        client.orders.update(order_id, OrderUpdate(is_test=True))
        ready.wait(60)
        go.wait(60)
        for _ in range(count):
            client.orders.update(order_id, OrderUpdate(is_test=True))
    limiter.close()
