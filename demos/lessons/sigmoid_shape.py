r"""Lesson ``sigmoid-shape``: what a weight and a bias do to a = σ(w·x + b).

The first article's question "why a bias?", answered with numbers. The
weight sets how *steep* the S-curve is; without a bias every curve passes
through a = 0.5 at x = 0, whatever the weight. The bias *shifts* the curve
along x (it switches at x = −b/w) without changing its shape. So a neuron
asked to be off at x = 2 but on for larger inputs cannot do it with its
weight alone: it needs the bias. The gradients say the same thing:

    ∂a/∂b = σ'(z),    ∂a/∂w = σ'(z) · x,    σ'(z) = a·(1 − a)

so the weight's pull is the bias's scaled by the input (zero at x = 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from autograd import Value
from demos.lesson import LessonRun
from viz.classroom import classroom, figure, legend_beside
from viz.colours import SERIES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "sigmoid-shape"
SUMMARY = "σ(w·x + b): the weight sets the steepness, the bias the shift; why a bias"
PICTURE = "sigmoid.png"  # the one shown in docs/lessons.md
FILES = ("sigmoid.png", "graph.svg")
NEEDS = ("matplotlib",)  # from the demos extra

WEIGHTS = (0.5, 1.0, 2.0)  # with b = 0
BIASES = (-2.0, 0.0, 2.0)  # with w = 1
X_AT = 2.0  # the input of the first article's argument
# the task: off (0) up to x = 2, on (1) from x = 4
TASK_X = (0.0, 0.5, 1.0, 1.5, 2.0, 4.0, 4.5, 5.0, 5.5, 6.0)
TASK_Y = (0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0)
LOWEST_WITHOUT_BIAS = 5 * 0.5**2 / 10  # five points always 0.5 or more off


def neuron(w: float, b: float, x: float) -> tuple[float, float, float]:
    r"""a = σ(w·x + b), ∂a/∂w and ∂a/∂b, from the engine's backward pass.

    >>> a, da_dw, da_db = neuron(1.0, 0.0, 2.0)
    >>> round(a, 4), round(da_dw, 4), round(da_db, 4)   # σ'(2) = 0.105, times x = 2
    (0.8808, 0.21, 0.105)
    """
    wv, bv = Value(w, "w"), Value(b, "b")
    a = (wv * Value(x, "x") + bv).sigmoid()
    a.backward()
    return float(a.data), float(wv.grad), float(bv.grad)


def fit(use_bias: bool, steps: int, lr: float = 2.0) -> tuple[float, float, float]:
    r"""Gradient descent on the mean squared error of the task; (w, b, cost) at the end.

    Without ``use_bias`` the bias stays 0: only the weight learns.
    """
    w, b = Value(0.1, "w"), Value(0.0, "b")
    X = Value(np.array(TASK_X), "x")
    T = np.array(TASK_Y)
    cost = 0.0
    for _ in range(steps):
        a = (w * X + b).sigmoid()
        loss = ((a - T) ** 2).mean()
        w.grad, b.grad = 0.0, 0.0
        loss.backward()
        cost = float(loss.data)
        w.data -= lr * w.grad
        if use_bias:
            b.data -= lr * b.grad
    a = 1 / (1 + np.exp(-(w.data * np.array(TASK_X) + b.data)))
    cost = float(np.mean((a - T) ** 2))
    return float(w.data), float(b.data), cost


def run(lesson: LessonRun) -> None:
    lesson.heading("The weight sets the steepness (b = 0)")
    lesson.say(f"  {'w':>5}   a(−2)   a(0)   a(2)")
    for w in WEIGHTS:
        at = [neuron(w, 0.0, x)[0] for x in (-2.0, 0.0, 2.0)]
        lesson.say(f"  {w:>5g}   {at[0]:.3f}  {at[1]:.3f}  {at[2]:.3f}")
    lesson.say("Every curve passes through a = 0.5 at x = 0: w only turns it about")
    lesson.say("that point. A negative w mirrors the curve; it still goes through 0.5.")

    lesson.heading("The bias shifts the curve (w = 1): it switches at x = −b/w")
    lesson.say(f"  {'b':>5}   switch at   a(2)")
    for b in BIASES:
        a2 = neuron(1.0, b, X_AT)[0]
        lesson.say(f"  {b:>5g}   x = {0.0 - b:>5g}     {a2:.3f}")
    lesson.say(
        "The shape is the same; a negative bias moves it right, a positive left."
    )

    lesson.heading("The gradients at x = 2: ∂a/∂w = σ'(z)·x and ∂a/∂b = σ'(z)")
    lesson.say(f"  {'w':>4} {'b':>5}   a       ∂a/∂w    ∂a/∂b    σ'(z)·x")
    rows = [(w, 0.0) for w in WEIGHTS] + [(1.0, b) for b in BIASES if b != 0.0]
    for w, b in rows:
        a, da_dw, da_db = neuron(w, b, X_AT)
        by_hand = a * (1 - a) * X_AT
        lesson.say(
            f"  {w:>4g} {b:>5g}   {a:.4f}  {da_dw:.5f}  {da_db:.5f}  {by_hand:.5f}"
        )
        lesson.note(f"da/dw at w={w:g}, b={b:g}", da_dw)
        lesson.note(f"da/db at w={w:g}, b={b:g}", da_db)
    lesson.say("∂a/∂w is ∂a/∂b times x = 2: the same pull, scaled by the input.")

    lesson.heading("Why a bias: off at x = 2, on from x = 4")
    lesson.say("Task: a = 0 for x = 0 … 2, a = 1 for x = 4 … 6 (10 points, MSE).")
    steps = lesson.epochs(default=3000, quick=600)
    results = {}
    for use_bias in (False, True):
        w, b, cost = fit(use_bias, steps)
        a2 = 1 / (1 + np.exp(-(w * X_AT + b)))
        a0 = 1 / (1 + np.exp(-b))
        results[use_bias] = (w, b)
        name = "weight and bias" if use_bias else "weight only (b = 0)"
        lesson.say(
            f"  {name:<20} w = {w:6.3f}  b = {b:7.3f}  cost {cost:.4f}  "
            f"a(0) = {a0:.3f}  a(2) = {a2:.3f}"
        )
        key = "with bias" if use_bias else "without bias"
        lesson.note(f"cost {key}", cost)
        lesson.note(f"a(2) {key}", a2)
    lesson.say(f"{steps} steps of gradient descent each. Without a bias, σ(w·x) is")
    lesson.say("≥ 0.5 for every x ≥ 0 when w ≥ 0 (≤ 0.5 when w ≤ 0): five of the ten")
    lesson.say("points are always 0.5 or more off, so the cost never goes below")
    lesson.say(f"5 × 0.5² / 10 = {LOWEST_WITHOUT_BIAS:g}. With a bias the switch moves")
    lesson.say("to x = −b/w, between 2 and 4, and the cost falls towards 0.")

    root, options = _neuron_graph()
    graph = lesson.save_graph(root, "graph.svg", **options)
    picture = lesson.save_figure(_figure(results), "sigmoid.png")
    lesson.heading("Look at")
    lesson.say(f"{picture}: top left, three weights (steepness); top right, three")
    lesson.say("  biases (shift); below, the task fitted with and without a bias.")
    lesson.say(f"{graph}: a = σ(w·x + b) at x = 2 with ∂a/∂w = 0.21 and ∂a/∂b = 0.105.")


def _neuron_graph() -> tuple[Value, dict[str, list[Value]]]:
    """a = σ(w·x + b) at w = 1, b = 0, x = 2, after backward; its weights."""
    w, b, x = Value(1.0, "w"), Value(0.0, "b"), Value(X_AT, "x")
    product = w * x
    product.label = "w·x"
    z = product + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    a.backward()
    return a, {"params": [w, b]}


@classroom()
def _figure(results: dict[bool, tuple[float, float]]) -> Figure:
    fig = figure(12.0, 9.0)
    panels = fig.subplot_mosaic([["w", "b"], ["task", "task"]])
    left, middle, right = panels["w"], panels["b"], panels["task"]
    xs = np.linspace(-6, 6, 300)
    for w in WEIGHTS:
        left.plot(xs, 1 / (1 + np.exp(-w * xs)), label=f"w = {w:g}")
    for b in BIASES:
        middle.plot(xs, 1 / (1 + np.exp(-(xs + b))), label=f"b = {b:g}")
    for ax, title in ((left, "σ(w·x), b = 0"), (middle, "σ(x + b), w = 1")):
        ax.axvline(X_AT, color="0.75", ls="--", lw=1.2)
        ax.axhline(0.5, color="0.85", lw=1.0)
        ax.set_title(title)
        ax.set_xlabel("x")
        ax.set_ylabel("a")
        legend_beside(ax)
    xs = np.linspace(-1, 7, 300)
    right.scatter(TASK_X, TASK_Y, color=SERIES[0], s=60, zorder=3, label="task")
    for use_bias, style in ((False, ":"), (True, "-")):
        w, b = results[use_bias]
        name = "with bias" if use_bias else "weight only"
        right.plot(xs, 1 / (1 + np.exp(-(w * xs + b))), style, label=name)
    right.axvline(X_AT, color="0.75", ls="--", lw=1.2)
    right.set_title("off at x = 2, on from x = 4")
    right.set_xlabel("x")
    right.set_ylabel("a")
    legend_beside(right)
    return fig
