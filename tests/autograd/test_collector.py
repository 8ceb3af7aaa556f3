"""Python's cycle collector: paused while an op makes a node, never left changed."""

from __future__ import annotations

import gc
import signal
import sys
import threading
import time
import weakref
from collections.abc import Iterator

import numpy as np
import pytest

from autograd import Value, set_collector_pause, vsum, wsum


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
    assert during_the_build == 0
    _ = [None]  # the user's code allocates: the collection the ops put off runs
    collections.clear()
    y.backward()  # leaves the collector alone, and makes nothing it tracks
    during_the_pass = len(collections)
    assert during_the_pass == 0
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


# --- interrupts and threads: the collector is never left off --------------------------


def ops_and_backward(a: Value, b: Value, until: float) -> None:
    """Ops of every kind, over and over, and a backward pass now and then."""
    while time.perf_counter() < until:
        y = vsum(every_op(a, b))
        y = (y * a).tanh() ** 2
        y.backward()


def interrupted_runs(tries: int, seconds: float) -> tuple[int, int]:
    """Run ops until a timer interrupts them, ``tries`` times; count gc changes.

    The timer fires once per try, after a random 5–300 µs, and its handler
    raises KeyboardInterrupt wherever the main thread is (as Ctrl-C does);
    the loop catches it, as Jupyter does, and checks the collector. A try
    the timer missed (a busy machine) ends after 50 ms, the timer disarmed.
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    rng = np.random.default_rng(0)
    a, b = Value(0.5, "a"), Value(1.5, "b")
    user_choice = gc.isenabled()
    changed = done = 0
    deadline = time.perf_counter() + seconds
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        while done < tries and time.perf_counter() < deadline:
            try:
                signal.setitimer(signal.ITIMER_REAL, float(rng.uniform(5e-6, 3e-4)))
                ops_and_backward(a, b, until=time.perf_counter() + 0.05)
                signal.setitimer(signal.ITIMER_REAL, 0.0)  # late (a busy machine)
            except KeyboardInterrupt:
                done += 1
            if gc.isenabled() != user_choice:
                changed += 1
                gc.enable() if user_choice else gc.disable()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0)
        signal.signal(signal.SIGALRM, previous)
    return done, changed


needs_alarm = pytest.mark.skipif(
    not hasattr(signal, "setitimer"), reason="needs signal.setitimer (POSIX)"
)


# An interrupt that lands in a gc callback of another library (Hypothesis
# installs one) is swallowed by Python ("Exception ignored"): that try then
# ends by its time bound, and pytest's warning about it says nothing new.
@needs_alarm
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("user_choice", ["enabled", "disabled"])
def test_thousands_of_interrupts_at_random_points_leave_gc_as_the_user_left_it(
    user_choice,
):
    was_enabled = gc.isenabled()
    gc.enable() if user_choice == "enabled" else gc.disable()
    try:
        done, changed = interrupted_runs(tries=3000, seconds=6.0)
        found = gc.isenabled()
    finally:
        gc.enable() if was_enabled else gc.disable()
    assert done >= 1000  # enough interrupts landed to mean something
    assert (changed, found) == (0, user_choice == "enabled")


def build_and_backward_in_threads(
    threads: int, rounds: int, seconds: float
) -> list[BaseException]:
    """``threads`` threads, each doing ``rounds`` small ops (or as many as fit in
    ``seconds``), with a backward pass every 50, and every op of the table once
    in a while."""
    errors: list[BaseException] = []
    until = time.perf_counter() + seconds

    def work(seed: int) -> None:
        try:
            a, b = Value(0.1 * seed + 0.5, "a"), Value(1.5, "b")
            for k in range(rounds):
                y = (a * b).tanh()
                if k % 50 == 0:
                    y.backward()
                    if time.perf_counter() > until:
                        break
                if k % 1000 == 0:
                    vsum(every_op(a, b)).backward()
        except BaseException as error:  # reported by the test
            errors.append(error)

    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


@pytest.mark.parametrize("user_choice", ["enabled", "disabled"])
def test_threads_doing_ops_and_backward_leave_gc_as_the_user_left_it(user_choice):
    was_enabled, interval = gc.isenabled(), sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    left_changed = 0
    try:
        for _ in range(10):
            gc.enable() if user_choice == "enabled" else gc.disable()
            # a few tenths of a second at most, even on a busy machine, where
            # each switch between threads waits for the system to run one
            errors = build_and_backward_in_threads(
                threads=4, rounds=10_000, seconds=0.3
            )
            assert errors == []
            left_changed += gc.isenabled() != (user_choice == "enabled")
    finally:
        sys.setswitchinterval(interval)
        gc.enable() if was_enabled else gc.disable()
    assert left_changed == 0


def test_the_switch_turns_the_pause_off_and_back_on(collections):
    x, w = Value(0.5, "x"), Value(0.9, "w")
    previous = set_collector_pause(False)
    try:
        start(collections)
        y = x
        for _ in range(5_000):  # 15,000 nodes: collections run as they are due
            y = (y * w + x).relu()
        unpaused = len(collections)
    finally:
        assert set_collector_pause(previous) is False
    start(collections)
    for _ in range(5_000):
        y = (y * w + x).relu()
    assert (unpaused > 0, len(collections)) == (True, 0)
    assert previous is True


def test_the_switch_takes_true_or_false():
    with pytest.raises(TypeError, match="True or False"):
        set_collector_pause("off")  # type: ignore[arg-type]
