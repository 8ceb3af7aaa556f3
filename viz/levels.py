r"""A graph drawn a neuron or a layer at a time (see :mod:`autograd.levels`).

At the neuron level each neuron is one box: its name, its weighted sum and
activation with their numbers, its δ, and its own weights with their
gradients,

    neuron 2₁
    z²₁ = w²₁₁·x₁ + w²₁₂·x₂ + b²₁ = -0.8743
    a²₁ = σ(z²₁) = 0.2944
    δ²₁ = -0.008548
    w²₁₁ = 0.2739     ∂E/∂w²₁₁ = -0.008548
    …

and an edge comes into it from each value it reads. At the layer level each
layer is one box: its formula with its shapes, its values and δ as short
vectors; its inputs are one vector, and the loss after it one box
(:class:`~autograd.levels.Fold`). Everything else is drawn as at the op
level, by :func:`viz.dot.draw_frame`, which draws these boxes with the help
of this module. The numbers are those of the one graph, so a picture at any
level shows the same numbers.

``level="auto"`` picks the op level when the picture fits a 1024×768 screen
with every text at least 10 CSS pixels high, else the neuron level, else the
layer level (:func:`choose_level`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from html import escape
from typing import Any

import graphviz

from autograd import Step, Value
from autograd.graph import topological_order
from autograd.group_steps import vector_name, vector_text
from autograd.levels import LEVELS, Fold, Grouping, Layer, Neuron, Stepped, grouping
from autograd.names import d, delta_name, number_name, written
from autograd.ops import op_for
from autograd.steps import steps_aside
from autograd.text import show
from viz.frames import Frame, final_grads, frame_state, grad_text
from viz.labels import value_title, visible
from viz.layout import SCREEN, drawn_size, fit_scale

__all__ = [
    "MIN_TEXT_PX",
    "SHOWN_WEIGHTS",
    "Boxes",
    "TooLarge",
    "box_ids",
    "choose_level",
    "fits_screen",
    "forward_text",
    "level_frame",
    "level_of_step",
    "level_steps",
    "pick_level",
    "widest_frame",
]

#: The smallest text a picture may have on a 1024×768 screen, in CSS pixels:
#: ``level="auto"`` draws the finest level whose picture keeps to it.
MIN_TEXT_PX = 10.0

#: A neuron's box lists its weights one a row up to this many; beyond, the
#: first few and how many more (a neuron of 64 inputs: 3 and "… 61 more").
SHOWN_WEIGHTS = 4


# --- which level ----------------------------------------------------------------------


def choose_level(
    order: Sequence[Value], fits: Callable[[Grouping | None], bool]
) -> Grouping | None:
    r"""The finest level whose picture ``fits``: the op level (``None``), else
    the neuron level, else the layer level (the layer level when none fits).

    ``fits(view)`` says whether the picture at that level fits the screen
    (it may raise :class:`TooLarge`: it does not); a level that groups
    nothing more than the one before is skipped.
    """
    if _fits(fits, None):
        return None
    chosen: Grouping | None = None
    for level in LEVELS[1:]:
        view = grouping(order, level)
        if not view.groups or (chosen is not None and _same(view, chosen)):
            continue
        chosen = view
        if _fits(fits, view):
            return view
    return chosen


class TooLarge(ValueError):
    """A picture too large to draw at some level (raised while choosing one)."""


def _fits(fits: Callable[[Grouping | None], bool], view: Grouping | None) -> bool:
    try:
        return fits(view)
    except TooLarge:
        return False


def _same(one: Grouping, other: Grouping) -> bool:
    return len(one.units) == len(other.units)


# --- the steps and frames of a level ----------------------------------------------


def level_steps(root: Value, order: Sequence[Value], view: Grouping) -> list[Step]:
    r"""The steps of a fresh backward pass at ``view``'s level, leaving every
    grad as it was (see :func:`autograd.steps.steps_aside`)."""
    return steps_aside(root, order, level=view.level)


def _op_steps(steps: Sequence[Step]) -> list[Step]:
    r"""The op-level steps the level's ``steps`` stand for, in the level's
    order, numbered in that order; the table of the leaves on the last."""
    found: list[Step] = []
    for step in steps:
        found += list(step.story.parts) if step.story is not None else [step]
    leaves = steps[-1].leaves if steps else ()
    total = len(found)
    return [
        replace(
            step,
            index=k,
            total=total,
            leaves=leaves if k == total else (),
        )
        for k, step in enumerate(found, start=1)
    ]


def widest_frame(root: Value, order: Sequence[Value], view: Grouping | None) -> Frame:
    r"""The frame with the widest texts a page at ``view``'s level shows (the
    op level's for ``None``): every chain-rule line, every grad final."""
    steps = steps_aside(root, order, level="ops" if view is None else view.level)
    if view is None:
        return Frame(steps, len(steps), every_chain=True)
    return level_frame(steps, view, len(steps), every_chain=True)


def level_frame(
    steps: Sequence[Step],
    view: Grouping,
    index: int,
    forward: bool = False,
    every_chain: bool = False,
) -> Frame:
    r"""The :class:`~viz.frames.Frame` that :func:`viz.dot.draw_frame` draws
    for step ``index`` (1-based) of the level's ``steps``: the op-level steps
    of the level's steps 1 … ``index`` taken. A forward frame stands after
    the ``index``-th unit the forward pass computes (a neuron computes its
    sum and its activation at once)."""
    ops = _op_steps(steps)
    if forward:
        units = view.forward_units()
        computing = tuple(m for u in units for m in _members(u))
        count = sum(len(_members(u)) for u in units[:index])
        return Frame(ops, count, forward=True, computing=computing)
    count = sum(
        len(step.story.parts) if step.story is not None else 1 for step in steps[:index]
    )
    return Frame(ops, count, every_chain=every_chain)


def _members(unit: Stepped) -> tuple[Value, ...]:
    return unit.members if isinstance(unit, Neuron | Layer) else (unit,)


def forward_text(
    unit: Stepped, index: int, total: int, view: Grouping, plain: Callable[..., str]
) -> str:
    r"""What a forward frame of a level says: a neuron's (or a layer's)
    values from its inputs; a node on its own as ``plain(node, index, total,
    names)`` writes it (the op level's text)."""
    if not isinstance(unit, Neuron | Layer):
        return plain(unit, index, total, view.names)
    lines = [f"forward {index}/{total}  {view.title(unit)}"]
    lines += [f"  {row}" for row in _value_rows(unit, view, None)]
    return "\n".join(lines)


# --- the boxes ----------------------------------------------------------------------


def box_ids(view: Grouping) -> dict[int, str]:
    r"""The DOT name of the box that shows each node, keyed by ``id(node)``:
    ``v<k>`` for a node on its own (k its place in the graph's order, as
    :func:`viz.dot.draw_frame` names it), ``g<k>`` for a group and ``f<k>``
    for a fold (k the place of its first node made by an op)."""
    place = {id(node): k for k, node in enumerate(view.order)}
    ids = {id(node): f"v{k}" for k, node in enumerate(view.order)}
    for box in (*view.groups, *view.folds):
        letter = "f" if isinstance(box, Fold) else "g"
        name = f"{letter}{place[id(box.members[0])]}"
        for node in box.nodes:
            ids[id(node)] = name
    return ids


class Boxes:
    r"""The boxes of a level's groups, for :func:`viz.dot.draw_frame`: each
    group's box (drawn where its first node made by an op is), and an edge
    into it from each value it reads (the current step's in ``flow``)."""

    def __init__(
        self,
        view: Grouping,
        frame: Frame | None,
        *,
        root: Value,
        names: dict[Value, str],
    ) -> None:
        self.view, self.root = view, root
        self.ids = box_ids(view)
        self.current, _, _ = frame_state(frame, view.order)
        self.state = _State(view, frame, names)
        self.boxes: list[Neuron | Layer | Fold] = [*view.groups, *view.folds]
        self.first = {id(box.members[0]): box for box in self.boxes}

    def is_current(self, box: Neuron | Layer | Fold) -> bool:
        return any(m is self.current for m in box.members)

    def box(
        self,
        g: graphviz.Digraph,
        node: Value,
        styles: dict[str, dict[str, str]],
        current_style: dict[str, str],
        pinned: Callable[[str], dict[str, str]],
    ) -> None:
        """Draw the box of the group whose first node made by an op is ``node``."""
        group = self.first.get(id(node))
        if group is None:
            return
        name = self.ids[id(node)]
        kind = "output" if self.root in group.members else "intermediate"
        if isinstance(group, Fold) and group.kind == "inputs":
            kind = "input"
        attrs = dict(styles[kind])
        if self.is_current(group):
            attrs.update(current_style)
        label = _table(group, self.view, self.state, styles["parameter"]["fillcolor"])
        g.node(
            name,
            label,
            shape="box",
            style="filled,rounded",
            margin="0.05",
            **attrs,
            **pinned(name),
        )

    def edges(self, edge: Callable[..., None], flow: dict[str, str]) -> None:
        """An edge into each group's box from each value it reads."""
        for group in self.boxes:
            box = self.ids[id(group.members[0])]
            inside = set(group.nodes)
            tails = dict.fromkeys(
                self.ids[id(p)]
                for member in group.members
                for p in member.parents
                if p not in inside
            )
            for tail in tails:
                edge(tail, box, **(flow if self.is_current(group) else {}))

    def focus(self, node: Value) -> list[str]:
        r"""The DOT names a page keeps in view when ``node``'s unit is current:
        its box and the boxes of what it reads."""
        group = self.view.shown_in.get(node)
        if group is None:
            return []
        inside = set(group.nodes)
        around = [
            self.ids[id(p)] for m in group.members for p in m.parents if p not in inside
        ]
        return list(dict.fromkeys([self.ids[id(node)], *around]))


class _State:
    r"""What a frame shows of a group's numbers: known, ``?``, or so far."""

    def __init__(self, view: Grouping, frame: Frame | None, names: dict[Value, str]):
        self.view, self.frame, self.names = view, frame, names
        _, self.computed, self.totals = frame_state(frame, view.order)
        self.steps = frame.steps if frame is not None else []
        self.step_of = {id(s.node): s for s in self.steps}
        self.finals = final_grads(self.steps) if frame is not None else {}

    def data(self, node: Value) -> str:
        if self.computed is not None and node not in self.computed:
            return "?"
        return show(node.data)

    def grad(self, node: Value) -> str:
        return grad_text(node, self.frame, self.totals, self.step_of, self.finals)

    def known(self, node: Value) -> bool:
        return self.computed is None or node in self.computed


def _table(
    group: Neuron | Layer | Fold, view: Grouping, state: _State, fill: str
) -> Any:
    """The box's label: an HTML-like table, one row a line, the parameters'
    rows filled with ``fill``."""
    rows = [
        f'<tr><td align="left" colspan="2"><b>{_html(view.title(group))}</b></td></tr>'
    ]
    rows += [
        f'<tr><td align="left" colspan="2">{_html(row)}</td></tr>'
        for row in _value_rows(group, view, state)
    ]
    for left, right in _parameter_rows(group, view, state):
        cells = (
            f'<td align="left" bgcolor="{fill}">{_html(left)}</td>'
            f'<td align="left" bgcolor="{fill}">{_html(right)}</td>'
        )
        rows.append(f"<tr>{cells}</tr>")
    table = (
        '<table border="0" cellborder="0" cellspacing="0" cellpadding="2">'
        + "".join(rows)
        + "</table>"
    )
    return f"<{table}>"


def _html(text: str) -> str:
    return escape(visible(text), quote=False)


def _value_rows(
    group: Neuron | Layer | Fold, view: Grouping, state: _State | None
) -> list[str]:
    r"""A group's values as formulas: z, a and δ (``?`` where a frame has not
    reached them)."""
    names = view.names if state is None else state.names
    root = names[view.root]
    if isinstance(group, Fold):
        return _fold_rows(group, view, names, state)

    def data(node: Value) -> str:
        return show(node.data) if state is None else state.data(node)

    if isinstance(group, Neuron):
        z = group.sum
        rows = [f"{names[z]} = {written(z, names)} = {data(z)}"]
        if group.activation is not None:
            a = group.activation
            rows.append(f"{names[a]} = {written(a, names)} = {data(a)}")
        if state is not None:
            delta = delta_name(names[z]) or f"d{d(root)}/d{d(names[z])}"
            rows.append(f"{delta} = {state.grad(z)}")
        return rows
    if group.node is not None:  # a batch's layer node: its formula and shape
        rows = [value_title(group.node, names)]
        rows += [f"{names[m]} = {data(m)}" for m in group.members[:1]]
        if group.activation is not None:
            a = group.activation
            rows.append(f"{names[a]} = {written(a, names)} = {data(a)}")
        if state is not None:
            node = group.node
            rows.append(f"d{d(root)}/d{d(names[node])} = {state.grad(node)}")
        return rows
    name = lambda letter: view.layer_name(group, letter)  # noqa: E731
    neurons = group.neurons
    n, m = len(neurons), len(group.inputs)
    x = _inputs_name(group, view)
    known = state is None or all(state.known(nr.sum) for nr in neurons)
    sums = vector_text([nr.sum.data for nr in neurons]) if known else "?"
    shapes = f"({n}×{m})·({m}) + ({n})"
    rows = [f"{name('z')} = {name('W')}·{x} + {name('b')} = {shapes} = {sums}"]
    activations = {nr.activation.op for nr in neurons if nr.activation is not None}
    if len(activations) == 1 and all(nr.activation is not None for nr in neurons):
        op = op_for(next(iter(activations)))
        outputs = vector_text([nr.output.data for nr in neurons]) if known else "?"
        rows.append(f"{name('a')} = {op.write([name('z')])} = {outputs}")
    if state is not None:
        deltas = [state.grad(nr.sum) for nr in neurons]
        shown = "?" if "?" in deltas else _short(deltas)
        rows.append(f"{name('δ')} = {shown}")
    return rows


def _fold_rows(
    fold: Fold, view: Grouping, names: dict[Value, str], state: _State | None
) -> list[str]:
    r"""A vector of inputs: its values and gradients. The loss: its formula
    through its ops and its value, its targets, and what it sends back to
    the outputs (their gradients)."""
    root = names[view.root]

    def grads(nodes: Sequence[Value]) -> str:
        texts = [show(n.grad) if state is None else state.grad(n) for n in nodes]
        if len(texts) == 1 or "?" in texts:
            return "?" if "?" in texts else texts[0]
        return _short(texts)

    if fold.kind == "inputs":
        x = vector_name([names[n] for n in fold.nodes])
        rows = [f"{x} = {vector_text([n.data for n in fold.nodes])}"]
        if state is not None:
            rows.append(f"d{d(root)}/d{x} = {grads(fold.nodes)}")
        return rows
    inside = set(fold.nodes)
    top = view.root
    known = state is None or state.known(top)
    value = show(top.data) if known else "?"
    formula = _loss_formula(top, inside, names)
    rows = [f"{root} = {formula} = {value}" if formula else f"{root} = {value}"]
    targets = [  # a number written into the loss is in its formula already
        n for n in fold.nodes if not n.parents and names[n] != number_name(n.data)
    ]
    if len(targets) == 1:
        rows.append(f"{names[targets[0]]} = {show(targets[0].data)}")
    elif targets:
        t = vector_name([names[n] for n in targets])
        rows.append(f"{t} = {vector_text([n.data for n in targets])}")
    outputs = list(
        dict.fromkeys(p for n in fold.members for p in n.parents if p not in inside)
    )
    if state is not None and outputs:
        a = vector_name([names[n] for n in outputs])
        if len(outputs) == 1:
            a = names[outputs[0]]
        rows.append(f"d{d(root)}/d{d(a)} = {grads(outputs)}")
    return rows


#: A loss's formula in its box is written in full up to this many characters.
LOSS_FORMULA = 56


def _loss_formula(root: Value, inside: set[Value], names: dict[Value, str]) -> str:
    r"""The loss written through its ops in the names of what it reads:
    ``(a³₁ − t₁)²``, ``((z⁴₁ − t₁)² + … + (z⁴₅ − t₅)²)·0.2``; empty when
    longer than :data:`LOSS_FORMULA`."""
    written_as: dict[Value, str] = {}
    for node in topological_order(root):
        if node not in inside or not node.parents:
            written_as[node] = names[node]
            continue
        parts = op_for(node.op).parts(node.parents)
        terms = parts.get("term", [])
        if len(terms) == len(node.parents) > 3:  # a long sum: its first and last
            written_as[node] = f"{written_as[terms[0]]} + … + {written_as[terms[-1]]}"
            continue
        written_as[node] = written(node, {**written_as, node: ""})
    text = written_as[root]
    return text if len(text) <= LOSS_FORMULA else ""


def _short(texts: list[str], limit: int = 4) -> str:
    if len(texts) <= limit:
        return "[" + ", ".join(texts) + "]"
    return "[" + ", ".join(texts[: limit - 1]) + f", … {len(texts)} values]"


def _inputs_name(layer: Layer, view: Grouping) -> str:
    for group in view.groups:
        if isinstance(group, Layer) and group.outputs == layer.inputs:
            return view.layer_name(group, "a")
    return vector_name([view.names[x] for x in layer.inputs])


def _parameter_rows(
    group: Neuron | Layer | Fold, view: Grouping, state: _State
) -> list[tuple[str, str]]:
    r"""The group's own weights and bias, each with its gradient; a long row
    of weights as its first few and how many more."""
    names = state.names
    root = names[view.root]
    if isinstance(group, Fold):
        return []
    if isinstance(group, Layer):
        if group.node is not None:
            own = group.own
        else:
            own = (
                tuple(
                    array
                    for array in dict.fromkeys(
                        getattr(leaf, "array", None) for leaf in group.own
                    )
                    if array is not None
                )
                or ()
            )
        texts = [f"{p.label}: {'×'.join(map(str, p.data.shape))}" for p in own]
        return [(",  ".join(texts), "")] if texts else []
    rows = []
    weights = [w for w in group.weights if w in set(group.own)]
    shown = weights if len(weights) <= SHOWN_WEIGHTS else weights[: SHOWN_WEIGHTS - 1]
    for w in shown:
        rows.append(
            (
                f"{names[w]} = {show(w.data)}",
                f"∂{d(root)}/∂{d(names[w])} = {state.grad(w)}",
            )
        )
    if len(shown) < len(weights):
        rows.append((f"… {len(weights) - len(shown)} more", ""))
    bias = group.bias
    if bias is not None and bias in set(group.own):
        rows.append(
            (
                f"{names[bias]} = {show(bias.data)}",
                f"∂{d(root)}/∂{d(names[bias])} = {state.grad(bias)}",
            )
        )
    return rows


def pick_level(
    order: Sequence[Value],
    level: str,
    draw: Callable[[Grouping | None], tuple[str, graphviz.Digraph]],
    font_size: float,
) -> Grouping | None:
    r"""The grouping to draw at ``level`` (``None``: the op level); ``"auto"``
    chooses by :func:`choose_level`, measuring the pictures ``draw(view)``
    gives (with the direction they are drawn in)."""
    if level == "ops":
        return None
    if level != "auto":
        view = grouping(order, level)
        return view if view.groups else None
    return choose_level(
        order, lambda view: fits_screen(*draw(view), font_size=font_size)
    )


def level_of_step(
    step: Step, root: Value, order: Sequence[Value], chosen: Grouping | None
) -> Grouping | None:
    r"""The level ``step`` (a :class:`~autograd.Step` of ``root``'s pass) was
    taken at: ``chosen`` if its steps have it, else the first level whose
    steps do (``None``: the op level). A step of another graph keeps
    ``chosen``, for :func:`viz.frames.step_index` to refuse."""
    views = [chosen, None, *(grouping(order, level) for level in LEVELS[1:])]
    for view in views:
        level = "ops" if view is None else view.level
        steps = steps_aside(root, order, level=level)
        here = steps[step.index - 1] if 0 < step.index <= len(steps) else None
        if len(steps) == step.total and here is not None and here.node is step.node:
            return view
    return chosen


def fits_screen(rankdir: str, graph: graphviz.Digraph, font_size: float) -> bool:
    r"""True if ``graph`` (drawn in the direction ``rankdir``), shown as large
    as a 1024×768 screen allows, has every text at least :data:`MIN_TEXT_PX`
    CSS pixels high, its text being ``font_size`` points (estimated from the
    DOT source: see :func:`viz.layout.drawn_size`)."""
    width, height = drawn_size(graph, rankdir)
    return font_size * fit_scale(width, height, SCREEN) >= MIN_TEXT_PX
