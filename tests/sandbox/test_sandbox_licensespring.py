"""LicenseSpring emulation: PATCH /api/v1/orders/{id}/, Api-Key auth, DRF-style errors, slash redirect."""

from __future__ import annotations

import pytest

from orderpatch.sandbox import SANDBOX_CREDENTIALS, Sandbox
from orderpatch.sandbox._seeds import LS_ORDER_ID
from tests.conftest import shared_json
from tests.sandbox.sandbox_support import LicenseSpringApi, plain_client

pytestmark = pytest.mark.loopback


def example(name: str) -> object:
    return shared_json("vendors", "licensespring", "examples", name)


def test_documented_update_returns_the_documented_order(ls: LicenseSpringApi) -> None:
    response = ls.patch(LS_ORDER_ID, example("update-order.request.json"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body, expected = response.json(), example("update-order.response-200.json")
    assert isinstance(expected, dict)
    assert body.pop("updated_at") != expected.pop("updated_at")
    assert body == expected


def test_updated_at_has_microseconds_like_drf(ls: LicenseSpringApi) -> None:
    stamp = ls.patch(LS_ORDER_ID, {}).json()["updated_at"]
    assert len(stamp) == len("2021-11-23T07:04:07.441338Z")
    assert stamp.endswith("Z")


def test_fields_are_updated_and_nullable_ones_cleared(ls: LicenseSpringApi) -> None:
    changes = {
        "store_id": 42,
        "type": "normal",
        "is_test": "true",
        "is_trial": 0,
        "download_id": None,
        "language": "en",
        "campaign_params": "utm_source=x",
        "customer": "123",
        "customer_account": 7,
        "metadata": {"k": "v"},
        "company": 1,
        "id": 5,
        "unknown": True,
    }
    body = ls.patch(LS_ORDER_ID, changes).json()
    assert (body["store_id"], body["is_test"], body["is_trial"]) == ("42", True, False)
    assert (body["download_id"], body["language"], body["campaign_params"]) == (None, "en", "utm_source=x")
    assert (body["customer"], body["customer_account"], body["metadata"]) == (123, 7, {"k": "v"})
    assert (body["company"], body["id"]) == (339, LS_ORDER_ID)  # read-only fields are ignored
    assert "unknown" not in body
    cleared = ls.patch(LS_ORDER_ID, {"customer": None, "language": None}).json()
    assert (cleared["customer"], cleared["language"]) == (None, None)


def test_change_customer_example(ls: LicenseSpringApi) -> None:
    assert ls.patch(LS_ORDER_ID, example("change-customer-on-order.request.json")).json()["customer"] == 123


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"is_test": None, "store_id": None},
            {"is_test": ["This field may not be null."], "store_id": ["This field may not be null."]},
        ),
        (
            {"is_test": "maybe", "is_trial": []},
            {"is_test": ["Must be a valid boolean."], "is_trial": ["Must be a valid boolean."]},
        ),
        ({"type": "bundle"}, {"type": ['"bundle" is not a valid choice.']}),
        ({"store_id": {"a": 1}}, {"store_id": ["Not a valid string."]}),
        ({"customer": 999}, {"customer": ['Invalid pk "999" - object does not exist.']}),
        ({"customer": "abc"}, {"customer": ["Incorrect type. Expected pk value, received str."]}),
        ({"customer_account": True}, {"customer_account": ["Incorrect type. Expected pk value, received bool."]}),
        ({"metadata": None}, {"metadata": ["This field may not be null."]}),
    ],
)
def test_validation_errors_are_drf_field_errors(
    ls: LicenseSpringApi, changes: dict[str, object], errors: dict[str, list[str]]
) -> None:
    response = ls.patch(LS_ORDER_ID, changes)
    assert (response.status_code, response.json()) == (400, errors)
    assert ls.patch(LS_ORDER_ID, {}).json()["is_test"] is False  # nothing was saved


def test_body_errors(ls: LicenseSpringApi) -> None:
    response = ls.patch(LS_ORDER_ID, [1])
    assert response.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}
    response = ls.http.patch(
        f"/api/v1/orders/{LS_ORDER_ID}/", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")
    response = ls.http.patch(
        f"/api/v1/orders/{LS_ORDER_ID}/", content=b"store_id=x", headers={"Content-Type": "text/plain"}
    )
    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "text/plain" in request.'},
    )
    assert ls.http.patch(f"/api/v1/orders/{LS_ORDER_ID}/").status_code == 200  # empty body: nothing to change


def test_unknown_order_is_the_documented_404(ls: LicenseSpringApi) -> None:
    for order_id in (1, "abc"):
        response = ls.patch(order_id, {"store_id": "x"})
        assert (response.status_code, response.json()) == (404, example("update-order.response-404.json"))


@pytest.mark.parametrize("authorization", [None, "Api-Key wrong.key", "Bearer x", "api-key {key}"])
def test_missing_or_wrong_key_is_the_captured_403(sandbox: Sandbox, authorization: str | None) -> None:
    headers = (
        {}
        if authorization is None
        else {"Authorization": authorization.format(key=SANDBOX_CREDENTIALS["licensespring"]["api_key"])}
    )
    with plain_client(base_url=sandbox.base_url("licensespring")) as http:
        response = http.patch(f"/api/v1/orders/{LS_ORDER_ID}/", json={"store_id": "x"}, headers=headers)
    assert (response.status_code, response.json()) == (403, example("error-403-no-credentials.response.json"))


def test_missing_trailing_slash_is_a_permanent_redirect(ls: LicenseSpringApi) -> None:
    response = ls.http.patch(f"/api/v1/orders/{LS_ORDER_ID}", json={"store_id": "x"}, params={"a": "1"})
    assert response.status_code == 301
    assert response.headers["location"] == f"/licensespring/api/v1/orders/{LS_ORDER_ID}/?a=1"
    assert response.content == b""
    plain = ls.http.patch(f"/api/v1/orders/{LS_ORDER_ID}", json={})
    assert plain.headers["location"] == f"/licensespring/api/v1/orders/{LS_ORDER_ID}/"


def test_other_methods_and_paths(ls: LicenseSpringApi) -> None:
    response = ls.http.delete(f"/api/v1/orders/{LS_ORDER_ID}/")  # GET reads it (test_sandbox_reading.py)
    assert (response.status_code, response.json()) == (405, {"detail": 'Method "DELETE" not allowed.'})
    response = ls.http.get("/api/v1/licenses/")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not Found</h1>" in response.text
