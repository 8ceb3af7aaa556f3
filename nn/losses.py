r"""Losses: how far a network's outputs are from the targets, as one Value.

Every loss takes the network's ``outputs`` (one Value, or a list of Values:
one per output neuron) and the ``targets``, and returns **one scalar Value**:
the mean over the batch (a single sample is a batch of one; every loss takes
``reduction="mean" | "sum" | "none"``, as in PyTorch). Targets are
numbers, or numpy arrays for a batch; class targets are integers.

=========================  =========================================  ==============
loss                       per sample                                 targets
=========================  =========================================  ==============
``mse``                    (1/K)·Σₖ (oₖ − tₖ)²                         numbers
``l1``                     (1/K)·Σₖ |oₖ − tₖ|                          numbers
``hinge``                  max(0, 1 − t·o);  multi-class:              ±1;  classes
                           Σ_{k≠y} max(0, 1 + oₖ − o_y)
``cross_entropy``          log Σₖ e^{zₖ} − z_y   (softmax + log loss)   classes 0..K−1
``binary_cross_entropy``   −t·log p − (1 − t)·log(1 − p)              0 or 1
=========================  =========================================  ==============

They are built from the engine's ops only, so a loss is part of the graph:
it can be stepped through, explained and drawn like the network. The
outputs of a batch (one Value holding batch × outputs, from layer nodes)
get a *fused* loss node where there is one (``mse``, ``cross_entropy``),
whose local derivative is the closed form: 2(o − t)/N, or
(softmax − one-hot)/n.

>>> from autograd import Value
>>> logits = [Value(2.0), Value(1.0), Value(0.1)]
>>> round(cross_entropy(logits, 0).data, 4)
0.417
>>> round(cross_entropy([Value(1000.0), Value(-1000.0)], 1).data)   # no overflow
2000
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from autograd import (
    Constant,
    Value,
    column,
    mean_squared_error,
    softmax_cross_entropy,
    vsum,
    wsum,
)
from autograd.data import real_array, value_at
from autograd.layer_rules import cross_entropy_graph
from autograd.value import VALUES, name_of
from nn.module import Module, array_groups
from nn.optim import non_negative

__all__ = [
    "LOSSES",
    "binary_cross_entropy",
    "cross_entropy",
    "get_loss",
    "hinge",
    "l1",
    "l2_penalty",
    "mse",
    "softmax",
]

Loss = Callable[[Any, Any], Value]


# --- checking what a loss is given -------------------------------------------------


def is_batch_output(outputs: Any) -> bool:
    """True for one Value holding a batch (a layer node's output, or a column)."""
    return isinstance(outputs, Value) and outputs.shape != ()


def as_outputs(outputs: Any) -> list[Value]:
    """The network's outputs as a list of Values (one per output neuron).

    A batch × K matrix Value becomes its K columns (one node each).
    """
    if isinstance(outputs, Value):
        if len(outputs.shape) == 2:
            return [column(outputs, j) for j in range(outputs.shape[1])]
        return [outputs]
    if (
        isinstance(outputs, Sequence)
        and outputs
        and all(isinstance(o, Value) for o in outputs)
    ):
        return list(outputs)
    msg = (
        "outputs must be a Value or a non-empty list of Values (the network's "
        f"outputs), not {type(outputs).__name__}."
    )
    raise TypeError(msg)


def batch_size(outputs: list[Value]) -> int | None:
    """The batch size of the outputs, or None for a single sample."""
    sizes = {o.batch_size for o in outputs if o.batch_size is not None}
    if len(sizes) > 1:
        msg = f"the outputs hold batches of different sizes: {sorted(sizes)}."
        raise ValueError(msg)
    return sizes.pop() if sizes else None


def real_targets(targets: Any, n: int | None, k: int) -> list[Any]:
    r"""One target per output: floats for one sample, arrays of n for a batch."""
    t = real_array(targets, "targets", "numbers or a numeric array")
    if not np.isfinite(t).all():
        msg = "targets must be finite numbers (no nan or inf)."
        raise ValueError(msg)
    if n is None:
        wanted: tuple[tuple[int, ...], ...] = ((), (1,)) if k == 1 else ((k,),)
    else:
        wanted = ((n,), (n, 1)) if k == 1 else ((n, k),)
    if t.shape not in wanted:
        need = " or ".join(str(shape) for shape in wanted)
        msg = (
            f"targets have shape {t.shape}, but {k} output(s) for "
            f"{'one sample' if n is None else f'a batch of {n}'} need shape {need}."
        )
        raise ValueError(msg)
    if n is None:
        return [float(x) for x in t.reshape(k)]
    return [np.ascontiguousarray(column) for column in t.reshape(n, k).T]


def target_array(targets: Any, outputs: Value) -> np.ndarray:
    r"""The targets of a batch output, as an array of the output's shape."""
    shape = outputs.shape
    n, k = shape[0], (shape[1] if len(shape) == 2 else 1)
    if isinstance(targets, np.ndarray) and targets.dtype.kind in "iuf":
        fits = targets.shape in (((n,), (n, 1)) if k == 1 else ((n, k),))
        if fits and np.isfinite(targets).all():  # the usual case, said at once
            return targets.reshape(shape)
    columns = real_targets(targets, n, k)  # the general case, with its errors
    return np.stack(columns, axis=1).reshape(shape)


def class_targets(targets: Any, n: int | None, k: int) -> Any:
    r"""Class indices in 0..k−1: an int for one sample, an int array for a batch."""
    t = np.asarray(targets)
    kind = t.dtype.kind
    if kind not in "iuf":  # not bool, complex, text or objects: real numbers only
        msg = f"class targets must be integers 0..{k - 1}, not {t.dtype} values."
        raise TypeError(msg)
    whole = kind != "f" or (np.all(np.isfinite(t)) and np.all(t == np.round(t)))
    if not whole:
        msg = f"class targets must be whole numbers 0..{k - 1}."
        raise ValueError(msg)
    wanted = () if n is None else (n,)
    if t.shape != wanted:
        what = "one sample" if n is None else f"a batch of {n}"
        msg = f"class targets have shape {t.shape}, but {what} needs shape {wanted}"
        if t.ndim == 2 and t.shape == (n, k):
            msg += "; for one-hot rows pass their classes, targets.argmax(axis=1)"
        raise ValueError(msg + ".")
    if t.size and (np.minimum.reduce(t, None) < 0 or np.maximum.reduce(t, None) >= k):
        bad = t.flat[int(np.flatnonzero((t < 0) | (t >= k))[0])]
        msg = (
            f"class target {bad:g} is out of range: with {k} outputs, the "
            f"classes are 0..{k - 1}."
        )
        raise ValueError(msg)
    if n is None:
        return int(t)
    return t if t.dtype == np.intp else t.astype(int)  # only read, never changed


def _finite(outs: list[Value], loss: str, what: str) -> None:
    r"""A FloatingPointError if an output is nan or infinite: training has diverged.

    The fused cross-entropy node says the same; without this check the first
    op to notice would be a log far down the loss, blaming itself.
    """
    for o in outs:
        data = o.data
        if type(data) is float and math.isfinite(data):
            continue
        bad = ~np.isfinite(data)
        if np.any(bad):
            where, value = value_at(data, bad)
            msg = (
                f"{loss} got {value} among the {what} ({name_of(o)}{where}): the "
                "network's outputs overflowed or hold nan, so training has diverged; "
                "lower the learning rate (or scale the inputs)."
            )
            raise FloatingPointError(msg)


def _mean(per_sample: Value) -> Value:
    """The mean over the batch of a per-sample loss (itself, for one sample)."""
    return per_sample.mean() if per_sample.batch_size is not None else per_sample


#: How a loss reduces its per-sample (or per-element) terms, as in PyTorch.
REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction: Any) -> str:
    """``reduction`` itself if it is one of :data:`REDUCTIONS`, else an error."""
    if reduction not in REDUCTIONS:
        msg = f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}."
        raise ValueError(msg)
    return str(reduction)


def _reduced(terms: Value, reduction: str) -> Value:
    """Terms (one per sample, or per element) as their mean, sum, or themselves."""
    if reduction == "none" or terms.batch_size is None:
        return terms
    return terms.mean() if reduction == "mean" else terms.sum()


def _scaled(mean: Value, reduction: str, count: int) -> Value:
    """A fused mean loss as asked: itself, or the sum (the mean times ``count``)."""
    return mean if reduction == "mean" or count == 1 else mean * float(count)


def _average(terms: list[Value]) -> Value:
    """(1/K)·Σₖ termₖ, with no extra node when K = 1."""
    return terms[0] if len(terms) == 1 else vsum(terms) * (1.0 / len(terms))


def _one_hot(labels: Any, k: int, n: int | None) -> list[Value]:
    """Constant Values [y = j] for j = 0..k−1 (floats or arrays of 0/1)."""
    if n is None:
        return [Constant(float(labels == j), label=f"[y={j}]") for j in range(k)]
    return [Constant((labels == j).astype(float), label=f"[y={j}]") for j in range(k)]


def _picked(outs: list[Value], labels: Any, n: int | None) -> Value:
    """The output of the target class, o_y: one wsum Σₖ oₖ·[y = k] for a batch."""
    if n is None:
        return outs[labels]
    return wsum(outs, _one_hot(labels, len(outs), n))


# --- the losses --------------------------------------------------------------------


def mse(outputs: Any, targets: Any, reduction: str = "mean") -> Value:
    r"""Mean squared error: (1/K)·Σₖ (oₖ − tₖ)², averaged over the batch.

    ∂/∂oₖ = 2(oₖ − tₖ)/K per sample (divided by n for a batch of n).
    ``reduction`` as in PyTorch: ``"mean"`` over every element, ``"sum"`` of
    every (oₖ − tₖ)², ``"none"`` the squares themselves (a Value of the
    outputs' shape; for outputs given as a list of Values, one mean per
    sample).

    >>> from autograd import Value
    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data      # (1 + 4) / 2
    2.5
    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0], reduction="sum").data
    5.0
    """
    return _elementwise(outputs, targets, reduction, lambda d: d**2, "mse")


def _elementwise(
    outputs: Any,
    targets: Any,
    reduction: str,
    term: Callable[[Value], Value],
    name: str,
) -> Value:
    r"""A loss that is the mean of ``term(oₖ − tₖ)`` over every element."""
    reduction = check_reduction(reduction)
    if is_batch_output(outputs):
        wanted = target_array(targets, outputs)
        if name == "mse" and reduction != "none":
            return _scaled(
                mean_squared_error(outputs, wanted), reduction, int(wanted.size)
            )
        terms = term(outputs - Constant(wanted, label="t"))
        return _reduced(terms, reduction)
    outs = as_outputs(outputs)
    targets_k = real_targets(targets, batch_size(outs), len(outs))
    terms_k = [term(o - t) for o, t in zip(outs, targets_k)]
    if reduction == "none":  # outputs as a list of Values: one term per sample
        return _average(terms_k)
    loss = _mean(_average(terms_k))
    n = batch_size(outs) or 1
    return _scaled(loss, reduction, n * len(outs))


def l1(outputs: Any, targets: Any, reduction: str = "mean") -> Value:
    r"""Mean absolute error: (1/K)·Σₖ |oₖ − tₖ|, averaged over the batch.

    |d| is built as ReLU(d) + ReLU(−d), so ∂|d|/∂d = sign(d) (0 at d = 0).
    ``reduction`` as for :func:`mse`.

    >>> from autograd import Value
    >>> l1(Value(np.array([1.0, -2.0])), np.array([0.0, 0.0])).data
    1.5
    >>> l1(Value(np.array([1.0, -2.0])), np.array([0.0, 0.0]), "none").data
    array([1., 2.])
    """
    return _elementwise(
        outputs, targets, reduction, lambda d: d.relu() + (-d).relu(), "l1"
    )


def hinge(outputs: Any, targets: Any, reduction: str = "mean") -> Value:
    r"""The max-margin (SVM) loss, averaged over the batch.

    One output o and targets t = ±1: max(0, 1 − t·o), zero once the sample
    is on the right side with a margin of 1. K ≥ 2 outputs and class
    targets y: Σ_{k≠y} max(0, 1 + oₖ − o_y) (built as the sum over every k
    minus 1, the k = y term, whose gradient is zero).

    >>> from autograd import Value
    >>> hinge(Value(0.25), 1).data, hinge(Value(3.0), 1).data
    (0.75, 0.0)
    """
    reduction = check_reduction(reduction)
    outs = as_outputs(outputs)
    n = batch_size(outs)
    if len(outs) == 1:
        (t,) = real_targets(targets, n, 1)
        if not np.all(np.abs(t) == 1.0):
            msg = "hinge with one output needs targets of −1 or +1 (map 0/1 as 2y − 1)."
            raise ValueError(msg)
        return _reduced((outs[0] * (-t) + 1.0).relu(), reduction)
    labels = class_targets(targets, n, len(outs))
    target = _picked(outs, labels, n)
    margins = [(o - target + 1.0).relu() for o in outs]
    return _reduced(vsum(margins) - 1.0, reduction)


def softmax(logits: Any) -> list[Value]:
    r"""Probabilities pₖ = e^{zₖ} / Σⱼ e^{zⱼ}, built from exp, Σ and a power −1.

    The largest logit m (per sample) is subtracted first, as a constant:
    e^{zₖ − m} / Σⱼ e^{zⱼ − m} is the same pₖ (the m cancels), but no
    exponential can overflow.

    >>> from autograd import Value
    >>> [round(p.data, 4) for p in softmax([Value(1.0), Value(1000.0)])]
    [0.0, 1.0]
    """
    outs = as_outputs(logits)
    exps = [z.exp() for z in _shifted(outs)]
    inverse = vsum(exps) ** -1
    return [e * inverse for e in exps]


def _shifted(outs: list[Value]) -> list[Value]:
    """zₖ − m with m = maxⱼ zⱼ per sample, a constant (softmax is shift-invariant)."""
    if batch_size(outs) is None:
        top: Any = max(o.data for o in outs)
    else:
        top = functools.reduce(np.maximum, [o.data for o in outs])
    largest = Constant(top, label="max")  # one constant leaf shared by all k
    return [o - largest for o in outs]


def cross_entropy(logits: Any, targets: Any, reduction: str = "mean") -> Value:
    r"""Softmax cross-entropy: −log pᵧ = log Σₖ e^{zₖ} − z_y, averaged over the batch.

    ``logits`` are K ≥ 2 raw scores (a linear last layer); ``targets`` class
    indices. Numerically stable: with m = maxₖ zₖ (a constant per sample),

        log Σₖ e^{zₖ} − z_y = log Σₖ e^{zₖ − m} − (z_y − m)

    and every e^{zₖ − m} ≤ 1 with at least one equal to 1, so neither exp
    nor log can overflow, even for logits of ±1000. ∂/∂zₖ = pₖ − [k = y].

    >>> from autograd import Value
    >>> z = [Value(np.array([0.0, 5.0])), Value(np.array([0.0, -5.0]))]
    >>> round(cross_entropy(z, np.array([0, 1])).data, 4)  # mean of log 2 and ~10
    5.3466
    """
    reduction = check_reduction(reduction)
    fused = reduction != "none" and is_batch_output(logits)
    if fused and len(logits.shape) == 2 and logits.shape[1] >= 2:
        n, k = logits.shape
        mean = softmax_cross_entropy(logits, class_targets(targets, n, k))
        return _scaled(mean, reduction, n)
    outs = as_outputs(logits)
    if len(outs) < 2:
        msg = (
            "cross_entropy needs at least 2 outputs (one logit per class); for one "
            "output use binary_cross_entropy with a sigmoid, or hinge."
        )
        raise ValueError(msg)
    n = batch_size(outs)
    labels = class_targets(targets, n, len(outs))
    _finite(outs, "cross_entropy", "logits")
    target = int(labels) if n is None else _one_hot(labels, len(outs), n)
    return _reduced(cross_entropy_graph(outs, target, VALUES), reduction)


def binary_cross_entropy(outputs: Any, targets: Any, reduction: str = "mean") -> Value:
    r"""Log loss of one probability p = σ(z): −t·log p − (1 − t)·log(1 − p).

    Targets are 0 or 1 (any t in [0, 1] works). When the output is a sigmoid
    node, as from ``output_activation="sigmoid"``, the loss is computed from
    its input z in the stable form

        −t·log σ(z) − (1 − t)·log(1 − σ(z)) = ReLU(z) − t·z + log(1 + e^{−|z|})

    which never takes the log of 0; the gradient is the same, σ(z) − t, at
    every z, 0 included: −|z| is built as z − 2·ReLU(z) from the same ReLU
    node, so at the kink both pieces take the same side and their slopes add
    up to σ(0) − t = 1/2 − t. (Built as ReLU(z) + ReLU(−z), |z| would take
    slope 0 while ReLU(z) took the other side: −t at z = 0.) Any other output
    must lie strictly in (0, 1).

    >>> from autograd import Value
    >>> round(binary_cross_entropy(Value(0.0).sigmoid(), 1).data, 4)    # log 2
    0.6931
    >>> round(binary_cross_entropy(Value(-800.0).sigmoid(), 1).data)  # no log 0
    800
    """
    reduction = check_reduction(reduction)
    outs = as_outputs(outputs)
    if len(outs) != 1:
        msg = (
            f"binary_cross_entropy takes one output (a probability), not {len(outs)}; "
            "for several classes use cross_entropy."
        )
        raise ValueError(msg)
    (p,) = outs
    (t,) = real_targets(targets, batch_size(outs), 1)
    if np.any((t < 0) | (t > 1)):
        msg = "binary_cross_entropy targets must be between 0 and 1 (class 0 or 1)."
        raise ValueError(msg)
    # The one op named here, on purpose: log σ(z) has a stable form in z that
    # only a sigmoid's output has (a fact of its math, not of its record).
    if p.op == "sigmoid":
        z = p.parents[0]
        _finite([z], "binary_cross_entropy", "inputs of its sigmoid")
        positive = z.relu()
        minus_absolute = z - positive * 2.0  # −|z|, from the same ReLU as max(z, 0)
        softplus = positive + (minus_absolute.exp() + 1.0).log()
        return _reduced(softplus - z * t, reduction)
    _finite([p], "binary_cross_entropy", "probabilities")
    if not np.all((np.asarray(p.data) > 0) & (np.asarray(p.data) < 1)):
        msg = (
            "binary_cross_entropy needs probabilities strictly between 0 and 1; "
            "give it the output of a sigmoid (output_activation='sigmoid')."
        )
        raise ValueError(msg)
    return _reduced(-(p.log() * t + (1.0 - p).log() * (1.0 - t)), reduction)


def l2_penalty(parameters: Module | Iterable[Value], alpha: float = 1e-4) -> Value:
    r"""The L2 (weight decay) penalty α·Σᵢ pᵢ², to add to a loss.

    Built as one ``wsum`` node Σᵢ pᵢ·pᵢ whose weights and inputs are the same
    parameters: each pᵢ gets pᵢ from both roles, 2pᵢ in all, as d(p²)/dp.
    The parameters of a weight matrix are taken together, as Σ (W·W) over
    the matrix (one node, however many weights).

    >>> from autograd import Value
    >>> p = [Value(3.0), Value(-1.0)]
    >>> penalty = l2_penalty(p, alpha=0.5)
    >>> penalty.data
    5.0
    >>> penalty.backward(); [v.grad for v in p]            # α·2p
    [3.0, -1.0]
    """
    if isinstance(parameters, Module):
        return penalty_of(*parameters.parameter_groups(), non_negative(alpha, "alpha"))
    ps = list(parameters)
    if not ps or not all(isinstance(p, Value) for p in ps):
        msg = "l2_penalty needs a Module or a non-empty list of parameter Values."
        raise ValueError(msg)
    return penalty_of(*array_groups(ps), non_negative(alpha, "alpha"))


def penalty_of(
    arrays: list[tuple[Any, Any]], loose: list[Value], alpha: float
) -> Value:
    r"""α·(Σ over whole arrays of Σ W² + Σ over the other parameters of p²)."""
    terms = [(array * array).sum() for array, places in arrays if places is None]
    rest = [*loose]
    for array, places in arrays:
        if places is not None:
            shape = array.data.shape
            rest.extend(array.element(*np.unravel_index(i, shape)) for i in places)
    if rest:
        terms.append(wsum(rest, rest))
    return (terms[0] if len(terms) == 1 else vsum(terms)) * alpha


LOSSES: dict[str, Loss] = {
    "mse": mse,
    "l1": l1,
    "hinge": hinge,
    "cross_entropy": cross_entropy,
    "binary_cross_entropy": binary_cross_entropy,
}


def get_loss(loss: str | Loss) -> Loss:
    """A loss function from its name (see ``LOSSES``), or ``loss`` if callable."""
    if callable(loss):
        return loss
    if loss == "bce":
        return binary_cross_entropy
    if loss not in LOSSES:
        msg = (
            f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}, "
            "or pass a function."
        )
        raise ValueError(msg)
    return LOSSES[loss]
