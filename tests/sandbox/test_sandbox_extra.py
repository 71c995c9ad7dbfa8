"""Without the ``sandbox`` extra every way in says what to install; ``--help`` still works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import orderpatch
from orderpatch.sandbox._extra import SandboxExtraMissing, import_served

ROOT = Path(__file__).resolve().parents[2]
HINT = "pip install 'orderpatch[sandbox]'"
#: Run before the code under test: starlette and uvicorn "not installed".
BLOCK = "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None\n"


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK + code], capture_output=True, text=True, timeout=60,
                          check=False, cwd=ROOT)


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.startswith(("orderpatch.sandbox", "starlette", "uvicorn"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)
    if "sandbox" in vars(orderpatch):
        monkeypatch.delattr(orderpatch, "sandbox")


@pytest.mark.usefixtures("without_extra")
@pytest.mark.parametrize("name", ["Sandbox", "create_app", "VENDORS", "DEMO_ORDER_IDS", "SpreeSettings"])
def test_importing_what_serves_says_what_to_install(name: str) -> None:
    import orderpatch.sandbox as sandbox

    # A fresh import of the package: its SandboxExtraMissing is not the one imported above.
    with pytest.raises(ModuleNotFoundError, match=r"\(starlette is not installed\); install it with: ") as info:
        getattr(sandbox, name)
    assert HINT in str(info.value)
    assert type(info.value).__name__ == "SandboxExtraMissing"
    assert info.value.name == "starlette"


@pytest.mark.usefixtures("without_extra")
def test_the_light_names_need_no_extra() -> None:
    from orderpatch.sandbox import Knobs, RequestRecord, SandboxExtraMissing, main

    assert all(callable(item) for item in (Knobs, RequestRecord, SandboxExtraMissing, main))


def test_an_unknown_name_is_an_attribute_error() -> None:
    import orderpatch.sandbox as sandbox

    with pytest.raises(AttributeError, match="no attribute 'Sandboxx'"):
        sandbox.Sandboxx  # noqa: B018


def test_other_missing_modules_are_not_blamed_on_the_extra() -> None:
    def load() -> None:
        raise ModuleNotFoundError("No module named 'yaml'", name="yaml")

    with pytest.raises(ModuleNotFoundError) as info:
        import_served(load)
    assert not isinstance(info.value, SandboxExtraMissing)


def test_python_dash_m_help_works_without_the_extra() -> None:
    result = python("import runpy; sys.argv = ['x', '--help']; "
                    "runpy.run_module('orderpatch.sandbox', run_name='__main__')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m orderpatch.sandbox ")
    assert HINT in result.stdout


def test_python_dash_m_serving_without_the_extra_says_what_to_install() -> None:
    result = python("import runpy; sys.argv = ['x', '--port', '0']; runpy.run_module('orderpatch.sandbox', "
                    "run_name='__main__')")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith(f"install it with: {HINT}")


def test_the_command_without_the_extra() -> None:
    helped = python("from orderpatch.cli import main; raise SystemExit(main(['sandbox', '--help']))")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: orderpatch sandbox ")
    served = python("from orderpatch.cli import main; raise SystemExit(main(['sandbox']))")
    assert served.returncode == 2
    assert served.stderr.startswith("orderpatch sandbox: error: the orderpatch sandbox needs the optional 'sandbox' ")


def test_the_quickstart_without_the_extra_says_what_to_install() -> None:
    result = python("import os, runpy; os.environ.pop('ORDERPATCH_VENDOR', None); "
                    "runpy.run_path('examples/quickstart.py', run_name='__main__')")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("quickstart: the orderpatch sandbox needs the optional 'sandbox' extra")
    assert HINT in result.stderr
