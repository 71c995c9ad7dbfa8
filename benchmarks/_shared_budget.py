"""The shared (Redis) budget, measured: shared by ``bench_bulk.py`` (its row for 4 processes) and
``bench_ratelimit.py`` (the limiter's cost beside the ``limits`` package).

* ``cost_table``: the limiter's own cost per request, no HTTP — ``acquire()`` before it and
  ``observe()`` after its answer, as the clients call them — in-process and on a loopback
  redis-server, with one rate and with LicenseSpring's three (two shared by the company).
* ``processes_table``: 4 processes, each a real ``LicenseSpringClient`` on one Redis budget,
  against the sandbox emulating that account limit: achieved rate ÷ budget, the busiest window
  of arrivals (429s included) and the 429s the sandbox counted.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.synchronize import Barrier

from _harness import Table, ratio, time_calls

from orderpatch import InMemoryRateLimiter, KeyedRate, Rate, RateLimiter, RedisRateLimiter
from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS, Sandbox

#: Generous enough that acquire() never waits while its cost is timed.
WIDE = [Rate(limit=10**9, period=1.0)]
LICENSESPRING = [Rate(limit=10**9, period=1.0), Rate(limit=10**9, period=10.0), Rate(limit=10**9, period=60.0)]
PROCESSES, LIMIT, PERIOD = 4, 32, 2.0


def limiters(url: str) -> dict[str, RateLimiter]:
    """The limiters whose cost is timed, in-process first (the baseline)."""
    return {
        "InMemoryRateLimiter, 1 rate": InMemoryRateLimiter(WIDE, name="one"),
        "InMemoryRateLimiter, 3 rates (LicenseSpring)": InMemoryRateLimiter(LICENSESPRING, name="three"),
        "RedisRateLimiter, 1 rate (loopback Redis)": RedisRateLimiter(WIDE, name="bench", key="bench:one", url=url),
        "RedisRateLimiter, 3 rates, 2 of them shared by the company": RedisRateLimiter(
            [LICENSESPRING[0], *(KeyedRate(rate=r, scope="bench:company") for r in LICENSESPRING[1:])],
            name="bench", key="bench:three", url=url),
    }


def one_request(limiter: RateLimiter) -> Callable[[], object]:
    """What the client asks of its limiter for one request: a grant before, the answer after."""

    def request() -> None:
        limiter.acquire()
        limiter.observe(status=200, remaining=None, retry_after=None)

    return request


def cost_table(url: str, iterations: int, repeats: int,
               extra: dict[str, Callable[[], object]] | None = None) -> Table:
    """µs per request (acquire + observe) per limiter; ``extra`` cases are timed in the same rounds."""
    chosen = limiters(url)
    cases: dict[str, Callable[[], object]] = {name: one_request(each) for name, each in chosen.items()}
    cases.update(extra or {})
    timings = time_calls(cases, iterations=iterations, repeats=repeats, warmup=50)
    for each in chosen.values():
        if isinstance(each, RedisRateLimiter):
            each.close()
    table = Table("The limiter's own cost per request (acquire + observe)", ["limiter", "µs/request",
                                                                              "x in-memory 1 rate"])
    base = next(iter(cases))
    for name in cases:
        table.add(name, f"{timings[name]:,.1f}", ratio(timings.paired(name, base)))
    table.notes.append("Redis: two EVALSHA round trips per request, the grant (every rate checked and recorded "
                       "atomically) and the answer (its slot re-scored: it comes back one period after the answer)")
    table.notes.append("for scale: one HTTP update to the loopback sandbox costs several ms (bench_facade)")
    return table


def worker(sandbox_url: str, redis_url: str, count: int, ready: Barrier, go: Barrier) -> None:
    from orderpatch.licensespring import LicenseSpringClient, OrderUpdate

    limiter = RedisRateLimiter([Rate(limit=LIMIT, period=PERIOD)], name="licensespring", key="bench:processes",
                               url=redis_url)
    with LicenseSpringClient(api_key=SANDBOX_CREDENTIALS["licensespring"]["api_key"],
                             base_url=f"{sandbox_url}/licensespring", rate_limiter=limiter, max_retries=5) as client:
        client.orders.update(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True))  # warm: pool and script
        ready.wait(120)
        go.wait(120)
        for _ in range(count):
            client.orders.update(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True))
    limiter.close()


def processes_table(redis_url: str, windows: int) -> Table:
    """``PROCESSES`` processes on one Redis budget of ``LIMIT`` per ``PERIOD``, ``windows`` windows' worth."""
    import redis

    total = windows * LIMIT
    context = multiprocessing.get_context("spawn")
    ready, go = context.Barrier(PROCESSES + 1), context.Barrier(PROCESSES + 1)
    with Sandbox(rate_limit=LIMIT, rate_window=PERIOD) as sandbox:
        children = [context.Process(target=worker, args=(sandbox.url, redis_url, total // PROCESSES, ready, go))
                    for _ in range(PROCESSES)]
        for child in children:
            child.start()
        ready.wait(120)  # every process has imported, built its client and sent one request
        sandbox.reset()  # count the paced requests only, from a fresh budget
        store = redis.Redis.from_url(redis_url)
        store.flushdb()
        store.close()
        go.wait(120)
        for child in children:
            child.join(120)
        log = [r for r in sandbox.requests_log() if r.vendor == "licensespring"]
    served = sorted(r.received_at for r in log if r.fault != "rate_limited")
    arrived = sorted(r.received_at for r in log)
    throttled = sum(1 for r in log if r.fault == "rate_limited")
    achieved = len(served) / (served[-1] - served[0] + PERIOD)
    busiest = max(sum(1 for t in arrived if end - PERIOD < t <= end) for end in arrived)
    table = Table(f"{PROCESSES} processes sharing one Redis budget — sandbox, {LIMIT} per {PERIOD:g} s",
                  ["requests", "achieved/s", "achieved ÷ budget", "busiest window", "429s"])
    table.add(len(served), f"{achieved:.1f}", f"{achieved / (LIMIT / PERIOD):.1%}", f"{busiest} / {LIMIT}",
              throttled)
    table.notes.append(f"achieved = requests / (last - first + {PERIOD:g} s): {windows} windows' worth, "
                       "the first burst included")
    table.notes.append("a slot comes back one period after the answer to its request: the ceiling is "
                       "period / (period + answer time) of the budget")
    return table
