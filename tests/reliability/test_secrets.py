"""Secrets: no API key, client secret, access token or JWT in logs, reprs, messages or tracebacks.

Every vendor, sync and async, over loopback, with DEBUG logging on for ``orderpatch`` and every
logger of the HTTP package in use (``httpx``/``httpcore``, or ``httpx2``/``httpcore2``: CI runs
this suite on both), through the success path and every error path: vendor error bodies that echo
the credentials back (401, 422, 429, 500, an HTML 502), a reset connection, a read timeout, and
the OAuth2 token endpoint failing or the token being rejected. Each surface a person may see is
searched for every credential: the log records, ``repr`` of the client (and its ``with_options``
copy) and of the request models, ``str``/``repr`` of the exception, its ``body`` and details,
and ``traceback.format_exception``. (The CLI's output is covered by the facade's tests.)
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Iterable, Sequence

import httpx
import pytest

from orderpatch import APIError, Config, OrderPatchError, Secret, _http
from orderpatch.commercelayer import OrderUpdate as CLUpdate
from orderpatch.trunkery import OrderModify
from tests.conftest import SleepRecorder
from tests.faults import HANG, RESET, Behaviour, respond

from ._faults_extra import ExtraFaultServer, redirect
from ._targets import (
    CL_ACCESS_TOKEN,
    CL_CLIENT_SECRET,
    LS_API_KEY,
    OPERATIONS,
    SPREE_CLIENT_SECRET,
    TRUNKERY_JWT,
    VENDORS,
    AnyClient,
    Credentials,
    Kind,
    Operation,
    Vendor,
    close_client,
    http_for,
    resolve,
)

pytestmark = pytest.mark.loopback

LOGGERS = ("orderpatch", *_http.LOGGERS)
HTTPCORE = _http.PACKAGE.replace("httpx", "httpcore")  # httpcore or httpcore2: the one in use
MAIN: dict[str, Operation] = {}
for _op in OPERATIONS:
    MAIN.setdefault(_op.vendor.name, _op)


def echo(vendor: Vendor, credentials: Credentials = "static") -> str:
    """A message that repeats the client's credentials, as a careless server might."""
    return " ".join(f"bad credential {s}; Authorization: Bearer {s}" for s in vendor.secrets_of(credentials))


def _error_bodies(vendor: Vendor, credentials: Credentials = "static") -> dict[int, bytes]:
    text = echo(vendor, credentials)
    field_errors = {
        "licensespring": {"api_key": [text], "non_field_errors": [text]},
        "commercelayer": {"errors": [{"title": text, "detail": text, "code": "VALIDATION_ERROR", "status": "422",
                                      "source": {"pointer": "/data/attributes/customer_email"}, "meta": {"t": text}}]},
        "spree": {"error": text, "errors": {"email": [text]}},
        "trunkery": {"code": 1000, "message": text, "meta": {"fields": [{"field": "customer_email", "problem": text}]}},
        "spree_admin": {"error": {"code": "validation_error", "message": text, "details": {"email": [text]}}},
    }[vendor.name]
    return {status: vendor.error_body(status, text) for status in (401, 429, 500)} | {
        422: json.dumps(field_errors).encode()}


Scenario = Callable[[Vendor], Sequence[Behaviour]]
SCENARIOS: dict[str, Scenario] = {
    "success": lambda v: [respond(body=v.ok_body())],
    "401 echoing the credentials": lambda v: [respond(401, _error_bodies(v)[401])],
    "422 echoing the credentials in field errors": lambda v: [respond(422, _error_bodies(v)[422])],
    "429 echoing the credentials": lambda v: [respond(429, _error_bodies(v)[429], headers=(("Retry-After", "1"),))],
    "500 echoing the credentials": lambda v: [respond(500, _error_bodies(v)[500])],
    "HTML 502 echoing the credentials": lambda v: [respond(502, f"<html><pre>{echo(v)}</pre></html>", "text/html")],
    "reset": lambda v: [RESET],
    "read timeout": lambda v: [HANG],
}
def _client_secret_echo(vendor: Vendor) -> str:
    """The echo of a token endpoint: it never issued a token, so only the client secret can come back."""
    secret = vendor.secrets_of("oauth")[0]
    return f"bad client secret {secret}; client_secret={secret}"


TOKEN_SCENARIOS: dict[str, Scenario] = {
    "token issued, success": lambda v: [respond(body=v.token_body), respond(body=v.ok_body())],
    "token endpoint 401 echoing the client secret": lambda v: [respond(401, json.dumps(
        {"error": "invalid_client", "error_description": _client_secret_echo(v),
         "errors": [{"detail": _client_secret_echo(v)}]}).encode())],
    "token endpoint 500 echoing the client secret": lambda v: [respond(500, v.error_body(500, _client_secret_echo(v)))],
    "token endpoint HTML 502 echoing the client secret": lambda v: [
        respond(502, f"<html>{_client_secret_echo(v)}</html>", "text/html")],
}
#: Echoes of a token the client fetched during the very call that fails (known issue 5).
_FIRST_CALL_ECHOES: dict[str, Scenario] = {
    "token issued, then a 500 echoing it": lambda v: [respond(body=v.token_body),
                                                       respond(500, _error_bodies(v, "oauth")[500])],
    "token rejected twice, the 401 echoing it": lambda v: [
        respond(body=v.token_body), respond(401, v.token_rejected_body), respond(body=v.token_body),
        respond(401, _error_bodies(v, "oauth")[401])],
}


#: A credential counts as leaked when any run of this many of its secret characters shows.
WINDOW = 12


def _core(secret: str) -> str:
    """The part of a credential that must stay hidden: a JWT's signature, or the whole value."""
    parts = secret.split(".")
    return parts[2] if len(parts) == 3 and secret.startswith("eyJ") else secret


def leaks(texts: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """Where a credential (or a run of ``WINDOW`` characters of it) shows; the report quotes only its start."""
    found = []
    for index, text in enumerate(texts):
        for secret in secrets:
            core = _core(secret)
            for start in range(max(1, len(core) - WINDOW + 1)):
                piece = core[start : start + WINDOW]
                if piece in text:
                    at = text.find(piece)
                    found.append(f"{secret[:6]}… in surface #{index}: …{text[max(0, at - 50):at][-50:]!r}")
                    break
    return found


def surfaces(client: AnyClient, error: BaseException | None, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Everything of a call a person may see."""
    texts = [caplog.text, *(record.getMessage() for record in caplog.records), repr(client),
             repr(client.with_options(timeout=3.0)), repr(getattr(client, "_auth", None))]
    if error is not None:
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
        if isinstance(error, APIError):
            texts += [str(error.body), error.message]
            texts += [f"{d.title} {d.detail}" for d in error.errors]
    return texts


async def call(operation: Operation, kind: Kind, url: str, credentials: str) -> tuple[AnyClient, BaseException | None]:
    http = http_for(kind)
    client = operation.vendor.make(kind, url, http, credentials,  # type: ignore[arg-type]
                                   {"timeout": httpx.Timeout(0.15, connect=1.0), "max_retries": 0})
    try:
        await resolve(operation.run(client))
        return client, None
    except OrderPatchError as exc:
        return client, exc
    finally:
        await close_client(client, http)


async def oauth_leaks(vendor: str, kind: Kind, scenario: Scenario,
                      debug_logs: pytest.LogCaptureFixture) -> tuple[BaseException | None, list[str]]:
    """Run the vendor's call with client credentials against ``scenario``: its error, and the leaks found."""
    operation = MAIN[vendor]
    with ExtraFaultServer(scenario(operation.vendor)) as server:
        client, error = await call(operation, kind, server.url, "oauth")
    return error, leaks(surfaces(client, error, debug_logs), operation.vendor.secrets_of("oauth"))


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", sorted(MAIN))
async def test_no_credential_in_anything_shown(vendor: str, kind: Kind, scenario: str,
                                               debug_logs: pytest.LogCaptureFixture, sleeps: SleepRecorder) -> None:
    operation = MAIN[vendor]
    with ExtraFaultServer(SCENARIOS[scenario](operation.vendor)) as server:
        client, error = await call(operation, kind, server.url, "static")
    assert (error is None) == (scenario == "success"), error
    assert any(r.name.startswith("orderpatch") for r in debug_logs.records), "DEBUG logging was not on"
    assert any(r.name.startswith(HTTPCORE + ".") for r in debug_logs.records), "the HTTP package's traces were off"
    assert leaks(surfaces(client, error, debug_logs), operation.vendor.secrets_of("static")) == []


@pytest.mark.parametrize("scenario", [
    *sorted(TOKEN_SCENARIOS),
    *sorted(_FIRST_CALL_ECHOES),
])
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", ["commercelayer", "spree"])
async def test_no_client_secret_or_issued_token_in_anything_shown(
    vendor: str, kind: Kind, scenario: str, debug_logs: pytest.LogCaptureFixture, sleeps: SleepRecorder
) -> None:
    error, found = await oauth_leaks(vendor, kind, {**TOKEN_SCENARIOS, **_FIRST_CALL_ECHOES}[scenario], debug_logs)
    assert (error is None) == (scenario == "token issued, success"), error
    assert found == []


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", ["commercelayer", "spree"])
async def test_an_echo_of_the_cached_token_is_scrubbed(vendor: str, kind: Kind, debug_logs: pytest.LogCaptureFixture,
                                                       sleeps: SleepRecorder) -> None:
    """A call made with a token cached by an earlier call: its error echoing the token is scrubbed."""
    operation = MAIN[vendor]
    v = operation.vendor
    script = [respond(body=v.token_body), respond(body=v.ok_body()), respond(500, _error_bodies(v, "oauth")[500])]
    with ExtraFaultServer(script) as server:
        http = http_for(kind)
        client = v.make(kind, server.url, http, "oauth", {"max_retries": 0})
        try:
            await resolve(operation.run(client))
            with pytest.raises(APIError) as info:
                await resolve(operation.run(client))
        finally:
            await close_client(client, http)
    assert leaks(surfaces(client, info.value, debug_logs), v.secrets_of("oauth")) == []




@pytest.mark.parametrize("vendor", ["commercelayer", "trunkery"])
async def test_error_details_meta_is_scrubbed(vendor: str, debug_logs: pytest.LogCaptureFixture) -> None:
    operation = MAIN[vendor]
    with ExtraFaultServer([respond(422, _error_bodies(operation.vendor)[422])]) as server:
        _client, error = await call(operation, "sync", server.url, "static")
    assert isinstance(error, APIError)
    assert error.errors
    assert leaks([repr(error.errors)], operation.vendor.secrets_of("static")) == []


def test_request_models_and_configs_hide_their_secrets() -> None:
    update = CLUpdate(customer_password="customer-password-SECRET-77", place=True)
    config_texts = [
        repr(Config("licensespring", api_key=LS_API_KEY)),
        repr(Config("commercelayer", base_url="https://acme.commercelayer.io", client_id="cid",
                    client_secret=CL_CLIENT_SECRET)),
        repr(Config("commercelayer", organization="acme", access_token=CL_ACCESS_TOKEN)),
        repr(Config("spree", base_url="https://shop.test", client_id="cid", client_secret=SPREE_CLIENT_SECRET)),
        repr(Config("trunkery", token=TRUNKERY_JWT, shop_id="sh_EQzGqWoY")),
    ]
    texts = [repr(update), str(update), repr(Secret("s3cr3t-value")), *config_texts]
    secrets = ["customer-password-SECRET-77", "s3cr3t-value", LS_API_KEY, CL_CLIENT_SECRET, CL_ACCESS_TOKEN,
               SPREE_CLIENT_SECRET, TRUNKERY_JWT]
    assert leaks(texts, secrets) == []
    assert "place=True" in repr(update)


# -- leaks found: each is a bug report (see docs/reliability.md) ----------------------------------

def _unusable_200(vendor: Vendor) -> bytes:
    """A 2xx answer of the wrong shape that quotes a credential where the parser reports what it saw."""
    secret = vendor.secrets_of("static")[0]
    return json.dumps({
        "licensespring": {"id": secret},
        "commercelayer": {"data": {"id": "x", "type": secret}},
        "spree": {"data": {"id": "47", "type": secret}},
        "trunkery": {"message": secret, "code": 401},
        "spree_admin": {"id": "or_UkLWZg9DAJ", "created_at": secret},
    }[vendor.name]).encode()




@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", sorted(MAIN))
async def test_a_credential_echoed_in_an_unusable_2xx_body_is_scrubbed(
    vendor: str, kind: Kind, debug_logs: pytest.LogCaptureFixture
) -> None:
    operation = MAIN[vendor]
    with ExtraFaultServer([respond(200, _unusable_200(operation.vendor))]) as server:
        client, error = await call(operation, kind, server.url, "static")
    assert error is not None
    assert leaks(surfaces(client, error, debug_logs), operation.vendor.secrets_of("static")) == []


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_credential_in_a_redirect_location_is_scrubbed(kind: Kind,
                                                               debug_logs: pytest.LogCaptureFixture) -> None:
    operation = MAIN["commercelayer"]
    location = f"https://login.example/?access_token={CL_ACCESS_TOKEN}"
    with ExtraFaultServer([redirect(302, location)]) as server:
        _client, error = await call(operation, kind, server.url, "static")
    assert isinstance(error, APIError)
    assert error.status == 302
    # Only what orderpatch shows: httpcore's own DEBUG lines print response headers verbatim (docs).
    shown = [str(error), repr(error), error.message, "".join(traceback.format_exception(error))]
    assert leaks(shown, operation.vendor.secrets_of("static")) == []


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_the_trunkery_order_uuid_is_not_logged(kind: Kind, debug_logs: pytest.LogCaptureFixture) -> None:
    uuid = "5f0c6a59-52a4-4b4c-9d0e-3c1d5b1e2f77"
    trunkery = VENDORS["trunkery"]
    with ExtraFaultServer([respond(body=trunkery.ok_body())]) as server:
        http = http_for(kind)
        client = trunkery.make(kind, server.url, http, "static", {})
        try:
            await resolve(client.orders.modify("or_EQzGqWoY", OrderModify(tags=["vip"]), uuid=uuid))  # type: ignore[union-attr]
        finally:
            await close_client(client, http)
    assert any("orders.json" in r.getMessage() for r in debug_logs.records if r.name == "orderpatch")
    assert leaks([debug_logs.text], [uuid]) == []
