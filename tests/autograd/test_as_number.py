"""A one-number Value as a number: ``item()``, ``float()`` and ``<``, as in PyTorch.

``==`` is not among them: Values are graph nodes, kept in sets and dicts, so
equality stays identity.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(finite)
def test_item_and_float_give_the_number_as_a_python_float(x):
    v = Value(x) * 1.0
    assert type(v.item()) is float and type(float(v)) is float
    assert v.item() == float(v) == x


@given(finite, finite)
def test_ordering_compares_the_numbers_and_returns_bools(a, b):
    va, vb = Value(a), Value(b)
    for got, want in (
        (va < b, a < b),
        (va <= b, a <= b),
        (va > b, a > b),
        (va >= b, a >= b),
        (va < vb, a < b),
        (b > va, b > a),  # reflected: float.__gt__ gives way to Value.__lt__
    ):
        assert type(got) is bool and got == want


def test_equality_stays_identity_so_values_live_in_sets_and_dicts():
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert len({a, b}) == 2 and {a: 1}[a] == 1
    assert (a < 0.5) is False and sorted([Value(3.0), a])[0] is a
    assert hash(a) == object.__hash__(a)  # the default: identity


def test_a_batch_is_not_one_number():
    batch = Value(np.array([1.0, 2.0]), "x")
    for convert in (Value.item, float):
        with pytest.raises(TypeError, match=r"'x' holds a batch of shape \(2,\)"):
            convert(batch)
    with pytest.raises(TypeError, match=r"read \.data for the array"):
        assert batch < 3.0


def test_comparing_with_something_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="compared with a number"):
        assert Value(1.0) < "2"
    assert Value(1.0) < np.float64(2.0)
