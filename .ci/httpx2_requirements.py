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
SKIP_EXTRAS = {"docs"}  # the docs are built once, in the first virtualenv


def name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def expand(requirements: list[str], seen: set[str]) -> list[str]:
    """``requirements`` with each ``orderpatch[extra, ...]`` replaced by those extras' requirements."""
    out: list[str] = []
    for requirement in requirements:
        if name(requirement) != "orderpatch":
            out.append(requirement)
            continue
        for extra in re.findall(r"[\w-]+", requirement.partition("[")[2]):
            if extra not in seen and extra not in SKIP_EXTRAS:
                seen.add(extra)
                out += expand(extras[extra], seen)
    return out


wanted = expand([*project["dependencies"], "orderpatch[httpx2,sandbox,dev]", "httpx2-pytest>=2"], set())
for requirement in dict.fromkeys(wanted):
    if name(requirement) not in LEAVE_OUT:
        print(requirement)
