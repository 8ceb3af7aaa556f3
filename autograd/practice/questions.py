r"""The questions of a backward pass: what the stepper narrates, asked instead of told.

:func:`questions_of` turns the steps of :func:`autograd.backward_steps` into
questions, in backward order. At each node it asks, for every parent that
takes a gradient (not a constant, nor a number written into the expression),

- ``local``: its local derivative ``∂y/∂x``;
- ``share``: the share it sends back, ``dE/dx += dE/dy × ∂y/∂x``;

and, at a node that received shares along several paths, before its own
step:

- ``total``: its whole gradient ``dE/dx``, the sum of those shares.

Every name in a question is the stepper's (``Step.name``,
``ChainLine.parent_name``), and every right answer is the stepper's number.
Each question knows the usual mistakes it invites and the wrong number each
gives (:mod:`autograd.practice.mistakes`), so a wrong answer can be named.

>>> from autograd import Constant, Value, backward_steps
>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = x * w; y.label = "y"
>>> E = y * Constant(0.5); E.label = "E"
>>> questions = questions_of(list(backward_steps(E, fresh=True)))
>>> for question in questions:
...     print(question)
∂E/∂y = ?
dE/dy += dE/dE × ∂E/∂y = ?
∂y/∂x = ?
dE/dx += dE/dy × ∂y/∂x = ?
∂y/∂w = ?
dE/dw += dE/dy × ∂y/∂w = ?
>>> check = questions[3].check("-3")          # w = -3, but dE/dy = 0.5
>>> check.right, check.mistake.kind
(False, 'upstream')
>>> print(check.message)
-3 is not right.
  likely mistake: forgot to multiply by the upstream gradient
    (dE/dx += dE/dy × ∂y/∂x, and dE/dy = 0.5 here)
  the rule: dE/dx += dE/dy × ∂y/∂x, where dE/dy = 0.5 and ∂y/∂x = -3
>>> questions[3].check("0.5 * -3").right
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.names import d, formula_in
from autograd.practice.answers import close_enough, read_answer, tolerance
from autograd.practice.mistakes import (
    Mistake,
    diagnose,
    local_mistakes,
    share_mistakes,
    total_mistakes,
)
from autograd.steps import ChainLine, Step
from autograd.text import show
from autograd.value import Value

__all__ = [
    "KINDS_OF_QUESTION",
    "Check",
    "Question",
    "asks_about",
    "check_scalar",
    "names_of",
    "questions_of",
]

#: The kinds of question, in the order asked at each node.
KINDS_OF_QUESTION = ("total", "local", "share")


@dataclass(frozen=True)
class Check:
    r"""The verdict on one answer to one :class:`Question`; truthy when right.

    ``mistake`` is the known mistake the wrong number matches (``None`` when
    right, or when no known mistake gives this number); ``message`` says it
    all in words: what is wrong, the likely mistake, the rule that applies.
    """

    question: Question
    number: float
    right: bool
    mistake: Mistake | None

    def __bool__(self) -> bool:
        return self.right

    @property
    def message(self) -> str:
        if self.right:
            return f"right: {self.question.worked}"
        lines = [f"{show(self.number)} is not right."]
        if self.mistake is not None:
            lines.append(f"  likely mistake: {self.mistake.title}")
            lines.append(f"    ({self.mistake.text})")
        lines.append(f"  the rule: {self.question.hint}")
        return "\n".join(lines)


@dataclass(frozen=True, repr=False)
class Question:
    r"""One question of an exercise: what to work out, its answer, its mistakes.

    ``kind`` is ``"local"``, ``"share"`` or ``"total"`` (see the module's
    docstring); ``prompt`` is what is asked, in the graph's names
    (``∂y/∂x``, ``dE/dx += dE/dy × ∂y/∂x``, ``dE/dx``); ``answer`` the right
    number; ``hint`` the rule that applies, in names and numbers, without
    the result; ``worked`` the worked answer (``∂y/∂x = w = -3``).
    ``mistakes`` are the known mistakes and the wrong number each gives.
    ``step`` and ``line`` are the stepper's :class:`~autograd.Step` and
    :class:`~autograd.ChainLine` the question comes from (a leaf's total
    comes from the step that finished it), ``node`` the node it is about:
    the one whose local derivative, share or total is asked.
    """

    number: int
    kind: str
    prompt: str
    answer: float
    hint: str
    worked: str
    mistakes: tuple[Mistake, ...]
    step: Step = field(compare=False)
    node: Value = field(compare=False)
    line: ChainLine | None = field(default=None, compare=False)

    @property
    def tolerance(self) -> float:
        """How far a right answer may be from :attr:`answer` (3 significant digits)."""
        return tolerance(self.answer)

    def check(self, answer: str | float) -> Check:
        r"""Mark one answer: a number, or arithmetic such as ``"-0.5*2"``.

        An answer that cannot be read raises
        :class:`~autograd.practice.answers.AnswerError` (a ``ValueError``).
        """
        number = read_answer(answer)
        if close_enough(number, self.answer):
            return Check(self, number, True, None)
        return Check(self, number, False, diagnose(number, self.mistakes))

    def key_line(self) -> str:
        """The question with its answer, as a line an answer file may hold."""
        return f"{self.prompt} = {self.answer:.6g}"

    def __str__(self) -> str:
        return f"{self.prompt} = ?"

    __repr__ = __str__


def asks_about(node: Value) -> bool:
    r"""Whether a node's gradient is asked for: not for a constant, nor for an
    unlabelled number written into an expression (the ``2`` of ``x * 2``)."""
    return node.needs_grad and bool(node.parents or node.label)


def check_scalar(steps: Sequence[Step]) -> None:
    """Refuse a graph of batches or layer nodes: practice is on single numbers."""
    for step in steps:
        if isinstance(step.node.data, np.ndarray):
            msg = (
                f"{step.name} holds a batch; exercises and check_grads work on a "
                "graph of single numbers. Build it from one sample (or take one "
                "with autograd.sample_graph(root, k))."
            )
            raise ValueError(msg)


def names_of(steps: Sequence[Step]) -> dict[Value, str]:
    r"""Every node's name as the stepper gave it: each op node's (``Step.name``)
    and each parent's (``ChainLine.parent_name``), leaves included."""
    names: dict[Value, str] = {}
    for step in steps:
        names[step.node] = step.name
        for line in step.lines:
            names[line.parent] = line.parent_name
    return names


def questions_of(steps: Sequence[Step]) -> tuple[Question, ...]:
    r"""The questions of a backward pass, in the order the stepper takes its steps.

    ``steps`` is the whole list of :func:`autograd.backward_steps` of a graph
    of single numbers. Parents that take no gradient (a
    :class:`~autograd.Constant`) and unlabelled leaves (numbers written into
    the expression) are not asked about (see :func:`asks_about`). The total
    of an op node reached along several paths is asked before its own step;
    that of a leaf once its last share has come (the step that says
    ``done:`` for it).
    """
    check_scalar(steps)
    into: dict[int, list[ChainLine]] = {}
    for step in steps:
        for line in step.lines:
            if asks_about(line.parent):
                into.setdefault(id(line.parent), []).append(line)
    made: list[dict[str, Any]] = []
    for step in steps:
        received = into.get(id(step.node), [])
        if len(received) > 1:
            made.append(_total(step, step.node, step.name, step.grad, received))
        for position, line in enumerate(step.lines):
            if not asks_about(line.parent):
                continue
            made.append(_local(step, position))
            made.append(_share(step, position))
        for leaf in step.finished:
            received = into.get(id(leaf.node), [])
            if len(received) > 1:
                made.append(_total(step, leaf.node, leaf.name, leaf.grad, received))
    return tuple(Question(number=k, **fields) for k, fields in enumerate(made, start=1))


# --- each kind of question --------------------------------------------------------


def _edge(step: Step, position: int) -> str:
    r"""``∂y/∂x``, told apart when x is a parent twice over (``x·x``)."""
    line = step.lines[position]
    head = f"∂{d(step.name)}/∂{d(line.parent_name)}"
    same = [k for k, other in enumerate(step.lines) if other.parent is line.parent]
    if len(same) > 1:
        head += f" (edge {same.index(position) + 1} of {len(same)})"
    return head


def _mentioned(formula: str, values: dict[str, float]) -> str:
    """``where a = 0.7311, z = 1``: the values of the names a formula uses."""
    found: list[tuple[str, float]] = []
    for name, value in values.items():
        pattern = rf"(?<![\w.]){re.escape(name)}(?![\w.])"
        if re.search(pattern, formula) and name not in dict(found):
            found.append((name, value))
    return ", ".join(f"{name} = {show(value)}" for name, value in found)


def _local(step: Step, position: int) -> dict[str, Any]:
    line = step.lines[position]
    node = step.node
    names = {node: step.name, **{ln.parent: ln.parent_name for ln in step.lines}}
    written = formula_in(node, position, names)
    values = {step.name: node.data}
    values.update({line.parent_name: line.parent.data for line in step.lines})
    hint = f"{_edge(step, position)} = {written}"
    where = _mentioned(written, values)
    if where:
        hint += f", where {where}"
    hint += f"   (in letters: {line.formula})"
    return {
        "kind": "local",
        "prompt": _edge(step, position),
        "answer": float(line.local),
        "hint": hint,
        "worked": line.local_formula,
        "mistakes": local_mistakes(step, position),
        "step": step,
        "node": node,
        "line": line,
    }


def _share(step: Step, position: int) -> dict[str, Any]:
    line = step.lines[position]
    hint = (
        f"{line.rule}, where d{d(step.root_name)}/d{d(step.name)} = "
        f"{show(line.upstream)} and {_edge(step, position)} = {show(line.local)}"
    )
    return {
        "kind": "share",
        "prompt": line.rule,
        "answer": float(line.share),
        "hint": hint,
        "worked": f"{line.rule} {line.numbers}",
        "mistakes": share_mistakes(step, position),
        "step": step,
        "node": step.node,
        "line": line,
    }


def _total(
    step: Step, node: Value, name: str, grad: Any, received: list[ChainLine]
) -> dict[str, Any]:
    target = f"d{d(step.root_name)}/d{d(name)}"
    shares = ", ".join(f"{show(line.share)} from {line.node_name}" for line in received)
    sums = " + ".join(show(line.share) for line in received)
    return {
        "kind": "total",
        "prompt": target,
        "answer": float(grad),
        "hint": (
            f"{target} is the sum of the shares {name} received along each "
            f"path: {shares}"
        ),
        "worked": f"{target} = {sums} = {show(grad)}",
        "mistakes": total_mistakes(received),
        "step": step,
        "node": node,
        "line": None,
    }
