"""Print pyproject.toml's mypy settings as a mypy ini file, for checking orderpatch against httpx2.

The same settings and overrides, with ``ORDERPATCH_HTTPX2`` made always true instead of always
false, so ``orderpatch._http`` gives type checkers httpx2 (docs/http.md, "Type checking").
"""

from __future__ import annotations

import tomllib
from pathlib import Path

mypy = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["tool"]["mypy"]


def value(item: object) -> str:
    if isinstance(item, bool):
        return "True" if item else "False"
    if isinstance(item, list):
        return ", ".join(str(part) for part in item)
    return str(item)


settings = {k: v for k, v in mypy.items() if k not in ("overrides", "always_false")}
settings["always_true"] = ["ORDERPATCH_HTTPX2"]
print("[mypy]")
for key, item in settings.items():
    print(f"{key} = {value(item)}")
for override in mypy.get("overrides", []):
    modules = override["module"]
    print(f"\n[mypy-{value(modules if isinstance(modules, list) else [modules]).replace(' ', '')}]")
    for key, item in override.items():
        if key != "module":
            print(f"{key} = {value(item)}")
