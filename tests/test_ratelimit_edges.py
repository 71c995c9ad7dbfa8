"""The in-memory rate limiter at its edges, on a fake clock: tokens that come back exactly at the
window's end, the server's count tightening by one, several tokens at once, pauses from
``Retry-After`` with and without ``X-RateLimit-Remaining``, and the exact errors (field, expected).

These pin the behaviour a mutation run of ``orderpatch/_ratelimit.py`` changes (mutation/config.toml).
"""

from __future__ import annotations

import asyncio

import pytest

from orderpatch import ConfigurationError, InMemoryRateLimiter, Rate, Timeout, ValidationError
from orderpatch._constants import PUBLISHED_RATES, RATE_LIMIT_UNANSWERED
from orderpatch._ratelimit import published_rates
from tests.test_ratelimit import FakeClock, call, limiter


def granted_now(lim: InMemoryRateLimiter, clock: FakeClock, most: int = 50) -> int:
    """How many single requests start before the clock has to move."""
    start, count = clock.now, 0
    for _ in range(most):
        lim.acquire()
        if clock.now != start:
            return count
        count += 1
    return count


# ---------------------------------------------------------------------------------------- Rate


def test_a_whole_number_period_is_stored_as_a_float() -> None:
    rate = Rate(limit=5, period=2)
    assert type(rate.period) is float
    assert rate.period == 2.0
    assert type(Rate(limit=5, period=2.5).period) is float


@pytest.mark.parametrize(("name", "limit", "period", "expected"), [
    ("limit", 0, 1.0, "int >= 1"),
    ("limit", True, 1.0, "int >= 1"),
    ("limit", 1.0, 1.0, "int >= 1"),
    ("period", 1, True, "float > 0"),
    ("period", 1, 0.0, "float > 0"),
    ("period", 1, -1.0, "float > 0"),
    ("period", 1, float("nan"), "float > 0"),
    ("period", 1, "1", "float > 0"),
])
def test_a_bad_rate_names_its_field_and_what_it_takes(name: str, limit: object, period: object, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        Rate(limit=limit, period=period)  # type: ignore[arg-type]
    assert info.value.field == f"Rate.{name}"
    assert info.value.expected == expected
    value = limit if name == "limit" else period
    if name == "limit":
        assert str(info.value) == f"Rate.limit: expected a whole number of requests >= 1, got {value!r}"
    else:
        assert str(info.value) == f"Rate.period: expected a positive number of seconds, got {value!r}"


def test_rate_text_errors_are_exact() -> None:
    with pytest.raises(ValidationError) as info:
        Rate.parse("fast", field="--rate")
    assert str(info.value) == "--rate: expected N/SECONDS such as 50/10 or 200/60, got 'fast'"
    assert (info.value.field, info.value.expected) == ("--rate", "N/SECONDS")
    with pytest.raises(ValidationError) as info:
        Rate.parse("0/10")
    assert str(info.value) == "rate: Rate.limit: expected a whole number of requests >= 1, got 0"
    assert (info.value.field, info.value.expected) == ("rate", "N/SECONDS with N >= 1, SECONDS > 0")
    with pytest.raises(ValidationError) as info:
        Rate.parse(50, field="rate_limit")  # type: ignore[arg-type]
    assert str(info.value) == "rate_limit: expected N/SECONDS such as 50/10 or 200/60, got 50"
    assert info.value.field == "rate_limit"
    long = "9" * 100
    with pytest.raises(ValidationError) as info:
        Rate.parse(long)
    assert str(info.value).endswith(f"got {long!r:.60}")


def test_published_rates_errors_name_their_key() -> None:
    with pytest.raises(ConfigurationError) as info:
        published_rates("acme")
    assert str(info.value) == f"vendor: no published limits known for 'acme'; expected one of {sorted(PUBLISHED_RATES)}"
    assert info.value.key == "vendor"
    with pytest.raises(ConfigurationError) as info:
        published_rates("commercelayer", mode="staging")
    assert str(info.value) == "rate mode: commercelayer has ['live', 'test'], got 'staging'"
    assert info.value.key == "rate_mode"


# ---------------------------------------------------------------------------------------- construction


def test_constructor_errors_name_their_key() -> None:
    for name in ("", "  ", 5):
        with pytest.raises(ConfigurationError) as info:
            InMemoryRateLimiter([], name=name)  # type: ignore[arg-type]
        assert str(info.value) == f"name: expected a non-empty name for the rate limiter, got {name!r}"
        assert info.value.key == "name"
    with pytest.raises(ConfigurationError) as info:
        InMemoryRateLimiter([Rate(limit=1, period=1), (5, 1.0)], name="x")  # type: ignore[list-item]
    assert str(info.value) == "rates[1]: expected an orderpatch.Rate, got tuple"
    assert info.value.key == "rates"


def test_repr_lists_every_rate() -> None:
    lim = InMemoryRateLimiter([Rate(limit=5, period=1), Rate(limit=200, period=60)], name="cl")
    assert repr(lim) == "InMemoryRateLimiter([5/1s, 200/60s], name='cl')"
    assert repr(InMemoryRateLimiter([], name="none")) == "InMemoryRateLimiter([], name='none')"


# ---------------------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize("cost", [0, -1, True, 1.5, "1"])
def test_a_bad_cost_is_exact(cost: object) -> None:
    lim = limiter((4, 1.0), clock=FakeClock())
    with pytest.raises(ValidationError) as info:
        lim.acquire(cost)  # type: ignore[arg-type]
    assert str(info.value) == f"cost: expected a whole number of requests >= 1, got {cost!r}"
    assert (info.value.field, info.value.expected) == ("cost", "int >= 1")


def test_a_cost_over_a_limit_names_the_rate() -> None:
    lim = limiter((10, 1.0), (4, 60.0), clock=FakeClock())
    with pytest.raises(ValidationError) as info:
        lim.acquire(5)
    assert str(info.value) == "cost: 5 requests can never fit the rate 4/60s of 'test'"
    assert (info.value.field, info.value.expected) == ("cost", "int <= 4")
    lim.acquire(4)  # exactly the limit fits


@pytest.mark.parametrize("timeout", ["soon", True, float("nan")])
def test_a_bad_timeout_is_exact(timeout: object) -> None:
    lim = limiter((4, 1.0), clock=FakeClock())
    with pytest.raises(ValidationError) as info:
        lim.acquire(timeout=timeout)  # type: ignore[arg-type]
    assert str(info.value) == f"timeout: expected seconds or None, got {timeout!r}"
    assert (info.value.field, info.value.expected) == ("timeout", "float >= 0 or None")


# ---------------------------------------------------------------------------------------- the timeout


def test_the_timeout_says_what_could_not_start_and_when_it_could() -> None:
    clock = FakeClock()
    lim = limiter((2, 10.0), (5, 60.0), clock=clock)
    lim.acquire(2)
    lim.observe(status=200, remaining=None, retry_after=None)
    lim.observe(status=200, remaining=None, retry_after=None)
    with pytest.raises(Timeout) as info:
        lim.acquire(2, timeout=2.5)
    assert str(info.value) == ("rate limiter 'test': 2 request(s) cannot start within the 2.5 s left "
                               "(next slot in 10 s; rates 2/10s, 5/60s)")
    assert (info.value.vendor, info.value.method, info.value.url) == ("test", "-", "-")
    assert clock.sleeps == []


def test_a_timeout_without_rates_says_none() -> None:
    clock = FakeClock()
    lim = limiter(clock=clock)
    lim.observe(status=429, remaining=None, retry_after=5.0)
    with pytest.raises(Timeout) as info:
        asyncio.run(lim.aacquire(timeout=1.0))
    assert str(info.value) == ("rate limiter 'test': 1 request(s) cannot start within the 1 s left "
                               "(next slot in 5 s; rates none)")


def test_the_async_timeout_counts_the_cost_too() -> None:
    clock = FakeClock()
    lim = limiter((3, 10.0), clock=clock)
    call(lim, 3)
    with pytest.raises(Timeout, match=r"^rate limiter 'test': 3 request\(s\) cannot start within the 1 s left"):
        asyncio.run(lim.aacquire(3, timeout=1.0))


# ---------------------------------------------------------------------------------------- windows


def test_an_answered_token_is_back_exactly_one_period_later() -> None:
    clock = FakeClock()
    lim = limiter((2, 1.0), clock=clock)
    call(lim)
    clock.now = 1001.0  # exactly one period after the answer: that token is free again
    lim.observe(status=200, remaining=0, retry_after=None)  # the server: none left now
    assert granted_now(lim, clock) == 0
    assert clock.now == pytest.approx(1002.0)  # both tokens were counted spent at 1001


def test_an_unanswered_token_is_back_exactly_at_its_late_return() -> None:
    clock = FakeClock()
    lim = limiter((3, 1.0), clock=clock)
    lim.acquire()
    lim.acquire()  # neither is answered ...
    clock.now = 1000.0 + 1.0 + RATE_LIMIT_UNANSWERED
    lim.observe(status=200, remaining=0, retry_after=None)  # ... until one answer, long after
    # One answered now, the other given up exactly now: the server's 0 means all three are spent now.
    lim.acquire()
    assert clock.now == pytest.approx(1000.0 + 2.0 + RATE_LIMIT_UNANSWERED)


def test_several_tokens_wait_for_the_last_one_they_need() -> None:
    clock = FakeClock()
    lim = limiter((3, 1.0), clock=clock)
    for at in (1000.0, 1000.2, 1000.4):
        clock.now = at
        call(lim)
    lim.acquire(2)  # needs the tokens of 1000.0 and 1000.2: one sleep until 1001.2
    assert clock.sleeps == [pytest.approx(0.8)]
    assert clock.now == pytest.approx(1001.2)


def test_a_short_window_waits_less_than_a_second() -> None:
    clock = FakeClock()
    lim = limiter((1, 0.25), clock=clock)
    call(lim)
    lim.acquire()
    assert clock.sleeps == [pytest.approx(0.25)]


def test_the_servers_count_tightens_by_one() -> None:
    clock = FakeClock()
    lim = limiter((10, 10.0), clock=clock)
    call(lim)
    lim.observe(status=200, remaining=8, retry_after=None)  # one more than we counted is spent
    assert granted_now(lim, clock) == 8


def test_the_servers_count_includes_requests_in_flight() -> None:
    clock = FakeClock()
    lim = limiter((10, 10.0), clock=clock)
    for _ in range(3):
        lim.acquire()
    lim.observe(status=200, remaining=5, retry_after=None)  # one answered, two still in flight
    assert granted_now(lim, clock) == 5


def test_a_server_count_equal_to_ours_changes_nothing() -> None:
    clock = FakeClock()
    lim = limiter((10, 10.0), clock=clock)
    call(lim)
    lim.observe(status=200, remaining=9, retry_after=None)
    assert granted_now(lim, clock) == 9


# ---------------------------------------------------------------------------------------- pauses


def test_retry_after_without_remaining_pauses() -> None:
    clock = FakeClock()
    lim = limiter((100, 1.0), clock=clock)
    lim.observe(status=200, remaining=None, retry_after=4.0)
    lim.acquire()
    assert clock.now == pytest.approx(1004.0)


def test_retry_after_with_none_remaining_pauses_exactly_that_long() -> None:
    clock = FakeClock()
    lim = limiter((100, 1.0), clock=clock)  # the spent window is back in 1 s; the pause is longer
    lim.observe(status=200, remaining=0, retry_after=9.0)
    lim.acquire()
    assert clock.now == pytest.approx(1009.0)


def test_retry_after_with_one_remaining_is_not_a_pause() -> None:
    clock = FakeClock()
    lim = limiter((100, 60.0), clock=clock)
    lim.observe(status=200, remaining=1, retry_after=9.0)
    lim.acquire()
    assert clock.now == 1000.0
    assert clock.sleeps == []


class AnswerWhileAsleep(FakeClock):
    """A fake clock on which the in-flight requests' answers arrive during the first sleep."""

    def __init__(self, answer_after: float, answers: int) -> None:
        super().__init__()
        self.lim: InMemoryRateLimiter | None = None
        self.answer_after, self.answers = answer_after, answers

    def sleep(self, seconds: float) -> None:
        if len(self.sleeps) == 0 and self.lim is not None:
            assert seconds > self.answer_after
            start = self.now
            self.now = start + self.answer_after
            for _ in range(self.answers):
                self.lim.observe(status=200, remaining=None, retry_after=None)
            self.now = start
        super().sleep(seconds)


def in_flight_limiter(clock: AnswerWhileAsleep) -> InMemoryRateLimiter:
    lim = limiter((2, 1.0), clock=clock)
    clock.lim = lim
    lim.acquire()
    lim.acquire()  # both tokens in flight: no answer yet
    return lim


def test_a_waiter_behind_requests_in_flight_starts_one_period_after_their_answer() -> None:
    clock = AnswerWhileAsleep(answer_after=0.3, answers=1)
    in_flight_limiter(clock).acquire()
    # It looked again one window later (not at the late return, 31 s away), found the answer of
    # 1000.3, and waited exactly until that token was back.
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(0.3)]
    assert clock.now == pytest.approx(1001.3)


def test_the_async_waiter_behind_requests_in_flight_is_as_prompt() -> None:
    clock = AnswerWhileAsleep(answer_after=0.3, answers=1)
    asyncio.run(in_flight_limiter(clock).aacquire())
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(0.3)]
    assert clock.now == pytest.approx(1001.3)


def test_a_waiter_behind_unanswered_requests_looks_again_once_a_window() -> None:
    clock = AnswerWhileAsleep(answer_after=0.0, answers=0)
    in_flight_limiter(clock).acquire()
    # No answer ever comes: it wakes once a window and starts at the oldest token's late return.
    assert clock.now == pytest.approx(1001.0 + RATE_LIMIT_UNANSWERED)
    assert max(clock.sleeps) == pytest.approx(1.0)
    assert len(clock.sleeps) == pytest.approx(1 + RATE_LIMIT_UNANSWERED, abs=1)


def test_the_wait_is_timed_out_at_once_when_even_an_answer_now_is_too_late() -> None:
    clock = AnswerWhileAsleep(answer_after=0.0, answers=0)
    lim = in_flight_limiter(clock)
    with pytest.raises(Timeout, match=r"next slot in 1 s"):
        lim.acquire(timeout=0.5)
    assert clock.sleeps == []


def test_a_timeout_longer_than_a_window_waits_for_the_answer_in_flight() -> None:
    clock = AnswerWhileAsleep(answer_after=0.3, answers=1)
    in_flight_limiter(clock).acquire(timeout=2.0)  # the late return (31 s) is beyond it; the answer is not
    assert clock.now == pytest.approx(1001.3)


def test_aobserve_passes_the_status_the_pause_and_the_servers_count_on() -> None:
    clock = FakeClock()
    lim = limiter((3, 1.0), clock=clock)
    lim.acquire()
    asyncio.run(lim.aobserve(status=429, remaining=None, retry_after=2.5))
    assert lim.rate_limited == 1
    lim.acquire()  # paused 2.5 s by the Retry-After, not RATE_LIMITED_PAUSE
    assert clock.now == pytest.approx(1002.5)
    asyncio.run(lim.aobserve(status=200, remaining=0, retry_after=None))  # the server: none left
    lim.acquire()  # every token counted spent at 1002.5: back one period later
    assert clock.now == pytest.approx(1003.5)
    assert lim.rate_limited == 1
