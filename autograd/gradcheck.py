r"""Check the backward pass against central differences.

For each input x and a small step ε,

    numeric = (f(x + ε) − f(x − ε)) / 2ε

should match the ``analytic`` gradient that ``backward()`` found. The report
shows both side by side.

>>> from autograd import Value
>>> a, b = Value(1.5, "a"), Value(-0.5, "b")
>>> report = gradcheck(lambda a, b: (a * b).tanh(), [a, b])
>>> bool(report)
True
>>> print(report)   # doctest: +ELLIPSIS
input  analytic  numeric  error     ok
a      -0.2983   -0.2983  ...e-11  yes
b      0.8949    0.8949   ...e-11  yes
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from autograd.data import is_number, real_number
from autograd.graph import zeros_like
from autograd.ops import is_batch
from autograd.text import show
from autograd.value import Value

__all__ = ["GradcheckError", "GradcheckReport", "InputCheck", "gradcheck"]


class GradcheckError(AssertionError):
    """The backward pass and central differences disagree."""


@dataclass(frozen=True)
class InputCheck:
    """The gradient of one input, found both ways."""

    name: str
    analytic: Any
    numeric: Any
    error: float
    passed: bool


@dataclass(frozen=True, repr=False)
class GradcheckReport:
    r"""One :class:`InputCheck` per input; truthy when every input passes.

    ``error`` is |analytic − numeric| / max(1, |analytic|, |numeric|): an
    absolute error for small gradients, a relative one for large ones.
    ``repr`` is the same table as ``str``; Jupyter shows it as an HTML table
    with the failures in red.
    """

    checks: tuple[InputCheck, ...]
    tol: float

    def __bool__(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def passed(self) -> bool:
        """True when every input passes (the same as ``bool(report)``)."""
        return bool(self)

    @property
    def max_error(self) -> float:
        """The largest error over all inputs."""
        return max(check.error for check in self.checks)

    def __iter__(self) -> Iterator[InputCheck]:
        return iter(self.checks)

    def __len__(self) -> int:
        return len(self.checks)

    @property
    def failures(self) -> tuple[InputCheck, ...]:
        return tuple(check for check in self.checks if not check.passed)

    def __str__(self) -> str:
        rows = [("input", "analytic", "numeric", "error", "ok")]
        rows += [self._row(c) for c in self.checks]
        widths = [max(len(row[k]) for row in rows) for k in range(5)]
        return "\n".join(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
            for row in rows
        )

    __repr__ = __str__

    def _repr_html_(self) -> str:
        """The table for Jupyter, failing inputs in red."""
        head = ("input", "analytic", "numeric", "error", "ok")
        rows = [f"<tr>{''.join(f'<th>{cell}</th>' for cell in head)}</tr>"]
        for check in self.checks:
            style = "" if check.passed else ' style="color:#d62728"'
            cells = "".join(f"<td>{escape(cell)}</td>" for cell in self._row(check))
            rows.append(f"<tr{style}>{cells}</tr>")
        return f'<table class="chainrule-gradcheck">{"".join(rows)}</table>'

    @staticmethod
    def _row(c: InputCheck) -> tuple[str, str, str, str, str]:
        ok = "yes" if c.passed else "NO"
        return (c.name, show(c.analytic), show(c.numeric), f"{c.error:.2e}", ok)

    def raise_if_failed(self) -> None:
        """Raise :class:`GradcheckError` naming every input that failed."""
        if self:
            return
        lines = [
            f"{c.name}: analytic {_numbers(c.analytic)} vs numeric "
            f"{_numbers(c.numeric)} (error {c.error:.2e} > tol {self.tol:g})"
            for c in self.failures
        ]
        msg = "backward disagrees with central differences:\n  " + "\n  ".join(lines)
        raise GradcheckError(msg)


def _numbers(x: Any) -> str:
    if is_batch(x):
        return np.array2string(np.asarray(x), precision=6, threshold=8)
    return f"{x:.6g}"


def _output(f: Callable[..., Any], inputs: Sequence[Value]) -> float:
    return float(np.sum(_call(f, inputs).data))


def _call(f: Callable[..., Any], inputs: Sequence[Value]) -> Value:
    """``f(*inputs)``, which must be a Value: the output to differentiate."""
    out = f(*inputs)
    if not isinstance(out, Value):
        msg = (
            f"gradcheck's f must return a Value (the output to differentiate), "
            f"but it returned {type(out).__name__}; build it from the input Values."
        )
        raise TypeError(msg)
    return out


def _checked_inputs(f: Any, inputs: Any) -> list[Value]:
    if not callable(f):
        msg = f"gradcheck's f must be a function of the inputs, not {f!r}."
        raise TypeError(msg)
    if isinstance(inputs, Value) or not isinstance(inputs, Sequence):
        msg = "inputs must be a list of Values, e.g. gradcheck(f, [a, b])."
        raise TypeError(msg)
    checked = list(inputs)
    if not checked:
        msg = "gradcheck needs at least one input Value."
        raise ValueError(msg)
    for k, x in enumerate(checked):
        if not isinstance(x, Value):
            msg = (
                f"input {k} must be a Value, not {type(x).__name__} {x!r}; gradcheck "
                "nudges each input's data, so make it Value(number)."
            )
            raise TypeError(msg)
        if not x.needs_grad:
            msg = (
                f"input {k} ({x.label or 'unlabelled'}) is a Constant, which gets no "
                "gradient; make it a Value to check its gradient."
            )
            raise TypeError(msg)
    return checked


def _positive_number(value: Any, what: str, example: str, zero: bool = False) -> float:
    if not is_number(value):
        msg = f"{what} must be a number ({example}), not {type(value).__name__}."
        raise TypeError(msg)
    number = real_number(value, what)  # an int beyond a float: a clear error
    if not (math.isfinite(number) and (number > 0 or (zero and number == 0))):
        msg = f"{what} must be {'0 or more' if zero else 'positive'}, not {number}."
        raise ValueError(msg)
    return number


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-6,
    tol: float = 1e-5,
    raise_on_failure: bool = False,
) -> GradcheckReport:
    r"""Compare ``backward()`` with central differences for ``f(*inputs)``.

    ``f`` takes the input Values and returns a Value (a batched output is
    summed, as ``backward()`` does). Every input is nudged by ±``eps`` in turn
    (element by element for a batch) and put back exactly as it was.
    Returns a :class:`GradcheckReport`; with ``raise_on_failure=True`` a
    failure raises :class:`GradcheckError` showing both numbers.
    """
    inputs = _checked_inputs(f, inputs)
    eps = _positive_number(eps, "eps", "the step, e.g. 1e-6")
    tol = _positive_number(
        tol, "tol", "the largest error allowed, e.g. 1e-5", zero=True
    )

    saved_grads = [x.grad for x in inputs]
    out = _call(f, inputs)
    for x in inputs:
        x.grad = zeros_like(x.data)
    out.backward(np.ones(out.shape) if out.shape else None)  # a batch: its sum
    analytic = [x.grad.copy() if is_batch(x.grad) else x.grad for x in inputs]
    for x, grad in zip(inputs, saved_grads):
        x.grad = grad

    checks = []
    for k, (x, grad) in enumerate(zip(inputs, analytic)):
        numeric = _central_difference(f, inputs, x, eps)
        scale = np.maximum(1.0, np.maximum(np.abs(grad), np.abs(numeric)))
        error = float(np.max(np.abs(grad - numeric) / scale))
        checks.append(
            InputCheck(
                name=x.label or f"input {k}",
                analytic=grad,
                numeric=numeric,
                error=error,
                passed=bool(error <= tol),
            )
        )
    report = GradcheckReport(checks=tuple(checks), tol=tol)
    if raise_on_failure:
        report.raise_if_failed()
    return report


def _nudged(data: np.ndarray, i: int, step: float) -> np.ndarray:
    """A new copy of a batch with element ``i`` (in flat order) moved by ``step``."""
    nudged = data.copy()
    nudged.flat[i] += step
    nudged.flags.writeable = data.flags.writeable
    return nudged


def _central_difference(
    f: Callable[..., Value], inputs: Sequence[Value], x: Value, eps: float
) -> Any:
    original = x.data
    try:
        if not is_batch(original):
            x.data = original + eps
            up = _output(f, inputs)
            x.data = original - eps
            down = _output(f, inputs)
            return (up - down) / (2 * eps)
        numeric = np.zeros_like(original)
        for i in range(original.size):
            x.data = _nudged(original, i, eps)
            up = _output(f, inputs)
            x.data = _nudged(original, i, -eps)
            down = _output(f, inputs)
            numeric.flat[i] = (up - down) / (2 * eps)
        return numeric
    finally:
        x.data = original
