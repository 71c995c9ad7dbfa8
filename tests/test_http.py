"""The HTTP seam (``orderpatch/_http.py``): one module imports the HTTP package, chosen by a rule."""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import orderpatch
from orderpatch import _http
from orderpatch._base_client import USER_AGENT
from orderpatch._constants import HTTP_ENV_VAR
from orderpatch.errors import ConfigurationError
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient

PACKAGE_DIR = Path(orderpatch.__file__).parent
HTTP_MODULES = frozenset({"httpx", "httpx2", "httpcore", "httpcore2"})


def imported_roots(tree: ast.AST) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.partition(".")[0])
    return roots


def test_only_the_seam_imports_an_http_package() -> None:
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): sorted(found)
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if path != PACKAGE_DIR / "_http.py"
        and (found := imported_roots(ast.parse(path.read_text(encoding="utf-8"))) & HTTP_MODULES)
    }
    assert offenders == {}, "import it as `from ._http import httpx` (see orderpatch/_http.py)"


def installed(*names: str) -> object:
    """A stand-in for ``importlib.util.find_spec`` that sees only ``names`` among the HTTP packages."""
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> importlib.machinery.ModuleSpec | None:
        if name in HTTP_MODULES:
            return importlib.machinery.ModuleSpec(name, None) if name in names else None
        return real(name, package)

    return find_spec


@pytest.mark.parametrize(
    ("env", "present", "expected"),
    [
        (None, ("httpx",), "httpx"),
        (None, ("httpx2",), "httpx2"),
        (None, ("httpx", "httpx2"), "httpx2"),  # the extra orderpatch[httpx2] installs both
        ("", ("httpx", "httpx2"), "httpx2"),
        ("httpx", ("httpx", "httpx2"), "httpx"),
        (" HTTPX ", ("httpx", "httpx2"), "httpx"),
        ("httpx2", ("httpx", "httpx2"), "httpx2"),
    ],
)
def test_the_selection_rule(monkeypatch: pytest.MonkeyPatch, env: str | None, present: tuple[str, ...],
                            expected: str) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", installed(*present))
    assert _http.select(env) == expected


def test_a_value_that_names_no_package_is_refused_naming_the_variable() -> None:
    with pytest.raises(ConfigurationError, match=r"ORDERPATCH_HTTP='requests': expected one of httpx2, httpx") as info:
        _http.select("requests")
    assert info.value.key == HTTP_ENV_VAR


@pytest.mark.parametrize(
    ("wanted", "hint"), [("httpx2", "pip install 'orderpatch[httpx2]'"), ("httpx", "pip install httpx")]
)
def test_asking_for_a_package_that_is_not_installed_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, wanted: str, hint: str
) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", installed())
    with pytest.raises(ConfigurationError, match=f"ORDERPATCH_HTTP={wanted}, but {wanted} is not installed") as info:
        _http.select(wanted)
    assert hint in str(info.value)


def test_neither_package_installed_is_a_module_not_found_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", installed())
    with pytest.raises(ModuleNotFoundError, match="neither is installed") as info:
        _http.select(None)
    assert info.value.name == "httpx"


def test_the_seam_reports_the_package_in_use() -> None:
    assert _http.PACKAGE == _http.httpx.__name__ in ("httpx", "httpx2")
    assert _http.httpx.__version__ == _http.VERSION
    assert sys.modules[_http.PACKAGE] is _http.httpx


def test_the_user_agent_names_the_package_and_version_in_use() -> None:
    assert USER_AGENT.endswith(f" {_http.PACKAGE}/{_http.VERSION}")
    assert USER_AGENT.startswith(f"orderpatch/{orderpatch.__version__} python/")


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != HTTP_ENV_VAR} | env
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60)


def test_a_bad_variable_fails_the_first_import_with_a_configuration_error() -> None:
    done = run("import orderpatch.spree", ORDERPATCH_HTTP="urllib3")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        "orderpatch.errors.ConfigurationError: ORDERPATCH_HTTP='urllib3': expected one of httpx2, httpx (or unset)"
    )


def test_importing_orderpatch_and_its_errors_loads_no_http_package() -> None:
    done = run("import sys, orderpatch, orderpatch.errors; print(sorted({'httpx', 'httpx2'} & set(sys.modules)))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


OTHER = "httpx2" if _http.PACKAGE == "httpx" else "httpx"


def client_of(package: str, name: str) -> object:
    """An object whose class looks like ``<package>.<name>`` (the other package may not be installed)."""
    return type(name, (), {"__module__": f"{package}._client"})()


@pytest.mark.parametrize(("cls", "name"), [(LicenseSpringClient, "Client"), (AsyncLicenseSpringClient, "AsyncClient")])
def test_a_client_of_the_other_package_is_refused_naming_both(cls: type[LicenseSpringClient | AsyncLicenseSpringClient],
                                                               name: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        cls(api_key="ls-key-0123456789", http_client=client_of(OTHER, name))  # type: ignore[arg-type]
    assert info.value.key == "http_client"
    assert str(info.value) == (
        f"http_client: got an {OTHER}.{name}, but orderpatch runs on {_http.PACKAGE} {_http.VERSION} in this "
        f"process; pass an {_http.PACKAGE}.{name}, or run orderpatch on {OTHER} by setting ORDERPATCH_HTTP={OTHER} "
        "before orderpatch is imported (docs/http.md)"
    )


def test_a_sync_client_where_an_async_one_is_expected_is_named() -> None:
    with _http.httpx.Client() as http, pytest.raises(ConfigurationError) as info:
        AsyncLicenseSpringClient(api_key="ls-key-0123456789", http_client=http)  # type: ignore[arg-type]
    assert str(info.value) == f"http_client: expected an {_http.PACKAGE}.AsyncClient, got {_http.PACKAGE}.Client"


def test_something_else_is_named_by_its_type() -> None:
    with pytest.raises(ConfigurationError, match=r"^http_client: expected an httpx2?\.Client, got str$"):
        LicenseSpringClient(api_key="ls-key-0123456789", http_client="http://proxy")  # type: ignore[arg-type]


def test_a_client_of_the_package_in_use_is_accepted_as_it_is() -> None:
    with _http.httpx.Client() as http:
        assert _http.check_http_client(http, _http.httpx.Client) is http


def test_every_module_loads_one_http_stack_and_no_other() -> None:
    """In a fresh interpreter, without the tests' alias: importing all of orderpatch loads the
    selected package (and its httpcore) only; on httpx2 alone, no ``httpx`` module at all."""
    done = run(
        "import importlib, pkgutil, sys, orderpatch\n"
        "for m in pkgutil.walk_packages(orderpatch.__path__, 'orderpatch.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted({m.partition('.')[0] for m in sys.modules} & {'httpx', 'httpx2', 'httpcore', 'httpcore2'}))"
    )
    assert done.returncode == 0, done.stderr
    core = _http.PACKAGE.replace("httpx", "httpcore")  # loaded with the first transport, if at all
    assert done.stdout.strip() in (repr([_http.PACKAGE]), repr(sorted([_http.PACKAGE, core])))
