r"""The op table: every op's forward value and local derivatives, in one place.

An op is one :class:`Op` record. Its ``rule`` takes the *data* of the op's
inputs (floats, or numpy arrays) and returns

    (forward value, (∂out/∂input₁, ∂out/∂input₂, ...))

and the same record names the op, gives the symbol drawn in graphs, writes
the op with its inputs' names (``expression``) and writes each local
derivative as a formula (``derivatives``). Rule, formulas and symbol stand
side by side, so the table can be read aloud in class and checked line by
line. This module knows nothing of :class:`~autograd.value.Value`: a Value
applies a record to its parents' data and keeps what the rule returns.

>>> out, local = OPS["mul"].rule(2.0, -3.0)
>>> out, local                     # ∂(a·b)/∂a = b,  ∂(a·b)/∂b = a
(-6.0, (-3.0, 2.0))
>>> OPS["mul"].formula(0, 2)
'∂(a·b)/∂a = b'
>>> OPS["sigmoid"].local_text(0, ("z",), "y")
'y·(1 − y)'

Data is a Python ``float`` (one number), or a numpy array: a batch of
samples along the first axis (a 1-D column of a scalar graph, or the batch ×
units matrix of a layer node). Elementwise rules work for both; the layer
rules (``linear``, the fused losses, ``patches``) take arrays. A local
derivative is a float, an array of the output's shape (elementwise), or, for
a layer node, a :class:`MatrixLocal` or another small *local* object: the
chain rule multiplies it with the output's gradient, ``local * upstream``.

A rule that is given data outside its op's domain raises :class:`DomainError`
*before* any node exists, so a failed op never leaves half a node behind.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import TypeVar

import numpy as np

from autograd.data import (
    Data,
    DomainError,
    Rule,
    is_batch,
    paired,
    plain,
    same_shape,
    shape_text,
    subscript,
    value_at,
)
from autograd.layer_rules import (  # the rules of layer nodes
    column,
    cross_entropy,
    linear,
    mse,
    patches,
    reshape,
    to_channels,
)

__all__ = [
    "KINDS",
    "OPS",
    "Data",
    "DomainError",
    "Op",
    "is_batch",
    "op_for",
    "shape_text",
    "split_weighted_sum",
    "subscript",
]

T = TypeVar("T")

#: What an op is for, as the table groups them.
KINDS = ("arithmetic", "function", "activation", "sum", "layer", "loss")


# --- the record --------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    r"""One op: its name, how it is written and drawn, and its rule.

    - ``name`` is what ``Value.op`` stores; ``symbol`` is drawn in the op's
      node; ``micrograd`` is the symbol micrograd stores in ``_op``.
    - ``expression`` writes the op with its inputs: ``{0}``, ``{1}``, ... stand
      for the inputs' names (``"{0} × {1}"``).
    - ``derivatives`` writes ∂out/∂input for each input, with the same
      placeholders and ``{out}`` for the output's name (``("{1}", "{0}")``:
      ∂(a·b)/∂a = b, ∂(a·b)/∂b = a).
    - ``rule(*data, **params) -> (out, local derivatives)``.
    - ``kind`` is one of :data:`KINDS`: ``"activation"`` ops are the ones a
      neuron can use, ``"function"`` and ``"activation"`` ops the ones an
      expression can call by name; ``"layer"`` and ``"loss"`` ops work on
      whole batches (layer nodes).
    - ``arity`` is the number of inputs, ``None`` for any number (Σ);
      ``letters`` name the inputs in :meth:`formula`, and ``textbook``
      writes the op there when it differs from ``expression`` (``a·b``).
    """

    name: str
    symbol: str
    expression: str
    derivatives: tuple[str, ...]
    rule: Callable[..., Rule] = field(repr=False)
    micrograd: str
    kind: str
    arity: int | None = 1
    letters: str = "abc"
    textbook: str = ""  # the op in the derivative rules, if not as written

    def write(self, names: Sequence[str], out: str = "") -> str:
        """The op written with its inputs' names: ``x × w``."""
        if self.arity is None:
            return _write_many(self.name, names)
        return self.expression.format(*names, out=out)

    def local_text(self, position: int, names: Sequence[str], out: str) -> str:
        """∂out/∂(input ``position``) as a formula in the given names: ``w``."""
        if self.arity is None:
            return _many_local(self.name, position, names)
        return self.derivatives[position].format(*names, out=out)

    def formula(
        self, position: int, arity: int, letters: Sequence[str] | None = None
    ) -> str:
        r"""The textbook rule for one input, in letters: ``∂(a·b)/∂a = b``.

        ``letters`` replace the record's own (``u v``), so that a rule shown
        beside a graph never uses the letters of the graph's own names.
        """
        if self.arity is None:
            return _many_formula(self.name, position, arity)
        names = self.letters.split() if " " in self.letters else list(self.letters)
        if letters is not None and " " not in self.letters:
            names = list(letters) + names[len(letters) :]
        letters = names[: self.arity]
        written = self.write(letters)
        if self.textbook:
            written = self.textbook.format(*letters)
        head = written.split("(")[0]
        called = written.endswith(")") and head and " " not in head
        wrapped = written if called else f"({written})"
        local = self.local_text(position, letters, out=written)
        return f"∂{wrapped}/∂{letters[position]} = {local}"


# --- ops of any arity: Σ and the weighted sum --------------------------------------


def split_weighted_sum(parents: Sequence[T]) -> tuple[list[T], list[T], T | None]:
    r"""The parts of a weighted sum Σᵢ wᵢ·xᵢ + b: (weights, inputs, bias or None).

    A weighted sum keeps its parents (and their local derivatives) in this
    order: all the weights, then all the inputs, then the bias if it has one.
    This is the one place that order is read.

    >>> split_weighted_sum(["w1", "w2", "x1", "x2", "b"])
    (['w1', 'w2'], ['x1', 'x2'], 'b')
    """
    n = len(parents) // 2
    bias = parents[2 * n] if len(parents) % 2 else None
    return list(parents[:n]), list(parents[n : 2 * n]), bias


def _write_many(name: str, names: Sequence[str]) -> str:
    if name == "vsum":
        return " + ".join(names) if len(names) <= 4 else f"Σ({len(names)} terms)"
    weights, inputs, bias = split_weighted_sum(names)
    terms = [f"{w}·{x}" for w, x in zip(weights, inputs)]
    if len(terms) > 3:
        terms = [terms[0], "...", terms[-1]]
    if bias is not None:
        terms.append(bias)
    return " + ".join(terms)


def _role(position: int, arity: int) -> tuple[str, int]:
    """A weighted sum's parent at ``position``: ("w", i), ("x", i) or ("b", 0)."""
    weights, inputs, _ = split_weighted_sum(range(arity))
    if position in weights:
        return "w", position
    if position in inputs:
        return "x", position - len(weights)
    return "b", 0


def _many_local(name: str, position: int, names: Sequence[str]) -> str:
    if name == "vsum":
        return "1"
    role, i = _role(position, len(names))
    weights, inputs, _ = split_weighted_sum(names)
    if role == "w":
        return inputs[i]  # ∂/∂wᵢ = xᵢ
    if role == "x":
        return weights[i]  # ∂/∂xᵢ = wᵢ
    return "1"


def _many_formula(name: str, position: int, arity: int) -> str:
    if name == "vsum":
        return f"∂(Σxᵢ)/∂x{subscript(position + 1)} = 1"
    role, i = _role(position, arity)
    k = subscript(i + 1)
    if role == "w":
        return f"∂(Σw·x+b)/∂w{k} = x{k}"
    if role == "x":
        return f"∂(Σw·x+b)/∂x{k} = w{k}"
    return "∂(Σw·x+b)/∂b = 1"


# --- binary ops -----------------------------------------------------------------------

# One number and a batch must give the same number, to the last bit, for every
# op. + − × ÷ are the same IEEE operations on floats and in numpy; the
# functions (exp, log, tanh, powers) are not: Python's math module calls the C
# library and numpy its own vectorised code, and they differ in the last digit
# for a few inputs in a hundred. So one number is computed by numpy's own
# function too (np.tanh(x) on a float takes about 0.2 µs), and only the
# functions pay for it, never the arithmetic.

_exp, _log, _tanh, _power_ufunc = np.exp, np.log, np.tanh, np.power


def add(x: Data, y: Data) -> Rule:
    r"""a + b;  ∂/∂a = 1,  ∂/∂b = 1."""
    if type(x) is not float or type(y) is not float:  # a batch: same shapes
        x, y = paired(x, y)
    return x + y, (1.0, 1.0)


def sub(x: Data, y: Data) -> Rule:
    r"""a − b;  ∂/∂a = 1,  ∂/∂b = −1."""
    if type(x) is not float or type(y) is not float:  # a batch: same shapes
        x, y = paired(x, y)
    return x - y, (1.0, -1.0)


def mul(x: Data, y: Data) -> Rule:
    r"""a · b;  ∂/∂a = b,  ∂/∂b = a."""
    if type(x) is not float or type(y) is not float:  # a batch: same shapes
        x, y = paired(x, y)
    return x * y, (y, x)


def div(x: Data, y: Data) -> Rule:
    r"""a / b;  ∂/∂a = 1/b,  ∂/∂b = −a/b².

    −a/b² is computed as −(a/b)/b, so it neither overflows early nor loses its
    sign when b² alone would be 0 or infinite.
    """
    if type(x) is not float or type(y) is not float:  # a batch: same shapes
        x, y = paired(x, y)
    if type(y) is float:
        if y == 0.0:
            raise _division_by_zero(y, y == 0.0)
        if type(x) is float:  # floats: an overflow is inf, without a warning
            out = x / y
            return out, (1.0 / y, -out / y)
    elif np.any(y == 0):
        raise _division_by_zero(y, y == 0)
    with np.errstate(over="ignore", under="ignore"):
        out = x / y
        return out, (1.0 / y, -out / y)


def _division_by_zero(y: Data, zero: Data) -> DomainError:
    where, _ = value_at(y, zero)
    return DomainError(ZeroDivisionError, 1, f"division by zero: {{name}}{where} is 0.")


def pow_value(x: Data, y: Data) -> Rule:
    r"""a ** b for a positive base a;  ∂/∂a = b·a^(b−1),  ∂/∂b = a^b·ln a.

    ∂/∂a is 0 where b = 0 (a⁰ = 1 is flat), even where a^(b−1) overflows.
    """
    x, y = paired(x, y)
    if not (x > 0 if type(x) is float else np.all(x > 0)):
        where, value = value_at(x, ~(np.asarray(x) > 0))
        msg = (
            f"a ** b with a Value exponent needs a positive base, but "
            f"{{name}}{where} = {value}; use a number exponent for negative bases."
        )
        raise DomainError(ValueError, 0, msg)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        out = _power_of_each(x, y)
        slope = np.where(y == 0, 0.0, y * _power_of_each(x, y - 1.0))
        log_x = np.log(x)
    if type(x) is float and type(y) is float:  # arrays of one: back to a number
        one, one_slope = float(out[0]), float(slope[0])
        return one, (one_slope, one * float(log_x))
    return out, (slope, out * log_x)


def _power_of_each(x: Data, y: Data) -> np.ndarray:
    r"""x ** y with the exponent always a whole array (one number: an array of one).

    numpy takes exact shortcuts for a single exponent of 2, 0.5 or −1 (x·x,
    √x, 1/x) but its general power for an array of exponents: giving it an
    array every time makes a pair of numbers come out the same alone or in
    a batch.
    """
    shape = np.shape(x) if type(x) is not float else np.shape(y) or (1,)
    exponents = np.full(shape, y) if type(y) is float else np.ascontiguousarray(y)
    base = x if type(x) is float else np.ascontiguousarray(x)
    return np.power(base, exponents)


def _float_power(x: float, n: float) -> float:
    r"""x ** n for one number, by numpy as in a batch; an overflow gives ±inf.

    A quick ``|x| ** n`` in Python says whether numpy could overflow (or
    divide by zero); only then is numpy asked under ``errstate``, which costs
    more than the power itself.
    """
    try:
        quick = abs(x) ** n
    except (OverflowError, ZeroDivisionError):
        quick = math.inf
    if quick < 1e300:  # far from overflowing (and not nan)
        return float(_power_ufunc(x, n, dtype=float))
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return float(_power_ufunc(x, n, dtype=float))


# --- one input --------------------------------------------------------------------


def neg(x: Data) -> Rule:
    r"""−a;  ∂/∂a = −1."""
    if type(x) is not float:
        x = plain(x)
    return -x, (-1.0,)


def pow_number(x: Data, n: float) -> Rule:
    r"""a ** n for a plain number n;  ∂/∂a = n·a^(n−1).

    A zero base with a negative exponent is a division by zero; a negative
    base with a fractional exponent has no real value. An overflow gives ±inf
    with the sign of the true answer ((−10²⁰⁰)³ = −inf). n·a^(n−1) is 0
    everywhere for n = 0 (a⁰ = 1 is flat), and ±inf at a = ±0 for 0 < n < 1.
    a² is a·a and a⁻¹ is 1/a, exactly, for one number and a batch alike.
    """
    if type(x) is not float:
        x = plain(x)
    batch = type(x) is not float
    if n < 0 and (np.any(x == 0) if batch else x == 0):
        where, _ = value_at(x, np.asarray(x) == 0)
        msg = f"{{name}}{where} is 0 and cannot be raised to the power {n:g}."
        raise DomainError(ZeroDivisionError, 0, msg)
    if not float(n).is_integer() and (np.any(x < 0) if batch else x < 0):
        where, value = value_at(x, np.asarray(x) < 0)
        msg = (
            f"{{name}}{where} = {value} is negative and cannot be raised to the "
            f"fractional power {n:g}; use an integer exponent."
        )
        raise DomainError(ValueError, 0, msg)
    if batch:
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return _powers(x, n, np.power)
    return _powers(x, n, _float_power)


def _powers(x: Data, n: float, power: Callable[[Data, float], Data]) -> Rule:
    """(xⁿ, (n·xⁿ⁻¹,)) for one number or a batch, the same formulas for both."""
    if n == 2.0:  # the square of a loss: x·x is exact, and the fastest
        return x * x, (2.0 * x,)
    if n == -1.0:  # 1/x and −(1/x)/x, as a division computes them
        out = 1.0 / x
        return out, (-out / x,)
    out = power(x, n)
    if n == 0.0:
        return out, (0.0 * out,)  # flat: 0 everywhere (1 or an array of 1s)
    slope = n * power(x, n - 1.0)
    if 0.0 < n < 1.0:
        slope = _vertical_at_zero(x, slope)
    return out, (slope,)


def _vertical_at_zero(x: Data, slope: Data) -> Data:
    """n·xⁿ⁻¹ for 0 < n < 1, with ±inf at x = ±0: the sign of the zero, as PyTorch."""
    if type(x) is float:
        return math.copysign(math.inf, x) if x == 0 else slope
    zero = x == 0
    return np.where(zero, np.copysign(np.inf, x), slope) if zero.any() else slope


def exp(x: Data) -> Rule:
    r"""eᵃ;  ∂/∂a = eᵃ (the derivative is the answer itself). Huge a gives inf."""
    if type(x) is not float:
        x = plain(x)
        if type(x) is not float:
            with np.errstate(over="ignore"):
                out = np.exp(x)
            return out, (out,)
    if x < 709.0:  # far from overflowing
        out = float(_exp(x))
    else:
        with np.errstate(over="ignore"):
            out = float(_exp(x))
    return out, (out,)


def log(x: Data) -> Rule:
    r"""ln a for a > 0;  ∂/∂a = 1/a."""
    if type(x) is not float:
        x = plain(x)
    if not (x > 0 if type(x) is float else np.all(x > 0)):
        where, value = value_at(x, ~(np.asarray(x) > 0))
        if value == "nan":
            msg = (
                f"log got nan: {{name}}{where} is nan, so something before it has "
                "already failed (an overflow, or nan in the data)."
            )
            raise DomainError(FloatingPointError, 0, msg)
        msg = (
            f"log needs a positive input, but {{name}}{where} = {value}; make sure "
            "it is above 0."
        )
        raise DomainError(ValueError, 0, msg)
    if type(x) is float:
        return float(_log(x)), (1.0 / x,)
    return np.log(x), (1.0 / x,)


def tanh(x: Data) -> Rule:
    r"""tanh a;  ∂/∂a = 1 − tanh²(a). Stable for any input."""
    if type(x) is not float:
        x = plain(x)
        if type(x) is not float:
            t = np.tanh(x)
            return t, (1.0 - t * t,)
    t = float(_tanh(x))
    return t, (1.0 - t * t,)


def sigmoid(x: Data) -> Rule:
    r"""σ(a) = 1 / (1 + e^(−a));  ∂/∂a = σ(a)·(1 − σ(a)).

    Computed as 1/(1 + e^(−a)) for a ≥ 0 and eᵃ/(1 + eᵃ) for a < 0, so the
    exponential never overflows, even for a = ±1000.
    """
    if type(x) is not float:
        x = plain(x)
    if type(x) is not float:
        e = np.exp(-np.abs(x))
        s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    elif x >= 0:
        s = 1.0 / (1.0 + float(_exp(-x)))
    elif x < 0:
        e = float(_exp(x))
        s = e / (1.0 + e)
    else:  # nan
        s = x
    return s, (s * (1.0 - s),)


def relu(x: Data) -> Rule:
    r"""max(0, a);  ∂/∂a = 1 if a > 0 else 0 (0 at the kink, as in PyTorch).

    nan stays nan (with a slope of 0).
    """
    if type(x) is not float:
        x = plain(x)
        if type(x) is not float:
            return np.maximum(x, 0.0), ((x > 0) * 1.0,)
    if x > 0:
        return x, (1.0,)
    if x <= 0:
        return 0.0, (0.0,)
    return x, (0.0,)  # nan stays nan; its slope is taken as 0, as for a batch


def leaky_relu(x: Data, slope: float = 0.01) -> Rule:
    r"""a if a > 0 else slope·a;  ∂/∂a = 1 if a > 0 else slope. nan stays nan."""
    if type(x) is not float:
        x = plain(x)
        if type(x) is not float:
            positive = x > 0
            return np.where(positive, x, slope * x), (np.where(positive, 1.0, slope),)
    if x > 0:
        return x, (1.0,)
    return slope * x, (slope,)  # nan stays nan (slope·nan), with the slope


def batch_sum(x: Data) -> Rule:
    r"""Σᵢ aᵢ over every element of a batch: one number;  ∂/∂aᵢ = 1."""
    if type(x) is not float:
        x = plain(x)
    return float(np.sum(x)), (1.0,)


def batch_mean(x: Data) -> Rule:
    r"""(1/n)·Σᵢ aᵢ over the n elements of a batch: one number;  ∂/∂aᵢ = 1/n."""
    if type(x) is not float:
        x = plain(x)
    n = x.size if type(x) is not float else 1
    return float(np.sum(x)) / n, (1.0 / n,)


# --- Σ and the weighted sum -------------------------------------------------------


def vsum(*datas: Data) -> Rule:
    r"""x₁ + x₂ + ... + xₙ as one node;  ∂/∂xᵢ = 1.

    Added one after another, left to right, for numbers and batches alike
    (``functools.reduce``, not ``sum``, which adds floats with extra
    precision from Python 3.12 on, and would make one number differ from a
    batch).
    """
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    return reduce(operator.add, datas), (1.0,) * len(datas)


def wsum(*datas: Data) -> Rule:
    r"""Σᵢ wᵢ·xᵢ + b as one node;  ∂/∂wᵢ = xᵢ,  ∂/∂xᵢ = wᵢ,  ∂/∂b = 1.

    The data come in the parents' order (see :func:`split_weighted_sum`):
    the weights, the inputs, then the bias if there is one; the local
    derivatives come in the same order. The products are added left to
    right, as :func:`vsum` adds.
    """
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    w, x, b = split_weighted_sum(datas)
    out = reduce(operator.add, map(operator.mul, w, x))
    ones: tuple[float, ...] = ()
    if b is not None:
        out = out + b
        ones = (1.0,)
    return out, (*x, *w, *ones)


def _same_shapes(datas: tuple[Data, ...]) -> tuple[Data, ...]:
    """The inputs of a Σ node, numbers as floats, every batch the same shape."""
    datas = tuple(plain(d, k) for k, d in enumerate(datas))
    first = next((d for d in datas if type(d) is not float), None)
    if first is not None:
        for d in datas:
            same_shape(first, d)
    return datas


# --- the table --------------------------------------------------------------------

OPS: dict[str, Op] = {
    op.name: op
    for op in (
        # arithmetic
        Op(
            "add",
            "+",
            "{0} + {1}",
            ("1", "1"),
            add,
            "+",
            "arithmetic",
            2,
            textbook="{0}+{1}",
        ),
        Op(
            "sub",
            "−",
            "{0} − {1}",
            ("1", "−1"),
            sub,
            "-",
            "arithmetic",
            2,
            textbook="{0}−{1}",
        ),
        Op(
            "mul",
            "×",
            "{0}·{1}",
            ("{1}", "{0}"),
            mul,
            "*",
            "arithmetic",
            2,
            textbook="{0}·{1}",
        ),
        Op(
            "div",
            "÷",
            "{0} / {1}",
            ("1/{1}", "−{0}/{1}²"),
            div,
            "/",
            "arithmetic",
            2,
            textbook="{0}/{1}",
        ),
        Op(
            "powv",
            "^",
            "{0}^{1}",
            ("{1}·{0}^({1} − 1)", "{0}^{1}·ln {0}"),
            pow_value,
            "**",
            "arithmetic",
            2,
            textbook="{0}^{1}",
        ),
        Op("neg", "−", "−{0}", ("−1",), neg, "-", "arithmetic"),
        Op("pow", "^n", "{0}^n", ("n·{0}^(n − 1)",), pow_number, "**n", "arithmetic"),
        # functions and activations
        Op("exp", "exp", "exp({0})", ("exp({0})",), exp, "exp", "function"),
        Op("log", "ln", "ln({0})", ("1/{0}",), log, "log", "function"),
        Op("tanh", "tanh", "tanh({0})", ("1 − {out}²",), tanh, "tanh", "activation"),
        Op(
            "sigmoid",
            "σ",
            "σ({0})",
            ("{out}·(1 − {out})",),
            sigmoid,
            "sigmoid",
            "activation",
        ),
        Op(
            "relu",
            "ReLU",
            "ReLU({0})",
            ("1 if {0} > 0 else 0",),
            relu,
            "ReLU",
            "activation",
        ),
        Op(
            "leaky_relu",
            "LReLU",
            "leaky_relu({0})",
            ("1 if {0} > 0 else slope",),
            leaky_relu,
            "LeakyReLU",
            "activation",
        ),
        # sums
        Op("sum", "Σᵢ", "Σᵢ {0}", ("1",), batch_sum, "sum", "sum"),
        Op("mean", "mean", "mean({0})", ("1/n",), batch_mean, "mean", "sum"),
        Op("vsum", "Σ", "Σ xᵢ", (), vsum, "+", "sum", None),
        Op("wsum", "Σw·x+b", "Σ wᵢ·xᵢ + b", (), wsum, "+", "sum", None),
        # layer nodes: a whole batch at once
        Op(
            "linear",
            "X·Wᵀ+b",
            "{1}·{0}ᵀ + {2}",
            ("{1}", "{0}", "1"),
            linear,
            "linear",
            "layer",
            3,
            "W X b",
        ),
        Op(
            "column",
            "[:, j]",
            "{0}[:, j]",
            ("1 at column j",),
            column,
            "[]",
            "layer",
            1,
            "Z",
        ),
        Op(
            "reshape",
            "reshape",
            "reshape({0})",
            ("1",),
            reshape,
            "view",
            "layer",
        ),
        Op(
            "patches",
            "patches",
            "patches({0})",
            ("1 for each patch",),
            patches,
            "unfold",
            "layer",
        ),
        Op(
            "to_channels",
            "to channels",
            "channels({0})",
            ("1",),
            to_channels,
            "view",
            "layer",
        ),
        # fused losses
        Op(
            "cross_entropy",
            "CE",
            "cross_entropy({0}, {1})",
            ("(softmax({0}) − {1})/n", "−log softmax({0})/n"),
            cross_entropy,
            "cross_entropy",
            "loss",
            2,
            "Z Y",
        ),
        Op(
            "mse",
            "MSE",
            "mse({0}, {1})",
            ("2·({0} − {1})/N", "−2·({0} − {1})/N"),
            mse,
            "mse",
            "loss",
            2,
            "O T",
        ),
    )
}


def op_for(name: str) -> Op:
    r"""The :class:`Op` of a name as stored in ``Value.op``.

    ``a ** n`` with a number exponent is stored as ``"**n"`` (``"**2"``), so
    the exponent stays visible in graphs and narration; its record is the
    ``pow`` record with n written in.

    >>> op_for("**2").formula(0, 1)
    '∂(a^2)/∂a = 2·a'
    >>> op_for("**0.5").formula(0, 1)
    '∂(a^0.5)/∂a = 0.5·a^-0.5'
    """
    if name.startswith("**"):
        return _power(name[2:])
    try:
        return OPS[name]
    except KeyError:
        msg = f"no op named {name!r} in the op table; known ops: {', '.join(OPS)}."
        raise KeyError(msg) from None


def _power(n: str) -> Op:
    """The record of a ** n for one number n, written with that n."""
    less = f"{float(n) - 1.0:g}"
    power = "{0}" if less == "1" else f"{{0}}^{less}"
    local = "1" if less == "0" else f"{n}·{power}"
    return Op(
        f"**{n}", f"^{n}", f"{{0}}^{n}", (local,), pow_number, f"**{n}", "arithmetic"
    )
