"""Concurrency: one token request for many callers, and cancellation that leaves the client usable.

* 100 concurrent asyncio calls (and 16 threads on the sync client) behind an expired OAuth2 token
  fetch exactly one new token, for Commerce Layer and Spree.
* The same when the vendor rejects the token (401 "token rejected") while the calls are in flight.
* A task cancelled mid-request, mid-token-request or mid-back-off leaves the client usable, with no
  connection of the pool stuck in use and no request queued (checked over loopback).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest

from orderpatch import APIError
from orderpatch._auth import OAuth2ClientCredentials
from tests.faults import HANG, respond

from ._faults_extra import ExtraFaultServer
from ._targets import COMMERCELAYER, OPERATIONS, SPREE, AnyClient, Kind, Operation, close_client, http_for, resolve

OAUTH_UPDATES = {op.vendor.name: op for op in OPERATIONS if op.key in ("commercelayer.update", "spree.update")}
CALLS = 100
THREADS = 16


class TokenServer:
    """A mock vendor: issues ``tok-1``, ``tok-2``, … and accepts only the newest token.

    ``first_lifetime`` is the lifetime of the first token (later ones live an hour). With
    ``revoke()``, the current token becomes invalid and requests carrying it get the vendor's 401
    "token rejected" answer; ``hold_rejections`` makes the first of those answers wait until a
    second stale request has arrived, and delays the others until the new token was issued: a late
    401 then always meets an already refreshed token.
    """

    def __init__(self, operation: Operation, *, first_lifetime: float = 3600.0, hold_rejections: bool = False) -> None:
        self.two_stale = threading.Event()
        self.vendor = operation.vendor
        self.ok = operation.vendor.ok_body()
        self.first_lifetime = first_lifetime
        self.hold_rejections = hold_rejections
        self.issued = 0
        self.valid = ""
        self.calls = 0
        self.rejections = 0
        self._lock = threading.Lock()
        self.refreshed = threading.Event()

    def revoke(self) -> None:
        self.valid = "revoked"

    def _token(self) -> httpx.Response:
        with self._lock:
            self.issued += 1
            self.valid = f"tok-{self.issued}"
            lifetime = self.first_lifetime if self.issued == 1 else 3600
            self.refreshed.set()
        return httpx.Response(200, json={"access_token": self.valid, "token_type": "bearer", "expires_in": lifetime})

    def _call(self, request: httpx.Request) -> tuple[httpx.Response, bool]:
        """The answer, and whether it is a rejection to hold back."""
        with self._lock:
            self.calls += 1
            if request.headers.get("authorization") == f"Bearer {self.valid}":
                return httpx.Response(200, content=self.ok, headers={"content-type": "application/json"}), False
            self.rejections += 1
            hold = self.hold_rejections and self.rejections > 1
            if self.rejections >= 2:
                self.two_stale.set()
        return httpx.Response(401, content=self.vendor.token_rejected_body), hold

    def first_waits(self, hold: bool) -> bool:
        """Whether this is the first rejection, which waits until a second stale request is in flight."""
        return self.hold_rejections and not hold and not self.two_stale.is_set()

    def sync_handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.vendor.token_path:
            time.sleep(0.005)
            return self._token()
        time.sleep(0.002)
        response, hold = self._call(request)
        if response.status_code == 401 and self.first_waits(hold):
            self.two_stale.wait(2)
        if hold:
            self.refreshed.wait(2)
            time.sleep(0.01)
        return response

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.vendor.token_path:
            await asyncio.sleep(0.005)
            return self._token()
        await asyncio.sleep(0.002)
        response, hold = self._call(request)
        if response.status_code == 401 and self.first_waits(hold):
            for _ in range(2000):
                if self.two_stale.is_set():
                    break
                await asyncio.sleep(0.001)
        if hold:
            while not self.refreshed.is_set():  # noqa: ASYNC110 - a threading.Event, shared with the sync handler
                await asyncio.sleep(0.001)
            await asyncio.sleep(0.01)
        return response

    def client(self, kind: Kind) -> tuple[AnyClient, httpx.Client | httpx.AsyncClient]:
        if kind == "async":
            transport = httpx.MockTransport(self.async_handler)
            http: httpx.Client | httpx.AsyncClient = httpx.AsyncClient(transport=transport)
        else:
            http = httpx.Client(transport=httpx.MockTransport(self.sync_handler))
        return self.vendor.make(kind, "https://vendor.test", http, "oauth", {"max_retries": 0}), http


def auth_of(client: AnyClient) -> OAuth2ClientCredentials:
    auth = client._auth
    assert isinstance(auth, OAuth2ClientCredentials)
    return auth


async def run_many(kind: Kind, client: AnyClient, operation: Operation) -> list[object]:
    """CALLS concurrent tasks on the async client, or CALLS calls from THREADS threads on the sync one."""
    if kind == "async":
        return await asyncio.gather(*(resolve(operation.run(client)) for _ in range(CALLS)), return_exceptions=True)
    barrier = threading.Barrier(THREADS)

    def worker() -> list[object]:
        barrier.wait()
        results: list[object] = []
        for _ in range(CALLS // THREADS):
            try:
                results.append(operation.run(client))
            except APIError as exc:
                results.append(exc)
        return results

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(worker) for _ in range(THREADS)]
        return [result for future in futures for result in future.result()]


VENDOR_KINDS = pytest.mark.parametrize(("vendor", "kind"), [(v, k) for v in (COMMERCELAYER.name, SPREE.name)
                                                            for k in ("sync", "async")])


@VENDOR_KINDS
async def test_many_callers_behind_an_expired_token_fetch_exactly_one_token(vendor: str, kind: Kind) -> None:
    operation = OAUTH_UPDATES[vendor]
    server = TokenServer(operation, first_lifetime=0.05)
    client, http = server.client(kind)
    try:
        await resolve(operation.run(client))
        assert server.issued == 1
        await asyncio.sleep(0.06)  # the first token (50 ms, renewed 5 ms early) has expired
        results = await run_many(kind, client, operation)
    finally:
        await close_client(client, http)
    failures = [r for r in results if not isinstance(r, operation.result_type)]
    assert failures == []
    assert len(results) == (CALLS if kind == "async" else CALLS // THREADS * THREADS)
    assert server.issued == auth_of(client).token_requests == 2, "exactly one token request for all the callers"
    assert server.rejections == 0


@VENDOR_KINDS
async def test_many_calls_in_flight_when_the_token_is_rejected_all_succeed_with_one_refresh(
    vendor: str, kind: Kind
) -> None:
    operation = OAUTH_UPDATES[vendor]
    server = TokenServer(operation, hold_rejections=True)
    client, http = server.client(kind)
    try:
        await resolve(operation.run(client))
        server.revoke()
        server.refreshed.clear()
        results = await run_many(kind, client, operation)
    finally:
        await close_client(client, http)
    assert server.issued == 2, "exactly one token request for all the rejected callers"
    failures = [r for r in results if not isinstance(r, operation.result_type)]
    assert failures == [], f"{len(failures)} of {len(results)} calls failed, e.g. {failures[0]!r}"


@VENDOR_KINDS
async def test_a_rejection_before_anyone_refreshed_is_replayed_with_one_new_token(vendor: str, kind: Kind) -> None:
    """The part of the rejection path that works today: rejections that all arrive before the refresh."""
    operation = OAUTH_UPDATES[vendor]
    server = TokenServer(operation)
    client, http = server.client(kind)
    try:
        await resolve(operation.run(client))
        server.revoke()
        assert isinstance(await resolve(operation.run(client)), operation.result_type)
    finally:
        await close_client(client, http)
    assert (server.issued, server.rejections, server.calls) == (2, 1, 3)


# -- cancellation ---------------------------------------------------------------------------------

def pool_is_clean(http: httpx.AsyncClient) -> bool:
    """No connection of the pool in use and no request waiting for one (httpcore internals, read only)."""
    pool = http._transport._pool  # type: ignore[attr-defined]
    return not pool._requests and all(c.is_idle() or c.is_closed() for c in pool.connections)


async def wait_until(condition: Callable[[], bool], limit: float = 3.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.005)


async def cancel_then_call_again(operation: Operation, server: ExtraFaultServer, started: Callable[[], bool], *,
                                 oauth: bool = False, in_back_off: bool = False) -> None:
    """Cancel the call once ``started()``; with ``in_back_off``, only once its connection is back in the
    pool too (the 429 read whole: the task is asleep in the back-off, not still reading the answer)."""
    http = http_for("async")
    assert isinstance(http, httpx.AsyncClient)
    client = operation.vendor.make("async", server.url, http, "oauth" if oauth else "static",
                                   {"timeout": 5.0, "max_retries": 2})
    try:
        task: asyncio.Task[object] = asyncio.create_task(resolve(operation.run(client)))
        await wait_until(lambda: started() and (not in_back_off or pool_is_clean(http)))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert pool_is_clean(http)
        assert isinstance(await resolve(operation.run(client)), operation.result_type)
        assert pool_is_clean(http)
    finally:
        await close_client(client, http)


@pytest.mark.loopback
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.key)
async def test_a_task_cancelled_mid_request_leaves_the_client_usable(operation: Operation) -> None:
    ok = respond(body=operation.vendor.ok_body())
    with ExtraFaultServer([HANG, ok]) as server:
        await cancel_then_call_again(operation, server, lambda: len(server.received) == 1)
        assert len(server.received) == 2


@pytest.mark.loopback
@pytest.mark.parametrize("operation", list(OAUTH_UPDATES.values()), ids=lambda op: op.key)
async def test_a_task_cancelled_mid_token_request_leaves_the_client_usable(operation: Operation) -> None:
    vendor = operation.vendor
    with ExtraFaultServer([HANG, respond(body=vendor.token_body), respond(body=vendor.ok_body())]) as server:
        await cancel_then_call_again(operation, server, lambda: len(server.received) == 1, oauth=True)
        assert [r.path == vendor.token_path for r in server.received] == [True, True, False]


@pytest.mark.loopback
async def test_a_task_cancelled_during_back_off_leaves_the_client_usable() -> None:
    operation = OPERATIONS[0]
    limited = respond(429, operation.vendor.error_body(429, "slow down"), headers=(("Retry-After", "30"),))
    with ExtraFaultServer([limited, respond(body=operation.vendor.ok_body())]) as server:
        started = time.monotonic()
        await cancel_then_call_again(operation, server, lambda: len(server.received) == 1, in_back_off=True)
        assert time.monotonic() - started < 5, "the cancellation did not wait out the 30 s back-off"


@pytest.mark.loopback
async def test_a_callers_own_timeout_cancels_cleanly() -> None:
    operation = OPERATIONS[0]
    with ExtraFaultServer([HANG, respond(body=operation.vendor.ok_body())]) as server:
        http = http_for("async")
        assert isinstance(http, httpx.AsyncClient)
        client = operation.vendor.make("async", server.url, http, "static", {"timeout": 5.0})
        try:
            call: Awaitable[object] = resolve(operation.run(client))
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(call, timeout=0.2)
            assert pool_is_clean(http)
            assert isinstance(await resolve(operation.run(client)), operation.result_type)
        finally:
            await close_client(client, http)
