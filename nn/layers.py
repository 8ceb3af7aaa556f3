r"""Neurons, layers and multi-layer perceptrons, made of ``Value`` nodes.

A neuron computes one weighted sum and passes it through an activation:

    out = φ(Σᵢ wᵢ·xᵢ + b)

The weighted sum is *one* ``wsum`` node of the graph (its local derivatives
are ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1), the activation φ one more node. A layer
is a list of neurons that read the same inputs; an MLP is a list of layers,
each reading the outputs of the one before. The structure is micrograd's:
``MLP.layers``, ``Layer.neurons``, ``Neuron.w`` and ``Neuron.b``.

>>> model = MLP(2, [3, 1], seed=0)
>>> [len(layer.neurons) for layer in model.layers]
[3, 1]
>>> model.layers[0].neurons[2].w[1].label
'layers.0.neurons.2.w.1'
>>> y = model([1.0, -2.0])            # one sample -> one Value (one output)
>>> y.op                               # the last layer is linear: a bare wsum
'wsum'

A 2-D numpy array is a *batch*: row k is sample k. Its columns become batched
input Values, and the same graph computes every sample at once.

>>> import numpy as np
>>> out = model(np.array([[1.0, -2.0], [0.5, 0.5], [0.0, 1.0]]))
>>> out.batch_size, bool(np.isclose(out.data[0], y.data))
(3, True)
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import Value, wsum
from nn.init import Seed, check_scheme, initial_weights, make_rng
from nn.module import Module

__all__ = ["ACTIVATIONS", "MLP", "Layer", "Neuron", "Sequential", "as_inputs"]


def _linear(z: Value) -> Value:
    return z


_ACTIVATE: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "leaky_relu": Value.leaky_relu,
    "linear": _linear,
}

ACTIVATIONS = tuple(_ACTIVATE)


def check_activation(activation: str) -> str:
    """``activation`` itself if it is a known activation, else a ValueError."""
    if activation not in _ACTIVATE:
        msg = (
            f"unknown activation {activation!r}; choose one of "
            f"{', '.join(ACTIVATIONS)}."
        )
        raise ValueError(msg)
    return activation


def check_size(value: Any, what: str) -> int:
    """A positive int (a number of inputs or neurons), else a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        msg = f"{what} must be a positive int, not {type(value).__name__} {value!r}."
        raise TypeError(msg)
    if value < 1:
        msg = f"{what} must be at least 1, not {value}."
        raise ValueError(msg)
    return int(value)


def as_inputs(x: Any, nin: int) -> list[Value]:
    r"""The ``nin`` input Values of one sample or of a batch.

    - a 2-D numpy array of shape (batch, nin): one batched Value per column,
      labelled ``x1``, ``x2``, ...;
    - a sequence (or 1-D array) of numbers and Values: one sample; numbers
      become Values labelled the same way;
    - a single Value: one input.

    >>> [v.label for v in as_inputs([0.5, Value(2.0, "z")], 2)]
    ['x1', 'z']
    >>> as_inputs(np.zeros((5, 3)), 2)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: expected 2 inputs per sample, but the batch has 3 columns ...
    """
    if isinstance(x, np.ndarray) and x.ndim == 2:
        return _batch_inputs(x, nin)
    if isinstance(x, np.ndarray) and x.ndim != 1:
        msg = (
            f"inputs must be one sample or a 2-D batch of shape (batch, {nin}), "
            f"not an array of shape {x.shape}; reshape it, e.g. "
            f"X.reshape(len(X), -1)."
        )
        raise ValueError(msg)
    if isinstance(x, Value):
        x = [x]
    if isinstance(x, str) or not isinstance(x, Sequence | np.ndarray):
        msg = (
            f"inputs must be a sequence of numbers or Values, or a 2-D numpy "
            f"array (a batch), not {type(x).__name__}."
        )
        raise TypeError(msg)
    if len(x) != nin:
        msg = f"expected {nin} inputs, but got {len(x)}."
        raise ValueError(msg)
    inputs = []
    for i, v in enumerate(x):
        if type(v) is Value:
            inputs.append(v)
        elif isinstance(v, numbers.Real) and not isinstance(v, bool):
            inputs.append(Value(float(v), label=f"x{i + 1}"))
        else:
            msg = (
                f"input {i + 1} must be a number or a Value, not "
                f"{type(v).__name__}; flatten images first (nn.Flatten)."
            )
            raise TypeError(msg)
    return inputs


def check_batch(x: np.ndarray, what: str) -> None:
    """A batch must hold at least one ``what`` and only real numbers."""
    if x.shape[0] == 0:
        msg = f"the batch is empty; give at least one {what}."
        raise ValueError(msg)
    if not np.issubdtype(x.dtype, np.number) or np.iscomplexobj(x):
        msg = f"a batch must hold real numbers, not {x.dtype}."
        raise TypeError(msg)


def _batch_inputs(x: np.ndarray, nin: int) -> list[Value]:
    if x.shape[1] != nin:
        msg = (
            f"expected {nin} inputs per sample, but the batch has {x.shape[1]} "
            f"columns (shape {x.shape})."
        )
        raise ValueError(msg)
    check_batch(x, "sample (one row)")
    columns = np.asarray(x, dtype=float).T
    return [Value(column, label=f"x{i + 1}") for i, column in enumerate(columns)]


class Neuron(Module):
    r"""One neuron: ``φ(Σᵢ wᵢ·xᵢ + b)`` as a ``wsum`` node and an activation node.

    ``activation`` is one of ``"relu"``, ``"sigmoid"``, ``"tanh"``,
    ``"leaky_relu"`` (slope 0.01) or ``"linear"`` (no activation). ``init``
    is ``"uniform"`` (U(−1, 1), micrograd's), ``"xavier"`` or ``"he"``; see
    :mod:`nn.init`. ``seed`` makes the starting weights reproducible.

    >>> n = Neuron(2, activation="tanh", seed=1)
    >>> out = n([1.0, 2.0])
    >>> out.op, out.parents[0].op
    ('tanh', 'wsum')
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        seed: Seed = 0,
        init: str = "uniform",
        fan_out: int = 1,
    ) -> None:
        self.nin = check_size(nin, "nin")
        self.activation = check_activation(activation)
        weights, bias = initial_weights(
            check_scheme(init), make_rng(seed), nin, fan_out
        )
        self.w = [Value(w) for w in weights]
        self.b = Value(bias)

    def __call__(self, x: Any) -> Value:
        return self.forward(as_inputs(x, self.nin))

    def forward(self, inputs: Sequence[Value]) -> Value:
        """The neuron on inputs that are already Values (no checks)."""
        return _ACTIVATE[self.activation](wsum(self.w, inputs, self.b))

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    r"""``nout`` neurons that all read the same ``nin`` inputs.

    Calling a layer returns a list of Values, or one Value when the layer has
    one neuron (as in micrograd).

    >>> layer = Layer(3, 2, activation="sigmoid")
    >>> len(layer([1.0, 0.0, -1.0]))
    2
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        seed: Seed = 0,
        init: str = "uniform",
    ) -> None:
        self.nin = check_size(nin, "nin")
        self.nout = check_size(nout, "nout")
        self.activation = check_activation(activation)
        rng = make_rng(seed)
        self.neurons = [
            Neuron(nin, activation, seed=rng, init=init, fan_out=nout)
            for _ in range(nout)
        ]

    def __call__(self, x: Any) -> Value | list[Value]:
        out = self.forward(as_inputs(x, self.nin))
        return out[0] if len(out) == 1 else out

    def forward(self, inputs: Sequence[Value]) -> list[Value]:
        """Every neuron's output, always as a list (no checks)."""
        return [neuron.forward(inputs) for neuron in self.neurons]

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    r"""A multi-layer perceptron: ``MLP(nin, [n₁, n₂, ..., n_L])``.

    Hidden layers use ``activation``; the last layer uses
    ``output_activation`` (linear by default, as in micrograd, so its outputs
    are logits or raw scores). Any layer size works, one neuron included.
    All layers draw their starting weights, one after another, from one
    generator seeded by ``seed``.

    >>> model = MLP(3, [1, 2], seed=0)      # a one-neuron hidden layer is fine
    >>> [round(v.data, 4) for v in model([1.0, 2.0, 3.0])]
    [0.8255, 0.459]
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        *,
        seed: Seed = 0,
        init: str = "uniform",
    ) -> None:
        self.nin = check_size(nin, "nin")
        if isinstance(nouts, numbers.Integral) or not isinstance(nouts, Sequence):
            msg = (
                f"nouts must be a list of layer sizes such as [16, 10], not "
                f"{type(nouts).__name__} {nouts!r}."
            )
            raise TypeError(msg)
        if not nouts:
            msg = "nouts must name at least one layer size, e.g. [16, 10]."
            raise ValueError(msg)
        sizes = [check_size(n, f"layer size {i}") for i, n in enumerate(nouts)]
        self.nout = sizes[-1]
        self.activation = check_activation(activation)
        self.output_activation = check_activation(output_activation)
        rng = make_rng(seed)
        fan_ins = [self.nin, *sizes[:-1]]
        last = len(sizes) - 1
        self.layers = [
            Layer(
                fan_in,
                size,
                output_activation if i == last else activation,
                seed=rng,
                init=init,
            )
            for i, (fan_in, size) in enumerate(zip(fan_ins, sizes))
        ]

    def __call__(self, x: Any) -> Value | list[Value]:
        out = self.forward(as_inputs(x, self.nin))
        return out[0] if len(out) == 1 else out

    def forward(self, inputs: Sequence[Value]) -> list[Value]:
        """The outputs of the last layer, always as a list (no checks)."""
        out = list(inputs)
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def __repr__(self) -> str:
        sizes = [layer.nout for layer in self.layers]
        return (
            f"MLP({self.nin}, {sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )


class Sequential(Module):
    r"""Modules applied one after another: ``Sequential(conv, Flatten(), mlp)``.

    Each module gets what the one before returned. The parameters are named
    ``layers.0....``, ``layers.1....``, like an MLP's.

    >>> from nn.dropout import Dropout
    >>> net = Sequential(Layer(2, 4, seed=0), Dropout(0.5), Layer(4, 1, "linear"))
    >>> net.nin, net.nout
    (2, 1)
    >>> net.eval().layers[1].training
    False
    """

    def __init__(self, *modules: Module) -> None:
        if not modules:
            msg = "Sequential needs at least one module."
            raise ValueError(msg)
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                msg = f"module {i} must be an nn.Module, not {type(module).__name__}."
                raise TypeError(msg)
        self.layers = list(modules)

    @property
    def nin(self) -> int | None:
        """The input width of the first module, if it has one."""
        return getattr(self.layers[0], "nin", None)

    @property
    def nout(self) -> int | None:
        """The output width of the last module, if it has one."""
        return getattr(self.layers[-1], "nout", None)

    def __call__(self, x: Any) -> Any:
        for module in self.layers:
            x = module(x)  # type: ignore[operator]
        return x

    def __repr__(self) -> str:
        inner = ", ".join(repr(module) for module in self.layers)
        return f"Sequential({inner})"
