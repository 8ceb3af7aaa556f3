r"""One classroom style for every matplotlib picture: :func:`classroom`.

A projector shrinks a picture to its 1024×768 pixels and the back of the
room is far away, so every lesson's plot is drawn the same way: text of 14
to 17 points, thick lines and markers, a legend beside the axes (where it
hides no curve), and the colours of :mod:`viz.colours` (red and blue only
for negative and positive numbers, class 0 and class 1; other curves in
black, orange, green, purple...).

matplotlib reads its settings when a figure and each piece of it are made,
so the style is a context: make the whole figure inside it, or decorate the
function that makes it. The figure keeps the style when it is saved later.

>>> with classroom():
...     fig = figure(6, 4)
...     ax = fig.add_subplot()
...     line, = ax.plot([0, 1], [0, 1], label="train")
...     legend = legend_beside(ax)
>>> ax.title.get_fontsize(), line.get_linewidth(), line.get_color()
(16.0, 2.8, '#222222')
>>> @classroom()
... def picture():
...     return figure(4, 3).add_subplot().xaxis.label.get_fontsize()
>>> picture()
15.0

matplotlib (``python -m pip install matplotlib``) is imported only when a
picture is made.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nn.files import write_file
from viz.colours import NEGATIVE, POSITIVE, SERIES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend

__all__ = [
    "STYLE",
    "classroom",
    "figure",
    "legend_beside",
    "save_figure",
    "sign_colour_map",
]

#: The classroom style, as matplotlib settings (``matplotlib.rcParams``).
STYLE: dict[str, Any] = {
    "font.size": 15.0,
    "axes.titlesize": 16.0,
    "axes.labelsize": 15.0,
    "xtick.labelsize": 14.0,
    "ytick.labelsize": 14.0,
    "legend.fontsize": 14.0,
    "legend.title_fontsize": 14.0,
    "figure.titlesize": 17.0,
    "lines.linewidth": 2.8,
    "lines.markersize": 7.0,
    "axes.linewidth": 1.2,
    "xtick.major.width": 1.2,
    "ytick.major.width": 1.2,
    "xtick.major.size": 5.0,
    "ytick.major.size": 5.0,
    "grid.alpha": 0.35,
    "grid.linewidth": 0.8,
    "legend.framealpha": 0.9,
    "image.interpolation": "nearest",
}

_SUFFIXES = (".png", ".svg", ".pdf")
#: The resolution pictures are saved at (pixels per inch).
DPI = 100


def _matplotlib() -> Any:
    """matplotlib, or a clear error if it is missing."""
    try:
        import matplotlib
    except ImportError:
        msg = (
            "plots need matplotlib: install it with "
            f"{sys.executable or 'python'} -m pip install matplotlib."
        )
        raise ImportError(msg) from None
    return matplotlib


@contextmanager
def classroom() -> Iterator[None]:
    r"""Make the figures of this block (or of the decorated function) in the
    classroom style (:data:`STYLE`, the colours of :mod:`viz.colours`)."""
    matplotlib = _matplotlib()
    from cycler import cycler

    with matplotlib.rc_context({**STYLE, "axes.prop_cycle": cycler(color=SERIES)}):
        yield


@cache
def _plot_class() -> Any:
    """A Figure that shows itself in Jupyter as PNG and can be saved later."""
    from matplotlib.figure import Figure

    class Plot(Figure):
        """A matplotlib Figure that Jupyter shows as a PNG picture."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
            return buffer.getvalue()

        def save(self, path: str | Path) -> Path:
            """Write the picture to ``path`` (PNG, SVG or PDF, by the suffix)."""
            save_figure(self, path)
            return Path(path)

    return Plot


def figure(width: float, height: float, **options: Any) -> Figure:
    r"""A fresh figure ``width`` × ``height`` inches (no pyplot), laid out by
    matplotlib's constrained layout so that nothing overlaps.

    Kept at most 12 inches wide, a picture's 14-point text is still 11
    pixels high when a projector shrinks it to 1024 pixels.
    """
    _matplotlib()
    options.setdefault("layout", "constrained")
    plot: Figure = _plot_class()(figsize=(width, height), **options)
    return plot


def sign_colour_map() -> Colormap:
    r"""The colour scale of signed numbers: red (negative), white (0), blue.

    Give it ``vmin=-largest, vmax=largest`` so that white is 0.
    """
    from matplotlib.colors import LinearSegmentedColormap

    _matplotlib()
    return LinearSegmentedColormap.from_list("sign", [NEGATIVE, "#ffffff", POSITIVE])


def legend_beside(ax: Axes, **options: Any) -> Legend:
    r"""The axes' legend, just right of the axes: it can hide no curve."""
    options = {"loc": "upper left", "bbox_to_anchor": (1.02, 1.0), **options}
    return ax.legend(borderaxespad=0.0, **options)


def save_figure(fig: Figure, path: str | Path | None) -> None:
    r"""Write ``fig`` to ``path`` (PNG, SVG or PDF, by the suffix), cropped to
    what it draws; ``None`` writes nothing."""
    if path is None:
        return
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES:
        msg = (
            f"cannot tell the picture format from {str(path)!r}; end the file "
            f"name with one of {', '.join(_SUFFIXES)}."
        )
        raise ValueError(msg)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=path.suffix.lower()[1:], dpi=DPI, bbox_inches="tight")
    write_file(path, buffer.getvalue(), make_folders=True)
