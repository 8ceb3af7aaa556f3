r"""Graph algorithms: the topological sort, the backward pass, zero_grad.

Everything that shows a graph (the stepper, ``explain``, the pictures in
``viz``) takes its node order from :func:`topological_order`, so they all see
the same nodes in the same order, run after run. ``backward`` takes the nodes
latest made first (by their ``serial``), which is also a reverse topological
order and needs no depth-first search.

The algorithms need only what every node has (see :class:`Node`): its
``data`` and ``grad``, its ``parents`` and the ``local_grads`` towards them.
They never ask which op made a node.

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

import itertools
import operator
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, TypeVar

import numpy as np

from autograd.data import is_batch

__all__ = [
    "Node",
    "backward",
    "next_serial",
    "prepare_backward",
    "summed_to",
    "topological_order",
    "zero_grad",
    "zeros_like",
]


class Node(Protocol):
    """What the graph algorithms read and write on a node (a ``Value``)."""

    grad: Any  # written: the gradient of the root with respect to this node

    @property
    def data(self) -> Any: ...

    @property
    def parents(self) -> Sequence[Node]: ...

    @property
    def local_grads(self) -> Sequence[Any]: ...

    @property
    def serial(self) -> int:
        """When the node was made: larger than the serial of each of its parents."""

    @property
    def shortcut(self) -> Any:
        """None, or the node that takes this one's step in a backward pass."""

    def chain_rule(self) -> None:
        """parent.grad += local × self.grad, for every parent."""


N = TypeVar("N", bound=Node)

#: The serial number of the next node made (see :attr:`Node.serial`). Every
#: node takes one as it is made, after its parents have been made, so its
#: serial is larger than theirs.
next_serial = itertools.count(1).__next__
_serial_of = operator.attrgetter("serial")


def topological_order(root: N) -> list[N]:
    r"""Every node ``root`` depends on, each after all of its parents.

    An iterative depth-first search (no recursion, so any depth works: a chain
    of a million nodes is fine). Parents are visited in their stored order, so
    the order is the same on every run. The root comes last.
    """
    order: list[Any] = []
    visited: set[Any] = {root}
    stack: list[tuple[Any, Iterator[Any]]] = [(root, iter(root.parents))]
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


def summed_to(data: Any, share: Any) -> Any:
    r"""A parent's share of the gradient, in the parent's shape.

    Where a number meets a batch (a weight used by every sample), or a row
    of biases meets a batch × units matrix, the parent's gradient is the sum
    over the batch of the per-sample shares: the gradient of the sum of the
    per-sample graphs.
    """
    batch = data.ndim > 0 if type(data) is np.ndarray else is_batch(data)
    if not batch:
        return share if type(share) is float else float(np.add.reduce(share, None))
    if type(share) is float or share.shape == data.shape:
        return share
    return np.add.reduce(share, tuple(range(share.ndim - data.ndim)))


def prepare_backward(root: N, seed: Any = 1.0) -> list[N]:
    r"""Get ready for a backward pass from ``root``; return the node order.

    Every intermediate node's grad is reset to 0 (so nothing is counted twice
    when backward runs again), then ``seed`` (∂root/∂root = 1) is added to the
    root's grad. Leaves keep what they had: their gradients accumulate.
    """
    order = topological_order(root)
    for node in order:
        if node.parents:
            node.grad = zeros_like(node.data)
    root.grad = root.grad + seed
    return order


def _interior_order(root: Any) -> list[Any]:
    r"""The nodes a backward pass steps through, latest made first.

    Each node is made after its parents, so its serial is larger than
    theirs: sorted by serial, largest first, every node comes before all of
    its parents, as the chain rule needs (the record of the forward pass,
    read backwards). The nodes are found by a plain walk of the parents,
    which needs no stack of parent iterators and mostly finds them latest
    first already, so the sort has little left to do. Leaves are left out:
    they send nothing on. A node with a ``shortcut`` (a neuron of a layer
    run on one sample) is stepped into through it: the layer takes the
    step of all its neurons at once.
    """
    root = root.shortcut or root
    if not root.parents:
        return []
    found: list[Any] = [root]
    seen: set[Any] = {root}
    for node in found:  # the list grows as the walk finds more nodes
        for parent in node.parents:
            parent = parent.shortcut or parent
            if parent.parents and parent not in seen:
                seen.add(parent)
                found.append(parent)
    found.sort(key=_serial_of, reverse=True)
    return found


def backward(root: Node, seed: Any = 1.0) -> None:
    r"""Run the chain rule from ``root`` back to every leaf.

    Nodes are taken in reverse topological order (the reverse of the order
    they were made), so when a node is reached every path above it has
    already added its part to the node's gradient, and each node applies the
    chain rule to its parents
    (:meth:`~autograd.value.Value.chain_rule`):

        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local × node.grad

    The walk follows each node's parents, except where a node names a
    ``shortcut``: the neurons of a layer run on one sample name their layer
    (:class:`~autograd.layer_sample.LayerSample`), which then takes the
    chain-rule step of all its neurons at once, as one matrix product.

    The pass leaves Python's cycle collector alone: it makes no objects the
    collector tracks (gradients are floats and arrays), so the collector
    never runs during it (the ops pause it while they make nodes: see
    :mod:`autograd.value`).
    """
    order = _interior_order(root)  # latest first; no leaves: they send nothing
    for node in order:  # start every intermediate node at 0
        node.grad = 0.0 if type(node.data) is float else None
    root.grad = seed + 0.0 if root.grad is None else root.grad + seed  # a copy
    for node in order:
        node.chain_rule()
    for node in order:  # a batch's gradient is its first share, not 0 + share
        if node.grad is None:  # (nothing reached it: an array of 0)
            node.grad = np.zeros(node.data.shape)


def zero_grad(root: Node) -> None:
    """Set the grad of every node in ``root``'s graph, leaves included, to 0."""
    for node in topological_order(root):
        node.grad = zeros_like(node.data)


def zeros_like(data: Any) -> Any:
    """A gradient of 0 in the shape of ``data``: 0.0 for one number of any kind."""
    return np.zeros(data.shape) if is_batch(data) else 0.0
