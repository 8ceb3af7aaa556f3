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
>>> svg.startswith("<svg") and svg.count('<rect x=') == 4      # one cell per pixel
True
>>> "red −, white 0, blue +" in svg                             # the colour scale
True
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from autograd.text import show
from nn.files import write_file
from viz.colours import NEGATIVE, POSITIVE
from viz.labels import shortened, visible
from viz.network import layers_of

__all__ = ["SVG", "pixel_fields", "receptive_fields", "weight_colour"]


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
    target = POSITIVE if w >= 0 else NEGATIVE
    r, g, b = (round(255 + (int(target[k : k + 2], 16) - 255) * t) for k in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"


class SVG(str):
    r"""SVG text that Jupyter shows as a picture; still a ``str`` in every way.

    >>> picture = SVG('<svg xmlns="http://www.w3.org/2000/svg"/>')
    >>> picture.startswith("<svg"), picture._repr_svg_() == picture
    (True, True)
    """

    __slots__ = ()

    def _repr_svg_(self) -> str:
        return str(self)

    def save(self, path: str | Path) -> Path:
        """Write the picture to ``path`` (folders are created); return the path."""
        return write_file(path, str(self), make_folders=True)


CAPTION_FONT = 14
#: The smallest width of one neuron's picture, in pixels, unless ``cell`` says.
MIN_TILE = 96


def _caption_width(text: str) -> float:
    return 0.6 * CAPTION_FONT * len(text) + 8


def _legend(left: float, top: float, largest: float, what: str) -> list[str]:
    """The colour scale under the pictures: red −largest, white 0, blue +largest."""
    width, height = 220, 14
    low = weight_colour(-largest, largest)
    high = weight_colour(largest, largest)
    return [
        '<g class="legend">',
        '<defs><linearGradient id="scale" x1="0" x2="1" y1="0" y2="0">'
        f'<stop offset="0" stop-color="{low}"/><stop offset="0.5" '
        f'stop-color="#ffffff"/><stop offset="1" stop-color="{high}"/>'
        "</linearGradient></defs>",
        f'<rect class="scale" x="{left}" y="{top}" width="{width}" '
        f'height="{height}" fill="url(#scale)" stroke="#999999" '
        'stroke-width="0.5"/>',
        f'<text x="{left}" y="{top + height + 16}" text-anchor="start">'
        f"{escape(show(-largest))}</text>",
        f'<text x="{left + width / 2}" y="{top + height + 16}" '
        'text-anchor="middle">0</text>',
        f'<text x="{left + width}" y="{top + height + 16}" text-anchor="end">'
        f"+{escape(show(largest))}</text>",
        f'<text x="{left + width + 14}" y="{top + height - 1}">'
        f"{escape(what)}: red −, white 0, blue +</text>",
        "</g>",
    ]


def receptive_fields(
    layer_or_model: Any,
    shape: tuple[int, int],
    path: str | Path | None = None,
    cell: int | None = None,
    columns: int | None = None,
    shared_scale: bool = True,
    layer: int = 0,
    class_names: Sequence[str] | None = None,
) -> SVG:
    r"""One small image per neuron of a layer: what it looks for, on the grid.

    ``layer`` (0, the first, by default) picks the layer of a model; a deeper
    layer is drawn in pixel space (see :func:`pixel_fields`).

    ``shape=(h, w)`` is the input image's height and width (h·w must equal the
    number of weights per neuron: ``(2, 2)`` for the four-pixel camera,
    ``(8, 8)`` for digits). All neurons share one colour scale, shown in a
    legend (red negative, white zero, blue positive); ``shared_scale=False``
    scales each neuron to its own largest |weight| instead. Each image is at
    least :data:`MIN_TILE` pixels wide unless ``cell`` (pixels per input
    pixel) says otherwise. ``class_names`` captions the neurons of the output
    layer (one name each) instead of "neuron 1", "neuron 2", ...; captions
    are shortened to fit, never drawn over each other.

    Returns the SVG text as an :class:`SVG` (a ``str`` that Jupyter shows as
    a picture), also written to ``path`` if given. Hovering a cell shows its
    weight.
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
    if cell is not None and (
        isinstance(cell, bool) or not isinstance(cell, int) or cell < 1
    ):
        msg = f"cell must be a whole number of pixels (1 or more), not {cell!r}."
        raise ValueError(msg)
    last = len(layers_of(layer_or_model)) - 1
    captions = [f"neuron {k + 1}" for k in range(len(fields))]
    if class_names is not None:
        if layer != last:
            msg = (
                f"class_names name the outputs, so they need layer={last} (the "
                f"output layer), not layer={layer}."
            )
            raise ValueError(msg)
        names = [str(name) for name in class_names]
        if len(names) != len(fields):
            msg = (
                f"class_names has {len(names)} names, but the output layer has "
                f"{len(fields)} neurons; give one name each."
            )
            raise ValueError(msg)
        captions = names
    cell = cell or max(1, -(-MIN_TILE // max(h, w)))
    columns = columns or min(len(fields), 8)
    rows = -(-len(fields) // columns)
    gap, caption = 16, CAPTION_FONT + 8
    tile_w = max(w * cell, 60)
    limit = max(3, int((tile_w + gap - 8) / (0.6 * CAPTION_FONT)))
    captions = [shortened(visible(text), limit) for text in captions]
    tile_h = h * cell + caption
    legend_h = 56
    what = "weight" if layer == 0 else "combined weight"
    legend_w = gap + 220 + 14 + _caption_width(f"{what}: red −, white 0, blue +")
    width = int(max(columns * tile_w + (columns + 1) * gap, legend_w + gap))
    height = rows * tile_h + (rows + 1) * gap + legend_h
    weights = fields.tolist()
    layer_largest = max(abs(v) for ws in weights for v in ws) or 1.0

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="{CAPTION_FONT}">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for index, ws in enumerate(weights):
        largest = layer_largest if shared_scale else (max(abs(v) for v in ws) or 1.0)
        left = gap + (index % columns) * (tile_w + gap)
        top = gap + (index // columns) * (tile_h + gap)
        inset = (tile_w - w * cell) / 2
        parts.append(f'<g class="neuron" id="neuron{index + 1}">')
        parts.append(
            f'<text x="{left + tile_w / 2:g}" y="{top + CAPTION_FONT}" '
            f'text-anchor="middle">{escape(captions[index])}</text>'
        )
        for k, value in enumerate(ws):
            row, col = divmod(k, w)
            colour = weight_colour(value, largest)
            parts.append(
                f'<rect x="{left + inset + col * cell:g}" '
                f'y="{top + caption + row * cell}" '
                f'width="{cell}" height="{cell}" fill="{colour}" '
                f'stroke="#dddddd" stroke-width="0.5">'
                f"<title>{escape(f'pixel ({row}, {col}): w = {show(value)}')}</title>"
                "</rect>"
            )
        parts.append("</g>")
    if shared_scale:
        parts += _legend(gap, height - legend_h + 8, layer_largest, what)
    else:
        parts.append(
            f'<text x="{gap}" y="{height - legend_h + 24}">each neuron scaled to its '
            f"own largest |{what}|: red −, white 0, blue +</text>"
        )
    parts.append("</svg>")
    svg = SVG("\n".join(parts) + "\n")
    if path is not None:
        svg.save(path)
    return svg
