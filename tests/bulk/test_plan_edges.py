"""Planning an update without sending it: the exact call, its key and idempotency per vendor, sync and
async alike, the key derivation and the dry-run record. Nothing here reaches the network
(pytest-httpx fails a test that sends).

These pin the behaviour a mutation run of ``orderpatch/bulk/_plan.py`` changes (mutation/config.toml).
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import Config, OrderChanges
from orderpatch._base_client import AsyncAPIClient, SyncAPIClient
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk._plan import (
    KEYED_VENDORS,
    PlannedCall,
    capturing_copy,
    derive_idempotency_key,
    dry_run_record,
    plan_call,
)
from orderpatch.commercelayer import OrderUpdate as CLUpdate
from tests.trunkery._fixtures import SHOP_ID, TOKEN

LS_KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"
CONFIGS: dict[str, dict[str, object]] = {
    "licensespring": {"api_key": LS_KEY},
    "trunkery": {"token": TOKEN, "shop_id": SHOP_ID},
    "commercelayer": {"base_url": "https://acme.commercelayer.io", "access_token": "tok-1"},
}
TRUNKERY_ID = "or_EQzGqWoY"


def config(vendor: str, **extra: object) -> Config:
    return Config.from_mapping({"vendor": vendor, **CONFIGS[vendor], **extra})


def planned(vendor: str, request: object, order_id: str = "7", *, key: str | None = None, asynchronous: bool = False,
            **extra: object) -> PlannedCall:
    adapter = adapter_for(vendor)
    if asynchronous:
        aclient = adapter.open_async(config(vendor, **extra))
        try:
            capturing: SyncAPIClient | AsyncAPIClient = capturing_copy(aclient)
            assert isinstance(capturing, AsyncAPIClient)
            return plan_call(adapter, capturing, order_id, request, idempotency_key=key)  # type: ignore[arg-type]
        finally:
            asyncio.run(aclient.close())
    client = adapter.open_sync(config(vendor, **extra))
    try:
        return plan_call(adapter, capturing_copy(client), order_id, request, idempotency_key=key)  # type: ignore[arg-type]
    finally:
        client.close()


def seen(plan: PlannedCall) -> tuple[object, ...]:
    request = plan.call.request
    return request.method, str(request.url), request.content, plan.idempotent, plan.idempotency_key, plan.options


# ---------------------------------------------------------------------------------------- keys


def test_the_key_is_derived_from_the_job_the_order_and_the_change() -> None:
    digest = hashlib.sha256(b"job-1\nR7\n{\"email\":\"a@b.co\"}").hexdigest()
    key = derive_idempotency_key("job-1", "R7", '{"email":"a@b.co"}')
    assert key == f"orderpatch-bulk-{digest[:40]}"
    assert len(key) == len("orderpatch-bulk-") + 40
    assert derive_idempotency_key("job-1", "R7", '{"email":"a@b.co"}') == key  # the same on every resume
    assert derive_idempotency_key("job-2", "R7", '{"email":"a@b.co"}') != key
    assert derive_idempotency_key("job-1", "R8", '{"email":"a@b.co"}') != key
    assert derive_idempotency_key("job-1", "R7", '{"email":"b@b.co"}') != key


def test_the_keyed_vendors_take_the_key_as_an_option() -> None:
    assert KEYED_VENDORS == {"trunkery": "idempotency_key", "spree_admin": "idempotency_key"}


# ---------------------------------------------------------------------------------------- plans


def test_a_plain_update_is_planned_as_sent_and_idempotent(httpx_mock: HTTPXMock) -> None:
    request = adapter_for("licensespring").prepare(OrderChanges(reference="R"))
    plan = planned("licensespring", request)
    assert seen(plan) == ("PATCH", "https://saas.licensespring.com/api/v1/orders/7/", b'{"store_id":"R"}', True, None,
                          {})
    assert plan.call.idempotent is True
    # A vendor without keys ignores one given: nothing in the call, and the plan has none.
    assert seen(planned("licensespring", request, key="k-1")) == seen(plan)
    assert httpx_mock.get_requests() == []


def test_a_keyed_vendor_carries_the_given_key(httpx_mock: HTTPXMock) -> None:
    request = adapter_for("trunkery").prepare(OrderChanges(email="a@b.co"))
    plan = planned("trunkery", request, TRUNKERY_ID, key="orderpatch-bulk-1")
    method, url, content, idempotent, key, options = seen(plan)
    assert (method, content, idempotent, key, options) == ("POST", b'[{"customer_email":"a@b.co"}]', True,
                                                           "orderpatch-bulk-1", {})
    assert url == f"https://api.lana.dev/orders.json?ids={TRUNKERY_ID}&shop_id={SHOP_ID}"
    assert plan.call.idempotent is False  # a POST: only its key makes it safe to send again
    assert plan.call.idempotency_key == "orderpatch-bulk-1"
    assert plan.call.request.headers["Idempotency-Key"] == "orderpatch-bulk-1"
    assert httpx_mock.get_requests() == []


def test_a_post_without_a_key_is_not_idempotent(httpx_mock: HTTPXMock) -> None:
    request = adapter_for("trunkery").prepare(OrderChanges(email="a@b.co"))
    plan = planned("trunkery", request, TRUNKERY_ID, max_retries=0)  # no retries: the vendor code adds no key
    assert (plan.call.idempotent, plan.idempotency_key, plan.idempotent) == (False, None, False)
    generated = planned("trunkery", request, TRUNKERY_ID)  # with retries, the vendor code makes one up
    assert generated.idempotency_key is not None
    assert generated.idempotent is True
    assert httpx_mock.get_requests() == []


def test_a_trigger_is_planned_as_not_idempotent(httpx_mock: HTTPXMock) -> None:
    plan = planned("commercelayer", CLUpdate(archive=True), "Arch000001")
    method, url, _, idempotent, key, _ = seen(plan)
    assert (method, url, idempotent, key) == ("PATCH", "https://acme.commercelayer.io/api/orders/Arch000001", False,
                                              None)
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(("vendor", "order_id", "changes", "key"), [
    ("licensespring", "7", OrderChanges(reference="R"), None),
    ("trunkery", TRUNKERY_ID, OrderChanges(email="a@b.co"), "orderpatch-bulk-2"),
    ("commercelayer", "Arch000001", OrderChanges(reference="R"), None),
])
def test_the_async_plan_is_the_sync_plan(httpx_mock: HTTPXMock, vendor: str, order_id: str, changes: OrderChanges,
                                         key: str | None) -> None:
    request = adapter_for(vendor).prepare(changes)
    assert seen(planned(vendor, request, order_id, key=key, asynchronous=True)) == \
        seen(planned(vendor, request, order_id, key=key))
    assert httpx_mock.get_requests() == []


def test_the_capturing_copy_leaves_the_client_alone(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"id": 7, "store_id": "R", "metadata": {}, "license_users": []})
    adapter = adapter_for("licensespring")
    client = adapter.open_sync(config("licensespring"))
    with client:
        capturing = capturing_copy(client)
        assert capturing is not client
        plan_call(adapter, capturing, "7", adapter.prepare(OrderChanges(reference="R")))
        assert httpx_mock.get_requests() == []
        adapter.send(client, "7", adapter.prepare(OrderChanges(reference="R")), {})  # the original still sends
    assert len(httpx_mock.get_requests()) == 1


# ---------------------------------------------------------------------------------------- dry run


def test_the_dry_run_record_shows_the_call() -> None:
    request = adapter_for("trunkery").prepare(OrderChanges(email="a@b.co"))
    plan = planned("trunkery", request, TRUNKERY_ID, key="orderpatch-bulk-3")
    assert dry_run_record(4, TRUNKERY_ID, plan) == {
        "line": 4, "id": TRUNKERY_ID, "method": "POST",
        "url": f"https://api.lana.dev/orders.json?ids={TRUNKERY_ID}&shop_id={SHOP_ID}",
        "body": [{"customer_email": "a@b.co"}], "idempotency_key": "orderpatch-bulk-3", "idempotent": True,
    }


def test_the_dry_run_record_redacts_secrets_in_the_url() -> None:
    import httpx

    from orderpatch._spec import Call

    call: Any = Call(request=httpx.Request("GET", "https://x.example/orders?id=1&token=s3cret"), parse=lambda r: r,
                     idempotent=True)
    record = dry_run_record(1, "1", PlannedCall(call=call, options={}, idempotent=True, idempotency_key=None))
    assert record["url"] == "https://x.example/orders?id=1&token=%2A%2A%2A"
    assert record["body"] is None  # no body
    assert record["method"] == "GET"


def test_a_body_that_is_not_json_is_shown_as_text() -> None:
    import httpx

    from orderpatch._spec import Call

    request = httpx.Request("POST", "https://x.example/orders", content=b"id=1&note=caf\xc3\xa9 \xff")
    call: Any = Call(request=request, parse=lambda r: r, idempotent=False)
    record = dry_run_record(2, "1", PlannedCall(call=call, options={}, idempotent=False, idempotency_key=None))
    assert record["body"] == "id=1&note=café \ufffd"


def test_an_adapter_that_sends_nothing_is_a_bug_named_for_its_vendor(httpx_mock: HTTPXMock) -> None:
    class Silent:
        vendor = "silent"

        def send(self, client: object, order_id: str, request: object, options: object) -> None:
            return None

    client = adapter_for("licensespring").open_sync(config("licensespring"))
    with client, pytest.raises(AssertionError) as info:
        plan_call(Silent(), capturing_copy(client), "7", adapter_for("licensespring").prepare(
            OrderChanges(reference="R")))
    assert str(info.value) == "silent: the update did not go through client.request"
