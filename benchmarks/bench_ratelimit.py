"""The shared budget's design choice: the Redis limiter's cost per request beside the ``limits`` package.

The limiter's own cost per request (µs), no HTTP: ``InMemoryRateLimiter`` and ``RedisRateLimiter``
on a loopback redis-server, with one rate and with LicenseSpring's three; and, when the
``limits`` package is importable, its Redis moving window (the alternative the Redis limiter was
measured against; docs/shared-budget.md). The row for 4 processes sharing one Redis budget is in
``bench_bulk.py`` (the code of both is ``_shared_budget.py``).

    python benchmarks/bench_ratelimit.py [--quick] [--json PATH]

Needs ``redis-server`` (Debian: ``apt-get install redis-server``); without it the table is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from _harness import header, optional, parse_options, save, skip
from _shared_budget import cost_table

from orderpatch.sandbox import RedisServer
from orderpatch.sandbox._redis_server import redis_server_binary

SCRIPT = "bench_ratelimit"


def limits_cases(url: str) -> dict[str, Callable[[], object]]:
    """The ``limits`` package's Redis moving window, when it is installed (it has no answer step: one hit)."""
    limits = optional("limits", what="the limits package's Redis moving window (comparison)")
    if limits is None:
        return {}
    from limits import RateLimitItemPerSecond
    from limits.storage import RedisStorage
    from limits.strategies import MovingWindowRateLimiter

    moving = MovingWindowRateLimiter(RedisStorage(url))
    item = RateLimitItemPerSecond(10**9)

    def limits_hit() -> object:
        return moving.hit(item, "bench")

    return {"limits 5 MovingWindowRateLimiter.hit, 1 rate (one hit; no waiting: polls)": limits_hit}


def main() -> int:
    options = parse_options(__doc__)
    header(SCRIPT, options)
    if redis_server_binary() is None:
        skip("every table", "redis-server is not installed (Debian: apt-get install redis-server)")
        return 0
    with RedisServer() as server:
        table = cost_table(server.url, options.pick(2000, 200), options.pick(7, 2), extra=limits_cases(server.url))
    table.print()
    save(options, SCRIPT, [table])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
