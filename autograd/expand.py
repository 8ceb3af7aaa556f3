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

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.data import is_batch
from autograd.graph import topological_order
from autograd.layer_rules import MatrixLocal, PatchesLocal
from autograd.names import input_name
from autograd.ops import op_for, split_weighted_sum
from autograd.parameters import ParameterArray
from autograd.value import Value, apply, make_node, vsum, wsum

__all__ = ["sample_graph"]

Rep = Any  # a Value (one number of the sample), or an object array of Values


def sample_graph(root: Value, sample: int) -> Value:
    r"""The scalar graph of sample ``sample`` of the batched graph ending at ``root``.

    ``root`` is usually the loss of a batch; the result is that sample's loss
    (for a batch of one), built of scalar nodes only. A root that is itself a
    batch gives the sample's number (one output) or raises for several.
    """
    order = topological_order(root)
    size = next((n.data.shape[0] for n in order if _is_batch(n)), None)
    if size is None:
        msg = "this graph holds no batch: there is no sample to take out of it."
        raise ValueError(msg)
    if isinstance(sample, bool) or not isinstance(sample, numbers.Integral):
        msg = f"sample must be a whole number, the row of the batch, not {sample!r}."
        raise TypeError(msg)
    if not 0 <= sample < size:
        msg = f"sample must be between 0 and {size - 1} (the batch has {size})."
        raise IndexError(msg)
    expansion = _Expansion(int(sample))
    for each in order:
        expansion.add(each)
    result = expansion.reps[root]
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
    """The per-sample counterpart of each node, built in topological order."""

    def __init__(self, sample: int) -> None:
        self.sample = sample
        self.reps: dict[Value, Rep] = {}
        self.batched: set[Value] = set()

    def add(self, v: Value) -> None:
        if not v.parents:
            self.reps[v] = self.leaf(v)
            if _is_batch(v):
                self.batched.add(v)
            return
        if not any(p in self.batched for p in v.parents):
            self.reps[v] = v  # the same for every sample: shared, not copied
            return
        self.batched.add(v)
        handler = _HANDLERS.get(v.op, _elementwise)
        self.reps[v] = handler(self, v)

    def leaf(self, v: Value) -> Rep:
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

    def row(self, v: Value) -> Rep:
        """The per-sample counterpart of a parent (a leaf's, made on demand)."""
        return self.reps[v]


# --- the handlers: how each kind of node looks for one sample -----------------------


def _elementwise(x: _Expansion, v: Value) -> Rep:
    """An op that works number by number: the sample's numbers, node by node."""
    parents = [x.row(p) for p in v.parents]
    if type(v.data) is float:  # after a loss: recompute it from the sample's values
        return _reapply(v, parents)
    s = x.sample
    shape = v.data.shape[1:]
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        here = tuple(p if not isinstance(p, np.ndarray) else p[index] for p in parents)
        local_grads = tuple(
            local if type(local) is float else float(local[s][index])
            for local in v.local_grads
        )
        out[index] = make_node(float(v.data[s][index]), local_grads, v.op, here)
    return out if shape else out[()]


def _reapply(v: Value, parents: list[Rep]) -> Value:
    """A scalar op downstream of a loss, applied to the sample's own values."""
    record = op_for(v.op)
    params: dict[str, float] = {}
    if v.op.startswith("**"):
        params["n"] = float(v.op[2:])
    elif v.op == "leaky_relu":
        msg = "sample_graph cannot recompute a leaky_relu that follows a loss."
        raise ValueError(msg)
    return apply(record, tuple(_scalar(p) for p in parents), name=v.op, **params)


def _scalar(rep: Rep) -> Value:
    if isinstance(rep, np.ndarray):
        if rep.size != 1:
            msg = "a scalar op needs one number per sample here, not an array."
            raise ValueError(msg)
        return rep.flat[0]
    return rep


def _linear(x: _Expansion, v: Value) -> Rep:
    r"""A layer node for one sample: a weighted sum per neuron, zⱼ = Σₖ Wⱼₖ·xₖ + bⱼ."""
    weights_part, inputs_part, b = split_weighted_sum(v.parents)
    W, X = weights_part[0], inputs_part[0]
    if b is None:
        msg = "a layer node has a bias among its parents (W, X, b)."
        raise ValueError(msg)
    weights = x.row(W)
    inputs = list(x.row(X))
    from_X, from_W, _ = v.local_grads
    assert isinstance(from_X, MatrixLocal) and isinstance(from_W, MatrixLocal)
    s = x.sample
    inputs_data = tuple(float(d) for d in from_X.matrix[s])
    units = v.data.shape[1]
    out = np.empty(units, dtype=object)
    for j in range(units):
        bias = b.element(j) if isinstance(b, ParameterArray) else Value(b.data[j])
        local_grads = (*inputs_data, *map(float, from_W.matrix[j]), 1.0)
        parents = (*weights[j], *inputs, bias)
        out[j] = make_node(float(v.data[s, j]), local_grads, "wsum", parents)
    return out


def _column(x: _Expansion, v: Value) -> Rep:
    (local,) = v.local_grads
    return x.row(v.parents[0])[local.column]


def _reshape(x: _Expansion, v: Value) -> Rep:
    return x.row(v.parents[0]).reshape(v.data.shape[1:])


def _patches(x: _Expansion, v: Value) -> Rep:
    image = x.row(v.parents[0])  # channels × height × width of Values
    (local,) = v.local_grads
    assert isinstance(local, PatchesLocal)
    k, s = local.kernel, local.stride
    channels, height, width = image.shape
    rows, columns = (height - k) // s + 1, (width - k) // s + 1
    out = np.empty((rows * columns, channels * k * k), dtype=object)
    for i in range(rows):
        for j in range(columns):
            patch = image[:, i * s : i * s + k, j * s : j * s + k]
            out[i * columns + j] = patch.reshape(-1)
    return out


def _to_channels(x: _Expansion, v: Value) -> Rep:
    rows = x.row(v.parents[0])  # positions × filters
    _, filters, height, width = v.data.shape
    return rows.T.reshape(filters, height, width)


def _reduction(x: _Expansion, v: Value) -> Rep:
    """Σ or the mean of a batch: of this sample's numbers alone."""
    numbers_ = list(np.ravel(x.row(v.parents[0])))
    if len(numbers_) == 1:
        return apply(op_for(v.op), (numbers_[0],))
    total = vsum(numbers_)
    return total if v.op == "sum" else total * (1.0 / len(numbers_))


def _cross_entropy(x: _Expansion, v: Value) -> Rep:
    r"""One sample's cross-entropy in scalar ops: log Σₖ e^{zₖ−m} − Σₖ yₖ·(zₖ − m)."""
    logits = list(x.row(v.parents[0]))
    targets = v.parents[1].data[x.sample]
    top = Value(-max(z.data for z in logits), "−max")
    shifted = [z + top for z in logits]
    log_sum_exp = vsum([z.exp() for z in shifted]).log()
    picks = [Value(float(t), f"[y={k}]") for k, t in enumerate(targets)]
    return log_sum_exp - wsum(picks, shifted)


def _mse(x: _Expansion, v: Value) -> Rep:
    r"""One sample's squared error: (1/K)·Σₖ (oₖ − tₖ)²."""
    outputs = list(np.ravel(x.row(v.parents[0])))
    targets = np.ravel(v.parents[1].data[x.sample])
    squares = [(o - float(t)) ** 2 for o, t in zip(outputs, targets)]
    return squares[0] if len(squares) == 1 else vsum(squares) * (1.0 / len(squares))


_HANDLERS: dict[str, Callable[[_Expansion, Value], Rep]] = {
    "linear": _linear,
    "column": _column,
    "reshape": _reshape,
    "patches": _patches,
    "to_channels": _to_channels,
    "sum": _reduction,
    "mean": _reduction,
    "cross_entropy": _cross_entropy,
    "mse": _mse,
}
