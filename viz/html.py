r"""A step-by-step backprop page for class: :func:`save_steps_html`.

One self-contained HTML file: every backward step is one frame (the graph,
drawn by :func:`viz.draw_graph` with that step highlighted, as inline SVG)
with the chain-rule text of the step under it. All frames share one layout
(see :mod:`viz.layout`), so nothing moves but the highlight and the numbers.
Previous / next buttons, the ← / → keys (Home / End for the first and last
frame) and a "step k of N" counter move through the frames. No scripts,
styles, fonts or pictures are fetched from anywhere: the file works offline,
from a USB stick.

Making the page needs the Graphviz ``dot`` program; showing it needs only a
browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from autograd import Value, topological_order
from viz.dot import (
    DEFAULT_MAX_NODES,
    Collapse,
    Frame,
    draw_frame,
    frames_of,
    parameter_set,
)
from viz.layout import layout_of
from viz.render import render_svgs

__all__ = ["DEFAULT_MAX_STEPS", "save_steps_html", "steps_html"]

DEFAULT_MAX_STEPS = 150

_XML_HEAD = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')
_IDS = re.compile(r'\bid="')


def _inline(svg: str, frame: int) -> str:
    """An SVG file's text made fit to sit inside HTML: no prolog, unique ids."""
    svg = _XML_HEAD.sub("", svg)
    svg = _NAMESPACES.sub("", svg)
    return _IDS.sub(f'id="f{frame}-', svg).strip()


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
       margin: 1.5rem; color: #222; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .6rem; }
nav { display: flex; gap: 1rem; align-items: center; margin-bottom: .4rem; }
button { font-size: 1rem; padding: .35rem .9rem; cursor: pointer; }
button:disabled { cursor: default; opacity: .4; }
#counter { font-size: 1.1rem; font-weight: 600; min-width: 8rem;
           text-align: center; }
.hint { color: #666; margin: 0 0 1rem; font-size: .9rem; }
.picture svg { max-width: 100%; height: auto; }
pre.rule { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas,
           monospace; font-size: 1rem; background: #f6f6f6; padding: .8rem;
           border-left: 4px solid #d62728; overflow-x: auto; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var frames = document.querySelectorAll("section.frame");
  var counter = document.getElementById("counter");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(frames.length - 1, i));
    for (var k = 0; k < frames.length; k++) {
      frames[k].hidden = k !== current;
    }
    counter.textContent = "step " + (current + 1) + " of " + frames.length;
    prev.disabled = current === 0;
    next.disabled = current === frames.length - 1;
  }
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (event) {
    var moves = { ArrowLeft: current - 1, ArrowRight: current + 1,
                  Home: 0, End: frames.length - 1 };
    if (event.key in moves && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      show(moves[event.key]);
    }
  });
  show(0);
})();
"""


def steps_html(
    root: Value,
    title: str = "Backpropagation, step by step",
    *,
    show_local_grads: bool = True,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
    collapse: Collapse = "auto",
    params: Iterable[Value] | Any = None,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> str:
    r"""The text of the step-by-step page (see :func:`save_steps_html`)."""
    if not isinstance(root, Value):
        msg = f"save_steps_html needs the Value at the end of a graph, not {root!r}."
        raise TypeError(msg)
    order = topological_order(root)
    if len(order) > max_steps:
        msg = (
            f"this graph has {len(order)} values, so its page would have "
            f"{len(order)} frames, more than max_steps={max_steps}. Pass "
            f"max_steps={len(order)} to make it anyway, or step through a "
            "smaller graph."
        )
        raise ValueError(msg)
    steps = frames_of(root, order)
    draw = partial(
        draw_frame,
        root,
        order,
        show_local_grads=show_local_grads,
        rankdir=rankdir,
        max_nodes=max_nodes,
        collapse=collapse,
        params=parameter_set(params),
        legend=True,
    )
    # lay out once, with the widest text any frame shows; pin every frame to it
    layout = layout_of(draw(Frame(steps, len(steps), every_chain=True)))
    graphs = [draw(Frame(steps, k), layout=layout) for k in range(1, len(steps) + 1)]
    svgs = render_svgs(graphs, pinned=True)
    total = len(steps)
    sections = []
    for k, (step, svg) in enumerate(zip(steps, svgs), start=1):
        hidden = "" if k == 1 else " hidden"
        sections.append(
            f'<section class="frame" id="step-{k}"{hidden}>\n'
            f'<div class="picture">{_inline(svg, k)}</div>\n'
            f'<pre class="rule">{escape(str(step))}</pre>\n'
            "</section>"
        )
    text = escape(title)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{text}</title>",
            f"<style>{_STYLE}</style>",
            "<noscript><style>section.frame[hidden] { display: block; }</style>"
            "</noscript>",
            "</head>",
            "<body>",
            f"<h1>{text}</h1>",
            "<nav>",
            '<button id="prev" type="button">← previous</button>',
            f'<span id="counter" aria-live="polite">step 1 of {total}</span>',
            '<button id="next" type="button">next →</button>',
            "</nav>",
            '<p class="hint">Keys: ← and → move one step, Home and End jump to '
            "the first and last step. The highlighted node sends its gradient "
            "along the red edges; <b>grad ?</b> marks nodes not reached yet.</p>",
            "<main>",
            *sections,
            "</main>",
            f"<script>{_SCRIPT}</script>",
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

    One frame per backward step (so one per value in the graph): the graph
    with that step highlighted, and the step's chain-rule lines (``str`` of
    the :class:`autograd.Step`) under it. ``options`` go to
    :func:`viz.draw_graph` (``show_local_grads``, ``rankdir``, ``collapse``,
    ``max_nodes``, ``params``), plus ``max_steps`` (default 150): a larger
    graph raises ``ValueError`` rather than making a page with hundreds of
    frames. The frames come from a fresh backward pass run on the side; the
    graph's own grads are left as they were. Needs the ``dot`` program
    (:class:`viz.GraphvizNotFound` otherwise). Returns the path.
    """
    page = steps_html(root, title, **options)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
