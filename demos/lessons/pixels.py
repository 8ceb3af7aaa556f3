r"""Lesson ``pixels``: the four-pixel camera.

A camera with 2×2 pixels, each white (+1) or black (−1), sees one of eight
images; each is *solid*, *vertical*, *diagonal* or *horizontal* (the same
pattern in inverted colours counts as the same class). A small network with
one hidden layer of tanh neurons learns to name all eight, and its
neurons' *receptive fields* (their weights laid out on the 2×2 grid) show
what each one looks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from demos.lesson import LessonRun
from viz.classroom import classroom, figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "pixels"
SUMMARY = (
    "the four-pixel camera: solid, vertical, diagonal or horizontal; receptive fields"
)
PICTURE = "fields_layer1.svg"  # the one shown in docs/lessons.md
FILES = (
    "images.png",
    "fields_layer1.svg",
    "fields_layer2.svg",
    "network.svg",
    "history.png",
)
NEEDS = ("matplotlib",)  # from the demos extra

HIDDEN = 8
ATTEMPTS = 3


def picture(pixels: np.ndarray) -> list[str]:
    r"""A 2×2 image as two lines of text: ■ black, □ white.

    >>> picture(np.array([1.0, -1.0, 1.0, -1.0]))
    ['□■', '□■']
    """
    cells = ["□" if p > 0 else "■" for p in pixels]
    return ["".join(cells[:2]), "".join(cells[2:])]


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    X, y = nn.data.four_pixel_camera()
    names = nn.data.FOUR_PIXEL_CLASSES
    lesson.heading("The eight images (□ white = +1, ■ black = −1)")
    rows = [picture(x) for x in X]
    lesson.say("  ".join(f"{names[label]:<10}" for label in y))
    for line in (0, 1):
        lesson.say("  ".join(f"{row[line]:<10}" for row in rows))

    lesson.heading(f"The network: 4 pixels → {HIDDEN} tanh neurons → 4 class scores")
    epochs = lesson.epochs(default=150, quick=40)
    for attempt in range(ATTEMPTS):
        seed = lesson.seed + 1000 * attempt
        model = nn.MLP(4, [HIDDEN, 4], activation="tanh", seed=seed)
        history = lesson.fit_full_batch(
            model, X, y, "cross_entropy", lr=0.05, epochs=epochs, seed=seed
        )
        accuracy = nn.evaluate(model, X, y)
        if accuracy == 1.0 or attempt == ATTEMPTS - 1 or lesson.quick:
            break
        lesson.say(
            f"seed {seed}: {accuracy:.0%} — stuck in a local minimum; a new start:"
        )
    lesson.say(f"{epochs} epochs of Adam on cross-entropy: loss {history.loss[-1]:.4f}")
    predicted = nn.predict(model, X).argmax(axis=1)
    for x, label, guess in zip(X, y, predicted):
        mark = "right" if guess == label else "WRONG"
        lesson.say(
            f"  {' / '.join(picture(x))}   "
            f"{names[label]:<10} → {names[guess]:<10} {mark}"
        )
    lesson.say(f"accuracy: {accuracy:.0%}")
    lesson.note("accuracy", accuracy)

    lesson.heading("Receptive fields")
    hidden = model.layers[0]
    lesson.say("layer 1: each hidden neuron's 4 weights on the 2×2 grid.")
    lesson.say("  Blue cells are positive weights, red ones negative: a neuron with a")
    lesson.say("  blue left column and a red right column fires for □■ / □■ (white")
    lesson.say("  is +1) and fires negatively for its inverse ■□ / ■□.")
    fields1 = viz.receptive_fields(hidden, shape=(2, 2), cell=28)
    lesson.say(f"layer 2: each class score's {HIDDEN} weights on the hidden neurons")
    lesson.say("  (cell k is hidden neuron k): which pattern detectors it adds up.")
    output = model.layers[1]
    fields2 = viz.receptive_fields(output, shape=(1, HIDDEN), cell=22)
    for name, neuron in zip(names, output.neurons):
        weights = " ".join(f"{w.data:+.1f}" for w in neuron.w)
        lesson.say(f"  {name:<10} {weights}")

    images = lesson.save_figure(_images_figure(X, y, predicted, names), "images.png")
    path1 = lesson.save_svg(fields1, "fields_layer1.svg")
    path2 = lesson.save_svg(fields2, "fields_layer2.svg")
    network = lesson.save_svg(viz.draw_network(model, x=list(X[2])), "network.svg")
    curves = lesson.save_figure(viz.plot_history(history), "history.png")
    lesson.heading("Look at")
    lesson.say(f"{images}: the eight images with the network's answers.")
    lesson.say(
        f"{path1}: what each hidden neuron looks for (hover a cell for its weight)."
    )
    lesson.say(f"{path2}: which hidden detectors each class score counts on.")
    lesson.say(
        f"{network}: the network and its activations for the "
        f"{names[y[2]]} image {' / '.join(picture(X[2]))}."
    )
    lesson.say(f"{curves}: loss and accuracy while training.")


@classroom()
def _images_figure(
    X: np.ndarray, y: np.ndarray, predicted: np.ndarray, names: Sequence[str]
) -> Figure:
    fig = figure(13.0, 3.4)
    axes = fig.subplots(1, len(X))
    for ax, x, label, guess in zip(axes, X, y, predicted):
        ax.imshow(x.reshape(2, 2), cmap="gray", vmin=-1, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("0.5")
        right = guess == label
        ax.set_title(
            f"{names[label]}\n→ {names[guess]}" + ("" if right else "\nWRONG"),
            fontsize="small",
            fontweight="normal" if right else "bold",
        )
    fig.suptitle("the eight images: true class → the network's answer")
    return fig
