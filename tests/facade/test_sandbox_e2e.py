"""The facade and the command against the local sandbox: four vendors, real sockets, real OAuth.

The sandbox is written from the vendor docs independently of the SDK, so these tests check the
facade's mappings against a second reading of each vendor. Skipped without the 'sandbox' extra.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from orderpatch._config import Config
from orderpatch._facade import Address, OrderChanges, UpdatedOrder, aupdate_order, update_order
from orderpatch._facade._pool import SYNC_POOL
from orderpatch.sandbox import Sandbox

pytestmark = pytest.mark.loopback

ADDRESS = Address(first_name="Jo", last_name="Doe", line1="1 Main St", city="Louisville", postal_code="40202",
                  region="KY", country_code="US", phone="5556251199")
CASES = {
    "licensespring": ("1629789747117569", OrderChanges(reference="ERP-42", metadata={"source": "crm"}, language="en")),
    "commercelayer": ("xYZkjABcde", OrderChanges(email="new@example.com", reference="ERP-42",
                                                 metadata={"source": "crm"}, language="en")),
    "spree": ("R484277352", OrderChanges(email="new@example.com", metadata={"source": "crm"}, note="fragile",
                                         shipping_address=ADDRESS)),
    "trunkery": ("or_EQzGqWoY", OrderChanges(email="new@example.com", tags=["vip", "crm"], billing_address=ADDRESS)),
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def configured(sandbox: Sandbox, vendor: str) -> Config:
    return Config.from_mapping({"vendor": vendor, **sandbox.settings(vendor)})


def check(vendor: str, order: UpdatedOrder) -> None:
    assert order.vendor == vendor
    detail = order.to_dict()["detail"]
    assert isinstance(detail, dict)
    if vendor == "licensespring":
        assert (order.reference, detail["metadata"], detail["language"]) == ("ERP-42", {"source": "crm"}, "en")
    elif vendor == "commercelayer":
        assert (order.email, order.reference, detail["metadata"]) == ("new@example.com", "ERP-42", {"source": "crm"})
        assert order.total == Decimal("57.00")
    elif vendor == "spree":
        assert (order.number, order.email, detail["private_metadata"]) == ("R484277352", "new@example.com",
                                                                           {"source": "crm"})
        assert detail["internal_note"] == "fragile"
    else:
        assert (order.email, detail["tags"]) == ("new@example.com", ["vip", "crm"])
        billing = detail["billing_address"]
        assert isinstance(billing, dict)
        assert billing["name"] == "Jo Doe"


@pytest.mark.parametrize("vendor", sorted(CASES))
def test_update_order_against_the_sandbox(sandbox: Sandbox, vendor: str) -> None:
    sandbox.reset()
    order_id, changes = CASES[vendor]
    check(vendor, update_order(order_id, changes, config=configured(sandbox, vendor)))
    SYNC_POOL.close()


@pytest.mark.parametrize("vendor", sorted(CASES))
async def test_aupdate_order_against_the_sandbox(sandbox: Sandbox, vendor: str) -> None:
    sandbox.reset()
    order_id, changes = CASES[vendor]
    check(vendor, await aupdate_order(order_id, changes, config=configured(sandbox, vendor)))


def test_the_command_against_the_sandbox(sandbox: Sandbox) -> None:
    sandbox.reset()
    settings = sandbox.settings("spree")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERPATCH_")}
    env.update({"ORDERPATCH_VENDOR": "spree", **{f"ORDERPATCH_SPREE_{k.upper()}": str(v) for k, v in settings.items()}})
    result = subprocess.run(
        [sys.executable, "-m", "orderpatch", "update", "R484277352", "--set", "email=cli@example.com",
         "--set", "note=from the command"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert settings["client_secret"] not in result.stdout
    printed = json.loads(result.stdout)
    assert (printed["email"], printed["number"]) == ("cli@example.com", "R484277352")
