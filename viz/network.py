r"""A neural network as neurons and connections: :func:`draw_network`.

Where :func:`viz.draw_graph` shows every multiplication, this picture shows
what a model *is*: a column of inputs, one column of circles per layer, and
one line per weight. A line's colour is the weight's sign (blue positive, red
negative) and its width grows with |w|, so the strong connections stand out.
Lines are drawn under the neurons, and every label is placed where it covers
no other label and no neuron (the picture is laid out here, not by Graphviz,
and drawn by ``neato -n2``: see :class:`viz.render.PinnedDigraph`).

The **blame** view (``blame=``) runs one sample through the model, computes
its loss and shows, on every neuron, ∂L/∂(its activation): how much of the
error is that neuron's fault. Each line then carries ∂L/∂w, the blame its
weight gets, which is the neuron's blame times the input the weight saw.

Works with any model shaped like ``nn.MLP``: ``model.layers[i].neurons[j]``
with a list of weight Values ``w`` and a bias Value ``b``.

>>> from autograd import Value
>>> class Neuron:
...     def __init__(self, w, b):
...         self.w = [Value(v) for v in w]
...         self.b = Value(b)
>>> class Layer:
...     def __init__(self, neurons):
...         self.neurons = neurons
>>> model = Layer([Neuron([0.5, -2.0], 0.1)])
>>> dot = str(draw_network(model))
>>> "x₁" in dot and 'color="#d62728"' in dot      # a red (negative) weight
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import Value, topological_order
from autograd.data import real_array
from autograd.layer_rules import mse_graph
from autograd.text import fmt
from autograd.value import VALUES
from viz.labels import label_lines, shortened, visible
from viz.render import PinnedDigraph

__all__ = ["LINKS", "NEGATIVE", "POSITIVE", "draw_network", "layers_of"]

POSITIVE = "#1f77b4"  # blue
NEGATIVE = "#d62728"  # red
#: How lines show a weight's sign: ``"colour"`` (blue w > 0, red w < 0) or
#: ``"white-black"``, as the fourth article draws them: white w > 0, black
#: w < 0, on grey, and a weight of 0 not drawn at all.
LINKS = {
    "colour": (POSITIVE, NEGATIVE, "blue: w > 0    red: w < 0"),
    "white-black": (
        "#ffffff",
        "#000000",
        "white: w > 0    black: w < 0    (w = 0: no line)",
    ),
}
_GREY = "#a6a6a6"  # the background white and black lines both show on
MAX_EDGES = 5000
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# The geometry, in points (Graphviz's unit; y points up).
RADIUS = 36.0  # a neuron's circle
ROW = 2 * RADIUS + 24.0  # from one neuron's centre to the next in a column
COLUMN = 250.0  # from one layer's column to the next
NODE_FONT = 13.0
EDGE_FONT = 12.0
CAPTION_FONT = 14.0
_CANDIDATES = (0.5, 0.62, 0.38, 0.72, 0.28, 0.8, 0.2, 0.56, 0.44, 0.66, 0.34, 0.86)


def layers_of(model: Any) -> list[Any]:
    r"""The layers of neurons of a model (or a single layer), checked.

    Each layer needs ``neurons``; each neuron a sequence of Values ``w`` and a
    Value ``b``; each layer as many weights per neuron as the layer before has
    neurons.
    """
    if hasattr(model, "neurons"):
        layers = [model]
    elif hasattr(model, "layers"):
        layers = [layer for layer in model.layers if hasattr(layer, "neurons")]
    else:
        msg = (
            f"draw_network needs a model with .layers (like nn.MLP) or a layer "
            f"with .neurons, not {type(model).__name__}."
        )
        raise TypeError(msg)
    if not layers:
        msg = "this model has no layers of neurons to draw."
        raise ValueError(msg)
    width = None
    for i, layer in enumerate(layers):
        neurons = list(layer.neurons)
        if not neurons:
            msg = f"layer {i} has no neurons."
            raise ValueError(msg)
        for j, neuron in enumerate(neurons):
            w = getattr(neuron, "w", None)
            if w is None or not all(isinstance(v, Value) for v in w):
                msg = f"neuron {j} of layer {i} needs .w, a list of weight Values."
                raise TypeError(msg)
            if width is not None and len(w) != width:
                msg = (
                    f"neuron {j} of layer {i} has {len(w)} weights, but the layer "
                    f"before has {width} outputs."
                )
                raise ValueError(msg)
        width = len(neurons)
    return layers


def _number(x: Any) -> float:
    if isinstance(x, Value):
        x = x.data
    x = real_array(x, "x")
    if x.ndim != 0:
        msg = "x must be one sample: a list of numbers, one per input."
        raise ValueError(msg)
    return float(x)


def _forward(layers: Sequence[Any], x: Sequence[Any]) -> list[list[Value]]:
    """Every layer's output Values for one sample ``x``, the inputs first."""
    values: list[Any] = [Value(_number(v), f"x{k + 1}") for k, v in enumerate(x)]
    seen = [values]
    for layer in layers:
        if callable(layer):
            out = layer(values)
        else:
            out = [neuron(values) for neuron in layer.neurons]
        out = [out] if isinstance(out, Value) else list(out)
        seen.append(out)
        values = out
    return seen


Loss = Callable[[list[Value]], Value]


def _loss(blame: Any, outputs: list[Value]) -> Value:
    r"""The loss of the blame view: ``blame(outputs)``, or for target numbers
    the mean squared error (1/K)·Σₖ (outₖ − targetₖ)²."""
    if callable(blame):
        loss = blame(outputs)
    else:
        targets = [blame] if np.ndim(blame) == 0 else list(blame)
        if len(targets) != len(outputs):
            msg = (
                f"blame has {len(targets)} targets, but the model has "
                f"{len(outputs)} outputs; give one target per output, or a "
                "function of the outputs that returns the loss."
            )
            raise ValueError(msg)
        loss = mse_graph(outputs, [_number(t) for t in targets], VALUES)
    if not isinstance(loss, Value) or loss.shape != ():
        msg = (
            "blame must be the target(s) or a function of the outputs that "
            f"returns the loss as one Value, not {type(loss).__name__}."
        )
        raise TypeError(msg)
    return loss


def _blame(
    layers: Sequence[Any], x: Sequence[Any], blame: Any
) -> tuple[list[list[float]], list[list[float]], dict[int, float], float]:
    r"""Activations, ∂L/∂activation and ∂L/∂w of one sample, by one backward pass.

    The model's own grads are given back as they were afterwards.
    """
    seen = _forward(layers, x)
    loss = _loss(blame, seen[-1])
    order = topological_order(loss)
    saved = [
        np.copy(n.grad) if isinstance(n.grad, np.ndarray) else n.grad for n in order
    ]
    try:
        for node in order:
            node.grad = 0.0
        loss.backward()
        acts = [[float(v.data) for v in column] for column in seen]
        blames = [[float(v.grad) for v in column] for column in seen]
        weights = {
            id(w): float(w.grad) for layer in layers for n in layer.neurons for w in n.w
        }
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad
    return acts, blames, weights, float(loss.data)


class _Labels:
    """Label boxes placed so far, found by the rows of a coarse grid."""

    CELL = 24.0

    def __init__(self) -> None:
        self.rows: dict[int, list[tuple[float, float, float, float]]] = defaultdict(
            list
        )

    def free(self, box: tuple[float, float, float, float]) -> bool:
        for row in self._rows(box):
            for other in self.rows[row]:
                if _overlap(box, other):
                    return False
        return True

    def add(self, box: tuple[float, float, float, float]) -> None:
        for row in self._rows(box):
            self.rows[row].append(box)

    def _rows(self, box: tuple[float, float, float, float]) -> range:
        return range(int(box[1] // self.CELL), int(box[3] // self.CELL) + 1)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _text_box(x: float, y: float, text: str, size: float) -> tuple[float, ...]:
    """About the box a line of Helvetica text centred at (x, y) covers."""
    half = 0.31 * size * len(text) + 3.0
    return (x - half, y - 0.65 * size, x + half, y + 0.65 * size)


def _place(
    ends: list[tuple[tuple[float, float], tuple[float, float], str]],
    blocked: Sequence[tuple[float, ...]],
) -> list[tuple[float, float]] | None:
    """A spot on each line for its label, covering no other label and no
    neuron; ``None`` when some label finds no free spot."""
    placed = _Labels()
    for box in blocked:
        placed.add(box)  # type: ignore[arg-type]
    spots = []
    for (x0, y0), (x1, y1), text in ends:
        for t in _CANDIDATES:
            x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            box = _text_box(x, y, text, EDGE_FONT)
            if placed.free(box):  # type: ignore[arg-type]
                placed.add(box)  # type: ignore[arg-type]
                spots.append((x, y))
                break
        else:
            return None
    return spots


def draw_network(
    model: Any,
    x: Sequence[float] | None = None,
    show_grads: bool = False,
    blame: Any = None,
    output_names: Sequence[str] | None = None,
    links: str = "colour",
) -> PinnedDigraph:
    r"""Draw a model's neurons and weights: colour = sign, width = |w|.

    - ``x`` (one sample, one number per input): every circle shows its
      activation for that input (the model is run once to find them).
    - ``show_grads``: each line is labelled with its weight's current
      gradient (run ``backward()`` first).
    - ``blame`` (needs ``x``): the target(s) of the sample (the loss is then
      the mean squared error over the outputs) or a function of the list of
      output Values that returns the loss. Each neuron shows ∂L/∂a, its share
      of the blame (its border grows with it), and each line ∂L/∂w for this
      sample; the model's own grads are left as they were.
    - ``output_names``: a caption beside each output neuron (class names).
    - ``links``: ``"colour"`` (blue w > 0, red w < 0) or ``"white-black"``,
      the fourth article's way: white w > 0, black w < 0 on a grey ground, a
      weight of 0 left out (see :data:`LINKS`).

    Hovering a line in the SVG shows w (and ∂L/∂w); hovering a neuron shows
    its bias. Labels never overlap each other or a neuron.
    """
    layers = layers_of(model)
    if links not in LINKS:
        msg = f"links must be one of {', '.join(map(repr, LINKS))}, not {links!r}."
        raise ValueError(msg)
    positive, negative, caption_of_links = LINKS[links]
    nin = len(layers[0].neurons[0].w)
    if x is not None and len(x) != nin:
        msg = f"x has {len(x)} numbers, but the model has {nin} inputs."
        raise ValueError(msg)
    if blame is not None and x is None:
        msg = "blame needs x: the one sample whose error is shared out."
        raise ValueError(msg)
    sizes = [nin] + [len(layer.neurons) for layer in layers]
    if output_names is not None and len(output_names) != sizes[-1]:
        msg = (
            f"output_names has {len(output_names)} names, but the model has "
            f"{sizes[-1]} outputs; give one name per output."
        )
        raise ValueError(msg)
    edges = sum(len(layer.neurons) * len(layer.neurons[0].w) for layer in layers)
    if edges > MAX_EDGES:
        msg = (
            f"this model has {edges} weights, more than {MAX_EDGES} lines can show; "
            "draw its receptive fields instead (viz.receptive_fields)."
        )
        raise ValueError(msg)
    acts = blames = None
    weight_grads: dict[int, float] = {}
    loss = None
    if blame is not None:
        assert x is not None  # checked above
        acts, blames, weight_grads, loss = _blame(layers, x, blame)
        show_grads = True
    elif x is not None:
        acts = [[float(v.data) for v in column] for column in _forward(layers, x)]
    if not weight_grads:
        weight_grads = {
            id(w): _number(w.grad)
            for layer in layers
            for n in layer.neurons
            for w in n.w
        }
    weights = [
        abs(float(w.data)) for layer in layers for n in layer.neurons for w in n.w
    ]
    largest = max(weights) or 1.0
    most_blame = (
        max((abs(b) for col in blames[1:] for b in col), default=0.0) if blames else 0.0
    )

    column = COLUMN
    for _ in range(6):  # widen the picture until every label finds a free spot
        layout = _layout(layers, sizes, column, show_grads, weight_grads)
        if layout is not None:
            break
        column *= 1.3
    else:
        layout = _layout(layers, sizes, column, False, weight_grads)
        show_grads = False  # too crowded to label: the tooltips still tell
    assert layout is not None  # the last try draws no labels, so it always fits
    centres, spots = layout

    height = max(sizes) * ROW
    right = (len(sizes) - 1) * column + 2 * RADIUS + 40.0
    if output_names is not None:
        right += 20.0 + max(0.62 * CAPTION_FONT * len(n) for n in output_names)
    caption_y = 14.0
    g = PinnedDigraph("network")
    g.attr(
        bb=f"0,0,{right:.1f},{height + 56.0:.1f}",
        splines="line",
        outputorder="edgesfirst",  # lines under the neurons
        fontname="Helvetica",
        fontsize=f"{CAPTION_FONT:g}",
    )
    if links == "white-black":
        g.attr(bgcolor=_GREY)
    caption = f"{caption_of_links}    line width grows with |w|"
    if blames is not None:
        caption = (
            f"loss {fmt(loss)}: each neuron shows ∂L/∂a (its blame), each line ∂L/∂w"
        )
    g.attr(label=caption, lp=f"{right / 2:.1f},{caption_y:.1f}", labelloc="b")
    g.attr("node", shape="circle", style="filled", fontname="Helvetica")
    g.attr("node", fontsize=f"{NODE_FONT:g}", width=f"{2 * RADIUS / 72:.3f}")
    g.attr("node", fixedsize="true")
    g.attr("edge", arrowhead="none", fontname="Helvetica", fontsize=f"{EDGE_FONT:g}")

    for i, size in enumerate(sizes):
        if i == 0:
            title, fill = "input", "#d6e9f8"
        elif i == len(sizes) - 1:
            title, fill = "output", "#d9f2d9"
        else:
            title, fill = f"hidden {i}", "#f2f2f2"
        xs = centres[i][0][0]
        ys = [y for _, y in centres[i]]
        box = (
            xs - RADIUS - 10,
            min(ys) - RADIUS - 26,
            xs + RADIUS + 10,
            max(ys) + RADIUS + 8,
        )
        with g.subgraph(name=f"cluster_layer{i}") as group:
            group.attr(
                label=title,
                color="#cccccc",
                style="dashed",
                fontsize=f"{CAPTION_FONT:g}",
                bb=",".join(f"{v:.1f}" for v in box),
                lp=f"{xs:.1f},{box[1] + 10:.1f}",
            )
            for j in range(size):
                text = [f"x{j + 1}".translate(_SUBSCRIPT)] if i == 0 else []
                if acts is not None:
                    text.append(fmt(acts[i][j]))
                attrs = {"fillcolor": fill}
                if blames is not None and i > 0:
                    text += ["∂L/∂a", fmt(blames[i][j])]
                    share = abs(blames[i][j]) / most_blame if most_blame else 0.0
                    attrs["penwidth"] = f"{1 + 4 * share:.2f}"
                    attrs["color"] = "#8b0000"
                if i > 0:
                    bias = layers[i - 1].neurons[j].b
                    attrs["tooltip"] = f"neuron {j + 1}, b = {fmt(_number(bias))}"
                cx, cy = centres[i][j]
                group.node(
                    f"l{i}n{j}",
                    label_lines(*text),
                    pos=f"{cx:.1f},{cy:.1f}!",
                    **attrs,
                )
    if output_names is not None:
        last = len(sizes) - 1
        for j, name in enumerate(output_names):
            cx, cy = centres[last][j]
            shown = shortened(visible(str(name)), 30)
            half = 0.31 * CAPTION_FONT * len(shown) + 4
            g.node(
                f"name{j}",
                label_lines(shown),
                shape="plaintext",
                style="",
                fixedsize="false",
                fontsize=f"{CAPTION_FONT:g}",
                pos=f"{cx + RADIUS + 14 + half:.1f},{cy:.1f}!",
            )

    for i, layer in enumerate(layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                value = float(w.data)
                if links == "white-black" and value == 0:
                    continue  # the article draws no line for a weight of 0
                grad = weight_grads[id(w)]
                tip = f"w = {fmt(value)}"
                (x0, y0), (x1, y1) = centres[i - 1][k], centres[i][j]
                attrs = {
                    "color": positive if value >= 0 else negative,
                    "penwidth": f"{0.3 + 3.7 * abs(value) / largest:.2f}",
                    "pos": _straight(x0, y0, x1, y1),
                }
                if show_grads:
                    sx, sy = spots[(i, j, k)]
                    attrs["label"] = fmt(grad)
                    attrs["lp"] = f"{sx:.1f},{sy:.1f}"
                    tip += f", ∂L/∂w = {fmt(grad)}"
                attrs["tooltip"] = tip
                g.edge(f"l{i - 1}n{k}", f"l{i}n{j}", **attrs)
    return g


def _straight(x0: float, y0: float, x1: float, y1: float) -> str:
    """A straight line as the one-piece Bézier curve Graphviz's ``pos`` wants."""
    points = [(x0 + (x1 - x0) * t / 3, y0 + (y1 - y0) * t / 3) for t in range(4)]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _layout(
    layers: Sequence[Any],
    sizes: list[int],
    column: float,
    labelled: bool,
    grads: dict[int, float],
) -> (
    tuple[
        list[list[tuple[float, float]]], dict[tuple[int, int, int], tuple[float, float]]
    ]
    | None
):
    """Where each neuron goes, and each line's label (``None``: no room)."""
    height = max(sizes) * ROW
    centres = [
        [
            (RADIUS + 24.0 + i * column, 56.0 + height / 2 + ((size - 1) / 2 - j) * ROW)
            for j in range(size)
        ]
        for i, size in enumerate(sizes)
    ]
    spots: dict[tuple[int, int, int], tuple[float, float]] = {}
    if not labelled:
        return centres, spots
    for i, layer in enumerate(layers, start=1):
        circles = [
            (cx - RADIUS - 2, cy - RADIUS - 2, cx + RADIUS + 2, cy + RADIUS + 2)
            for side in (i - 1, i)
            for cx, cy in centres[side]
        ]
        keys, ends = [], []
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                keys.append((i, j, k))
                ends.append((centres[i - 1][k], centres[i][j], fmt(grads[id(w)])))
        found = _place(ends, circles)
        if found is None:
            return None
        spots.update(zip(keys, found))
    return centres, spots
