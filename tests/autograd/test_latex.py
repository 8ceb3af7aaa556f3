"""LaTeX of the backward pass: names, each step, the paths, the forward values."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, backward_steps, exercise, explain
from autograd.latex import (
    explanation_latex,
    forward_latex,
    latex_formula,
    latex_name,
    latex_number,
    step_latex,
)
from autograd.practice import LEVELS


@pytest.mark.parametrize(
    ("name", "tex"),
    [
        ("x", "x"),
        ("w1", "w_{1}"),
        ("x₁", "x_{1}"),
        ("w²₁₁", "w^{2}_{11}"),
        ("a³₁ − t₁", "a^{3}_{1} - t_{1}"),
        ("(a³₁ − t₁)²", "(a^{3}_{1} - t_{1})^{2}"),
        ("δ²₁", r"\delta^{2}_{1}"),
        ("loss", r"\mathit{loss}"),
        ("layers.0.W[2,1]", r"\texttt{layers.0.W[2,1]}"),
        ("layers.0.neurons.2.w.1", r"\texttt{layers.0.neurons.2.w.1}"),
        ("v7", "v_{7}"),
        ("Wᵀ", r"W^{\top}"),
        ("50% & #1 {x}", r"50\% \& \#1 \{x\}"),
    ],
)
def test_names_in_latex(name: str, tex: str) -> None:
    assert latex_name(name) == tex


@pytest.mark.parametrize(
    ("formula", "tex"),
    [
        ("y·(1 − y)", r"y \cdot (1 - y)"),
        ("1 − a²", "1 - a^{2}"),
        ("2·v4", r"2 \cdot v_{4}"),
        ("1 if z > 0 else 0", r"1 \text{ if } z > 0 \text{ else } 0"),
        ("exp(x)", r"\exp(x)"),
        ("−a/b²", "-a/b^{2}"),
        ("σ(z)", r"\sigma(z)"),
        ("x^(n − 1)", "x^{n - 1}"),
    ],
)
def test_formulas_in_latex(formula: str, tex: str) -> None:
    assert latex_formula(formula) == tex


def test_numbers_in_latex() -> None:
    assert latex_number(-0.75) == "-0.75"
    assert latex_number(-0.75, bracket=True) == "(-0.75)"
    assert latex_number(2.0, bracket=True) == "2"
    assert latex_number(1.5e-8) == r"1.5 \times 10^{-8}"
    assert latex_number(float("inf")) == r"\infty"


def chain() -> tuple[Value, Value]:
    x, w1, w2 = Value(1.5, "x"), Value(2.0, "w1"), Value(-0.5, "w2")
    y = x * w1
    y.label = "y"
    E = y * w2
    E.label = "E"
    return E, w1


def test_a_step_in_latex() -> None:
    E, _ = chain()
    first = next(backward_steps(E, fresh=True))
    tex = first.latex()
    assert tex.startswith(r"\begin{align*}") and tex.endswith(r"\end{align*}")
    assert r"E &= y \cdot w_{2} = -1.5 & \frac{dE}{dE} &= 1" in tex
    assert r"\frac{\partial E}{\partial y} &= w_{2} = -0.5" in tex
    assert (
        r"\frac{dE}{dy} &\mathrel{+}= \frac{dE}{dE}\,\frac{\partial E}{\partial y}"
        r" = 1 \times (-0.5) = -0.5"
    ) in tex
    assert first._repr_latex_() == tex == step_latex(first)


def test_the_paths_in_latex() -> None:
    E, w1 = chain()
    tex = explain(E, w1).latex()
    assert r"\text{path 1: } w_{1} \to y \to E" in tex
    assert r"= x \cdot w_{2} = 1.5 \times (-0.5) = -0.75" in tex
    assert tex.splitlines()[-2] == r"\frac{dE}{dw_{1}} &= -0.75"
    assert explain(E, w1)._repr_latex_() == tex
    x = Value(3.0, "x")
    y = x * x
    y.label = "y"
    twice = explanation_latex(explain(y, x))
    assert r"= (3 + 3) = 6" in twice  # x·x: two edges from x to y
    alone = Value(1.0, "a")
    assert r"\frac{dE}{da} &= 0" in explain(E, alone).latex()


def test_an_unlabelled_node_and_a_constant_in_latex() -> None:
    a = Value(0.5, "a³₁")
    E = (a - 1.0) ** 2
    first, second = (step.latex() for step in backward_steps(E, fresh=True))
    assert r"2 \cdot (a^{3}_{1} - t_{1}) = -1" in first
    assert r"\frac{dE}{d(a^{3}_{1} - t_{1})}" in first
    assert second.splitlines()[1].startswith(r"a^{3}_{1} - t_{1} &= -0.5 &")
    assert r"\text{(a constant: nothing is sent)}" in second


def test_the_forward_values_in_latex() -> None:
    E, _ = chain()
    tex = forward_latex(list(backward_steps(E, fresh=True)))
    assert r"y &= x \cdot w_{1} = 1.5 \cdot 2 = 3" in tex
    assert r"E &= y \cdot w_{2} = 3 \cdot (-0.5) = -1.5" in tex
    assert tex.index("x &= 1.5") < tex.index("y &=")


def balanced(tex: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(LEVELS), st.integers(min_value=0, max_value=1000))
def test_every_block_is_well_formed(level: str, seed: int) -> None:
    ex = exercise(level=level, seed=seed)
    blocks = [forward_latex(ex.steps), *(step.latex() for step in ex.steps)]
    leaf = next(n for n in ex.names if not n.parents and n.needs_grad)
    blocks.append(explain(ex.root, leaf).latex())
    for tex in blocks:
        assert balanced(tex), tex
        assert tex.count(r"\begin{align*}") == tex.count(r"\end{align*}") == 1
        assert "₁" not in tex and "²" not in tex and "−" not in tex and "σ" not in tex
        for row in tex.splitlines()[1:-1]:
            assert row.count("&") in (1, 3), row  # one or two aligned pairs
