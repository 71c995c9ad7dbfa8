"""The journal's promises one by one: what is committed (seen by another connection) before a call returns,
what the meta table holds, which journals are refused and with what message, where the default path is.

These pin the behaviour a mutation run of ``orderpatch/bulk/_journal.py`` changes (mutation/config.toml).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from orderpatch import ConfigurationError
from orderpatch._constants import BULK_JOURNAL_BUSY_TIMEOUT, BULK_JOURNAL_SCHEMA_VERSION
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import BulkInput, Journal, default_journal_path, read_input

LS = adapter_for("licensespring")
THREE = '{"id": 1, "reference": "a"}\n{"id": 2, "reference": "b"}\n{"id": 3, "reference": "c"}\n'


def bulk(text: str = THREE, source: str = "in.jsonl") -> BulkInput:
    return read_input(source, LS, text=text)


def other_connection(path: Path) -> sqlite3.Connection:
    """A second reader, as another process (or the one after a crash) would see the file."""
    return sqlite3.connect(str(path))


def stored(path: Path, line: int) -> tuple[object, ...]:
    db = other_connection(path)
    try:
        row: tuple[object, ...] = db.execute(
            "SELECT state, attempts, idempotency_key, idempotent, retryable, outcome, updated_at "
            "FROM orders WHERE line = ?", (line,)).fetchone()
        return row
    finally:
        db.close()


def meta_of(path: Path) -> dict[str, str]:
    db = other_connection(path)
    try:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())
    finally:
        db.close()


def foreign_journal(path: Path, meta: dict[str, str]) -> None:
    """A file with the journal's tables and the given meta rows (as an older or broken writer left it)."""
    db = sqlite3.connect(str(path))
    db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
    db.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
    db.commit()
    db.close()


# ---------------------------------------------------------------------------------------- creating


def test_the_meta_table_records_the_job(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    given = bulk()
    before = time.time()
    journal = Journal.open(path, given, vendor="licensespring")
    after = time.time()
    meta = meta_of(path)
    assert set(meta) == {"schema", "job_id", "input_hash", "vendor", "source", "created_at", "orders"}
    assert meta["schema"] == str(BULK_JOURNAL_SCHEMA_VERSION)
    assert meta["job_id"] == journal.job_id
    assert meta["input_hash"] == given.digest
    assert (meta["vendor"], meta["source"], meta["orders"]) == ("licensespring", "in.jsonl", "3")
    assert before <= float(meta["created_at"]) <= after
    for line in (1, 2, 3):
        state, attempts, key, idempotent, retryable, outcome, updated_at = stored(path, line)
        assert (state, attempts, key, idempotent, retryable, outcome) == ("pending", 0, None, None, 0, None)
        assert isinstance(updated_at, float)
        assert before <= updated_at <= after
    journal.close()


def test_missing_parent_folders_are_made_and_an_existing_one_is_fine(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c" / "job.sqlite3"
    Journal.open(deep, bulk(), vendor="licensespring").close()
    assert deep.is_file()
    beside = deep.with_name("other.sqlite3")
    Journal.open(beside, bulk(), vendor="licensespring").close()
    assert beside.is_file()
    assert sorted(p.name for p in deep.parent.glob("*.sqlite3")) == ["job.sqlite3", "other.sqlite3"]


def test_a_path_given_as_text_is_the_same_journal(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(str(path), bulk(), vendor="licensespring")
    assert journal.resumed is False
    assert journal.path == path
    assert repr(journal) == f"Journal({str(path)!r}, job_id={journal.job_id!r})"
    journal.close()
    assert Journal.open(path, bulk(), vendor="licensespring").resumed


def test_the_journal_is_durable_and_waits_for_a_busy_file(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    assert journal._db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert journal._db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    assert journal._db.execute("PRAGMA busy_timeout").fetchone() == (int(BULK_JOURNAL_BUSY_TIMEOUT * 1000),)
    # Another writer holds the file for a moment: the journal's write waits instead of failing.
    blocker = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    released = threading.Timer(0.3, lambda: blocker.execute("COMMIT"))
    released.start()
    journal.sending(1, idempotency_key="k", idempotent=False)
    released.join()
    blocker.close()
    assert stored(path, 1)[0] == "sending"
    journal.close()


def test_the_journal_can_be_used_from_another_thread(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            journal.sending(2, idempotency_key="k-2", idempotent=True)
            journal.finish(2, "done", {"id": 2})
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == []
    assert journal.counts() == {"pending": 2, "done": 1}
    journal.close()


# ---------------------------------------------------------------------------------------- writing


def test_sending_is_committed_before_it_returns(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    created = stored(path, 1)[6]
    journal.sending(1, idempotency_key="key-1", idempotent=False)
    state, attempts, key, idempotent, retryable, outcome, updated_at = stored(path, 1)
    assert (state, attempts, key, idempotent, retryable, outcome) == ("sending", 1, "key-1", 0, 0, None)
    assert isinstance(updated_at, float)
    assert isinstance(created, float)
    assert updated_at >= created
    journal.sending(1, idempotency_key=None, idempotent=True)
    assert stored(path, 1)[:4] == ("sending", 2, None, 1)
    # The other orders are untouched.
    assert stored(path, 2)[:4] == ("pending", 0, None, None)
    journal.close()


def test_finish_is_committed_with_its_outcome_as_json(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    journal.sending(1, idempotency_key="k", idempotent=False)
    journal.finish(1, "failed", {"error": "Überlastet", "total": Decimal("1.50")},  # type: ignore[dict-item]
                   retryable=True)
    state, attempts, key, _, retryable, outcome, _ = stored(path, 1)
    assert (state, attempts, key, retryable) == ("failed", 1, "k", 1)
    assert outcome == '{"error": "Überlastet", "total": "1.50"}'  # text as is, and what JSON cannot hold as str
    journal.finish(1, "done", {"id": 1})
    assert stored(path, 1)[4] == 0  # retryable is False unless said
    journal.finish(2, "skipped", None)
    assert stored(path, 2)[5] == "null"
    journal.close()
    again = Journal.open(path, bulk(), vendor="licensespring")
    first, second, third = again.rows()
    assert (first.state, first.outcome, first.retryable, first.idempotent) == ("done", {"id": 1}, False, False)
    assert (second.state, second.outcome, second.idempotent) == ("skipped", None, None)
    assert (third.state, third.outcome, third.idempotency_key) == ("pending", None, None)
    again.close()


def test_every_state_is_accepted_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(THREE + '{"id": 4, "reference": "d"}\n'), vendor="licensespring")
    for line, state in zip((1, 2, 3, 4), ("done", "failed", "skipped", "unknown"), strict=True):
        journal.finish(line, state, {})  # type: ignore[arg-type]
    assert journal.counts() == {"done": 1, "failed": 1, "skipped": 1, "unknown": 1}
    with pytest.raises(sqlite3.IntegrityError):
        journal.finish(1, "lost", {})  # type: ignore[arg-type]
    assert stored(path, 1)[0] == "done"
    journal.close()


def test_requeue_puts_only_the_given_lines_back_and_commits(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    for line in (1, 2, 3):
        journal.sending(line, idempotency_key=f"k{line}", idempotent=False)
        journal.finish(line, "failed", {"error": "x"}, retryable=True)
    before = stored(path, 2)[6]
    assert isinstance(before, float)
    journal.requeue(line for line in (1, 3))
    assert [stored(path, line)[0] for line in (1, 2, 3)] == ["pending", "failed", "pending"]
    after = stored(path, 1)[6]
    assert isinstance(after, float)
    assert after >= before
    # The key stays: a resumed order is sent again with the key it had.
    assert stored(path, 1)[2] == "k1"
    journal.requeue([])
    assert journal.counts() == {"pending": 2, "failed": 1}
    journal.close()


# ---------------------------------------------------------------------------------------- reading


def test_rows_filter_by_several_states_in_input_order(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "job.sqlite3", bulk(), vendor="licensespring")
    journal.finish(3, "done", {"id": 3})
    journal.sending(2, idempotency_key="k", idempotent=True)
    assert [row.line for row in journal.rows(["done", "sending"])] == [2, 3]
    assert [row.line for row in journal.rows(state for state in ("pending", "done"))] == [1, 3]
    assert [row.line for row in journal.rows(["sending"])] == [2]
    assert journal.rows([]) == []
    assert [row.line for row in journal.rows()] == [1, 2, 3]
    second = journal.rows(["sending"])[0]
    assert (second.order_id, second.idempotent, second.retryable, second.outcome) == ("2", True, False, None)
    assert journal.counts() == {"pending": 1, "sending": 1, "done": 1}
    journal.close()


def test_a_closed_journal_refuses_to_be_used(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "job.sqlite3", bulk(), vendor="licensespring")
    journal.close()
    with pytest.raises(sqlite3.ProgrammingError):
        journal.rows()


# ---------------------------------------------------------------------------------------- refusing


def test_a_journal_of_another_job_is_refused_with_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    Journal.open(path, bulk(source="first.jsonl"), vendor="licensespring").close()
    made = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(meta_of(path)["created_at"])))
    with pytest.raises(ConfigurationError) as info:
        Journal.open(path, bulk('{"id": 1, "reference": "z"}\n'), vendor="licensespring")
    assert str(info.value) == (
        f"journal {path} belongs to another job (input 'first.jsonl' for licensespring, made {made}); "
        "give the same input to resume it, another --journal, or --restart to start over "
        "(orders done there would be sent again)")
    assert info.value.key == "journal"
    # The same input for another vendor is another job too, and the refusal changed nothing.
    with pytest.raises(ConfigurationError, match="belongs to another job") as other:
        Journal.open(path, bulk(source="first.jsonl"), vendor="spree")
    assert other.value.key == "journal"
    assert Journal.open(path, bulk(source="first.jsonl"), vendor="licensespring").resumed


def test_a_journal_without_a_creation_time_is_refused_all_the_same(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    foreign_journal(path, {"schema": str(BULK_JOURNAL_SCHEMA_VERSION), "job_id": "j", "vendor": "spree",
                           "input_hash": "h"})
    epoch = time.strftime("%Y-%m-%d %H:%M", time.localtime(0.0))
    with pytest.raises(ConfigurationError) as info:
        Journal.open(path, bulk(), vendor="licensespring")
    assert f"(input None for spree, made {epoch})" in str(info.value)
    assert info.value.key == "journal"


@pytest.mark.parametrize("meta", [
    {"schema": str(BULK_JOURNAL_SCHEMA_VERSION)},                     # no job id
    {"schema": str(BULK_JOURNAL_SCHEMA_VERSION + 1), "job_id": "j"},  # a later version
    {"job_id": "j"},                                                  # no version
])
def test_a_journal_of_another_version_is_refused(tmp_path: Path, meta: dict[str, str]) -> None:
    path = tmp_path / "job.sqlite3"
    foreign_journal(path, meta)
    with pytest.raises(ConfigurationError) as info:
        Journal.open(path, bulk(), vendor="licensespring")
    assert str(info.value) == f"journal {path}: not an orderpatch bulk journal of this version"
    assert info.value.key == "journal"


def test_a_resumed_journal_keeps_its_identity_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    foreign_journal(path, {"schema": str(BULK_JOURNAL_SCHEMA_VERSION), "job_id": "the-job",
                           "vendor": "licensespring", "input_hash": bulk().digest})
    journal = Journal.open(path, bulk(), vendor="licensespring")
    assert journal.job_id == "the-job"
    assert journal.resumed is True
    assert journal.rows() == []  # a resume adds no rows: they were written when the job was made
    journal.close()


def test_restart_forgets_every_row_and_the_old_identity(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    journal.finish(1, "done", {"id": 1})
    old = journal.job_id
    journal.close()
    again = Journal.open(path, bulk(), vendor="licensespring", restart=True)
    assert not again.resumed
    assert again.job_id != old
    assert [(row.state, row.outcome) for row in again.rows()] == [("pending", None)] * 3
    assert meta_of(path)["job_id"] == again.job_id
    again.close()
    # Restarting a journal that does not exist yet just makes it.
    fresh = Journal.open(tmp_path / "new.sqlite3", bulk(), vendor="licensespring", restart=True)
    assert not fresh.resumed
    assert fresh.counts() == {"pending": 3}
    fresh.close()


def test_a_database_of_something_else_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    db = sqlite3.connect(str(path))
    db.executescript("CREATE TABLE orders (line INTEGER PRIMARY KEY, name TEXT);")
    db.close()
    with pytest.raises(ConfigurationError) as info:
        Journal.open(path, bulk(), vendor="licensespring")
    assert str(info.value).startswith(f"journal {path}: not a usable orderpatch journal (")
    assert info.value.key == "journal"
    assert meta_of(path) == {}


def test_a_file_that_cannot_be_opened_names_the_journal(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(ConfigurationError) as info:
        Journal.open(blocked / "job.sqlite3", bulk(), vendor="licensespring")
    assert str(info.value).startswith(f"journal {blocked / 'job.sqlite3'}: cannot open it (")
    assert info.value.key == "journal"


# ---------------------------------------------------------------------------------------- default path


def _tag(vendor: str, where: str) -> str:
    return hashlib.sha256(f"{vendor}\n{where}".encode()).hexdigest()[:16]


def test_the_default_path_is_named_for_the_file_the_vendor_and_a_hash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERPATCH_JOURNAL_DIR", str(tmp_path / "journals"))
    monkeypatch.chdir(tmp_path)
    expected = tmp_path / "journals" / f"orders-spree-{_tag('spree', str(tmp_path / 'orders.jsonl'))}.sqlite3"
    assert default_journal_path("orders.jsonl", "spree") == expected
    assert default_journal_path(str(tmp_path / "orders.jsonl"), "spree") == expected  # relative = absolute
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert default_journal_path("orders.jsonl", "spree") != expected  # another file of that name
    assert default_journal_path("-", "spree").name == f"stdin-spree-{_tag('spree', '-')}.sqlite3"
    assert default_journal_path("items", "spree").name == f"items-spree-{_tag('spree', 'items')}.sqlite3"
    long = "x" * 60 + ".csv"
    assert default_journal_path(long, "spree").name.startswith("x" * 40 + "-spree-")


def test_without_a_journal_folder_the_state_home_holds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORDERPATCH_JOURNAL_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert default_journal_path("-", "spree").parent == tmp_path / "state" / "orderpatch" / "bulk"
    monkeypatch.setenv("ORDERPATCH_JOURNAL_DIR", "")  # empty is unset
    assert default_journal_path("-", "spree").parent == tmp_path / "state" / "orderpatch" / "bulk"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_journal_path("-", "spree").parent == tmp_path / "home" / ".local" / "state" / "orderpatch" / "bulk"
    monkeypatch.setenv("XDG_STATE_HOME", "")
    assert default_journal_path("-", "spree").parent == tmp_path / "home" / ".local" / "state" / "orderpatch" / "bulk"


# ---------------------------------------------------------------------------------------- selection jobs


def test_the_selection_journal_is_named_for_the_vendor_and_the_digest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from orderpatch.bulk._journal import journal_dir, selection_journal_path

    monkeypatch.setenv("ORDERPATCH_JOURNAL_DIR", str(tmp_path))
    assert journal_dir() == tmp_path
    digest = "0123456789abcdef" + "f" * 48
    assert selection_journal_path(digest, "spree") == tmp_path / "selection-spree-0123456789abcdef.sqlite3"
    monkeypatch.delenv("ORDERPATCH_JOURNAL_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert journal_dir() == tmp_path / "state" / "orderpatch" / "bulk"


def test_skipped_rows_are_written_with_the_job(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring",
                           skipped={2: {"skipped": "déjà", "total": Decimal("2.5")}})  # type: ignore[dict-item]
    assert [(row.state, row.outcome) for row in journal.rows()] == [
        ("pending", None), ("skipped", {"skipped": "déjà", "total": "2.5"}), ("pending", None)]
    assert stored(path, 2)[5] == '{"skipped": "déjà", "total": "2.5"}'
    journal.close()
    again = Journal.open(path, bulk(), vendor="licensespring", skipped={1: {"skipped": "later"}})
    assert again.counts() == {"pending": 2, "skipped": 1}  # a resume writes no new rows
    again.close()


def test_a_snapshot_is_committed_before_the_request_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    journal = Journal.open(path, bulk(), vendor="licensespring")
    assert journal.remembered(1) is None
    journal.remember(1, {"status": "placed", "note": "Café", "total": Decimal("1.0")})  # type: ignore[dict-item]
    assert meta_of(path)["before:1"] == '{"status": "placed", "note": "Café", "total": "1.0"}'
    journal.remember(1, {"status": "approved"})  # replaced, not added
    assert journal.remembered(1) == {"status": "approved"}
    assert journal.remembered(2) is None
    journal.close()
    again = Journal.open(path, bulk(), vendor="licensespring")
    assert again.resumed
    assert again.remembered(1) == {"status": "approved"}
    again.close()


def test_probing_reads_the_job_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite3"
    assert Journal.probe(path) is None
    assert not path.exists()  # nothing created
    journal = Journal.open(path, bulk(), vendor="licensespring")
    meta = Journal.probe(str(path))
    assert meta is not None
    assert (meta["job_id"], meta["vendor"], meta["orders"]) == (journal.job_id, "licensespring", "3")
    journal.close()
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(str(empty)).executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
    assert Journal.probe(empty) is None  # a journal whose job was never written
    bare = tmp_path / "bare.sqlite3"
    sqlite3.connect(str(bare)).executescript("CREATE TABLE other (x);")
    assert Journal.probe(bare) is None  # killed before its first commit


def test_probing_something_else_is_a_configuration_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigurationError) as info:
        Journal.probe(garbage)
    assert str(info.value).startswith(f"journal {garbage}: not a usable orderpatch journal (")
    assert info.value.key == "journal"
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    with pytest.raises(ConfigurationError) as info:
        Journal.probe(folder)
    assert str(info.value).startswith(f"journal {folder}: cannot open it (")
    assert info.value.key == "journal"
