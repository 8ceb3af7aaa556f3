r"""The op table: every primitive's forward value and local derivatives.

Each op is one small function that takes its parent nodes and returns

    (forward value, (∂out/∂parent₁, ∂out/∂parent₂, ...))

and, right above it, one :class:`OpSpec` line that gives the op's name, the
symbol drawn in graphs, and the text of its derivative formulas. Forward value,
local derivatives and their formulas stand side by side, so the table can be
read aloud in class and checked line by line.

A value's ``data`` is a Python ``float`` or a 1-D ``numpy`` array (a batch).
Every rule below works for both: scalars take the ``math`` path, batches the
``numpy`` path, element by element.

Errors are raised *before* a node exists, so a failed op never leaves a
half-built node in a graph.

>>> from autograd import Value
>>> a, b = Value(2.0, "a"), Value(-3.0, "b")
>>> c = a * b
>>> c.data, c.local_grads          # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
(-6.0, (-3.0, 2.0))
>>> SPECS["mul"].formula(0, 2)
'∂(a·b)/∂a = b'
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.batched import stacked

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = [
    "SPECS",
    "Data",
    "OpSpec",
    "add",
    "batch_mean",
    "batch_sum",
    "exp",
    "leaky_relu",
    "log",
    "mul",
    "neg",
    "pow_number",
    "pow_value",
    "relu",
    "sigmoid",
    "spec_for",
    "tanh",
    "vsum",
    "wsum",
]

Data = Any  # a Python float, or a 1-D numpy array of floats (a batch)
Rule = tuple[Any, tuple[Any, ...]]  # (forward value, local derivatives)


@dataclass(frozen=True)
class OpSpec:
    r"""What the narration and the pictures need to know about one op.

    ``name`` is the string stored in ``Value.op``; ``symbol`` is drawn in the
    op's node in a graph; ``expression`` is the op written with its parents
    named a, b, ... ; ``formulas`` gives ∂out/∂parent for each parent, as text.
    """

    name: str
    symbol: str
    expression: str
    formulas: tuple[str, ...]

    def formula(self, position: int, arity: int) -> str:
        """The derivative formula of this op for the parent at ``position``."""
        if self.name == "wsum":
            return _wsum_formula(position, arity)
        if self.name == "vsum":
            return f"∂(Σxᵢ)/∂x{_sub(position + 1)} = 1"
        return self.formulas[position]


def _sub(number: int) -> str:
    """Write a non-negative integer with subscript digits: 12 -> '₁₂'."""
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _wsum_formula(position: int, arity: int) -> str:
    n = arity // 2
    if position < n:
        i = _sub(position + 1)
        return f"∂(Σw·x+b)/∂w{i} = x{i}"
    if position < 2 * n:
        i = _sub(position - n + 1)
        return f"∂(Σw·x+b)/∂x{i} = w{i}"
    return "∂(Σw·x+b)/∂b = 1"


# --- helpers shared by the rules ---------------------------------------------------


def is_batch(data: Data) -> bool:
    """True when ``data`` is a batch (a numpy array) rather than one float."""
    return type(data) is not float


def name_of(node: Value) -> str:
    """The node's label, or a description of it when it has none."""
    return repr(node.label) if node.label else f"an unlabelled {node.op or 'leaf'}"


def _lengths_error(x: Data, y: Data) -> ValueError:
    msg = (
        f"batch lengths differ: {len(x)} and {len(y)}; every batched value in "
        "one graph must hold the same number of samples."
    )
    return ValueError(msg)


_data = operator.attrgetter("data")


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


# --- binary ops -------------------------------------------------------------------

ADD = OpSpec("add", "+", "a + b", ("∂(a+b)/∂a = 1", "∂(a+b)/∂b = 1"))


def add(a: Value, b: Value) -> Rule:
    r"""a + b;  ∂/∂a = 1,  ∂/∂b = 1."""
    try:
        return a.data + b.data, (1.0, 1.0)
    except ValueError:
        raise _lengths_error(a.data, b.data) from None


MUL = OpSpec("mul", "×", "a · b", ("∂(a·b)/∂a = b", "∂(a·b)/∂b = a"))


def mul(a: Value, b: Value) -> Rule:
    r"""a · b;  ∂/∂a = b,  ∂/∂b = a."""
    x, y = a.data, b.data
    try:
        return x * y, (y, x)
    except ValueError:
        raise _lengths_error(x, y) from None


POW_VALUE = OpSpec(
    "powv",
    "^",
    "a ** b",
    ("∂(aᵇ)/∂a = b·aᵇ⁻¹", "∂(aᵇ)/∂b = aᵇ·ln a"),
)


def pow_value(a: Value, b: Value) -> Rule:
    r"""a ** b for a positive base a;  ∂/∂a = b·a^(b−1),  ∂/∂b = a^b·ln a."""
    x, y = a.data, b.data
    if is_batch(x):
        bad = ~(x > 0)
        if bad.any():
            i = _first_bad(bad)
            msg = (
                f"a ** b with a Value exponent needs a positive base, but "
                f"{name_of(a)}[{i}] = {x[i]:.4g}; use a number exponent for "
                "negative bases."
            )
            raise ValueError(msg)
    elif not x > 0:
        msg = (
            f"a ** b with a Value exponent needs a positive base, but "
            f"{name_of(a)} = {x:.4g}; use a number exponent for negative bases."
        )
        raise ValueError(msg)
    try:
        out = x**y
        log_x = np.log(x) if is_batch(x) else math.log(x)
        return out, (y * x ** (y - 1.0), out * log_x)
    except ValueError:
        raise _lengths_error(x, y) from None
    except OverflowError:
        return math.inf, (math.inf, math.inf)


# --- unary ops --------------------------------------------------------------------

NEG = OpSpec("neg", "−", "−a", ("∂(−a)/∂a = −1",))


def neg(a: Value) -> Rule:
    r"""−a;  ∂/∂a = −1."""
    return -a.data, (-1.0,)


POW = OpSpec("pow", "**n", "a ** n", ("∂(aⁿ)/∂a = n·aⁿ⁻¹",))


def pow_number(a: Value, n: float) -> Rule:
    r"""a ** n for a plain number n;  ∂/∂a = n·a^(n−1).

    A zero base with a negative exponent is a division by zero; a negative
    base with a fractional exponent has no real value.
    """
    x = a.data
    integral = float(n).is_integer()
    if is_batch(x):
        if n < 0 and (x == 0).any():
            i = _first_bad(x == 0)
            msg = f"{name_of(a)}[{i}] is 0 and cannot be raised to the power {n:g}."
            raise ZeroDivisionError(msg)
        if not integral and (x < 0).any():
            i = _first_bad(x < 0)
            msg = (
                f"{name_of(a)}[{i}] = {x[i]:.4g} is negative and cannot be raised "
                f"to the fractional power {n:g}; use an integer exponent."
            )
            raise ValueError(msg)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return x**n, (n * x ** (n - 1.0),)
    if x == 0 and n < 0:
        msg = f"{name_of(a)} is 0 and cannot be raised to the power {n:g}."
        raise ZeroDivisionError(msg)
    if x < 0 and not integral:
        msg = (
            f"{name_of(a)} = {x:.4g} is negative and cannot be raised to the "
            f"fractional power {n:g}; use an integer exponent."
        )
        raise ValueError(msg)
    try:
        out = x**n
    except OverflowError:
        out = math.inf
    if x == 0 and n < 1:
        return out, (math.inf if n != 0 else 0.0,)
    try:
        return out, (n * x ** (n - 1.0),)
    except OverflowError:
        return out, (math.inf,)


EXP = OpSpec("exp", "exp", "eᵃ", ("∂(eᵃ)/∂a = eᵃ",))


def exp(a: Value) -> Rule:
    r"""e^a;  ∂/∂a = e^a (the derivative is the answer itself).

    A huge input gives ``inf``, never an exception.
    """
    x = a.data
    if is_batch(x):
        with np.errstate(over="ignore"):
            out = np.exp(x)
        return out, (out,)
    try:
        out = math.exp(x)
    except OverflowError:
        out = math.inf
    return out, (out,)


LOG = OpSpec("log", "ln", "ln a", ("∂(ln a)/∂a = 1/a",))


def log(a: Value) -> Rule:
    r"""ln a for a > 0;  ∂/∂a = 1/a."""
    x = a.data
    if is_batch(x):
        bad = ~(x > 0)
        if bad.any():
            i = _first_bad(bad)
            msg = (
                f"log needs a positive input, but {name_of(a)}[{i}] = {x[i]:.4g}; "
                "make sure every element is above 0."
            )
            raise ValueError(msg)
        return np.log(x), (1.0 / x,)
    if not x > 0:
        msg = (
            f"log needs a positive input, but {name_of(a)} = {x:.4g}; make sure "
            "the value is above 0."
        )
        raise ValueError(msg)
    return math.log(x), (1.0 / x,)


TANH = OpSpec("tanh", "tanh", "tanh a", ("∂(tanh a)/∂a = 1 − tanh²a",))


def tanh(a: Value) -> Rule:
    r"""tanh a;  ∂/∂a = 1 − tanh²(a). Stable for any input."""
    x = a.data
    t = np.tanh(x) if is_batch(x) else math.tanh(x)
    return t, (1.0 - t * t,)


SIGMOID = OpSpec("sigmoid", "σ", "σ(a)", ("∂σ(a)/∂a = σ(a)·(1 − σ(a))",))


def sigmoid(a: Value) -> Rule:
    r"""σ(a) = 1 / (1 + e^(−a));  ∂/∂a = σ(a)·(1 − σ(a)).

    Computed as 1/(1 + e^(−a)) for a ≥ 0 and e^a/(1 + e^a) for a < 0, so the
    exponential never overflows, even for a = ±1000.
    """
    x = a.data
    if is_batch(x):
        e = np.exp(-np.abs(x))
        s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    elif x >= 0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        s = e / (1.0 + e)
    return s, (s * (1.0 - s),)


RELU = OpSpec("relu", "ReLU", "ReLU(a)", ("∂ReLU(a)/∂a = 1 if a > 0 else 0",))


def relu(a: Value) -> Rule:
    r"""max(0, a);  ∂/∂a = 1 if a > 0 else 0."""
    x = a.data
    if is_batch(x):
        positive = x > 0
        return np.where(positive, x, 0.0), (positive.astype(float),)
    if x > 0:
        return x, (1.0,)
    return 0.0, (0.0,)


LEAKY_RELU = OpSpec(
    "leaky_relu",
    "LReLU",
    "LeakyReLU(a)",
    ("∂LeakyReLU(a)/∂a = 1 if a > 0 else slope",),
)


def leaky_relu(a: Value, slope: float = 0.01) -> Rule:
    r"""a if a > 0 else slope·a;  ∂/∂a = 1 if a > 0 else slope."""
    x = a.data
    if is_batch(x):
        positive = x > 0
        return np.where(positive, x, slope * x), (np.where(positive, 1.0, slope),)
    if x > 0:
        return x, (1.0,)
    return slope * x, (float(slope),)


# --- batch reductions -------------------------------------------------------------

BATCH_SUM = OpSpec("sum", "Σᵢ", "Σᵢ aᵢ", ("∂(Σᵢaᵢ)/∂aᵢ = 1",))


def batch_sum(a: Value) -> Rule:
    r"""Σᵢ aᵢ over the batch: one scalar;  ∂/∂aᵢ = 1."""
    return float(np.sum(a.data)), (1.0,)


BATCH_MEAN = OpSpec("mean", "mean", "(1/n)·Σᵢ aᵢ", ("∂((1/n)Σᵢaᵢ)/∂aᵢ = 1/n",))


def batch_mean(a: Value) -> Rule:
    r"""(1/n)·Σᵢ aᵢ over a batch of n: one scalar;  ∂/∂aᵢ = 1/n."""
    x = a.data
    n = len(x) if is_batch(x) else 1
    return float(np.sum(x)) / n, (1.0 / n,)


# --- n-ary ops --------------------------------------------------------------------

VSUM = OpSpec("vsum", "Σ", "Σ xᵢ", ())


def vsum(values: Sequence[Value]) -> Rule:
    r"""x₁ + x₂ + ... + xₙ as one node;  ∂/∂xᵢ = 1."""
    datas = [v.data for v in values]
    if not any(is_batch(d) for d in datas):
        return float(sum(datas)), (1.0,) * len(datas)
    _same_lengths(datas)
    return sum(datas), (1.0,) * len(datas)


WSUM = OpSpec("wsum", "Σw·x+b", "Σ wᵢ·xᵢ + b", ())


def wsum(weights: Sequence[Value], inputs: Sequence[Value], bias: Value | None) -> Rule:
    r"""Σᵢ wᵢ·xᵢ + b as one node;  ∂/∂wᵢ = xᵢ,  ∂/∂xᵢ = wᵢ,  ∂/∂b = 1.

    The local derivatives come in the parents' order: all the weights, then
    all the inputs, then the bias (if there is one).
    """
    w = list(map(_data, weights))
    x = list(map(_data, inputs))
    b = 0.0 if bias is None else bias.data
    out = None
    if type(w[0]) is float and type(x[0]) is not float:
        # The layout of a layer fed a batch: one matrix product for all samples
        # (it fails, and the general sum below takes over, for any other layout).
        try:
            out = np.fromiter(w, dtype=float, count=len(w)) @ stacked(x) + b
        except (ValueError, TypeError):
            out = None
    if out is None:
        try:
            out = sum(map(operator.mul, w, x)) + b
        except ValueError:
            _same_lengths([*w, *x, b])
            raise
    ones = () if bias is None else (1.0,)
    return out, (*x, *w, *ones)


def _same_lengths(datas: Sequence[Data]) -> None:
    lengths = [len(d) for d in datas if is_batch(d)]
    if lengths and min(lengths) != max(lengths):
        first = lengths[0]
        other = next(n for n in lengths if n != first)
        msg = (
            f"batch lengths differ: {first} and {other}; every batched value in "
            "one graph must hold the same number of samples."
        )
        raise ValueError(msg)


# --- the table --------------------------------------------------------------------

SPECS: dict[str, OpSpec] = {
    spec.name: spec
    for spec in (
        ADD,
        MUL,
        NEG,
        POW,
        POW_VALUE,
        EXP,
        LOG,
        TANH,
        SIGMOID,
        RELU,
        LEAKY_RELU,
        BATCH_SUM,
        BATCH_MEAN,
        VSUM,
        WSUM,
    )
}


def spec_for(op: str) -> OpSpec:
    r"""The :class:`OpSpec` of an op name as stored in ``Value.op``.

    ``a ** n`` with a number exponent is stored as ``"**n"`` (as in ``"**2"``),
    so the exponent stays visible in graphs and narration.

    >>> spec_for("**2").formulas
    ('∂(a^2)/∂a = 2·a',)
    """
    if op.startswith("**"):
        n = op[2:]
        less = f"{float(n) - 1.0:g}"
        power = "a" if less == "1" else f"a^{less}"
        return OpSpec(op, f"^{n}", f"a^{n}", (f"∂(a^{n})/∂a = {n}·{power}",))
    try:
        return SPECS[op]
    except KeyError:
        msg = f"no op named {op!r} in the op table; known ops: {', '.join(SPECS)}."
        raise KeyError(msg) from None
