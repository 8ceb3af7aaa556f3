r"""``chainrule step``: narrate the forward and backward pass of an expression.

>>> print(narrate("x * w", {"x": 2.0, "w": -3.0}))   # doctest: +NORMALIZE_WHITESPACE
expression: x * w
<BLANKLINE>
forward pass (each node after its inputs)
  x = 2  (input)
  w = -3  (input)
  L = x × w = -6
<BLANKLINE>
backward pass (one node at a time, from L back to the inputs)
step 1/3  L = x × w = -6  (mul)   dL/dL = 1
  dL/dx += dL/dL × ∂L/∂x = 1 × -3 = -3    ∂(a·b)/∂a = b
  dL/dw += dL/dL × ∂L/∂w = 1 × 2 = 2      ∂(a·b)/∂b = a
step 2/3  w = -3  (leaf)   dL/dw = 2  final
step 3/3  x = 2  (leaf)   dL/dx = -3  final
<BLANKLINE>
gradients
  dL/dx = -3
  dL/dw = 2
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from autograd import Value, backward_steps, explain, topological_order
from autograd.steps import fmt
from demos.expression import ExpressionError, ParsedExpression, parse_expression
from demos.lesson import DemoError

__all__ = ["MAX_PAGE_VALUES", "MAX_PICTURE_VALUES", "narrate", "parse_assignment"]


def parse_assignment(text: str) -> tuple[str, float]:
    r"""Read one ``--set NAME=NUMBER`` argument.

    >>> parse_assignment("w=-3")
    ('w', -3.0)
    >>> parse_assignment("w")
    Traceback (most recent call last):
    ...
    demos.expression.ExpressionError: '--set w' needs the form NAME=NUMBER, ...
    """
    name, equals, number = text.partition("=")
    name = name.strip()
    if not equals or not name:
        msg = f"'--set {text}' needs the form NAME=NUMBER, as in --set w=-3."
        raise ExpressionError(msg)
    try:
        value = float(number.strip())
    except ValueError:
        msg = f"'--set {text}': {number.strip()!r} is not a number."
        raise ExpressionError(msg) from None
    return name, value


def narrate(
    text: str,
    values: Mapping[str, float],
    wrt: str | None = None,
    svg: str | Path | None = None,
    html: str | Path | None = None,
) -> str:
    r"""The story of ``text``: forward values, backward steps, gradients.

    With ``wrt`` (an input's name) it adds every path from that input to the
    output (``autograd.explain``). With ``svg`` and ``html`` it also writes
    the graph picture and the step-by-step page.
    """
    parsed = parse_expression(text, values)
    if wrt is not None and wrt not in parsed.used:
        known = ", ".join(parsed.used) or "none"
        msg = f"--wrt {wrt}: the expression has no input {wrt!r}; its inputs: {known}."
        raise ExpressionError(msg)
    return "\n".join(_story(parsed, wrt, svg, html))


def _story(
    parsed: ParsedExpression,
    wrt: str | None,
    svg: str | Path | None,
    html: str | Path | None,
) -> list[str]:
    root = parsed.root
    steps = list(backward_steps(root))
    lines = [f"expression: {parsed.text.strip()}"]
    unused = [name for name in parsed.variables if name not in parsed.used]
    if unused:
        lines.append(f"(not used: {', '.join(unused)})")
    lines += ["", "forward pass (each node after its inputs)"]
    width = max(len(step.name) for step in steps)
    for step in reversed(steps):
        name, value = f"{step.name:<{width}}", fmt(step.node.data)
        if step.is_leaf:
            kind = "input" if step.node.label else "constant"
            lines.append(f"  {name} = {value}  ({kind})")
        else:
            lines.append(f"  {name} = {step.expression} = {value}")
    lines += [
        "",
        f"backward pass (one node at a time, from {steps[0].name} back to the inputs)",
    ]
    lines += [str(step) for step in steps]
    lines += ["", "gradients"]
    root_name = steps[0].root_name
    if not parsed.used:
        lines.append(
            "  (no inputs: give names values with --set to see their gradients)"
        )
    for name in parsed.used:
        leaf = parsed.variables[name]
        lines.append(f"  d{root_name}/d{name} = {fmt(leaf.grad)}")
    if wrt is not None:
        lines += ["", f"paths from {wrt} to {root_name}"]
        lines.append(str(explain(root, parsed.variables[wrt])))
    if svg is not None:
        lines += ["", f"wrote {_write_svg(root, Path(svg))}"]
    if html is not None:
        lines += ["", f"wrote {_write_html(root, Path(html), parsed.text.strip())}"]
    return lines


#: The largest graphs ``--svg`` and ``--html`` draw. Graphviz's layout time
#: grows fast with the number of crossing edges (a name used many times fans
#: out to every use): 100 values take a few seconds at worst, and the page
#: draws one frame per value.
MAX_PICTURE_VALUES = 100
MAX_PAGE_VALUES = 60


def _check_size(root: Value, limit: int, option: str) -> None:
    count = len(topological_order(root))
    if count > limit:
        msg = (
            f"{option}: the graph has {count} values; pictures are limited to "
            f"{limit} so that Graphviz lays them out in seconds. Step through a "
            "shorter expression."
        )
        raise DemoError(msg)


def _write_svg(root: Value, path: Path) -> Path:
    import viz

    _check_size(root, MAX_PICTURE_VALUES, "--svg")
    try:
        picture = viz.draw_graph(root)
    except ValueError as error:  # a graph too large to draw
        raise DemoError(f"cannot draw the graph: {error}") from None
    svg = viz.render_svg(picture)
    path.write_text(svg, encoding="utf-8")
    return path


def _write_html(root: Value, path: Path, title: str) -> Path:
    import viz

    _check_size(root, MAX_PAGE_VALUES, "--html")
    try:
        return viz.save_steps_html(root, path, title=title)
    except ValueError as error:  # a graph with too many steps for one page
        raise DemoError(f"cannot make the step page: {error}") from None
