"""The shared model conventions: request models show only the fields that are set, and every
vendor ``Order`` has ``to_dict()`` / ``to_json()`` (JSON-ready, exact money, secrets hidden)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

import orderpatch
from orderpatch import UNSET, OrderChanges, Secret
from orderpatch._models import RequestModel, ResponseModel, set_fields_repr
from orderpatch._types import JSONValue
from orderpatch.commercelayer import OrderUpdate as CommerceLayerUpdate
from orderpatch.commercelayer._codec import parse_order as parse_commercelayer
from orderpatch.licensespring._codec import parse_order as parse_licensespring
from orderpatch.spree import Address, LineItem
from orderpatch.spree import OrderUpdate as SpreeUpdate
from orderpatch.spree._codec import parse_order as parse_spree
from orderpatch.trunkery import OrderModify
from orderpatch.trunkery._codec import parse_modify_response
from tests.facade._support import seed_response


def every_subclass(base: type) -> list[type]:
    for module in pkgutil.walk_packages(orderpatch.__path__, "orderpatch."):
        if not module.name.startswith("orderpatch.sandbox") and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type] = []
    todo: list[type] = [base]
    while todo:
        subclasses: list[type] = todo.pop().__subclasses__()
        for sub in subclasses:
            found.append(sub)
            todo.append(sub)
    return found


#: The library's request models (test modules' own throw-away models, collected earlier, are not the contract).
REQUEST_MODELS = [cls for cls in every_subclass(RequestModel)
                  if attrs.has(cls) and cls.__module__.startswith("orderpatch.")]


def test_the_request_models_are_found() -> None:
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in REQUEST_MODELS}
    assert {"orderpatch.spree.models.OrderUpdate", "orderpatch._facade._changes.OrderChanges",
            "orderpatch.trunkery.models.OrderModify"} <= names


@pytest.mark.parametrize("cls", REQUEST_MODELS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_request_model_shows_only_the_fields_that_are_set(cls: type) -> None:
    """A new request model must be declared ``@attrs.frozen(kw_only=True, repr=False)``
    (or define a ``__repr__`` that shows only set fields), so ``RequestModel.__repr__`` applies."""
    own = cls.__dict__.get("__repr__")
    generated = own is not None and own.__code__.co_filename.startswith("<attrs generated")
    assert not generated, (
        f"{cls.__qualname__}: declare it @attrs.frozen(kw_only=True, repr=False) so that its repr shows only set fields"
    )


def test_a_spree_update_prints_what_it_changes() -> None:
    changes = SpreeUpdate(email="a@b.co", line_items_attributes=[LineItem(variant_id=1, quantity=2)],
                          ship_address_attributes=Address(city="NY"))
    assert repr(changes) == ("OrderUpdate(email='a@b.co', ship_address_attributes=Address(city='NY'), "
                             "line_items_attributes=[LineItem(variant_id=1, quantity=2)])")
    assert repr(SpreeUpdate()) == "OrderUpdate()"
    assert "UNSET" not in repr(changes)


def test_none_is_shown_because_it_is_sent() -> None:
    assert repr(OrderChanges(reference=None)) == "OrderChanges(reference=None)"
    assert repr(CommerceLayerUpdate(place=True, reference=None)) == "OrderUpdate(reference=None, place=True)"


def test_the_check_catches_a_model_declared_without_repr_false() -> None:
    @attrs.frozen(kw_only=True)
    class Forgot(RequestModel):
        name: str | object = UNSET

    with pytest.raises(AssertionError, match="repr=False"):
        test_every_request_model_shows_only_the_fields_that_are_set(Forgot)


def test_fields_declared_repr_false_stay_hidden_and_callables_format() -> None:
    @attrs.frozen(kw_only=True, repr=False)
    class Login(RequestModel):
        user: str
        password: str | None = attrs.field(default=None, repr=False)
        code: int = attrs.field(default=0, repr=lambda value: f"<{value}>")
        note: str | object = UNSET

    assert repr(Login(user="ada", password="hunter2", code=7)) == "Login(user='ada', code=<7>)"
    assert set_fields_repr(Login(user="x")) == "Login(user='x', code=<0>)"


def test_trunkery_modify_repr() -> None:
    assert repr(OrderModify(mobile="+15555550100")) == "OrderModify(mobile='+15555550100')"


ORDERS: dict[str, Callable[[], ResponseModel]] = {
    "commercelayer": lambda: parse_commercelayer(seed_response("commercelayer")),
    "spree": lambda: parse_spree(seed_response("spree")),
    "licensespring": lambda: parse_licensespring(seed_response("licensespring")),
    "trunkery": lambda: parse_modify_response(seed_response("trunkery"), order_id="or_EQzGqWoY"),
}


def walk(value: JSONValue) -> list[JSONValue]:
    if isinstance(value, dict):
        return [value, *(item for v in value.values() for item in walk(v))]
    if isinstance(value, list):
        return [value, *(item for v in value for item in walk(v))]
    return [value]


@pytest.mark.parametrize("vendor", sorted(ORDERS))
def test_every_vendor_order_has_to_dict_and_to_json(vendor: str) -> None:
    order = ORDERS[vendor]()
    data = order.to_dict()
    assert json.loads(order.to_json()) == data
    assert json.loads(order.to_json(indent=None)) == data
    assert "\n" not in order.to_json(indent=None)
    for value in walk(data):  # plain JSON data all the way down: no tuples, Decimals or datetimes
        assert value is None or isinstance(value, bool | int | float | str | list | dict), (vendor, value)
    for field in attrs.fields(type(order)):
        value = getattr(order, field.name)
        if isinstance(value, Decimal):  # money as an exact string
            assert str(value) in json.dumps(data), (vendor, field.name)
        if isinstance(value, dt.datetime):
            assert value.isoformat() in json.dumps(data), (vendor, field.name)


def test_spree_order_to_dict_keeps_money_exact_and_the_extra_keys() -> None:
    order = parse_spree(seed_response("spree"))
    order = attrs.evolve(order, total=Decimal("190.90"), extra={"vendor_flag": True})
    data = order.to_dict()
    assert data["total"] == "190.90"
    assert data["vendor_flag"] is True
    assert data["number"] == order.number


def test_secrets_in_an_order_are_hidden() -> None:
    order = parse_modify_response(seed_response("trunkery"), order_id="or_EQzGqWoY")
    assert isinstance(order.client_secret, Secret)
    data = order.to_dict()
    assert data["client_secret"] == "***"
    assert order.client_secret.get_secret_value() not in order.to_json()
