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

Labels are shown as typed: ``&amp;`` stays ``&amp;``, control characters and
lone surrogates are drawn as visible symbols, and a name longer than
:data:`MAX_NAME` characters is shortened with an ellipsis in the middle.

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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import graphviz
import numpy as np

from autograd import (
    Element,
    ParameterArray,
    Step,
    Value,
    backward_steps,
    op_for,
    topological_order,
)
from autograd.graph import zeros_like
from autograd.names import d, node_names
from autograd.ops import shape_text, split_weighted_sum
from autograd.steps import expression_of, fmt, local_rule, local_text
from viz.layout import Layout

__all__ = [
    "MAX_NAME",
    "STYLES",
    "Frame",
    "GraphTooLargeError",
    "draw_frame",
    "draw_graph",
    "frames_of",
    "is_parameter_label",
    "kind_of",
    "layout_size",
    "parameter_set",
    "text_label",
    "visible",
]

DEFAULT_MAX_NODES = 300
# Graphviz's work grows with the nodes it places, and a long edge (from a value
# used far away, like one input fed to every term of a long sum) is placed as
# one hidden node per rank it crosses. Up to this many placed nodes per allowed
# value, `dot` finishes in about a second; far beyond, it can take minutes.
LAYOUT_PER_VALUE = 8

Collapse = bool | Literal["auto"]

# fill colours of the kinds of values, shown in the legend
STYLES: dict[str, dict[str, str]] = {
    "parameter": {"fillcolor": "#fde2c4", "color": "#b35900"},
    "input": {"fillcolor": "#d6e9f8", "color": "#1f5f99"},
    "intermediate": {"fillcolor": "#ffffff", "color": "#555555"},
    "output": {"fillcolor": "#d9f2d9", "color": "#2e7d32"},
}
LEGEND = {
    "parameter": "parameter (weight, bias)",
    "input": "input or constant",
    "intermediate": "intermediate value",
    "output": "output",
}
CURRENT = {"fillcolor": "#fff3b0", "color": "#d62728", "penwidth": "3"}
FLOW = {"color": "#d62728", "fontcolor": "#d62728", "penwidth": "2.5"}
FORWARD = {"color": "#1f5f99", "fontcolor": "#1f5f99", "penwidth": "2.5"}
FONT = "Helvetica"
#: Every text in a graph is this large (points): edge labels as large as the
#: values' own text, so the chain-rule numbers read from the back of a room.
FONT_SIZE = "14"
#: Names longer than this are shortened with an ellipsis in the middle.
MAX_NAME = 40

# nn labels parameters with dotted paths: layers.0.neurons.2.w.1, layer1.neuron3.b
_PARAMETER = re.compile(r"\.(w|b|weight|weights|bias|kernel)(\.?\d+)*$")


class GraphTooLargeError(ValueError):
    """A graph has more values than ``max_nodes``, even with neurons collapsed."""


def is_parameter_label(label: str) -> bool:
    r"""True for a label that names a parameter the way ``nn`` names them.

    >>> is_parameter_label("layers.0.neurons.2.w.1"), is_parameter_label("l1.n3.b")
    (True, True)
    >>> is_parameter_label("x"), is_parameter_label("b")
    (False, False)
    """
    return bool(_PARAMETER.search(label))


def kind_of(node: Value, root: Value, params: set[Value] | None = None) -> str:
    r"""Which kind of value a node is: parameter, input, intermediate or output.

    A leaf is a *parameter* if it lives in a parameter array (a layer's
    weights, or one of them), is in ``params``, or its label looks like an
    ``nn`` parameter name (see :func:`is_parameter_label`); other leaves are
    *inputs* (or constants). The root is the *output*.
    """
    if node is root:
        return "output"
    if node.parents:
        return "intermediate"
    if (
        isinstance(node, ParameterArray | Element)
        or (params is not None and node in params)
        or is_parameter_label(node.label)
    ):
        return "parameter"
    return "input"


# --- escaping -------------------------------------------------------------------


def visible(text: str) -> str:
    r"""Text as typed, made safe to draw: nothing in it is read as markup.

    Control characters become their visible symbols (NUL is ``␀``), a lone
    surrogate (which no file can hold) is written as its escape ``\\udc80``.

    >>> visible("a\x00b"), visible("\ud800")
    ('a␀b', '\\ud800')
    """
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("␡")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def shortened(name: str, limit: int = MAX_NAME) -> str:
    r"""A name cut to ``limit`` characters with an ellipsis in the middle.

    >>> shortened("layers.0.neurons.12.w.3"), shortened("x" * 50, 11)
    ('layers.0.neurons.12.w.3', 'xxxxx…xxxxx')
    """
    if len(name) <= limit:
        return name
    head = (limit - 1) // 2 + (limit - 1) % 2
    return name[:head] + "…" + name[len(name) - (limit - 1 - head) :]


def _text(text: str) -> str:
    """Text for a DOT string: visible, with ``\\``, quotes and ``&`` escaped
    (Graphviz reads ``&amp;`` as ``&``, so a typed ``&`` must be ``&amp;``)."""
    text = visible(text).replace("&", "&amp;")
    return text.replace("\\", "\\\\").replace('"', '\\"')


_RECORD_SPECIAL = re.compile(r"([{}|<>])")


def _field(text: str) -> str:
    """Text for one field of a record label: also escape ``{ } | < >``."""
    return _RECORD_SPECIAL.sub(r"\\\1", _text(text))


def text_label(*lines: str) -> graphviz.quoting.NoHtml:
    r"""Several lines of plain text as one label, drawn as typed (never as HTML).

    Every label of a picture goes through here (or :func:`_field`): ``&``,
    quotes and backslashes escaped for Graphviz, control characters made
    visible, so ``&#1;`` or ``a&amp;b`` is drawn as typed and the SVG stays
    well-formed XML.

    >>> str(text_label("a&b", 'say "hi"'))
    'a&amp;b\\nsay \\"hi\\"'
    """
    return graphviz.nohtml("\\n".join(_text(line) for line in lines))


# --- the backward pass, frozen at each step ---------------------------------------


def frames_of(root: Value, order: Sequence[Value] | None = None) -> list[Step]:
    r"""All the steps of a fresh backward pass from ``root``, side-effect free.

    Every grad in the graph is set to 0, :func:`autograd.backward_steps` runs
    to the end, and then every node gets back the grad it had before. So the
    steps show the gradients of ``root`` alone (even if leaves had
    accumulated grads from earlier passes), and the graph is left as it was.
    """
    order = list(topological_order(root) if order is None else order)
    saved = [n.grad.copy() if isinstance(n.grad, np.ndarray) else n.grad for n in order]
    try:
        for node in order:
            node.grad = zeros_like(node.data)
        return list(backward_steps(root))
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad


def _step_index(step: int | Step, steps: Sequence[Step]) -> int:
    total = len(steps)
    if isinstance(step, Step):
        if step.total != total or steps[step.index - 1].node is not step.node:
            msg = (
                f"this Step (step {step.index}/{step.total}, node {step.name!r}) "
                "comes from another graph; pass a Step of this root's "
                "backward_steps, or the step number."
            )
            raise ValueError(msg)
        return step.index
    if isinstance(step, bool) or not isinstance(step, int | np.integer):
        msg = f"step must be a step number or a Step, not {type(step).__name__}."
        raise TypeError(msg)
    if not 1 <= step <= total:
        msg = (
            f"step must be between 1 and {total} (this graph's backward pass has "
            f"{total} steps, one per value made by an op), not {step}."
        )
        raise ValueError(msg)
    return int(step)


def final_grads(steps: Sequence[Step]) -> dict[int, Any]:
    r"""Each node's final gradient in a pass, keyed by ``id(node)``.

    A node made by an op has it when its step is reached; a leaf once the
    last step is done (the table of the last step).
    """
    finals: dict[int, Any] = {id(step.node): step.grad for step in steps}
    if steps:
        for leaf in steps[-1].leaves:
            finals[id(leaf.node)] = leaf.grad
    return finals


# --- collapsing large graphs ------------------------------------------------------


def _weight_positions(node: Value) -> set[int]:
    """Positions of a wsum node's weights and bias among its parents."""
    weights, _, bias = split_weighted_sum(range(len(node.parents)))
    return {*weights, bias} if bias is not None else set(weights)


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
        in_weights = _weight_positions(node) if node.op == "wsum" else set()
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


@dataclass(frozen=True)
class Frame:
    """Where a pass stands: the steps, and which one is current.

    A backward frame (``forward=False``) stands at backward step ``index``.
    A forward frame stands at the ``index``-th op of the forward pass: the
    values computed so far show their data, the others ``data ?``.
    ``every_chain`` writes every edge's chain-rule line on it, not only the
    current step's, and the longest grad texts: the widest text a frame can
    have, to lay frames out by.
    """

    steps: Sequence[Step]
    index: int  # 1-based
    every_chain: bool = False
    forward: bool = False


def received(steps: Sequence[Step], index: int) -> dict[int, tuple[Any, bool]]:
    r"""The gradient each node has received after backward step ``index``.

    Keyed by ``id(node)``: the running total of the last share sent to it,
    and whether that was its last share (every node that uses it has sent
    its part). Nodes nothing has reached yet are missing.
    """
    expected: dict[int, int] = {}
    for step in steps:
        for line in step.lines:
            if line.after is not None:
                expected[id(line.parent)] = expected.get(id(line.parent), 0) + 1
    totals: dict[int, tuple[Any, bool]] = {}
    counts: dict[int, int] = {}
    for step in steps[:index]:
        for line in step.lines:
            if line.after is not None:
                key = id(line.parent)
                counts[key] = counts.get(key, 0) + 1
                totals[key] = (line.after, counts[key] == expected[key])
    return totals


def forward_order(order: Sequence[Value]) -> list[Value]:
    """The ops of the forward pass, in the order they are computed."""
    return [node for node in order if node.parents]


def draw_graph(
    root: Value,
    step: int | Step | None = None,
    show_local_grads: bool = True,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
    collapse: Collapse = "auto",
    params: Iterable[Value] | Any = None,
    legend: bool = True,
    show_rules: bool = False,
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

    ``rankdir`` is Graphviz's direction: ``"LR"`` (left to right) or ``"TB"``;
    the legend names the kinds of values the graph has (``legend=False``
    leaves it out).

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
    if rankdir not in ("LR", "RL", "TB", "BT"):
        msg = f'rankdir must be one of "LR", "RL", "TB", "BT", not {rankdir!r}.'
        raise ValueError(msg)
    order = topological_order(root)
    _collapsed(order, max_nodes, collapse)  # a too-large graph fails before any work
    frame = None
    if step is not None:
        steps = frames_of(root, order)
        frame = Frame(steps, _step_index(step, steps))
    return draw_frame(
        root,
        order,
        frame,
        show_local_grads=show_local_grads,
        rankdir=rankdir,
        max_nodes=max_nodes,
        collapse=collapse,
        params=parameter_set(params),
        legend=legend,
        show_rules=show_rules,
    )


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


def _collapsed(
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
) -> graphviz.Digraph:
    r"""Build the Digraph; ``frame`` (if any) says which step is current.

    With a ``layout`` (see :mod:`viz.layout`) every node and edge is pinned to
    its position there, for rendering with ``neato -n2``.
    """
    collapsing, hidden = _collapsed(order, max_nodes, collapse)
    position = {node: k for k, node in enumerate(order)}
    names = {node: shortened(name) for node, name in node_names(order, root).items()}
    root_name = names[root]
    current, computed, totals = _frame_state(order, frame)
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

    g = graphviz.Digraph("chainrule", node_attr={"fontname": FONT})
    g.attr(rankdir=rankdir, fontname=FONT)
    if layout is not None:
        g.attr(**layout.graph())
    g.attr("node", fontsize=FONT_SIZE)
    g.attr("edge", fontname=FONT, fontsize=FONT_SIZE)
    if legend:
        kinds = {kind_of(node, root, params) for node in order if node not in hidden}
        _legend(g, kinds, frame is not None, layout)

    horizontal = rankdir in ("LR", "RL")
    for k, node in enumerate(order):
        if node in hidden:
            continue
        data = fmt(node.data) if computed is None or node in computed else "?"
        fields = " | ".join(
            _field(text)
            for text in (
                _title(node, names),
                f"data {data}",
                f"grad {_grad_text(node, frame, totals, step_of, finals)}",
            )
        )
        attrs = dict(STYLES[kind_of(node, root, params)])
        if node is current:
            attrs.update(CURRENT)
        g.node(
            f"v{k}",
            graphviz.nohtml("{" + fields + "}" if horizontal else fields),
            shape="record",
            style="filled,rounded" if node.parents else "filled",
            **attrs,
            **pinned(f"v{k}"),
        )
        if not node.parents:
            continue
        parts = [op_for(node.op).symbol]
        if collapsing and node.op == "wsum":
            weights, _, bias = split_weighted_sum(node.parents)
            n = len(weights)
            plus = " + bias" if bias is not None else ""
            parts.append(f"{n} weight{'s' if n != 1 else ''}{plus}")
        symbol = text_label(*parts)
        op_attrs = {"shape": "circle" if len(symbol) <= 2 else "ellipse"}
        if node is current:
            op_attrs.update(color=CURRENT["color"], penwidth=CURRENT["penwidth"])
        g.node(f"op{k}", symbol, **op_attrs, **pinned(f"op{k}"))
        edge(f"op{k}", f"v{k}", **(flow if node is current else {}))

    for k, node in enumerate(order):
        if not node.parents:
            continue
        chain = None
        if frame is not None and not forward and (node is current or frame.every_chain):
            chain = step_of[id(node)].lines
        known = computed is None or node in computed or (frame and frame.every_chain)
        # a collapsed neuron's local derivatives are its hidden weights: unlabelled
        label_locals = show_local_grads and not (collapsing and node.op == "wsum")
        for i, parent in enumerate(node.parents):
            if parent in hidden:
                continue
            lines = []
            if label_locals and known:
                if show_rules or forward or (frame is not None and frame.every_chain):
                    lines.append(local_rule(node, i, names))
                else:
                    local_value = local_text(node, i, names)
                    lines.append(
                        f"∂{d(names[node])}/∂{d(names[parent])} = {local_value}"
                    )
            edge_attrs: dict[str, Any] = dict(flow) if node is current else {}
            if chain is not None:
                target = f"d{d(root_name)}/d{d(names[parent])}"
                lines.append(f"{target} += {chain[i].numbers[2:]}")
            if lines:
                edge_attrs["label"] = text_label(*lines)
            edge(f"v{position[parent]}", f"op{k}", **edge_attrs)
    return g


def _frame_state(
    order: Sequence[Value], frame: Frame | None
) -> tuple[Value | None, set[Value] | None, dict[int, tuple[Any, bool]]]:
    """The current node, the values computed so far (forward frames only) and
    the gradients received so far (backward frames only)."""
    if frame is None:
        return None, None, {}
    if frame.forward:
        ops = forward_order(order)
        done = set(ops[: frame.index])
        computed = {node for node in order if not node.parents} | done
        return ops[frame.index - 1], computed, {}
    current = frame.steps[frame.index - 1].node
    return current, None, received(frame.steps, frame.index)


def _grad_text(
    node: Value,
    frame: Frame | None,
    totals: dict[int, tuple[Any, bool]],
    step_of: dict[int, Step],
    finals: dict[int, Any],
) -> str:
    """A node's grad in a frame: final, so far, or ``?`` when nothing came yet."""
    if frame is None:
        return fmt(node.grad)
    final = fmt(finals.get(id(node), 0.0))
    if frame.every_chain:
        return f"{final} (so far)"  # the widest it can be, for the layout
    if frame.forward:
        return "?"
    step = step_of.get(id(node))
    if step is not None and step.index <= frame.index:
        return final
    if id(node) in totals:
        grad, complete = totals[id(node)]
        return fmt(grad) if complete else f"{fmt(grad)} (so far)"
    return "?"


def _title(node: Value, names: dict[Value, str]) -> str:
    r"""A value's name in its box.

    A layer node is titled as the layer it is, with its shape (batch ×
    units): ``layer 1: Z1 = x·layers.0.Wᵀ + layers.0.b  (64×32)``.
    """
    if node.op == "linear":
        shape = shape_text(node.data.shape)
        return f"{names[node]} = {expression_of(node, names)}  ({shape})"
    return names[node]


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
