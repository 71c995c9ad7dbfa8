"""Fixtures shared by every test folder: the vendor contract files, and back-off without waiting."""

from __future__ import annotations

from tests import _http_stack  # first of all: on httpx2 alone it sets up the tests' `import httpx`

# isort: split
import json
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock

import orderpatch._base_client as base_client

#: ../shared beside the repository: the vendors' published specs, schemas and examples.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with the reason when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"vendor contract file {path} is not available (../shared is absent); CI always has it")
    return path


def shared_json(*parts: str) -> object:
    """A JSON file under ../shared, parsed (skips when absent)."""
    return json.loads(shared_path(*parts).read_text(encoding="utf-8"))


class SleepRecorder:
    """Stands in for ``time.sleep``/``asyncio.sleep`` in the pipeline and records each delay."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    """Back-off sleeps are recorded, not waited for."""
    recorder = SleepRecorder()
    monkeypatch.setattr(base_client, "_sleep", recorder)
    monkeypatch.setattr(base_client, "_asleep", recorder.asleep)
    return recorder


def pytest_report_header() -> str:
    return _http_stack.describe()


if _http_stack.ALIASED:  # httpx2 alone: httpx2-pytest's fixture under pytest-httpx's name

    @pytest.fixture
    def httpx_mock(httpx2_mock: HTTPXMock) -> HTTPXMock:
        return httpx2_mock
