"""``check_connection`` / ``acheck_connection`` and ``orderpatch check``: one read-only request per vendor,
against the sandbox (real sockets, real OAuth) and against pytest-httpx for the failures."""

from __future__ import annotations

import importlib
import io
import json
import os
from collections.abc import Iterator

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import AuthenticationError, CheckResult, Config, DecodeError, acheck_connection, check_connection
from orderpatch._config import VENDORS
from orderpatch._facade._registry import adapter_for
from orderpatch.cli import main
from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS, Sandbox

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


def configured(sandbox: Sandbox, vendor: str) -> Config:
    return Config.from_mapping({"vendor": vendor, **sandbox.settings(vendor)})


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


def test_every_vendor_package_provides_a_check() -> None:
    """The extension point: the adapter's default ``check_call`` finds ``<vendor>._check.build_check_request``."""
    for vendor in VENDORS:
        check = importlib.import_module(f"orderpatch.{vendor}._check")
        assert callable(check.build_check_request), vendor


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_every_adapter_builds_a_read_only_probe_of_its_base_url(sandbox: Sandbox, vendor: str) -> None:
    adapter = adapter_for(vendor)
    with adapter.open_sync(configured(sandbox, vendor)) as client:
        call = adapter.check_call(client)
    assert call.request.method == "GET"
    assert str(call.request.url).startswith(sandbox.base_url(vendor).rstrip("/"))


@pytest.mark.parametrize("vendor", ["commercelayer", "spree", "licensespring", "trunkery"])
def test_the_check_reads_once_and_changes_nothing(sandbox: Sandbox, vendor: str) -> None:
    sandbox.reset()
    result = check_connection(configured(sandbox, vendor))
    assert isinstance(result, CheckResult)
    assert (result.vendor, result.status_code, result.base_url) == (vendor, 200, sandbox.base_url(vendor))
    assert result.order_count is None or result.order_count >= 1
    methods = {record.method for record in sandbox.requests_log()}
    assert methods <= {"GET", "POST"}  # POST: only the OAuth token request
    assert [r.method for r in sandbox.requests_log() if r.method == "GET"] == ["GET"]
    summary = result.summary()
    assert summary.startswith(f"{vendor}: OK — credentials accepted, {sandbox.base_url(vendor)} reachable")
    assert summary.endswith("nothing was changed")
    assert json.loads(json.dumps(result.to_dict()))["vendor"] == vendor


async def test_the_async_check(sandbox: Sandbox) -> None:
    result = await acheck_connection(configured(sandbox, "spree"))
    assert (result.vendor, result.status_code) == ("spree", 200)


def test_refused_credentials_fail_the_check(sandbox: Sandbox) -> None:
    config = Config.from_mapping({"vendor": "spree", **sandbox.settings("spree"), "client_secret": "wrong-one"})
    with pytest.raises(AuthenticationError):
        check_connection(config)


def test_a_base_url_that_is_not_the_vendor_fails_the_check(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://shop.example.com/api/v1/orders/?limit=1", html="<html>Welcome</html>")
    config = Config.from_mapping({"vendor": "licensespring", "api_key": "k" * 20, "base_url": "https://shop.example.com"})
    with pytest.raises(DecodeError):
        check_connection(config)


def test_orderpatch_check_prints_one_line(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERPATCH_VENDOR", "licensespring")
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_BASE_URL", sandbox.base_url("licensespring"))
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_API_KEY", SANDBOX_CREDENTIALS["licensespring"]["api_key"])
    code, out, err = run("check")
    assert (code, err) == (0, "")
    assert out.startswith("licensespring: OK — credentials accepted")
    assert run("check", "--quiet") == (0, "", "")
    code, out, _ = run("check", "--output", "json", "--timeout", "5")
    assert json.loads(out)["status_code"] == 200


def test_orderpatch_check_with_a_vendor_flag_and_wrong_credentials(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERPATCH_SPREE_BASE_URL", sandbox.base_url("spree"))
    monkeypatch.setenv("ORDERPATCH_SPREE_CLIENT_ID", SANDBOX_CREDENTIALS["spree"]["client_id"])
    monkeypatch.setenv("ORDERPATCH_SPREE_CLIENT_SECRET", "not-the-secret")
    code, out, err = run("check", "--vendor", "spree")
    assert (code, out) == (4, "")
    assert err.startswith("orderpatch: error: spree answered 401")
    assert "not-the-secret" not in err


def test_orderpatch_check_unreachable_exits_5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERPATCH_VENDOR", "licensespring")
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_API_KEY", "k" * 20)
    code, out, err = run("check", "--max-retries", "0")
    assert (code, out) == (5, "")
    assert "GET http://127.0.0.1:9/api/v1/orders/?limit=1 failed" in err


def test_orderpatch_check_help_names_what_it_reads() -> None:
    code, out, _ = run("check", "--help")
    assert code == 0
    assert "changes nothing" in out or "read-only" in out
    assert "GET /api/v2/platform/orders?per_page=1" in out


def test_demo_ids_match_the_vendors() -> None:
    assert set(DEMO_ORDER_IDS) <= set(VENDORS)
