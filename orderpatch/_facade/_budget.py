"""The budget a facade client draws from: ``Config.rate_limiter`` as given, or a ``RedisRateLimiter``
built from ``rate_limit_url`` that every process configured for the same vendor account shares.

The Redis keys name the account, never its credentials: a SHA-256 digest of the vendor's base
URL and credentials (``account_key``). Each published limit (``PUBLISHED_RATES``) is counted per
what the vendor counts it by (``RATE_LIMIT_SCOPES``): per credential (``"key"``), or per account
(``"account"``: LicenseSpring's company, Commerce Layer's client IP), which ``rate_limit_account``
names when several credentials share it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._config import Config
from .._constants import RATE_LIMIT_SCOPES
from .._ratelimit import Rate, RateLimiter, published_rates
from .._ratelimit_redis import KeyedRate, RedisRateLimiter, account_key
from .._types import Secret

__all__ = ["rate_limiter_for"]

#: Settings that change neither the account nor the credential.
_NOT_IDENTITY = frozenset({"timeout", "max_retries", "deadline"})


def rate_limiter_for(config: Config, rates: Sequence[Rate] | None = None) -> RateLimiter | None:
    """The limiter of the clients ``config`` opens; ``None`` when it configures none.

    ``rates`` replaces the vendor's published limits (a bulk job's ``--rate``) on the shared budget.
    """
    if config.rate_limiter is not None:
        return config.rate_limiter
    url = config.rate_limit_url
    if url is None:
        return None
    vendor = config.vendor
    identity = [
        f"{name}={value.get_secret_value() if isinstance(value, Secret) else value}"
        for name, value in sorted(config.settings.items())
        if name not in _NOT_IDENTITY
    ]
    key = account_key(vendor, *identity)
    account = f"{vendor}:account:{config.rate_limit_account}" if config.rate_limit_account is not None else key
    scopes = RATE_LIMIT_SCOPES.get(vendor, ()) if rates is None else ()
    rates = published_rates(vendor) if rates is None else tuple(rates)
    budget = [
        rate if index >= len(scopes) or scopes[index] == "key" else KeyedRate(rate=rate, scope=account)
        for index, rate in enumerate(rates)
    ]
    return RedisRateLimiter(budget, name=vendor, key=key, url=url)
