r"""The rules of layer nodes: a whole layer of a batch at once, on numpy arrays.

Like every rule of the op table (:mod:`autograd.ops`), each takes data and
returns (forward value, local derivatives). A layer's local derivatives are
matrices, or small objects that say how the chain rule multiplies by them
(``local * upstream``): a matrix product, putting a column back, undoing a
reshape, or adding patches back into an image.

>>> import numpy as np
>>> Z, (from_W, from_X, from_b) = linear(np.eye(2), np.ones((3, 2)), np.zeros(2))
>>> Z.shape, from_W, from_X
((3, 2), X (3×2), W (2×2))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.data import (
    Data,
    DomainError,
    Rule,
    is_batch,
    paired,
    plain,
    same_shape,
    shape_text,
    value_at,
)

__all__ = [
    "ColumnLocal",
    "MatrixLocal",
    "PatchesLocal",
    "ReshapeLocal",
    "TransposeLocal",
    "column",
    "cross_entropy",
    "linear",
    "mse",
    "patches",
    "reshape",
    "to_channels",
]


# --- local derivatives of layer nodes ---------------------------------------------


@dataclass(frozen=True, eq=False)
class MatrixLocal:
    r"""A local derivative that is a matrix M: the chain rule's × is a matrix product.

    For a layer ``Z = X·Wᵀ + b`` (X: batch × inputs, W: units × inputs):

    - ∂Z/∂X = W, and dL/dX = dL/dZ · W            (``transpose=False``)
    - ∂Z/∂W = X, and dL/dW = (dL/dZ)ᵀ · X         (``transpose=True``)

    >>> local = MatrixLocal(np.eye(2) * 3.0, transpose=False, name="W")
    >>> (local * np.ones((1, 2))).tolist()
    [[3.0, 3.0]]
    """

    matrix: np.ndarray
    transpose: bool
    name: str

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


@dataclass(frozen=True, eq=False)
class ColumnLocal:
    r"""∂Z[:, j]/∂Z: puts the column's gradient back into column j of Z's shape."""

    column: int
    shape: tuple[int, ...]

    def __mul__(self, upstream: Any) -> np.ndarray:
        grad = np.zeros(self.shape)
        grad[:, self.column] = upstream
        return grad

    def __repr__(self) -> str:
        return f"column {self.column} of {shape_text(self.shape)}"


@dataclass(frozen=True, eq=False)
class ReshapeLocal:
    r"""∂(reshaped X)/∂X: the same numbers, so the gradient is only reshaped back."""

    shape: tuple[int, ...]

    def __mul__(self, upstream: np.ndarray) -> np.ndarray:
        return np.reshape(upstream, self.shape)

    def __repr__(self) -> str:
        return f"reshape to {shape_text(self.shape)}"


@dataclass(frozen=True, eq=False)
class TransposeLocal:
    r"""∂(X with its axes moved)/∂X: the gradient's axes are moved back."""

    shape: tuple[int, ...]  # of the grouped rows: (batch, positions, units)
    original: tuple[int, ...]  # of the input: (batch·positions, units)

    def __mul__(self, upstream: np.ndarray) -> np.ndarray:
        n, positions, units = self.shape
        moved = upstream.reshape(n, units, positions).transpose(0, 2, 1)
        return moved.reshape(self.original)

    def __repr__(self) -> str:
        return f"move axes back to {shape_text(self.original)}"


@dataclass(frozen=True, eq=False)
class PatchesLocal:
    r"""∂(patches of X)/∂X: every pixel gets back the gradient of each patch it is in.

    A pixel appears in up to k·k patches (fewer at the borders, or with a
    larger stride), so its gradient is the sum of those shares: the chain
    rule adding up over every path, as for any value used more than once.
    """

    shape: tuple[int, ...]  # the input's: (batch, channels, height, width)
    kernel: int
    stride: int

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


def linear(W: np.ndarray, X: np.ndarray, b: np.ndarray) -> Rule:
    r"""A layer of neurons at once: Z = X·Wᵀ + b.

    X is batch × inputs, W is units × inputs (row j: neuron j's weights), b
    has one bias per unit; Z is batch × units. The parents come in a
    weighted sum's order (weights, inputs, bias) and the local derivatives
    are the layer's matrices:

        ∂Z/∂W = X   (dL/dW = (dL/dZ)ᵀ·X),   ∂Z/∂X = W   (dL/dX = dL/dZ·W),
        ∂Z/∂b = 1   (dL/db = dL/dZ summed over the batch)

    W is copied, so an update of the weights after the forward pass cannot
    change the derivative this node remembers.
    """
    W, X, b = plain(W, 0), plain(X, 1), plain(b, 2)  # .data set by hand: checked
    if X.ndim != 2 or X.shape[1] != W.shape[1]:
        msg = (
            f"a layer of {W.shape[0]} neurons with {W.shape[1]} inputs each needs "
            f"a batch × {W.shape[1]} matrix, but {{name}} is {shape_text(X.shape)}."
        )
        raise DomainError(ValueError, 1, msg)
    weights = W.copy()
    return X @ weights.T + b, (
        MatrixLocal(X, transpose=True, name="X"),
        MatrixLocal(weights, transpose=False, name="W"),
        1.0,
    )


def column(Z: np.ndarray, j: int) -> Rule:
    r"""Column j of a batch × units matrix: unit j of every sample;  ∂/∂Z = 1 there."""
    Z = plain(Z)
    return Z[:, j].copy(), (ColumnLocal(j, Z.shape),)


def reshape(x: np.ndarray, shape: tuple[int, ...]) -> Rule:
    r"""The same numbers in another shape (a flattened image);  ∂/∂x = 1, reshaped."""
    x = plain(x)
    return np.reshape(x, shape).copy(), (ReshapeLocal(x.shape),)


def patches(x: np.ndarray, kernel: int, stride: int) -> Rule:
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


def to_channels(z: np.ndarray, n: int, rows: int, columns: int) -> Rule:
    r"""Rows (sample, position) × filters as images: batch × filters × rows × cols."""
    z = plain(z)
    units = z.shape[1]
    grouped = z.reshape(n, rows * columns, units).transpose(0, 2, 1)
    out = np.ascontiguousarray(grouped).reshape(n, units, rows, columns)
    return out, (TransposeLocal((n, rows * columns, units), z.shape),)


# --- fused losses -------------------------------------------------------------------


def cross_entropy(Z: np.ndarray, Y: np.ndarray) -> Rule:
    r"""Softmax cross-entropy of batch × classes logits Z against targets Y, averaged.

    Y holds one row per sample (one-hot: 1 at the sample's class, else 0):

        L = −(1/n)·Σᵢ Σₖ Yᵢₖ·log pᵢₖ,   p = softmax(Z) row by row
        ∂L/∂Z = (p − Y) / n,             ∂L/∂Y = −log p / n

    (for rows of Y that sum to 1). The largest logit of each row is
    subtracted first (p does not change), so no exponential can overflow,
    even for logits of ±1000.
    """
    Z, Y = plain(Z, 0), plain(Y, 1)
    if not np.isfinite(Z).all():
        where, value = value_at(Z, ~np.isfinite(Z))
        msg = (
            f"cross_entropy got {value} among the logits ({{name}}{where}): the "
            "network's outputs overflowed or hold nan, so training has diverged; "
            "lower the learning rate (or scale the inputs)."
        )
        raise DomainError(FloatingPointError, 0, msg)
    same_shape(Z, Y)
    n = len(Z)
    shifted = Z - Z.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    totals = exps.sum(axis=1, keepdims=True)
    log_p = shifted - np.log(totals)
    loss = float(-np.sum(Y * log_p)) / n
    p = exps / totals
    return loss, ((p * Y.sum(axis=1, keepdims=True) - Y) / n, -log_p / n)


def mse(outputs: Data, targets: Data) -> Rule:
    r"""Mean squared error over every number: (1/N)·Σ (o − t)²;  ∂/∂o = 2(o − t)/N.

    For a batch × K matrix, N = n·K: the mean over the batch of each
    sample's (1/K)·Σₖ (oₖ − tₖ)². ∂/∂t = −2(o − t)/N.
    """
    outputs, targets = paired(outputs, targets)
    gap = outputs - targets
    size = gap.size if is_batch(gap) else 1
    local = gap * (2.0 / size)
    with np.errstate(over="ignore"):  # a huge gap: the loss is inf, and says so
        loss = float(np.sum(gap * gap)) / size
    return loss, (local, -local)
