"""``commercelayer/_update.py`` edges: the trigger field transformer run on a new class (it runs
when a class is built, so a test must build one), and the exact errors of ids and passwords."""

from __future__ import annotations

import attrs
import pytest

from orderpatch import UNSET, Secret, Unset, ValidationError
from orderpatch._models import WIRE_NAME, RequestModel
from orderpatch.commercelayer import CustomerRef, OrderUpdate, PaymentSourceRef, PaymentSourceType
from orderpatch.commercelayer._update import (
    _REL,
    _TRIG,
    _TRIG_IDEM,
    IDEMPOTENT,
    NON_IDEMPOTENT_TRIGGERS,
    RELATIONSHIP,
    RELATIONSHIPS,
    TRIGGER,
    _wire_triggers,
)


def test_the_transformer_gives_only_triggers_their_underscored_wire_name() -> None:
    @attrs.frozen(kw_only=True, field_transformer=_wire_triggers)
    class Sample(RequestModel):
        plain: bool | Unset = UNSET
        go: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
        safe_go: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG_IDEM)
        link: CustomerRef | Unset = attrs.field(default=UNSET, metadata=_REL)

    fields = attrs.fields(Sample)
    assert dict(fields.plain.metadata) == {}
    assert dict(fields.go.metadata) == {TRIGGER: True, IDEMPOTENT: False, WIRE_NAME: "_go"}
    assert dict(fields.safe_go.metadata) == {TRIGGER: True, IDEMPOTENT: True, WIRE_NAME: "_safe_go"}
    assert dict(fields.link.metadata) == {RELATIONSHIP: True}


def test_every_trigger_of_order_update_has_its_wire_name() -> None:
    triggers = [f for f in attrs.fields(OrderUpdate) if f.metadata.get(TRIGGER)]
    assert len(triggers) == 34
    assert all(f.metadata[WIRE_NAME] == "_" + f.name for f in triggers)
    assert all(WIRE_NAME not in f.metadata for f in attrs.fields(OrderUpdate) if not f.metadata.get(TRIGGER))
    assert {"place", "authorize", "authorization_amount_cents"}.isdisjoint(NON_IDEMPOTENT_TRIGGERS)
    assert len(NON_IDEMPOTENT_TRIGGERS) == 31
    assert len(RELATIONSHIPS) == 8


@pytest.mark.parametrize("value", [5, b"pw", None])
def test_a_customer_password_that_is_not_a_string_is_refused_exactly(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        OrderUpdate(customer_password=value)  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected) == ("OrderUpdate.customer_password", "str | Secret")
    assert str(info.value).startswith("OrderUpdate.customer_password: expected str | Secret, got ")
    assert str(info.value).endswith(repr(value)[:20])


def test_a_customer_password_is_held_as_a_secret() -> None:
    assert OrderUpdate(customer_password="pw").customer_password == Secret("pw")
    given = Secret("pw2")
    assert OrderUpdate(customer_password=given).customer_password is given
    assert OrderUpdate().customer_password is UNSET


def test_a_bad_payment_source_id_names_its_field() -> None:
    with pytest.raises(ValidationError) as info:
        PaymentSourceRef(type=PaymentSourceType.STRIPE_PAYMENTS, id="a/b")
    assert info.value.field == "PaymentSourceRef.id"
    assert str(info.value).startswith("PaymentSourceRef.id: ")


def test_a_bad_reference_id_names_its_class() -> None:
    with pytest.raises(ValidationError) as info:
        CustomerRef(id="..")
    assert info.value.field == "CustomerRef.id"
    assert CustomerRef(id="abc").type == "customers"
