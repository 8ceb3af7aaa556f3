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
from collections.abc import Mapping, Sequence
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
    zero = y == 0
    if np.any(zero):
        where, _ = value_at(y, zero)
        raise DomainError(
            ZeroDivisionError, 1, f"division by zero: {{name}}{where} is 0."
        )
    with np.errstate(over="ignore", under="ignore"):
        out = x / y
        return out, (1.0 / y, -out / y)


def pow_value(x: Data, y: Data) -> Rule:
    r"""a ** b for a positive base a;  ∂/∂a = b·a^(b−1),  ∂/∂b = a^b·ln a."""
    x, y = paired(x, y)
    bad = ~(np.asarray(x) > 0)
    if bad.any():
        where, value = value_at(x, bad)
        msg = (
            f"a ** b with a Value exponent needs a positive base, but "
            f"{{name}}{where} = {value}; use a number exponent for negative bases."
        )
        raise DomainError(ValueError, 0, msg)
    if is_batch(x) or is_batch(y):
        with np.errstate(over="ignore", under="ignore"):
            out = np.power(x, y)
            return out, (y * np.power(x, y - 1.0), out * np.log(x))
    out = _float_power(x, y)
    return out, (y * _float_power(x, y - 1.0), out * math.log(x))


def _float_power(x: float, n: float) -> float:
    r"""x ** n for floats, with an overflow giving ±inf (the sign of the answer).

    Python raises OverflowError where numpy gives ±inf; numpy's answer is the
    one a batch and PyTorch give, so it is taken here too.
    """
    try:
        return float(x**n)
    except OverflowError:
        with np.errstate(over="ignore"):
            return float(np.power(x, n))
    except ZeroDivisionError:
        return math.inf


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
    with the sign of the true answer ((−10²⁰⁰)³ = −inf). At a = 0,
    n·a^(n−1) is 0 for n = 0 (a⁰ = 1 is flat) and for n > 1.
    """
    integral = float(n).is_integer()
    if n < 0 and np.any(x == 0):
        where, _ = value_at(x, np.asarray(x) == 0)
        msg = f"{{name}}{where} is 0 and cannot be raised to the power {n:g}."
        raise DomainError(ZeroDivisionError, 0, msg)
    if not integral and np.any(np.asarray(x) < 0):
        where, value = value_at(x, np.asarray(x) < 0)
        msg = (
            f"{{name}}{where} = {value} is negative and cannot be raised to the "
            f"fractional power {n:g}; use an integer exponent."
        )
        raise DomainError(ValueError, 0, msg)
    if is_batch(x):
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            out = np.power(x, n)
            local = np.where(x == 0, _slope_at_zero(n), n * np.power(x, n - 1.0))
        return out, (local,)
    slope = _slope_at_zero(n) if x == 0 else n * _float_power(x, n - 1.0)
    return _float_power(x, n), (slope,)


def _slope_at_zero(n: float) -> float:
    """d(aⁿ)/da at a = 0: 0 for n = 0 or n > 1, 1 for n = 1, inf for 0 < n < 1."""
    if n == 0 or n > 1:
        return 0.0
    return 1.0 if n == 1 else math.inf


def exp(x: Data) -> Rule:
    r"""eᵃ;  ∂/∂a = eᵃ (the derivative is the answer itself). Huge a gives inf."""
    if is_batch(x):
        with np.errstate(over="ignore"):
            out = np.exp(x)
        return out, (out,)
    try:
        out = math.exp(x)
    except OverflowError:
        out = math.inf
    return out, (out,)


def log(x: Data) -> Rule:
    r"""ln a for a > 0;  ∂/∂a = 1/a."""
    bad = ~(np.asarray(x) > 0)
    if bad.any():
        where, value = value_at(x, bad)
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
    if is_batch(x):
        return np.log(x), (1.0 / x,)
    x = plain(x)
    return math.log(x), (1.0 / x,)


def tanh(x: Data) -> Rule:
    r"""tanh a;  ∂/∂a = 1 − tanh²(a). Stable for any input."""
    t = np.tanh(x) if is_batch(x) else math.tanh(x)
    return t, (1.0 - t * t,)


def sigmoid(x: Data) -> Rule:
    r"""σ(a) = 1 / (1 + e^(−a));  ∂/∂a = σ(a)·(1 − σ(a)).

    Computed as 1/(1 + e^(−a)) for a ≥ 0 and eᵃ/(1 + eᵃ) for a < 0, so the
    exponential never overflows, even for a = ±1000.
    """
    if is_batch(x):
        e = np.exp(-np.abs(x))
        s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    elif x >= 0:
        s = 1.0 / (1.0 + math.exp(-x))
    elif x < 0:
        e = math.exp(x)
        s = e / (1.0 + e)
    else:  # nan
        s = x
    return s, (s * (1.0 - s),)


def relu(x: Data) -> Rule:
    r"""max(0, a);  ∂/∂a = 1 if a > 0 else 0. nan stays nan (as in PyTorch)."""
    if type(x) is not float:
        if is_batch(x):
            return np.maximum(x, 0.0), ((x > 0) * 1.0,)
        x = plain(x)
    if x > 0:
        return x, (1.0,)
    if x <= 0:
        return 0.0, (0.0,)
    return x, (0.0,)  # nan stays nan; its slope is taken as 0, as PyTorch does


def leaky_relu(x: Data, slope: float = 0.01) -> Rule:
    r"""a if a > 0 else slope·a;  ∂/∂a = 1 if a > 0 else slope. nan stays nan."""
    if type(x) is not float:
        if is_batch(x):
            positive = x > 0
            return np.where(positive, x, slope * x), (np.where(positive, 1.0, slope),)
        x = plain(x)
    if x > 0:
        return x, (1.0,)
    return slope * x, (slope,)  # nan stays nan (slope·nan), with the slope


def batch_sum(x: Data) -> Rule:
    r"""Σᵢ aᵢ over every element of a batch: one number;  ∂/∂aᵢ = 1."""
    return float(np.sum(x)), (1.0,)


def batch_mean(x: Data) -> Rule:
    r"""(1/n)·Σᵢ aᵢ over the n elements of a batch: one number;  ∂/∂aᵢ = 1/n."""
    n = x.size if is_batch(x) else 1
    return float(np.sum(x)) / n, (1.0 / n,)


# --- Σ and the weighted sum -------------------------------------------------------


def vsum_rule(*datas: Data) -> Rule:
    r"""x₁ + x₂ + ... + xₙ as one node;  ∂/∂xᵢ = 1."""
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    return sum(datas), (1.0,) * len(datas)


def wsum_rule(*datas: Data) -> Rule:
    r"""Σᵢ wᵢ·xᵢ + b as one node;  ∂/∂wᵢ = xᵢ,  ∂/∂xᵢ = wᵢ,  ∂/∂b = 1.

    The data come in the parents' order (see :class:`WeightedSumTerms`): the
    weights, the inputs, then the bias if there is one; the local
    derivatives come in the same order.
    """
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    n = len(datas) // 2
    w, x = datas[:n], datas[n : 2 * n]
    out = sum(map(_times, w, x))
    ones: tuple[float, ...] = ()
    if len(datas) % 2:
        out = out + datas[-1]
        ones = (1.0,)
    return out, (*x, *w, *ones)


def _same_shapes(datas: tuple[Data, ...]) -> tuple[Data, ...]:
    """The inputs of a Σ node, numbers as floats, every batch the same shape."""
    datas = tuple(map(plain, datas))
    first = next((d for d in datas if is_batch(d)), None)
    if first is not None:
        for d in datas:
            same_shape(first, d)
    return datas


def _times(a: Data, b: Data) -> Data:
    return a * b


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
