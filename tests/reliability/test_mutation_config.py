"""Guard: mutation/config.toml names real modules and test files, gives every equivalent mutant a
reason, and the SQL letter-case rule of mutation/run.py excuses nothing but letter case in SQL.

The mutation run itself is slow and not part of the suite (``nox -s mutation``); this keeps its
configuration from silently rotting (a renamed test file would make a module's mutants survive).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_run", ROOT / "mutation" / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation_run", module)
    spec.loader.exec_module(module)
    return module


RUN = _runner()


def test_every_module_and_test_file_exists() -> None:
    modules = RUN.load_config()
    assert len(modules) >= 15
    for module in modules:
        assert (ROOT / module.path).is_file(), module.path
        assert module.tests, module.path
        for test in module.tests:
            assert (ROOT / test).is_file(), f"{module.path}: {test}"
        assert module.target >= 90


def test_every_equivalent_mutant_says_why() -> None:
    for module in RUN.load_config():
        for equivalent in module.equivalents:
            assert equivalent.function, module.path
            assert equivalent.to.strip() or equivalent.original, module.path  # a removed line: from, and to = ""
            assert len(equivalent.why.strip()) >= 10, (module.path, equivalent.function, equivalent.to)


def test_the_three_strictest_targets() -> None:
    targets = {module.path: module.target for module in RUN.load_config()}
    assert targets["orderpatch/_log.py"] == 95
    assert targets["orderpatch/_retry.py"] == 95
    assert targets["orderpatch/bulk/_journal.py"] == 95


@pytest.mark.parametrize(("removed", "added"), [
    ('    db.execute("COMMIT")', '    db.execute("commit")'),
    ('    sql = ("SELECT line, order_id FROM orders")', '    sql = ("SELECT LINE, ORDER_ID FROM ORDERS")'),
    ("""    self._write("UPDATE orders SET state = 'sending' WHERE line = ?",""",
     """    self._write("update orders set state = 'sending' where line = ?","""),
])
def test_sql_in_another_letter_case_is_equivalent(removed: str, added: str) -> None:
    assert RUN.sql_case_only(removed, added)


@pytest.mark.parametrize(("removed", "added"), [
    # a quoted SQL literal is data: 'SENDING' breaks the CHECK constraint
    ("""    self._write("UPDATE orders SET state = 'sending' WHERE line = ?",""",
     """    self._write("UPDATE ORDERS SET STATE = 'SENDING' WHERE LINE = ?","""),
    # not SQL: an environment variable name
    ('    state = os.environ.get("XDG_STATE_HOME")', '    state = os.environ.get("xdg_state_home")'),
    # more than letter case
    ('    db.execute("COMMIT")', '    db.execute("XXCOMMITXX")'),
    ('    db.execute("COMMIT")', '    db.execute("COMMIT")'),
    ('    db.execute("COMMIT")\n    x = 1', '    db.execute("commit")\n    x = 1'),
    ("", ""),
])
def test_anything_else_is_not(removed: str, added: str) -> None:
    assert not RUN.sql_case_only(removed, added)
