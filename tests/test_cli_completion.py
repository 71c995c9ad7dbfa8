"""Shell completion through argcomplete (the 'completion' extra): subcommands and their flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("argcomplete")


def complete(line: str, tmp_path: Path) -> list[str]:
    out = tmp_path / "completions"
    env = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_STDOUT_FILENAME": str(out), "COMP_LINE": line,
           "COMP_POINT": str(len(line)), "_ARGCOMPLETE_IFS": "\n"}
    result = subprocess.run([sys.executable, "-m", "orderpatch"], env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return sorted(item.strip() for item in out.read_text().split("\n") if item.strip()) if out.exists() else []


def test_subcommands_complete(tmp_path: Path) -> None:
    assert {"action", "check", "sandbox", "update"} <= set(complete("orderpatch ", tmp_path))
    assert complete("orderpatch ch", tmp_path) == ["check"]


def test_flags_and_choices_complete(tmp_path: Path) -> None:
    assert {"--fields", "--quiet", "--native"} <= set(complete("orderpatch update R1 --", tmp_path))
    assert complete("orderpatch update R1 --output t", tmp_path) == ["table"]


def test_without_the_request_nothing_is_imported() -> None:
    code = "import sys, orderpatch.cli as c; c._complete(c.build_parser()); print('argcomplete' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if k != "_ARGCOMPLETE"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
