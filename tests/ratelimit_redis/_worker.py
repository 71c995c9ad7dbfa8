"""One process of the shared-budget proof: update one order ``count`` times through a real client
whose rate limiter is the Redis one, starting when the parent says ``go``.

``python -m tests.ratelimit_redis._worker SANDBOX_URL REDIS_URL LIMIT PERIOD COUNT``
prints ``ready`` once the client is built, reads a line, then sends; it prints ``done``.
"""

from __future__ import annotations

import sys

from orderpatch import Rate, RedisRateLimiter
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate
from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS


def main(argv: list[str]) -> int:
    sandbox_url, redis_url, limit, period, count = argv
    limiter = RedisRateLimiter([Rate(limit=int(limit), period=float(period))], name="licensespring",
                               key="licensespring:proof", url=redis_url)
    with LicenseSpringClient(api_key=SANDBOX_CREDENTIALS["licensespring"]["api_key"],
                             base_url=f"{sandbox_url}/licensespring", rate_limiter=limiter, max_retries=5) as client:
        client.orders.update(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True))  # warm: token, pool
        print("ready", flush=True)
        sys.stdin.readline()
        for _ in range(int(count)):
            client.orders.update(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True))
    limiter.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
