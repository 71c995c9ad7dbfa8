"""Helpers for the sandbox tests: one small HTTP client per vendor, and the vendors' schemas.

The clients speak each vendor's wire format by hand (not through the SDK), so these tests check
the sandbox against the vendor documents in ../shared, independently of the SDK.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import jsonschema

from orderpatch.sandbox import SANDBOX_CREDENTIALS, Sandbox
from orderpatch.sandbox._seeds import CL_ORDER_ID, TRUNKERY_ORDER_ID
from tests.conftest import SHARED, shared_json, shared_path

JSONAPI = "application/vnd.api+json"
Json = Any  # decoded JSON bodies are checked by the tests themselves


def plain_client(**kwargs: Any) -> httpx.Client:
    """An httpx client for plain-HTTP loopback calls.

    ``verify=False`` only skips loading the CA bundle (~0.1 s per client), which plain HTTP never uses.
    """
    return httpx.Client(verify=False, **kwargs)


def post(url: str, **kwargs: Any) -> httpx.Response:
    """A one-off POST without the cost of building a TLS context."""
    with plain_client() as client:
        return client.post(url, **kwargs)


def cl_token(sandbox: Sandbox, *, sales_channel: bool = False, scope: str | None = None) -> str:
    """A Commerce Layer access token from the sandbox's token endpoint."""
    settings = sandbox.settings("commercelayer")
    body = {"grant_type": "client_credentials", "client_id": settings["client_id"]}
    if sales_channel:
        body["client_id"] = SANDBOX_CREDENTIALS["commercelayer"]["sales_channel_client_id"]
    else:
        body["client_secret"] = settings["client_secret"]
    if scope is not None:
        body["scope"] = scope
    response = post(settings["auth_url"], json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def spree_token(sandbox: Sandbox, scope: str = "admin") -> str:
    """A Spree application token (client_credentials) with ``scope``."""
    settings = sandbox.settings("spree")
    form = {
        "grant_type": "client_credentials",
        "client_id": settings["client_id"],
        "client_secret": settings["client_secret"],
        "scope": scope,
    }
    response = post(f"{settings['base_url']}/spree_oauth/token", data=form)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class CommerceLayerApi:
    """``PATCH /api/orders/{id}`` with the JSON:API headers Commerce Layer requires."""

    def __init__(self, sandbox: Sandbox, token: str) -> None:
        self.http = plain_client(base_url=sandbox.base_url("commercelayer"))
        self.token = token

    def patch(
        self,
        attributes: Mapping[str, object] | None = None,
        relationships: Mapping[str, object] | None = None,
        *,
        order_id: str = CL_ORDER_ID,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: object = None,
    ) -> httpx.Response:
        data: dict[str, object] = {"type": "orders", "id": order_id, "attributes": dict(attributes or {})}
        if relationships is not None:
            data["relationships"] = dict(relationships)
        sent = {"Accept": JSONAPI, "Content-Type": JSONAPI, **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        content = json.dumps({"data": data} if body is None else body)
        return self.http.patch(f"/api/orders/{order_id}", params=params, headers=sent, content=content)

    def attributes(self, response: httpx.Response) -> Json:
        assert response.status_code == 200, response.text
        return response.json()["data"]["attributes"]


class SpreeApi:
    """The Platform API order endpoints with a bearer token."""

    def __init__(self, sandbox: Sandbox, token: str) -> None:
        self.http = plain_client(
            base_url=f"{sandbox.base_url('spree')}/api/v2/platform/orders", headers={"Authorization": f"Bearer {token}"}
        )

    def update(self, order_id: str, order: object = None, **kwargs: Any) -> httpx.Response:
        body = kwargs.pop("json", {"order": order})
        return self.http.patch(f"/{order_id}", json=body, **kwargs)

    def action(self, order_id: str, action: str, **kwargs: Any) -> httpx.Response:
        return self.http.patch(f"/{order_id}/{action}", **kwargs)


class LicenseSpringApi:
    """``PATCH /api/v1/orders/{id}/`` with ``Authorization: Api-Key``."""

    def __init__(self, sandbox: Sandbox) -> None:
        key = SANDBOX_CREDENTIALS["licensespring"]["api_key"]
        self.http = plain_client(
            base_url=sandbox.base_url("licensespring"), headers={"Authorization": f"Api-Key {key}"}
        )

    def patch(self, order_id: int | str, body: object, **kwargs: Any) -> httpx.Response:
        return self.http.patch(f"/api/v1/orders/{order_id}/", json=body, **kwargs)


class TrunkeryApi:
    """``POST /orders.json`` with a bearer JWT; ``ids`` selects modify, its absence create."""

    def __init__(self, sandbox: Sandbox, token: str | None = None) -> None:
        settings = sandbox.settings("trunkery")
        self.shop_id = settings["shop_id"]
        self.http = plain_client(
            base_url=settings["base_url"], headers={"Authorization": f"Bearer {token or settings['token']}"}
        )

    def modify(
        self, changes: object, *, ids: str | None = TRUNKERY_ORDER_ID, raw: bool = False, **params: str
    ) -> httpx.Response:
        query = {"shop_id": self.shop_id, **params}
        if ids is not None:
            query["ids"] = ids
        body = changes if raw else [changes]
        return self.http.post("/orders.json", params=query, json=body)

    def create(self, changes: object, *, headers: Mapping[str, str] | None = None) -> httpx.Response:
        return self.http.post("/orders.json", params={"shop_id": self.shop_id}, json=[changes], headers=headers)


# ---------------------------------------------------------------------------- vendor schemas


@functools.cache
def cl_response_validator() -> jsonschema.protocols.Validator:
    """Commerce Layer's ``orderResponse`` (spec 3.6.0), adjusted for the known spec gaps.

    The README says: v3.6.0 declares no nullable flags (7.10.1 makes most strings nullable), and
    relationship ``data.type`` enums hold the relationship name instead of the resource type
    ("do not validate response types against those enums"); schema 7.9.16 makes ``number`` a
    string, as in the documented example. The generated spec also types every relationship's
    ``data`` as one object, to-many ones included, where JSON:API (and the README's ``{"data": []}``)
    has an array, and a cleared to-one is ``null``. Everything else is validated as published.
    """
    schema = copy.deepcopy(shared_json("vendors", "commercelayer", "order_update_schema.json"))
    assert isinstance(schema, dict)
    response = schema["update_order_response"]
    data = response["properties"]["data"]["properties"]
    for name, prop in data["attributes"]["properties"].items():
        kinds = prop.get("type")
        if isinstance(kinds, str):
            prop["type"] = [kinds, "null", *(["string"] if name == "number" else [])]
    for prop in data["relationships"]["properties"].values():
        identifier = prop["properties"]["data"]
        identifier["properties"]["type"].pop("enum", None)
        prop["properties"]["data"] = {"anyOf": [identifier, {"type": "array", "items": identifier}, {"type": "null"}]}
    return jsonschema.Draft7Validator(response)


def cl_request_validator() -> jsonschema.protocols.Validator:
    """Commerce Layer's ``orderUpdate`` request schema, to keep the tests' bodies honest."""
    schema = shared_json("vendors", "commercelayer", "order_update_schema.json")
    assert isinstance(schema, dict)
    return jsonschema.Draft7Validator(schema["update_order_request"])


@functools.cache
def spree_schemas() -> Json:
    """Spree's ``order_update_schema.json`` (spec responses plus the derived order document)."""
    return shared_json("vendors", "spree", "order_update_schema.json")


@functools.cache
def trunkery_validator(name: str) -> jsonschema.protocols.Validator:
    """A Trunkery JSON Schema (draft 2020-12): ``order`` or ``order-modify``."""
    return jsonschema.Draft202012Validator(shared_json("vendors", "trunkery", f"{name}.schema.json"))


def check_schema(validator: Callable[[], jsonschema.protocols.Validator], instance: object) -> None:
    """Validate ``instance`` when ../shared is present; without it, behaviour is still tested.

    The tests whose point *is* a vendor document skip instead (``shared_json`` says why).
    """
    if SHARED.exists():
        assert_valid(validator(), instance)


def assert_valid(validator: jsonschema.protocols.Validator, instance: object) -> None:
    """Fail with every schema violation listed, not just the first."""
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(instance)]
    assert not errors, "\n".join(errors[:20])


def cl_seed_example() -> Json:
    """The 200 body of the Commerce Layer seed document (shared/seeds/commercelayer-update-order.txt)."""
    text = shared_path("seeds", "commercelayer-update-order.txt").read_text(encoding="utf-8")
    return json.loads(text[text.index("status: OK") + len("status: OK") :])
