r"""viz: pictures of computation graphs, backprop steps and networks.

- :func:`draw_graph`: a computation graph, optionally frozen at one backward
  step; :func:`save_steps_html`: a page with one frame per step.
- :func:`draw_paths`: one weight's chain, the paths from it to the loss
  with the product of their local derivatives, at any network size.
- :func:`save_worksheet`: exercises to do by hand, checked in the page.
- :func:`draw_network` and :func:`receptive_fields`: what a model looks like.
- :func:`plot_history` and :func:`plot_decision_boundary`: training pictures.

Graphs are :class:`graphviz.Digraph` objects, so ``str(graph)`` (the DOT
source) works without Graphviz installed; rendering to SVG needs the ``dot``
program (see :class:`GraphvizNotFound`). Every picture shows itself in
Jupyter, and once ``viz`` is imported there so does every ``Value``: as its
graph (see :mod:`viz.jupyter`).

>>> from autograd import Value
>>> import viz
>>> a, b = Value(2.0, "a"), Value(-3.0, "b")
>>> c = (a * b).tanh(); c.label = "c"
>>> c.backward()
>>> dot = str(viz.draw_graph(c))
>>> "tanh" in dot and "{a | data 2 | grad" in dot
True
"""

from viz.dot import GraphTooLargeError, draw_graph
from viz.fields import SVG, pixel_fields, receptive_fields
from viz.frames import frames_of
from viz.html import save_steps_html, steps_html
from viz.jupyter import show_values_as_graphs
from viz.network import draw_network
from viz.paths import draw_paths
from viz.paths_page import save_paths_html
from viz.plots import plot_decision_boundary, plot_history, predict_classes
from viz.render import (
    GraphvizNotFound,
    PinnedDigraph,
    render_svg,
    render_svgs,
    save_svg,
)
from viz.worksheet import save_worksheet, worksheet_html

__all__ = [
    "SVG",
    "GraphTooLargeError",
    "GraphvizNotFound",
    "PinnedDigraph",
    "draw_graph",
    "draw_network",
    "draw_paths",
    "frames_of",
    "pixel_fields",
    "plot_decision_boundary",
    "plot_history",
    "predict_classes",
    "receptive_fields",
    "render_svg",
    "render_svgs",
    "save_paths_html",
    "save_steps_html",
    "save_svg",
    "save_worksheet",
    "show_values_as_graphs",
    "steps_html",
    "worksheet_html",
]

show_values_as_graphs()  # in IPython and Jupyter: a Value shows as its graph
