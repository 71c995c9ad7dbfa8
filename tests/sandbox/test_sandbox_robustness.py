"""Arbitrary JSON in every known field must get a vendor answer (2xx/4xx), never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderpatch.sandbox import Sandbox
from orderpatch.sandbox._commercelayer_model import ATTRIBUTES, BOOL_TRIGGERS, RELATIONSHIP_TYPES, VALUE_TRIGGERS
from orderpatch.sandbox._seeds import CL_ORDER_ID, LS_ORDER_ID
from tests.sandbox.sandbox_support import (
    JSONAPI,
    LicenseSpringApi,
    SpreeApi,
    TrunkeryApi,
    plain_client,
)

pytestmark = pytest.mark.loopback

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=8,
)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def some_of(names: object) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(st.sampled_from(sorted(names)), JSON, max_size=4)  # type: ignore[call-overload]


@FUZZ
@given(attributes=some_of({*ATTRIBUTES, *VALUE_TRIGGERS, *BOOL_TRIGGERS}), relationships=some_of(RELATIONSHIP_TYPES))
def test_commercelayer_never_fails_with_500(
    running_sandbox: Sandbox,
    session_tokens: dict[str, str],
    attributes: dict[str, object],
    relationships: dict[str, object],
) -> None:
    body = {"data": {"type": "orders", "id": CL_ORDER_ID, "attributes": attributes, "relationships": relationships}}
    headers = {"Authorization": f"Bearer {session_tokens['commercelayer']}", "Content-Type": JSONAPI}
    with plain_client(base_url=running_sandbox.base_url("commercelayer")) as http:
        response = http.patch(f"/api/orders/{CL_ORDER_ID}", content=json.dumps(body), headers=headers)
    assert response.status_code in {200, 400, 401, 422}, response.text


SPREE_KEYS = {
    "email",
    "state",
    "total",
    "item_count",
    "user_id",
    "completed_at",
    "considered_risky",
    "public_metadata",
    "bill_address_attributes",
    "line_items_attributes",
    "payments_attributes",
    "shipments_attributes",
}


@FUZZ
@given(order=some_of(SPREE_KEYS), action=st.sampled_from(["", "/next", "/use_store_credit", "/apply_coupon_code"]))
def test_spree_never_fails_with_500(
    running_sandbox: Sandbox, session_tokens: dict[str, str], order: dict[str, object], action: str
) -> None:
    running_sandbox.reset()
    api = SpreeApi(running_sandbox, session_tokens["spree"])
    with api.http:
        response = api.http.patch(f"/R484277352{action}", json={"order": order, "amount": order.get("total")})
    assert response.status_code in {200, 400, 422}, response.text


@FUZZ
@given(
    changes=some_of(
        {"store_id", "type", "is_test", "is_trial", "download_id", "customer", "customer_account", "metadata"}
    )
)
def test_licensespring_never_fails_with_500(running_sandbox: Sandbox, changes: dict[str, object]) -> None:
    api = LicenseSpringApi(running_sandbox)
    with api.http:
        assert api.patch(LS_ORDER_ID, changes).status_code in {200, 400}


TRUNKERY_KEYS = {
    "billing_address",
    "billing_address_short_id",
    "currency",
    "custom_items",
    "customer_email",
    "customer_id",
    "discount_code",
    "line_items",
    "mobile_notifications",
    "shipping_rate_ids",
    "tags",
}


@FUZZ
@given(changes=some_of(TRUNKERY_KEYS), create=st.booleans())
def test_trunkery_never_fails_with_500(running_sandbox: Sandbox, changes: dict[str, object], create: bool) -> None:
    running_sandbox.reset()
    api = TrunkeryApi(running_sandbox)
    with api.http:
        response = api.create(changes) if create else api.modify(changes)
    assert response.status_code in {200, 400}, response.text


@pytest.mark.parametrize("action", ["", "/next", "/use_store_credit", "/apply_coupon_code"])
def test_spree_huge_total_with_null_address_is_not_a_500(
    running_sandbox: Sandbox, session_tokens: dict[str, str], action: str
) -> None:
    """A case the fuzz test above once drew (a 500): a total past any real amount, no bill address."""
    running_sandbox.reset()
    api = SpreeApi(running_sandbox, session_tokens["spree"])
    order = {"bill_address_attributes": None, "total": 1e26}
    with api.http:
        response = api.http.patch(f"/R484277352{action}", json={"order": order, "amount": 1e26})
    assert response.status_code in {200, 400, 422}, response.text
