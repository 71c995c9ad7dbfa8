"""What ``OrderUpdate`` accepts and the exact JSON:API documents the codec builds (no HTTP here)."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from orderpatch import UNSET, Secret, ValidationError
from orderpatch.commercelayer import (
    AddressRef,
    CustomerRef,
    MarketRef,
    OrderUpdate,
    PaymentMethodRef,
    PaymentSourceRef,
    PaymentSourceType,
    StoreRef,
    TagRef,
)
from orderpatch.commercelayer._codec import build_trigger_request, build_update_request, is_idempotent

from .conftest import BASE, JSONAPI, ORDER_ID, body_of

ROOT = httpx.URL(BASE)


def document(changes: OrderUpdate, order_id: str = ORDER_ID) -> object:
    return body_of(build_update_request(ROOT, order_id, changes).request)


def test_empty_update_still_sends_type_id_and_attributes() -> None:
    assert document(OrderUpdate()) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {}}}


def test_plain_attributes_unset_is_omitted_and_none_is_null() -> None:
    changes = OrderUpdate(customer_email="john@example.com", coupon_code=None, autorefresh=False,
                          metadata={"foo": "bar", "n": [1, 2.5, None]}, expiration_info=None)
    assert document(changes) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {
        "customer_email": "john@example.com", "coupon_code": None, "autorefresh": False,
        "metadata": {"foo": "bar", "n": [1, 2.5, None]}, "expiration_info": None,
    }}}


def test_datetime_is_sent_as_iso8601_with_offset() -> None:
    when = dt.datetime(2018, 1, 2, 12, 0, tzinfo=dt.UTC)
    assert document(OrderUpdate(expires_at=when)) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {
        "expires_at": "2018-01-02T12:00:00+00:00"}}}


def test_boolean_trigger_gets_its_leading_underscore_back() -> None:
    assert document(OrderUpdate(place=True)) == {"data": {"type": "orders", "id": ORDER_ID,
                                                          "attributes": {"_place": True}}}


def test_value_triggers_carry_their_values() -> None:
    changes = OrderUpdate(authorize=True, authorization_amount_cents=500, billing_address_clone_id="AbCd1234",
                          add_tags="vip,gift", remove_tags="old")
    assert document(changes) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {
        "_authorize": True, "_authorization_amount_cents": 500, "_billing_address_clone_id": "AbCd1234",
        "_add_tags": "vip,gift", "_remove_tags": "old",
    }}}


def test_seed_request_archive_approve_approve_and_capture_with_market() -> None:
    """The request body of the vendor's own example, with real values in its placeholders."""
    changes = OrderUpdate(archive=True, approve=True, approve_and_capture=True, market=MarketRef(id="mkT01"))
    assert document(changes) == {"data": {
        "type": "orders", "id": ORDER_ID,
        "attributes": {"_archive": True, "_approve": True, "_approve_and_capture": True},
        "relationships": {"market": {"data": {"type": "markets", "id": "mkT01"}}},
    }}


def test_every_relationship_kind() -> None:
    changes = OrderUpdate(
        market=MarketRef(id="m1"), customer=CustomerRef(id="c1"), shipping_address=AddressRef(id="a1"),
        billing_address=AddressRef(id="a2"), store=StoreRef(id="s1"), payment_method=PaymentMethodRef(id="p1"),
        payment_source=PaymentSourceRef(type=PaymentSourceType.STRIPE_PAYMENTS, id="ps1"),
        tags=[TagRef(id="t1"), TagRef(id="t2")],
    )
    assert document(changes) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {}, "relationships": {
        "market": {"data": {"type": "markets", "id": "m1"}},
        "customer": {"data": {"type": "customers", "id": "c1"}},
        "shipping_address": {"data": {"type": "addresses", "id": "a1"}},
        "billing_address": {"data": {"type": "addresses", "id": "a2"}},
        "store": {"data": {"type": "stores", "id": "s1"}},
        "payment_method": {"data": {"type": "payment_methods", "id": "p1"}},
        "payment_source": {"data": {"type": "stripe_payments", "id": "ps1"}},
        "tags": {"data": [{"type": "tags", "id": "t1"}, {"type": "tags", "id": "t2"}]},
    }}}


def test_clearing_relationships_sends_null_and_empty_list() -> None:
    changes = OrderUpdate(payment_source=None, customer=None, tags=[])
    assert document(changes) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {}, "relationships": {
        "payment_source": {"data": None}, "customer": {"data": None}, "tags": {"data": []},
    }}}


def test_polymorphic_payment_source_takes_a_known_string_or_an_explicit_new_type() -> None:
    known = OrderUpdate(payment_source=PaymentSourceRef(type="wire_transfers", id="w1"))  # type: ignore[arg-type]
    future = OrderUpdate(payment_source=PaymentSourceRef(type=PaymentSourceType("acme_payments"), id="x1"))
    assert document(known) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {}, "relationships": {
        "payment_source": {"data": {"type": "wire_transfers", "id": "w1"}}}}}
    assert document(future) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {}, "relationships": {
        "payment_source": {"data": {"type": "acme_payments", "id": "x1"}}}}}


def test_customer_password_is_a_secret_sent_in_clear_only_in_the_body() -> None:
    changes = OrderUpdate(customer_email="a@b.co", customer_password="s3cret-pass")
    assert isinstance(changes.customer_password, Secret)
    assert "s3cret-pass" not in repr(changes)
    assert document(changes) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {
        "customer_email": "a@b.co", "customer_password": "s3cret-pass"}}}
    assert OrderUpdate(customer_password=Secret("x1")).customer_password == Secret("x1")


def test_repr_lists_only_what_will_be_sent() -> None:
    assert repr(OrderUpdate(place=True, coupon_code=None)) == "OrderUpdate(coupon_code=None, place=True)"
    assert repr(OrderUpdate()) == "OrderUpdate()"


def test_headers_path_and_method() -> None:
    request = build_update_request(ROOT, ORDER_ID, OrderUpdate(guest=True)).request
    assert request.method == "PATCH"
    assert str(request.url) == f"{BASE}/api/orders/{ORDER_ID}"
    assert request.headers["accept"] == JSONAPI
    assert request.headers["content-type"] == JSONAPI


def test_base_url_with_a_sub_path_keeps_it() -> None:
    request = build_update_request(httpx.URL("http://127.0.0.1:8000/commercelayer"), "ab1", OrderUpdate()).request
    assert str(request.url) == "http://127.0.0.1:8000/commercelayer/api/orders/ab1"


def test_include_and_sparse_fieldsets_become_the_query() -> None:
    request = build_update_request(ROOT, ORDER_ID, OrderUpdate(), include=["market", "line_items.item"],
                                   fields={"orders": ["status", "number"], "markets": "name"}).request
    assert list(request.url.params.multi_items()) == [
        ("include", "market,line_items.item"), ("fields[orders]", "status,number"), ("fields[markets]", "name"),
    ]
    single = build_update_request(ROOT, ORDER_ID, OrderUpdate(), include="market,customer").request
    assert single.url.params["include"] == "market,customer"


@pytest.mark.parametrize(("include", "fields"), [
    ("", None), (["market "], None), (["a,b"], None), ([], None), ([1], None), ("market..x", None),
    (None, {"orders": []}), (None, {"orders": ["status", "bad name"]}), (None, {"Orders!": ["x"]}),
    (None, ["status"]), (None, {"orders": 5}),
])
def test_bad_include_or_fields_is_refused_before_sending(include: object, fields: object) -> None:
    with pytest.raises(ValidationError) as info:
        build_update_request(ROOT, ORDER_ID, OrderUpdate(), include=include, fields=fields)  # type: ignore[arg-type]
    assert info.value.field is not None
    assert info.value.field.startswith(("include", "fields"))


@pytest.mark.parametrize("bad_id", ["", "../x", "a/b", "x y", "a?b", "%2F", "\x00"])
def test_unsafe_order_id_is_refused(bad_id: str) -> None:
    with pytest.raises(ValidationError, match="order_id"):
        build_update_request(ROOT, bad_id, OrderUpdate())


def test_changes_must_be_an_order_update() -> None:
    with pytest.raises(ValidationError, match=r"changes: expected orderpatch\.commercelayer\.OrderUpdate, got dict"):
        build_update_request(ROOT, ORDER_ID, {"_place": True})  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"place": "yes"}, "OrderUpdate.place"),
    ({"place": None}, "OrderUpdate.place"),
    ({"guest": 1}, "OrderUpdate.guest"),
    ({"authorization_amount_cents": 5.5}, "OrderUpdate.authorization_amount_cents"),
    ({"authorization_amount_cents": True}, "OrderUpdate.authorization_amount_cents"),
    ({"coupon_code": 123}, "OrderUpdate.coupon_code"),
    ({"expires_at": dt.datetime(2020, 1, 1)}, "OrderUpdate.expires_at"),
    ({"expires_at": "2020-01-01"}, "OrderUpdate.expires_at"),
    ({"metadata": {"a": float("nan")}}, "OrderUpdate.metadata"),
    ({"metadata": [1]}, "OrderUpdate.metadata"),
    ({"market": {"type": "markets", "id": "m1"}}, "OrderUpdate.market"),
    ({"market": CustomerRef(id="c1")}, "OrderUpdate.market"),
    ({"tags": TagRef(id="t1")}, "OrderUpdate.tags"),
    ({"tags": [MarketRef(id="m1")]}, "OrderUpdate.tags"),
    ({"tags": None}, "OrderUpdate.tags"),
    ({"customer_password": 1234}, "OrderUpdate.customer_password"),
    ({"add_tags": ["a", "b"]}, "OrderUpdate.add_tags"),
])
def test_wrong_types_are_refused_at_construction_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderUpdate(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert field in str(info.value)


@pytest.mark.parametrize("make", [
    lambda: MarketRef(id=""),
    lambda: TagRef(id="a/b"),
    lambda: AddressRef(id=5),  # type: ignore[arg-type]
    lambda: PaymentSourceRef(type="stripe_payment", id="x1"),  # type: ignore[arg-type]
    lambda: PaymentSourceRef(type=PaymentSourceType.STRIPE_PAYMENTS, id=""),
])
def test_bad_references_are_refused(make: object) -> None:
    assert callable(make)
    with pytest.raises(ValidationError, match=r"(Ref|PaymentSourceRef)\.(id|type)"):
        make()


def test_reference_types_are_the_plural_resource_types() -> None:
    assert [r.type for r in (MarketRef(id="a"), CustomerRef(id="a"), AddressRef(id="a"), StoreRef(id="a"),
                              PaymentMethodRef(id="a"), TagRef(id="a"))] == [
        "markets", "customers", "addresses", "stores", "payment_methods", "tags"]


@pytest.mark.parametrize(("changes", "idempotent"), [
    (OrderUpdate(), True),
    (OrderUpdate(customer_email="a@b.co", market=MarketRef(id="m1"), metadata={"a": 1}), True),
    (OrderUpdate(place=True), True),
    (OrderUpdate(authorize=True, authorization_amount_cents=100), True),
    (OrderUpdate(capture=True), False),
    (OrderUpdate(refund=True), False),
    (OrderUpdate(approve_and_capture=True), False),
    (OrderUpdate(place=True, cancel=True), False),
    (OrderUpdate(billing_address_clone_id="a1"), False),
    (OrderUpdate(add_tags="x"), False),
    (OrderUpdate(capture=False), False),
])
def test_idempotency_follows_the_schema_flags(changes: OrderUpdate, idempotent: bool) -> None:
    assert is_idempotent(changes) is idempotent
    assert build_update_request(ROOT, ORDER_ID, changes).idempotent is idempotent


@pytest.mark.parametrize(("trigger", "wire", "idempotent"), [
    ("place", "_place", True), ("approve", "_approve", False), ("cancel", "_cancel", False),
    ("capture", "_capture", False), ("refund", "_refund", False), ("archive", "_archive", False),
    ("unarchive", "_unarchive", False), ("refresh", "_refresh", False),
])
def test_trigger_shortcuts_patch_only_their_trigger(trigger: str, wire: str, idempotent: bool) -> None:
    call = build_trigger_request(ROOT, ORDER_ID, trigger, include=["market"])  # type: ignore[arg-type]
    assert json.loads(call.request.content) == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {wire: True}}}
    assert call.request.url.params["include"] == "market"
    assert call.idempotent is idempotent


def test_unknown_trigger_shortcut_is_refused() -> None:
    with pytest.raises(ValidationError, match="trigger: expected 'place'"):
        build_trigger_request(ROOT, ORDER_ID, "explode")  # type: ignore[arg-type]


def test_unset_is_the_default_of_every_field() -> None:
    changes = OrderUpdate()
    assert changes.place is UNSET
    assert changes.market is UNSET
    assert changes.customer_password is UNSET
