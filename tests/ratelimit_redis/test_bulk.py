"""A bulk job whose configuration names a shared budget paces itself on Redis (and says its 429s)."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from orderpatch import Rate
from orderpatch._config import Config
from orderpatch._facade._budget import rate_limiter_for
from orderpatch._ratelimit_redis import RedisRateLimiter
from orderpatch.bulk import aupdate_orders, update_orders
from orderpatch.licensespring import OrderUpdate
from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox


def shared_config(sandbox: Sandbox, redis_url: str) -> Config:
    settings = sandbox.settings("licensespring")
    return Config("licensespring", api_key=settings["api_key"], base_url=settings["base_url"],
                  rate_limit_url=redis_url)


def counted(redis_url: str, config: Config) -> list[int]:
    limiter = rate_limiter_for(config)
    assert isinstance(limiter, RedisRateLimiter)
    store = redis.Redis.from_url(redis_url)
    counts = [int(getattr(store, "zcard")(key)) for key in limiter.keys]  # noqa: B009 (typed alike under every stub)
    store.close()
    return counts


@pytest.mark.loopback
def test_a_bulk_job_draws_from_the_configured_redis_budget(redis_url: str, tmp_path: Path) -> None:
    with Sandbox() as sandbox:
        config = shared_config(sandbox, redis_url)
        items = [(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True))]
        report = update_orders(items, config=config, journal=tmp_path / "job.sqlite")
        assert report.exit_code == 0
        assert counted(redis_url, config) == [1, 1, 1]  # per key, per IP and per company, in Redis


@pytest.mark.loopback
async def test_an_async_bulk_job_too_with_its_own_rates(redis_url: str, tmp_path: Path) -> None:
    with Sandbox() as sandbox:
        config = shared_config(sandbox, redis_url)
        items = [(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=False))]
        report = await aupdate_orders(items, config=config, journal=tmp_path / "job.sqlite",
                                      rates=[Rate(limit=5, period=1.0)])
        assert report.exit_code == 0
        limiter = rate_limiter_for(config, [Rate(limit=5, period=1.0)])
        assert isinstance(limiter, RedisRateLimiter)
        assert [k.rsplit(":", 1)[1] for k in limiter.keys] == ["5/1"]
        store = redis.Redis.from_url(redis_url)
        assert store.zcard(limiter.keys[0]) == 1
        store.close()


def test_a_429_is_counted_for_the_report(redis_url: str) -> None:
    limiter = RedisRateLimiter([Rate(limit=5, period=1.0)], name="n", key="k", url=redis_url)
    limiter.observe(status=429, remaining=None, retry_after=0.01)
    limiter.observe(status=200, remaining=None, retry_after=None)
    assert limiter.rate_limited == 1
    limiter.close()


@pytest.mark.loopback
def test_bulk_tasks_draw_from_the_configured_redis_budget(redis_url: str, tmp_path: Path) -> None:
    """Every worker process of a job run as tasks paces itself on the one Redis budget."""
    from orderpatch.bulk import BulkTasks

    with Sandbox() as sandbox:
        config = shared_config(sandbox, redis_url)
        source = tmp_path / "job.jsonl"
        source.write_text(f'{{"id": {DEMO_ORDER_IDS["licensespring"]}, "reference": "T-1"}}\n', encoding="utf-8")
        with BulkTasks.open(source, tmp_path / "job.sqlite3", config=config, rates=[Rate(limit=5, period=30.0)]) \
                as tasks:
            assert isinstance(tasks.rate_limiter, RedisRateLimiter)
            assert tasks.run(1).state == "done"
            assert counted(redis_url, config.with_rate_limiter(tasks.rate_limiter)) == [1]  # the slot, answered
