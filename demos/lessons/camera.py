r"""Lesson ``camera``: the fourth article's four-pixel camera, wired by hand.

Four pixels, +1 white and −1 black, in the order top-left, top-right,
bottom-left, bottom-right. A network whose weights are all +1, −1 or 0 (no
training at all) names every image solid, vertical, diagonal or
horizontal:

- layer 1 (tanh): four neurons, each adding two pixels: the left column,
  the right column, top-left minus bottom-left, top-right minus bottom-right;
- layer 2 (tanh): four neurons, each adding two of those: all four pixels
  (solid), left minus right (vertical), the two differences of layer 1
  subtracted (diagonal) and added (horizontal: top minus bottom);
- layer 3 (ReLU): each layer-2 neuron and its opposite, rectified;
- the output adds each pair: a pattern *or its inverse* lights its class.

Its receptive fields, drawn in pixel space layer by layer, show what each
neuron looks for. A trained network of the same shape does the job too,
with fields that are much harder to read.

Two worked examples of the article come first and last: one neuron with
its numbers (four pixels adding up to 0.5, weighted, added, squashed by a
"sigmoid" that stays between −1 and 1, which is tanh, to 0.746), drawn with
the article's white and black links; and the truth for "horizontal",
[0, 0, 0, 1], against the network's answer: each output's error and the
total error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from demos.lesson import LessonRun
from viz.classroom import classroom, figure, sign_colour_map
from viz.colours import NEGATIVE, POSITIVE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "camera"
SUMMARY = (
    "the four-pixel camera wired by hand (±1, 0): an image followed layer by layer"
)
PICTURE = "fields.png"  # the one shown in docs/lessons.md
FILES = (
    "neuron.svg",
    "network_white_black.svg",
    "fields.png",
    "fields_layer1.svg",
    "fields_layer2.svg",
    "fields_layer3.svg",
    "network.svg",
    "trained_fields.svg",
)
NEEDS = ("matplotlib",)  # from the demos extra

# pixels: top-left, top-right, bottom-left, bottom-right
LAYER1 = [  # tanh
    [1, 0, 1, 0],  # left column
    [0, 1, 0, 1],  # right column
    [1, 0, -1, 0],  # top-left minus bottom-left
    [0, 1, 0, -1],  # top-right minus bottom-right
]
LAYER2 = [  # tanh
    [1, 1, 0, 0],  # left + right: every pixel (solid)
    [1, -1, 0, 0],  # left − right (vertical)
    [0, 0, 1, -1],  # TL − BL − TR + BR (diagonal)
    [0, 0, 1, 1],  # top − bottom (horizontal)
]
LAYER3 = [  # ReLU: each detector and its opposite
    [1, 0, 0, 0],
    [-1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, -1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, -1, 0],
    [0, 0, 0, 1],
    [0, 0, 0, -1],
]
OUTPUT = [  # linear: a pattern or its inverse
    [1, 1, 0, 0, 0, 0, 0, 0],  # solid
    [0, 0, 1, 1, 0, 0, 0, 0],  # vertical
    [0, 0, 0, 0, 1, 1, 0, 0],  # diagonal
    [0, 0, 0, 0, 0, 0, 1, 1],  # horizontal
]
WIRING = ((LAYER1, "tanh"), (LAYER2, "tanh"), (LAYER3, "relu"), (OUTPUT, "linear"))
DARK_TOP = (-1.0, -1.0, 1.0, 1.0)  # the article's example: dark top, white bottom

# The article's worked neuron: four pixels that add up to 0.5, four weights
# (0: ignored, −1: the negative of the pixel), squashed to 0.746.
WORKED_PIXELS = (-1.0, -0.25, 0.95, 0.8)
WORKED_WEIGHTS = (0.0, -1.0, 0.5, 0.3)
#: The truth for an image of a horizontal line: solid, vertical, diagonal: no.
HORIZONTAL_TRUTH = (0.0, 0.0, 0.0, 1.0)


def hand_wired(seed: int = 0) -> Any:
    r"""The network of the article, weights set by hand, biases 0.

    >>> model = hand_wired()
    >>> [round(v.data, 3) for v in model(list(DARK_TOP))]   # only "horizontal" lights
    [0.0, 0.0, 0.0, 0.959]
    """
    import nn

    layers = []
    for weights, activation in WIRING:
        W = np.array(weights, dtype=float)
        layer = nn.Layer(W.shape[1], W.shape[0], activation, seed=seed)
        layer.W.data[...] = W
        layer.b.data[...] = 0.0
        layers.append(layer)
    return nn.Sequential(*layers)


def walk(model: Any, x: Any) -> list[list[float]]:
    r"""Every layer's activations for one image, the pixels first."""
    values = [float(v) for v in x]
    seen = [values]
    for layer in model.layers:
        out = layer(values)
        values = [float(v.data) for v in out]
        seen.append(values)
    return seen


def picture(pixels: Any) -> str:
    r"""A 2×2 image on one line: ■ black, □ white, top row / bottom row.

    >>> picture(DARK_TOP)
    '■■/□□'
    """
    cells = ["□" if p > 0 else "■" for p in pixels]
    return "".join(cells[:2]) + "/" + "".join(cells[2:])


def worked_neuron(
    pixels: Any = WORKED_PIXELS, weights: Any = WORKED_WEIGHTS
) -> tuple[Any, Any]:
    r"""The article's neuron: z = Σ wₖ·xₖ (no bias), then squashed, a = tanh(z).

    >>> z, a = worked_neuron()
    >>> sum(WORKED_PIXELS), round(z.data, 3), round(a.data, 3)
    (0.5, 0.965, 0.746)
    """
    from autograd import Constant, Value, wsum

    x = [Constant(p, f"x{k}") for k, p in enumerate(pixels, start=1)]
    w = [Value(v, f"w{k}") for k, v in enumerate(weights, start=1)]
    z = wsum(w, x)
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    return z, a


def error_against_truth(answer: Any, truth: Any = HORIZONTAL_TRUTH) -> list[float]:
    r"""Each output's error: the size of the difference between truth and answer.

    >>> error_against_truth([0.0, 0.2, -0.1, 0.9])
    [0.0, 0.2, 0.1, 0.1]
    """
    return [round(abs(t - a), 12) for t, a in zip(truth, answer)]


def _bracketed(number: float) -> str:
    return f"({number:g})" if number < 0 else f"{number:g}"


def _worked_neuron(lesson: LessonRun) -> None:
    """The article's worked neuron, with its numbers and its white/black picture."""
    import nn
    import viz

    z, a = worked_neuron()
    lesson.heading("One neuron, worked: add the weighted pixels, then squash")
    lesson.say(f"pixels   {WORKED_PIXELS}   add up to {sum(WORKED_PIXELS):g}")
    lesson.say(
        f"weights  {WORKED_WEIGHTS}   (0: that pixel is ignored; −1: its negative)"
    )
    terms = " + ".join(
        f"{_bracketed(w)}·{_bracketed(p)}"
        for w, p in zip(WORKED_WEIGHTS, WORKED_PIXELS)
    )
    lesson.say(f"weighted sum z = {terms} = {z.data:.3f}")
    lesson.say(f"squashed     a = tanh(z) = {a.data:.3f}")
    lesson.say("The article's squashing function stays between −1 and 1: that is tanh")
    lesson.say(
        f"(the logistic σ stays between 0 and 1: σ({z.data:.3f}) = "
        f"{1 / (1 + np.exp(-z.data)):.3f})."
    )
    lesson.say(
        f"Squashing 0.5 itself gives tanh(0.5) = {np.tanh(0.5):.3f}: a little "
        "less than 0.5."
    )
    lesson.note("worked neuron pixel sum", float(sum(WORKED_PIXELS)))
    lesson.note("worked neuron weighted sum", float(z.data))
    lesson.note("worked neuron output", float(a.data))
    layer = nn.Layer(4, 1, "tanh", seed=lesson.seed)
    layer.W.data[...] = np.array([WORKED_WEIGHTS])
    layer.b.data[...] = 0.0
    picture = viz.draw_network(layer, x=list(WORKED_PIXELS), links="white-black")
    lesson.save_svg(picture, "neuron.svg")


def _truth_and_error(lesson: LessonRun, model: Any) -> None:
    """The truth for "horizontal", each output's error, the total error."""
    import nn

    names = nn.data.FOUR_PIXEL_CLASSES
    lesson.heading(f"Truth and error for {picture(DARK_TOP)} (a horizontal line)")
    lesson.say(
        f"truth:  {list(HORIZONTAL_TRUTH)}   ({', '.join(names)}): only horizontal"
    )
    untrained = nn.Sequential(
        nn.Layer(4, 4, "tanh", seed=lesson.seed),
        nn.Layer(4, 4, "tanh", seed=lesson.seed + 1),
        nn.Layer(4, 8, "relu", seed=lesson.seed + 2),
        nn.Layer(8, 4, "linear", seed=lesson.seed + 3),
    )
    for who, net in (("hand-wired", model), ("untrained", untrained)):
        answer = walk(net, DARK_TOP)[-1]
        errors = error_against_truth(answer)
        lesson.say(f"{who + ':':<12} answer {[round(v, 3) for v in answer]}")
        lesson.say(
            f"{'':<12} error  {[round(e, 3) for e in errors]}   "
            f"total error {sum(errors):.3f}"
        )
        lesson.note(f"total error ({who})", float(sum(errors)))
    lesson.say("Each error is the size of the difference between truth and answer;")
    lesson.say("added up, the total error. Training adjusts the weights to bring it")
    lesson.say("down, and backpropagation says which way to adjust each one.")


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    X, y = nn.data.four_pixel_camera()
    names = nn.data.FOUR_PIXEL_CLASSES
    model = hand_wired(lesson.seed)
    _worked_neuron(lesson)
    layer_names = ["pixels", "layer 1 (tanh)", "layer 2 (tanh)", "layer 3 (ReLU)"]
    layer_names.append("output")

    lesson.heading("The hand-wired network: weights +1, −1 or 0, biases 0")
    for k, (weights, _) in enumerate(WIRING, start=1):
        rows = ["[" + " ".join(f"{w:+d}" for w in row) + "]" for row in weights]
        title = layer_names[k] if k < len(WIRING) else "output (linear)"
        lesson.say(f"  {title:<16} {' '.join(rows)}")

    lesson.heading(f"Following {picture(DARK_TOP)} (dark top, white bottom)")
    steps = walk(model, DARK_TOP)
    for name, values in zip(layer_names, steps):
        lesson.say(f"  {name:<16} {'  '.join(f'{v:+.3f}' for v in values)}")
        lesson.note(f"{name} of dark top", float(np.sum(values)))
    answer = int(np.argmax(steps[-1]))
    lesson.say(
        f"the largest output is {names[answer]}: the network says {names[answer]}."
    )
    lesson.say("Layer 1: dark + white adds up to 0 (grey), top − bottom to −2 → −0.96.")
    lesson.say(
        "Layer 2: only top − bottom survives, negative: the inverse of its field."
    )
    lesson.say("Layer 3: ReLU keeps the opposite neuron's positive copy; it lights")
    lesson.say("the horizontal output.")
    lesson.note("dark top answer", answer)
    _truth_and_error(lesson, model)

    lesson.heading("All eight images")
    outputs = nn.predict(model, X)
    for x, label, out in zip(X, y, outputs):
        guess = int(np.argmax(out))
        mark = "right" if guess == label else "WRONG"
        lesson.say(
            f"  {picture(x)}  {names[label]:<10} → {names[guess]:<10} {mark}   "
            f"outputs {np.round(out, 3).tolist()}"
        )
    accuracy = float(np.mean(outputs.argmax(axis=1) == y))
    lesson.say(f"accuracy of the hand-wired network: {accuracy:.0%}")
    lesson.note("hand-wired accuracy", accuracy)

    lesson.heading("Receptive fields in pixel space, layer by layer")
    lesson.say("A neuron's field is its weights times the fields below it: the")
    lesson.say("pixels that push it up (blue) and down (red).")
    field_paths = []
    for k in range(3):
        fields = viz.pixel_fields(model, k)
        lesson.say(
            f"  {layer_names[k + 1]}: "
            + "  ".join("[" + " ".join(f"{v:+g}" for v in row) + "]" for row in fields)
        )
        svg = viz.receptive_fields(model, shape=(2, 2), cell=28, layer=k)
        field_paths.append(lesson.save_svg(svg, f"fields_layer{k + 1}.svg"))
    out_fields = viz.pixel_fields(model, 3)
    lesson.say(f"  output: {out_fields.tolist()}")
    lesson.say("The output's linear field is 0: it adds a field and its opposite. Only")
    lesson.say("the ReLUs make 'this pattern or its inverse' possible: no single")
    lesson.say("linear field can show it.")
    lesson.note("largest output field", float(np.abs(out_fields).max()))
    overview = lesson.save_figure(_fields_figure(model), "fields.png")
    network = lesson.save_svg(
        viz.draw_network(model, x=list(DARK_TOP), output_names=names), "network.svg"
    )
    as_drawn = lesson.save_svg(
        viz.draw_network(
            model, x=list(DARK_TOP), output_names=names, links="white-black"
        ),
        "network_white_black.svg",
    )

    lesson.heading("A trained network of the same shape, for comparison")
    trained = nn.Sequential(
        nn.Layer(4, 4, "tanh", seed=lesson.seed),
        nn.Layer(4, 4, "tanh", seed=lesson.seed + 1),
        nn.Layer(4, 8, "relu", seed=lesson.seed + 2),
        nn.Layer(8, 4, "linear", seed=lesson.seed + 3),
    )
    epochs = lesson.epochs(default=300, quick=150)
    history = lesson.fit_full_batch(
        trained, X, y, "cross_entropy", lr=0.05, epochs=epochs, seed=lesson.seed
    )
    trained_accuracy = nn.evaluate(trained, X, y)
    lesson.say(
        f"{epochs} epochs of Adam: loss {history.loss[-1]:.4f}, accuracy "
        f"{trained_accuracy:.0%}"
    )
    lesson.say(
        "layer 1's fields: "
        + "  ".join(
            "[" + " ".join(f"{v:+.1f}" for v in row) + "]"
            for row in viz.pixel_fields(trained, 0)
        )
    )
    lesson.note("trained accuracy", trained_accuracy)
    trained_fields = lesson.save_svg(
        viz.receptive_fields(trained, shape=(2, 2), cell=28), "trained_fields.svg"
    )

    lesson.heading("Look at")
    lesson.say(f"{overview}: the fields of layers 1, 2 and 3, one row per layer.")
    for path in field_paths:
        lesson.say(f"{path}: one layer's fields (hover a cell for its number).")
    lesson.say(f"{network}: the wiring (blue +1, red −1, grey dashed 0) and every")
    lesson.say(
        f"  activation for {picture(DARK_TOP)}: follow it to the horizontal output."
    )
    lesson.say(f"{as_drawn}: the same as the article draws it: white +1, black −1,")
    lesson.say("  no line for 0.")
    lesson.say(f"{trained_fields}: what training found instead: it works, but it")
    lesson.say("  is not wired the way a person would wire it.")


@classroom()
def _fields_figure(model: Any) -> Figure:
    r"""The pixel-space fields of layers 1-3, one row per layer (matplotlib)."""
    from matplotlib.patches import Patch

    import viz

    rows = [viz.pixel_fields(model, k) for k in range(3)]
    columns = max(len(r) for r in rows)
    fig = figure(1.45 * columns + 2.4, 7.2)
    axes = fig.subplots(len(rows), columns, squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for k, fields in enumerate(rows):
        kind = "ReLU" if k == 2 else "tanh"
        for j, field in enumerate(fields):
            ax = axes[k][j]
            ax.imshow(field.reshape(2, 2), cmap=sign_colour_map(), vmin=-2, vmax=2)
            ax.set_title(f"{k + 1}.{j + 1}", fontsize="small")
        axes[k][0].text(-1.0, 0.5, f"layer {k + 1}\n({kind})", ha="right", va="center")
    fig.suptitle("receptive fields in pixel space")
    fig.legend(
        handles=[
            Patch(color=POSITIVE, label="a white pixel pushes it up"),
            Patch(color=NEGATIVE, label="a white pixel pushes it down"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig
