"""Testing your own code that uses orderpatch, without a vendor account or a network.

``mark_vip`` below stands for your application code. Most of its tests hand the client an
``httpx.MockTransport`` (any ``http_client=`` works), then assert on exactly what was sent and
on how errors are handled; the last one runs it against ``orderpatch.sandbox``, a whole local
vendor on a real loopback socket. The same tests run under pytest
(``pytest examples/testing_with_orderpatch.py``) or as a script, with only the ``sandbox``
extra installed. pytest-httpx's ``httpx_mock`` fixture works too.
"""

from __future__ import annotations

import json

import httpx

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
    caught: orderpatch.ServerError | None = None
    with client_answering(transport) as client:
        try:
            mark_vip(client, 42)
        except orderpatch.ServerError as error:  # pytest.raises reads better; this file runs without pytest too
            caught = error
    assert caught is not None, "expected orderpatch.ServerError"
    assert caught.message == "database down"
    assert caught.status == 500


def test_mark_vip_against_the_local_sandbox() -> None:
    from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox

    with Sandbox() as sandbox, LicenseSpringClient(**sandbox.settings("licensespring")) as client:
        assert mark_vip(client, int(DEMO_ORDER_IDS["licensespring"])) is True
        assert mark_vip(client, 42) is False
        patches = [r for r in sandbox.requests_log() if r.method == "PATCH"]
    assert [json.loads(r.body) for r in patches] == [{"metadata": {"tier": "vip"}}] * 2


if __name__ == "__main__":
    for test in (
        test_mark_vip_sends_one_patch_with_only_the_metadata,
        test_mark_vip_reports_a_missing_order,
        test_other_vendor_errors_propagate_with_the_vendor_message,
        test_mark_vip_against_the_local_sandbox,
    ):
        test()
        print(f"passed: {test.__name__}")
