"""The durable state of a bulk job: one sqlite3 row per order, written ahead of every request.

A row moves ``pending`` → ``sending`` (the idempotency key and whether the change is idempotent
are committed *before* the request leaves) → ``done`` / ``failed`` / ``skipped`` / ``unknown``.
After a crash, ``sending`` rows are exactly the orders whose request may have reached the
vendor without an answer recorded; nothing else is in doubt.

The database is in WAL mode with ``synchronous=NORMAL``: a committed transaction survives the
process being killed (SIGKILL included); only a power loss may take the last few with it.
The ``meta`` table holds the input's hash: a journal made for another input is refused unless
the job is restarted, which forgets every row.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final, Literal

import attrs

from .._constants import BULK_JOURNAL_BUSY_TIMEOUT, BULK_JOURNAL_DIR_ENV, BULK_JOURNAL_SCHEMA_VERSION
from .._types import JSONValue
from ..errors import ConfigurationError
from ._input import BulkInput

__all__ = ["FINAL_STATES", "Journal", "JournalRow", "State", "default_journal_path", "journal_dir",
           "selection_journal_path"]

State = Literal["pending", "sending", "done", "failed", "skipped", "unknown"]
FINAL_STATES: Final = frozenset({"done", "failed", "skipped", "unknown"})

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    line INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'done', 'failed', 'skipped', 'unknown')),
    attempts INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT,
    idempotent INTEGER,
    retryable INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    updated_at REAL NOT NULL
);
"""


@attrs.frozen(kw_only=True)
class JournalRow:
    """One order as the journal holds it."""

    line: int
    order_id: str
    state: State
    attempts: int
    idempotency_key: str | None
    idempotent: bool | None
    retryable: bool
    outcome: JSONValue


def journal_dir() -> Path:
    """Where journals go without ``--journal``: ``$ORDERPATCH_JOURNAL_DIR``, else ``$XDG_STATE_HOME/orderpatch/bulk``.
    """
    base = os.environ.get(BULK_JOURNAL_DIR_ENV)
    if not base:
        state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        base = str(Path(state) / "orderpatch" / "bulk")
    return Path(base)


def default_journal_path(source: str, vendor: str) -> Path:
    """Where a job keeps its journal without ``--journal``: one file per (vendor, input file).

    Under ``$ORDERPATCH_JOURNAL_DIR``, else ``$XDG_STATE_HOME/orderpatch/bulk`` (by default
    ``~/.local/state/orderpatch/bulk``). Rerunning the same command finds the same journal.
    """
    import hashlib

    where = source if source in ("-", "items") else str(Path(source).resolve())
    tag = hashlib.sha256(f"{vendor}\n{where}".encode()).hexdigest()[:16]
    stem = Path(source).stem if source not in ("-", "items") else source.strip("-") or "stdin"
    return journal_dir() / f"{stem[:40]}-{vendor}-{tag}.sqlite3"


def selection_journal_path(digest: str, vendor: str) -> Path:
    """The default journal of a selection job (``--where`` … ``--set`` …): one per (vendor, filter, change)."""
    return journal_dir() / f"selection-{vendor}-{digest[:16]}.sqlite3"


class Journal:
    """The journal of one job; safe to use from the threads of one process (one lock, short writes)."""

    def __init__(self, path: str | Path, connection: sqlite3.Connection, job_id: str, resumed: bool) -> None:
        self.path = Path(path)
        self._db = connection
        self._lock = threading.Lock()
        #: The job's identity, the seed of its idempotency keys; kept across resumes.
        self.job_id = job_id
        #: Whether this journal already held the job (a resume) rather than being created now.
        self.resumed = resumed

    @staticmethod
    def probe(path: str | Path) -> dict[str, str] | None:
        """The ``meta`` of the job the journal at ``path`` holds, or ``None`` when it holds none (or does not exist).

        Read-only: nothing is created. A selection job asks this before listing its orders.
        """
        path = Path(path)
        if not path.exists():
            return None
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BULK_JOURNAL_BUSY_TIMEOUT)
        except sqlite3.Error as exc:
            raise ConfigurationError(f"journal {path}: cannot open it ({exc})", key="journal") from None
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError:  # no meta table yet: created by a run killed before its first commit
            return None
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(f"journal {path}: not a usable orderpatch journal ({exc})", key="journal") \
                from None
        finally:
            db.close()
        return meta or None

    @classmethod
    def open(cls, path: str | Path, bulk: BulkInput, *, vendor: str, restart: bool = False,
             skipped: Mapping[int, JSONValue] | None = None) -> Journal:
        """Open (or create) the journal for ``bulk``; ``ConfigurationError`` if it was made for another input.

        ``skipped`` (line → outcome) creates those rows ``skipped`` in the same commit: orders a
        selection found already holding the change.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=BULK_JOURNAL_BUSY_TIMEOUT, isolation_level=None,
                                 check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigurationError(f"journal {path}: cannot open it ({exc})", key="journal") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta and restart:
                db.executescript("BEGIN; DELETE FROM orders; DELETE FROM meta; COMMIT;")
                meta = {}
            if meta:
                cls._check(path, meta, bulk, vendor)
                return cls(path, db, meta["job_id"], resumed=True)
            job_id = uuid.uuid4().hex
            now = time.time()
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                ("schema", str(BULK_JOURNAL_SCHEMA_VERSION)), ("job_id", job_id), ("input_hash", bulk.digest),
                ("vendor", vendor), ("source", bulk.source), ("created_at", str(now)),
                ("orders", str(len(bulk.items))),
            ])
            db.executemany("INSERT INTO orders (line, order_id, updated_at) VALUES (?, ?, ?)",
                           [(item.line, item.order_id, now) for item in bulk.items])
            db.executemany("UPDATE orders SET state = 'skipped', outcome = ? WHERE line = ?",
                           [(json.dumps(outcome, ensure_ascii=False, default=str), line)
                            for line, outcome in (skipped or {}).items()])
            db.execute("COMMIT")
            return cls(path, db, job_id, resumed=False)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise ConfigurationError(f"journal {path}: not a usable orderpatch journal ({exc})", key="journal") \
                from None
        except BaseException:
            db.close()
            raise

    @staticmethod
    def _check(path: Path, meta: dict[str, str], bulk: BulkInput, vendor: str) -> None:
        if meta.get("schema") != str(BULK_JOURNAL_SCHEMA_VERSION) or "job_id" not in meta:
            raise ConfigurationError(f"journal {path}: not an orderpatch bulk journal of this version", key="journal")
        if meta.get("vendor") != vendor or meta.get("input_hash") != bulk.digest:
            raise ConfigurationError(
                f"journal {path} belongs to another job (input {meta.get('source')!r} for {meta.get('vendor')}, "
                f"made {time.strftime('%Y-%m-%d %H:%M', time.localtime(float(meta.get('created_at', '0'))))}); "
                "give the same input to resume it, another --journal, or --restart to start over "
                "(orders done there would be sent again)",
                key="journal",
            )

    # ------------------------------------------------------------------ reading

    def rows(self, states: Iterable[str] | None = None) -> list[JournalRow]:
        """Every row (or those in ``states``), in input order."""
        sql = ("SELECT line, order_id, state, attempts, idempotency_key, idempotent, retryable, outcome "
               "FROM orders")
        params: Sequence[str] = ()
        if states is not None:
            params = tuple(states)
            sql += f" WHERE state IN ({', '.join('?' * len(params))})"
        with self._lock:
            fetched = self._db.execute(sql + " ORDER BY line", params).fetchall()
        return [
            JournalRow(line=line, order_id=order_id, state=state, attempts=attempts, idempotency_key=key,
                       idempotent=None if idempotent is None else bool(idempotent), retryable=bool(retryable),
                       outcome=None if outcome is None else json.loads(outcome))
            for line, order_id, state, attempts, key, idempotent, retryable, outcome in fetched
        ]

    def counts(self) -> dict[str, int]:
        """How many orders are in each state."""
        with self._lock:
            return dict(self._db.execute("SELECT state, COUNT(*) FROM orders GROUP BY state").fetchall())

    # ------------------------------------------------------------------ writing (each one a commit)

    def sending(self, line: int, *, idempotency_key: str | None, idempotent: bool) -> None:
        """Commit that the request of ``line`` is about to leave, with its key; before it does."""
        self._write("UPDATE orders SET state = 'sending', attempts = attempts + 1, idempotency_key = ?, "
                    "idempotent = ?, updated_at = ? WHERE line = ?",
                    (idempotency_key, int(idempotent), time.time(), line))

    def claim(self, line: int, *, idempotency_key: str | None, idempotent: bool, lease: float) -> JournalRow | None:
        """Take ``line`` for one delivery of a task queue's task; its row as it was before (``BulkTasks``).

        One transaction, so the workers of every process on this journal see one winner. A
        ``pending`` row, or a ``sending`` one last written more than ``lease`` seconds ago (its
        delivery died), becomes ``sending`` with ``idempotency_key`` before the request leaves; a
        final row is left as it is. ``None``: a ``sending`` row younger than ``lease``, left to the
        delivery that may still be sending it.
        """
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                found = self._db.execute(
                    "SELECT line, order_id, state, attempts, idempotency_key, idempotent, retryable, outcome, "
                    "updated_at FROM orders WHERE line = ?", (line,)).fetchone()
                if found is None:
                    raise ConfigurationError(f"journal {self.path}: no order on line {line}", key="line")
                *fields, updated_at = found
                busy = fields[2] == "sending" and now - updated_at < lease
                if fields[2] not in FINAL_STATES and not busy:
                    self._db.execute("UPDATE orders SET state = 'sending', attempts = attempts + 1, "
                                     "idempotency_key = ?, idempotent = ?, updated_at = ? WHERE line = ?",
                                     (idempotency_key, int(idempotent), now, line))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        if busy:
            return None
        line_, order_id, state, attempts, key, was_idempotent, retryable, outcome = fields
        return JournalRow(line=line_, order_id=order_id, state=state, attempts=attempts, idempotency_key=key,
                          idempotent=None if was_idempotent is None else bool(was_idempotent),
                          retryable=bool(retryable), outcome=None if outcome is None else json.loads(outcome))

    def finish(self, line: int, state: State, outcome: JSONValue, *, retryable: bool = False) -> None:
        """Commit the final state of ``line`` with its outcome (the order summary, or the error)."""
        self._write("UPDATE orders SET state = ?, outcome = ?, retryable = ?, updated_at = ? WHERE line = ?",
                    (state, json.dumps(outcome, ensure_ascii=False, default=str), int(retryable), time.time(), line))

    def remember(self, line: int, snapshot: JSONValue) -> None:
        """Commit what order ``line`` looked like just before its non-idempotent request (read back on resume)."""
        self._write("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (f"before:{line}", json.dumps(snapshot, ensure_ascii=False, default=str)))

    def remembered(self, line: int) -> JSONValue:
        """The snapshot ``remember`` committed for ``line``, or ``None``."""
        with self._lock:
            found = self._db.execute("SELECT value FROM meta WHERE key = ?", (f"before:{line}",)).fetchone()
        return None if found is None else json.loads(found[0])

    def requeue(self, lines: Iterable[int]) -> None:
        """Put ``lines`` back to ``pending`` (failures worth another try on resume)."""
        self._db_many("UPDATE orders SET state = 'pending', updated_at = ? WHERE line = ?",
                      [(time.time(), line) for line in lines])

    def _write(self, sql: str, params: Sequence[object]) -> None:
        with self._lock:
            self._db.execute(sql, params)

    def _db_many(self, sql: str, params: Sequence[Sequence[object]]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(sql, params)
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database (every write is already committed)."""
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r}, job_id={self.job_id!r})"
