r"""How the engine writes what it shows: numbers, node names and formulas.

The stepper, ``explain``, ``gradcheck`` and the pictures print the same
things the same way: a number to 4 significant digits (a batch as its size
and mean), and the op table's formulas in the graph's own names
(``∂y/∂x = w = 2``), the names being those of :mod:`autograd.names`.

>>> from autograd import Value, node_names
>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = x * w; y.label = "y"
>>> names = node_names(y)
>>> expression_of(y, names), local_rule(y, 0, names), show(1 / 3)
('x·w', '∂y/∂x = w = -3', '0.3333')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.data import shape_text
from autograd.layer_rules import MatrixLocal
from autograd.names import d, formula_in, written
from autograd.value import Value

__all__ = ["expression_of", "local_rule", "local_text", "show"]


def show(x: Any) -> str:
    """A value as text: a number to 4 significant digits, a batch as its size
    and mean, a layer node's local derivative by what it is (``W (32×64)``)."""
    if isinstance(x, np.ndarray | np.generic):
        x = np.asarray(x)
        if x.ndim == 0:
            return f"{float(x):.4g}"
        mean = f"mean {float(np.mean(x)):.4g}"
        if x.ndim == 1:
            return f"[{len(x)} values, {mean}]"
        return f"[{shape_text(x.shape)} matrix, {mean}]"
    if isinstance(x, float | int):
        return f"{x:.4g}"
    return repr(x)  # a layer node's local derivative: "W (32×64)"


def local_text(node: Value, position: int, names: dict[Value, str]) -> str:
    r"""The local derivative ∂node/∂(parent at ``position``), as it is shown.

    A number (or a batch's size and mean); for a layer node, the matrix it
    is, by the name of the value it comes from and with its shape: the
    local derivative of Z = X·Wᵀ + b with respect to W is the input ``x``.
    """
    local = node.local_grads[position]
    if isinstance(local, MatrixLocal):
        return f"{_written(node, position, names)} ({shape_text(local.shape)})"
    return show(local)


def _written(node: Value, position: int, names: dict[Value, str]) -> str:
    """The op table's formula of ∂node/∂(parent at ``position``), in these names."""
    return formula_in(node, position, names)


def local_rule(node: Value, position: int, names: dict[Value, str]) -> str:
    r"""∂node/∂parent in the graph's own names, then its number: ``∂y/∂x = w = 2``.

    The formula comes from the op table, written with the names of this
    node and its parents (never the table's letters, which could clash with
    a user's own ``a`` and ``b``). A formula that is just a number
    (``∂(x + b)/∂x = 1``) is not repeated. A name that is an expression is
    put in parentheses after ∂: ``∂(x·w)/∂x``.
    """
    parent = node.parents[position]
    head = f"∂{d(names[node])}/∂{d(names[parent])}"
    number = local_text(node, position, names)
    local = node.local_grads[position]
    if isinstance(local, MatrixLocal):
        return f"{head} = {number}"
    formula = _written(node, position, names)
    if _is_number(formula) or formula == number:
        return f"{head} = {number}"
    return f"{head} = {formula} = {number}"


def _is_number(text: str) -> bool:
    try:
        float(text.replace("−", "-"))
    except ValueError:
        return False
    return True


def expression_of(node: Value, names: dict[Value, str]) -> str:
    """The op that made ``node``, written with its parents' names: ``x·w``."""
    return written(node, names)
