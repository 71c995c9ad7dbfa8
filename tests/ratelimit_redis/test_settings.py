"""``RedisRateLimiter`` settings and what it shows: the errors a bad setting gets, the keys it
writes, its repr, and URLs redacted whatever their password holds. No Redis needed."""

from __future__ import annotations

import hashlib
import sys

import pytest

from orderpatch._ratelimit import Rate
from orderpatch._ratelimit_redis import KeyedRate, RedisRateLimiter, _Plan, account_key, redact_redis_url
from orderpatch.errors import ConfigurationError, ValidationError

URL = "redis://127.0.0.1:1/0"


def refused(**settings: object) -> ValidationError:
    given: dict[str, object] = {"rates": [Rate(limit=1, period=1.0)], "name": "n", "key": "k", "url": URL, **settings}
    with pytest.raises(ValidationError) as caught:
        RedisRateLimiter(**given)  # type: ignore[arg-type]
    return caught.value


def test_numbers_are_refused_with_what_was_expected() -> None:
    share = refused(fallback_share=-0.5)
    assert str(share) == "fallback_share: expected a positive number, got -0.5"
    assert share.expected == "a positive number"
    margin = refused(margin=-1)
    assert str(margin) == "margin: expected a number >= 0, got -1"
    assert margin.expected == "a number >= 0"
    assert refused(socket_timeout=0).expected == "a positive number"  # zero is no timeout at all


@pytest.mark.parametrize("wrong", ["0.1", None, [0.1]])
def test_a_number_that_is_no_number_is_refused_as_such(wrong: object) -> None:
    error = refused(margin=wrong)
    assert error.field == "margin"
    assert error.expected == "a number >= 0"


def test_rates_that_are_no_sequence_are_refused_naming_the_limiter() -> None:
    error = refused(rates="10/s", name="spree_admin")
    assert str(error) == "spree_admin: rates must be a sequence of Rate"
    assert (error.field, error.expected) == ("rates", "Rate")


def test_a_cost_error_says_the_range() -> None:
    each = RedisRateLimiter([Rate(limit=2, period=1.0)], name="n", key="k", url=URL)
    with pytest.raises(ValidationError) as caught:
        each.acquire(3)
    assert caught.value.expected == "int 1..2"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:pa://ss@h:1/0", "redis://:***@h:1/0"),  # '://' inside the password
        ("redis://:p@ss@h:1/0", "redis://:***@h:1/0"),  # '@' inside the password
        ("redis://user:pa:ss@h:1/0", "redis://user:***@h:1/0"),  # ':' inside the password
    ],
)
def test_a_password_is_redacted_whatever_it_holds(url: str, shown: str) -> None:
    assert redact_redis_url(url) == shown
    assert "ss" not in redact_redis_url(url).split("@")[0]


def test_account_keys_are_stable_across_versions() -> None:
    """The key names the budget in Redis: processes of two versions must still share it."""
    digest = hashlib.sha256(b"https://saas.licensespring.com\x00the-api-key").hexdigest()[:16]
    assert account_key("licensespring", "https://saas.licensespring.com", "the-api-key") == f"licensespring:{digest}"
    assert account_key("v", "ab", "c") != account_key("v", "a", "bc")


def test_the_repr_lists_the_rates_and_where_redis_is() -> None:
    each = RedisRateLimiter([Rate(limit=5, period=1.0), Rate(limit=50, period=60.0)], name="ls", key="k",
                            url="redis://:pw@h:1/0")
    assert repr(each) == "RedisRateLimiter(name='ls', rates=[5/1s, 50/60s], redis='redis://:***@h:1/0')"
    import redis

    given = RedisRateLimiter([Rate(limit=5, period=1.0)], name="ls", key="k", client=redis.Redis())
    assert repr(given) == "RedisRateLimiter(name='ls', rates=[5/1s], redis='a given client')"


def test_a_limiter_without_its_client_says_which_one_is_missing() -> None:
    import redis.asyncio

    only_async = RedisRateLimiter([Rate(limit=5, period=1.0)], name="x", key="k", async_client=redis.asyncio.Redis())
    with pytest.raises(ConfigurationError) as caught:
        only_async.acquire()
    assert caught.value.key == "client"


async def test_a_limiter_without_its_async_client_says_so() -> None:
    import redis

    only_sync = RedisRateLimiter([Rate(limit=5, period=1.0)], name="x", key="k", client=redis.Redis())
    with pytest.raises(ConfigurationError) as caught:
        await only_sync.aacquire()
    assert caught.value.key == "async_client"


def test_without_the_redis_package_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    each = RedisRateLimiter([Rate(limit=5, period=1.0)], name="x", key="k", url=URL)
    monkeypatch.setitem(sys.modules, "redis", None)  # ``import redis`` raises ImportError
    with pytest.raises(ConfigurationError) as caught:
        each.acquire()
    assert str(caught.value) == (
        "rate_limit_url: the Redis rate limiter needs the redis package: pip install 'orderpatch[redis]'"
    )
    assert caught.value.key == "rate_limit_url"


def test_the_plan_reads_a_reply_by_its_shape() -> None:
    plan = _Plan(("a", "paused"), (Rate(limit=5, period=1.0),), 0.0)
    assert plan.wait_of([0, 250_000]) == 0.0  # granted: whatever the second number says
    assert plan.wait_of((1, 500_000)) == 0.5
    for wrong in ([1], [1, 2, 3], 7):
        with pytest.raises(TypeError, match="unexpected reply from the rate-limit script"):
            plan.wait_of(wrong)


@pytest.mark.parametrize(
    ("settings", "message", "expected"),
    [
        ({"rates": [10]}, "rates[0]: expected a Rate or KeyedRate, got int", "Rate or KeyedRate"),
        ({"rates": [KeyedRate(rate=Rate(limit=1, period=1.0), scope="")]},
         "rates[0].scope: expected a non-empty string", None),
        ({"name": ""}, "name: expected a non-empty string, got ''", None),
        ({"on_unavailable": "ignore"}, "on_unavailable: expected 'fallback' or 'raise', got 'ignore'",
         "'fallback' or 'raise'"),
        ({"fallback_share": 1.5}, "fallback_share: expected a share in (0, 1], got 1.5", None),
    ],
)
def test_each_refusal_says_what_was_wrong(settings: dict[str, object], message: str, expected: str | None) -> None:
    error = refused(**settings)
    assert str(error) == message
    assert error.expected == expected


def test_the_edges_of_what_is_accepted() -> None:
    whole = RedisRateLimiter([Rate(limit=4, period=1.0)], name="n", key="k", url=URL, fallback_share=1)
    assert whole.name == "n"  # a share of 1: one process alone takes the whole limit
    bare = RedisRateLimiter([Rate(limit=4, period=1.0)], name="n", key="k", url=URL, key_prefix="")
    assert bare.keys == ("k:4/1",)  # an empty prefix is allowed (a database of its own)
    for url in ("rediss://h:1/0", "unix:///tmp/redis.sock"):
        assert RedisRateLimiter([Rate(limit=4, period=1.0)], name="n", key="k", url=url).name == "n"


def test_a_url_needed_or_refused_says_so() -> None:
    with pytest.raises(ConfigurationError) as caught:
        RedisRateLimiter([Rate(limit=1, period=1.0)], name="n", key="k")
    assert str(caught.value) == "url: give a redis:// URL or a redis client"
    assert caught.value.key == "url"
    with pytest.raises(ConfigurationError) as caught:
        RedisRateLimiter([Rate(limit=1, period=1.0)], name="n", key="k", url="http://:hunter2@host:1")
    assert str(caught.value) == "url: expected a redis://, rediss:// or unix:// URL, got 'http://:***@host:1'"
    with pytest.raises(ConfigurationError) as caught:
        RedisRateLimiter([Rate(limit=1, period=1.0)], name="n", key="k", url=5)  # type: ignore[arg-type]
    assert str(caught.value) == "url: expected a redis://, rediss:// or unix:// URL, got 'int'"
    assert caught.value.key == "rate_limit_url"

