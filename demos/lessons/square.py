r"""Lesson ``square``: the slope of E = w² and one step of gradient descent.

At w = −1 the slope is dE/dw = 2w = −2: E falls as w grows. Gradient descent
takes a step against the slope, w ← w − lr · dE/dw; the learning rate lr
decides whether that step creeps, lands, bounces or blows up.

Then the first article's Fig. 7: the average cost C(w) of a model with one
weight, at two points of opposite slope. Where dC/dw < 0, w moves right;
where dC/dw > 0, left; always by an amount proportional to the slope.
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
FILES = ("graph.svg", "steps.html", "descent.png", "cost_curve.png")
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


# C(w): the average cost of the one-weight model a = w·x over three examples.
EXAMPLES = ((1.0, 1.5), (2.0, 2.5), (3.0, 4.5))  # (x, desired a)
TWO_POINTS = (0.5, 2.5)  # one on each side of the minimum
RATE = 0.1


def average_cost(w: Value) -> Value:
    r"""C(w) = (1/n)·Σᵢ (w·xᵢ − tᵢ)², the average cost over :data:`EXAMPLES`.

    >>> round(average_cost(Value(0.5)).data, 4)      # (1 + 2.25 + 9) / 3
    4.0833
    """
    costs = [(w * x - t) ** 2 for x, t in EXAMPLES]
    total = costs[0]
    for cost in costs[1:]:
        total = total + cost
    return total * (1.0 / len(costs))


def cost_slope(w: float) -> tuple[float, float]:
    r"""C(w) and dC/dw, by the engine's backward pass.

    >>> [round(v, 4) for v in cost_slope(0.5)]      # (2/3)·Σ (w·x − t)·x
    [4.0833, -8.6667]
    """
    node = Value(w, "w")
    cost = average_cost(node)
    cost.backward()
    return float(cost.data), float(node.grad)


def _two_slopes(lesson: LessonRun) -> None:
    """The first article's Fig. 7: C(w), two points of opposite slope, a step each."""
    lesson.heading("C(w) for one weight: which way to move (the first article)")
    pairs = ", ".join(f"({x:g}, {t:g})" for x, t in EXAMPLES)
    lesson.say(f"a = w·x on the examples (x, t) = {pairs}:")
    lesson.say("C(w) = (1/3)·Σ (w·x − t)², the average cost")
    points = []
    for w in TWO_POINTS:
        cost, grad = cost_slope(w)
        new = w - RATE * grad
        way = "right" if grad < 0 else "left"
        lesson.say(f"  w = {w:g}: C = {cost:.4f}, dC/dw = {grad:+.4f}: move {way}")
        lesson.say(
            f"    w ← {w:g} − {RATE:g} × ({grad:+.4f}) = {new:.4f}, where C = "
            f"{cost_slope(new)[0]:.4f}"
        )
        lesson.note(f"dC/dw at w = {w:g}", grad)
        lesson.note(f"w after one step from {w:g}", new)
        points.append((w, cost, grad, new))
    lesson.say("Negative slope: move right; positive: move left; the steeper, the")
    lesson.say("bigger the step. Neither step needs to know where the minimum is.")
    lesson.save_figure(_cost_figure(points), "cost_curve.png")


@classroom()
def _cost_figure(points: list[tuple[float, float, float, float]]) -> Figure:
    import numpy as np

    fig = figure(10.0, 5.8)
    ax = fig.add_subplot()
    ws = np.linspace(-0.5, 3.5, 200)
    xs, ts = np.array(EXAMPLES).T
    costs = [np.mean((w * xs - ts) ** 2) for w in ws]
    ax.plot(ws, costs, color=SERIES[0], label="C(w), the average cost")
    step = SERIES[1]
    for k, (w, cost, grad, new) in enumerate(points):
        near = np.linspace(w - 0.6, w + 0.6, 20)
        ax.plot(
            near,
            cost + grad * (near - w),
            "--",
            color="0.45",
            lw=2,
            label="the slope dC/dw at each point" if k == 0 else None,
        )
        ax.plot([w], [cost], "o", color=step, ms=11)
        ax.annotate(
            "",
            xy=(new, cost),
            xytext=(w, cost),
            arrowprops={"arrowstyle": "->", "color": step, "lw": 3},
        )
        side = -0.15 if grad < 0 else 0.15  # beside the point, away from the tangent
        ax.text(
            w + side,
            cost - 2.0,
            f"dC/dw = {grad:+.2f}",
            ha="right" if grad < 0 else "left",
        )
    ax.plot([], [], "o-", color=step, label="a step against the slope")
    ax.set_ylim(-0.5, max(costs))
    ax.set_xlabel("w")
    ax.set_ylabel("C(w)")
    ax.set_title(
        "move w against the slope:\nright where it is negative, left where not"
    )
    legend_beside(ax)
    return fig


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

    _two_slopes(lesson)

    picture = lesson.save_figure(_figure(paths), "descent.png")
    graph = lesson.save_graph(E, "graph.svg", params=[w])
    steps = lesson.save_steps(E, "steps.html", title="E = w² at w = −1", params=[w])
    lesson.heading("Look at")
    lesson.say(f"{picture}: the tangent at w = −1 has slope −2; the dots are the")
    lesson.say("  steps of gradient descent for each learning rate.")
    lesson.say(f"{graph}: the one op ^2 and its local derivative 2·w = −2.")
    lesson.say(f"{lesson.out / 'cost_curve.png'}: C(w), a slope on each side of its")
    lesson.say("  minimum and the step each one takes.")
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
