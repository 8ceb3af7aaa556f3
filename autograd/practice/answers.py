r"""A student's answer: read safely, and right to 3 significant digits.

An answer is a number or arithmetic on numbers, as a student writes it on
paper: ``-0.5*2``, ``1/4``, ``0.5 * (1 - 0.5)``, ``2·(0.75 − 1)``,
``σ(1)·(1 − σ(1))``. It is read with Python's ``ast`` and only numbers,
``+ − × · / ^ **``, brackets and a few functions (``exp``, ``ln``/``log``,
``sqrt``, ``tanh``, ``sigmoid``/``σ``) are allowed: nothing is ever run as
code.

An answer is right when it is within one unit of the third significant digit
of the right number (:func:`tolerance`): for 0.19661, 0.197 and 0.196 are
right and 0.2 is not; for 6, anything from 5.99 to 6.01.

>>> read_answer("0.5 * (1 - 0.5)")
0.25
>>> read_answer("2·(0.75 − 1)")
-0.5
>>> close_enough(read_answer("0.197"), 0.19661193324148185)
True
>>> close_enough(0.2, 0.19661193324148185)
False
"""

from __future__ import annotations

import ast
import math
import numbers
from collections.abc import Callable

__all__ = ["AnswerError", "close_enough", "read_answer", "tolerance"]

#: The longest answer read, in characters.
MAX_LENGTH = 200
#: The largest exponent allowed in ``a ** b`` (10 ** 400 would overflow anyway).
MAX_EXPONENT = 100.0


class AnswerError(ValueError):
    """An answer that is not a number or arithmetic on numbers."""


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": math.exp,
    "ln": math.log,
    "log": math.log,
    "sqrt": math.sqrt,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "sigma": _sigmoid,
}

# How a student may write what Python writes otherwise.
_SPELLINGS = {
    "−": "-",
    "–": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "÷": "/",
    "^": "**",
    "σ": "sigma",
    "²": "**2",
    "³": "**3",
}

_EXAMPLES = "a number or arithmetic such as -0.5*2, 1/4 or 0.5*(1 - 0.5)"


def _spelled(text: str) -> str:
    for written, python in _SPELLINGS.items():
        text = text.replace(written, python)
    return text


def read_answer(answer: str | float) -> float:
    r"""The number an answer stands for: a number, or arithmetic read safely.

    Raises :class:`AnswerError` (a ``ValueError``) for anything else, saying
    what may be written.

    >>> read_answer("1/4"), read_answer(" -3 "), read_answer(2)
    (0.25, -3.0, 2.0)
    >>> read_answer("x * 2")
    Traceback (most recent call last):
    ...
    autograd.practice.answers.AnswerError: cannot read 'x * 2': the name 'x' ...
    """
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        number = float(answer)
        if not math.isfinite(number):
            msg = f"an answer must be a finite number, not {number}."
            raise AnswerError(msg)
        return number
    if not isinstance(answer, str):
        msg = f"an answer must be {_EXAMPLES}, not {type(answer).__name__}."
        raise AnswerError(msg)
    text = answer.strip()
    if not text:
        msg = f"the answer is empty; write {_EXAMPLES}."
        raise AnswerError(msg)
    if len(text) > MAX_LENGTH:
        msg = f"the answer is {len(text)} characters long; keep it under {MAX_LENGTH}."
        raise AnswerError(msg)
    shown = text if len(text) <= 40 else text[:37] + "..."
    if "," in text:
        msg = f"cannot read {shown!r}: write decimals with a point (0.5, not 0,5)."
        raise AnswerError(msg)
    try:
        tree = ast.parse(_spelled(text), mode="eval")
    except SyntaxError:
        msg = f"cannot read {shown!r}; write {_EXAMPLES}."
        raise AnswerError(msg) from None
    try:
        number = _evaluate(tree.body)
    except AnswerError as error:
        msg = f"cannot read {shown!r}: {error}"
        raise AnswerError(msg) from None
    except (ArithmeticError, ValueError) as error:  # 1/0, log(-1), overflow
        msg = f"cannot work out {shown!r}: {error}."
        raise AnswerError(msg) from None
    if not math.isfinite(number):
        msg = f"{shown!r} is not a finite number."
        raise AnswerError(msg)
    return number


_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _evaluate(node: ast.AST) -> float:
    """The value of one node of an answer's syntax tree (numbers only)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            msg = f"{value!r} is not a number."
            raise AnswerError(msg)
        return float(value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _evaluate(node.operand)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            if abs(right) > MAX_EXPONENT:
                msg = f"the exponent {right:g} is too large."
                raise AnswerError(msg)
            return math.pow(left, right)
        operation = _BINARY.get(type(node.op))
        if operation is not None:
            return operation(left, right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        function = _FUNCTIONS.get(node.func.id)
        if function is None:
            msg = f"there is no function {node.func.id!r}; use {', '.join(_FUNCTIONS)}."
            raise AnswerError(msg)
        if len(node.args) != 1 or node.keywords:
            msg = f"{node.func.id}(...) takes one number."
            raise AnswerError(msg)
        return function(_evaluate(node.args[0]))
    if isinstance(node, ast.Name):
        msg = f"the name {node.id!r} has no value here; write the number it stands for."
        raise AnswerError(msg)
    msg = "only numbers, + - * / ** (or ^), brackets and exp, ln, sqrt, tanh, σ."
    raise AnswerError(msg)


def tolerance(target: float) -> float:
    r"""How far an answer may be from ``target``: one unit of its 3rd significant digit.

    >>> tolerance(0.19661), tolerance(-6.0), tolerance(250.0)
    (0.001, 0.01, 1.0)

    Zero has no significant digits: an answer to 0 must be 0 (within 1e-9).
    """
    size = abs(target)
    if size < 1e-9:
        return 1e-9
    return 10.0 ** (math.floor(math.log10(size)) - 2)


def close_enough(number: float, target: float) -> bool:
    r"""True when ``number`` is ``target`` to 3 significant digits (``tolerance``)."""
    return abs(number - target) <= tolerance(target) * (1 + 1e-9)
