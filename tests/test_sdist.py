"""The source distribution ships what its tests need, and they run from it.

The sdist is built from a copy of the tracked files (so the build leaves
nothing in the repository), unpacked, and pytest collects every test in it
and runs a few, with the unpacked packages first on the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.install


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sdist")
    source = folder / "source"
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in tracked:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    build = (
        "from setuptools import build_meta; import sys; "
        "print(build_meta.build_sdist(sys.argv[1]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", build, str(folder / "dist")],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    name = done.stdout.strip().splitlines()[-1]
    with tarfile.open(folder / "dist" / name) as archive:
        archive.extractall(folder / "unpacked", filter="data")
    return folder / "unpacked" / name.removesuffix(".tar.gz")


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in ``folder``, in this process alone (``-n0``: no workers of its
    own; the suite around it already keeps every core busy)."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-n0", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def test_the_sdist_holds_every_test_and_the_manual(unpacked: Path) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "tests", "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    missing = [name for name in tracked if not (unpacked / name).exists()]
    assert missing == []
    assert (unpacked / "CONTRIBUTING.md").exists()


def test_the_tests_of_the_sdist_collect_and_run(unpacked: Path) -> None:
    collected = pytest_in(unpacked, "--collect-only", "-m", "not install")
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr
    ran = pytest_in(
        unpacked,
        "-m",
        "not install",
        "tests/autograd/test_as_number.py",
        "tests/test_docs.py",
        "tests/nn/test_nn_seeds.py",
        "docs/engine.md",
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr
    assert " passed" in ran.stdout and "failed" not in ran.stdout
