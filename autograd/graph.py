r"""Graph algorithms: the one topological sort, the backward pass, zero_grad.

Everything that walks a graph (``backward``, the stepper, ``explain``, the
pictures in ``viz``) takes its node order from :func:`topological_order`, so
they all see the same nodes in the same order, run after run.

>>> from autograd import Value
>>> a = Value(3.0, "a")
>>> b = a + a              # b = 2a
>>> c = b + b              # c = 4a
>>> [n.label or n.op for n in topological_order(c)]
['a', 'add', 'add']
>>> c.backward(); a.grad   # dc/da = 4: reused nodes accumulate
4.0
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from autograd.batched import LayerShares
from autograd.ops import Data

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = [
    "backward",
    "collector_paused",
    "prepare_backward",
    "push_gradient",
    "topological_order",
    "zero_grad",
]


def topological_order(root: Value) -> list[Value]:
    r"""Every node ``root`` depends on, each after all of its parents.

    An iterative depth-first search (no recursion, so any depth works: a chain
    of a million nodes is fine). Parents are visited in their stored order, so
    the order is the same on every run. The root comes last.
    """
    order: list[Value] = []
    visited = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in visited:
                visited.add(parent)
                if not parent.parents:  # a leaf is finished as soon as it is seen
                    order.append(parent)
                    continue
                stack.append((parent, iter(parent.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _zeros_like(data: Data) -> Data:
    """0 in the shape of ``data``: a float, or an array of zeros for a batch."""
    return 0.0 if type(data) is float else np.zeros(data.shape)


def prepare_backward(root: Value) -> list[Value]:
    r"""Get ready for a backward pass from ``root``; return the node order.

    Every intermediate node's grad is reset to 0 (so nothing is counted twice
    when backward runs again), then ∂root/∂root = 1 is added to the root's
    grad. Leaves keep what they had: their gradients accumulate.
    """
    order = topological_order(root)
    for node in order:
        if node.parents:
            node.grad = _zeros_like(node.data)
    if type(root.data) is float:
        root.grad += 1.0
    else:
        root.grad = root.grad + np.ones_like(root.data)
    return order


def push_gradient(node: Value, layers: LayerShares | None = None) -> None:
    r"""Send ``node``'s gradient to its parents: the chain rule, one node.

    For each parent p with local derivative ∂node/∂p:

        p.grad += ∂node/∂p × node.grad

    When a scalar parent (a weight) feeds a batched node, its share is summed
    over the batch: the gradient of the sum of the per-sample graphs.

    With ``layers``, batched weighted sums take the fast path of
    :class:`~autograd.batched.LayerShares` (the same rule, grouped by layer).
    """
    upstream = node.grad
    if type(upstream) is float:
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * upstream
        return
    if layers is not None and node.op == "wsum" and layers.collect(node):
        return
    for parent, local in zip(node.parents, node.local_grads):
        share = local * upstream
        if type(parent.data) is float:
            parent.grad += float(np.sum(share))
        else:
            parent.grad += share


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a pass walks a large graph.

    A graph of Values holds no reference cycles (a node points only to its
    parents), so plain reference counting frees everything; the collector
    would only rescan the whole graph again and again as the pass allocates.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def backward(root: Value) -> None:
    r"""Run the chain rule from ``root`` back to every leaf.

    Nodes are taken in reverse topological order, so when a node is reached
    every path above it has already added its part to the node's gradient.
    """
    with collector_paused():
        order = prepare_backward(root)
        layers = LayerShares()
        waiting = layers.waiting
        for node in reversed(order):
            if waiting and node in waiting:
                layers.reach(node)
            if node.parents:
                push_gradient(node, layers)
        layers.finish()


def zero_grad(root: Value) -> None:
    """Set the grad of every node in ``root``'s graph, leaves included, to 0."""
    for node in topological_order(root):
        node.grad = _zeros_like(node.data)
