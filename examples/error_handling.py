"""Catch orderpatch's errors by meaning, and read what the vendor said.

* ``ValidationError`` — your input was wrong; nothing was sent.
* ``NotFound``, ``UnprocessableEntity``, ``Conflict``, ``AuthenticationError`` … — the vendor
  answered with an error; ``status``, ``code``, ``message``, ``errors`` and ``request_id`` say why.
* ``TransportError`` (``Timeout``, ``ConnectionFailed``) — no usable answer arrived.

Runs against the bundled local sandbox (``pip install 'orderpatch[sandbox]'``).
"""

from __future__ import annotations

import orderpatch
from orderpatch import trunkery
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate
from orderpatch.sandbox import SANDBOX_CREDENTIALS, Sandbox


def main() -> None:
    with Sandbox() as sandbox, LicenseSpringClient(**sandbox.settings("licensespring")) as ls:
        # 1. Bad input never leaves your process.
        try:
            ls.orders.update("../admin", OrderUpdate(is_test=True))
        except orderpatch.ValidationError as error:
            print(f"ValidationError on {error.field}: {error}")

        # 2. The vendor's own message, status and code.
        try:
            ls.orders.update(999, OrderUpdate(is_test=True))
        except orderpatch.NotFound as error:
            print(f"NotFound: status={error.status} vendor={error.vendor} message={error.message!r}")

        # 3. A vendor error code mapped to a class: Trunkery's 997 NoPermissions.
        read_only = SANDBOX_CREDENTIALS["trunkery"]["read_only_token"]
        settings = sandbox.settings("trunkery")
        with trunkery.TrunkeryClient(
            token=read_only, shop_id=settings["shop_id"], base_url=settings["base_url"]
        ) as shop:
            try:
                shop.orders.modify("or_EQzGqWoY", trunkery.OrderModify(customer_email="new@example.com"))
            except orderpatch.PermissionDenied as error:
                print(f"PermissionDenied: code={error.code} message={error.message!r}")
                print(f"token in the message: {read_only in str(error)}")  # tokens never appear in errors

        # 4. Everything orderpatch raises is an OrderPatchError.
        try:
            ls.orders.update(1629789747117569, OrderUpdate(customer=424242))
        except orderpatch.OrderPatchError as error:
            print(f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    main()
