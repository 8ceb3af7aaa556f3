r"""``chainrule step``: narrate the forward and backward pass of an expression.

>>> print(narrate("x * w", {"x": 2.0, "w": -3.0}))   # doctest: +NORMALIZE_WHITESPACE
expression: x * w
<BLANKLINE>
forward pass (each node after its inputs)
  x = 2  (input)
  w = -3  (input)
  E = x·w = -6
<BLANKLINE>
backward pass (one node at a time, from E back to the inputs)
step 1/1  E = x·w = -6  (mul)   dE/dE = 1
  ∂E/∂x = w = -3   dE/dx += dE/dE × ∂E/∂x = 1 × -3 = -3   dE/dx: 0 → -3
  ∂E/∂w = x = 2    dE/dw += dE/dE × ∂E/∂w = 1 × 2 = 2     dE/dw: 0 → 2
  done: dE/dx = -3,  dE/dw = 2
  rules: ∂(u·v)/∂u = v,  ∂(u·v)/∂v = u
<BLANKLINE>
gradients of the leaves
  dE/dx = -3
  dE/dw = 2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from autograd import Value, backward_steps, explain, topological_order
from autograd.latex import forward_latex, latex_name, latex_number
from autograd.names import name_key, node_names
from autograd.text import expression_of, show
from demos.expression import ExpressionError, ParsedExpression, parse_expression
from demos.lesson import DemoError
from demos.terminal import visible
from nn.files import write_file

__all__ = [
    "MAX_PAGE_VALUES",
    "MAX_PICTURE_VALUES",
    "narrate",
    "parse_assignment",
    "parse_params",
]


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


def parse_params(text: str) -> tuple[str, ...]:
    r"""Read a ``--param w,b`` argument: the names to draw as parameters.

    >>> parse_params("w, b")
    ('w', 'b')
    """
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        msg = f"'--param {text}' needs names separated by commas, as in --param w,b."
        raise ExpressionError(msg)
    return names


def narrate(
    text: str,
    values: Mapping[str, float],
    wrt: str | None = None,
    svg: str | Path | None = None,
    html: str | Path | None = None,
    params: Sequence[str] = (),
    rankdir: str | None = None,
    latex: bool = False,
) -> str:
    r"""The story of ``text``: forward values, backward steps, gradients.

    With ``wrt`` (the name of an input, or of any value the narration names)
    it adds every distinct path from that value to the output
    (``autograd.explain``). With ``svg`` and ``html`` it also writes the
    graph picture and the step-by-step page, laid out in ``rankdir``
    (``"LR"`` or ``"TB"``; ``None``, the way that fits a 4:3 screen better).
    ``params`` names the inputs that are parameters (weights, biases): drawn
    and listed as such. With ``latex`` the story is told in LaTeX, one
    ``align*`` per part, for slides.
    """
    parsed = parse_expression(text, values)
    if wrt is not None:
        _node_named(parsed.root, wrt)  # refused now, before anything is drawn
    unknown = [name for name in params if name not in parsed.variables]
    if unknown:
        known = ", ".join(parsed.variables) or "none"
        msg = (
            f"--param {','.join(unknown)}: no input of that name; give it a value "
            f"with --set first. The inputs: {known}."
        )
        raise ExpressionError(msg)
    if rankdir not in (None, "LR", "TB"):
        msg = (
            "--rankdir must be LR (left to right) or TB (top to bottom), "
            f"not {rankdir!r}."
        )
        raise ExpressionError(msg)
    story = _Story(parsed, tuple(params), rankdir)
    if latex:
        return "\n".join(story.latex_lines(wrt, svg, html))
    return "\n".join(story.lines(wrt, svg, html))


class _Story:
    """What ``narrate`` tells, and the pictures it draws, for one expression."""

    def __init__(
        self, parsed: ParsedExpression, params: tuple[str, ...], rankdir: str | None
    ) -> None:
        self.parsed = parsed
        self.params = [parsed.variables[name] for name in params]
        self.rankdir = rankdir

    def lines(
        self, wrt: str | None, svg: str | Path | None, html: str | Path | None
    ) -> list[str]:
        parsed = self.parsed
        root = parsed.root
        steps = list(backward_steps(root, fresh=True))
        order = topological_order(root)
        names = node_names(order, root)
        lines = [f"expression: {visible(parsed.text.strip())}"]  # as typed, inert
        lines += [f"({visible(note)})" for note in parsed.notes]
        unused = [name for name in parsed.variables if name not in parsed.used]
        if unused:
            lines.append(f"(not used: {', '.join(unused)})")
        lines += ["", "forward pass (each node after its inputs)"]
        width = max(len(names[node]) for node in order)
        for node in order:
            name, value = f"{names[node]:<{width}}", show(node.data)
            if not node.parents:
                kind = "input" if node.label else "constant"
                kind = "parameter" if node in self.params else kind
                if kind != "constant":  # a number stands for itself
                    lines.append(f"  {name} = {value}  ({kind})")
                continue
            shown = expression_of(node, names)
            if shown == names[node]:  # an unnamed value is called by its expression
                lines.append(f"  {name} = {value}")
            else:
                lines.append(f"  {name} = {shown} = {value}")
        lines += [
            "",
            f"backward pass (one node at a time, from {steps[0].name} back to "
            "the inputs)",
        ]
        lines += [str(step) for step in steps]
        root_name = steps[0].root_name
        if not parsed.used:
            lines.append(
                "  (no inputs: give names values with --set to see their gradients)"
            )
        if wrt is not None:
            lines += ["", f"paths from {wrt} to {root_name}"]
            lines += str(explain(root, _node_named(root, wrt), limit=1000)).splitlines()
        if svg is not None:
            lines += ["", f"wrote {visible(str(self.write_svg(Path(svg), wrt)))}"]
        if html is not None:
            lines += ["", f"wrote {visible(str(self.write_html(Path(html), wrt)))}"]
        return lines

    def latex_lines(
        self, wrt: str | None, svg: str | Path | None, html: str | Path | None
    ) -> list[str]:
        r"""The same story in LaTeX: forward values, each step, the gradients,
        and with ``wrt`` the paths (``%`` lines say what each block is)."""
        parsed = self.parsed
        root = parsed.root
        steps = list(backward_steps(root, fresh=True))
        lines = [f"% chainrule step: {visible(parsed.text.strip())}", "% forward pass"]
        lines.append(forward_latex(steps))
        lines.append("% backward pass, one node at a time")
        for step in steps:
            lines += [f"% step {step.index}/{step.total}", step.latex()]
        root_name = steps[0].root_name
        rows = [
            rf"\frac{{d{latex_name(root_name)}}}{{d{latex_name(name)}}} &= "
            f"{latex_number(parsed.variables[name].grad)}"
            for name in parsed.used
        ]
        if rows:
            body = " \\\\\n".join(rows)
            lines += ["% gradients", f"\\begin{{align*}}\n{body}\n\\end{{align*}}"]
        if wrt is not None:
            lines += [f"% paths from {wrt} to {root_name}"]
            lines.append(explain(root, _node_named(root, wrt), limit=1000).latex())
        if svg is not None:
            lines.append(f"% wrote {self.write_svg(Path(svg), wrt)}")
        if html is not None:
            lines.append(f"% wrote {self.write_html(Path(html), wrt)}")
        return lines

    def write_svg(self, path: Path, wrt: str | None) -> Path:
        """The graph; with ``--wrt``, only the paths from that value (draw_paths)."""
        import viz

        root = self.parsed.root
        _check_size(root, MAX_PICTURE_VALUES, "--svg")
        try:
            if wrt is not None:
                picture = viz.draw_paths(root, _node_named(root, wrt))
            else:
                picture = viz.draw_graph(root, params=self.params, rankdir=self.rankdir)
        except ValueError as error:  # a graph too large to draw
            raise DemoError(f"cannot draw the graph: {error}") from None
        return write_file(path, viz.render_svg(picture))

    def write_html(self, path: Path, wrt: str | None) -> Path:
        """The step page; with ``--wrt``, the chain rule down that value's paths."""
        import viz

        root = self.parsed.root
        _check_size(root, MAX_PAGE_VALUES, "--html")
        try:
            if wrt is not None:
                return viz.save_paths_html(
                    root, _node_named(root, wrt), path, title=self.parsed.text.strip()
                )
            return viz.save_steps_html(
                root,
                path,
                title=self.parsed.text.strip(),
                params=self.params,
                rankdir=self.rankdir,
            )
        except ValueError as error:  # a graph with too many steps for one page
            raise DemoError(f"cannot make the step page: {error}") from None


def _node_named(root: Value, name: str) -> Value:
    r"""The node of ``root``'s graph called ``name`` (in either spelling).

    Any name the narration prints will do: an input (``x``), a named result
    (``y``), an unnamed value by its expression (``x·w``).
    """
    names = node_names(topological_order(root), root)
    wanted = name_key(name)
    found = [node for node, shown in names.items() if name_key(shown) == wanted]
    if not found:
        known = ", ".join(dict.fromkeys(names.values()))
        msg = (
            f"--wrt {name}: the graph has no value named {name!r}; its values: {known}."
        )
        raise ExpressionError(msg)
    return found[0]


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
