r"""One weight's chain, step by step: :func:`save_paths_html`.

The step page of :func:`viz.draw_paths`: the same picture in every frame,
and the chain rule walking down it from the loss, one step a frame. Frame k
highlights the values k steps below the loss and says what the chain rule
has found there, the product of the local derivatives so far:

    ∂E/∂z³₁ = σ′(z³₁) · 2(a³₁ − t₁) = 0.2403 × -0.803 = -0.193

until the last frame reaches the weight, ∂E/∂w. Keys, buttons and zoom are
those of the step page (:mod:`viz.html`); the file works offline.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from autograd import Value, topological_order
from autograd.names import d
from nn.files import write_file
from viz.dot import CURRENT, FLOW
from viz.html import frame_section, page_html, same_canvas
from viz.paths import PathsPlan
from viz.render import render_svgs

__all__ = ["paths_html", "save_paths_html"]


def paths_html(
    root: Value,
    wrt: Value,
    title: str | None = None,
    *,
    max_paths: int = 3,
    context: bool = True,
    fold_loss: bool = True,
    rankdir: str | None = None,
) -> str:
    r"""The text of the paths page (see :func:`save_paths_html`)."""
    if title is not None and not isinstance(title, str):
        msg = f"title must be text (a string), not {type(title).__name__}."
        raise TypeError(msg)
    if not isinstance(root, Value) or not isinstance(wrt, Value):
        msg = "save_paths_html needs two Values: the loss and the value to follow."
        raise TypeError(msg)
    order = topological_order(root)
    plan = PathsPlan(root, wrt, order, max_paths, context, fold_loss, legend=False)
    if rankdir is not None and rankdir not in ("LR", "TB"):
        msg = f'rankdir must be "LR" or "TB", not {rankdir!r}.'
        raise ValueError(msg)
    direction = rankdir or plan.direction()
    depth = plan.depth
    svgs = same_canvas(render_svgs([plan.draw(direction, k) for k in range(depth + 1)]))
    root_name, wrt_name = plan.names[root], plan.names[wrt]
    sections = []
    for k, svg in enumerate(svgs):
        if k == 0:
            text = (
                f"start at the loss: ∂{d(root_name)}/∂{d(root_name)} = 1. Each step "
                "down multiplies by the local derivative written on the edge."
            )
        else:
            text = "\n".join(plan.reached_text(k))
        if k == depth:
            text += "\n\n" + "\n".join(plan.product)
        counter = f"chain rule: step {k} of {depth}"
        sections.append(frame_section(k + 1, svg, counter, "", escape(text)))
    heading = title or f"∂{d(root_name)}/∂{d(wrt_name)}, one step at a time"
    legend = (
        '<ul class="legend" aria-label="legend">'
        f'<li><span class="swatch" style="background:{CURRENT["fillcolor"]};'
        f'border-color:{CURRENT["color"]}"></span>reached at this step</li>'
        f'<li><span class="line" style="border-color:{FLOW["color"]}"></span>'
        "the chain rule's product so far</li></ul>"
    )
    hint = (
        "Keys: → (or Space, PageDown) one step down the chain, ← back; Home and "
        "End jump to the loss and to the weight. <b>grad ?</b>: not reached yet."
    )
    return page_html(heading, sections, legend, hint)


def save_paths_html(
    root: Value,
    wrt: Value,
    path: str | Path,
    title: str | None = None,
    **options: Any,
) -> Path:
    r"""Write the step page of one weight's chain (:func:`viz.draw_paths`).

    One frame per step down the paths from ``root`` to ``wrt`` (and a first
    frame at the loss): the values reached so far highlighted, and the
    product of the local derivatives found so far under the picture, as
    formulas and numbers; the last frame gives ∂root/∂wrt. ``options`` are
    :func:`viz.draw_paths`'s (``max_paths``, ``context``, ``fold_loss``,
    ``rankdir``). Needs the Graphviz ``dot`` program. Returns the path.

    >>> import nn
    >>> model = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid")
    >>> E = (model([1.0, 0.5]) - 1.0) ** 2
    >>> page = save_paths_html(E, model.layers[0].neurons[0].w[0], "chain.html")
    >>> text = page.read_text(encoding="utf-8")
    >>> "chain rule: step 5 of 5" in text and "∂E/∂w²₁₁ = x₁ · σ′(z²₁)" in text
    True
    """
    page = paths_html(root, wrt, title, **options)
    return write_file(path, page, make_folders=True)
