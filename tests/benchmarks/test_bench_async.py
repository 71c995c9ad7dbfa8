"""bench_async's rounds: a round killed by a transport error is run again, and said so."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench_async() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("_bench_async", BENCHMARKS / "bench_async.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def test_a_round_that_dies_of_a_read_error_is_run_again(bench_async: ModuleType) -> None:
    calls = 0

    async def update() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise httpx.ReadError("connection closed by the server")

    notes: list[str] = []
    rate, latencies, cpu = asyncio.run(bench_async.timed_round("spree floor", update, 100, notes))
    assert rate > 0
    assert len(latencies) == 100
    assert cpu > 0
    assert notes == ["spree floor: a round ended in ReadError; run again"]


def test_a_round_that_keeps_failing_fails_the_run(bench_async: ModuleType) -> None:
    async def update() -> None:
        raise httpx.ConnectError("refused")

    notes: list[str] = []
    with pytest.raises(ExceptionGroup):
        asyncio.run(bench_async.timed_round("x", update, 10, notes))
    assert len(notes) == bench_async.ROUND_RETRIES


def test_the_server_keeps_idle_connections_longer_than_a_round(bench_async: ModuleType) -> None:
    assert bench_async.KEEP_ALIVE >= 60
    assert bench_async.TARGET_SHARE == 0.9
