"""``RedisRateLimiter``: one vendor budget shared by every process that talks to one account.

A vendor counts requests per account (per key, per company, per client IP), not per Python
process; six replicas that each pace themselves alone run into 429s together. This backend
keeps the budget in Redis, so every process, thread and event loop that builds a limiter with
the same keys draws from one budget. Install it with ``pip install 'orderpatch[redis]'``.

How it counts (see docs/shared-budget.md for the measurements behind the choice):

* One Redis sorted set per rate: a *sliding log* of the moments requests were granted, read
  from Redis' own clock (``TIME``), so processes whose clocks differ still agree. One Lua
  script checks every rate of the limiter and records the grant in all of them atomically,
  or grants nothing and answers how long to wait: a request never consumes one rate's budget
  while being refused by another (LicenseSpring's per-key and per-company limits at once).
* A slot comes back one period after the *answer* to its request, as in the in-process
  limiter: granted, it is scored ``RATE_LIMIT_UNANSWERED`` seconds in the future (in flight);
  ``observe()`` re-scores it with the moment of its answer, read from Redis' clock after the
  response came. The vendor counted the request when it arrived, which is between the grant
  and the answer; so the k-th answer is never before the k-th arrival, and no window of the
  vendor sees more than the limit, however long requests queue on the way (a loaded machine, a
  single-threaded server). ``margin`` (a share of each period, ``RATE_LIMIT_MARGIN``) is only a
  hair for clocks that run at slightly different speeds. Every response costs one more Redis
  round trip for this (see docs/performance.md for the cost).
* ``observe()`` is shared too: a 429 or a ``Retry-After`` pauses every process until the
  vendor said; an ``X-RateLimit-Remaining`` lower than the log's own count fills the log up
  to what the vendor counts.
* Redis unreachable: by default the limiter falls back to an in-process
  ``InMemoryRateLimiter`` at ``fallback_share`` of each limit, says so in ONE warning, and tries
  Redis again after ``REDIS_RETRY_INTERVAL`` seconds. Socket timeouts are short, so a dead Redis
  costs a fraction of a second, never a hang, and never fails the update.
  ``on_unavailable="raise"`` raises ``ConnectionFailed`` instead.

The request and reply of the script are built and read by pure functions (``_Plan``); the sync
and async methods only differ in how they call Redis and how they sleep.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import itertools
import logging
import math
import os
import random
import threading
import time
import types
import weakref
from collections.abc import AsyncGenerator, Sequence
from typing import TYPE_CHECKING, Literal, TypeAlias, cast

import attrs

from ._constants import (
    RATE_LIMIT_FALLBACK_SHARE,
    RATE_LIMIT_MARGIN,
    RATE_LIMIT_UNANSWERED,
    RATE_LIMITED_PAUSE,
    REDIS_CONNECT_TIMEOUT,
    REDIS_KEY_PREFIX,
    REDIS_RETRY_INTERVAL,
    REDIS_SOCKET_TIMEOUT,
)
from ._ratelimit import InMemoryRateLimiter, Rate
from ._types import Secret
from .errors import ConfigurationError, ConnectionFailed, Timeout, ValidationError

if TYPE_CHECKING:
    import redis
    import redis.asyncio

__all__ = ["KeyedRate", "RedisRateLimiter", "account_key", "redact_redis_url"]

logger = logging.getLogger("orderpatch.ratelimit")

#: What happens when Redis cannot be reached: fall back to an in-process share, or raise.
OnUnavailable: TypeAlias = Literal["fallback", "raise"]

#: The largest cost a limiter without rates accepts (it only shares the vendor's pauses).
MAX_COST = 1000

# Tests replace these to observe waiting without waiting.
_sleep = time.sleep
_asleep = asyncio.sleep
_clock = time.monotonic

# KEYS: one sorted set per rate, then the pause key. ARGV: cost, member prefix, seconds an
# unanswered slot is held (in microseconds), then (limit, window in microseconds) per rate.
# Reply: {0, 0} granted, {1, wait_us} refused. A granted slot is scored in the future
# (now + unanswered): it is in flight until the observe script re-scores it with the moment of
# its answer. A wait that an in-flight slot decides is capped at one window: that slot's answer
# is due any moment, and it frees the slot one window after it comes.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local cost = tonumber(ARGV[1])
local unanswered = tonumber(ARGV[3])
local n = #KEYS - 1
local paused = redis.call('PTTL', KEYS[#KEYS])
if paused > 0 then return {1, paused * 1000} end
local wait = 0
for i = 1, n do
  local limit = tonumber(ARGV[2 + 2 * i])
  local window = tonumber(ARGV[3 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local used = redis.call('ZCARD', KEYS[i])
  if used + cost > limit then
    local oldest = redis.call('ZRANGE', KEYS[i], used + cost - limit - 1, used + cost - limit - 1, 'WITHSCORES')
    local w = math.min(tonumber(oldest[2]) + window - now, window)
    if w > wait then wait = w end
  end
end
if wait > 0 then return {1, wait} end
for i = 1, n do
  for j = 1, cost do redis.call('ZADD', KEYS[i], now + unanswered, ARGV[2] .. ':' .. j) end
  redis.call('PEXPIRE', KEYS[i], math.ceil((tonumber(ARGV[3 + 2 * i]) + unanswered) / 1000) + 1000)
end
return {0, 0}
"""

# KEYS: one sorted set per rate, then the pause key. ARGV: pause in ms (0: none), remaining
# (-1: unknown), the observed rate (1-based, 0: none), its limit, its window in microseconds,
# member prefix for tightening, then the answered slots: each is re-scored "now" in every rate
# (ZADD XX: a slot already gone stays gone), so it leaves its window one window after its answer.
_OBSERVE = """
local n = #KEYS - 1
local pause = tonumber(ARGV[1])
if pause > 0 and redis.call('PTTL', KEYS[#KEYS]) < pause then
  redis.call('SET', KEYS[#KEYS], '1', 'PX', pause)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for a = 7, #ARGV do
  for i = 1, n do redis.call('ZADD', KEYS[i], 'XX', now, ARGV[a]) end
end
local remaining = tonumber(ARGV[2])
local k = tonumber(ARGV[3])
if remaining < 0 or k == 0 then return 0 end
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - window)
local missing = limit - redis.call('ZCARD', KEYS[k]) - remaining
for j = 1, missing do redis.call('ZADD', KEYS[k], now, ARGV[6] .. ':' .. j) end
if missing > 0 and redis.call('PTTL', KEYS[k]) < math.ceil(window / 1000) + 1000 then
  redis.call('PEXPIRE', KEYS[k], math.ceil(window / 1000) + 1000)
end
return missing
"""


@attrs.frozen(kw_only=True)
class KeyedRate:
    """A rate counted under its own Redis key, shared with every limiter that names the same key.

    ``scope`` is appended to the key prefix: ``licensespring:company:acme`` makes every API key
    of that company count against one company budget, while each key's own ``Rate`` counts
    under the limiter's ``key``.
    """

    rate: Rate
    scope: str


def account_key(vendor: str, *parts: str) -> str:
    """A Redis key for one vendor account: ``<vendor>:<digest>``, the digest of ``parts``.

    Credentials and base URLs go into a SHA-256 digest, never into Redis as they are.
    """
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{vendor}:{digest}"


def redact_redis_url(url: str) -> str:
    """The URL with its password (``redis://:secret@host``) replaced by ``***``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    userinfo, _, host = rest.rpartition("@")
    user = userinfo.partition(":")[0]
    return f"{scheme}://{user}:***@{host}" if ":" in userinfo else f"{scheme}://***@{host}"


def _check_rates(rates: object, name: str) -> tuple[tuple[Rate, str | None], ...]:
    if isinstance(rates, (str, bytes)) or not isinstance(rates, Sequence):
        raise ValidationError(f"{name}: rates must be a sequence of Rate", field="rates", expected="Rate")
    checked: list[tuple[Rate, str | None]] = []
    for index, item in enumerate(cast(Sequence[object], rates)):
        rate, scope = (item.rate, cast(object, item.scope)) if isinstance(item, KeyedRate) else (item, None)
        if not isinstance(rate, Rate):
            raise ValidationError(
                f"rates[{index}]: expected a Rate or KeyedRate, got {type(item).__name__}",
                field=f"rates[{index}]",
                expected="Rate or KeyedRate",
            )
        if scope is not None and (not isinstance(scope, str) or not scope.strip()):
            raise ValidationError(f"rates[{index}].scope: expected a non-empty string", field=f"rates[{index}].scope")
        checked.append((rate, scope))
    return tuple(checked)


def _positive(value: object, *, name: str, zero: bool = False) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
        or (value == 0 and not zero)
    ):
        what = "a number >= 0" if zero else "a positive number"
        raise ValidationError(f"{name}: expected {what}, got {value!r}", field=name, expected=what)
    return float(value)


@attrs.frozen
class _Plan:
    """The keys and arguments of one limiter's scripts, and how their replies read (no I/O)."""

    keys: tuple[str, ...]  # one per rate, then the pause key
    rates: tuple[Rate, ...]
    margin: float  # share of each period added to it, as the in-process limiter's

    @property
    def observed(self) -> int:
        """The rate ``X-RateLimit-Remaining`` is read as: the longest period (the average, not the burst)."""
        return max(range(len(self.rates)), key=lambda index: self.rates[index].period, default=-1)

    def window_us(self, rate: Rate) -> int:
        return math.ceil(rate.period * (1.0 + self.margin) * 1_000_000)

    def acquire_args(self, cost: int, member: str) -> list[str | int]:
        args: list[str | int] = [cost, member, math.ceil(RATE_LIMIT_UNANSWERED * 1_000_000)]
        for rate in self.rates:
            args += [rate.limit, self.window_us(rate)]
        return args

    @staticmethod
    def members(member: str, cost: int) -> tuple[str, ...]:
        """The slots one grant of ``cost`` writes (the acquire script names them ``member:1..cost``)."""
        return tuple(f"{member}:{j}" for j in range(1, cost + 1))

    @staticmethod
    def wait_of(reply: object) -> float:
        """Seconds to wait before asking again; 0.0 when the request was granted."""
        if not isinstance(reply, (list, tuple)) or len(reply) != 2:
            raise TypeError(f"unexpected reply from the rate-limit script: {reply!r}")
        refused, wait_us = (int(item) for item in reply)
        return wait_us / 1_000_000 if refused else 0.0

    def observe_args(
        self, *, status: int, remaining: int | None, retry_after: float | None, member: str,
        answered: Sequence[str] = (),
    ) -> list[str | int] | None:
        """The arguments of the observe script, or ``None`` when the response says nothing new."""
        pause, known = 0.0, -1 if remaining is None else max(0, remaining)
        if retry_after is not None and (status == 429 or remaining == 0):
            pause, known = retry_after, -1  # the vendor said when: that, not a full window
        elif status == 429:
            pause = RATE_LIMITED_PAUSE
        if self.observed < 0:  # no rates: only the shared pause
            known = -1
        if pause <= 0 and known < 0 and not answered:
            return None
        first = self.rates[self.observed] if self.observed >= 0 else Rate(limit=1, period=1.0)
        return [math.ceil(pause * 1000), known, self.observed + 1, first.limit, self.window_us(first), member,
                *answered]


class RedisRateLimiter:
    """A ``RateLimiter`` whose budget lives in Redis, shared by every process that uses its keys.

    >>> limiter = RedisRateLimiter([Rate(limit=50, period=1.0)], name="licensespring",
    ...                            key=account_key("licensespring", api_key),
    ...                            url="redis://localhost:6379/0")              # doctest: +SKIP
    >>> client = LicenseSpringClient(api_key=api_key, rate_limiter=limiter)    # doctest: +SKIP

    Args:
        rates: Every limit the request must fit, all at once. A plain ``Rate`` counts under
            ``key``; a ``KeyedRate`` under its own scope (a budget other accounts share).
        name: Names the limiter in errors and in the fallback warning (the vendor, usually).
        key: This account's part of the Redis keys (see ``account_key``); the limiter's keys
            are ``<key_prefix><key>:<limit>/<period>``.
        url: A ``redis://`` or ``rediss://`` URL (``unix://`` works too); or give ``client``.
        client: Your own ``redis.Redis`` for the sync methods (never closed here).
        async_client: Your own ``redis.asyncio.Redis`` for the async methods (never closed here).
        key_prefix: Prefix of every key (default ``orderpatch:ratelimit:``).
        margin: Share of each period added to it (as the in-process limiter's): a hair for
            clocks of slightly different speeds; request latency needs none, as a slot comes
            back one period after its answer.
        on_unavailable: ``"fallback"`` (default): an in-process limiter at ``fallback_share`` of
            each limit, one warning, Redis tried again later. ``"raise"``: ``ConnectionFailed``.
        fallback_share: The share of each limit one process takes while Redis is unreachable;
            choose it at most ``1 / processes`` to stay within the budget.
        socket_timeout: Seconds a Redis command may take before Redis counts as unreachable.
    """

    def __init__(
        self,
        rates: Sequence[Rate | KeyedRate],
        *,
        name: str,
        key: str,
        url: str | Secret | None = None,
        client: redis.Redis | None = None,
        async_client: redis.asyncio.Redis | None = None,
        key_prefix: str = REDIS_KEY_PREFIX,
        margin: float = RATE_LIMIT_MARGIN,
        on_unavailable: OnUnavailable = "fallback",
        fallback_share: float = RATE_LIMIT_FALLBACK_SHARE,
        socket_timeout: float = REDIS_SOCKET_TIMEOUT,
    ) -> None:
        checked = _check_rates(rates, name)
        texts: tuple[tuple[str, object], ...] = (("name", name), ("key", key), ("key_prefix", key_prefix))
        for label, text in texts:
            if not isinstance(text, str) or (label != "key_prefix" and not text.strip()):
                raise ValidationError(f"{label}: expected a non-empty string, got {text!r}", field=label)
        if on_unavailable not in ("fallback", "raise"):
            raise ValidationError(
                f"on_unavailable: expected 'fallback' or 'raise', got {on_unavailable!r}",
                field="on_unavailable",
                expected="'fallback' or 'raise'",
            )
        share = _positive(fallback_share, name="fallback_share")
        if share > 1:
            raise ValidationError(f"fallback_share: expected a share in (0, 1], got {share!r}", field="fallback_share")
        url_text: object = url.get_secret_value() if isinstance(url, Secret) else url
        if url_text is None and client is None and async_client is None:
            raise ConfigurationError("url: give a redis:// URL or a redis client", key="url")
        if url_text is not None and (
            not isinstance(url_text, str) or not url_text.startswith(("redis://", "rediss://", "unix://"))
        ):
            shown = redact_redis_url(url_text) if isinstance(url_text, str) else type(url_text).__name__
            raise ConfigurationError(
                f"url: expected a redis://, rediss:// or unix:// URL, got {shown!r}", key="rate_limit_url"
            )
        self.name = name
        self.rates = tuple(rate for rate, _ in checked)
        prefix = f"{key_prefix}{key}"
        keys = [
            f"{key_prefix}{scope if scope is not None else key}:{rate.limit}/{rate.period:g}" for rate, scope in checked
        ]
        self._plan = _Plan((*keys, f"{prefix}:paused"), self.rates, _positive(margin, name="margin", zero=True))
        self._url = Secret(url_text) if isinstance(url_text, str) else None
        self._timeout = _positive(socket_timeout, name="socket_timeout")
        self._on_unavailable: OnUnavailable = on_unavailable
        self._client = client
        self._owns_client = client is None
        self._async_client = async_client
        self._sync: _Scripts | None = None
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Scripts] = weakref.WeakKeyDictionary()
        self._fallback = InMemoryRateLimiter(
            [Rate(limit=max(1, math.floor(rate.limit * share)), period=rate.period) for rate in self.rates],
            name=f"{name} (in-process fallback)",
        )
        self._lock = threading.Lock()
        self._down_until: float | None = None  # while set, Redis is unreachable: use the fallback
        self._warned = False
        self._member_id = os.urandom(6).hex()
        self._counter = itertools.count()
        self._pid = os.getpid()
        # This process' granted slots not answered yet, oldest first: (grant time, member).
        self._in_flight: collections.deque[tuple[float, str]] = collections.deque()
        self._forget_after = RATE_LIMIT_UNANSWERED + max((rate.period for rate in self.rates), default=0.0) * 2
        #: How often this process saw a 429 (for reports and benchmarks).
        self.rate_limited = 0

    # ------------------------------------------------------------------ the protocol

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        """Block until ``cost`` requests fit every rate; ``Timeout`` if not within ``timeout`` seconds."""
        cost, started = self._check_cost(cost), _clock()
        while True:
            if self._redis_is_down():
                self._fallback.acquire(cost, timeout=self._left(timeout, started))
                return
            member = self._member()
            try:
                wait = self._plan.wait_of(self._sync_call("acquire", self._plan.keys,
                                                          self._plan.acquire_args(cost, member)))
            except _RedisDown:
                continue
            if wait <= 0:
                self._granted(member, cost)
                return
            _sleep(self._wait_or_time_out(wait, timeout, started))

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """The asyncio twin of ``acquire``: waits without blocking the event loop."""
        cost, started = self._check_cost(cost), _clock()
        while True:
            if self._redis_is_down():
                await self._fallback.aacquire(cost, timeout=self._left(timeout, started))
                return
            member = self._member()
            try:
                wait = self._plan.wait_of(await self._async_call("acquire", self._plan.keys,
                                                                 self._plan.acquire_args(cost, member)))
            except _RedisDown:
                continue
            if wait <= 0:
                self._granted(member, cost)
                return
            await _asleep(self._wait_or_time_out(wait, timeout, started))

    def observe(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        """One response came: its slot comes back one period from now, a 429 or ``Retry-After``
        pauses every process, a low ``X-RateLimit-Remaining`` tightens the shared log. Never
        raises for an unreachable Redis."""
        args = self._observe_args(status=status, remaining=remaining, retry_after=retry_after)
        if args is None:
            return
        with contextlib.suppress(_RedisDown):  # already counted as down, and warned about
            self._sync_call("observe", self._plan.keys, args)

    async def aobserve(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        """``observe`` on the async Redis client: the async clients call this, never blocking the loop."""
        args = self._observe_args(status=status, remaining=remaining, retry_after=retry_after)
        if args is None:
            return
        with contextlib.suppress(_RedisDown):
            await self._async_call("observe", self._plan.keys, args)

    # ------------------------------------------------------------------ state and lifecycle

    @property
    def using_fallback(self) -> bool:
        """Whether the limiter is counting in-process because Redis could not be reached."""
        return self._down_until is not None

    @property
    def keys(self) -> tuple[str, ...]:
        """The Redis keys this limiter counts under (one per rate), for inspection and tests."""
        return self._plan.keys[:-1]

    def close(self) -> None:
        """Close the sync Redis connection pool this limiter opened (a client you gave stays open)."""
        client, self._sync = self._client, None
        if client is not None and self._owns_client:
            self._client = None
            client.close()

    async def aclose(self) -> None:
        """Close the async Redis connection pool of the running event loop, if this limiter opened it."""
        scripts = self._async.pop(asyncio.get_running_loop(), None)
        if scripts is not None and scripts.owned:
            if scripts.keeper is not None:
                await scripts.keeper.aclose()  # closes the client
            else:  # pragma: no cover - a keeper is started with every client this limiter opens
                await cast("redis.asyncio.Redis", scripts.client).aclose()

    def __repr__(self) -> str:
        where = redact_redis_url(self._url.get_secret_value()) if self._url is not None else "a given client"
        rates = ", ".join(f"{rate.limit}/{rate.period:g}s" for rate in self.rates)
        return f"RedisRateLimiter(name={self.name!r}, rates=[{rates}], redis={where!r})"

    # ------------------------------------------------------------------ internals

    def _check_cost(self, cost: object) -> int:
        smallest = min((rate.limit for rate in self.rates), default=MAX_COST)
        if isinstance(cost, bool) or not isinstance(cost, int) or not 1 <= cost <= smallest:
            raise ValidationError(
                f"cost: expected an int from 1 to {smallest} (the smallest limit of {self.name}), got {cost!r}",
                field="cost",
                expected=f"int 1..{smallest}",
            )
        return cost

    def _member(self) -> str:
        return f"{self._member_id}:{os.getpid()}:{next(self._counter)}"

    def _granted(self, member: str, cost: int) -> None:
        now = _clock()
        self._in_flight.extend((now, slot) for slot in self._plan.members(member, cost))

    def _answered(self) -> tuple[str, ...]:
        """The oldest slot in flight, which this answer brings back (none if all were answered).

        Which request of this process was answered does not matter: after k answers, k requests
        have arrived, so re-scoring the k oldest grants is never earlier than the vendor counted.
        Slots older than their Redis lifetime (a request whose answer never came) are dropped.
        """
        in_flight, horizon = self._in_flight, _clock() - self._forget_after
        with self._lock:
            while in_flight and in_flight[0][0] < horizon:
                in_flight.popleft()
            return (in_flight.popleft()[1],) if in_flight else ()

    def _observe_args(self, *, status: int, remaining: int | None, retry_after: float | None) -> list[str | int] | None:
        """Count the feedback here (and in the fallback); the observe script's arguments, if Redis is to hear it."""
        self._check_fork()
        self.rate_limited += status == 429
        self._fallback.observe(status=status, remaining=remaining, retry_after=retry_after)
        answered = self._answered()
        if self._redis_is_down():
            return None
        return self._plan.observe_args(status=status, remaining=remaining, retry_after=retry_after,
                                       member=self._member(), answered=answered)

    def _left(self, timeout: float | None, started: float) -> float | None:
        return None if timeout is None else max(0.0, timeout - (_clock() - started))

    def _wait_or_time_out(self, wait: float, timeout: float | None, started: float) -> float:
        # A little jitter, so that processes waiting for the same slot do not all ask at once.
        wait += random.uniform(0.0, 0.002)
        if timeout is not None and _clock() - started + wait > timeout:
            raise Timeout(
                f"rate limiter {self.name}: no room for the request within {timeout:g} s "
                f"(the shared budget frees up in {wait:.2f} s)",
                vendor=self.name,
                method="RATE-LIMIT",
                url=f"ratelimit:{self.name}",
            )
        return wait

    def _redis_is_down(self) -> bool:
        down_until = self._down_until
        if down_until is None:
            return False
        if _clock() < down_until:
            return True
        with self._lock:  # time to try Redis again
            self._down_until = None
        return False

    def _went_down(self, exc: Exception) -> _RedisDown:
        where = redact_redis_url(self._url.get_secret_value()) if self._url is not None else "the given client"
        if self._on_unavailable == "raise":
            raise ConnectionFailed(
                f"rate limiter {self.name}: Redis at {where} is unreachable ({type(exc).__name__})",
                vendor=self.name,
                method="RATE-LIMIT",
                url=where,
            ) from None
        with self._lock:
            self._down_until = _clock() + REDIS_RETRY_INTERVAL
            first, self._warned = not self._warned, True
        if first:
            shares = ", ".join(f"{rate.limit}/{rate.period:g}s" for rate in self._fallback.rates)
            logger.warning(
                "rate limiter %s: Redis at %s is unreachable (%s); counting in this process at %s "
                "until it is back (tried again every %g s)",
                self.name, where, type(exc).__name__, shares, REDIS_RETRY_INTERVAL,
            )
        return _RedisDown()

    def _check_fork(self) -> None:
        if self._pid != os.getpid():  # a forked child: the parent's sockets and slots are not ours
            self._sync = None
            self._async = weakref.WeakKeyDictionary()
            self._in_flight = collections.deque()
            self._pid = os.getpid()

    def _sync_scripts(self) -> _Scripts:
        self._check_fork()
        scripts = self._sync
        if scripts is None:
            client = self._client
            if client is None:
                if self._url is None:
                    raise ConfigurationError(f"rate limiter {self.name}: no sync Redis client and no URL", key="client")
                client = self._client = _redis().Redis.from_url(
                    self._url.get_secret_value(), **_connection_options(self._timeout)
                )
            scripts = self._sync = _Scripts(client)
        return scripts

    def _async_scripts(self) -> _Scripts:
        self._check_fork()
        loop = asyncio.get_running_loop()
        scripts = self._async.get(loop)
        if scripts is None:
            client = self._async_client
            if client is None:
                if self._url is None:
                    raise ConfigurationError(
                        f"rate limiter {self.name}: no async Redis client and no URL", key="async_client"
                    )
                client = _redis().asyncio.Redis.from_url(
                    self._url.get_secret_value(), **_connection_options(self._timeout)
                )
            scripts = self._async[loop] = _Scripts(client, owned=self._async_client is None)
        return scripts

    async def _async_scripts_started(self) -> _Scripts:
        scripts = self._async_scripts()
        if scripts.owned and scripts.keeper is None:
            # Closed by the loop's own shutdown (asyncio.run finalizes async generators).
            scripts.keeper = _close_at_loop_shutdown(scripts)
            await scripts.keeper.asend(None)
        return scripts

    def _sync_call(self, which: str, keys: Sequence[str], args: Sequence[str | int]) -> object:
        scripts = self._sync_scripts()
        try:
            return scripts.run(which, keys, args)
        except _unreachable_errors() as exc:
            raise self._went_down(exc) from None

    async def _async_call(self, which: str, keys: Sequence[str], args: Sequence[str | int]) -> object:
        scripts = await self._async_scripts_started()
        try:
            return await scripts.arun(which, keys, args)
        except _unreachable_errors() as exc:
            raise self._went_down(exc) from None


class _Scripts:
    """One Redis client with the limiter's two scripts registered on it (their SHA computed once)."""

    def __init__(self, client: redis.Redis | redis.asyncio.Redis, *, owned: bool = False) -> None:
        self.client = client
        self.owned = owned
        self.keeper: AsyncGenerator[None, None] | None = None
        self.scripts = {"acquire": client.register_script(_ACQUIRE), "observe": client.register_script(_OBSERVE)}

    def run(self, which: str, keys: Sequence[str], args: Sequence[str | int]) -> object:
        return cast(object, self.scripts[which](keys=list(keys), args=list(args)))

    async def arun(self, which: str, keys: Sequence[str], args: Sequence[str | int]) -> object:
        return cast(object, await self.scripts[which](keys=list(keys), args=list(args)))


async def _close_at_loop_shutdown(scripts: _Scripts) -> AsyncGenerator[None, None]:
    """Suspended for the loop's lifetime; ``loop.shutdown_asyncgens()`` resumes it to close the client."""
    try:
        yield
    finally:
        await cast("redis.asyncio.Redis", scripts.client).aclose()


class _RedisDown(Exception):
    """Internal: Redis was unreachable and the limiter switched to its fallback."""


def _redis() -> types.ModuleType:
    """The ``redis`` package (with ``redis.asyncio`` loaded), or a ``ConfigurationError`` saying how to get it."""
    try:
        import redis
        import redis.asyncio
    except ImportError:  # pragma: no cover - the extra is installed wherever this is tested
        raise ConfigurationError(
            "rate_limit_url: the Redis rate limiter needs the redis package: pip install 'orderpatch[redis]'",
            key="rate_limit_url",
        ) from None
    return redis


def _unreachable_errors() -> tuple[type[Exception], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def _connection_options(timeout: float) -> dict[str, object]:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": min(timeout, REDIS_CONNECT_TIMEOUT),
        "retry": Retry(NoBackoff(), 0),  # the limiter decides what a failure means, at once
        "health_check_interval": 0,
    }
