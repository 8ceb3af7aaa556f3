"""Numbers at the edges: overflow signs, nan, numpy scalars, huge path counts.

One number and a batch of one go through different code (``math`` and
Python floats, or numpy arrays); at every edge they must give the same
answer, and the answer PyTorch gives.
"""

from __future__ import annotations

import gc
import math
import tracemalloc
import warnings

import numpy as np
import pytest

import nn
from autograd import OPS, Value, explain, gradcheck, vsum, wsum, zero_grad
from autograd.explain import count_text

EDGES = [
    -1e308,
    -1e200,
    -1e3,
    -1.0,
    -1e-300,
    -0.0,
    0.0,
    1e-300,
    1e-3,
    1.0,
    2.5,
    1e3,
    1e200,
    1e308,
    math.inf,
    -math.inf,
    math.nan,
]
POWERS = (0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -0.5, 1.5)


def same(a, b):
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-15 * max(abs(a), abs(b))  # libm: 1 ulp


def outcome(rule, *args, **params):
    """(output, local derivatives) as plain floats, or the error's type."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            out, local = rule(*args, **params)
        except Exception as error:
            return type(error)
    first = lambda v: float(np.ravel(v)[0])  # noqa: E731
    return first(out), [first(np.broadcast_to(g, np.shape(out))) for g in local]


def agree(one, batch):
    if isinstance(one, type) or isinstance(batch, type):
        return one is batch
    return same(one[0], batch[0]) and all(map(same, one[1], batch[1]))


@pytest.mark.parametrize("name", ["neg", "exp", "log", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("x", EDGES)
def test_one_number_and_a_batch_of_one_agree_for_every_function(name, x):
    rule = OPS[name].rule
    assert agree(outcome(rule, x), outcome(rule, np.array([x]))), (name, x)


@pytest.mark.parametrize("n", POWERS)
@pytest.mark.parametrize("x", EDGES)
def test_one_number_and_a_batch_of_one_agree_for_powers(n, x):
    rule = OPS["pow"].rule
    assert agree(outcome(rule, x, n=n), outcome(rule, np.array([x]), n=n)), (x, n)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "powv"])
def test_one_number_and_a_batch_of_one_agree_for_arithmetic(name):
    rule = OPS[name].rule
    for x in EDGES:
        for y in EDGES:
            one, batch = (
                outcome(rule, x, y),
                outcome(rule, np.array([x]), np.array([y])),
            )
            assert agree(one, batch), (name, x, y, one, batch)


# --- overflow keeps its sign ----------------------------------------------------------


def test_a_power_that_overflows_keeps_the_sign_of_the_answer():
    assert (Value(-1e200) ** 3).data == -math.inf
    assert (Value(1e200) ** 3).data == math.inf
    assert (Value(-1e200) ** 2).data == math.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert (Value(np.array([-1e200])) ** 3).data[0] == -math.inf


def test_the_derivative_of_one_over_a_tiny_number_is_minus_infinity():
    for make in (lambda b: 1 / b, lambda b: b**-1, lambda b: Value(1.0) / b):
        b = Value(1e-300)
        make(b).backward()
        assert b.grad == -math.inf


def test_a_tiny_base_to_a_value_power_does_not_overflow_early():
    assert (Value(1e-300) ** Value(-1.0)).data == pytest.approx(1e300)


def test_x_to_the_power_zero_is_flat_at_zero_in_a_batch_too():
    x = Value(np.array([0.0, 2.0]))
    (x**0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    scalar = Value(0.0)
    (scalar**0).backward()
    assert scalar.grad == 0.0


# --- nan propagates -------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "sigmoid", "tanh"])
def test_nan_stays_nan_through_every_activation(activation):
    one = getattr(Value(math.nan), activation)()
    batch = getattr(Value(np.array([math.nan, 1.0])), activation)()
    assert math.isnan(one.data) and math.isnan(batch.data[0])


def test_a_model_fed_nan_returns_nan_not_a_finite_number():
    model = nn.MLP(2, [4, 1], seed=0)
    assert math.isnan(model([math.nan, 1.0]).data)
    assert np.isnan(model(np.array([[math.nan, 1.0]])).data).all()


# --- numpy scalars and ints written into .data are plain numbers ----------------------

NUMBERS = [np.float64(2.0), np.float32(2.0), np.int64(2), 2, np.array(2.0)]


@pytest.mark.parametrize("number", NUMBERS, ids=lambda n: type(n).__name__)
def test_a_number_of_any_type_written_into_data_acts_as_a_float(number):
    v = Value(1.0, "v")
    v.data = number  # what a hand-written update with numpy hands back
    assert v.batch_size is None and v.shape == ()
    y = (
        v * 3
        + v.exp()
        - v.relu()
        + (-v)
        + v.log()
        + v.tanh()
        + v.sigmoid()
        + v**2
        + v / 2
        + 2 / v
        + v.leaky_relu()
        + v ** Value(2.0)
        + vsum([v, v])
        + wsum([v], [v])
    )
    assert type(y.data) is float
    y.backward()
    assert type(v.grad) is float
    reference = Value(2.0)
    reference_y = (
        reference * 3
        + reference.exp()
        - reference.relu()
        + (-reference)
        + reference.log()
        + reference.tanh()
        + reference.sigmoid()
        + reference**2
        + reference / 2
        + 2 / reference
        + reference.leaky_relu()
        + reference ** Value(2.0)
        + vsum([reference, reference])
        + wsum([reference], [reference])
    )
    reference_y.backward()
    assert y.data == reference_y.data and v.grad == reference.grad
    zero_grad(y)
    assert v.grad == 0.0 and type(v.grad) is float
    assert "data=2," in repr(v)


def test_a_numpy_scalar_meeting_a_batch_gets_a_plain_float_gradient():
    w = Value(1.0)
    w.data = np.float64(0.5)
    x = Value(np.array([1.0, 2.0, 3.0]))
    (w * x).sum().backward()
    assert w.grad == 6.0 and type(w.grad) is float
    assert x.grad.tolist() == [0.5, 0.5, 0.5]


def test_a_numpy_scalar_in_data_passes_gradcheck_and_a_micrograd_update_loop():
    a = Value(1.0, "a")
    a.data = np.float64(0.3)
    assert gradcheck(lambda a: (a * a).tanh() + a.exp(), [a])
    for _ in range(3):  # micrograd's loop, with numpy doing the arithmetic
        loss = (a - 2.0) ** 2
        a.grad = 0
        loss.backward()
        a.data = a.data - np.float64(0.1) * a.grad
    assert type(loss.data) is float and 0.3 < float(a.data) < 2.0


def test_data_set_to_a_non_number_by_hand_is_a_clear_type_error():
    v = Value(1.0)
    v.data = "3"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"must be a number .* set by hand"):
        v * 2.0


# --- huge path counts -----------------------------------------------------------------


def test_a_path_count_of_thousands_of_digits_is_printed_in_scientific_form():
    x = Value(0.5, "x")
    y = x
    for _ in range(15000):  # a ladder of diamonds: 2**15000 paths, 4,516 digits
        y = y.tanh() + y.sigmoid()
    story = explain(y, x, limit=2)
    text = str(story)
    assert "about 2.8e4515 paths" in text
    assert "stopped after 2 of about 2.8e4515" in text
    z = x
    for _ in range(15000):  # one path, along 2**15000 edges
        z = z + z
    (path,) = explain(z, x, limit=2).paths
    assert "(along about 2.8e4515 edges:" in str(path)
    assert count_text(10**15 - 1) == "999,999,999,999,999"
    assert count_text(10**15) == "about 1.0e15"
    assert count_text(2**80) == "about 1.2e24"


# --- nothing big outlives the graph ---------------------------------------------------


def test_a_forward_only_pass_leaves_nothing_big_behind():
    model = nn.MLP(64, [32, 10], seed=0)
    X = np.random.default_rng(0).random((20_000, 64))
    gc.collect()
    tracemalloc.start()
    try:
        model(X[:10])  # warm up whatever is made once
        before = tracemalloc.get_traced_memory()[0]
        out = model(X)
        assert out.shape == (20_000, 10)
        del out
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after - before < 1_000_000  # the activations alone are ~7 MB
