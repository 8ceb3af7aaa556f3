r"""Backpropagation one node at a time, narrated.

:func:`backward_steps` runs exactly the pass that ``backward()`` runs, but
stops after each node and yields a :class:`Step` that says what happened: the
node's gradient, and for every parent the chain-rule line

    dL/d(parent) += dL/d(node) × ∂(node)/∂(parent) = upstream × local = share

>>> from autograd import Value
>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = x * w; y.label = "y"
>>> steps = list(backward_steps(y))
>>> print(steps[0])
step 1/3  y = x × w = -6  (mul)   dy/dy = 1
  dy/dx += dy/dy × ∂y/∂x = 1 × -3 = -3   ∂(a·b)/∂a = b
  dy/dw += dy/dy × ∂y/∂w = 1 × 2 = 2     ∂(a·b)/∂b = a
>>> x.grad, w.grad
(-3.0, 2.0)

A layer node of a batch is narrated with its matrices' shapes:
``dL/dW += (dL/dZ)ᵀ·X``, a (units × batch)·(batch × inputs) product.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.data import Data, is_batch, shape_text
from autograd.graph import prepare_backward, summed_to, topological_order
from autograd.layer_rules import MatrixLocal
from autograd.ops import op_for
from autograd.value import Value, check_value, seed_gradient

__all__ = [
    "ChainLine",
    "Step",
    "backward_steps",
    "expression_of",
    "fmt",
    "local_text",
    "node_names",
]


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
        written = op_for(node.op).local_text(
            position, [names[p] for p in node.parents], names[node]
        )
        return f"{written} ({shape_text(local.shape)})"
    return fmt(local)


@dataclass(frozen=True)
class ChainLine:
    r"""One use of the chain rule: what one node sends to one of its parents.

    ``share = upstream × local``, where ``upstream`` is dL/d(node) and
    ``local`` is ∂(node)/∂(parent). ``parent.grad`` grows by ``share`` (summed
    over the batch when a scalar parent feeds a batched node).
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

    def __str__(self) -> str:
        return f"{self.rule} {self.numbers}    {self.formula}"


@dataclass(frozen=True)
class Step:
    r"""What happened at one node of the backward pass.

    ``index`` counts from 1 to ``total`` in backward order (the root first).
    ``grad`` is dL/d(node), final when the node is reached; ``lines`` are the
    chain-rule lines sent to its parents (none for a leaf).
    """

    index: int
    total: int
    node: Value
    name: str
    root_name: str
    grad: Any
    lines: tuple[ChainLine, ...]
    expression: str

    @property
    def is_leaf(self) -> bool:
        return not self.node.parents

    def __str__(self) -> str:
        node = self.node
        head = f"step {self.index}/{self.total}  "
        gradient = f"d{self.root_name}/d{self.name} = {fmt(self.grad)}"
        if self.is_leaf:
            head += f"{self.name} = {fmt(node.data)}  (leaf)   {gradient}  final"
            return head
        head += f"{self.name} = {self.expression} = {fmt(node.data)}  ({node.op})   "
        head += gradient
        if not self.lines:
            return head
        columns = [(line.target, line.product, line.numbers) for line in self.lines]
        widths = [max(len(row[k]) for row in columns) for k in range(3)]
        body = [
            f"  {target:<{widths[0]}} += {product:<{widths[1]}} "
            f"{numbers:<{widths[2]}}   {line.formula}"
            for (target, product, numbers), line in zip(columns, self.lines)
        ]
        return "\n".join([head, *body])


def expression_of(node: Value, names: dict[Value, str]) -> str:
    """The op that made ``node``, written with its parents' names: ``x × w``."""
    return op_for(node.op).write([names[p] for p in node.parents], out=names[node])


def backward_steps(root: Value, grad: Data = None) -> Iterator[Step]:
    r"""Run the backward pass from ``root``, yielding one :class:`Step` per node.

    The order is reverse topological (the root first, the leaves last). Each
    step pushes the node's gradient to its parents exactly as ``backward()``
    does, so running the whole generator leaves the same grads as
    ``root.backward()``. Stopping early leaves the pass half done: the nodes
    not yet reached hold partial gradients.
    """
    check_value(root, "the root of backward_steps")
    return _steps(root, grad)


def _steps(root: Value, grad: Data) -> Iterator[Step]:
    order = prepare_backward(root, seed_gradient(root, grad))
    names = node_names(order)
    root_name = names[root] if root.label else "L"
    if not root.label:
        names[root] = "L"
    total = len(order)
    for index, node in enumerate(reversed(order), start=1):
        upstream = node.grad
        upstream = upstream.copy() if is_batch(upstream) else upstream
        lines = []
        if node.parents:
            op = op_for(node.op)
            arity = len(node.parents)
            for position, (parent, local) in enumerate(
                zip(node.parents, node.local_grads)
            ):
                lines.append(
                    ChainLine(
                        parent=parent,
                        parent_name=names[parent],
                        node_name=names[node],
                        root_name=root_name,
                        upstream=upstream,
                        local=local,
                        share=local * upstream,
                        formula=op.formula(position, arity),
                        local_name=local_text(node, position, names).split(" (")[0]
                        if isinstance(local, MatrixLocal)
                        else "",
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
        )
