r"""A step-by-step backprop page for class: :func:`save_steps_html`.

One self-contained HTML file: first (optionally) the forward pass, one frame
per op (each value computed from its inputs, in order), then every backward
step, one frame each (the graph, drawn by :func:`viz.draw_graph` with that
step highlighted, as inline SVG), with the step's text under the graph. All
frames share one layout (see :mod:`viz.layout`), so nothing moves but the
highlight and the numbers.

Made for a projector: the graph fills the window, and the view zooms and pans
to keep the current node and its parents in view with every text at least
:data:`MIN_TEXT_PX` CSS pixels high (when the whole graph cannot be shown that
large). Previous / next buttons, the ← / → keys (Home / End for the first
and last frame) and a counter that says which pass move through the frames;
−, fit, + and follow buttons, the + / − / 0 / F keys, the mouse wheel and
dragging zoom and pan. No scripts, styles, fonts or pictures are fetched from
anywhere: the file works offline, from a USB stick.

Making the page needs the Graphviz ``dot`` program; showing it needs only a
browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from autograd import Step, Value, topological_order
from autograd.levels import Grouping, Layer, Neuron, check_level
from autograd.names import node_names, number_name
from autograd.text import expression_of, local_rule, show
from nn.files import write_file
from viz.dot import (
    CURRENT,
    DEFAULT_MAX_NODES,
    FLOW,
    FONT_SIZE,
    FORWARD,
    LEGEND,
    STYLES,
    Collapse,
    check_rankdir,
    draw_frame,
    parameter_set,
    plan_collapse,
)
from viz.frames import Frame, forward_order, frames_of
from viz.labels import value_kind, visible
from viz.layout import fitting, layout_of
from viz.levels import (
    Boxes,
    box_ids,
    level_frame,
    level_steps,
    pick_level,
    widest_frame,
)
from viz.levels import (
    forward_text as level_forward_text,
)
from viz.render import render_svgs

__all__ = [
    "DEFAULT_MAX_STEPS",
    "MIN_TEXT_PX",
    "PICTURE_AREA",
    "document_head",
    "forward_text",
    "frame_section",
    "inline_svg",
    "page_html",
    "same_canvas",
    "save_steps_html",
    "steps_html",
]

DEFAULT_MAX_STEPS = 150
#: The smallest text the page's automatic zoom allows, in CSS pixels.
MIN_TEXT_PX = 13
#: About the room the graph gets on a 1024×768 screen, under the buttons and
#: above the step's text: the shape the page's graphs are drawn to fit.
PICTURE_AREA = (1024, 470)

_XML_HEAD = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')
_IDS = re.compile(r'\bid="')


def inline_svg(svg: str, frame: int) -> str:
    """An SVG file's text made fit to sit inside HTML: no prolog, unique ids."""
    svg = _XML_HEAD.sub("", svg)
    svg = _NAMESPACES.sub("", svg)
    return _IDS.sub(f'id="f{frame}-', svg).strip()


_CANVAS = re.compile(
    r'<svg width="([\d.]+)pt" height="([\d.]+)pt"\s+viewBox="([\d.]+) ([\d.]+) '
    r'([\d.]+) ([\d.]+)"'
)
_SHIFT = re.compile(
    r'transform="scale\(1 1\) rotate\(0\) translate\(([\d.]+) ([\d.]+)\)"'
)


def same_canvas(svgs: list[str]) -> list[str]:
    r"""Give every frame the canvas of the largest, so nothing moves between them.

    ``neato -n2`` keeps each node where the layout put it, but sizes each
    picture to what it draws: a frame with a two-line label at its top comes
    out a little taller, and Graphviz (whose y axis points up) then draws
    everything a little lower. Here every picture gets the same width,
    height and shift.
    """
    sizes = [_CANVAS.search(svg) for svg in svgs]
    if not svgs or not all(sizes):
        return svgs
    width = max(float(m.group(5)) for m in sizes if m)
    height = max(float(m.group(6)) for m in sizes if m)
    out = []
    for svg, size in zip(svgs, sizes):
        assert size is not None  # checked above
        grow = height - float(size.group(6))
        svg = _CANVAS.sub(
            f'<svg width="{width:.0f}pt" height="{height:.0f}pt" '
            f'viewBox="0.00 0.00 {width:.2f} {height:.2f}"',
            svg,
            count=1,
        )
        svg = _SHIFT.sub(partial(_shifted, grow=grow), svg, count=1)
        out.append(svg)
    return out


def _shifted(found: re.Match[str], grow: float) -> str:
    x, y = found.group(1), float(found.group(2)) + grow
    return f'transform="scale(1 1) rotate(0) translate({x} {y:.2f})"'


def _asset(name: str) -> str:
    """A file of the page (its style or its script), shipped inside viz."""
    return files("viz").joinpath(name).read_text(encoding="utf-8")


def _page_text(text: str) -> str:
    """Text for the page: escaped, every line made visible (see :func:`visible`)."""
    return escape("\n".join(visible(line) for line in text.split("\n")))


def _step_html(step: Step) -> str:
    """A backward step's text, the textbook rules in grey; the last step's
    table of the leaves' gradients in columns, so that it takes few lines."""
    text = str(step)
    table = "\n".join(step.table())
    leaves = ""
    if table and text.endswith(table):
        text = text[: -len(table)]
        heading, _, rows = table.partition("\n")
        leaves = (
            f"{_page_text(heading)}\n"
            f'<span class="leaves">{_page_text(rows.rstrip())}</span>'
        )
    rules = step.rules() if step.lines else ""
    if not rules or rules not in text:
        return _page_text(text) + leaves
    before, _, after = text.partition(rules)
    return (
        f"{_page_text(before)}"
        f'<span class="textbook">{_page_text(rules)}</span>{_page_text(after)}'
        f"{leaves}"
    )


def forward_text(node: Value, index: int, total: int, names: dict[Value, str]) -> str:
    r"""What a forward frame says: the value computed from its inputs' numbers,
    and the local derivatives the op keeps for the backward pass.

    >>> from autograd import Value
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> y = x * w; y.label = "y"
    >>> print(forward_text(y, 1, 1, node_names(y)))
    forward 1/1  y = x·w = 2·(−3) = -6
      keeps for the backward pass: ∂y/∂x = w = -3,  ∂y/∂w = x = 2
    """
    written = expression_of(node, names)
    shown = {
        p: number_name(p.data) if type(p.data) is float else show(p.data)
        for p in node.parents
    }
    numbers = expression_of(node, {**shown, node: names[node]})
    head = f"forward {index}/{total}  {names[node]}"
    if written != names[node]:
        head += f" = {written}"
    if numbers != written:
        head += f" = {numbers}"
    head += f" = {show(node.data)}"
    locals_ = ",  ".join(local_rule(node, k, names) for k in range(len(node.parents)))
    return f"{head}\n  keeps for the backward pass: {locals_}"


def _legend_html(kinds: set[str], forward: bool) -> str:
    """The legend above the graph: the kinds of values present, the highlight,
    and the colours of the two passes."""
    items = [
        f'<li><span class="swatch" style="background:{attrs["fillcolor"]};'
        f'border-color:{attrs["color"]}"></span>{escape(LEGEND[kind])}</li>'
        for kind, attrs in STYLES.items()
        if kind in kinds
    ]
    items.append(
        f'<li><span class="swatch" style="background:{CURRENT["fillcolor"]};'
        f'border-color:{CURRENT["color"]}"></span>current step</li>'
    )
    if forward:
        items.append(
            f'<li><span class="line" style="border-color:{FORWARD["color"]}">'
            "</span>forward: inputs into the value</li>"
        )
    items.append(
        f'<li><span class="line" style="border-color:{FLOW["color"]}"></span>'
        "backward: the gradient sent to the parents</li>"
    )
    return f'<ul class="legend" aria-label="legend">{"".join(items)}</ul>'


def _focus(order: list[Value], node: Value, hidden: set[Value]) -> str:
    """The DOT names of a node, its op and its parents (a leaf: the ops it
    feeds): what the page keeps in view for this frame."""
    position = {n: k for k, n in enumerate(order)}
    k = position[node]
    names = [f"v{k}"]
    if node.parents:
        names.append(f"op{k}")
        names += [f"v{position[p]}" for p in node.parents if p not in hidden]
    else:
        names += [f"op{j}" for j, n in enumerate(order) if node in n.parents]
    return " ".join(dict.fromkeys(names))


def steps_html(
    root: Value,
    title: str = "Backpropagation, step by step",
    *,
    show_local_grads: bool = True,
    rankdir: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    collapse: Collapse = "auto",
    params: Iterable[Value] | Any = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    forward: bool = True,
    legend: bool = True,
    show_rules: bool = False,
    level: str = "auto",
) -> str:
    r"""The text of the step-by-step page (see :func:`save_steps_html`)."""
    if not isinstance(root, Value):
        msg = f"save_steps_html needs the Value at the end of a graph, not {root!r}."
        raise TypeError(msg)
    if not isinstance(title, str):
        msg = (
            f"title must be text (a string), not {type(title).__name__}; "
            'pass title="..." or leave it out for the default.'
        )
        raise TypeError(msg)
    check_rankdir(rankdir)
    check_level(level, auto=True)
    order = topological_order(root)
    chosen = parameter_set(params)
    draw = partial(
        draw_frame,
        root,
        order,
        show_local_grads=show_local_grads,
        max_nodes=max_nodes,
        collapse=collapse,
        params=chosen,
        legend=False,
        show_rules=show_rules,
    )

    def widest(view: Grouping | None) -> tuple[str, Any]:
        """The widest frame at ``view``'s level, drawn the way it fits best."""
        frame = widest_frame(root, order, view)
        if rankdir is not None:
            return rankdir, draw(frame, rankdir=rankdir, view=view)
        return fitting(lambda way: draw(frame, rankdir=way, view=view), PICTURE_AREA)

    view = pick_level(order, level, widest, float(FONT_SIZE))
    if view is not None:
        way = partial(draw, rankdir=widest(view)[0])
        sections = _level_sections(root, order, view, way, forward, max_steps)
        kinds = {value_kind(node, root, chosen) for node in order}
        legend_html = _legend_html(kinds, forward) if legend else ""
        return page_html(title, sections, legend_html, _HINT)
    if len(order) > max_steps:
        msg = (
            f"this graph has {len(order)} values, so its page would have "
            f"{len(order)} frames, more than max_steps={max_steps}. Pass "
            f"max_steps={len(order)} to make it anyway, or step through a "
            "smaller graph."
        )
        raise ValueError(msg)
    _, hidden = plan_collapse(order, max_nodes, collapse)
    steps = frames_of(root, order)
    widest_chain = Frame(steps, len(steps), every_chain=True)
    if rankdir is None:  # the direction that fits the page's picture best
        rankdir, _ = fitting(lambda way: draw(widest_chain, rankdir=way), PICTURE_AREA)
    draw = partial(draw, rankdir=rankdir)
    # lay out once, with the widest text any frame shows; pin every frame to it
    layout = layout_of(draw(widest_chain))
    ops = forward_order(order) if forward else []
    frames = [Frame(steps, k, forward=True) for k in range(1, len(ops) + 1)]
    frames += [Frame(steps, k) for k in range(1, len(steps) + 1)]
    svgs = render_svgs([draw(frame, layout=layout) for frame in frames], pinned=True)
    svgs = same_canvas(svgs)
    names = node_names(order, root)
    total = len(steps)
    sections = []
    for number, (frame, svg) in enumerate(zip(frames, svgs), start=1):
        if frame.forward:
            node = ops[frame.index - 1]
            counter = f"forward pass: step {frame.index} of {len(ops)}"
            text = _page_text(forward_text(node, frame.index, len(ops), names))
            kind = "rule forward"
        else:
            step = steps[frame.index - 1]
            node = step.node
            counter = f"backward pass: step {frame.index} of {total}"
            text = _step_html(step)
            kind = "rule"
        focus = _focus(order, node, hidden)
        sections.append(frame_section(number, svg, counter, focus, text, kind))
    kinds = {value_kind(node, root, chosen) for node in order if node not in hidden}
    legend_html = _legend_html(kinds, bool(ops)) if legend else ""
    return page_html(title, sections, legend_html, _HINT)


_HINT = (
    "Keys: ← and → (or Page Down and Page Up, Space and Backspace, as a "
    "presenter's clicker sends them) move one step, Home and End jump to "
    "the first and last; + and − zoom, 0 shows the whole graph, F follows "
    "the step; drag to pan. <b>grad ?</b> marks nodes nothing has reached "
    "yet, <b>(so far)</b> a gradient still adding up."
)


def _level_sections(
    root: Value,
    order: list[Value],
    view: Grouping,
    draw: Any,
    forward: bool,
    max_steps: int,
) -> list[str]:
    r"""The frames of a page at a neuron or a layer level (see
    :mod:`viz.levels`): one per unit of the forward pass, one per step of the
    level's backward pass, the current neuron (or layer) highlighted."""
    steps = level_steps(root, order, view)
    if len(steps) > max_steps:
        msg = (
            f"this graph takes {len(steps)} steps at the {view.level} level, more "
            f"than max_steps={max_steps}. Pass max_steps={len(steps)} to make its "
            "page anyway, or step through a smaller graph."
        )
        raise ValueError(msg)
    draw = partial(draw, view=view)
    layout = layout_of(draw(level_frame(steps, view, len(steps), every_chain=True)))
    units = view.forward_units() if forward else []
    frames = [
        level_frame(steps, view, k, forward=True) for k in range(1, len(units) + 1)
    ]
    frames += [level_frame(steps, view, k) for k in range(1, len(steps) + 1)]
    svgs = same_canvas(
        render_svgs([draw(frame, layout=layout) for frame in frames], pinned=True)
    )
    boxes = Boxes(view, None, root=root, names=view.names)
    ids = box_ids(view)
    sections = []
    for number, svg in enumerate(svgs, start=1):
        if number <= len(units):
            unit = units[number - 1]
            counter = f"forward pass: step {number} of {len(units)}"
            text = _page_text(
                level_forward_text(unit, number, len(units), view, forward_text)
            )
            node = unit.members[-1] if isinstance(unit, Neuron | Layer) else unit
            kind = "rule forward"
        else:
            step = steps[number - len(units) - 1]
            counter = f"backward pass: step {step.index} of {len(steps)}"
            text, node, kind = _step_html(step), step.node, "rule"
        focus = boxes.focus(node) or [ids[id(n)] for n in (node, *node.parents)] + [
            f"op{order.index(node)}"
        ]
        sections.append(
            frame_section(
                number, svg, counter, " ".join(dict.fromkeys(focus)), text, kind
            )
        )
    return sections


def frame_section(
    number: int, svg: str, counter: str, focus: str, text: str, kind: str = "rule"
) -> str:
    r"""One frame of a page: its picture (inline SVG) and its text under it.

    ``counter`` is what the page's counter says at this frame, ``focus`` the
    DOT names of the nodes the page keeps in view, ``text`` the frame's text
    (already HTML); the first frame is shown, the others hidden.
    """
    hidden_attr = "" if number == 1 else " hidden"
    return (
        f'<section class="frame" id="frame-{number}" '
        f'data-counter="{escape(counter)}" '
        f'data-focus="{focus}"{hidden_attr}>\n'
        f'<div class="picture">{inline_svg(svg, number)}</div>\n'
        f'<pre class="{kind}">{text}</pre>\n'
        "</section>"
    )


def document_head(heading: str, style: str, *extra: str) -> list[str]:
    r"""The first lines of a page of chainrule's, up to ``</head>``: its title
    (``heading``, already HTML), its ``style`` inline and any ``extra`` lines."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title>",
        f"<style>\n{style}</style>",
        *extra,
        "</head>",
    ]


def page_html(title: str, sections: list[str], legend_html: str, hint: str) -> str:
    r"""A whole page of frames (see :func:`frame_section`): the title, the
    buttons and counter, the legend, the frames, the hint and the script that
    moves through them. Nothing is fetched from anywhere."""
    heading = _page_text(title)
    first = sections[0].split('data-counter="', 1)[1].split('"', 1)[0]
    noscript = (
        "<noscript><style>section.frame[hidden] { display: flex; }"
        " .picture { min-height: 30rem; }</style></noscript>"
    )
    return "\n".join(
        [
            *document_head(heading, _asset("steps_page.css"), noscript),
            "<body>",
            "<header>",
            f"<h1>{heading}</h1>",
            "<nav>",
            '<button id="prev" type="button">← previous</button>',
            f'<span id="counter" aria-live="polite">{first}</span>',
            '<button id="next" type="button">next →</button>',
            '<span class="zoom">',
            '<button id="zoom-out" type="button" title="zoom out (−)">−</button>',
            '<button id="zoom-fit" type="button" title="the whole graph (0)">'
            "fit</button>",
            '<button id="zoom-in" type="button" title="zoom in (+)">+</button>',
            '<button id="zoom-follow" type="button" '
            'title="follow the step at a readable size (F)">follow</button>',
            "</span>",
            "</nav>",
            legend_html,
            "</header>",
            "<main>",
            *sections,
            "</main>",
            f'<p class="hint">{hint}</p>',
            "<script>",
            _asset("steps_page.js").replace("MIN_TEXT_PX_HERE", str(MIN_TEXT_PX)),
            "</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def save_steps_html(
    root: Value,
    path: str | Path,
    title: str = "Backpropagation, step by step",
    **options: Any,
) -> Path:
    r"""Write the step-by-step page of ``root``'s backward pass to ``path``.

    One frame per op of the forward pass (``forward=True``, the default; each
    value computed from its inputs, in order), then one frame per backward
    step (so one per value in the graph): the graph with that step
    highlighted, and the step's text under it (``str`` of the
    :class:`autograd.Step`, the textbook rules in grey). A counter says which
    pass a frame belongs to. ``options`` go to :func:`viz.draw_graph`
    (``show_local_grads``, ``show_rules``, ``rankdir``, ``collapse``,
    ``max_nodes``, ``params``, ``level``: at the neuron or the layer level,
    one frame per neuron or layer of each pass, the current one
    highlighted, the step's text the article's δ line; ``"auto"`` by
    default, the level that fits the screen), plus ``legend`` (``False`` leaves out the
    legend of colours), ``forward`` and ``max_steps`` (default 150): a larger
    graph raises ``ValueError`` rather than making a page with hundreds of
    frames. The frames come from a fresh backward pass run on the side; the
    graph's own grads are left as they were. Needs the ``dot`` program
    (:class:`viz.GraphvizNotFound` otherwise). Returns the path.
    """
    page = steps_html(root, title, **options)
    return write_file(path, page, make_folders=True)
