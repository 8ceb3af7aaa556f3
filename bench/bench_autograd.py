r"""Benchmark the engine: deep graphs, one graph per sample, memory over training.

    python bench/bench_autograd.py            # full sizes
    python bench/bench_autograd.py --quick    # small sizes, one round: does it run?

1. A chain of 1,000,000 scalar ops, y ← relu(y·w + x): build + backward in
   seconds (target: under 2 s) and the memory a built node holds
   (tracemalloc; target: at most 340 bytes per node). micrograd, if
   installed, for reference (its recursive backward needs a deep stack).
2. One forward + backward of MLP(2, [16, 16, 1]), ReLU, mean squared error
   over 100 moons samples, one scalar graph per sample, as micrograd must:
   chainrule against micrograd (``pip install micrograd``); target: at
   least 150× faster.
3. Memory over 200 training steps (8×8 digits, batches of 64; moons, one
   graph per sample): the growth of what Python holds from step 20 to step
   200 (target: under 20 MiB).

See bench/harness.py for the conditions (one BLAS thread, gc.freeze() after
the imports, interleaved rounds, medians).
"""

from __future__ import annotations

import argparse
import gc
import sys
import threading
import tracemalloc
from collections.abc import Callable

import harness  # before numpy: it pins the BLAS to one thread
import numpy as np

import nn
from autograd import Value

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:  # the peer is optional: `pip install micrograd`
    micrograd_engine = micrograd_nn = None


# --- 1. a deep chain ------------------------------------------------------------------


def chain(make: Callable[[float], object], n_ops: int) -> object:
    """y ← relu(y·w + x), repeated: three ops per round, n_ops in all."""
    x, w = make(0.5), make(0.9)
    y = x
    for _ in range(n_ops // 3):
        y = (y * w + x).relu()  # type: ignore[operator, attr-defined]
    return y


def chain_run(make: Callable[[float], object], n_ops: int) -> Callable[[], None]:
    def run() -> None:
        y = chain(make, n_ops)
        y.backward()  # type: ignore[attr-defined]

    return run


def bytes_per_node(make: Callable[[float], object], n_ops: int) -> float:
    """Memory held by a built chain, per node (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    y = chain(make, n_ops)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del y
    return held / n_ops


# --- 2. one graph per sample ----------------------------------------------------------


def moons(n: int = 100) -> tuple[list[list[float]], list[float]]:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=0.1, random_state=0)
    return X.tolist(), (2.0 * y - 1.0).tolist()


def chainrule_step(samples: list[list[float]], targets: list[float]) -> Callable:
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)

    def step() -> None:
        model.zero_grad()
        losses = [(model(s) - t) ** 2 for s, t in zip(samples, targets)]
        loss = losses[0]
        for term in losses[1:]:
            loss = loss + term
        (loss * (1.0 / len(samples))).backward()

    return step


def micrograd_step(samples: list[list[float]], targets: list[float]) -> Callable:
    assert micrograd_nn is not None
    model = micrograd_nn.MLP(2, [16, 16, 1])

    def step() -> None:
        model.zero_grad()
        losses = [(model(s) - t) ** 2 for s, t in zip(samples, targets)]
        (sum(losses) * (1.0 / len(losses))).backward()

    return step


# --- 3. memory over training ----------------------------------------------------------


def memory_growth(steps: int) -> dict[str, float]:
    """MiB that Python holds more after ``steps`` steps than after 20 (or 2)."""
    split = nn.data.digits()
    model = nn.MLP(64, [32, 10], seed=0)
    optimizer = nn.SGD(model, lr=0.1)
    rows = np.arange(64)

    def batched(k: int) -> None:
        X = split.X_train[(rows + 64 * k) % len(split.X_train)]
        y = split.y_train[(rows + 64 * k) % len(split.y_train)]
        optimizer.zero_grad()
        nn.cross_entropy(model(X), y).backward()
        optimizer.step()

    samples, targets = moons(20)
    per_sample_step = chainrule_step(samples, targets)
    growth = {}
    for name, step in (
        ("digits, batches of 64", batched),
        ("moons, a graph per sample", lambda k: per_sample_step()),
    ):
        early = min(20, steps // 10)
        tracemalloc.start()
        for k in range(steps):
            step(k)
            if k + 1 == early:
                gc.collect()
                start = tracemalloc.get_traced_memory()[0]
        gc.collect()
        growth[name] = (tracemalloc.get_traced_memory()[0] - start) / 2**20
        tracemalloc.stop()
    return growth


# --- the run --------------------------------------------------------------------------


def run(quick: bool, rounds: int, json_path: str | None) -> None:
    harness.settle()
    results = []

    n_ops = 30_000 if quick else 1_000_002
    contenders = {"chainrule": harness.timed(chain_run(Value, n_ops))}
    if micrograd_engine is not None:
        contenders["micrograd"] = harness.timed(
            chain_run(micrograd_engine.Value, n_ops)
        )
    times = harness.interleaved(contenders, rounds)
    memory = bytes_per_node(Value, min(n_ops, 30_000))
    results += harness.report(
        f"1. build + backward of a {n_ops:,}-op chain", times, [], unit=("s", 1.0)
    )
    seconds = float(np.median(times["chainrule"]))
    for name, value, limit, unit in (
        ("chain build + backward", seconds, 2.0 * n_ops / 1_000_002, "s"),
        ("memory per node", memory, 340.0, "bytes"),
    ):
        met = value <= limit
        print(f"  {name}: {value:,.2f} {unit} (target ≤ {limit:,.2f}): ", end="")
        print("met" if met else "NOT met")
        results.append({"target": name, "value": value, "met": met, "limit": limit})
    print()

    samples, targets = moons(100)
    contenders = {"chainrule": harness.timed(chainrule_step(samples, targets))}
    if micrograd_nn is not None:
        contenders["micrograd"] = harness.timed(micrograd_step(samples, targets))
    times = harness.interleaved(contenders, rounds, repeat=1 if quick else 3)
    results += harness.report(
        "2. MLP(2, [16, 16, 1]) forward + backward, 100 moons, a graph per sample",
        times,
        [
            harness.Target(
                "one graph per sample", "chainrule", "micrograd", at_least=150
            )
        ],
    )

    steps = 20 if quick else 200
    print(f"3. memory held from step {min(20, steps // 10)} to step {steps}")
    for name, mib in memory_growth(steps).items():
        met = mib < 20.0
        print(
            f"  {name}: {mib:+.2f} MiB (target < 20 MiB): {'met' if met else 'NOT met'}"
        )
        results.append({"target": f"memory, {name}", "value": mib, "met": met})
    harness.save_json(json_path, results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--json", help="also write the targets' results to this file")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    # micrograd's backward is recursive: give it room for a deep chain.
    sys.setrecursionlimit(10_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    worker = threading.Thread(target=run, args=(args.quick, rounds, args.json))
    worker.start()
    worker.join()


if __name__ == "__main__":
    main()
