r"""Backpropagation one node at a time, narrated.

:func:`backward_steps` runs the chain rule of ``backward()``, but
stops after each node and yields a :class:`Step` that says what happened: the
node's gradient, and for every parent the local derivative written in the
graph's own names, the chain-rule line, and the parent's running total

    ∂node/∂parent = (formula) = local
    dE/d(parent) += dE/d(node) × ∂(node)/∂(parent) = upstream × local = share
    dE/d(parent): before → after

Nodes are named as everywhere else (:mod:`autograd.names`): by their labels,
their short expressions, and the unlabelled root (the loss) ``E``.

>>> from autograd import Value
>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = x * w; y.label = "y"
>>> steps = list(backward_steps(y))
>>> print(steps[0])
step 1/1  y = x·w = -6  (mul)   dy/dy = 1
  ∂y/∂x = w = -3   dy/dx += dy/dy × ∂y/∂x = 1 × -3 = -3   dy/dx: 0 → -3
  ∂y/∂w = x = 2    dy/dw += dy/dy × ∂y/∂w = 1 × 2 = 2     dy/dw: 0 → 2
  done: dy/dx = -3,  dy/dw = 2
  rules: ∂(u·v)/∂u = v,  ∂(u·v)/∂v = u
<BLANKLINE>
gradients of the leaves
  dy/dx = -3
  dy/dw = 2
>>> x.grad, w.grad
(-3.0, 2.0)

Leaves take no step of their own: a leaf's gradient is final once every
node that uses it has sent its share, and the step where that happens says
so (``done:``); the last step ends with every leaf's gradient in one table.

A node used twice receives two shares, and its running total shows them add
up. Stepping again without ``zero_grad()`` adds to the leaves' gradients, as
``backward()`` does: the first step says so, and
:class:`AccumulatingGradientsWarning` is raised as a warning;
``backward_steps(root, fresh=True)`` starts from zero instead.

A layer node of a batch is narrated with its matrices' shapes:
``dE/dW += (dE/dZ)ᵀ·X``, a (units × batch)·(batch × inputs) product.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import numpy as np

from autograd.data import Data, is_batch, shape_text
from autograd.graph import (
    prepare_backward,
    summed_to,
    topological_order,
    zero_grad,
    zeros_like,
)
from autograd.group_steps import GroupStory, step_text, story_latex, story_of
from autograd.latex import step_latex
from autograd.layer_rules import MatrixLocal
from autograd.levels import Layer, Neuron, check_level, grouping
from autograd.names import d, delta_name, node_names, powers, rule_letters
from autograd.ops import op_for
from autograd.parameters import Element
from autograd.text import expression_of, local_rule, local_text, show
from autograd.value import Value, seed_gradient

__all__ = [
    "AccumulatingGradientsWarning",
    "ChainLine",
    "Finished",
    "Step",
    "backward_steps",
    "steps_aside",
]


class AccumulatingGradientsWarning(UserWarning):
    """The leaves already held gradients, so this pass adds to them."""


def _snapshot(x: Any) -> Any:
    """A copy of a gradient that later ``+=`` cannot change."""
    return np.array(x, dtype=float) if isinstance(x, np.ndarray) else x


def _is_zero(x: Any) -> bool:
    return not np.any(np.asarray(x))


@dataclass(frozen=True, repr=False)
class ChainLine:
    r"""One use of the chain rule: what one node sends to one of its parents.

    ``share = upstream × local``, where ``upstream`` is dL/d(node) and
    ``local`` is ∂(node)/∂(parent). ``parent.grad`` grows by ``share`` (summed
    over the batch when a scalar parent feeds a batched node), from
    ``before`` to ``after``: its running total. ``local_formula`` is the
    local derivative in the graph's own names (``∂y/∂x = w = 2``) and
    ``formula`` the textbook rule in letters (``∂(a·b)/∂a = b``).
    """

    parent: Value
    parent_name: str
    node_name: str
    root_name: str
    upstream: Any
    local: Any
    share: Any
    formula: str
    local_name: str = ""  # a layer node's matrix: the name of the value it is
    local_formula: str = ""
    before: Any = None  # the parent's grad before this share (None: a constant)
    after: Any = None  # ... and after it

    @property
    def target(self) -> str:
        """What grows: ``dE/dp``."""
        return f"d{d(self.root_name)}/d{d(self.parent_name)}"

    @property
    def product(self) -> str:
        """What it grows by, in symbols: ``dE/dn × ∂n/∂p``."""
        root, node, parent = d(self.root_name), d(self.node_name), d(self.parent_name)
        if isinstance(self.local, MatrixLocal):
            matrix = self.local_name or self.local.name
            if self.local.transpose:
                return f"(d{root}/d{node})ᵀ·{matrix}"
            return f"d{root}/d{node}·{matrix}"
        return f"d{root}/d{node} × ∂{node}/∂{parent}"

    @property
    def rule(self) -> str:
        """The chain rule in symbols: ``dL/dp += dL/dn × ∂n/∂p``."""
        return f"{self.target} += {self.product}"

    @property
    def numbers(self) -> str:
        """The same line with the numbers: ``= upstream × local = share``."""
        if isinstance(self.local, MatrixLocal):
            up = np.shape(self.upstream)
            left = (up[1], up[0]) if self.local.transpose else up
            shapes = f"({shape_text(left)})·({shape_text(self.local.shape)})"
            text = f"= {shapes} = {show(self.share)}"
        else:
            text = f"= {show(self.upstream)} × {show(self.local)} = {show(self.share)}"
            summed = summed_to(self.parent.data, self.share)
            if is_batch(self.share) and np.shape(summed) != np.shape(self.share):
                text += f", summed over the batch: {show(summed)}"
        if not self.parent.needs_grad:
            text += " (a constant: not sent)"
        return text

    @property
    def running_total(self) -> str:
        """The parent's gradient so far, before and after: ``dL/dx: 2 → 8``."""
        if self.before is None:
            return ""
        return f"{self.target}: {show(self.before)} → {show(self.after)}"

    def __str__(self) -> str:
        parts = [self.local_formula, f"{self.rule} {self.numbers}"]
        parts.append(self.running_total)
        return "   ".join(part for part in parts if part)

    __repr__ = __str__


@dataclass(frozen=True, repr=False)
class Finished:
    r"""A leaf whose gradient is final: every node that uses it has sent its share.

    ``earlier`` is what it held before this pass began (``None`` if nothing):
    the pass adds to it, so ``grad`` includes it.
    """

    node: Value
    name: str
    grad: Any
    earlier: Any = None

    def text(self, root_name: str) -> str:
        """``dE/dw = -0.35`` (and what of it came from an earlier pass)."""
        line = f"d{d(root_name)}/d{d(self.name)} = {show(self.grad)}"
        if self.earlier is not None:
            line += f" ({show(self.earlier)} of it from an earlier pass)"
        return line


@dataclass(frozen=True, repr=False)
class Step:
    r"""What happened at one node of the backward pass.

    ``index`` counts from 1 to ``total`` in backward order (the root first);
    only nodes made by an op take a step (a graph that is one leaf takes
    one). ``grad`` is dE/d(node), final when the node is reached; ``lines``
    are the chain-rule lines sent to its parents. ``finished`` are the
    leaves whose gradients this step made final, and ``leaves`` every leaf
    with its final gradient, given on the last step only (the table at the
    end). ``note`` is a warning printed with the step (the first step says
    when the leaves already held gradients).

    ``repr`` and ``str`` are the same text; in Jupyter a step shows as HTML,
    the textbook rules in grey.

    A step of a neuron or a layer (``backward_steps(root, level=...)``) has
    a ``story`` (:class:`~autograd.group_steps.GroupStory`): the article's δ
    line and the gradients of its weights, and the op-level steps it stands
    for (``story.parts``). Its ``node`` is the neuron's sum z (a layer's:
    its first neuron's), ``grad`` its δ = dE/dz (a layer's: the vector of
    them), and ``lines`` the chain-rule lines of all its parts.
    """

    index: int
    total: int
    node: Value
    name: str
    root_name: str
    grad: Any
    lines: tuple[ChainLine, ...]
    expression: str
    finished: tuple[Finished, ...] = ()
    leaves: tuple[Finished, ...] = ()
    note: str = ""
    letters: tuple[str, ...] = ("u", "v")
    story: GroupStory | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.node.parents

    @property
    def is_last(self) -> bool:
        return self.index == self.total

    @property
    def delta(self) -> str | None:
        """δ of a neuron's weighted sum (``δ²₁`` for dE/dz²₁), else None."""
        return delta_name(self.name)

    def heading(self) -> str:
        """The first line: which node, its value, and dE/d(node)."""
        node = self.node
        head = f"step {self.index}/{self.total}  "
        gradient = f"d{d(self.root_name)}/d{d(self.name)}"
        if self.delta is not None:
            gradient += f" = {self.delta}"
        gradient += f" = {show(self.grad)}"
        if self.is_leaf:
            return head + f"{self.name} = {show(node.data)}  (leaf)   {gradient}"
        value = f"{self.name} = {show(node.data)}"
        if self.expression != self.name:  # an unlabelled node is named by it
            value = f"{self.name} = {self.expression} = {show(node.data)}"
        return head + f"{value}  ({node.op})   {gradient}"

    def rows(self) -> list[tuple[str, str, str]]:
        """One row per parent: the local rule, the chain rule, the running total."""
        return [
            (line.local_formula, f"{line.rule} {line.numbers}", line.running_total)
            for line in self.lines
        ]

    def rules(self) -> str:
        r"""The textbook rules of this node's op (shown in grey).

        Written in letters that no name of this graph uses (``∂(u·v)/∂u =
        v``), so a rule never reads as a statement about the graph's own
        ``a`` or ``b``.
        """
        if self.story is not None:
            return self.story.rules
        found: list[str] = []
        op = op_for(self.node.op) if self.node.op else None
        arity = len(self.node.parents)
        for position in range(arity if op is not None else 0):
            formula = powers(op.formula(position, arity, self.letters))  # type: ignore[union-attr]
            if formula not in found:
                found.append(formula)
        if len(found) > 4:
            found = [*found[:3], "..."]
        return "rules: " + ",  ".join(found) if found else ""

    def done(self) -> str:
        """The leaves whose gradients are final after this step: ``done: dE/dw = …``."""
        if not self.finished:
            return ""
        return "done: " + ",  ".join(f.text(self.root_name) for f in self.finished)

    def table(self) -> list[str]:
        """Every leaf's final gradient, one a line (on the last step only)."""
        if not self.leaves:
            return []
        return ["gradients of the leaves"] + [
            f"  {leaf.text(self.root_name)}" for leaf in self.leaves
        ]

    def _body(self) -> list[str]:
        rows = self.rows()
        targets = [line.target for line in self.lines]
        widths = [max(len(row[0]) for row in rows), max(map(len, targets))]
        chains = [
            f"{target:<{widths[1]}} += {line.product} {line.numbers}"
            for target, line in zip(targets, self.lines)
        ]
        chain_width = max(map(len, chains))
        return [
            f"  {local:<{widths[0]}}   {chain:<{chain_width}}   {total}".rstrip()
            for (local, _, total), chain in zip(rows, chains)
        ]

    def __str__(self) -> str:
        if self.story is not None:
            return step_text(self)
        lines = [self.heading()]
        if self.note:
            lines.append(f"  note: {self.note}")
        if self.lines:
            lines += self._body()
        if self.finished:
            lines.append(f"  {self.done()}")
        if self.lines:
            lines.append(f"  {self.rules()}")
        if self.leaves:
            lines += ["", *self.table()]
        return "\n".join(lines)

    __repr__ = __str__

    def latex(self) -> str:
        r"""The step as LaTeX (an ``align*``): the node's gradient, and for each
        parent its local derivative and the chain rule with its numbers (a
        neuron's or a layer's step: its δ line and its weights' gradients)."""
        if self.story is not None:
            return story_latex(self)
        return step_latex(self)

    def _repr_latex_(self) -> str:
        return self.latex()

    def _repr_html_(self) -> str:
        """The step for Jupyter: the same text, the textbook rules in grey."""
        text = str(self)
        rules = self.rules() if self.lines else ""
        if rules and rules in text:
            head, _, tail = text.partition(rules)
            shown = escape(head)
            grey = f'<span style="color:#777">{escape(rules)}</span>{escape(tail)}'
        else:
            shown, grey = escape(text), ""
        return f'<pre class="chainrule-step">{shown}{grey}</pre>'


def backward_steps(
    root: Value, grad: Data = None, fresh: bool = False, level: str = "ops"
) -> Iterator[Step]:
    r"""Run the backward pass from ``root``, yielding one :class:`Step` per node.

    The order is reverse topological (the root first, the leaves last). Each
    step pushes the node's gradient to its parents exactly as ``backward()``
    does, so running the whole generator leaves the same grads as
    ``root.backward()`` (which may add a node's shares in another order).
    Stopping early leaves the pass half done: the nodes not yet reached hold
    partial gradients (each line's running total).

    Leaves *accumulate*, as with ``backward()``: by default (``fresh=False``)
    a second run adds the same gradients again. When a leaf already holds a
    gradient at the start, the first step's ``note`` says so, the leaves'
    steps say how much was there before, and an
    :class:`AccumulatingGradientsWarning` is issued. ``fresh=True`` sets
    every grad in the graph to 0 first (``root.zero_grad()``), so the steps
    show this pass alone.

    ``level`` is one of :data:`autograd.levels.LEVELS`: ``"ops"`` (a step per
    node made by an op), ``"neurons"`` (a step per neuron, the article's δ
    line, and the op-level steps of everything else, such as the loss) or
    ``"layers"`` (a step per layer, in matrices). The numbers are those of
    the op-level steps of the same pass.
    """
    if not isinstance(root, Value):  # said now, not at the first step
        msg = (
            "backward_steps needs the Value at the end of a graph (the loss), "
            f"not {type(root).__name__}."
        )
        raise TypeError(msg)
    if check_level(level) == "ops":
        return _steps(root, grad, fresh)
    return _at_level(root, _steps(root, grad, fresh), level)


def steps_aside(
    root: Value, order: Sequence[Value] | None = None, level: str = "ops"
) -> list[Step]:
    r"""The steps of a fresh backward pass from ``root``, leaving every grad as it was.

    Every grad in the graph (``order``, by default all of it) is saved and
    set to 0, :func:`backward_steps` runs to the end, and every node gets its
    own grad back, even if something fails on the way. So the steps show the
    gradients of ``root`` alone, and the graph is left as it was: what
    pictures of a pass and checks of a hand-done one need. ``level`` is
    that of :func:`backward_steps`.
    """
    order = list(topological_order(root) if order is None else order)
    saved = [n.grad.copy() if isinstance(n.grad, np.ndarray) else n.grad for n in order]
    try:
        for node in order:
            node.grad = zeros_like(node.data)
        return list(backward_steps(root, level=level))
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad


def _steps(root: Value, grad: Data, fresh: bool) -> Iterator[Step]:
    if fresh:
        zero_grad(root)
    order = prepare_backward(root, seed_gradient(root, grad))
    names = node_names(order, root)
    root_name = names[root]
    leaves = _leaves_in_table_order(order, root)
    earlier = {node: _snapshot(node.grad) for node in leaves if not _is_zero(node.grad)}
    note = ""
    if earlier:
        held = ", ".join(names[node] for node in list(earlier)[:4])
        held += ", ..." if len(earlier) > 4 else ""
        note = (
            f"the leaves already held gradients from an earlier pass ({held}); "
            "they accumulate, so these steps add to them. To start from zero, "
            f"call {'root' if not root.label else root_name}.zero_grad() first, "
            "or use backward_steps(..., fresh=True)."
        )
        warnings.warn(note, AccumulatingGradientsWarning, stacklevel=2)
    # how many shares each leaf still waits for: one per edge into it
    waiting: dict[int, int] = {}
    for node in order:
        for parent in node.parents:
            if not parent.parents and parent.needs_grad:
                waiting[id(parent)] = waiting.get(id(parent), 0) + 1
    stepped = [node for node in reversed(order) if node.parents] or [root]
    letters = tuple(rule_letters(list(names.values()), 2))
    total = len(stepped)
    for index, node in enumerate(stepped, start=1):
        upstream = node.grad
        upstream = upstream.copy() if is_batch(upstream) else upstream
        lines = []
        finished = []
        if node.parents:
            running = {id(p): _snapshot(p.grad) for p in node.parents}
            for position, (parent, local) in enumerate(
                zip(node.parents, node.local_grads)
            ):
                share = local * upstream
                before = after = None
                if parent.needs_grad:  # the running total, one share at a time
                    before = running[id(parent)]
                    after = _snapshot(before + summed_to(parent.data, share))
                    running[id(parent)] = after
                lines.append(
                    ChainLine(
                        parent=parent,
                        parent_name=names[parent],
                        node_name=names[node],
                        root_name=root_name,
                        upstream=upstream,
                        local=local,
                        share=share,
                        formula=op_for(node.op).formula(
                            position, len(node.parents), letters
                        ),
                        local_name=local_text(node, position, names).split(" (")[0]
                        if isinstance(local, MatrixLocal)
                        else "",
                        local_formula=local_rule(node, position, names),
                        before=before,
                        after=after,
                    )
                )
                if id(parent) in waiting:
                    waiting[id(parent)] -= 1
                    if waiting[id(parent)] == 0:
                        finished.append(parent)
            node.chain_rule()
        last = index == total
        yield Step(
            index=index,
            total=total,
            node=node,
            name=names[node],
            root_name=root_name,
            grad=upstream,
            lines=tuple(lines),
            expression=expression_of(node, names) if node.parents else names[node],
            finished=tuple(_finished(leaf, names, earlier) for leaf in finished),
            leaves=tuple(
                _finished(leaf, names, earlier) for leaf in leaves if leaf.needs_grad
            )
            if last
            else (),
            note=note if index == 1 else "",
            letters=letters,
        )


def _at_level(root: Value, steps: Iterator[Step], level: str) -> Iterator[Step]:
    r"""The op-level ``steps`` gathered into the steps of a level: a neuron's
    (or a layer's) once all its nodes' steps are taken, in the order the
    level steps its units (:meth:`~autograd.levels.Grouping.backward_units`)."""
    view = grouping(root, level)
    units = view.backward_units()
    taken: dict[Value, Step] = {}
    table: tuple[Finished, ...] = ()
    note = ""
    for index, unit in enumerate(units, start=1):
        members = unit.members if isinstance(unit, Neuron | Layer) else (unit,)
        while any(member not in taken for member in members):
            step = next(steps)
            taken[step.node] = step
            table, note = step.leaves or table, note or step.note
        parts = sorted((taken[m] for m in members), key=lambda s: s.index)
        leaves = table if index == len(units) else ()
        first_note = note if index == 1 else ""
        total = len(units)
        if not isinstance(unit, Neuron | Layer):
            yield replace(
                parts[0], index=index, total=total, leaves=leaves, note=first_note
            )
            continue
        story, fields = story_of(unit, parts, view, taken)
        first = parts[0]
        yield Step(
            index=index,
            total=total,
            leaves=leaves,
            note=first_note,
            **fields,
            root_name=first.root_name,
            lines=tuple(line for part in parts for line in part.lines),
            finished=tuple(f for part in parts for f in part.finished),
            letters=first.letters,
            story=story,
        )


def _leaves_in_table_order(order: list[Value], root: Value) -> list[Value]:
    """The leaves: inputs and other leaves as met, then parameters layer by layer.

    Parameters that live in an array (a layer's weights, then its biases)
    are listed in the array's own order, arrays in the order they were made.
    """
    leaves = [node for node in order if not node.parents and node is not root]
    alone = [leaf for leaf in leaves if not isinstance(leaf, Element)]
    in_arrays = sorted(
        (leaf for leaf in leaves if isinstance(leaf, Element)),
        key=lambda e: (e.array.serial, e.index),
    )
    return alone + in_arrays


def _finished(leaf: Value, names: dict[Value, str], earlier: dict) -> Finished:
    return Finished(leaf, names[leaf], _snapshot(leaf.grad), earlier.get(leaf))
