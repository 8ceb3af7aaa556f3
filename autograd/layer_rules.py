r"""The rules of layer nodes: a whole layer of a batch at once, on numpy arrays.

Like every rule of the op table (:mod:`autograd.ops`), each takes data and
returns (forward value, local derivatives). A layer's local derivatives are
matrices, or small objects that say how the chain rule multiplies by them
(``local * upstream``): a matrix product, putting a column back, undoing a
reshape, or adding patches back into an image.

>>> import numpy as np
>>> Z, (from_W, from_X, from_b) = linear_rule(np.eye(2), np.ones((3, 2)), np.zeros(2))
>>> Z.shape, from_W, from_X
((3, 2), X (3×2), W (2×2))
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.data import (
    Data,
    DomainError,
    Rule,
    all_finite,
    paired,
    plain,
    same_shape,
    shape_text,
    value_at,
)
from autograd.record import Nodes, Sample

_FLOATS = np.dtype(float)

__all__ = [
    "ColumnLocal",
    "MatrixLocal",
    "PatchesLocal",
    "ReshapeLocal",
    "TransposeLocal",
    "column_per_sample",
    "column_rule",
    "cross_entropy_graph",
    "cross_entropy_per_sample",
    "cross_entropy_rule",
    "linear_per_sample",
    "linear_rule",
    "mse_graph",
    "mse_per_sample",
    "mse_rule",
    "patches_per_sample",
    "patches_rule",
    "reshape_per_sample",
    "reshape_rule",
    "to_channels_per_sample",
    "to_channels_rule",
]


# --- local derivatives of layer nodes ---------------------------------------------


class MatrixLocal:
    r"""A local derivative that is a matrix M: the chain rule's × is a matrix product.

    For a layer ``Z = X·Wᵀ + b`` (X: batch × inputs, W: units × inputs):

    - ∂Z/∂X = W, and dL/dX = dL/dZ · W            (``transpose=False``)
    - ∂Z/∂W = X, and dL/dW = (dL/dZ)ᵀ · X         (``transpose=True``)

    >>> local = MatrixLocal(np.eye(2) * 3.0, transpose=False, name="W")
    >>> (local * np.ones((1, 2))).tolist()
    [[3.0, 3.0]]
    """

    __slots__ = ("matrix", "name", "transpose")

    matrix: np.ndarray
    transpose: bool
    name: str

    def __init__(self, matrix: np.ndarray, transpose: bool, name: str) -> None:
        self.matrix, self.transpose, self.name = matrix, transpose, name

    def __mul__(self, upstream: np.ndarray) -> np.ndarray:
        return (upstream.T if self.transpose else upstream) @ self.matrix

    @property
    def shape(self) -> tuple[int, ...]:
        return self.matrix.shape

    @property
    def rule(self) -> str:
        """How the chain rule multiplies by it: ``(dL/dZ)ᵀ·X`` or ``dL/dZ·W``."""
        return f"(d·)ᵀ·{self.name}" if self.transpose else f"d·{self.name}"

    def __repr__(self) -> str:
        return f"{self.name} ({shape_text(self.shape)})"


class ColumnLocal:
    r"""∂Z[:, j]/∂Z: puts the column's gradient back into column j of Z's shape."""

    __slots__ = ("column", "shape")

    column: int
    shape: tuple[int, ...]

    def __init__(self, column: int, shape: tuple[int, ...]) -> None:
        self.column = column
        self.shape = shape

    def __mul__(self, upstream: Any) -> np.ndarray:
        grad = np.zeros(self.shape)
        grad[:, self.column] = upstream
        return grad

    def __repr__(self) -> str:
        return f"column {self.column} of {shape_text(self.shape)}"


class ReshapeLocal:
    r"""∂(reshaped X)/∂X: the same numbers, so the gradient is only reshaped back."""

    __slots__ = ("shape",)

    shape: tuple[int, ...]

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def __mul__(self, upstream: np.ndarray) -> np.ndarray:
        return np.reshape(upstream, self.shape)

    def __repr__(self) -> str:
        return f"reshape to {shape_text(self.shape)}"


class TransposeLocal:
    r"""∂(X with its axes moved)/∂X: the gradient's axes are moved back."""

    __slots__ = ("original", "shape")

    shape: tuple[int, ...]  # of the grouped rows: (batch, positions, units)
    original: tuple[int, ...]  # of the input: (batch·positions, units)

    def __init__(self, shape: tuple[int, ...], original: tuple[int, ...]) -> None:
        self.shape = shape
        self.original = original

    def __mul__(self, upstream: np.ndarray) -> np.ndarray:
        n, positions, units = self.shape
        moved = upstream.reshape(n, units, positions).transpose(0, 2, 1)
        return moved.reshape(self.original)

    def __repr__(self) -> str:
        return f"move axes back to {shape_text(self.original)}"


class PatchesLocal:
    r"""∂(patches of X)/∂X: every pixel gets back the gradient of each patch it is in.

    A pixel appears in up to k·k patches (fewer at the borders, or with a
    larger stride), so its gradient is the sum of those shares: the chain
    rule adding up over every path, as for any value used more than once.
    """

    __slots__ = ("kernel", "shape", "stride")

    shape: tuple[int, ...]  # the input's: (batch, channels, height, width)
    kernel: int
    stride: int

    def __init__(self, shape: tuple[int, ...], kernel: int, stride: int) -> None:
        self.shape = shape
        self.kernel = kernel
        self.stride = stride

    def __mul__(self, upstream: np.ndarray) -> np.ndarray:
        n, channels, height, width = self.shape
        k, s = self.kernel, self.stride
        rows, columns = (height - k) // s + 1, (width - k) // s + 1
        shares = upstream.reshape(n, rows, columns, channels, k, k)
        grad = np.zeros(self.shape)
        for di in range(k):
            for dj in range(k):
                window = grad[:, :, di : di + s * rows : s, dj : dj + s * columns : s]
                window += shares[:, :, :, :, di, dj].transpose(0, 3, 1, 2)
        return grad

    def __repr__(self) -> str:
        return f"{self.kernel}×{self.kernel} patches of {shape_text(self.shape)}"


# --- layer nodes --------------------------------------------------------------------


def linear_rule(
    W: np.ndarray, X: np.ndarray, b: np.ndarray, copy_weights: bool = True
) -> Rule:
    r"""A layer of neurons at once: Z = X·Wᵀ + b.

    X is batch × inputs, W is units × inputs (row j: neuron j's weights), b
    has one bias per unit; Z is batch × units. The parents come in a
    weighted sum's order (weights, inputs, bias) and the local derivatives
    are the layer's matrices:

        ∂Z/∂W = X   (dL/dW = (dL/dZ)ᵀ·X),   ∂Z/∂X = W   (dL/dX = dL/dZ·W),
        ∂Z/∂b = 1   (dL/db = dL/dZ summed over the batch)

    W is copied (``copy_weights``), so an update of the weights after the
    forward pass cannot change ∂Z/∂X = W, which the backward pass multiplies
    by. When X is given data (a batch of inputs: a Constant), nothing asks
    for dL/dX, and the copy is left out: ∂Z/∂X is then the weights as they
    are.
    """
    if type(X) is not np.ndarray or X.dtype is not _FLOATS:  # .data set by hand
        X = plain(X, 1)
    W, b = plain(W, 0), plain(b, 2)
    if X.ndim != 2 or X.shape[1] != W.shape[1]:
        msg = (
            f"a layer of {W.shape[0]} neurons with {W.shape[1]} inputs each needs "
            f"a batch × {W.shape[1]} matrix, but {{name}} is {shape_text(X.shape)}."
        )
        raise DomainError(ValueError, 1, msg)
    weights = W.copy() if copy_weights else W
    Z = X @ weights.T
    Z += b
    return Z, (
        MatrixLocal(X, transpose=True, name="X"),
        MatrixLocal(weights, transpose=False, name="W"),
        1.0,
    )


def column_rule(Z: np.ndarray, j: int) -> Rule:
    r"""Column j of a batch × units matrix: unit j of every sample;  ∂/∂Z = 1 there."""
    Z = plain(Z)
    return Z[:, j].copy(), (ColumnLocal(j, Z.shape),)


def reshape_rule(x: np.ndarray, shape: tuple[int, ...]) -> Rule:
    r"""The same numbers in another shape (a flattened image);  ∂/∂x = 1, reshaped."""
    x = plain(x)
    return np.reshape(x, shape).copy(), (ReshapeLocal(x.shape),)


def patches_rule(x: np.ndarray, kernel: int, stride: int) -> Rule:
    r"""Every k×k patch of a batch of images, one per row: the input of a convolution.

    x is batch × channels × height × width; row (sample, i, j) of the result
    holds the patch at output position (i, j), channel by channel, then row by
    row: ``x[c, i·s + di, j·s + dj]`` at column ``c·k·k + di·k + dj``. A
    convolution is then one layer node on these rows (each filter a neuron).
    """
    x = plain(x)
    n, channels, height, width = x.shape
    k, s = kernel, stride
    rows, columns = (height - k) // s + 1, (width - k) // s + 1
    out = np.empty((n, rows, columns, channels, k, k))
    for di in range(k):
        for dj in range(k):
            window = x[:, :, di : di + s * rows : s, dj : dj + s * columns : s]
            out[:, :, :, :, di, dj] = window.transpose(0, 2, 3, 1)
    return out.reshape(n * rows * columns, channels * k * k), (
        PatchesLocal(x.shape, kernel, stride),
    )


def to_channels_rule(z: np.ndarray, n: int, rows: int, columns: int) -> Rule:
    r"""Rows (sample, position) × filters as images: batch × filters × rows × cols."""
    z = plain(z)
    units = z.shape[1]
    grouped = z.reshape(n, rows * columns, units).transpose(0, 2, 1)
    out = np.ascontiguousarray(grouped).reshape(n, units, rows, columns)
    return out, (TransposeLocal((n, rows * columns, units), z.shape),)


# --- fused losses -------------------------------------------------------------------


def cross_entropy_rule(Z: np.ndarray, Y: np.ndarray) -> Rule:
    r"""Softmax cross-entropy of batch × classes logits Z against targets Y, averaged.

    Y holds one row per sample (one-hot: 1 at the sample's class, else 0):

        L = −(1/n)·Σᵢ Σₖ Yᵢₖ·log pᵢₖ,   p = softmax(Z) row by row
        ∂L/∂Z = (p − Y) / n,             ∂L/∂Y = −log p / n

    (for rows of Y that sum to 1). The largest logit of each row is
    subtracted first (p does not change), so no exponential can overflow,
    even for logits of ±1000.
    """
    Z, Y = plain(Z, 0), plain(Y, 1)
    if not all_finite(Z):
        where, value = value_at(Z, ~np.isfinite(Z))
        msg = (
            f"cross_entropy got {value} among the logits ({{name}}{where}): the "
            "network's outputs overflowed or hold nan, so training has diverged; "
            "lower the learning rate (or scale the inputs)."
        )
        raise DomainError(FloatingPointError, 0, msg)
    same_shape(Z, Y)
    n = len(Z)
    shifted = Z - np.maximum.reduce(Z, axis=1, keepdims=True)
    exps = np.exp(shifted)
    totals = np.add.reduce(exps, axis=1, keepdims=True)
    log_p = shifted - np.log(totals)
    loss = -float(np.vdot(Y, log_p)) / n
    p = exps
    p /= totals  # softmax(Z), row by row
    p *= np.add.reduce(Y, axis=1, keepdims=True)
    p -= Y
    p /= n
    return loss, (p, log_p * (-1.0 / n))


def mse_rule(outputs: Data, targets: Data) -> Rule:
    r"""Mean squared error over every number: (1/N)·Σ (o − t)²;  ∂/∂o = 2(o − t)/N.

    For a batch × K matrix, N = n·K: the mean over the batch of each
    sample's (1/K)·Σₖ (oₖ − tₖ)². ∂/∂t = −2(o − t)/N.
    """
    outputs, targets = paired(outputs, targets)
    gap = outputs - targets
    if type(gap) is float:
        return gap * gap, (2.0 * gap, -2.0 * gap)
    size = gap.size
    local = gap * (2.0 / size)
    loss = float(np.vdot(gap, gap)) / size  # a huge gap: the loss is inf, and says so
    return loss, (local, -local)


# --- the same, for one sample: how each layer node becomes a sample's nodes --------


def linear_per_sample(s: Sample) -> Any:
    r"""A layer node for one sample: one weighted sum per neuron, zⱼ = Σₖ Wⱼₖ·xₖ + bⱼ.

    The weights are the layer's own elements (the parents' nodes), and every
    number comes from the batch: the sums from Z's row, ∂zⱼ/∂Wⱼₖ = xₖ from
    X's row and ∂zⱼ/∂xₖ = Wⱼₖ from the W the forward pass used.
    """
    weights, inputs, biases = s.parents
    from_X, from_W, _ = s.node.local_grads
    x = tuple(from_X.matrix[s.index].tolist())
    z = s.node.data[s.index].tolist()
    inputs = tuple(inputs)
    out = np.empty(len(z), dtype=object)
    for j, zj in enumerate(z):
        local_grads = (*x, *from_W.matrix[j].tolist(), 1.0)
        parents = (*weights[j], *inputs, biases[j])
        out[j] = s.make(zj, local_grads, "wsum", parents)
    return out


def column_per_sample(s: Sample) -> Any:
    """Unit j of a sample: its node j."""
    return s.parents[0][s.node.op.params["j"]]


def reshape_per_sample(s: Sample) -> Any:
    """The sample's nodes in the new shape (without the batch axis)."""
    return s.parents[0].reshape(s.node.data.shape[1:])


def patches_per_sample(s: Sample) -> Any:
    """Every k×k patch of the sample's image of nodes, one patch per row."""
    image = s.parents[0]  # channels × height × width of nodes
    k, stride = s.node.op.params["kernel"], s.node.op.params["stride"]
    channels, height, width = image.shape
    rows, columns = (height - k) // stride + 1, (width - k) // stride + 1
    out = np.empty((rows * columns, channels * k * k), dtype=object)
    for i in range(rows):
        for j in range(columns):
            patch = image[:, i * stride : i * stride + k, j * stride : j * stride + k]
            out[i * columns + j] = patch.reshape(-1)
    return out


def to_channels_per_sample(s: Sample) -> Any:
    """The sample's positions × filters nodes as filters × rows × columns."""
    _, filters, height, width = s.node.data.shape
    return s.parents[0].T.reshape(filters, height, width)


def cross_entropy_graph(
    logits: Sequence[Any], target: int | Sequence[Any], nodes: Nodes
) -> Any:
    r"""Softmax cross-entropy in scalar ops: log Σₖ e^{zₖ−m} − (z_y − m).

    The graph of one sample's loss (or, with 1-D batches, of each sample's):
    the fused rule's loss (:func:`cross_entropy_rule`) written out node by
    node, to step through. m is the largest logit (per sample), a constant:
    softmax does not change when every logit moves by the same amount, and
    no exponential can overflow. ``target`` is the class y of one sample, or
    for batches the one-hot yₖ as nodes (1 at each sample's class, else 0),
    which pick z_y − m as Σₖ yₖ·(zₖ − m).
    """
    top = functools.reduce(np.maximum, [z.data for z in logits])
    largest = nodes.leaf(top, "max")  # one leaf, shared by every k
    shifted = [z - largest for z in logits]
    log_sum_exp = nodes.vsum([z.exp() for z in shifted]).log()
    if isinstance(target, int):
        return log_sum_exp - shifted[target]
    return log_sum_exp - nodes.wsum(target, shifted)


def cross_entropy_per_sample(s: Sample) -> Any:
    """One sample's cross-entropy, as :func:`cross_entropy_graph` builds it."""
    row = s.row(1)
    if np.count_nonzero(row) == 1 and row.max() == 1.0:  # a class: pick its logit
        return cross_entropy_graph(list(s.parents[0]), int(np.argmax(row)), s)
    one_hot = [s.leaf(t, f"[y={k}]") for k, t in enumerate(row.tolist())]
    return cross_entropy_graph(list(s.parents[0]), one_hot, s)


def mse_graph(outputs: Sequence[Any], targets: Sequence[Any], nodes: Nodes) -> Any:
    r"""Mean squared error in scalar ops: (1/K)·Σₖ (oₖ − tₖ)².

    The fused rule's loss (:func:`mse_rule`) for one sample (or each sample
    of 1-D batches), node by node.
    """
    squares = [(o - t) ** 2 for o, t in zip(outputs, targets)]
    if len(squares) == 1:
        return squares[0]
    return nodes.vsum(squares) * (1.0 / len(squares))


def mse_per_sample(s: Sample) -> Any:
    """One sample's squared error, as :func:`mse_graph` builds it."""
    outputs = s.parents[0]
    outputs = list(outputs.flat) if isinstance(outputs, np.ndarray) else [outputs]
    return mse_graph(outputs, np.ravel(s.row(1)).tolist(), s)
