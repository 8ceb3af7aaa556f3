r"""What every rule works on: data, and the error a rule raises for bad data.

Data is a Python ``float`` (one number) or a numpy array of floats: a batch
of samples along the first axis. These helpers are shared by the rules of
:mod:`autograd.ops` and :mod:`autograd.layer_rules`.

>>> shape_text((64, 32)), subscript(12)
('64×32', '₁₂')
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "Data",
    "DomainError",
    "Rule",
    "is_batch",
    "paired",
    "plain",
    "same_shape",
    "shape_text",
    "subscript",
    "superscript",
    "value_at",
]

Data = Any  # a Python float, or a numpy array of floats (a batch)
Rule = tuple[Any, tuple[Any, ...]]  # (forward value, local derivatives)


class DomainError(Exception):
    r"""An op's input is outside its domain (``log`` of a negative number, ...).

    ``kind`` is the exception a user should see (``ValueError``,
    ``ZeroDivisionError``, ...), ``position`` which input is to blame, and
    ``message`` the explanation with ``{name}`` where that input's name goes:
    the rule knows numbers only, the Value that applies it knows names.
    """

    def __init__(self, kind: type[Exception], position: int, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.position = position
        self.message = message

    def for_input(self, name: str) -> Exception:
        """The user's exception, with the input's name filled in."""
        return self.kind(self.message.replace("{name}", name))


def is_batch(data: Data) -> bool:
    r"""True when ``data`` is a batch (a numpy array) rather than one number.

    One number is a ``float``, or any other real number written into
    ``.data`` by hand (an ``int``, a numpy scalar such as ``np.float64``, a
    0-d array): a batch is a numpy array with at least one axis, never a
    numpy scalar.

    >>> is_batch(2.0), is_batch(np.float64(2.0)), is_batch(np.array([2.0]))
    (False, False, True)
    """
    return type(data) is not float and isinstance(data, np.ndarray) and data.ndim > 0


def plain(x: Data) -> Data:
    r"""One number of any kind as a plain ``float``; a batch as it is.

    What a rule does first with an input that is not a float: ``v.data =
    np.float64(0.5)`` (what numpy arithmetic hands back) must act exactly as
    ``v.data = 0.5``, everywhere.

    >>> type(plain(np.float64(0.5))), plain(3)
    (<class 'float'>, 3.0)
    """
    if type(x) is float or is_batch(x):
        return x
    if isinstance(x, np.ndarray):
        if np.issubdtype(x.dtype, np.number):
            return float(x)
    elif isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    msg = (
        f"a Value's data must be a number or a numpy array of floats (a batch), "
        f"not {type(x).__name__} {x!r}; was .data set by hand?"
    )
    raise TypeError(msg)


def paired(x: Data, y: Data) -> tuple[Data, Data]:
    r"""The two inputs of an elementwise op: numbers as floats, shapes checked.

    >>> paired(np.float64(1.0), 2)
    (1.0, 2.0)
    """
    x, y = plain(x), plain(y)
    same_shape(x, y)
    return x, y


def shape_text(shape: Sequence[int]) -> str:
    """A shape as it is said aloud: ``(64, 32)`` -> ``'64×32'``."""
    return "×".join(str(n) for n in shape) if len(shape) else "1"


def subscript(number: int) -> str:
    """Write a non-negative integer with subscript digits: 12 -> '₁₂'."""
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def superscript(number: int) -> str:
    """Write an integer with superscript digits: -12 -> '⁻¹²'."""
    return str(number).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _where(mask: np.ndarray) -> tuple[str, float]:
    """The first True position of ``mask`` as ``[i]`` or ``[i, j]`` text."""
    flat = int(np.flatnonzero(mask)[0])
    index = np.unravel_index(flat, mask.shape)
    return "[" + ", ".join(str(int(i)) for i in index) + "]", flat


def value_at(x: Data, mask: Any) -> tuple[str, str]:
    """(``[i]``, the value there) for a batch, ("", the value) for a number."""
    if is_batch(x):
        where, flat = _where(np.asarray(mask))
        return where, f"{x.flat[flat]:.4g}"
    return "", f"{x:.4g}"


def same_shape(x: Data, y: Data) -> None:
    """Two inputs of an elementwise op: equal shapes, or one of them a number."""
    if type(x) is float or type(y) is float or x.shape == y.shape:
        return
    if x.ndim == y.ndim == 1:
        msg = (
            f"batch lengths differ: {len(x)} and {len(y)}; every batched value in "
            "one graph must hold the same number of samples."
        )
    else:
        msg = (
            f"shapes differ: {shape_text(x.shape)} and {shape_text(y.shape)}; an "
            "op on two batches needs them the same shape (no broadcasting)."
        )
    raise DomainError(ValueError, 1, msg)
