"""Output selection (``--fields``, ``--quiet``, tables) and the hints that name the command's flags."""

from __future__ import annotations

import argparse
import io
import json
from decimal import Decimal

import pytest

from orderpatch._cli_hints import unsupported_message
from orderpatch._cli_output import CliUsageError, selected, write_order
from orderpatch._facade import UpdatedOrder
from orderpatch.licensespring._codec import parse_order
from tests.facade._support import seed_response


def order() -> UpdatedOrder:
    detail = parse_order(seed_response("licensespring"))
    return UpdatedOrder(vendor="licensespring", id="7", number=None, email="a@b.co", status=None,
                        total=Decimal("9.50"), currency="EUR", detail=detail)


def printed(**options: object) -> str:
    args = argparse.Namespace(output="json", fields=None, quiet=False)
    for name, value in options.items():
        setattr(args, name, value)
    out = io.StringIO()
    write_order(order(), args, out)
    return out.getvalue()


def test_fields_keep_the_named_keys_in_order_dotted_into_detail() -> None:
    data = json.loads(printed(fields="email,id,detail.store_id"))
    assert list(data) == ["email", "id", "detail.store_id"]
    assert data["detail.store_id"] == order().detail.to_dict()["store_id"]


def test_the_whole_order_without_fields_and_nothing_when_quiet() -> None:
    assert json.loads(printed()) == order().to_dict()
    assert printed(quiet=True) == ""
    assert printed(quiet=True, output="table") == ""


def test_tables() -> None:
    assert printed(output="table").splitlines()[6] == "total       9.50 EUR"
    assert printed(output="table", fields="id,detail.metadata") == (
        "id               7\ndetail.metadata  " + json.dumps(order().detail.to_dict()["metadata"]) + "\n")


@pytest.mark.parametrize(("fields", "message"), [
    ("id,emial", "--fields emial: no such field; the fields are vendor, id, number"),
    ("detail.nope", "--fields detail.nope: no such field"),
    (" , ", "--fields: expected field names separated by commas"),
])
def test_unknown_fields_name_the_flag(fields: str, message: str) -> None:
    with pytest.raises(CliUsageError, match=message.replace(".", r"\.")):
        selected(order().to_dict(), fields)


@pytest.mark.parametrize(("alternative", "hint"), [
    ("orderpatch.spree.SpreeClient.orders.apply_coupon_code", "orderpatch action ORDER_ID apply_coupon_code --value"),
    ("orderpatch.spree.OrderUpdate.private_metadata",
     "set spree's own field 'private_metadata' with --native --json, e.g. echo '{\"private_metadata\": …}' | "
     "orderpatch update ORDER_ID --native --json -"),
    ("orderpatch.spree.OrderUpdate", "send spree's own fields with --native --json FILE"),
    (None, "'orderpatch update --help' lists the fields"),
])
def test_hints_name_the_commands_flags(alternative: str | None, hint: str) -> None:
    message = unsupported_message("spree", "coupon_code", alternative)
    head, hint_line = message.split("\n")
    assert head == "spree cannot take the field 'coupon_code' (--set coupon_code=…)"
    assert hint in hint_line
    assert "orderpatch.spree" not in hint_line
