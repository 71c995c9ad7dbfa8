"""What to say when the ``sandbox`` extra (starlette, uvicorn) is not installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

__all__ = ["INSTALL_HINT", "SandboxExtraMissing", "import_served"]

T = TypeVar("T")

#: The command that installs what the sandbox needs.
INSTALL_HINT: Final = "pip install 'orderpatch[sandbox]'"
#: The distributions of the extra, by their top-level import name.
_EXTRA_MODULES: Final = frozenset({"starlette", "uvicorn", "anyio", "h11"})


class SandboxExtraMissing(ModuleNotFoundError):
    """The sandbox needs the optional ``sandbox`` extra; the message says what to install.

    A ``ModuleNotFoundError`` (so an ``ImportError``), as the bare one it replaces was.
    """

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"the orderpatch sandbox needs the optional 'sandbox' extra ({missing} is not installed); "
            f"install it with: {INSTALL_HINT}",
            name=missing,
        )


def import_served(load: Callable[[], T]) -> T:
    """Run ``load`` (an import of a module that needs the extra); a missing extra becomes ``SandboxExtraMissing``."""
    try:
        return load()
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top in _EXTRA_MODULES:
            raise SandboxExtraMissing(top) from None
        raise
