"""A user's script of the manual's examples passes mypy --strict and pyright.

The packages are read as an installed package is (their own errors are not
the script's): mypy follows them silently, pyright reports on the script only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "typing" / "manual_examples.py"
PACKAGES = ("autograd", "nn", "viz", "demos")


def test_the_script_runs():
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_mypy_strict_finds_no_error_in_the_script(tmp_path):
    config = tmp_path / "mypy.ini"
    sections = "".join(f"[mypy-{p}.*]\nfollow_imports = silent\n" for p in PACKAGES)
    config.write_text("[mypy]\nstrict = True\n" + sections)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            str(SCRIPT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_pyright_finds_no_error_in_the_script(tmp_path):
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    assert pyright, "pyright is in the test extra: bash .ci/setup test installs it"
    shutil.copy2(SCRIPT, tmp_path / SCRIPT.name)  # "include" takes relative paths
    (tmp_path / "pyrightconfig.json").write_text(
        json.dumps({"extraPaths": [str(ROOT)], "include": [SCRIPT.name]})
    )
    done = subprocess.run(
        [pyright, "--project", str(tmp_path / "pyrightconfig.json"), "--outputjson"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    report = json.loads(done.stdout)
    assert report["summary"]["filesAnalyzed"] >= 1, done.stdout
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert errors == [], errors
