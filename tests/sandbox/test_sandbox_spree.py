"""Spree Platform API v2 emulation: OAuth, PATCH orders/{id} and the order action endpoints."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import jsonschema
import pytest

from orderpatch.sandbox import Sandbox
from tests.conftest import shared_json
from tests.sandbox.sandbox_support import JSONAPI, SpreeApi, check_schema, post, spree_schemas, spree_token

pytestmark = pytest.mark.loopback
ORDER = "R484277352"  # id 47, the spec's update example, in "delivery"
ADDRESS = {
    "firstname": "Jo",
    "lastname": "Doe",
    "address1": "1 Main St",
    "city": "NY",
    "zipcode": "10001",
    "phone": "555",
    "country_iso": "US",
    "state_id": 516,
}


def ok(response: httpx.Response) -> dict[str, Any]:
    """The order document of a 200, checked against the spec's and the derived response schemas."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(JSONAPI)
    document: dict[str, Any] = response.json()
    check_schema(
        lambda: jsonschema.Draft7Validator(spree_schemas()["update_order_responses"]["200"]["schema"]), document
    )
    check_schema(lambda: jsonschema.Draft7Validator(spree_schemas()["order_response_schema_derived"]), document)
    return document


def failed(response: httpx.Response, status: int, *, update: bool = True) -> dict[str, Any]:
    """An error body; for ``PATCH orders/{id}`` also checked against the spec's schema for the status.

    The spec gives no error schemas for the action endpoints (coupon errors, for one, carry no
    ``errors`` key, as the README says), so those are compared by value only.
    """
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    if update and status in {401, 404, 422}:
        spec = lambda: jsonschema.Draft7Validator(spree_schemas()["update_order_responses"][str(status)]["schema"])
        check_schema(spec, body)
    return body


def attributes(response: httpx.Response) -> dict[str, Any]:
    return dict(ok(response)["data"]["attributes"])


# ---------------------------------------------------------------------------- OAuth


def test_token_shape_matches_the_documented_example(sandbox: Sandbox) -> None:
    settings = sandbox.settings("spree")
    example = shared_json("vendors", "spree", "examples", "oauth_token_200.json")
    request = shared_json("vendors", "spree", "examples", "oauth_token_requests.json")
    assert isinstance(example, dict)
    assert isinstance(request, dict)
    body = {
        **request["Create Platform API Application Token"],
        "client_id": settings["client_id"],
        "client_secret": settings["client_secret"],
    }
    token = post(f"{settings['base_url']}/spree_oauth/token", json=body).json()
    # client_credentials gets no refresh_token (Doorkeeper's issuer), otherwise the documented shape
    assert set(token) == set(example) - {"refresh_token"}
    assert (token["token_type"], token["scope"], token["expires_in"]) == ("Bearer", "admin", 7200)
    assert len(token["access_token"]) == 64


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"scope": "admin superuser"}, 400, "invalid_scope"),
    ],
)
def test_token_errors_are_oauth_shaped(sandbox: Sandbox, change: dict[str, str], status: int, error: str) -> None:
    settings = sandbox.settings("spree")
    form = {
        "grant_type": "client_credentials",
        "client_id": settings["client_id"],
        "client_secret": settings["client_secret"],
        "scope": "admin",
        **change,
    }
    response = post(f"{settings['base_url']}/spree_oauth/token", data=form)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["error_description"]


def test_token_endpoint_rejects_malformed_json(sandbox: Sandbox) -> None:
    url = f"{sandbox.base_url('spree')}/spree_oauth/token"
    response = post(url, content=b"[", headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


def test_token_problems_are_401_in_spree_shape(spree: SpreeApi, sandbox: Sandbox) -> None:
    example = shared_json("vendors", "spree", "examples", "update_order_401.json")
    response = spree.update(ORDER, {}, headers={"Authorization": "Bearer nope"})
    assert failed(response, 401) == example
    del spree.http.headers["Authorization"]
    assert failed(spree.update(ORDER, {}), 401) == example
    spree.http.headers["Authorization"] = f"Bearer {spree_token(sandbox, 'read')}"
    assert failed(spree.update(ORDER, {}), 401) == {"error": 'Access to this resource requires scope "write admin".'}
    spree.http.headers["Authorization"] = f"Bearer {spree_token(sandbox, '')}"
    assert failed(spree.update(ORDER, {}), 401) == {"error": 'Access to this resource requires scope "read admin".'}
    spree.http.headers["Authorization"] = f"Bearer {spree_token(sandbox, 'read write')}"
    ok(spree.update(ORDER, {}))
    sandbox.set_knobs(dataclasses.replace(sandbox.knobs, token_ttl=0))
    spree.http.headers["Authorization"] = f"Bearer {spree_token(sandbox)}"
    assert failed(spree.update(ORDER, {}), 401) == {"error": "The access token expired"}


def test_access_token_query_parameter_is_accepted(spree: SpreeApi) -> None:
    token = spree.http.headers.pop("Authorization").split(" ", 1)[1]
    ok(spree.update(ORDER, {}, params={"access_token": token}))


# ---------------------------------------------------------------------------- seeds and PATCH


@pytest.mark.parametrize(
    ("order_id", "example", "differences"),
    [
        (ORDER, "update_order_200.json", set()),
        ("45", "get_order_200.json", set()),
        ("R923002122", "complete_order_200.json", {"display_pre_tax_total"}),  # examples disagree on it
        # the sandbox gives this user store credit, so that use_store_credit can succeed
        (
            "R057732263",
            "approve_order_200_app_token.json",
            {"display_total_available_store_credit", "display_store_credit_remaining_after_capture"},
        ),
    ],
)
def test_seeded_orders_are_the_spec_examples(
    spree: SpreeApi, order_id: str, example: str, differences: set[str]
) -> None:
    expected = shared_json("vendors", "spree", "examples", example)
    assert isinstance(expected, dict)
    data = ok(spree.update(order_id, json={}))["data"]  # no "order" key: a no-op, per the README
    for name in {"updated_at", *differences}:
        data["attributes"].pop(name)
        expected["data"]["attributes"].pop(name)
    assert data == expected["data"]


def test_listed_example_orders_are_seeded_too(spree: SpreeApi) -> None:
    listed = shared_json("vendors", "spree", "examples", "list_orders_200.json")
    assert isinstance(listed, dict)
    for expected in listed["data"]:
        got = ok(spree.update(expected["attributes"]["number"], json={}))["data"]
        assert got["attributes"]["email"] == expected["attributes"]["email"]
        assert got["relationships"] == expected["relationships"]


def test_update_writes_columns_drops_nulls_and_ignores_unknown_keys(spree: SpreeApi) -> None:
    changes = {
        "email": "new@shop.test",
        "special_instructions": None,
        "internal_note": "call first",
        "item_total": 170.9,
        "item_count": "2",
        "considered_risky": "1",
        "confirmation_delivered": "false",
        "approved_at": "2022-11-08 19:33:50 UTC",
        "canceled_at": "garbage",
        "public_metadata": {"a": 1},
        "private_metadata": "not a hash",
        "user_id": "61",
        "unknown_column": 1,
        "id": 999,
    }
    got = attributes(spree.update(ORDER, changes))
    assert got["email"] == "new@shop.test"
    assert got["special_instructions"] is None  # null was dropped, not written
    assert (got["internal_note"], got["item_total"], got["item_count"]) == ("call first", "170.9", 2)
    assert (got["confirmation_delivered"], got["approved_at"]) == (False, "2022-11-08T19:33:50.000Z")
    assert got["canceled_at"] is None
    assert (got["public_metadata"], got["private_metadata"]) == ({"a": 1}, {})
    assert "considered_risky" not in got  # hidden by the serializer's /id/ regex
    assert "unknown_column" not in got


def test_update_by_numeric_id_and_put(spree: SpreeApi) -> None:
    document = ok(spree.http.put("/47", json={"order": {"channel": "pos"}}))
    assert (document["data"]["id"], document["data"]["attributes"]["channel"]) == ("47", "pos")


def test_nested_addresses_create_records_and_reset_the_checkout_state(spree: SpreeApi) -> None:
    document = ok(spree.update(ORDER, {"bill_address_attributes": ADDRESS}, params={"include": "bill_address"}))
    assert document["data"]["attributes"]["state"] == "address"
    bill = document["data"]["relationships"]["bill_address"]["data"]
    assert bill["id"] != "61"
    assert document["included"][0]["attributes"]["firstname"] == "Jo"


def test_nested_metadata_is_dropped_as_rails_permit_drops_it(spree: SpreeApi) -> None:
    nested = {**ADDRESS, "public_metadata": {"floor": 3}, "private_metadata": {"vip": True}}
    document = ok(spree.update(ORDER, {"bill_address_attributes": nested}, params={"include": "bill_address"}))
    saved = document["included"][0]["attributes"]
    assert saved["firstname"] == "Jo"
    assert saved.get("public_metadata") in (None, {})
    assert saved.get("private_metadata") in (None, {})


def test_line_items_take_a_given_price(spree: SpreeApi) -> None:
    item = {"variant_id": 2, "quantity": 2, "price": "7.5", "cost_price": 3, "public_metadata": {"gift": True}}
    document = ok(spree.update(ORDER, {"line_items_attributes": [item]}, params={"include": "line_items"}))
    added = [i["attributes"] for i in document["included"] if i["attributes"].get("price") == "7.5"]
    assert len(added) == 1
    assert added[0].get("public_metadata") in (None, {})
    assert document["data"]["attributes"]["item_total"] == "25.0"  # 10.0 + 2 x 7.5


def test_do_not_change_state_keeps_the_state(spree: SpreeApi) -> None:
    body = {"order": {"ship_address_attributes": ADDRESS}, "do_not_change_state": True}
    assert attributes(spree.update(ORDER, json=body))["state"] == "delivery"


def test_selected_shipping_rate_moves_back_to_delivery(spree: SpreeApi) -> None:
    ok(spree.action(ORDER, "next"))
    got = attributes(spree.update(ORDER, {"shipments_attributes": [{"selected_shipping_rate_id": 1}]}))
    assert got["state"] == "delivery"


def test_line_items_are_added_and_totals_follow(spree: SpreeApi) -> None:
    document = ok(
        spree.update(
            ORDER,
            {"line_items_attributes": {"0": {"variant_id": 2, "quantity": 2}}},
            params={"include": "line_items.variant"},
        )
    )
    got = document["data"]["attributes"]
    assert (got["item_count"], got["item_total"], got["total"], got["display_total"]) == (3, "60.0", "160.0", "$160.00")
    types = sorted(item["type"] for item in document["included"])
    assert types == ["line_item", "line_item", "variant", "variant"]


def test_payments_attributes_add_payments(spree: SpreeApi) -> None:
    document = ok(spree.update(ORDER, {"payments_attributes": [{"amount": 110}]}, params={"include": "payments"}))
    assert len(document["data"]["relationships"]["payments"]["data"]) == 1
    assert document["included"][0]["attributes"]["amount"] == "110.0"


@pytest.mark.parametrize(
    ("changes", "errors", "message"),
    [
        ({"email": "bad"}, {"email": ["is invalid"]}, "Email is invalid"),
        (
            {"email": "bad", "state": "nope"},
            {"email": ["is invalid"], "state": ["is invalid"]},
            "Email is invalid and State is invalid",
        ),
        (
            {"total": "abc", "item_count": 1.5, "payment_state": "x"},
            {
                "total": ["is not a number"],
                "item_count": ["must be an integer"],
                "payment_state": ["is not included in the list"],
            },
            "Total is not a number, Item count must be an integer, and Payment state is not included in the list",
        ),
        (
            {"total": 1e26, "item_total": "99999999.995", "item_count": 2**31},
            {"total": ["is out of range"], "item_total": ["is out of range"], "item_count": ["is out of range"]},
            "Total is out of range, Item total is out of range, and Item count is out of range",
        ),
        (
            {"total": -1e30, "item_count": -(2**31) - 1},
            {"total": ["is out of range"], "item_count": ["is out of range"]},
            "Total is out of range and Item count is out of range",
        ),
        (
            {"bill_address_attributes": {"firstname": "Jo", "country_iso": "XX"}},
            {
                f"bill_address.{name}": ["can't be blank"]
                for name in ("lastname", "address1", "city", "zipcode", "phone", "country")
            },
            None,
        ),
        (
            {"line_items_attributes": [{"variant_id": 99, "quantity": 1}, {"variant_id": 1, "quantity": -1}]},
            {"line_items.variant": ["must exist"], "line_items.quantity": ["must be greater than -1"]},
            None,
        ),
    ],
)
def test_validation_errors_are_422_with_errors(
    spree: SpreeApi, changes: dict[str, object], errors: dict[str, list[str]], message: str | None
) -> None:
    body = failed(spree.update(ORDER, changes), 422)
    assert body["errors"] == errors
    if message is not None:
        assert body["error"] == message
    assert attributes(spree.update(ORDER, json={}))["email"] == "new@example.com"  # nothing was saved


def test_documented_422_example(spree: SpreeApi) -> None:
    assert failed(spree.update(ORDER, {"email": "x"}), 422) == shared_json(
        "vendors", "spree", "examples", "update_order_422.json"
    )


def test_address_of_another_user_is_refused(spree: SpreeApi) -> None:
    body = failed(spree.update(ORDER, {"bill_address_attributes": {**ADDRESS, "id": 79}}), 422)
    assert body == {"error": "The specified address does not belong to this user.", "errors": {}}
    ok(spree.update(ORDER, {"bill_address_attributes": {**ADDRESS, "id": 61}}))  # own address: allowed


def test_bad_bodies(spree: SpreeApi) -> None:
    assert failed(spree.update(ORDER, json={"order": "x"}), 400)["error"].startswith("param is missing")
    response = spree.http.patch(f"/{ORDER}", content=b"{", headers={"Content-Type": "application/json"})
    assert failed(response, 400)["error"].startswith("Error occurred while parsing request parameters")
    ok(spree.http.patch(f"/{ORDER}", content=b"order[email]=x", headers={"Content-Type": "text/plain"}))
    ok(spree.update(ORDER, json=[1]))


def test_not_found_and_bad_include(spree: SpreeApi) -> None:
    expected = shared_json("vendors", "spree", "examples", "update_order_404.json")
    assert failed(spree.update("R000000000", {}), 404) == expected
    assert failed(spree.update("99999", {}), 404) == expected
    assert failed(spree.action(ORDER, "resume"), 404) == expected
    assert failed(spree.http.get(f"/{ORDER}/next/more"), 404) == expected
    response = spree.update(ORDER, {}, params={"include": "line_items,variants"})
    assert "variants is not specified as a relationship" in failed(response, 400)["error"]


def test_sparse_fieldsets(spree: SpreeApi) -> None:
    data = ok(spree.update(ORDER, {}, params={"fields[order]": "number,state,user"}))["data"]
    assert data["attributes"] == {"number": ORDER, "state": "delivery"}
    assert set(data["relationships"]) == {"user"}


# ---------------------------------------------------------------------------- action endpoints


def test_checkout_to_complete_with_store_credit(spree: SpreeApi) -> None:
    order = "R057732263"  # delivery; its user has store credit in the sandbox
    assert attributes(spree.action(order, "next"))["state"] == "payment"
    body = failed(spree.action(order, "next"), 422, update=False)
    assert body == {"error": "No payment found", "errors": {"base": ["No payment found"]}}
    credit = attributes(spree.action(order, "use_store_credit", json={"amount": 20.0}))
    assert credit["display_total_applied_store_credit"] == "$20.00"
    credit = attributes(spree.action(order, "use_store_credit"))  # the rest of the total
    assert credit["display_order_total_after_store_credit"] == "$0.00"
    done = attributes(spree.action(order, "complete"))
    assert (done["state"], done["payment_state"], done["shipment_state"]) == ("complete", "balance_due", "pending")
    assert done["completed_at"] is not None


def test_advance_stops_at_the_first_refused_step(spree: SpreeApi) -> None:
    assert attributes(spree.action(ORDER, "advance"))["state"] == "payment"
    assert failed(spree.action(ORDER, "advance"), 422, update=False)["errors"] == {"base": ["No payment found"]}


def test_complete_fails_without_payment(spree: SpreeApi) -> None:
    assert failed(spree.action(ORDER, "complete"), 422, update=False)["error"] == "No payment found"
    assert attributes(spree.update(ORDER, json={}))["state"] == "delivery"  # atomic


def test_next_from_cart_and_address_needs_items_and_addresses(spree: SpreeApi) -> None:
    body = failed(spree.action("R936148131", "next"), 422, update=False)  # a cart without items
    assert body["errors"] == {
        "base": ["There are no items for this order. Please add an item to the order to continue."]
    }
    spree.update("R936148131", {"line_items_attributes": [{"variant_id": 1, "quantity": 1}]})
    assert attributes(spree.action("R936148131", "next"))["state"] == "address"
    assert failed(spree.action("R936148131", "next"), 422, update=False)["errors"] == {
        "ship_address": ["can't be blank"]
    }
    spree.update("R936148131", {"ship_address_attributes": ADDRESS})
    assert attributes(spree.action("R936148131", "next"))["state"] == "delivery"
    assert failed(spree.action("R936148131", "next"), 422, update=False)["errors"]["base"][0].startswith(
        "We are unable"
    )


def test_next_on_a_complete_order(spree: SpreeApi) -> None:
    body = failed(spree.action("R923002122", "next"), 422, update=False)
    assert body == {
        "error": 'State cannot transition via "next"',
        "errors": {"state": ['cannot transition via "next"']},
    }


def test_cancel(spree: SpreeApi) -> None:
    canceled = attributes(spree.action("R923002122", "cancel"))
    assert (canceled["state"], canceled["shipment_state"], canceled["payment_state"]) == (
        "canceled",
        "canceled",
        "void",
    )
    assert failed(spree.action("R923002122", "cancel"), 422, update=False)["errors"] == {
        "state": ['cannot transition via "cancel"']
    }
    assert failed(spree.action(ORDER, "cancel"), 422, update=False)["error"] == 'State cannot transition via "cancel"'


def test_empty(spree: SpreeApi) -> None:
    emptied = ok(spree.action(ORDER, "empty"))["data"]
    assert (emptied["attributes"]["state"], emptied["attributes"]["total"], emptied["attributes"]["item_count"]) == (
        "cart",
        "0.0",
        0,
    )
    assert emptied["relationships"]["line_items"]["data"] == []
    assert failed(spree.action("R923002122", "empty"), 422, update=False) == {"error": "", "errors": {}}


def test_approve_with_an_app_token_only_clears_considered_risky(spree: SpreeApi) -> None:
    spree.update(ORDER, {"considered_risky": True})
    got = attributes(spree.action(ORDER, "approve"))
    assert got["approved_at"] is None


def test_coupon_codes(spree: SpreeApi) -> None:
    got = ok(
        spree.action(
            ORDER, "apply_coupon_code", json={"coupon_code": "SANDBOX10"}, params={"include": "order_promotions"}
        )
    )
    attrs = got["data"]["attributes"]
    assert (attrs["promo_total"], attrs["adjustment_total"], attrs["total"]) == ("-10.0", "-10.0", "100.0")
    assert got["data"]["relationships"]["order_promotions"]["data"] == [{"id": "1", "type": "order_promotion"}]
    again = failed(spree.action(ORDER, "apply_coupon_code", json={"coupon_code": "SANDBOX10"}), 422, update=False)
    assert again == {"error": "The coupon code has already been applied to this order"}
    unknown = failed(spree.action(ORDER, "apply_coupon_code", params={"coupon_code": "NOPE"}), 422, update=False)
    assert unknown == {"error": "The coupon code you entered doesn't exist. Please try again."}


def test_store_credit_needs_credit(spree: SpreeApi) -> None:
    body = failed(spree.action(ORDER, "use_store_credit", json={"amount": 5}), 422, update=False)
    assert body == {"error": "User does not have any Store Credits available", "errors": {}}


def test_the_largest_amounts_the_columns_hold_are_kept(spree: SpreeApi) -> None:
    """decimal(10,2) holds 99999999.99 (99999999.994 rounds to it); a 4-byte integer holds ±2^31 - 1."""
    document = ok(spree.update(ORDER, {"total": "99999999.994", "item_count": 2**31 - 1}))
    assert document["data"]["attributes"]["total"] == "99999999.99"
    assert document["data"]["attributes"]["item_count"] == 2**31 - 1
    document = ok(spree.update(ORDER, {"total": -99999999.99, "item_count": -(2**31)}))
    assert document["data"]["attributes"]["total"] == "-99999999.99"
    assert document["data"]["attributes"]["item_count"] == -(2**31)


@pytest.mark.parametrize(
    "changes",
    [
        {"payments_attributes": [{"amount": 1e26}]},
        {"line_items_attributes": [{"variant_id": 1, "quantity": 1, "price": 1e26}]},
        {"line_items_attributes": [{"variant_id": 1, "quantity": 1, "cost_price": "1e30"}]},
        {"line_items_attributes": [{"variant_id": 1, "quantity": 1, "price": "99999999.99"}] * 2},  # item total
    ],
)
def test_a_nested_amount_past_the_columns_is_a_422_and_changes_nothing(spree: SpreeApi, changes: Any) -> None:
    before = ok(spree.http.get(f"/{ORDER}"))["data"]["attributes"]
    body = failed(spree.update(ORDER, changes), 422)
    assert body == {"error": "Amount is out of range", "errors": {"base": ["Amount is out of range"]}}
    assert ok(spree.http.get(f"/{ORDER}"))["data"]["attributes"] == before
