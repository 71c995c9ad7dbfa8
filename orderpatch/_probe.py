"""The no-change check of a vendor account: one read-only request that proves credentials and reach.

Each vendor package builds its probe as a pure function (``<vendor>/_check.py``:
``build_check_request(...) -> Call[Probe]``), the facade adapter of the vendor names it
(``VendorAdapter.check_call``), and ``orderpatch.check_connection()`` / ``orderpatch check``
send it. The probe reads at most one order and changes nothing; a body that is not the
vendor's shape (a wrong ``base_url`` answering HTML, say) is a ``DecodeError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from ._http import httpx
from ._spec import Call, url_for
from ._types import JSONValue

__all__ = ["Probe", "build_probe", "count_at"]


@attrs.frozen(kw_only=True)
class Probe:
    """What a check read: the endpoint (``GET /api/orders``) and the order count the vendor reported."""

    endpoint: str
    #: How many orders the credentials can see, when the vendor's answer says (else ``None``).
    order_count: int | None = None


def count_at(payload: JSONValue, *path: str) -> int | None:
    """The integer at ``payload[path[0]][path[1]]…``, or ``None`` when the vendor did not send one."""
    value: JSONValue = payload
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def build_probe(
    base_url: httpx.URL,
    *segments: str,
    params: Mapping[str, str],
    shape: Callable[[JSONValue], int | None],
    accept: str = "application/json",
    trailing_slash: bool = False,
) -> Call[Probe]:
    """``GET {base}/{segments}?{params}``; ``shape`` checks the answer (``ValueError`` if it is not the
    vendor's) and returns the order count it reports."""
    url = url_for(base_url, *segments, params=params, trailing_slash=trailing_slash)
    endpoint = "GET " + url.path

    def parse(payload: JSONValue) -> Probe:
        return Probe(endpoint=endpoint, order_count=shape(payload))

    return Call(request=httpx.Request("GET", url, headers={"Accept": accept}), parse=parse, idempotent=True)
