"""Connection-pool reuse: the module-level functions build one client per configuration (and event loop).

Measured three ways: the pool's own ``created`` counter, the number of httpx transports
constructed (a transport is a connection pool), and, over real sockets, the number of TCP
connections a loopback server accepted.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch._base_client import AsyncAPIClient
from orderpatch._facade import OrderChanges, aupdate_order, update_order
from orderpatch._facade._pool import ASYNC_POOL, SYNC_POOL, SyncPool
from orderpatch._facade._registry import adapter_for
from tests.facade._support import ORDER_IDS, URLS, config, seed_response
from tests.faults import FaultServer, respond

N = 20
CHANGES = OrderChanges(reference="patched_store_id")


class TransportCount:
    """Counts the sync and async httpx transports (connection pools) constructed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sync = 0
        self.async_ = 0
        sync_init, async_init = httpx.HTTPTransport.__init__, httpx.AsyncHTTPTransport.__init__

        def count_sync(transport: httpx.HTTPTransport, *args: object, **kwargs: object) -> None:
            self.sync += 1
            sync_init(transport, *args, **kwargs)  # type: ignore[arg-type]

        def count_async(transport: httpx.AsyncHTTPTransport, *args: object, **kwargs: object) -> None:
            self.async_ += 1
            async_init(transport, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(httpx.HTTPTransport, "__init__", count_sync)
        monkeypatch.setattr(httpx.AsyncHTTPTransport, "__init__", count_async)


@pytest.fixture
def transports(monkeypatch: pytest.MonkeyPatch) -> TransportCount:
    return TransportCount(monkeypatch)


def answer(httpx_mock: HTTPXMock, times: int) -> None:
    for _ in range(times):
        httpx_mock.add_response(method="PATCH", url=URLS["licensespring"], json=seed_response("licensespring"))


def test_n_sync_calls_build_one_client_and_one_transport(httpx_mock: HTTPXMock, transports: TransportCount) -> None:
    answer(httpx_mock, N)
    created = SYNC_POOL.created
    for _ in range(N):
        # An equal configuration built afresh each time still finds the same client.
        update_order(ORDER_IDS["licensespring"], CHANGES, config=config("licensespring"))
    assert len(httpx_mock.get_requests()) == N
    assert SYNC_POOL.created - created == 1
    assert transports.sync == 1


def test_each_configuration_has_its_own_client(httpx_mock: HTTPXMock, transports: TransportCount) -> None:
    answer(httpx_mock, 4)
    first, second = config("licensespring"), config("licensespring").__class__("licensespring", api_key="other")
    for cfg in (first, second, first, second):
        update_order(ORDER_IDS["licensespring"], CHANGES, config=cfg)
    assert transports.sync == 2
    keys = [request.headers["Authorization"] for request in httpx_mock.get_requests()]
    assert keys[1] == keys[3] == "Api-Key other" != keys[0]


async def test_n_async_calls_on_one_loop_build_one_client(httpx_mock: HTTPXMock, transports: TransportCount) -> None:
    answer(httpx_mock, N)
    created = ASYNC_POOL.created
    await asyncio.gather(
        *(aupdate_order(ORDER_IDS["licensespring"], CHANGES, config=config("licensespring")) for _ in range(N))
    )
    assert len(httpx_mock.get_requests()) == N
    assert ASYNC_POOL.created - created == 1
    assert transports.async_ == 1


def test_each_event_loop_gets_its_own_client_closed_with_the_loop(
    httpx_mock: HTTPXMock, transports: TransportCount
) -> None:
    answer(httpx_mock, 4)
    cfg = config("licensespring")

    async def twice() -> AsyncAPIClient:
        for _ in range(2):
            await aupdate_order(ORDER_IDS["licensespring"], CHANGES, config=cfg)
        return await ASYNC_POOL.get(cfg, adapter_for("licensespring"))

    first = asyncio.run(twice())
    second = asyncio.run(twice())
    assert first is not second  # an httpx.AsyncClient must not cross event loops
    assert transports.async_ == 2
    # asyncio.run finalizes async generators before closing its loop: the pool's keeper closed them.
    assert first._http.is_closed
    assert second._http.is_closed


def test_a_loop_closed_without_shutdown_is_forgotten(httpx_mock: HTTPXMock) -> None:
    answer(httpx_mock, 2)
    cfg = config("licensespring")
    loop = asyncio.new_event_loop()
    loop.run_until_complete(aupdate_order(ORDER_IDS["licensespring"], CHANGES, config=cfg))
    loop.close()  # no shutdown_asyncgens(): the keeper never ran
    assert loop in ASYNC_POOL._loops
    asyncio.run(aupdate_order(ORDER_IDS["licensespring"], CHANGES, config=cfg))
    assert loop not in ASYNC_POOL._loops


async def test_aclose_closes_the_running_loop_clients(httpx_mock: HTTPXMock) -> None:
    answer(httpx_mock, 1)
    cfg = config("licensespring")
    await aupdate_order(ORDER_IDS["licensespring"], CHANGES, config=cfg)
    client = await ASYNC_POOL.get(cfg, adapter_for("licensespring"))
    await ASYNC_POOL.aclose()
    assert client._http.is_closed


def test_close_closes_every_sync_client_and_a_forked_child_starts_afresh(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = SyncPool()
    adapter = adapter_for("licensespring")
    client = pool.get(config("licensespring"), adapter)
    assert pool.get(config("licensespring"), adapter) is client
    monkeypatch.setattr("orderpatch._facade._pool.os.getpid", lambda: -1)
    child = pool.get(config("licensespring"), adapter)
    assert child is not client
    assert not client._http.is_closed  # the parent's pool is the parent's to close
    pool.close()
    assert child._http.is_closed
    client.close()


@pytest.mark.loopback
def test_n_calls_over_real_sockets_use_one_connection() -> None:
    body = json.dumps(seed_response("licensespring"))
    with FaultServer([respond(body=body)]) as server:
        cfg = config("licensespring", base_url=server.url)
        for _ in range(N):
            update_order(ORDER_IDS["licensespring"], CHANGES, config=cfg)
        assert len(server.received) == N
        assert len(server._threads) == 1  # one accepted TCP connection, kept alive for all N requests
        SYNC_POOL.close()  # hang up, so that the server's connection thread ends now


@pytest.mark.loopback
def test_for_comparison_a_client_per_call_opens_n_connections() -> None:
    body = json.dumps(seed_response("licensespring"))
    adapter = adapter_for("licensespring")
    with FaultServer([respond(body=body)]) as server:
        cfg = config("licensespring", base_url=server.url)
        for _ in range(5):
            with adapter.open_sync(cfg) as client:
                adapter.send(client, ORDER_IDS["licensespring"], adapter.prepare(CHANGES), {})
        assert len(server._threads) == 5
