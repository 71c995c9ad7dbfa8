"""The proof: 1, 2, 4 and 8 processes, one Redis budget, one emulated account limit at the sandbox.

Each process updates a LicenseSpring order through a real client whose limiter is the Redis
one. The sandbox answers 429 once more than ``LIMIT`` requests arrived within ``PERIOD``. Then:
the requests it served stay within the limit in every window, the processes together achieve
at least 90% of the budget, and the sandbox counted no more 429s than there are processes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orderpatch.sandbox import RedisServer, Sandbox

ROOT = Path(__file__).resolve().parents[2]
LIMIT, PERIOD = 20, 1.0
TOTAL = 3 * LIMIT  # three windows' worth: the first burst, then two windows paced by the budget


def run_processes(sandbox: Sandbox, redis_url: str, processes: int) -> None:
    command = [sys.executable, "-m", "tests.ratelimit_redis._worker", sandbox.url, redis_url, str(LIMIT),
               str(PERIOD), str(TOTAL // processes)]
    children = [subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                for _ in range(processes)]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        sandbox.reset()  # count only the paced requests
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            assert child.wait(60) == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            for stream in (child.stdin, child.stdout):
                if stream is not None:
                    stream.close()


@pytest.mark.loopback
@pytest.mark.parametrize("processes", [1, 2, 4, 8])
def test_processes_sharing_one_redis_budget_stay_within_the_account_limit(
    processes: int, redis_server: RedisServer, redis_url: str
) -> None:
    with Sandbox(rate_limit=LIMIT, rate_window=PERIOD) as sandbox:
        run_processes(sandbox, redis_url, processes)
        log = [record for record in sandbox.requests_log() if record.vendor == "licensespring"]
    served = sorted(r.received_at for r in log if r.fault != "rate_limited")
    throttled = [r for r in log if r.fault == "rate_limited"]
    assert len(served) == TOTAL
    busiest = max(sum(1 for t in served if end - PERIOD < t <= end) for end in served)
    assert busiest <= LIMIT, f"{busiest} requests in one {PERIOD} s window (limit {LIMIT})"
    # The budget allows LIMIT per PERIOD: TOTAL requests need (TOTAL / LIMIT - 1) periods after the first burst.
    achieved = len(served) / (served[-1] - served[0] + PERIOD)
    assert achieved >= 0.9 * LIMIT / PERIOD, f"achieved {achieved:.1f}/s of a {LIMIT / PERIOD:.0f}/s budget"
    assert len(throttled) <= processes, f"{len(throttled)} 429s for {processes} processes"
