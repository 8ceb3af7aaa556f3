r"""Lesson ``neuron``: one neuron is logistic regression.

    z = w·x + b        a = σ(z) = 1 / (1 + e^(−z))

``a`` is the neuron's belief that the label is 1. With the log loss
L = −log a (for a label 1) the chain rule gives the famous short result
dL/dz = a − 1, so dL/dw = (a − 1)·x and dL/db = a − 1. Training moves w and b
against those gradients until the S-curve σ(w·x + b) fits the data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from autograd import Value, backward_steps
from demos.lesson import LessonRun
from viz.classroom import classroom, figure, legend_beside
from viz.colours import class_colour

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "neuron"
SUMMARY = (
    "one neuron z = w·x + b, a = σ(z) is logistic regression: graph, gradient, fit"
)
PICTURE = "fit.png"  # the one shown in docs/lessons.md
FILES = ("graph.svg", "steps.html", "fit.png", "history.png")
NEEDS = ("matplotlib",)  # from the demos extra


def study_hours(seed: int = 0, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    r"""A one-feature data set: hours of study (0-10) and whether the exam was passed.

    The chance to pass rises along an S-curve centred on 5 hours.

    >>> X, y = study_hours()
    >>> X.shape, sorted(set(y.tolist()))
    ((40, 1), [0, 1])
    """
    rng = np.random.default_rng(seed)
    hours = np.sort(rng.uniform(0.0, 10.0, n))
    chance = 1.0 / (1.0 + np.exp(-1.5 * (hours - 5.0)))
    passed = (rng.uniform(size=n) < chance).astype(int)
    return hours.reshape(-1, 1), passed


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    neuron = nn.Neuron(1, activation="sigmoid", seed=lesson.seed)
    w, b = neuron.w[0], neuron.b
    w.data, b.data = 0.5, -1.0  # a readable start
    w.label, b.label = "w", "b"  # short names for the pictures
    x = Value(2.0, "x")

    lesson.heading("One neuron: z = w·x + b, a = σ(z)")
    a = neuron([x])
    z = a.parents[0]
    z.label, a.label = "z", "a"
    lesson.say(f"w = {w.data:g}, b = {b.data:g}, x = {x.data:g} hours")
    lesson.say(f"z = w·x + b = {z.data:.4g}    a = σ(z) = {a.data:.4g}")
    lesson.say("a is the neuron's belief that this student passes.")

    lesson.heading("Its gradient, for a student who passed (label 1): L = −log a")
    log_a = a.log()
    log_a.label = "log_a"
    loss = -log_a
    loss.label = "L"
    for step in backward_steps(loss):
        if step.lines:
            lesson.say(str(step))
    lesson.say()
    lesson.say(
        f"dL/dz = a − 1 = {a.data - 1:.4g}   (σ' = a(1 − a) cancels the 1/a of the log)"
    )
    lesson.say(f"dL/dw = (a − 1)·x = {w.grad:.4g}   dL/db = a − 1 = {b.grad:.4g}")
    lesson.note("dL/dw", w.grad)
    lesson.note("dL/db", b.grad)
    params = [w, b]
    graph = lesson.save_graph(loss, "graph.svg", params=params)
    steps = lesson.save_steps(
        loss, "steps.html", title="One neuron, L = −log σ(w·x + b)", params=params
    )

    lesson.heading("A short fit: hours of study → passed the exam?")
    X, y = study_hours(lesson.seed)
    before = (w.data, b.data)
    history = lesson.fit_full_batch(
        neuron,
        X,
        y,
        "binary_cross_entropy",
        lr=0.1,
        epochs=lesson.epochs(default=150, quick=20),
        seed=lesson.seed,
    )
    w_fit, b_fit = w.data, b.data
    lesson.say(f"{len(X)} students; {history.epochs} epochs of Adam on the log loss")
    lesson.say(f"w: {before[0]:g} → {w_fit:.3f}    b: {before[1]:g} → {b_fit:.3f}")
    lesson.say(
        f"loss {history.loss[0]:.3f} → {history.loss[-1]:.3f}; "
        f"accuracy {history.accuracy[-1]:.0%}"
    )
    lesson.say(f"the neuron says 50/50 at x = −b/w = {-b_fit / w_fit:.2f} hours")
    lesson.note("accuracy", history.accuracy[-1])
    lesson.note("loss", history.loss[-1])

    fit = lesson.save_figure(_fit_figure(X, y, before, (w_fit, b_fit)), "fit.png")
    curves = lesson.save_figure(viz.plot_history(history), "history.png")
    lesson.heading("Look at")
    lesson.say(
        f"{graph}: the weighted sum Σw·x+b, then σ, then −log: three tiny steps."
    )
    if steps is not None:
        lesson.say(f"{steps}: the gradient flowing back from L to w and b.")
    lesson.say(f"{fit}: the S-curve σ(w·x + b) before and after training.")
    lesson.say(f"{curves}: the loss falling epoch by epoch.")


@classroom()
def _fit_figure(
    X: np.ndarray,
    y: np.ndarray,
    before: tuple[float, float],
    after: tuple[float, float],
) -> Figure:
    fig = figure(9.0, 5.2)
    axes = fig.add_subplot()
    hours = np.linspace(0, 10, 200)
    for label, name in ((0, "failed (0)"), (1, "passed (1)")):
        here = y == label
        axes.scatter(
            X[here, 0],
            y[here],
            color=class_colour(label),
            edgecolors="black",
            s=60,
            zorder=3,
            label=name,
        )
    for (w, b), style, name in ((before, ":", "before"), (after, "-", "after")):
        axes.plot(
            hours, 1 / (1 + np.exp(-(w * hours + b))), style, label=f"σ(w·x + b) {name}"
        )
    axes.axhline(0.5, color="0.8", lw=1.0)
    axes.set_xlabel("hours of study x")
    axes.set_ylabel("passed? / a = σ(w·x + b)")
    axes.set_title("One neuron = logistic regression")
    legend_beside(axes)
    return fig
