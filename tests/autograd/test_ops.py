"""Every op in the table, checked against central differences with Hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import OPS, Value, gradcheck, op_for, vsum, wsum

# Inputs away from the places where an op has no derivative (ReLU at 0) or no
# value (log at 0), and small enough that central differences stay accurate.
anywhere = st.floats(-3, 3, allow_nan=False)
positive = st.floats(0.2, 3, allow_nan=False)
away_from_zero = anywhere.filter(lambda x: abs(x) > 1e-2)

# name -> (how many inputs, input strategy, the function of those inputs)
UNARY = {
    "neg": (anywhere, lambda a: -a),
    "exp": (anywhere, lambda a: a.exp()),
    "log": (positive, lambda a: a.log()),
    "tanh": (anywhere, lambda a: a.tanh()),
    "sigmoid": (anywhere, lambda a: a.sigmoid()),
    "relu": (away_from_zero, lambda a: a.relu()),
    "leaky_relu": (away_from_zero, lambda a: a.leaky_relu(0.1)),
    "square": (anywhere, lambda a: a**2),
    "cube": (anywhere, lambda a: a**3),
    "sqrt": (positive, lambda a: a**0.5),
    "reciprocal": (away_from_zero, lambda a: a**-1),
    "sum": (anywhere, lambda a: a.sum()),
    "mean": (anywhere, lambda a: a.mean()),
}
BINARY = {
    "add": (anywhere, anywhere, lambda a, b: a + b),
    "sub": (anywhere, anywhere, lambda a, b: a - b),
    "mul": (anywhere, anywhere, lambda a, b: a * b),
    "div": (anywhere, away_from_zero, lambda a, b: a / b),
    "powv": (positive, st.floats(-2, 2), lambda a, b: a**b),
    "radd": (anywhere, anywhere, lambda a, b: 2.5 + a + b),
    "rsub": (anywhere, anywhere, lambda a, b: 2.5 - a * b),
    "rmul": (anywhere, anywhere, lambda a, b: 2.5 * a * b),
    "rdiv": (away_from_zero, anywhere, lambda a, b: b * (2.5 / a)),
    "rpow": (st.floats(-2, 2), anywhere, lambda a, b: 1.5**a + b),
}


def check(f, *datas, tol=1e-5):
    inputs = [Value(d, label=f"in{k}") for k, d in enumerate(datas)]
    report = gradcheck(f, inputs, tol=tol)
    assert report, str(report)


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_unary_op_matches_central_differences(name, data):
    strategy, f = UNARY[name]
    check(f, data.draw(strategy))


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_binary_op_matches_central_differences(name, data):
    left, right, f = BINARY[name]
    check(f, data.draw(left), data.draw(right))


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_unary_op_on_a_batch(name, data):
    strategy, f = UNARY[name]
    batch = np.array(data.draw(st.lists(strategy, min_size=1, max_size=5)))
    check(f, batch)


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=15, deadline=None)
@given(data=st.data(), size=st.integers(1, 5))
def test_binary_op_on_batches(name, data, size):
    left, right, f = BINARY[name]
    a = np.array(data.draw(st.lists(left, min_size=size, max_size=size)))
    b = np.array(data.draw(st.lists(right, min_size=size, max_size=size)))
    check(f, a, b)
    # a scalar meeting a batch: its gradient is summed over the batch
    check(f, a, float(b[0]))


@settings(max_examples=40, deadline=None)
@given(st.lists(anywhere, min_size=1, max_size=6))
def test_vsum_matches_central_differences(xs):
    check(lambda *v: vsum(v), *xs)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.data(), st.booleans())
def test_wsum_matches_central_differences(n, data, with_bias):
    numbers = data.draw(st.lists(anywhere, min_size=2 * n + 1, max_size=2 * n + 1))
    if with_bias:
        check(lambda *v: wsum(v[:n], v[n : 2 * n], v[-1]), *numbers)
    else:
        check(lambda *v: wsum(v[:n], v[n:]), *numbers[: 2 * n])


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_batched_wsum_matches_central_differences(n, size, data):
    batch = st.lists(anywhere, min_size=size, max_size=size).map(np.array)
    weights = [data.draw(anywhere) for _ in range(n)]
    inputs = [data.draw(batch) for _ in range(n)]
    check(lambda *v: wsum(v[:n], v[n : 2 * n], v[-1]), *weights, *inputs, 0.3)


def test_wsum_is_one_node_with_the_textbook_local_derivatives():
    w = [Value(0.5, "w1"), Value(-2.0, "w2")]
    x = [Value(3.0, "x1"), Value(4.0, "x2")]
    b = Value(1.0, "b")
    z = wsum(w, x, b)
    assert z.op == "wsum"
    assert z.parents == (*w, *x, b)
    assert z.local_grads == (3.0, 4.0, 0.5, -2.0, 1.0)
    assert z.data == 0.5 * 3 - 2 * 4 + 1
    assert all(p.is_leaf for p in z.parents)


def test_vsum_is_one_node():
    xs = [Value(float(k)) for k in range(10)]
    total = vsum(xs)
    assert total.op == "vsum" and total.parents == tuple(xs)
    assert total.data == 45.0
    assert total.local_grads == (1.0,) * 10


def test_every_op_in_the_table_has_a_symbol_and_a_formula_per_parent():
    for name, op in OPS.items():
        assert op.symbol and op.expression and op.micrograd, name
        arity = op.arity or 5
        for position in range(arity):
            formula = op.formula(position, arity)
            assert formula.startswith("∂"), (name, formula)
            assert "{" not in formula, (name, formula)


def test_pow_keeps_its_exponent_on_the_node_and_writes_it():
    a = Value(3.0)
    square, inverse = a**2, a**-1
    assert square.op == "pow" and square.op.params == {"n": 2.0}
    assert inverse.op.params == {"n": -1.0} and inverse._op == "**-1"
    assert op_for(square.op).formula(0, 1) == "∂(a²)/∂a = 2·a"
    assert OPS["pow"].bind(n=0.5).formula(0, 1) == "∂(a^0.5)/∂a = 0.5·a^(−0.5)"
    assert OPS["pow"].formula(0, 1) == "∂(a^n)/∂a = n·a^(n − 1)"


@pytest.mark.parametrize("x", [1000.0, -1000.0, 1e308, -1e308])
def test_sigmoid_and_tanh_do_not_overflow(x):
    s, t = Value(x).sigmoid(), Value(x).tanh()
    expected = 1.0 if x > 0 else 0.0
    assert s.data == expected and t.data == math.copysign(1.0, x)
    assert s.local_grads == (0.0,) and t.local_grads == (0.0,)
    batch = Value(np.array([x, -x, 0.0]))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.allclose(batch.sigmoid().data, [expected, 1 - expected, 0.5])
        assert np.allclose(batch.tanh().data, [np.sign(x), -np.sign(x), 0.0])


def test_exp_of_a_huge_number_is_inf_not_an_exception():
    assert Value(1000.0).exp().data == math.inf
    assert np.isinf(Value(np.array([1000.0, 0.0])).exp().data[0])
    assert Value(-1000.0).exp().data == 0.0


def test_relu_and_leaky_relu_local_derivatives():
    assert Value(2.0).relu().local_grads == (1.0,)
    assert Value(-2.0).relu().local_grads == (0.0,)
    assert Value(-2.0).relu().data == 0.0
    leaky = Value(-2.0).leaky_relu()
    assert leaky.data == pytest.approx(-0.02) and leaky.local_grads == (0.01,)
    assert Value(3.0).leaky_relu(0.2).local_grads == (1.0,)


def test_subtraction_and_division_are_one_node_each():
    a, b = Value(6.0, "a"), Value(3.0, "b")
    difference = a - b
    assert difference.op == "sub" and difference.parents == (a, b)
    assert difference.local_grads == (1.0, -1.0)
    quotient = a / b
    assert quotient.op == "div" and quotient.parents == (a, b)
    assert quotient.data == 2.0
    assert quotient.local_grads == pytest.approx((1 / 3, -6 / 9))  # 1/b, −a/b²
    assert (a / 4).data == 1.5 and (12 / b).data == 4.0
    assert (2 - a).op == "sub" and (2 - a).data == -4.0
    assert (2**b).op == "powv" and (2**b).data == 8.0


def test_arithmetic_with_a_numpy_array_on_the_left_gives_a_value():
    x = Value(np.array([1.0, 2.0]))
    for result in (np.array([1.0, 1.0]) + x, np.array([2.0, 2.0]) * x):
        assert isinstance(result, Value)
    assert np.array_equal((np.array([3.0, 3.0]) - x).data, [2.0, 1.0])


def test_each_method_applies_its_record_in_the_table_and_keeps_its_math():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    for method, name in (
        (a.__add__, "add"), (a.__sub__, "sub"), (a.__mul__, "mul"),
        (a.__truediv__, "div"),
    ):  # fmt: skip
        node = method(b)
        data, local_grads = OPS[name].rule(2.0, -3.0)
        assert (node.op, node.data, node.local_grads) == (name, data, local_grads)
        assert node.parents == (a, b)
    for name in ("neg", "exp", "log", "tanh", "sigmoid", "relu"):
        node = -a if name == "neg" else getattr(a, name)()
        data, local_grads = OPS[name].rule(2.0)
        assert (node.op, node.data, node.local_grads, node.parents) == (
            name, data, local_grads, (a,)
        )  # fmt: skip
