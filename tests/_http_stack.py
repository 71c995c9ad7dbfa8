"""Which HTTP package the test suite runs on, and the mocking library that goes with it.

On httpx (the default) nothing happens: tests use httpx and pytest-httpx as written.

In CI's second run (.ci/run: a clean virtualenv with httpx2 and *without* httpx) the tests run
unchanged on httpx2:

* ``httpx2.alias_httpx()`` makes the tests' own ``import httpx`` resolve to httpx2, so what a
  test builds (``httpx.Response``, ``httpx.MockTransport``...) is httpx2's. orderpatch itself
  never relies on that alias: it imports httpx2 through ``orderpatch._http``, and
  tests/test_http_stack.py checks, in an interpreter without the alias, that every orderpatch
  module imports there with no ``httpx`` at all;
* ``pytest_httpx`` is served by httpx2-pytest's ``pytest_httpx2`` (the same ``HTTPXMock``), and
  its ``httpx2_mock`` fixture as ``httpx_mock`` (see tests/conftest.py).

This module must be imported before anything imports httpx: tests/conftest.py does it first.
"""

from __future__ import annotations

import importlib.util
import sys

#: True in the httpx2-only run.
ALIASED = importlib.util.find_spec("httpx") is None and importlib.util.find_spec("httpx2") is not None

if ALIASED:
    import httpx2

    httpx2.alias_httpx()
    import pytest_httpx2

    sys.modules.setdefault("pytest_httpx", pytest_httpx2)


def describe() -> str:
    """One line for pytest's header: the package orderpatch runs on, and how the tests reach it."""
    from orderpatch import _http

    how = "tests' `import httpx` aliased to httpx2, pytest-httpx served by httpx2-pytest" if ALIASED else "as written"
    return f"orderpatch HTTP package: {_http.PACKAGE} {_http.VERSION} ({how})"
