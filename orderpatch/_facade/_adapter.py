"""What every vendor adapter shares: the mapping rules, the change checks, and the client calls.

An adapter module (``_spree.py``, …) declares, for each ``OrderChanges`` field, either the
vendor field it goes to (``To``) or why it cannot (``Unsupported``), plus how to read the
vendor's order into an ``UpdatedOrder``. The vendor package is imported the first time the
adapter is used, so configuring one vendor never loads the others.
"""

from __future__ import annotations

import abc
import functools
import importlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import attrs
import cattrs

from .._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient
from .._config import Config
from .._http import httpx
from .._models import RequestModel
from .._probe import Probe
from .._spec import Call
from .._types import JSONValue
from ..errors import ConfigurationError, UnsupportedChange, ValidationError
from ._changes import OrderChanges, UpdatedOrder

__all__ = ["Binding", "Rule", "To", "Unsupported", "VendorAdapter"]


@attrs.frozen
class To:
    """An ``OrderChanges`` field the vendor takes, as its request field ``field``.

    ``convert`` turns the neutral value into the vendor's (not called for ``None``);
    ``no_null`` is the reason ``None`` is refused, or ``None`` when the vendor can clear it.
    """

    field: str
    convert: Callable[[Any], object] | None = None
    no_null: str | None = None
    note: str = ""


@attrs.frozen
class Unsupported:
    """An ``OrderChanges`` field the vendor cannot take; ``alternative`` names what may do instead."""

    alternative: str
    note: str = ""


Rule = To | Unsupported


@attrs.frozen(kw_only=True)
class Binding:
    """The vendor package's classes, loaded on first use."""

    update_type: type[RequestModel]
    sync_client: Callable[..., SyncAPIClient]
    async_client: Callable[..., AsyncAPIClient]
    converter: cattrs.Converter


def _owner_vendor(obj: object) -> str | None:
    """``spree`` for an object of a class defined under ``orderpatch.spree``; else ``None``."""
    from .._config import VENDORS

    parts = type(obj).__module__.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "orderpatch" and parts[1] in VENDORS else None


class VendorAdapter(abc.ABC):
    """The facade's view of one vendor: neutral changes in, its request out; its order in, ``UpdatedOrder`` out."""

    vendor: ClassVar[str]
    #: One rule per ``OrderChanges`` field.
    rules: ClassVar[Mapping[str, Rule]]
    #: The names, in the vendor package, of its request class and its sync and async clients.
    classes: ClassVar[tuple[str, str, str]]
    #: The method of ``client.orders`` that sends the update.
    method: ClassVar[str] = "update"
    #: One rule per ``orderpatch.OrderFilter`` field the vendor can apply (``_reading.py``); others are refused.
    filters: ClassVar[Mapping[str, Rule]] = {}

    def _bind(self) -> Binding:
        """Import the vendor package (``orderpatch.<vendor>``) and its codec; return their classes."""
        package = importlib.import_module(f"orderpatch.{self.vendor}")
        codec = importlib.import_module(f"orderpatch.{self.vendor}._codec")
        update_type, sync_client, async_client = (getattr(package, name) for name in self.classes)
        return Binding(
            update_type=update_type, sync_client=sync_client, async_client=async_client, converter=codec.converter
        )

    @abc.abstractmethod
    def normalize(self, order: Any) -> UpdatedOrder:
        """The normalized view of the vendor's order."""

    def check_call(self, client: SyncAPIClient | AsyncAPIClient) -> Call[Probe]:
        """**Extension point of** ``orderpatch check`` **and** ``check_connection()``: the vendor's
        no-change probe, a read-only ``Call`` that proves the credentials and reachability.

        By default the pure ``orderpatch.<vendor>._check.build_check_request(client.base_url)``
        (see ``orderpatch._probe``); an adapter whose probe needs more of the client (Trunkery's
        ``shop_id``) overrides it.
        """
        check = importlib.import_module(f"orderpatch.{self.vendor}._check")
        call: Call[Probe] = check.build_check_request(client.base_url)
        return call

    @functools.cached_property
    def binding(self) -> Binding:
        """The vendor's classes (imports the vendor package the first time)."""
        return self._bind()

    def prepare(self, changes: object) -> RequestModel:
        """The vendor request for ``changes``: mapped from ``OrderChanges``, or the vendor's own class as is.

        Raises ``UnsupportedChange``/``ValidationError`` for what cannot be sent and
        ``ConfigurationError`` for another vendor's request class, all before any I/O.
        """
        if isinstance(changes, OrderChanges):
            return self.translate(changes)
        update_type = self.binding.update_type
        if isinstance(changes, update_type):
            return changes
        expected = f"orderpatch.OrderChanges or orderpatch.{self.vendor}.{update_type.__name__}"
        owner = _owner_vendor(changes)
        if owner is not None:
            raise ConfigurationError(
                f"changes: orderpatch.{owner}.{type(changes).__name__} is a {owner} request, but the configured "
                f"vendor is {self.vendor}; pass {expected}",
                key="vendor",
            )
        raise ValidationError(
            f"changes: expected {expected}, got {type(changes).__name__}", field="changes", expected=expected
        )

    def from_json(self, data: object) -> RequestModel:
        """The vendor's own request class built from JSON data (its Python field names)."""
        from ._native import model_from_json

        update_type = self.binding.update_type
        request = model_from_json(update_type, data, where=f"{self.vendor}.{update_type.__name__}")
        assert isinstance(request, update_type)
        return request

    def translate(self, changes: OrderChanges) -> RequestModel:
        """Map neutral changes to the vendor's request class, field by field (see ``rules``)."""
        names = changes.changed_fields()
        if not names:
            raise ValidationError("OrderChanges: no field is set; nothing to update", field="OrderChanges")
        for name in names:
            rule = self.rules[name]
            if isinstance(rule, Unsupported):
                raise UnsupportedChange(vendor=self.vendor, field=name, alternative=rule.alternative)
        kwargs: dict[str, object] = {}
        for name in names:
            rule = self.rules[name]
            assert isinstance(rule, To)
            value = getattr(changes, name)
            if value is None and rule.no_null is not None:
                where = f"OrderChanges.{name}"
                raise ValidationError(
                    f"{where}: None (clear the field) is not possible on {self.vendor}: {rule.no_null}",
                    field=where,
                    expected="a value",
                )
            kwargs[rule.field] = value if value is None or rule.convert is None else rule.convert(value)
        return self.binding.update_type(**kwargs)

    def open_sync(self, config: Config, http_client: httpx.Client | None = None) -> SyncAPIClient:
        """A new vendor client (its own connection pool unless ``http_client`` is given)."""
        return self.binding.sync_client(**self.client_options(config), **_budget(config), http_client=http_client)

    def open_async(self, config: Config, http_client: httpx.AsyncClient | None = None) -> AsyncAPIClient:
        """A new async vendor client."""
        return self.binding.async_client(**self.client_options(config), **_budget(config), http_client=http_client)

    def client_options(self, config: Config) -> dict[str, object]:
        """The vendor client's constructor arguments from the configuration."""
        return dict(config.settings)

    def send(
        self, client: SyncAPIClient, order_id: int | str, request: RequestModel, options: RequestOptions
    ) -> object:
        """``client.orders.update(order_id, request, **options)``."""
        orders: Any = client.orders  # type: ignore[attr-defined]
        return getattr(orders, self.method)(order_id, request, **options)

    async def asend(
        self, client: AsyncAPIClient, order_id: int | str, request: RequestModel, options: RequestOptions
    ) -> object:
        """``await client.orders.update(order_id, request, **options)``."""
        orders: Any = client.orders  # type: ignore[attr-defined]
        return await getattr(orders, self.method)(order_id, request, **options)

    def unstructure(self, order: object) -> JSONValue:
        """The vendor's order as JSON data, by the vendor's own converter."""
        data: JSONValue = self.binding.converter.unstructure(order)
        return data


def _budget(config: Config) -> dict[str, object]:
    """``{"rate_limiter": …}`` when the configuration names a shared budget (docs/shared-budget.md)."""
    from ._budget import rate_limiter_for

    limiter = rate_limiter_for(config)
    return {} if limiter is None else {"rate_limiter": limiter}
