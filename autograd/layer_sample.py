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
    dL/dW += dL/dz ⊗ x,  dL/db += dL/dz   (the weights' shares)

Each node of a neuron names its layer as its ``shortcut``: the backward
pass steps into the layer instead of into the node (see
:func:`autograd.graph.backward`). The weights' shares of all the samples
a pass goes through are added at its end, in one matrix product per layer,
by the layer's :class:`SampleShares`: a node of the pass too, which every
sample of the layer names among its parents.

A layer sample holds no gradient arrays until a share arrives (``None``
reads as 0): most of its nodes are never made, and the pass hands each
layer the gradient array the layer after it computed.

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

#: The matrix-vector product: ``np.dot`` takes fewer steps than ``@`` to start.
_dot = np.dot

#: The label slot of a Value: a neuron's node keeps a label given to it there.
_OWN_LABEL = Value.__dict__["label"]

__all__ = ["LayerSample", "NeuronOutput", "NeuronSum", "SampleShares"]


class LayerSample:
    r"""One layer (weights W, biases b, activation φ) run on one sample.

    ``inputs`` are the sample's numbers as Values, or the ``LayerSample`` of
    the layer before (its outputs, which need not be made into nodes to be
    read). ``op`` is the activation's record in the op table, or ``None``
    for a layer without one (whose outputs are the sums themselves).

    To the backward pass the layer is one node, standing between its
    neurons and its inputs: every neuron's node names the layer as its
    ``shortcut``, and the layer's ``parents`` are its inputs (or the layer
    before) and its :class:`SampleShares`, so the pass reaches the inputs
    once per layer, not once per neuron. Its ``grad`` is the gradients of
    its neurons' sums (setting it to 0 sets them all to 0).
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
        "shares",
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
    shares: SampleShares  # where it leaves its weights' gradients for the pass
    serial: int  # when it was made (see autograd.graph.Node.serial)
    dz: np.ndarray | None  # dL/dz (None: no share yet, all 0)
    da: np.ndarray | None  # dL/da (only with an activation: else dz is it)

    def __init__(
        self,
        W: ParameterArray,
        b: ParameterArray,
        op: Op | None,
        inputs: tuple[Value, ...] | list[Value] | LayerSample,
    ) -> None:
        self.W, self.b, self.op = W, b, op
        shares = W.sample_shares
        if shares is None or shares.b is not b:
            shares = W.sample_shares = SampleShares(W, b)
        self.shares = shares
        if isinstance(inputs, LayerSample):
            self.before = inputs
            self.inputs = ()
            self.x = x = inputs.a
            self.parents = (inputs, shares)
        else:
            self.before = None
            self.inputs = tuple(inputs)
            self.x = x = np.array([v.data for v in self.inputs])
            self.parents = (*self.inputs, shares)
        self.weights = weights = W.data.copy()
        self.z = z = _dot(weights, x) + b.data
        self.dz = self.da = None  # no gradient yet: read as 0
        if op is None:  # no activation: the layer hands on its sums
            self.a = z
        else:
            try:
                if op.params:
                    self.a, (slope,) = op.rule(z, **op.params)
                else:  # the usual activation: its rule, without the call between
                    self.a, (slope,) = op.rule(z)
            except DomainError as error:
                raise error.for_input("a neuron's weighted sum") from None
            if type(slope) is not np.ndarray or slope.shape != z.shape:
                slope = np.broadcast_to(slope, z.shape)  # one for every neuron
            self.slope = slope
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
                NeuronSum(self, j, zj, wsum) for j, zj in enumerate(self.z.tolist())
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
                    NeuronOutput(self, j, aj, op)
                    for j, aj in enumerate(self.a.tolist())
                ]
        return list(self._outputs)

    # --- the backward pass --------------------------------------------------------

    @property
    def grad(self) -> np.ndarray | float:
        """dL/dz of every neuron (after a backward pass), 0 until a share arrives."""
        dz = self.dz
        return 0.0 if dz is None else dz

    @grad.setter
    def grad(self, value: Any) -> None:
        if type(value) is float and value == 0.0:  # the pass's reset: none yet
            self.dz = self.da = None
        else:
            self.dz = np.full(len(self.z), value, dtype=float)
            self.da = None if self.op is None else self.dz.copy()

    def chain_rule(self) -> None:
        r"""Every neuron's chain rule at once, once all its nodes' gradients are in.

        dL/dz += dL/da ⊙ φ'(z); then the inputs get Wᵀ·dL/dz, and the
        weights dL/dz ⊗ x and the biases dL/dz: owed to the layer's
        :class:`SampleShares`, which adds those of every sample of the pass
        at its end.
        """
        dz = self.dz
        if self.op is not None:
            da = self.da
            if da is None:  # only the sums' nodes were used
                da = np.zeros(len(self.z))
            share = da * self.slope
            self.dz = dz = share if dz is None else dz + share
        elif dz is None:
            self.dz = dz = np.zeros(len(self.z))
        self.shares.owed.append(self)  # dL/dz ⊗ x and dL/dz, added at the end
        dx = _dot(dz, self.weights)
        before = self.before
        if before is not None:  # dL/da of the layer before (its dL/dz without φ)
            if before.op is None:
                held = before.dz
                before.dz = dx if held is None else held + dx
            else:
                held = before.da
                before.da = dx if held is None else held + dx
            return
        for v, share in zip(self.inputs, dx.tolist()):
            if v.needs_grad:
                v.grad += share


class SampleShares:
    r"""The weights' gradients of a layer's samples, added at the end of a pass.

    Each sample's step owes the layer's weights dL/dz ⊗ x and its biases
    dL/dz. The samples of a backward pass leave them here (in ``owed``), and
    this node adds them all at once, as a batch's layer node would:

        dL/dW += DZᵀ·X        dL/db += Σₛ DZₛ

    (row s of DZ and X: sample s's dL/dz and x). To the pass it is a node
    like the others: every sample of the layer names it among its
    ``parents``, and it is made before all of them (it belongs to ``W``:
    ``W.sample_shares``), so the pass takes its step after all of theirs,
    and ``W.grad`` and ``b.grad`` are in place when ``backward()`` returns.
    Setting its ``grad`` to 0, as the pass does first, forgets what is owed.
    """

    __slots__ = ("W", "b", "owed", "parents", "serial")

    #: The backward pass starts each node's grad at 0 from its data: one number.
    data = 0.0
    #: It takes its own step.
    shortcut = None

    def __init__(self, W: ParameterArray, b: ParameterArray) -> None:
        self.W, self.b = W, b
        self.parents = (W, b)  # the leaves it adds to
        self.owed: list[LayerSample] = []
        self.serial = next_serial()

    @property
    def grad(self) -> float:
        """0: it holds no gradient of its own."""
        return 0.0

    @grad.setter
    def grad(self, value: Any) -> None:
        self.owed.clear()

    def chain_rule(self) -> None:
        """Add the shares the samples owe: dL/dW += DZᵀ·X, dL/db += Σₛ DZₛ."""
        owed = self.owed
        if not owed:
            return
        dz = np.array([sample.dz for sample in owed])
        self.W.grad += dz.T @ np.array([sample.x for sample in owed])
        self.b.grad += dz.sum(axis=0)
        owed.clear()  # paid: the samples are not kept


class _Neuron(Value):
    """A node of one neuron of a :class:`LayerSample`: its numbers live there.

    Its gradient is the layer's (dL/dz for a sum, dL/da for an output) at
    place ``index``; ``layer`` is also its ``shortcut``, which the backward
    pass steps into instead of the node.
    """

    __slots__ = ("index", "layer", "shortcut")

    layer: LayerSample
    index: int
    shortcut: LayerSample

    def __init__(self, layer: LayerSample, index: int, data: float, op: Op) -> None:
        self.layer = self.shortcut = layer
        self.index = index
        self.data = data
        _OWN_LABEL.__set__(self, "")  # the label slot itself: none given yet
        self.op = op
        self.serial = next_serial()

    #: Which of the neuron's values the node is (named zⱼ or aⱼ by the model).
    part = "sum"
    #: The layer's array that holds its gradient: dL/dz (or dL/da for an output).
    grads_in = "dz"

    @property
    def grad(self) -> float:
        """dL/dzⱼ (or dL/daⱼ), from the layer's array (0 until a share arrives)."""
        held = getattr(self.layer, self.grads_in)
        return 0.0 if held is None else held.item(self.index) + 0.0  # -0.0 read as 0

    @grad.setter
    def grad(self, value: Any) -> None:
        if type(value) is not float:
            value = plain_number(value, "a neuron's grad")
        layer = self.layer
        held = getattr(layer, self.grads_in)
        if held is None:
            held = np.zeros(len(layer.z))
            setattr(layer, self.grads_in, held)
        held[self.index] = value

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
    grads_in = "da"

    @property
    def parents(self) -> tuple[Value, ...]:  # type: ignore[override]
        return (self.layer.sums()[self.index],)

    @property
    def local_grads(self) -> tuple[float, ...]:  # type: ignore[override]
        return (self.layer.slope.item(self.index),)
