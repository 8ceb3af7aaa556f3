r"""Values shown as their graphs in Jupyter, once ``viz`` is imported.

``autograd`` knows nothing of pictures (it needs only numpy), so a
:class:`~autograd.Value` shows as its text ``repr`` everywhere. Importing
``viz`` inside IPython or Jupyter registers one more display for Values: the
SVG of :func:`viz.draw_graph`, next to the text. A graph too large to draw
quickly, or a machine without Graphviz, simply keeps the text.

>>> show_values_as_graphs(False)   # outside IPython: nothing to do
False
"""

from __future__ import annotations

import sys
from typing import Any

from autograd import Value

__all__ = ["MAX_SHOWN", "show_values_as_graphs", "value_svg"]

#: Values whose graphs have more nodes than this show as text only.
MAX_SHOWN = 150


def value_svg(value: Value) -> str | None:
    r"""The SVG of ``value``'s graph, or ``None`` to fall back to the text.

    ``None`` when the graph has more than :data:`MAX_SHOWN` values or when
    Graphviz is not installed: a display must never fail.
    """
    from autograd import topological_order
    from viz.dot import draw_graph
    from viz.render import GraphvizNotFound, render_svg

    if len(topological_order(value)) > MAX_SHOWN:
        return None
    try:
        return render_svg(draw_graph(value))
    except (GraphvizNotFound, ValueError, RuntimeError):
        return None


def show_values_as_graphs(enabled: bool = True) -> bool:
    r"""Show Values as their graphs in this IPython session (or stop, with False).

    Returns True when IPython is running and the display was (un)registered.
    ``import viz`` calls it once.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatter: Any = shell.display_formatter.formatters["image/svg+xml"]
    if enabled:
        formatter.for_type(Value, value_svg)
    else:
        formatter.type_printers.pop(Value, None)
    return True
