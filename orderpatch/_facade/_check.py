"""``check_connection`` / ``acheck_connection``: are the configured credentials good and the vendor reachable?

One read-only request per vendor (its adapter's ``check_call``, built by the vendor package's
``_check.build_check_request``), through the same pipeline as every call: OAuth vendors fetch a
token first, so both the credentials and the API are exercised. Nothing is changed. The
``orderpatch check`` command prints the result.
"""

from __future__ import annotations

import attrs
from typing_extensions import Unpack

from .._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient
from .._config import Config
from .._probe import Probe
from .._response import APIResponse, async_raw_response_wrapper, raw_response_wrapper
from ._registry import adapter_for

__all__ = ["CheckResult", "acheck_connection", "check_connection"]


@attrs.frozen(kw_only=True)
class CheckResult:
    """A passed check: who answered, where, how fast; the order count when the vendor reports one."""

    vendor: str
    base_url: str
    #: The read-only request the check made, e.g. ``GET /api/v2/platform/orders``.
    endpoint: str
    status_code: int
    #: Seconds from the first attempt (token request included) to the answer.
    elapsed: float
    request_id: str | None
    retries_taken: int
    #: How many orders these credentials can see, when the vendor's answer says.
    order_count: int | None

    def summary(self) -> str:
        """One line for a person: ``spree: OK — credentials accepted, https://… reachable (…); nothing changed``."""
        count = "" if self.order_count is None else f", {self.order_count} order(s) visible"
        rid = f", request id {self.request_id}" if self.request_id else ""
        return (f"{self.vendor}: OK — credentials accepted, {self.base_url} reachable "
                f"({self.endpoint} answered {self.status_code} in {self.elapsed * 1000:.0f} ms{count}{rid}); "
                "nothing was changed")

    def to_dict(self) -> dict[str, object]:
        """The result as JSON-ready data."""
        return attrs.asdict(self)


def _result(vendor: str, client: SyncAPIClient | AsyncAPIClient, raw: APIResponse[Probe]) -> CheckResult:
    return CheckResult(
        vendor=vendor,
        base_url=str(client.base_url),
        endpoint=raw.parse().endpoint,
        status_code=raw.status_code,
        elapsed=raw.elapsed,
        request_id=raw.request_id,
        retries_taken=raw.retries_taken,
        order_count=raw.parse().order_count,
    )


def check_connection(config: Config | None = None, **options: Unpack[RequestOptions]) -> CheckResult:
    """Check the configured vendor's credentials and reachability with one read-only request.

    Raises what any call raises: ``AuthenticationError``/``PermissionDenied`` for refused
    credentials, ``NotFound``/``DecodeError`` for a ``base_url`` that is not the vendor's API,
    ``TransportError`` when nothing answers, ``ConfigurationError`` for a bad configuration.
    """
    config = config if config is not None else Config.load()
    adapter = adapter_for(config.vendor)
    with adapter.open_sync(config) as client:
        raw = raw_response_wrapper(client.request)(adapter.check_call(client), options)
    return _result(config.vendor, client, raw)


async def acheck_connection(config: Config | None = None, **options: Unpack[RequestOptions]) -> CheckResult:
    """The asyncio twin of ``check_connection``."""
    config = config if config is not None else Config.load()
    adapter = adapter_for(config.vendor)
    async with adapter.open_async(config) as client:
        raw = await async_raw_response_wrapper(client.request)(adapter.check_call(client), options)
    return _result(config.vendor, client, raw)
