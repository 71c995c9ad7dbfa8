"""``GET /_sandbox/``, the admin URL the banner prints, answers with what the sandbox serves."""

from __future__ import annotations

from orderpatch.sandbox import DEMO_ORDER_IDS, VENDORS, Sandbox
from tests.sandbox.sandbox_support import plain_client


def test_the_admin_index_lists_endpoints_vendors_and_demo_orders(sandbox: Sandbox) -> None:
    with plain_client() as http:
        index = http.get(f"{sandbox.url}/_sandbox/")
        without_slash = http.get(f"{sandbox.url}/_sandbox", follow_redirects=True)
    assert index.status_code == 200
    assert without_slash.json() == index.json()
    body = index.json()
    assert set(body["vendors"]) == set(VENDORS)
    for vendor in VENDORS:
        assert body["vendors"][vendor] == {"base_url": sandbox.base_url(vendor),
                                           "demo_order_id": DEMO_ORDER_IDS.get(vendor)}
    assert {"GET /_sandbox/", "POST /_sandbox/reset", "GET /_sandbox/knobs"} <= set(body["endpoints"])
    assert body["knobs"] == sandbox.knobs.as_dict()
    assert sandbox.requests_log() == []  # admin calls are not logged
