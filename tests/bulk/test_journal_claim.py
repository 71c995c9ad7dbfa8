"""``Journal.claim``: one delivery of a task takes a row; the row it returns is the row as it was."""

from __future__ import annotations

import sqlite3
import time
import types
from pathlib import Path

import pytest

from orderpatch import ConfigurationError
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import Journal, JournalRow, read_input
from orderpatch.bulk._journal import State

LS = adapter_for("licensespring")
TEXT = '{"id": 1, "reference": "a"}\n{"id": 2, "reference": "b"}\n'


def journal(tmp_path: Path) -> Journal:
    return Journal.open(tmp_path / "job.sqlite3", read_input("in.jsonl", LS, text=TEXT), vendor="licensespring")


def row(j: Journal, line: int) -> tuple[object, ...]:
    (found,) = [r for r in j.rows() if r.line == line]
    return (found.state, found.attempts, found.idempotency_key, found.idempotent)


def test_a_pending_row_is_taken_and_returned_as_it_was(tmp_path: Path) -> None:
    j = journal(tmp_path)
    before = time.time()
    taken = j.claim(2, idempotency_key="k-2", idempotent=False, lease=30)
    assert taken == JournalRow(line=2, order_id="2", state="pending", attempts=0, idempotency_key=None,
                               idempotent=None, retryable=False, outcome=None)
    assert row(j, 2) == ("sending", 1, "k-2", False)
    assert row(j, 1) == ("pending", 0, None, None)  # only the line claimed
    stamp = sqlite3.connect(tmp_path / "job.sqlite3").execute(
        "SELECT updated_at FROM orders WHERE line = 2").fetchone()[0]
    assert before <= stamp <= time.time()
    j.close()


def test_an_idempotent_claim_is_recorded_as_idempotent(tmp_path: Path) -> None:
    j = journal(tmp_path)
    assert j.claim(1, idempotency_key=None, idempotent=True, lease=30) is not None
    assert row(j, 1) == ("sending", 1, None, True)
    j.close()


def test_a_young_sending_row_is_left_and_an_old_one_is_taken_again(tmp_path: Path) -> None:
    j = journal(tmp_path)
    j.claim(1, idempotency_key="k-1", idempotent=False, lease=30)
    assert j.claim(1, idempotency_key="k-x", idempotent=True, lease=30) is None
    assert row(j, 1) == ("sending", 1, "k-1", False)  # untouched by the refused claim
    time.sleep(0.02)
    again = j.claim(1, idempotency_key="k-1", idempotent=False, lease=0.01)  # its delivery died
    assert again is not None
    assert (again.state, again.attempts, again.idempotency_key, again.idempotent) == ("sending", 1, "k-1", False)
    assert row(j, 1) == ("sending", 2, "k-1", False)
    j.close()


@pytest.mark.parametrize("state", ["done", "failed", "unknown", "skipped"])
def test_a_final_row_is_returned_and_left_as_it_is(tmp_path: Path, state: State) -> None:
    j = journal(tmp_path)
    j.sending(1, idempotency_key="k-1", idempotent=True)
    j.finish(1, state, {"id": 1, "note": "é"}, retryable=True)
    time.sleep(0.02)
    final = j.claim(1, idempotency_key="k-2", idempotent=False, lease=0.01)
    assert final == JournalRow(line=1, order_id="1", state=state, attempts=1, idempotency_key="k-1",
                               idempotent=True, retryable=True, outcome={"id": 1, "note": "é"})
    assert row(j, 1) == (state, 1, "k-1", True)
    j.close()


def test_an_unknown_line_is_refused_and_the_transaction_closed(tmp_path: Path) -> None:
    j = journal(tmp_path)
    with pytest.raises(ConfigurationError) as info:
        j.claim(9, idempotency_key=None, idempotent=True, lease=30)
    assert str(info.value) == f"journal {tmp_path / 'job.sqlite3'}: no order on line 9"
    assert info.value.key == "line"
    assert j.claim(1, idempotency_key=None, idempotent=True, lease=30) is not None  # no transaction left open
    j.close()


def test_a_sending_row_exactly_as_old_as_the_lease_is_taken_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    j = journal(tmp_path)
    clock = [1_000.0]
    monkeypatch.setattr("orderpatch.bulk._journal.time", types.SimpleNamespace(time=lambda: clock[0]))
    j.claim(1, idempotency_key="k-1", idempotent=False, lease=30)
    clock[0] = 1_029.5
    assert j.claim(1, idempotency_key="k-1", idempotent=False, lease=30) is None
    clock[0] = 1_030.0  # the lease is over at its end, not after it
    assert j.claim(1, idempotency_key="k-1", idempotent=False, lease=30) is not None
    assert row(j, 1) == ("sending", 2, "k-1", False)
    j.close()
