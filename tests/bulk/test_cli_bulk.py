"""``orderpatch bulk`` and ``orderpatch update --dry-run``: exit codes, reports, dry runs, resume hints."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch.cli import main

KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"
LS_URL = re.compile(r"https://saas\.licensespring\.com/api/v1/orders/(\d+)/")


@pytest.fixture(autouse=True)
def licensespring_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ORDERPATCH_CONFIG", "ORDERPATCH_VENDOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ORDERPATCH_VENDOR", "licensespring")
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_API_KEY", KEY)
    monkeypatch.setenv("ORDERPATCH_JOURNAL_DIR", str(tmp_path / "journals"))


def echo(request: httpx.Request) -> httpx.Response:
    match = LS_URL.match(str(request.url))
    assert match is not None
    body = json.loads(request.content)
    return httpx.Response(200, json={"id": int(match.group(1)), "store_id": body.get("store_id"), "metadata": {},
                                     "license_users": []})


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "in.jsonl") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_job_reports_every_line_and_prints_its_journal(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(echo, is_reusable=True)
    path = write(tmp_path, '{"id": 1, "reference": "a"}\n{"id": 2, "reference": "b"}\n')
    code, out, err = run("bulk", "--input", path, "--rate", "1000/1", "--output", "jsonl")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(row["line"], row["id"], row["state"]) for row in rows] == [(1, "1", "done"), (2, "2", "done")]
    assert "orderpatch bulk: journal " in err
    assert str(tmp_path / "journals") in err
    assert "2/2" in err  # the last progress line
    code, out, err = run("bulk", "--input", path, "--no-progress")
    assert code == 0
    assert "resuming" in err
    assert "done 2" in out
    assert len(httpx_mock.get_requests()) == 2  # the rerun sent nothing


def test_failures_exit_4_with_the_table(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(status_code=404, json={"message": "Not found."}, is_reusable=True)
    path = write(tmp_path, '{"id": 1, "reference": "a"}\n')
    code, out, _ = run("bulk", "--input", path, "--journal", str(tmp_path / "j.sqlite3"), "--no-progress")
    assert code == 4
    assert "failed 1" in out
    assert "Not found." in out


def test_invalid_input_exits_3_and_sends_nothing(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    path = write(tmp_path, '{"id": 1, "reference": "a"}\n{"id": 2, "emial": "x"}\n')
    code, out, err = run("bulk", "--input", path)
    assert code == 3
    assert out == ""
    assert "line 2 (OrderChanges.emial)" in err
    assert "nothing was sent" in err
    assert httpx_mock.get_requests() == []
    code, _, err = run("bulk", "--input", str(tmp_path / "missing.jsonl"))
    assert code == 3
    assert "cannot read it" in err


def test_usage_and_configuration_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '{"id": 1, "reference": "a"}\n')
    assert run("bulk")[0] == 2
    assert run("bulk", "--input", path, "--rate", "fast")[0] == 2
    assert run("bulk", "--input", path, "--concurrency", "0")[0] == 2
    assert run("bulk", "--input", path, "--max-error-rate", "2")[0] == 2
    code, _, err = run("bulk", "--input", path, "--vendor", "acme")
    assert code == 2
    assert "argument --vendor: unknown vendor 'acme'; choose one of: commercelayer," in err  # the flag, not a variable
    assert "ORDERPATCH_VENDOR" not in err
    journal = tmp_path / "j.sqlite3"
    other = write(tmp_path, '{"id": 1, "reference": "b"}\n', "other.jsonl")
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_BASE_URL", "http://127.0.0.1:9")  # nothing listens
    run("bulk", "--input", path, "--journal", str(journal), "--no-progress", "--max-error-rate", "100%")
    code, _, err = run("bulk", "--input", other, "--journal", str(journal))
    assert code == 2
    assert "belongs to another job" in err


def test_dry_run_prints_requests_and_sends_none(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    path = write(tmp_path, "id,reference,metadata.source\n7,ERP-7,crm\n", "in.csv")
    code, out, err = run("bulk", "--input", path, "--dry-run")
    assert code == 0, err
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record == {"line": 2, "id": "7", "method": "PATCH",
                      "url": "https://saas.licensespring.com/api/v1/orders/7/",
                      "body": {"store_id": "ERP-7", "metadata": {"source": "crm"}},
                      "idempotency_key": None, "idempotent": True}
    assert KEY not in out + err
    assert httpx_mock.get_requests() == []


def test_dry_run_shows_trunkery_keys(httpx_mock: HTTPXMock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.trunkery._fixtures import SHOP_ID, TOKEN

    monkeypatch.setenv("ORDERPATCH_VENDOR", "trunkery")
    monkeypatch.setenv("ORDERPATCH_TRUNKERY_TOKEN", TOKEN)
    monkeypatch.setenv("ORDERPATCH_TRUNKERY_SHOP_ID", SHOP_ID)
    code, out, _ = run("bulk", "--input", "-", "--dry-run", stdin='{"id": "or_EQzGqWoY", "email": "a@b.co"}\n')
    assert code == 0
    record = json.loads(out)
    assert record["method"] == "POST"
    assert record["idempotency_key"].startswith("orderpatch-bulk-")
    assert record["idempotent"] is True
    assert TOKEN not in out
    assert httpx_mock.get_requests() == []


def test_update_dry_run(httpx_mock: HTTPXMock) -> None:
    code, out, err = run("update", "7", "--set", "reference=ERP-7", "--dry-run")
    assert code == 0, err
    record = json.loads(out)
    assert (record["method"], record["body"]) == ("PATCH", {"store_id": "ERP-7"})
    assert httpx_mock.get_requests() == []


def test_stopped_by_error_rate_prints_how_to_resume(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(status_code=422, json={"detail": "no"}, is_reusable=True)
    path = write(tmp_path, "".join(json.dumps({"id": n, "reference": "r"}) + "\n" for n in range(1, 41)))
    code, out, err = run("bulk", "--input", path, "--concurrency", "1", "--rate", "1000/1", "--no-progress")
    assert code == 4
    assert "stopped:" in err
    assert "resume with: orderpatch bulk --input" in err
    assert "--journal" in err
    assert "pending 20" in out


def test_interrupt_exits_130_with_the_hint(httpx_mock: HTTPXMock, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import orderpatch.bulk as bulk

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(bulk, "run_job", interrupted)
    path = write(tmp_path, '{"id": 1, "reference": "a"}\n')
    code, _, err = run("bulk", "--input", path, "--restart")
    assert code == 130
    assert "interrupted; resume with: orderpatch bulk --input" in err
    assert "--restart" not in err.split("resume with:")[1]


# ---------------------------------------------------------------------------------------------- --where selections


def test_where_and_input_are_mutually_exclusive(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    path = write(tmp_path, '{"id": 1, "reference": "a"}\n')
    code, _, err = run("bulk", "--input", path, "--where", "reference=a", "--set", "reference=b")
    assert code == 2
    assert "not allowed with argument" in err
    for argv, message in [
        (("--input", path, "--set", "reference=b"), "--set goes with --where"),
        (("--input", path, "--limit", "3"), "--limit goes with --where"),
        (("--where", "reference=a"), "--where needs the change"),
        (("--where", "reference=a", "--set", "reference=b", "--format", "csv"), "--format goes with --input"),
        (("--where", "reference", "--set", "reference=b"), "expected KEY=VALUE"),
        (("--where", "reference=a", "--where", "reference=b", "--set", "reference=b"), "given twice"),
        (("--where", "reference=a", "--set", "reference"), "expected FIELD=VALUE"),
    ]:
        code, _, err = run("bulk", *argv)
        assert code == 2, (argv, err)
        assert message in err, (argv, err)
    assert httpx_mock.get_requests() == []


def test_a_bad_where_or_set_exits_3_before_any_request(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    for argv, message in [
        (("--where", "stauts=paid", "--set", "reference=b"), "stauts"),
        (("--where", "status=paid", "--set", "reference=b"), "status"),  # LicenseSpring cannot filter on it
        (("--where", "reference=a", "--set", "emial=x"), "emial"),
        (("--where", "reference=a", "--set", "email=a@b.co"), "email"),  # LicenseSpring has no order email
        (("--where", "created_gte=yesterday", "--set", "reference=b"), "ISO 8601"),
    ]:
        code, out, err = run("bulk", *argv, "--journal", str(tmp_path / "j.sqlite3"))
        assert code == 3, (argv, err)
        assert message in err, (argv, err)
        assert out == ""
    assert httpx_mock.get_requests() == []
    assert not (tmp_path / "j.sqlite3").exists()


def ls_page(*orders: dict[str, object]) -> dict[str, object]:
    return {"count": len(orders), "next": None, "previous": None, "results": list(orders)}


def test_a_selection_dry_run_lists_and_shows_what_would_change(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=ls_page(
        {"id": 7, "store_id": "OLD", "metadata": {}, "license_users": []},
        {"id": 8, "store_id": "NEW", "metadata": {}, "license_users": []}))
    code, out, err = run("bulk", "--where", "email=ada@example.com", "--set", "reference=NEW", "--dry-run")
    assert code == 0, err
    first, second = (json.loads(line) for line in out.splitlines())
    assert (first["line"], first["id"], first["method"], first["body"]) == (1, "7", "PATCH", {"store_id": "NEW"})
    assert first["would_change"] == {"reference": {"from": "OLD", "to": "NEW"}}
    assert first["skip"] is False
    assert second["would_change"] == {}
    assert second["skip"] is True
    assert [request.method for request in httpx_mock.get_requests()] == ["GET"]  # reads only
    assert KEY not in out + err


def test_a_selection_job_skips_what_already_holds_the_change(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(method="GET", json=ls_page(
        {"id": 7, "store_id": "OLD", "metadata": {}, "license_users": []},
        {"id": 8, "store_id": "NEW", "metadata": {}, "license_users": []}))
    httpx_mock.add_callback(echo, method="PATCH")
    code, out, err = run("bulk", "--where", "email=ada@example.com", "--set", "reference=NEW", "--rate", "100/1",
                         "--output", "jsonl", "--no-progress")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(row["id"], row["state"]) for row in rows] == [("7", "done"), ("8", "skipped")]
    assert "listing the selection" in err
    assert "1 already had the change" in err
    assert "selection-licensespring-" in err  # the default journal of a selection
    (patch,) = httpx_mock.get_requests(method="PATCH")
    assert str(patch.url).endswith("/orders/7/")
    # The same command resumes from its journal: no listing, no write.
    code, out, err = run("bulk", "--where", "email=ada@example.com", "--set", "reference=NEW", "--no-progress")
    assert code == 0
    assert "resuming" in err
    assert len(httpx_mock.get_requests()) == 2


def test_a_failed_listing_exits_4_and_writes_nothing(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(method="GET", status_code=401, json={"detail": "Invalid API key"})
    code, out, err = run("bulk", "--where", "reference=OLD", "--set", "reference=NEW",
                         "--journal", str(tmp_path / "j.sqlite3"))
    assert code == 4
    assert "reading the orders failed, nothing was written" in err
    assert out == ""
    assert not (tmp_path / "j.sqlite3").exists()


def test_skip_unchanged_reads_each_order_first(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        match = LS_URL.match(str(request.url))
        assert match is not None
        if request.method == "GET":
            reference = "b" if match.group(1) == "2" else "old"
            return httpx.Response(200, json={"id": int(match.group(1)), "store_id": reference, "metadata": {},
                                             "license_users": []})
        return echo(request)

    httpx_mock.add_callback(answer, is_reusable=True)
    path = write(tmp_path, '{"id": 1, "reference": "a"}\n{"id": 2, "reference": "b"}\n'
                           '{"id": 3, "native": {"store_id": "c"}}\n')
    code, out, err = run("bulk", "--input", path, "--dry-run", "--skip-unchanged")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [record.get("skip") for record in records] == [False, True, None]  # a native line is not read
    assert records[0]["would_change"] == {"reference": {"from": "old", "to": "a"}}
    assert httpx_mock.get_requests(method="PATCH") == []
    code, out, err = run("bulk", "--input", path, "--skip-unchanged", "--rate", "100/1", "--output", "jsonl",
                         "--no-progress")
    assert code == 0, err
    assert [json.loads(line)["state"] for line in out.splitlines()] == ["done", "skipped", "done"]
    assert sorted(str(r.url).rsplit("/", 2)[-2] for r in httpx_mock.get_requests(method="PATCH")) == ["1", "3"]
