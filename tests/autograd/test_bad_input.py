"""Bad input: clear errors of the right type, and no half-built nodes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import (
    Constant,
    ParameterArray,
    Value,
    backward_steps,
    explain,
    gradcheck,
    topological_order,
    vsum,
    wsum,
)


@pytest.mark.parametrize(
    "data",
    ["3", None, [1.0, 2.0], (1.0,), 1 + 2j, {"x": 1}, True],
    ids=["str", "None", "list", "tuple", "complex", "dict", "bool"],
)
def test_a_non_number_is_refused_with_a_type_error(data):
    with pytest.raises(TypeError, match=r"number .* or a numpy array"):
        Value(data)


def test_a_matrix_is_a_batch_of_rows():
    x = Value(np.ones((3, 2)))
    assert x.batch_size == 3 and x.shape == (3, 2) and x.grad.shape == (3, 2)


def test_a_list_error_says_how_to_make_a_batch():
    with pytest.raises(TypeError, match=r"numpy\.array"):
        Value([1.0, 2.0])


def test_an_array_of_strings_and_an_empty_batch_are_refused():
    with pytest.raises(TypeError):
        Value(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="empty batch"):
        Value(np.array([]))


def test_a_label_must_be_a_string():
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)  # type: ignore[arg-type]


def test_numbers_of_any_kind_are_stored_as_floats():
    assert type(Value(3).data) is float
    assert type(Value(np.float32(2.5)).data) is float
    assert type(Value(np.array(4.0)).data) is float
    batch = Value(np.array([1, 2, 3]))
    assert batch.data.dtype == float and batch.grad.dtype == float


def test_the_data_of_a_batch_is_copied():
    raw = np.array([1.0, 2.0])
    x = Value(raw)
    raw[0] = 99.0
    assert x.data[0] == 1.0


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_log_of_a_non_positive_number_names_the_node(bad):
    with pytest.raises(ValueError, match=r"'h' = .*above 0") as error:
        Value(bad, "h").log()
    assert f"{bad:.4g}" in str(error.value)


def test_log_of_a_batch_names_the_bad_element():
    with pytest.raises(ValueError, match=r"'h'\[2\] = -3"):
        Value(np.array([1.0, 2.0, -3.0]), "h").log()


def test_division_by_zero():
    a = Value(1.0, "a")
    with pytest.raises(ZeroDivisionError, match="'z'"):
        a / Value(0.0, "z")
    with pytest.raises(ZeroDivisionError):
        a / 0
    with pytest.raises(ZeroDivisionError):
        1.0 / Value(0.0)
    with pytest.raises(ZeroDivisionError, match=r"\[1\]"):
        a / Value(np.array([1.0, 0.0]), "d")
    with pytest.raises(ZeroDivisionError):
        Value(0.0) ** -2


def test_pow_with_a_value_exponent_needs_a_positive_base():
    with pytest.raises(ValueError, match="positive base"):
        Value(-2.0, "a") ** Value(2.0)
    with pytest.raises(ValueError, match="positive base"):
        Value(np.array([1.0, -1.0]), "a") ** Value(2.0)
    with pytest.raises(ValueError, match="fractional power"):
        Value(-8.0) ** 0.5
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** "2"  # type: ignore[operator]


def test_batches_of_different_lengths_give_both_lengths():
    a = Value(np.ones(3), "a")
    b = Value(np.ones(4), "b")
    for op in (lambda: a + b, lambda: a * b, lambda: vsum([a, b])):
        with pytest.raises(ValueError, match="3 and 4"):
            op()
    with pytest.raises(ValueError, match="3 and 4"):
        wsum([1.0, 1.0], [a, b])
    with pytest.raises(ValueError, match="3 and 4"):
        Value(np.full(3, 2.0)) ** Value(np.ones(4))


def test_wsum_needs_one_weight_per_input():
    with pytest.raises(ValueError, match="2 weights and 3 inputs"):
        wsum([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="at least one"):
        wsum([], [])
    with pytest.raises(ValueError, match="at least one"):
        vsum([])


def test_arithmetic_with_a_non_number_is_a_type_error():
    a = Value(1.0)
    for op in (lambda: a + "1", lambda: a * None, lambda: [1.0] - a):
        with pytest.raises(TypeError):
            op()


def test_a_failed_op_leaves_no_half_built_node():
    a = Value(-1.0, "a")
    b = a * 2.0
    parents_before = b.parents
    for bad in (lambda: b.log(), lambda: b / 0, lambda: b ** Value(0.5)):
        with pytest.raises((ValueError, ZeroDivisionError)):
            bad()
    assert b.parents == parents_before
    assert [n.label or n.op for n in topological_order(b)] == ["a", "", "mul"]
    b.backward()
    assert a.grad == 2.0


def test_a_batch_of_one_never_broadcasts_against_a_longer_batch():
    one = Value(np.array([2.0]), "one")
    three = Value(np.ones(3), "three")
    message = "batch lengths differ: 1 and 3; every batched value"
    for op in (
        lambda: one + three,
        lambda: one - three,
        lambda: one * three,
        lambda: one / three,
        lambda: one ** Value(np.ones(3)),
        lambda: vsum([one, three]),
        lambda: wsum([one], [three]),
        lambda: wsum([1.0, 1.0], [one, three]),
    ):
        with pytest.raises(ValueError, match=message):
            op()
    assert three.grad.tolist() == [0.0, 0.0, 0.0]  # nothing was half done


def test_leaky_relu_needs_a_finite_number_for_its_slope():
    with pytest.raises(TypeError, match=r"slope must be a number .* not str 'a'"):
        Value(1.0).leaky_relu("a")  # type: ignore[arg-type]
    for bad in (math.nan, math.inf):
        with pytest.raises(ValueError, match="slope must be a finite number"):
            Value(1.0).leaky_relu(bad)


def test_the_teaching_tools_refuse_what_is_not_a_value():
    with pytest.raises(TypeError, match="root of explain must be a Value"):
        explain(1.0, Value(2.0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"wrt .* must be a Value"):
        explain(Value(1.0), "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="limit must be a whole number"):
        explain(Value(1.0), Value(1.0), limit=2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="backward_steps needs the Value at the end"):
        backward_steps(3.0)  # type: ignore[arg-type]


def test_gradcheck_says_what_it_needs():
    a = Value(1.0, "a")
    with pytest.raises(TypeError, match=r"input 0 must be a Value, not float"):
        gradcheck(lambda a: a * 2, [1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda a: 2.0, [a])  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="list of Values"):
        gradcheck(lambda a: a, a)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="is a Constant"):
        gradcheck(lambda c: c * 2, [Constant(1.0, "c")])
    with pytest.raises(TypeError, match="must be a function"):
        gradcheck(3, [a])  # type: ignore[arg-type]
    for bad in (0.0, -1e-6, math.nan):
        with pytest.raises(ValueError, match="eps must be positive"):
            gradcheck(lambda a: a, [a], eps=bad)
    with pytest.raises(TypeError, match="tol must be a number"):
        gradcheck(lambda a: a, [a], tol="small")  # type: ignore[arg-type]
    assert a.grad == 0.0 and a.data == 1.0  # nothing was nudged


def test_an_int_too_large_for_a_float_is_a_clear_overflow_error():
    huge = 10**400
    for op in (
        lambda: Value(huge),
        lambda: Value(2.0) * huge,
        lambda: huge - Value(2.0),
        lambda: Value(2.0) ** huge,
    ):
        with pytest.raises(OverflowError, match=r"too large for a float .*1\.8e308"):
            op()
    W = ParameterArray([[1.0]], "W")
    with pytest.raises(OverflowError, match="too large for a float"):
        W.element(0, 0).data = huge
    assert W.data.tolist() == [[1.0]]


def test_numbers_of_every_kind_beyond_a_float_are_a_clear_overflow_error():
    from fractions import Fraction

    huge = Fraction(10**400, 1)
    for op in (
        lambda: Value(huge),
        lambda: Value(2.0) * huge,
        lambda: Value(2.0) ** huge,
        lambda: Value(-1.0).leaky_relu(10**400),
        lambda: Value(-1.0).leaky_relu(huge),
        lambda: gradcheck(lambda a: a, [Value(1.0)], eps=10**400),
    ):
        with pytest.raises(OverflowError, match=r"too large for a float .*1\.8e308"):
            op()


def test_data_set_by_hand_beyond_a_float_is_refused_by_exp_too():
    v = Value(1.0, "v")
    v.data = 10**400
    with pytest.raises(OverflowError, match="the data of 'v' is a number too large"):
        v * 2
    with pytest.raises(OverflowError, match="the data of 'v' is a number too large"):
        v.exp()  # once silently inf
