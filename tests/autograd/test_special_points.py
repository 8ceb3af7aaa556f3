"""Every op at its special points: alone and in a batch, central differences, PyTorch.

- One number and a batch go through different code (Python floats, or
  numpy arrays); for every op, on thousands of values and at every special
  point (0, ±1, domain edges, huge, tiny, nan, inf), they give the same
  number to the last bit, value and gradient alike.
- Where an op is smooth, its gradient matches central differences; at a
  kink (ReLU at 0) it is one of the one-sided slopes, PyTorch's.
- Values and gradients match PyTorch's (float64) at the special points.
"""

from __future__ import annotations

import math
import struct
import warnings
from collections.abc import Callable

import numpy as np
import pytest

from autograd import Value, gradcheck, vsum, wsum

EDGES = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    2.0,
    -2.0,
    1e-300,
    -1e-300,
    5e-324,
    -5e-324,
    1e-8,
    -1e-8,
    19.0,
    -19.03083265287891,  # tanh: a single gradient of 2.2e-16 where a batch gave 0
    0.8813735870195432,  # tanh: …477 alone, …476 in a batch
    36.5,
    -36.5,
    709.7,
    709.8,
    -745.2,
    -746.0,
    1e3,
    -1e3,
    1e200,
    -1e200,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    math.inf,
    -math.inf,
    math.nan,
]


def many_values(seed: int = 0) -> list[float]:
    """The edges, and thousands of numbers of every size and sign."""
    rng = np.random.default_rng(seed)
    magnitudes = np.exp(rng.uniform(-700, 700, 1500))
    signs = rng.choice([-1.0, 1.0], 1500)
    return [
        *EDGES,
        *rng.normal(0.0, 3.0, 1500).tolist(),
        *rng.uniform(-800.0, 800.0, 500).tolist(),
        *(signs * magnitudes).tolist(),
    ]


def bits(x: float) -> int | str:
    """The number's 64 bits (any nan counts as one value)."""
    return "nan" if math.isnan(x) else struct.unpack("<q", struct.pack("<d", x))[0]


def outcome(f: Callable[..., Value], *datas: float) -> tuple | type:
    """(value, gradients) of f on single numbers, or the type of error it raises."""
    inputs = [Value(d) for d in datas]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a single number warns no more than a batch
        try:
            out = f(*inputs)
        except (ValueError, ZeroDivisionError, FloatingPointError) as error:
            return type(error)
        out.backward()
    return (bits(out.data), *(bits(v.grad) for v in inputs))


def batch_outcomes(f: Callable[..., Value], *columns: np.ndarray) -> list[tuple]:
    """The same, elementwise, for one op on whole batches."""
    inputs = [Value(np.array(c)) for c in columns]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = f(*inputs)
        out.backward(np.ones(out.data.shape))  # each element's own gradient
    rows = zip(out.data.tolist(), *(v.grad.tolist() for v in inputs))
    return [tuple(bits(x) for x in row) for row in rows]


def power(n: float) -> Callable[[Value], Value]:
    return lambda a: a**n


def torch_power(n: float) -> Callable:
    return lambda t, torch: t**n


def on_one(f: Callable[[Value], Value]) -> Callable[[Value, Value], Value]:
    return lambda v, other: f(v)


def swapped(f: Callable[[Value, Value], Value]) -> Callable[[Value, Value], Value]:
    return lambda v, other: f(other, v)


UNARY: dict[str, Callable[[Value], Value]] = {
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "leaky_relu": lambda a: a.leaky_relu(0.1),
    "leaky_relu 0.3": lambda a: a.leaky_relu(0.3),
    **{
        f"**{n:g}": power(n)
        for n in (0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -0.5, 1.5, 2.5, 1 / 3, 10.0)
    },
}

BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "powv": lambda a, b: a**b,
    "vsum": lambda a, b: vsum([a, b, a]),
    "wsum": lambda a, b: wsum([a, b], [b, a], bias=a),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_one_number_and_a_batch_give_the_same_bits_for_every_function(name):
    f = UNARY[name]
    values = many_values()
    alone = [outcome(f, x) for x in values]
    fine = [k for k, result in enumerate(alone) if isinstance(result, tuple)]
    batch = batch_outcomes(f, np.array(values)[fine])
    differ = [
        (values[k], alone[k], got) for k, got in zip(fine, batch) if alone[k] != got
    ]
    assert differ == [], f"{len(differ)} of {len(fine)} differ, first: {differ[:3]}"
    for k, result in enumerate(alone):  # a number refused alone is refused in a batch
        if not isinstance(result, tuple):
            with pytest.raises(result):
                f(Value(np.array([1.0, values[k]])))


@pytest.mark.parametrize("name", list(BINARY))
def test_one_number_and_a_batch_give_the_same_bits_for_every_two_input_op(name):
    f = BINARY[name]
    rng = np.random.default_rng(1)
    values = many_values(2)
    pairs = [(x, y) for x in EDGES for y in EDGES]
    pairs += list(zip(rng.choice(values, 3000), rng.choice(values, 3000)))
    alone = [outcome(f, x, y) for x, y in pairs]
    fine = [k for k, result in enumerate(alone) if isinstance(result, tuple)]
    left, right = (np.array([pairs[k][i] for k in fine]) for i in (0, 1))
    batch = batch_outcomes(f, left, right)
    differ = [
        (pairs[k], alone[k], got) for k, got in zip(fine, batch) if alone[k] != got
    ]
    assert differ == [], f"{len(differ)} of {len(fine)} differ, first: {differ[:3]}"


def test_the_two_numbers_of_the_issue():
    x = -19.03083265287891
    alone, batch = Value(x), Value(np.array([x, 0.0]))
    alone.tanh().backward()
    batch.tanh().backward(np.ones(2))
    assert alone.grad == batch.grad[0]
    assert Value(0.8813735870195432).tanh().data == np.tanh(0.8813735870195432)


# --- central differences at the special points ------------------------------------

# name -> (the function, points where it is smooth and finite nearby)
SMOOTH: dict[str, tuple[Callable[..., Value], list[tuple[float, ...]]]] = {
    "exp": (lambda a: a.exp(), [(0.0,), (1.0,), (-1.0,), (-30.0,), (30.0,)]),
    "log": (lambda a: a.log(), [(1.0,), (1e-3,), (0.5,), (1e3,)]),
    "tanh": (lambda a: a.tanh(), [(0.0,), (1.0,), (-1.0,), (5.0,), (-5.0,)]),
    "sigmoid": (lambda a: a.sigmoid(), [(0.0,), (1.0,), (-1.0,), (8.0,), (-8.0,)]),
    "relu": (lambda a: a.relu(), [(1.0,), (-1.0,), (1e-3,), (-1e-3,)]),
    "leaky_relu": (lambda a: a.leaky_relu(0.1), [(1.0,), (-1.0,), (-1e-3,)]),
    "square": (lambda a: a**2, [(0.0,), (1.0,), (-1.0,)]),
    "cube": (lambda a: a**3, [(0.0,), (1.0,), (-1.0,)]),
    "power 1.5": (lambda a: a**1.5, [(1.0,), (1e-4,)]),  # 0: a domain edge
    "power 0": (lambda a: a**0, [(0.0,), (1.0,), (-1.0,)]),
    "power 1": (lambda a: a**1, [(0.0,), (1.0,), (-1.0,)]),
    "sqrt": (lambda a: a**0.5, [(1.0,), (1e-3,)]),
    "reciprocal": (lambda a: a**-1, [(1.0,), (-1.0,), (1e-2,)]),
    "div": (lambda a, b: a / b, [(0.0, 1.0), (1.0, -1.0), (-1.0, 1e-2), (0.0, -1.0)]),
    "powv": (lambda a, b: a**b, [(1.0, 0.0), (1.0, 2.0), (2.0, 0.0), (1e-2, -1.0)]),
    "mul": (lambda a, b: a * b, [(0.0, 0.0), (1.0, -1.0)]),
}


@pytest.mark.parametrize("name", list(SMOOTH))
def test_every_op_at_its_special_points_matches_central_differences(name):
    f, points = SMOOTH[name]
    for point in points:
        inputs = [Value(x, f"x{k}") for k, x in enumerate(point)]
        report = gradcheck(f, inputs, eps=1e-7 * max(1e-3, *map(abs, point)), tol=1e-5)
        assert report, (name, point, str(report))


@pytest.mark.parametrize(
    ("f", "right_slope", "left_slope"),
    [
        (lambda a: a.relu(), 1.0, 0.0),
        (lambda a: a.leaky_relu(0.1), 1.0, 0.1),
        (lambda a: a**1, 1.0, 1.0),
    ],
)
def test_at_a_kink_the_gradient_is_one_of_the_one_sided_slopes(
    f, right_slope, left_slope
):
    x = Value(0.0)
    f(x).backward()
    h = 1e-8
    right = (f(Value(h)).data - f(Value(0.0)).data) / h
    left = (f(Value(0.0)).data - f(Value(-h)).data) / h
    assert right == pytest.approx(right_slope) and left == pytest.approx(left_slope)
    assert x.grad in (right, left)


# --- PyTorch at the special points -----------------------------------------------


def close(ours: float, theirs: float, near: float = 0.0) -> bool:
    """Equal, both nan, or within 4 units in the last place (libraries differ).

    ``near`` allows an absolute error too: 1 − tanh²(x) and σ(1 − σ) are
    computed from the output, which is rounded near ±1 (tanh 19 is 1.0 in
    numpy, 1 − 2⁻⁵³ in PyTorch), so they are within a few ulp of 1 there.
    """
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    if math.isinf(ours) or math.isinf(theirs):
        return ours == theirs
    return abs(ours - theirs) <= max(4 * math.ulp(max(abs(ours), abs(theirs))), near)


TORCH_UNARY: dict[str, tuple[Callable, Callable, list[float]]] = {
    "exp": (lambda a: a.exp(), lambda t, torch: t.exp(), EDGES),
    "log": (lambda a: a.log(), lambda t, torch: t.log(), [x for x in EDGES if x > 0]),
    "tanh": (lambda a: a.tanh(), lambda t, torch: t.tanh(), EDGES),
    "sigmoid": (lambda a: a.sigmoid(), lambda t, torch: t.sigmoid(), EDGES),
    "relu": (lambda a: a.relu(), lambda t, torch: t.relu(), EDGES),
    "leaky_relu": (
        lambda a: a.leaky_relu(0.1),
        lambda t, torch: torch.nn.functional.leaky_relu(t, 0.1),
        EDGES,
    ),
    "neg": (lambda a: -a, lambda t, torch: -t, EDGES),
    **{
        f"**{n:g}": (
            power(n),
            torch_power(n),
            [x for x in EDGES if (x >= 0 or float(n).is_integer()) and (x or n >= 0)],
        )
        for n in (0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, 1.5, 2.5)
    },
}


@pytest.mark.parametrize("name", list(TORCH_UNARY))
def test_every_function_at_its_special_points_matches_pytorch(name):
    torch = pytest.importorskip("torch")
    ours_f, torch_f, points = TORCH_UNARY[name]
    wrong = []
    for x in points:
        a = Value(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            y = ours_f(a)
        y.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out = torch_f(t, torch)
        out.backward()
        value, grad = out.item(), t.grad.item()
        value_ok = close(y.data, value)
        near = 4 * math.ulp(1.0) if name in ("tanh", "sigmoid") else 0.0
        grad_ok = math.isnan(x) or close(a.grad, grad, near)  # nan: a convention
        if not (value_ok and grad_ok):
            wrong.append((x, (y.data, a.grad), (value, grad)))
    assert wrong == []


TORCH_BINARY: dict[str, tuple[Callable, Callable, Callable]] = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, lambda x, y: True),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, lambda x, y: True),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, lambda x, y: True),
    "div": (lambda a, b: a / b, lambda a, b: a / b, lambda x, y: y != 0),
    "powv": (lambda a, b: a**b, lambda a, b: a**b, lambda x, y: x > 0),
}


@pytest.mark.parametrize("name", list(TORCH_BINARY))
def test_every_two_input_op_at_its_special_points_matches_pytorch(name):
    torch = pytest.importorskip("torch")
    ours_f, torch_f, defined = TORCH_BINARY[name]
    points = [x for x in EDGES if not math.isnan(x)]
    wrong = []
    for x in points:
        for y in points:
            if not defined(x, y):
                continue
            a, b = Value(x), Value(y)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                out = ours_f(a, b)
            out.backward()
            ta = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            tb = torch.tensor(y, dtype=torch.float64, requires_grad=True)
            theirs = torch_f(ta, tb)
            theirs.backward()
            ours = (out.data, a.grad, b.grad)
            expected = (theirs.item(), ta.grad.item(), tb.grad.item())
            if not all(map(close, ours, expected)):
                wrong.append(((x, y), ours, expected))
    assert wrong == [], f"{len(wrong)} differ, first: {wrong[:4]}"


# --- .data set by hand: every op refuses the same things the same way -------------

EVERY_OP: dict[str, Callable[[Value, Value], Value]] = {
    **{name: on_one(f) for name, f in UNARY.items()},
    **{f"{name} (left)": f for name, f in BINARY.items()},
    **{f"{name} (right)": swapped(f) for name, f in BINARY.items()},
    "sum": lambda v, other: v.sum(),
    "mean": lambda v, other: v.mean(),
    "2 - v": lambda v, other: 2.0 - v,
    "2 / v": lambda v, other: 2.0 / v,
    "2 ** v": lambda v, other: 2.0**v,
}

NOT_NUMBERS = {
    "True": True,
    "numpy True": np.True_,
    "complex": 1 + 2j,
    "numpy complex": np.complex128(1j),
    "0-d complex array": np.array(1j),
    "str": "3",
    "bytes": b"3",
    "None": None,
    "complex batch": np.array([1 + 1j, 2.0]),
    "bool batch": np.array([True, False]),
    "str batch": np.array(["a", "b"]),
    "object batch": np.array([1.0, None], dtype=object),
    "list": [1.0, 2.0],
}


@pytest.mark.parametrize("bad", list(NOT_NUMBERS))
def test_data_set_by_hand_to_a_non_number_is_refused_alike_by_every_op(bad):
    messages = set()
    for name, f in EVERY_OP.items():
        v, other = Value(0.5, "v"), Value(0.5, "other")
        v.data = NOT_NUMBERS[bad]
        with pytest.raises(TypeError) as caught:
            f(v, other)
        messages.add(str(caught.value))
        assert "the data of 'v' must be a number or a numpy array of floats" in str(
            caught.value
        ), name
    assert len(messages) == 1, messages


@pytest.mark.parametrize("huge", [10**400, -(10**400)], ids=["+", "-"])
def test_data_set_by_hand_to_an_int_beyond_a_float_is_refused_alike_by_every_op(huge):
    for name, f in EVERY_OP.items():
        v, other = Value(0.5, "v"), Value(0.5, "other")
        v.data = huge
        with pytest.raises(
            OverflowError, match=r"the data of 'v' is a number too large"
        ):
            f(v, other)
        assert name


def test_numbers_of_other_kinds_set_by_hand_act_as_floats_in_every_op():
    for name, f in EVERY_OP.items():
        reference = f(Value(2.0), Value(0.5))
        for number in (2, np.int64(2), np.float32(2.0), np.array(2.0)):
            v = Value(0.5)
            v.data = number
            assert f(v, Value(0.5)).data == reference.data, (name, number)
        if name in ("sum", "mean"):
            continue  # these add the batch up
        batch = Value(np.array([2.0, 2.0]))
        batch.data = np.array([2, 2])  # an int array acts as an array of floats
        out = f(batch, Value(0.5))
        assert out.data.dtype == float and np.all(out.data == reference.data), name


def test_layer_nodes_refuse_data_set_by_hand_alike():
    from autograd import ParameterArray, column, linear, mean_squared_error

    def layer() -> tuple[ParameterArray, Value, ParameterArray]:
        W = ParameterArray(np.ones((2, 3)), "W")
        return W, Value(np.ones((4, 3)), "X"), ParameterArray(np.zeros(2), "b")

    for bad in (np.ones((4, 3)) * 1j, np.full((4, 3), True), np.full((4, 3), "a")):
        W, X, b = layer()
        X.data = bad
        with pytest.raises(TypeError, match="the data of 'X' must be a number"):
            linear(W, X, b)
        Z = linear(*layer())
        Z.data = bad[:, :2]
        with pytest.raises(TypeError, match="must be a number or a numpy array"):
            column(Z, 0)
        with pytest.raises(TypeError, match="must be a number or a numpy array"):
            mean_squared_error(Z, np.zeros((4, 2)))


@pytest.mark.parametrize("bad", [*NOT_NUMBERS, "huge int", "huger int"])
def test_a_node_whose_data_was_set_by_hand_still_has_a_repr(bad):
    v = Value(0.5, "v")
    v.data = {"huge int": 10**400, "huger int": 10**5000}.get(bad, NOT_NUMBERS.get(bad))
    assert repr(v).startswith("Value(label='v', data=")
