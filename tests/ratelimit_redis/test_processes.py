"""The proof: 1, 2, 4 and 8 processes, one Redis budget, one emulated account limit at the sandbox.

Each process updates a LicenseSpring order through a real client whose limiter is the Redis
one. The sandbox answers 429 once more than ``LIMIT`` requests arrived within ``PERIOD``. Then:
every request that arrived (429 or not) stays within the limit in every window, the processes together achieve
at least 90% of the budget, and the sandbox counted no more 429s than there are processes.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.context
import os

import pytest
import redis

from orderpatch.sandbox import DEMO_ORDER_IDS, RedisServer, Sandbox
from tests.ratelimit_redis import _worker

LIMIT, PERIOD = 16, 2.0
TOTAL = 2 * LIMIT  # two windows' worth: the first burst, then a window paced by the budget


@functools.cache
def context() -> multiprocessing.context.ForkServerContext:
    """A forkserver with orderpatch imported: cheap processes, and no fork of this threaded process."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_worker.PRELOAD)
    return ctx


def run_processes(sandbox: Sandbox, redis_url: str, processes: int) -> None:
    ctx = context()
    ready, go = ctx.Barrier(processes + 1), ctx.Barrier(processes + 1)
    settings = sandbox.settings("licensespring")
    args = (settings["base_url"], settings["api_key"], DEMO_ORDER_IDS["licensespring"], redis_url, (LIMIT, PERIOD),
            TOTAL // processes, ready, go)
    children = [ctx.Process(target=_worker.run, args=args) for _ in range(processes)]
    try:
        for child in children:
            child.start()
        ready.wait(60)
        sandbox.reset()  # count only the paced requests, and start from a fresh budget
        store = redis.Redis.from_url(redis_url)
        store.flushdb()
        store.close()
        go.wait(60)
        for child in children:
            child.join(60)
            assert child.exitcode == 0
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()


def one_run(redis_url: str, processes: int) -> float:
    """One run; asserts what must hold every time and returns the achieved rate."""
    with Sandbox(rate_limit=LIMIT, rate_window=PERIOD) as sandbox:
        run_processes(sandbox, redis_url, processes)
        log = [record for record in sandbox.requests_log() if record.vendor == "licensespring"]
    served = sorted(r.received_at for r in log if r.fault != "rate_limited")
    arrived = sorted(r.received_at for r in log)
    throttled = [r for r in log if r.fault == "rate_limited"]
    assert len(served) == TOTAL
    # Every request that reached the sandbox, answered 429 or not, by the moment it arrived: a
    # slot comes back one period after its answer, which is after that moment, so no slack is needed.
    busiest = max(sum(1 for t in arrived if end - PERIOD < t <= end) for end in arrived)
    assert busiest <= LIMIT, f"{busiest} requests in one {PERIOD} s window (limit {LIMIT})"
    assert len(throttled) <= processes, f"{len(throttled)} 429s for {processes} processes"
    # The budget allows LIMIT per PERIOD: TOTAL requests need (TOTAL / LIMIT - 1) periods after the first burst.
    return len(served) / (served[-1] - served[0] + PERIOD)


#: Runs of one case at most: the rate bar must be met by the best of them (the window and 429
#: checks by every one). A machine whose CPUs are taken by others delivers a burst late, a cost
#: the budget is not at fault for; a few runs give the scheduler that many chances.
RUNS = 5


@pytest.mark.loopback
@pytest.mark.parametrize("processes", [1, 2, 4, 8])
def test_processes_sharing_one_redis_budget_stay_within_the_account_limit(
    processes: int, redis_server: RedisServer, redis_url: str
) -> None:
    """The limit and the 429 bound hold in every run; the >= 90% rate bar in the best of ``RUNS``."""
    achieved: list[float] = []
    while len(achieved) < RUNS and max(achieved, default=0.0) < 0.9 * LIMIT / PERIOD:
        achieved.append(one_run(redis_url, processes))
    assert max(achieved) >= 0.9 * LIMIT / PERIOD, (
        f"achieved {[round(a, 2) for a in achieved]}/s of a {LIMIT / PERIOD:g}/s budget "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
