"""The ``chainrule`` command: demo, step, --version, --help and user mistakes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from demos import LESSONS
from demos.cli import main

HOSTILE = [
    "__import__('os')",
    "__import__('os').system('echo hacked')",
    "x.__class__",
    "x.__class__.__bases__[0].__subclasses__()",
    "lambda: 1",
    "2**10**10",
    "unknown_name",
    "1 +",
    "[c for c in 'ab']",
    "exp(x, x)",
    "globals()",
    "x ** 1000",
    "exp(10000)",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- --version and --help ----------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"chainrule {metadata.version('chainrule')}"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--help"], ["demo", "step", "--version"]),
        (["demo", "--help"], ["--out", "--seed", "--no-progress", "--list", *LESSONS]),
        (["step", "--help"], ["--set", "--wrt", "--svg", "--html", "sigmoid"]),
    ],
)
def test_help_of_every_command(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]
) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    for word in words:
        assert word in out


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert "demo" in err and "step" in err


# --- demo ----------------------------------------------------------------------------


def test_demo_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--list")
    assert code == 0
    for name, lesson in LESSONS.items():
        assert name in out
        assert lesson.summary in out


def test_unknown_demo_lists_the_lessons(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "xr")
    assert code == 2
    assert "no lesson named 'xr'" in err
    assert "did you mean 'xor'" in err
    for name in LESSONS:
        assert name in err
    assert "Traceback" not in err + out


def test_demo_without_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "demo")
    assert code == 2
    assert "name a lesson" in err and "chain" in err


def test_demo_writes_into_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "demo", "chain", "--out", str(tmp_path / "c"))
    assert code == 0, err
    assert (tmp_path / "c" / "graph.svg").stat().st_size > 0
    assert (tmp_path / "c" / "steps.html").stat().st_size > 0
    assert "dE/dw1" in out and "Look at" in out
    assert "graph.svg" in out


def test_demo_default_out_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "demo", "square")
    assert code == 0, err
    assert (tmp_path / "chainrule-out" / "square" / "descent.png").exists()


def test_unwritable_out_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "below"):
        code, stdout, err = run(capsys, "demo", "chain", "--out", str(out))
        assert code == 2
        assert "--out" in err
        assert "Traceback" not in err + stdout


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["demo", "chain", "--seed", "x"], ["--seed"]),
        (["demo", "chain", "--seed", "-1"], ["--seed"]),
        (["demo", "chain", "--cnn"], ["--cnn", "digits"]),
        (["demo", "chain", "--bogus"], ["unrecognized"]),
        (["dmeo"], ["invalid choice"]),
    ],
)
def test_bad_demo_arguments(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    words: list[str],
) -> None:
    code, out, err = run(capsys, *argv, "--out", str(tmp_path))
    assert code == 2
    for word in words:
        assert word in err
    assert "Traceback" not in err + out


# --- step ----------------------------------------------------------------------------


def test_step_prints_forward_backward_and_gradients(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "step", "x * w + b", "--set", "x=2", "--set", "w=-3", "--set", "b=1"
    )
    assert code == 0, err
    assert "forward pass" in out
    assert "step 1/2" in out and "step 2/2" in out  # one step per op
    assert "dE/dx += dE/d(x·w) × ∂(x·w)/∂x = 1 × -3 = -3" in out
    assert "dE/dx = -3" in out and "dE/dw = 2" in out and "dE/db = 1" in out


def test_step_wrt_lists_the_paths(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "step", "x * x * w", "--set", "x=2", "--set", "w=-3", "--wrt", "x"
    )
    assert code == 0
    assert "sum over 1 path of the product" in out  # x * x: one path ...
    assert "(along 2 edges: x is used 2 times by x·x)" in out  # ... two edges
    assert "= (2 + 2) × -3 = -12" in out
    assert "dE/dx = -12" in out


def test_step_writes_svg_and_html(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    svg, html = tmp_path / "g.svg", tmp_path / "s.html"
    code, out, err = run(
        capsys,
        "step",
        "sigmoid(x * w)",
        "--set",
        "x=2",
        "--set",
        "w=-3",
        "--svg",
        str(svg),
        "--html",
        str(html),
    )
    assert code == 0, err
    assert svg.read_text().lstrip().startswith("<?xml")
    assert "<svg" in svg.read_text()
    assert "<html" in html.read_text().lower()
    assert str(svg) in out and str(html) in out


@pytest.mark.parametrize("text", HOSTILE)
def test_step_refuses_hostile_input(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, out, err = run(capsys, "step", text, "--set", "x=2")
    assert code == 2
    assert err.startswith("chainrule step: error: ")
    assert "Traceback" not in err + out
    assert out == ""


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["step", "x", "--set", "x"], ["NAME=NUMBER"]),
        (["step", "x", "--set", "x=two"], ["not a number"]),
        (["step", "x", "--set", "=2"], ["NAME=NUMBER"]),
        (["step", "x", "--set", "x=1", "--set", "x=2"], ["twice"]),
        (["step", "x", "--set", "x=1", "--wrt", "y"], ["--wrt", "'y'", "x"]),
        (["step", "x", "--set", "exp=1"], ["function"]),
        (["step", "x", "--set", "x=nan"], ["finite"]),
        (["step", "x / y", "--set", "x=1", "--set", "y=0"], ["division by zero"]),
        (["step"], ["EXPR"]),
    ],
)
def test_step_user_mistakes(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    for word in words:
        assert word in err
    assert "Traceback" not in err + out


def test_step_unwritable_svg(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, out, err = run(
        capsys, "step", "x", "--set", "x=1", "--svg", str(blocker / "g.svg")
    )
    assert code == 2
    assert "cannot write" in err
    assert "Traceback" not in err + out


def test_step_without_graphviz_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out, err = run(
        capsys, "step", "x", "--set", "x=1", "--svg", str(tmp_path / "g.svg")
    )
    assert code == 1
    assert "apt-get install graphviz" in err
    assert "Traceback" not in err + out


# --- the real console script ---------------------------------------------------------


def _console_script() -> list[str]:
    found = shutil.which("chainrule")
    return [found] if found else [sys.executable, "-m", "demos.cli"]


def test_console_script_version_and_step() -> None:
    command = _console_script()
    done = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.startswith("chainrule ")
    done = subprocess.run(
        [*command, "step", "__import__('os').system('echo hacked')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "not allowed" in done.stderr
    assert "hacked" not in done.stdout + done.stderr.replace("echo hacked", "")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("option", ["--svg", "--html"])
def test_step_refuses_pictures_of_huge_graphs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str
) -> None:
    text = "+".join(["x*w"] * 60)
    target = tmp_path / "picture"
    code, out, err = run(
        capsys, "step", text, "--set", "x=1", "--set", "w=2", option, str(target)
    )
    assert code == 2
    assert "limited to" in err and option in err
    assert not target.exists()
    assert "Traceback" not in err + out


def test_expression_starting_with_minus(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "step", "-x * w", "--set", "x=1", "--set", "w=2")
    assert code == 0 and "E  = −x·w = -2" in out
    code, out, _ = run(capsys, "step", "--set", "x=1", "--set", "w=2", "--", "-x*w")
    assert code == 0 and "dE/dw = -1" in out


def test_step_refuses_to_write_its_picture_into_a_named_pipe(tmp_path):
    """A pipe would make the writer wait forever; it is refused in one line."""
    import os
    import subprocess
    import sys

    pipe = tmp_path / "graph.svg"
    os.mkfifo(pipe)
    command = ["step", "x * w", "--set", "x=2", "--set", "w=3", "--svg", str(pipe)]
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from demos.cli import main; raise SystemExit(main())",
            *command,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "named pipe" in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
