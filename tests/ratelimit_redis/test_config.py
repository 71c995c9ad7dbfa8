"""``Config.rate_limit_url`` / ``ORDERPATCH_RATE_LIMIT_URL``, ``rate_limiter=``, and the facade's shared budget."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

import orderpatch
from orderpatch._config import Config
from orderpatch._facade._budget import rate_limiter_for
from orderpatch._ratelimit import InMemoryRateLimiter, Rate
from orderpatch._ratelimit_redis import RedisRateLimiter
from orderpatch._types import Secret
from orderpatch.errors import ConfigurationError
from orderpatch.licensespring import OrderUpdate
from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox

KEY = "ls-api-key-never-in-redis-0123456789"
URL = "redis://:pass-word@127.0.0.1:6399/0"


def test_from_env_mapping_and_file_alike(tmp_path: Path) -> None:
    env = {"ORDERPATCH_VENDOR": "licensespring", "ORDERPATCH_LICENSESPRING_API_KEY": KEY,
           "ORDERPATCH_RATE_LIMIT_URL": URL, "ORDERPATCH_RATE_LIMIT_ACCOUNT": "acme"}
    from_env = Config.from_env(env)
    assert from_env.rate_limit_url == Secret(URL)
    assert from_env.rate_limit_account == "acme"
    assert dict(from_env.settings) == {"api_key": Secret(KEY)}  # the client's settings stay its parameters
    from_mapping = Config.from_mapping({"vendor": "licensespring", "api_key": KEY, "rate_limit_url": URL,
                                        "rate_limit_account": "acme"})
    path = tmp_path / "orderpatch.toml"
    path.write_text(f'[orderpatch]\nvendor = "licensespring"\nrate_limit_url = "{URL}"\nrate_limit_account = "acme"\n'
                    f'[orderpatch.licensespring]\napi_key = "{KEY}"\n', encoding="utf-8")
    from_file = Config.from_file(path, env={})
    keywords = Config("licensespring", api_key=KEY, rate_limit_url=URL, rate_limit_account="acme")
    assert from_env == from_mapping == from_file == keywords
    assert len({hash(c) for c in (from_env, from_mapping, from_file, keywords)}) == 1
    assert Config("licensespring", api_key=KEY) != keywords
    assert "pass-word" not in repr(keywords)
    assert "rate_limit_url='redis://:***@127.0.0.1:6399/0'" in repr(keywords)
    assert "rate_limit_account='acme'" in repr(keywords)
    assert Config("licensespring", api_key=KEY).rate_limit_url is None


def test_the_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "orderpatch.toml"
    path.write_text(f'[orderpatch]\nvendor = "licensespring"\nrate_limit_url = "redis://file:1/0"\n'
                    f'[orderpatch.licensespring]\napi_key = "{KEY}"\n', encoding="utf-8")
    config = Config.from_file(path, env={"ORDERPATCH_RATE_LIMIT_URL": "redis://env:2/0"})
    assert config.rate_limit_url == Secret("redis://env:2/0")


@pytest.mark.parametrize(
    ("env", "key", "message"),
    [
        ({"ORDERPATCH_RATE_LIMIT_URL": "http://:pw-123456@h:1"}, "ORDERPATCH_RATE_LIMIT_URL", "redis://"),
        ({"ORDERPATCH_RATE_LIMIT_URL": " "}, None, ""),  # empty: unset
        ({"ORDERPATCH_RATE_LIMIT_URLS": "redis://h:1"}, "ORDERPATCH_RATE_LIMIT_URLS", "did you mean"),
        ({"ORDERPATCH_RATE_LIMIT_ACCOUNT": "a\x01b"}, "ORDERPATCH_RATE_LIMIT_ACCOUNT", "control characters"),
    ],
)
def test_bad_values_name_their_variable(env: dict[str, str], key: str | None, message: str) -> None:
    env = {"ORDERPATCH_VENDOR": "licensespring", "ORDERPATCH_LICENSESPRING_API_KEY": KEY, **env}
    if key is None:
        with pytest.raises(ConfigurationError) as caught:
            Config.from_env(env)
        assert caught.value.key == "ORDERPATCH_RATE_LIMIT_URL"
        return
    with pytest.raises(ConfigurationError, match=message) as caught:
        Config.from_env(env)
    assert caught.value.key == key
    assert "pw-123456" not in str(caught.value)


def test_a_rate_limiter_object_rides_along() -> None:
    limiter = InMemoryRateLimiter([Rate(limit=5, period=1.0)], name="mine")
    config = Config("licensespring", api_key=KEY).with_rate_limiter(limiter)
    assert config.rate_limiter is limiter
    assert rate_limiter_for(config) is limiter
    plain = Config("licensespring", api_key=KEY)
    with_one = plain.with_rate_limiter(limiter)
    assert with_one == config
    assert with_one.with_rate_limiter(None) == plain
    assert hash(with_one) == hash(config)
    assert plain.rate_limiter is None  # unchanged
    assert with_one != plain
    assert "rate_limiter=InMemoryRateLimiter" in repr(with_one)
    assert rate_limiter_for(plain) is None
    with pytest.raises(ConfigurationError, match="rate_limiter: expected an orderpatch.RateLimiter") as caught:
        plain.with_rate_limiter("redis://h:1")  # type: ignore[arg-type]
    assert caught.value.key == "rate_limiter"


def test_a_rate_limiter_object_as_a_keyword_of_config() -> None:
    limiter = InMemoryRateLimiter([Rate(limit=5, period=1.0)], name="mine")
    config = Config("licensespring", api_key=KEY, rate_limiter=limiter)
    assert config.rate_limiter is limiter
    assert config == Config("licensespring", api_key=KEY).with_rate_limiter(limiter)
    assert Config("licensespring", api_key=KEY, rate_limiter=None).rate_limiter is None
    settings: dict[str, str] = {"api_key": KEY, "timeout": "5"}
    assert Config("licensespring", **settings).rate_limiter is None  # **dict[str, str] still type-checks
    assert Config("licensespring", **settings, rate_limiter=limiter).rate_limiter is limiter
    for wrong in ("redis://h:1", 3):
        with pytest.raises(ConfigurationError, match="rate_limiter: expected an orderpatch.RateLimiter") as caught:
            Config("licensespring", api_key=KEY, rate_limiter=wrong)
        assert caught.value.key == "rate_limiter"


def test_the_facade_limiter_keys_name_the_account_never_the_credential() -> None:
    """LicenseSpring: 50/s per key; 200/10 s per IP and the company's per-minute limit per account."""
    first = rate_limiter_for(Config("licensespring", api_key=KEY, rate_limit_url=URL, rate_limit_account="acme"))
    second = rate_limiter_for(Config("licensespring", api_key=KEY + "-2", rate_limit_url=URL,
                                     rate_limit_account="acme", timeout=3))
    assert isinstance(first, RedisRateLimiter)
    assert isinstance(second, RedisRateLimiter)
    assert [k.rsplit(":", 1)[1] for k in first.keys] == ["50/1", "200/10", "600/60"]
    assert first.keys[0] != second.keys[0]  # per key
    assert first.keys[1:] == second.keys[1:] == ("orderpatch:ratelimit:licensespring:account:acme:200/10",
                                                 "orderpatch:ratelimit:licensespring:account:acme:600/60")
    assert not any(KEY in key for key in first.keys)
    alone = rate_limiter_for(Config("licensespring", api_key=KEY, rate_limit_url=URL))
    assert isinstance(alone, RedisRateLimiter)
    assert len({key.rsplit(":", 1)[0] for key in alone.keys}) == 1  # no account named: the key is the account
    assert alone.keys[0] == first.keys[0]
    same = rate_limiter_for(Config("licensespring", api_key=KEY, rate_limit_url=URL, timeout=9))
    assert isinstance(same, RedisRateLimiter)
    assert same.keys == alone.keys  # timeouts do not change the account


@pytest.mark.loopback
def test_update_order_draws_from_the_shared_budget(redis_url: str) -> None:
    with Sandbox() as sandbox:
        settings = sandbox.settings("licensespring")
        config = Config("licensespring", api_key=settings["api_key"], base_url=settings["base_url"],
                        rate_limit_url=redis_url)
        order = orderpatch.update_order(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True),
                                        config=config)
        assert order.vendor == "licensespring"
        with orderpatch.OrderPatch(config) as patch:
            patch.update_order(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=False))
            limiter = patch.client.rate_limiter
            assert isinstance(limiter, RedisRateLimiter)
            store = redis.Redis.from_url(redis_url)
            assert [store.zcard(key) for key in limiter.keys] == [2, 2, 2]
            store.close()
            limiter.close()


@pytest.mark.loopback
async def test_aupdate_order_draws_from_the_shared_budget(redis_url: str) -> None:
    with Sandbox() as sandbox:
        settings = sandbox.settings("licensespring")
        config = Config("licensespring", api_key=settings["api_key"], base_url=settings["base_url"],
                        rate_limit_url=redis_url)
        async with orderpatch.AsyncOrderPatch(config) as patch:
            await patch.update_order(DEMO_ORDER_IDS["licensespring"], OrderUpdate(is_test=True))
            limiter = patch.client.rate_limiter
            assert isinstance(limiter, RedisRateLimiter)
            store = redis.Redis.from_url(redis_url)
            assert store.zcard(limiter.keys[0]) == 1
            store.close()
            await limiter.aclose()
