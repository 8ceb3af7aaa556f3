r"""One sample of a batch, as the scalar graph a student steps through.

A batch is computed with layer nodes: one node ``Z = X·Wᵀ + b`` per layer.
:func:`sample_graph` takes such a graph and builds the graph of *one* of its
samples the way a single sample is built: one ``wsum`` node per neuron, with
the layer's weights as Values of their own (the very
:class:`~autograd.parameters.Element` objects ``neuron.w[k]`` of the model),
one node per unit of every activation, and the loss of that one sample.
Every number in it is taken from the batched graph, so the two agree
exactly; for a loss averaged over the batch, the batch's gradient is the
mean of the samples' gradients.

>>> import numpy as np
>>> from autograd import Value, ParameterArray, linear, backward_steps
>>> W = ParameterArray([[0.5, -1.0]], "W")
>>> b = ParameterArray([0.25], "b")
>>> X = Value(np.array([[1.0, 2.0], [3.0, 4.0]]), "x")
>>> Z = linear(W, X, b).sigmoid()
>>> one = sample_graph(Z.sum(), 1)        # sample 1 alone
>>> [n.op or n.label for n in one.parents[0].parents[0].parents]
['', '', 'x₁', 'x₂', '']
>>> one.parents[0].parents[0].parents[0] is W.element(0, 0)
True
>>> round(one.data, 4) == round(float(Z.data[1, 0]), 4)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.data import is_batch, is_whole_number
from autograd.graph import topological_order
from autograd.names import input_name
from autograd.ops import op_for
from autograd.parameters import ParameterArray
from autograd.value import VALUES, Value

__all__ = ["sample_graph"]

#: What one sample has for a node of the batch: one node (a Value), or a numpy
#: object array of nodes (one per number of the node's row).
SampleNodes = Any


def sample_graph(root: Value, sample: int) -> Value:
    r"""The scalar graph of sample ``sample`` of the batched graph ending at ``root``.

    ``root`` is usually the loss of a batch; the result is that sample's loss
    (for a batch of one), built of scalar nodes only. A root that is itself a
    batch gives the sample's number (one output) or raises for several.

    Each node of the batch becomes the sample's nodes by its op's record
    (:attr:`~autograd.record.Op.per_sample`), in topological order.
    """
    order = topological_order(root)
    size = next((n.data.shape[0] for n in order if _is_batch(n)), None)
    if size is None:
        msg = "this graph holds no batch: there is no sample to take out of it."
        raise ValueError(msg)
    if not is_whole_number(sample):
        msg = f"sample must be a whole number, the row of the batch, not {sample!r}."
        raise TypeError(msg)
    if not 0 <= sample < size:
        msg = f"sample must be between 0 and {size - 1} (the batch has {size})."
        raise IndexError(msg)
    expansion = _Expansion(int(sample))
    for each in order:
        expansion.add(each)
    result = expansion.nodes_of[root]
    if isinstance(result, np.ndarray):
        if result.size != 1:
            msg = (
                f"the root holds {result.size} numbers per sample; take one of them "
                "(or a loss) to get a single scalar graph."
            )
            raise ValueError(msg)
        result = result.flat[0]
    return result


def _is_batch(v: Value) -> bool:
    return is_batch(v.data) and not isinstance(v, ParameterArray)


class _Expansion:
    """The sample's nodes for each node of the batch, made in topological order."""

    def __init__(self, sample: int) -> None:
        self.sample = sample
        self.nodes_of: dict[Value, SampleNodes] = {}
        self.batched: set[Value] = set()

    def add(self, v: Value) -> None:
        if not v.parents:
            self.nodes_of[v] = self.leaf_nodes(v)
            if _is_batch(v):
                self.batched.add(v)
            return
        if not any(p in self.batched for p in v.parents):
            self.nodes_of[v] = v  # the same for every sample: shared, not copied
            return
        self.batched.add(v)
        self.nodes_of[v] = op_for(v.op).per_sample(_OneSample(self, v))

    def leaf_nodes(self, v: Value) -> SampleNodes:
        """A leaf's nodes: a parameter array's elements, or the sample's row."""
        if isinstance(v, ParameterArray):
            elements = np.empty(v.data.shape, dtype=object)
            for index in np.ndindex(*v.data.shape):
                elements[index] = v.element(*index)
            return elements
        if not is_batch(v.data):
            return v
        row = v.data[self.sample]
        if row.ndim == 0:
            return Value(float(row), v.label)
        values = np.empty(row.shape, dtype=object)
        for index in np.ndindex(*row.shape):
            if not v.label:
                label = ""
            elif row.ndim == 1:
                label = input_name(index[0], v.label)
            else:
                label = f"{v.label}[{','.join(map(str, index))}]"
            values[index] = Value(float(row[index]), label)
        return values


class _OneSample:
    r"""One node of the batch as its op's ``per_sample`` sees it (a
    :class:`~autograd.record.Sample`): the node, the sample's row, the
    sample's nodes for each parent, and the means of making nodes."""

    def __init__(self, expansion: _Expansion, node: Value) -> None:
        self.node = node
        self.index = expansion.sample
        self.parents = [expansion.nodes_of[p] for p in node.parents]

    def row(self, position: int) -> Any:
        return self.node.parents[position].data[self.index]

    # the nodes are Values, made as everywhere else
    leaf, make, apply = VALUES.leaf, VALUES.make, VALUES.apply
    vsum, wsum = VALUES.vsum, VALUES.wsum
