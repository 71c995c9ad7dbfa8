"""Arbitrary responses, with hypothesis: a typed result or an ``APIError`` (``DecodeError`` included), nothing else.

Each vendor's response parser (and error describer, and OAuth token reader) is driven through the
whole client pipeline, sync and async, over a mock transport: arbitrary JSON with any status,
the vendor's valid document with one part replaced or removed, and arbitrary bytes. A
``KeyError``, ``TypeError``, ``AttributeError`` or a cattrs exception escaping fails the test.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import math
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderpatch import APIError
from orderpatch._auth import OAuth2ClientCredentials
from orderpatch._types import JSONValue

from ._targets import COMMERCELAYER, OPERATIONS, SPREE, VENDORS, AnyClient, Kind, Operation, close_client, resolve

#: The first (retry-safe) operation of each vendor.
MAIN: dict[str, Operation] = {}
for _op in OPERATIONS:
    MAIN.setdefault(_op.vendor.name, _op)

STATUSES = st.sampled_from([200, 201, 202, 204, 299, 304, 400, 401, 403, 404, 409, 410, 418, 422, 429, 500, 502, 503])
#: Any JSON ``json.loads`` may produce: huge integers, NaN and infinities, lone surrogates (escaped).
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
#: Token values an HTTP header can carry (the others have their own xfail test below).
HEADER_SAFE = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=10)
NOT_TEXT = st.none() | st.booleans() | st.integers() | st.floats() | st.lists(st.integers(), max_size=2)


def no_text_token(body: object) -> bool:
    """Arbitrary JSON, except an ``access_token`` string (the header-safe ones are drawn apart)."""
    return not (isinstance(body, dict) and isinstance(body.get("access_token"), str))


CONTENT_TYPES = st.sampled_from(["application/json", "application/vnd.api+json", "text/plain", ""])


def examples(count: int) -> settings:
    return settings(max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def dumps(value: object) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


class Responder:
    """A mock transport answering the next scripted response; the token endpoint can have its own."""

    def __init__(self, vendor_name: str) -> None:
        self.vendor = VENDORS[vendor_name]
        self.response = httpx.Response(200)
        self.token_response: httpx.Response | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.token_response is not None and request.url.path == self.vendor.token_path:
            return self._copy(self.token_response)
        return self._copy(self.response)

    @staticmethod
    def _copy(response: httpx.Response) -> httpx.Response:
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)

    def http(self, kind: Kind) -> httpx.Client | httpx.AsyncClient:
        transport = httpx.MockTransport(self)
        return httpx.AsyncClient(transport=transport) if kind == "async" else httpx.Client(transport=transport)


Clients = dict[tuple[str, Kind, str], tuple[AnyClient, Responder]]


@pytest.fixture(scope="module")
def clients() -> Iterator[Clients]:
    """Per vendor, kind and credential style: a client without retries on a scripted transport."""
    made: Clients = {}
    https = []
    for name, vendor in VENDORS.items():
        for kind in ("sync", "async"):
            for credentials in ("static", "oauth") if vendor.token_path else ("static",):
                responder = Responder(name)
                http = responder.http(kind)
                https.append(http)
                client = vendor.make(kind, "https://vendor.test", http, credentials, {"max_retries": 0})
                made[name, kind, credentials] = (client, responder)
    yield made
    for (client, _), http in zip(made.values(), https, strict=True):
        asyncio.run(close_client(client, http))


def outcome(operation: Operation, client: AnyClient) -> object:
    """The typed result, or the ``APIError`` raised; any other exception propagates and fails the test."""
    try:
        value = operation.run(client)
        return asyncio.run(resolve(value)) if inspect.isawaitable(value) else value
    except APIError as exc:
        error = exc
    assert error.status >= 100
    assert error.vendor == operation.vendor.name
    str(error), repr(error)  # rendering never fails either
    return error


def check(operation: Operation, client: AnyClient) -> None:
    result = outcome(operation, client)
    assert isinstance(result, (operation.result_type, APIError)), result


def _paths(value: JSONValue, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _mutate(document: JSONValue, path: tuple[str | int, ...], action: str, value: object) -> object:
    if not path:
        return value
    parent: Any = document
    for key in path[:-1]:
        parent = parent[key]
    if action == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return document


PARAMS = pytest.mark.parametrize(("vendor", "kind"), [(v, k) for v in sorted(MAIN) for k in ("sync", "async")])


@PARAMS
def test_arbitrary_json_with_any_status(vendor: str, kind: Kind, clients: Clients) -> None:
    client, responder = clients[vendor, kind, "static"]

    @examples(25)
    @given(status=STATUSES, body=ANY_JSON, content_type=CONTENT_TYPES)
    def run(status: int, body: object, content_type: str) -> None:
        responder.response = httpx.Response(status, content=dumps(body), headers={"content-type": content_type})
        check(MAIN[vendor], client)

    run()


@PARAMS
def test_the_valid_document_with_one_part_replaced_or_removed(vendor: str, kind: Kind, clients: Clients) -> None:
    client, responder = clients[vendor, kind, "static"]
    operation = MAIN[vendor]
    paths = list(_paths(operation.vendor.ok_document()))

    @examples(30)
    @given(path=st.sampled_from(paths), action=st.sampled_from(["replace", "delete"]), value=ANY_JSON)
    def run(path: tuple[str | int, ...], action: str, value: object) -> None:
        document = _mutate(operation.vendor.ok_document(), path, "replace" if not path else action, value)
        responder.response = httpx.Response(200, content=dumps(document), headers={"content-type": "application/json"})
        check(operation, client)

    run()


@PARAMS
def test_arbitrary_bytes(vendor: str, kind: Kind, clients: Clients) -> None:
    client, responder = clients[vendor, kind, "static"]

    @examples(20)
    @given(status=STATUSES, body=st.binary(max_size=64) | st.just(b"[" * 100_000), content_type=CONTENT_TYPES)
    def run(status: int, body: bytes, content_type: str) -> None:
        responder.response = httpx.Response(status, content=body, headers={"content-type": content_type})
        check(MAIN[vendor], client)

    run()


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", [COMMERCELAYER.name, SPREE.name])
def test_arbitrary_token_endpoint_answers(vendor: str, kind: Kind, clients: Clients) -> None:
    """The OAuth2 flow reads the token reply itself: any answer is a token or an ``APIError``."""
    client, responder = clients[vendor, kind, "oauth"]
    operation = MAIN[vendor]
    responder.response = httpx.Response(200, content=operation.vendor.ok_body())
    auth = client._auth
    assert isinstance(auth, OAuth2ClientCredentials)
    token_fields = st.fixed_dictionaries({}, optional={"access_token": NOT_TEXT | HEADER_SAFE,
                                                      "expires_in": ANY_JSON | st.integers(1, 10**6),
                                                      "token_type": ANY_JSON})

    @examples(30)
    @given(status=STATUSES, body=ANY_JSON.filter(no_text_token) | token_fields, content_type=CONTENT_TYPES)
    def run(status: int, body: object, content_type: str) -> None:
        auth.expire()
        responder.token_response = httpx.Response(status, content=dumps(body), headers={"content-type": content_type})
        check(operation, client)

    try:
        run()
    finally:
        responder.token_response = None
        auth.expire()


@pytest.mark.parametrize("token", ["tök-0123456789", "\x80"])
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", [COMMERCELAYER.name, SPREE.name])
def test_a_token_that_cannot_be_a_header_is_a_decode_error(vendor: str, kind: Kind, token: str,
                                                          clients: Clients) -> None:
    client, responder = clients[vendor, kind, "oauth"]
    operation = MAIN[vendor]
    responder.response = httpx.Response(200, content=operation.vendor.ok_body())
    responder.token_response = httpx.Response(200, json={"access_token": token, "expires_in": 3600})
    auth = client._auth
    assert isinstance(auth, OAuth2ClientCredentials)
    auth.expire()
    try:
        check(operation, client)
    finally:
        responder.token_response = None
        auth.expire()


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", [COMMERCELAYER.name, SPREE.name])
def test_arbitrary_401_bodies_with_a_refreshable_token(vendor: str, kind: Kind, clients: Clients) -> None:
    """``token_rejected`` reads the 401 body: whatever it holds, the call ends in a result or an ``APIError``."""
    client, responder = clients[vendor, kind, "oauth"]
    operation = MAIN[vendor]
    responder.token_response = httpx.Response(200, content=operation.vendor.token_body)

    @examples(20)
    @given(body=ANY_JSON | st.binary(max_size=32).map(lambda raw: raw.decode("latin-1")))
    def run(body: object) -> None:
        responder.response = httpx.Response(401, content=dumps(body), headers={"content-type": "application/json"})
        check(operation, client)

    try:
        run()
    finally:
        responder.token_response = None


def test_the_strategies_reach_the_parsers() -> None:
    """Guard: the mutated documents start from a document that parses, so mutations probe the parser."""
    for operation in MAIN.values():
        assert len(list(_paths(operation.vendor.ok_document()))) >= 8
    assert math.isnan(json.loads(dumps(math.nan)))
