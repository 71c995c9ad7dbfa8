"""``Sandbox`` lifecycle, ``main()`` and ``python -m``, knob validation, and the small shared pieces."""

from __future__ import annotations

import json
import runpy
import socket
import subprocess
import sys
import threading

import pytest

import orderpatch.sandbox as sandbox_package
from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS, VENDORS, Knobs, RequestRecord, Sandbox, main
from orderpatch.sandbox import _cli as cli
from orderpatch.sandbox._auth import jwt_decode, jwt_encode
from orderpatch.sandbox._state import RateCounter, SandboxState
from tests.sandbox.sandbox_support import plain_client

pytestmark = pytest.mark.loopback


def sandbox_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("orderpatch-sandbox-")]


def test_public_api_is_small_and_sorted() -> None:
    assert sandbox_package.__all__ == sorted(sandbox_package.__all__, key=lambda name: (not name.isupper(), name))
    assert VENDORS == ("commercelayer", "spree", "licensespring", "trunkery", "spree_admin")


def test_start_stop_is_fast_idempotent_and_leaves_nothing_behind() -> None:
    before = len(sandbox_threads())
    box = Sandbox()
    box.stop()  # stopping a sandbox that never started is fine
    assert box.start() is box
    assert box.start() is box  # already running: no second server
    url = box.url
    assert url.startswith("http://127.0.0.1:")
    assert len(sandbox_threads()) == before + 1
    box.stop()
    box.stop()
    assert len(sandbox_threads()) == before
    with pytest.raises(RuntimeError, match="not running"):
        _ = box.url
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # the port was released


def test_restart_after_stop_keeps_the_state() -> None:
    box = Sandbox()
    with box:
        box.set_knobs(Knobs(latency=0.001))
    with box, plain_client() as http:
        assert http.get(f"{box.url}/_sandbox/knobs").json()["latency"] == 0.001


def test_urls_and_settings() -> None:
    with Sandbox() as box:
        assert box.base_url("spree") == f"{box.url}/spree"
        with pytest.raises(ValueError, match="unknown vendor 'shopify'"):
            box.base_url("shopify")
        cl = box.settings("commercelayer")
        assert cl == {
            "base_url": f"{box.url}/commercelayer",
            "auth_url": f"{box.url}/commercelayer/oauth/token",
            "client_id": SANDBOX_CREDENTIALS["commercelayer"]["client_id"],
            "client_secret": SANDBOX_CREDENTIALS["commercelayer"]["client_secret"],
        }
        assert set(box.settings("spree")) == {"base_url", "client_id", "client_secret"}
        assert set(box.settings("licensespring")) == {"base_url", "api_key"}
        assert box.settings("trunkery")["shop_id"] == "sh_EQzGqWoY"


def test_a_busy_port_is_an_os_error() -> None:
    with Sandbox() as box:
        port = int(box.url.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            Sandbox(port=port).start()


def test_ipv6_loopback() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        box = Sandbox("::1").start()
    except OSError as exc:
        pytest.skip(f"::1 is not usable here: {exc}")
    with box, plain_client() as http:
        assert box.url.startswith("http://[::1]:")
        assert http.get(f"{box.url}/_sandbox/knobs").status_code == 200


def test_a_server_that_never_starts_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    with pytest.raises(RuntimeError, match="did not start"):
        Sandbox().start()


def test_knobs_and_log_through_the_python_api(running_sandbox: Sandbox) -> None:
    running_sandbox.reset()
    original = running_sandbox.knobs
    running_sandbox.set_knobs(Knobs(latency=0.01))
    try:
        assert running_sandbox.knobs.latency == 0.01
        with plain_client() as http:
            http.patch(f"{running_sandbox.base_url('licensespring')}/api/v1/orders/1/", json={})
        [record] = running_sandbox.requests_log()
        assert isinstance(record, RequestRecord)
        assert record.as_dict()["status"] == 403
    finally:
        running_sandbox.set_knobs(original)


# ---------------------------------------------------------------------------- knobs


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latency": -1}, "latency must be >= 0.0"),
        ({"latency": "1"}, "latency must be a finite number"),
        ({"latency": float("inf")}, "latency must be a finite number"),
        ({"rate_window": 0}, "rate_window must be > 0.0"),
        ({"error_rate": 1.5}, "error_rate must be >= 0.0 and <= 1.0"),
        ({"drop_rate": True}, "drop_rate must be a finite number"),
        ({"token_ttl": -5}, "token_ttl must be >= 0"),
        ({"token_ttl": 1.5}, "token_ttl must be an integer"),
        ({"rate_limit": 0}, "rate_limit must be >= 1"),
        ({"seed": "x"}, "seed must be an integer"),
    ],
)
def test_invalid_knobs_are_value_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Knobs().updated(changes)


def test_create_app_and_sandbox_validate_their_knobs() -> None:
    with pytest.raises(ValueError, match="drop_rate"):
        Sandbox(drop_rate=2.0)
    assert Knobs(seed=-3).updated({"seed": None}).as_dict()["seed"] is None


# ---------------------------------------------------------------------------- main() and python -m


def test_main_prints_what_clients_need_and_stops_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_wait_for_interrupt", interrupt)
    before = len(sandbox_threads())
    assert main(["--port", "0", "--seed", "1", "--error-rate", "0.1", "--rate-limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "orderpatch sandbox listening on http://127.0.0.1:" in out
    for vendor in VENDORS:
        assert f"\n# {vendor} (demo order {DEMO_ORDER_IDS[vendor]})\nexport ORDERPATCH_VENDOR={vendor}\n" in out
    assert f"export ORDERPATCH_LICENSESPRING_API_KEY={SANDBOX_CREDENTIALS['licensespring']['api_key']}\n" in out
    assert len(sandbox_threads()) == before


def test_the_banner_lines_configure_the_sdk_as_pasted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each vendor's ``export`` lines, run by a shell, give a Config that reaches that vendor's sandbox."""
    import orderpatch

    monkeypatch.setattr(cli, "_wait_for_interrupt", lambda: None)
    assert main(["--port", "0"]) == 0
    blocks = capsys.readouterr().out.split("\n# ")[1:]
    assert len(blocks) == len(VENDORS)
    for block in blocks:
        exports = [line.removeprefix("export ") for line in block.splitlines() if line.startswith("export ")]
        script = "; ".join(f"export {line}" for line in exports) + "; env"
        shell = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env={}, check=True)
        env = dict(line.split("=", 1) for line in shell.stdout.splitlines() if line.startswith("ORDERPATCH_"))
        config = orderpatch.Config.from_env(env)
        assert config.vendor == env["ORDERPATCH_VENDOR"]


@pytest.mark.parametrize("argv", [["--error-rate", "2"], ["--host", "203.0.113.1", "--port", "1"]])
def test_main_reports_bad_options(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("python -m orderpatch.sandbox: error: ")


def test_wait_for_interrupt_blocks_until_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: threading.Event, timeout: float | None = None) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(threading.Event, "wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cli._wait_for_interrupt()


def test_python_dash_m_runs_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["orderpatch.sandbox", "--help"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("orderpatch.sandbox", run_name="__main__")
    assert exit_info.value.code == 0
    assert "--drop-rate" in capsys.readouterr().out


def test_python_dash_m_in_a_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "orderpatch.sandbox", "--help"], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "python -m orderpatch.sandbox" in result.stdout


# ---------------------------------------------------------------------------- small shared pieces


def test_jwt_round_trip_and_rejections() -> None:
    token = jwt_encode({"sub": "x"})
    assert jwt_decode(token) == {"sub": "x"}
    header, payload, signature = token.split(".")
    assert jwt_decode(f"{header}.{payload}.{signature[:-2]}AA") is None
    assert jwt_decode(token, secret=b"other") is None
    assert jwt_decode("a.b") is None
    assert jwt_decode("!!.??.**") is None
    none_alg = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    assert jwt_decode(f"{none_alg}.{payload}.") is None


def test_rate_counter_forgets_old_requests() -> None:
    counter = RateCounter(horizon=1.0)
    for moment in (0.0, 0.5, 3.0):
        counter.record(moment, window=0.5)
    assert list(counter.served) == [3.0]
    assert counter.retry_after(limit=1, window=2.0, now=3.5) == pytest.approx(1.5)
    assert counter.retry_after(limit=2, window=2.0, now=3.5) is None


def test_finishing_a_request_after_a_reset_is_harmless() -> None:
    state = SandboxState(Knobs())
    index = state.log(RequestRecord("GET", "/x", "", {}, "", None, 0.0))
    state.reset_counters()
    state.finish(index, status=200, fault=None)
    assert state.requests() == []
    state.set_knobs(Knobs(seed=4))
    assert state.draw() == SandboxState(Knobs(seed=4)).draw()


def test_record_as_dict_is_json_ready() -> None:
    record = RequestRecord("PATCH", "/spree/x", "a=1", {"h": "v"}, "{}", "spree", 1.0, 200, None)
    assert json.loads(json.dumps(record.as_dict()))["path"] == "/spree/x"


def test_demo_order_ids_name_seeded_orders() -> None:
    from orderpatch.sandbox import DEMO_ORDER_IDS
    from orderpatch.sandbox._seeds import CL_ORDER_ID, LS_ORDER_ID, TRUNKERY_ORDER_ID

    assert DEMO_ORDER_IDS["commercelayer"] == CL_ORDER_ID
    assert DEMO_ORDER_IDS["licensespring"] == str(LS_ORDER_ID)
    assert DEMO_ORDER_IDS["trunkery"] == TRUNKERY_ORDER_ID
    assert DEMO_ORDER_IDS["spree"].startswith("R")
