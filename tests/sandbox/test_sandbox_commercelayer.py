"""Commerce Layer emulation: token endpoint, PATCH /api/orders/{id}, triggers, JSON:API errors."""

from __future__ import annotations

import base64
import dataclasses
import json

import httpx
import pytest

from orderpatch.sandbox import Sandbox
from orderpatch.sandbox._seeds import CL_ORDER_ID
from tests.sandbox.sandbox_support import (
    JSONAPI,
    CommerceLayerApi,
    assert_valid,
    cl_response_validator,
    cl_seed_example,
    cl_token,
    post,
)

pytestmark = pytest.mark.loopback
SYNC = {"place_async": False}


def error_of(response: httpx.Response, status: int) -> dict[str, object]:
    """The first JSON:API error, after checking the status and the ``errors[]`` envelope."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(JSONAPI)
    error = response.json()["errors"][0]
    assert error["status"] == str(status)
    assert {"title", "detail", "code"} <= set(error)
    return dict(error)


# ---------------------------------------------------------------------------- token endpoint


@pytest.mark.parametrize("style", ["json", "form", "basic"])
def test_token_endpoint_issues_a_bearer_jwt(sandbox: Sandbox, style: str) -> None:
    settings = sandbox.settings("commercelayer")
    body = {"grant_type": "client_credentials", "scope": "market:code:europe"}
    credentials = {"client_id": settings["client_id"], "client_secret": settings["client_secret"]}
    if style == "json":
        response = post(settings["auth_url"], json={**body, **credentials})
    elif style == "form":
        response = post(settings["auth_url"], data={**body, **credentials})
    else:
        pair = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode()).decode()
        response = post(settings["auth_url"], data=body, headers={"Authorization": f"Basic {pair}"})
    assert response.status_code == 200, response.text
    token = response.json()
    assert set(token) == {"access_token", "token_type", "expires_in", "scope", "created_at"}
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 7200
    assert token["scope"] == "market:code:europe"
    assert isinstance(token["created_at"], int)
    claims = json.loads(base64.urlsafe_b64decode(token["access_token"].split(".")[1] + "=="))
    assert claims["application"]["kind"] == "integration"
    assert claims["exp"] == token["created_at"] + 7200


def test_token_scope_defaults_to_market_all(sandbox: Sandbox) -> None:
    settings = sandbox.settings("commercelayer")
    form = {
        "grant_type": "client_credentials",
        "client_id": settings["client_id"],
        "client_secret": settings["client_secret"],
    }
    assert post(settings["auth_url"], data=form).json()["scope"] == "market:all"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "nobody"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"scope": "everything please"}, 400, "invalid_scope"),
    ],
)
def test_token_endpoint_errors(sandbox: Sandbox, change: dict[str, str], status: int, code: str) -> None:
    settings = sandbox.settings("commercelayer")
    body = {
        "grant_type": "client_credentials",
        "client_id": settings["client_id"],
        "client_secret": settings["client_secret"],
    }
    response = post(settings["auth_url"], json={**body, **change})
    assert response.status_code == status
    error = response.json()["errors"][0]
    assert error["code"] == code
    assert error["status"] == status
    assert {"title", "detail", "meta"} <= set(error)


def test_token_endpoint_rejects_malformed_json(sandbox: Sandbox) -> None:
    response = post(
        sandbox.settings("commercelayer")["auth_url"], content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_request"


# ---------------------------------------------------------------------------- the seeded order


def test_seeded_order_is_the_documented_example(cl: CommerceLayerApi) -> None:
    example = cl_seed_example()["data"]
    data = cl.patch({}).json()["data"]
    assert data["id"] == example["id"] == CL_ORDER_ID
    assert data["type"] == "orders"
    assert data["meta"] == example["meta"]
    assert data["links"]["self"] == f"{cl.http.base_url}api/orders/{CL_ORDER_ID}"
    assert data["attributes"].pop("updated_at") != example["attributes"].pop("updated_at")
    assert data["attributes"] == example["attributes"]
    assert list(data["relationships"]) == list(example["relationships"])
    assert data["relationships"]["market"]["links"]["related"].endswith(f"/api/orders/{CL_ORDER_ID}/market")


def test_responses_validate_against_the_published_order_response(cl: CommerceLayerApi) -> None:
    validator = cl_response_validator()
    for attributes in ({}, {"_pending": True}, {**SYNC, "_place": True}, {"_approve": True}, {"_unarchive": True}):
        response = cl.patch(attributes, params={"include": "market,line_items,payment_source"})
        assert response.status_code == 200, response.text
        assert_valid(validator, response.json())


# ---------------------------------------------------------------------------- triggers


def test_full_lifecycle_moves_the_three_statuses(cl: CommerceLayerApi) -> None:
    steps = [
        ({"_pending": True}, ("pending", "unpaid", "unfulfilled")),
        ({**SYNC, "_place": True}, ("placed", "authorized", "unfulfilled")),
        ({"_approve": True}, ("approved", "authorized", "unfulfilled")),
        ({"_capture": True}, ("approved", "paid", "in_progress")),
        ({"_fulfill": True}, ("approved", "paid", "fulfilled")),
        ({"_refund": True}, ("cancelled", "refunded", "fulfilled")),
    ]
    for attributes, expected in steps:
        got = cl.attributes(cl.patch(attributes))
        assert (got["status"], got["payment_status"], got["fulfillment_status"]) == expected, attributes
    assert got["editable"] is False


def test_editable_follows_the_status(cl: CommerceLayerApi) -> None:
    assert cl.attributes(cl.patch({"_pending": True}))["editable"] is True
    assert cl.attributes(cl.patch({**SYNC, "_place": True}))["editable"] is False
    assert cl.attributes(cl.patch({"_start_editing": True}))["status"] == "editing"
    assert cl.attributes(cl.patch({"_stop_editing": True}))["status"] == "placed"


def test_place_async_leaves_placing_until_the_next_request(cl: CommerceLayerApi) -> None:
    cl.patch({"_pending": True})
    placing = cl.attributes(cl.patch({"_place": True}))
    assert (placing["status"], placing["payment_status"]) == ("placing", "unpaid")
    approved = cl.attributes(cl.patch({"_approve": True}))
    assert (approved["status"], approved["payment_status"]) == ("approved", "authorized")


def test_place_and_authorize_are_idempotent(cl: CommerceLayerApi) -> None:
    cl.patch({"_pending": True})
    placed = cl.attributes(cl.patch({**SYNC, "_place": True}))
    again = cl.attributes(cl.patch({"_place": True, "_authorize": True}))
    assert (again["status"], again["payment_status"], again["placed_at"]) == (
        "placed",
        "authorized",
        placed["placed_at"],
    )


def test_authorize_before_placing(cl: CommerceLayerApi) -> None:
    cl.patch({"_pending": True})
    assert cl.attributes(cl.patch({"_authorize": True}))["payment_status"] == "authorized"


def test_cancel_voids_the_authorization(cl: CommerceLayerApi) -> None:
    cl.patch({"_pending": True})
    cl.patch({**SYNC, "_place": True})
    cancelled = cl.attributes(cl.patch({"_cancel": True}))
    assert (cancelled["status"], cancelled["payment_status"]) == ("cancelled", "voided")


def test_approve_and_capture_in_one_trigger(cl: CommerceLayerApi) -> None:
    cl.patch({"_pending": True})
    cl.patch({**SYNC, "_place": True})
    done = cl.attributes(cl.patch({"_approve_and_capture": True}))
    assert (done["status"], done["payment_status"], done["fulfillment_status"]) == ("approved", "paid", "in_progress")


@pytest.mark.parametrize(
    "trigger", ["_place", "_approve", "_cancel", "_capture", "_refund", "_fulfill", "_stop_editing"]
)
def test_trigger_in_the_wrong_state_is_a_422(cl: CommerceLayerApi, trigger: str) -> None:
    error = error_of(cl.patch({trigger: True}), 422)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["source"] == {"pointer": f"/data/attributes/{trigger}"}
    assert error["detail"] == f"{trigger} - cannot transition from draft"
    assert error["meta"] == {"error": "invalid_transition", "status": "draft", "payment_status": "unpaid"}


def test_a_refused_request_changes_nothing(cl: CommerceLayerApi) -> None:
    error_of(cl.patch({"reference": "changed", "_approve": True}), 422)
    assert cl.attributes(cl.patch({}))["reference"] == "ANY-EXTERNAL-REFEFERNCE"


def test_place_needs_the_order_information(cl: CommerceLayerApi) -> None:
    cl.patch({"_pending": True})
    response = cl.patch({**SYNC, "_place": True}, {"payment_method": {"data": None}})
    error = error_of(response, 422)
    assert error["source"] == {"pointer": "/data/relationships/payment_method"}
    assert error["title"] == "can't be blank"


def test_pending_needs_a_customer_email(cl: CommerceLayerApi) -> None:
    error = error_of(cl.patch({"customer_email": None, "_pending": True}), 422)
    assert error["source"] == {"pointer": "/data/attributes/customer_email"}


def test_archive_and_unarchive(cl: CommerceLayerApi) -> None:
    assert cl.attributes(cl.patch({"_unarchive": True}))["archived_at"] is None
    assert cl.attributes(cl.patch({"_archive": True}))["archived_at"] is not None


def test_false_triggers_and_side_effect_triggers(cl: CommerceLayerApi) -> None:
    assert cl.attributes(cl.patch({"_unarchive": False}))["archived_at"] == "2018-01-01T12:00:00.000Z"
    refreshed = cl.attributes(cl.patch({"_refresh": True, "_validate": True, "_authorization_amount_cents": 500}))
    assert refreshed["refreshed_at"] != "2018-01-01T12:00:00.000Z"


def test_tags_and_address_triggers(cl: CommerceLayerApi) -> None:
    include = {"include": "tags,shipping_address,billing_address"}
    response = cl.patch({"_add_tags": "vip, gift", "_shipping_address_same_as_billing": True}, params=include)
    relationships = response.json()["data"]["relationships"]
    assert relationships["tags"]["data"] == [{"type": "tags", "id": "vip"}, {"type": "tags", "id": "gift"}]
    shipping = relationships["shipping_address"]["data"]
    assert shipping["id"] != relationships["billing_address"]["data"]["id"]
    included = {(item["type"], item["id"]): item for item in response.json()["included"]}
    assert included[("addresses", shipping["id"])]["attributes"]["city"] == "Milano"
    response = cl.patch({"_remove_tags": "vip", "_billing_address_clone_id": "BqKnhwRjEg"}, params=include)
    assert response.json()["data"]["relationships"]["tags"]["data"] == [{"type": "tags", "id": "gift"}]
    response = cl.patch(
        {"_billing_address_same_as_shipping": True, "_nullify_payment_source": True},
        params={"include": "payment_source"},
    )
    assert response.json()["data"]["relationships"]["payment_source"]["data"] is None


# ---------------------------------------------------------------------------- attributes and relationships


def test_plain_attributes_are_stored_and_returned(cl: CommerceLayerApi) -> None:
    changes = {
        "reference": "ERP-1",
        "metadata": {"a": 1},
        "autorefresh": False,
        "cart_url": None,
        "customer_password": "secret",
        "affiliate_code": "AFF",
    }
    got = cl.attributes(cl.patch(changes))
    assert {k: got[k] for k in ("reference", "metadata", "autorefresh", "cart_url", "affiliate_code")} == {
        "reference": "ERP-1",
        "metadata": {"a": 1},
        "autorefresh": False,
        "cart_url": None,
        "affiliate_code": "AFF",
    }
    assert "customer_password" not in got


@pytest.mark.parametrize(
    ("attributes", "name", "title"),
    [
        ({"autorefresh": "yes"}, "autorefresh", "must be a boolean"),
        ({"autorefresh": None}, "autorefresh", "can't be blank"),
        ({"customer_email": "not-an-email"}, "customer_email", "is invalid"),
        ({"metadata": [1]}, "metadata", "must be a object"),
        ({"_authorization_amount_cents": "500"}, "_authorization_amount_cents", "is not a number"),
        ({"_place": "true"}, "_place", "must be a boolean"),
    ],
)
def test_invalid_attribute_values_are_422(
    cl: CommerceLayerApi, attributes: dict[str, object], name: str, title: str
) -> None:
    error = error_of(cl.patch(attributes), 422)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["title"] == title
    assert error["source"] == {"pointer": f"/data/attributes/{name}"}


def test_relationships_are_set_and_cleared(cl: CommerceLayerApi) -> None:
    relationships = {
        "payment_method": {"data": {"type": "payment_methods", "id": "NEWpm"}},
        "store": {"data": {"type": "stores", "id": "st1"}},
        "customer": {"data": None},
        "tags": {"data": [{"type": "tags", "id": "t1"}]},
    }
    response = cl.patch({}, relationships, params={"include": "payment_method,store,customer,tags"})
    got = response.json()["data"]["relationships"]
    assert got["payment_method"]["data"] == {"type": "payment_methods", "id": "NEWpm"}
    assert got["store"]["data"] == {"type": "stores", "id": "st1"}
    assert got["customer"]["data"] is None
    assert got["tags"]["data"] == [{"type": "tags", "id": "t1"}]
    assert {"id": "NEWpm", "type": "payment_methods"}.items() <= response.json()["included"][0].items()


@pytest.mark.parametrize(
    "relationships",
    [
        {"market": {"data": {"type": "stores", "id": "x"}}},
        {"market": {"data": {"type": "markets"}}},
        {"market": {"id": "x"}},
        {"tags": {"data": {"type": "tags", "id": "x"}}},
    ],
)
def test_invalid_relationships_are_422(cl: CommerceLayerApi, relationships: dict[str, object]) -> None:
    error = error_of(cl.patch({}, relationships), 422)
    assert str(error["source"]).startswith("{'pointer': '/data/relationships/")


# ---------------------------------------------------------------------------- include and fields


def test_include_and_sparse_fieldsets(cl: CommerceLayerApi) -> None:
    params = {
        "include": "market,customer,line_items.item",
        "fields[orders]": "status,market,line_items",
        "fields[markets]": "name",
    }
    document = cl.patch({}, params=params).json()
    assert document["data"]["attributes"] == {"status": "draft"}
    assert set(document["data"]["relationships"]) == {"market", "line_items"}
    included = {(item["type"], item["id"]): item["attributes"] for item in document["included"]}
    assert included[("markets", "dlQbPhNNop")] == {"name": "Europe"}
    assert ("customers", "BGvjhJyRKo") in included
    assert len([key for key in included if key[0] == "line_items"]) == 2


def test_without_include_relationships_carry_links_only(cl: CommerceLayerApi) -> None:
    document = cl.patch({}).json()
    assert "included" not in document
    assert set(document["data"]["relationships"]["market"]) == {"links"}


@pytest.mark.parametrize(
    ("params", "code"),
    [({"include": "market,nonsense"}, "INVALID_INCLUDE"), ({"fields[orders]": "status,nonsense"}, "INVALID_FIELD")],
)
def test_invalid_include_or_fields_are_400(cl: CommerceLayerApi, params: dict[str, str], code: str) -> None:
    assert error_of(cl.patch({}, params=params), 400)["code"] == code


# ---------------------------------------------------------------------------- request and auth errors


def test_missing_unknown_and_expired_tokens_are_invalid_token(cl: CommerceLayerApi, sandbox: Sandbox) -> None:
    cl.token = ""
    assert error_of(cl.patch({}), 401)["code"] == "INVALID_TOKEN"
    cl.token = "not-a-token-we-issued"
    assert error_of(cl.patch({}), 401)["code"] == "INVALID_TOKEN"
    sandbox.set_knobs(dataclasses.replace(sandbox.knobs, token_ttl=0))
    cl.token = cl_token(sandbox)
    assert error_of(cl.patch({}), 401)["code"] == "INVALID_TOKEN"


def test_sales_channel_token_may_not_pass_prohibited_fields(cl: CommerceLayerApi, sandbox: Sandbox) -> None:
    cl.token = cl_token(sandbox, sales_channel=True)
    error = error_of(cl.patch({"_approve": True, "reference": "x"}), 401)
    assert (error["code"], error["title"]) == ("UNAUTHORIZED", "Access denied")
    assert error["meta"] == {"attributes": ["_approve"]}
    assert cl.attributes(cl.patch({"reference": "from the shop"}))["reference"] == "from the shop"


def test_unknown_order_is_record_not_found(cl: CommerceLayerApi) -> None:
    error = error_of(cl.patch({}, order_id="NOPE"), 404)
    assert error["code"] == "RECORD_NOT_FOUND"
    assert error["title"] == "Record not found"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"data": {"type": "orders", "id": "other", "attributes": {}}}, 400, "KEY_NOT_INCLUDED_IN_URL"),
        ({"nodata": 1}, 400, "PARAM_MISSING"),
        ([], 400, "PARAM_MISSING"),
        ({"data": {"type": "orders", "id": CL_ORDER_ID}}, 400, "PARAM_MISSING"),
        ({"data": {"type": "order", "id": CL_ORDER_ID, "attributes": {}}}, 409, "INVALID_RESOURCE"),
        ({"data": {"type": "orders", "id": CL_ORDER_ID, "attributes": {"status": "placed"}}}, 400, "PARAM_NOT_ALLOWED"),
        (
            {"data": {"type": "orders", "id": CL_ORDER_ID, "attributes": {}, "relationships": {"sku": {}}}},
            400,
            "PARAM_NOT_ALLOWED",
        ),
        ({"data": {"type": "orders", "id": CL_ORDER_ID, "attributes": []}}, 400, "BAD_REQUEST"),
    ],
)
def test_malformed_documents_are_rejected(cl: CommerceLayerApi, body: object, status: int, code: str) -> None:
    assert error_of(cl.patch(body=body), status)["code"] == code


def test_invalid_json_is_bad_request(cl: CommerceLayerApi) -> None:
    headers = {"Authorization": f"Bearer {cl.token}", "Content-Type": JSONAPI}
    response = cl.http.patch(f"/api/orders/{CL_ORDER_ID}", content=b"{oops", headers=headers)
    assert error_of(response, 400)["code"] == "BAD_REQUEST"


def test_media_types_are_enforced(cl: CommerceLayerApi) -> None:
    assert error_of(cl.patch({}, headers={"Accept": "text/html"}), 406)["code"] == "NOT_ACCEPTABLE"
    assert error_of(cl.patch({}, headers={"Content-Type": "application/json"}), 415)["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert cl.patch({}, headers={"Accept": "*/*"}).status_code == 200


def test_unknown_routes_and_methods_answer_in_the_vendor_format(cl: CommerceLayerApi) -> None:
    assert error_of(cl.http.get("/api/skus"), 404)["code"] == "NOT_FOUND"
    response = cl.http.delete(f"/api/orders/{CL_ORDER_ID}")  # GET reads the order (bulk read-back)
    assert error_of(response, 405)["code"] == "METHOD_NOT_ALLOWED"
    assert "PATCH" in response.headers["allow"]


# ---------------------------------------------------------------------------- rate-limit headers


def test_rate_limit_headers_on_every_response(cl: CommerceLayerApi, sandbox: Sandbox) -> None:
    first, second = cl.patch({}), cl.patch({"_approve": True})
    for response in (first, second):
        assert response.headers["X-Ratelimit-Limit"] == "100"
        assert response.headers["X-Ratelimit-Interval"] == "60"
    assert int(first.headers["X-Ratelimit-Remaining"]) - 1 == int(second.headers["X-Ratelimit-Remaining"])
    sandbox.set_knobs(dataclasses.replace(sandbox.knobs, rate_limit=50, rate_window=2.5))
    response = cl.patch({})
    assert (response.headers["X-Ratelimit-Limit"], response.headers["X-Ratelimit-Interval"]) == ("50", "2.5")
