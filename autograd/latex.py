r"""The backward pass as LaTeX, ready to paste into slides and handouts.

Names as the stepper writes them become LaTeX (``w²₁₁`` → ``w^{2}_{11}``,
``w1`` → ``w_{1}``, ``σ`` → ``\sigma``), derivatives become fractions, and
each block is an ``align*`` environment:

- :func:`forward_latex`: the forward values, each computed from its inputs;
- :func:`step_latex`: one backward step: the node's gradient, and for each
  parent its local derivative and the chain rule with its numbers
  (``Step.latex()``);
- :func:`explanation_latex`: the paths from a value to the root, the product
  along each and their sum (``explain(E, w).latex()``).

>>> latex_name("w²₁₁"), latex_name("x1"), latex_name("a³₁ − t₁")
('w^{2}_{11}', 'x_{1}', 'a^{3}_{1} - t_{1}')
>>> latex_formula("y·(1 − y)")
'y \\cdot (1 - y)'

This module reads steps and explanations by their fields; it imports
neither (they import it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from autograd.names import formula_in
from autograd.ops import op_for

__all__ = [
    "explanation_latex",
    "forward_latex",
    "latex_formula",
    "latex_name",
    "latex_number",
    "step_latex",
]

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿᵀ", "0123456789+-n", strict=False))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓᵢⱼₖₗₘₙₚₛₜ", "0123456789aeoxijklmnpst"))
_GREEK = {
    "σ": r"\sigma",
    "δ": r"\delta",
    "η": r"\eta",
    "α": r"\alpha",
    "β": r"\beta",
    "λ": r"\lambda",
    "μ": r"\mu",
    "ε": r"\varepsilon",
    "φ": r"\varphi",
    "θ": r"\theta",
    "Σ": r"\Sigma",
}
_FUNCTIONS = {
    "exp": r"\exp",
    "log": r"\log",
    "ln": r"\ln",
    "tanh": r"\tanh",
    "sqrt": r"\sqrt",
    "sigmoid": r"\sigma",
    "relu": r"\operatorname{ReLU}",
    "ReLU": r"\operatorname{ReLU}",
    "leaky_relu": r"\operatorname{LReLU}",
    "mean": r"\operatorname{mean}",
    "softmax": r"\operatorname{softmax}",
    "if": r"\text{ if }",
    "else": r"\text{ else }",
    "slope": r"\mathit{slope}",
}
_SYMBOLS = {
    "·": r" \cdot ",
    "×": r" \times ",
    "−": "-",
    "∂": r"\partial ",
    "→": r" \to ",
    "′": "'",
    "≥": r" \geq ",
    "≤": r" \leq ",
    "≠": r" \neq ",
    "…": r"\dots ",
    "ᵀ": r"^{\top}",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "{": r"\{",
    "}": r"\}",
    "\\": r"\backslash ",
    "~": r"\sim ",
    "_": r"\_",
}
_RAISED = "".join(_SUPERSCRIPTS)
_LOWERED = "".join(_SUBSCRIPTS)
_LETTER = r"A-Za-zα-ωΑ-Ω"
_TOKEN = re.compile(
    rf"(?P<name>[{_LETTER}][{_LETTER}0-9]*(?:\.[{_LETTER}0-9_\[\],]+)*)"
    rf"(?P<marks>[{_RAISED}{_LOWERED}]*)"
    r"|(?P<number>\d+(?:\.\d*)?(?:e[+-]?\d+)?)"
    rf"|(?P<raised>[{_RAISED}]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


def _marks(marks: str) -> str:
    r"""Runs of superscripts and subscripts: ``²₁₁`` → ``^{2}_{11}``."""
    out = []
    for run in re.findall(rf"[{_RAISED}]+|[{_LOWERED}]+", marks):
        if run[0] in _SUPERSCRIPTS:
            raised = "".join(_SUPERSCRIPTS[c] for c in run).replace("T", r"\top")
            out.append(f"^{{{raised}}}")
        else:
            out.append(f"_{{{''.join(_SUBSCRIPTS[c] for c in run)}}}")
    return "".join(out)


def _identifier(name: str, marks: str) -> str:
    if "." in name or "[" in name:  # a code path: layers.0.W[2,1]
        text = (
            name.replace("\\", "").replace("_", r"\_").replace("{", "").replace("}", "")
        )
        return rf"\texttt{{{text}}}{_marks(marks)}"
    if name in _FUNCTIONS:
        return _FUNCTIONS[name] + _marks(marks)
    if name in _GREEK:
        return _GREEK[name] + _marks(marks)
    base = name.rstrip("0123456789")
    digits = name[len(base) :]
    if len(base) > 1:
        base = rf"\mathit{{{base}}}"
    elif base in _GREEK:
        base = _GREEK[base]
    lowered = f"_{{{digits}}}" if digits and not marks else digits
    return base + lowered + _marks(marks)


_POWER = re.compile(r"\^(\((?:[^()]|\([^()]*\))*\)|[0-9.]+|[A-Za-z]+[0-9]*)")


def latex_formula(text: str) -> str:
    r"""A formula as chainrule writes it, in LaTeX (names, ·, ×, −, σ, powers).

    >>> latex_formula("σ(z²₁)·(1 − σ(z²₁))")
    '\\sigma(z^{2}_{1}) \\cdot (1 - \\sigma(z^{2}_{1}))'
    >>> latex_formula("v4^2"), latex_formula("x^(n − 1)")
    ('v_{4}^{2}', 'x^{n - 1}')
    """
    pieces = _POWER.split(text)
    out = []
    for k, piece in enumerate(pieces):
        if k % 2:  # the exponent of a ^
            inner = piece[1:-1] if piece.startswith("(") else piece
            out.append(f"^{{{latex_formula(inner)}}}")
        else:
            out.append(_plain_latex(piece))
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def _plain_latex(text: str) -> str:
    out = []
    for match in _TOKEN.finditer(text):
        if match.group("name"):
            out.append(_identifier(match.group("name"), match.group("marks")))
        elif match.group("number"):
            out.append(match.group("number"))
        elif match.group("raised"):
            out.append(_marks(match.group("raised")))
        else:
            char = match.group("other")
            out.append(_SYMBOLS.get(char, _GREEK.get(char, char)))
    return "".join(out)


def latex_name(name: str) -> str:
    r"""A node's name in LaTeX: ``w²₁₁`` → ``w^{2}_{11}``, ``w1`` → ``w_{1}``."""
    return latex_formula(name)


def _wrapped(name: str) -> str:
    """A name inside ``d…`` or ``∂…``: bracketed when it is an expression."""
    written = latex_name(name)
    return f"({written})" if " " in name else written


def latex_number(x: Any, bracket: bool = False) -> str:
    r"""A number to 4 significant digits, in LaTeX.

    With ``bracket`` (a factor of a product), a negative number or one in
    powers of ten is bracketed.

    >>> latex_number(-3.0, bracket=True), latex_number(1.5e-05)
    ('(-3)', '1.5 \\times 10^{-5}')
    >>> latex_number(1.5e-05, bracket=True)
    '(1.5 \\times 10^{-5})'

    """
    value = float(x)
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    if text in ("inf", "-inf", "nan"):
        text = {"inf": r"\infty", "-inf": r"-\infty", "nan": r"\mathrm{NaN}"}[text]
    return f"({text})" if bracket and (value < 0 or "times" in text) else text


def _total(root: str, name: str) -> str:
    return rf"\frac{{d{_wrapped(root)}}}{{d{_wrapped(name)}}}"


def _partial(node: str, parent: str) -> str:
    return rf"\frac{{\partial {_wrapped(node)}}}{{\partial {_wrapped(parent)}}}"


def _align(rows: Sequence[str]) -> str:
    body = " \\\\\n".join(rows)
    return f"\\begin{{align*}}\n{body}\n\\end{{align*}}"


# --- the shapes of what is written (the stepper's Step and ChainLine) ---------------


class _Node(Protocol):
    @property
    def data(self) -> Any: ...
    @property
    def op(self) -> str: ...
    @property
    def parents(self) -> tuple[Any, ...]: ...


class _Line(Protocol):
    @property
    def parent(self) -> Any: ...
    @property
    def parent_name(self) -> str: ...
    @property
    def upstream(self) -> Any: ...
    @property
    def local(self) -> Any: ...
    @property
    def share(self) -> Any: ...


class _Step(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def node(self) -> _Node: ...
    @property
    def name(self) -> str: ...
    @property
    def root_name(self) -> str: ...
    @property
    def grad(self) -> Any: ...
    @property
    def lines(self) -> tuple[_Line, ...]: ...
    @property
    def expression(self) -> str: ...


def forward_latex(steps: Sequence[_Step]) -> str:
    r"""The forward pass: each value from its inputs' numbers, each leaf just
    before the first value made from it.

    ``steps`` are a whole backward pass (the root first), as
    :func:`autograd.backward_steps` gives them.
    """
    rows = []
    shown: set[int] = set()
    for step in reversed(steps):
        node, name = step.node, latex_name(step.name)
        value = latex_number(node.data)
        if not node.parents:  # a graph that is one leaf
            rows.append(f"{name} &= {value}")
            continue
        for line in step.lines:
            leaf = line.parent
            if not leaf.parents and id(leaf) not in shown:
                shown.add(id(leaf))
                rows.append(
                    f"{latex_name(line.parent_name)} &= {latex_number(leaf.data)}"
                )
        op = op_for(node.op)
        called = "({0})" in op.expression  # σ(-6), not σ((-6))
        numbers = [latex_number(p.data, bracket=not called) for p in node.parents]
        slots = op.write([f"@{k}@" for k in range(len(numbers))], out=step.name)
        with_numbers = latex_formula(slots)
        for k, number in enumerate(numbers):
            with_numbers = with_numbers.replace(f"@{k}@", number)
        row = name
        if step.expression != step.name:  # an unlabelled node is its expression
            row += f" &= {latex_formula(step.expression)}"
            row += f" = {with_numbers}"
        else:
            row += f" &= {with_numbers}"
        rows.append(f"{row} = {value}")
    return _align(rows)


def step_latex(step: _Step) -> str:
    r"""One backward step: the node's gradient, each parent's local derivative
    and the chain rule with its numbers (a constant is sent nothing)."""
    root, name, node = step.root_name, step.name, step.node
    gradient = f"{_total(root, name)} &= {latex_number(step.grad)}"
    value = latex_number(node.data)
    if not node.parents:
        return _align([f"{latex_name(name)} &= {value} & {gradient}"])
    expression = latex_formula(step.expression)
    if step.expression != name:  # an unlabelled node is named by its expression
        value = f"{expression} = {value}"
    rows = [f"{latex_name(name)} &= {value} & {gradient}"]
    names = {node: name, **{line.parent: line.parent_name for line in step.lines}}
    for position, line in enumerate(step.lines):
        written = latex_formula(formula_in(node, position, names))
        local = latex_number(line.local)
        partial = _partial(name, line.parent_name)
        left = f"{partial} &= {written}"
        if written != local:
            left += f" = {local}"
        if not line.parent.needs_grad:
            rows.append(rf"{left} & &\text{{(a constant: nothing is sent)}}")
            continue
        upstream = latex_number(line.upstream, bracket=True)
        right = (
            rf"{_total(root, line.parent_name)} &\mathrel{{+}}= "
            rf"{_total(root, name)}\,{partial} = "
            rf"{upstream} \times {latex_number(line.local, bracket=True)}"
            f" = {latex_number(line.share)}"
        )
        rows.append(f"{left} & {right}")
    return _align(rows)


class _Path(Protocol):
    @property
    def names(self) -> tuple[str, ...]: ...
    @property
    def factors(self) -> tuple[Any, ...]: ...
    @property
    def product(self) -> Any: ...
    @property
    def locals(self) -> tuple[tuple[Any, ...], ...]: ...
    @property
    def formulas(self) -> tuple[str, ...]: ...


class _Explanation(Protocol):
    @property
    def root_name(self) -> str: ...
    @property
    def wrt_name(self) -> str: ...
    @property
    def paths(self) -> tuple[_Path, ...]: ...
    @property
    def path_count(self) -> int: ...
    @property
    def total(self) -> Any: ...
    @property
    def truncated(self) -> bool: ...


def explanation_latex(story: _Explanation) -> str:
    r"""The paths from ``wrt`` up to the root, each one's product, and their sum.

    A step along parallel edges (``x·x`` uses x twice) shows the sum of its
    edges' local derivatives, ``(3 + 3)``.
    """
    head = _total(story.root_name, story.wrt_name)
    if story.path_count == 0:
        return _align([f"{head} &= 0"])
    rows = []
    for k, path in enumerate(story.paths, start=1):
        route = r" \to ".join(latex_name(name) for name in path.names)
        if not path.factors:
            rows.append(rf"\text{{path {k}: }} {route} &= 1")
            continue
        partials = r"\,".join(
            _partial(upper, lower) for lower, upper in zip(path.names, path.names[1:])
        )
        parts = [partials]
        shown = [latex_formula(f) for f in path.formulas if f != "1"]
        if shown:
            parts.append(r" \cdot ".join(shown))
        numbers = r" \times ".join(
            _step_numbers(path, j) for j in range(len(path.factors))
        )
        product = latex_number(path.product)
        if numbers != product and numbers not in parts:
            parts.append(numbers)
        parts.append(product)
        rows.append(rf"\text{{path {k}: }} {route} &= " + " = ".join(parts))
    if story.truncated:
        rows.append(rf"&\dots \text{{ ({story.path_count} paths in all)}}")
    total = latex_number(story.total)
    if len(story.paths) > 1 and not story.truncated:
        summed = " + ".join(
            latex_number(path.product, bracket=k > 0)
            for k, path in enumerate(story.paths)
        )
        rows.append(f"{head} &= {summed} = {total}")
    else:
        rows.append(f"{head} &= {total}")
    return _align(rows)


def _step_numbers(path: _Path, k: int) -> str:
    """One step's local derivative; the sum of its edges' where they are parallel."""
    parallel = path.locals[k] if path.locals else (path.factors[k],)
    if len(parallel) == 1:
        return latex_number(parallel[0], bracket=True)
    return "(" + " + ".join(latex_number(x) for x in parallel) + ")"
