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


def test_import_does_not_load_typing_and_the_aliases_still_resolve() -> None:
    from pathlib import Path

    root = str(Path(orderpatch.__file__).resolve().parent.parent)
    code = (
        f"import sys; sys.path.insert(0, {root!r}); import orderpatch; "
        "print(sorted(m for m in ('typing', 're', 'contextlib') if m in sys.modules)); "
        "print(orderpatch.JSONValue); print(orderpatch.Unset); print('typing' in sys.modules)"
    )
    # -S: no site-packages hooks (a coverage or distutils .pth would import typing itself)
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "[]",
        "typing.Union[bool, int, float, str, list['JSONValue'], dict[str, 'JSONValue'], NoneType]",
        "typing.Literal[UNSET]",
        "True",
    ]


def test_the_aliases_are_typings_own_objects() -> None:
    import typing

    from orderpatch import _types

    json_value = "typing.Union[bool, int, float, str, list['JSONValue'], dict[str, 'JSONValue'], NoneType]"
    assert repr(orderpatch.JSONValue) == json_value
    assert typing.get_origin(orderpatch.JSONValue) is typing.Union
    assert orderpatch.JSONObject == dict[str, orderpatch.JSONValue]
    assert repr(orderpatch.JSONInput) == (
        "typing.Union[bool, int, float, str, collections.abc.Sequence['JSONInput'], "
        "collections.abc.Mapping[str, 'JSONInput'], NoneType]"
    )
    assert orderpatch.Unset == typing.Literal[orderpatch.UNSET]
    assert typing.get_type_hints(orderpatch.Secret.coerce)["return"] is typing.Self
    assert orderpatch.Secret.__final__ is True  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = _types.Nope  # type: ignore[attr-defined]
