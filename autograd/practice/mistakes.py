r"""The usual mistakes of a hand-done backward pass, and the wrong numbers they give.

A mistake is recognised by its number: each known mistake, made at one
question, gives one wrong number (or a few), and a student's answer that
matches one of them (to 3 significant digits) is named by it. The mistakes:

- ``upstream``: the local derivative alone, without the upstream gradient
  (dE/dx = ∂y/∂x instead of dE/dy × ∂y/∂x);
- ``paths``: one path's share alone, forgetting the sum over paths;
- ``sigmoid``: σ(z) used for σ′(z) = σ(z)(1 − σ(z)) (``tanh`` likewise);
- ``relu``: ReLU′ taken as 1 where the input is negative;
- ``sign``: the sign of a subtraction (∂(a − b)/∂b = −1, not 1);
- ``power``: the power rule (∂(w²)/∂w = 2w, not w or w²);
- ``swap``: the wrong factor of a product (∂(x·w)/∂x = w, not x);
- ``carried`` (when checking a whole hand-done pass): a step done right from
  a wrong gradient further up.

Which mistakes an op invites is the op's own knowledge: its record in the
op table holds them (``Op.mistakes``), a rule on numbers like the op's own,
``(position, inputs, out, params) -> ((kind, wrong local derivative), ...)``.
This module adds the words, in the graph's names, and the mistakes of the
chain rule itself (the upstream gradient, the sum over paths).

>>> from autograd import Value, backward_steps
>>> z = Value(1.0, "z")
>>> a = z.sigmoid(); a.label = "a"
>>> step = next(backward_steps(a, fresh=True))
>>> [(m.kind, round(m.number, 4)) for m in local_mistakes(step, 0)]
[('sigmoid', 0.7311)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from autograd.names import d
from autograd.ops import op_for
from autograd.practice.answers import close_enough
from autograd.steps import ChainLine, Step
from autograd.text import show

__all__ = [
    "KINDS",
    "Mistake",
    "diagnose",
    "local_mistakes",
    "share_mistakes",
    "total_mistakes",
]

#: Each kind of mistake, as a student would be told its name.
KINDS: dict[str, str] = {
    "upstream": "forgot to multiply by the upstream gradient",
    "paths": "forgot the share from another path (the sum over paths)",
    "sigmoid": "used σ(z) for σ′(z) = σ(z)(1 − σ(z))",
    "tanh": "used tanh(z) for tanh′(z) = 1 − tanh²(z)",
    "relu": "took ReLU′ = 1 where the input is negative",
    "sign": "the sign of a subtraction",
    "power": "the power rule: 2w, not w or w²",
    "swap": "took the wrong factor of a product",
    "carried": "carried over a wrong gradient from further up",
}


@dataclass(frozen=True)
class Mistake:
    r"""One known mistake at one question: its kind, the number it gives, what to say.

    ``text`` says what went wrong in the graph's own names and numbers;
    ``title`` is the kind's name (:data:`KINDS`).
    """

    kind: str
    number: float
    text: str

    @property
    def title(self) -> str:
        return KINDS[self.kind]


Wrong = tuple[tuple[str, float], ...]


# --- the words for each mistake, in the graph's names ----------------------------


@dataclass(frozen=True)
class _At:
    """One node of a step, in names and numbers: what a mistake's text needs."""

    node: str
    parents: tuple[str, ...]
    position: int
    inputs: tuple[float, ...]
    out: float
    root: str
    params: dict[str, float]

    @property
    def parent(self) -> str:
        return self.parents[self.position]


def _at(step: Step, position: int) -> _At:
    node = step.node
    return _At(
        node=step.name,
        parents=tuple(line.parent_name for line in step.lines),
        position=position,
        inputs=tuple(float(p.data) for p in node.parents),
        out=float(node.data),
        root=step.root_name,
        params=dict(op_for(node.op).params),
    )


def _bracketed(name: str) -> str:
    """A name inside a formula: bracketed when it is an expression (``a − t``)."""
    return d(name)


def _say_own_derivative(at: _At, function: str, slope: str) -> str:
    z, a = at.parent, _bracketed(at.node)
    return (
        f"{function}({z}) = {show(at.out)} is the value {at.node} itself; its slope "
        f"is ∂{d(at.node)}/∂{d(z)} = {slope.format(a)}"
    )


def _say_power(at: _At) -> str:
    a, n = _bracketed(at.parent), at.params["n"]
    value = f"here {a} = {show(at.inputs[0])}"
    if n == 2:
        return f"the derivative of {a}² is 2·{a}, not {a} or {a}²; {value}"
    return f"the derivative of {a}^{n:g} is {n:g}·{a}^{n - 1:g}; {value}"


def _say_swap(at: _At) -> str:
    if len(at.parents) == 2:
        other = at.parents[1 - at.position]
        both = "·".join(map(_bracketed, at.parents))
        return f"∂({both})/∂{d(at.parent)} is the other factor, {other}"
    n = len(at.parents) // 2
    k = at.position % n
    weight, given = at.parents[k], at.parents[n + k]
    if at.position < n:
        head = f"∂{d(at.node)}/∂{d(weight)}"
        return f"{head} is the input that {weight} multiplies, {given}, not {weight}"
    head = f"∂{d(at.node)}/∂{d(given)}"
    return f"{head} is the weight on {given}, {weight}, not {given} itself"


def _say_sign(at: _At) -> str:
    if len(at.parents) == 2:
        return (
            f"{at.node} = {at.parents[0]} − {at.parent} falls as {at.parent} grows: "
            f"∂{d(at.node)}/∂{d(at.parent)} = −1"
        )
    return f"{at.node} = −{at.parent}: ∂{d(at.node)}/∂{d(at.parent)} = −1"


_SAY: dict[str, Callable[[_At], str]] = {
    "sigmoid": lambda at: _say_own_derivative(at, "σ", "{0}·(1 − {0})"),
    "tanh": lambda at: _say_own_derivative(at, "tanh", "1 − {0}²"),
    "relu": lambda at: (
        f"{at.parent} = {show(at.inputs[0])} is negative, so the ReLU is off: "
        f"∂{d(at.node)}/∂{d(at.parent)} = 0, and no gradient passes back through it"
    ),
    "sign": _say_sign,
    "power": _say_power,
    "swap": _say_swap,
}


# --- the wrong numbers of each question --------------------------------------------


def _kept(mistakes: Iterable[Mistake], right: float) -> tuple[Mistake, ...]:
    """The mistakes whose number tells them from the right one (and each other)."""
    kept: list[Mistake] = []
    for mistake in mistakes:
        number = mistake.number
        if close_enough(number, right) or close_enough(right, number):
            continue
        if any(close_enough(number, other.number) for other in kept):
            continue
        kept.append(mistake)
    return tuple(kept)


def _op_wrongs(step: Step, position: int) -> tuple[_At, Wrong]:
    at = _at(step, position)
    rule = op_for(step.node.op).mistakes
    wrongs = rule(position, at.inputs, at.out, at.params) if rule else ()
    return at, wrongs


def local_mistakes(step: Step, position: int) -> tuple[Mistake, ...]:
    r"""The known mistakes for ∂node/∂parent (the parent at ``position``) of a step."""
    at, wrongs = _op_wrongs(step, position)
    right = float(step.lines[position].local)
    found = [Mistake(kind, number, _SAY[kind](at)) for kind, number in wrongs]
    return _kept(found, right)


def share_mistakes(
    step: Step, position: int, upstream: float | None = None
) -> tuple[Mistake, ...]:
    r"""The known mistakes for the share ``dE/dparent += dE/dnode × ∂node/∂parent``.

    The local derivative alone (the upstream gradient forgotten), and each
    mistake of the local derivative times the upstream gradient. ``upstream``
    is the gradient the student holds for the node (the right one if not
    given).
    """
    line = step.lines[position]
    up = float(step.grad) if upstream is None else upstream
    local = float(line.local)
    right = up * local
    at, wrongs = _op_wrongs(step, position)
    found = []
    if not close_enough(up, 1.0):
        found.append(
            Mistake(
                "upstream",
                local,
                f"{line.rule}, and d{d(at.root)}/d{d(at.node)} = {show(up)} here",
            )
        )
    found += [Mistake(kind, up * number, _SAY[kind](at)) for kind, number in wrongs]
    return _kept(found, right)


def total_mistakes(lines: Sequence[ChainLine]) -> tuple[Mistake, ...]:
    r"""The known mistakes for dE/dx, the sum of the shares ``lines`` sent to x.

    Each share alone, and (for three shares or more) the sum with one share
    left out: a path forgotten.
    """
    shares = [float(line.share) for line in lines]
    if len(shares) < 2:
        return ()
    right = sum(shares)
    first = lines[0]
    into = [line.node_name for line in lines]
    where = ", ".join(dict.fromkeys(into))
    text = (
        f"{first.parent_name} feeds {where}: d{d(first.root_name)}/"
        f"d{d(first.parent_name)} is the sum of the {len(shares)} shares they send back"
    )
    found = [Mistake("paths", share, text) for share in shares]
    if len(shares) > 2:
        found += [Mistake("paths", right - share, text) for share in shares]
    return _kept(found, right)


def diagnose(number: float, mistakes: Iterable[Mistake]) -> Mistake | None:
    r"""The first known mistake that gives ``number`` (to 3 significant digits)."""
    for mistake in mistakes:
        if close_enough(number, mistake.number):
            return mistake
    return None
