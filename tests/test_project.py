"""The project around the code: quickstart, CI, public API, dependency direction."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["autograd", "nn", "viz", "demos"]
# Each package may import only the ones before it: autograd <- nn <- viz <- demos.
ALLOWED = {
    "autograd": set(),
    "nn": {"autograd"},
    "viz": {"autograd", "nn"},
    "demos": {"autograd", "nn", "viz"},
}


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_the_quickstart_is_two_commands_a_demo_and_the_tests():
    demo, tests = quickstart_commands()
    assert demo.startswith("bash .ci/setup") and "chainrule demo" in demo
    assert tests.startswith("bash .ci/setup test") and "pytest" in tests


def ci_test_command() -> str:
    """The command .ci/run runs: it owns it, the README quotes it."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"^test_command='([^']+)'$", ci, flags=re.MULTILINE)
    assert len(commands) == 1, "expected one test_command='...' line in .ci/run"
    assert 'bash -c "$test_command"' in ci
    return commands[0]


def test_the_readme_quotes_the_command_ci_runs():
    _, tests = quickstart_commands()
    assert tests == ci_test_command()


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_declares_its_public_api(package):
    module = importlib.import_module(package)
    assert module.__all__, package
    for name in module.__all__:
        assert hasattr(module, name), f"{package}.{name} is in __all__ but missing"


@pytest.mark.parametrize("package", PACKAGES)
def test_dependencies_point_one_way(package):
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    assert top in ALLOWED[package], f"{path.name} imports {name}"


def test_autograd_needs_nothing_but_numpy():
    code = (
        "import sys, autograd\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = {'nn', 'viz', 'demos', 'graphviz', 'matplotlib', 'sklearn'}\n"
        "print(sorted(loaded & heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_finds_nothing(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing():
    """Type hints are checked on every package (the list is in pyproject.toml)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
