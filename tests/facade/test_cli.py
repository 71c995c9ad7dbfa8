"""The ``orderpatch`` command: in process (pytest-httpx) for the many inputs, end to end (subprocess and
a loopback server) for output, exit codes, and that no credential ever reaches stdout or stderr."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import __version__
from orderpatch.cli import main
from tests.facade._support import CL_TOKEN, LS_KEY, ORDER_IDS, SECRETS, SPREE_TOKEN, URLS, seed_response
from tests.faults import FaultServer, refused_url, respond

ENV_PREFIX = "ORDERPATCH_"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def use(monkeypatch: pytest.MonkeyPatch, vendor: str) -> None:
    settings = {
        "licensespring": {"API_KEY": LS_KEY},
        "commercelayer": {"ORGANIZATION": "acme", "ACCESS_TOKEN": CL_TOKEN},
        "spree": {"BASE_URL": "https://shop.example.com", "ACCESS_TOKEN": SPREE_TOKEN},
    }[vendor]
    monkeypatch.setenv("ORDERPATCH_VENDOR", vendor)
    for key, value in settings.items():
        monkeypatch.setenv(f"ORDERPATCH_{vendor.upper()}_{key}", value)


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    for secret in SECRETS:
        assert secret not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def sent(httpx_mock: HTTPXMock) -> object:
    return json.loads(httpx_mock.get_requests()[0].content)


# -- in process ------------------------------------------------------------------------------------


def test_set_and_clear_build_the_neutral_changes(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, "commercelayer")
    httpx_mock.add_response(method="PATCH", url=URLS["commercelayer"], json=seed_response("commercelayer"))
    code, out, err = run(
        "update", ORDER_IDS["commercelayer"], "--set", "email=new@example.com", "--set", "metadata.source=crm",
        "--set", "metadata.count=3", "--set", "metadata.crm.id=00042", "--set", "metadata.crm.vip=true",
        "--set", "reference=ERP-42", "--clear", "customer_id",
    )
    assert (code, err) == (0, "")
    assert sent(httpx_mock) == {"data": {
        "type": "orders", "id": "xYZkjABcde",
        "attributes": {"customer_email": "new@example.com", "reference": "ERP-42",
                       "metadata": {"source": "crm", "count": 3, "crm": {"id": "00042", "vip": True}}},
        "relationships": {"customer": {"data": None}},
    }}
    printed = json.loads(out)
    assert printed["vendor"] == "commercelayer"
    assert printed["total"] == "57.00"
    assert printed["detail"]["customer_email"] == "john@example.com"


def test_json_from_stdin_with_set_on_top(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, "spree")
    httpx_mock.add_response(method="PATCH", url=URLS["spree"], json=seed_response("spree"))
    stdin = json.dumps({"email": "old@example.com", "shipping_address": {"city": "Boston"}})
    code, _, _ = run("update", "R484277352", "--json", "-", "--set", "email=new@example.com",
                     "--set", "shipping_address.country_code=US", "--set", "metadata={\"a\": 1}", stdin=stdin)
    assert code == 0
    assert sent(httpx_mock) == {"order": {
        "email": "new@example.com", "private_metadata": {"a": 1},
        "ship_address_attributes": {"city": "Boston", "country_iso": "US"},
    }}


def test_native_json_is_the_vendor_own_update(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    use(monkeypatch, "commercelayer")
    httpx_mock.add_response(method="PATCH", url=URLS["commercelayer"], json=seed_response("commercelayer"))
    path = tmp_path / "place.json"
    path.write_text('{"place": true, "market": {"id": "dlQbPhNNop"}}', encoding="utf-8")
    code, _, _ = run("update", ORDER_IDS["commercelayer"], "--native", "--json", str(path))
    assert code == 0
    assert sent(httpx_mock) == {"data": {
        "type": "orders", "id": "xYZkjABcde", "attributes": {"_place": True},
        "relationships": {"market": {"data": {"type": "markets", "id": "dlQbPhNNop"}}},
    }}


def test_table_output(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, "spree")
    httpx_mock.add_response(method="PATCH", url=URLS["spree"], json=seed_response("spree"))
    code, out, _ = run("update", "R484277352", "--set", "email=new@example.com", "--output", "table")
    assert code == 0
    assert out == (
        "vendor      spree\n"
        "id          47\n"
        "number      R484277352\n"
        "reference   -\n"
        "email       new@example.com\n"
        "status      delivery\n"
        "total       110.0 USD\n"
        "updated_at  2022-11-08T19:34:38.599000+00:00\n"
    )


def test_call_options_from_the_command_line(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, "licensespring")
    httpx_mock.add_response(method="PATCH", url=URLS["licensespring"], json=seed_response("licensespring"))
    code, _, _ = run("update", ORDER_IDS["licensespring"], "--set", "reference=x", "--timeout", "4",
                     "--max-retries", "0", "--deadline", "9")
    assert code == 0
    assert httpx_mock.get_requests()[0].extensions["timeout"]["read"] == 4.0


@pytest.mark.parametrize(
    ("argv", "stdin", "code", "message"),
    [
        (["update", "1", "--set", "email"], "", 2,
         "orderpatch update: error: --set 'email': expected FIELD=VALUE, e.g. --set email=new@example.com\n"),
        (["update", "1"], "", 2,
         "orderpatch update: error: nothing to change: give --set FIELD=VALUE, --clear FIELD or --json FILE\n"),
        (["update", "1", "--native", "--set", "a=b"], "", 2,
         "orderpatch update: error: --native takes the whole update from --json, without --set or --clear\n"),
        (["update", "1", "--json", "/nonexistent/changes.json"], "", 2,
         "orderpatch update: error: --json /nonexistent/changes.json: cannot read it (No such file or directory)\n"),
        (["update", "1", "--set", "emial=a@b.co"], "", 3,
         "orderpatch: error: OrderChanges: unknown field 'emial'; did you mean 'email'? (known: email, metadata, "
         "reference, currency, coupon_code, language, customer_id, billing_address, shipping_address, note, tags)\n"),
        (["update", "1", "--set", "email.x=1"], "", 3,
         "orderpatch: error: --set email.x: only metadata.KEY, billing_address.FIELD and shipping_address.FIELD "
         "take a dotted name\n"),
        (["update", "1", "--set", "metadata=[1]"], "", 3,
         "orderpatch: error: --set metadata=…: expected a JSON object; use metadata.KEY=VALUE for one key\n"),
        (["update", "1", "--json", "-"], "{oops", 3,
         "orderpatch: error: --json stdin: not valid JSON (Expecting property name enclosed in double quotes "
         "at line 1)\n"),
        (["update", "1", "--json", "-"], "[1]", 3, "orderpatch: error: --json: expected a JSON object, got list\n"),
        (["update", "1", "--set", "currency=EUR"], "", 3,
         "orderpatch: error: licensespring cannot take the field 'currency' (--set currency=…)\n"
         "  hint: send licensespring's own fields with --native --json FILE (see docs/vendors/licensespring.md), "
         "or leave currency out\n"),
        (["update", "../etc", "--set", "reference=x"], "", 3, "orderpatch: error: order_id: "),
        (["update", "1", "--set", "reference=x", "--config", "/nonexistent/op.toml"], "", 2,
         "orderpatch: error: /nonexistent/op.toml: configuration file not found\n"),
        (["update", "1", "--set", "reference=x", "--vendor", "spree"], "", 2,
         "orderpatch: error: spree.base_url: missing the store's base URL; set base_url in [orderpatch.spree], or "
         "ORDERPATCH_SPREE_BASE_URL\n"),
        (["update", "1", "--native", "--json", "-"], '{"store_idd": "x"}', 3,
         "orderpatch: error: licensespring.OrderUpdate: unknown field 'store_idd'; did you mean 'store_id'?"),
    ],
)
def test_mistakes_and_their_exit_codes(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str, code: int, message: str
) -> None:
    use(monkeypatch, "licensespring")
    result = run(*argv, stdin=stdin)
    assert result[:2] == (code, "")
    assert result[2].startswith(message)
    assert httpx_mock.get_requests() == []


def test_vendor_errors_exit_4_with_the_vendor_details(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, "spree")
    httpx_mock.add_response(method="PATCH", url=URLS["spree"], status_code=422,
                            json={"error": "Email is invalid", "errors": {"email": ["is invalid"]}})
    code, out, err = run("update", "R484277352", "--set", "email=x@y.z")
    assert (code, out) == (4, "")
    assert err == "orderpatch: error: spree answered 422: Email is invalid\n  - email: is invalid\n"


def test_no_command_prints_help_and_exits_2() -> None:
    code, out, _ = run()
    assert code == 2
    assert "update" in out
    assert "sandbox" in out


def test_sandbox_without_its_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import orderpatch

    for name in [m for m in sys.modules if m.startswith(("orderpatch.sandbox", "starlette", "uvicorn"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)  # "not installed"
    if "sandbox" in vars(orderpatch):
        monkeypatch.delattr(orderpatch, "sandbox")
    code, out, err = run("sandbox", "--port", "0")
    assert (code, out) == (2, "")
    assert err == (
        "orderpatch sandbox: error: the orderpatch sandbox needs the optional 'sandbox' extra "
        "(starlette is not installed); install it with: pip install 'orderpatch[sandbox]'\n"
    )


def test_sandbox_help_works_without_its_extra_and_names_its_program(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import orderpatch

    for name in [m for m in sys.modules if m.startswith(("orderpatch.sandbox", "starlette", "uvicorn"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)
    if "sandbox" in vars(orderpatch):
        monkeypatch.delattr(orderpatch, "sandbox")
    assert run("sandbox", "--help")[0] == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: orderpatch sandbox ")
    assert "pip install 'orderpatch[sandbox]'" in out


def test_sandbox_hands_its_arguments_to_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    import orderpatch.sandbox

    seen: list[tuple[list[str], str]] = []

    def fake_main(argv: list[str], *, prog: str, **streams: object) -> int:
        seen.append((argv, prog))
        return 0

    monkeypatch.setattr(orderpatch.sandbox, "main", fake_main)
    assert run("sandbox", "--port", "8765", "--latency", "0.1") == (0, "", "")
    assert seen == [(["--port", "8765", "--latency", "0.1"], "orderpatch sandbox")]


# -- end to end --------------------------------------------------------------------------------------


def command(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    result = subprocess.run(
        [sys.executable, "-m", "orderpatch", *argv], env={**base, **(env or {})}, input=stdin,
        capture_output=True, text=True, timeout=60,
    )
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr
    return result


def ls_env(url: str) -> dict[str, str]:
    return {"ORDERPATCH_VENDOR": "licensespring", "ORDERPATCH_LICENSESPRING_API_KEY": LS_KEY,
            "ORDERPATCH_LICENSESPRING_BASE_URL": url, "ORDERPATCH_LICENSESPRING_MAX_RETRIES": "0"}


def test_version_and_help() -> None:
    version = command("--version")
    assert (version.returncode, version.stdout) == (0, f"orderpatch {__version__}\n")
    script = Path(sys.executable).with_name("orderpatch")
    if script.exists():
        result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
        assert (result.returncode, result.stdout) == (0, f"orderpatch {__version__}\n")
    helped = command("update", "--help")
    assert helped.returncode == 0
    assert "examples:" in helped.stdout
    assert "--set email=new@example.com --set metadata.source=crm" in helped.stdout
    assert "exit codes: 0 ok, 2 usage or configuration, 3 validation (nothing sent), 4 vendor error" in helped.stdout
    bad = command("update")
    assert bad.returncode == 2
    assert "the following arguments are required: ORDER_ID" in bad.stderr


@pytest.mark.loopback
def test_update_end_to_end_prints_the_order_as_json() -> None:
    body = json.dumps(seed_response("licensespring"))
    with FaultServer([respond(body=body)]) as server:
        result = command("update", ORDER_IDS["licensespring"], "--set", "reference=patched_store_id",
                         "--set", "metadata.source=crm", env=ls_env(server.url))
        assert (result.returncode, result.stderr) == (0, "")
        (request,) = server.received
        assert (request.method, request.path) == ("PATCH", "/api/v1/orders/1629789747117569/")
        assert json.loads(request.body) == {"store_id": "patched_store_id", "metadata": {"source": "crm"}}
        assert request.headers["authorization"] == f"Api-Key {LS_KEY}"
    printed = json.loads(result.stdout)
    assert printed["vendor"] == "licensespring"
    assert printed["reference"] == "patched_store_id"
    assert printed["detail"]["company"] == 339


@pytest.mark.loopback
def test_vendor_error_exits_4_and_never_shows_the_key() -> None:
    # The vendor echoes the key back: the message must still not carry it.
    body = json.dumps({"detail": f"Invalid key {LS_KEY}"})
    with FaultServer([respond(status=401, body=body)]) as server:
        result = command("update", "1", "--set", "reference=x", env=ls_env(server.url))
    assert (result.returncode, result.stdout) == (4, "")
    assert result.stderr.startswith("orderpatch: error: licensespring answered 401: Invalid key ")


@pytest.mark.loopback
def test_transport_error_exits_5() -> None:
    with refused_url() as url:
        result = command("update", "1", "--set", "reference=x", env=ls_env(url))
    assert (result.returncode, result.stdout) == (5, "")
    assert result.stderr.startswith("orderpatch: error: PATCH http://127.0.0.1:")


@pytest.mark.loopback
def test_validation_error_exits_3_and_sends_nothing() -> None:
    with FaultServer([respond()]) as server:
        result = command("update", "1", "--set", "coupon_code=SUMMER", env=ls_env(server.url))
        assert server.received == []
    assert (result.returncode, result.stdout) == (3, "")


@pytest.mark.loopback
def test_configuration_error_exits_2_without_the_secret() -> None:
    env = {**ls_env("http://shop.example.com"), "ORDERPATCH_LICENSESPRING_API_KEY": LS_KEY}
    result = command("update", "1", "--set", "reference=x", env=env)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "orderpatch: error: ORDERPATCH_LICENSESPRING_BASE_URL: plain http:// is only allowed for loopback hosts "
        "(127.0.0.0/8, ::1, localhost), got 'http://shop.example.com'; use https://\n"
    )


@pytest.mark.loopback
def test_config_file_with_a_secret_from_the_environment_and_oauth(tmp_path: Path) -> None:
    token = json.dumps({"access_token": SPREE_TOKEN, "token_type": "Bearer", "expires_in": 7200, "scope": "admin",
                        "created_at": 1700000000})
    order = json.dumps(seed_response("spree"))
    with FaultServer([respond(body=token), respond(body=order, content_type="application/vnd.api+json")]) as server:
        path = tmp_path / "orderpatch.toml"
        path.write_text(
            f'[orderpatch]\nvendor = "spree"\n[orderpatch.spree]\nbase_url = "{server.url}/spree"\n'
            'client_id = "app"\nclient_secret_env = "MY_SPREE_SECRET"\nmax_retries = 0\n',
            encoding="utf-8",
        )
        result = command("update", "R484277352", "--config", str(path), "--set", "email=new@example.com",
                         "--output", "table", env={"MY_SPREE_SECRET": "spree-client-secret-value"})
        assert [(r.method, r.path) for r in server.received] == [
            ("POST", "/spree/spree_oauth/token"), ("PATCH", "/spree/api/v2/platform/orders/R484277352")]
        assert server.received[1].headers["authorization"] == f"Bearer {SPREE_TOKEN}"
    assert (result.returncode, result.stderr) == (0, "")
    assert "number      R484277352" in result.stdout
    assert "spree-client-secret-value" not in result.stdout + result.stderr


def test_tags_and_transport_errors_in_process(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from tests.facade._support import TRUNKERY_TOKEN

    monkeypatch.setenv("ORDERPATCH_VENDOR", "trunkery")
    monkeypatch.setenv("ORDERPATCH_TRUNKERY_TOKEN", TRUNKERY_TOKEN)
    monkeypatch.setenv("ORDERPATCH_TRUNKERY_SHOP_ID", "sh_EQzGqWoY")
    httpx_mock.add_response(method="POST", url=URLS["trunkery"], json=seed_response("trunkery"))
    assert run("update", "or_EQzGqWoY", "--set", "tags=vip, crm,")[0] == 0
    assert sent(httpx_mock) == [{"tags": ["vip", "crm"]}]
    httpx_mock.add_exception(httpx.ConnectError("connection refused"), method="POST", url=URLS["trunkery"])
    code, out, err = run("update", "or_EQzGqWoY", "--set", "tags=", "--max-retries", "0")
    assert (code, out) == (5, "")
    assert err.startswith("orderpatch: error: POST https://api.lana.dev/orders.json?ids=or_EQzGqWoY")
    assert "ConnectError: connection refused" in err


def test_version_and_usage_errors_in_process() -> None:
    """argparse's own output (version, help, usage errors) goes to the streams main() was given."""
    assert run("--version") == (0, f"orderpatch {__version__}\n", "")
    code, out, err = run("update")
    assert (code, out) == (2, "")
    assert "required: ORDER_ID" in err


def test_a_wrong_vendor_flag_is_reported_against_the_flag() -> None:
    code, out, err = run("update", "1", "--set", "reference=x", "--vendor", "shopify")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("orderpatch update: error: argument --vendor: unknown vendor 'shopify'; "
                                    "choose one of: commercelayer, licensespring, spree, trunkery, spree_admin")
    assert "ORDERPATCH_VENDOR" not in err


def test_top_level_help_has_examples_and_exit_codes() -> None:
    helped = command("--help")
    assert helped.returncode == 0
    assert "orderpatch update R123456789 --set email=new@example.com" in helped.stdout
    assert "exit codes: 0 ok, 2 usage or configuration" in helped.stdout


@pytest.mark.parametrize(
    ("option", "problem"),
    [
        (("--max-retries", "11"), "argument --max-retries: expected a whole number from 0 to 10, got '11'"),
        (("--max-retries", "two"), "argument --max-retries: expected a whole number from 0 to 10, got 'two'"),
        (("--timeout", "-1"), "argument --timeout: expected a positive number of seconds, got '-1'"),
        (("--deadline", "nan"), "argument --deadline: expected a positive number of seconds, got 'nan'"),
    ],
)
def test_out_of_range_options_are_usage_errors(option: tuple[str, str], problem: str) -> None:
    result = command("update", "R1", "--set", "email=a@b.co", *option)
    assert (result.returncode, result.stdout) == (2, "")
    assert problem in result.stderr


@pytest.mark.loopback
@pytest.mark.parametrize(
    ("vendor", "change"),
    [("licensespring", "metadata.source=crm"), ("commercelayer", "email=a@b.co"), ("spree", "email=a@b.co"),
     ("trunkery", "email=a@b.co")],
)
def test_debug_logging_of_the_command_never_shows_a_credential(vendor: str, change: str) -> None:
    from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS, Sandbox

    with Sandbox(error_rate=0.5, seed=3) as sandbox:  # some 503s, so retries are logged as well
        settings = sandbox.settings(vendor)
        env = {"ORDERPATCH_VENDOR": vendor, "ORDERPATCH_LOG": "debug",
               **{f"ORDERPATCH_{vendor.upper()}_{key.upper()}": str(value) for key, value in settings.items()},
               f"ORDERPATCH_{vendor.upper()}_MAX_RETRIES": "10"}
        result = command("update", DEMO_ORDER_IDS[vendor], "--set", change, env=env)
    assert result.returncode == 0, result.stderr
    assert "DEBUG orderpatch]" in result.stderr
    shown = result.stdout + result.stderr
    secrets = [value for credentials in SANDBOX_CREDENTIALS.values() for name, value in credentials.items()
               if any(word in name for word in ("secret", "token", "key"))]  # ids (client_id, shop_id) are not
    assert len(secrets) >= 6
    for secret in secrets:
        assert secret not in shown
    assert "eyJ" not in shown  # no JWT (Trunkery's token, or an OAuth2 token the sandbox issued)
