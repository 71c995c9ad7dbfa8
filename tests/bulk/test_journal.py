"""The journal: rows written ahead, resumed across processes, refused for another input, restarted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from orderpatch import ConfigurationError
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import BulkInput, Journal, default_journal_path, read_input

LS = adapter_for("licensespring")


def bulk(text: str = '{"id": 1, "reference": "a"}\n{"id": 2, "reference": "b"}\n') -> BulkInput:
    return read_input("in.jsonl", LS, text=text)


def test_a_new_journal_holds_every_order_pending(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j" / "job.sqlite3", bulk(), vendor="licensespring")
    assert not journal.resumed
    assert len(journal.job_id) == 32
    assert [(row.line, row.order_id, row.state, row.attempts) for row in journal.rows()] == [
        (1, "1", "pending", 0), (2, "2", "pending", 0)]
    assert journal.counts() == {"pending": 2}
    assert repr(journal).startswith("Journal(")
    journal.close()
    mode = sqlite3.connect(tmp_path / "j" / "job.sqlite3").execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)


def test_states_move_and_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    journal.sending(1, idempotency_key="k-1", idempotent=False)
    journal.sending(2, idempotency_key=None, idempotent=True)
    journal.finish(2, "failed", {"error": "RateLimited"}, retryable=True)
    job_id = journal.job_id
    journal.close()
    again = Journal.open(path, bulk(), vendor="licensespring")
    assert again.resumed
    assert again.job_id == job_id
    first, second = again.rows()
    assert (first.state, first.idempotency_key, first.idempotent, first.attempts) == ("sending", "k-1", False, 1)
    assert (second.state, second.retryable, second.outcome) == ("failed", True, {"error": "RateLimited"})
    assert [row.line for row in again.rows(["failed"])] == [2]
    again.requeue([2])
    assert again.counts() == {"sending": 1, "pending": 1}
    again.close()


def test_another_input_is_refused_unless_restarted(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    journal.finish(1, "done", {"id": 1})
    job_id = journal.job_id
    journal.close()
    other = bulk('{"id": 1, "reference": "changed"}\n')
    with pytest.raises(ConfigurationError, match="belongs to another job") as info:
        Journal.open(path, other, vendor="licensespring")
    assert info.value.key == "journal"
    assert "--restart" in str(info.value)
    with pytest.raises(ConfigurationError, match="another job"):
        Journal.open(path, bulk(), vendor="spree")
    restarted = Journal.open(path, other, vendor="licensespring", restart=True)
    assert not restarted.resumed
    assert restarted.job_id != job_id
    assert restarted.counts() == {"pending": 1}
    restarted.close()


def test_unusable_files_are_configuration_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigurationError, match="not a usable orderpatch journal"):
        Journal.open(garbage, bulk(), vendor="licensespring")
    foreign = tmp_path / "foreign.sqlite3"
    db = sqlite3.connect(foreign)
    db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); "
                     "INSERT INTO meta VALUES ('schema', '999');")
    db.close()
    with pytest.raises(ConfigurationError, match="of this version"):
        Journal.open(foreign, bulk(), vendor="licensespring")
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(ConfigurationError, match="cannot open it"):
        Journal.open(blocked / "job.sqlite3", bulk(), vendor="licensespring")


def test_default_path_is_per_vendor_and_input_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERPATCH_JOURNAL_DIR", str(tmp_path))
    one = default_journal_path("orders.jsonl", "spree")
    assert one.parent == tmp_path
    assert one.name.startswith("orders-spree-")
    assert one.suffix == ".sqlite3"
    assert default_journal_path("orders.jsonl", "spree") == one
    assert default_journal_path("orders.jsonl", "trunkery") != one
    assert default_journal_path("-", "spree").name.startswith("stdin-spree-")
    monkeypatch.delenv("ORDERPATCH_JOURNAL_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert default_journal_path("items", "spree").parent == tmp_path / "state" / "orderpatch" / "bulk"
