"""Quickstart: update one order on each vendor, through the facade and a sub-client.

With no configuration this starts the bundled local sandbox on a free loopback port (needs
``pip install 'orderpatch[sandbox]'``; no credentials, no internet) and updates one seeded order
per vendor. With ``ORDERPATCH_VENDOR`` (and that vendor's ``ORDERPATCH_<VENDOR>_*`` settings)
and ``ORDERPATCH_ORDER_ID`` set, it updates that order on the real vendor instead.

    python examples/quickstart.py
"""

from __future__ import annotations

import os

import orderpatch
from orderpatch import OrderChanges, UpdatedOrder

#: One vendor-neutral change per vendor, using fields that vendor can take (docs/facade.md).
CHANGES: dict[str, OrderChanges] = {
    "commercelayer": OrderChanges(email="ada@example.com", reference="CRM-1001"),
    "spree": OrderChanges(email="ada@example.com", note="Called the customer on Monday"),
    "licensespring": OrderChanges(reference="CRM-1001", metadata={"crm": {"id": 1001}}),
    "trunkery": OrderChanges(email="ada@example.com", tags=["vip"]),
    "spree_admin": OrderChanges(email="ada@example.com", note="Called the customer on Monday", tags=["vip"]),
}


#: Printed after the sandbox run: the same script against a real account.
REAL_ACCOUNT_HINT = """
Done. To run the same script against a real account, set the vendor, its credentials and an order:
  export ORDERPATCH_VENDOR=spree
  export ORDERPATCH_SPREE_BASE_URL=https://shop.example.com
  export ORDERPATCH_SPREE_CLIENT_ID=... ORDERPATCH_SPREE_CLIENT_SECRET=...
  export ORDERPATCH_ORDER_ID=R123456789
  orderpatch check                     # credentials and reachability, nothing changed
  python examples/quickstart.py
Each vendor's settings: docs/facade.md, "Settings per vendor" (or `orderpatch check --help`)."""


def show(how: str, order: UpdatedOrder, changes: OrderChanges) -> None:
    changed = ", ".join(f"{name}={getattr(changes, name)!r}" for name in changes.changed_fields())
    total = f"{order.total} {order.currency}" if order.total is not None else "-"
    print(f"  {how:<10} {order.vendor:<14} id={order.id} changed {changed}")
    print(f"  {'':<10} {'':<14} now: number={order.number} email={order.email} status={order.status} "
          f"total={total} reference={order.reference}")


def against_real_vendor(order_id: str) -> None:
    config = orderpatch.Config.from_env()
    changes = CHANGES[config.vendor]
    print(f"Updating {config.vendor} order {order_id}: {', '.join(changes.changed_fields())}")
    show("facade", orderpatch.update_order(order_id, changes, config=config), changes)


def against_sandbox() -> None:
    from orderpatch.commercelayer import CommerceLayerClient
    from orderpatch.commercelayer import OrderUpdate as CommerceLayerUpdate
    from orderpatch.licensespring import LicenseSpringClient
    from orderpatch.licensespring import OrderUpdate as LicenseSpringUpdate

    try:
        from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox
    except ImportError as exc:  # the 'sandbox' extra is missing: the message says what to install
        raise SystemExit(f"quickstart: {exc}") from None
    from orderpatch.spree import OrderUpdate as SpreeUpdate
    from orderpatch.spree import SpreeClient
    from orderpatch.spree_admin import OrderUpdate as SpreeAdminUpdate
    from orderpatch.spree_admin import SpreeAdminClient
    from orderpatch.trunkery import OrderModify, TrunkeryClient

    with Sandbox() as sandbox:
        print(f"Local sandbox at {sandbox.url}")
        # 1. The facade: the vendor comes from configuration, the change is vendor-neutral.
        for vendor, changes in CHANGES.items():
            config = orderpatch.Config.from_mapping({"vendor": vendor, **sandbox.settings(vendor)})
            show("facade", orderpatch.update_order(DEMO_ORDER_IDS[vendor], changes, config=config), changes)

        # 2. The sub-clients: each vendor's full API with precise types.
        with CommerceLayerClient(**sandbox.settings("commercelayer")) as cl:
            order = cl.orders.update(DEMO_ORDER_IDS["commercelayer"], CommerceLayerUpdate(language_code="it"))
            print(f"  sub-client commercelayer  {order.number}: language_code={order.language_code}")
        with SpreeClient(**sandbox.settings("spree")) as spree:
            cart = spree.orders.update(DEMO_ORDER_IDS["spree"], SpreeUpdate(special_instructions="Leave at door"))
            print(f"  sub-client spree          {cart.number}: special_instructions={cart.special_instructions!r}")
        with LicenseSpringClient(**sandbox.settings("licensespring")) as ls:
            licence = ls.orders.update(DEMO_ORDER_IDS["licensespring"], LicenseSpringUpdate(is_test=True))
            print(f"  sub-client licensespring  {licence.id}: is_test={licence.is_test}")
        with TrunkeryClient(**sandbox.settings("trunkery")) as shop:
            modified = shop.orders.modify(DEMO_ORDER_IDS["trunkery"], OrderModify(mobile="+15555550100"))
            print(f"  sub-client trunkery       {modified.id}: mobile={modified.mobile}")
        with SpreeAdminClient(**sandbox.settings("spree_admin")) as admin:
            draft = admin.orders.retrieve_by_number("R801110570")  # v3 paths take the or_… id, not the number
            draft = admin.orders.update(draft.id, SpreeAdminUpdate(customer_note="Leave at door"))
            print(f"  sub-client spree_admin    {draft.number}: customer_note={draft.customer_note!r}")
    print(REAL_ACCOUNT_HINT)


def main() -> None:
    order_id = os.environ.get("ORDERPATCH_ORDER_ID")
    if os.environ.get("ORDERPATCH_VENDOR"):
        if not order_id:
            raise SystemExit("ORDERPATCH_VENDOR is set: set ORDERPATCH_ORDER_ID to the order to update as well")
        against_real_vendor(order_id)
    else:
        against_sandbox()


if __name__ == "__main__":
    main()
