r"""A neural network as neurons and connections: :func:`draw_network`.

Where :func:`viz.draw_graph` shows every multiplication, this picture shows
what a model *is*: a column of inputs, one column of circles per layer, and
one line per weight. A line's colour is the weight's sign (blue positive, red
negative) and its width grows with |w|, so the strong connections stand out.

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

from collections.abc import Sequence
from typing import Any

import graphviz
import numpy as np

from autograd import Value
from autograd.steps import fmt

__all__ = ["NEGATIVE", "POSITIVE", "draw_network", "layers_of"]

POSITIVE = "#1f77b4"  # blue
NEGATIVE = "#d62728"  # red
MAX_EDGES = 5000
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


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
    x = np.asarray(x, dtype=float)
    if x.ndim != 0:
        msg = "x must be one sample: a list of numbers, one per input."
        raise ValueError(msg)
    return float(x)


def _activations(layers: Sequence[Any], x: Sequence[Any]) -> list[list[float]]:
    """Every layer's outputs for one sample ``x``, the inputs first."""
    values: list[Any] = [Value(_number(v)) for v in x]
    seen = [[float(v.data) for v in values]]
    for layer in layers:
        if callable(layer):
            out = layer(values)
        else:
            out = [neuron(values) for neuron in layer.neurons]
        out = [out] if isinstance(out, Value) else list(out)
        seen.append([_number(v) for v in out])
        values = out
    return seen


def draw_network(
    model: Any, x: Sequence[float] | None = None, show_grads: bool = False
) -> graphviz.Digraph:
    r"""Draw a model's neurons and weights: colour = sign, width = |w|.

    With ``x`` (one sample, one number per input), every circle shows its
    activation for that input (the model is run once to find them). With
    ``show_grads``, each line is labelled with its weight's current gradient
    (run ``backward()`` first). Hovering a line in the SVG shows w (and
    ∂L/∂w); hovering a neuron shows its bias.
    """
    layers = layers_of(model)
    nin = len(layers[0].neurons[0].w)
    if x is not None and len(x) != nin:
        msg = f"x has {len(x)} numbers, but the model has {nin} inputs."
        raise ValueError(msg)
    edges = sum(len(layer.neurons) * len(layer.neurons[0].w) for layer in layers)
    if edges > MAX_EDGES:
        msg = (
            f"this model has {edges} weights, more than {MAX_EDGES} lines can show; "
            "draw its receptive fields instead (viz.receptive_fields)."
        )
        raise ValueError(msg)
    acts = _activations(layers, x) if x is not None else None
    weights = [
        abs(float(w.data)) for layer in layers for n in layer.neurons for w in n.w
    ]
    largest = max(weights) or 1.0

    g = graphviz.Digraph("network")
    # ordering=out keeps each column in neuron order (neuron 1 at the top)
    g.attr(rankdir="LR", splines="line", nodesep="0.15", ranksep="1.6", ordering="out")
    g.attr(fontname="Helvetica", fontsize="10", labelloc="b")
    g.attr(label="blue: w > 0    red: w < 0    line width grows with |w|")
    g.attr("node", shape="circle", style="filled", fontname="Helvetica")
    g.attr("node", fontsize="9", width="0.75", fixedsize="true")
    g.attr("edge", arrowhead="none", fontname="Helvetica", fontsize="8")

    sizes = [nin] + [len(layer.neurons) for layer in layers]
    for i, size in enumerate(sizes):
        if i == 0:
            title, fill = "input", "#d6e9f8"
        elif i == len(sizes) - 1:
            title, fill = "output", "#d9f2d9"
        else:
            title, fill = f"hidden {i}", "#f2f2f2"
        with g.subgraph(name=f"cluster_layer{i}") as column:
            column.attr(label=title, color="#cccccc", style="dashed", fontsize="10")
            for j in range(size):
                name = f"x{j + 1}".translate(_SUBSCRIPT) if i == 0 else ""
                text = [name] if name else []
                if acts is not None:
                    text.append(fmt(acts[i][j]))
                attrs = {"fillcolor": fill}
                if i > 0:
                    bias = layers[i - 1].neurons[j].b
                    attrs["tooltip"] = f"neuron {j + 1}, b = {fmt(_number(bias))}"
                column.node(f"l{i}n{j}", graphviz.nohtml("\\n".join(text)), **attrs)

    for i, layer in enumerate(layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                value = float(w.data)
                tip = f"w = {fmt(value)}"
                attrs = {
                    "color": POSITIVE if value >= 0 else NEGATIVE,
                    "penwidth": f"{0.3 + 3.7 * abs(value) / largest:.2f}",
                }
                if show_grads:
                    attrs["label"] = fmt(w.grad)
                    tip += f", ∂L/∂w = {fmt(w.grad)}"
                attrs["tooltip"] = tip
                g.edge(f"l{i - 1}n{k}", f"l{i}n{j}", **attrs)
    return g
