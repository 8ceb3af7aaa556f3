r"""What each neuron looks for: :func:`receptive_fields`, as SVG.

A neuron of the first layer computes Σ wᵢ·xᵢ + b over the pixels xᵢ of an
image. Laying its weights wᵢ back onto the image grid shows the pattern that
excites it most: blue where a bright pixel pushes the neuron up (wᵢ > 0), red
where it pushes it down (wᵢ < 0), white where the pixel does not matter.

>>> from autograd import Value
>>> class Neuron:
...     def __init__(self, w):
...         self.w = [Value(v) for v in w]
...         self.b = Value(0.0)
>>> class Layer:
...     neurons = [Neuron([1.0, -1.0, 0.0, 0.5])]
>>> svg = receptive_fields(Layer(), shape=(2, 2))
>>> svg.startswith("<svg") and svg.count("<rect") == 4 + 1     # 4 cells + background
True
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from autograd.steps import fmt
from viz.network import layers_of

__all__ = ["pixel_fields", "receptive_fields", "weight_colour"]


def pixel_fields(layer_or_model: Any, layer: int = 0) -> np.ndarray:
    r"""What each neuron of a layer looks for, in pixel space: one row per neuron.

    Layer 0's fields are its weights. A deeper neuron reads the neurons
    below it, so its field is theirs combined by its weights, as the fourth
    article does for its four-pixel camera:

        field(layer ℓ) = W_ℓ · field(layer ℓ − 1),   field(layer 0) = W_0

    (the activations are left out: a field says which pixels push a neuron
    up or down, not by how much after squashing).

    >>> from autograd import Value
    >>> class Neuron:
    ...     def __init__(self, w):
    ...         self.w = [Value(v) for v in w]
    ...         self.b = Value(0.0)
    >>> class Layer:
    ...     def __init__(self, rows):
    ...         self.neurons = [Neuron(r) for r in rows]
    >>> class Model:
    ...     layers = [Layer([[1.0, 0.0], [0.0, 1.0]]), Layer([[1.0, -1.0]])]
    >>> pixel_fields(Model(), layer=1).tolist()       # pixel 0 minus pixel 1
    [[1.0, -1.0]]
    """
    layers = layers_of(layer_or_model)
    if isinstance(layer, bool) or not isinstance(layer, int):
        msg = f"layer must be a layer number (0 is the first), not {layer!r}."
        raise TypeError(msg)
    if not 0 <= layer < len(layers):
        msg = (
            f"layer must be between 0 and {len(layers) - 1} (this model has "
            f"{len(layers)} layers of neurons), not {layer}."
        )
        raise ValueError(msg)
    field = np.eye(len(layers[0].neurons[0].w))
    for below in layers[: layer + 1]:
        weights = np.array([[float(v.data) for v in n.w] for n in below.neurons])
        field = weights @ field
    return field


def weight_colour(w: float, largest: float) -> str:
    r"""White for 0, deeper blue for positive, deeper red for negative weights.

    >>> weight_colour(0.0, 1.0), weight_colour(1.0, 1.0), weight_colour(-1.0, 1.0)
    ('#ffffff', '#1f77b4', '#d62728')
    """
    t = min(abs(w) / largest, 1.0) if largest > 0 else 0.0
    target = (0x1F, 0x77, 0xB4) if w >= 0 else (0xD6, 0x27, 0x28)
    r, g, b = (round(255 + (c - 255) * t) for c in target)
    return f"#{r:02x}{g:02x}{b:02x}"


def receptive_fields(
    layer_or_model: Any,
    shape: tuple[int, int],
    path: str | Path | None = None,
    cell: int = 12,
    columns: int | None = None,
    shared_scale: bool = False,
    layer: int = 0,
) -> str:
    r"""One small image per neuron of a layer: what it looks for, on the grid.

    ``layer`` (0, the first, by default) picks the layer of a model; a deeper
    layer is drawn in pixel space (see :func:`pixel_fields`).

    ``shape=(h, w)`` is the input image's height and width (h·w must equal the
    number of weights per neuron: ``(2, 2)`` for the four-pixel camera,
    ``(8, 8)`` for digits). Each neuron's colours are scaled to its own
    largest |weight|, or to the largest in the layer with ``shared_scale``.
    Returns SVG text, also written to ``path`` if given. Hovering a cell shows
    its weight.
    """
    fields = pixel_fields(layer_or_model, layer)
    if not (
        isinstance(shape, tuple | list)
        and len(shape) == 2
        and all(type(s) is int and s > 0 for s in shape)
    ):
        msg = f"shape must be (height, width) in pixels, like (8, 8), not {shape!r}."
        raise ValueError(msg)
    h, w = shape
    nin = fields.shape[1]
    if h * w != nin:
        msg = (
            f"shape {h}x{w} has {h * w} pixels, but each neuron has {nin} weights; "
            f"pass a shape whose height × width is {nin}."
        )
        raise ValueError(msg)
    columns = columns or min(len(fields), 8)
    rows = -(-len(fields) // columns)
    gap, caption = cell, 14
    tile_w, tile_h = w * cell, h * cell + caption
    width = columns * tile_w + (columns + 1) * gap
    height = rows * tile_h + (rows + 1) * gap
    weights = fields.tolist()
    layer_largest = max(abs(v) for ws in weights for v in ws)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="10">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for index, ws in enumerate(weights):
        largest = layer_largest if shared_scale else max(abs(v) for v in ws)
        left = gap + (index % columns) * (tile_w + gap)
        top = gap + (index // columns) * (tile_h + gap)
        parts.append(f'<g class="neuron" id="neuron{index + 1}">')
        parts.append(
            f'<text x="{left + tile_w / 2:g}" y="{top + 10}" '
            f'text-anchor="middle">neuron {index + 1}</text>'
        )
        for k, value in enumerate(ws):
            row, col = divmod(k, w)
            colour = weight_colour(value, largest)
            parts.append(
                f'<rect x="{left + col * cell}" y="{top + caption + row * cell}" '
                f'width="{cell}" height="{cell}" fill="{colour}" '
                f'stroke="#dddddd" stroke-width="0.5">'
                f"<title>{escape(f'pixel ({row}, {col}): w = {fmt(value)}')}</title>"
                "</rect>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    svg = "\n".join(parts) + "\n"
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")
    return svg
