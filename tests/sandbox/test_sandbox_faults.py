"""Fault injection (429, 503, latency, dropped connections) and the /_sandbox/ admin endpoints."""

from __future__ import annotations

import dataclasses
import time

import httpx
import pytest

from orderpatch.sandbox import ConnectionDropped, Knobs, Sandbox, create_app
from orderpatch.sandbox._seeds import LS_ORDER_ID, TRUNKERY_ORDER_ID
from tests.sandbox.sandbox_support import LicenseSpringApi, SpreeApi, TrunkeryApi, plain_client

pytestmark = pytest.mark.loopback


def knobs(sandbox: Sandbox, **changes: object) -> None:
    sandbox.set_knobs(dataclasses.replace(sandbox.knobs, **changes))  # type: ignore[arg-type]


def statuses(ls: LicenseSpringApi, count: int) -> list[int]:
    return [ls.patch(LS_ORDER_ID, {}).status_code for _ in range(count)]


# ---------------------------------------------------------------------------- rate limit


def test_rate_limit_answers_429_with_retry_after_until_the_window_frees(sandbox: Sandbox, ls: LicenseSpringApi) -> None:
    knobs(sandbox, rate_limit=2, rate_window=0.3)
    assert statuses(ls, 2) == [200, 200]
    limited = ls.patch(LS_ORDER_ID, {})
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1"
    assert limited.json() == {"detail": "Request was throttled. Expected available in 1 second."}
    time.sleep(0.31)
    assert statuses(ls, 1) == [200]
    faults = [record.fault for record in sandbox.requests_log()]
    assert faults == [None, None, "rate_limited", None]


def test_each_vendor_throttles_in_its_own_format(sandbox: Sandbox, spree: SpreeApi, trunkery: TrunkeryApi) -> None:
    knobs(sandbox, rate_limit=1, rate_window=30)
    assert spree.update("R484277352", {}).status_code == 200
    spree_limited = spree.update("R484277352", {})
    assert (spree_limited.status_code, spree_limited.json()) == (429, {"error": "Too Many Requests"})
    assert spree_limited.headers["Retry-After"] in {"29", "30"}
    limited = trunkery.modify({})
    assert limited.status_code == 429
    assert limited.json() == {
        "code": 429,
        "message": "Too Many Requests",
        "meta": {"rate_info": {"cap": 1, "count": 1, "rate": 30}},
    }
    with plain_client(base_url=sandbox.base_url("commercelayer")) as http:
        cl_limited = http.patch("/api/orders/x", json={})
    assert cl_limited.json()["errors"][0]["code"] == "TOO_MANY_REQUESTS"
    assert cl_limited.headers["X-Ratelimit-Remaining"] == "0"
    with plain_client(base_url=sandbox.base_url("licensespring")) as http:
        ls_limited = http.patch(f"/api/v1/orders/{LS_ORDER_ID}/", json={})
    assert ls_limited.json()["detail"].endswith("seconds.")


# ---------------------------------------------------------------------------- 503 share


def test_error_rate_is_reproducible_with_a_seed(sandbox: Sandbox, ls: LicenseSpringApi) -> None:
    knobs(sandbox, error_rate=0.5, seed=3)
    first = statuses(ls, 30)
    assert 5 <= first.count(503) <= 25
    assert set(first) == {200, 503}
    sandbox.reset()
    assert statuses(ls, 30) == first
    with Sandbox(error_rate=0.5, seed=3) as other, LicenseSpringApi(other).http as http:
        again = [http.patch(f"/api/v1/orders/{LS_ORDER_ID}/", json={}).status_code for _ in range(30)]
    assert again == first


def test_503_bodies_are_vendor_shaped(sandbox: Sandbox, ls: LicenseSpringApi, trunkery: TrunkeryApi) -> None:
    knobs(sandbox, error_rate=1.0)
    unavailable = ls.patch(LS_ORDER_ID, {})
    assert unavailable.status_code == 503
    assert "503 Service Temporarily Unavailable" in unavailable.text  # nginx's page, not JSON
    assert trunkery.modify({}).json() == {"code": 500, "message": "Service Unavailable"}
    assert [record.fault for record in sandbox.requests_log()] == ["error", "error"]
    assert [record.status for record in sandbox.requests_log()] == [503, 503]


# ---------------------------------------------------------------------------- latency and drops


def test_latency_delays_every_vendor_request(sandbox: Sandbox, ls: LicenseSpringApi) -> None:
    knobs(sandbox, latency=0.15)
    started = time.perf_counter()
    assert statuses(ls, 1) == [200]
    assert time.perf_counter() - started >= 0.15


def test_dropped_connection_is_a_transport_error_for_the_client(sandbox: Sandbox, ls: LicenseSpringApi) -> None:
    knobs(sandbox, drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        ls.patch(LS_ORDER_ID, {"store_id": "never"})
    [record] = sandbox.requests_log()
    assert (record.fault, record.status, record.body) == ("dropped", None, '{"store_id":"never"}')
    knobs(sandbox, drop_rate=0.0)
    assert ls.patch(LS_ORDER_ID, {}).json()["store_id"] == "patched_store_id"  # never applied


def test_drops_mix_with_answers_under_a_seed(sandbox: Sandbox, ls: LicenseSpringApi) -> None:
    knobs(sandbox, drop_rate=0.5, seed=11)
    outcomes = []
    for _ in range(12):
        try:
            outcomes.append(ls.patch(LS_ORDER_ID, {}).status_code)
        except httpx.TransportError:
            outcomes.append(0)
    assert {0, 200} == set(outcomes)


async def test_without_uvicorn_a_drop_raises_connection_dropped() -> None:
    transport = httpx.ASGITransport(app=create_app(drop_rate=1.0))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        with pytest.raises(ConnectionDropped):
            await client.patch(f"/licensespring/api/v1/orders/{LS_ORDER_ID}/", json={})


async def test_in_process_app_serves_vendors_and_admin() -> None:
    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
        assert (await client.get("/_sandbox/knobs")).json() == Knobs().as_dict()
        response = await client.patch(f"/licensespring/api/v1/orders/{LS_ORDER_ID}/", json={})
        assert response.status_code == 403
        assert (await client.get("/elsewhere")).status_code == 404
        assert (await client.get("/_sandbox/requests")).json()["count"] == 1


# ---------------------------------------------------------------------------- admin endpoints


def test_requests_log_over_http(sandbox: Sandbox, ls: LicenseSpringApi, trunkery: TrunkeryApi) -> None:
    ls.patch(LS_ORDER_ID, {"store_id": "x"}, params={"a": "b"})
    trunkery.modify({})
    with plain_client(base_url=f"{sandbox.url}/_sandbox") as admin:
        log = admin.get("/requests").json()
        only_ls = admin.get("/requests", params={"vendor": "licensespring"}).json()
    assert log["count"] == 2
    first = log["requests"][0]
    assert (first["method"], first["path"], first["query"]) == (
        "PATCH",
        f"/licensespring/api/v1/orders/{LS_ORDER_ID}/",
        "a=b",
    )
    assert first["body"] == '{"store_id":"x"}'
    assert (first["vendor"], first["status"], first["fault"]) == ("licensespring", 200, None)
    assert "authorization" not in first["headers"]
    assert first["headers"]["content-type"] == "application/json"
    assert log["requests"][1]["query"] == f"shop_id=sh_EQzGqWoY&ids={TRUNKERY_ORDER_ID}"
    assert only_ls["count"] == 1


def test_reset_over_http_reseeds_orders_and_clears_the_log(sandbox: Sandbox, ls: LicenseSpringApi) -> None:
    ls.patch(LS_ORDER_ID, {"store_id": "changed"})
    with plain_client(base_url=f"{sandbox.url}/_sandbox") as admin:
        assert admin.post("/reset").json() == {"reset": True}
        assert admin.get("/requests").json() == {"count": 0, "requests": []}
    assert ls.patch(LS_ORDER_ID, {}).json()["store_id"] == "patched_store_id"


def test_knobs_over_http(sandbox: Sandbox) -> None:
    with plain_client(base_url=f"{sandbox.url}/_sandbox") as admin:
        assert admin.get("/knobs").json() == Knobs().as_dict()
        changed = admin.post("/knobs", json={"error_rate": 0.25, "rate_limit": 10, "seed": 5}).json()
        assert (changed["error_rate"], changed["rate_limit"], changed["seed"]) == (0.25, 10, 5)
        assert sandbox.knobs == Knobs(error_rate=0.25, rate_limit=10, seed=5)
        for body, message in [
            ({"bogus": 1}, "unknown knob(s): bogus"),
            ({"error_rate": 2}, "error_rate must be >= 0.0 and <= 1.0"),
            ([1], "expected a JSON object"),
        ]:
            response = admin.post("/knobs", json=body)
            assert response.status_code == 400
            assert message in response.json()["error"]
        assert admin.post("/knobs", content=b"{").status_code == 400


def test_admin_endpoints_bypass_the_faults(sandbox: Sandbox) -> None:
    knobs(sandbox, drop_rate=1.0, error_rate=1.0, rate_limit=1, latency=0.0)
    with plain_client(base_url=f"{sandbox.url}/_sandbox") as admin:
        for _ in range(3):
            assert admin.get("/requests").status_code == 200
    assert sandbox.requests_log() == []
