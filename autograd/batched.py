r"""Batched weighted sums, a layer at a time: the engine's one fast path.

Every neuron of a layer is a weighted sum z_j = Σᵢ w_ji·xᵢ + b_j of the *same*
inputs x. With batches, each xᵢ is a column of samples, and the chain rule
sends each input its share from every neuron:

    dL/dxᵢ += Σ_j w_ji · dL/dz_j

Done one neuron and one input at a time, that is (neurons × inputs) small
array additions. Here the same sum is one matrix product, Wᵀ·U (the neurons'
weights times their upstream gradients), sent to each input once. The
arithmetic is the chain rule unchanged; only the bookkeeping is grouped.

>>> import numpy as np
>>> from autograd import Value, wsum
>>> x = [Value(np.array([1.0, 2.0])), Value(np.array([3.0, 4.0]))]
>>> z1, z2 = wsum([0.5, -1.0], x), wsum([2.0, 1.0], x)
>>> (z1 + z2).sum().backward()
>>> x[0].grad, x[1].grad             # 0.5 + 2 and −1 + 1, for each sample
(array([2.5, 2.5]), array([0., 0.]))
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["LayerShares", "stacked"]


class _StackCache:
    r"""The input columns of the last few batched weighted sums, stacked.

    A layer of 32 neurons would otherwise stack the same input columns into
    the same (inputs × batch) matrix 32 times in the forward pass and 32 times
    again in the backward pass. Matrices are found again by the identity of the
    arrays they were stacked from. Batch data is never changed in place (leaf
    arrays are read-only; ops always make new arrays), so a matrix stays valid.
    """

    def __init__(self, size: int = 4, largest: int = 32 * 2**20) -> None:
        self.size = size  # how many matrices to keep
        self.largest = largest  # bytes: a bigger matrix is not kept
        self.entries: list[tuple[Sequence[np.ndarray], np.ndarray]] = []

    def __call__(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        for key, matrix in self.entries:
            if len(key) == len(columns) and all(map(operator.is_, key, columns)):
                return matrix
        matrix = np.stack(columns)
        matrix.flags.writeable = False
        if matrix.nbytes <= self.largest:
            self.entries.insert(0, (columns, matrix))
            del self.entries[self.size :]
        return matrix

    def clear(self) -> None:
        """Let go of every matrix (a backward pass ends: its batch is done)."""
        self.entries.clear()


stacked = _StackCache()


class _Layer:
    """The weighted sums seen so far that take one tuple of inputs."""

    def __init__(self, inputs: tuple[Value, ...], matrix: np.ndarray) -> None:
        self.inputs = inputs
        self.matrix = matrix  # kept so its id() is not reused while we key by it
        self.weights: list[np.ndarray] = []
        self.upstreams: list[np.ndarray] = []
        self.sent = False

    def send(self) -> None:
        r"""dL/dxᵢ += Σ_j w_ji · dL/dz_j for every input i, as one product Wᵀ·U."""
        if self.sent:
            return
        self.sent = True
        shares = np.stack(self.weights).T @ np.stack(self.upstreams)
        for x, share in zip(self.inputs, shares):
            x.grad += share


class LayerShares:
    r"""Collects the inputs' shares of batched weighted sums and sends them late.

    A share must reach an input before the backward pass reads that input's
    gradient, so the pass calls :meth:`reach` for every node as it comes to it
    (in reverse topological order, an input comes after every weighted sum
    that uses it, so by then its layer is complete), and :meth:`finish` at the
    end. Both ``backward()`` and ``backward_steps()`` do exactly this, so they
    add the same numbers in the same order.
    """

    def __init__(self) -> None:
        self.layers: dict[int, _Layer] = {}
        self.waiting: dict[Value, list[_Layer]] = {}

    def collect(self, node: Value) -> bool:
        r"""Push a batched weighted sum z = Σ wᵢxᵢ + b; False if it is not one.

        The weights get Σ_batch xᵢ·dL/dz now (one matrix-vector product) and
        the bias Σ_batch dL/dz; the inputs' shares wᵢ·dL/dz wait for the rest
        of their layer. Only the common layout qualifies: scalar weights and
        batched inputs.
        """
        parents, local_grads = node.parents, node.local_grads
        n = len(parents) // 2
        inputs_data, weights_data = local_grads[:n], local_grads[n : 2 * n]
        if type(inputs_data[0]) is float:
            return False
        try:  # fails for any other layout: a scalar input, a batched weight
            matrix = stacked(inputs_data)
            weights_row = np.fromiter(weights_data, dtype=float, count=n)
        except (ValueError, TypeError):
            return False
        upstream = node.grad
        for weight, share in zip(parents[:n], (matrix @ upstream).tolist()):
            weight.grad += share
        if len(parents) > 2 * n:
            bias = parents[-1]
            if type(bias.data) is float:
                bias.grad += float(np.sum(upstream))
            else:
                bias.grad += upstream
        inputs = parents[n : 2 * n]
        layer = self.layers.get(id(matrix))
        if (
            layer is None
            or layer.sent
            or not all(map(operator.is_, layer.inputs, inputs))
        ):
            layer = _Layer(inputs, matrix)
            self.layers[id(matrix)] = layer
            for x in inputs:
                self.waiting.setdefault(x, []).append(layer)
        layer.weights.append(weights_row)
        layer.upstreams.append(upstream)
        return True

    def reach(self, node: Value) -> None:
        """The pass has come to ``node``: send it (and its layers) what waits."""
        for layer in self.waiting.pop(node, ()):
            layer.send()

    def finish(self) -> None:
        """Send everything still waiting (the shares of leaf inputs)."""
        for node in list(self.waiting):
            self.reach(node)
        stacked.clear()
