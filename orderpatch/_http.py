"""The one module that imports orderpatch's HTTP package: ``httpx`` (the default) or ``httpx2``.

**How the rest of orderpatch uses it** (``tests/test_http.py`` fails on any other import of
``httpx``, ``httpx2``, ``httpcore`` or ``httpcore2`` under ``orderpatch/``)::

    from ._http import httpx        # a module directly in orderpatch/
    from .._http import httpx       # a module of a sub-package (orderpatch/<vendor>/...)

then write ``httpx.Client``, ``httpx.Request``, ``httpx.HTTPError``... exactly as before. In a
module that must stay light on import (``errors``, ``_validation``), import it inside the
function that needs it, and under ``if TYPE_CHECKING:`` for the annotations.

**What the name is.** Type checkers see the real ``httpx`` module, the declared dependency:
every annotation in orderpatch stays httpx's precise types (mypy --strict checks orderpatch
against them; httpx2 keeps httpx's API and names). An application type-checked against httpx2
sets the constant ``ORDERPATCH_HTTPX2`` (mypy ``always_true``, pyright ``defineConstant``) and
sees httpx2's types instead; CI type-checks orderpatch both ways. At run time ``httpx`` is the
module of the package selected once per process, when this module is first imported:

1. ``ORDERPATCH_HTTP=httpx`` or ``ORDERPATCH_HTTP=httpx2``: that package, or
   ``ConfigurationError`` naming the variable when it is not installed (or the value is
   neither name);
2. otherwise ``httpx2`` when it is installed (``pip install 'orderpatch[httpx2]'`` installs
   it; an application that already carries it gets one HTTP stack), else ``httpx``.

The selection is final for the process: every request, response, error class and client
orderpatch builds comes from that one package. ``PACKAGE`` and ``VERSION`` say which.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from types import ModuleType
from typing import TYPE_CHECKING, Final, NoReturn, TypeVar

from ._constants import HTTP_ENV_VAR, HTTP_PACKAGES

__all__ = ["LOGGERS", "LOGGER_ROOTS", "PACKAGE", "VERSION", "check_http_client", "httpx", "select"]


def select(env: str | None) -> str:
    """The name of the HTTP package to use, given the value of ``ORDERPATCH_HTTP`` (or None).

    Pure of side effects apart from looking for installed packages, so the rule is testable.
    """
    wanted = (env or "").strip().lower()
    if wanted:
        if wanted not in HTTP_PACKAGES:
            _fail(f"{HTTP_ENV_VAR}={env!r}: expected one of {', '.join(HTTP_PACKAGES)} (or unset)")
        if importlib.util.find_spec(wanted) is None:
            extra = " 'orderpatch[httpx2]'" if wanted == "httpx2" else " httpx"
            _fail(f"{HTTP_ENV_VAR}={wanted}, but {wanted} is not installed; pip install{extra}")
        return wanted
    for name in HTTP_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModuleNotFoundError(
        "orderpatch needs an HTTP package, httpx or httpx2, and neither is installed: pip install orderpatch",
        name="httpx",
    )


def _fail(message: str) -> NoReturn:
    from .errors import ConfigurationError  # errors imports this module lazily: no cycle

    raise ConfigurationError(message, key=HTTP_ENV_VAR)


def _load() -> ModuleType:
    return importlib.import_module(select(os.environ.get(HTTP_ENV_VAR)))


if TYPE_CHECKING:
    # A type checker sees httpx, unless told the application runs on httpx2: mypy's
    # ``always_true = ["ORDERPATCH_HTTPX2"]`` or pyright's ``defineConstant = {ORDERPATCH_HTTPX2 = true}``
    # (docs/http.md). The name exists only for type checkers; it is never evaluated at run time.
    if not ORDERPATCH_HTTPX2:  # type: ignore[name-defined]  # noqa: F821
        import httpx as httpx
    else:
        import httpx2 as httpx
else:
    httpx = _load()

#: ``"httpx"`` or ``"httpx2"``: the package this process runs on.
PACKAGE: Final[str] = httpx.__name__
#: Its version, as it reports it (``httpx.__version__``).
VERSION: Final[str] = httpx.__version__
#: Every logger that either package (and its httpcore) writes to: all are redacted. A logger's
#: filter does not see its children's records, so httpcore's children are named one by one
#: (``orderpatch._log`` also covers any other child that exists when it is configured).
LOGGERS: Final = (
    "httpx",
    "httpx2",
    *(f"{core}.{part}" for core in ("httpcore", "httpcore2") for part in ("connection", "http11", "http2", "proxy",
                                                                          "socks")),
)
#: The parents of those loggers.
LOGGER_ROOTS: Final = ("httpx", "httpx2", "httpcore", "httpcore2")


_C = TypeVar("_C")


def check_http_client(value: object, expected: type[_C], *, key: str = "http_client") -> _C:
    """``value`` when it is an ``expected`` (``httpx.Client`` or ``httpx.AsyncClient`` of the package
    in use), else ``ConfigurationError`` naming ``key``, what was expected and what was given.

    A client of the other HTTP package cannot carry orderpatch's requests (every request,
    response and error class is the selected package's), so it is refused naming both packages
    and how to run on the other one; a client of ``httpx`` made by ``httpx2.alias_httpx()`` *is*
    an httpx2 client and is accepted.
    """
    if isinstance(value, expected):
        return value
    from .errors import ConfigurationError

    cls = type(value)
    root = cls.__module__.partition(".")[0]
    want = f"{PACKAGE}.{expected.__name__}"
    if root in HTTP_PACKAGES and root != PACKAGE:
        raise ConfigurationError(
            f"{key}: got an {root}.{cls.__name__}, but orderpatch runs on {PACKAGE} {VERSION} in this process; "
            f"pass an {want}, or run orderpatch on {root} by setting {HTTP_ENV_VAR}={root} "
            f"before orderpatch is imported (docs/http.md)",
            key=key,
        )
    got = f"{root}.{cls.__name__}" if root in HTTP_PACKAGES else cls.__name__
    raise ConfigurationError(f"{key}: expected an {want}, got {got}", key=key)
