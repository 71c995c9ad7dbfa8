"""Every cell of the fault matrix over real loopback sockets, on the sync and the async client.

A cell is (operation, client kind, fault). The loopback server follows the fault's script and
records every request that reached it; the test asserts the documented outcome of ``_matrix``:
the typed result or the exact ``OrderPatchError`` subclass, the requests that reached the server,
the retries taken and their back-off. Non-idempotent operations are also held to the invariant
"at most one request that the server may have acted on", and Trunkery's retries to "same
``Idempotency-Key``, same bytes".
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence

import httpx
import pytest

from orderpatch import APIError, OrderPatchError, TransportError
from tests.conftest import SleepRecorder
from tests.faults import Behaviour, Received, refused_url, unaccepting_url

from ._faults_extra import ExtraFaultServer
from ._matrix import FAULTS, OAUTH_OPERATIONS, TOKEN_FAULTS, Fault, Outcome, TokenFault, Where
from ._targets import OPERATIONS, Kind, Operation, close_client, http_for, resolve

pytestmark = pytest.mark.loopback



@contextlib.asynccontextmanager
async def loopback(where: Where, script: Sequence[Behaviour]) -> AsyncIterator[tuple[str, ExtraFaultServer | None]]:
    """The URL the client aims at, and the server behind it (none for refused / unaccepting)."""
    if where == "refused":
        with refused_url() as url:
            yield url, None
    elif where == "unaccepting":
        with unaccepting_url() as url:
            yield url, None
    else:
        with ExtraFaultServer(script) as server:
            yield server.url, server


async def attempt(operation: Operation, kind: Kind, url: str, per_attempt: httpx.Timeout, *,
                  oauth: bool = False) -> tuple[object, Exception | None]:
    """Run the operation once on a fresh client (two retries at most); its result or the exception it raised."""
    http = http_for(kind)
    settings = {"timeout": per_attempt, "max_retries": 2}
    client = operation.vendor.make(kind, url, http, "oauth" if oauth else "static", settings)
    try:
        return await resolve(operation.run(client)), None
    except Exception as exc:
        return None, exc
    finally:
        await close_client(client, http)


def answered(script: Sequence[Behaviour], index: int) -> Behaviour:
    """What the server answered request ``index`` with (its script's last step repeats)."""
    return script[min(index, len(script) - 1)]


def check_outcome(expected: Outcome, operation: Operation, result: object, error: Exception | None,
                  sleeps: SleepRecorder) -> None:
    if expected.error is None:
        assert error is None, f"expected a {operation.result_type.__name__}, got {error!r}"
        assert isinstance(result, operation.result_type)
    else:
        assert isinstance(error, OrderPatchError), f"unexpected exception type: {error!r}"
        assert type(error) is expected.error, f"expected {expected.error.__name__}, got {error!r}"
        assert isinstance(error, (APIError, TransportError))
        assert error.retries_taken == expected.retries
    assert len(sleeps.delays) == expected.retries, sleeps.delays


def check_requests(operation: Operation, script: Sequence[Behaviour], requests: Sequence[Received]) -> None:
    """What reached the server: the operation's method and path, the same bytes every time, at most one act."""
    for request in requests:
        assert (request.method, request.path.split("?")[0]) == (operation.method, operation.path)
    assert len({request.body for request in requests}) <= 1, "a retry sent different bytes"
    if not operation.retry_safe:
        assert len(requests) <= 1, f"a non-idempotent request reached the server {len(requests)} times"
    keys = {request.headers.get("idempotency-key") for request in requests}
    if operation.keyed:
        assert len(keys) == 1, f"every attempt must carry the same Idempotency-Key: {keys}"
        assert None not in keys
    elif requests:
        assert keys == {None}


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.key)
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.key)
async def test_fault_cell(operation: Operation, kind: Kind, fault: Fault, sleeps: SleepRecorder) -> None:
    expected = fault.expected(operation)
    script = fault.script(operation.vendor)
    async with loopback(fault.where, script) as (url, server):
        result, error = await attempt(operation, kind, url, fault.timeout)
    check_outcome(expected, operation, result, error, sleeps)
    if server is not None:
        assert len(server.received) == expected.requests
        check_requests(operation, script, server.received)
    if fault.delay is not None:
        low, high = fault.delay
        assert all(low <= delay <= high for delay in sleeps.delays), sleeps.delays


@pytest.mark.parametrize("fault", TOKEN_FAULTS, ids=lambda f: f.key)
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("operation", OAUTH_OPERATIONS, ids=lambda op: op.key)
async def test_token_fault_cell(operation: Operation, kind: Kind, fault: TokenFault, sleeps: SleepRecorder) -> None:
    expected = fault.expected(operation)
    vendor = operation.vendor
    script = fault.script(vendor)
    async with loopback("server", script) as (url, server):
        result, error = await attempt(operation, kind, url, fault.timeout, oauth=True)
    assert server is not None
    check_outcome(expected, operation, result, error, sleeps)
    tokens = [r for r in server.received if r.path == vendor.token_path]
    calls = [r for r in server.received if r.path != vendor.token_path]
    assert (len(calls), len(tokens)) == (expected.requests, expected.tokens)
    assert all(r.method == "POST" for r in tokens)
    order = [i for i, r in enumerate(server.received) if r.path != vendor.token_path]
    check_requests(operation, [answered(script, i) for i in order], calls)


def test_the_tables_cover_every_operation_and_fault() -> None:
    """A guard against a table that silently lost a row: the issue's fault list is all there."""
    keys = {fault.key for fault in FAULTS}
    assert {"refused", "connect_timeout", "read_timeout", "reset_before_response", "reset_mid_body",
            "429_retry_after_seconds", "429_retry_after_date", "500", "502", "503", "504", "html_200", "html_502",
            "truncated_json", "empty_200", "wrong_content_type", "body_3mb"} <= keys
    assert {op.vendor.name for op in OPERATIONS} == {"licensespring", "commercelayer", "spree", "trunkery",
                                                     "spree_admin"}
    assert {op.key for op in OPERATIONS if not op.retry_safe} >= {
        "commercelayer.capture", "commercelayer.refund", "commercelayer.approve_and_capture",
        "trunkery.modify_unkeyed"}
