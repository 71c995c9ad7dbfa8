"""Redirects: a PATCH/POST answered 301/302/307/308 to another origin is not followed.

Two loopback servers: the vendor's, which answers every request with a redirect to the same path
on the other one, and the other one, which records what reaches it. The call must end in
``APIError`` with the redirect's status (not retried), and the other host must see nothing, so
neither the body nor the ``Authorization`` header ever gets there. The same holds for the OAuth2
token request, whose body carries the client secret.
"""

from __future__ import annotations

import pytest

from orderpatch import APIError
from tests.faults import respond

from ._faults_extra import ExtraFaultServer, redirect
from ._targets import COMMERCELAYER, OPERATIONS, SPREE, Kind, Operation, close_client, http_for, resolve

pytestmark = pytest.mark.loopback

REDIRECTS = [301, 302, 307, 308]
#: The plain operations (PATCH and POST) of every vendor, and the non-idempotent ones.
REDIRECTED = [op for op in OPERATIONS if op.key in (
    "licensespring.update", "commercelayer.update", "commercelayer.capture", "spree.update",
    "spree.use_store_credit", "trunkery.modify", "trunkery.modify_unkeyed")]
TOKEN_OPERATIONS = [op for op in OPERATIONS if op.key in ("commercelayer.update", "spree.update")]


async def redirected_call(operation: Operation, kind: Kind, status: int, *, oauth: bool = False,
                          follow_redirects: bool = False) -> tuple[object, list[str], int]:
    """The call's outcome, the paths that reached the other host, and the requests the vendor's host got."""
    # The other host answers like the vendor would, so a followed redirect would even look like a success.
    with ExtraFaultServer([respond(body=operation.vendor.ok_body())]) as other:
        # In the OAuth case the first request is the token request: it is the one redirected.
        with ExtraFaultServer([redirect(status, f"{other.url}{operation.path}")]) as vendor_host:
            http = http_for(kind, follow_redirects=follow_redirects)
            client = operation.vendor.make(kind, vendor_host.url, http, "oauth" if oauth else "static",
                                           {"max_retries": 2, "timeout": 2.0})
            try:
                outcome: object = await resolve(operation.run(client))
            except APIError as exc:
                outcome = exc
            finally:
                await close_client(client, http)
            sent = len(vendor_host.received)
        reached = [f"{r.method} {r.path} auth={'authorization' in r.headers}" for r in other.received]
    return outcome, reached, sent


@pytest.mark.parametrize("status", REDIRECTS)
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("operation", REDIRECTED, ids=lambda op: op.key)
async def test_a_redirect_to_another_origin_is_not_followed(operation: Operation, kind: Kind, status: int) -> None:
    outcome, reached, sent = await redirected_call(operation, kind, status)
    assert type(outcome) is APIError, outcome
    assert outcome.status == status
    assert "redirect" in outcome.message
    assert "does not follow" in outcome.message
    assert (reached, sent) == ([], 1)


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("operation", TOKEN_OPERATIONS, ids=lambda op: op.vendor.name)
async def test_a_redirected_token_request_is_not_followed(operation: Operation, kind: Kind, status: int) -> None:
    outcome, reached, sent = await redirected_call(operation, kind, status, oauth=True)
    assert isinstance(outcome, APIError)
    assert outcome.status == status
    assert (reached, sent) == ([], 1)


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("operation", REDIRECTED, ids=lambda op: op.key)
async def test_a_following_http_client_does_not_make_orderpatch_follow(operation: Operation, kind: Kind) -> None:
    """With a caller's own ``httpx`` client set to follow redirects: neither body nor ``Authorization`` leaves."""
    outcome, reached, _ = await redirected_call(operation, kind, 307, follow_redirects=True)
    assert reached == []
    assert isinstance(outcome, APIError)
    assert outcome.status == 307


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("operation", [op for op in TOKEN_OPERATIONS if op.vendor in (COMMERCELAYER, SPREE)],
                         ids=lambda op: op.vendor.name)
async def test_a_following_http_client_does_not_send_the_client_secret_elsewhere(operation: Operation,
                                                                                 kind: Kind) -> None:
    _, reached, _ = await redirected_call(operation, kind, 307, oauth=True, follow_redirects=True)
    assert reached == []
