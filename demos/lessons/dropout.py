r"""Lesson ``dropout``: switch neurons off at random to stop a network overfitting.

A network with many more weights than training samples can learn the
samples by heart: its training loss goes to 0 while its loss on new data
climbs (overfitting). Dropout switches each hidden neuron off with
probability p at every training step (and scales the others by 1/(1 − p)),
so no neuron can count on any other being there. A neuron switched off for a
sample passes no gradient back: its weights are left unchanged by that
sample's step. In evaluation mode (``model.eval()``) nothing is dropped and
the output is deterministic again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import topological_order
from demos.lesson import LessonRun
from viz.classroom import classroom, figure, legend_beside
from viz.colours import class_colour

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "dropout"
SUMMARY = "overfitting 60 points, and the same network with dropout: train vs test loss"
PICTURE = "curves.png"  # the one shown in docs/lessons.md
FILES = ("curves.png", "boundaries.png", "masks.png")
NEEDS = ("matplotlib", "sklearn")  # from the demos extra (moons)

HIDDEN = 64
P = 0.5
NOISE = 0.3
SAMPLES = 400  # 60 to train on, 340 to test on
TEST_SIZE = 0.85
LR = 0.01


def network(seed: int, dropout: bool) -> Any:
    r"""2 → 64 ReLU → 64 ReLU → 2, with ``Dropout(0.5)`` after each hidden layer."""
    import nn

    parts: list[Any] = [nn.Layer(2, HIDDEN, "relu", seed=seed + 1, init="he")]
    if dropout:
        parts.append(nn.Dropout(P, seed=seed + 2))
    parts.append(nn.Layer(HIDDEN, HIDDEN, "relu", seed=seed + 3, init="he"))
    if dropout:
        parts.append(nn.Dropout(P, seed=seed + 4))
    parts.append(nn.Layer(HIDDEN, 2, "linear", seed=seed + 5, init="he"))
    return nn.Sequential(*parts)


def masks(output: Any) -> list[np.ndarray]:
    r"""The dropout masks used in a graph (0 = switched off), first layer first."""
    found = [n.data for n in topological_order(output) if n.label == "mask"]
    return [np.asarray(m) for m in found]


def run(lesson: LessonRun) -> None:
    import nn

    split = nn.data.moons(SAMPLES, noise=NOISE, test_size=TEST_SIZE, seed=lesson.seed)
    X, y = split.X_train, split.y_train
    lesson.heading(f"A small, noisy data set: {len(X)} points to learn from")
    lesson.say(
        f"two moons with noise {NOISE}; {len(split.X_test)} more points kept for the "
        "test"
    )
    count = sum(a.data.size for _, a in network(lesson.seed, False).named_arrays())
    lesson.say(
        f"network 2 → {HIDDEN} → {HIDDEN} → 2 (ReLU): {count:,} weights and biases, "
        f"{count // len(X)} per training point"
    )
    epochs = lesson.epochs(default=300, quick=120)

    models, histories = {}, {}
    for dropout in (False, True):
        name = f"dropout {P:g}" if dropout else "no dropout"
        model = network(lesson.seed, dropout)
        with lesson.one_blas_thread():
            history = nn.fit(
                model,
                X,
                y,
                optimizer=nn.Adam(model, lr=LR),
                epochs=epochs,
                batch_size=len(X),
                seed=lesson.seed,
                progress=lesson.progress,
                validation=(split.X_test, split.y_test),
            )
        models[name], histories[name] = model, history
        train_accuracy = nn.evaluate(model, X, y)
        lesson.say(
            f"  {name:<12} train loss {history.loss[-1]:.4f}, test loss "
            f"{history.val_loss[-1]:.3f};  accuracy train {train_accuracy:.0%}, "
            f"test {history.val_accuracy[-1]:.1%}"
        )
        lesson.note(f"{name} train loss", history.loss[-1])
        lesson.note(f"{name} test loss", history.val_loss[-1])
        lesson.note(f"{name} test accuracy", history.val_accuracy[-1])
    plain = histories["no dropout"]
    best = int(np.argmin(plain.val_loss)) + 1
    lesson.say(f"Without dropout the test loss is lowest after epoch {best}, then")
    lesson.say("climbs while the training loss keeps falling: it learns the noise.")
    lesson.say(
        "With dropout the two stay close: a smoother boundary, a lower test loss."
    )

    lesson.heading("One training step: which neurons were switched off")
    model = models[f"dropout {P:g}"]
    model.train()
    x = X[:1]
    model.zero_grad()
    out = model(x)
    nn.cross_entropy(out, y[:1]).backward()
    first = masks(out)[0][0]
    off = np.flatnonzero(first == 0)
    rows = model.layers[0].W.grad
    silent = int(np.sum(np.all(rows[off] == 0, axis=1)))
    moved = int(np.sum(np.any(rows[first != 0] != 0, axis=1)))
    lesson.say(
        f"for sample 0, dropout switched off {len(off)} of the {HIDDEN} neurons of "
        f"hidden layer 1 (p = {P:g})"
    )
    lesson.say(
        f"their incoming weights got gradient 0 ({silent} of {len(off)} rows): this "
        "step"
    )
    lesson.say(
        f"leaves them unchanged; {moved} of the {HIDDEN - len(off)} others move (a kept"
    )
    lesson.say("neuron whose ReLU is at 0 for this sample gets no gradient either).")
    lesson.say(f"the kept ones are scaled by 1/(1 − p) = {1 / (1 - P):g}.")
    lesson.note("switched off", len(off))
    lesson.note("switched off without gradient", silent)
    batch = model(X[:12])
    step_masks = masks(batch)

    lesson.heading("Evaluation mode: nothing dropped, the same answer every time")
    twice_train = [model(split.X_test[:5]).data.copy() for _ in range(2)]
    model.eval()
    twice_eval = [model(split.X_test[:5]).data.copy() for _ in range(2)]
    train_gap = float(np.abs(twice_train[0] - twice_train[1]).max())
    eval_gap = float(np.abs(twice_eval[0] - twice_eval[1]).max())
    lesson.say(
        f"training mode, the same 5 inputs twice: outputs differ by up to "
        f"{train_gap:.3f}"
    )
    lesson.say(f"model.eval(), the same 5 inputs twice: they differ by {eval_gap:g}")
    lesson.note("train-mode difference", train_gap)
    lesson.note("eval-mode difference", eval_gap)

    for model in models.values():
        model.eval()
    curves = lesson.save_figure(_curves_figure(histories), "curves.png")
    boundaries = lesson.save_figure(_boundaries_figure(models, split), "boundaries.png")
    pictured = lesson.save_figure(_masks_figure(step_masks), "masks.png")
    lesson.heading("Look at")
    lesson.say(f"{curves}: train and test loss per epoch: without dropout they part")
    lesson.say("  ways (overfitting); with dropout they stay together.")
    lesson.say(f"{boundaries}: the decision boundaries: wiggly around single noisy")
    lesson.say("  points without dropout, smooth with it; crosses are the test points.")
    lesson.say(f"{pictured}: one step's masks: for 12 samples, which of the hidden")
    lesson.say("  neurons were switched off (dark).")


@classroom()
def _curves_figure(histories: dict[str, Any]) -> Figure:
    fig = figure(14.0, 5.2)
    axes = fig.subplots(1, len(histories), sharey=True)
    for ax, (name, history) in zip(axes, histories.items()):
        epochs = np.arange(1, history.epochs + 1)
        ax.plot(epochs, history.loss, label="train")
        ax.plot(epochs, history.val_loss, "--", label="test")
        ax.set_yscale("log")
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(True)
    axes[0].set_ylabel("cross-entropy loss")
    legend_beside(axes[-1])
    return fig


@classroom()
def _boundaries_figure(models: dict[str, Any], split: Any) -> Figure:
    from matplotlib.lines import Line2D

    fig = figure(14.0, 6.0)
    axes = fig.subplots(1, len(models))
    X = np.vstack([split.X_train, split.X_test])
    low, high = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    gx, gy = np.meshgrid(
        np.linspace(low[0], high[0], 200), np.linspace(low[1], high[1], 200)
    )
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    for ax, (name, model) in zip(axes, models.items()):
        regions = np.asarray(model(grid).data).argmax(axis=1).reshape(gx.shape)
        ax.contourf(
            gx,
            gy,
            regions,
            levels=[-0.5, 0.5, 1.5],
            colors=[class_colour(0), class_colour(1)],
            alpha=0.25,
        )
        for label in (0, 1):
            colour = class_colour(label)
            test = split.X_test[split.y_test == label]
            train = split.X_train[split.y_train == label]
            ax.scatter(*test.T, color=colour, marker="x", s=40, alpha=0.7)
            ax.scatter(*train.T, color=colour, edgecolors="black", s=50)
        ax.set_title(name)
        ax.set_xticks([])
        ax.set_yticks([])
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            ms=9,
            mfc=class_colour(k),
            mec="black",
            label=f"class {k}, train",
        )
        for k in (0, 1)
    ] + [
        Line2D(
            [],
            [],
            ls="",
            marker="x",
            ms=9,
            mew=2,
            color=class_colour(k),
            label=f"class {k}, test",
        )
        for k in (0, 1)
    ]
    legend_beside(axes[-1], handles=handles)
    return fig


@classroom()
def _masks_figure(step_masks: list[np.ndarray]) -> Figure:
    fig = figure(13.0, 1.6 + 1.8 * len(step_masks))
    axes = fig.subplots(len(step_masks), 1, squeeze=False)[:, 0]
    for k, (ax, mask) in enumerate(zip(axes, step_masks), start=1):
        ax.imshow(mask == 0, cmap="Greys", aspect="auto", vmin=0, vmax=1)
        ax.set_ylabel("sample")
        ax.set_title(f"hidden layer {k}: dark = switched off")
        ax.set_yticks([])
    axes[-1].set_xlabel("neuron")
    return fig
