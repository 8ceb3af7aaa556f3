r"""Convolution built from weighted sums that share their weights.

A 2-D convolution slides a small filter over an image. A filter is just a
neuron that looks at one k×k patch (in every input channel) at a time:

    out[f][i][j] = φ(Σ_c Σ_di Σ_dj w[f][c,di,dj] · x[c][i·s+di][j·s+dj] + b[f])

For one image, each output pixel is one ``wsum`` node, and every node of
filter f uses *the same* weight Values ``filters[f].w``: weight sharing is
visible in the graph, and in the backward pass a shared weight collects
gradient from every position it was used at (the chain rule adds up over all
paths). The filters' weights live in one matrix ``conv.W`` (filter f is row
f), so for a batch the whole convolution is three nodes: the patches of
every image (one row per sample and position), one layer node
Z = patches·Wᵀ + b (each filter a neuron), and the rows regrouped as images.

The weights of a filter are ordered channel by channel, then row by row:
``filters[f].w[c·k·k + di·k + dj]`` multiplies ``x[c][i·s + di][j·s + dj]``.

Images are lists of channels, each a grid (a list of rows) of Values or
numbers, and a convolution returns the same kind of nested lists,
``out[filter][row][column]``; :class:`Flatten` turns them into the flat list
of Values an MLP reads. For a batch, pass a numpy array of shape (batch,
height, width) (one channel) or (batch, channels, height, width): the
result is one Value of shape (batch, filters, rows, columns), which
:class:`Flatten` turns into batch × features.

>>> import numpy as np
>>> conv = Conv2d(1, 2, kernel_size=2, stride=1, seed=0)
>>> image = np.arange(9.0).reshape(3, 3).tolist()   # one 3×3 image
>>> out = conv(image)
>>> len(out), len(out[0]), len(out[0][0])           # 2 filters, 2×2 positions
(2, 2, 2)
>>> w = conv.filters[0].w[0]                       # one weight of filter 0 ...
>>> sum(w in node.parents[0].parents for row in out[0] for node in row)
4
>>> len(Flatten()(out))
8
>>> batch = conv(np.arange(18.0).reshape(2, 3, 3))  # a batch of two images
>>> batch.shape, Flatten()(batch).shape
((2, 2, 2, 2), (2, 8))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, overload

import numpy as np

from autograd import (
    Constant,
    ParameterArray,
    Value,
    linear,
    patches,
    reshape,
    to_channels,
)
from autograd.data import is_number
from nn.init import Seed, check_scheme, initial_layer
from nn.layers import (
    Neuron,
    activate,
    check_activation,
    check_batch,
    check_size,
    name_layer,
)
from nn.module import Module

__all__ = ["Conv2d", "Flatten", "as_image", "batch_images"]

Image = list[list[list[Value]]]  # image[channel][row][column]


class Conv2d(Module):
    r"""A convolution layer: ``out_channels`` filters of size k×k over ``in_channels``.

    ``kernel_size`` is k, ``stride`` the step between positions. With an
    input of height H the output has ⌊(H − k)/s⌋ + 1 rows (no padding); the
    same for the width. Each filter is a :class:`~nn.layers.Neuron` with
    ``in_channels·k·k`` inputs and the given ``activation`` (ReLU by default).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        activation: str = "relu",
        *,
        seed: Seed = None,
        init: str = "uniform",
    ) -> None:
        self.in_channels = check_size(in_channels, "in_channels")
        self.out_channels = check_size(out_channels, "out_channels")
        self.kernel_size = check_size(kernel_size, "kernel_size")
        self.stride = check_size(stride, "stride")
        self.activation = check_activation(activation)
        k = self.kernel_size
        W, b = initial_layer(
            check_scheme(init),
            seed,
            in_channels * k * k,
            out_channels,
            out_channels * k * k,
        )
        self.W = ParameterArray(W)
        self.b = ParameterArray(b)
        self.filters = [
            Neuron.row_of(self.W, self.b, f, self.activation)
            for f in range(out_channels)
        ]

    def output_size(self, height: int, width: int) -> tuple[int, int]:
        """The (rows, columns) of the output for an input of this size."""
        k, s = self.kernel_size, self.stride
        if height < k or width < k:
            msg = (
                f"the input is {height}×{width}, smaller than the {k}×{k} kernel; "
                "use a smaller kernel_size."
            )
            raise ValueError(msg)
        return (height - k) // s + 1, (width - k) // s + 1

    @overload
    def __call__(self, x: np.ndarray) -> Value: ...
    @overload
    def __call__(self, x: Any) -> Any: ...
    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    def forward(self, x: Any) -> Any:
        """One Value (batch × filters × rows × columns) for a batch, else lists."""
        if isinstance(x, np.ndarray) or (isinstance(x, Value) and x.shape):
            return self._batch(x)
        image = as_image(x, self.in_channels)
        rows, columns = self.output_size(len(image[0]), len(image[0][0]))
        k, s = self.kernel_size, self.stride
        out: Image = [[[] for _ in range(rows)] for _ in self.filters]
        for i in range(rows):
            for j in range(columns):
                patch = [
                    channel[i * s + di][j * s + dj]
                    for channel in image
                    for di in range(k)
                    for dj in range(k)
                ]
                for f, flt in enumerate(self.filters):
                    out[f][i].append(flt.propagate(patch))
        return out

    def _batch(self, x: np.ndarray | Value) -> Value:
        r"""A batch of images: patches, one layer node for all filters, as images."""
        images = x if isinstance(x, Value) else batch_images(x, self.in_channels)
        n, channels, height, width = images.shape
        if channels != self.in_channels:
            msg = (
                f"expected {self.in_channels} input channels, but the batch has "
                f"{channels} (shape {images.shape})."
            )
            raise ValueError(msg)
        rows, columns = self.output_size(height, width)
        rows_of_patches = patches(images, self.kernel_size, self.stride)
        z = linear(self.W, rows_of_patches, self.b)
        return activate(to_channels(z, n, rows, columns), self.activation)

    def zero_grad(self) -> None:
        self.W.grad[...] = 0.0
        self.b.grad[...] = 0.0

    def name_layers(self, path: str, number: int | None) -> None:
        """Named as a layer: filter j's weight k is ``w²ⱼₖ``, its bias ``b²ⱼ``."""
        name_layer(self.W, self.b, path, number)

    def __repr__(self) -> str:
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, "
            f"kernel_size={self.kernel_size}, stride={self.stride}, "
            f"activation={self.activation!r})"
        )


class Flatten(Module):
    r"""Nested lists of Values (channels of rows) -> one flat list.

    The order is channel by channel, row by row: ``out[c·H·W + i·W + j]`` is
    ``x[c][i][j]``. A numpy batch of shape (batch, ...) becomes (batch, -1).
    """

    @overload
    def __call__(self, x: Value) -> Value: ...
    @overload
    def __call__(self, x: np.ndarray) -> np.ndarray: ...
    @overload
    def __call__(self, x: Any) -> Any: ...
    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    def forward(self, x: Any) -> Any:
        """The same samples, one row (or one list) each."""
        if isinstance(x, np.ndarray):
            return x.reshape(len(x), -1) if x.ndim > 1 else x
        if isinstance(x, Value) and len(x.shape) > 2:
            return reshape(x, x.shape[0], -1)
        if isinstance(x, Value):
            return x
        flat: list[Value] = []
        _flatten_into(x, flat)
        return flat

    def __repr__(self) -> str:
        return "Flatten()"


def _flatten_into(x: Any, flat: list[Value]) -> None:
    if isinstance(x, Value):
        flat.append(x)
    elif isinstance(x, list | tuple):
        for part in x:
            _flatten_into(part, flat)
    else:
        msg = f"Flatten takes nested lists of Values, not {type(x).__name__}."
        raise TypeError(msg)


def as_image(x: Any, channels: int) -> Image:
    r"""An image as ``image[channel][row][column]`` of Values; see the module doc.

    >>> image = as_image([[1.0, 2.0], [3.0, 4.0]], channels=1)   # one grid
    >>> image[0][1][0].label, image[0][1][0].data
    ('x[0,1,0]', 3.0)
    """
    if not _is_sequence(x) or not x:
        msg = (
            "an image must be a list of channels, each a list of rows, or a numpy "
            f"batch of shape (batch, height, width); got {type(x).__name__}."
        )
        raise TypeError(msg)
    grids = x if _is_sequence(x[0]) and x[0] and _is_sequence(x[0][0]) else [x]
    if not all(_is_sequence(grid) and grid and _is_sequence(grid[0]) for grid in grids):
        side = math.isqrt(len(x))
        shape = f"({side}, {side})" if side * side == len(x) else "(height, width)"
        msg = (
            f"an image must be a grid: a list of rows (or a list of channels, each "
            f"a list of rows), not a flat list of {len(x)} numbers; reshape it "
            f"first, e.g. np.reshape(pixels, {shape}).tolist()."
        )
        raise TypeError(msg)
    if len(grids) != channels:
        msg = f"expected {channels} input channels, but the image has {len(grids)}."
        raise ValueError(msg)
    height = len(grids[0])
    width = len(grids[0][0]) if height else 0
    image: Image = []
    for c, grid in enumerate(grids):
        if len(grid) != height or any(
            not _is_sequence(row) or len(row) != width for row in grid
        ):
            msg = (
                f"every channel must be a {height}×{width} grid (a list of rows "
                f"of equal length); channel {c} is not."
            )
            raise ValueError(msg)
        image.append(
            [
                [_pixel(v, c, i, j) for j, v in enumerate(row)]
                for i, row in enumerate(grid)
            ]
        )
    return image


def _is_sequence(x: Any) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, str)


def _pixel(v: Any, c: int, i: int, j: int) -> Value:
    if isinstance(v, Value):  # any node: a leaf, a constant, an op's result
        return v
    if is_number(v):
        return Value(float(v), label=f"x[{c},{i},{j}]")
    msg = f"pixel [{c},{i},{j}] must be a number or a Value, not {type(v).__name__}."
    raise TypeError(msg)


def batch_images(x: np.ndarray, channels: int) -> Value:
    r"""A numpy batch of images as one leaf Value: batch × channels × height × width.

    A batch of shape (batch, height, width) is one channel.
    """
    if x.ndim == 3 and channels == 1:
        x = x[:, None, :, :]
    if x.ndim != 4:
        msg = (
            "a batch of images must be a numpy array of shape (batch, height, "
            "width) for one channel or (batch, channels, height, width), not "
            f"{x.shape}; reshape flat rows, e.g. X.reshape(-1, 8, 8)."
        )
        raise ValueError(msg)
    if x.shape[1] != channels:
        msg = (
            f"expected {channels} input channels, but the batch has {x.shape[1]} "
            f"(shape {x.shape})."
        )
        raise ValueError(msg)
    check_batch(x, "image")
    return Constant(x, label="x")
