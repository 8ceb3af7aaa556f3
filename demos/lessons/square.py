r"""Lesson ``square``: the slope of E = w² and one step of gradient descent.

At w = −1 the slope is dE/dw = 2w = −2: E falls as w grows. Gradient descent
takes a step against the slope, w ← w − lr · dE/dw; the learning rate lr
decides whether that step creeps, lands, bounces or blows up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from autograd import Value, backward_steps
from demos.lesson import LessonRun
from viz.classroom import classroom, figure, legend_beside
from viz.colours import SERIES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "square"
SUMMARY = "E = w² at w = −1: the slope dE/dw = 2w = −2 and one gradient-descent step"
PICTURE = "descent.png"  # the one shown in docs/lessons.md
FILES = ("graph.svg", "steps.html", "descent.png")
NEEDS = ("matplotlib",)  # from the demos extra

START = -1.0
# Each step multiplies w by (1 − 2·lr), so E by (1 − 2·lr)²: rates with the same
# |1 − 2·lr| (0.1 and 0.9) give the same E. These five all differ.
RATES = (0.1, 0.5, 0.75, 1.0, 1.1)


def slope(w: float) -> float:
    r"""dE/dw of E = w², computed by the engine's backward pass.

    >>> slope(-1.0)
    -2.0
    """
    node = Value(w, "w")
    (node**2).backward()
    return float(node.grad)


def descend(w: float, lr: float, steps: int) -> list[float]:
    r"""The values of w over ``steps`` steps of w ← w − lr · dE/dw, start included.

    >>> [round(w, 4) for w in descend(-1.0, 0.1, 2)]
    [-1.0, -0.8, -0.64]
    """
    path = [w]
    for _ in range(steps):
        w = w - lr * slope(w)
        path.append(w)
    return path


def run(lesson: LessonRun) -> None:
    w = Value(START, "w")
    E = w**2
    E.label = "E"
    lesson.heading("The error E = w² at w = −1")
    lesson.say(f"E = ({START:g})² = {E.data:g}")
    for step in backward_steps(E):
        lesson.say(str(step))
    lesson.say(f"dE/dw = 2w = {w.grad:g}: negative, so E goes DOWN when w goes UP.")
    lesson.note("dE/dw", w.grad)

    lesson.heading("One step of gradient descent: w ← w − lr · dE/dw")
    lr = 0.1
    new_w = START - lr * w.grad
    lesson.say(f"lr = {lr:g}:  w = {START:g} − {lr:g} × ({w.grad:g}) = {new_w:g}")
    lesson.say(f"E was {START**2:g}, now E = ({new_w:g})² = {new_w**2:g}: smaller.")
    lesson.note("w after one step", new_w)

    lesson.heading("Ten steps with different learning rates")
    lesson.say("Each step multiplies w by (1 − 2·lr), so E by (1 − 2·lr)²:")
    paths = {rate: descend(START, rate, 10) for rate in RATES}
    for rate, path in paths.items():
        final = path[-1]
        story = _story(rate)
        lesson.say(f"  lr = {rate:<4g} w after 10 steps = {final:>9.4g}   {story}")
        lesson.note(f"w after 10 steps, lr = {rate:g}", final)
    lesson.say("(lr = 0.9 would give the same E as lr = 0.1: |1 − 2·lr| = 0.8 for")
    lesson.say(" both; w just changes sign at every step.)")

    picture = lesson.save_figure(_figure(paths), "descent.png")
    graph = lesson.save_graph(E, "graph.svg", params=[w])
    steps = lesson.save_steps(E, "steps.html", title="E = w² at w = −1", params=[w])
    lesson.heading("Look at")
    lesson.say(f"{picture}: the tangent at w = −1 has slope −2; the dots are the")
    lesson.say("  steps of gradient descent for each learning rate.")
    lesson.say(f"{graph}: the one op ^2 and its local derivative 2·w = −2.")
    if steps is not None:
        lesson.say(f"{steps}: the backward pass, one step per page.")


def _story(rate: float) -> str:
    factor = 1 - 2 * rate
    if factor == 0:
        return "lands on the minimum in one step"
    if abs(factor) < 1:
        return "creeps to 0" if factor > 0 else "bounces across 0, closing in"
    if abs(factor) == 1:
        return "bounces between −1 and 1 for ever"
    return "overshoots further each time: diverges"


@classroom()
def _figure(paths: dict[float, list[float]]) -> Figure:
    import numpy as np

    colour = dict(zip(RATES, SERIES[1:]))  # one colour per rate, in both panels
    fig = figure(13.0, 5.0)
    left, right = fig.subplots(1, 2)
    ws = np.linspace(-1.6, 1.6, 200)
    left.plot(ws, ws**2, color=SERIES[0], label="E = w²")
    left.plot(ws, 1 + -2 * (ws - START), ":", color="0.45", label="slope −2 at w = −1")
    for rate in (0.1, 0.75):
        path = paths[rate]
        left.plot(
            path, [p**2 for p in path], "o-", color=colour[rate], label=f"lr = {rate:g}"
        )
    left.set_ylim(-0.2, 2.6)
    left.set_xlabel("w")
    left.set_ylabel("E")
    left.set_title("E = w² and its slope at w = −1")
    legend_beside(left)
    for rate, values in paths.items():
        right.plot(
            [v**2 for v in values], "o-", color=colour[rate], label=f"lr = {rate:g}"
        )
    right.set_yscale("symlog", linthresh=1e-3)
    right.set_xlabel("step")
    right.set_ylabel("E")
    right.set_title("E over ten steps")
    legend_beside(right)
    return fig
