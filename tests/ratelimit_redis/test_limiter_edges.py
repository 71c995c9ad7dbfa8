"""``RedisRateLimiter`` against a real redis-server, the edges: async callers that must wait, async
feedback, the error a full budget gives, whose pause a 429 is, and when an unanswered slot is forgotten."""

from __future__ import annotations

import asyncio
import random
import re
import time
from typing import cast

import pytest
import redis

import orderpatch._ratelimit_redis as ratelimit_redis
from orderpatch._ratelimit import Rate
from orderpatch._ratelimit_redis import RedisRateLimiter
from orderpatch.errors import Timeout
from tests.ratelimit_redis.test_answers import in_flight


def limiter(url: str, *rates: Rate, key: str = "acct") -> RedisRateLimiter:
    return RedisRateLimiter(list(rates), name="test", key=key, url=url, margin=0.0)


async def test_an_async_caller_waits_for_a_slot_and_times_out_without_one(redis_url: str) -> None:
    each = limiter(redis_url, Rate(limit=1, period=0.3))
    try:
        await each.aacquire()
        await each.aobserve(status=200, remaining=None, retry_after=None)  # back 0.3 s after this answer
        started = time.monotonic()
        await each.aacquire(timeout=2.0)
        assert 0.2 < time.monotonic() - started < 1.0
        with pytest.raises(Timeout) as caught:
            await each.aacquire(timeout=0.05)  # the last slot is in flight
        assert (caught.value.vendor, caught.value.method, caught.value.url) == ("test", "RATE-LIMIT", "ratelimit:test")
    finally:
        await each.aclose()


def test_a_full_budget_times_out_naming_the_limiter(redis_url: str) -> None:
    each = limiter(redis_url, Rate(limit=1, period=5.0))
    each.acquire()
    with pytest.raises(Timeout) as caught:
        each.acquire(timeout=0.05)
    assert str(caught.value).startswith("rate limiter test: no room for the request within 0.05 s")
    assert (caught.value.vendor, caught.value.method, caught.value.url) == ("test", "RATE-LIMIT", "ratelimit:test")
    each.close()


async def test_async_feedback_pauses_and_tightens_every_process(redis_url: str) -> None:
    first, second = limiter(redis_url, Rate(limit=10, period=5.0)), limiter(redis_url, Rate(limit=10, period=5.0))
    try:
        await first.aobserve(status=429, remaining=None, retry_after=None)  # the default pause, 1 s
        assert first.rate_limited == 1
        with pytest.raises(Timeout):
            second.acquire(timeout=0.2)
        await asyncio.sleep(1.0)
        await first.aobserve(status=429, remaining=0, retry_after=0.3)  # the vendor said 0.3 s
        started = time.monotonic()
        second.acquire(timeout=2.0)
        assert 0.15 < time.monotonic() - started < 0.7
        await first.aobserve(status=200, remaining=0, retry_after=None)  # the vendor counts all 10
        with pytest.raises(Timeout):
            second.acquire(timeout=0.05)
    finally:
        await first.aclose()
        second.close()


def test_a_429_pauses_its_own_account_only(redis_url: str) -> None:
    first = limiter(redis_url, Rate(limit=10, period=5.0), key="one")
    other = limiter(redis_url, Rate(limit=10, period=5.0), key="two")
    first.observe(status=429, remaining=None, retry_after=5.0)
    other.acquire(timeout=0.1)
    with pytest.raises(Timeout):
        first.acquire(timeout=0.1)
    first.close()
    other.close()


def test_each_slot_names_the_process_that_took_it(redis_url: str) -> None:
    each = limiter(redis_url, Rate(limit=5, period=5.0))
    each.acquire(2)
    store = redis.Redis.from_url(redis_url)
    members = sorted(bytes(member).decode() for member in cast("list[bytes]", store.zrange(each.keys[0], 0, -1)))
    store.close()
    assert len(members) == 2
    for member in members:  # <12 hex digits of this limiter>:<pid>:<grant>:<slot>
        assert re.fullmatch(r"[0-9a-f]{12}:\d+:0:[12]", member), member
    each.close()


def test_an_unanswered_slot_is_answered_until_its_redis_lifetime_is_over(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slot is forgotten 30 s (unanswered) plus twice the longest period after its grant, not before."""
    now = [100.0]
    monkeypatch.setattr(ratelimit_redis, "_clock", lambda: now[0])
    each = limiter(redis_url, Rate(limit=5, period=0.25))  # forgotten after 30.5 s
    for late, answered in ((30.3, True), (30.5, True), (30.6, False)):
        now[0] = 100.0
        each.acquire()
        now[0] = 100.0 + late
        each.observe(status=200, remaining=None, retry_after=None)
        assert (in_flight(redis_url, each) == 0) is answered, late
        if not answered:
            assert not each._in_flight
    each.close()


def test_a_limiter_without_rates_sends_no_feedback_for_a_forgotten_slot(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without rates a slot is forgotten after the 30 s alone: an answer later than that costs no Redis call."""
    now = [100.0]
    monkeypatch.setattr(ratelimit_redis, "_clock", lambda: now[0])
    each = limiter(redis_url)
    store = redis.Redis.from_url(redis_url)
    each.acquire()
    store.config_resetstat()
    now[0] = 131.0
    each.observe(status=200, remaining=None, retry_after=None)
    assert "cmdstat_evalsha" not in store.info("commandstats")
    now[0] = 100.0
    each.acquire()
    now[0] = 129.0
    each.observe(status=200, remaining=None, retry_after=None)  # within the 30 s: its slot is answered
    assert "cmdstat_evalsha" in store.info("commandstats")
    store.close()
    each.close()


class Replies:
    """A stand-in Redis client whose acquire script answers what the test says, in turn."""

    def __init__(self, *replies: list[int]) -> None:
        self.replies = list(replies)

    def register_script(self, script: str) -> object:
        return lambda keys, args: self.replies.pop(0)


def test_a_wait_of_exactly_the_time_left_is_waited_and_a_longer_one_refused_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(ratelimit_redis, "_clock", lambda: 0.0)
    monkeypatch.setattr(ratelimit_redis, "_sleep", slept.append)
    monkeypatch.setattr(random, "uniform", lambda low, high: 0.0)  # no jitter
    replies = Replies([1, 250_000], [0, 0], [1, 250_001])
    each = RedisRateLimiter([Rate(limit=5, period=1.0)], name="test", key="k",
                            client=replies)  # type: ignore[arg-type]
    each.acquire(timeout=0.25)  # the budget frees up in exactly the 0.25 s left
    assert slept == [0.25]
    with pytest.raises(Timeout):
        each.acquire(timeout=0.25)  # 1 µs more: refused before any sleep
    assert slept == [0.25]
    assert replies.replies == []
