r"""Turning DOT source into SVG with Graphviz's ``dot`` program.

Every picture in :mod:`viz` is first a :class:`graphviz.Digraph`: its DOT
source (``str(graph)``) needs nothing installed. Only *rendering* it to SVG
runs the ``dot`` program; when ``dot`` is missing, :class:`GraphvizNotFound`
says how to install it, and the DOT source is still there to save or paste
into an online viewer.

>>> import graphviz
>>> g = graphviz.Digraph()
>>> g.edge("a", "b")
>>> print(str(g).strip())
digraph {
    a -> b
}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import graphviz

from nn.files import write_file

__all__ = [
    "Drawing",
    "GraphvizNotFound",
    "PinnedDigraph",
    "not_found_message",
    "render_svg",
    "render_svgs",
    "save_svg",
]

INSTALL_HELP = (
    "Install Graphviz and make sure `dot` is on your PATH:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Windows:        the installer from https://graphviz.org/download/ "
    "(tick 'add to PATH')\n"
    "The DOT source is still available without it: str(graph)."
)


class GraphvizNotFound(RuntimeError):
    """The Graphviz ``dot`` program, needed to render a picture, is not installed."""


class Drawing(graphviz.Digraph):
    r"""A Digraph that Jupyter shows through :func:`render_svg`.

    Without Graphviz's ``dot`` a notebook then shows chainrule's own
    :class:`GraphvizNotFound` (how to install it; the DOT source is
    ``str(graph)``), not graphviz's bare ``ExecutableNotFound``.
    """

    def _repr_image_svg_xml(self) -> str:
        return render_svg(self)


class PinnedDigraph(graphviz.Digraph):
    r"""A Digraph whose nodes, edges and labels already carry their positions.

    It is drawn by ``neato -n2``, which keeps every position as given, in
    :func:`render_svg`, in Jupyter and by the Digraph's own ``pipe`` and
    ``render``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("engine", "neato")
        super().__init__(*args, **kwargs)

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("neato_no_op", 2)
        return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("neato_no_op", 2)
        return super().render(*args, **kwargs)

    def _repr_image_svg_xml(self) -> str:
        return render_svg(self)


def not_found_message(error: Exception) -> str:
    """What to tell a user whose Graphviz programs are missing."""
    return f"cannot render: the Graphviz program `dot` was not found ({error}).\n" + (
        INSTALL_HELP
    )


def _pipe(source: str, pinned: bool = False) -> str:
    """Run ``dot -Tsvg`` (or ``neato -n2 -Tsvg`` for pinned positions) on DOT
    source text; return the SVG text."""
    engine, no_op = ("neato", 2) if pinned else ("dot", None)
    try:
        out = graphviz.pipe(engine, "svg", source.encode("utf-8"), neato_no_op=no_op)
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFound(not_found_message(error)) from None
    return out.decode("utf-8")


def render_svg(graph: graphviz.Digraph | graphviz.Graph | str) -> str:
    r"""Render a graph (or DOT source text) to SVG text with ``dot``.

    Raises :class:`GraphvizNotFound`, with install instructions, when the
    ``dot`` program is missing. A :class:`PinnedDigraph` is drawn where its
    positions say.
    """
    return _pipe(str(graph), pinned=isinstance(graph, PinnedDigraph))


_SVG_START = re.compile(r"<\?xml[^>]*\?>")


def render_svgs(
    graphs: Sequence[graphviz.Digraph | graphviz.Graph | str], pinned: bool = False
) -> list[str]:
    r"""Render many graphs with a single run of ``dot``: one SVG text each.

    ``dot`` lays out every graph of its input in turn, so the frames of a
    step-by-step page cost one process start, not one per frame. With
    ``pinned``, the graphs already carry their positions (see
    :mod:`viz.layout`) and ``neato -n2`` draws them where they are.
    """
    if not graphs:
        return []
    out = _pipe("\n".join(str(g) for g in graphs), pinned)
    starts = [m.start() for m in _SVG_START.finditer(out)]
    svgs = [out[a:b] for a, b in zip(starts, [*starts[1:], len(out)])]
    if len(svgs) != len(graphs):
        msg = (
            f"dot returned {len(svgs)} SVG pictures for {len(graphs)} graphs; "
            "render the graphs one at a time with render_svg to see which fails."
        )
        raise RuntimeError(msg)
    return svgs


def save_svg(graph: graphviz.Digraph | graphviz.Graph | str, path: str | Path) -> Path:
    r"""Render a graph to SVG and write it to ``path`` (folders are created)."""
    return write_file(path, render_svg(graph), make_folders=True)
