r"""Lesson ``softmax``: scores → probabilities → cross-entropy, and its gradient.

A classifier's last layer gives one raw score zₖ per class. Softmax turns
them into probabilities, and cross-entropy scores the probability the
network gave the correct class y:

    pₖ = e^{zₖ} / Σⱼ e^{zⱼ}        L = −log p_y        ∂L/∂zₖ = pₖ − [k = y]

The gradient is "what it said minus what was true": the article's simple
form of the cross-entropy for a single correct class. Computing e^{zₖ}
directly overflows for scores of ±1000; subtracting the largest score m
first changes nothing (the e^{−m} cancels) and keeps every exponential ≤ 1.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from autograd import Value, softmax_cross_entropy
from demos.lesson import LessonRun
from viz.classroom import classroom, figure, legend_beside
from viz.colours import NEGATIVE, POSITIVE, SERIES, sign_colour

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "softmax"
SUMMARY = (
    "scores → probabilities; cross-entropy −log p; its gradient p − one-hot; ±1000"
)
PICTURE = "softmax.png"  # the one shown in docs/lessons.md
FILES = ("softmax.png", "graph.svg")
NEEDS = ("matplotlib",)  # from the demos extra

SCORES = (2.0, 1.0, 0.1)
CORRECT = 0
HUGE = (1000.0, -1000.0)


def naive_softmax(z: np.ndarray) -> np.ndarray:
    r"""e^{zₖ} / Σⱼ e^{zⱼ} without the shift: overflows for large scores.

    >>> naive_softmax(np.array([1000.0, -1000.0])).tolist()
    [nan, 0.0]
    """
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum()


def stable_softmax(z: np.ndarray) -> np.ndarray:
    r"""e^{zₖ − m} / Σⱼ e^{zⱼ − m} with m = max z: the same numbers, no overflow.

    >>> stable_softmax(np.array([1000.0, -1000.0])).tolist()
    [1.0, 0.0]
    """
    e = np.exp(z - z.max())
    return e / e.sum()


def run(lesson: LessonRun) -> None:
    import nn

    z = np.array(SCORES)
    lesson.heading(f"Scores → probabilities: z = {list(SCORES)}")
    exps = np.exp(z)
    p = exps / exps.sum()
    for k in range(len(z)):
        lesson.say(
            f"  class {k}: z = {z[k]:>4g}   e^z = {exps[k]:.4f}   "
            f"p = e^z / {exps.sum():.4f} = {p[k]:.4f}"
        )
    lesson.say(
        f"the probabilities add up to {p.sum():g}; the order of the scores stays."
    )
    for k in range(len(z)):
        lesson.note(f"p{k}", p[k])

    lesson.heading(f"Cross-entropy when class {CORRECT} is correct: L = −log p")
    logits = [Value(s, f"z{k}") for k, s in enumerate(SCORES)]
    loss = nn.cross_entropy(logits, CORRECT)
    loss.label = "L"
    loss.backward()
    by_hand = -math.log(p[CORRECT])
    lesson.say(
        f"−log {p[CORRECT]:.4f} = {by_hand:.4f};  nn.cross_entropy: {loss.data:.4f}"
    )
    lesson.say("A sure right answer (p = 1) costs 0; p → 0 costs more and more.")
    lesson.note("loss by hand", by_hand)
    lesson.note("loss", loss.data)

    lesson.heading("Its gradient: ∂L/∂zₖ = pₖ − [k = correct]")
    target = np.eye(len(z))[CORRECT]
    for k, v in enumerate(logits):
        lesson.say(
            f"  z{k}: backward {v.grad:+.4f}   p − one-hot = "
            f"{p[k]:.4f} − {target[k]:g} = {p[k] - target[k]:+.4f}"
        )
        lesson.note(f"dL/dz{k}", v.grad)
    lesson.say(
        "The gradients add up to 0: raising the correct score lowers the others'"
    )
    lesson.say(
        "probabilities by as much. Gradient descent raises z0, lowers z1 and z2."
    )

    lesson.heading("A batch: one fused node, gradient (softmax − one-hot)/n")
    rng = np.random.default_rng(lesson.seed)
    Z = rng.normal(0.0, 2.0, size=(4, 3))
    labels = np.array([0, 2, 1, 1])
    batch = Value(Z, "Z")
    mean_loss = softmax_cross_entropy(batch, labels)
    mean_loss.backward()
    P = np.array([stable_softmax(row) for row in Z])
    expected = (P - np.eye(3)[labels]) / len(Z)
    difference = float(np.abs(batch.grad - expected).max())
    lesson.say(f"4 samples × 3 classes; mean loss {mean_loss.data:.4f}")
    lesson.say(f"largest |backward − (P − one-hot)/4| = {difference:.1e}")
    lesson.note("batch gradient difference", difference)

    lesson.heading(f"Why the largest score is subtracted: z = {list(HUGE)}")
    huge = np.array(HUGE)
    lesson.say(
        f"  e^1000 overflows: the naive softmax gives {naive_softmax(huge).tolist()}"
    )
    lesson.say(
        f"  shifted by m = 1000: e^(z − m) = {np.exp(huge - huge.max()).tolist()}, "
        f"p = {stable_softmax(huge).tolist()}"
    )
    big = nn.cross_entropy([Value(s) for s in HUGE], 1)
    lesson.say(
        f"  nn.cross_entropy for class 1: {big.data:g} (= 1000 − (−1000)), not nan"
    )
    lesson.note("huge loss", big.data)

    graph = lesson.save_graph(loss, "graph.svg", params=logits)
    picture = lesson.save_figure(_figure(z, p, target), "softmax.png")
    lesson.heading("Look at")
    lesson.say(
        f"{picture}: the scores, their probabilities, and the gradient p − one-hot."
    )
    lesson.say(
        f"{graph}: the cross-entropy graph; its −max leaf is the constant shift,"
    )
    lesson.say("  and each zₖ's gradient is its pₖ − [k = 0].")


@classroom()
def _figure(z: np.ndarray, p: np.ndarray, target: np.ndarray) -> Figure:
    from matplotlib.patches import Patch

    fig = figure(15.0, 5.2)
    axes = fig.subplots(1, 3)
    classes = np.arange(len(z))
    names = [f"class {k}" for k in classes]
    gradient = p - target
    panels = (
        (z, "scores z", [SERIES[0]] * len(z)),
        (p, "probabilities p = softmax(z)", [SERIES[1]] * len(p)),
        (gradient, f"∂L/∂z = p − one-hot\n(class {CORRECT} correct)", None),
    )
    for ax, (values, title, colours) in zip(axes, panels):
        if colours is None:
            colours = [sign_colour(v) for v in values]
        ax.bar(classes, values, color=colours)
        ax.axhline(0, color="black", lw=1.2)
        ax.set_xticks(classes, names)
        ax.set_title(title)
        for k, v in zip(classes, values):
            ax.text(k, v, f"{v:.3f}", ha="center", va="bottom" if v >= 0 else "top")
        ax.margins(y=0.15)
    axes[1].set_ylim(0, 1.1)
    legend_beside(
        axes[2],
        handles=[
            Patch(color=POSITIVE, label="> 0: lowers zₖ"),
            Patch(color=NEGATIVE, label="< 0: raises zₖ"),
        ],
        title="gradient descent",
    )
    return fig
