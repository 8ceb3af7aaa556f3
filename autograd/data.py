r"""What every rule works on: data, and the error a rule raises for bad data.

Data is a Python ``float`` (one number) or a numpy array of floats: a batch
of samples along the first axis. These helpers are shared by the rules of
:mod:`autograd.ops` and :mod:`autograd.layer_rules`.

>>> shape_text((64, 32)), subscript(12)
('64×32', '₁₂')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "Data",
    "DomainError",
    "Rule",
    "all_finite",
    "is_batch",
    "is_number",
    "is_whole_number",
    "paired",
    "plain",
    "real_array",
    "real_number",
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


def is_number(x: Any) -> bool:
    r"""True for one real number of any kind (int, float, numpy scalar), not a bool.

    >>> is_number(2), is_number(np.float64(0.5)), is_number(True), is_number("2")
    (True, True, False, False)
    """
    kind = type(x)
    if kind is float or kind is int:  # the usual answer, without asking numbers.Real
        return True
    return isinstance(x, numbers.Real) and kind is not bool


def is_whole_number(x: Any) -> bool:
    r"""True for a whole number of any kind (int, numpy integer), not a bool.

    >>> is_whole_number(3), is_whole_number(np.int64(3)), is_whole_number(3.0)
    (True, True, False)
    """
    kind = type(x)
    if kind is int:  # the usual answer, without asking numbers.Integral
        return True
    return isinstance(x, numbers.Integral) and kind is not bool


def plain(x: Data, position: int = 0) -> Data:
    r"""One number of any kind as a plain ``float``; a batch as an array of floats.

    What a rule does first with an input that is not a float: ``v.data =
    np.float64(0.5)`` (what numpy arithmetic hands back) must act exactly as
    ``v.data = 0.5``, everywhere, and an int array as an array of floats.
    Whatever is not a real number (``True``, a complex number, a string,
    ``None``, an array of those) is refused with the same TypeError by every
    rule, naming the input at ``position``: it can only have come from
    ``.data`` set by hand, since ``Value(...)`` checks what it is given.

    >>> type(plain(np.float64(0.5))), plain(3), plain(np.array([1, 2]))
    (<class 'float'>, 3.0, array([1., 2.]))
    """
    if type(x) is float:
        return x
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "fiu":  # real numbers: floats, ints
            if x.ndim == 0:
                return float(x)
            return x if x.dtype is _FLOATS else x.astype(float)
        what = f"an array of {x.dtype}"
    elif is_number(x):
        try:
            return float(x)
        except OverflowError:
            msg = (
                f"the data of {{name}} is a number too large for a float (beyond "
                f"±1.8e308): {_shown(x)}; set it to a float."
            )
            raise DomainError(OverflowError, position, msg) from None
    else:
        what = f"{type(x).__name__} {_shown(x)}"
    msg = (
        f"the data of {{name}} must be a number or a numpy array of floats (a "
        f"batch), not {what}; was .data set by hand? Set it to a float or an "
        "array of floats."
    )
    raise DomainError(TypeError, position, msg)


_FLOATS = np.dtype(float)


def _shown(x: Any) -> str:
    """``repr(x)``, cut to 40 characters (a type's name if it has no repr)."""
    try:
        text = repr(x)
    except Exception:  # an int of 5,000 digits has no repr (Python's limit)
        return f"<a {type(x).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


def real_number(value: Any, what: str) -> float:
    r"""A number a user gave (a rate, a slope, a step) as a ``float``.

    Anything that is not a real number (``True``, a string, a complex
    number) is a TypeError, and an int or a fraction beyond a float's range
    (±1.8e308) an OverflowError that says so, instead of Python's own.

    >>> real_number(3, "lr"), real_number(np.float32(0.5), "lr")
    (3.0, 0.5)
    >>> real_number(10**400, "lr")
    Traceback (most recent call last):
    OverflowError: lr is a number too large for a float (beyond ±1.8e308): ...
    """
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if not is_number(value):
        msg = f"{what} must be a number, not {type(value).__name__} {_shown(value)}."
        raise TypeError(msg)
    try:
        return float(value)
    except OverflowError:
        msg = (
            f"{what} is a number too large for a float (beyond ±1.8e308): "
            f"{_shown(value)}; give a float."
        )
        raise OverflowError(msg) from None


def real_array(values: Any, what: str, wanted: str = "numbers") -> np.ndarray:
    r"""What a user gave as an array of numbers (inputs, targets), as floats.

    numpy would turn complex numbers into floats by dropping their imaginary
    parts, with only a warning: here they are a TypeError, as is anything
    that is not numbers (``wanted`` says what it should be).

    >>> real_array([[1, 2]], "X")
    array([[1., 2.]])
    >>> real_array([1 + 2j], "X")
    Traceback (most recent call last):
    TypeError: X holds complex numbers; chainrule computes with real numbers only ...
    """
    try:
        complex_numbers = np.iscomplexobj(values)
        array = np.asarray(values, dtype=float) if not complex_numbers else None
    except (TypeError, ValueError):
        msg = f"{what} must be {wanted}, not {type(values).__name__} {_shown(values)}."
        raise TypeError(msg) from None
    if array is None:
        msg = (
            f"{what} holds complex numbers; chainrule computes with real numbers "
            "only (take .real if every imaginary part is 0)."
        )
        raise TypeError(msg)
    return array


def paired(x: Data, y: Data) -> tuple[Data, Data]:
    r"""The two inputs of an elementwise op: numbers as floats, shapes checked.

    >>> paired(np.float64(1.0), 2)
    (1.0, 2.0)
    """
    x, y = plain(x, 0), plain(y, 1)
    same_shape(x, y)
    return x, y


def shape_text(shape: Sequence[int]) -> str:
    """A shape as it is said aloud: ``(64, 32)`` -> ``'64×32'``."""
    return "×".join(str(n) for n in shape) if len(shape) else "1"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(number: int | str) -> str:
    """A whole number in superscript digits: ``12`` -> ``¹²``, ``-1`` -> ``⁻¹``."""
    return str(number).translate(_SUPERSCRIPT)


def subscript(*indices: int) -> str:
    r"""Indices in subscript digits, run together, or with commas when one has two
    digits (so ``w²₁₂,₃`` and ``w²₁,₂₃`` cannot be confused).

    >>> subscript(3, 1), subscript(12, 3), subscript(7)
    ('₃₁', '₁₂,₃', '₇')
    """
    if len(indices) == 1:  # one index: no commas to think of
        return str(indices[0]).translate(_SUBSCRIPT)
    parts = [str(i).translate(_SUBSCRIPT) for i in indices]
    joiner = "," if any(i >= 10 for i in indices) else ""
    return joiner.join(parts)


def _where(mask: np.ndarray) -> tuple[str, float]:
    """The first True position of ``mask`` as ``[i]`` or ``[i, j]`` text."""
    flat = int(np.flatnonzero(mask)[0])
    index = np.unravel_index(flat, mask.shape)
    return "[" + ", ".join(str(int(i)) for i in index) + "]", flat


def all_finite(x: np.ndarray) -> bool:
    r"""True when every number of ``x`` is finite (no nan, no ±inf).

    The sum is the quick look: one pass that makes no array, finite
    whenever every number is (unless finite numbers add up past ±1.8e308).
    Only when it is not finite does the exact check run.

    >>> all_finite(np.array([1.0, -2.0])), all_finite(np.array([1.0, np.nan]))
    (True, False)
    """
    return math.isfinite(np.add.reduce(x, None)) or bool(np.isfinite(x).all())


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
