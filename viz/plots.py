r"""Training pictures with matplotlib: loss curves and decision boundaries.

Both functions draw on a fresh :class:`matplotlib.figure.Figure` (no pyplot,
no global backend switch: safe in scripts, tests and notebooks) in the
classroom style (:mod:`viz.classroom`), save it to ``path`` if given (PNG or
SVG, chosen by the suffix) and return the figure: a
:class:`~matplotlib.figure.Figure` that Jupyter shows as a PNG picture even
without pyplot, and that ``.save(path)`` writes later.
matplotlib (``python -m pip install matplotlib``) is imported only when a plot is
made, so the rest of :mod:`viz` works without it.

>>> fig = plot_history({"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.75, 1.0]})
>>> [ax.get_title() for ax in fig.axes]
['loss', 'accuracy']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import Value
from autograd.data import real_array
from viz.classroom import classroom, figure, legend_beside, save_figure
from viz.colours import CLASS_COLOURS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_decision_boundary", "plot_history", "predict_classes"]


def _series(history: Any, name: str) -> list[float] | None:
    if isinstance(history, Mapping):
        values = history.get(name)
    else:
        values = getattr(history, name, None)
    if values is None or len(values) == 0:
        return None
    return [float(v) for v in values]


def plot_history(
    history: Any, path: str | Path | None = None, held_out: str = "validation"
) -> Figure:
    r"""Loss (and accuracy, if recorded) per epoch, side by side.

    ``history`` has ``loss`` and optionally ``accuracy`` lists, as attributes
    (``nn.fit``'s History) or as dict keys; ``val_loss`` / ``val_accuracy``
    are drawn too when present, named ``held_out`` in the legend (say
    ``"test"`` when the held-out set is a test set). A plain list of numbers
    is taken as losses.
    """
    if isinstance(history, Sequence) and not isinstance(history, str):
        history = {"loss": history}
    loss = _series(history, "loss")
    if loss is None:
        msg = (
            "history has no losses to plot; pass nn.fit's History, or a dict "
            'like {"loss": [...], "accuracy": [...]}.'
        )
        raise ValueError(msg)
    accuracy = _series(history, "accuracy")
    panels = [("loss", loss, _series(history, "val_loss"))]
    if accuracy is not None:
        panels.append(("accuracy", accuracy, _series(history, "val_accuracy")))
    with classroom():
        fig = figure(5.0 * len(panels) + 1.6, 4.0)
        for k, (name, train, validation) in enumerate(panels, start=1):
            ax = fig.add_subplot(1, len(panels), k)
            epochs = np.arange(1, len(train) + 1)
            marker = "o" if len(train) <= 30 else None
            ax.plot(epochs, train, marker=marker, label="train")
            if validation is not None:
                epochs = np.arange(1, len(validation) + 1)
                ax.plot(epochs, validation, "--", marker=marker, label=held_out)
                if k == len(panels):  # one legend, beside the last panel
                    legend_beside(ax)
            ax.set_title(name)
            ax.set_xlabel("epoch")
            ax.grid(True)
            if name == "accuracy":
                ax.set_ylim(-0.02, 1.02)
    save_figure(fig, path)
    return fig


def _scores(output: Any) -> np.ndarray:
    """The model's output for a batch as an array of shape (n, outputs)."""
    if isinstance(output, Value) and len(output.shape) == 2:  # batch × outputs
        return np.asarray(output.data, dtype=float)
    outputs = [output] if isinstance(output, Value) else list(output)
    if not outputs or not all(isinstance(v, Value) for v in outputs):
        msg = "the model must return a Value or a list of Values."
        raise TypeError(msg)
    return np.stack(
        [np.atleast_1d(np.asarray(v.data, dtype=float)) for v in outputs], 1
    )


def predict_classes(model: Any, X: np.ndarray, threshold: float | None = None) -> Any:
    r"""Class predictions of ``model`` for the rows of ``X`` (one batched call).

    One output: class 1 where it is above ``threshold`` (0.5 after a
    sigmoid, else 0). Several outputs: the index of the largest.
    """
    output = model(real_array(X, "X"))
    scores = _scores(output)
    if scores.shape[1] > 1:
        return np.argmax(scores, axis=1)
    if threshold is None:
        single = output if isinstance(output, Value) else next(iter(output))
        # a sigmoid's output is a probability, cut at 0.5; any other score at 0
        threshold = 0.5 if single.op == "sigmoid" else 0.0
    return (scores[:, 0] > threshold).astype(int)


def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any,
    path: str | Path | None = None,
    resolution: int = 150,
    threshold: float | None = None,
    title: str = "decision boundary",
) -> Figure:
    r"""The regions a 2-input classifier gives to each class, with the data on top.

    The model is called once on a grid of ``resolution``² points, as a 2-D
    batch (``model(grid)`` with ``grid`` of shape (n, 2)). A single output is
    thresholded at 0.5 when it comes out of a sigmoid, else at 0 (override with
    ``threshold``); several outputs are read as class scores (argmax).
    """
    X = real_array(X, "X")
    y = np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        msg = f"X must have shape (samples, 2) for a 2-D picture, not {X.shape}."
        raise ValueError(msg)
    if len(y) != len(X):
        msg = f"X has {len(X)} samples but y has {len(y)} labels; give one each."
        raise ValueError(msg)
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int)
        or resolution < 2
    ):
        msg = f"resolution must be a whole number of at least 2, not {resolution!r}."
        raise ValueError(msg)
    low, high = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * np.maximum(high - low, 1e-9)
    xs = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    ys = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    regions = predict_classes(model, grid, threshold).reshape(gx.shape)
    labels = np.unique(y)
    if len(labels) == 2 and set(np.unique(regions).tolist()) <= {0, 1}:
        # one output: class 0/1 stands for the smaller/larger label (-1/1, 0/1)
        regions = np.where(regions == 1, labels[1], labels[0])

    classes = np.unique(np.concatenate([labels, np.unique(regions)]))
    index = {c: i for i, c in enumerate(classes.tolist())}
    colours = [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(len(classes))]
    region_index = np.vectorize(index.__getitem__)(regions)
    with classroom():
        from matplotlib.colors import ListedColormap

        fig = figure(7.2, 5.4)
        ax = fig.add_subplot()
        levels = np.arange(len(classes) + 1) - 0.5
        ax.contourf(
            gx,
            gy,
            region_index,
            levels=levels,
            cmap=ListedColormap(colours),
            alpha=0.25,
        )
        for c in classes.tolist():
            here = y == c
            if here.any():
                ax.scatter(
                    X[here, 0],
                    X[here, 1],
                    color=colours[index[c]],
                    edgecolors="black",
                    linewidths=0.8,
                    s=60,
                    label=f"class {c}",
                )
        ax.set_title(title)
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        legend_beside(ax, title="points and regions")
    save_figure(fig, path)
    return fig
