"""Helpers of the end-to-end bulk tests: the command in a real subprocess against the loopback sandbox."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from orderpatch.sandbox import Sandbox


def env_for(sandbox: Sandbox, vendor: str, journal_dir: Path) -> dict[str, str]:
    """The environment of a child process configured for ``vendor`` on the sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERPATCH_")}
    env["ORDERPATCH_VENDOR"] = vendor
    env["ORDERPATCH_JOURNAL_DIR"] = str(journal_dir)
    for key, value in sandbox.settings(vendor).items():
        env[f"ORDERPATCH_{vendor.upper()}_{key.upper()}"] = str(value)
    return env


def bulk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "orderpatch", "bulk", *args]


def run_bulk(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(bulk_command(*args), env=env, capture_output=True, text=True, timeout=timeout, check=False)


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def applied_writes(sandbox: Sandbox, vendor: str, method: str) -> Counter[str]:
    """How many ``method`` requests each order got that the sandbox answered with a 2xx."""
    counts: Counter[str] = Counter()
    for record in sandbox.requests_log():
        if record.vendor == vendor and record.method == method and record.status is not None \
                and 200 <= record.status < 300:
            counts[record.path.rstrip("/").rsplit("/", 1)[-1]] += 1
    return counts


def journal_states(path: Path) -> Counter[str]:
    db = sqlite3.connect(path)
    try:
        return Counter(dict(db.execute("SELECT state, COUNT(*) FROM orders GROUP BY state").fetchall()))
    finally:
        db.close()


def journal_done_fresh(path: Path, fresh: set[int]) -> int:
    """How many of the lines ``fresh`` (never attempted before this run) are done now."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return 0
    try:
        rows = db.execute("SELECT line FROM orders WHERE state IN ('done', 'failed', 'unknown')").fetchall()
    except sqlite3.Error:
        return 0
    finally:
        db.close()
    return sum(1 for (line,) in rows if line in fresh)


def never_attempted(path: Path) -> set[int]:
    if not path.exists():
        return set()
    db = sqlite3.connect(path)
    try:
        try:
            return {line for (line,) in db.execute("SELECT line FROM orders WHERE attempts = 0").fetchall()}
        except sqlite3.Error:
            return set()
    finally:
        db.close()
