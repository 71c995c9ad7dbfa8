"""Testing your own code that uses orderpatch, without a vendor account or a network.

``mark_vip`` below stands for your application code. Its tests hand the client an
``httpx.MockTransport`` (any ``http_client=`` works), then assert on exactly what was sent and
on how errors are handled. The same tests run under pytest (``pytest examples/testing_with_orderpatch.py``)
or as a script. pytest-httpx's ``httpx_mock`` fixture works too, and ``orderpatch.sandbox`` gives
you a whole local vendor when you want real sockets.
"""

from __future__ import annotations

import json

import httpx
import pytest

import orderpatch
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate

ORDER = {"id": 1629789747117569, "store_id": "S-1", "is_test": False, "metadata": {"tier": "vip"}}


def mark_vip(client: LicenseSpringClient, order_id: int) -> bool:
    """Application code: tag an order as VIP; return False when the order does not exist."""
    try:
        client.orders.update(order_id, OrderUpdate(metadata={"tier": "vip"}))
    except orderpatch.NotFound:
        return False
    return True


def client_answering(handler: httpx.MockTransport) -> LicenseSpringClient:
    return LicenseSpringClient(api_key="test-key-1234", http_client=httpx.Client(transport=handler), max_retries=0)


def test_mark_vip_sends_one_patch_with_only_the_metadata() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=ORDER)

    with client_answering(httpx.MockTransport(handler)) as client:
        assert mark_vip(client, 1629789747117569) is True
    (request,) = sent
    assert request.method == "PATCH"
    assert request.url.path == "/api/v1/orders/1629789747117569/"
    assert json.loads(request.content) == {"metadata": {"tier": "vip"}}
    assert request.headers["Authorization"] == "Api-Key test-key-1234"


def test_mark_vip_reports_a_missing_order() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(404, json={"message": "no such order"}))
    with client_answering(transport) as client:
        assert mark_vip(client, 42) is False


def test_other_vendor_errors_propagate_with_the_vendor_message() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(500, json={"detail": "database down"}))
    with client_answering(transport) as client, pytest.raises(orderpatch.ServerError) as info:
        mark_vip(client, 42)
    assert info.value.message == "database down"
    assert info.value.status == 500


if __name__ == "__main__":
    for test in (
        test_mark_vip_sends_one_patch_with_only_the_metadata,
        test_mark_vip_reports_a_missing_order,
        test_other_vendor_errors_propagate_with_the_vendor_message,
    ):
        test()
        print(f"passed: {test.__name__}")
