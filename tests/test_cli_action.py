"""``orderpatch action``: Spree order actions and Commerce Layer triggers from the shell, on the sandbox;
the mistakes are refused before any request, naming the argument."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator

import pytest

from orderpatch.cli import main
from orderpatch.sandbox import Sandbox

pytestmark = pytest.mark.loopback


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("ORDERPATCH_"):
            monkeypatch.delenv(name)


def use(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox, vendor: str) -> None:
    sandbox.reset()
    monkeypatch.setenv("ORDERPATCH_VENDOR", vendor)
    for key, value in sandbox.settings(vendor).items():
        monkeypatch.setenv(f"ORDERPATCH_{vendor.upper()}_{key.upper()}", str(value))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


def test_a_spree_action(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    use(monkeypatch, sandbox, "spree")
    code, out, err = run("action", "R936148131", "empty", "--fields", "id,status")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"id": "40", "status": "cart"}
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in sandbox.requests_log()][-1] == ("PATCH", "empty")


def test_a_spree_action_with_a_value_and_the_vendor_answer(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    use(monkeypatch, sandbox, "spree")
    code, out, err = run("action", "R484277352", "apply_coupon_code", "--value", "NOPE")
    assert (code, out) == (4, "")
    assert err.startswith("orderpatch: error: spree answered 422: The coupon code you entered doesn't exist")


def test_a_commercelayer_trigger(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    use(monkeypatch, sandbox, "commercelayer")
    code, out, err = run("action", "xYZkjABcde", "refresh", "--output", "table", "--fields", "id,status,detail.number")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["id             xYZkjABcde", "status         draft", "detail.number  1234"]
    body = json.loads(sandbox.requests_log()[-1].body or "{}")
    assert body["data"]["attributes"] == {"_refresh": True}


def test_a_commercelayer_trigger_with_a_value(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    use(monkeypatch, sandbox, "commercelayer")
    assert run("action", "xYZkjABcde", "add_tags", "--value", "vip", "--quiet") == (0, "", "")
    body = json.loads(sandbox.requests_log()[-1].body or "{}")
    assert body["data"]["attributes"] == {"_add_tags": "vip"}


@pytest.mark.parametrize(("vendor", "argv", "message"), [
    ("spree", ["R1", "explode"], "ACTION 'explode': not a Spree order action; choose one of: next, advance"),
    ("spree", ["R1", "complete", "--value", "x"], "--value: the action complete takes no value"),
    ("spree", ["R1", "apply_coupon_code"], "--value: the action apply_coupon_code needs the coupon code"),
    ("spree", ["R1", "use_store_credit", "--value", "lots"], "--value 'lots': the action use_store_credit takes an"),
    ("commercelayer", ["x1", "launch"], "ACTION 'launch': not a Commerce Layer trigger; choose one of: pending, place"),
    ("commercelayer", ["x1", "place", "--value", "1"], "--value: the trigger place takes no value"),
    ("commercelayer", ["x1", "add_tags"], "--value: the trigger add_tags needs one"),
    ("commercelayer", ["x1", "authorization_amount_cents", "--value", "ten"], "--value 'ten': the trigger"),
    ("licensespring", ["1", "cancel"], "licensespring has no order actions"),
])
def test_mistakes_are_refused_before_any_request(
    monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox, vendor: str, argv: list[str], message: str
) -> None:
    use(monkeypatch, sandbox, vendor)
    code, out, err = run("action", *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"orderpatch action: error: {message}")
    assert [r for r in sandbox.requests_log() if r.method != "POST"] == []


def test_a_spree_store_credit_amount_is_sent_as_a_number(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    use(monkeypatch, sandbox, "spree")
    run("action", "R484277352", "use_store_credit", "--value", "15.00")
    record = sandbox.requests_log()[-1]
    assert record.path.endswith("/use_store_credit")
    assert json.loads(record.body or "{}") == {"amount": 15.0}
