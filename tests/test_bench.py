"""The benchmarks run (small sizes, one round): a broken benchmark is caught.

Their figures are not asserted: timings belong in a benchmark's report, not
in a test (see docs/benchmarks.md for what they measure).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", ["bench_autograd.py", "bench_nn.py"])
def test_a_benchmark_runs_quickly_and_reports_every_target(script, tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--quick", "--json", results],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "median of 1 interleaved rounds" in run.stdout
    # a target is judged, or said to be skipped when its peer is not installed;
    # the ratio to hand-written numpy (the floor) is reported, not judged
    assert "target" in run.stdout or "is not installed)" in run.stdout
    reported = json.loads(results.read_text())
    assert reported and all(
        "met" in row or "skipped" in row or row.get("floor") for row in reported
    )
