"""What a user would pick instead of orderpatch, set up on the same transport and payload.

* A pydantic v2 model of the vendor's answer: inferred once from the payload itself (nested
  models for objects, ``datetime`` for ISO-8601 timestamps, ``Decimal`` for the money strings
  the vendor documents as decimals), validated straight from the bytes with ``validate_json``.
* The generated Commerce Layer client on PyPI (``commercelayer==3.0.4``,
  ``commercelayer.api.orders.patc_hordersorder_id.sync``). It sends with the module-level
  ``httpx.request``, i.e. a new ``httpx.Client`` (and SSL context) per call, so the transport
  cannot be passed in: its module's ``httpx`` name is pointed at a shim that either reuses one
  pooled client ("shared pool", the fair comparison) or builds a client per call as the
  package does, with the mock transport mounted ("as shipped").
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import json
import re
import types
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from _harness import skip
from cases import Case

from orderpatch._http import httpx  # the package in use: httpx, or httpx2 (ORDERPATCH_HTTP)

__all__ = ["GENERATED_CL", "generated_commercelayer", "pydantic_adapter"]

#: The generated client's PATCH module (it imports its whole model tree).
GENERATED_CL = "commercelayer.api.orders.patc_hordersorder_id"

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}| UTC)?")


def pydantic_adapter(pydantic: types.ModuleType, sample: object, *, name: str, decimal_keys: Iterable[str] = ()) -> Any:
    """A ``pydantic.TypeAdapter`` for a model tree with the shape and leaf types of ``sample``."""
    decimals = frozenset(decimal_keys)
    config = pydantic.ConfigDict(extra="allow", populate_by_name=True)

    def leaf(key: str, value: object, path: str) -> Any:
        if isinstance(value, dict):
            return model(value, path)
        if isinstance(value, list):
            return types.GenericAlias(list, (leaf(key, value[0], path + "Item") if value else Any,))
        if isinstance(value, str) and key in decimals:
            return Decimal
        if isinstance(value, str) and _TIMESTAMP.fullmatch(value) and key.endswith("_at"):
            return dt.datetime
        return Any if value is None else type(value)

    def model(obj: dict[str, object], path: str) -> Any:
        fields: dict[str, Any] = {}
        for key, value in obj.items():
            field_type = leaf(key, value, path + key.title().replace("_", ""))
            fields["f_" + re.sub(r"\W", "_", key)] = (field_type | None, pydantic.Field(default=None, alias=key))
        return pydantic.create_model(path, __config__=config, **fields)

    return pydantic.TypeAdapter(leaf("", sample, name))


@functools.cache
def _generated_module() -> types.ModuleType | None:
    try:
        return importlib.import_module(GENERATED_CL)
    except ImportError as exc:
        skip(
            "the generated commercelayer==3.0.4 client",
            f"not importable ({exc}); bash benchmarks/setup_benchvenv.sh installs it (it pins httpx<0.24, so "
            "it goes in with --no-deps beside orderpatch's httpx)",
        )
        return None


class _HttpxShim:
    """Stands in for the ``httpx`` module inside the generated PATCH module."""

    def __init__(self, request: Callable[..., httpx.Response]) -> None:
        self.request = request
        self.AsyncClient = httpx.AsyncClient
        self.Response = httpx.Response


def generated_commercelayer(case: Case) -> dict[str, Callable[[], object]] | None:
    """The generated client's ``sync`` on the shared-pool and the as-shipped shims, or ``None`` if absent."""
    module = _generated_module()
    if module is None:
        return None
    client_mod = importlib.import_module("commercelayer.client")
    update_mod = importlib.import_module("commercelayer.models.order_update")
    base = case.url.rsplit("/orders/", 1)[0]
    order_id = case.url.rsplit("/", 1)[1]
    client = client_mod.AuthenticatedClient(base_url=base, token="bench-token")
    body = case.body
    pooled = httpx.Client(transport=httpx.MockTransport(case.handler()))
    transport = httpx.MockTransport(case.handler())

    def shared_pool(*, method: str, url: str, headers: Any, json: Any, timeout: Any, **_: Any) -> httpx.Response:
        return pooled.request(method, url, headers=headers, json=json, timeout=timeout)

    def as_shipped(*, method: str, url: str, verify: Any, cookies: Any, timeout: Any, **kwargs: Any) -> httpx.Response:
        # httpx.request(): a new Client per call (with its SSL context), the network swapped for the mock.
        with httpx.Client(verify=verify, cookies=cookies, timeout=timeout, mounts={"all://": transport}) as http:
            return http.request(method, url, **kwargs)

    def bound(shim: _HttpxShim) -> Callable[[], object]:
        def update() -> object:
            module.__dict__["httpx"] = shim
            result = module.sync(order_id, client=client, json_body=update_mod.OrderUpdate.from_dict(body))
            if result is None:
                raise RuntimeError("the generated client returned None (unexpected status)")
            return result

        return update

    return {"shared pool": bound(_HttpxShim(shared_pool)), "as shipped": bound(_HttpxShim(as_shipped))}


def generated_commercelayer_parse() -> Callable[[bytes], object] | None:
    """The generated client's answer parser (``PATCHordersorderIdResponse200.from_dict``) over ``json.loads``."""
    if _generated_module() is None:
        return None
    cls = importlib.import_module(
        "commercelayer.models.patc_hordersorder_id_response_200"
    ).PATCHordersorderIdResponse200
    return lambda content: cls.from_dict(json.loads(content))
