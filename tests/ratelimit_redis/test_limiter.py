"""``RedisRateLimiter`` against a real redis-server: shared budgets, several limits, feedback, async."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis

from orderpatch._ratelimit import Rate
from orderpatch._ratelimit_redis import KeyedRate, RedisRateLimiter, _Plan, account_key, redact_redis_url
from orderpatch.errors import ConfigurationError, Timeout, ValidationError


async def still_open(client: object) -> bool:
    """``await client.ping()``, typed the same whichever redis stubs the checker sees."""
    return bool(await getattr(client, "ping")())  # noqa: B009


def limiter(url: str, *rates: Rate | KeyedRate, key: str = "acct", margin: float = 0.0) -> RedisRateLimiter:
    return RedisRateLimiter(list(rates), name="test", key=key, url=url, margin=margin)


def timed(action: object) -> float:
    started = time.monotonic()
    assert callable(action)
    action()
    return time.monotonic() - started


def answered(each: RedisRateLimiter, status: int = 200) -> None:
    """The response to one granted request came (what the clients call after every response)."""
    each.observe(status=status, remaining=None, retry_after=None)


def test_a_budget_is_shared_by_every_limiter_with_the_same_key(redis_url: str) -> None:
    first, second = limiter(redis_url, Rate(limit=4, period=0.4)), limiter(redis_url, Rate(limit=4, period=0.4))
    try:
        started = time.monotonic()
        for _ in range(2):
            for each in (first, second):
                each.acquire()
                answered(each)
        assert time.monotonic() - started < 0.2  # four fit at once
        assert timed(first.acquire) > 0.25  # the fifth waits for the oldest to leave the window
    finally:
        first.close()
        second.close()


def test_other_accounts_count_apart(redis_url: str) -> None:
    first = limiter(redis_url, Rate(limit=2, period=5.0), key="one")
    second = limiter(redis_url, Rate(limit=2, period=5.0), key="two")
    for each in (first, second, first, second):
        each.acquire(timeout=0.1)
    with pytest.raises(Timeout, match="rate limiter test"):
        first.acquire(timeout=0.1)
    first.close()
    second.close()


def test_several_limits_at_once_and_a_refusal_consumes_nothing(redis_url: str) -> None:
    """LicenseSpring: each key has its own limit, and the company's limit is shared by all its keys."""
    company = KeyedRate(rate=Rate(limit=3, period=5.0), scope="licensespring:company:acme")
    key_a = limiter(redis_url, Rate(limit=2, period=5.0), company, key="licensespring:key-a")
    key_b = limiter(redis_url, Rate(limit=2, period=5.0), company, key="licensespring:key-b")
    key_a.acquire(timeout=0.1)
    key_a.acquire(timeout=0.1)
    with pytest.raises(Timeout):
        key_a.acquire(timeout=0.05)  # key a's own limit
    key_b.acquire(timeout=0.1)
    with pytest.raises(Timeout):
        key_b.acquire(timeout=0.05)  # key b has room of its own, but the company has none
    store = redis.Redis.from_url(redis_url)
    counts = {name: store.zcard(name) for name in (*key_a.keys, *key_b.keys)}
    store.close()
    assert counts == {
        "orderpatch:ratelimit:licensespring:key-a:2/5": 2,
        "orderpatch:ratelimit:licensespring:company:acme:3/5": 3,
        "orderpatch:ratelimit:licensespring:key-b:2/5": 1,  # the refused request left no trace
    }
    key_a.close()
    key_b.close()


def test_a_cost_above_one_takes_that_many_slots(redis_url: str) -> None:
    each = limiter(redis_url, Rate(limit=5, period=5.0))
    each.acquire(3, timeout=0.1)
    each.acquire(2, timeout=0.1)
    with pytest.raises(Timeout):
        each.acquire(1, timeout=0.05)
    each.close()


def test_a_429_pauses_every_process_for_its_retry_after(redis_url: str) -> None:
    first, second = limiter(redis_url, Rate(limit=100, period=1.0)), limiter(redis_url, Rate(limit=100, period=1.0))
    first.observe(status=429, remaining=0, retry_after=0.3)
    assert 0.2 < timed(second.acquire) < 0.6
    first.close()
    second.close()


def test_remaining_lower_than_the_log_tightens_the_shared_budget(redis_url: str) -> None:
    first, second = limiter(redis_url, Rate(limit=10, period=5.0)), limiter(redis_url, Rate(limit=10, period=5.0))
    first.acquire()
    first.observe(status=200, remaining=2, retry_after=None)  # the vendor counted other callers too
    second.acquire(timeout=0.05)
    second.acquire(timeout=0.05)
    with pytest.raises(Timeout):
        second.acquire(timeout=0.05)
    first.close()
    first.observe(status=200, remaining=None, retry_after=None)  # nothing in flight, nothing new: no Redis call
    assert first._sync is None  # the closed limiter did not reconnect
    second.close()


def test_a_429_without_retry_after_pauses_for_the_default(redis_url: str) -> None:
    first = limiter(redis_url, Rate(limit=100, period=1.0))
    first.observe(status=429, remaining=None, retry_after=None)
    with pytest.raises(Timeout, match="frees up in"):
        first.acquire(timeout=0.2)
    first.close()


async def test_async_acquire_shares_the_budget_with_sync_callers(redis_url: str) -> None:
    sync_side, async_side = limiter(redis_url, Rate(limit=3, period=0.5)), limiter(redis_url, Rate(limit=3, period=0.5))
    try:
        sync_side.acquire()
        await async_side.aacquire()
        await async_side.aacquire()
        started = time.monotonic()
        # Answered at once, the three slots come back one period after their answers: the two
        # async callers wait for them, not for the sync caller's budget to reset on its own.
        sync_side.observe(status=200, remaining=None, retry_after=None)
        await async_side.aobserve(status=200, remaining=None, retry_after=None)
        await async_side.aobserve(status=200, remaining=None, retry_after=None)
        await asyncio.gather(async_side.aacquire(), async_side.aacquire())
        assert 0.45 < time.monotonic() - started < 5.0  # one period, not the unanswered slots' late return
        with pytest.raises(Timeout):
            await async_side.aacquire(3, timeout=0.05)
        await async_side.aobserve(status=429, remaining=0, retry_after=0.2)
        with pytest.raises(Timeout):
            sync_side.acquire(timeout=0.1)
    finally:
        sync_side.close()
        await async_side.aclose()


async def test_given_clients_are_used_and_left_open(redis_url: str) -> None:
    import redis.asyncio

    sync_client, async_client = redis.Redis.from_url(redis_url), redis.asyncio.Redis.from_url(redis_url)
    each = RedisRateLimiter([Rate(limit=5, period=1.0)], name="given", key="k", client=sync_client,
                            async_client=async_client)
    each.acquire()
    await each.aacquire()
    each.close()
    await each.aclose()
    assert sync_client.zcard(each.keys[0]) == 2  # still open
    assert await still_open(async_client)
    sync_client.close()
    await async_client.aclose()
    assert "a given client" in repr(each)


def test_a_limiter_with_only_an_async_client_cannot_acquire_blocking() -> None:
    import redis.asyncio

    only_async = RedisRateLimiter([Rate(limit=5, period=1.0)], name="x", key="k",
                                  async_client=redis.asyncio.Redis())
    with pytest.raises(ConfigurationError, match="no sync Redis client"):
        only_async.acquire()


async def test_a_limiter_with_only_a_sync_client_cannot_acquire_async() -> None:
    only_sync = RedisRateLimiter([Rate(limit=5, period=1.0)], name="x", key="k", client=redis.Redis())
    with pytest.raises(ConfigurationError, match="no async Redis client"):
        await only_sync.aacquire()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rates": "10/s"}, "rates"),
        ({"rates": [10]}, "rates[0]"),
        ({"rates": [KeyedRate(rate=Rate(limit=1, period=1.0), scope=" ")]}, "rates[0].scope"),
        ({"name": ""}, "name"),
        ({"key": " "}, "key"),
        ({"key_prefix": 3}, "key_prefix"),
        ({"on_unavailable": "ignore"}, "on_unavailable"),
        ({"fallback_share": 0}, "fallback_share"),
        ({"fallback_share": 1.5}, "fallback_share"),
        ({"margin": -1}, "margin"),
        ({"socket_timeout": float("nan")}, "socket_timeout"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(kwargs: dict[str, object], field: str) -> None:
    settings: dict[str, object] = {"rates": [Rate(limit=1, period=1.0)], "name": "n", "key": "k",
                                   "url": "redis://127.0.0.1:1/0", **kwargs}
    with pytest.raises(ValidationError) as caught:
        RedisRateLimiter(**settings)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_url_is_needed_and_must_be_redis_with_its_password_never_shown() -> None:
    with pytest.raises(ConfigurationError, match="give a redis:// URL"):
        RedisRateLimiter([Rate(limit=1, period=1.0)], name="n", key="k")
    with pytest.raises(ConfigurationError) as caught:
        RedisRateLimiter([Rate(limit=1, period=1.0)], name="n", key="k", url="http://:hunter2@host:1")
    assert "hunter2" not in str(caught.value)
    assert caught.value.key == "rate_limit_url"
    each = RedisRateLimiter([Rate(limit=1, period=1.0)], name="n", key="k", url="redis://user:hunter2@host:1/0")
    assert "hunter2" not in repr(each)
    assert "redis://user:***@host:1/0" in repr(each)


@pytest.mark.parametrize("cost", [0, -1, 3, True, 1.0])
def test_a_cost_outside_the_smallest_limit_is_refused(cost: object) -> None:
    each = RedisRateLimiter([Rate(limit=2, period=1.0), Rate(limit=9, period=9.0)], name="n", key="k",
                            url="redis://127.0.0.1:1/0")
    with pytest.raises(ValidationError, match=r"int from 1 to 2") as caught:
        each.acquire(cost)  # type: ignore[arg-type]
    assert caught.value.field == "cost"


def test_redaction_and_account_keys() -> None:
    assert redact_redis_url("redis://:pw@h:1/0") == "redis://:***@h:1/0"
    assert redact_redis_url("rediss://token@h:1") == "rediss://***@h:1"
    assert redact_redis_url("redis://h:1/0") == "redis://h:1/0"
    assert redact_redis_url("unix:///tmp/redis.sock") == "unix:///tmp/redis.sock"
    key = account_key("licensespring", "https://saas.licensespring.com", "the-api-key")
    assert key.startswith("licensespring:")
    assert "the-api-key" not in key
    assert key == account_key("licensespring", "https://saas.licensespring.com", "the-api-key")
    assert key != account_key("licensespring", "https://saas.licensespring.com", "another-key")


def test_the_plan_reads_replies_and_feedback_without_io() -> None:
    plan = _Plan(("a", "b", "paused"), (Rate(limit=5, period=1.0), Rate(limit=50, period=60.0)), 0.05)
    assert plan.acquire_args(2, "m") == [2, "m", 30_000_000, 5, 1_050_000, 50, 63_000_000]  # margin: 5% of each
    assert plan.members("m", 2) == ("m:1", "m:2")
    assert plan.wait_of([0, 0]) == 0.0
    assert plan.wait_of([1, 250_000]) == 0.25
    with pytest.raises(TypeError):
        plan.wait_of(b"nope")
    assert plan.observed == 1  # X-RateLimit-Remaining describes the long (average) window
    long = [2, 50, 63_000_000, "m"]  # the observed rate (1-based), its limit and window, the member prefix
    assert plan.observe_args(status=200, remaining=None, retry_after=None, member="m") is None
    assert plan.observe_args(status=200, remaining=None, retry_after=None, member="m", answered=("x:1",)) == [
        0, -1, *long, "x:1"]  # an answer alone re-scores its slot
    assert plan.observe_args(status=200, remaining=7, retry_after=None, member="m") == [0, 7, *long]
    assert plan.observe_args(status=429, remaining=None, retry_after=2.5, member="m") == [2500, -1, *long]
    assert plan.observe_args(status=429, remaining=None, retry_after=None, member="m") == [1000, -1, *long]
    assert plan.observe_args(status=200, remaining=0, retry_after=60, member="m") == [60_000, -1, *long]
    assert plan.observe_args(status=200, remaining=-3, retry_after=None, member="m") == [0, 0, *long]
    bare = _Plan(("paused",), (), 0.0)
    assert bare.observe_args(status=200, remaining=3, retry_after=None, member="m") is None  # no rate to tighten
    assert bare.observe_args(status=429, remaining=None, retry_after=None, member="m") == [1000, -1, 0, 1, 1_000_000,
                                                                                           "m"]


def test_without_rates_the_limiter_only_shares_the_vendors_pauses(redis_url: str) -> None:
    """Spree v2 and Trunkery publish no limits: processes still pause together after a 429."""
    first, second = limiter(redis_url), limiter(redis_url)
    for _ in range(50):
        first.acquire(timeout=0.1)
    first.observe(status=200, remaining=3, retry_after=None)  # no rate to tighten
    first.observe(status=429, remaining=None, retry_after=0.2)
    assert timed(second.acquire) > 0.1
    first.close()
    second.close()


def test_an_owned_async_client_is_closed_by_the_loop_shutdown(redis_url: str) -> None:
    each = limiter(redis_url, Rate(limit=5, period=1.0))

    async def use() -> None:
        await each.aacquire()

    asyncio.run(use())
    asyncio.run(use())  # a second loop gets its own connection
    each.close()


def test_a_forked_child_opens_its_own_connection(redis_url: str) -> None:
    import multiprocessing

    each = limiter(redis_url, Rate(limit=5, period=30.0))
    each.acquire()  # the parent's connection exists before the fork
    child = multiprocessing.get_context("fork").Process(target=each.acquire)
    child.start()
    child.join(30)
    assert child.exitcode == 0
    each.acquire()
    store = redis.Redis.from_url(redis_url)
    assert store.zcard(each.keys[0]) == 3  # the child's grant went to the same budget
    store.close()
    each.close()
