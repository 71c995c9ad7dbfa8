"""``orderpatch.errors``: what every error carries, how it reads, and which class a status maps to."""

from __future__ import annotations

import httpx
import pytest

from orderpatch.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    Conflict,
    ConnectionFailed,
    DecodeError,
    ErrorDetail,
    NotFound,
    OrderPatchError,
    PermissionDenied,
    RateLimited,
    ServerError,
    Timeout,
    TransportError,
    UnprocessableEntity,
    UnsupportedChange,
    UnsupportedFilter,
    ValidationError,
    error_class_for_status,
)


def test_configuration_error_names_its_key() -> None:
    error = ConfigurationError("api_key: missing", key="api_key")
    assert (str(error), error.key) == ("api_key: missing", "api_key")
    assert ConfigurationError("x").key is None
    assert isinstance(error, ValueError)
    assert isinstance(error, OrderPatchError)


def test_validation_error_names_the_field_and_what_was_expected() -> None:
    error = ValidationError("Order.x: expected int", field="Order.x", expected="int")
    assert (str(error), error.field, error.expected) == ("Order.x: expected int", "Order.x", "int")
    plain = ValidationError("bad")
    assert (plain.field, plain.expected) == (None, None)
    assert isinstance(error, ValueError)


def test_unsupported_change_with_an_alternative() -> None:
    error = UnsupportedChange(vendor="trunkery", field="email", alternative="customer_email")
    assert str(error) == "trunkery cannot take OrderChanges.email; use customer_email instead"
    assert (error.vendor, error.field, error.alternative, error.expected) == (
        "trunkery", "email", "customer_email", "customer_email")
    assert isinstance(error, ValidationError)


def test_unsupported_change_without_an_alternative() -> None:
    error = UnsupportedChange(vendor="spree", field="tags")
    assert str(error) == "spree cannot take OrderChanges.tags"
    assert (error.field, error.alternative, error.expected) == ("tags", None, None)


def test_unsupported_filter_with_an_alternative() -> None:
    error = UnsupportedFilter(vendor="trunkery", field="reference", alternative="status")
    assert str(error) == "trunkery cannot filter orders by OrderFilter.reference; use status instead"
    assert (error.vendor, error.field, error.alternative, error.expected) == (
        "trunkery", "reference", "status", "status")
    assert isinstance(error, ValidationError)


def test_unsupported_filter_without_an_alternative() -> None:
    error = UnsupportedFilter(vendor="spree_admin", field="reference")
    assert str(error) == "spree_admin cannot filter orders by OrderFilter.reference"
    assert (error.vendor, error.field, error.alternative, error.expected) == ("spree_admin", "reference", None, None)


@pytest.mark.parametrize("cls", [TransportError, Timeout, ConnectionFailed])
def test_transport_errors_carry_the_request(cls: type[TransportError]) -> None:
    error = cls("PATCH https://h/x failed", vendor="spree", method="PATCH", url="https://h/x", retries_taken=2)
    assert str(error) == "PATCH https://h/x failed"
    assert (error.vendor, error.method, error.url, error.retries_taken) == ("spree", "PATCH", "https://h/x", 2)
    assert cls("m", vendor="v", method="GET", url="u").retries_taken == 0


def test_api_error_carries_everything_it_was_given() -> None:
    headers = httpx.Headers({"x-request-id": "r-1"})
    detail = ErrorDetail(code="invalid", detail="bad email", field="email")
    error = APIError(
        "bad email", status=422, vendor="commercelayer", code="invalid", request_id="r-1", body="{}",
        errors=[detail], headers=headers, retries_taken=1, idempotency_key="k-1", retry_after=2.5,
    )
    assert error.args == ("bad email",)
    assert (error.message, error.status, error.vendor, error.code, error.request_id, error.body) == (
        "bad email", 422, "commercelayer", "invalid", "r-1", "{}")
    assert error.errors == (detail,)
    assert error.headers is headers
    assert (error.retries_taken, error.idempotency_key, error.retry_after) == (1, "k-1", 2.5)


def test_api_error_defaults() -> None:
    error = APIError("boom", status=500, vendor="spree")
    assert error.args == ("boom",)
    assert (error.code, error.request_id, error.body, error.errors) == (None, None, None, ())
    assert isinstance(error.headers, httpx.Headers)
    assert list(error.headers.items()) == []
    assert (error.retries_taken, error.idempotency_key, error.retry_after) == (0, None, None)


def test_api_errors_do_not_share_a_default_headers_object() -> None:
    one, two = APIError("a", status=500, vendor="v"), APIError("b", status=500, vendor="v")
    one.headers["x"] = "1"
    assert "x" not in two.headers


def test_str_names_the_vendor_status_code_and_request_id() -> None:
    full = APIError("bad email", status=422, vendor="spree", code="invalid", request_id="r-9")
    assert str(full) == "spree answered 422 invalid: bad email (request id r-9)"
    bare = APIError("bad email", status=422, vendor="spree")
    assert str(bare) == "spree answered 422: bad email"
    empty = APIError("m", status=400, vendor="spree", code="", request_id="")
    assert str(empty) == "spree answered 400: m"
    same = APIError("not found", status=404, vendor="spree", code="404")  # a code that only repeats the status
    assert str(same) == "spree answered 404: not found"
    other = APIError("m", status=404, vendor="spree", code="None")
    assert str(other) == "spree answered 404 None: m"


def test_repr_shows_the_class_and_no_body() -> None:
    error = NotFound("no order", status=404, vendor="spree", code="not_found", request_id="r", body="SECRET BODY")
    assert repr(error) == (
        "NotFound(status=404, vendor='spree', code='not_found', message='no order', request_id='r')"
    )


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, UnprocessableEntity),
        (401, AuthenticationError),
        (403, PermissionDenied),
        (404, NotFound),
        (409, Conflict),
        (422, UnprocessableEntity),
        (429, RateLimited),
        (500, ServerError),
        (502, ServerError),
        (599, ServerError),
        (499, APIError),
        (405, APIError),
        (300, APIError),
        (200, APIError),
    ],
)
def test_each_status_maps_to_its_class(status: int, cls: type[APIError]) -> None:
    assert error_class_for_status(status) is cls


def test_the_hierarchy() -> None:
    for cls in (AuthenticationError, PermissionDenied, NotFound, Conflict, UnprocessableEntity, RateLimited,
                ServerError, DecodeError):
        assert issubclass(cls, APIError)
    assert issubclass(Timeout, TransportError)
    assert issubclass(ConnectionFailed, TransportError)
    assert not issubclass(TransportError, APIError)
    assert issubclass(APIError, OrderPatchError)
    assert issubclass(TransportError, OrderPatchError)


def test_error_detail_defaults_to_nothing() -> None:
    assert ErrorDetail() == ErrorDetail(code=None, title=None, detail=None, field=None, pointer=None, status=None,
                                        meta=None)


def test_errors_carry_the_request_and_response_they_were_given() -> None:
    request = httpx.Request("PATCH", "https://h/x")
    response = httpx.Response(500, request=request)
    api = APIError("boom", status=500, vendor="v", request=request, response=response)
    assert (api.request, api.response) == (request, response)
    assert api.request is request
    assert api.response is response
    transport = ConnectionFailed("m", vendor="v", method="PATCH", url="https://h/x", request=request)
    assert transport.request is request
    assert ConnectionFailed("m", vendor="v", method="GET", url="u").request is None
