"""Each vendor's request classes with the schema their bodies must satisfy (read from ../shared in place).

The schemas are loaded as the vendors' own contract tests load them, with the same documented
deviations (stated where they are applied):

* LicenseSpring publishes no JSON schema: the schema is the field table of README §4, made
  nullable where ``OrderUpdate`` sends ``None`` as ``null`` (its docstring) and with
  ``customer_account`` also a string ("documented both as integer and string").
* Commerce Layer: ``request_schema()`` of tests/commercelayer/test_contract.py (schema 3.6.0
  brought to 7.9.16).
* Spree: the published ``update_order_request`` schema after ``spec_shape()`` of
  tests/spree/test_contract.py (the spec's nesting wrappers put back), and ``state`` also taking
  ``awaiting_return``, ``returned`` and ``resumed``: states of Spree's order state machine that
  ``OrderState`` (and the controller, which permits the column) accept but the spec's enum omits.
* Trunkery: ``order-modify.schema.json`` as published, for each element of the body array.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import httpx
import jsonschema
from hypothesis import strategies as st

from orderpatch._constants import MAX_INT
from orderpatch.commercelayer import (
    AddressRef,
    CustomerRef,
    MarketRef,
    PaymentMethodRef,
    PaymentSourceRef,
    StoreRef,
    TagRef,
)
from orderpatch.commercelayer import OrderUpdate as CLUpdate
from orderpatch.commercelayer._codec import build_update_request as cl_build
from orderpatch.licensespring import OrderUpdate as LSUpdate
from orderpatch.licensespring._codec import build_update_request as ls_build
from orderpatch.spree import Address, LineItem
from orderpatch.spree import OrderUpdate as SpreeUpdate
from orderpatch.spree._codec import build_update_request as spree_build
from orderpatch.spree.models import ID_KEY
from orderpatch.trunkery import (
    AddressCreate,
    CustomItem,
    CustomItemIndex,
    LineItemFieldCreate,
    OrderModify,
    ProductFieldType,
    SubscriptionPlanIndex,
)
from orderpatch.trunkery import LineItem as TrunkeryLineItem
from orderpatch.trunkery._codec import build_modify_request
from tests.conftest import shared_json, shared_path

from ._strategies import JSON_VALUES, SAFE_IDS, Invalid, Rules

__all__ = ["REQUEST_CASES", "RequestCase", "VendorRequests"]

Schema = dict[str, Any]
_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}
_BASE = httpx.URL("https://vendor.test")


@attrs.frozen(kw_only=True)
class VendorRequests:
    """A vendor's request classes: the top-level one, its rules, its schema and how a body is built."""

    vendor: str
    top: type
    rules: Rules
    #: The schema of a whole request body (loaded lazily: it skips when ../shared is absent).
    schema: Callable[[], Schema]
    #: ``body(top_instance)``: the JSON the client would send, shaped for ``schema``.
    body: Callable[[Any], object]
    #: ``validator_class`` of the schema's draft.
    draft: type[jsonschema.protocols.Validator] = jsonschema.Draft7Validator

    def validator(self) -> jsonschema.protocols.Validator:
        """The schema's validator, built once per vendor (the Commerce Layer schema takes a while)."""
        found = _VALIDATORS.get(self.vendor)
        if found is None:
            found = _VALIDATORS[self.vendor] = self.draft(self.schema())
        return found

    def validate(self, instance: Any) -> None:
        """Raise ``AssertionError`` listing every schema violation of ``instance``'s body."""
        body = self.body(instance)
        errors = sorted(self.validator().iter_errors(body), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@attrs.frozen(kw_only=True)
class RequestCase:
    """One request class, and how an instance of it travels inside its vendor's top-level request."""

    vendor: VendorRequests
    cls: type
    #: Wraps an instance of ``cls`` into a top-level request object.
    host: Callable[[Any], Any]

    @property
    def id(self) -> str:
        return f"{self.vendor.vendor}.{self.cls.__name__}"


# -- LicenseSpring ------------------------------------------------------------------------------

_LS_TYPES = {"string": ["string", "null"], "boolean": ["boolean"], "integer": ["integer", "null"],
             "JSON object": ["object", "null"]}


def _ls_schema() -> Schema:
    text = shared_path("vendors", "licensespring", "README.md").read_text(encoding="utf-8")
    section = text[text.index("## 4. The update endpoint"): text.index("## 5.")]
    rows = re.findall(r"^\| (\w+) \| (string|boolean|integer|JSON object) \|", section, re.M)
    assert len(rows) == 10, "the field table of README §4 moved"
    properties: Schema = {name: {"type": list(_LS_TYPES[kind])} for name, kind in rows}
    properties["customer_account"]["type"].insert(1, "string")  # "documented both as integer and string"
    return {"type": "object", "additionalProperties": False, "properties": properties}


LICENSESPRING = VendorRequests(
    vendor="licensespring", top=LSUpdate, rules=Rules(), schema=_ls_schema,
    body=lambda changes: json.loads(ls_build(_BASE, 1, changes).request.content),
)

# -- Commerce Layer ---------------------------------------------------------------------------

_CL_REFS = (MarketRef, CustomerRef, AddressRef, StoreRef, PaymentMethodRef, TagRef, PaymentSourceRef)
#: The ``OrderUpdate`` relationship each to-one reference class goes into.
_CL_FIELD: dict[type, str] = {MarketRef: "market", CustomerRef: "customer", AddressRef: "billing_address",
                              StoreRef: "store", PaymentMethodRef: "payment_method", PaymentSourceRef: "payment_source"}


def _cl_schema() -> Schema:
    from tests.commercelayer.test_contract import request_schema

    return request_schema()


COMMERCELAYER = VendorRequests(
    vendor="commercelayer", top=CLUpdate,
    rules=Rules(valid={(cls, "id"): SAFE_IDS for cls in _CL_REFS}, is_id=lambda cls, field: cls in _CL_REFS
                and field.name == "id"),
    schema=_cl_schema,
    body=lambda changes: json.loads(cl_build(_BASE, "xYZkjABcde", changes).request.content),
)

# -- Spree -------------------------------------------------------------------------------------

_SPREE_EXTRA_STATES = ["awaiting_return", "returned", "resumed"]


def _spree_schema() -> Schema:
    document = shared_json("vendors", "spree", "order_update_schema.json")
    assert isinstance(document, dict)
    schema: Schema = copy.deepcopy(document["update_order_request"]["schema"])
    state = schema["properties"]["order"]["properties"]["state"]
    state["enum"] = [*state["enum"], *_SPREE_EXTRA_STATES]
    return schema


def _spree_body(changes: SpreeUpdate) -> object:
    from tests.spree.test_contract import spec_shape

    body = json.loads(spree_build(_BASE, "R484277352", changes).request.content)
    assert isinstance(body, dict)
    return spec_shape(body)


_NOT_NULL_JSON = JSON_VALUES.filter(lambda value: value is not None)
SPREE = VendorRequests(
    vendor="spree", top=SpreeUpdate,
    rules=Rules(
        valid={
            (LineItem, "quantity"): st.integers(1, MAX_INT),
            (SpreeUpdate, "extra_attributes"): st.dictionaries(st.from_regex(r"x_[a-z]{1,10}", fullmatch=True),
                                                                _NOT_NULL_JSON, max_size=3),
        },
        invalid={
            (LineItem, "quantity"): (Invalid("quantity 0", 0), Invalid("a negative quantity", -3)),
            (SpreeUpdate, "extra_attributes"): (Invalid("a typed field among the extras", {"email": "a@b.c"}),
                                                Invalid("None among the extras", {"x_note": None})),
        },
        is_id=lambda cls, field: bool(field.metadata.get(ID_KEY)),
    ),
    schema=_spree_schema, body=_spree_body,
)

# -- Trunkery ----------------------------------------------------------------------------------


def _trunkery_schema() -> Schema:
    schema = shared_json("vendors", "trunkery", "order-modify.schema.json")
    assert isinstance(schema, dict)
    return {"type": "array", "items": schema, "$defs": schema["$defs"], "minItems": 1, "maxItems": 1}


def _trunkery_body(changes: OrderModify) -> object:
    call, _ = build_modify_request(_BASE, "or_EQzGqWoY", changes, {}, default_shop_id="sh_EQzGqWoY",
                                   default_max_retries=2)
    return json.loads(call.request.content)


_FIELD_TYPES = st.sampled_from(list(ProductFieldType)) | st.sampled_from([t.value for t in ProductFieldType])
TRUNKERY = VendorRequests(
    vendor="trunkery", top=OrderModify, rules=Rules(valid={(LineItemFieldCreate, "type"): _FIELD_TYPES}),
    schema=_trunkery_schema, body=_trunkery_body, draft=jsonschema.Draft202012Validator,
)


def _line_item(**parts: Any) -> TrunkeryLineItem:
    return TrunkeryLineItem(variant_id="va_EQzGqWoY", quantity=1, **parts)


REQUEST_CASES: Sequence[RequestCase] = (
    RequestCase(vendor=LICENSESPRING, cls=LSUpdate, host=lambda x: x),
    RequestCase(vendor=COMMERCELAYER, cls=CLUpdate, host=lambda x: x),
    *(RequestCase(vendor=COMMERCELAYER, cls=ref, host=lambda x: CLUpdate(tags=[x]) if isinstance(x, TagRef)
                  else CLUpdate(**{_CL_FIELD[type(x)]: x})) for ref in _CL_REFS),
    RequestCase(vendor=SPREE, cls=SpreeUpdate, host=lambda x: x),
    RequestCase(vendor=SPREE, cls=Address, host=lambda x: SpreeUpdate(bill_address_attributes=x,
                                                                      ship_address_attributes=x)),
    RequestCase(vendor=SPREE, cls=LineItem, host=lambda x: SpreeUpdate(line_items_attributes=[x])),
    RequestCase(vendor=TRUNKERY, cls=OrderModify, host=lambda x: x),
    RequestCase(vendor=TRUNKERY, cls=AddressCreate, host=lambda x: OrderModify(billing_address=x,
                                                                               shipping_address=x)),
    RequestCase(vendor=TRUNKERY, cls=CustomItem, host=lambda x: OrderModify(custom_items=[x])),
    RequestCase(vendor=TRUNKERY, cls=TrunkeryLineItem, host=lambda x: OrderModify(line_items=[x])),
    RequestCase(vendor=TRUNKERY, cls=LineItemFieldCreate,
                host=lambda x: OrderModify(line_items=[_line_item(fields=[x])])),
    RequestCase(vendor=TRUNKERY, cls=CustomItemIndex,
                host=lambda x: OrderModify(line_items=[_line_item(custom_item_index=x)])),
    RequestCase(vendor=TRUNKERY, cls=SubscriptionPlanIndex,
                host=lambda x: OrderModify(line_items=[_line_item(subscription_plan_index=x)])),
)
