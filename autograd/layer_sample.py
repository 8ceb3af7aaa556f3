r"""A layer run on one sample: one node per neuron to read, one step to run.

On a single sample a layer is, as the textbook draws it, one weighted sum
node per neuron and one activation node after each:

    zⱼ = Σₖ Wⱼₖ·xₖ + bⱼ        aⱼ = φ(zⱼ)

with local derivatives ∂zⱼ/∂Wⱼₖ = xₖ, ∂zⱼ/∂xₖ = Wⱼₖ, ∂zⱼ/∂bⱼ = 1 and
∂aⱼ/∂zⱼ = φ'(zⱼ). A :class:`LayerSample` computes all of them at once, as the
articles' matrix view of a layer (z = W·x + b, one matrix-vector product),
and keeps them in arrays; each neuron's two nodes are Values that read
their numbers from those arrays (a :class:`NeuronSum` and a
:class:`NeuronOutput`), made when someone asks for them.

Every node is there to step through, explain and draw, and each one's
:meth:`~autograd.value.Value.chain_rule` is the textbook's, one neuron at a
time. In a backward pass the layer takes the step of all its neurons at
once instead (:meth:`LayerSample.backward_step`), with the same numbers:

    dL/dz = dL/dz + dL/da ⊙ φ'(z)      (elementwise)
    dL/dx += Wᵀ·dL/dz                  (the inputs' shares: one product)
    dL/dW += dL/dz ⊗ x,  dL/db += dL/dz   (the weights', settled later)

>>> from autograd.parameters import ParameterArray
>>> from autograd.value import Value
>>> from autograd.ops import OPS
>>> W = ParameterArray([[1.0, -1.0], [0.5, 2.0]], "W")   # 2 neurons, 2 inputs
>>> b = ParameterArray([0.0, 1.0], "b")
>>> x = [Value(1.0, "x1"), Value(2.0, "x2")]
>>> a = LayerSample(W, b, OPS["relu"], x).outputs()
>>> [n.data for n in a]                  # relu(1 − 2 + 0), relu(0.5 + 4 + 1)
[0.0, 5.5]
>>> a[1].op, a[1].parents[0].op, len(a[1].parents[0].parents)
('relu', 'wsum', 5)
>>> (a[0] + a[1]).backward()
>>> x[0].grad, x[1].grad                 # only neuron 1 is active: W₁ = (0.5, 2)
(0.5, 2.0)
>>> W.grad.tolist()                      # dL/dW₁ = x
[[0.0, 0.0], [1.0, 2.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.graph import next_serial
from autograd.ops import OPS, DomainError, Op
from autograd.parameters import Element, ParameterArray, plain_number
from autograd.value import Value

#: The label slot of a Value: a neuron's node keeps a label given to it there.
_OWN_LABEL = Value.__dict__["label"]

__all__ = ["LayerSample", "NeuronOutput", "NeuronSum"]


class LayerSample:
    r"""One layer (weights W, biases b, activation φ) run on one sample.

    ``inputs`` are the sample's numbers as Values, or the ``LayerSample`` of
    the layer before (its outputs, which need not be made into nodes to be
    read). ``op`` is the activation's record in the op table, or ``None`` for
    a linear layer (whose outputs are the sums themselves).

    To the backward pass the layer is one node, standing between its
    neurons and its inputs: every neuron's node names the layer as its only
    source, and the layer names the inputs, so the pass reaches the inputs
    once per layer, not once per neuron. Its ``grad`` is the gradients of its
    neurons' nodes (setting it to 0 sets them all to 0).
    """

    __slots__ = (
        "W",
        "Wf",
        "_outputs",
        "_sums",
        "a",
        "as_source",
        "b",
        "da",
        "dz",
        "inputs",
        "op",
        "owed",
        "owed_dz",
        "serial",
        "slope",
        "source",
        "sources",
        "x",
        "z",
    )

    #: The backward pass starts each node's grad at 0 from its data: one number.
    data = 0.0

    W: ParameterArray
    b: ParameterArray
    op: Op | None
    x: np.ndarray  # the inputs' numbers
    Wf: np.ndarray  # the weights as the forward pass used them
    z: np.ndarray  # the weighted sums
    a: np.ndarray  # the outputs φ(z) (z itself for a linear layer)
    slope: np.ndarray  # φ'(z) (not set for a linear layer)
    serial: int  # when it was made (see autograd.graph.Node.serial)
    dz: np.ndarray  # dL/dz
    da: np.ndarray  # dL/da (dz itself for a linear layer)
    owed_dz: np.ndarray  # the dL/dz not yet added to W.grad and b.grad

    def __init__(
        self,
        W: ParameterArray,
        b: ParameterArray,
        op: Op | None,
        inputs: tuple[Value, ...] | list[Value] | LayerSample,
    ) -> None:
        self.W, self.b, self.op = W, b, op
        self.source: LayerSample | None = None
        self.inputs: tuple[Value, ...] = ()
        self.sources: tuple[Any, ...]
        if isinstance(inputs, LayerSample):
            self.source = inputs
            self.x = inputs.a
            self.sources = inputs.as_source
        else:
            self.inputs = tuple(inputs)
            self.x = np.array([v.data for v in self.inputs])
            self.sources = self.inputs
        self.Wf = W.data.copy()
        self.z = self.Wf @ self.x + b.data
        self.dz = np.zeros(len(self.z))
        if op is None:  # a linear layer hands on its sums (and has no slope)
            self.a, self.da = self.z, self.dz
        else:
            try:
                self.a, (slope,) = op.compute(self.z)
            except DomainError as error:
                raise error.for_input("a neuron's weighted sum") from None
            if np.shape(slope) != self.z.shape:  # one slope for every neuron
                slope = np.broadcast_to(slope, self.z.shape)
            self.slope = slope
            self.da = np.zeros(len(self.z))
        self.owed = False
        self.serial = next_serial()  # made after its inputs, before its nodes
        self.as_source: tuple[LayerSample] = (self,)
        self._sums: list[NeuronSum] | None = None
        self._outputs: list[Value] | None = None

    # --- the nodes ----------------------------------------------------------------

    def input_values(self) -> tuple[Value, ...]:
        """The inputs as Values (the outputs of the layer before, if it fed this)."""
        if self.source is not None:
            return tuple(self.source.outputs())
        return self.inputs

    def sums(self) -> list[NeuronSum]:
        """The weighted sum node zⱼ of each neuron (always the same objects)."""
        if self._sums is None:
            self._sums = [
                NeuronSum(self, j, zj, OPS["wsum"], self.dz)
                for j, zj in enumerate(self.z.tolist())
            ]
        return self._sums

    def outputs(self) -> list[Value]:
        """What each neuron hands on: aⱼ = φ(zⱼ), or zⱼ for a linear layer."""
        if self._outputs is None:
            if self.op is None:
                self._outputs = list(self.sums())
            else:
                op = self.op
                self._outputs = [
                    NeuronOutput(self, j, aj, op, self.da)
                    for j, aj in enumerate(self.a.tolist())
                ]
        return list(self._outputs)

    # --- the backward pass --------------------------------------------------------

    @property
    def grad(self) -> np.ndarray:
        """dL/dz of every neuron (after a backward pass)."""
        return self.dz

    @grad.setter
    def grad(self, value: float) -> None:
        self.dz[...] = value
        self.da[...] = value

    def backward_step(self) -> None:
        r"""Every neuron's chain rule at once, once all its nodes' gradients are in.

        dL/dz += dL/da ⊙ φ'(z), then the inputs get Wᵀ·dL/dz and the weights
        are owed dL/dz ⊗ x and dL/dz (see
        :meth:`~autograd.parameters.ParameterArray.owe`).
        """
        dz = self.dz
        if self.op is not None:
            dz += self.da * self.slope
        if self.owed:
            self.owed_dz += dz
        else:
            self.owed, self.owed_dz = True, dz.copy()
            self.W.owe(self)
            self.b.owe(self)
        dx = dz @ self.Wf
        if self.source is not None:
            self.source.da += dx
            return
        for v, share in zip(self.inputs, dx.tolist()):
            if v.needs_grad:
                v.grad += share

    @staticmethod
    def settle_all(debts: list[LayerSample]) -> None:
        r"""dL/dW += Σ dL/dz ⊗ x and dL/db += Σ dL/dz, over the samples owed.

        The samples' dL/dz rows and inputs are stacked into two matrices, so
        a layer's weights get the shares of every sample in one product,
        dL/dW += dZᵀ·X: the sum of the outer products, one per sample.
        """
        layers: dict[tuple[int, int], list[LayerSample]] = {}
        for debt in debts:
            if debt.owed:
                debt.owed = False
                layers.setdefault((id(debt.W), id(debt.b)), []).append(debt)
        for owed in layers.values():
            dZ = np.array([debt.owed_dz for debt in owed])
            X = np.array([debt.x for debt in owed])
            owed[0].W._grad += dZ.T @ X
            owed[0].b._grad += dZ.sum(axis=0)


class _Neuron(Value):
    """A node of one neuron of a :class:`LayerSample`: its numbers live there.

    ``grads`` is the layer's array that holds this node's gradient (dL/dz
    for a sum, dL/da for an output), at place ``index``.
    """

    __slots__ = ("grads", "index", "layer", "sources")

    layer: LayerSample
    index: int
    grads: np.ndarray

    def __init__(
        self, layer: LayerSample, index: int, data: float, op: Op, grads: np.ndarray
    ) -> None:
        self.layer = layer
        self.index = index
        self.data = data
        self.label = ""
        self.op = op
        self.grads = grads
        self.sources = layer.as_source
        self.serial = next_serial()

    #: Which of the neuron's values the node is (named zⱼ or aⱼ by the model).
    part = "sum"

    @property
    def label(self) -> str:
        """The label given to the node, or else its name in the model: ``z²₁``."""
        own: str = _OWN_LABEL.__get__(self)
        naming = self.layer.W.naming
        if own or naming is None:
            return own
        return naming.neuron(self.part, self.index)

    @label.setter
    def label(self, value: str) -> None:
        _OWN_LABEL.__set__(self, value)

    @property
    def grad(self) -> float:
        return self.grads.item(self.index)

    @grad.setter
    def grad(self, value: Any) -> None:
        self.grads[self.index] = plain_number(value, "a neuron's grad")

    def backward_step(self) -> None:
        """Nothing: in a backward pass the layer takes this neuron's step."""


class NeuronSum(_Neuron):
    r"""Neuron j's weighted sum on one sample, zⱼ = Σₖ Wⱼₖ·xₖ + bⱼ: a ``wsum`` node.

    Its parents are the weights of row j of W, the inputs and bⱼ (see
    :func:`~autograd.ops.split_weighted_sum`), with local derivatives xₖ,
    Wⱼₖ and 1.
    """

    __slots__ = ()

    @property
    def parents(self) -> tuple[Value, ...]:  # type: ignore[override]
        layer, j = self.layer, self.index
        bias: Element = layer.b.elements()[j]
        return (*layer.W.row(j), *layer.input_values(), bias)

    @property
    def local_grads(self) -> tuple[float, ...]:  # type: ignore[override]
        layer = self.layer
        return (*layer.x.tolist(), *layer.Wf[self.index].tolist(), 1.0)


class NeuronOutput(_Neuron):
    r"""Neuron j's output on one sample, aⱼ = φ(zⱼ); ∂aⱼ/∂zⱼ = φ'(zⱼ)."""

    __slots__ = ()

    part = "activation"

    @property
    def parents(self) -> tuple[Value, ...]:  # type: ignore[override]
        return (self.layer.sums()[self.index],)

    @property
    def local_grads(self) -> tuple[float, ...]:  # type: ignore[override]
        return (self.layer.slope.item(self.index),)
