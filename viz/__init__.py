r"""viz: pictures of computation graphs, backprop steps and networks.

Everything is built as a :class:`graphviz.Digraph` first, so ``str(graph)``
(the DOT source) works without Graphviz installed; rendering to SVG needs the
``dot`` program (see :class:`GraphvizNotFound`).

>>> from autograd import Value
>>> import viz
>>> a, b = Value(2.0, "a"), Value(-3.0, "b")
>>> c = (a * b).tanh(); c.label = "c"
>>> c.backward()
>>> dot = str(viz.draw_graph(c))
>>> "tanh" in dot and "{a | data 2 | grad" in dot
True
"""

from viz.dot import GraphTooLargeError, draw_graph, frames_of
from viz.render import GraphvizNotFound, render_svg, render_svgs, save_svg

__all__ = [
    "GraphTooLargeError",
    "GraphvizNotFound",
    "draw_graph",
    "frames_of",
    "render_svg",
    "render_svgs",
    "save_svg",
]
