"""Property tests of the vendor-neutral changes: every valid ``OrderChanges`` a vendor can take
becomes a body that vendor's schema accepts, and every wrong value is refused naming its field.

Hypothesis draws the changes; the bodies are checked against the schemas in ../shared (the tests
skip, saying why, where it is absent)."""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderpatch import Address, OrderChanges, ValidationError
from orderpatch._facade._adapter import To
from orderpatch._facade._registry import adapter_for
from tests.reliability._vendor_schemas import COMMERCELAYER, LICENSESPRING, SPREE, TRUNKERY, VendorRequests

VENDORS: dict[str, VendorRequests] = {
    "licensespring": LICENSESPRING, "commercelayer": COMMERCELAYER, "spree": SPREE, "trunkery": TRUNKERY,
}
_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=["Cs"]), min_size=1,
                max_size=40).filter(str.strip)
_JSON = st.recursive(st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=8)
# A whole address: Trunkery takes no partial one (its adapter says so with a ValidationError).
_ADDRESS = st.builds(
    Address, first_name=_TEXT, last_name=_TEXT, line1=_TEXT, city=_TEXT,
    postal_code=st.from_regex(r"[0-9]{5}", fullmatch=True), region=st.sampled_from(["CA", "NY", "MI", "BY"]),
    country_code=st.sampled_from(["US", "IT", "DE", "JP"]), phone=st.from_regex(r"\+1555555[0-9]{4}", fullmatch=True),
)
#: Valid values of each field; ``None`` (clear it) is added where the vendor's rule allows it.
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "email": st.from_regex(r"[a-z]{1,10}@[a-z]{1,10}\.(com|org|it)", fullmatch=True),
    "metadata": st.dictionaries(_TEXT, _JSON, max_size=4),
    "reference": _TEXT,
    "currency": st.sampled_from(["EUR", "USD", "JPY", "GBP"]),
    "coupon_code": st.from_regex(r"[A-Z0-9]{4,12}", fullmatch=True),
    "language": st.sampled_from(["en", "it", "pt-BR", "de"]),
    "billing_address": _ADDRESS,
    "shipping_address": _ADDRESS,
    "note": _TEXT,
    "tags": st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True), max_size=4, unique=True),
}
_NULLABLE = {f.name for f in attrs.fields(OrderChanges) if "None" in str(f.type)}


def _changes_for(vendor: str) -> st.SearchStrategy[OrderChanges]:
    rules = adapter_for(vendor).rules
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, values in _VALUES.items():
        rule = rules[name]
        if not isinstance(rule, To):
            continue  # an UnsupportedChange, tested in test_mapping.py
        fields[name] = values | st.none() if name in _NULLABLE and not rule.no_null else values
    return st.fixed_dictionaries({}, optional=fields).filter(bool).map(lambda kwargs: OrderChanges(**kwargs))


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_every_change_a_vendor_takes_becomes_a_body_its_schema_accepts(vendor: str) -> None:
    requests = VENDORS[vendor]
    requests.validator()  # skips with the reason when ../shared is absent
    adapter = adapter_for(vendor)

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(changes=_changes_for(vendor))
    def check(changes: OrderChanges) -> None:
        request = adapter.translate(changes)
        assert isinstance(request, requests.top)
        requests.validate(request)

    check()


_WRONG: list[object] = [object(), b"raw", 1j, math.nan, True, 3.5, ["x"], {"a": 1}, "", "   "]
_ACCEPTS: dict[str, tuple[type, ...]] = {
    "metadata": (dict,), "customer_id": (), "tags": (list,), "billing_address": (), "shipping_address": (),
}


@pytest.mark.parametrize("name", [f.name for f in attrs.fields(OrderChanges)])
def test_every_field_refuses_wrong_values_naming_itself(name: str) -> None:
    refused = 0
    for value in _WRONG:
        if isinstance(value, _ACCEPTS.get(name, (str,))) and value not in ("", "   "):
            continue  # a value of the field's own type (checked by the valid-values test)
        if name == "metadata" and value == {"a": 1}:
            continue
        with pytest.raises(ValidationError) as info:
            OrderChanges(**{name: value})  # type: ignore[arg-type]
        assert name in (info.value.field or ""), (name, value, info.value.field)
        refused += 1
    assert refused >= 6
