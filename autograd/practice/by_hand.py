r"""Check a backward pass done by hand: :func:`check_grads`.

As in micrograd's lecture, a student builds a graph, works out each node's
gradient on paper and sets it, ``d.grad = -2.0``, then asks whether it is
right. :func:`check_grads` compares every node's grad as set with the right
one (found by a backward pass run on the side) and, for each wrong one,
says the rule that applies and the likely mistake, in the graph's own names.
It never changes a grad; a grad left at 0 where the right one is not 0 is
*not done*.

>>> from autograd import Value
>>> a, b = Value(2.0, "a"), Value(-3.0, "b")
>>> c = a * b; c.label = "c"
>>> c.grad = 1.0
>>> a.grad = -3.0                  # right: ∂c/∂a = b
>>> report = check_grads(c)
>>> print(report)
node  grad as set  right  check
c     1            1      ✓
a     -3           -3     ✓
b     0            2      not done
>>> b.grad                         # left as it was
0.0
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from autograd.names import d
from autograd.practice.answers import close_enough
from autograd.practice.mistakes import (
    Mistake,
    diagnose,
    share_mistakes,
    total_mistakes,
)
from autograd.practice.questions import asks_about, check_scalar
from autograd.steps import ChainLine, Step, steps_aside
from autograd.text import show
from autograd.value import Value, check_value

__all__ = ["GradReport", "NodeCheck", "check_grads"]

RIGHT, WRONG, NOT_DONE = "right", "wrong", "not done"
_MARK = {RIGHT: "✓", WRONG: "✗", NOT_DONE: "not done"}


@dataclass(frozen=True)
class NodeCheck:
    r"""One node's grad as the student set it, next to the right one.

    ``status`` is ``"right"``, ``"wrong"`` or ``"not done"`` (left at 0);
    ``rule`` is how the right gradient is made, in the graph's names and
    numbers; ``mistake`` the likely mistake behind a wrong one (or ``None``).
    """

    node: Value
    name: str
    given: float
    right: float
    status: str
    rule: str
    mistake: Mistake | None

    @property
    def mark(self) -> str:
        return _MARK[self.status]


@dataclass(frozen=True, repr=False)
class GradReport:
    r"""The verdict on every node of a hand-done backward pass; truthy when all right.

    ``str`` (and ``repr``) is a table and, under it, the rule and the likely
    mistake of each wrong grad; Jupyter shows it as an HTML table.
    """

    root_name: str
    checks: tuple[NodeCheck, ...]

    def __bool__(self) -> bool:
        return all(check.status == RIGHT for check in self.checks)

    @property
    def passed(self) -> bool:
        return bool(self)

    @property
    def wrong(self) -> tuple[NodeCheck, ...]:
        return tuple(check for check in self.checks if check.status == WRONG)

    @property
    def not_done(self) -> tuple[NodeCheck, ...]:
        return tuple(check for check in self.checks if check.status == NOT_DONE)

    def _rows(self) -> list[tuple[str, str, str, str]]:
        return [
            (check.name, show(check.given), show(check.right), check.mark)
            for check in self.checks
        ]

    def explanations(self) -> list[str]:
        """For each wrong grad: the rule, and the likely mistake if one fits."""
        lines = []
        for check in self.wrong:
            lines.append(f"✗ {check.name}: {check.rule}")
            if check.mistake is not None:
                lines.append(f"    likely mistake: {check.mistake.title}")
                lines.append(f"      ({check.mistake.text})")
        return lines

    def __str__(self) -> str:
        rows = [("node", "grad as set", "right", "check"), *self._rows()]
        widths = [max(len(row[k]) for row in rows) for k in range(4)]
        table = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
            for row in rows
        ]
        notes = self.explanations()
        return "\n".join(table + (["", *notes] if notes else []))

    __repr__ = __str__

    def _repr_html_(self) -> str:
        """The report for Jupyter: wrong grads in red, not done in grey."""
        colours = {
            RIGHT: "",
            WRONG: ' style="color:#d62728"',
            NOT_DONE: ' style="color:#777"',
        }
        head = "".join(
            f"<th>{cell}</th>" for cell in ("node", "grad as set", "right", "check")
        )
        rows = [f"<tr>{head}</tr>"]
        for check, row in zip(self.checks, self._rows()):
            cells = "".join(f"<td>{escape(cell)}</td>" for cell in row)
            rows.append(f"<tr{colours[check.status]}>{cells}</tr>")
        notes = "".join(
            f"<li>{escape(line.strip())}</li>" for line in self.explanations()
        )
        listed = f"<ul>{notes}</ul>" if notes else ""
        return f'<table class="chainrule-check-grads">{"".join(rows)}</table>{listed}'


def check_grads(root: Value) -> GradReport:
    r"""Compare each node's ``.grad``, set by hand, with the right gradient of ``root``.

    Every node that takes a gradient is checked, the root first (its grad
    must be 1), then in the order of the backward pass; constants and
    numbers written into the expression (unlabelled leaves) are left out.
    The grads are read, never changed: the right ones come from a backward
    pass run on the side. Works on a graph of single numbers.
    """
    check_value(root, "the root of check_grads")
    steps = steps_aside(root)
    check_scalar(steps)
    into: dict[int, list[tuple[Step, int]]] = {}
    for step in steps:
        for position, line in enumerate(step.lines):
            if asks_about(line.parent):
                into.setdefault(id(line.parent), []).append((step, position))
    # each op node at its step, each leaf once its gradient is final
    visits = []
    for step in steps:
        visits.append((step.node, step.name, step.grad))
        visits += [(leaf.node, leaf.name, leaf.grad) for leaf in step.finished]
    given = {id(node): float(node.grad) for node, _, _ in visits}
    checks = [
        _check(node, name, grad, into.get(id(node), []), given, steps[0].root_name)
        for node, name, grad in visits
        if asks_about(node) or node is root
    ]
    return GradReport(steps[0].root_name, tuple(checks))


def _check(
    node: Value,
    name: str,
    grad: Any,
    received: list[tuple[Step, int]],
    given: dict[int, float],
    root: str,
) -> NodeCheck:
    right, mine = float(grad), given[id(node)]
    lines = [s.lines[p] for s, p in received]
    rule = _rule(root, name, lines, right)
    if close_enough(mine, right):
        status, mistake = RIGHT, None
    elif mine == 0.0:
        status, mistake = NOT_DONE, None
    else:
        status = WRONG
        mistake = diagnose(mine, _mistakes(received, given, right))
    return NodeCheck(node, name, mine, right, status, rule, mistake)


def _rule(root: str, name: str, lines: list[ChainLine], right: float) -> str:
    """How the right gradient is made: the chain rule, summed over the shares."""
    target = f"d{d(root)}/d{d(name)}"
    if not lines:
        return f"{target} = 1: the backward pass starts with 1 at {root}"
    symbols = " + ".join(line.product for line in lines)
    numbers = " + ".join(
        f"{show(line.upstream)} × {show(line.local)}" for line in lines
    )
    return f"{target} = {symbols} = {numbers} = {show(right)}"


def _mistakes(
    received: list[tuple[Step, int]], given: dict[int, float], right: float
) -> list[Mistake]:
    r"""The numbers the usual mistakes give for one node's whole gradient.

    With the right gradients above it: the local derivative alone, a wrong
    local derivative, a path left out. With the student's own gradients
    above it: the same step done right (the mistake is further up), or done
    with a wrong local derivative.
    """
    if not received:
        return []
    found = _carried(received, given)
    shares = [float(s.lines[p].share) for s, p in received]
    if len(received) == 1:
        step, position = received[0]
        found += share_mistakes(step, position)
    else:
        found += total_mistakes([s.lines[p] for s, p in received])
        for k, (step, position) in enumerate(received):
            others = right - shares[k]
            found += [
                Mistake(m.kind, others + m.number, m.text)
                for m in share_mistakes(step, position)
            ]
    return found


def _carried(
    received: list[tuple[Step, int]], given: dict[int, float]
) -> list[Mistake]:
    r"""The chain rule done right from the student's own gradients above, if wrong.

    That is the likeliest story when a gradient above is already wrong: the
    mistake was made there. With one share, also a wrong local derivative
    times the student's own upstream gradient.
    """
    mine = [given[id(step.node)] for step, _ in received]
    wrong_above = [
        (step, up)
        for (step, _), up in zip(received, mine)
        if not close_enough(up, float(step.grad))
    ]
    if not wrong_above:
        return []
    carried = sum(
        up * float(step.lines[position].local)
        for (step, position), up in zip(received, mine)
    )
    names = ", ".join(
        f"d{d(step.root_name)}/d{d(step.name)} = {show(up)}" for step, up in wrong_above
    )
    found = [
        Mistake(
            "carried",
            carried,
            f"the step is right from {names} as set, which is wrong: fix that first",
        )
    ]
    if len(received) == 1:
        step, position = received[0]
        found += [
            m for m in share_mistakes(step, position, mine[0]) if m.kind != "upstream"
        ]
    return found
