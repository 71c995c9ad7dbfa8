"""The request budget: ``Rate``, ``InMemoryRateLimiter`` on a fake clock, and the client hook."""

from __future__ import annotations

import asyncio
import collections
import threading
import time

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import ConfigurationError, InMemoryRateLimiter, Rate, RateLimiter, Timeout, ValidationError
from orderpatch._constants import PUBLISHED_RATES, RATE_LIMITED_PAUSE
from orderpatch._ratelimit import published_rates
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate
from tests.conftest import SleepRecorder

URL = "https://saas.licensespring.com/api/v1/orders/7/"
ORDER = {"id": 7, "store_id": "s-1", "metadata": {}, "license_users": []}
KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def limiter(*rates: tuple[int, float], clock: FakeClock, margin: float = 0.0) -> InMemoryRateLimiter:
    return InMemoryRateLimiter([Rate(limit=n, period=p) for n, p in rates], name="test", margin=margin,
                               clock=clock, sleep=clock.sleep, asleep=clock.asleep)


def answered() -> dict[str, None]:
    return {"remaining": None, "retry_after": None}


def call(lim: InMemoryRateLimiter, cost: int = 1, **kwargs: float) -> None:
    """One request through the limiter, answered at once."""
    lim.acquire(cost, **kwargs)
    lim.observe(status=200, **answered())


def grant_times(lim: InMemoryRateLimiter, clock: FakeClock, count: int) -> list[float]:
    times = []
    for _ in range(count):
        call(lim)
        times.append(clock.now)
    return times


def most_in_any_window(times: list[float], period: float) -> int:
    return max(sum(1 for t in times if start <= t < start + period) for start in times)


# --- Rate ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "limit", "period"), [
    ("50/10", 50, 10.0), ("200/60s", 200, 60.0), ("200/min", 200, 60.0), ("5/", 5, 1.0), (" 3 / 0.5 ", 3, 0.5),
    ("100/2m", 100, 120.0),
])
def test_rate_parses_n_per_seconds(text: str, limit: int, period: float) -> None:
    assert Rate.parse(text) == Rate(limit=limit, period=period)


@pytest.mark.parametrize("text", ["", "fast", "0/10", "10/0", "-1/5", "1.5/10", "10/x"])
def test_bad_rate_text_names_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        Rate.parse(text, field="--rate")
    assert info.value.field == "--rate"


@pytest.mark.parametrize(("limit", "period"), [(0, 1.0), (True, 1.0), (1, 0.0), (1, float("inf")), (1, "1")])
def test_rate_refuses_nonsense(limit: object, period: object) -> None:
    with pytest.raises(ValidationError, match="Rate\\."):
        Rate(limit=limit, period=period)  # type: ignore[arg-type]


def test_rate_is_frozen_and_keyword_only() -> None:
    rate = Rate(limit=5, period=1)
    assert str(rate) == "5/1s"
    assert rate.period == 1.0
    with pytest.raises(AttributeError):
        rate.limit = 6  # type: ignore[misc]
    with pytest.raises(TypeError):
        Rate(5, 1.0)  # type: ignore[call-arg]


def test_published_rates_come_from_the_constants() -> None:
    assert published_rates("commercelayer") == (Rate(limit=25, period=10), Rate(limit=100, period=60))
    assert published_rates("commercelayer", mode="live") == (Rate(limit=50, period=10), Rate(limit=200, period=60))
    assert published_rates("spree") == ()
    assert published_rates("trunkery") == ()
    assert Rate(limit=600, period=60) in published_rates("licensespring")
    assert set(PUBLISHED_RATES) >= {"commercelayer", "licensespring", "spree", "trunkery"}
    with pytest.raises(ConfigurationError, match="no published limits"):
        published_rates("acme")
    with pytest.raises(ConfigurationError, match="rate mode"):
        published_rates("commercelayer", mode="staging")


# --- the bucket on a fake clock ----------------------------------------------------------------------


def test_burst_then_steady_never_more_than_limit_in_any_window() -> None:
    clock = FakeClock()
    lim = limiter((5, 1.0), (12, 10.0), clock=clock)
    times = grant_times(lim, clock, 60)
    assert times[:5] == [1000.0] * 5  # the burst goes at once
    assert most_in_any_window(times, 1.0) == 5
    assert most_in_any_window(times, 10.0) == 12
    # 12 per 10 s exactly: each window opens with 5, 5, 2 at one-second steps.
    assert times[12:17] == [1010.0] * 5
    assert times[-1] - times[0] == pytest.approx(42.0)


def test_steady_rate_reaches_the_budget() -> None:
    clock = FakeClock()
    lim = limiter((10, 1.0), clock=clock)
    times = grant_times(lim, clock, 1010)
    achieved = (1010 - 10) / (times[-1] - times[0])
    assert achieved == pytest.approx(10.0)


def test_margin_widens_each_window() -> None:
    clock = FakeClock()
    lim = limiter((2, 1.0), clock=clock, margin=0.25)
    times = grant_times(lim, clock, 3)
    assert times[2] - times[0] == pytest.approx(1.25)


def test_cost_takes_several_tokens_and_cannot_exceed_a_limit() -> None:
    clock = FakeClock()
    lim = limiter((4, 1.0), clock=clock)
    call(lim, 3)
    call(lim, 2)
    assert clock.now == pytest.approx(1001.0)
    with pytest.raises(ValidationError, match="can never fit"):
        lim.acquire(5)
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValidationError) as info:
            lim.acquire(bad)  # type: ignore[arg-type]
        assert info.value.field == "cost"


def test_timeout_names_the_limiter_and_spends_nothing() -> None:
    clock = FakeClock()
    lim = limiter((1, 10.0), clock=clock)
    call(lim, timeout=0)
    with pytest.raises(Timeout, match="rate limiter 'test'") as info:
        lim.acquire(timeout=2.0)
    assert info.value.vendor == "test"
    assert clock.sleeps == []  # it did not wait in vain
    lim.acquire(timeout=10.0)
    assert clock.now == pytest.approx(1010.0)
    with pytest.raises(ValidationError):
        lim.acquire(timeout="soon")  # type: ignore[arg-type]


def test_no_rates_means_no_waiting() -> None:
    clock = FakeClock()
    lim = limiter(clock=clock)
    grant_times(lim, clock, 100)
    assert clock.sleeps == []


def test_429_pauses_everyone_for_retry_after_or_the_default() -> None:
    clock = FakeClock()
    lim = limiter((100, 1.0), clock=clock)
    lim.observe(status=429, remaining=None, retry_after=3.0)
    lim.acquire()
    assert clock.now == pytest.approx(1003.0)
    assert lim.rate_limited == 1
    lim.observe(status=429, remaining=None, retry_after=None)
    lim.acquire()
    assert clock.now == pytest.approx(1003.0 + RATE_LIMITED_PAUSE)
    assert lim.rate_limited == 2


def test_retry_after_on_an_exhausted_2xx_slows_down() -> None:
    clock = FakeClock()
    lim = limiter((100, 60.0), clock=clock)
    lim.observe(status=200, remaining=5, retry_after=9.0)  # budget left: the hint is not a pause
    lim.acquire()
    assert clock.now == 1000.0
    lim.observe(status=200, remaining=0, retry_after=9.0)
    lim.acquire()
    assert clock.now >= 1009.0


def test_remaining_lower_than_local_count_tightens_the_budget() -> None:
    clock = FakeClock()
    lim = limiter((10, 10.0), clock=clock)
    lim.acquire()
    lim.observe(status=200, remaining=2, retry_after=None)  # someone else spends this budget too
    call(lim)
    call(lim)
    assert clock.now == 1000.0
    call(lim)  # the fourth would be over the server's count: wait for the window
    assert clock.now == pytest.approx(1010.0)
    lim.observe(status=200, remaining=50, retry_after=None)  # never loosens
    assert lim._windows[0].answered


def test_a_token_comes_back_one_period_after_its_answer() -> None:
    clock = FakeClock()
    lim = limiter((2, 1.0), clock=clock)
    lim.acquire()
    lim.acquire()
    clock.now += 0.5  # the answers take half a second
    lim.observe(status=200, **answered())
    lim.observe(status=200, **answered())
    lim.acquire()
    assert clock.now == pytest.approx(1001.5)


def test_an_unanswered_token_comes_back_late() -> None:
    from orderpatch._constants import RATE_LIMIT_UNANSWERED

    clock = FakeClock()
    lim = limiter((1, 1.0), clock=clock)
    lim.acquire()  # its connection failed: no answer will come
    lim.acquire()
    assert clock.now == pytest.approx(1001.0 + RATE_LIMIT_UNANSWERED)
    lim.observe(status=200, **answered())
    lim.observe(status=200, **answered())  # an answer nobody waits for changes nothing


def test_constructor_checks() -> None:
    with pytest.raises(ConfigurationError, match="name"):
        InMemoryRateLimiter([], name=" ")
    with pytest.raises(ConfigurationError, match=r"rates\[0\]"):
        InMemoryRateLimiter([(5, 1.0)], name="x")  # type: ignore[list-item]
    lim = InMemoryRateLimiter([Rate(limit=5, period=1)], name="cl")
    assert repr(lim) == "InMemoryRateLimiter([5/1s], name='cl')"
    assert isinstance(lim, RateLimiter)


def test_async_acquire_uses_the_same_budget() -> None:
    clock = FakeClock()
    lim = limiter((3, 1.0), clock=clock)

    async def run() -> list[float]:
        times = []
        for _ in range(7):
            await lim.aacquire()
            lim.observe(status=200, **answered())
            times.append(clock.now)
        with pytest.raises(Timeout):
            await lim.aacquire(3, timeout=0.1)
        return times

    times = asyncio.run(run())
    assert times == [1000.0] * 3 + [1001.0] * 3 + [1002.0]


def test_threads_share_one_budget_with_the_real_clock() -> None:
    lim = InMemoryRateLimiter([Rate(limit=20, period=0.5)], name="threads", margin=0.0)
    grants: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            lim.acquire()
            with lock:
                grants.append(time.monotonic())
            lim.observe(status=200, **answered())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    grants.sort()
    assert len(grants) == 60
    assert most_in_any_window(grants, 0.5 - 0.01) <= 20
    assert grants[-1] - grants[0] >= 2 * 0.5 - 0.05  # 60 grants of 20 per 0.5 s: two windows at least


def test_asyncio_tasks_share_one_budget() -> None:
    lim = InMemoryRateLimiter([Rate(limit=10, period=0.2)], name="tasks", margin=0.0)

    async def run() -> list[float]:
        grants: list[float] = []

        async def task() -> None:
            for _ in range(5):
                await lim.aacquire()
                grants.append(time.monotonic())
                lim.observe(status=200, **answered())

        await asyncio.gather(*(task() for _ in range(6)))
        return sorted(grants)

    grants = asyncio.run(run())
    assert len(grants) == 30
    assert most_in_any_window(grants, 0.2 - 0.01) <= 10


# --- the client hook ------------------------------------------------------------------------------


class Recorder:
    """A RateLimiter that records what the client asks and tells."""

    def __init__(self) -> None:
        self.acquired: list[float | None] = []
        self.observed: list[tuple[int, int | None, float | None]] = []

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        self.acquired.append(timeout)

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self.acquired.append(timeout)

    def observe(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        self.observed.append((status, remaining, retry_after))


def test_client_acquires_before_every_attempt_and_observes_every_response(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder
) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", status_code=429,
                            headers={"Retry-After": "2", "X-RateLimit-Remaining": "0"}, json={"detail": "slow"})
    httpx_mock.add_response(url=URL, method="PATCH", status_code=503, json={"detail": "busy"})
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER, headers={"X-RateLimit-Remaining": "41"})
    recorder = Recorder()
    with LicenseSpringClient(api_key=KEY, rate_limiter=recorder) as ls:
        ls.orders.update(7, OrderUpdate(store_id="s-1"))
    assert recorder.acquired == [None, None, None]
    assert recorder.observed == [(429, 0, 2.0), (503, None, None), (200, 41, None)]


def test_acquire_gets_what_remains_of_the_deadline(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER, headers={"X-RateLimit-Remaining": "soon"})
    recorder = Recorder()
    with LicenseSpringClient(api_key=KEY, rate_limiter=recorder, deadline=5.0) as ls:
        ls.orders.update(7, OrderUpdate(store_id="s-1"))
    (timeout,) = recorder.acquired
    assert timeout is not None
    assert 4.0 < timeout <= 5.0
    assert recorder.observed == [(200, None, None)]  # an unreadable header is no information


def test_async_client_paces_through_aacquire(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER)
    recorder = Recorder()

    async def run() -> None:
        async with AsyncLicenseSpringClient(api_key=KEY, rate_limiter=recorder) as ls:
            await ls.orders.update(7, OrderUpdate(store_id="s-1"))

    asyncio.run(run())
    assert recorder.acquired == [None]
    assert recorder.observed == [(200, None, None)]


def test_a_full_budget_turns_into_a_timeout_before_any_request(httpx_mock: HTTPXMock) -> None:
    lim = InMemoryRateLimiter([Rate(limit=1, period=60)], name="licensespring")
    lim.acquire()
    with LicenseSpringClient(api_key=KEY, rate_limiter=lim, deadline=0.2) as ls, \
            pytest.raises(Timeout, match="rate limiter 'licensespring'"):
        ls.orders.update(7, OrderUpdate(store_id="s-1"))
    assert httpx_mock.get_requests() == []


def test_with_options_shares_the_limiter_and_a_wrong_one_is_refused() -> None:
    lim = InMemoryRateLimiter([Rate(limit=1, period=60)], name="licensespring")
    with LicenseSpringClient(api_key=KEY, rate_limiter=lim) as ls:
        assert ls.with_options(max_retries=0).rate_limiter is lim
    with pytest.raises(ConfigurationError) as info:
        LicenseSpringClient(api_key=KEY, rate_limiter=object())  # type: ignore[arg-type]
    assert info.value.key == "rate_limiter"


def test_real_limiter_keeps_a_client_at_its_rate(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER, is_reusable=True)
    lim = InMemoryRateLimiter([Rate(limit=5, period=0.2)], name="licensespring", margin=0.0)
    started = time.monotonic()
    with LicenseSpringClient(api_key=KEY, rate_limiter=lim, http_client=httpx.Client()) as ls:
        for _ in range(12):
            ls.orders.update(7, OrderUpdate(store_id="s-1"))
    assert time.monotonic() - started >= 0.4 - 0.02


def test_remaining_describes_the_longest_window_only() -> None:
    clock = FakeClock()
    lim = limiter((2, 1.0), (10, 60.0), clock=clock)
    call(lim)
    lim.observe(status=200, remaining=0, retry_after=None)  # the per-minute budget is spent elsewhere
    assert lim._windows[0].answered == collections.deque([1000.0])  # the burst window is left alone
    assert len(lim._windows[1].answered) == 10
    with pytest.raises(Timeout):
        lim.acquire(timeout=30.0)
