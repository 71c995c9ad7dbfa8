"""What "already has the change" means, field by field: claimed only when certain."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from orderpatch import Address, OrderChanges
from orderpatch.bulk._compare import comparable, current_values, holds, would_change
from orderpatch.commercelayer import OrderUpdate


def cl(**values: object) -> SimpleNamespace:
    base = {"customer_email": "a@b.co", "reference": "ERP-1", "metadata": {"n": 1, "tags": ["x"]},
            "coupon_code": "SAVE", "language_code": "en"}
    return SimpleNamespace(**{**base, **values})


@pytest.mark.parametrize(("changes", "expected"), [
    (OrderChanges(email="a@b.co"), True),
    (OrderChanges(email="A@b.co"), False),  # no case folding: the write is harmless, a wrong skip is not
    (OrderChanges(reference="ERP-1", coupon_code="SAVE", language="en"), True),
    (OrderChanges(reference="ERP-1", coupon_code="OTHER"), False),  # every field must hold
    (OrderChanges(metadata={"tags": ["x"], "n": 1}), True),  # key order does not matter
    (OrderChanges(metadata={"n": 1.0, "tags": ["x"]}), False),  # 1.0 is not 1 on the wire
    (OrderChanges(metadata={"n": 1}), False),  # the stored object has more keys: the write replaces it
    (OrderChanges(reference=None), False),  # a clear is never claimed
    (OrderChanges(customer_id="cus_1"), False),  # Commerce Layer's customer is not read
])
def test_commercelayer(changes: OrderChanges, expected: bool) -> None:
    assert holds("commercelayer", changes, cl()) is expected


def test_a_field_the_answer_does_not_carry_means_write() -> None:
    assert not holds("commercelayer", OrderChanges(reference="ERP-1"), SimpleNamespace())
    assert not holds("commercelayer", OrderChanges(reference="ERP-1"), cl(reference=None))
    assert not holds("commercelayer", OrderChanges(metadata={}), cl(metadata="{}"))  # not an object


def test_the_other_vendors() -> None:
    trunkery = SimpleNamespace(customer_email="a@b.co", currency="EUR", discount_code="X", tags=["b", "a"],
                               customer=SimpleNamespace(id="cu_1"))
    assert holds("trunkery", OrderChanges(email="a@b.co", tags=["b", "a"], customer_id="cu_1"), trunkery)
    assert not holds("trunkery", OrderChanges(tags=["a", "b"]), trunkery)  # the order of the list is kept
    assert not holds("trunkery", OrderChanges(customer_id="cu_1"), SimpleNamespace(customer=None))
    assert not holds("trunkery", OrderChanges(customer_id="cu_1"), SimpleNamespace(customer=SimpleNamespace(id=True)))
    address = Address(line1="1 Main St", city="Albany", postal_code="12207", region="NY", country_code="US",
                      first_name="Leah")
    assert not comparable("trunkery", OrderChanges(shipping_address=address))  # addresses are never claimed
    spree_admin = SimpleNamespace(email="a@b.co", currency="USD", locale="en", internal_note="n", metadata={"k": 1},
                                  tags=[], customer_id="cus_1")
    assert holds("spree_admin", OrderChanges(language="en", note="n", metadata={"k": 1}, tags=[],
                                             customer_id="cus_1"), spree_admin)
    assert holds("licensespring", OrderChanges(reference="S-1", language="de"),
                 SimpleNamespace(store_id="S-1", language="de"))
    assert not comparable("licensespring", OrderChanges(customer_id=7))  # not read: written
    assert holds("spree", OrderChanges(email="a@b.co", currency="USD", note="n"),
                 SimpleNamespace(email="a@b.co", currency="USD", internal_note="n"))
    assert not holds("spree", OrderChanges(note="n"), SimpleNamespace(internal_note={"n": 1}))


def test_native_changes_and_unknown_vendors_are_never_claimed() -> None:
    assert not comparable("commercelayer", OrderUpdate(reference="ERP-1"))
    assert not holds("commercelayer", OrderUpdate(reference="ERP-1"), cl())
    assert not holds("acme", OrderChanges(reference="ERP-1"), cl())


def test_what_would_change() -> None:
    changes = OrderChanges(reference="ERP-2", email="a@b.co", metadata={"n": 2})
    assert would_change("commercelayer", changes, cl()) == {
        "reference": {"from": "ERP-1", "to": "ERP-2"},
        "metadata": {"from": {"n": 1, "tags": ["x"]}, "to": {"n": 2}},
    }
    address = Address(city="Albany")
    spree = SimpleNamespace(email="a@b.co", currency="USD", internal_note=None)
    assert would_change("spree", OrderChanges(billing_address=address, tags=["a"]), spree) == {
        "billing_address": {"from": "?", "to": {"city": "Albany"}}, "tags": {"from": "?", "to": ["a"]}}
    assert current_values("spree", OrderChanges(email="x@y.co", note="n"), spree) == {"email": "a@b.co", "note": None}
