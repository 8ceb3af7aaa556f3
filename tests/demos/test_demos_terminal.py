"""The command on hostile terminals: ASCII only, a full disk, names too long."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import Value, backward_steps, explain
from demos.step import narrate
from demos.terminal import ERRORS, ascii_text, can_show, plain_when_needed

ROOT = Path(__file__).resolve().parents[2]
RUN = "import sys; from demos.cli import main; sys.exit(main())"


def chainrule(*argv: str, stdout=subprocess.PIPE, closing=None, **env: str):
    script = Path(sys.executable).with_name("chainrule")  # .venv/bin/chainrule
    found = str(script) if script.exists() else shutil.which("chainrule")
    command = [found] if found else [sys.executable, "-c", RUN]
    return subprocess.run(
        [*command, *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
        preexec_fn=None if closing is None else (lambda: os.close(closing)),
    )


def one_clear_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "Exception ignored" not in text
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- ascii_text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("∂E/∂w₁ = x·w₂", "dE/dw1 = x*w2"),
        ("σ(z)·(1 − σ(z))", "sigmoid(z)*(1 - sigmoid(z))"),
        ("Z = X·Wᵀ + b", "Z = X*W^T + b"),
        ("Σᵢ xᵢ", "sum_i x_i"),
        ("e⁻ˣ and x²", "e^(-x) and x^2"),
        ("a → b ← c", "a -> b <- c"),
        ("m̂ / (√ŝ + ε)", "m / (sqrtŝ + eps)".replace("ŝ", "s")),
        ("■□", "#."),
        ("plain text stays", "plain text stays"),
    ],
)
def test_ascii_text_spells_out_every_symbol(text, plain):
    assert ascii_text(text) == plain


def test_everything_chainrule_narrates_has_an_ascii_spelling():
    x, w, b = Value(2.0, "x₁"), Value(-3.0, "w"), Value(1.0, "b")
    y = (x * w + b).sigmoid() ** 2 / (x.exp() - b.tanh())
    y.label = "y"
    text = "\n".join(map(str, backward_steps(y))) + str(explain(y, x))
    text += narrate(
        "sigmoid(x * w + b) ** 2 / (exp(x) - tanh(b))", {"x": 2.0, "w": -3.0, "b": 1.0}
    )
    plain = ascii_text(text)
    assert plain.isascii() and "?" not in plain
    assert "dy/dx1" in plain and "*" in plain


def test_a_stream_that_cannot_show_the_symbols_writes_ascii():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    assert not can_show(stream) and can_show(io.TextIOWrapper(io.BytesIO(), "utf-8"))
    with plain_when_needed(stream):
        stream.write("∂L/∂w = σ(z)·x\n")
        stream.flush()
    assert raw.getvalue() == b"dL/dw = sigmoid(z)*x\n"
    assert stream.errors == "strict"  # put back
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    with plain_when_needed(latin):
        assert latin.errors == ERRORS  # × is there, but ∂ and σ are not


# --- the command, as a shell runs it ----------------------------------------------


def test_a_terminal_that_is_not_utf8_gets_ascii():
    done = chainrule(
        "step",
        "sigmoid(x * w)",
        "--set",
        "x=2",
        "--set",
        "w=-3",
        PYTHONIOENCODING="ascii",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("ascii")  # would fail on any other byte
    assert "dE/dw += dE/d(x*w) * d(x*w)/dw" in out and "sigmoid" in out
    listing = chainrule("demo", "--help", PYTHONIOENCODING="ascii")
    assert listing.returncode == 0 and listing.stdout.isascii()
    mistake = chainrule("step", "x * y", "--set", "x=2", PYTHONIOENCODING="ascii")
    assert mistake.returncode == 2
    assert one_clear_line(mistake.stderr).startswith("chainrule step: error:")


@pytest.mark.parametrize(
    "argv",
    [
        ("step", "x * w", "--set", "x=2", "--set", "w=-3"),
        ("--version",),
        ("--help",),
        ("demo", "--list"),
    ],
)
def test_a_full_disk_is_one_line_and_exit_code_1(argv):
    with open("/dev/full", "wb") as full:
        done = chainrule(*argv, stdout=full)
    assert done.returncode == 1
    line = one_clear_line(done.stderr)
    assert line.endswith("cannot write the output: No space left on device.")


def test_a_name_too_long_for_the_file_system_is_a_usage_error(tmp_path):
    long = tmp_path / ("a" * 300)
    done = chainrule("demo", "chain", "--out", str(long))
    assert done.returncode == 2
    line = one_clear_line(done.stderr)
    assert "File name too long" in line and "(3" in line  # its length, not all of it
    assert len(line) < 200
    picture = chainrule(
        "step", "x * w", "--set", "x=1", "--set", "w=2", "--svg", f"{long}.svg"
    )
    assert picture.returncode == 2
    assert "File name too long" in one_clear_line(picture.stderr)


def test_closed_streams_are_not_a_traceback():
    closed = b"chainrule: error: cannot write the output: standard output is closed.\n"
    version = chainrule("--version", closing=1)  # chainrule --version >&-
    assert version.returncode == 1 and version.stderr == closed  # never lost silently
    step = chainrule("step", "x * w", "--set", "x=1", "--set", "w=2", closing=1)
    assert step.returncode == 1 and step.stderr == closed
    mistake = chainrule("step", "x *", closing=2)  # chainrule step "x *" 2>&-
    assert mistake.returncode == 2 and mistake.stdout == b""
