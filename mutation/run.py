"""Mutation testing of the modules that decide safety (mutmut 3), one module at a time.

    python mutation/run.py                       # every module of mutation/config.toml
    python mutation/run.py orderpatch/_retry.py  # only these
    python mutation/run.py --jobs 2 --markdown   # a table for docs/reliability.md

Each module is mutated in its own scratch copy of the repository and tested with only the test
files that matter for it (``tests`` in the config), so that a run fits a small shared machine;
everything runs under ``nice -n 19``. A survivor that the config lists as equivalent (the same
function, the same changed line, with the reason) is not counted against the score:
``score = killed / (mutants - equivalent)``, where "killed" includes timeouts and a mutant that
no selected test reaches counts as surviving. Exit status 1 when a module is under its target.
Not run in CI (it is slow): ``nox -s mutation``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).resolve().with_name("config.toml")
_RESULT = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>[a-z ]+)$")
_CAUGHT = {"killed", "timeout", "caught by type check"}


@dataclass(frozen=True)
class Equivalent:
    function: str
    to: str
    why: str
    original: str | None = None

    def matches(self, function: str, removed: str, added: str) -> bool:
        return (
            function == self.function
            and _squash(added) == _squash(self.to)
            and (self.original is None or _squash(removed) == _squash(self.original))
        )


@dataclass(frozen=True)
class Module:
    path: str
    tests: tuple[str, ...]
    target: float
    equivalents: tuple[Equivalent, ...] = ()
    #: Module-level caches (dicts, ``functools.cache`` functions) emptied before every test, so
    #: that a mutant of the code that fills them runs instead of the original's cached result.
    reset_caches: tuple[str, ...] = ()
    #: Test ids of the selected files left out of the run (too slow to repeat for every mutant),
    #: each with the reason in the config.
    deselect: tuple[str, ...] = ()
    #: The reason when a survivor that only changes the letter case of an SQL statement is
    #: equivalent (``sql_case_equivalent`` in the config): keywords, table and column names are
    #: case-insensitive in SQLite. The quoted literals inside the SQL (``'pending'``) must not change.
    sql_case: str | None = None


_SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|BEGIN|COMMIT|PRAGMA|FROM|WHERE|SET|ORDER BY|VALUES)\b")
_SQL_LITERAL = re.compile(r"'[^'\n]*'")


def sql_case_only(removed: str, added: str) -> bool:
    """Whether a one-line mutant changes only the letter case of SQL, not of a quoted literal in it."""
    if "\n" in removed or not removed or removed == added or removed.lower() != added.lower():
        return False
    return bool(_SQL_WORD.search(removed)) and _SQL_LITERAL.findall(removed) == _SQL_LITERAL.findall(added)


@dataclass
class Score:
    module: Module
    statuses: dict[str, str] = field(default_factory=dict)
    equivalent: dict[str, str] = field(default_factory=dict)
    survivors: dict[str, str] = field(default_factory=dict)  # name -> diff

    @property
    def mutants(self) -> int:
        return len(self.statuses)

    @property
    def killed(self) -> int:
        return sum(1 for status in self.statuses.values() if status in _CAUGHT)

    @property
    def score(self) -> float:
        counted = self.mutants - len(self.equivalent)
        return 100.0 if counted <= 0 else 100.0 * self.killed / counted

    @property
    def ok(self) -> bool:
        return self.score >= self.module.target


def _squash(text: str) -> str:
    return " ".join(text.split())


def load_config(path: Path = CONFIG) -> list[Module]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    default_target = float(data.get("defaults", {}).get("target", 90))
    modules = []
    for entry in data["module"]:
        equivalents = tuple(
            Equivalent(function=e["function"], to=e["to"], why=e["why"], original=e.get("from"))
            for e in entry.get("equivalent", [])
        )
        modules.append(
            Module(
                path=entry["path"],
                tests=tuple(entry["tests"]),
                target=float(entry.get("target", default_target)),
                equivalents=equivalents,
                reset_caches=tuple(entry.get("reset_caches", [])),
                sql_case=entry.get("sql_case_equivalent"),
                deselect=tuple(d["test"] for d in entry.get("deselect", [])),
            )
        )
    return modules


def _function_of(mutant: str) -> str:
    """``orderpatch._auth.xǁOAuth2ǁ_accept__mutmut_3`` -> ``OAuth2._accept``."""
    mangled = mutant.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[1]
    return mangled.removeprefix("x_").removeprefix("xǁ").replace("ǁ", ".")


def _changed_lines(diff: str) -> tuple[str, str]:
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return "\n".join(removed), "\n".join(added)


def _scratch_copy(module: Module, where: Path) -> None:
    shutil.copytree(ROOT / "orderpatch", where / "orderpatch", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", where / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shared = ROOT.parent / "shared"
    if shared.is_dir():  # tests/conftest.py finds the vendor contract files at ../shared
        (where / "shared").symlink_to(shared)
    if module.reset_caches:
        with (where / "tests" / "conftest.py").open("a", encoding="utf-8") as conftest:
            conftest.write(_RESET_FIXTURE.format(caches=list(module.reset_caches)))
    selection = ", ".join([f'"{test}"' for test in module.tests] + [f'"--deselect={test}"' for test in module.deselect])
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (where / "pyproject.toml").write_text(
        pyproject
        + "\n[tool.mutmut]\n"
        + 'source_paths = ["orderpatch/"]\n'
        + f'only_mutate = ["{module.path}"]\n'
        + f"pytest_add_cli_args_test_selection = [{selection}]\n"
        + 'pytest_add_cli_args = ["-q", "-x", "-p", "no:randomly"]\n'
        + "use_git_change_detection = false\n",
        encoding="utf-8",
    )


_RESET_FIXTURE = """

# Added by mutation/run.py in its scratch copy only: without this, a cache filled by the
# original code before the mutant was switched on would hide the mutant.
@pytest.fixture(autouse=True)
def _mutation_reset_caches() -> None:
    import importlib

    for dotted in {caches!r}:
        owner, _, name = dotted.rpartition(".")
        cache = getattr(importlib.import_module(owner), name)
        if hasattr(cache, "cache_clear"):
            cache.cache_clear()
        else:
            cache.clear()
"""


def _mutmut(where: Path, *args: str) -> str:
    command = ["nice", "-n", "19", sys.executable, "-m", "mutmut", *args]
    done = subprocess.run(command, cwd=where, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"mutmut {' '.join(args)} failed in {where}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def run_module(module: Module, *, jobs: int, keep: Path | None) -> Score:
    base = Path(tempfile.mkdtemp(prefix="orderpatch-mutation-")) if keep is None else keep
    where = base / module.path.replace("/", "_").removesuffix(".py")
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    try:
        _scratch_copy(module, where)
        _mutmut(where, "run", "--max-children", str(jobs))
        score = Score(module=module)
        for line in _mutmut(where, "results", "--all", "true").splitlines():
            match = _RESULT.match(line)
            if match:
                score.statuses[match["name"]] = match["status"].strip()
        for name, status in sorted(score.statuses.items()):
            if status in _CAUGHT:
                continue
            diff = _mutmut(where, "show", name)
            removed, added = _changed_lines(diff)
            why = next(
                (e.why for e in module.equivalents if e.matches(_function_of(name), removed, added)),
                None,
            )
            if why is None and module.sql_case is not None and sql_case_only(removed, added):
                why = module.sql_case
            if why is None:
                score.survivors[name] = diff
            else:
                score.equivalent[name] = why
        return score
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)


def table(scores: Sequence[Score]) -> str:
    lines = [
        "| module | mutants | killed | equivalent | score | target |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| `{s.module.path.removeprefix('orderpatch/')}` | {s.mutants} | {s.killed} | {len(s.equivalent)} "
            f"| {s.score:.1f}% | {s.module.target:.0f}% |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("modules", nargs="*", help="module paths from mutation/config.toml (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--keep", type=Path, help="keep the scratch copies under this folder")
    parser.add_argument("--markdown", action="store_true", help="print the score table as Markdown only")
    parser.add_argument("--show-survivors", action="store_true", help="print the diff of every survivor")
    args = parser.parse_args(argv)
    modules = load_config()
    known = {m.path for m in modules}
    unknown = [m for m in args.modules if m not in known]
    if unknown:
        parser.error(f"not in mutation/config.toml: {', '.join(unknown)}")
    chosen = [m for m in modules if not args.modules or m.path in args.modules]
    scores = []
    for module in chosen:
        missing = [m for m in (module.path, *module.tests) if not (ROOT / m).exists()]
        if missing:
            print(f"skipped {module.path}: {', '.join(missing)} not in this checkout", file=sys.stderr)
            continue
        score = run_module(module, jobs=args.jobs, keep=args.keep)
        scores.append(score)
        if not args.markdown:
            print(f"{module.path}: {score.killed}/{score.mutants} killed, {len(score.equivalent)} equivalent, "
                  f"{len(score.survivors)} surviving, score {score.score:.1f}% (target {module.target:.0f}%)",
                  flush=True)
            for name, diff in score.survivors.items():
                print(diff if args.show_survivors else f"    survived: {name}", flush=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nmutmut, {stamp}, python mutation/run.py {' '.join(sys.argv[1:]) if argv is None else ''}".rstrip())
    print(table(scores))
    return 0 if all(s.ok for s in scores) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
