"""Spree Admin API v3 emulation over plain HTTP: the silent no-ops, idempotent replays, rate-limit headers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS, Sandbox
from orderpatch.sandbox._spree_admin import SpreeAdmin
from tests.sandbox.sandbox_support import plain_client

pytestmark = pytest.mark.loopback

KEY = SANDBOX_CREDENTIALS["spree_admin"]["api_key"]
READ_KEY = SANDBOX_CREDENTIALS["spree_admin"]["read_only_api_key"]
DRAFT = DEMO_ORDER_IDS["spree_admin"]
PLACED, SHIPPED, CANCELED = "or_Pq7RtZ3mXa", "or_Zx9WvB2nQe", "or_Cn4LkH8jYs"


class Api:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.http = plain_client(base_url=f"{sandbox.base_url('spree_admin')}/api/v3/admin",
                                 headers={"X-Spree-Api-Key": KEY})

    def patch(self, path: str, body: object = None, *, key: str | None = None, **headers: str) -> httpx.Response:
        content = b"" if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **headers}
        if key is not None:
            all_headers["Idempotency-Key"] = key
        return self.http.patch(path, content=content, headers=all_headers)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params)

    def sandbox_core(self) -> SpreeAdmin:
        vendor = self.sandbox._core.vendors["spree_admin"]
        assert isinstance(vendor, SpreeAdmin)
        return vendor

    def sandbox_ids(self) -> list[str]:
        return [row["id"] for row in self.sandbox_core().orders.values()]


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[Api]:
    client = Api(sandbox)
    with client.http:
        yield client


def test_update_is_flat_and_returns_the_order(api: Api) -> None:
    response = api.patch(f"/orders/{DRAFT}", {"email": "new@example.com", "customer_note": "door", "tags": ["vip"]})
    assert response.status_code == 200
    body = response.json()
    assert (body["email"], body["customer_note"], body["tags"]) == ("new@example.com", "door", ["vip"])
    assert response.headers["X-RateLimit-Limit"] == "300"


@pytest.mark.parametrize(("body", "headers"), [
    ({"order": {"email": "wrapped@example.com"}}, {}),                       # the v2 wrapper
    ({"email": "no-type@example.com"}, {"Content-Type": "text/plain"}),      # no JSON content type
    ({"special_instructions": "dropped", "line_items": []}, {}),             # keys not permitted
    ({"metadata": None, "tags": None, "ship_address": None, "items": None}, {}),  # null ignored for objects
])
def test_silent_no_ops_answer_200_and_change_nothing(api: Api, body: dict[str, Any], headers: dict[str, str]) -> None:
    before = api.get(f"/orders/{DRAFT}", expand="items,shipping_address").json()
    response = api.patch(f"/orders/{DRAFT}", body, **headers)
    assert response.status_code == 200
    after = api.get(f"/orders/{DRAFT}", expand="items,shipping_address").json()
    before.pop("updated_at")
    after.pop("updated_at")
    assert after == before


def test_null_clears_scalars_and_currency_falls_back(api: Api) -> None:
    api.patch(f"/orders/{DRAFT}", {"customer_note": "x"})
    body = api.patch(f"/orders/{DRAFT}", {"customer_note": None, "customer_id": None, "currency": None}).json()
    assert (body["customer_note"], body["customer_id"], body["currency"]) == (None, None, "USD")


def test_items_upsert_by_variant_and_zero_is_skipped(api: Api) -> None:
    body = api.patch(f"/orders/{DRAFT}?expand=items", {"items": [
        {"variant_id": "variant_VqXmZF31wY", "quantity": 4}, {"variant_id": "variant_Hs3KdE7yTz", "quantity": 0},
        {"variant_id": "variant_Nc2RbW8mLq", "quantity": 1, "metadata": {"gift": True}}]}).json()
    assert [(i["variant_id"], i["quantity"]) for i in body["items"]] == [("variant_VqXmZF31wY", 4),
                                                                         ("variant_Nc2RbW8mLq", 1)]
    missing = api.patch(f"/orders/{DRAFT}", {"items": [{"variant_id": "variant_Missing0001"}]})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "variant_not_found"


def test_the_prefix_is_not_checked_and_numbers_are_404(api: Api) -> None:
    assert api.get("/orders/prod_UkLWZg9DAJ").json()["id"] == DRAFT
    response = api.get("/orders/R801110570")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "order_not_found", "message": "Order not found"}}


def test_idempotent_replay_and_reuse(api: Api) -> None:
    first = api.patch(f"/orders/{DRAFT}/approve", {}, key="k-1")
    again = api.patch(f"/orders/{DRAFT}/approve", {}, key="k-1")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert api.sandbox_core().approvals[DRAFT] == 1
    reused = api.patch(f"/orders/{DRAFT}", {"email": "other@example.com"}, key="k-1")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    too_long = api.patch(f"/orders/{DRAFT}", {}, key="k" * 256)
    assert too_long.status_code == 400


def test_approve_without_a_key_adds_a_record_each_time(api: Api) -> None:
    api.patch(f"/orders/{DRAFT}/approve", {})
    api.patch(f"/orders/{DRAFT}/approve", {})
    assert api.sandbox_core().approvals[DRAFT] == 2


def test_rescued_errors_are_not_replayed(api: Api) -> None:
    assert api.patch("/orders/or_Missing00001", {}, key="k-404").status_code == 404
    assert "Idempotent-Replayed" not in api.patch("/orders/or_Missing00001", {}, key="k-404").headers


def test_cancel_of_an_uncancelable_order_is_a_quiet_200(api: Api) -> None:
    for order_id in (DRAFT, SHIPPED):
        response = api.patch(f"/orders/{order_id}/cancel")
        assert response.status_code == 200
        assert response.json()["status"] != "canceled"
    canceled = api.patch(f"/orders/{PLACED}/cancel").json()
    assert canceled["status"] == "canceled"
    assert canceled["canceled_at"]
    resumed = api.patch(f"/orders/{PLACED}/resume")
    assert resumed.json()["status"] == "placed"
    refused = api.patch(f"/orders/{PLACED}/resume")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "cart_cannot_transition"


def test_complete_and_resend_confirmation(api: Api) -> None:
    completed = api.patch(f"/orders/{DRAFT}/complete", {"notify_customer": True}).json()
    assert completed["status"] == "placed"
    assert api.patch(f"/orders/{DRAFT}/complete").json()["completed_at"] == completed["completed_at"]
    refused = api.patch(f"/orders/{CANCELED}/complete")
    assert refused.status_code == 422
    assert refused.json()["error"] == {"code": "order_cannot_complete", "message": "Order is canceled"}
    resent = api.http.post(f"/orders/{DRAFT}/resend_confirmation", headers={"Content-Type": "application/json"},
                           content=b"{}")
    assert resent.status_code == 200
    assert resent.json()["id"] == DRAFT


def test_authentication_and_scopes(api: Api) -> None:
    missing = api.http.get(f"/orders/{DRAFT}", headers={"X-Spree-Api-Key": "sk_wrong"})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "authentication_required"
    assert "X-RateLimit-Limit" not in missing.headers
    read = api.http.patch(f"/orders/{DRAFT}", json={}, headers={"X-Spree-Api-Key": READ_KEY})
    assert read.status_code == 403
    assert read.json()["error"]["details"] == {"required_scope": "write_orders"}
    assert api.http.get(f"/orders/{DRAFT}", headers={"X-Spree-Api-Key": READ_KEY}).status_code == 200
    current = api.get("/api_keys/current").json()
    assert current["scopes"] == ["write_orders"]


def test_request_too_large(api: Api) -> None:
    response = api.patch(f"/orders/{DRAFT}", {"internal_note": "x" * 102_400})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_rate_limit_headers_count_down_without_429(api: Api) -> None:
    vendor = api.sandbox_core()
    vendor.rate_limit = 2
    try:
        remaining = [api.get(f"/orders/{DRAFT}").headers["X-RateLimit-Remaining"] for _ in range(3)]
        last = api.get(f"/orders/{DRAFT}")
    finally:
        vendor.rate_limit = 300
    assert remaining == ["1", "0", "0"]
    assert last.status_code == 200
    assert last.headers["Retry-After"] == "60"


def test_list_filters_sort_and_keyset(api: Api) -> None:
    page = api.get("/orders", sort="id", limit=2).json()
    ids = [row["id"] for row in page["data"]]
    assert ids == sorted(ids)
    assert page["meta"]["count"] == 4
    rest = api.get("/orders", **{"sort": "id", "q[id_gt]": ids[-1]}).json()["data"]
    assert [row["id"] for row in rest] == sorted(set(api.sandbox_ids()) - set(ids))
    assert [r["number"] for r in api.get("/orders", **{"q[number_eq]": "R801110570"}).json()["data"]] == [
        "R801110570"]
    assert len(api.get("/orders", **{"q[numbr_eq]": "R801110570"}).json()["data"]) == 4  # ignored: all match
    assert api.get("/orders", limit=500).json()["meta"]["limit"] == 100


def test_unknown_routes_are_html(api: Api) -> None:
    response = api.http.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert api.http.delete(f"/orders/{DRAFT}").status_code == 404


def test_items_sub_resource(api: Api) -> None:
    added = api.http.post(f"/orders/{DRAFT}/items", json={"variant_id": "variant_VqXmZF31wY", "quantity": 2})
    assert added.status_code == 201
    assert added.json()["quantity"] == 3  # adds to the existing line of 1
    line = added.json()["id"]
    assert api.patch(f"/orders/{DRAFT}/items/{line}", {"quantity": 5}).json()["quantity"] == 5
    assert api.patch(f"/orders/{DRAFT}/items/{line}", {"quantity": 0}).status_code == 422
    assert api.http.delete(f"/orders/{DRAFT}/items/{line}").status_code == 204
    assert api.http.delete(f"/orders/{DRAFT}/items/{line}").status_code == 404
