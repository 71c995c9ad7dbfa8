"""The shared budget: what pacing costs per request, and how close 4 processes get to the budget.

1. The limiter's own cost per ``acquire()`` (µs), no HTTP: ``InMemoryRateLimiter`` and
   ``RedisRateLimiter`` on a loopback redis-server, with one rate and with LicenseSpring's three;
   and, when the ``limits`` package is importable, its Redis moving window (the alternative
   the Redis limiter was measured against; docs/shared-budget.md).
2. Four processes, each a real ``LicenseSpringClient`` with the Redis limiter, against the sandbox
   with one emulated account limit: achieved rate ÷ budget, requests in the busiest window and the
   429s the sandbox counted.

    python benchmarks/bench_ratelimit.py [--quick] [--json PATH]

Needs ``redis-server`` (Debian: ``apt-get install redis-server``); without it both tables are skipped.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable

from _harness import Table, header, optional, parse_options, ratio, save, skip, time_calls

from orderpatch import InMemoryRateLimiter, KeyedRate, Rate, RedisRateLimiter
from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS, RedisServer, Sandbox
from orderpatch.sandbox._redis_server import redis_server_binary

SCRIPT = "bench_ratelimit"
#: Generous enough that acquire() never waits while its cost is timed.
WIDE = [Rate(limit=10**9, period=1.0)]
LICENSESPRING = [Rate(limit=10**9, period=1.0), Rate(limit=10**9, period=10.0), Rate(limit=10**9, period=60.0)]
PROCESSES, LIMIT, PERIOD = 4, 32, 2.0


def cost_table(url: str, iterations: int, repeats: int) -> Table:
    redis_one = RedisRateLimiter(WIDE, name="bench", key="bench:one", url=url)
    redis_three = RedisRateLimiter(
        [LICENSESPRING[0], *(KeyedRate(rate=r, scope="bench:company") for r in LICENSESPRING[1:])],
        name="bench", key="bench:three", url=url,
    )
    memory_one, memory_three = InMemoryRateLimiter(WIDE, name="one"), InMemoryRateLimiter(LICENSESPRING, name="three")
    cases: dict[str, Callable[[], object]] = {
        "InMemoryRateLimiter, 1 rate": memory_one.acquire,
        "InMemoryRateLimiter, 3 rates (LicenseSpring)": memory_three.acquire,
        "RedisRateLimiter, 1 rate (loopback Redis)": redis_one.acquire,
        "RedisRateLimiter, 3 rates, 2 of them shared by the company": redis_three.acquire,
    }
    limits = optional("limits", what="the limits package's Redis moving window (comparison)")
    if limits is not None:
        from limits import RateLimitItemPerSecond
        from limits.storage import RedisStorage
        from limits.strategies import MovingWindowRateLimiter

        moving = MovingWindowRateLimiter(RedisStorage(url))
        item = RateLimitItemPerSecond(10**9)

        def limits_hit() -> object:
            return moving.hit(item, "bench")

        cases["limits 5 MovingWindowRateLimiter.hit, 1 rate (no waiting: polls)"] = limits_hit
    timings = time_calls(cases, iterations=iterations, repeats=repeats, warmup=50)
    redis_one.close()
    redis_three.close()
    table = Table("The limiter's own cost per acquire()", ["limiter", "µs/acquire", "x in-memory 1 rate"])
    base = next(iter(cases))
    for name in cases:
        table.add(name, f"{timings[name]:,.1f}", ratio(timings.paired(name, base)))
    table.notes.append("one acquire() = one EVALSHA round trip on Redis (the grant is checked and recorded atomically)")
    table.notes.append("for scale: one HTTP update to the loopback sandbox costs several ms (bench_facade)")
    return table


def worker(sandbox_url: str, redis_url: str, count: int, start_at: float) -> None:
    from orderpatch.licensespring import LicenseSpringClient, OrderUpdate

    limiter = RedisRateLimiter([Rate(limit=LIMIT, period=PERIOD)], name="licensespring", key="bench:processes",
                               url=redis_url)
    with LicenseSpringClient(api_key=SANDBOX_CREDENTIALS["licensespring"]["api_key"],
                             base_url=f"{sandbox_url}/licensespring", rate_limiter=limiter, max_retries=5) as client:
        time.sleep(max(0.0, start_at - time.time()))
        for _ in range(count):
            client.orders.update(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True))
    limiter.close()


def processes_table(redis_url: str, windows: int) -> Table:
    total = windows * LIMIT
    context = multiprocessing.get_context("spawn")
    with Sandbox(rate_limit=LIMIT, rate_window=PERIOD) as sandbox:
        start_at = time.time() + 3.0  # every process has imported and built its client by then
        children = [context.Process(target=worker, args=(sandbox.url, redis_url, total // PROCESSES, start_at))
                    for _ in range(PROCESSES)]
        for child in children:
            child.start()
        for child in children:
            child.join(120)
        log = [r for r in sandbox.requests_log() if r.vendor == "licensespring"]
    served = sorted(r.received_at for r in log if r.fault != "rate_limited")
    throttled = sum(1 for r in log if r.fault == "rate_limited")
    achieved = len(served) / (served[-1] - served[0] + PERIOD)
    busiest = max(sum(1 for t in served if end - PERIOD < t <= end) for end in served)
    table = Table(f"{PROCESSES} processes sharing one Redis budget — sandbox, {LIMIT} per {PERIOD:g} s",
                  ["requests", "achieved/s", "achieved ÷ budget", "busiest window", "429s"])
    table.add(len(served), f"{achieved:.1f}", f"{achieved / (LIMIT / PERIOD):.0%}", f"{busiest} / {LIMIT}", throttled)
    table.notes.append(f"achieved = requests / (last - first + {PERIOD:g} s): {windows} windows' worth, "
                       "the first burst included")
    table.notes.append("a slot comes back one period after the answer to its request: the ceiling is "
                       "period / (period + latency) of the budget")
    return table


def main() -> int:
    options = parse_options(__doc__)
    header(SCRIPT, options)
    if redis_server_binary() is None:
        skip("every table", "redis-server is not installed (Debian: apt-get install redis-server)")
        return 0
    with RedisServer() as server:
        tables = [
            cost_table(server.url, options.pick(2000, 200), options.pick(7, 2)),
            processes_table(server.url, options.pick(4, 2)),
        ]
    for table in tables:
        table.print()
    save(options, SCRIPT, tables)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
