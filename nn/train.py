r"""Training: the mini-batch loop, accuracy and a history of both.

:func:`fit` runs the loop every network trains with. For each epoch the
samples are shuffled (seeded) and cut into mini-batches; for each batch:

1. forward: ``outputs = model(X_batch)``: one graph for the whole batch;
2. loss: one scalar Value, the mean loss over the batch;
3. ``optimizer.zero_grad()``, then ``loss.backward()``: ∂loss/∂p for all p;
4. ``optimizer.step()``: move every parameter against its gradient.

>>> import nn
>>> X, y = nn.data.xor()
>>> model = nn.MLP(2, [4, 2], activation="tanh", seed=1)
>>> history = fit(model, X, y, optimizer=nn.Adam(model, lr=0.1), epochs=60,
...               batch_size=4, progress=False)
>>> history.accuracy[-1], evaluate(model, X, y)
(1.0, 1.0)
"""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from autograd import Value, softmax_cross_entropy
from autograd.data import is_number, real_array
from autograd.value import fresh_constant
from nn.init import make_rng
from nn.layers import check_size
from nn.losses import (
    LOSSES,
    as_outputs,
    binary_cross_entropy,
    class_targets,
    cross_entropy,
    get_loss,
    hinge,
    penalty_of,
    real_targets,
)
from nn.module import Module
from nn.optim import Adam, Optimizer, non_negative

__all__ = ["History", "accuracy", "evaluate", "fit", "predict"]


@dataclass
class History:
    r"""What :func:`fit` saw, one entry per epoch.

    ``loss`` and ``accuracy`` are over the training samples (measured during
    the epoch, before each batch's update); ``val_loss`` and ``val_accuracy``
    over the validation set after the epoch, when one was given.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """How many epochs were run."""
        return len(self.loss)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(epochs=0)"
        text = f"History(epochs={self.epochs}, loss={self.loss[-1]:.4g}"
        text += f", accuracy={self.accuracy[-1]:.4g}"
        if self.val_loss:
            text += f", val_loss={self.val_loss[-1]:.4g}"
            text += f", val_accuracy={self.val_accuracy[-1]:.4g}"
        return text + ")"


# --- outputs as numbers ------------------------------------------------------------


def _as_matrix(outputs: Any) -> np.ndarray:
    """Outputs (Values, or numbers) as an (n, K) array."""
    if isinstance(outputs, np.ndarray):
        if not np.issubdtype(outputs.dtype, np.number):
            msg = f"outputs must be numbers, not an array of {outputs.dtype}."
            raise TypeError(msg)
        if outputs.ndim == 0:
            return outputs.reshape(1, 1)
        return outputs.reshape(len(outputs), -1 if len(outputs) else 1)
    if isinstance(outputs, Value) and outputs.shape:  # a batch, from layer nodes
        return outputs.data.reshape(outputs.shape[0], -1)
    outs = as_outputs(outputs)
    columns = [np.atleast_1d(np.asarray(o.data, dtype=float)) for o in outs]
    n = max(len(c) for c in columns)
    return np.stack([np.broadcast_to(c, (n,)) for c in columns], axis=1)


def accuracy(outputs: Any, targets: Any, threshold: float | None = None) -> float:
    r"""The fraction of samples classified correctly.

    With K ≥ 2 outputs the predicted class is the largest output (argmax);
    targets are class labels, or one-hot rows (the class is the row's argmax).
    With one output the prediction is "class 1" when the output is above
    ``threshold``: targets of −1/+1 (hinge, tanh) are compared with the sign
    (threshold 0), targets of 0/1 with output > 0.5 (a sigmoid probability).
    Without a threshold it is read from the targets (0 when a −1 is among
    them, else 0.5). Numeric targets that are not class labels (a
    regression's) give nan; targets that are not numbers (strings) or not
    one per sample raise an error.

    >>> accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1]))
    0.5
    >>> accuracy(np.array([0.3, -2.0]), np.array([1, -1]))       # signs
    1.0
    """
    scores = _as_matrix(outputs)
    n, k = scores.shape
    if n == 0:
        msg = "accuracy needs at least one sample, but the outputs are empty."
        raise ValueError(msg)
    if threshold is not None and (
        not is_number(threshold) or not math.isfinite(threshold)
    ):
        msg = f"threshold must be a finite number or None, not {threshold!r}."
        raise TypeError(msg)
    t = _numeric_targets(targets, "accuracy's targets")
    if t.ndim == 2 and t.shape == scores.shape and k >= 2:
        t = np.argmax(t, axis=1)  # one-hot rows (or scores): the class of each
    if t.ndim == 0 or t.reshape(len(t), -1).shape[1] != 1 or len(t) != n:
        msg = (
            f"accuracy needs one target per sample: {n} (or one-hot rows "
            f"of shape {scores.shape}), not targets of shape {t.shape}."
        )
        raise ValueError(msg)
    if k >= 2:
        t = t.reshape(-1)
        whole = np.issubdtype(t.dtype, np.integer) or np.all(t == np.round(t))
        if not (whole and t.min() >= 0 and t.max() < k):
            return math.nan  # not class labels 0..K−1
        return float(np.mean(np.argmax(scores, axis=1) == t))
    t = t.reshape(-1).astype(float)
    s = scores[:, 0]
    labels = set(np.unique(t).tolist())
    if not (labels <= {-1.0, 1.0} or labels <= {0.0, 1.0}):
        return math.nan
    if threshold is None:
        threshold = 0.0 if -1.0 in labels else 0.5
    return float(np.mean((s > threshold) == (t == 1.0)))


def _numeric_targets(targets: Any, what: str) -> np.ndarray:
    """Targets as a numeric array (bools are 0/1), else a TypeError."""
    t = np.asarray(targets)
    if t.dtype == bool:
        return t.astype(int)
    if not np.issubdtype(t.dtype, np.number) or np.iscomplexobj(t):
        msg = (
            f"{what} must be numbers (class labels 0..K−1, ±1 or 0/1, or one-hot "
            f"rows), not {t.dtype} values such as {str(t.flat[0])!r}; map names to "
            "numbers first."
            if t.size
            else f"{what} must be numbers, not an empty {t.dtype} array."
        )
        raise TypeError(msg)
    return t


def _threshold_for(loss: Callable[..., Value], y: np.ndarray) -> float | None:
    """The decision threshold of one output, fixed for a whole training run."""
    if loss is hinge:
        return 0.0
    if loss is binary_cross_entropy:
        return 0.5
    if loss is cross_entropy:
        return None  # K ≥ 2 outputs: the class is the largest, no threshold
    labels = set(np.unique(y).tolist()) if y.size else set()
    if labels and labels <= {-1.0, 1.0} and -1.0 in labels:
        return 0.0
    return 0.5


def predict(model: Module, X: Any, batch_size: int = 512) -> np.ndarray:
    r"""The model's outputs for every row of ``X``, as an (n, K) array.

    Runs in evaluation mode (dropout off) and restores the mode after.
    """
    _check_model(model)
    batch_size = check_size(batch_size, "batch_size")
    X = _check_X(X, model, "X")
    was_training = model.training
    model.eval()
    try:
        parts = [
            _as_matrix(model(X[start : start + batch_size]))
            for start in range(0, len(X), batch_size)
        ]
    finally:
        model.train(was_training)
    return np.concatenate(parts)


def evaluate(
    model: Module,
    X: Any,
    y: Any,
    batch_size: int = 512,
    threshold: float | None = None,
) -> float:
    r"""The accuracy of ``model`` on held-out data (evaluation mode).

    See :func:`accuracy` for how outputs become classes.
    """
    _check_model(model)
    X = _check_X(X, model, "X")
    labels = _numeric_targets(y, "y")
    if labels.ndim == 0 or len(labels) != len(X):
        count = "one label" if labels.ndim == 0 else f"{len(labels)} labels"
        msg = f"X has {len(X)} samples but y has {count}; give one label per sample."
        raise ValueError(msg)
    return accuracy(predict(model, X, batch_size), labels, threshold)


# --- checking the arguments --------------------------------------------------------


def _hits(outputs: Any, targets: np.ndarray, threshold: float | None) -> float:
    r"""How many samples of a batch are classified correctly, as :func:`accuracy`
    counts them (the quick way for class labels, already checked by ``fit``)."""
    scores = outputs.data if isinstance(outputs, Value) else None
    if (
        type(scores) is np.ndarray
        and scores.ndim == 2
        and scores.shape[1] >= 2
        and targets.ndim == 1
        and targets.dtype.kind in "iu"
    ):
        return float(np.count_nonzero(scores.argmax(axis=1) == targets))
    return accuracy(outputs, targets, threshold) * len(targets)


def _check_model(model: Any) -> None:
    if not isinstance(model, Module) or not callable(model):
        msg = f"model must be a callable nn.Module, not {type(model).__name__}."
        raise TypeError(msg)


def _check_optimizer(optimizer: Any, model: Module) -> Optimizer:
    """The optimizer, if it is one and it updates parameters of this model."""
    if not isinstance(optimizer, Optimizer):
        msg = (
            "optimizer must be an nn.Optimizer such as nn.Adam(model), not "
            f"{optimizer!r}."
        )
        raise TypeError(msg)
    arrays = {id(array) for _, array in model.named_arrays()}
    if any(id(array) in arrays for array in optimizer.arrays):
        return optimizer  # the quick answer: it updates one of the model's layers
    owned = {id(p) for p in model.parameters()}
    if not any(id(p) in owned for p in optimizer.params):
        msg = (
            "the optimizer updates none of this model's parameters (was it made "
            "for another model?); pass one made for it, e.g. nn.Adam(model)."
        )
        raise ValueError(msg)
    return optimizer


def _logits_of(outputs: Any, k: int) -> bool:
    """True for a batch × k matrix of logits: what cross-entropy's fused node takes."""
    data = outputs.data if isinstance(outputs, Value) else None
    return type(data) is np.ndarray and data.shape[1:] == (k,)


def _check_loss(value: Any) -> Value:
    """What a loss returned: it must be one number, as a Value."""
    if not isinstance(value, Value) or value.shape != ():
        got = (
            f"a Value of shape {value.shape}"
            if isinstance(value, Value)
            else type(value).__name__
        )
        msg = (
            f"the loss must return one number as a Value (the mean over the "
            f"batch, e.g. (outputs - targets).mean()), not {got}."
        )
        raise TypeError(msg)
    return value


def _diverged(model: Module, outputs: Any) -> bool:
    """True when the parameters or the outputs are no longer finite numbers."""
    for _, array in model.named_arrays():
        if not np.isfinite(array.data).all():
            return True
    for p in model.parameter_groups()[1]:  # the parameters in no array
        if not np.isfinite(p.data).all():
            return True
    return isinstance(outputs, Value) and not np.isfinite(outputs.data).all()


def _check_X(X: Any, model: Module, what: str) -> np.ndarray:
    # complex numbers are refused, not cut to their real parts
    array = real_array(X, what, "a numeric array of shape (samples, features)")
    if array.ndim < 2:
        msg = (
            f"{what} must have one row per sample, shape (samples, features), not "
            f"{array.shape}; for one feature use {what}.reshape(-1, 1)."
        )
        raise ValueError(msg)
    if len(array) == 0:
        msg = f"{what} is empty; training needs at least one sample."
        raise ValueError(msg)
    if not np.isfinite(array).all():
        msg = f"{what} holds nan or inf; clean the data first."
        raise ValueError(msg)
    nin = getattr(model, "nin", None)
    if nin is not None and array.ndim == 2 and array.shape[1] != nin:
        msg = (
            f"the model takes {nin} inputs per sample, but {what} has "
            f"{array.shape[1]} columns (shape {array.shape})."
        )
        raise ValueError(msg)
    return array


def _count_outputs(model: Module, X: np.ndarray) -> int:
    """Run one sample through the model to count its outputs.

    The mode does not matter: dropout changes values, never how many there are.
    """
    out = model(X[:1])
    if isinstance(out, Value) and len(out.shape) == 2:
        return out.shape[1]  # a batch × K matrix: K outputs, no need to split it
    return len(as_outputs(out))


def _check_y(
    y: Any, n: int, k: int, loss: Callable[..., Value], what: str
) -> np.ndarray:
    t = np.asarray(y)
    if t.ndim == 0 or len(t) != n:
        msg = f"{what} must have one target per sample: {n}, not shape {t.shape}."
        raise ValueError(msg)
    if loss is cross_entropy and k < 2:
        cross_entropy(Value(0.0), 0)  # raises the error that explains it
    if loss is cross_entropy or (loss is hinge and k >= 2):
        class_targets(t, n, k)
        return t.astype(int)
    if loss is hinge and not np.all(np.isin(t, (-1, 1))):
        msg = f"hinge with one output needs {what} of −1 or +1 (map 0/1 as 2y − 1)."
        raise ValueError(msg)
    if loss is binary_cross_entropy and not np.all((t >= 0) & (t <= 1)):
        msg = f"binary_cross_entropy needs {what} between 0 and 1, the class (0 or 1)."
        raise ValueError(msg)
    if loss in LOSSES.values():
        real_targets(t, n, k)
    return t


class EpochLog:
    r"""Progress as one line per epoch: for a log (CI, a file), or without tqdm.

    Iterating gives the epochs; ``set_postfix`` (as tqdm's) prints the line.
    """

    def __init__(self, epochs: int, stream: TextIO) -> None:
        self.epochs, self.stream, self.epoch = epochs, stream, 0

    def __iter__(self) -> Iterator[int]:
        for epoch in range(self.epochs):
            self.epoch = epoch
            yield epoch

    def set_postfix(self, **figures: str) -> None:
        shown = ", ".join(f"{name} {value}" for name, value in figures.items())
        print(f"epoch {self.epoch + 1}/{self.epochs}: {shown}", file=self.stream)
        self.stream.flush()


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython with a kernel attached)."""
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)()
    return getattr(shell, "kernel", None) is not None


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # blocked, or half imported
        return False


def _progress_bar(epochs: int, progress: bool) -> Any:
    r"""What shows the epochs go by.

    A tqdm bar in a terminal; in Jupyter tqdm's widget (with ipywidgets) or
    its text bar (without); one line per epoch in a log (standard error not
    a terminal) or without tqdm; nothing with ``progress=False``.
    """
    stream = sys.stderr
    if not progress or stream is None:
        return range(epochs)
    notebook = _in_notebook()
    if _has("tqdm") and (notebook or stream.isatty()):
        if notebook and _has("ipywidgets"):
            from tqdm.notebook import tqdm
        else:
            from tqdm.std import tqdm
        return tqdm(range(epochs), desc="training", unit="epoch")
    return EpochLog(epochs, stream)


# --- the loop ----------------------------------------------------------------------


def fit(
    model: Module,
    X: Any,
    y: Any,
    loss: str | Callable[[Any, Any], Value] = "cross_entropy",
    optimizer: Optimizer | None = None,
    epochs: int = 10,
    batch_size: int = 32,
    *,
    seed: int | None = None,
    progress: bool = True,
    validation: tuple[Any, Any] | None = None,
    l2: float = 0.0,
    callback: Callable[[int, History], Any] | None = None,
) -> History:
    r"""Train ``model`` on ``X`` (one row per sample) and targets ``y``.

    ``loss`` is a name (``"cross_entropy"``, ``"mse"``, ``"l1"``, ``"hinge"``,
    ``"binary_cross_entropy"``) or a function ``(outputs, targets) -> Value``.
    ``optimizer`` defaults to ``Adam(model, lr=0.01)``. Each epoch shuffles
    the samples (with a generator seeded by ``seed``, or without it the
    library-wide one, :func:`nn.manual_seed`) and runs mini-batches of
    ``batch_size`` through the batched graph. ``l2`` > 0 adds the penalty
    l2·Σp². ``validation=(X_val, y_val)`` is scored after every epoch.
    ``callback(epoch, history)`` runs after every epoch. ``progress`` shows a
    tqdm bar (when tqdm is installed).

    Every argument is checked before the first update; a loss that becomes
    nan or infinite stops training with a FloatingPointError.
    """
    epochs = check_size(epochs, "epochs")
    batch_size = check_size(batch_size, "batch_size")
    loss_fn = get_loss(loss)
    _check_model(model)
    X = _check_X(X, model, "X")
    k = _count_outputs(model, X)
    y = _check_y(y, len(X), k, loss_fn, "y")
    if validation is not None:
        if not isinstance(validation, tuple | list) or len(validation) != 2:
            msg = "validation must be a pair (X_val, y_val)."
            raise TypeError(msg)
        X_val = _check_X(validation[0], model, "X_val")
        y_val = _check_y(validation[1], len(X_val), k, loss_fn, "y_val")
    optimizer = (
        Adam(model, lr=0.01)
        if optimizer is None
        else _check_optimizer(optimizer, model)
    )
    if callback is not None and not callable(callback):
        msg = f"callback must be a function (epoch, history) -> None, not {callback!r}."
        raise TypeError(msg)
    l2 = non_negative(l2, "l2")

    threshold = _threshold_for(loss_fn, y)
    matrix = X.ndim == 2 and X.dtype == np.float64  # one constant: see the loop
    classes = loss_fn is cross_entropy  # the fused loss node, at once
    rng = make_rng(seed)
    history = History()
    groups = model.parameter_groups() if l2 else None
    model.train()
    bar = _progress_bar(epochs, progress)
    for epoch in bar:
        order = rng.permutation(len(X))
        X_shuffled, y_shuffled = X[order], y[order]  # each batch: a slice of these
        total_loss = 0.0
        correct = 0.0
        for step, start in enumerate(range(0, len(X), batch_size), start=1):
            X_batch = X_shuffled[start : start + batch_size]
            y_batch = y_shuffled[start : start + batch_size]
            outputs = None
            try:
                # rows of fit's own shuffled copy, checked above: no copy, no checks
                outputs = model(fresh_constant(X_batch, "x") if matrix else X_batch)
                batch_loss = (
                    softmax_cross_entropy(outputs, y_batch)  # y checked above
                    if classes and _logits_of(outputs, k)
                    else _check_loss(loss_fn(outputs, y_batch))
                )
                objective = (
                    batch_loss + penalty_of(*groups, float(l2))
                    if groups
                    else batch_loss
                )
                if not math.isfinite(objective.data):
                    msg = f"the loss became {objective.data}"
                    raise FloatingPointError(msg)
                # measured before the update, so that nothing can fail after it
                hits = _hits(outputs, y_batch, threshold)
                optimizer.zero_grad()
                objective.backward()
                optimizer.step()
            except (FloatingPointError, ValueError, ZeroDivisionError) as error:
                if not isinstance(error, FloatingPointError) and not _diverged(
                    model, outputs
                ):
                    raise  # a mistake in the arguments, not an overflow
                reason = str(error).rstrip(".")
                if "learning rate" not in reason:
                    reason += "; lower the learning rate (or scale the inputs)"
                where = f"epoch {epoch + 1}, step {step}"
                msg = f"training diverged in {where}: {reason}, and train again."
                raise FloatingPointError(msg) from None
            total_loss += batch_loss.data * len(X_batch)
            correct += hits
        history.loss.append(total_loss / len(X))
        history.accuracy.append(correct / len(X))
        if validation is not None:
            try:
                val_loss, val_accuracy = _score(model, loss_fn, X_val, y_val, threshold)
            except FloatingPointError as error:
                reason = str(error).rstrip(".")
                msg = (
                    f"training diverged in epoch {epoch + 1} (on the validation "
                    f"set): {reason}."
                )
                raise FloatingPointError(msg) from None
            if not math.isfinite(val_loss):
                msg = (
                    f"training diverged in epoch {epoch + 1}: the validation loss "
                    f"became {val_loss}; lower the learning rate (or scale the "
                    "inputs), and train again."
                )
                raise FloatingPointError(msg)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_accuracy)
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(
                loss=f"{history.loss[-1]:.4f}", acc=f"{history.accuracy[-1]:.3f}"
            )
        if callback is not None:
            callback(epoch, history)
    if hasattr(bar, "close"):
        bar.close()
    return history


def _score(
    model: Module,
    loss_fn: Callable[[Any, Any], Value],
    X: np.ndarray,
    y: np.ndarray,
    threshold: float | None,
    batch_size: int = 512,
) -> tuple[float, float]:
    """The mean loss and the accuracy on (X, y), in evaluation mode."""
    was_training = model.training
    model.eval()
    total_loss = correct = 0.0
    try:
        for start in range(0, len(X), batch_size):
            rows = slice(start, start + batch_size)
            outputs = model(X[rows])
            n = len(X[rows])
            total_loss += loss_fn(outputs, y[rows]).data * n
            correct += accuracy(outputs, y[rows], threshold) * n
    finally:
        model.train(was_training)
    return total_loss / len(X), correct / len(X)
