"""The benchmark harness's bookkeeping: a merged run never replaces the floor's samples."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "benchmarks" / "_harness.py"


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_bench_harness", HARNESS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_merge_keeps_this_runs_floor_and_pairs_merged_cases_with_their_own(harness: ModuleType) -> None:
    main = harness.Timings({"floor": [100.0] * 25, "ours": [150.0] * 25})
    slow = harness.Timings({"slow": [2000.0] * 7, "floor": [200.0] * 7})  # a cold floor beside a slow case
    main.merge(slow, baseline="floor")
    assert main["floor"] == 100.0
    assert len(main.samples["floor"]) == 25
    assert main.paired("ours", "floor") == 1.5
    assert main.paired("slow", "floor") == 10.0  # paired with the floor of its own run
    assert main["slow"] == 2000.0


def test_merge_refuses_a_case_timed_twice(harness: ModuleType) -> None:
    main = harness.Timings({"floor": [1.0], "ours": [2.0]})
    with pytest.raises(ValueError, match="already timed"):
        main.merge(harness.Timings({"ours": [3.0], "floor": [1.0]}), baseline="floor")


def test_floor_check_flags_a_floor_unlike_the_floor_timed_alone(harness: ModuleType) -> None:
    assert harness.floor_check("floor", 203.7, 110.0).endswith("WARNING: outside ±25%, ratios not to be trusted")
    assert harness.floor_check("floor", 112.0, 110.0).endswith("— ok")


def test_time_calls_takes_one_sample_per_round_for_every_case(harness: ModuleType) -> None:
    timings = harness.time_calls({"a": lambda: None, "b": lambda: None}, iterations=3, repeats=4, warmup=1)
    assert {name: len(values) for name, values in timings.samples.items()} == {"a": 4, "b": 4}
