"""Bad input, with hypothesis: valid requests fit the vendor schema; invalid ones fail before any I/O.

For every request class of every vendor (nested ones inside their vendor's top-level request):

* generated valid instances serialize to bodies that the vendor's schema accepts;
* every field refuses every value of the suite it cannot take (``_strategies.INVALID``: wrong
  types, 64-bit overflow, unsafe ids, strings over the cap, lone surrogates, NaN/infinity, also
  nested in JSON), with ``ValidationError`` at construction;
* through each sync and async client, an invalid model or an unsafe order id raises
  ``ValidationError`` and the transport is never called.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderpatch import ConfigurationError, Secret, ValidationError
from orderpatch.commercelayer import OrderUpdate as CLUpdate
from orderpatch.spree import OrderUpdate as SpreeUpdate

from ._strategies import UNSAFE_IDS, Invalid, instances, invalid_values, minimal_kwargs, request_fields, valid_kwargs
from ._targets import (
    CL_ORDER_ID,
    CLIENT_TYPES,
    LS_ORDER_ID,
    SPREE_ORDER_ID,
    VENDORS,
    AnyClient,
    Kind,
    close_client,
    resolve,
)
from ._vendor_schemas import REQUEST_CASES, RequestCase, VendorRequests


def examples(count: int) -> settings:
    """Modest, deadline-free runs that leave no example database behind in the repository."""
    return settings(max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("case", REQUEST_CASES, ids=lambda c: c.id)
def test_valid_inputs_serialize_to_bodies_the_vendor_schema_accepts(case: RequestCase) -> None:
    case.vendor.validator()  # skips with the reason when ../shared is absent

    @examples(30 if case.cls is case.vendor.top else 10)
    @given(instance=instances(case.cls, case.vendor.rules))
    def check(instance: Any) -> None:
        case.vendor.validate(case.host(instance))

    check()


def _refusals(cls: type, vendor: VendorRequests) -> list[tuple[str, Invalid]]:
    return [(field.name, invalid)
            for field in request_fields(cls) for invalid in invalid_values(cls, field, vendor.rules)]


@pytest.mark.parametrize("case", REQUEST_CASES, ids=lambda c: c.id)
def test_every_field_refuses_every_invalid_value(case: RequestCase) -> None:
    pairs = _refusals(case.cls, case.vendor)
    assert len(pairs) >= 10 * len(request_fields(case.cls))

    @examples(2)
    @given(base=valid_kwargs(case.cls, case.vendor.rules))
    def check(base: dict[str, Any]) -> None:
        accepted = []
        for name, invalid in pairs:
            try:
                case.cls(**{**base, name: invalid.value})
            except ValidationError as exc:
                if name not in (exc.field or ""):
                    accepted.append(f"{case.cls.__name__}.{name}: {invalid.label} blamed on {exc.field}")
            else:
                accepted.append(f"{case.cls.__name__}.{name} accepted {invalid.label}")
        assert not accepted, "\n".join(accepted)

    check()


# -- through the clients: nothing is sent --------------------------------------------------------

_ORDER_IDS: dict[str, object] = {"licensespring": LS_ORDER_ID, "commercelayer": CL_ORDER_ID,
                                 "spree": SPREE_ORDER_ID, "trunkery": "or_EQzGqWoY"}


def _send(vendor: str, client: Any, order_id: object, changes: object) -> object:
    if vendor == "trunkery":
        return client.orders.modify(order_id, changes)
    return client.orders.update(order_id, changes)


def finish(value: object) -> object:
    """A sync call's result, or an async call's coroutine run to completion."""
    return asyncio.run(resolve(value)) if inspect.isawaitable(value) else value


class Recorder:
    """A mock transport that records every request it is asked to send (there must be none)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500)

    def http(self, kind: Kind) -> httpx.Client | httpx.AsyncClient:
        transport = httpx.MockTransport(self)
        return httpx.AsyncClient(transport=transport) if kind == "async" else httpx.Client(transport=transport)


@pytest.fixture(scope="module")
def recorded_clients() -> Iterator[dict[tuple[str, Kind], tuple[AnyClient, Recorder]]]:
    """One client per vendor and kind on a recording transport, for the whole module."""
    made: dict[tuple[str, Kind], tuple[AnyClient, Recorder]] = {}
    https: list[httpx.Client | httpx.AsyncClient] = []
    for name, vendor in VENDORS.items():
        for kind in ("sync", "async"):
            recorder = Recorder()
            http = recorder.http(kind)
            https.append(http)
            made[name, kind] = (vendor.make(kind, "https://vendor.test", http, "static", {}), recorder)
    yield made
    for (client, _), http in zip(made.values(), https, strict=True):
        asyncio.run(close_client(client, http))


_TOP: dict[str, RequestCase] = {case.vendor.vendor: case for case in REQUEST_CASES if case.cls is case.vendor.top}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", sorted(_TOP))
def test_invalid_input_raises_validation_error_and_sends_nothing(
    vendor: str, kind: Kind, recorded_clients: dict[tuple[str, Kind], tuple[AnyClient, Recorder]]
) -> None:
    case = _TOP[vendor]
    client, recorder = recorded_clients[vendor, kind]
    bad_models = [("changes", name, invalid) for name, invalid in _refusals(case.cls, case.vendor)]
    bad_ids = [("order_id", "order_id", Invalid(repr(unsafe), unsafe)) for unsafe in (*UNSAFE_IDS, None, 0, -1, 2**63)]

    @examples(50)
    @given(base=minimal_kwargs(case.cls, case.vendor.rules), pick=st.sampled_from(bad_models + bad_ids))
    def check(base: dict[str, Any], pick: tuple[str, str, Invalid]) -> None:
        where, name, invalid = pick

        def call() -> object:
            if where == "order_id":
                return _send(vendor, client, invalid.value, case.cls(**base))
            return _send(vendor, client, _ORDER_IDS[vendor], case.cls(**{**base, name: invalid.value}))

        with pytest.raises(ValidationError):
            finish(call())
        assert recorder.requests == []

    check()


# -- known gaps: each is a bug report (see docs/reliability.md) ------------------------------------

def _send_cl_update(changes_factory: Callable[[], CLUpdate],
                    recorded: dict[tuple[str, Kind], tuple[AnyClient, Recorder]]) -> None:
    client, recorder = recorded["commercelayer", "sync"]
    with pytest.raises(ValidationError):
        client.orders.update(CL_ORDER_ID, changes_factory())  # type: ignore[arg-type]
    assert recorder.requests == []


def test_customer_password_with_a_lone_surrogate_is_a_validation_error(
    recorded_clients: dict[tuple[str, Kind], tuple[AnyClient, Recorder]],
) -> None:
    _send_cl_update(lambda: CLUpdate(customer_password="caf\udce9"), recorded_clients)


def test_customer_password_over_the_string_cap_is_a_validation_error(
    recorded_clients: dict[tuple[str, Kind], tuple[AnyClient, Recorder]],
) -> None:
    _send_cl_update(lambda: CLUpdate(customer_password=Secret("x" * 70_000)), recorded_clients)


@pytest.mark.parametrize("amount", [2**63, -(2**63) - 1, 10**30])
def test_a_money_int_outside_64_bits_is_a_validation_error(amount: int) -> None:
    with pytest.raises(ValidationError, match="total"):
        SpreeUpdate(total=amount)


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_a_credential_that_cannot_be_a_header_is_a_configuration_error(vendor: str) -> None:
    settings: dict[str, Any] = {
        "licensespring": {"api_key": "kéy-0123456789"}, "commercelayer": {"access_token": "tök-0123456789"},
        "spree": {"access_token": "tök-0123456789"}, "trunkery": {"token": "tök.0123456789"},
        "spree_admin": {"api_key": "sk_tök-0123456789"},
    }[vendor]
    with pytest.raises(ConfigurationError):
        CLIENT_TYPES[vendor][0](base_url="https://vendor.test", **settings)


def test_money_decimals_are_held_to_what_a_json_number_carries() -> None:
    """The Decimal side of Spree's money fields is checked (only the int side has the gap above)."""
    for amount in (Decimal("NaN"), Decimal("Infinity"), Decimal("0.1000000000000000055511151231257827")):
        with pytest.raises(ValidationError):
            SpreeUpdate(total=amount)
    assert SpreeUpdate(total=Decimal("19.99")).total == Decimal("19.99")


def test_the_invalid_values_are_exercised_on_every_kind_of_field() -> None:
    """The suite offers each field several refusals, and only values its type cannot take."""
    for case in REQUEST_CASES:
        for field in attrs.fields(case.cls):
            if field.name != "extra":
                assert len(invalid_values(case.cls, field, case.vendor.rules)) >= 10, (case.id, field.name)
