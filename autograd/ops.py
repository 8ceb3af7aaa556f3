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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


def vsum(*datas: Data) -> Rule:
    r"""x₁ + x₂ + ... + xₙ as one node;  ∂/∂xᵢ = 1."""
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    return sum(datas), (1.0,) * len(datas)


def wsum(*datas: Data) -> Rule:
    r"""Σᵢ wᵢ·xᵢ + b as one node;  ∂/∂wᵢ = xᵢ,  ∂/∂xᵢ = wᵢ,  ∂/∂b = 1.

    The data come in the parents' order (see :func:`split_weighted_sum`):
    the weights, the inputs, then the bias if there is one; the local
    derivatives come in the same order.
    """
    if not all(type(d) is float for d in datas):
        datas = _same_shapes(datas)
    w, x, b = split_weighted_sum(datas)
    out = sum(map(_times, w, x))
    ones: tuple[float, ...] = ()
    if b is not None:
        out = out + b
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
