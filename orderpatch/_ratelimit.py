"""Request budgets: ``Rate``, the ``RateLimiter`` protocol and the in-process ``InMemoryRateLimiter``.

A budget lives under the clients (``rate_limiter=`` on every client constructor), so single
calls and bulk jobs draw from the same one. The base client calls ``acquire``/``aacquire``
before every attempt, retries included, and ``observe`` after every response, so the server's
``X-RateLimit-Remaining``, ``Retry-After`` and 429s correct the budget as the job runs.

The in-memory backend is a token bucket whose tokens come back one by one, each one ``period``
after the answer to the request that spent it (a sliding-window log). The vendors count requests over sliding
windows (Commerce Layer, LicenseSpring) or fixed ones (Spree v3); a classic bucket refilled at
``limit/period`` starting full lets up to ``2 * limit`` requests into one window and earns 429s,
while this one never sends more than ``limit`` in any ``period`` and still runs at the full
``limit/period`` once the first burst is spent.
"""

from __future__ import annotations

import asyncio
import collections
import heapq
import itertools
import math
import re
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from ._constants import (
    PUBLISHED_RATES,
    RATE_LIMIT_MARGIN,
    RATE_LIMIT_UNANSWERED,
    RATE_LIMITED_PAUSE,
)
from .errors import ConfigurationError, Timeout, ValidationError

__all__ = ["AsyncObserver", "InMemoryRateLimiter", "Rate", "RateLimiter", "published_rates"]

_RATE_TEXT = re.compile(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)?\s*(s|sec|second|seconds|m|min|minute|minutes)?\s*")


def _positive_int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(f"Rate.{attribute.name}: expected a whole number of requests >= 1, got {value!r}",
                              field=f"Rate.{attribute.name}", expected="int >= 1")


def _positive_seconds(instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if (not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0
            or not math.isfinite(value)):
        raise ValidationError(f"Rate.{attribute.name}: expected a positive number of seconds, got {value!r}",
                              field=f"Rate.{attribute.name}", expected="float > 0")


def _int_to_float(value: float) -> float:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


@attrs.frozen(kw_only=True)
class Rate:
    """At most ``limit`` requests in any ``period`` seconds."""

    limit: int = attrs.field(validator=_positive_int)
    period: float = attrs.field(validator=_positive_seconds, converter=_int_to_float)

    @classmethod
    def parse(cls, text: str, *, field: str = "rate") -> Rate:
        """``"50/10"`` (50 per 10 s), ``"200/60s"``, ``"200/min"``, ``"5/1"``; ``ValidationError`` naming ``field``."""
        given: object = text  # callers may pass anything; say so instead of failing inside re
        match = _RATE_TEXT.fullmatch(given) if isinstance(given, str) else None
        if match is None:
            raise ValidationError(f"{field}: expected N/SECONDS such as 50/10 or 200/60, got {text!r:.60}",
                                  field=field, expected="N/SECONDS")
        limit, amount, unit = match.groups()
        seconds = float(amount) if amount is not None else 1.0
        if unit is not None and unit.startswith("m"):
            seconds *= 60.0
        try:
            return cls(limit=int(limit), period=seconds)
        except ValidationError as exc:
            raise ValidationError(f"{field}: {exc}", field=field, expected="N/SECONDS with N >= 1, SECONDS > 0") \
                from None

    def __str__(self) -> str:
        return f"{self.limit}/{self.period:g}s"


@runtime_checkable
class RateLimiter(Protocol):  # pragma: no mutate block (its defaults are never used; mutants would break isinstance)
    """A request budget shared by every caller that holds it (threads, tasks, clients)."""

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        """Block until ``cost`` requests fit every rate; ``Timeout`` naming the limiter if not within ``timeout``."""

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109 (the contract)
        """The asyncio twin of ``acquire``: waits without blocking the event loop."""

    def observe(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        """Server feedback after a response: ``X-RateLimit-Remaining``, ``Retry-After``, a 429."""


@runtime_checkable
class AsyncObserver(Protocol):
    """A ``RateLimiter`` whose feedback has an asyncio twin: the async clients await ``aobserve``.

    A limiter that talks to a server to take the feedback (``RedisRateLimiter``) implements it,
    so an async client never blocks its event loop on that round trip; a limiter without it
    gets the plain ``observe`` from the async clients too.
    """

    async def aobserve(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        """The asyncio twin of ``observe``."""


def published_rates(vendor: str, *, mode: str | None = None) -> tuple[Rate, ...]:
    """The vendor's published limits (``_constants.PUBLISHED_RATES``); empty when it publishes none.

    ``mode`` picks a variant where the vendor has several (Commerce Layer ``"live"``/``"test"``,
    default the first listed, the stricter ``test``).
    """
    variants = PUBLISHED_RATES.get(vendor)
    if variants is None:
        raise ConfigurationError(f"vendor: no published limits known for {vendor!r}; expected one of "
                                 f"{sorted(PUBLISHED_RATES)}", key="vendor")
    if mode is None:
        mode = next(iter(variants))
    if mode not in variants:
        raise ConfigurationError(f"rate mode: {vendor} has {sorted(variants)}, got {mode!r}", key="rate_mode")
    return tuple(Rate(limit=limit, period=period) for limit, period in variants[mode])


class _Window:
    """One rate's spent tokens, oldest first: answered ones by answer time, in-flight ones by grant time.

    The server counts a request when it arrives, some time between our grant and its answer.
    A token therefore comes back one ``period`` after the *answer* (``observe`` moves the oldest
    in-flight token to the answered side, stamped now): the k-th answer never comes before the
    k-th arrival, so no window of the server can see more than ``limit``, whatever the network
    jitter. A token whose answer never comes (the connection failed) comes back after
    ``RATE_LIMIT_UNANSWERED`` more seconds.
    """

    __slots__ = ("answered", "in_flight", "period", "rate")

    def __init__(self, rate: Rate, margin: float) -> None:
        self.rate = rate
        self.period = rate.period * (1.0 + margin)
        self.answered: collections.deque[float] = collections.deque()
        self.in_flight: collections.deque[float] = collections.deque()

    def expire(self, now: float) -> None:
        answered, horizon = self.answered, now - self.period
        while answered and answered[0] <= horizon:
            answered.popleft()
        in_flight, horizon = self.in_flight, horizon - RATE_LIMIT_UNANSWERED
        while in_flight and in_flight[0] <= horizon:
            in_flight.popleft()

    def wait(self, cost: int, now: float) -> float:
        """Seconds until ``cost`` more tokens may be free (0 when they are now).

        An in-flight token comes back one period after its answer, which may come any moment, or
        at its late return if none comes: it counts as back at the earlier of ``now + period``
        and that late return. So a caller waiting on in-flight tokens looks again once a window
        (as the shared limiter does) instead of sleeping until the late return while the answers
        arrive; once its token's answer is in, the next look finds its exact return.
        """
        over = len(self.answered) + len(self.in_flight) + cost - self.rate.limit
        if over <= 0:
            return 0.0
        period, soonest = self.period, now + self.period
        returns = heapq.merge((t + period for t in self.answered),
                              (min(soonest, t + period + RATE_LIMIT_UNANSWERED) for t in self.in_flight))
        back = next(itertools.islice(returns, over - 1, None))
        return max(0.0, back - now)

    def spend(self, cost: int, now: float) -> None:
        self.in_flight.extend([now] * cost)

    def answer(self, now: float) -> None:
        """One request was answered: its token comes back one period from now."""
        if self.in_flight:
            self.in_flight.popleft()
            self.answered.append(now)

    def tighten(self, remaining: int, now: float) -> None:
        """The server says only ``remaining`` more fit: count the difference as spent now."""
        extra = self.rate.limit - len(self.answered) - len(self.in_flight) - max(remaining, 0)
        if extra > 0:
            self.answered.extend([now] * extra)


class InMemoryRateLimiter:
    """The default budget: every ``Rate`` at once, in one process, for threads and asyncio alike.

    >>> limiter = InMemoryRateLimiter([Rate(limit=50, period=10), Rate(limit=200, period=60)],
    ...                               name="commercelayer")
    >>> limiter.acquire()   # returns at once: the first of 50 in 10 s

    The state sits behind one ``threading.Lock`` that is never held while waiting, so threads
    of a pool and tasks of any number of event loops can share one limiter. ``observe`` steers
    it: ``Retry-After`` (on an exhausted answer or a 429) pauses every caller that long, a 429
    without one pauses them ``RATE_LIMITED_PAUSE`` seconds, and ``X-RateLimit-Remaining`` lower
    than the local count of the longest window (the one vendors report) counts the difference
    as spent.
    """

    def __init__(
        self,
        rates: Sequence[Rate],
        *,
        name: str,
        margin: float = RATE_LIMIT_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        asleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        given: object = name
        if not isinstance(given, str) or not given.strip():
            raise ConfigurationError(f"name: expected a non-empty name for the rate limiter, got {name!r}", key="name")
        rates = tuple(rates)
        for index, rate in enumerate(rates):
            if not isinstance(rate, Rate):
                raise ConfigurationError(f"rates[{index}]: expected an orderpatch.Rate, got {type(rate).__name__}",
                                         key="rates")
        self.name = name
        self.rates = rates
        self._windows = tuple(_Window(rate, margin) for rate in rates)
        # ``X-RateLimit-Remaining`` describes one window: the vendors that send it count the
        # longest (Commerce Layer's average per minute, Spree's per minute), never a burst window.
        self._counted = max(self._windows, key=lambda window: window.rate.period, default=None)
        self._paused_until = -math.inf
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._asleep = asleep
        #: How often the server answered 429 (for reports and benchmarks).
        self.rate_limited = 0

    def __repr__(self) -> str:
        return f"InMemoryRateLimiter([{', '.join(map(str, self.rates))}], name={self.name!r})"

    def _check_cost(self, cost: object) -> int:
        if not isinstance(cost, int) or isinstance(cost, bool) or cost < 1:
            raise ValidationError(f"cost: expected a whole number of requests >= 1, got {cost!r}", field="cost",
                                  expected="int >= 1")
        for rate in self.rates:
            if cost > rate.limit:
                raise ValidationError(f"cost: {cost} requests can never fit the rate {rate} of {self.name!r}",
                                      field="cost", expected=f"int <= {rate.limit}")
        return cost

    def _try(self, cost: int) -> float:
        """Spend ``cost`` tokens and return 0, or return the seconds to wait before trying again."""
        with self._lock:
            now = self._clock()
            wait = self._paused_until - now
            for window in self._windows:
                window.expire(now)
                wait = max(wait, window.wait(cost, now))
            if wait <= 0:
                for window in self._windows:
                    window.spend(cost, now)
                return 0.0
            return wait

    def _deadline(self, timeout: float | None) -> float | None:
        if timeout is None:
            return None
        given: object = timeout
        if isinstance(given, bool) or not isinstance(given, (int, float)) or given != given:
            raise ValidationError(f"timeout: expected seconds or None, got {timeout!r}", field="timeout",
                                  expected="float >= 0 or None")
        return self._clock() + max(0.0, float(timeout))

    def _next_sleep(self, wait: float, cost: int, deadline: float | None, timeout: float | None) -> float:
        if deadline is None:
            return wait
        left = deadline - self._clock()
        if wait > left:
            raise Timeout(
                f"rate limiter {self.name!r}: {cost} request(s) cannot start within the {timeout:.3g} s left "
                f"(next slot in {wait:.3g} s; rates {', '.join(map(str, self.rates)) or 'none'})",
                vendor=self.name, method="-", url="-",
            )
        return wait

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        """Block until ``cost`` requests fit every rate; ``Timeout`` if that cannot happen within ``timeout``."""
        cost = self._check_cost(cost)
        deadline = self._deadline(timeout)
        while (wait := self._try(cost)) > 0:
            self._sleep(self._next_sleep(wait, cost, deadline, timeout))

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109 (the contract)
        """The asyncio twin of ``acquire``."""
        cost = self._check_cost(cost)
        deadline = self._deadline(timeout)
        while (wait := self._try(cost)) > 0:
            await self._asleep(self._next_sleep(wait, cost, deadline, timeout))

    async def aobserve(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        """``observe`` for the async clients: in-process and never blocking, so the same call."""
        self.observe(status=status, remaining=remaining, retry_after=retry_after)

    def observe(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        """Correct the budget by what the server said about its own count."""
        with self._lock:
            now = self._clock()
            for window in self._windows:
                window.answer(now)
            if status == 429:
                self.rate_limited += 1
                pause = retry_after if retry_after is not None else RATE_LIMITED_PAUSE
                self._paused_until = max(self._paused_until, now + pause)
            elif retry_after is not None and (remaining is None or remaining <= 0):
                self._paused_until = max(self._paused_until, now + retry_after)
            if remaining is not None and self._counted is not None:
                self._counted.expire(now)
                self._counted.tighten(remaining, now)
