"""A slot comes back one period after its *answer*: requests that queue on the way (a loaded
machine, a single-threaded server) can never bunch up in one of the vendor's windows. And the
async feedback never blocks the event loop while Redis is slow."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from typing import cast

import pytest
import redis

from orderpatch._ratelimit import Rate
from orderpatch._ratelimit_redis import RedisRateLimiter
from orderpatch.errors import Timeout
from orderpatch.sandbox import RedisServer


def limiter(url: str, limit: int, period: float, **options: float) -> RedisRateLimiter:
    return RedisRateLimiter([Rate(limit=limit, period=period)], name="test", key="acct", url=url, margin=0.0,
                            **options)  # type: ignore[arg-type]


def answered(each: RedisRateLimiter) -> None:
    each.observe(status=200, remaining=None, retry_after=None)


def in_flight(url: str, each: RedisRateLimiter) -> int:
    """How many of the limiter's slots are scored in the future (granted, not answered)."""
    store = redis.Redis.from_url(url)
    seconds, micros = (int(part) for part in store.time())
    count = len(store.zrangebyscore(each.keys[0], seconds * 1_000_000 + micros, "+inf"))  # scores are in µs
    store.close()
    return count


def timed(action: object) -> float:
    assert callable(action)
    started = time.monotonic()
    action()
    return time.monotonic() - started


def test_a_slow_request_keeps_its_slot_until_one_period_after_its_answer(redis_url: str) -> None:
    each = limiter(redis_url, 1, 0.3)
    each.acquire()
    time.sleep(0.4)  # the request is still on its way after a whole period: the vendor may count it any moment
    with pytest.raises(Timeout):
        each.acquire(timeout=0.05)
    assert in_flight(redis_url, each) == 1
    answered(each)
    assert in_flight(redis_url, each) == 0
    assert 0.2 < timed(each.acquire) < 0.6  # one period after the answer, not after the grant
    each.close()


def test_a_wait_on_a_slot_in_flight_ends_soon_after_its_answer(redis_url: str) -> None:
    """The script caps such a wait at one window: an unanswered slot is held 30 s, the waiter is not."""
    each = limiter(redis_url, 1, 0.2)
    each.acquire()
    answer = threading.Timer(0.3, answered, args=(each,))
    answer.start()
    took = timed(each.acquire)  # waits for the answer (0.3 s), then one period (0.2 s)
    answer.join()
    assert 0.45 < took < 1.5
    each.close()


def test_an_answer_brings_back_only_a_slot_of_its_own_limiter(redis_url: str) -> None:
    first, second = limiter(redis_url, 2, 0.3), limiter(redis_url, 2, 0.3)
    first.acquire()
    second.acquire()
    answered(first)
    answered(first)  # nothing more of its own in flight: the other process' slot stays held
    assert in_flight(redis_url, second) == 1
    time.sleep(0.35)
    first.acquire(timeout=0.05)  # the answered slot came back
    with pytest.raises(Timeout):
        first.acquire(timeout=0.05)  # the other one is still in flight
    first.close()
    second.close()


def test_an_answer_re_scores_the_slot_in_every_rate(redis_url: str) -> None:
    each = RedisRateLimiter([Rate(limit=5, period=0.2), Rate(limit=9, period=30.0)], name="t", key="acct",
                            url=redis_url, margin=0.0)
    each.acquire(2)
    answered(each)
    store = redis.Redis.from_url(redis_url)
    seconds, micros = (int(part) for part in store.time())
    now = seconds + micros / 1e6
    pairs = [cast("list[tuple[bytes, float]]", store.zrange(key, 0, -1, withscores=True)) for key in each.keys]
    scores = [sorted(score / 1e6 for _, score in slots) for slots in pairs]
    store.close()
    for low, high in scores:  # cost 2: one slot answered (now), one still in flight (30 s ahead)
        assert now - 1 < low <= now
        assert high > now + 20
    each.close()


def test_slots_never_answered_are_forgotten_after_their_redis_lifetime(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orderpatch._ratelimit_redis as module

    each = limiter(redis_url, 3, 0.2)
    each.acquire()
    later = time.monotonic() + 1000.0
    monkeypatch.setattr(module, "_clock", lambda: later)
    answered(each)  # too old to be the one answered: gone from Redis by now, and from the list
    assert not each._in_flight
    assert in_flight(redis_url, each) == 1  # (Redis' own expiry takes it; this test does not wait 30 s)
    each.close()


def _answer_in_child(each: RedisRateLimiter) -> None:
    answered(each)


def test_a_forked_child_never_answers_the_parents_slots(redis_url: str) -> None:
    each = limiter(redis_url, 5, 30.0)
    each.acquire()
    child = multiprocessing.get_context("fork").Process(target=_answer_in_child, args=(each,))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert in_flight(redis_url, each) == 1
    answered(each)
    assert in_flight(redis_url, each) == 0
    each.close()


def pause_redis(url: str, seconds: float) -> None:
    """Make every other client of the server wait ``seconds`` (``CLIENT PAUSE``): a slow Redis."""
    store = redis.Redis.from_url(url)
    store.client_pause(int(seconds * 1000), all=True)
    store.close()


async def longest_stall(action: asyncio.Future[object]) -> float:
    """The longest the loop left a 10 ms ticker waiting until ``action`` finished (a blocked loop: the whole call)."""
    longest, last = 0.0, time.monotonic()
    while not action.done():
        await asyncio.sleep(0.01)
        now = time.monotonic()
        longest, last = max(longest, now - last), now
    await action
    return longest


async def test_async_feedback_keeps_the_event_loop_running_while_redis_is_slow(own_redis: RedisServer) -> None:
    each = limiter(own_redis.url, 5, 10.0, socket_timeout=3.0)
    try:
        await each.aacquire()  # connected, one slot in flight
        pause_redis(own_redis.url, 0.5)
        started = time.monotonic()
        feedback: asyncio.Future[object] = asyncio.ensure_future(each.aobserve(status=200, remaining=None,
                                                                               retry_after=None))
        stall = await longest_stall(feedback)
        took = time.monotonic() - started
        assert took > 0.35  # the answer did wait for Redis...
        assert stall < 0.2  # ...and the loop went on meanwhile (blocked, it would stall the whole 0.5 s)
        assert not each.using_fallback
        assert in_flight(own_redis.url, each) == 0
    finally:
        await each.aclose()
        each.close()


async def test_an_async_client_on_a_slow_redis_leaves_the_loop_free(own_redis: RedisServer) -> None:
    """End to end: an async vendor client whose limiter is the Redis one, Redis paused mid-request."""
    from orderpatch.licensespring import AsyncLicenseSpringClient, OrderUpdate
    from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox

    each = limiter(own_redis.url, 50, 1.0, socket_timeout=3.0)
    with Sandbox(latency=0.05) as sandbox:
        settings = sandbox.settings("licensespring")
        order_id = DEMO_ORDER_IDS["licensespring"]
        async with AsyncLicenseSpringClient(api_key=settings["api_key"], base_url=settings["base_url"],
                                            rate_limiter=each) as client:
            await client.orders.update(order_id, OrderUpdate(is_test=True))  # connections warm
            update: asyncio.Future[object] = asyncio.ensure_future(client.orders.update(order_id,
                                                                                        OrderUpdate(is_test=True)))
            await asyncio.sleep(0.02)  # granted and sent: the sandbox holds it 50 ms
            pause_redis(own_redis.url, 0.5)  # the answer's feedback meets a paused Redis
            started = time.monotonic()
            stall = await longest_stall(update)
            took = time.monotonic() - started
    await each.aclose()
    each.close()
    assert took > 0.3
    assert stall < 0.2
    assert in_flight(own_redis.url, each) == 0  # both answers re-scored their slots
