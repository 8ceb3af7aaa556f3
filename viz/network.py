r"""A neural network as neurons and connections: :func:`draw_network`.

Where :func:`viz.draw_graph` shows every multiplication, this picture shows
what a model *is*: a column of inputs, one column of circles per layer, and
one line per weight. A line's colour is the weight's sign (blue positive, red
negative, grey dashed for zero: see :mod:`viz.colours`) and its width grows
with |w|, so the strong connections stand out; a legend under the picture
says so. Lines are drawn under the neurons, and every label is placed where
it covers no other label and no neuron (the picture is laid out here, not by
Graphviz, and drawn by ``neato -n2``: see :class:`viz.render.PinnedDigraph`).

The picture is made for a 4:3 projector: the layers go left to right, or top
to bottom when that shows the network larger (a layer of many neurons is
better laid across the screen), and circles and gaps are as small as their
text allows, so every text stays readable when the picture fills a
1024×768 screen.

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
>>> "w &gt; 0" in dot                               # the legend of the colours
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import numpy as np

from autograd import Value, topological_order
from autograd.data import real_array
from autograd.layer_rules import mse_graph
from autograd.text import show
from autograd.value import VALUES
from viz.colours import NEGATIVE, POSITIVE, ZERO, sign_colour
from viz.dot import STYLES
from viz.labels import label_lines, shortened, visible
from viz.layout import SCREEN, fit_scale, text_width
from viz.render import PinnedDigraph

__all__ = ["LINKS", "draw_network", "layers_of"]

#: How lines show a weight's sign: ``"colour"`` (blue w > 0, red w < 0, grey
#: dashed for 0: see :mod:`viz.colours`) or ``"white-black"``, as the fourth
#: article draws them: white w > 0, black w < 0, on grey, and a weight of 0
#: not drawn at all. Each: (positive, negative, zero or ``None``: no line).
LINKS: dict[str, tuple[str, str, str | None]] = {
    "colour": (POSITIVE, NEGATIVE, ZERO),
    "white-black": ("#ffffff", "#000000", None),
}
_GREY = "#a6a6a6"  # the background white and black lines both show on
MAX_EDGES = 5000
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# Text sizes, in points (Graphviz's unit; y points up).
NODE_FONT = 14.0
EDGE_FONT = 13.0
CAPTION_FONT = 14.0
#: The smallest circle, and the room between two circles of a layer.
MIN_RADIUS, GAP = 20.0, 10.0
#: The room around the picture, and above a layer for its title.
MARGIN, TITLE = 12.0, 26.0
_CANDIDATES = tuple(sorted((k / 50 for k in range(7, 44)), key=lambda t: abs(t - 0.5)))


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
    x = real_array(x, "x")  # complex numbers: refused, not cut to their real part
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


@dataclass(frozen=True)
class _Geometry:
    """Where the neurons go: layers along one axis, a layer's neurons across.

    Sizes are in points; positions are measured from the top left (the
    picture's y axis points down here, Graphviz's up: see :meth:`centres`).
    """

    down: bool  # layers from top to bottom (else from left to right)
    sizes: tuple[int, ...]
    radii: tuple[float, ...]  # each layer's circles
    gap: float  # between two circles of a layer
    column: float  # centre to centre, between two layers
    before: float  # room for the layers' titles: above (across) or at the left
    after: float  # room for the output names: at the right, or below
    caption: float  # the legend's height, under the picture
    least_row: float = 0.0  # the output layer's spacing, at least (its names)

    def row(self, i: int) -> float:
        """Centre to centre, between two neurons of layer ``i``."""
        row = 2 * self.radii[i] + self.gap
        return max(row, self.least_row) if i == len(self.sizes) - 1 else row

    @property
    def breadth(self) -> float:
        """How far the widest layer reaches across, with its box."""
        return (
            max(
                (size - 1) * self.row(i) + 2 * self.radii[i]
                for i, size in enumerate(self.sizes)
            )
            + 20.0
        )

    @property
    def length(self) -> float:
        """How far the layers reach along, first circle to last."""
        ends = self.radii[0] + self.radii[-1]
        return (len(self.sizes) - 1) * self.column + ends + 20.0

    def size(self) -> tuple[float, float]:
        """The picture's width and height."""
        across = self.breadth + self.before + 2 * MARGIN
        along = self.length + self.after + 2 * MARGIN
        width, height = (across, along) if self.down else (along, across)
        return width, height + self.caption

    def centres(self) -> list[list[tuple[float, float]]]:
        """Each neuron's centre, layer by layer, in Graphviz's points (y up)."""
        height = self.size()[1]
        out = []
        for i, size in enumerate(self.sizes):
            along = MARGIN + 10.0 + self.radii[0] + i * self.column
            column = []
            for j in range(size):
                middle = MARGIN + self.before + self.breadth / 2
                across = middle + (j - (size - 1) / 2) * self.row(i)
                x, y = (across, along) if self.down else (along, across)
                column.append((x, height - y))
            out.append(column)
        return out


def _circle_radius(texts: Sequence[Sequence[str]]) -> float:
    """The smallest circle that holds every neuron's lines of text."""
    largest = MIN_RADIUS
    for lines in texts:
        if not lines:
            continue
        # the text and Graphviz's margins around it (8 and 4 points) in the circle
        half_w = max(text_width(line, NODE_FONT) for line in lines) / 2 + 8.0
        half_h = len(lines) * 1.2 * NODE_FONT / 2 + 4.0
        largest = max(largest, (half_w**2 + half_h**2) ** 0.5)
    return largest


def _legend_lines(items: Sequence[tuple[str, str]], width: float) -> list[str]:
    """The legend's items, as HTML, in lines no wider than ``width``."""
    lines: list[list[tuple[str, str]]] = [[]]
    for item in items:
        trial = [*lines[-1], item]
        if lines[-1] and _plain_width(trial) > width:
            lines.append([item])
        else:
            lines[-1] = trial
    return ["   ".join(_html_item(*item) for item in line) for line in lines]


def _plain_width(items: Sequence[tuple[str, str]]) -> float:
    return text_width("   ".join(text for text, _ in items), CAPTION_FONT) + 16


def _html_item(text: str, colour: str) -> str:
    """A legend item: its sample (the leading marks) in its colour."""
    mark, _, rest = text.partition(" ")
    if not colour:
        return escape(text)
    return f'<font color="{colour}">{escape(mark)}</font> {escape(rest)}'


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
      of the blame (its border, blue for a positive share and red for a
      negative one, grows with it), and each line ∂L/∂w for this sample;
      the model's own grads are left as they were.
    - ``output_names``: a caption beside each output neuron (class names).
    - ``links``: ``"colour"`` (blue w > 0, red w < 0, grey dashed 0) or
      ``"white-black"``, the fourth article's way: white w > 0, black w < 0
      on a grey ground, a weight of 0 left out (see :data:`LINKS`).

    The layers go from left to right, or from top to bottom when that fits a
    4:3 screen better; a legend under the picture says what the colours
    mean. Hovering a line in the SVG shows w (and ∂L/∂w); hovering a neuron
    shows its bias. Labels never overlap each other or a neuron.
    """
    layers = layers_of(model)
    if links not in LINKS:
        msg = f"links must be one of {', '.join(map(repr, LINKS))}, not {links!r}."
        raise ValueError(msg)
    positive, negative, zero = LINKS[links]
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
    values = [float(w.data) for layer in layers for n in layer.neurons for w in n.w]
    largest = max(abs(v) for v in values) or 1.0
    most_blame = (
        max((abs(b) for col in blames[1:] for b in col), default=0.0) if blames else 0.0
    )
    texts = [
        [
            ([f"x{j + 1}".translate(_SUBSCRIPT)] if i == 0 else [])
            + ([show(acts[i][j])] if acts is not None else [])
            + (["∂L/∂a", show(blames[i][j])] if blames is not None and i > 0 else [])
            for j in range(size)
        ]
        for i, size in enumerate(sizes)
    ]
    names = (
        [shortened(visible(str(name)), 30) for name in output_names]
        if output_names is not None
        else []
    )
    if zero is not None:  # each line's colour shown in the legend
        items = [
            ("━━ w > 0", positive),
            ("━━ w < 0", negative),
            *([("╌╌ w = 0", zero)] if 0.0 in values else []),
        ]
    else:  # white and black: said in words (white text would not show)
        items = [
            ("white: w > 0", ""),
            ("black: w < 0", ""),
            *([("w = 0: no line", "")] if 0.0 in values else []),
        ]
    items.append(("line width grows with |w|", ""))
    if blames is not None:
        items = [
            (f"loss {show(loss)}: each neuron shows ∂L/∂a (its blame), ", ""),
            ("each line ∂L/∂w", ""),
            *items,
            ("◯ ∂L/∂a > 0", POSITIVE),
            ("◯ ∂L/∂a < 0", NEGATIVE),
        ]
    elif show_grads:
        items.append(("each line: ∂L/∂w", ""))
    labels = {
        id(w): show(weight_grads[id(w)])
        for layer in layers
        for n in layer.neurons
        for w in n.w
    }
    chosen = _arrange(
        sizes, texts, names, items, labels if show_grads else None, layers
    )
    geometry, spots, legend = chosen
    if show_grads and spots is None:
        show_grads = False  # too crowded to label: the tooltips still tell
    centres = geometry.centres()
    width, height = geometry.size()
    width = max(width, max(_plain_width([i]) for i in items) + 2 * MARGIN)

    g = PinnedDigraph("network")
    g.attr(
        bb=f"0,0,{width:.1f},{height:.1f}",
        splines="line",
        outputorder="edgesfirst",  # lines under the neurons
        fontname="Helvetica",
        fontsize=f"{CAPTION_FONT:g}",
    )
    if links == "white-black":
        g.attr(bgcolor=_GREY)
    g.attr("node", shape="circle", style="filled", fontname="Helvetica")
    g.attr("node", fontsize=f"{NODE_FONT:g}")
    g.attr("node", fixedsize="true")
    g.attr("edge", arrowhead="none", fontname="Helvetica", fontsize=f"{EDGE_FONT:g}")
    g.node(
        "legend",
        "<" + "<br/>".join(legend) + ">",
        shape="plaintext",
        style="",
        fixedsize="false",
        fontsize=f"{CAPTION_FONT:g}",
        pos=f"{width / 2:.1f},{geometry.caption / 2:.1f}!",
    )

    for i, size in enumerate(sizes):
        r = geometry.radii[i]
        if i == 0:
            title, fill = "input", STYLES["input"]["fillcolor"]
        elif i == len(sizes) - 1:
            title, fill = "output", STYLES["output"]["fillcolor"]
        else:
            title, fill = f"hidden {i}", "#f2f2f2"
        xs = [cx for cx, _ in centres[i]]
        ys = [cy for _, cy in centres[i]]
        box = [min(xs) - r - 10, min(ys) - r - 10, max(xs) + r + 10, max(ys) + r + 10]
        if geometry.down:  # the title at the left of the row
            box[0] -= geometry.before
            spot = (box[0] + 6 + text_width(title, CAPTION_FONT) / 2, sum(ys) / len(ys))
        else:  # the title above the column
            box[3] += TITLE - 6
            spot = (xs[0], box[3] - 12)
        with g.subgraph(name=f"cluster_layer{i}") as group:
            group.attr(
                label=title,
                color="#cccccc",
                style="dashed",
                fontsize=f"{CAPTION_FONT:g}",
                bb=",".join(f"{v:.1f}" for v in box),
                lp=f"{spot[0]:.1f},{spot[1]:.1f}",
            )
            for j in range(size):
                attrs = {"fillcolor": fill, "width": f"{2 * r / 72:.3f}"}
                if blames is not None and i > 0:
                    share = abs(blames[i][j]) / most_blame if most_blame else 0.0
                    attrs["penwidth"] = f"{1 + 4 * share:.2f}"
                    attrs["color"] = sign_colour(blames[i][j])
                if i > 0:
                    bias = layers[i - 1].neurons[j].b
                    attrs["tooltip"] = f"neuron {j + 1}, b = {show(_number(bias))}"
                cx, cy = centres[i][j]
                group.node(
                    f"l{i}n{j}",
                    label_lines(*texts[i][j]),
                    pos=f"{cx:.1f},{cy:.1f}!",
                    **attrs,
                )
    last = len(sizes) - 1
    r = geometry.radii[last]
    for j, name in enumerate(names):
        cx, cy = centres[last][j]
        if geometry.down:
            spot = (cx, cy - r - 6 - 0.6 * CAPTION_FONT)
        else:
            spot = (cx + r + 10 + text_width(name, CAPTION_FONT) / 2, cy)
        g.node(
            f"name{j}",
            label_lines(name),
            shape="plaintext",
            style="",
            fixedsize="false",
            fontsize=f"{CAPTION_FONT:g}",
            pos=f"{spot[0]:.1f},{spot[1]:.1f}!",
        )

    for i, layer in enumerate(layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                value = float(w.data)
                if zero is None and value == 0:
                    continue  # the article draws no line for a weight of 0
                grad = weight_grads[id(w)]
                tip = f"w = {show(value)}"
                (x0, y0), (x1, y1) = centres[i - 1][k], centres[i][j]
                attrs = {
                    "color": positive if value > 0 else negative if value else ZERO,
                    "penwidth": f"{0.6 + 3.4 * abs(value) / largest:.2f}",
                    "pos": _straight(x0, y0, x1, y1),
                }
                if value == 0:
                    attrs["style"] = "dashed"
                if show_grads and spots is not None:
                    sx, sy = spots[(i, j, k)]
                    attrs["label"] = show(grad)
                    attrs["lp"] = f"{sx:.1f},{sy:.1f}"
                    tip += f", ∂L/∂w = {show(grad)}"
                attrs["tooltip"] = tip
                g.edge(f"l{i - 1}n{k}", f"l{i}n{j}", **attrs)
    return g


def _straight(x0: float, y0: float, x1: float, y1: float) -> str:
    """A straight line as the one-piece Bézier curve Graphviz's ``pos`` wants."""
    points = [(x0 + (x1 - x0) * t / 3, y0 + (y1 - y0) * t / 3) for t in range(4)]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


Spots = dict[tuple[int, int, int], tuple[float, float]]


def _arrange(
    sizes: list[int],
    texts: list[list[list[str]]],
    names: list[str],
    items: list[tuple[str, str]],
    labels: dict[int, str] | None,
    layers: Sequence[Any],
) -> tuple[_Geometry, Spots | None, list[str]]:
    r"""The layout that shows the network largest on a 4:3 screen.

    For each direction: circles as small as their text allows, layers as
    far apart as makes the picture about 4:3 (further when the lines'
    labels need the room), the legend wrapped to the picture's width. Left
    to right wins unless top to bottom is clearly (5%) larger.
    """
    radii = tuple(_circle_radius(layer) for layer in texts)
    widest_name = max((text_width(n, CAPTION_FONT) for n in names), default=0.0)
    titles = max(
        text_width(t, CAPTION_FONT) for t in ("input", "output", f"hidden {len(sizes)}")
    )
    best = None
    for down in (False, True):
        least = widest_name + GAP if down and names else 0.0  # names under outputs
        before = titles + 12 if down else TITLE
        after = (1.3 * CAPTION_FONT + 8 if down else widest_name + 20) if names else 0.0
        geometry = _Geometry(
            down, tuple(sizes), radii, GAP, 0.0, before, after, 0.0, least
        )
        width, _ = geometry.size()
        legend = _legend_lines(items, max(width, 480.0))
        caption = len(legend) * 1.25 * CAPTION_FONT + 14
        geometry = replace(geometry, caption=caption, column=2 * max(radii) + 60)
        width, height = geometry.size()
        stretch = (
            (SCREEN[0] / SCREEN[1]) * height - width
            if not down
            else (SCREEN[1] / SCREEN[0]) * width - height
        )
        if len(sizes) > 1 and stretch > 0:  # layers further apart: about 4:3
            column = geometry.column + stretch / (len(sizes) - 1)
            geometry = replace(geometry, column=min(column, 320.0))
        spots: Spots | None = None
        if labels is not None:
            for _ in range(8):  # further apart until every label finds a free spot
                spots = _spots(geometry, layers, labels)
                if spots is not None:
                    break
                wider = geometry.gap + 0.15 * (2 * max(radii) + geometry.gap)
                geometry = replace(geometry, column=geometry.column * 1.1, gap=wider)
        legend = _legend_lines(items, max(geometry.size()[0], 480.0))
        # labels shown first, then the larger picture
        score = (labels is None or spots is not None, fit_scale(*geometry.size()))
        if (
            best is None
            or score[0] > best[0][0]
            or (score[0] == best[0][0] and score[1] > 1.05 * best[0][1])
        ):
            best = (score, geometry, spots, legend)
    assert best is not None
    return best[1], best[2], best[3]


def _spots(
    geometry: _Geometry, layers: Sequence[Any], labels: dict[int, str]
) -> Spots | None:
    """A free spot for each line's label (``None``: not every label has one)."""
    centres = geometry.centres()
    spots: Spots = {}
    for i, layer in enumerate(layers, start=1):
        circles = [
            (cx - r - 2, cy - r - 2, cx + r + 2, cy + r + 2)
            for side in (i - 1, i)
            for r in [geometry.radii[side]]
            for cx, cy in centres[side]
        ]
        keys, ends = [], []
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                keys.append((i, j, k))
                ends.append((centres[i - 1][k], centres[i][j], labels[id(w)]))
        found = _place(ends, circles)
        if found is None:
            return None
        spots.update(zip(keys, found))
    return spots
