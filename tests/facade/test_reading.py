"""Reading through the facade and the command: ``get_order``, ``iter_orders``, the neutral filter's
mapping per vendor, and ``orderpatch get`` / ``orderpatch list`` against a populated sandbox."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest

pytest.importorskip("starlette")

from orderpatch import (
    AsyncOrderPatch,
    Config,
    OrderFilter,
    OrderPatch,
    UnsupportedFilter,
    ValidationError,
    aget_order,
    aiter_orders,
    get_order,
    iter_orders,
)
from orderpatch._facade._reading import vendor_filter
from orderpatch._facade._registry import adapter_for
from orderpatch.cli import EXIT_OK, EXIT_USAGE, EXIT_VALIDATION, main
from orderpatch.sandbox import Sandbox

pytestmark = pytest.mark.loopback

GENERATED = 30
SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(orders=GENERATED) as running:
        yield running


def configured(sandbox: Sandbox, vendor: str) -> Config:
    return Config.from_mapping({"vendor": vendor, **sandbox.settings(vendor)})


def test_an_order_patch_reads_through_its_own_client(sandbox: Sandbox) -> None:
    with OrderPatch(configured(sandbox, "commercelayer")) as patch:
        order = patch.get_order("sbx0000002")
        selected = list(patch.iter_orders(OrderFilter(status=["placed", "approved"], created_gte=SINCE), limit=5))
        unfiltered = [o.id for o in patch.iter_orders(limit=2)]
    assert (order.vendor, order.id, order.status) == ("commercelayer", "sbx0000002", "pending")
    assert len(selected) == 5
    assert {o.status for o in selected} <= {"placed", "approved"}
    assert len(unfiltered) == 2


def test_an_order_patch_refuses_a_bad_selection_before_any_request(sandbox: Sandbox) -> None:
    with OrderPatch(configured(sandbox, "licensespring")) as patch:
        with pytest.raises(UnsupportedFilter, match="status"):
            patch.iter_orders(OrderFilter(status="paid"))
        with pytest.raises(ValidationError, match="limit"):
            patch.iter_orders(limit=-1)


async def test_an_async_order_patch_reads_through_its_own_client(sandbox: Sandbox) -> None:
    async with AsyncOrderPatch(configured(sandbox, "spree")) as patch:
        first = [o async for o in patch.iter_orders(OrderFilter(status="complete"), limit=3)]
        again = await patch.get_order(first[0].id)
        assert [o async for o in patch.iter_orders(limit=0)] == []
        with pytest.raises(UnsupportedFilter):
            patch.iter_orders(OrderFilter(reference="x"))
    assert len(first) == 3
    assert {o.status for o in first} == {"complete"}
    assert (again.id, again.number) == (first[0].id, first[0].number)


@pytest.mark.parametrize("vendor", ["commercelayer", "spree", "licensespring", "trunkery"])
def test_get_order_reads_and_normalizes(sandbox: Sandbox, vendor: str) -> None:
    order_id = sandbox.order_ids(vendor)[-1]
    order = get_order(order_id, config=configured(sandbox, vendor))
    assert order.vendor == vendor
    assert order.email == f"buyer{(GENERATED - 1) % 37}@example.com" or vendor == "licensespring"
    assert order_id in (order.id, order.number)
    assert order.to_dict()["detail"]


async def test_aget_order(sandbox: Sandbox) -> None:
    order = await aget_order("sbx0000002", config=configured(sandbox, "commercelayer"))
    assert (order.id, order.status) == ("sbx0000002", "pending")


def test_iter_orders_maps_the_neutral_filter_per_vendor(sandbox: Sandbox) -> None:
    cl = list(iter_orders(OrderFilter(status=["placed", "approved"], created_gte=SINCE),
                          config=configured(sandbox, "commercelayer")))
    assert len(cl) == 3 * GENERATED // 5
    assert {o.status for o in cl} == {"placed", "approved"}
    spree = list(iter_orders(OrderFilter(status="complete", email="buyer4@example.com"),
                             config=configured(sandbox, "spree")))
    assert [o.email for o in spree] == ["buyer4@example.com"]
    ls = list(iter_orders(OrderFilter(reference="sbx-00003"), config=configured(sandbox, "licensespring")))
    assert [o.reference for o in ls] == ["sbx-00003"]
    lana = list(iter_orders(OrderFilter(status="paid"), config=configured(sandbox, "trunkery"), limit=4))
    assert len(lana) == 4
    assert list(iter_orders(config=configured(sandbox, "commercelayer"), limit=0)) == []


async def test_aiter_orders(sandbox: Sandbox) -> None:
    seen = [o.id async for o in aiter_orders(OrderFilter(tags=["vip"]), config=configured(sandbox, "commercelayer"),
                                             limit=3)]
    assert len(seen) == 3
    assert [o async for o in aiter_orders(config=configured(sandbox, "spree"), limit=0)] == []


@pytest.mark.parametrize(("vendor", "selection", "field"), [
    ("licensespring", OrderFilter(status="paid"), "status"),
    ("licensespring", OrderFilter(created_gte=SINCE), "created_gte"),
    ("spree", OrderFilter(tags=["vip"]), "tags"),
    ("spree", OrderFilter(reference="x"), "reference"),
    ("trunkery", OrderFilter(email="a@b.co"), "email"),
    ("trunkery", OrderFilter(ids=["or_1"]), "ids"),
])
def test_a_filter_the_vendor_cannot_apply_is_refused_naming_it(vendor: str, selection: OrderFilter,
                                                              field: str) -> None:
    with pytest.raises(UnsupportedFilter) as info:
        vendor_filter(adapter_for(vendor), selection)
    assert (info.value.vendor, info.value.field) == (vendor, field)
    assert vendor in str(info.value)
    assert f"OrderFilter.{field}" in str(info.value)


def test_values_the_vendor_refuses_and_other_filters() -> None:
    with pytest.raises(ValidationError, match="numeric"):
        vendor_filter(adapter_for("spree"), OrderFilter(ids=["R123"]))
    with pytest.raises(ValidationError, match="one type"):
        vendor_filter(adapter_for("trunkery"), OrderFilter(status=["paid", "open"]))
    with pytest.raises(ValidationError, match="OrderFilter.status"):
        vendor_filter(adapter_for("commercelayer"), OrderFilter(status="complete"))  # Spree's word
    from orderpatch import ConfigurationError
    from orderpatch.spree import OrderFilter as SpreeFilter

    with pytest.raises(ConfigurationError, match="another vendor"):
        vendor_filter(adapter_for("commercelayer"), SpreeFilter(email="a@b.co"))
    with pytest.raises(ValidationError, match="filter"):
        vendor_filter(adapter_for("commercelayer"), {"status": "placed"})
    native = SpreeFilter(email="a@b.co")
    assert vendor_filter(adapter_for("spree"), native) is native
    with pytest.raises(ValidationError, match="limit"):
        iter_orders(config=Config.from_mapping({"vendor": "spree", "base_url": "https://x.test",
                                                "access_token": "t"}), limit=-1)


# -- the command ------------------------------------------------------------------------------

def run(sandbox: Sandbox, vendor: str, *argv: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setenv("ORDERPATCH_VENDOR", vendor)
    for key, value in sandbox.settings(vendor).items():
        monkeypatch.setenv(f"ORDERPATCH_{vendor.upper()}_{key.upper()}", str(value))
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_get(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(sandbox, "spree", "get", f"R{700_000_001}", monkeypatch=monkeypatch)
    assert code == EXIT_OK
    assert json.loads(out)["number"] == f"R{700_000_001}"
    code, out, _ = run(sandbox, "spree", "get", f"R{700_000_001}", "--output", "table", monkeypatch=monkeypatch)
    assert "R700000001" in out


def test_cli_list_jsonl_json_and_table(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(sandbox, "commercelayer", "list", "--where", "status=placed",
                       "--where", "created_gte=2026-01-01T00:00:00Z", "--limit", "5", monkeypatch=monkeypatch)
    assert code == EXIT_OK
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 5
    assert {row["status"] for row in rows} == {"placed"}
    code, out, _ = run(sandbox, "commercelayer", "list", "--where", "ids=sbx0000001,sbx0000002", "--output", "json",
                       monkeypatch=monkeypatch)
    assert [row["id"] for row in json.loads(out)] == ["sbx0000001", "sbx0000002"]
    code, out, _ = run(sandbox, "trunkery", "list", "--where", "status=paid", "--limit", "2", "--output", "table",
                       monkeypatch=monkeypatch)
    assert code == EXIT_OK
    assert out.splitlines()[0].startswith("id")
    assert len(out.splitlines()) == 3


@pytest.mark.parametrize(("argv", "code", "message"), [
    (("list", "--where", "stauts=placed"), EXIT_VALIDATION, "did you mean 'status'"),
    (("list", "--where", "tags=vip"), EXIT_VALIDATION, "cannot filter orders by OrderFilter.tags"),
    (("list", "--where", "created_gte=yesterday"), EXIT_VALIDATION, "ISO 8601"),
    (("list", "--where", "status"), EXIT_USAGE, "KEY=VALUE"),
    (("list", "--where", "email=a@b.co", "--where", "email=c@d.co"), EXIT_USAGE, "twice"),
    (("list", "--limit", "-1"), EXIT_USAGE, ""),
])
def test_cli_list_refuses_bad_conditions_before_any_request(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch,
                                                            argv: tuple[str, ...], code: int, message: str) -> None:
    before = len(sandbox.requests_log())
    got, _, err = run(sandbox, "spree", *argv, monkeypatch=monkeypatch)
    assert got == code
    assert message in err
    assert len(sandbox.requests_log()) == before
