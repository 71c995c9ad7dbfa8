"""The vendor hooks the core calls: ``describe_error``, ``token_rejected`` and ``rate_limit_delay``."""

from __future__ import annotations

import httpx
import pytest

from orderpatch import ErrorDetail, PermissionDenied
from orderpatch._types import JSONValue
from orderpatch.commercelayer._codec import VENDOR, describe_error, rate_limit_delay, token_rejected


def test_two_errors_say_one_more() -> None:
    info = describe_error(422, {"errors": [{"title": "is blank", "code": "VALIDATION_ERROR"},
                                           {"detail": "other", "code": "VALIDATION_ERROR"}]}, "")
    assert info.message == "is blank (and 1 more error)"
    assert info.errors == (ErrorDetail(code="VALIDATION_ERROR", title="is blank"),
                           ErrorDetail(code="VALIDATION_ERROR", detail="other"))
    assert info.error_class is None


def test_message_falls_back_from_detail_to_title_to_code_to_status() -> None:
    assert describe_error(409, {"errors": [{"code": "RECORD_NOT_UNIQUE"}]}, "").message == "RECORD_NOT_UNIQUE"
    assert describe_error(400, {"errors": [{"status": "400"}]}, "").message == "HTTP 400"


def test_odd_entries_are_ignored_and_pointers_outside_data_keep_no_field() -> None:
    payload: JSONValue = {"errors": ["text", {"title": "Bad", "source": {"parameter": "include"}},
                                    {"title": "Worse", "source": {"pointer": "/meta/x"}}]}
    info = describe_error(400, payload, "")
    assert info.errors == (ErrorDetail(title="Bad"), ErrorDetail(title="Worse", pointer="/meta/x"))


def test_unauthorized_only_on_401_becomes_permission_denied() -> None:
    body: JSONValue = {"errors": [{"title": "Access denied", "code": "UNAUTHORIZED", "status": "401"}]}
    assert describe_error(401, body, "").error_class is PermissionDenied
    assert describe_error(403, body, "").error_class is None
    assert describe_error(401, {"errors": [{"code": "INVALID_TOKEN"}]}, "").error_class is None


@pytest.mark.parametrize(("payload", "text", "message", "code"), [
    ({"error": "invalid_client", "error_description": "Client authentication failed"}, "",
     "Client authentication failed", "invalid_client"),
    ({"error": "invalid_scope"}, "", "invalid_scope", "invalid_scope"),
    ({"errors": []}, "  upstream \n timeout ", "upstream timeout", None),
    (None, "", "Service Unavailable", None),
    (["x"], "", "Service Unavailable", None),
])
def test_bodies_without_json_api_errors(payload: JSONValue, text: str, message: str, code: str | None) -> None:
    info = describe_error(503, payload, text)
    assert (info.message, info.code, info.errors) == (message, code, ())


def test_unknown_status_without_reason_phrase() -> None:
    assert describe_error(599, None, "").message == "HTTP 599"


def _response(status: int, content: bytes = b"", headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=content, headers=headers)


@pytest.mark.parametrize(("response", "rejected"), [
    (_response(401, b'{"errors":[{"code":"INVALID_TOKEN","status":"401"}]}'), True),
    (_response(401, b'{"errors":[{"code":"UNAUTHORIZED"},{"code":"INVALID_TOKEN"}]}'), True),
    (_response(401, b'{"errors":[{"code":"UNAUTHORIZED","title":"Access denied"}]}'), False),
    (_response(401, b"<html>401</html>"), False),
    (_response(401, b'["INVALID_TOKEN"]'), False),
    (_response(401, b'{"errors":"INVALID_TOKEN"}'), False),
    (_response(403, b'{"errors":[{"code":"INVALID_TOKEN"}]}'), False),
])
def test_token_rejected_only_for_invalid_token(response: httpx.Response, rejected: bool) -> None:
    assert token_rejected(response) is rejected
    assert VENDOR.token_rejected(response) is rejected


@pytest.mark.parametrize(("headers", "delay"), [
    ({"retry-after": "7"}, 7.0),
    ({"retry-after": "7", "x-ratelimit-limit": "100", "x-ratelimit-interval": "60"}, 7.0),
    ({"x-ratelimit-limit": "25", "x-ratelimit-interval": "10"}, 0.4),
    ({"x-ratelimit-limit": "1", "x-ratelimit-interval": "3600"}, 60.0),
    ({"x-ratelimit-limit": "100"}, None),
    ({"x-ratelimit-interval": "60"}, None),
    ({"x-ratelimit-limit": "0", "x-ratelimit-interval": "60"}, None),
    ({"x-ratelimit-limit": "-5", "x-ratelimit-interval": "60"}, None),
    ({"x-ratelimit-limit": "abc", "x-ratelimit-interval": "60"}, None),
    ({}, None),
])
def test_rate_limit_delay(headers: dict[str, str], delay: float | None) -> None:
    assert rate_limit_delay(_response(429, headers=headers)) == (pytest.approx(delay) if delay is not None else None)
