r"""A safe parser for the arithmetic that ``chainrule step`` accepts.

The text is read with Python's :mod:`ast` module and *never evaluated*: the
parser walks the syntax tree and builds :class:`autograd.Value` nodes itself,
one op at a time. Only this small language gets through:

- numbers (``2``, ``0.5``, ``1e-3``) and the names given with ``--set``;
- ``+  -  *  /  **`` and a unary ``-`` (or ``+``);
- the functions of the engine's op table (``exp  log  tanh  sigmoid  relu
  leaky_relu``), called by their plain name with one argument, plus the
  op's own numbers where it has some: ``leaky_relu(x, 0.1)`` (the slope);
- named results: ``y = x * w1; E = y * w2`` computes ``y``, then ``E``, and
  the graph calls those values ``y`` and ``E`` (the last one is the output);
- what the lessons print (read by :mod:`demos.notation`): ``×``, ``·``,
  ``−``, powers as superscripts (``w²``, ``(a − t)²``) or ``^``, names with a
  layer and indices (``w²₁₁``, ``x₁``), and the functions by their symbols
  (``σ``, ``ln``, ``ReLU``). A misspelled name or function gets "did you
  mean".

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
>>> parse_expression("y = x * w; E = y * y", {"x": 2, "w": 3}).root.label
'E'
>>> parsed = parse_expression("σ(x·w)^2", {"x": 2, "w": 3})   # as the lessons write
>>> round(parsed.root.data, 4), parsed.notes
(0.9951, ('read ^ as ** (a power), as in Python',))
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from autograd import OPS, Op, Value, apply
from autograd.data import is_number
from demos.notation import function_spellings, identifier, translate

__all__ = [
    "FUNCTIONS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "OPTIONS",
    "ExpressionError",
    "ParsedExpression",
    "parse_expression",
]


class _Functions(Mapping[str, Callable[..., Value]]):
    r"""The functions an expression may call: every function and activation of
    the engine's op table, by its name, read from the table when asked (an
    op added to the table can be called at once)."""

    def _ops(self) -> dict[str, Op]:
        return {
            name: op
            for name, op in OPS.items()
            if op.kind in ("function", "activation")
        }

    def __getitem__(self, name: str) -> Callable[..., Value]:
        op = self._ops()[name]
        return lambda x, **numbers: apply(op, (x,), **numbers)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ops())

    def __len__(self) -> int:
        return len(self._ops())


class _Options(Mapping[str, tuple[str, ...]]):
    r"""The numbers each function may take after its input: the op's
    parameters (``leaky_relu(x, 0.1)`` gives the slope)."""

    def __getitem__(self, name: str) -> tuple[str, ...]:
        if name not in FUNCTIONS:
            raise KeyError(name)
        return tuple(OPS[name].params)

    def __iter__(self) -> Iterator[str]:
        return iter(FUNCTIONS)

    def __len__(self) -> int:
        return len(FUNCTIONS)


FUNCTIONS: Mapping[str, Callable[..., Value]] = _Functions()
OPTIONS: Mapping[str, tuple[str, ...]] = _Options()

#: The largest exponent (in size) that ``**`` accepts.
MAX_EXPONENT = 100

#: The longest expression accepted, in characters.
MAX_LENGTH = 1000

#: The most ops one expression may build.
MAX_NODES = 300


def _allowed() -> str:
    """What an expression may hold, as the end of an error message."""
    return (
        "use numbers, the names given with --set, + - * / **, and "
        f"{', '.join(FUNCTIONS)}."
    )


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
    the order given; ``used`` lists the names the expression actually uses;
    ``results`` maps each name assigned in the text (``y = x * w``) to its node;
    ``notes`` says what was read another way than it was written (``^`` as
    ``**``).
    """

    text: str
    root: Value
    variables: dict[str, Value]
    used: tuple[str, ...]
    results: dict[str, Value] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what was read another way than written, once


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
    leaves, by_identifier = _make_leaves(variables)
    translated = translate(text, leaves)
    statements = _parse(translated.text)
    builder = _Builder(translated.text, by_identifier, translated.written)
    root = builder.build_all(statements)
    used = tuple(name for name in leaves if identifier(name) in builder.used)
    return ParsedExpression(
        text=text,
        root=root,
        variables=leaves,
        used=used,
        results=dict(builder.results),
        notes=tuple(translated.notes),
    )


def _make_leaves(
    variables: Mapping[str, float],
) -> tuple[dict[str, Value], dict[str, Value]]:
    """The leaves by the names given, and by their plain spellings (``w2_11``)."""
    leaves: dict[str, Value] = {}
    by_identifier: dict[str, Value] = {}
    for name, number in variables.items():
        plain = identifier(name)
        if not plain.isidentifier() or keyword.iskeyword(plain):
            msg = (
                f"{name!r} is not a valid name; use letters, digits and '_' (or "
                "a name as the lessons write it, such as w²₁₁ or x₁)."
            )
            raise ExpressionError(msg)
        if plain in by_identifier:
            first = by_identifier[plain].label
            msg = f"{first!r} and {name!r} are the same name; give it one value."
            raise ExpressionError(msg)
        if name in FUNCTIONS:
            msg = f"{name!r} is a function; give the variable another name."
            raise ExpressionError(msg)
        if not is_number(number):
            msg = f"the value of {name!r} must be a number, not {number!r}."
            raise ExpressionError(msg)
        if not math.isfinite(number):
            msg = f"the value of {name!r} must be a finite number, not {number}."
            raise ExpressionError(msg)
        leaves[name] = by_identifier[plain] = Value(float(number), label=name)
    return leaves, by_identifier


def _did_you_mean(typed: str, known: Mapping[str, str]) -> str:
    """`` (did you mean 'sigmoid'?)`` for a name close to a known one, else ``""``.

    ``known`` maps the names to compare with (plain spellings) to how they
    are shown.
    """
    close = difflib.get_close_matches(typed, list(known), n=1, cutoff=0.6)
    if not close:
        lowered = {plain.lower(): plain for plain in known}
        close = [lowered[typed.lower()]] if typed.lower() in lowered else []
    return f" (did you mean {known[close[0]]!r}?)" if close else ""


# Slips a student makes, and the hint that fixes each.
_IMPLICIT_PRODUCT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)([A-Za-z_]\w*)")


def _hint(text: str) -> str:
    """A hint for the usual slips: ``2x`` for ``2*x``."""
    found = _IMPLICIT_PRODUCT.search(text)
    if found and not re.fullmatch(r"[eE][+-]?\d*|j", found.group(2)):
        number, name = found.groups()
        return f" Write {number}*{name} for {number} times {name}."
    return ""


def _parse(text: str) -> list[ast.stmt]:
    r"""The statements of ``text``: one expression, or ``name = expression``
    statements separated by ``;`` (the last may be a bare expression)."""
    shown = text.strip()
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    try:
        tree = ast.parse(text.strip(), mode="exec")
    except SyntaxError as error:
        where = ""
        if error.offset and error.lineno == 1:
            where = f" at column {error.offset}"
        reason = error.msg or "invalid syntax"
        msg = f"cannot read {shown!r}{where}: {reason}.{_hint(text)} U{_allowed()[1:]}"
        raise ExpressionError(msg) from None
    except (ValueError, RecursionError, MemoryError):
        msg = (
            "cannot read the expression: it is too deeply nested or holds "
            f"characters that are not allowed. U{_allowed()[1:]}"
        )
        raise ExpressionError(msg) from None
    for k, statement in enumerate(tree.body):
        last = k == len(tree.body) - 1
        named = (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        )
        if named or (last and isinstance(statement, ast.Expr)):
            continue
        if isinstance(statement, ast.Expr):
            msg = (
                f"cannot read {shown!r}: every part before the last must name its "
                "result, NAME = EXPRESSION, as in: y = x * w1; E = y * w2"
            )
        else:
            kind = type(statement).__name__
            kind = (
                "an import" if kind.startswith("Import") else f"this statement ({kind})"
            )
            msg = (
                f"cannot read {shown!r}: {kind} is not allowed; write an "
                "expression, or NAME = EXPRESSION parts separated by ';', as in: "
                "y = x * w1; E = y * w2"
            )
        raise ExpressionError(msg)
    if not tree.body:
        msg = "the expression is empty; write one such as 'x * w + b'."
        raise ExpressionError(msg)
    return tree.body


class _Builder:
    """Walks the syntax tree, building one Value per number, name and op."""

    def __init__(
        self, text: str, leaves: dict[str, Value], written: dict[str, str]
    ) -> None:
        self.text = text
        self.leaves = leaves  # by their plain spellings: w2_11
        self.written = written  # each plain spelling as it was written: w²₁₁
        self.used: set[str] = set()
        self.results: dict[str, Value] = {}
        self.ops = 0

    def build_all(self, statements: list[ast.stmt]) -> Value:
        """Each ``name = expression`` in turn; the last value is the output."""
        root = None
        for statement in statements:
            if isinstance(statement, ast.Assign):
                target = statement.targets[0]
                assert isinstance(target, ast.Name)  # checked by _parse
                root = self.build(statement.value)
                self.assign(target.id, root)
            else:
                assert isinstance(statement, ast.Expr)  # checked by _parse
                root = self.build(statement.value)
        assert root is not None  # _parse refuses an empty text
        return root

    def assign(self, name: str, node: Value) -> None:
        """Give a computed value the name it was assigned to."""
        if name in self.leaves:
            msg = (
                f"'{name} = ...' would replace the input {name} given with --set; "
                "give the result a new name."
            )
            raise ExpressionError(msg)
        if name in FUNCTIONS or name in self.results:
            what = "a function" if name in FUNCTIONS else "already assigned"
            msg = f"'{name} = ...': {name} is {what}; give the result a new name."
            raise ExpressionError(msg)
        if not node.label:  # 'y = x' keeps x's own name
            node.label = self.written.get(name, name)
        self.results[name] = node

    def source(self, node: ast.AST) -> str:
        """The text of ``node``, shortened to fit in one line of a message."""
        found = ast.get_source_segment(self.text.strip(), node)
        text = found if found is not None else type(node).__name__
        return text if len(text) <= 60 else text[:57] + "..."

    def refuse(self, what: str, node: ast.AST) -> ExpressionError:
        msg = f"{what} is not allowed: {self.source(node)!r}; {_allowed()}"
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
        if node.id in self.results:
            return self.results[node.id]
        if node.id in FUNCTIONS:
            msg = f"{node.id} is a function: call it, as in {node.id}(x)."
            raise ExpressionError(msg)
        shown = self.written.get(node.id, node.id)
        names = {
            plain: value.label or plain
            for plain, value in [*self.leaves.items(), *self.results.items()]
        }
        known = ", ".join(names.values()) or "none"
        msg = (
            f"unknown name {shown!r}{_did_you_mean(node.id, names)}; the known "
            f"names are: {known}. Give it a value with --set {shown}=NUMBER."
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
        parts = ((left, node.left), (right, node.right))
        if symbol == "+":
            return self.checked(node, lambda: left + right, parts)
        if symbol == "-":
            return self.checked(node, lambda: left - right, parts)
        if symbol == "*":
            return self.checked(node, lambda: left * right, parts)
        return self.checked(node, lambda: left / right, parts)

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
        parts = ((base, node.left), (exponent, node.right))
        if exponent.is_leaf and not exponent.label:
            # A plain number: one '**n' node, so the exponent stays visible.
            return self.checked(node, lambda: base ** float(n), parts[:1])
        return self.checked(node, lambda: base**exponent, parts)

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
            spellings = {spelling: spelling for spelling in function_spellings()}
            msg = (
                f"calling {name!r} is not allowed{_did_you_mean(name, spellings)}; "
                f"the functions are {', '.join(FUNCTIONS)}."
            )
            raise ExpressionError(msg)
        if node.keywords:
            raise self.refuse("keyword arguments", node)
        options = OPTIONS[name]
        if not 1 <= len(node.args) <= 1 + len(options):
            takes = "exactly one argument"
            example = f"{name}(x)"
            if options:
                takes = f"one argument and at most {len(options)} number(s)"
                example += f" or {name}(x, {', '.join(options)})"
            msg = (
                f"{name} takes {takes}, as in {example}, but "
                f"{self.source(node)!r} gives {len(node.args)}."
            )
            raise ExpressionError(msg)
        numbers = {
            option: self.plain_number(argument, f"the {option} of {name}")
            for option, argument in zip(options, node.args[1:])
        }
        argument = self.visit(node.args[0])
        function = FUNCTIONS[name]
        parts = ((argument, node.args[0]),)
        return self.checked(node, lambda: function(argument, **numbers), parts)

    def plain_number(self, node: ast.AST, what: str) -> float:
        """A number written in the text (``0.1``, ``-0.2``), for an op's option."""
        sign = 1.0
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
            node = node.operand
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            msg = f"{what} must be a number written out, not {self.source(node)!r}."
            raise ExpressionError(msg)
        number = sign * float(value)
        if not math.isfinite(number):
            msg = f"{what} must be a finite number, not {self.source(node)!r}."
            raise ExpressionError(msg)
        return number

    def checked(
        self,
        node: ast.AST,
        make: Callable[[], Value],
        parts: tuple[tuple[Value, ast.AST], ...] = (),
    ) -> Value:
        """Run one op; turn the engine's errors and overflows into messages.

        While the op runs, each unnamed input is labelled with its own text
        (``(w - w)``), so an error names the part of the expression to blame.
        """
        self.ops += 1
        if self.ops > MAX_NODES:
            msg = f"the expression has more than {MAX_NODES} ops; keep it smaller."
            raise ExpressionError(msg)
        unnamed = [(value, tree) for value, tree in parts if not value.label]
        for value, tree in unnamed:
            value.label = self.source(tree)
        try:
            result = make()
        except (ZeroDivisionError, ValueError, OverflowError) as error:
            msg = f"cannot compute {self.source(node)!r}: {error}"
            raise ExpressionError(msg) from None
        finally:
            for value, _ in unnamed:
                value.label = ""
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
