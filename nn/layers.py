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
>>> model.layers[0].neurons[2].w[1].label     # layer 2 (1 is the inputs): w²ⱼₖ
'w²₃₂'
>>> y = model([1.0, -2.0])            # one sample -> one Value (one output)
>>> y.op                               # no activation on the last layer: a bare wsum
'wsum'

A 2-D numpy array is a *batch*: row k is sample k. A batch goes through each
layer as one *layer node*, Z = X·Wᵀ + b, instead of one node per neuron: the
weights of a layer live in one matrix ``layer.W`` (row j: neuron j's weights)
and its biases in ``layer.b``, and ``neuron.w[k]`` reads and writes its place
in that matrix, so both ways of running the model see the same numbers.

>>> import numpy as np
>>> out = model(np.array([[1.0, -2.0], [0.5, 0.5], [0.0, 1.0]]))
>>> out.batch_size, bool(np.isclose(out.data[0], y.data))
(3, True)
>>> layer = model.layers[0]
>>> layer.W.shape, layer.neurons[2].w[1].data == float(layer.W.data[2, 1])
((3, 2), True)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np

from autograd import (
    OPS,
    Constant,
    Element,
    LayerSample,
    ParameterArray,
    Row,
    Value,
    apply,
    column,
    linear,
    reshape,
    wsum,
)
from autograd.data import is_number, is_whole_number
from autograd.names import ArrayNames, LayerNames, input_names
from autograd.value import make_node
from nn.init import Seed, check_scheme, initial_layer, network_stream
from nn.module import Module

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "Layer",
    "Neuron",
    "Neurons",
    "Sequential",
    "activate",
    "as_inputs",
    "name_layer",
]

#: No activation: the neuron hands on its weighted sum z itself.
IDENTITY = "identity"


class _Activations(Sequence[str]):
    r"""The activations a neuron can have: every ``kind="activation"`` op of
    the op table, read when asked (an op added to the table is one at once),
    and ``"identity"`` (none)."""

    def _names(self) -> tuple[str, ...]:
        table = (name for name, op in OPS.items() if op.kind == "activation")
        return (*table, IDENTITY)

    def __getitem__(self, index: Any) -> Any:
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __repr__(self) -> str:
        return repr(self._names())


#: The activations a neuron can have (``"linear"`` is accepted for "identity").
ACTIVATIONS: Sequence[str] = _Activations()


def check_activation(activation: str, nonlin: bool | None = None) -> str:
    r"""The name of a known activation, else a ValueError.

    ``"linear"`` (no activation, as many books call it) is taken as
    ``"identity"``. ``nonlin`` is micrograd's keyword: True means ReLU,
    False none.

    >>> check_activation("linear"), check_activation("tanh", nonlin=True)
    ('identity', 'relu')
    """
    if nonlin is not None:
        if not isinstance(nonlin, bool):
            msg = f"nonlin must be True (ReLU) or False (identity), not {nonlin!r}."
            raise TypeError(msg)
        return "relu" if nonlin else IDENTITY
    if activation == "linear":
        return IDENTITY
    if activation not in ACTIVATIONS:
        msg = (
            f"unknown activation {activation!r}; choose one of "
            f"{', '.join(ACTIVATIONS)}."
        )
        raise ValueError(msg)
    return activation


def activate(z: Value, activation: str) -> Value:
    """The activation's node on ``z`` (``z`` itself for ``"identity"``)."""
    return z if activation == IDENTITY else apply(OPS[activation], (z,))


def check_size(value: Any, what: str) -> int:
    """A positive int (a number of inputs or neurons), else a clear error."""
    if not is_whole_number(value):
        msg = f"{what} must be a positive int, not {type(value).__name__} {value!r}."
        raise TypeError(msg)
    if value < 1:
        msg = f"{what} must be at least 1, not {value}."
        raise ValueError(msg)
    return int(value)


Inputs = Value | list[Value]  # a batch (one matrix Value) or one sample's Values
_FLOAT = frozenset({float})


def as_inputs(x: Any, nin: int) -> Inputs:
    r"""The inputs of one sample, or of a batch.

    - a 2-D numpy array of shape (batch, nin): one leaf holding the matrix,
      labelled ``x`` (a batch goes through layer nodes); a
      :class:`~autograd.Constant`, as given data is: pass a Value holding
      the matrix to get dL/dx;
    - a Value holding a batch × nin matrix (a layer's output): itself;
    - a sequence (or 1-D array) of numbers and Values: one sample; numbers
      become Values labelled ``x₁``, ``x₂``, ...;
    - a single Value: one input.

    >>> [v.label for v in as_inputs([0.5, Value(2.0, "z")], 2)]
    ['x₁', 'z']
    >>> as_inputs(np.zeros((5, 2)), 2).shape
    (5, 2)
    >>> as_inputs(np.zeros((5, 3)), 2)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: expected 2 inputs per sample, but the batch has 3 columns ...
    """
    kind = type(x)
    if kind is not list and kind is not tuple:  # a list of numbers: the usual sample
        x = _not_a_list(x, nin)
        if isinstance(x, Value):
            return x
    if len(x) != nin:
        msg = f"expected {nin} inputs, but got {len(x)}."
        raise ValueError(msg)
    inputs = []
    for i, (v, name) in enumerate(zip(x, input_names(nin))):
        if type(v) is float:  # the usual input: a leaf made the quick way
            leaf = make_node(v, (), "", (), Value)
            leaf.label = name
            inputs.append(leaf)
        elif isinstance(v, Value):
            inputs.append(v)
        elif is_number(v):
            inputs.append(Value(float(v), label=name))
        else:
            msg = (
                f"input {i + 1} must be a number or a Value, not "
                f"{type(v).__name__}; flatten images first (nn.Flatten)."
            )
            raise TypeError(msg)
    return inputs


def _not_a_list(x: Any, nin: int) -> Any:
    """A batch (as one Value), or one sample given otherwise than as a list."""
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
        if x.shape[1:] == (nin,):
            return x
        if len(x.shape) == 1 and nin == 1:  # one batched input: a column
            return reshape(x, len(x.data), 1)
        if len(x.shape) >= 2:
            msg = f"expected a batch × {nin} matrix, but got {x.shape}."
            raise ValueError(msg)
        x = [x]
    if isinstance(x, str) or not isinstance(x, Sequence | np.ndarray):
        msg = (
            f"inputs must be a sequence of numbers or Values, or a 2-D numpy "
            f"array (a batch), not {type(x).__name__}."
        )
        raise TypeError(msg)
    return x


def check_batch(x: np.ndarray, what: str) -> None:
    """A batch must hold at least one ``what`` and only real numbers."""
    if x.shape[0] == 0:
        msg = f"the batch is empty; give at least one {what}."
        raise ValueError(msg)
    if x.dtype.kind not in "iuf":  # signed, unsigned, floating: the real numbers
        msg = f"a batch must hold real numbers, not {x.dtype}."
        raise TypeError(msg)


def _batch_inputs(x: np.ndarray, nin: int) -> Value:
    if x.shape[1] != nin:
        msg = (
            f"expected {nin} inputs per sample, but the batch has {x.shape[1]} "
            f"columns (shape {x.shape})."
        )
        raise ValueError(msg)
    check_batch(x, "sample (one row)")
    return Constant(x, label="x")


def name_layer(
    W: ParameterArray,
    b: ParameterArray,
    path: str,
    number: int | None,
    single: bool = False,
) -> None:
    r"""Give a layer's weights ``W`` and biases ``b`` their names.

    ``number`` is the layer's place among the model's layers (0 for the
    first), ``None`` for a layer on its own; ``single`` names one neuron on
    its own (``w₁``, ``b``, ``z``, ``a``). Layers of ten neurons or inputs or
    more write a weight's two indices with a comma (``w²₁₂,₃``).
    """
    wide = max(W.data.shape) >= 10
    names = LayerNames(number, path, wide=wide, single=single)
    W.naming = ArrayNames(names, "W")
    b.naming = ArrayNames(names, "b")


def _handed_on(sample: LayerSample | list[Value]) -> list[Value]:
    """What a layer run on one sample hands on: its neurons' output nodes."""
    return sample.outputs() if isinstance(sample, LayerSample) else sample


def _outputs(out: Inputs) -> Value | list[Value]:
    """What a layer or a network hands back: one Value for a single output."""
    if isinstance(out, Value):
        return out
    return out[0] if len(out) == 1 else out


class Neuron(Module):
    r"""One neuron: ``φ(Σᵢ wᵢ·xᵢ + b)`` as a ``wsum`` node and an activation node.

    ``activation`` is one of :data:`ACTIVATIONS` (``"leaky_relu"`` has slope
    0.01, ``"identity"`` is none); micrograd's ``nonlin=True/False`` is
    accepted too (ReLU or none). ``init`` is one of ``nn.SCHEMES`` (see
    :mod:`nn.init`). ``seed`` fixes the starting weights; without it they
    come from the library-wide generator (seeded by :func:`nn.manual_seed`).

    The weights are a row of a weight matrix (the neuron's own, or its
    layer's): ``w[k]`` is the Value of that row's k-th number.

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
        seed: Seed = None,
        init: str = "uniform",
        fan_out: int = 1,
        nonlin: bool | None = None,
    ) -> None:
        self.nin = check_size(nin, "nin")
        self.activation = check_activation(activation, nonlin)
        W, b = initial_layer(check_scheme(init), seed, nin, 1, fan_out)
        self._bind(ParameterArray(W), ParameterArray(b), 0, own=True)

    @classmethod
    def row_of(
        cls, W: ParameterArray, b: ParameterArray, j: int, activation: str
    ) -> Neuron:
        """Neuron ``j`` of a layer whose weights are the rows of ``W``."""
        neuron = cls.__new__(cls)
        neuron.nin = W.data.shape[1]
        neuron.activation = activation
        neuron._bind(W, b, j, own=False)
        return neuron

    def _bind(self, W: ParameterArray, b: ParameterArray, j: int, own: bool) -> None:
        self._weights, self._biases, self._row = W, b, j
        self._owns_arrays = own  # a neuron on its own, not a row of a layer

    @property
    def w(self) -> Row:
        """The weights: row j of the weight matrix, each Value made when asked for."""
        return Row(self._weights, self._row)

    @property
    def b(self) -> Element:
        """The bias: element j of the biases."""
        return self._biases.element(self._row)

    def __call__(self, x: Any) -> Value:
        return self.forward(x)

    def forward(self, x: Any) -> Value:
        """The neuron's output: one Value (a batch's column for a batch)."""
        inputs = as_inputs(x, self.nin)
        if isinstance(inputs, Value):
            z = column(linear(self._weights, inputs, self._biases), self._row)
            return activate(z, self.activation)
        return self.propagate(inputs)

    def propagate(self, inputs: Sequence[Value]) -> Value:
        """The neuron on one sample's input Values (no checks)."""
        return activate(wsum(self.w, inputs, self.b), self.activation)

    def zero_grad(self) -> None:
        self._weights.grad[self._row] = 0.0
        self._biases.grad[self._row] = 0.0

    def name_layers(self, path: str, number: int | None) -> None:
        """A neuron on its own names its parts ``w₁ w₂ … b``, ``z`` and ``a``.

        (A neuron of a layer is named by its layer: its weights are a row of
        the layer's arrays.)
        """
        if self._owns_arrays:  # its own arrays, not a layer's row
            name_layer(self._weights, self._biases, path, number, single=True)

    def _submodules(self) -> Iterator[tuple[str, Module]]:
        """None: a neuron holds numbers, not modules (walks of a model skip it fast)."""
        return iter(())

    def named_arrays(self, prefix: str = "") -> Iterator[tuple[str, ParameterArray]]:
        """Its own W and b, if it is a neuron on its own (not a row of a layer)."""
        if self._owns_arrays:
            yield prefix + "W", self._weights
            yield prefix + "b", self._biases

    def _collect(
        self, prefix: str, out: list[tuple[str, Value]], seen: set[int]
    ) -> None:
        """Its weights ``w.k`` and bias ``b``, without looking at its other
        attributes (a walk of a model may visit many neurons)."""
        for k, p in enumerate(self.w):
            if id(p) not in seen:
                seen.add(id(p))
                out.append((f"{prefix}w.{k}", p))
        b = self.b
        if id(b) not in seen:
            seen.add(id(b))
            out.append((prefix + "b", b))

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Neurons(Sequence[Neuron]):
    r"""A layer's neurons: neuron j reads row j of ``W`` and ``b[j]``.

    Each neuron is made the first time it is asked for (and is then always
    the same object), so a layer of many neurons is built at once.

    >>> layer = Layer(3, 4, seed=0)
    >>> len(layer.neurons), layer.neurons[2] is layer.neurons[2]
    (4, True)
    >>> layer.neurons[2].w[1] is layer.W.element(2, 1)
    True
    """

    def __init__(self, W: ParameterArray, b: ParameterArray, activation: str) -> None:
        self._W, self._b, self._activation = W, b, activation
        self._made: dict[int, Neuron] = {}

    def __len__(self) -> int:
        return int(self._W.data.shape[0])

    @overload
    def __getitem__(self, j: int) -> Neuron: ...

    @overload
    def __getitem__(self, j: slice) -> list[Neuron]: ...

    def __getitem__(self, j: int | slice) -> Neuron | list[Neuron]:
        if isinstance(j, slice):
            return [self[i] for i in range(len(self))[j]]
        n = len(self)
        if not is_whole_number(j):
            msg = f"a neuron's index must be a whole number, not {j!r}."
            raise TypeError(msg)
        if not -n <= j < n:
            msg = f"neuron {j} is outside this layer of {n}."
            raise IndexError(msg)
        j = int(j) % n
        neuron = self._made.get(j)
        if neuron is None:
            neuron = Neuron.row_of(self._W, self._b, j, self._activation)
            self._made[j] = neuron
        return neuron

    def __repr__(self) -> str:
        return f"<{len(self)} neurons of {self._W.label or 'a layer'}>"


class Layer(Module):
    r"""``nout`` neurons that all read the same ``nin`` inputs.

    Its weights are one matrix ``W`` (nout × nin; row j is neuron j's
    weights) and its biases one vector ``b``. One sample gives a list of
    Values, one per neuron (or one Value when the layer has one neuron, as in
    micrograd); a batch gives one layer node, Z = X·Wᵀ + b, after the
    activation.

    >>> layer = Layer(3, 2, activation="sigmoid")
    >>> len(layer([1.0, 0.0, -1.0]))
    2
    >>> layer(np.ones((4, 3))).shape
    (4, 2)
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        seed: Seed = None,
        init: str = "uniform",
        nonlin: bool | None = None,
    ) -> None:
        self.nin = check_size(nin, "nin")
        self.nout = check_size(nout, "nout")
        self.activation = check_activation(activation, nonlin)
        W, b = initial_layer(check_scheme(init), seed, nin, nout, nout)
        self.W = ParameterArray(W)
        self.b = ParameterArray(b)
        self.neurons = Neurons(self.W, self.b, self.activation)

    @overload
    def __call__(self, x: np.ndarray) -> Value: ...
    @overload
    def __call__(self, x: Any) -> Any: ...
    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    def forward(self, x: Any) -> Value | list[Value]:
        r"""The layer's outputs: one Value for a batch, a list of Values (one per
        neuron; the Value itself for one neuron) for one sample."""
        return _outputs(self.propagate(as_inputs(x, self.nin), last=True))

    def propagate(self, inputs: Inputs, last: bool = False) -> Inputs:
        r"""A batch's layer node, or one sample's list of neuron outputs (no checks).

        With ``last`` (the layer whose output is handed back), a batch through
        a layer of one neuron gives a 1-D batch: its column, taken before the
        activation.
        """
        if isinstance(inputs, Value):
            z = linear(self.W, inputs, self.b)
            if last and self.nout == 1:
                z = column(z, 0)
            if self.activation == IDENTITY:
                return z
            return apply(OPS[self.activation], (z,))  # activate(z, ...), inlined
        return _handed_on(self.on_sample(inputs))

    def on_sample(self, inputs: list[Value] | LayerSample) -> LayerSample | list[Value]:
        r"""The layer on one sample: a :class:`~autograd.LayerSample`.

        Its nodes (one ``wsum`` and one activation node per neuron) are made
        when asked for. Inputs that are not all single numbers (1-D batches
        given as a list) get one ``wsum`` node and one activation node per
        neuron, made here.
        """
        op = None if self.activation == IDENTITY else OPS[self.activation]
        if isinstance(inputs, LayerSample) or _FLOAT.issuperset(
            [type(v.data) for v in inputs]
        ):
            return LayerSample(self.W, self.b, op, inputs)
        W, b = self.W, self.b
        sums = [wsum(W.row(j), inputs, b.element(j)) for j in range(self.nout)]
        outputs = sums if op is None else [apply(op, (z,)) for z in sums]
        naming = self.W.naming
        if naming is not None:  # named as a LayerSample's nodes are: z²ⱼ, a²ⱼ
            for j, (z, a) in enumerate(zip(sums, outputs)):
                z.label = naming.neuron("sum", j)
                if a is not z:
                    a.label = naming.neuron("activation", j)
        return outputs

    def zero_grad(self) -> None:
        self.W.grad[...] = 0.0
        self.b.grad[...] = 0.0

    def _collect(
        self, prefix: str, out: list[tuple[str, Value]], seen: set[int]
    ) -> None:
        """Its neurons' parameters, neuron by neuron (``neurons.j.w.k``, ``...b``)."""
        for j, neuron in enumerate(self.neurons):
            neuron._collect(f"{prefix}neurons.{j}.", out, seen)

    def name_layers(self, path: str, number: int | None) -> None:
        """``W²`` and ``b²`` for layer 2, ``w²ⱼₖ`` and ``b²ⱼ`` for their numbers."""
        name_layer(self.W, self.b, path, number)

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    r"""A multi-layer perceptron: ``MLP(nin, [n₁, n₂, ..., n_L])``.

    Hidden layers use ``activation``; the last layer uses
    ``output_activation`` (``"identity"``, none, by default, as in micrograd,
    so its outputs are logits or raw scores). Any layer size works, one neuron included.
    All layers draw their starting weights, one after another, from one
    generator seeded by ``seed`` (the library-wide one without it). A batch
    gives one Value: batch × outputs (or a 1-D batch for one output).

    >>> model = MLP(3, [1, 2], seed=0)      # a one-neuron hidden layer is fine
    >>> [round(v.data, 4) for v in model([1.0, 2.0, 3.0])]
    [0.8255, 0.459]
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = IDENTITY,
        *,
        seed: Seed = None,
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
        rng = network_stream(seed, init)
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

    @overload
    def __call__(self, x: np.ndarray) -> Value: ...
    @overload
    def __call__(self, x: Any) -> Any: ...
    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    def forward(self, x: Any) -> Value | list[Value]:
        r"""The network's outputs: one Value for a batch (batch × outputs), a
        list of Values for one sample (the Value itself for one output)."""
        return _outputs(self.propagate(as_inputs(x, self.nin), last=True))

    def propagate(self, inputs: Inputs, last: bool = False) -> Inputs:
        """The last layer's output: a batch's matrix, or one sample's list."""
        if not isinstance(inputs, Value):  # one sample: layer after layer
            sample: list[Value] | LayerSample = inputs
            for layer in self.layers:
                sample = layer.on_sample(sample)
            return _handed_on(sample)
        out: Inputs = inputs
        for i, layer in enumerate(self.layers, start=1):
            out = layer.propagate(out, last=last and i == len(self.layers))
        return out

    def zero_grad(self) -> None:
        for layer in self.layers:
            layer.zero_grad()

    def name_layers(self, path: str, number: int | None) -> None:
        """Its layers in order: the first hidden layer is layer 2 in the textbook."""
        for i, layer in enumerate(self.layers):
            layer.name_layers(f"{path}layers.{i}.", i)

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
    >>> net = Sequential(Layer(2, 4, seed=0), Dropout(0.5), Layer(4, 1, "identity"))
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

    def forward(self, x: Any) -> Any:
        """Each module on what the one before returned."""
        for module in self.layers:
            x = module(x)
        return x

    def name_layers(self, path: str, number: int | None) -> None:
        """Its modules in order; those with weights count as layers 2, 3, ...

        (Dropout and Flatten hold no weights and take no number.)
        """
        count = 0
        for i, module in enumerate(self.layers):
            has_weights = any(True for _ in module.named_arrays())
            module.name_layers(f"{path}layers.{i}.", count if has_weights else None)
            count += has_weights

    def __repr__(self) -> str:
        inner = ", ".join(repr(module) for module in self.layers)
        return f"Sequential({inner})"
