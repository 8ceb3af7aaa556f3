r"""Layer nodes: a whole layer of a batch as one node, ``Z = X·Wᵀ + b``.

A single sample's graph has one ``wsum`` node per neuron and one Value per
weight: the graph to step through and draw. A batch would make that graph
as many times wider as it has samples. Instead, the articles' matrix view
of a layer is one node:

    Z = X·Wᵀ + b        X: batch × inputs,  W: units × inputs,  Z: batch × units

whose local derivatives are matrices (∂Z/∂W = X, ∂Z/∂X = W, ∂Z/∂b = 1).
The backward pass is the same chain rule, ``parent.grad += local × node.grad``,
with × a matrix product. An activation of the whole layer is one more
(elementwise) node, and a loss over the batch one *fused* node, whose local
derivative is the textbook's closed form.

>>> import numpy as np
>>> from autograd.parameters import ParameterArray
>>> W = ParameterArray([[1.0, -1.0], [0.5, 2.0]], "W")   # 2 neurons, 2 inputs
>>> b = ParameterArray([0.0, 1.0], "b")
>>> X = Value(np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]]), "X")
>>> Z = linear(W, X, b)
>>> Z.shape, Z.data[0].tolist()           # sample 0: [1 − 2 + 0, 0.5 + 4 + 1]
((3, 2), [-1.0, 5.5])
>>> loss = softmax_cross_entropy(Z, np.array([1, 0, 1]))
>>> loss.backward()
>>> W.grad.shape, W.element(0, 0).grad == float(W.grad[0, 0])
((2, 2), True)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from autograd.ops import OPS, DomainError, Op, shape_text
from autograd.parameters import ParameterArray
from autograd.value import Constant, Value, apply, make_node, wsum

__all__ = [
    "NeuronSum",
    "column",
    "each",
    "linear",
    "mean_squared_error",
    "patches",
    "reshape",
    "softmax_cross_entropy",
    "to_channels",
    "weighted_sums",
]


def _matrix(x: Value, what: str) -> None:
    if not isinstance(x, Value) or type(x.data) is float or x.data.ndim != 2:
        got = x.shape if isinstance(x, Value) else type(x).__name__
        msg = f"{what} must be a Value holding a batch × units matrix, not {got}."
        raise TypeError(msg)


def linear(W: ParameterArray, X: Value, b: ParameterArray) -> Value:
    r"""The layer node Z = X·Wᵀ + b for a batch X (batch × inputs).

    Its parents are W, X and b, in a weighted sum's order (weights, inputs,
    bias).
    """
    _matrix(X, "a layer's input")
    if not isinstance(W, Value) or type(W.data) is float or W.data.ndim != 2:
        msg = "W must be a ParameterArray holding a units × inputs matrix."
        raise TypeError(msg)
    if not isinstance(b, Value) or b.shape != W.shape[:1]:
        msg = f"b must be a ParameterArray of {W.shape[0]} biases, one per unit."
        raise TypeError(msg)
    return apply(OPS["linear"], (W, X, b))


def column(Z: Value, j: int) -> Value:
    r"""Unit j of a batch × units node: a 1-D batch, one number per sample."""
    _matrix(Z, "column's input")
    units = Z.data.shape[1]
    if isinstance(j, bool) or not isinstance(j, numbers.Integral) or not 0 <= j < units:
        msg = f"j must be a column index in 0..{units - 1}, not {j!r}."
        raise IndexError(msg)
    return apply(OPS["column"], (Z,), j=int(j))


def reshape(x: Value, *shape: int) -> Value:
    r"""The same numbers in another shape, keeping the batch first.

    ``reshape(x, n, -1)`` flattens each sample: an image batch × channels ×
    height × width becomes batch × (channels·height·width).
    """
    if type(x.data) is float:
        msg = "reshape needs a batch (an array), not one number."
        raise TypeError(msg)
    try:
        target = np.empty(x.data.shape).reshape(shape).shape
    except ValueError:
        msg = f"cannot reshape {shape_text(x.shape)} into {shape!r}."
        raise ValueError(msg) from None
    return apply(OPS["reshape"], (x,), shape=target)


def patches(x: Value, kernel: int, stride: int) -> Value:
    r"""Every k×k patch of a batch of images (batch × channels × height × width).

    One row per (sample, output row, output column), one column per number
    in a patch; see :func:`autograd.layer_rules.patches` for the order.
    """
    if type(x.data) is float or x.data.ndim != 4:
        msg = (
            f"patches needs a batch of images, batch × channels × height × width, "
            f"not {x.shape}."
        )
        raise ValueError(msg)
    return apply(OPS["patches"], (x,), kernel=kernel, stride=stride)


def to_channels(z: Value, n: int, rows: int, columns: int) -> Value:
    r"""Rows (sample, position) × filters as images: batch × filters × rows × cols."""
    return apply(OPS["to_channels"], (z,), n=n, rows=rows, columns=columns)


def softmax_cross_entropy(Z: Value, labels: np.ndarray) -> Value:
    r"""The fused loss node: softmax cross-entropy of logits Z, averaged over the batch.

    L = (1/n)·Σᵢ (log Σₖ e^{Zᵢₖ} − Zᵢ,yᵢ);  ∂L/∂Z = (softmax(Z) − one-hot(y)) / n.
    ``labels`` are class indices 0..K−1, one per row (checked by the caller);
    they enter the graph as a constant leaf of one-hot rows.
    """
    _matrix(Z, "cross-entropy's logits")
    n, k = Z.data.shape
    one_hot = np.zeros((n, k))
    one_hot[np.arange(n), labels] = 1.0
    return apply(OPS["cross_entropy"], (Z, Constant(one_hot, "one-hot y")))


def mean_squared_error(outputs: Value, targets: Any) -> Value:
    r"""The fused loss node: the mean of (o − t)² over every number of O.

    ∂L/∂O = 2(O − T)/N for the N numbers of O (n·K for a batch of n with K
    outputs: the mean over the batch of each sample's (1/K)·Σₖ (oₖ − tₖ)²).
    The targets enter the graph as a constant leaf.
    """
    return apply(OPS["mse"], (outputs, Constant(targets, "targets")))


# --- one sample through a layer ----------------------------------------------------


class NeuronSum(Value):
    r"""Neuron j's weighted sum for one sample, zⱼ = Σₖ Wⱼₖ·xₖ + bⱼ: a ``wsum`` node.

    Its parents are the weights of row j of W (their Elements), the inputs,
    and bⱼ, with a weighted sum's local derivatives (∂zⱼ/∂Wⱼₖ = xₖ,
    ∂zⱼ/∂xₖ = Wⱼₖ, ∂zⱼ/∂bⱼ = 1). Its chain rule gives the inputs their
    shares at once, and the weights theirs a layer at a time: the sample's
    dL/dz is collected for the whole layer and added as one outer product,

        dL/dW += dL/dz ⊗ x,    dL/db += dL/dz

    before anything reads W.grad or b.grad (see
    :meth:`~autograd.parameters.ParameterArray.owe`): the same numbers as one
    weight at a time, without a Python step per weight.
    """

    __slots__ = ("layer", "row")

    layer: _OneSample
    row: int

    def chain_rule(self) -> None:
        upstream = self.grad
        layer = self.layer
        layer.dz[self.row] += upstream
        if not layer.owed:
            layer.owe()
        for parent, local in zip(layer.inputs, layer.rows[self.row]):
            parent.grad += local * upstream


class _OneSample:
    """What the neurons of one layer share for one sample, and what they owe."""

    __slots__ = ("W", "b", "dz", "inputs", "owed", "rows", "x")

    def __init__(
        self,
        W: ParameterArray,
        b: ParameterArray,
        inputs: tuple[Value, ...],
        x: np.ndarray,
        rows: list[list[float]],
    ) -> None:
        self.W, self.b, self.inputs, self.x, self.rows = W, b, inputs, x, rows
        self.dz = [0.0] * len(rows)
        self.owed = False

    def owe(self) -> None:
        self.owed = True
        self.W.owe(self)
        self.b.owe(self)

    def settle(self) -> None:
        r"""dL/dW += dL/dz ⊗ x and dL/db += dL/dz, for what was collected."""
        if not self.owed:
            return
        self.owed = False
        dz = np.array(self.dz)
        self.dz = [0.0] * len(dz)
        self.W._grad += np.outer(dz, self.x)
        self.b._grad += dz


_new = object.__new__


def weighted_sums(
    W: ParameterArray, inputs: list[Value], b: ParameterArray
) -> list[Value]:
    r"""A layer on one sample: one weighted sum node per neuron (row of W).

    For inputs that are single numbers, all the sums are computed at once as
    z = W·x + b (one matrix-vector product) and each neuron gets a
    :class:`NeuronSum` node; for batched inputs each neuron is an ordinary
    :func:`~autograd.value.wsum` node.
    """
    xs = tuple([v.data for v in inputs])
    biases = b.elements()
    if not all(type(d) is float for d in xs):
        return [wsum(W.row(j), inputs, biases[j]) for j in range(len(W.data))]
    x = np.array(xs)
    rows = W.data.tolist()
    shared = tuple(inputs)
    layer = _OneSample(W, b, shared, x, rows)
    nodes: list[Value] = []
    for j, zj in enumerate((W.data @ x + b.data).tolist()):
        node = _new(NeuronSum)
        node.data = zj
        node.grad = 0.0
        node.label = ""
        node.op = "wsum"
        node.parents = (*W.row(j), *shared, biases[j])
        node.local_grads = (*xs, *rows[j], 1.0)
        node.layer = layer
        node.row = j
        nodes.append(node)
    return nodes


def each(op: Op, nodes: list[Value]) -> list[Value]:
    r"""``op`` applied to each of these one-number nodes: a node for each.

    The rule runs once, on all their numbers as one array (an elementwise
    rule gives each number the value and local derivative it would give it
    alone), and each node gets its own output node: a layer's activations
    for one sample.
    """
    numbers = [v.data for v in nodes]
    if not all(type(d) is float for d in numbers):
        return [apply(op, (v,)) for v in nodes]
    try:
        out, (local,) = op.rule(np.array(numbers))
    except DomainError:  # one at a time, so the error names the node to blame
        return [apply(op, (v,)) for v in nodes]
    slopes = np.broadcast_to(local, out.shape).tolist()
    result: list[Value] = []
    name = op.name
    for v, data, slope in zip(nodes, out.tolist(), slopes):
        local = _ONE if slope == 1.0 else _ZERO if slope == 0.0 else (slope,)
        result.append(make_node(data, local, name, (v,)))
    return result


_ONE, _ZERO = (1.0,), (0.0,)  # the slopes of ReLU, shared by every node
