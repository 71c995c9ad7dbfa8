"""The sandbox's emulation of each vendor's own rate limits (``vendor_limits`` knob) and many orders."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import httpx
import pytest
from starlette.responses import Response

from orderpatch.sandbox import SANDBOX_CREDENTIALS, Sandbox
from orderpatch.sandbox._vendor_limits import TRUNKERY_CAP, VendorLimits
from tests.sandbox.sandbox_support import cl_token, plain_client

pytestmark = pytest.mark.loopback


def scope(path: str, method: str = "PATCH", auth: str = "Api-Key k", ip: str = "10.0.0.1") -> dict[str, object]:
    return {"method": method, "path": path, "client": (ip, 5000),
            "headers": [(b"authorization", auth.encode()), (b"x-spree-api-key", b"sk_1")]}


def admitted(limits: VendorLimits, vendor: str, path: str, times: list[float], scale: float = 1.0,
             **kwargs: str) -> list[bool]:
    return [limits.admit(vendor, scope(path, **kwargs), now, scale, throttled) is None for now in times]


def throttled() -> Response:
    return Response(b"{}", 429)


def test_commercelayer_burst_per_endpoint_and_average_per_class() -> None:
    limits = VendorLimits()
    # 25 writes in 10 s on /api/orders, the 26th refused; other endpoints have their own burst.
    assert admitted(limits, "commercelayer", "/commercelayer/api/orders/A", [0.0] * 26) == [True] * 25 + [False]
    assert admitted(limits, "commercelayer", "/commercelayer/api/customers/B", [0.0] * 25) == [True] * 25
    # The burst window slides: at 10 s the first 25 have left it.
    assert admitted(limits, "commercelayer", "/commercelayer/api/orders/A", [10.0] * 25) == [True] * 25
    # 75 writes counted in the last minute; the average (100/min per class) allows 25 more.
    assert admitted(limits, "commercelayer", "/commercelayer/api/skus/C", [20.0] * 26) == [True] * 25 + [False]
    headers = limits.headers("commercelayer", scope("/commercelayer/api/orders/A"), 20.0, 1.0)
    assert headers == {"X-Ratelimit-Limit": "100", "X-Ratelimit-Interval": "60", "X-Ratelimit-Remaining": "0"}
    # Reads are another class; the token endpoint is not counted here at all.
    assert admitted(limits, "commercelayer", "/commercelayer/api/orders/A", [20.0], method="GET") == [True]
    assert limits.admit("commercelayer", scope("/commercelayer/oauth/token", "POST"), 20.0, 1.0) is None


def test_licensespring_per_key_per_ip_and_per_company() -> None:
    limits = VendorLimits()
    assert admitted(limits, "licensespring", "/licensespring/api/v1/orders/1/", [0.0] * 51) == [True] * 50 + [False]
    refused = limits.admit("licensespring", scope("/licensespring/api/v1/orders/1/"), 0.5, 1.0)
    assert refused is not None
    assert refused.response.status_code == 429
    body = json.loads(bytes(refused.response.body))
    assert body == {"detail": "Request was throttled. Expected available in 1 second."}
    assert refused.response.headers["Retry-After"] == "1"
    # Another key on the same IP: the per-IP 200 per 10 s still counts all of them.
    others = admitted(limits, "licensespring", "/licensespring/api/v1/orders/1/", [1.0] * 50 + [2.0] * 50 + [3.0] * 51,
                      auth="Api-Key other")
    assert others == [True] * 150 + [False]
    assert limits.headers("licensespring", scope("/licensespring/api/v1/orders/1/"), 3.0, 1.0) == {}


def test_spree_admin_fixed_window_headers_and_body() -> None:
    limits = VendorLimits()
    path = "/spree_admin/api/v3/admin/orders/or_abc"
    assert admitted(limits, "spree_admin", path, [0.0] * 300) == [True] * 300
    assert limits.headers("spree_admin", scope(path), 1.0, 1.0) == {
        "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "Retry-After": "60"}
    refused = limits.admit("spree_admin", scope(path), 30.0, 1.0)
    assert refused is not None
    assert json.loads(bytes(refused.response.body))["error"]["code"] == "rate_limit_exceeded"
    assert refused.response.headers["Retry-After"] == "60"
    # Another controller has its own window; the next window starts fresh.
    assert admitted(limits, "spree_admin", "/spree_admin/api/v3/admin/orders/or_abc/items", [30.0]) == [True]
    assert admitted(limits, "spree_admin", path, [60.0]) == [True]
    assert limits.headers("spree_admin", scope(path), 61.0, 1.0)["X-RateLimit-Remaining"] == "299"


def test_trunkery_leaky_bucket() -> None:
    limits = VendorLimits()
    results = admitted(limits, "trunkery", "/trunkery/orders.json", [0.0] * (TRUNKERY_CAP + 1))
    assert results == [True] * TRUNKERY_CAP + [False]
    refused = limits.admit("trunkery", scope("/trunkery/orders.json"), 0.0, 1.0)
    assert refused is not None
    body = json.loads(bytes(refused.response.body))
    assert body["code"] == 429
    assert set(body["meta"]["rate_info"]) == {"cap", "count", "rate"}
    assert admitted(limits, "trunkery", "/trunkery/orders.json", [1.0] * 5) == [True] * 4 + [False]  # drains 4/s


def test_scale_shortens_windows_and_a_new_scale_starts_over() -> None:
    limits = VendorLimits()
    path = "/commercelayer/api/orders/A"
    assert admitted(limits, "commercelayer", path, [0.0] * 26, scale=0.01) == [True] * 25 + [False]
    assert admitted(limits, "commercelayer", path, [0.1] * 25, scale=0.01) == [True] * 25  # 10 s scaled by 0.01
    assert admitted(limits, "commercelayer", path, [0.1], scale=0.5) == [True]  # counts reset
    refused = limits.admit("licensespring", scope("/licensespring/api/v1/orders/1/"), 0.0, 0.01)
    assert refused is None
    limits.reset()
    assert limits.headers("commercelayer", scope(path), 0.2, 0.01)["X-Ratelimit-Interval"] == "0.6"
    assert limits.admit("spree", scope("/spree/api/v2/platform/orders/R1"), 0.0, 1.0) is None  # no limits


@pytest.fixture
def limited(running_sandbox: Sandbox) -> Iterator[Sandbox]:
    knobs = running_sandbox.knobs
    running_sandbox.reset()
    running_sandbox.set_knobs(dataclasses.replace(knobs, vendor_limits=1.0))  # the real windows
    yield running_sandbox
    running_sandbox.set_knobs(knobs)
    running_sandbox.reset()


def test_the_knob_turns_on_each_vendors_limits_over_loopback(limited: Sandbox) -> None:
    order_id = limited.add_orders("commercelayer", 1)[0]
    token = cl_token(limited)
    url = f"{limited.base_url('commercelayer')}/api/orders/{order_id}"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/vnd.api+json",
               "Accept": "application/vnd.api+json"}
    body = {"data": {"type": "orders", "id": order_id, "attributes": {"reference": "X"}}}
    with plain_client() as http:
        answers = [http.patch(url, json=body, headers=headers) for _ in range(30)]
        read = http.get(url, headers=headers)
    statuses = [answer.status_code for answer in answers]
    assert statuses == [200] * 25 + [429] * 5  # 25 per 10 s on one endpoint
    throttled = answers[statuses.index(429)]
    assert throttled.json()["errors"][0]["code"] == "TOO_MANY_REQUESTS"
    assert "retry-after" not in throttled.headers
    assert answers[0].headers["X-Ratelimit-Interval"] == "60"
    assert read.status_code == 200
    assert read.json()["data"]["attributes"]["reference"] == "X"
    assert [r.fault for r in limited.requests_log() if r.status == 429][:1] == ["rate_limited"]


def test_many_orders_over_the_admin_endpoint(limited: Sandbox) -> None:
    with plain_client() as http:
        added = http.post(f"{limited.url}/_sandbox/orders", json={"vendor": "trunkery", "count": 3}).json()
        bad = http.post(f"{limited.url}/_sandbox/orders", json={"vendor": "acme", "count": 3})
        worse = http.post(f"{limited.url}/_sandbox/orders", json=[1])
        too_many = http.post(f"{limited.url}/_sandbox/orders", json={"vendor": "spree", "count": 0})
    assert added["count"] == 3
    assert all(oid.startswith("or_Bulk") for oid in added["ids"])
    assert bad.status_code == worse.status_code == too_many.status_code == 400
    assert "vendor" in bad.json()["error"]
    assert "count" in too_many.json()["error"]
    numbers = limited.add_orders("spree", 2) + limited.add_orders("licensespring", 1)
    assert numbers[0].startswith("R9")
    assert numbers[2].isdigit()
    assert SANDBOX_CREDENTIALS["trunkery"]["shop_id"]
    with pytest.raises(ValueError, match="count"):
        limited.add_orders("spree", 10**9)
    _ = httpx  # the module is the transport of plain_client
