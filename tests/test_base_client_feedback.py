"""Rate-limit feedback from the base client: the sync shell calls ``observe``, the async shell
awaits ``aobserve`` where the limiter has one (``AsyncObserver``), so a limiter that asks a
server (Redis) never blocks the event loop."""

from __future__ import annotations

import asyncio

from pytest_httpx import HTTPXMock

from orderpatch import AsyncObserver, InMemoryRateLimiter, Rate, RateLimiter
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate

URL = "https://saas.licensespring.com/api/v1/orders/7/"
ORDER = {"id": 7, "store_id": "s-1", "metadata": {}, "license_users": []}
KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"


class TwoWays:
    """A limiter with both feedback methods, recording which one each response went to."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int | None, float | None]] = []

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        pass

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        pass

    def observe(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        self.calls.append(("observe", status, remaining, retry_after))

    async def aobserve(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        await asyncio.sleep(0)  # a real await: the async shell must await it, not call and drop it
        self.calls.append(("aobserve", status, remaining, retry_after))


class SyncOnly(TwoWays):
    """A limiter of the three-method protocol only (as users may have written before ``aobserve``)."""

    aobserve = None  # type: ignore[assignment]


def responses(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", status_code=429, headers={"Retry-After": "0"},
                            json={"detail": "slow"})
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER, headers={"X-RateLimit-Remaining": "41"})


async def update_async(limiter: RateLimiter) -> None:
    async with AsyncLicenseSpringClient(api_key=KEY, rate_limiter=limiter) as ls:
        await ls.orders.update(7, OrderUpdate(store_id="s-1"))


def test_the_async_client_awaits_aobserve_for_every_response(httpx_mock: HTTPXMock) -> None:
    responses(httpx_mock)
    limiter = TwoWays()
    assert isinstance(limiter, AsyncObserver)
    asyncio.run(update_async(limiter))
    assert limiter.calls == [("aobserve", 429, None, 0.0), ("aobserve", 200, 41, None)]


def test_the_sync_client_calls_observe(httpx_mock: HTTPXMock) -> None:
    responses(httpx_mock)
    limiter = TwoWays()
    with LicenseSpringClient(api_key=KEY, rate_limiter=limiter) as ls:
        ls.orders.update(7, OrderUpdate(store_id="s-1"))
    assert limiter.calls == [("observe", 429, None, 0.0), ("observe", 200, 41, None)]


def test_a_limiter_without_aobserve_gets_observe_from_the_async_client(httpx_mock: HTTPXMock) -> None:
    responses(httpx_mock)
    limiter = SyncOnly()
    assert isinstance(limiter, RateLimiter)
    asyncio.run(update_async(limiter))
    assert [call[0] for call in limiter.calls] == ["observe", "observe"]


def test_the_in_process_limiter_takes_async_feedback_the_same_way() -> None:
    limiter = InMemoryRateLimiter([Rate(limit=2, period=60.0)], name="x")
    assert isinstance(limiter, AsyncObserver)
    limiter.acquire()
    asyncio.run(limiter.aobserve(status=429, remaining=0, retry_after=30.0))
    assert limiter.rate_limited == 1
    assert limiter._paused_until > limiter._clock() + 29  # the pause, as observe() would set it
    assert list(limiter._windows[0].answered)  # the token was answered
    assert not limiter._windows[0].in_flight
