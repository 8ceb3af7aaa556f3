"""Python's cycle collector: paused while an op makes a node, never left changed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import numpy as np
import pytest

from autograd import Value, vsum, wsum


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection the collector runs (after a ``start()``)."""
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    was_enabled = gc.isenabled()
    gc.enable()
    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)
    if not was_enabled:
        gc.disable()


def start(collections: list[int]) -> None:
    """Count from here: nothing pending, nothing seen yet."""
    gc.collect()
    collections.clear()


def every_op(a: Value, b: Value) -> list[Value]:
    return [
        a + b, a - b, a * b, a / b, -a, a**2, a**b, 2.0 - a, 3.0 / b,
        a.exp(), b.log(), a.tanh(), a.sigmoid(), a.relu(), a.leaky_relu(0.1),
        vsum([a, b, a]), wsum([a, b], [1.0, 2.0], bias=b),
    ]  # fmt: skip


def test_building_a_graph_of_ops_sets_off_no_collection(collections):
    x, w = Value(0.5, "x"), Value(0.9, "w")
    y = x
    start(collections)
    for _ in range(20_000):  # 60,000 nodes: dozens of collections if unpaused
        y = (y * w + x).relu()
    during_the_build = len(collections)  # read before the test allocates anything
    y.backward()
    during_the_pass = len(collections) - during_the_build
    assert (during_the_build, during_the_pass) == (0, 0)
    assert gc.isenabled()
    assert x.grad > 0


class Cycle:
    """A reference cycle: only the collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_the_collector_runs_at_the_users_next_allocation_so_nothing_is_missed(
    collections,
):
    x = Value(1.0, "x")
    y = x
    start(collections)
    garbage = weakref.ref(Cycle())  # unreachable at once, left for the collector
    for _ in range(5_000):
        y = y * 1.0 + 0.0
    during_the_build = len(collections)
    still_there = garbage() is not None
    _ = [None]  # the user's own code allocates: the put-off collection runs
    assert (during_the_build, still_there) == (0, True)
    assert collections
    assert garbage() is None


def test_every_op_leaves_the_collector_as_it_found_it():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    was_enabled = gc.isenabled()
    try:
        gc.enable()
        every_op(a, b)
        assert gc.isenabled()
        gc.disable()  # the user's choice: the ops never switch it back on
        nodes = every_op(a, b)
        assert not gc.isenabled()
        vsum(nodes).backward()
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
    assert a.grad != 0.0


@pytest.mark.parametrize(
    "bad",
    [
        lambda a: a.log(),  # ln of a negative number
        lambda a: a + "three",
        lambda a: a * np.array(["two"]),  # an array of strings is no batch of numbers
        lambda a: a / 0.0,
        lambda a: a ** Value(2.0),  # a negative base with a Value exponent
    ],
)
def test_an_op_that_refuses_its_input_still_switches_the_collector_back_on(bad):
    a = Value(-2.0, "a")
    gc.enable()
    with pytest.raises((TypeError, ValueError, ZeroDivisionError)):
        bad(a)
    assert gc.isenabled()


def test_a_backward_pass_that_fails_switches_the_collector_back_on():
    class Broken(Value):
        __slots__ = ()

        def chain_rule(self) -> None:
            raise RuntimeError("a broken chain rule")

    a = Value(1.0, "a")
    node = Broken(2.0)
    node.parents, node.local_grads = (a,), (1.0,)
    gc.enable()
    with pytest.raises(RuntimeError, match="broken"):
        (node * 2.0).backward()
    assert gc.isenabled()
