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
against them; httpx2 keeps httpx's API and names). At run time ``httpx`` is the module of the
package selected once per process, when this module is first imported:

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
from typing import TYPE_CHECKING, Final, NoReturn

from ._constants import HTTP_ENV_VAR, HTTP_PACKAGES

__all__ = ["LOGGERS", "PACKAGE", "VERSION", "httpx", "select"]


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
    import httpx as httpx
else:
    httpx = _load()

#: ``"httpx"`` or ``"httpx2"``: the package this process runs on.
PACKAGE: Final[str] = httpx.__name__
#: Its version, as it reports it (``httpx.__version__``).
VERSION: Final[str] = httpx.__version__
#: Every logger that either package (and its httpcore) may write to: all are redacted.
LOGGERS: Final = ("httpx", "httpx2", "httpcore", "httpcore2")
