"""Read one order, select orders with a typed filter, and update every order a walk selects.

* ``client.orders.retrieve(id)`` reads one order; ``client.orders.list(filter)`` is an iterator
  over every order the filter selects, fetching pages as it goes (keyset pages: updating the
  orders while walking them neither skips nor repeats one);
* a misspelled filter is refused before any request, because the vendor would ignore it and
  list every order;
* the facade does the same for whichever vendor is configured: ``orderpatch.iter_orders``.

Runs against the bundled local sandbox (``pip install 'orderpatch[sandbox]'``), seeded with 200
generated orders per vendor.
"""

from __future__ import annotations

import datetime as dt

import orderpatch
from orderpatch.commercelayer import CommerceLayerClient, OrderFilter, OrderStatus
from orderpatch.sandbox import Sandbox


def main() -> None:
    with Sandbox(orders=200) as sandbox:
        with CommerceLayerClient(**sandbox.settings("commercelayer")) as client:
            order = client.orders.retrieve("sbx0000000", fields={"orders": ["status", "number", "customer_email"]})
            print(f"order {order.id}: number {order.number}, {order.status}, {order.customer_email}")

            placed = OrderFilter(status=OrderStatus.PLACED, created_gte=dt.datetime(2026, 1, 3, tzinfo=dt.UTC))
            first = client.orders.list_page(placed, page_size=5)
            print(f"{first.total_count} placed orders match; first page: {[o.id for o in first.items]}")

            approved = 0
            for order in client.orders.list(placed):  # pages of 25, walked by id
                client.orders.approve(order.id)  # the order leaves the selection: the keyset does not care
                approved += 1
            print(f"approved {approved} orders; {client.orders.list_page(placed).total_count} placed ones left")
            assert approved == first.total_count

            try:
                OrderFilter(raw={"stauts_in": "placed"})
            except orderpatch.ValidationError as error:
                print(f"refused before sending: {error.field}")

        config = orderpatch.Config.from_mapping({"vendor": "spree", **sandbox.settings("spree")})
        selection = orderpatch.OrderFilter(status="complete", email="buyer5@example.com")
        for found in orderpatch.iter_orders(selection, config=config, limit=3):
            print(f"spree {found.number}: {found.status}, {found.email}, total {found.total} {found.currency}")
        try:
            orderpatch.iter_orders(orderpatch.OrderFilter(tags=["vip"]), config=config)
        except orderpatch.UnsupportedFilter as error:
            print(f"refused before sending: {error}")


if __name__ == "__main__":
    main()
