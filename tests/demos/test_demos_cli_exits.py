"""The ``chainrule`` command's ways out: one line on standard error, the right code.

Usage mistakes caught by argparse, a closed standard output, Ctrl-C while
Python loads, memory running out, and control characters in what a user
typed: each ends in one line (never a usage block or a traceback), and
nothing the user typed is echoed in a form the terminal would obey.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import demos.cli
from demos.cli import main
from demos.terminal import visible

ROOT = Path(__file__).resolve().parents[2]
ESCAPES = "x * 2 # \x1b[2J\x1b]0;PWNED\x07"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["step", "x", "--set", "x=1", "--rankdir", "XX"], "invalid choice: 'XX'"),
        (["step", "x", "--set", "=1"], "needs the form NAME=NUMBER"),
        (["demo", "chain", "--seed", "-1"], "is not a seed"),
        (["step", "x", "--set", "x=1", "--bogus"], "unrecognized arguments: --bogus"),
        (["demo", "chain", "--seed"], "expected one argument"),
        (["dmeo"], "invalid choice: 'dmeo'"),
        (["step"], "the following arguments are required: EXPR"),
    ],
)
def test_a_mistake_argparse_catches_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err  # no usage block
    assert words in err and err.startswith("chainrule")
    assert "--help" in err  # where to read more


def test_control_characters_in_an_unknown_argument_are_not_echoed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "step", "x", "--set", "x=1", "--bogus\x1b[2J\n2")
    assert code == 2 and err.count("\n") == 1
    assert "\x1b" not in err and "\\x1b[2J\\n2" in err


def test_an_expression_with_control_characters_is_echoed_visibly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "step", ESCAPES, "--set", "x=1")
    assert code == 0, err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", out)  # the screen is not cleared
    assert "expression: x * 2 # \\x1b[2J\\x1b]0;PWNED\\x07" in out
    code, out, err = run(capsys, "step", "x * \x1b[2J\n+", "--set", "x=1")
    assert code == 2 and out == ""
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", err) and err.count("\n") == 1


def test_paths_with_control_characters_are_echoed_visibly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    svg = tmp_path / "g\x1b[2J.svg"
    code, out, err = run(
        capsys, "step", "x*w", "--set", "x=1", "--set", "w=2", "--svg", str(svg)
    )
    assert code == 0 and svg.exists(), err
    assert "\x1b" not in out and "g\\x1b[2J.svg" in out
    folder = tmp_path / "out\x1b]0;PWNED\x07"
    code, out, err = run(capsys, "demo", "chain", "--out", str(folder))
    assert code == 0, err
    assert "\x1b" not in out + err and "out\\x1b]0;PWNED\\x07" in out


def test_visible_escapes_every_control_and_keeps_the_rest() -> None:
    assert visible("∂L/∂w = 2, é") == "∂L/∂w = 2, é"
    assert visible("a\x00b\x7fc\x9bd\u202ee\r") == "a\\x00b\\x7fc\\x9bd\\u202ee\\r"


def _with_stdout_closed(*argv: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from demos.cli import main; sys.exit(main())"
    return subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-c", code, *argv],
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_a_closed_standard_output_is_an_error_not_a_silent_success() -> None:
    done = _with_stdout_closed("step", "x * w", "--set", "x=2", "--set", "w=-3")
    assert done.returncode == 1
    assert done.stderr == (
        "chainrule: error: cannot write the output: standard output is closed.\n"
    )


STARTUP = """
import os, signal, sys, threading
threading.Timer(float(sys.argv.pop(1)), os.kill, (os.getpid(), signal.SIGINT)).start()
from demos.launch import main
sys.exit(main())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")
@pytest.mark.parametrize("delay", [0.02, 0.05, 0.1, 0.15, 0.25])
def test_ctrl_c_while_python_loads_chainrule_is_one_line_and_exit_130(
    delay: float,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", STARTUP, str(delay), "step", "x", "--set", "x=1"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    if done.returncode == 0:  # loaded and ran before the Ctrl-C: nothing to see
        return
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == "interrupted."


def test_the_console_script_starts_through_the_launcher() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^chainrule = "demos\.launch:main"$', pyproject, re.M)
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, demos, demos.launch; print('numpy' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert loaded.stdout.strip() == "False"  # nothing heavy before main() runs


def test_running_out_of_memory_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted(*args: object, **kwargs: object) -> str:
        raise MemoryError

    monkeypatch.setattr(demos.cli, "narrate", exhausted)
    code, out, err = run(capsys, "step", "x", "--set", "x=1")
    assert code == 1 and out == ""
    assert err == (
        "chainrule step: error: out of memory; close other programs, or ask for less.\n"
    )


def test_a_data_folder_of_an_unknown_user_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    code, _, err = run(
        capsys, "demo", "mnist", "--data", "~nosuchuser/mnist", "--out", str(tmp_path)
    )
    assert code == 2
    assert err.count("\n") == 1 and "no user 'nosuchuser'" in err
    assert "Traceback" not in err


def test_the_exit_code_of_an_interrupt_is_the_shells() -> None:
    assert demos.cli.INTERRUPTED == 128 + signal.SIGINT


def test_answers_read_from_a_file_are_echoed_visibly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    typed = "\x1b]0;PWNED\x07 = 1\x1b[2J\n" * 20  # more answers than questions
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code, out, err = run(capsys, "quiz", "--seed", "3")
    assert code in (0, 1)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", out + err)
    assert "1\\x1b[2J" in out
