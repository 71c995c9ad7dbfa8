"""The exact request an update would send, without sending it: for the journal and for dry runs.

The facade's adapter calls ``client.orders.update(...)`` (``modify`` on Trunkery), which builds
a ``Call`` with the vendor's pure codec and hands it to ``client.request``. ``plan_call`` runs
that same path on a copy of the client whose ``request`` only catches the ``Call``: the method,
URL, body bytes, idempotency key and whether the vendor treats it as idempotent all come from
the vendor's own code, for every vendor, with no vendor logic repeated here. The job then sends
exactly that ``Call`` (the same bytes a resume sends again, with the same key).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Coroutine
from typing import Any, Final, NoReturn

import attrs

from .._base_client import NO_OPTIONS, AsyncAPIClient, RequestOptions, SyncAPIClient
from .._log import redact_url
from .._models import RequestModel
from .._spec import Call
from .._types import JSONValue

__all__ = ["KEYED_VENDORS", "PlannedCall", "derive_idempotency_key", "dry_run_record", "plan_call"]

#: Vendors whose update takes an idempotency key the vendor honours, and the option that sets it.
KEYED_VENDORS: Final = {"trunkery": "idempotency_key", "spree_admin": "idempotency_key"}


@attrs.frozen(kw_only=True)
class PlannedCall:
    """One update, built and not sent."""

    call: Call[Any]
    options: RequestOptions
    #: Whether sending it again is harmless: the vendor treats it as idempotent, or it carries a key.
    idempotent: bool
    idempotency_key: str | None


class _Captured(Exception):
    def __init__(self, call: Call[Any], options: RequestOptions) -> None:
        super().__init__("captured")
        self.call = call
        self.options = options


def _capture(call: Call[Any], options: RequestOptions = NO_OPTIONS) -> NoReturn:
    raise _Captured(call, options)


async def _acapture(call: Call[Any], options: RequestOptions = NO_OPTIONS) -> NoReturn:
    raise _Captured(call, options)


def capturing_copy(client: SyncAPIClient | AsyncAPIClient) -> SyncAPIClient | AsyncAPIClient:
    """A copy of ``client`` (shared pool, same settings) whose ``request`` builds and never sends."""
    clone = client.with_options()
    vars(clone)["request"] = _acapture if isinstance(client, AsyncAPIClient) else _capture
    return clone


def derive_idempotency_key(job_id: str, order_id: str, change: str) -> str:
    """The key of one order's change in one job: the same on every resume, another for another change."""
    digest = hashlib.sha256(f"{job_id}\n{order_id}\n{change}".encode()).hexdigest()
    return f"orderpatch-bulk-{digest[:40]}"


def plan_call(adapter: Any, capturing: SyncAPIClient | AsyncAPIClient, order_id: str, request: RequestModel,
              *, idempotency_key: str | None = None) -> PlannedCall:
    """The ``Call`` that ``adapter.send``/``asend`` would make for this update, with the key where it is taken.

    ``capturing`` is a ``capturing_copy`` of the job's client. The async path is driven to its
    first ``await`` synchronously: building the call awaits nothing before ``client.request``.
    """
    option = KEYED_VENDORS.get(adapter.vendor)
    options: dict[str, object] = {option: idempotency_key} if option and idempotency_key else {}
    try:
        if isinstance(capturing, AsyncAPIClient):
            coroutine: Coroutine[Any, Any, object] = adapter.asend(capturing, order_id, request, options)
            try:
                coroutine.send(None)
            finally:
                coroutine.close()
        else:
            adapter.send(capturing, order_id, request, options)
    except _Captured as captured:
        call, core = captured.call, captured.options
        key = call.idempotency_key
        return PlannedCall(call=call, options=core, idempotent=bool(call.idempotent or key), idempotency_key=key)
    raise AssertionError(f"{adapter.vendor}: the update did not go through client.request")  # pragma: no cover


def dry_run_record(line: int, order_id: str, planned: PlannedCall) -> dict[str, JSONValue]:
    """What ``--dry-run`` shows for one order: method, URL (secrets redacted), body and key."""
    request = planned.call.request
    content = request.content
    body: JSONValue
    try:
        body = json.loads(content) if content else None
    except ValueError:  # pragma: no cover - every vendor sends JSON
        body = content.decode("utf-8", "replace")
    return {
        "line": line,
        "id": order_id,
        "method": request.method,
        "url": redact_url(request.url),
        "body": body,
        "idempotency_key": planned.idempotency_key,
        "idempotent": planned.idempotent,
    }
