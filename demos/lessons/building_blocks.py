r"""Lesson ``building-blocks``: the backprop rule of each piece of a network.

A network is made of four kinds of blocks, and backprop needs one rule each:

- a weighted connection b = w·a:   ∂b/∂a = w   (and ∂b/∂w = a)
- a sum s = a₁ + a₂ + a₃:          ∂s/∂aᵢ = 1  (the gradient is copied to each)
- a sigmoid a = σ(z):              ∂a/∂z = σ(z)·(1 − σ(z))  (at most 1/4)
- a ReLU a = max(0, z):            ∂a/∂z = 1 if z > 0 else 0
"""

from __future__ import annotations

from autograd import Value, backward_steps, topological_order, vsum
from demos.lesson import LessonRun

NAME = "building-blocks"
SUMMARY = (
    "the rule of each block: connection ∂b/∂a = w, sum 1, sigmoid σ(1−σ), ReLU 1 or 0"
)
PICTURE = "relu.svg"  # the one shown in docs/lessons.md
FILES = ("connection.svg", "sum.svg", "sigmoid.svg", "relu.svg", "steps.html")
NEEDS = ()  # nothing beyond a plain install


def connection() -> Value:
    r"""b = w · a: a weighted connection.

    >>> b = connection(); b.backward()
    >>> [(p.label, p.grad) for p in b.parents]     # ∂b/∂a = w, ∂b/∂w = a
    [('a', -1.5), ('w', 0.8)]
    """
    a, w = Value(0.8, "a"), Value(-1.5, "w")
    b = a * w
    b.label = "b"
    return b


def total() -> Value:
    r"""s = a₁ + a₂ + a₃: one sum node.

    >>> s = total(); s.backward()
    >>> [p.grad for p in s.parents]                 # ∂s/∂aᵢ = 1
    [1.0, 1.0, 1.0]
    """
    s = vsum([Value(0.5, "a1"), Value(-1.0, "a2"), Value(2.0, "a3")])
    s.label = "s"
    return s


def sigmoid() -> Value:
    r"""a = σ(z) at z = 0.5.

    >>> a = sigmoid(); a.backward()
    >>> round(a.parents[0].grad, 4)                 # σ(0.5)·(1 − σ(0.5))
    0.235
    """
    a = Value(0.5, "z").sigmoid()
    a.label = "a"
    return a


def relu() -> Value:
    r"""out = ReLU(z_on) + ReLU(z_off): one ReLU lets its gradient through, one not.

    >>> out = relu(); out.backward()
    >>> z_on, z_off = (r.parents[0] for r in out.parents)
    >>> z_on.grad, z_off.grad                       # 1 for z > 0, 0 for z < 0
    (1.0, 0.0)
    """
    on = Value(1.2, "z_on").relu()
    on.label = "a_on"
    off = Value(-0.7, "z_off").relu()
    off.label = "a_off"
    out = vsum([on, off])
    out.label = "out"
    return out


def neuron() -> Value:
    r"""a = σ(w1·x1 + w2·x2 + b): the blocks put together.

    >>> round(neuron().data, 4)
    0.6225
    """
    x1, x2 = Value(1.0, "x1"), Value(-2.0, "x2")
    w1, w2, b = Value(0.5, "w1"), Value(0.25, "w2"), Value(0.5, "b")
    c1 = x1 * w1
    c1.label = "c1"
    c2 = x2 * w2
    c2.label = "c2"
    z = vsum([c1, c2, b])
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    return a


BLOCKS = (
    (
        "A weighted connection: b = w · a",
        connection,
        "connection.svg",
        "∂b/∂a = w: the gradient reaching a is the upstream gradient times the weight.",
    ),
    (
        "A sum: s = a1 + a2 + a3",
        total,
        "sum.svg",
        "∂s/∂aᵢ = 1: a sum hands the same gradient to every input.",
    ),
    (
        "A sigmoid: a = σ(z) at z = 0.5",
        sigmoid,
        "sigmoid.svg",
        "∂a/∂z = σ(z)·(1 − σ(z)) = a·(1 − a): never more than 0.25.",
    ),
    (
        "A ReLU: a = max(0, z), once with z > 0 and once with z < 0",
        relu,
        "relu.svg",
        "∂a/∂z = 1 where z > 0 (the gradient passes), 0 where z < 0 (it stops).",
    ),
)


def run(lesson: LessonRun) -> None:
    pictures = []
    for title, make, filename, rule in BLOCKS:
        root = make()
        lesson.heading(title)
        for step in backward_steps(root):
            lesson.say(str(step))
        lesson.say(f"rule: {rule}")
        weights = [
            p
            for p in topological_order(root)
            if p.is_leaf and p.label[:1] in ("w", "b")
        ]
        pictures.append(lesson.save_graph(root, filename, params=weights))
        for parent in root.parents:
            if parent.label:
                lesson.note(
                    f"{filename[:-4]}: d{root.label}/d{parent.label}", parent.grad
                )

    lesson.heading("All together: a = σ(w1·x1 + w2·x2 + b)")
    a = neuron()
    for step in backward_steps(a):
        lesson.say(str(step))
    weights = [
        p for p in topological_order(a) if p.is_leaf and p.label[:1] in ("w", "b")
    ]
    title = "A neuron from its building blocks"
    steps = lesson.save_steps(a, "steps.html", title=title, params=weights)

    lesson.heading("Look at")
    for path in pictures:
        lesson.say(f"{path}: the local derivative on each edge is the block's rule.")
    if steps is not None:
        lesson.say(f"{steps}: the blocks working together, one backward step per page.")
