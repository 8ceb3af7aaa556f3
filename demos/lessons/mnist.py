r"""Lesson ``mnist``: the real 28×28 handwritten digits, 784 inputs → 10 outputs.

The first article's running example. Each image is 28×28 = 784 pixels, so
the input layer has 784 neurons, one per pixel (its activation is the
pixel's brightness, 0 to 1); the output layer has 10, one per digit, and
the network's answer is the output with the highest activation. An MLP
784 → 128 ReLU → 10 trained with mini-batch SGD with momentum (batch 64,
softmax cross-entropy) reaches about 97.5% on the 10,000 test images in
five epochs; ``--cnn`` trains a small convolutional network instead (8
filters of 5×5, stride 2, then 64 ReLU → 10).

The four standard files are read from ``--data DIR``, else from
``$CHAINRULE_DATA``, else from ``~/.cache/chainrule/mnist``; missing files
are downloaded there once (see :func:`nn.data.mnist`).

Before training, the first article's Fig. 5: a 7 that the untrained network
reads as an 8, with its 10 output activations.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from demos.lesson import DemoError, LessonRun, with_article
from viz.classroom import classroom, figure, legend_beside, sign_colour_map
from viz.colours import NEGATIVE, POSITIVE, SERIES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "mnist"
SUMMARY = "the real 28x28 MNIST digits, 784 inputs → 10 outputs, to ≥97% test accuracy"
PICTURE = "mistakes.png"  # the one shown in docs/lessons.md
FILES = ("seven.png", "mistakes.png", "fields.png", "loss.png")
NEEDS = ("matplotlib",)  # from the demos extra
OPTIONS = ("cnn", "data")  # --cnn, --data DIR

BATCH = 64
HIDDEN = 128
LR = 0.05  # falling linearly to LR / 10 over the run
MOMENTUM = 0.9
QUICK_TRAIN = 2000  # --quick: train on this many images only
SHOWN = 10  # mistakes drawn
FIELDS = 32  # receptive fields drawn


def load(lesson: LessonRun, images: bool) -> Any:
    r"""The MNIST split, or a :class:`DemoError` that says what to do."""
    import nn

    folder = lesson.settings.data
    try:
        return nn.data.mnist(folder, images=images, progress=lesson.progress)
    except (OSError, ValueError) as error:
        msg = f"the MNIST files: {error}".rstrip(".") + "."
        raise DemoError(msg) from None


def build(lesson: LessonRun, cnn: bool) -> tuple[Any, str]:
    r"""The network and a line that describes it."""
    import nn

    model: Any
    if cnn:
        conv = nn.Conv2d(1, 8, kernel_size=5, stride=2, seed=lesson.seed, init="he")
        head = nn.MLP(8 * 12 * 12, [64, 10], seed=lesson.seed + 1, init="he")
        model = nn.Sequential(conv, nn.Flatten(), head)
        text = "8 filters 5×5, stride 2 (ReLU) → 8×12×12 = 1,152 → 64 ReLU → 10"
        return model, text
    model = nn.MLP(784, [HIDDEN, 10], activation="relu", seed=lesson.seed, init="he")
    return model, f"an MLP, 784 pixels → {HIDDEN} ReLU neurons → 10 outputs"


def train(
    lesson: LessonRun, model: Any, X: np.ndarray, y: np.ndarray, epochs: int
) -> tuple[list[float], list[float]]:
    r"""Mini-batch SGD with momentum; the loss of every step and seconds per epoch.

    The loop ``nn.fit`` runs, written out: shuffle, then for each batch
    forward, loss, zero_grad, backward, step.
    """
    import nn

    steps_per_epoch = -(-len(X) // BATCH)
    optimizer = nn.SGD(
        model,
        lr=LR,
        momentum=MOMENTUM,
        schedule=nn.linear_decay(LR, LR / 10, epochs * steps_per_epoch),
    )
    rng = np.random.default_rng(lesson.seed)
    losses: list[float] = []
    seconds: list[float] = []
    model.train()
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(len(X))
        bar = _steps_bar(lesson, steps_per_epoch, f"epoch {epoch}/{epochs}")
        for first in range(0, len(X), BATCH):
            rows = order[first : first + BATCH]
            loss = nn.cross_entropy(model(X[rows]), y[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(float(loss.data))
            if bar is not None:
                bar.set_postfix(loss=f"{losses[-1]:.3f}", refresh=False)
                bar.update(1)
        if bar is not None:
            bar.close()
        seconds.append(time.perf_counter() - start)
        recent = float(np.mean(losses[-steps_per_epoch:]))
        lesson.say(
            f"  epoch {epoch}: mean loss {recent:.4f}, {seconds[-1]:.1f} s "
            f"({1000 * seconds[-1] / steps_per_epoch:.2f} ms per step of {BATCH})"
        )
    return losses, seconds


def _steps_bar(lesson: LessonRun, steps: int, title: str) -> Any:
    r"""A bar of one epoch's steps (an epoch takes seconds), or None.

    tqdm's, on a terminal or in Jupyter, when the lesson shows progress; in a
    log the epoch's line after it is enough.
    """
    if not lesson.progress:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is in the demos extra; without it, no bar
        return None
    return tqdm(total=steps, desc=title, unit="step", leave=False, disable=None)


def softmax(scores: np.ndarray) -> np.ndarray:
    r"""Each row of scores as probabilities: e^{zₖ − max} / Σⱼ e^{zⱼ − max}.

    >>> softmax(np.array([[0.0, np.log(3.0)]])).round(2).tolist()
    [[0.25, 0.75]]
    """
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def seven_read_as_eight(scores: np.ndarray, truth: np.ndarray) -> tuple[int, bool]:
    r"""A test 7 the network reads as an 8: the first whose highest output is 8
    (and True), else the 7 whose output 8 is highest next to its largest (False).

    >>> scores = np.array([[0.0] * 7 + [1.0, 2.0, 0.0], [0.0] * 7 + [2.0, 1.0, 0.0]])
    >>> seven_read_as_eight(scores, np.array([7, 7]))
    (0, True)
    """
    sevens = np.flatnonzero(truth == 7)
    if not len(sevens):
        msg = "the test images hold no 7 to show."
        raise DemoError(msg)
    read = sevens[scores[sevens].argmax(axis=1) == 8]
    if len(read):
        return int(read[0]), True
    gap = scores[sevens, 8] - scores[sevens].max(axis=1)
    return int(sevens[int(np.argmax(gap))]), False


def _untrained_seven(lesson: LessonRun, model: Any, split: Any) -> Figure:
    """The first article's Fig. 5: a 7 read as an 8 by the untrained network."""
    import nn

    lesson.heading("Before training: a 7 read as an 8 (the first article's Fig. 5)")
    with lesson.one_blas_thread():
        probabilities = softmax(nn.predict(model, split.X_test))
    i, read = seven_read_as_eight(probabilities, split.y_test)
    p = probabilities[i]
    if read:
        lesson.say(f"test image {i}, a 7: its highest output is 8 ({p[8]:.2f}).")
    else:
        lesson.say(f"no 7 is read as an 8; test image {i} comes closest: output 8")
        lesson.say(f"  is {p[8]:.2f}, the highest {p.max():.2f} (output {p.argmax()}).")
    lesson.say("  outputs: " + "  ".join(f"{k}: {v:.2f}" for k, v in enumerate(p)))
    lesson.say("Training must push every output towards 0 but the 7's, towards 1.")
    lesson.note("untrained 7: output 8", float(p[8]))
    lesson.note("untrained 7: output 7", float(p[7]))
    lesson.note("untrained 7 read as 8", float(read))
    image = np.asarray(split.X_test[i]).reshape(28, 28)
    return _seven_figure(image, p)


@classroom()
def _seven_figure(image: np.ndarray, p: np.ndarray) -> Figure:
    from matplotlib.patches import Patch

    fig = figure(11.0, 5.0)
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.6))
    left.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    left.set_axis_off()
    left.set_title("the image: a 7")
    answer = int(np.argmax(p))
    picked, true = SERIES[1], SERIES[2]
    colours = [picked if k == answer else true if k == 7 else "0.7" for k in range(10)]
    right.bar(range(10), p, color=colours)
    right.set_xticks(range(10))
    right.set_xlabel("output neuron (digit)")
    right.set_ylabel("activation")
    right.set_title(f"untrained: the highest output is {answer}")
    legend_beside(
        right,
        handles=[
            Patch(color=picked, label="the network's answer"),
            Patch(color=true, label="the true digit"),
        ],
    )
    return fig


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    cnn = lesson.settings.cnn
    split = load(lesson, images=cnn)
    X_train, y_train = split.X_train, split.y_train
    if lesson.quick:
        X_train, y_train = X_train[:QUICK_TRAIN], y_train[:QUICK_TRAIN]
    lesson.heading("The data: 28×28 handwritten digits")
    lesson.say(
        f"{len(X_train):,} training images, {len(split.X_test):,} test images; "
        "each pixel's brightness scaled to [0, 1]"
    )
    lesson.say("784 pixels = 784 input neurons; 10 output neurons, one per digit.")

    model, text = build(lesson, cnn)
    seven = lesson.save_figure(_untrained_seven(lesson, model, split), "seven.png")
    epochs = lesson.epochs(default=3 if cnn else 5, quick=1)
    lesson.heading(f"The model: {text}")
    lesson.say(
        f"{sum(a.data.size for _, a in model.named_arrays()):,} weights and biases; "
        f"softmax cross-entropy; SGD with momentum {MOMENTUM}, batch {BATCH}, "
        f"{epochs} epoch{'s' if epochs > 1 else ''}"
    )
    with lesson.one_blas_thread():
        losses, seconds = train(lesson, model, X_train, y_train, epochs)
        scores = nn.predict(model, split.X_test)
    predicted = scores.argmax(axis=1)
    accuracy = float(np.mean(predicted == split.y_test))
    total = sum(seconds)
    lesson.say(f"test accuracy: {100 * accuracy:.1f}%  ({total:.1f} s of training)")
    lesson.note("test accuracy", accuracy)
    lesson.note("seconds", total)
    lesson.note("ms per step", 1000 * total / len(losses))
    lesson.note("first loss", losses[0])
    lesson.note("last loss", float(np.mean(losses[-10:])))

    wrong = np.flatnonzero(predicted != split.y_test)
    probabilities = softmax(scores)
    lesson.heading(f"Mistakes: {len(wrong)} of {len(split.y_test):,} test images")
    shown = wrong[:SHOWN]
    if len(wrong) > len(shown):
        lesson.say(f"the first {len(shown)} (drawn in mistakes.png):")
    for i in shown:
        p = probabilities[i]
        lesson.say(
            f"  test image {i}: {with_article(split.y_test[i])} read as {predicted[i]} "
            f"(output {predicted[i]}: {p[predicted[i]]:.2f}, "
            f"output {split.y_test[i]}: {p[split.y_test[i]]:.2f})"
        )
    lesson.note("mistakes", len(wrong))
    sevens = int(np.sum((split.y_test == 7) & (predicted == 8)))
    count = f"{sevens} sevens were" if sevens != 1 else "1 seven was"
    if not sevens:
        count = "no 7 was"
    lesson.say(f"{count} read as an 8 (the first article's example of a mistake).")

    images = split.X_test.reshape(-1, 28, 28)
    picture = _mistakes_figure(images, split.y_test, probabilities, shown)
    mistakes = lesson.save_figure(picture, "mistakes.png")
    first = model.layers[0]
    if cnn:
        fields = viz.pixel_fields(_filters(first))
        shape, what = (5, 5), "the 8 filters, 5×5 each: the strokes they slide over"
    else:
        fields = viz.pixel_fields(model, 0)[:FIELDS]
        shape, what = (
            (28, 28),
            (f"the first {FIELDS} hidden neurons' 784 weights as 28×28 images"),
        )
    field_path = lesson.save_figure(_fields_figure(fields, shape), "fields.png")
    if not cnn:
        seen = split.X_test[:1000]
        hidden = model.layers[0](seen).data
        silent = int(np.sum(np.all(hidden <= 0, axis=0)))
        lesson.say(
            f"{silent} of the {HIDDEN} hidden neurons are 0 for all of {len(seen):,} "
            "test images:"
        )
        lesson.say(
            "  dead ReLUs, which no gradient reaches; their fields stay speckled."
        )
        lesson.note("dead hidden neurons", silent)
    curve = lesson.save_figure(_loss_figure(losses, len(losses) // epochs), "loss.png")
    lesson.heading("Look at")
    lesson.say(f"{seven}: before training, a 7 and the 10 outputs that read it as 8.")
    lesson.say(f"{mistakes}: digits it got wrong, each with its 10 output activations")
    lesson.say("  (softmax probabilities): orange is its answer, green the true digit.")
    lesson.say(f"{field_path}: {what};")
    lesson.say("  blue pixels push the neuron up, red ones down.")
    lesson.say(f"{curve}: the loss of every mini-batch, falling as the weights learn.")


def _filters(conv: Any) -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(neurons=conv.filters)


@classroom()
def _mistakes_figure(
    images: np.ndarray, truth: np.ndarray, probabilities: np.ndarray, picked: np.ndarray
) -> Figure:
    r"""The digits read wrong, and under each its 10 output activations."""
    from matplotlib.patches import Patch

    columns = min(max(len(picked), 1), 5)
    rows = -(-max(len(picked), 1) // columns)
    fig = figure(2.7 * columns + 1.0, 4.3 * rows + 1.0)
    grid = fig.add_gridspec(2 * rows, columns, height_ratios=[1.0, 0.8] * rows)
    answer, true = SERIES[1], SERIES[2]
    if len(picked) == 0:
        ax = fig.add_subplot(grid[0, 0])
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no mistakes", transform=ax.transAxes, ha="center")
    for n, i in enumerate(picked):
        row, column = divmod(n, columns)
        top = fig.add_subplot(grid[2 * row, column])
        bottom = fig.add_subplot(grid[2 * row + 1, column])
        guess = int(np.argmax(probabilities[i]))
        top.imshow(images[i], cmap="gray_r", vmin=0, vmax=1)
        top.set_axis_off()
        top.set_title(f"{with_article(truth[i])} read as {guess}")
        colours = [
            answer if digit == guess else true if digit == truth[i] else "0.75"
            for digit in range(10)
        ]
        bottom.bar(range(10), probabilities[i], color=colours)
        bottom.set_xticks(range(10), [str(d) for d in range(10)], fontsize="small")
        bottom.tick_params(length=0)
        bottom.set_ylim(0, 1)
        bottom.set_yticks([0, 1])
    fig.suptitle("test digits read wrong, with their 10 output activations")
    fig.legend(
        handles=[
            Patch(color=answer, label="its answer"),
            Patch(color=true, label="the true digit"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig


def mosaic(fields: np.ndarray, shape: tuple[int, int], columns: int) -> np.ndarray:
    r"""The fields as one image: tiles of ``shape`` scaled to [−1, 1], nan between.

    >>> mosaic(np.array([[2.0, -1.0], [0.5, 0.5]]), (1, 2), 2).tolist()
    [[1.0, -0.5, nan, 1.0, 1.0]]
    """
    h, w = shape
    rows = -(-len(fields) // columns)
    image = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    for k, field in enumerate(fields):
        top, left = (k // columns) * (h + 1), (k % columns) * (w + 1)
        largest = float(np.abs(field).max()) or 1.0
        image[top : top + h, left : left + w] = field.reshape(shape) / largest
    return image


@classroom()
def _fields_figure(fields: np.ndarray, shape: tuple[int, int]) -> Figure:
    from matplotlib.patches import Patch

    columns = 8
    image = mosaic(fields, shape, columns)
    rows = -(-len(fields) // columns)
    fig = figure(1.4 * columns, 1.4 * rows + 1.4)
    ax = fig.add_subplot()
    ax.imshow(image, cmap=sign_colour_map().with_extremes(bad="white"), vmin=-1, vmax=1)
    ax.set_axis_off()
    for k in range(len(fields)):
        top, left = (k // columns) * (shape[0] + 1), (k % columns) * (shape[1] + 1)
        ax.text(
            left,
            top,
            str(k + 1),
            fontsize="small",
            va="top",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3, "alpha": 0.8},
        )
    ax.set_title("receptive fields, one per neuron, each on its own scale")
    fig.legend(
        handles=[
            Patch(color=POSITIVE, label="positive weight"),
            Patch(color=NEGATIVE, label="negative weight"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig


@classroom()
def _loss_figure(losses: list[float], per_epoch: int) -> Figure:
    fig = figure(10.0, 5.6)
    ax = fig.add_subplot()
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color="0.7", lw=1.0, label="one mini-batch")
    window = max(1, min(50, len(losses) // 10))
    smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
    ax.plot(steps[window - 1 :], smooth, color=SERIES[0], label=f"mean of {window}")
    for epoch in range(per_epoch, len(losses), per_epoch):
        ax.axvline(epoch + 0.5, color="0.85", lw=1.0)
    ax.set_yscale("log")
    ax.set_xlabel("step (vertical lines: epochs)")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title("training loss")
    legend_beside(ax)
    return fig
