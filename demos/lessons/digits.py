r"""Lesson ``digits``: handwritten digit recognition on 8×8 images.

scikit-learn's 1,797 handwritten digits, 8×8 pixels each: 1,437 to train
on, 360 kept aside to test. An MLP (64 pixels → 32 ReLU neurons → 10 class
scores, softmax cross-entropy) reaches about 97% test accuracy in a few
seconds; ``--cnn`` trains a small convolutional network instead, whose 3×3
filters slide over the image sharing their weights.

Last, the second article's receptive fields of a deeper convolutional
layer: in a network of two 3×3 convolutions, a second-layer filter reads
3×3 positions of the first layer's maps, each of which saw 3×3 pixels, so
it looks at 5×5 pixels; its field there is a weighted sum of the first
layer's filters at each offset, the weights carried down to the input.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

from demos.lesson import LessonRun, with_article
from viz.classroom import classroom, figure, sign_colour_map
from viz.colours import NEGATIVE, POSITIVE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "digits"
SUMMARY = "handwritten 8x8 digits to ≥95% test accuracy in seconds; mistakes, fields"
PICTURE = "mistakes.png"  # the one shown in docs/lessons.md
FILES = ("history.png", "mistakes.png", "fields.svg", "deeper_fields.png")
NEEDS = ("matplotlib", "sklearn")  # from the demos extra
OPTIONS = ("cnn",)  # --cnn: the small convolutional network

BATCH = 32
SHOWN = 12  # mistakes listed and drawn


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    cnn = lesson.settings.cnn
    split = nn.data.digits(seed=lesson.seed, images=cnn)
    X_train, y_train = split.X_train, split.y_train
    if lesson.quick:
        X_train, y_train = X_train[:200], y_train[:200]
    lesson.heading("The data: 8×8 handwritten digits")
    lesson.say(
        f"{len(X_train)} training images, {len(split.X_test)} test images; "
        "pixels scaled to [0, 1]"
    )

    model: nn.Module
    conv = None
    if cnn:
        conv = nn.Conv2d(1, 8, kernel_size=3, stride=1, seed=lesson.seed, init="he")
        head = nn.MLP(8 * 6 * 6, [32, 10], seed=lesson.seed + 1, init="he")
        model = nn.Sequential(conv, nn.Flatten(), head)
        epochs = lesson.epochs(default=6, quick=1)
        lesson.heading("The model: 8 filters 3×3 (ReLU) → 288 features → 32 ReLU → 10")
        lesson.say(
            "Each filter is one neuron with 9 weights, used at all 36 positions:"
        )
        lesson.say(
            "the graph has one weighted-sum node per position, "
            "all sharing those weights."
        )
    else:
        model = nn.MLP(64, [32, 10], activation="relu", seed=lesson.seed, init="he")
        epochs = lesson.epochs(default=15, quick=1)
        lesson.heading(
            "The model: an MLP, 64 pixels → 32 ReLU neurons → 10 class scores"
        )
    lesson.say(f"{len(model.parameters()):,} parameters; softmax cross-entropy; Adam")

    steps = epochs * int(np.ceil(len(X_train) / BATCH))
    optimizer = nn.Adam(model, lr=0.01, schedule=nn.linear_decay(0.01, 0.001, steps))
    start = time.perf_counter()
    with lesson.one_blas_thread():
        history = nn.fit(
            model,
            X_train,
            y_train,
            loss="cross_entropy",
            optimizer=optimizer,
            epochs=epochs,
            batch_size=BATCH,
            seed=lesson.seed,
            progress=lesson.progress,
            validation=(split.X_test, split.y_test),
        )
    seconds = time.perf_counter() - start
    test = history.val_accuracy[-1]
    for epoch in range(1, epochs + 1):
        lesson.say(
            f"  epoch {epoch:>2}: loss {history.loss[epoch - 1]:.4f}  "
            f"train {history.accuracy[epoch - 1]:.1%}  "
            f"test {history.val_accuracy[epoch - 1]:.1%}"
        )
    lesson.say(f"test accuracy {test:.1%} after {seconds:.1f} s of training")
    lesson.note("test accuracy", test)
    lesson.note("seconds", seconds)

    scores = nn.predict(model, split.X_test)
    predicted = scores.argmax(axis=1)
    wrong = np.flatnonzero(predicted != split.y_test)
    shown = wrong[:SHOWN]
    lesson.heading(f"Mistakes: {len(wrong)} of {len(split.y_test)} test images")
    if len(wrong) > len(shown):
        lesson.say(f"the first {len(shown)} (also drawn in mistakes.png):")
    for i in shown:
        lesson.say(
            f"  test image {i}: {with_article(split.y_test[i])} read as {predicted[i]}"
        )
    lesson.note("mistakes", len(wrong))

    curves = lesson.save_history(history, "history.png")
    images = split.X_test.reshape(-1, 8, 8)
    mistakes = lesson.save_figure(
        _mistakes_figure(images, split.y_test, predicted, shown), "mistakes.png"
    )
    if conv is not None:
        filters = SimpleNamespace(neurons=conv.filters)
        fields = viz.receptive_fields(filters, shape=(3, 3), cell=20)
        what = "the 8 filters, 3×3 each: the strokes they look for"
    else:
        fields = viz.receptive_fields(model.layers[0], shape=(8, 8), cell=8, columns=8)
        what = (
            "each hidden neuron's 64 weights as an 8×8 image: the strokes it looks for"
        )
    field_path = lesson.save_svg(fields, "fields.svg")
    deeper = lesson.save_figure(_deeper_layer(lesson), "deeper_fields.png")
    lesson.heading("Look at")
    lesson.say(f"{curves}: loss and accuracy per epoch (train and test).")
    lesson.say(
        f"{mistakes}: digits the network got wrong; many are hard for people too."
    )
    lesson.say(f"{field_path}: {what}.")
    lesson.say(f"{deeper}: a second convolution's filters, each 5×5 in pixel space:")
    lesson.say("  larger and more composite than the first layer's strokes.")


def deeper_fields(first: np.ndarray, second: np.ndarray, k: int = 3) -> np.ndarray:
    r"""The fields in pixel space of a second convolution's filters (stride 1).

    ``first`` is the first layer's weight matrix (filters × k·k, one input
    channel), ``second`` the second's (filters × channels·k·k). A second-layer
    filter sees (2k − 1) × (2k − 1) pixels; its field is the sum, over each
    channel c and offset (di, dj), of its weight there times the first
    layer's filter c, placed at that offset:

        field[f] = Σ_c Σ_di Σ_dj second[f, c, di, dj] · first[c] shifted by (di, dj)

    >>> one = np.array([[1.0, 0, 0, 0, 0, 0, 0, 0, 0]])   # a filter that copies
    >>> field = deeper_fields(one, np.array([[0, 0, 0, 0, 0, 0, 0, 0, 1.0]]))[0]
    >>> field.shape, float(field[2, 2]), float(field.sum())   # moved by (2, 2)
    ((5, 5), 1.0, 1.0)
    """
    channels = first.shape[0]
    size = 2 * k - 1
    kernels = first.reshape(channels, k, k)
    weights = second.reshape(second.shape[0], channels, k, k)
    fields = np.zeros((second.shape[0], size, size))
    for f in range(second.shape[0]):
        for c in range(channels):
            for di in range(k):
                for dj in range(k):
                    fields[f, di : di + k, dj : dj + k] += (
                        weights[f, c, di, dj] * kernels[c]
                    )
    return fields


def _deeper_layer(lesson: LessonRun) -> Figure:
    """Train two 3×3 convolutions; draw the second's filters in pixel space."""
    import nn

    split = nn.data.digits(seed=lesson.seed, images=True)
    X, y = split.X_train, split.y_train
    if lesson.quick:
        X, y = X[:200], y[:200]
    first = nn.Conv2d(1, 4, kernel_size=3, seed=lesson.seed, init="he")
    second = nn.Conv2d(4, 8, kernel_size=3, seed=lesson.seed + 1, init="he")
    model = nn.Sequential(
        first, second, nn.Flatten(), nn.MLP(8 * 4 * 4, [10], seed=lesson.seed + 2)
    )
    epochs = 1 if lesson.quick else 4
    lesson.heading("A deeper convolutional layer: its receptive fields in pixels")
    with lesson.one_blas_thread():
        nn.fit(
            model,
            X,
            y,
            loss="cross_entropy",
            optimizer=nn.Adam(model, lr=0.01),
            epochs=epochs,
            batch_size=BATCH,
            seed=lesson.seed,
            progress=False,
        )
    accuracy = nn.evaluate(model, split.X_test, split.y_test)
    lesson.say(
        f"4 filters 3×3 → 8 filters 3×3 (over the 4 maps) → 10, {epochs} epoch"
        f"{'s' if epochs > 1 else ''}: test accuracy {accuracy:.1%}"
    )
    fields = deeper_fields(np.asarray(first.W.data), np.asarray(second.W.data))
    lesson.say("A first-layer filter sees 3×3 pixels. A second-layer filter sees 3×3")
    lesson.say(
        f"positions of the maps they make: {fields.shape[1]}×{fields.shape[2]} pixels."
    )
    lesson.say("Its field there is the first layer's filters at each offset, weighted")
    lesson.say("by its own weights: a weighted sum carried down to the input.")
    lesson.note("deeper field size", float(fields.shape[1]))
    lesson.note("deeper network test accuracy", accuracy)
    return _deeper_figure(np.asarray(first.W.data).reshape(-1, 3, 3), fields)


@classroom()
def _deeper_figure(kernels: np.ndarray, fields: np.ndarray) -> Figure:
    from matplotlib.patches import Patch

    columns = max(len(kernels), len(fields))
    fig = figure(1.5 * columns + 2.4, 5.4)
    axes = fig.subplots(2, columns, squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for row, (tiles, name) in enumerate(
        ((kernels, "layer 1\n3×3 pixels"), (fields, "layer 2\n5×5 pixels"))
    ):
        for j, tile in enumerate(tiles):
            largest = float(np.abs(tile).max()) or 1.0
            axes[row][j].imshow(
                tile, cmap=sign_colour_map(), vmin=-largest, vmax=largest
            )
        axes[row][0].text(
            -0.15,
            0.5,
            name,
            transform=axes[row][0].transAxes,
            ha="right",
            va="center",
        )
    fig.suptitle("receptive fields in pixel space")
    fig.legend(
        handles=[
            Patch(color=POSITIVE, label="pushes the filter up"),
            Patch(color=NEGATIVE, label="pushes it down"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig


@classroom()
def _mistakes_figure(
    images: np.ndarray, truth: np.ndarray, predicted: np.ndarray, picked: np.ndarray
) -> Figure:
    count = max(len(picked), 1)
    columns = min(count, 6)
    rows = -(-count // columns)
    fig = figure(1.9 * columns + 0.6, 2.3 * rows + 0.7)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes:
        ax.set_axis_off()
    if len(picked) == 0:
        axes[0].set_title("no mistakes")
    for ax, i in zip(axes, picked):
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{truth[i]} → {predicted[i]}")
    fig.suptitle("test digits read wrong (true → predicted)")
    return fig
