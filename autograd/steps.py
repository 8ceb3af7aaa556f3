r"""Backpropagation one node at a time, narrated.

:func:`backward_steps` runs the chain rule of ``backward()``, but
stops after each node and yields a :class:`Step` that says what happened: the
node's gradient, and for every parent the local derivative written in the
graph's own names, the chain-rule line, and the parent's running total

    ∂node/∂parent = (formula) = local
    dL/d(parent) += dL/d(node) × ∂(node)/∂(parent) = upstream × local = share
    dL/d(parent): before → after

>>> from autograd import Value
>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = x * w; y.label = "y"
>>> steps = list(backward_steps(y))
>>> print(steps[0])
step 1/3  y = x × w = -6  (mul)   dy/dy = 1
  ∂y/∂x = w = -3   dy/dx += dy/dy × ∂y/∂x = 1 × -3 = -3   dy/dx: 0 → -3
  ∂y/∂w = x = 2    dy/dw += dy/dy × ∂y/∂w = 1 × 2 = 2     dy/dw: 0 → 2
  rules: ∂(a·b)/∂a = b,  ∂(a·b)/∂b = a
>>> x.grad, w.grad
(-3.0, 2.0)

A node used twice receives two shares, and its running total shows them add
up. Stepping again without ``zero_grad()`` adds to the leaves' gradients, as
``backward()`` does: the first step says so, and
:class:`AccumulatingGradientsWarning` is raised as a warning;
``backward_steps(root, fresh=True)`` starts from zero instead.

A layer node of a batch is narrated with its matrices' shapes:
``dL/dW += (dL/dZ)ᵀ·X``, a (units × batch)·(batch × inputs) product.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from autograd.data import Data, is_batch, shape_text
from autograd.graph import prepare_backward, summed_to, topological_order, zero_grad
from autograd.latex import step_latex
from autograd.layer_rules import MatrixLocal
from autograd.ops import op_for
from autograd.value import Value, seed_gradient

__all__ = [
    "AccumulatingGradientsWarning",
    "ChainLine",
    "Step",
    "backward_steps",
    "expression_of",
    "fmt",
    "local_text",
    "node_names",
]


class AccumulatingGradientsWarning(UserWarning):
    """The leaves already held gradients, so this pass adds to them."""


def fmt(x: Any) -> str:
    """A number to 4 significant digits; a batch as its size and mean."""
    if isinstance(x, np.ndarray | np.generic):
        x = np.asarray(x)
        if x.ndim == 0:
            return f"{float(x):.4g}"
        mean = f"mean {float(np.mean(x)):.4g}"
        if x.ndim == 1:
            return f"[{len(x)} values, {mean}]"
        return f"[{shape_text(x.shape)} matrix, {mean}]"
    if isinstance(x, float | int):
        return f"{x:.4g}"
    return repr(x)  # a layer node's local derivative: "W (32×64)"


def node_names(nodes: Sequence[Value] | Value) -> dict[Value, str]:
    r"""A readable, deterministic name for each node.

    A node's own label if it has one, otherwise ``v<k>`` where k is the node's
    position in topological order (pass a root to name its whole graph). An
    unlabelled layer node is ``Z1``, ``Z2``, ... in the order of the layers.
    """
    order = topological_order(nodes) if isinstance(nodes, Value) else nodes
    names = {}
    layers = 0
    for k, node in enumerate(order):
        if node.label:
            names[node] = node.label
        elif node.op == "linear":
            layers += 1
            names[node] = f"Z{layers}"
        elif _activates_a_layer(node, names):
            names[node] = "A" + names[node.parents[0]][1:]
        else:
            names[node] = f"v{k}"
    return names


def _activates_a_layer(node: Value, names: dict[Value, str]) -> bool:
    """An activation node of a whole layer node (named Zk): it is named Ak."""
    if not node.op or op_for(node.op).kind != "activation":
        return False
    parent = node.parents[0]
    return not parent.label and parent.op == "linear" and parent in names


def local_text(node: Value, position: int, names: dict[Value, str]) -> str:
    r"""The local derivative ∂node/∂(parent at ``position``), as it is shown.

    A number (or a batch's size and mean); for a layer node, the matrix it
    is, by the name of the value it comes from and with its shape: the
    local derivative of Z = X·Wᵀ + b with respect to W is the input ``x``.
    """
    local = node.local_grads[position]
    if isinstance(local, MatrixLocal):
        return f"{_written(node, position, names)} ({shape_text(local.shape)})"
    return fmt(local)


def _written(node: Value, position: int, names: dict[Value, str]) -> str:
    """The op table's formula of ∂node/∂(parent at ``position``), in these names."""
    parents = [names[p] for p in node.parents]
    return op_for(node.op).local_text(position, parents, names[node])


def local_rule(node: Value, position: int, names: dict[Value, str]) -> str:
    r"""∂node/∂parent in the graph's own names, then its number: ``∂y/∂x = w = 2``.

    The formula comes from the op table, written with the names of this
    node and its parents (never the table's letters, which could clash with
    a user's own ``a`` and ``b``). A formula that is just a number
    (``∂(x + b)/∂x = 1``) is not repeated.
    """
    parent = node.parents[position]
    head = f"∂{names[node]}/∂{names[parent]}"
    number = local_text(node, position, names)
    local = node.local_grads[position]
    if isinstance(local, MatrixLocal):
        return f"{head} = {number}"
    written = _written(node, position, names)
    if _is_number(written) or written == number:
        return f"{head} = {number}"
    return f"{head} = {written} = {number}"


def _is_number(text: str) -> bool:
    try:
        float(text.replace("−", "-"))
    except ValueError:
        return False
    return True


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
        """What grows: ``dL/dp``."""
        return f"d{self.root_name}/d{self.parent_name}"

    @property
    def product(self) -> str:
        """What it grows by, in symbols: ``dL/dn × ∂n/∂p``."""
        root, node, parent = self.root_name, self.node_name, self.parent_name
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
            text = f"= {shapes} = {fmt(self.share)}"
        else:
            text = f"= {fmt(self.upstream)} × {fmt(self.local)} = {fmt(self.share)}"
            summed = summed_to(self.parent.data, self.share)
            if is_batch(self.share) and np.shape(summed) != np.shape(self.share):
                text += f", summed over the batch: {fmt(summed)}"
        if not self.parent.needs_grad:
            text += " (a constant: not sent)"
        return text

    @property
    def running_total(self) -> str:
        """The parent's gradient so far, before and after: ``dL/dx: 2 → 8``."""
        if self.before is None:
            return ""
        return f"{self.target}: {fmt(self.before)} → {fmt(self.after)}"

    def __str__(self) -> str:
        parts = [self.local_formula, f"{self.rule} {self.numbers}"]
        parts.append(self.running_total)
        return "   ".join(part for part in parts if part)

    __repr__ = __str__


@dataclass(frozen=True, repr=False)
class Step:
    r"""What happened at one node of the backward pass.

    ``index`` counts from 1 to ``total`` in backward order (the root first).
    ``grad`` is dL/d(node), final when the node is reached; ``lines`` are the
    chain-rule lines sent to its parents (none for a leaf). ``earlier`` is
    what a leaf held before this pass began (``None`` if nothing), and
    ``note`` a warning printed with the step (the first step says when the
    leaves already held gradients).

    ``repr`` and ``str`` are the same text; in Jupyter a step shows as HTML,
    the textbook rules in grey.
    """

    index: int
    total: int
    node: Value
    name: str
    root_name: str
    grad: Any
    lines: tuple[ChainLine, ...]
    expression: str
    earlier: Any = None
    note: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.node.parents

    def heading(self) -> str:
        """The first line: which node, its value, and dL/d(node)."""
        node = self.node
        head = f"step {self.index}/{self.total}  "
        gradient = f"d{self.root_name}/d{self.name} = {fmt(self.grad)}"
        if self.is_leaf:
            head += f"{self.name} = {fmt(node.data)}  (leaf)   {gradient}  final"
            if self.earlier is not None:
                head += f" ({fmt(self.earlier)} of it from an earlier pass)"
            return head
        head += f"{self.name} = {self.expression} = {fmt(node.data)}  ({node.op})   "
        return head + gradient

    def rows(self) -> list[tuple[str, str, str]]:
        """One row per parent: the local rule, the chain rule, the running total."""
        return [
            (line.local_formula, f"{line.rule} {line.numbers}", line.running_total)
            for line in self.lines
        ]

    def rules(self) -> str:
        """The textbook rules of this node's op, in letters (shown in grey)."""
        found: list[str] = []
        for line in self.lines:
            if line.formula not in found:
                found.append(line.formula)
        if len(found) > 4:
            found = [*found[:3], "..."]
        return "rules: " + ",  ".join(found) if found else ""

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
        lines = [self.heading()]
        if self.note:
            lines.append(f"  note: {self.note}")
        if self.lines:
            lines += self._body()
            lines.append(f"  {self.rules()}")
        return "\n".join(lines)

    __repr__ = __str__

    def latex(self) -> str:
        r"""The step as LaTeX (an ``align*``): the node's gradient, and for each
        parent its local derivative and the chain rule with its numbers."""
        return step_latex(self)

    def _repr_latex_(self) -> str:
        return self.latex()

    def _repr_html_(self) -> str:
        """The step for Jupyter: the same text, the textbook rules in grey."""
        text = str(self)
        rules = self.rules() if self.lines else ""
        shown = escape(text[: -len(rules)] if rules else text)
        grey = f'<span style="color:#777">{escape(rules)}</span>' if rules else ""
        return f'<pre class="chainrule-step">{shown}{grey}</pre>'


def expression_of(node: Value, names: dict[Value, str]) -> str:
    """The op that made ``node``, written with its parents' names: ``x × w``."""
    return op_for(node.op).write([names[p] for p in node.parents], out=names[node])


def backward_steps(
    root: Value, grad: Data = None, fresh: bool = False
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
    """
    if not isinstance(root, Value):  # said now, not at the first step
        msg = (
            "backward_steps needs the Value at the end of a graph (the loss), "
            f"not {type(root).__name__}."
        )
        raise TypeError(msg)
    return _steps(root, grad, fresh)


def _steps(root: Value, grad: Data, fresh: bool) -> Iterator[Step]:
    if fresh:
        zero_grad(root)
    order = prepare_backward(root, seed_gradient(root, grad))
    names = node_names(order)
    root_name = names[root] if root.label else "L"
    if not root.label:
        names[root] = "L"
    earlier = {
        node: _snapshot(node.grad)
        for node in order
        if not node.parents and node is not root and not _is_zero(node.grad)
    }
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
    total = len(order)
    for index, node in enumerate(reversed(order), start=1):
        upstream = node.grad
        upstream = upstream.copy() if is_batch(upstream) else upstream
        lines = []
        if node.parents:
            op = op_for(node.op)
            arity = len(node.parents)
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
                        formula=op.formula(position, arity),
                        local_name=local_text(node, position, names).split(" (")[0]
                        if isinstance(local, MatrixLocal)
                        else "",
                        local_formula=local_rule(node, position, names),
                        before=before,
                        after=after,
                    )
                )
            node.chain_rule()
        yield Step(
            index=index,
            total=total,
            node=node,
            name=names[node],
            root_name=root_name,
            grad=upstream,
            lines=tuple(lines),
            expression=expression_of(node, names) if node.parents else names[node],
            earlier=earlier.get(node),
            note=note if index == 1 else "",
        )
