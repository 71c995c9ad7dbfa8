"""The public surface: everything in ``__all__`` resolves, and ``import orderpatch`` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import orderpatch


def test_every_public_name_resolves() -> None:
    for name in orderpatch.__all__:
        assert getattr(orderpatch, name) is not None, name
    assert set(orderpatch.__all__) <= set(dir(orderpatch))


def test_errors_are_the_same_objects_everywhere() -> None:
    from orderpatch import errors

    for name in errors.__all__:
        assert getattr(orderpatch, name) is getattr(errors, name)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = orderpatch.nope


def test_import_loads_no_vendor_sandbox_cli_or_http_stack() -> None:
    prefixes = "('orderpatch', 'httpx', 'cattrs', 'attr', 'starlette', 'uvicorn', 'hmac', '_hashlib', 'ssl')"
    code = f"import sys, orderpatch; print(sorted(m for m in sys.modules if m.startswith({prefixes})))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['orderpatch', 'orderpatch._types', 'orderpatch._version']"


def test_version_is_single_sourced() -> None:
    from importlib.metadata import version

    assert orderpatch.__version__ == version("orderpatch")
