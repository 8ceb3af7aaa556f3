r"""Computation graphs as Graphviz pictures: :func:`draw_graph`.

Each value is one record ``label | data | grad``; each op is its own small
node named by its symbol (``+``, ``×``, ``σ``, ``Σw·x+b``); each edge from a
parent into an op carries the op's local derivative, ``∂out/∂in = 0.5``.
Backpropagation walks these edges backwards, multiplying:

    dL/d(parent) += dL/d(node) × ∂(node)/∂(parent)

With ``step=k`` the picture freezes the backward pass at its k-th step: the
node being processed and the edges carrying its gradient to its parents are
highlighted; a node that has received part of its gradient shows it
(``grad 2 (so far)``), and only nodes nothing has reached yet show ``grad ?``.

What the picture writes is made in :mod:`viz.labels`, and where a pass
stands in a frame is worked out in :mod:`viz.frames`.

``str(graph)`` is the DOT source (no Graphviz program needed), and node ids
come from the nodes' positions in :func:`autograd.topological_order`, so the
same graph gives byte-identical DOT source on every run.

>>> from autograd import Value
>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = x * w; y.label = "y"
>>> y.backward()
>>> dot = str(draw_graph(y))
>>> "{y | data -6 | grad 1}" in dot and "∂y/∂x = -3" in dot
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import graphviz

from autograd import Step, Value, op_for, topological_order
from autograd.levels import Grouping, check_level
from autograd.names import d, node_names
from autograd.text import local_rule, local_text, show
from viz.frames import (
    Frame,
    final_grads,
    frame_state,
    frames_of,
    grad_text,
    step_index,
)
from viz.labels import label_lines, record_field, shortened, value_kind, value_title
from viz.layout import Layout, fitting
from viz.levels import (
    Boxes,
    TooLarge,
    box_ids,
    level_frame,
    level_of_step,
    level_steps,
    pick_level,
)
from viz.render import Drawing

__all__ = [
    "STYLES",
    "GraphTooLargeError",
    "check_rankdir",
    "draw_frame",
    "draw_graph",
    "layout_size",
    "parameter_set",
    "plan_collapse",
]

DEFAULT_MAX_NODES = 300
# Graphviz's work grows with the nodes it places, and a long edge (from a value
# used far away, like one input fed to every term of a long sum) is placed as
# one hidden node per rank it crosses. Up to this many placed nodes per allowed
# value, `dot` finishes in about a second; far beyond, it can take minutes.
LAYOUT_PER_VALUE = 8

Collapse = bool | Literal["auto"]

# fill colours of the kinds of values, shown in the legend; never the red or
# blue of negative and positive numbers (viz.colours), nor the step's orange
STYLES: dict[str, dict[str, str]] = {
    "parameter": {"fillcolor": "#fde2c4", "color": "#8c510a"},
    "input": {"fillcolor": "#e8e1f2", "color": "#5e3c99"},
    "intermediate": {"fillcolor": "#ffffff", "color": "#555555"},
    "output": {"fillcolor": "#d9f2d9", "color": "#2e7d32"},
}
LEGEND = {
    "parameter": "parameter (weight, bias)",
    "input": "input or constant",
    "intermediate": "intermediate value",
    "output": "output",
}
# the step being taken: orange for the gradient sent back, purple for the
# numbers going forward
CURRENT = {"fillcolor": "#fff3b0", "color": "#e66100", "penwidth": "3"}
FLOW = {"color": "#e66100", "fontcolor": "#b34700", "penwidth": "2.5"}
FORWARD = {"color": "#7b3294", "fontcolor": "#7b3294", "penwidth": "2.5"}
FONT = "Helvetica"
#: Every text in a graph is this large (points): edge labels as large as the
#: values' own text, so the chain-rule numbers read from the back of a room.
FONT_SIZE = "14"


#: Names longer than this are shortened with an ellipsis in the middle.
class GraphTooLargeError(TooLarge):
    """A graph has more values than ``max_nodes``, even with neurons collapsed."""


# --- collapsing large graphs ------------------------------------------------------


#: The roles of the parents a collapsed neuron stands for (see the op table).
_NEURON_ROLES = frozenset({"weight", "bias"})


def _weight_positions(node: Value) -> set[int]:
    """Positions of a neuron's weights and bias among its node's parents."""
    roles = op_for(node.op).roles_of(len(node.parents))
    return {i for i, role in enumerate(roles) if role in _NEURON_ROLES}


def _is_neuron(node: Value) -> bool:
    """True for a node whose parents include weights: a neuron's weighted sum."""
    return bool(node.parents) and "weight" in op_for(node.op).roles


def _hidden_leaves(order: Sequence[Value]) -> set[Value]:
    r"""The leaves that are only ever weights or biases of ``wsum`` nodes.

    Collapsing a neuron hides these: the neuron's node stands for them. A
    leaf also used anywhere else (say, in a weight penalty) stays visible.
    """
    weights: set[Value] = set()
    elsewhere: set[Value] = set()
    for node in order:
        if not node.parents:
            continue
        in_weights = _weight_positions(node) if _is_neuron(node) else set()
        for position, parent in enumerate(node.parents):
            if parent.parents:
                continue
            (weights if position in in_weights else elsewhere).add(parent)
    return weights - elsewhere


def layout_size(order: Sequence[Value], hidden: set[Value]) -> int:
    r"""About how many nodes Graphviz must place to draw ``order``.

    The drawn values and op nodes, plus one hidden node for each rank a long
    edge crosses. Ranks are taken as late as possible (each node just before
    its earliest use), as ``dot`` tends to place them.
    """
    rank: dict[Value, int] = {order[-1]: 0}
    for node in reversed(order):
        if node in hidden or not node.parents:
            continue
        before_op = rank[node] - 2
        for parent in node.parents:
            if parent not in hidden:
                rank[parent] = min(rank.get(parent, before_op), before_op)
    size = 0
    for node in order:
        if node in hidden:
            continue
        size += 1
        if not node.parents:
            continue
        size += 1  # the op node
        op = rank[node] - 1
        size += sum(op - rank[p] - 1 for p in node.parents if p not in hidden)
    return size


# --- the picture ------------------------------------------------------------------


def draw_graph(
    root: Value,
    step: int | Step | None = None,
    show_local_grads: bool = True,
    rankdir: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    collapse: Collapse = "auto",
    params: Iterable[Value] | Any = None,
    legend: bool = True,
    show_rules: bool = False,
    level: str = "auto",
) -> graphviz.Digraph:
    r"""Draw the computation graph that ends in ``root``.

    - each value: a record ``label | data | grad`` (4 significant digits; a
      batch shows its length and mean). Parameters, inputs, intermediate
      values and the output are filled in different colours; a legend
      explains them. A leaf is a parameter if it is in ``params`` (Values, or
      a model with ``.parameters()``) or is labelled like an ``nn`` parameter.
    - each op: a small node named by its symbol; each edge into it is
      labelled with the local derivative ``∂out/∂in = -3``
      (``show_local_grads``), with ``show_rules`` also its formula in the
      graph's names: ``∂y/∂x = w = -3``. Edge text is as large as the
      values' text.
    - ``step=k`` (1-based, as in :func:`autograd.backward_steps`) or a
      :class:`autograd.Step`: the k-th node of the backward pass and the edges
      carrying its gradient to its parents are highlighted; nodes reached
      earlier show their final grad, nodes that have received part of their
      gradient show it as ``grad 2 (so far)`` (without "so far" once every
      node that uses them has sent its share), and nodes nothing has reached
      yet ``grad ?``. To know those grads, a fresh backward pass runs on the
      side (see :func:`frames_of`): the graph's own grads are left as they
      were.
    - large graphs: above ``max_nodes`` values (or always, with
      ``collapse=True``) each ``wsum`` node absorbs its leaf weights and bias
      (one node per neuron; its input edges go unlabelled, their local
      derivatives being the hidden weights). If the graph is still too large,
      :class:`GraphTooLargeError` names the limit; raise ``max_nodes`` to
      draw it anyway. ``collapse=False`` never collapses. The layout work
      counts too: values used far apart (one input in every term of a long
      sum) make Graphviz place a hidden node for every rank an edge crosses,
      so a graph needing more than ``LAYOUT_PER_VALUE × max_nodes`` placed
      nodes (see :func:`layout_size`) is collapsed or refused the same way.

    ``rankdir`` is Graphviz's direction: ``"LR"`` (left to right) or ``"TB"``
    (top to bottom); left out, the graph is drawn the way it fits a 4:3
    screen best (see :func:`viz.layout.fitting`). The legend names the kinds
    of values the graph has (``legend=False`` leaves it out).

    ``level`` (see :mod:`viz.levels`): ``"ops"`` draws every value as above;
    ``"neurons"`` each neuron as one box (its sum, its activation, its δ and
    its weights with their gradients), ``"layers"`` each layer as one box
    (its formula with shapes, its values and δ as short vectors), the rest as
    at ``"ops"``; ``"auto"`` (the default) the op level when the picture fits
    a 1024×768 screen with every text at least 10 CSS pixels, else the
    neuron level, else the layer level. With ``step=k`` at a level, k counts
    that level's steps (``backward_steps(root, level=...)``).

    >>> from autograd import Value
    >>> a, b = Value(2.0, "a"), Value(3.0, "b")
    >>> c = a * b + a; c.label = "c"
    >>> dot = str(draw_graph(c, step=1))
    >>> "grad ?" in dot and 'label="+"' in dot
    True
    >>> a.grad          # drawing a step left the graph's grads alone
    0.0
    """
    if not isinstance(root, Value):
        msg = f"draw_graph needs the Value at the end of a graph, not {root!r}."
        raise TypeError(msg)
    check_rankdir(rankdir)
    check_level(level, auto=True)
    order = topological_order(root)
    chosen = parameter_set(params)

    def draw(
        view: Grouping | None, frame: Frame | None = None
    ) -> tuple[str, graphviz.Digraph]:
        """The picture at ``view``'s level, the way given or that fits best."""

        def build(direction: str) -> graphviz.Digraph:
            return draw_frame(
                root,
                order,
                frame,
                show_local_grads=show_local_grads,
                rankdir=direction,
                max_nodes=max_nodes,
                collapse=collapse,
                params=chosen,
                legend=legend,
                show_rules=show_rules,
                view=view,
            )

        return (rankdir, build(rankdir)) if rankdir is not None else fitting(build)

    view = pick_level(order, level, draw, float(FONT_SIZE))
    if isinstance(step, Step) and level == "auto":  # the level it was taken at
        view = level_of_step(step, root, order, view)
    if view is None:  # a too-large graph fails before any work
        plan_collapse(order, max_nodes, collapse)
    else:
        _check_units(view, max_nodes)
    frame = None
    if step is not None and view is None:
        steps = frames_of(root, order)
        frame = Frame(steps, step_index(step, steps))
    elif step is not None and view is not None:
        steps = level_steps(root, order, view)
        frame = level_frame(steps, view, step_index(step, steps))
    return draw(view, frame)[1]


def check_rankdir(rankdir: str | None) -> None:
    """A clear error for a direction Graphviz does not know (``None``: choose)."""
    if rankdir is not None and rankdir not in ("LR", "RL", "TB", "BT"):
        msg = (
            f'rankdir must be one of "LR", "RL", "TB", "BT" (or None, to choose '
            f"the one that fits the screen), not {rankdir!r}."
        )
        raise ValueError(msg)


def parameter_set(params: Any) -> set[Value] | None:
    """The Values to draw as parameters: given as Values or as a model."""
    if params is None:
        return None
    parameters = getattr(params, "parameters", None)
    found = set(parameters() if callable(parameters) else params)
    for p in found:
        if not isinstance(p, Value):
            msg = f"params must hold Values (or be a model), not {type(p).__name__}."
            raise TypeError(msg)
    return found


def plan_collapse(
    order: Sequence[Value], max_nodes: int, collapse: Collapse
) -> tuple[bool, set[Value]]:
    """Decide whether to collapse neurons; return it and the hidden leaves."""
    if collapse not in (True, False, "auto"):
        msg = f'collapse must be True, False or "auto", not {collapse!r}.'
        raise ValueError(msg)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        msg = f"max_nodes must be a positive whole number, not {max_nodes!r}."
        raise ValueError(msg)
    budget = LAYOUT_PER_VALUE * max_nodes
    on = collapse is True or (
        collapse == "auto"
        and (len(order) > max_nodes or layout_size(order, set()) > budget)
    )
    hidden = _hidden_leaves(order) if on else set()
    shown = len(order) - len(hidden)
    if shown <= max_nodes and layout_size(order, hidden) > budget:
        size = layout_size(order, hidden)
        msg = (
            f"this graph has {shown} values, but some are used far apart, so "
            f"Graphviz would have to place about {size} nodes (values, ops and "
            f"the bends of long edges), more than {LAYOUT_PER_VALUE} × "
            f"max_nodes={max_nodes} allows: the layout could take minutes. Pass "
            f"max_nodes={-(-size // LAYOUT_PER_VALUE)} (or more) to draw it "
            "anyway, or draw a smaller part of the graph."
        )
        raise GraphTooLargeError(msg)
    if shown > max_nodes:
        if not on:
            how = ' (collapse=False; collapse="auto" may help)'
        elif hidden:
            how = " even with each neuron's weighted sum collapsed into one node"
        else:
            how = " (it has no neurons' weighted sums to collapse)"
        msg = (
            f"this graph has {shown} values to draw, more than "
            f"max_nodes={max_nodes}{how}. Pass max_nodes={shown} (or more) to "
            "draw it anyway (Graphviz may take a long time), or draw a smaller "
            "part of the graph."
        )
        raise GraphTooLargeError(msg)
    return on, hidden


def draw_frame(
    root: Value,
    order: Sequence[Value],
    frame: Frame | None,
    *,
    show_local_grads: bool,
    rankdir: str,
    max_nodes: int,
    collapse: Collapse,
    params: set[Value] | None,
    legend: bool,
    layout: Layout | None = None,
    show_rules: bool = False,
    blank: bool = False,
    view: Grouping | None = None,
) -> graphviz.Digraph:
    r"""Build the Digraph; ``frame`` (if any) says which step is current.

    With a ``layout`` (see :mod:`viz.layout`) every node and edge is pinned to
    its position there, for rendering with ``neato -n2``. With ``blank`` the
    gradients and local derivatives are blanks to fill in (``grad ?``,
    ``∂y/∂x = ?``): the picture of an exercise. With a ``view`` (a neuron or
    a layer level, see :mod:`viz.levels`) its groups are drawn one box each.
    """
    boxes = None
    if view is not None and view.groups:  # each group one box, nothing folded
        _check_units(view, max_nodes)
        collapsing, hidden = False, set(view.shown_in)
        ids = box_ids(view)
    else:
        collapsing, hidden = plan_collapse(order, max_nodes, collapse)
        ids = {id(node): f"v{k}" for k, node in enumerate(order)}
    names = {node: shortened(name) for node, name in node_names(order, root).items()}
    root_name = names[root]
    current, computed, totals = frame_state(frame, order)
    step_of = {} if frame is None else {id(s.node): s for s in frame.steps}
    finals = {} if frame is None else final_grads(frame.steps)
    forward = frame is not None and frame.forward
    flow = FORWARD if forward else FLOW
    pinned = layout.node if layout is not None else lambda name: {}
    edges = layout.cursor() if layout is not None else None

    def edge(tail: str, head: str, **attrs: Any) -> None:
        if edges is not None:
            attrs.update(edges.edge(tail, head))
        g.edge(tail, head, **attrs)

    g = Drawing("chainrule", node_attr={"fontname": FONT})
    g.attr(rankdir=rankdir, fontname=FONT)
    if layout is not None:
        g.attr(**layout.graph())
    g.attr("node", fontsize=FONT_SIZE)
    g.attr("edge", fontname=FONT, fontsize=FONT_SIZE)
    if legend:
        grouped = view.shown_in if view is not None else {}
        kinds = {
            value_kind(node, root, params)
            for node in order
            if node not in hidden or node in grouped
        }
        _legend(g, kinds, frame is not None, layout)

    # A record's fields turn at each brace: one pair lays them side by side
    # left to right, two pairs top to bottom. The same text either way.
    record = "{%s}" if rankdir in ("LR", "RL") else "{{%s}}"
    if view is not None and view.groups:
        boxes = Boxes(view, frame, root=root, names=names)
    for k, node in enumerate(order):
        if node in hidden:
            if boxes is not None:  # a group's box, where its first node is
                boxes.box(g, node, STYLES, CURRENT, pinned)
            continue
        data = show(node.data) if computed is None or node in computed else "?"
        fields = " | ".join(
            record_field(text)
            for text in (
                value_title(node, names),
                f"data {data}",
                "grad "
                + ("?" if blank else grad_text(node, frame, totals, step_of, finals)),
            )
        )
        attrs = dict(STYLES[value_kind(node, root, params)])
        if node is current:
            attrs.update(CURRENT)
        g.node(
            f"v{k}",
            graphviz.nohtml(record % fields),
            shape="record",
            style="filled,rounded" if node.parents else "filled",
            **attrs,
            **pinned(f"v{k}"),
        )
        if not node.parents:
            continue
        parts = [op_for(node.op).symbol]
        if collapsing and _is_neuron(node):
            roles = op_for(node.op).parts(node.parents)
            n = len(roles["weight"])
            plus = " + bias" if roles.get("bias") else ""
            parts.append(f"{n} weight{'s' if n != 1 else ''}{plus}")
        symbol = label_lines(*parts)
        op_attrs = {"shape": "circle" if len(symbol) <= 2 else "ellipse"}
        if node is current:
            op_attrs.update(color=CURRENT["color"], penwidth=CURRENT["penwidth"])
        g.node(f"op{k}", symbol, **op_attrs, **pinned(f"op{k}"))
        edge(f"op{k}", f"v{k}", **(flow if node is current else {}))

    for k, node in enumerate(order):
        if not node.parents or node in hidden:
            continue
        chain = None
        if frame is not None and not forward and (node is current or frame.every_chain):
            chain = step_of[id(node)].lines
        known = computed is None or node in computed or (frame and frame.every_chain)
        # a collapsed neuron's local derivatives are its hidden weights: unlabelled
        label_locals = show_local_grads and not (collapsing and _is_neuron(node))
        for i, parent in enumerate(node.parents):
            if parent in hidden and not (view is not None and parent in view.shown_in):
                continue
            lines = []
            if label_locals and blank:
                lines.append(f"∂{d(names[node])}/∂{d(names[parent])} = ?")
            elif label_locals and known:
                if show_rules or forward or (frame is not None and frame.every_chain):
                    lines.append(local_rule(node, i, names))
                else:
                    local = local_text(node, i, names)
                    lines.append(f"∂{d(names[node])}/∂{d(names[parent])} = {local}")
            edge_attrs: dict[str, Any] = dict(flow) if node is current else {}
            if chain is not None:
                target = f"d{d(root_name)}/d{d(names[parent])}"
                lines.append(f"{target} += {chain[i].numbers[2:]}")
            if lines:
                edge_attrs["label"] = label_lines(*lines)
            edge(ids[id(parent)], f"op{k}", **edge_attrs)
    if boxes is not None:
        boxes.edges(edge, flow)
    return g


def _check_units(view: Grouping, max_nodes: int) -> None:
    """A picture at a level has at most ``max_nodes`` boxes, as one of values."""
    shown = len(view.units)
    if shown > max_nodes:
        msg = (
            f"this graph has {shown} boxes to draw at the {view.level} level, more "
            f"than max_nodes={max_nodes}. Pass max_nodes={shown} (or more) to draw "
            "it anyway, or draw a smaller part of the graph."
        )
        raise GraphTooLargeError(msg)


def _legend(
    g: graphviz.Digraph, kinds: set[str], stepping: bool, layout: Layout | None
) -> None:
    """A small cluster with one table that names the colours the graph uses
    (and the highlight of the current step)."""
    entries = [(LEGEND[kind], attrs) for kind, attrs in STYLES.items() if kind in kinds]
    if stepping:
        entries.append(("current step", CURRENT))
    rows = "".join(
        f'<tr><td bgcolor="{attrs["fillcolor"]}" color="{attrs["color"]}" '
        f'border="{attrs.get("penwidth", "1")}">{text}</td></tr>'
        for text, attrs in entries
    )
    table = f'<<table border="0" cellspacing="4" cellpadding="4">{rows}</table>>'
    pinned = {} if layout is None else layout.node("legend")
    with g.subgraph(name="cluster_legend") as box:
        box.attr(label="legend", fontsize=FONT_SIZE, style="dashed", color="#999999")
        if layout is not None:
            box.attr(**layout.cluster("cluster_legend"))
        box.node("legend", table, shape="plaintext", fontsize=FONT_SIZE, **pinned)
