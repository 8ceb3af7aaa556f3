"""A plain ``pip install`` (no extras) into a fresh virtual environment.

The engine, ``nn``, ``viz`` and ``chainrule step`` work without the extras; a
lesson that needs the ``demos`` extra says in one line what to install, with
exit code 2. The package is built from a copy of the sources, so the build
leaves nothing (``build/``, ``*.egg-info``) in the repository. It takes about
15 seconds, most of it pip: ``-m "not install"`` leaves it out of a quick run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "autograd", "nn", "viz", "demos"]

pytestmark = pytest.mark.install


def _clean_env() -> dict[str, str]:
    """This process's environment without what would reach into the repository."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``venv/``: chainrule installed with no extras."""
    folder = tmp_path_factory.mktemp("plain")
    source = folder / "src"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            skip = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, source / name)
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    result = subprocess.run(
        [*install, "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=folder,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def run(plain: Path, program: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a program of the plain venv, in its folder (not in the repository)."""
    return subprocess.run(
        [str(plain / "venv" / "bin" / program), *args],
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=plain,
    )


def test_the_extras_are_really_missing(plain: Path) -> None:
    for module in ("matplotlib", "sklearn"):
        found = run(plain, "python", "-c", f"import {module}")
        assert found.returncode != 0, f"{module} is installed in the plain venv"


def test_a_lesson_that_needs_an_extra_says_what_to_install(plain: Path) -> None:
    result = run(plain, "chainrule", "demo", "xor")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "chainrule demo: error: the xor lesson needs matplotlib, which is not "
        f"installed; install with {plain / 'venv' / 'bin' / 'python'} -m pip install "
        "matplotlib.\n"
    )
    assert not (plain / "chainrule-out").exists()


def test_step_works_without_extras(plain: Path) -> None:
    result = run(plain, "chainrule", "step", "x * w", "--set", "x=2", "--set", "w=3")
    assert result.returncode == 0, result.stderr
    assert "dE/dx = 3\n  dE/dw = 2\n" in result.stdout
    assert result.stderr == ""


def test_a_lesson_without_extras_runs(plain: Path) -> None:
    result = run(plain, "chainrule", "demo", "chain", "--out", str(plain / "chain"))
    assert result.returncode == 0, result.stderr
    assert (plain / "chain" / "graph.svg").exists()


def test_the_package_ships_its_type_markers_and_license(plain: Path) -> None:
    code = (
        "import importlib.metadata as m\n"
        "files = [str(f) for f in m.files('chainrule')]\n"
        "print(sorted(f for f in files if f.endswith(('py.typed', 'LICENSE'))))"
    )
    result = run(plain, "python", "-c", code)
    assert result.returncode == 0, result.stderr
    shipped = result.stdout
    for package in ("autograd", "nn", "viz", "demos"):
        assert f"'{package}/py.typed'" in shipped, shipped
    assert "LICENSE'" in shipped, shipped


def test_the_metadata_names_license_classifiers_and_keywords(plain: Path) -> None:
    code = (
        "import importlib.metadata as m\n"
        "meta = m.metadata('chainrule')\n"
        "print(meta['License-Expression'])\n"
        "print(meta['Keywords'])\n"
        "print('\\n'.join(meta.get_all('Classifier')))"
    )
    result = run(plain, "python", "-c", code)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "MIT" and "backpropagation" in lines[1]
    assert "Intended Audience :: Education" in lines
    assert "Programming Language :: Python :: 3.10" in lines
