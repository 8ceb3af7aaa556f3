r"""Exercises: a small graph with friendly numbers, and its backward pass as questions.

:func:`exercise` makes one, at one of three levels, the same for the same
seed (a teacher gives each student a number):

- ``"chain"``: a short expression, one of five kinds by the seed: the chain
  x·w₁·w₂, a squared error, a sigmoid, a ReLU (on or off), a value used
  along two paths;
- ``"neuron"``: one neuron z = w₁x₁ + w₂x₂ + b, a = φ(z) (σ, tanh or ReLU)
  and its squared error E = (a − t)²;
- ``"network"``: a 2-2-1 network of sigmoid neurons on one sample, with
  the squared error of its output.

or, given a graph, the questions of that graph's backward pass
(``exercise(E)``): for teachers writing their own.

>>> ex = exercise(level="chain", seed=0)
>>> print("\n".join(ex.forward_lines()))
x = -0.5
w₁ = 1.5
y = x·w₁ = -0.75
w₂ = -1.5
E = y·w₂ = 1.125
>>> ex.questions[0], ex.questions[0].answer
(∂E/∂y = ?, -1.5)
>>> ex.questions[0].check("-3/2").right
True

Making the questions runs a backward pass on the side: the graph's own
grads are left at 0, for a student to fill in by hand (and to check with
:func:`autograd.check_grads`).
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.names import LayerNames, input_name, notation, target_name
from autograd.practice.questions import (
    Check,
    Question,
    asks_about,
    names_of,
    questions_of,
)
from autograd.steps import Step, steps_aside
from autograd.text import show
from autograd.value import Constant, Value, check_value, wsum

__all__ = ["LEVELS", "Exercise", "Marks", "exercise"]

#: The levels of :func:`exercise`, from the smallest graph to the largest.
LEVELS = ("chain", "neuron", "network")


@dataclass(frozen=True)
class Marks:
    r"""Answers marked: one :class:`Check` per question; ``str`` is the score."""

    checks: tuple[Check, ...]
    total: int

    @property
    def right(self) -> int:
        return sum(1 for check in self.checks if check.right)

    def __str__(self) -> str:
        return f"{self.right}/{self.total} right"


@dataclass(frozen=True, repr=False)
class Exercise:
    r"""A graph and the questions of its backward pass, in the order asked.

    ``root`` is the graph's end (E), ``steps`` the stepper's steps of its
    backward pass, ``questions`` the :class:`Question` s built on them.
    ``level`` and ``seed`` say how it was made (``"graph"`` and ``None`` for
    a graph given by hand); ``title`` says what it is in a line.
    """

    level: str
    seed: int | None
    title: str
    root: Value
    steps: tuple[Step, ...]
    questions: tuple[Question, ...]

    @property
    def root_name(self) -> str:
        return self.steps[0].root_name

    @property
    def names(self) -> dict[Value, str]:
        """Every node's name, as the stepper gave it (leaves included)."""
        return names_of(self.steps)

    def forward_lines(self) -> list[str]:
        """The forward pass: each value after its inputs, with its number.

        Each leaf comes just before the first value made from it.
        """
        names = self.names
        lines: list[str] = []
        shown: set[Value] = set()
        for step in reversed(self.steps):
            node = step.node
            if not node.parents:
                continue
            for parent in node.parents:
                if not parent.parents and parent not in shown:
                    shown.add(parent)
                    lines.append(_leaf_line(parent, names[parent]))
            lines.append(_op_line(step.name, step.expression, node.data))
        return lines or [_leaf_line(self.root, names[self.root])]

    def graph_lines(self) -> list[str]:
        r"""The graph as a tree from the root down to the leaves, in text.

        A value used twice is drawn in full once; later it is only named.
        """
        names = self.names
        expressions = {step.node: step.expression for step in self.steps}
        lines: list[str] = []
        drawn: set[Value] = set()

        def draw(node: Value, lead: str, branch: str) -> None:
            text = names[node]
            if node.parents and node in drawn:
                text += "  (drawn above)"
            elif node.parents and expressions[node] != text:
                text += f" = {expressions[node]}"
            lines.append(f"{lead}{branch}{text}")
            if not node.parents or node in drawn:
                return
            drawn.add(node)
            below = lead + ("│  " if branch == "├─ " else "   " if branch else "")
            for k, parent in enumerate(node.parents):
                last = k == len(node.parents) - 1
                draw(parent, below, "└─ " if last else "├─ ")

        draw(self.root, "", "")
        return lines

    def key_lines(self) -> list[str]:
        """Each question with its answer, one a line: an answer file that passes."""
        return [question.key_line() for question in self.questions]

    def narration(self) -> list[str]:
        """The backward pass as the stepper tells it, one block per step."""
        return [str(step) for step in self.steps]

    def mark(self, answers: Sequence[str | float]) -> Marks:
        r"""Mark one answer per question, in order (a grader's first tries).

        A missing answer, or one that cannot be read, is wrong.
        """
        checks = []
        for question, answer in zip(self.questions, answers):
            try:
                checks.append(question.check(answer))
            except ValueError:
                continue
        return Marks(tuple(checks), len(self.questions))

    def to_data(self) -> dict[str, Any]:
        r"""The exercise as plain data (for JSON): what a page needs to ask and check.

        Every number a page compares with is here: each question's answer
        and its tolerance, and each known mistake's wrong number and
        tolerance, with the words to show.
        """
        return {
            "level": self.level,
            "seed": self.seed,
            "title": self.title,
            "root": self.root_name,
            "forward": self.forward_lines(),
            "questions": [_question_data(q) for q in self.questions],
        }

    def __str__(self) -> str:
        lines = [self.title, "", "forward pass", *_indented(self.forward_lines())]
        lines += ["", "the graph", *_indented(self.graph_lines())]
        lines += ["", f"questions (backward, from {self.root_name})"]
        lines += [f"  {q.number}. {q}" for q in self.questions]
        return "\n".join(lines)

    __repr__ = __str__


def _leaf_line(node: Value, name: str) -> str:
    given = "" if asks_about(node) else "  (given: no gradient asked)"
    return f"{name} = {show(node.data)}{given}"


def _op_line(name: str, expression: str, value: Any) -> str:
    """``y = x·w₁ = -0.75``; an unlabelled node is named by its expression."""
    if expression == name:
        return f"{name} = {show(value)}"
    return f"{name} = {expression} = {show(value)}"


def _indented(lines: list[str]) -> list[str]:
    return [f"  {line}" for line in lines]


def _question_data(question: Question) -> dict[str, Any]:
    from autograd.practice.answers import tolerance

    return {
        "number": question.number,
        "kind": question.kind,
        "prompt": question.prompt,
        "answer": question.answer,
        "tolerance": question.tolerance,
        "hint": question.hint,
        "worked": question.worked,
        "mistakes": [
            {
                "kind": mistake.kind,
                "title": mistake.title,
                "text": mistake.text,
                "number": mistake.number,
                "tolerance": tolerance(mistake.number),
            }
            for mistake in question.mistakes
        ],
    }


# --- making one ---------------------------------------------------------------------


def exercise(
    root: Value | None = None, *, level: str = "chain", seed: int = 0
) -> Exercise:
    r"""A graph with friendly numbers, and the questions of its backward pass.

    ``level`` is one of :data:`LEVELS`; the same ``seed`` makes the same
    exercise every time. Given a ``root`` (a graph of single numbers built by
    hand), the exercise asks about that graph instead.
    """
    if root is not None:
        check_value(root, "the root of an exercise")
        return _exercise_of(root, "graph", None, f"the backward pass of {_name(root)}")
    if level not in LEVELS:
        msg = f"level must be one of {', '.join(LEVELS)}, not {level!r}."
        raise ValueError(msg)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        msg = f"seed must be a whole number of 0 or more, not {seed!r}."
        raise TypeError(msg)
    if seed < 0:
        msg = f"seed must be a whole number of 0 or more, not {seed}."
        raise ValueError(msg)
    seed = int(seed)
    made, title = _MAKERS[level](seed, random.Random(f"chainrule {level} {seed}"))
    return _exercise_of(made, level, seed, f"level {level}, seed {seed}: {title}")


def _name(root: Value) -> str:
    return root.label or "the root"


def _exercise_of(root: Value, level: str, seed: int | None, title: str) -> Exercise:
    steps = steps_aside(root)
    return Exercise(
        level=level,
        seed=seed,
        title=title,
        root=root,
        steps=tuple(steps),
        questions=questions_of(steps),
    )


# --- the levels ---------------------------------------------------------------------

INPUTS = (-2.0, -1.0, -0.5, 0.5, 1.5, 2.0, 3.0)
WEIGHTS = (-2.0, -1.5, -0.5, 0.5, 1.5, 2.0, 3.0)
BIASES = (-1.0, -0.5, 0.5, 1.0)


def _named(node: Value, label: str) -> Value:
    node.label = label
    return node


def _chain_product(rng: random.Random) -> tuple[Value, str]:
    x, w1, w2 = (Value(rng.choice(INPUTS), "x"), *_weights(rng, "w₁", "w₂"))
    y = _named(x * w1, "y")
    return _named(y * w2, "E"), "the chain x → y = x·w₁ → E = y·w₂"


def _chain_square(rng: random.Random) -> tuple[Value, str]:
    x, (w,) = Value(rng.choice(INPUTS), "x"), _weights(rng, "w")
    t = Value(rng.choice((0.0, 1.0, 2.0)), "t")
    y = _named(x * w, "y")
    return _named((y - t) ** 2, "E"), "a squared error E = (y − t)², y = x·w"


def _chain_sigmoid(rng: random.Random) -> tuple[Value, str]:
    x, (w, v) = Value(rng.choice(INPUTS), "x"), _weights(rng, "w", "v")
    z = _named(x * w, "z")
    a = _named(z.sigmoid(), "a")
    return _named(a * v, "E"), "a sigmoid: z = x·w, a = σ(z), E = a·v"


def _chain_relu(rng: random.Random) -> tuple[Value, str]:
    x, (w, v) = Value(rng.choice(INPUTS), "x"), _weights(rng, "w", "v")
    b = Value(rng.choice(BIASES), "b")
    while x.data * w.data + b.data == 0:
        b = Value(rng.choice(BIASES), "b")
    z = _named(x * w + b, "z")
    h = _named(z.relu(), "h")
    return _named(h * v, "E"), "a ReLU: z = x·w + b, h = ReLU(z), E = h·v"


def _chain_paths(rng: random.Random) -> tuple[Value, str]:
    x, (w,) = Value(rng.choice(INPUTS), "x"), _weights(rng, "w")
    y = _named(x * w, "y")
    return _named(y * x, "E"), "a value used twice: y = x·w, E = y·x"


def _weights(rng: random.Random, *names: str) -> list[Value]:
    return [Value(rng.choice(WEIGHTS), name) for name in names]


_CHAINS = (_chain_product, _chain_square, _chain_sigmoid, _chain_relu, _chain_paths)


def _chain(seed: int, rng: random.Random) -> tuple[Value, str]:
    root, title = _CHAINS[seed % len(_CHAINS)](rng)
    error = notation().loss  # E, or the letter the notation in use gives the loss
    root.label = error
    return root, title.replace("E", error)


def _activate(z: Value, function: str) -> Value:
    return {"sigmoid": z.sigmoid, "tanh": z.tanh, "relu": z.relu}[function]()


_SYMBOL = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}


def _neuron(seed: int, rng: random.Random) -> tuple[Value, str]:
    function = ("sigmoid", "tanh", "relu")[seed % 3]
    names = LayerNames(None, single=True)
    while True:
        x = [Constant(rng.choice(INPUTS), input_name(k)) for k in range(2)]
        w = [Value(rng.choice(WEIGHTS), names.weight(0, k)) for k in range(2)]
        b = Value(rng.choice(BIASES), names.bias(0))
        z = _named(wsum(w, x, b), names.sum(0))
        if 0 < abs(z.data) <= 2 and (z.data > 0 or function != "relu"):
            break  # a slope that is neither 0 nor saturated
    a = _named(_activate(z, function), names.activation(0))
    t = Constant(rng.choice((0.0, 1.0)), target_name(a.label))
    error = notation().loss
    phi = _SYMBOL[function]
    title = (
        f"one neuron: {z.label} = {w[0].label}{x[0].label} + {w[1].label}"
        f"{x[1].label} + {b.label}, {a.label} = {phi}({z.label}), "
        f"{error} = ({a.label} − {t.label})²"
    )
    return _named((a - t) ** 2, error), title


def _network(seed: int, rng: random.Random) -> tuple[Value, str]:
    while True:  # until no neuron is saturated (|z| ≤ 2.5): friendly slopes
        root, sums = _network_once(rng)
        if all(abs(z.data) <= 2.5 for z in sums):
            output = root.parents[0].parents[0]
            target = root.parents[0].parents[1]
            title = (
                "a 2-2-1 network of sigmoid neurons on one sample, "
                f"{root.label} = ({output.label} − {target.label})²"
            )
            return root, title


def _network_once(rng: random.Random) -> tuple[Value, list[Value]]:
    r"""The network, its nodes named in the notation in use (the articles' by
    default: x₁, w²₁₁, b²₁, z²₁, a²₁, ..., t₁, E)."""
    x = [Constant(rng.choice((-1.0, 0.5, 1.0, 2.0)), input_name(k)) for k in range(2)]
    inputs: list[Value] = list(x)
    sums = []
    for number, units in ((0, 2), (1, 1)):
        names = LayerNames(number, f"layers.{number}.")
        outputs = []
        for j in range(units):
            w = [
                Value(rng.choice(WEIGHTS), names.weight(j, k))
                for k in range(len(inputs))
            ]
            b = Value(rng.choice(BIASES), names.bias(j))
            z = _named(wsum(w, inputs, b), names.sum(j))
            sums.append(z)
            outputs.append(_named(z.sigmoid(), names.activation(j)))
        inputs = outputs
    t = Constant(rng.choice((0.0, 1.0)), target_name(inputs[0].label))
    return _named((inputs[0] - t) ** 2, notation().loss), sums


_MAKERS: dict[str, Callable[[int, random.Random], tuple[Value, str]]] = {
    "chain": _chain,
    "neuron": _neuron,
    "network": _network,
}
