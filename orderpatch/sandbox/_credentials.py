"""The fixed demo credentials each emulated vendor accepts.

They are constants so that examples, tests and the SDK's own test-suite can use them without a
running sandbox. Tokens the sandbox issues at run time are accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ._auth import jwt_encode

#: 2100-01-01T00:00:00Z: "never" for the demo JWTs.
_FAR_FUTURE = 4102444800
#: 2000-01-01T00:00:00Z: an instant long gone.
_LONG_AGO = 946684800

TRUNKERY_SHOP_ID: Final = "sh_EQzGqWoY"
_TRUNKERY_USER_ID: Final = "us_EQzGqWoY"


def _trunkery_key(*, permissions: list[str], wexp: int = _FAR_FUTURE, exp: int = _FAR_FUTURE) -> str:
    """A Trunkery/Lana API key: a JWT with read (``exp``) and write (``wexp``) expiries."""
    claims = {
        "exp": exp,
        "wexp": wexp,
        "user_id": _TRUNKERY_USER_ID,
        "shop_id": TRUNKERY_SHOP_ID,
        "permissions": permissions,
    }
    return jwt_encode(claims)


_TRUNKERY_ALL = ["orders.read", "orders.create", "orders.modify", "orders.delete"]

SANDBOX_CREDENTIALS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "commercelayer": MappingProxyType(
            {
                # An integration application (confidential: id + secret; may use every trigger).
                "client_id": "sandbox-integration-client-id",
                "client_secret": "sandbox-integration-client-secret",
                # A sales channel application (public: id only; "prohibited" fields are refused).
                "sales_channel_client_id": "sandbox-sales-channel-client-id",
            }
        ),
        "spree": MappingProxyType(
            {
                "client_id": "sandbox-spree-client-id",
                "client_secret": "sandbox-spree-client-secret",
            }
        ),
        "licensespring": MappingProxyType(
            # The <8 chars>.<32 chars> shape of djangorestframework-api-key, as in the vendor docs.
            {"api_key": "sandbox1.OrderpatchSandboxManagementKey01"}
        ),
        "spree_admin": MappingProxyType(
            {
                # Secret keys ('sk_' + 24 base58 characters): one with write_orders, one with read_orders only.
                "api_key": "sk_SandboxAdminWriteKey1234",
                "read_only_api_key": "sk_SandboxAdminReadKey12345",
            }
        ),
        "trunkery": MappingProxyType(
            {
                "token": _trunkery_key(permissions=_TRUNKERY_ALL),
                "shop_id": TRUNKERY_SHOP_ID,
                # Lacks the "orders.modify" bit: error 997 NoPermissions.
                "read_only_token": _trunkery_key(permissions=["orders.read"]),
                # Its write permission ("wexp") has expired: error 996 JWTInvalidForWrite.
                "write_expired_token": _trunkery_key(permissions=_TRUNKERY_ALL, wexp=_LONG_AGO),
                # Fully expired ("exp"): error 999 JWTValidationFailed.
                "expired_token": _trunkery_key(permissions=_TRUNKERY_ALL, wexp=_LONG_AGO, exp=_LONG_AGO),
            }
        ),
    }
)

#: One seeded, editable order per vendor, for demos and examples (Spree's is a cart).
DEMO_ORDER_IDS: dict[str, str] = {
    "commercelayer": "xYZkjABcde",
    "spree": "R936148131",
    "licensespring": "1629789747117569",
    "trunkery": "or_EQzGqWoY",
    "spree_admin": "or_UkLWZg9DAJ",
}
