"""``OrderPatch``/``AsyncOrderPatch``, the default configuration, call options, and light imports."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch._facade import AsyncOrderPatch, OrderChanges, OrderPatch, aupdate_order, update_order
from orderpatch.errors import ConfigurationError, NotFound
from tests.facade._support import LS_KEY, ORDER_IDS, SPREE_TOKEN, URLS, config, seed_response

LS = "licensespring"
CHANGES = OrderChanges(reference="patched_store_id")


def answer(httpx_mock: HTTPXMock, times: int = 1) -> None:
    for _ in range(times):
        httpx_mock.add_response(method="PATCH", url=URLS[LS], json=seed_response(LS))


def test_order_patch_holds_one_client_for_its_lifetime(httpx_mock: HTTPXMock) -> None:
    answer(httpx_mock, 3)
    with OrderPatch(config(LS)) as patch:
        client = patch.client
        orders = [patch.update_order(ORDER_IDS[LS], CHANGES) for _ in range(3)]
        assert patch.client is client
    assert client._http.is_closed
    assert {order.reference for order in orders} == {"patched_store_id"}
    assert type(client).__name__ == "LicenseSpringClient"
    assert LS_KEY not in repr(patch)
    assert repr(patch).startswith("OrderPatch(Config(vendor='licensespring', api_key=Secret('***')")


async def test_async_order_patch_holds_one_client_for_its_lifetime(httpx_mock: HTTPXMock) -> None:
    answer(httpx_mock, 3)
    async with AsyncOrderPatch(config(LS)) as patch:
        client = patch.client
        for _ in range(3):
            order = await patch.update_order(ORDER_IDS[LS], CHANGES)
        assert order.id == ORDER_IDS[LS]
    assert client._http.is_closed
    assert type(client).__name__ == "AsyncLicenseSpringClient"


def test_a_given_http_client_is_used_and_left_open(httpx_mock: HTTPXMock) -> None:
    answer(httpx_mock)
    with httpx.Client() as http, OrderPatch(config(LS), http_client=http) as patch:
        patch.update_order(ORDER_IDS[LS], CHANGES)
        patch.close()
        assert not http.is_closed


async def test_a_given_async_http_client_is_used_and_left_open(httpx_mock: HTTPXMock) -> None:
    answer(httpx_mock)
    async with httpx.AsyncClient() as http:
        async with AsyncOrderPatch(config(LS), http_client=http) as patch:
            await patch.update_order(ORDER_IDS[LS], CHANGES)
        assert not http.is_closed


def test_without_config_the_environment_is_used(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    httpx_mock.add_response(method="PATCH", url=URLS["spree"], json=seed_response("spree"))
    monkeypatch.delenv("ORDERPATCH_CONFIG", raising=False)
    monkeypatch.setenv("ORDERPATCH_VENDOR", "spree")
    monkeypatch.setenv("ORDERPATCH_SPREE_BASE_URL", "https://shop.example.com")
    monkeypatch.setenv("ORDERPATCH_SPREE_ACCESS_TOKEN", SPREE_TOKEN)
    order = update_order(ORDER_IDS["spree"], OrderChanges(email="new@example.com"))
    assert (order.vendor, order.number) == ("spree", "R484277352")
    assert httpx_mock.get_requests()[0].headers["Authorization"] == f"Bearer {SPREE_TOKEN}"
    with OrderPatch() as patch:
        assert patch.config.vendor == "spree"


async def test_without_any_configuration_the_error_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ORDERPATCH_CONFIG", "ORDERPATCH_VENDOR"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match=r"^vendor: not configured; set ORDERPATCH_VENDOR"):
        await aupdate_order("1", CHANGES)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_call_options_reach_the_vendor_client(httpx_mock: HTTPXMock, is_async: bool) -> None:
    httpx_mock.add_response(method="PATCH", url=URLS[LS] + "?dry=1", json=seed_response(LS))
    options = {"extra_headers": {"X-Trace": "abc"}, "extra_query": {"dry": "1"}, "timeout": 3.0}
    if is_async:
        await aupdate_order(ORDER_IDS[LS], CHANGES, config=config(LS), **options)  # type: ignore[arg-type]
    else:
        update_order(ORDER_IDS[LS], CHANGES, config=config(LS), **options)  # type: ignore[arg-type]
    request = httpx_mock.get_requests()[0]
    assert request.headers["X-Trace"] == "abc"
    assert request.url.params["dry"] == "1"
    assert request.extensions["timeout"]["read"] == 3.0


def test_vendor_errors_come_through_unchanged(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=URLS[LS], status_code=404, json={"message": "ain't no cake like that"})
    with pytest.raises(NotFound) as exc_info:
        update_order(ORDER_IDS[LS], CHANGES, config=config(LS))
    assert str(exc_info.value) == "licensespring answered 404: ain't no cake like that"


def test_the_facade_imports_only_the_configured_vendor() -> None:
    code = (
        "import sys, orderpatch._facade as f, orderpatch._config as c\n"
        "before = sorted(m for m in sys.modules if m.split('.')[1:2] and m.split('.')[1] in c.VENDORS)\n"
        "f._registry.adapter_for('licensespring').binding\n"
        "after = sorted({m.split('.')[1] for m in sys.modules if m.split('.')[1:2] and m.split('.')[1] in c.VENDORS})\n"
        "print(before, after)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] ['licensespring']"


def test_import_orderpatch_and_the_cli_load_no_vendor_nor_the_facade() -> None:
    code = "import json, sys, orderpatch.cli\nprint(json.dumps([m for m in sys.modules if 'orderpatch' in m]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name for name in json.loads(out.stdout) if not name.startswith("orderpatch._cli_")}  # light: argparse
    assert loaded <= {"orderpatch", "orderpatch._types", "orderpatch._version", "orderpatch.cli"}


async def test_trunkery_without_a_shop_is_a_configuration_error_before_any_request(httpx_mock: HTTPXMock) -> None:
    from orderpatch import Config

    no_claim = Config("trunkery", token="an-opaque-token-0123456789")  # not a JWT: no shop_id claim
    message = r"^shop_id: missing; set ORDERPATCH_TRUNKERY_SHOP_ID \(or shop_id in \[orderpatch.trunkery\]\)"
    with pytest.raises(ConfigurationError, match=message) as info:
        update_order("or_EQzGqWoY", OrderChanges(email="a@b.co"), config=no_claim)
    assert info.value.key == "shop_id"
    with pytest.raises(ConfigurationError, match=message):
        await aupdate_order("or_EQzGqWoY", OrderChanges(email="a@b.co"), config=no_claim)
    assert httpx_mock.get_requests() == []
