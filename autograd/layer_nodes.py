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

from typing import Any

import numpy as np

from autograd.data import is_whole_number
from autograd.ops import OPS, shape_text
from autograd.parameters import ParameterArray
from autograd.value import Constant, Value, apply, fresh_constant

__all__ = [
    "column",
    "linear",
    "mean_squared_error",
    "patches",
    "reshape",
    "softmax_cross_entropy",
    "to_channels",
]


def _matrix(x: Value, what: str) -> None:
    if not isinstance(x, Value) or type(x.data) is not np.ndarray or x.data.ndim != 2:
        got = x.shape if isinstance(x, Value) else type(x).__name__
        msg = f"{what} must be a Value holding a batch × units matrix, not {got}."
        raise TypeError(msg)


def linear(W: ParameterArray, X: Value, b: ParameterArray) -> Value:
    r"""The layer node Z = X·Wᵀ + b for a batch X (batch × inputs).

    Its parents are W, X and b, in the roles of the op table's ``linear``.
    """
    _matrix(X, "a layer's input")
    weights = W.data if isinstance(W, Value) else None
    if type(weights) is not np.ndarray or weights.ndim != 2:
        msg = "W must be a ParameterArray holding a units × inputs matrix."
        raise TypeError(msg)
    biases = b.data if isinstance(b, Value) else None
    if type(biases) is not np.ndarray or biases.shape != weights.shape[:1]:
        msg = f"b must be a ParameterArray of {len(weights)} biases, one per unit."
        raise TypeError(msg)
    if X.needs_grad:
        return apply(_LINEAR, (W, X, b))
    return apply(_LINEAR_AS_THEY_ARE, (W, X, b))  # no copy of W: see linear_rule


_LINEAR = OPS["linear"]
_LINEAR_AS_THEY_ARE = _LINEAR.bind(copy_weights=False)


def column(Z: Value, j: int) -> Value:
    r"""Unit j of a batch × units node: a 1-D batch, one number per sample."""
    _matrix(Z, "column's input")
    units = Z.data.shape[1]
    if not (type(j) is int or is_whole_number(j)) or not 0 <= j < units:
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
    return apply(OPS["cross_entropy"], (Z, fresh_constant(one_hot, "one-hot y")))


def mean_squared_error(outputs: Value, targets: Any) -> Value:
    r"""The fused loss node: the mean of (o − t)² over every number of O.

    ∂L/∂O = 2(O − T)/N for the N numbers of O (n·K for a batch of n with K
    outputs: the mean over the batch of each sample's (1/K)·Σₖ (oₖ − tₖ)²).
    The targets enter the graph as a constant leaf.
    """
    if not isinstance(targets, Value):
        targets = Constant(targets, "targets")
    return apply(OPS["mse"], (outputs, targets))
