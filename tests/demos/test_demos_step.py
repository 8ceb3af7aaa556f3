"""``chainrule step``: named results, parameters, every function, hints, paths."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import OPS
from demos.cli import main
from demos.expression import FUNCTIONS, ExpressionError, parse_expression
from demos.step import narrate

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_named_results_name_the_values_as_written(capsys) -> None:
    code, out, err = run(
        capsys,
        "step",
        "y = x * w1; E = y * w2",
        "--set",
        "x=1.5",
        "--set",
        "w1=2",
        "--set",
        "w2=-0.5",
    )
    assert code == 0, err
    assert "step 1/2  E = y·w2 = -1.5" in out
    assert "dE/dy  += dE/dE × ∂E/∂y" in out and "dE/dw1 = -0.75" in out
    assert not re.search(r"\bv\d\b|\bdL/", out)  # no v2, no L: the user named them
    code, out, _ = run(capsys, "step", "E = x * w", "--set", "x=2", "--set", "w=3")
    assert code == 0 and "dE/dx = 3" in out and "dL/" not in out


def test_param_marks_parameters(capsys, tmp_path: Path) -> None:
    text = narrate("x * w + b", {"x": 2.0, "w": -3.0, "b": 1.0}, params=["w", "b"])
    assert "w   = -3  (parameter)" in text and "x   = 2  (input)" in text
    code, _, err = run(
        capsys, "step", "x*w", "--set", "x=1", "--set", "w=2", "--param", "q"
    )
    assert code == 2 and "--param q" in err and "x, w" in err
    code, _, err = run(capsys, "step", "x", "--set", "x=1", "--param", "x,,")
    assert code == 2 and "commas" in err


@needs_dot
def test_param_and_rankdir_reach_the_pictures(capsys, tmp_path: Path) -> None:
    svg, html = tmp_path / "g.svg", tmp_path / "p.html"
    code, _, err = run(
        capsys,
        "step",
        "x * w + b",
        *("--set", "x=2", "--set", "w=-3", "--set", "b=1"),
        *("--param", "w,b", "--rankdir", "TB", "--svg", str(svg), "--html", str(html)),
    )
    assert code == 0, err
    picture = svg.read_text(encoding="utf-8")
    # the parameters' orange fill, and a top-to-bottom layout: taller than wide
    assert picture.count('fill="#fde2c4"') >= 2
    lr = tmp_path / "lr.svg"
    assert (
        main(
            [
                "step",
                "x * w + b",
                "--set",
                "x=2",
                "--set",
                "w=-3",
                "--set",
                "b=1",
                "--rankdir",
                "LR",
                "--svg",
                str(lr),
            ]
        )
        == 0
    )

    def aspect(path: Path) -> float:
        size = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', path.read_text())
        return float(size.group(1)) / float(size.group(2))

    assert aspect(svg) < aspect(lr) / 2  # top to bottom: far less wide for its height
    assert "parameter" in html.read_text(encoding="utf-8")
    code, _, err = run(capsys, "step", "x", "--set", "x=1", "--rankdir", "RL")
    assert code == 2 and "LR" in err and "TB" in err


@pytest.mark.parametrize(
    "name", [n for n, op in OPS.items() if op.kind == "activation"]
)
def test_every_activation_of_the_op_table_is_accepted(name: str) -> None:
    assert name in FUNCTIONS
    parsed = parse_expression(f"{name}(x)", {"x": -2.0})
    assert parsed.root.op == name


def test_leaky_relu_takes_its_slope() -> None:
    assert parse_expression("leaky_relu(x)", {"x": -2.0}).root.data == pytest.approx(
        -0.02
    )
    parsed = parse_expression("leaky_relu(x, 0.2)", {"x": -2.0})
    assert parsed.root.data == pytest.approx(-0.4)
    parsed.root.backward()
    assert parsed.variables["x"].grad == pytest.approx(0.2)
    assert parse_expression("leaky_relu(x, -0.5)", {"x": -2.0}).root.data == 1.0
    for bad, words in [
        ("leaky_relu(x, x)", "slope of leaky_relu must be a number"),
        ("leaky_relu(x, 1, 2)", "at most 1"),
        ("sigmoid(x, 2)", "exactly one argument"),
    ]:
        with pytest.raises(ExpressionError, match=words):
            parse_expression(bad, {"x": 1.0})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2x + 1", ["write 2*x"]),
        ("x / 0", ["division by zero: '0' is 0"]),
        ("x / (w - w)", ["'x / (w - w)'", "division by zero: 'w - w' is 0"]),
        ("log(w - x)", ["'w - x' = -5"]),
        ("x = 1", ["replace the input x"]),
        ("y = x; y = 2", ["already assigned"]),
        ("exp = x", ["is a function"]),
        ("import os", ["an import is not allowed"]),
        ("x; y = 2", ["must name its result"]),
    ],
)
def test_hints_for_the_usual_slips(text: str, words: list[str]) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text, {"x": 2.0, "w": -3.0})
    message = str(caught.value)
    for word in words:
        assert word.lower() in message.lower(), message
    assert "unlabelled" not in message


def test_wrt_lists_each_distinct_path_once(capsys) -> None:
    code, out, _ = run(
        capsys, "step", "x*x + x*w", "--set", "x=2", "--set", "w=3", "--wrt", "x"
    )
    assert code == 0
    paths = out.split("paths from x to E")[1]
    listed = re.findall(r"path \d+: (.*?)   ", paths)
    assert listed == ["x → x·x → E", "x → x·w → E"]  # each distinct path once
    assert "sum over 2 paths" in paths
    assert "= (2 + 2) × 1 = 4   (along 2 edges: x is used 2 times by x·x)" in paths
    assert "dE/dx = 7" in paths


@needs_dot
def test_the_gallery_photographs_the_step_page_as_on_a_projector(
    tmp_path: Path,
) -> None:
    pytest.importorskip("playwright.sync_api")
    from demos.gallery import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    # in a process of its own: Playwright's sync API cannot start inside a
    # test session that already holds a browser (the viz tests' fixture)
    done = subprocess.run(
        [sys.executable, "-m", "demos.gallery", "--page", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    png = (tmp_path / "step-page.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1024, 768)
