"""The vendor probes of ``orderpatch check``: pure requests (GET, read one order at most) and lenient parsers."""

from __future__ import annotations

import httpx
import pytest

from orderpatch._probe import Probe, count_at
from orderpatch.commercelayer._check import build_check_request as commercelayer
from orderpatch.errors import ValidationError
from orderpatch.licensespring._check import build_check_request as licensespring
from orderpatch.spree._check import build_check_request as spree
from orderpatch.trunkery._check import build_check_request as trunkery

BASE = httpx.URL("https://api.example.com/base")


def test_the_requests_are_reads_of_one_order() -> None:
    calls = {
        "commercelayer": commercelayer(BASE), "spree": spree(BASE), "licensespring": licensespring(BASE),
        "trunkery": trunkery(BASE, "sh_1"),
    }
    urls = {name: str(call.request.url) for name, call in calls.items()}
    assert urls == {
        "commercelayer": "https://api.example.com/base/api/orders?page%5Bsize%5D=1&fields%5Borders%5D=id",
        "spree": "https://api.example.com/base/api/v2/platform/orders?per_page=1&fields%5Border%5D=number",
        "licensespring": "https://api.example.com/base/api/v1/orders/?limit=1",
        "trunkery": "https://api.example.com/base/orders/page.json?limit=1&shop_id=sh_1",
    }
    assert all(call.request.method == "GET" and call.idempotent for call in calls.values())
    assert calls["commercelayer"].request.headers["accept"] == "application/vnd.api+json"


@pytest.mark.parametrize(("call", "payload", "count"), [
    (commercelayer(BASE), {"data": [], "meta": {"record_count": 4}}, 4),
    (commercelayer(BASE), {"data": []}, None),
    (spree(BASE), {"data": [{"id": "1"}], "meta": {"total_count": 9}}, 9),
    (licensespring(BASE), [{"id": 1}], 1),
    (licensespring(BASE), {"count": 3, "results": []}, 3),
    (trunkery(BASE, "sh_1"), {"count": 2, "items": [], "last_key": None}, 2),
])
def test_answers_give_the_count(call: object, payload: object, count: int | None) -> None:
    probe = call.parse(payload)  # type: ignore[attr-defined]
    assert isinstance(probe, Probe)
    assert probe.order_count == count
    assert probe.endpoint.startswith("GET /base/")


@pytest.mark.parametrize("call", [commercelayer(BASE), spree(BASE), licensespring(BASE), trunkery(BASE, "sh_1")])
@pytest.mark.parametrize("payload", [None, "html", {"data": "x"}, {"results": {}}, 3])
def test_other_shapes_are_refused(call: object, payload: object) -> None:
    with pytest.raises(ValueError, match="expected"):
        call.parse(payload)  # type: ignore[attr-defined]


def test_count_at_and_a_bad_shop() -> None:
    assert count_at({"a": {"b": 2}}, "a", "b") == 2
    assert count_at({"a": {"b": True}}, "a", "b") is None
    assert count_at({"a": 1}, "a", "b") is None
    with pytest.raises(ValidationError):
        trunkery(BASE, "../x")
