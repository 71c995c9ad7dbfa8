"""docs/reliability.md cannot drift: it shows the generated matrix, and every xfail bug of the suite."""

from __future__ import annotations

import importlib
import pkgutil
import re
import types
from collections.abc import Iterable, Iterator, Sequence

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


def _test_modules() -> Iterator[types.ModuleType]:
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("test_"):
            yield importlib.import_module(f"{package.__name__}.{info.name}")


def _xfail_tests(modules: Iterable[types.ModuleType]) -> Iterator[str]:
    """The tests of ``modules`` marked xfail, on the function or on one of its parameter sets."""
    for module in modules:
        for name, function in vars(module).items():
            if not name.startswith("test_"):
                continue
            marks = list(getattr(function, "pytestmark", []))
            params = [p for m in marks if m.name == "parametrize" for p in m.args[1]
                      if isinstance(p, type(pytest.param()))]
            if any(m.name == "xfail" for m in marks) or any(m.name == "xfail" for p in params for m in p.marks):
                yield name


def test_the_xfail_scan_finds_marked_tests_and_parameter_sets() -> None:
    # The suite has no xfail test today, so the scan below must be shown to find one.
    module = types.ModuleType("tests.reliability.test_fake")

    @pytest.mark.xfail(strict=True, reason="a known bug")
    def test_marked() -> None: ...

    @pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.xfail(strict=True))])
    def test_one_case_marked(x: int) -> None: ...

    @pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.loopback)])
    @pytest.mark.skip(reason="not an xfail")
    def test_not_marked(x: int) -> None: ...

    def helper_marked() -> None: ...

    for function in (test_marked, test_one_case_marked, test_not_marked, pytest.mark.xfail(helper_marked)):
        setattr(module, function.__name__, function)
    assert sorted(_xfail_tests([module])) == ["test_marked", "test_one_case_marked"]


def test_every_known_bug_of_the_suite_is_listed_on_the_page() -> None:
    xfails = sorted(set(_xfail_tests(_test_modules())))
    missing = [name for name in xfails if f"`{name}`" not in page()]
    assert missing == [], "add these xfail tests to 'Known issues' in docs/reliability.md"


def test_every_test_the_page_names_as_a_guard_exists() -> None:
    # The other direction: each fixed bug names the test that guards it; a renamed or deleted
    # guard would leave the page pointing at nothing.
    section = page().split("## Bugs this suite found", 1)[1]
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", section))
    assert len(named) >= 10
    defined = {name for module in _test_modules() for name in vars(module) if name.startswith("test_")}
    assert sorted(named - defined) == []
