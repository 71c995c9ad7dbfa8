"""Trunkery adapter: ``OrderChanges`` → ``trunkery.OrderModify``; ``Order`` → ``UpdatedOrder``.

Trunkery's ``ordersModify`` (README §4) takes ``customer_email``, ``currency``,
``discount_code``, ``customer_id`` (``cu_…``), ``tags`` (replaces them) and whole addresses
(``address1``, ``city``, ``country``, ``name``, ``province`` and ``zip`` required). It has no
metadata, external reference, language or note. Money comes back in minor units.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Final

from .._config import Config, env_var
from .._types import Secret
from ..errors import ConfigurationError, ValidationError
from ._adapter import Rule, To, Unsupported, VendorAdapter
from ._changes import Address, UpdatedOrder, minor_units_to_decimal

if TYPE_CHECKING:
    from .. import trunkery
    from .._base_client import AsyncAPIClient, SyncAPIClient
    from .._probe import Probe
    from .._spec import Call

_CLASS: Final = "orderpatch.trunkery.OrderModify"
_REQUIRED: Final = ("line1", "city", "postal_code", "region", "country_code")


def _address(field: str, value: Address) -> trunkery.AddressCreate:
    """Trunkery needs a whole address: street, city, ZIP, two-letter province and country, and a name."""
    from ..trunkery import AddressCreate

    missing = [name for name in _REQUIRED if name not in value.changed_fields()]
    names = [part for part in (value.first_name, value.last_name) if isinstance(part, str) and part.strip()]
    if not names:
        missing.append("first_name or last_name")
    if missing:
        expected = "line1, city, postal_code, region, country_code and a first_name or last_name"
        where = f"OrderChanges.{field}"
        raise ValidationError(
            f"{where}: Trunkery needs {expected}; missing {', '.join(missing)}", field=where, expected=expected
        )
    optional = {"address2": value.line2, "company": value.company, "phone": value.phone}
    return AddressCreate(
        address1=str(value.line1),
        city=str(value.city),
        zip=str(value.postal_code),
        province=str(value.region),
        country=str(value.country_code),
        name=" ".join(names),
        **{key: item for key, item in optional.items() if isinstance(item, str)},
    )


def _list_type(value: str | list[str]) -> str:
    """``ordersPage`` takes one ``type``."""
    values = [value] if isinstance(value, str) else list(value)
    if len(values) != 1:
        raise ValidationError(f"OrderFilter.status: Trunkery selects one type at a time, got {values!r:.60}",
                              field="OrderFilter.status", expected="one type")
    return str(values[0])


def _customer(value: str | int) -> str:
    return str(value)


class TrunkeryAdapter(VendorAdapter):
    """The facade's Trunkery mapping."""

    vendor = "trunkery"
    method = "modify"
    classes = ("OrderModify", "TrunkeryClient", "AsyncTrunkeryClient")
    rules: ClassVar[Mapping[str, Rule]] = {
        "email": To("customer_email"),
        "metadata": Unsupported(_CLASS),
        "reference": Unsupported(_CLASS),
        "currency": To("currency"),
        "coupon_code": To("discount_code"),
        "language": Unsupported(_CLASS),
        "customer_id": To("customer_id", _customer, note="a cu_… id"),
        "billing_address": To("billing_address", partial(_address, "billing_address"), note="name: first + last"),
        "shipping_address": To("shipping_address", partial(_address, "shipping_address"), note="name: first + last"),
        "note": Unsupported(_CLASS),
        "tags": To("tags", note="replaces the tags"),
    }
    filters: ClassVar[Mapping[str, Rule]] = {
        "status": To("type", _list_type, note="ordersPage type: open, paid, unpaid, canceled, …"),
        "created_gte": To("created_at_min"), "created_lt": To("created_at_max", note="the vendor's own bound"),
        "updated_gte": To("updated_at_min"), "updated_lt": To("updated_at_max", note="the vendor's own bound"),
        **{name: Unsupported("orderpatch.trunkery.TrunkeryClient.orders.retrieve" if name == "ids" else "",
                             "ordersPage cannot filter on it")
           for name in ("ids", "number", "email", "reference", "tags")},
    }

    def client_options(self, config: Config) -> dict[str, object]:
        """The settings, refused before any I/O when no shop is known: ``update_order()`` passes none per call."""
        options = super().client_options(config)
        if options.get("shop_id") is None:
            from ..trunkery._codec import shop_id_from_token

            token = options.get("token")
            if not isinstance(token, Secret) or shop_id_from_token(token.get_secret_value()) is None:
                raise ConfigurationError(
                    f"shop_id: missing; set {env_var('trunkery', 'shop_id')} (or shop_id in [orderpatch.trunkery]); "
                    "the token carries no shop_id claim to take it from",
                    key="shop_id",
                )
        return options


    def check_call(self, client: SyncAPIClient | AsyncAPIClient) -> Call[Probe]:
        """The no-change probe (``orderpatch check``): see ``orderpatch.trunkery._check``."""
        from ..trunkery._check import build_check_request

        shop_id = getattr(client, "shop_id", None)
        if not shop_id:
            raise ConfigurationError(
                "shop_id: the check needs the shop; set ORDERPATCH_TRUNKERY_SHOP_ID (or use an API key with a shop)",
                key="shop_id")
        return build_check_request(client.base_url, shop_id)

    def normalize(self, order: trunkery.Order) -> UpdatedOrder:
        """``status`` is the order ``state``; ``total`` is ``total_price`` (minor units) in major units."""
        return UpdatedOrder(
            vendor=self.vendor,
            id=order.id,
            number=str(order.number),
            email=order.customer_email,
            status=str(order.state),
            updated_at=order.updated_at,
            total=minor_units_to_decimal(order.total_price, order.currency),
            currency=order.currency,
            detail=order,
        )


ADAPTER: Final = TrunkeryAdapter()
