"""The generic import names: another library called ``autograd`` is explained.

The PyPI package ``autograd`` installs a module of the same name. Found
first on ``sys.path``, it would make every import fail with a puzzling
message; ``import nn`` and ``.ci/setup`` say what happened instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def other_autograd(tmp_path: Path) -> Path:
    """A folder holding a module named autograd that is not chainrule's."""
    folder = tmp_path / "other"
    (folder / "autograd").mkdir(parents=True)
    (folder / "autograd" / "__init__.py").write_text('"""Another library."""\n')
    return folder


def test_import_nn_explains_an_autograd_that_is_not_chainrules(
    other_autograd, tmp_path
):
    done = subprocess.run(
        [sys.executable, "-c", "import nn"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the repository, whose own autograd would come first
        env={**os.environ, "PYTHONPATH": f"{other_autograd}{os.pathsep}{ROOT}"},
        timeout=60,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: the module named autograd that Python found")
    assert str(other_autograd / "autograd" / "__init__.py") in last
    assert "virtual environment of its own" in last


def test_setup_stops_when_its_venv_finds_another_autograd(other_autograd, tmp_path):
    copy = tmp_path / "repo"
    (copy / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "setup", copy / ".ci" / "setup")
    python = copy / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    path = f"{other_autograd}{os.pathsep}{ROOT}"
    python.write_text(  # pip installs nothing; Python sees the other autograd first
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ]; then exit 0; fi\n'
        f'PYTHONPATH="{path}" exec "{sys.executable}" "$@"\n'
    )
    python.chmod(0o755)
    tools = tmp_path / "bin"  # what setup looks for, so that it installs nothing
    tools.mkdir()
    (tools / "python3").symlink_to(sys.executable)
    (tools / "dot").symlink_to(shutil.which("dot") or "/bin/true")
    done = subprocess.run(
        ["bash", str(copy / ".ci" / "setup")],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"},
        timeout=60,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "chainrule setup: .venv cannot import chainrule: ImportError" in done.stderr
    assert "pip uninstall autograd" in done.stderr
    assert "ready" not in done.stdout


@pytest.mark.install
def test_chainrule_in_a_folder_of_its_own_runs_beside_another_autograd(
    other_autograd, tmp_path
):
    """The documented recovery: pip install --target DIR, DIR first on the path."""
    target = tmp_path / "chainrule-lib"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    before = sorted(p.name for p in (other_autograd / "autograd").iterdir())
    code = (
        "import autograd, nn\n"
        "m = nn.MLP(2, [3, 1], seed=0)\n"
        "print(autograd.__file__, m([1.0, 2.0]).op)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": f"{target}{os.pathsep}{other_autograd}"},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(str(target / "autograd")) and "wsum" in run.stdout
    assert sorted(p.name for p in (other_autograd / "autograd").iterdir()) == before


def test_the_clash_message_gives_the_whole_recovery(other_autograd, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import nn"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{other_autograd}{os.pathsep}{ROOT}"},
    )
    last = done.stderr.strip().splitlines()[-1]
    assert f"pip install --target DIR {ROOT}" in last
    assert "PYTHONPATH=DIR" in last and "sys.path.insert(0, DIR)" in last
    assert f"--force-reinstall --no-deps {ROOT} puts them back" in last
