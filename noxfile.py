"""Developer sessions: ``nox -s tests``, ``nox -s typecheck``, ``nox -s lint`` (and, on demand, ``nox -s mutation``).

Sessions use the interpreter nox runs under (these machines have only Python 3.11), so no
session fails because another Python version is missing.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite with branch coverage of orderpatch/ (floor 90%)."""
    session.install("-e", ".[dev]")
    session.run("pytest", "--cov=orderpatch", "--cov-branch", "--cov-fail-under=97", *session.posargs)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the tests and the examples."""
    session.install("-e", ".[dev]")
    session.run("mypy", "--strict", "orderpatch", "tests", "examples")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over everything that is Python."""
    session.install("ruff")
    session.run("ruff", "check", ".")


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation score of the modules that decide safety (mutmut 3; slow, so not in CI or the defaults).

    ``nox -s mutation``, or ``nox -s mutation -- orderpatch/_retry.py`` for some modules; see mutation/run.py.
    """
    session.install("-e", ".[dev,mutation]")
    session.run("python", "mutation/run.py", *session.posargs)
