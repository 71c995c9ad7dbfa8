"""docs/reliability.md cannot drift: it shows the generated matrix, and every xfail bug of the suite."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Sequence

import pytest

import tests.reliability as package

from ._matrix import (
    DOC_PATH,
    FAULTS,
    OAUTH_OPERATIONS,
    TOKEN_FAULTS,
    Fault,
    TokenFault,
    generated_block,
    render_markdown,
)
from ._targets import OPERATIONS, Operation


def page() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


def test_the_page_shows_the_matrix_the_tests_assert() -> None:
    block = generated_block(page())
    assert block is not None, "docs/reliability.md lost its generated block"
    assert block == render_markdown(), "the matrix changed: run python -m tests.reliability._matrix --write"


def test_every_cell_is_on_the_page() -> None:
    lines = page().splitlines()
    rows = {line.split(" | ")[0].lstrip("| "): line for line in lines if line.startswith("| ")}
    headers = [line for line in lines if line.startswith("| fault |")]
    assert len(headers) == 2
    tables: tuple[tuple[Sequence[Fault | TokenFault], Sequence[Operation]], ...] = (
        (FAULTS, OPERATIONS), (TOKEN_FAULTS, OAUTH_OPERATIONS))
    for header, (faults, operations) in zip(headers, tables, strict=True):
        columns = [cell.strip(" `") for cell in header.strip("|").split("|")][1:]
        assert columns == [op.key for op in operations]
        for fault in faults:
            cells = [cell.strip() for cell in rows[fault.title].strip("|").split("|")][1:]
            assert cells == [fault.expected(op).text() for op in operations], fault.key


def test_the_page_says_how_to_rerun_the_suite() -> None:
    assert "python -m pytest tests/reliability -q" in page()


def _xfail_tests() -> Iterator[str]:
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, function in vars(module).items():
            if not name.startswith("test_"):
                continue
            marks = list(getattr(function, "pytestmark", []))
            params = [p for m in marks if m.name == "parametrize" for p in m.args[1]
                      if isinstance(p, type(pytest.param()))]
            if any(m.name == "xfail" for m in marks) or any(m.name == "xfail" for p in params for m in p.marks):
                yield name


def test_every_known_bug_of_the_suite_is_listed_on_the_page() -> None:
    xfails = sorted(set(_xfail_tests()))
    missing = [name for name in xfails if f"`{name}`" not in page()]
    assert missing == [], "add these xfail tests to 'Known issues' in docs/reliability.md"
