r"""The op table: every op's forward value and local derivatives, in one place.

An op is one :class:`~autograd.record.Op` record (see :mod:`autograd.record`
for its fields). Its ``rule`` takes the *data* of the op's inputs (floats, or
numpy arrays) and returns

    (forward value, (∂out/∂input₁, ∂out/∂input₂, ...))

and the same record names the op, gives the symbol drawn in graphs, writes
the op with its inputs' names and each local derivative as a formula, says
what each input is to the op (its role), keeps the op's parameters and says
how a node of a batch becomes one sample's nodes. Rule, formulas and symbol
stand side by side, so the table can be read aloud in class and checked
line by line. This module knows nothing of :class:`~autograd.value.Value`: a
Value applies a record to its parents' data and keeps what the rule returns.

>>> out, local = OPS["mul"].rule(2.0, -3.0)
>>> out, local                     # ∂(a·b)/∂a = b,  ∂(a·b)/∂b = a
(-6.0, (-3.0, 2.0))
>>> OPS["mul"].formula(0, 2)
'∂(a·b)/∂a = b'
>>> OPS["sigmoid"].local_text(0, ("z",), "y"), OPS["sigmoid"].short_text(0, ("z",), "y")
('y·(1 − y)', 'σ′(z)')

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
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import Any

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
    superscript,
    value_at,
)
from autograd.layer_rules import (  # the rules of layer nodes
    MatrixLocal,
    column_per_sample,
    column_rule,
    cross_entropy_per_sample,
    cross_entropy_rule,
    linear_per_sample,
    linear_rule,
    mse_per_sample,
    mse_rule,
    patches_per_sample,
    patches_rule,
    reshape_per_sample,
    reshape_rule,
    to_channels_per_sample,
    to_channels_rule,
)
from autograd.record import (
    ATOM,
    KINDS,
    POWER,
    PRODUCT,
    SIGN,
    SUM,
    Mistakes,
    Op,
    Sample,
)

__all__ = [
    "KINDS",
    "OPS",
    "Data",
    "DomainError",
    "MatrixLocal",
    "Op",
    "is_batch",
    "op_for",
    "shape_text",
    "subscript",
]


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
            return np.maximum(x, 0.0), (np.greater(x, 0.0, out=np.empty(x.shape)),)
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


def vsum_rule(*datas: Data) -> Rule:
    r"""x₁ + x₂ + ... + xₙ as one node;  ∂/∂xᵢ = 1.

    Added one after another, left to right, for numbers and batches alike
    (``functools.reduce``, not ``sum``, which adds floats with extra
    precision from Python 3.12 on, and would make one number differ from a
    batch).
    """
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    return reduce(operator.add, datas), (1.0,) * len(datas)


def wsum_rule(*datas: Data) -> Rule:
    r"""Σᵢ wᵢ·xᵢ + b as one node;  ∂/∂wᵢ = xᵢ,  ∂/∂xᵢ = wᵢ,  ∂/∂b = 1.

    The data come in the parents' order (see :class:`WeightedSumTerms`): the
    weights, the inputs, then the bias if there is one; the local
    derivatives come in the same order. The products are added left to
    right, as :func:`vsum_rule` adds.
    """
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    n = len(datas) // 2
    w, x = datas[:n], datas[n : 2 * n]
    out = reduce(operator.add, map(operator.mul, w, x))
    ones: tuple[float, ...] = ()
    if len(datas) % 2:
        out = out + datas[-1]
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


class SumTerms:
    r"""Σ xᵢ: any number of terms, each a ``term``, each with ∂/∂xᵢ = 1."""

    roles: tuple[str, ...] = ("term",)

    def roles_of(self, count: int) -> tuple[str, ...]:
        return ("term",) * count

    def needs(self, count: int) -> tuple[int, ...]:
        return (SUM,) * count

    def write(self, names: Sequence[str]) -> str:
        return " + ".join(names) if len(names) <= 4 else f"Σ({len(names)} terms)"

    def local(self, position: int, names: Sequence[str]) -> str:
        return "1"

    def formula(self, position: int, count: int) -> str:
        return f"∂(Σxᵢ)/∂x{subscript(position + 1)} = 1"


class WeightedSumTerms:
    r"""Σᵢ wᵢ·xᵢ + b: the weights, then as many inputs, then the bias if any.

    >>> WeightedSumTerms().roles_of(5)
    ('weight', 'weight', 'input', 'input', 'bias')
    """

    roles: tuple[str, ...] = ("weight", "input", "bias")

    def roles_of(self, count: int) -> tuple[str, ...]:
        n = count // 2
        return ("weight",) * n + ("input",) * n + ("bias",) * (count % 2)

    def needs(self, count: int) -> tuple[int, ...]:
        return (*(PRODUCT,) * (2 * (count // 2)), *(SUM,) * (count % 2))

    def write(self, names: Sequence[str]) -> str:
        n = len(names) // 2
        terms = [f"{w}·{x}" for w, x in zip(names[:n], names[n : 2 * n])]
        if len(terms) > 3:
            terms = [terms[0], "...", terms[-1]]
        return " + ".join([*terms, *names[2 * n :]])

    def local(self, position: int, names: Sequence[str]) -> str:
        n = len(names) // 2
        if position < n:
            return names[n + position]  # ∂/∂wᵢ = xᵢ
        if position < 2 * n:
            return names[position - n]  # ∂/∂xᵢ = wᵢ
        return "1"

    def formula(self, position: int, count: int) -> str:
        n = count // 2
        k = subscript(position % n + 1) if position < 2 * n else ""
        if position < n:
            return f"∂(Σw·x+b)/∂w{k} = x{k}"
        if position < 2 * n:
            return f"∂(Σw·x+b)/∂x{k} = w{k}"
        return "∂(Σw·x+b)/∂b = 1"


# --- how a node of a batch becomes one sample's nodes ------------------------------


def _nodes(rep: Any) -> list[Any]:
    """A sample's nodes for a parent, as a flat list."""
    return list(rep.flat) if isinstance(rep, np.ndarray) else [rep]


def sum_per_sample(s: Sample) -> Any:
    r"""Σ over the batch, for one sample: Σ of that sample's numbers alone."""
    numbers = _nodes(s.parents[0])
    if len(numbers) == 1:
        return s.apply(s.node.op, (numbers[0],))
    return s.vsum(numbers)


def mean_per_sample(s: Sample) -> Any:
    r"""The mean over the batch, for one sample: the mean of its numbers alone."""
    numbers = _nodes(s.parents[0])
    if len(numbers) == 1:
        return s.apply(s.node.op, (numbers[0],))
    return s.vsum(numbers) * (1.0 / len(numbers))


# --- a power, written with its exponent --------------------------------------------


def _power_text(params: Mapping[str, Any]) -> dict[str, Any]:
    r"""A power aⁿ's fields for one exponent n: ``a²``, ``∂/∂a = 2·a``."""
    n = float(params["n"])
    shown = f"{n:g}"
    if n.is_integer():
        power, less = superscript(int(n)), superscript(int(n) - 1)
    else:
        power, less = f"^{_signed(n)}", f"^{_signed(n - 1.0)}"
    coefficient = _signed(n)
    if n == 0:
        local = short = "0"
    elif n == 1:
        local = short = "1"
    elif n == 2:
        local, short = "2·{0}", "2{0}"
    else:
        local = f"{coefficient}·{{0}}{less}"
        short = f"{'−' if n == -1 else coefficient}{{0}}{less}"
    return {
        "expression": f"{{0}}{power}",
        "derivatives": (local,),
        "short": (short,),
        "symbol": f"^{shown}",
        "micrograd": f"**{shown}",
    }


def _signed(x: float) -> str:
    text = f"{x:g}".replace("-", "−")
    return f"({text})" if x < 0 and not float(x).is_integer() else text


# --- the usual mistakes with the local derivatives (what practice names) -----------

Wrong = tuple[tuple[str, float], ...]


def own_value_mistake(kind: str) -> Mistakes:
    r"""The output taken for its own slope: σ(z) for σ′(z), tanh(z) for tanh′(z)."""

    def wrong(position: int, inputs: Sequence[float], out: float, params: Any) -> Wrong:
        return ((kind, out),)

    return wrong


def relu_mistakes(
    position: int, inputs: Sequence[float], out: float, params: Any
) -> Wrong:
    r"""ReLU′ taken as 1 where the input is negative (it is 0 there)."""
    return (("relu", 1.0),) if inputs[0] < 0 else ()


def sign_mistakes(
    position: int, inputs: Sequence[float], out: float, params: Any
) -> Wrong:
    r"""+1 for the −1 of what is subtracted (a − b, with respect to b) or negated."""
    return (("sign", 1.0),) if position == len(inputs) - 1 else ()


def factor_mistakes(
    position: int, inputs: Sequence[float], out: float, params: Any
) -> Wrong:
    r"""The wrong factor: ∂(a·b)/∂a is b, not a; ∂(Σ wᵢxᵢ)/∂wᵢ is xᵢ, not wᵢ."""
    if position < 2 * (len(inputs) // 2):  # a factor, not a weighted sum's bias
        return (("swap", inputs[position]),)
    return ()


def power_mistakes(
    position: int, inputs: Sequence[float], out: float, params: Any
) -> Wrong:
    r"""The power rule: n·aⁿ⁻¹ taken as aⁿ⁻¹ (the n forgotten) or aⁿ (the value):
    for a square, a or a² instead of 2a."""
    n, a = params["n"], inputs[0]
    if a == 0 and n < 1:
        return ()
    return (("power", a ** (n - 1)), ("power", out))


# --- the table --------------------------------------------------------------------

_UNARY = (POWER,)  # what −a, a² need of a: (−a)², −(a + b)

OPS: dict[str, Op] = {
    op.name: op
    for op in (
        # arithmetic
        Op("add", add, kind="arithmetic", symbol="+", micrograd="+",
           expression="{0} + {1}", precedence=SUM, operands=(SUM, SUM),
           derivatives=("1", "1"), roles=("term", "term"), textbook="{0}+{1}"),
        Op("sub", sub, kind="arithmetic", symbol="−", micrograd="-",
           expression="{0} − {1}", precedence=SUM, operands=(SUM, PRODUCT),
           derivatives=("1", "−1"), roles=("term", "subtracted"),
           textbook="{0}−{1}", mistakes=sign_mistakes),
        Op("mul", mul, kind="arithmetic", symbol="×", micrograd="*",
           expression="{0}·{1}", precedence=PRODUCT, operands=(PRODUCT, PRODUCT),
           derivatives=("{1}", "{0}"), roles=("factor", "factor"),
           textbook="{0}·{1}", mistakes=factor_mistakes),
        Op("div", div, kind="arithmetic", symbol="÷", micrograd="/",
           expression="{0} / {1}", precedence=PRODUCT, operands=(PRODUCT, SIGN),
           derivatives=("1/{1}", "−{0}/{1}²"), roles=("numerator", "denominator"),
           textbook="{0}/{1}"),
        Op("powv", pow_value, kind="arithmetic", symbol="^", micrograd="**",
           expression="{0}^{1}", precedence=POWER, operands=(ATOM, ATOM),
           derivatives=("{1}·{0}^({1} − 1)", "{0}^{1}·ln {0}"),
           roles=("base", "exponent")),
        Op("neg", neg, kind="arithmetic", symbol="−", micrograd="-",
           expression="−{0}", precedence=SIGN, operands=_UNARY, derivatives=("−1",),
           mistakes=sign_mistakes),
        Op("pow", pow_number, kind="arithmetic", symbol="^n", micrograd="**n",
           expression="{0}^{n}", precedence=POWER, operands=(ATOM,),
           derivatives=("{n}·{0}^({n} − 1)",), roles=("base",),
           params={"n": None}, specialise=_power_text, mistakes=power_mistakes),
        # functions and activations
        Op("exp", exp, derivatives=("exp({0})",)),
        Op("log", log, symbol="ln", expression="ln({0})", derivatives=("1/{0}",)),
        Op("tanh", tanh, kind="activation", derivatives=("1 − {out}²",),
           short=("tanh′({0})",), mistakes=own_value_mistake("tanh")),
        Op("sigmoid", sigmoid, kind="activation", symbol="σ", expression="σ({0})",
           derivatives=("{out}·(1 − {out})",), short=("σ′({0})",),
           mistakes=own_value_mistake("sigmoid")),
        Op("relu", relu, kind="activation", symbol="ReLU", micrograd="ReLU",
           expression="ReLU({0})", derivatives=("1 if {0} > 0 else 0",),
           short=("ReLU′({0})",), mistakes=relu_mistakes),
        Op("leaky_relu", leaky_relu, kind="activation", symbol="LReLU",
           micrograd="LeakyReLU", params={"slope": 0.01},
           derivatives=("1 if {0} > 0 else {slope}",), short=("LReLU′({0})",)),
        # sums
        Op("sum", batch_sum, kind="sum", symbol="Σᵢ", expression="Σᵢ {0}",
           precedence=SUM, operands=(ATOM,), derivatives=("1",),
           per_sample=sum_per_sample),
        Op("mean", batch_mean, kind="sum", derivatives=("1/n",),
           per_sample=mean_per_sample),
        Op("vsum", vsum_rule, kind="sum", symbol="Σ", micrograd="+",
           expression="Σ xᵢ", precedence=SUM, terms=SumTerms()),
        Op("wsum", wsum_rule, kind="sum", symbol="Σw·x+b", micrograd="+",
           expression="Σ wᵢ·xᵢ + b", precedence=SUM, terms=WeightedSumTerms(),
           mistakes=factor_mistakes),
        # layer nodes: a whole batch at once
        Op("linear", linear_rule, kind="layer", symbol="X·Wᵀ+b",
           expression="{1}·{0}ᵀ + {2}", precedence=SUM, operands=(ATOM, PRODUCT, SUM),
           derivatives=("{1}", "{0}", "1"), roles=("W", "X", "b"),
           letters="W X b", params={"copy_weights": True},
           per_sample=linear_per_sample),
        Op("column", column_rule, kind="shape", symbol="[:, j]", micrograd="[]",
           expression="{0}[:, {j}]", operands=(ATOM,), params={"j": None},
           derivatives=("1 at column {j}",), roles=("matrix",), letters="Z",
           per_sample=column_per_sample),
        Op("reshape", reshape_rule, kind="shape", micrograd="view",
           params={"shape": None}, derivatives=("1",),
           per_sample=reshape_per_sample),
        Op("patches", patches_rule, kind="shape", micrograd="unfold",
           params={"kernel": None, "stride": 1},
           derivatives=("1 for each patch",), roles=("images",),
           per_sample=patches_per_sample),
        Op("to_channels", to_channels_rule, kind="shape", symbol="to channels",
           micrograd="view", expression="channels({0})",
           params={"n": None, "rows": None, "columns": None},
           derivatives=("1",), per_sample=to_channels_per_sample),
        # fused losses
        Op("cross_entropy", cross_entropy_rule, kind="loss", symbol="CE",
           expression="cross_entropy({0}, {1})",
           derivatives=("(softmax({0}) − {1})/n", "−log softmax({0})/n"),
           roles=("prediction", "target"), letters="Z Y",
           per_sample=cross_entropy_per_sample),
        Op("mse", mse_rule, kind="loss", symbol="MSE", expression="mse({0}, {1})",
           derivatives=("2·({0} − {1})/N", "−2·({0} − {1})/N"),
           roles=("prediction", "target"), letters="O T",
           per_sample=mse_per_sample),
    )
}  # fmt: skip


def op_for(name: str) -> Op:
    r"""The :class:`Op` of a name as stored in ``Value.op``.

    A node's ``op`` is its record already (with its parameters), which is
    returned as it is; a name gives the table's record.

    >>> op_for("mul").symbol
    '×'
    """
    if isinstance(name, Op):
        return name
    try:
        return OPS[name]
    except KeyError:
        msg = f"no op named {name!r} in the op table; known ops: {', '.join(OPS)}."
        raise KeyError(msg) from None
