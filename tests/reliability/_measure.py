"""The resource measurements of the suite, shared by its tests and by the figures in docs/reliability.md.

* ``memory_growth``: 10,000 sequential calls over a mock transport (one in ten answered with an
  error): the Python memory blocks still allocated after them, and under ``tracemalloc`` the bytes
  still held from the last 2,000, beyond a warmed-up baseline.
* ``descriptor_growth``: calls over real loopback sockets, with resets that force new connections
  and a new client every hundred calls; the open file descriptors left afterwards (``/proc/self/fd``).

Print the figures of this machine with ``python -m tests.reliability._measure``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Iterator

import attrs
import httpx

import orderpatch._base_client as base_client
from orderpatch import APIError
from orderpatch.licensespring import LicenseSpringClient
from orderpatch.licensespring import OrderUpdate as LSUpdate
from tests.faults import RESET, respond

from ._faults_extra import ExtraFaultServer
from ._targets import LICENSESPRING, LS_ORDER_ID, http_for

__all__ = [
    "BLOCKS_BOUND", "DESCRIPTOR_BOUND", "MEMORY_BOUND", "Measured", "descriptor_growth", "memory_growth",
    "open_descriptors",
]

#: Bound on the traced bytes still held from the traced calls (2,000): a leak of 32 bytes per call
#: would hold 64 kB.
MEMORY_BOUND = 64 * 1024
#: Bound on Python memory blocks still allocated after all 10,000 calls: a leak of one object per
#: call would hold at least 10,000.
BLOCKS_BOUND = 2_000
#: File descriptors that may remain open after the loopback calls: none.
DESCRIPTOR_BOUND = 0


@attrs.frozen
class Measured:
    calls: int
    #: Bytes still held (traced memory), or descriptors still open.
    growth: int
    seconds: float
    #: Python memory blocks still allocated after all the calls (memory only).
    blocks: int = 0
    #: The largest allocation sites still holding memory (for a failing test's message).
    top: tuple[str, ...] = ()


def _mock_client() -> tuple[LicenseSpringClient, httpx.Client]:
    ok = LICENSESPRING.ok_body()
    error = LICENSESPRING.error_body(500, "vendor failed")
    count = iter(range(10**9))

    def handler(request: httpx.Request) -> httpx.Response:
        failing = next(count) % 10 == 9
        return httpx.Response(500 if failing else 200, content=error if failing else ok,
                              headers={"content-type": "application/json"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return LicenseSpringClient(api_key="ls-memory-key-0123456789", base_url="https://ls.test", http_client=http,
                               max_retries=0), http


def _calls(client: LicenseSpringClient, count: int) -> None:
    changes = LSUpdate(is_test=True, metadata={"source": "reliability"})
    for _ in range(count):
        with contextlib.suppress(APIError):
            client.orders.update(LS_ORDER_ID, changes)


def memory_growth(calls: int = 10_000, traced: int = 2_000, warmup: int = 300) -> Measured:
    """What ``calls`` sequential calls leave allocated, after ``warmup`` calls set the baseline.

    Two signals: Python's allocated memory blocks across all the calls (``sys.getallocatedblocks``,
    free to watch), and the bytes ``tracemalloc`` sees still held from the last ``traced`` calls
    (it slows each call about fourfold, so it watches the tail rather than all 10,000).
    """
    client, http = _mock_client()
    with http, client:
        _calls(client, warmup)
        gc.collect()
        blocks_before = sys.getallocatedblocks()
        started = time.perf_counter()
        _calls(client, calls - traced)
        tracemalloc.start(1)
        try:
            baseline = tracemalloc.take_snapshot()
            before = tracemalloc.get_traced_memory()[0]
            _calls(client, traced)
            gc.collect()
            growth = tracemalloc.get_traced_memory()[0] - before
            stats = tracemalloc.take_snapshot().compare_to(baseline, "lineno")[:5]
        finally:
            tracemalloc.stop()
        seconds = time.perf_counter() - started
        del baseline
        gc.collect()
        blocks = sys.getallocatedblocks() - blocks_before
    return Measured(calls=calls, growth=growth, seconds=seconds, blocks=blocks, top=tuple(str(s) for s in stats))


def open_descriptors() -> int:
    """How many file descriptors this process has open."""
    return len(os.listdir("/proc/self/fd"))


def _loopback_rounds(url: str, rounds: int, per_round: int) -> Iterator[int]:
    for _ in range(rounds):
        http = http_for("sync")
        assert isinstance(http, httpx.Client)
        with http, LicenseSpringClient(api_key="ls-fd-key-0123456789", base_url=url, http_client=http,
                                       timeout=2.0) as client:
            for _ in range(per_round):
                client.orders.update(LS_ORDER_ID, LSUpdate(is_test=True))
        yield open_descriptors()


@contextlib.contextmanager
def _no_back_off() -> Iterator[None]:
    """Retries without the back-off sleep (what the ``sleeps`` fixture does, for use outside pytest)."""
    saved = base_client._sleep
    base_client._sleep = lambda seconds: None
    try:
        yield
    finally:
        base_client._sleep = saved


def descriptor_growth(calls: int = 1_000, per_client: int = 100) -> tuple[Measured, list[int]]:
    """Descriptors left open after ``calls`` loopback calls (a reset every tenth answer, retried).

    Returns the measurement and the descriptor count after each client was closed.
    """
    gc.collect()
    before = open_descriptors()
    script = [*[respond(body=LICENSESPRING.ok_body())] * 9, RESET]
    started = time.perf_counter()
    with _no_back_off(), ExtraFaultServer(script, cycle=True) as server:
        during = list(_loopback_rounds(server.url, calls // per_client, per_client))
        received = len(server.received)
    seconds = time.perf_counter() - started
    gc.collect()
    assert received > calls, "the resets must have forced retries on new connections"
    return Measured(calls=calls, growth=open_descriptors() - before, seconds=seconds), during


if __name__ == "__main__":
    memory = memory_growth()
    print(f"memory: {memory.calls} calls in {memory.seconds:.1f} s, {memory.blocks} blocks still allocated "
          f"(bound {BLOCKS_BOUND}), {memory.growth} traced bytes still held from the last 2,000 (bound {MEMORY_BOUND})")
    for line in memory.top:
        print("   ", line)
    fds, during = descriptor_growth()
    print(f"descriptors: {fds.calls} loopback calls in {fds.seconds:.1f} s, {fds.growth} left open "
          f"(bound {DESCRIPTOR_BOUND}); after each client: {sorted(set(during))}")
