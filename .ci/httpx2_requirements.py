"""Print what the test suite needs on httpx2 alone, one requirement a line, read from pyproject.toml.

orderpatch's own dependencies and the sandbox extra, with httpx replaced by the httpx2 extra;
the dev tools that run tests and type checks, with pytest-httpx (which depends on httpx)
replaced by httpx2-pytest, its port to httpx2 (same ``HTTPXMock`` API; fixture ``httpx2_mock``,
which tests/_http_stack.py serves as ``httpx_mock``). Used by .ci/run for the second test run:
``pip install --no-deps -e .`` then ``pip install -r`` this list, so httpx is never installed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
extras = project["optional-dependencies"]
LEAVE_OUT = {"httpx", "pytest-httpx", "ruff", "nox", "build"}  # httpx's stack, and tools this run does not use


def name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


wanted = [*project["dependencies"], *extras["httpx2"], *extras["sandbox"], *extras["dev"], "httpx2-pytest>=2"]
for requirement in wanted:
    if name(requirement) not in LEAVE_OUT and name(requirement) != "orderpatch":
        print(requirement)
