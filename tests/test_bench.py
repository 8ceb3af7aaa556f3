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


@pytest.mark.slow
def test_the_benchmarks_run_quickly_and_report_every_target(tmp_path):
    # both at once, in processes of their own: most of their time is imports
    scripts = ("bench_autograd.py", "bench_nn.py")
    runs = {
        script: subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / script),
                "--quick",
                "--json",
                str(tmp_path / f"{script}.json"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        for script in scripts
    }
    for script, run in runs.items():
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, (script, stderr)
        assert "median of 1 interleaved rounds" in stdout
        # a target is judged, or said to be skipped when its peer is not
        # installed; the ratio to hand-written numpy (the floor) is reported
        assert "target" in stdout or "is not installed)" in stdout
        reported = json.loads((tmp_path / f"{script}.json").read_text())
        assert reported and all(
            "met" in row or "skipped" in row or row.get("floor") for row in reported
        ), script
