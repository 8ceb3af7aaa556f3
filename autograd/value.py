r"""The node of the graph: :class:`Value`.

A ``Value`` holds a number (or a batch of numbers), the gradient of the final
output with respect to it, and how it was made: the op, its parents, and the
local derivative ∂self/∂parent for each parent, computed in the forward pass.

>>> a = Value(2.0, label="a")
>>> b = Value(-3.0, label="b")
>>> c = a * b + a
>>> c.backward()
>>> a.grad, b.grad        # ∂(ab + a)/∂a = b + 1,  ∂(ab + a)/∂b = a
(-2.0, 2.0)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd import graph, ops
from autograd.ops import Data, is_batch

__all__ = ["Value", "as_value", "vsum", "wsum"]


class Value:
    r"""One node of a computation graph.

    ``data`` is a float, or a 1-D numpy array of floats: a *batch*, in which
    the same graph computes every sample at once. ``grad`` has the shape of
    ``data`` and starts at 0. ``op`` names the op that made the node (``""``
    for a leaf), ``parents`` are its inputs in order, and ``local_grads`` holds
    ∂self/∂parent for each parent.

    >>> x = Value(np.array([1.0, 2.0, 3.0]), label="x")
    >>> (x * x).sum().backward()     # d/dx Σ x² = 2x
    >>> x.grad
    array([2., 4., 6.])
    """

    __slots__ = ("data", "grad", "label", "local_grads", "op", "parents")

    # numpy must hand arithmetic with arrays back to Value, not loop over it.
    __array_ufunc__ = None

    data: Data
    grad: Data
    label: str
    op: str
    parents: tuple[Value, ...]
    local_grads: tuple[Any, ...]

    def __init__(self, data: Any, label: str = "") -> None:
        self.data = _to_data(data)
        self.grad = 0.0 if type(self.data) is float else np.zeros(self.data.shape)
        if not isinstance(label, str):
            msg = f"label must be a string, not {type(label).__name__}."
            raise TypeError(msg)
        self.label = label
        self.op = ""
        self.parents = ()
        self.local_grads = ()

    # --- reading a node -----------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"Value(label={self.label!r}, data={_show(self.data)}, "
            f"grad={_show(self.grad)}, op={self.op!r})"
        )

    @property
    def is_leaf(self) -> bool:
        """True for a node that no op made: an input, a weight or a constant."""
        return not self.parents

    @property
    def batch_size(self) -> int | None:
        """The number of samples in a batched node, ``None`` for one number."""
        return len(self.data) if is_batch(self.data) else None

    # --- the arithmetic ops -------------------------------------------------------

    def __add__(self, other: Any) -> Value:
        other = other if type(other) is Value else as_value(other)
        return _node(*ops.add(self, other), "add", (self, other))

    def __mul__(self, other: Any) -> Value:
        other = other if type(other) is Value else as_value(other)
        return _node(*ops.mul(self, other), "mul", (self, other))

    def __neg__(self) -> Value:
        return _node(*ops.neg(self), "neg", (self,))

    def __sub__(self, other: Any) -> Value:
        r"""a − b, built as a + (−b) (or a + (−n) when b is a plain number n)."""
        if type(other) is not Value:
            return self + (-_to_data(other, what="a number to subtract"))
        return self + (-other)

    def __truediv__(self, other: Any) -> Value:
        r"""a / b, built as a · b⁻¹ (or a · (1/b) when b is a plain number)."""
        if type(other) is not Value:
            divisor = _to_data(other, what="a divisor")
            _check_nonzero(divisor, "the divisor")
            return self * as_value(1.0 / divisor)
        _check_nonzero(other.data, ops.name_of(other))
        return self * other**-1

    def __pow__(self, exponent: Any) -> Value:
        r"""a ** n for a number n, or a ** b for a Value b (positive base only)."""
        if type(exponent) is Value:
            return _node(*ops.pow_value(self, exponent), "powv", (self, exponent))
        if isinstance(exponent, numbers.Real) and not isinstance(exponent, bool):
            n = float(exponent)
            return _node(*ops.pow_number(self, n), f"**{n:g}", (self,))
        msg = (
            f"the exponent must be a number or a Value, not {type(exponent).__name__}."
        )
        raise TypeError(msg)

    def __radd__(self, other: Any) -> Value:
        return as_value(other) + self

    def __rsub__(self, other: Any) -> Value:
        return as_value(other) - self

    def __rmul__(self, other: Any) -> Value:
        return as_value(other) * self

    def __rtruediv__(self, other: Any) -> Value:
        return as_value(other) / self

    def __rpow__(self, base: Any) -> Value:
        return as_value(base) ** self

    # --- the functions ------------------------------------------------------------

    def exp(self) -> Value:
        r"""eˣ;  d/dx eˣ = eˣ."""
        return _node(*ops.exp(self), "exp", (self,))

    def log(self) -> Value:
        r"""ln x (x > 0);  d/dx ln x = 1/x."""
        return _node(*ops.log(self), "log", (self,))

    def tanh(self) -> Value:
        r"""tanh x;  d/dx tanh x = 1 − tanh²x."""
        return _node(*ops.tanh(self), "tanh", (self,))

    def sigmoid(self) -> Value:
        r"""σ(x) = 1/(1 + e⁻ˣ);  d/dx σ(x) = σ(x)(1 − σ(x))."""
        return _node(*ops.sigmoid(self), "sigmoid", (self,))

    def relu(self) -> Value:
        r"""max(0, x);  d/dx = 1 if x > 0 else 0."""
        return _node(*ops.relu(self), "relu", (self,))

    def leaky_relu(self, slope: float = 0.01) -> Value:
        r"""x if x > 0 else slope·x;  d/dx = 1 if x > 0 else slope."""
        return _node(*ops.leaky_relu(self, float(slope)), "leaky_relu", (self,))

    def sum(self) -> Value:
        r"""Σᵢ xᵢ over a batch: a scalar node;  ∂/∂xᵢ = 1."""
        return _node(*ops.batch_sum(self), "sum", (self,))

    def mean(self) -> Value:
        r"""(1/n)·Σᵢ xᵢ over a batch of n: a scalar node;  ∂/∂xᵢ = 1/n."""
        return _node(*ops.batch_mean(self), "mean", (self,))

    # --- the backward pass --------------------------------------------------------

    def backward(self) -> None:
        r"""Fill in ``grad`` of every node in the graph by the chain rule.

        Seeds this node's grad with 1 (every element, for a batch: the
        derivative of the sum over the batch), then walks the graph in reverse
        topological order doing ``parent.grad += local_grad × node.grad``.
        Intermediate nodes are reset first, so calling ``backward()`` twice
        leaves every leaf with exactly twice its gradient.
        """
        graph.backward(self)

    def zero_grad(self) -> None:
        """Set the grad of every node in this graph to 0."""
        graph.zero_grad(self)


def _node(data: Data, local_grads: tuple[Any, ...], op: str, parents: tuple) -> Value:
    """Make an op's output node. The op has already checked its inputs."""
    node = object.__new__(Value)
    node.data = data
    node.grad = 0.0 if type(data) is float else np.zeros(data.shape)
    node.label = ""
    node.op = op
    node.parents = parents
    node.local_grads = local_grads
    return node


_ACCEPTED = "a number (int or float) or a 1-D numpy array of floats (a batch)"


def _to_data(data: Any, what: str = "a Value's data") -> Data:
    """Check and convert what a user gave as data: a float or a 1-D float array."""
    kind = type(data)
    if kind is float or kind is int:
        return float(data)
    if isinstance(data, bool) or data is None or isinstance(data, str | bytes):
        msg = f"{what} must be {_ACCEPTED}, not {type(data).__name__} {data!r}."
        raise TypeError(msg)
    if isinstance(data, numbers.Real):
        return float(data)
    if isinstance(data, np.ndarray):
        if data.ndim == 0:
            return _to_data(data.item(), what)
        if data.ndim != 1:
            msg = (
                f"{what} must be {_ACCEPTED}, but this array has shape "
                f"{data.shape}; pass one column of the batch at a time."
            )
            raise TypeError(msg)
        if not np.issubdtype(data.dtype, np.number) or np.iscomplexobj(data):
            msg = f"{what} must be {_ACCEPTED}, not an array of {data.dtype}."
            raise TypeError(msg)
        if len(data) == 0:
            msg = f"{what} is an empty batch; a batch needs at least one sample."
            raise ValueError(msg)
        batch = np.array(data, dtype=float)
        batch.flags.writeable = False  # the graph relies on data never changing
        return batch
    msg = f"{what} must be {_ACCEPTED}, not {type(data).__name__}."
    if isinstance(data, list | tuple):
        msg += " Wrap a batch in numpy.array(...)."
    raise TypeError(msg)


def _check_nonzero(data: Data, name: str) -> None:
    if is_batch(data):
        zeros = data == 0
        if zeros.any():
            i = int(np.flatnonzero(zeros)[0])
            msg = f"division by zero: {name}[{i}] is 0."
            raise ZeroDivisionError(msg)
    elif data == 0:
        msg = f"division by zero: {name} is 0."
        raise ZeroDivisionError(msg)


def _show(data: Data) -> str:
    if is_batch(data):
        return np.array2string(data, precision=4, threshold=6, separator=", ")
    return f"{data:.4g}"


def as_value(x: Any) -> Value:
    """``x`` itself if it is a Value, else a new leaf Value holding it."""
    return x if type(x) is Value else Value(x)


def _as_values(items: Iterable[Any]) -> tuple[Value, ...]:
    """A tuple of Values: Values kept as they are, numbers made into leaves."""
    values = tuple(items)
    if set(map(type, values)) <= {Value}:
        return values
    return tuple(map(as_value, values))


def vsum(values: Iterable[Any]) -> Value:
    r"""x₁ + x₂ + ... + xₙ as a single node;  ∂/∂xᵢ = 1 for every i.

    >>> total = vsum([Value(1.0), Value(2.0), 3.0])
    >>> total.data, total.local_grads
    (6.0, (1.0, 1.0, 1.0))
    """
    parents = _as_values(values)
    if not parents:
        msg = "vsum needs at least one value to add up."
        raise ValueError(msg)
    return _node(*ops.vsum(parents), "vsum", parents)


def wsum(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    r"""The weighted sum Σᵢ wᵢ·xᵢ + b as a single node.

    Its local derivatives are ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ and ∂/∂b = 1. The parents
    are the weights, then the inputs, then the bias (if given).

    >>> w = [Value(0.5, "w1"), Value(-1.0, "w2")]
    >>> z = wsum(w, [2.0, 3.0], bias=Value(1.0, "b"))
    >>> z.data                           # 0.5·2 − 1·3 + 1
    -1.0
    >>> z.backward(); [wi.grad for wi in w]
    [2.0, 3.0]
    """
    w = _as_values(weights)
    x = _as_values(inputs)
    if len(w) != len(x):
        msg = (
            f"wsum needs one weight per input, but got {len(w)} weights and "
            f"{len(x)} inputs."
        )
        raise ValueError(msg)
    if not w:
        msg = "wsum needs at least one weight and one input."
        raise ValueError(msg)
    b = None if bias is None else as_value(bias)
    parents = (*w, *x) if b is None else (*w, *x, b)
    return _node(*ops.wsum(w, x, b), "wsum", parents)
