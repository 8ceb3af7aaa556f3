r"""Lesson ``chain``: the chain rule as a product of tiny steps.

    x → (× w1) → y → (× w2) → E

Each step has a derivative you can read off its formula: ∂y/∂w1 = x and
∂E/∂y = w2. The chain rule multiplies them: dE/dw1 = ∂E/∂y · ∂y/∂w1 = w2 · x.
"""

from __future__ import annotations

from autograd import Value, backward_steps, explain
from demos.lesson import LessonRun

NAME = "chain"
SUMMARY = "the chain rule: dE/dw1 = x·w2 is the product of each tiny step's derivative"
PICTURE = "graph.svg"  # the one shown in docs/lessons.md
FILES = ("graph.svg", "steps.html")
NEEDS = ()  # nothing beyond a plain install

X, W1, W2 = 1.5, 2.0, -0.5


def build(
    x: float = X, w1: float = W1, w2: float = W2
) -> tuple[Value, dict[str, Value]]:
    r"""The chain x → y = x·w1 → E = y·w2; returns E and the named nodes.

    >>> E, nodes = build()
    >>> E.data                       # 1.5 · 2 · (−0.5)
    -1.5
    >>> E.backward(); nodes["w1"].grad   # dE/dw1 = x · w2
    -0.75
    """
    nodes = {"x": Value(x, "x"), "w1": Value(w1, "w1"), "w2": Value(w2, "w2")}
    y = nodes["x"] * nodes["w1"]
    y.label = "y"
    E = y * nodes["w2"]
    E.label = "E"
    nodes["y"] = y
    return E, nodes


def run(lesson: LessonRun) -> None:
    E, nodes = build()
    x, w1, w2, y = nodes["x"], nodes["w1"], nodes["w2"], nodes["y"]
    lesson.heading("The chain: x → (× w1) → y → (× w2) → E")
    lesson.say(f"inputs:  x = {X:g}   w1 = {W1:g}   w2 = {W2:g}")
    lesson.say(f"forward: y = x · w1 = {y.data:g}")
    lesson.say(f"         E = y · w2 = {E.data:g}")

    lesson.heading("The derivative of each tiny step")
    lesson.say(f"∂y/∂w1 = x  = {X:g}     (y = x·w1 grows by x per unit of w1)")
    lesson.say(f"∂E/∂y  = w2 = {W2:g}    (E = y·w2 grows by w2 per unit of y)")
    lesson.say(
        f"chain them: dE/dw1 = ∂E/∂y × ∂y/∂w1 = w2 · x = {W2:g} × {X:g} = {W2 * X:g}"
    )

    lesson.heading("The backward pass, one node at a time")
    for step in backward_steps(E):
        lesson.say(str(step))
    lesson.say()
    lesson.say(f"dE/dw1 = {w1.grad:g}   dE/dw2 = {w2.grad:g}   dE/dx = {x.grad:g}")
    lesson.note("dE/dw1", w1.grad)
    lesson.note("dE/dw2", w2.grad)

    lesson.heading("The same number as a path: multiply the local derivatives")
    lesson.say(str(explain(E, w1)))

    lesson.heading("Check it: nudge w1 and watch E")
    h = 1e-3
    nudged, _ = build(w1=W1 + h)
    change = nudged.data - E.data
    lesson.say(f"w1 → w1 + {h:g}:  E changes by {change:.6g}")
    lesson.say(
        f"dE/dw1 × {h:g} = {w1.grad * h:.6g}   (the same: that is what dE/dw1 means)"
    )

    weights = [w1, w2]
    graph = lesson.save_graph(E, "graph.svg", params=weights)
    title = "The chain rule: E = (x · w1) · w2"
    steps = lesson.save_steps(E, "steps.html", title=title, params=weights)
    lesson.heading("Look at")
    lesson.say(f"{graph}: each edge carries its local derivative; E's grad is 1,")
    lesson.say("  and each grad is the product of the edge labels on the way down.")
    if steps is not None:
        lesson.say(f"{steps}: open it in a browser; press → to take one backward step.")
