r"""A safe parser for the arithmetic that ``chainrule step`` accepts.

The text is read with Python's :mod:`ast` module and *never evaluated*: the
parser walks the syntax tree and builds :class:`autograd.Value` nodes itself,
one op at a time. Only this small language gets through:

- numbers (``2``, ``0.5``, ``1e-3``) and the names given with ``--set``;
- ``+  -  *  /  **`` and a unary ``-`` (or ``+``);
- the functions of the engine's op table (``exp  log  tanh  sigmoid  relu
  leaky_relu``), called by their plain name with one argument.

Anything else (attribute access, subscripts, lambdas, comprehensions, calls of
anything else, keyword arguments, ...) is refused with an
:class:`ExpressionError` that says what was found and what is allowed.

>>> parsed = parse_expression("sigmoid(x * w + b)", {"x": 2, "w": -3, "b": 1})
>>> round(parsed.root.data, 4)          # σ(2·(−3) + 1) = σ(−5)
0.0067
>>> sorted(parsed.variables)
['b', 'w', 'x']
>>> parse_expression("x.__class__", {"x": 1})
Traceback (most recent call last):
...
demos.expression.ExpressionError: attribute access is not allowed: 'x.__class__'; ...
"""

from __future__ import annotations

import ast
import keyword
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from autograd import OPS, Op, Value, apply

__all__ = [
    "FUNCTIONS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "ExpressionError",
    "ParsedExpression",
    "parse_expression",
]


def _calling(op: Op) -> Callable[[Value], Value]:
    return lambda x: apply(op, (x,))


#: The functions an expression may call: every function and activation of the
#: engine's op table, by its name.
FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    name: _calling(op)
    for name, op in OPS.items()
    if op.kind in ("function", "activation")
}

#: The largest exponent (in size) that ``**`` accepts.
MAX_EXPONENT = 100

#: The longest expression accepted, in characters.
MAX_LENGTH = 1000

#: The most ops one expression may build.
MAX_NODES = 300

_ALLOWED = (
    f"use numbers, the names given with --set, + - * / **, and {', '.join(FUNCTIONS)}."
)
_ALLOWED_SENTENCE = "U" + _ALLOWED[1:]

_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}

# What a student might type, and the name of the thing, for the error message.
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "a subscript",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "'if ... else'",
    ast.NamedExpr: "':='",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.JoinedStr: "text in quotes",
    ast.Starred: "'*' unpacking",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


class ExpressionError(ValueError):
    """An expression that ``chainrule step`` cannot or will not compute."""


@dataclass(frozen=True)
class ParsedExpression:
    r"""The graph built from an expression.

    ``root`` is the output node; ``variables`` maps each name given with
    ``--set`` to its leaf :class:`~autograd.Value` (labelled with the name), in
    the order given; ``used`` lists the names the expression actually uses.
    """

    text: str
    root: Value
    variables: dict[str, Value]
    used: tuple[str, ...]


def parse_expression(text: str, variables: Mapping[str, float]) -> ParsedExpression:
    r"""Build the computation graph of ``text``, with ``variables`` as its inputs.

    Each name in ``variables`` becomes one leaf Value labelled with the name;
    a name used twice is the same node, so its gradient collects from both
    uses. Raises :class:`ExpressionError` for anything outside the language,
    for an unknown name, an exponent above :data:`MAX_EXPONENT`, a result that
    overflows, a division by zero or a log of a non-positive number.

    >>> p = parse_expression("x * x + 3 * x", {"x": 2.0})
    >>> p.root.data
    10.0
    >>> p.root.backward(); p.variables["x"].grad     # d/dx (x² + 3x) = 2x + 3
    7.0
    """
    if not isinstance(text, str):
        msg = f"the expression must be a string, not {type(text).__name__}."
        raise ExpressionError(msg)
    if not text.strip():
        msg = "the expression is empty; write one such as 'x * w + b'."
        raise ExpressionError(msg)
    if len(text) > MAX_LENGTH:
        msg = (
            f"the expression is {len(text):,} characters long; the limit is "
            f"{MAX_LENGTH:,}. Split it into smaller steps."
        )
        raise ExpressionError(msg)
    leaves = _make_leaves(variables)
    tree = _parse(text)
    builder = _Builder(text, leaves)
    root = builder.build(tree.body)
    used = tuple(name for name in leaves if name in builder.used)
    return ParsedExpression(text=text, root=root, variables=leaves, used=used)


def _make_leaves(variables: Mapping[str, float]) -> dict[str, Value]:
    leaves: dict[str, Value] = {}
    for name, number in variables.items():
        if not name.isidentifier() or keyword.iskeyword(name):
            msg = f"{name!r} is not a valid name; use letters, digits and '_'."
            raise ExpressionError(msg)
        if name in FUNCTIONS:
            msg = f"{name!r} is a function; give the variable another name."
            raise ExpressionError(msg)
        if isinstance(number, bool) or not isinstance(number, numbers.Real):
            msg = f"the value of {name!r} must be a number, not {number!r}."
            raise ExpressionError(msg)
        if not math.isfinite(number):
            msg = f"the value of {name!r} must be a finite number, not {number}."
            raise ExpressionError(msg)
        leaves[name] = Value(float(number), label=name)
    return leaves


def _parse(text: str) -> ast.Expression:
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        where = ""
        if error.offset and error.lineno == 1:
            where = f" at column {error.offset}"
        reason = error.msg or "invalid syntax"
        shown = text.strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        msg = f"cannot read {shown!r}{where}: {reason}. {_ALLOWED_SENTENCE}"
        raise ExpressionError(msg) from None
    except (ValueError, RecursionError, MemoryError):
        msg = (
            "cannot read the expression: it is too deeply nested or holds "
            f"characters that are not allowed. {_ALLOWED_SENTENCE}"
        )
        raise ExpressionError(msg) from None


class _Builder:
    """Walks the syntax tree, building one Value per number, name and op."""

    def __init__(self, text: str, leaves: dict[str, Value]) -> None:
        self.text = text
        self.leaves = leaves
        self.used: set[str] = set()
        self.ops = 0

    def source(self, node: ast.AST) -> str:
        """The text of ``node``, shortened to fit in one line of a message."""
        found = ast.get_source_segment(self.text.strip(), node)
        text = found if found is not None else type(node).__name__
        return text if len(text) <= 60 else text[:57] + "..."

    def refuse(self, what: str, node: ast.AST) -> ExpressionError:
        msg = f"{what} is not allowed: {self.source(node)!r}; {_ALLOWED}"
        return ExpressionError(msg)

    def build(self, node: ast.AST) -> Value:
        try:
            return self.visit(node)
        except RecursionError:
            msg = "the expression is too deeply nested; split it into smaller steps."
            raise ExpressionError(msg) from None

    def visit(self, node: ast.AST) -> Value:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        for kind, what in _REFUSED.items():
            if isinstance(node, kind):
                raise self.refuse(what, node)
        raise self.refuse(f"this kind of expression ({type(node).__name__})", node)

    def number(self, node: ast.Constant) -> Value:
        value = node.value
        if isinstance(value, str | bytes):
            raise self.refuse("text in quotes", node)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.refuse(f"the constant {value!r}", node)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            msg = f"the number {self.source(node)!r} is too large to compute with."
            raise ExpressionError(msg)
        return Value(number)

    def name(self, node: ast.Name) -> Value:
        if node.id in self.leaves:
            self.used.add(node.id)
            return self.leaves[node.id]
        if node.id in FUNCTIONS:
            msg = f"{node.id} is a function: call it, as in {node.id}(x)."
            raise ExpressionError(msg)
        known = ", ".join(self.leaves) if self.leaves else "none"
        msg = (
            f"unknown name {node.id!r}; the known names are: {known}. "
            f"Give it a value with --set {node.id}=NUMBER."
        )
        raise ExpressionError(msg)

    def binary(self, node: ast.BinOp) -> Value:
        symbol = _OPERATORS.get(type(node.op))
        if symbol is None:
            what = f"the operator {type(node.op).__name__}"
            raise self.refuse(what, node)
        left = self.visit(node.left)
        if symbol == "**":
            return self.power(node, left)
        right = self.visit(node.right)
        if symbol == "+":
            return self.checked(node, lambda: left + right)
        if symbol == "-":
            return self.checked(node, lambda: left - right)
        if symbol == "*":
            return self.checked(node, lambda: left * right)
        return self.checked(node, lambda: left / right)

    def power(self, node: ast.BinOp, base: Value) -> Value:
        exponent = self.visit(node.right)
        n = exponent.data
        if abs(n) > MAX_EXPONENT:
            msg = (
                f"the exponent in {self.source(node)!r} is {n:.4g}; exponents "
                f"above {MAX_EXPONENT} in size are refused (the result would "
                "overflow or be useless to look at)."
            )
            raise ExpressionError(msg)
        if exponent.is_leaf and not exponent.label:
            # A plain number: one '**n' node, so the exponent stays visible.
            return self.checked(node, lambda: base ** float(n))
        return self.checked(node, lambda: base**exponent)

    def unary(self, node: ast.UnaryOp) -> Value:
        if isinstance(node.op, ast.UAdd):
            return self.visit(node.operand)
        if not isinstance(node.op, ast.USub):
            raise self.refuse(f"the operator {type(node.op).__name__}", node)
        operand = self.visit(node.operand)
        if operand.is_leaf and not operand.label:
            return Value(-operand.data)  # a negative number, not a '−' node
        return self.checked(node, lambda: -operand)

    def call(self, node: ast.Call) -> Value:
        if isinstance(node.func, ast.Attribute):
            raise self.refuse("attribute access", node)
        if not isinstance(node.func, ast.Name):
            raise self.refuse("calling this", node)
        name = node.func.id
        if name not in FUNCTIONS:
            msg = (
                f"calling {name!r} is not allowed; the functions are "
                f"{', '.join(FUNCTIONS)}."
            )
            raise ExpressionError(msg)
        if node.keywords:
            raise self.refuse("keyword arguments", node)
        if len(node.args) != 1:
            msg = (
                f"{name} takes exactly one argument, as in {name}(x), but "
                f"{self.source(node)!r} gives {len(node.args)}."
            )
            raise ExpressionError(msg)
        argument = self.visit(node.args[0])
        function = FUNCTIONS[name]
        return self.checked(node, lambda: function(argument))

    def checked(self, node: ast.AST, make: Callable[[], Value]) -> Value:
        """Run one op; turn the engine's errors and overflows into messages."""
        self.ops += 1
        if self.ops > MAX_NODES:
            msg = f"the expression has more than {MAX_NODES} ops; keep it smaller."
            raise ExpressionError(msg)
        try:
            result = make()
        except (ZeroDivisionError, ValueError, OverflowError) as error:
            msg = f"cannot compute {self.source(node)!r}: {error}"
            raise ExpressionError(msg) from None
        if not math.isfinite(result.data):
            msg = (
                f"{self.source(node)!r} overflows (its value is {result.data}); "
                "use smaller numbers."
            )
            raise ExpressionError(msg)
        if not all(math.isfinite(local) for local in result.local_grads):
            msg = (
                f"the derivative of {self.source(node)!r} is infinite at these "
                "values; pick values where the function is smooth."
            )
            raise ExpressionError(msg)
        return result
