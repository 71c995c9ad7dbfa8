"""The sandbox's reads over raw HTTP: retrieve, list, paging, filters, and what an unknown filter does.

Every vendor ignores a filter it does not know and answers with *every* order; the sandbox does
the same, which is what lets the SDK's own tests prove that it refuses such filters first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from orderpatch.sandbox import Sandbox, create_app
from orderpatch.sandbox._cli import banner_orders
from tests.sandbox.sandbox_support import cl_token, spree_token

GENERATED = 40
Json = Any


@pytest.fixture(scope="module")
def populated() -> Iterator[Sandbox]:
    with Sandbox(orders=GENERATED) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def cl(populated: Sandbox) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {cl_token(populated)}", "Accept": "application/vnd.api+json"}
    with httpx.Client(base_url=populated.base_url("commercelayer"), headers=headers) as http:
        yield http


@pytest.fixture(scope="module")
def spree(populated: Sandbox) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {spree_token(populated)}"}
    with httpx.Client(base_url=populated.base_url("spree"), headers=headers) as http:
        yield http


@pytest.fixture(scope="module")
def ls(populated: Sandbox) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Api-Key {populated.settings('licensespring')['api_key']}"}
    with httpx.Client(base_url=populated.base_url("licensespring"), headers=headers) as http:
        yield http


@pytest.fixture(scope="module")
def lana(populated: Sandbox) -> Iterator[httpx.Client]:
    settings = populated.settings("trunkery")
    headers = {"Authorization": f"Bearer {settings['token']}"}
    with httpx.Client(base_url=populated.base_url("trunkery"), headers=headers,
                      params={"shop_id": settings["shop_id"]}) as http:
        yield http


def test_admin_lists_every_order_id_of_a_vendor(populated: Sandbox) -> None:
    answer = httpx.get(f"{populated.url}/_sandbox/orders", params={"vendor": "commercelayer"}).json()
    assert answer["count"] == GENERATED + 1
    assert answer["ids"] == populated.order_ids("commercelayer")
    assert httpx.get(f"{populated.url}/_sandbox/orders", params={"vendor": "nope"}).status_code == 400
    assert populated.order_ids("spree")[-1] == f"R{700_000_000 + GENERATED - 1}"
    assert banner_orders(["a", "b", "c", "d"]) == "## orders: a, b, c, … (4 in all)"
    with pytest.raises(ValueError, match="orders"):
        create_app(orders=-1)


# -- Commerce Layer ---------------------------------------------------------------------------

def test_cl_list_pages_and_counts(cl: httpx.Client) -> None:
    first = cl.get("/api/orders", params={"page[size]": "10"}).json()
    assert (len(first["data"]), first["meta"]) == (10, {"record_count": GENERATED + 1, "page_count": 5})
    assert "next" in first["links"]
    assert "prev" not in first["links"]
    last = cl.get("/api/orders", params={"page[size]": "10", "page[number]": "5"}).json()
    assert len(last["data"]) == 1
    assert "next" not in last["links"]
    assert len(cl.get("/api/orders", params={"page[size]": "99"}).json()["data"]) == 25  # at most 25
    assert len(cl.get("/api/orders").json()["data"]) == 10  # the default page size


def test_cl_keyset_filters_and_sort(cl: httpx.Client) -> None:
    query = {"filter[q][status_in]": "placed,approved", "filter[q][id_gt]": "sbx0000010", "sort": "id",
             "page[size]": "25"}
    answer = cl.get("/api/orders", params=query).json()
    ids = [r["id"] for r in answer["data"]]
    assert ids == sorted(ids)
    assert all(i > "sbx0000010" for i in ids)
    assert {r["attributes"]["status"] for r in answer["data"]} <= {"placed", "approved"}
    tagged = cl.get("/api/orders", params={"filter[q][tags_name_in]": "vip", "include": "tags"}).json()
    assert tagged["meta"]["record_count"] > 0
    assert all(r["type"] == "tags" for r in tagged["included"])
    one = cl.get("/api/orders", params={"filter[q][customer_email_eq]": "buyer3@example.com"}).json()
    assert {r["attributes"]["customer_email"] for r in one["data"]} == {"buyer3@example.com"}
    since = cl.get("/api/orders", params={"filter[q][created_at_gteq]": "2026-01-02T00:00:00Z"}).json()
    assert since["meta"]["record_count"] == GENERATED - 24


def test_cl_an_unknown_filter_returns_everything(cl: httpx.Client) -> None:
    answer = cl.get("/api/orders", params={"filter[q][stauts_eq]": "placed", "filter[q][status_equals]": "x"}).json()
    assert answer["meta"]["record_count"] == GENERATED + 1


def test_cl_retrieve(cl: httpx.Client) -> None:
    answer = cl.get("/api/orders/sbx0000001", params={"fields[orders]": "status,number"}).json()
    assert answer["data"]["attributes"] == {"status": "approved", "number": "10001"}
    assert cl.get("/api/orders/nope").status_code == 404
    assert cl.get("/api/orders/sbx0000001", headers={"Accept": "text/html"}).status_code == 406
    assert cl.get("/api/orders", headers={"Authorization": "Bearer x"}).status_code == 401


# -- Spree ------------------------------------------------------------------------------------

def test_spree_list_keyset_totals_and_never_null_next(spree: httpx.Client) -> None:
    query: list[tuple[str, str | int | float | bool | None]] = [
        ("filter[state_in][]", "complete"), ("filter[state_in][]", "canceled"),
                                    ("filter[id_gt]", "1010"), ("sort", "-id"), ("per_page", "5")]
    answer = spree.get("/api/v2/platform/orders", params=query).json()
    ids = [int(r["id"]) for r in answer["data"]]
    assert ids == sorted(ids, reverse=True)
    assert min(ids) > 1010
    assert {r["attributes"]["state"] for r in answer["data"]} <= {"complete", "canceled"}
    assert answer["meta"]["count"] == 5
    assert answer["meta"]["total_pages"] > 1
    last = spree.get("/api/v2/platform/orders", params=[*query[:-1], ("per_page", "500"), ("page", "1")]).json()
    assert last["links"]["next"].endswith("page=1")  # the last page points at itself
    assert len(spree.get("/api/v2/platform/orders", params={"per_page": "501"}).json()["data"]) == 25


def test_spree_unknown_blank_or_unlisted_filters_return_everything(spree: httpx.Client) -> None:
    total = spree.get("/api/v2/platform/orders").json()["meta"]["total_count"]
    for query in ({"filter[stat_eq]": "complete"}, {"filter[state_eq]": ""}, {"filter[approved_at_null]": "1"}):
        assert spree.get("/api/v2/platform/orders", params=query).json()["meta"]["total_count"] == total
    assert spree.get("/api/v2/platform/orders", params={"filter[total_gteq]": "100"}).json()["meta"][
        "total_count"] < total


def test_spree_retrieve(spree: httpx.Client) -> None:
    answer = spree.get(f"/api/v2/platform/orders/R{700_000_002}", params={"fields[order]": "state"}).json()
    assert answer["data"]["attributes"] == {"state": "cart"}
    assert spree.get("/api/v2/platform/orders/1002").json()["data"]["id"] == "1002"


# -- LicenseSpring ----------------------------------------------------------------------------

def test_ls_list_offsets_filters_and_nested_rows(ls: httpx.Client) -> None:
    first = ls.get("/api/v1/orders/", params={"order_by": "created_at", "limit": "15"}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (GENERATED + 1, 15, None)
    assert "offset=15" in first["next"]
    row = first["results"][1]
    assert "customer_email" not in row
    assert (row["customer"] is None or isinstance(row["customer"], dict))
    assert len(ls.get("/api/v1/orders/").json()["results"]) == 20  # the default limit
    last = ls.get("/api/v1/orders/", params={"limit": "15", "offset": "30"}).json()
    assert last["next"] is None
    assert "offset=15" in last["previous"]
    mine = ls.get("/api/v1/orders/", params={"store_id": "sbx-00007"}).json()
    assert [r["store_id"] for r in mine["results"]] == ["sbx-00007"]
    email = ls.get("/api/v1/orders/", params={"customer__email__icontains": "BUYER2@"}).json()
    assert email["count"] == 2  # buyer2 and buyer2 + 37
    archived = ls.get("/api/v1/orders/", params={"is_archived": "true"}).json()
    assert archived["count"] == GENERATED // 10


def test_ls_an_unknown_filter_returns_everything(ls: httpx.Client) -> None:
    assert ls.get("/api/v1/orders/", params={"store_idd": "sbx-00007"}).json()["count"] == GENERATED + 1
    assert ls.get("/api/v1/orders/", params={"created_at__gte": "2030-01-01"}).json()["count"] == GENERATED + 1


def test_ls_retrieve_is_nested(ls: httpx.Client, populated: Sandbox) -> None:
    order_id = populated.order_ids("licensespring")[2]
    answer = ls.get(f"/api/v1/orders/{order_id}/").json()
    assert answer["customer"]["id"] == 124
    assert answer["customer"]["email"] == "buyer1@example.com"
    assert isinstance(answer["order_items"], list)
    assert ls.get("/api/v1/orders/", headers={"Authorization": "Api-Key nope"}).status_code == 403


# -- Trunkery ---------------------------------------------------------------------------------

def test_lana_pages_by_last_key(lana: httpx.Client) -> None:
    seen: list[str] = []
    params: dict[str, str] = {"sort_by": "created_at", "limit": "7", "cart": "true"}
    while True:
        page = lana.get("/orders/page.json", params=params).json()
        if not page["items"]:
            break
        assert page["count"] == GENERATED // 2 + 1
        seen += [o["id"] for o in page["items"]]
        params["last_key"] = page["last_key"]
    assert len(seen) == len(set(seen)) == GENERATED // 2 + 1
    assert "last_key" not in lana.get("/orders/page.json", params={"limit": "3"}).json()  # only with sort_by


def test_lana_filters_and_unknown_parameters(lana: httpx.Client) -> None:
    full = lana.get("/orders/page.json").json()["count"]
    assert lana.get("/orders/page.json", params={"email": "x@y.z"}).json()["count"] == full
    assert lana.get("/orders/page.json", params={"type": "paid"}).json()["count"] == GENERATED // 2 + 1
    early = lana.get("/orders/page.json", params={"cart": "true", "created_at_max": "2026-01-01T05:00:00Z"})
    assert early.json()["count"] == 4  # the seeded 2024 cart, and generated carts 0, 2 and 4
    who = lana.get("/orders/page.json", params={"customer_id": "cu_Sbx001"}).json()
    assert {o["customer"]["id"] for o in who["items"]} == {"cu_Sbx001"}


def test_lana_reads_by_ids(lana: httpx.Client) -> None:
    answer = lana.get("/orders.json", params={"ids": "or_Sbx00001,or_Sbx00002", "fields": "id,state"}).json()
    assert answer == [{"id": "or_Sbx00001", "state": "capture_payment"}, {"id": "or_Sbx00002", "state": "cart"}]
    assert lana.get("/orders.json", params={"ids": "or_Nope"}).status_code == 404
    assert lana.get("/orders.json", params={"ids": "or_Nope", "loose": "true"}).json() == []
    assert lana.get("/orders.json", params={"ids": "or_Sbx00001", "shop_id": "sh_Other"}).status_code == 404
    assert lana.get("/orders.json", params={"ids": "or_Sbx00001", "shop_id": ""}).status_code == 400
    assert lana.get("/orders.json", params={"ids": "x"}, headers={"Authorization": "Bearer nope"}).status_code == 401
