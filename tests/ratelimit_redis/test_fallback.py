"""Redis unreachable: the limiter falls back to an in-process share with one warning, never hangs,
never fails the caller, and goes back to Redis when it returns; or raises, when asked to."""

from __future__ import annotations

import logging
import socket
import time

import pytest

import orderpatch._ratelimit_redis as ratelimit_redis
from orderpatch._ratelimit import Rate
from orderpatch._ratelimit_redis import RedisRateLimiter
from orderpatch.errors import ConnectionFailed, Timeout
from orderpatch.sandbox import RedisServer


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def on_fallback(limiter: RedisRateLimiter) -> bool:
    """Read afresh each time (a property mypy would otherwise narrow between asserts)."""
    return limiter.using_fallback


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "orderpatch.ratelimit" and r.levelno == logging.WARNING]


def test_no_redis_at_all_falls_back_at_a_share_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://:hunter2@127.0.0.1:{closed_port()}/0"
    limiter = RedisRateLimiter([Rate(limit=8, period=30.0)], name="spree_admin", key="k", url=url, fallback_share=0.25)
    started = time.monotonic()
    for _ in range(2):  # 8 * 0.25 = 2 in this process while Redis is away
        limiter.acquire(timeout=1.0)
    assert time.monotonic() - started < 1.0  # refused connections cost next to nothing
    assert on_fallback(limiter)
    with pytest.raises(Timeout, match="in-process fallback"):
        limiter.acquire(timeout=0.05)
    limiter.observe(status=429, remaining=0, retry_after=0.01)  # steers the fallback; no Redis call
    [warning] = warnings_of(caplog)
    assert "unreachable" in warning
    assert "2/30s" in warning
    assert "hunter2" not in warning
    assert "***" in warning
    limiter.close()


async def test_async_callers_fall_back_too(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter([Rate(limit=4, period=30.0)], name="n", key="k",
                               url=f"redis://127.0.0.1:{closed_port()}/0", fallback_share=0.5)
    await limiter.aacquire(timeout=1.0)
    await limiter.aacquire(timeout=1.0)
    await limiter.aobserve(status=200, remaining=1, retry_after=None)
    assert on_fallback(limiter)
    assert len(warnings_of(caplog)) == 1
    await limiter.aclose()


def test_raise_instead_of_falling_back() -> None:
    limiter = RedisRateLimiter([Rate(limit=4, period=1.0)], name="trunkery", key="k",
                               url=f"redis://:pw-secret@127.0.0.1:{closed_port()}/0", on_unavailable="raise")
    with pytest.raises(ConnectionFailed, match="rate limiter trunkery: Redis at .* is unreachable") as caught:
        limiter.acquire()
    assert "pw-secret" not in str(caught.value)


def test_redis_stopped_mid_run_and_back(own_redis: RedisServer, caplog: pytest.LogCaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit_redis, "REDIS_RETRY_INTERVAL", 0.3)
    limiter = RedisRateLimiter([Rate(limit=40, period=10.0)], name="licensespring", key="k", url=own_redis.url)
    for _ in range(5):
        limiter.acquire(timeout=1.0)
    assert not on_fallback(limiter)
    own_redis.stop()  # Redis goes away with connections open
    started = time.monotonic()
    for _ in range(5):  # 40 * 0.25 = 10 in-process: none of these waits
        limiter.acquire(timeout=1.0)
        limiter.observe(status=200, remaining=30, retry_after=None)
    assert time.monotonic() - started < 1.5  # never a hang: one short socket timeout at most
    assert on_fallback(limiter)
    assert len(warnings_of(caplog)) == 1
    own_redis.start()
    time.sleep(0.35)
    limiter.acquire(timeout=1.0)  # after the retry interval the limiter asks Redis again
    assert not on_fallback(limiter)
    assert len(warnings_of(caplog)) == 1  # one warning, however often Redis comes and goes
    limiter.close()


async def test_async_redis_stopped_mid_run(own_redis: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter([Rate(limit=40, period=10.0)], name="n", key="k", url=own_redis.url)
    await limiter.aacquire(timeout=1.0)
    own_redis.stop()
    started = time.monotonic()
    for _ in range(3):
        await limiter.aacquire(timeout=1.0)
    assert time.monotonic() - started < 1.5
    assert on_fallback(limiter)
    assert len(warnings_of(caplog)) == 1
    await limiter.aclose()
