"""Resources: no memory held after 10,000 calls, no file descriptor left open after 10,000 loopback calls.

The figures these tests measure are reported in docs/reliability.md; ``python -m
tests.reliability._measure`` prints them for the machine at hand.
"""

from __future__ import annotations

import gc

import httpx
import pytest

from orderpatch.licensespring import AsyncLicenseSpringClient
from orderpatch.licensespring import OrderUpdate as LSUpdate
from tests.conftest import SleepRecorder
from tests.faults import RESET, reset_mid_body, respond

from ._faults_extra import ExtraFaultServer
from ._measure import BLOCKS_BOUND, DESCRIPTOR_BOUND, MEMORY_BOUND, descriptor_growth, memory_growth, open_descriptors
from ._targets import LICENSESPRING, LS_ORDER_ID, http_for


def test_10000_sequential_calls_hold_no_memory_beyond_the_bound() -> None:
    measured = memory_growth(10_000)
    assert measured.blocks < BLOCKS_BOUND, measured
    assert measured.growth < MEMORY_BOUND, "memory still held after the calls:\n" + "\n".join(measured.top)


@pytest.mark.loopback
def test_10000_loopback_calls_leave_no_file_descriptor_open() -> None:
    measured, after_each_client = descriptor_growth(10_000)
    assert measured.growth <= DESCRIPTOR_BOUND
    assert max(after_each_client) - min(after_each_client) <= 1, after_each_client


@pytest.mark.loopback
async def test_async_loopback_calls_with_broken_connections_leave_no_file_descriptor_open(
    sleeps: SleepRecorder,
) -> None:
    gc.collect()
    before = open_descriptors()
    ok = respond(body=LICENSESPRING.ok_body())
    with ExtraFaultServer([ok, ok, ok, RESET, ok, reset_mid_body(LICENSESPRING.ok_body()[:30])], cycle=True) as server:
        for _ in range(4):
            http = http_for("async")
            assert isinstance(http, httpx.AsyncClient)
            async with http, AsyncLicenseSpringClient(api_key="ls-fd-key-0123456789", base_url=server.url,
                                                      http_client=http, timeout=2.0) as client:
                for _ in range(50):
                    assert (await client.orders.update(LS_ORDER_ID, LSUpdate(is_test=True))).id == LS_ORDER_ID
        assert len(server.received) > 200
    gc.collect()
    assert open_descriptors() - before <= DESCRIPTOR_BOUND
    assert sleeps.delays, "the broken connections were retried"
