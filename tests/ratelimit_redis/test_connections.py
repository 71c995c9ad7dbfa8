"""The limiter's Redis connections, counted on the server: one per client it opens (one per event
loop), closed when it is closed, a client it was given left open; no retries and no health checks
(a hanging Redis costs one socket timeout); a forked child opens its own."""

from __future__ import annotations

import asyncio
import multiprocessing
import time

import redis
import redis.asyncio

from orderpatch._ratelimit import Rate
from orderpatch._ratelimit_redis import RedisRateLimiter
from orderpatch.sandbox import RedisServer
from tests.ratelimit_redis.conftest import Blackhole
from tests.ratelimit_redis.test_answers import in_flight


def limiter(url: str, **options: object) -> RedisRateLimiter:
    return RedisRateLimiter([Rate(limit=20, period=30.0)], name="n", key="k", url=url,
                            **options)  # type: ignore[arg-type]


def clients(server: RedisServer, expected: int) -> int:
    """The connections the server has besides this one, once they settle at ``expected`` (2 s at most)."""
    store = redis.Redis.from_url(server.url)
    deadline = time.monotonic() + 2.0
    while True:
        count = len(store.client_list()) - 1
        if count == expected or time.monotonic() > deadline:
            store.close()
            return count
        time.sleep(0.02)


def test_an_owned_connection_is_closed_with_the_limiter_and_opened_again(own_redis: RedisServer) -> None:
    each = limiter(own_redis.url)
    each.acquire()
    assert clients(own_redis, 1) == 1
    each.close()
    assert clients(own_redis, 0) == 0
    each.acquire()  # a closed limiter opens a new connection when it is used again
    assert clients(own_redis, 1) == 1
    each.close()


def test_a_given_sync_client_keeps_its_connection(own_redis: RedisServer) -> None:
    given = redis.Redis.from_url(own_redis.url)
    before = given.client_id()
    each = RedisRateLimiter([Rate(limit=5, period=1.0)], name="n", key="k", client=given)
    each.acquire()
    each.close()
    assert given.client_id() == before  # the same connection: never closed and reopened
    given.close()


async def test_one_async_connection_per_loop_closed_with_the_limiter(own_redis: RedisServer) -> None:
    each = limiter(own_redis.url)
    for _ in range(3):
        await each.aacquire()
        await each.aobserve(status=200, remaining=None, retry_after=None)
    assert clients(own_redis, 1) == 1
    await each.aclose()
    assert clients(own_redis, 0) == 0
    await each.aclose()  # twice, or never used on this loop: nothing to close
    await limiter(own_redis.url).aclose()


async def test_a_given_async_client_keeps_its_connection(own_redis: RedisServer) -> None:
    given = redis.asyncio.Redis.from_url(own_redis.url)
    before = await given.client_id()
    each = RedisRateLimiter([Rate(limit=5, period=1.0)], name="n", key="k", async_client=given)
    await each.aacquire()
    await each.aclose()
    assert await given.client_id() == before
    await given.aclose()


def test_the_loop_shutdown_closes_the_connection_it_opened(own_redis: RedisServer) -> None:
    each = limiter(own_redis.url)

    async def use() -> int:
        await each.aacquire()
        return clients(own_redis, 1)

    assert asyncio.run(use()) == 1
    assert clients(own_redis, 0) == 0  # asyncio.run finalized the limiter's keeper
    each.close()


def test_no_health_check_pings(own_redis: RedisServer) -> None:
    each = limiter(own_redis.url)
    store = redis.Redis.from_url(own_redis.url)
    each.acquire()
    store.config_resetstat()
    time.sleep(1.1)  # idle longer than a health check interval of 1 s would allow
    each.acquire()
    assert "cmdstat_ping" not in store.info("commandstats")
    store.close()
    each.close()


def test_a_hanging_redis_costs_one_socket_timeout_and_no_retry(blackhole: Blackhole) -> None:
    each = limiter(blackhole.url, socket_timeout=0.3)
    started = time.monotonic()
    each.acquire()
    assert time.monotonic() - started < 1.0
    assert each.using_fallback
    assert blackhole.accepted == 1
    each.close()


async def test_a_hanging_redis_costs_async_callers_one_socket_timeout(blackhole: Blackhole) -> None:
    each = limiter(blackhole.url, socket_timeout=0.3)
    started = time.monotonic()
    await each.aacquire()
    assert time.monotonic() - started < 1.0
    assert each.using_fallback
    await each.aclose()


def _child(each: RedisRateLimiter) -> None:
    each.acquire()
    each.observe(status=200, remaining=None, retry_after=None)  # answers the child's own slot
    asyncio.run(each.aacquire())  # and async callers work in the child too


def test_a_forked_child_counts_and_answers_on_its_own_connections(redis_url: str) -> None:
    each = limiter(redis_url)
    each.acquire()
    asyncio.run(each.aacquire())  # the parent's connections (sync and one loop's) exist before the fork
    child = multiprocessing.get_context("fork").Process(target=_child, args=(each,))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    store = redis.Redis.from_url(redis_url)
    assert store.zcard(each.keys[0]) == 4
    store.close()
    assert in_flight(redis_url, each) == 3  # the parent's two and the child's async one; its answer came
    each.close()
