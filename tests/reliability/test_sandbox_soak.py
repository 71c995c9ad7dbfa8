"""A soak through the vendor emulator: random 503s and dropped connections, every operation, sync and async.

``orderpatch.sandbox`` is an independent reading of the four vendors' contracts; with its fault
knobs on (a seeded quarter of the requests answered 503, a tenth of the connections dropped before
the vendor sees them), every call must end in the typed result or an ``OrderPatchError``, no call
may be handled by the vendor twice, and the retry-safe operations must mostly succeed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orderpatch import OrderPatchError
from tests.conftest import SleepRecorder

from ._targets import CLIENT_TYPES, OPERATIONS, Kind, Operation, close_client, http_for, resolve

for _extra in ("starlette", "uvicorn"):
    pytest.importorskip(_extra, reason="the sandbox extra (starlette, uvicorn) is absent")
from orderpatch.sandbox import Sandbox  # noqa: E402 - only once its extra is known to be installed

pytestmark = pytest.mark.loopback

CALLS = 20


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(error_rate=0.25, drop_rate=0.1, seed=20240514) as running:
        yield running


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.key)
async def test_every_call_ends_typed_and_is_handled_at_most_once(
    operation: Operation, kind: Kind, sandbox: Sandbox, sleeps: SleepRecorder
) -> None:
    vendor = operation.vendor.name
    http = http_for(kind)
    cls = CLIENT_TYPES[vendor][1 if kind == "async" else 0]
    client = cls(**sandbox.settings(vendor), http_client=http, timeout=5.0, max_retries=2)  # type: ignore[arg-type]
    outcomes: list[str] = []
    try:
        for _ in range(CALLS):
            before = len(sandbox.requests_log())
            try:
                result = await resolve(operation.run(client))
            except OrderPatchError as exc:
                outcomes.append(type(exc).__name__)
            else:
                assert isinstance(result, operation.result_type)
                outcomes.append("ok")
            handled = [r for r in sandbox.requests_log()[before:]
                       if r.fault is None and r.path.endswith(operation.path)]
            assert len(handled) <= 1, f"one call was handled {len(handled)} times"
    finally:
        await close_client(client, http)
    faults = {r.fault for r in sandbox.requests_log()}
    assert {"error", "dropped"} <= faults, "the knobs must have injected both faults"
    if operation.retry_safe:
        assert outcomes.count("ok") >= CALLS * 0.8, outcomes
