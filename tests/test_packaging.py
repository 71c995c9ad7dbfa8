"""What PyPI shows: a LICENSE matching ``license = "MIT"``, and README links that work off GitHub."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPO = "https://github.com/orderpatch/orderpatch/"


def test_the_license_file_matches_the_declared_license() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert declared == "MIT"
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_readme_links_are_absolute_and_point_at_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", readme) + re.findall(r"^\[[^\]]+\]:\s*(\S+)", readme, re.M)
    assert targets
    for target in targets:
        assert re.match(r"https?://", target), f"README link {target!r} is relative: it breaks on PyPI"
        if target.startswith(REPO):
            path = re.sub(r"^(blob|tree)/main/", "", target[len(REPO):]).split("#")[0]
            assert (ROOT / path).exists(), f"README links to {path}, which is not in the repository"
