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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.batched import LayerShares
from autograd.graph import prepare_backward, push_gradient, topological_order
from autograd.ops import Data, is_batch, spec_for

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["ChainLine", "Step", "backward_steps", "fmt", "node_names"]


def fmt(x: Data) -> str:
    """A number to 4 significant digits; a batch as its length and mean."""
    if is_batch(x):
        x = np.asarray(x)
        if x.ndim == 0:
            return f"{float(x):.4g}"
        return f"[{len(x)} values, mean {float(np.mean(x)):.4g}]"
    return f"{x:.4g}"


def node_names(nodes: Sequence[Value] | Value) -> dict[Value, str]:
    r"""A readable, deterministic name for each node.

    A node's own label if it has one, otherwise ``v<k>`` where k is the node's
    position in topological order (pass a root to name its whole graph).
    """
    order = topological_order(nodes) if not isinstance(nodes, Sequence) else nodes
    return {node: node.label or f"v{k}" for k, node in enumerate(order)}


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

    @property
    def target(self) -> str:
        """What grows: ``dL/dp``."""
        return f"d{self.root_name}/d{self.parent_name}"

    @property
    def product(self) -> str:
        """What it grows by, in symbols: ``dL/dn × ∂n/∂p``."""
        root, node, parent = self.root_name, self.node_name, self.parent_name
        return f"d{root}/d{node} × ∂{node}/∂{parent}"

    @property
    def rule(self) -> str:
        """The chain rule in symbols: ``dL/dp += dL/dn × ∂n/∂p``."""
        return f"{self.target} += {self.product}"

    @property
    def numbers(self) -> str:
        """The same line with the numbers: ``= upstream × local = share``."""
        text = f"= {fmt(self.upstream)} × {fmt(self.local)} = {fmt(self.share)}"
        if is_batch(self.share) and not is_batch(self.parent.data):
            text += f", summed over the batch: {fmt(float(np.sum(self.share)))}"
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


_SYMBOLS = {"add": "+", "mul": "×", "powv": "**"}
_FUNCTIONS = {
    "neg": "−{}",
    "exp": "exp({})",
    "log": "log({})",
    "tanh": "tanh({})",
    "sigmoid": "σ({})",
    "relu": "relu({})",
    "leaky_relu": "leaky_relu({})",
    "sum": "Σᵢ {}",
    "mean": "mean {}",
}


def expression_of(node: Value, names: dict[Value, str]) -> str:
    """The op that made ``node``, written with its parents' names: ``x × w``."""
    parents = [names[p] for p in node.parents]
    op = node.op
    if op in _SYMBOLS:
        return f" {_SYMBOLS[op]} ".join(parents)
    if op in _FUNCTIONS:
        return _FUNCTIONS[op].format(parents[0])
    if op.startswith("**"):
        return f"{parents[0]}^{op[2:]}"
    if op == "vsum":
        return " + ".join(parents) if len(parents) <= 4 else f"Σ({len(parents)} terms)"
    if op == "wsum":
        n = len(parents) // 2
        terms = [f"{w}·{x}" for w, x in zip(parents[:n], parents[n : 2 * n])]
        if len(terms) > 3:
            terms = [terms[0], "...", terms[-1]]
        if len(parents) % 2:
            terms.append(parents[-1])
        return " + ".join(terms)
    return f"{op}({', '.join(parents)})"


def backward_steps(root: Value) -> Iterator[Step]:
    r"""Run the backward pass from ``root``, yielding one :class:`Step` per node.

    The order is reverse topological (the root first, the leaves last). Each
    step pushes the node's gradient to its parents exactly as ``backward()``
    does, so running the whole generator leaves the same grads as
    ``root.backward()``. Stopping early leaves the pass half done: the nodes
    not yet reached hold partial gradients.
    """
    order = prepare_backward(root)
    names = node_names(order)
    root_name = names[root] if root.label else "L"
    if not root.label:
        names[root] = "L"
    total = len(order)
    layers = LayerShares()
    for index, node in enumerate(reversed(order), start=1):
        layers.reach(node)
        upstream = node.grad
        upstream = upstream.copy() if is_batch(upstream) else upstream
        lines = []
        arity = len(node.parents)
        parents = zip(node.parents, node.local_grads)
        for position, (parent, local) in enumerate(parents):
            spec = spec_for(node.op)
            lines.append(
                ChainLine(
                    parent=parent,
                    parent_name=names[parent],
                    node_name=names[node],
                    root_name=root_name,
                    upstream=upstream,
                    local=local,
                    share=local * upstream,
                    formula=spec.formula(position, arity),
                )
            )
        if node.parents:
            push_gradient(node, layers)
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
    layers.finish()
