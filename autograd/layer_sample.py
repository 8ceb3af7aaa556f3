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
once instead (:meth:`LayerSample.chain_rule`), with the same numbers:

    dL/dz = dL/dz + dL/da ⊙ φ'(z)      (elementwise)
    dL/dx += Wᵀ·dL/dz                  (the inputs' shares: one product)
    dL/dW += dL/dz ⊗ x,  dL/db += dL/dz   (the weights': one outer product)

Each node of a neuron names its layer as its ``shortcut``: the backward
pass steps into the layer instead of into the node (see
:func:`autograd.graph.backward`).

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
    read). ``op`` is the activation's record in the op table, or ``None``
    for a layer without one (whose outputs are the sums themselves).

    To the backward pass the layer is one node, standing between its
    neurons and its inputs: every neuron's node names the layer as its
    ``shortcut``, and the layer's ``parents`` are its inputs (or the layer
    before), so the pass reaches the inputs once per layer, not once per
    neuron. Its ``grad`` is the gradients of its neurons' nodes (setting it
    to 0 sets them all to 0).
    """

    __slots__ = (
        "W",
        "_outputs",
        "_sums",
        "a",
        "b",
        "before",
        "da",
        "dz",
        "inputs",
        "op",
        "parents",
        "serial",
        "slope",
        "weights",
        "x",
        "z",
    )

    #: The backward pass starts each node's grad at 0 from its data: one number.
    data = 0.0
    #: The layer takes its own step.
    shortcut = None

    W: ParameterArray
    b: ParameterArray
    op: Op | None
    before: LayerSample | None  # the layer whose outputs are the inputs, if any
    inputs: tuple[Value, ...]  # the inputs as Values (none when ``before`` is set)
    parents: tuple[Any, ...]  # what the backward pass steps into next
    x: np.ndarray  # the inputs' numbers
    weights: np.ndarray  # W as the forward pass used it
    z: np.ndarray  # the weighted sums
    a: np.ndarray  # the outputs φ(z) (z itself without an activation)
    slope: np.ndarray  # φ'(z) (not set without an activation)
    serial: int  # when it was made (see autograd.graph.Node.serial)
    dz: np.ndarray  # dL/dz
    da: np.ndarray  # dL/da (dz itself without an activation)

    def __init__(
        self,
        W: ParameterArray,
        b: ParameterArray,
        op: Op | None,
        inputs: tuple[Value, ...] | list[Value] | LayerSample,
    ) -> None:
        self.W, self.b, self.op = W, b, op
        if isinstance(inputs, LayerSample):
            self.before = inputs
            self.inputs = ()
            self.x = inputs.a
            self.parents = (inputs,)
        else:
            self.before = None
            self.inputs = tuple(inputs)
            self.x = np.array([v.data for v in self.inputs])
            self.parents = self.inputs
        self.weights = W.data.copy()
        self.z = z = self.weights @ self.x + b.data
        self.dz = np.zeros(len(z))
        if op is None:  # no activation: the layer hands on its sums
            self.a, self.da = z, self.dz
        else:
            try:
                self.a, (slope,) = op.compute(self.z)
            except DomainError as error:
                raise error.for_input("a neuron's weighted sum") from None
            if type(slope) is not np.ndarray or slope.shape != self.z.shape:
                slope = np.broadcast_to(slope, self.z.shape)  # one for every neuron
            self.slope = slope
            self.da = np.zeros(len(z))
        self.serial = next_serial()  # made after its inputs, before its nodes
        self._sums: list[NeuronSum] | None = None
        self._outputs: list[Value] | None = None

    # --- the nodes ----------------------------------------------------------------

    def input_values(self) -> tuple[Value, ...]:
        """The inputs as Values (the outputs of the layer before, if it fed this)."""
        if self.before is not None:
            return tuple(self.before.outputs())
        return self.inputs

    def sums(self) -> list[NeuronSum]:
        """The weighted sum node zⱼ of each neuron (always the same objects)."""
        if self._sums is None:
            wsum = OPS["wsum"]
            self._sums = [
                NeuronSum(self, j, zj, wsum, self.dz)
                for j, zj in enumerate(self.z.tolist())
            ]
        return self._sums

    def outputs(self) -> list[Value]:
        """What each neuron hands on: aⱼ = φ(zⱼ), or zⱼ without an activation."""
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

    def chain_rule(self) -> None:
        r"""Every neuron's chain rule at once, once all its nodes' gradients are in.

        dL/dz += dL/da ⊙ φ'(z); then the weights get dL/dz ⊗ x and the
        biases dL/dz (added to ``W.grad`` and ``b.grad`` at once), and the
        inputs Wᵀ·dL/dz.
        """
        dz = self.dz
        if self.op is not None:
            dz += self.da * self.slope
        self.W.grad += np.multiply.outer(dz, self.x)
        self.b.grad += dz
        dx = dz @ self.weights
        if self.before is not None:
            self.before.da += dx
            return
        for v, share in zip(self.inputs, dx.tolist()):
            if v.needs_grad:
                v.grad += share


class _Neuron(Value):
    """A node of one neuron of a :class:`LayerSample`: its numbers live there.

    ``grads`` is the layer's array that holds this node's gradient (dL/dz
    for a sum, dL/da for an output), at place ``index``; ``layer`` is the
    backward pass's shortcut.
    """

    __slots__ = ("grads", "index", "layer")

    layer: LayerSample
    index: int
    grads: np.ndarray

    def __init__(
        self, layer: LayerSample, index: int, data: float, op: Op, grads: np.ndarray
    ) -> None:
        self.layer = layer
        self.index = index
        self.data = data
        _OWN_LABEL.__set__(self, "")  # the label slot itself: none given yet
        self.op = op
        self.grads = grads
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
    def shortcut(self) -> LayerSample:
        """The layer, which takes this node's step in a backward pass."""
        return self.layer

    @property
    def grad(self) -> float:
        return self.grads.item(self.index)

    @grad.setter
    def grad(self, value: Any) -> None:
        self.grads[self.index] = plain_number(value, "a neuron's grad")


class NeuronSum(_Neuron):
    r"""Neuron j's weighted sum on one sample, zⱼ = Σₖ Wⱼₖ·xₖ + bⱼ: a ``wsum`` node.

    Its parents are the weights of row j of W, the inputs and bⱼ (the roles
    of the op table's ``wsum``), with local derivatives xₖ, Wⱼₖ and 1.
    """

    __slots__ = ()

    @property
    def parents(self) -> tuple[Value, ...]:  # type: ignore[override]
        layer, j = self.layer, self.index
        bias: Element = layer.b.element(j)
        return (*layer.W.row(j), *layer.input_values(), bias)

    @property
    def local_grads(self) -> tuple[float, ...]:  # type: ignore[override]
        layer = self.layer
        return (*layer.x.tolist(), *layer.weights[self.index].tolist(), 1.0)


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
