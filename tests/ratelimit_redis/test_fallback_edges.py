"""The in-process fallback in detail: what its one warning says, the share it counts at (sync and
async, any cost, within the caller's timeout), the feedback it hears, and when Redis is asked again."""

from __future__ import annotations

import time

import pytest
import redis

import orderpatch._ratelimit_redis as ratelimit_redis
from orderpatch._ratelimit import Rate
from orderpatch._ratelimit_redis import RedisRateLimiter
from orderpatch.errors import ConnectionFailed, Timeout
from orderpatch.sandbox import RedisServer
from tests.ratelimit_redis.conftest import Blackhole
from tests.ratelimit_redis.test_fallback import closed_port, warnings_of


def away(*rates: Rate, share: float = 0.25, **options: object) -> tuple[RedisRateLimiter, int]:
    port = closed_port()
    limiter = RedisRateLimiter(list(rates), name="spree_admin", key="k", url=f"redis://:pw@127.0.0.1:{port}/0",
                               fallback_share=share, **options)  # type: ignore[arg-type]
    return limiter, port


def test_the_warning_says_where_why_and_at_what_share(caplog: pytest.LogCaptureFixture) -> None:
    limiter, port = away(Rate(limit=8, period=30.0), Rate(limit=4, period=1.0))
    limiter.acquire()
    [warning] = warnings_of(caplog)
    assert warning == (
        f"rate limiter spree_admin: Redis at redis://:***@127.0.0.1:{port}/0 is unreachable (ConnectionError); "
        "counting in this process at 2/30s, 1/1s until it is back (tried again every 15 s)"
    )


async def test_async_callers_are_warned_alike(caplog: pytest.LogCaptureFixture) -> None:
    limiter, _ = away(Rate(limit=8, period=30.0))
    await limiter.aacquire()
    [warning] = warnings_of(caplog)
    assert "is unreachable (ConnectionError); counting in this process at 2/30s" in warning


def test_a_given_client_is_named_as_such(caplog: pytest.LogCaptureFixture) -> None:
    client = redis.Redis(host="127.0.0.1", port=closed_port(), socket_connect_timeout=0.25)
    limiter = RedisRateLimiter([Rate(limit=8, period=30.0)], name="n", key="k", client=client)
    limiter.acquire()
    [warning] = warnings_of(caplog)
    assert warning.startswith("rate limiter n: Redis at the given client is unreachable (")
    client.close()


def test_raised_instead_the_error_names_the_limiter_and_where() -> None:
    limiter, port = away(Rate(limit=4, period=1.0), on_unavailable="raise")
    with pytest.raises(ConnectionFailed) as caught:
        limiter.acquire()
    where = f"redis://:***@127.0.0.1:{port}/0"
    assert str(caught.value) == f"rate limiter spree_admin: Redis at {where} is unreachable (ConnectionError)"
    assert (caught.value.vendor, caught.value.method, caught.value.url) == ("spree_admin", "RATE-LIMIT", where)


def test_one_warning_however_often_redis_is_found_away(caplog: pytest.LogCaptureFixture,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit_redis, "REDIS_RETRY_INTERVAL", 0.05)
    limiter, _ = away(Rate(limit=40, period=30.0))
    limiter.acquire()
    time.sleep(0.1)
    limiter.acquire()  # Redis asked again, still away
    assert limiter.using_fallback
    assert len(warnings_of(caplog)) == 1


def test_a_share_that_rounds_to_nothing_still_leaves_one_request() -> None:
    limiter, _ = away(Rate(limit=2, period=30.0))  # 2 * 0.25 rounds down to 0
    limiter.acquire()
    with pytest.raises(Timeout):
        limiter.acquire(timeout=0.05)


def test_the_fallback_takes_the_whole_cost() -> None:
    limiter, _ = away(Rate(limit=8, period=30.0), share=0.5)
    limiter.acquire(3, timeout=1.0)
    with pytest.raises(Timeout):
        limiter.acquire(2, timeout=0.05)


async def test_the_async_fallback_takes_the_whole_cost_within_the_timeout() -> None:
    limiter, _ = away(Rate(limit=8, period=30.0), share=0.5)
    await limiter.aacquire(3, timeout=1.0)  # the call that finds Redis away is counted too
    with pytest.raises(Timeout):
        await limiter.aacquire(2, timeout=0.05)


def test_the_fallback_waits_within_the_timeout_left() -> None:
    limiter, _ = away(Rate(limit=4, period=0.4))  # 1 per 0.4 s in this process
    limiter.acquire()
    limiter.observe(status=200, remaining=None, retry_after=None)  # back 0.4 s after this answer
    with pytest.raises(Timeout):
        limiter.acquire(timeout=0.1)
    started = time.monotonic()
    limiter.acquire(timeout=1.0)
    assert 0.2 < time.monotonic() - started < 0.9


def test_a_hanging_redis_uses_up_part_of_the_timeout(blackhole: Blackhole, monkeypatch: pytest.MonkeyPatch) -> None:
    """A socket timeout spent on Redis is not given to the fallback again: the call still ends in time."""
    monkeypatch.setattr(ratelimit_redis, "REDIS_RETRY_INTERVAL", 0.2)
    limiter = RedisRateLimiter([Rate(limit=4, period=1.0)], name="n", key="k", url=blackhole.url,
                               socket_timeout=0.3)  # 1 per second in this process
    limiter.acquire()  # 0.3 s on Redis, then the fallback
    limiter.observe(status=200, remaining=None, retry_after=None)  # its slot is back in 1 s
    time.sleep(0.25)
    with pytest.raises(Timeout):
        limiter.acquire(timeout=0.5)  # 0.3 s on Redis again: 0.2 s left, the slot is 0.45 s away
    limiter.close()


@pytest.mark.parametrize(
    ("status", "remaining", "retry_after"),
    [(429, 5, None), (200, 0, None), (429, None, 5.0)],
)
def test_the_fallback_hears_the_vendor(status: int, remaining: int | None, retry_after: float | None) -> None:
    limiter, _ = away(Rate(limit=40, period=30.0))  # 10 in this process
    limiter.acquire()
    limiter.observe(status=status, remaining=remaining, retry_after=retry_after)
    with pytest.raises(Timeout):
        limiter.acquire(timeout=0.3 if retry_after is None else 2.0)


def test_only_429s_are_counted() -> None:
    limiter, _ = away(Rate(limit=40, period=30.0))
    for status in (200, 422, 429, 200):
        limiter.acquire()
        limiter.observe(status=status, remaining=None, retry_after=0.01)
    assert limiter.rate_limited == 1


def test_feedback_that_finds_redis_gone_falls_back_quietly(own_redis: RedisServer,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter([Rate(limit=40, period=10.0)], name="n", key="k", url=own_redis.url)
    limiter.acquire()
    own_redis.stop()
    limiter.observe(status=200, remaining=None, retry_after=None)  # the answer's feedback meets no Redis
    assert limiter.using_fallback
    assert len(warnings_of(caplog)) == 1
    limiter.close()


async def test_async_feedback_that_finds_redis_gone_falls_back_quietly(own_redis: RedisServer) -> None:
    limiter = RedisRateLimiter([Rate(limit=40, period=10.0)], name="n", key="k", url=own_redis.url)
    await limiter.aacquire()
    own_redis.stop()
    await limiter.aobserve(status=200, remaining=None, retry_after=None)
    assert limiter.using_fallback
    await limiter.aclose()


def test_redis_is_asked_again_once_the_interval_is_over(own_redis: RedisServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(ratelimit_redis, "_clock", lambda: now[0])
    limiter = RedisRateLimiter([Rate(limit=40, period=10.0)], name="n", key="k", url=own_redis.url)
    own_redis.stop()
    limiter.acquire()  # Redis away at 100.0: asked again at 115.0
    own_redis.start()
    store = redis.Redis.from_url(own_redis.url)
    now[0] = 114.999
    limiter.acquire()
    assert store.zcard(limiter.keys[0]) == 0  # still in-process
    now[0] = 115.0
    limiter.acquire()
    assert store.zcard(limiter.keys[0]) == 1  # back on Redis
    assert not limiter.using_fallback
    store.close()
    limiter.close()
