"""``chainrule step ... --latex``: the story of an expression in LaTeX."""

from __future__ import annotations

import pytest

from demos.cli import main


def test_step_latex_prints_each_part_as_align(capsys: pytest.CaptureFixture[str]):
    code = main(
        [
            "step",
            "y = x * w; E = sigmoid(y)",
            "--set",
            "x=2",
            "--set",
            "w=-3",
            "--wrt",
            "w",
            "--latex",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    comments = [line for line in out.splitlines() if line.startswith("%")]
    assert comments[:3] == [
        "% chainrule step: y = x * w; E = sigmoid(y)",
        "% forward pass",
        "% backward pass, one node at a time",
    ]
    assert "% gradients" in comments and "% paths from w to E" in comments
    steps = out.count("% step ")  # one per op node: y and E
    assert steps == 2
    assert out.count(r"\begin{align*}") == out.count(r"\end{align*}") == 1 + steps + 2
    assert r"E &= \sigma(y) = \sigma(-6) = 0.002473" in out
    assert r"\frac{\partial E}{\partial y} &= E \cdot (1 - E) = 0.002467" in out
    assert r"\frac{dE}{dw} &= 0.004933" in out
    assert "∂" not in out and "×" not in out  # all of it LaTeX


def test_step_latex_with_the_page_says_what_it_wrote(capsys, tmp_path):
    pytest.importorskip("graphviz")
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    svg = tmp_path / "g.svg"
    code = main(
        ["step", "x * w", "--set", "x=2", "--set", "w=3", "--latex", "--svg", str(svg)]
    )
    out = capsys.readouterr().out
    assert code == 0 and svg.exists()
    assert out.splitlines()[-1] == f"% wrote {svg}"
