r"""Benchmark the engine against its peers, in one interleaved run.

    python bench/bench_autograd.py            # full sizes, 5 rounds
    python bench/bench_autograd.py --quick    # small sizes, to check it runs

Peers: the original ``micrograd`` (``pip install micrograd``), PyTorch if it is
installed, and, for the MLP, hand-written numpy. Every round runs every engine
once, in turn, so machine noise hits them alike; the best round of each is
reported, as a ratio against chainrule measured in the same run.

1. Build + backward of a long chain of scalar ops (µs per op, bytes per node).
2. One forward + backward of MLP(2, [16, 16, 1]) with ReLU and mean squared
   error over 100 two-feature samples (make_moons, noise 0.1): chainrule one
   graph per sample (as micrograd must) and one batched graph.
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from autograd import Value

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:  # the peer is optional: `pip install micrograd`
    micrograd_engine = micrograd_nn = None

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None


# --- 1. a chain of ops ------------------------------------------------------------


def chain(make: Callable[[float], object], n_ops: int) -> tuple[object, object]:
    """y ← relu(y·w + x), repeated: three ops per round, n_ops in all."""
    x, w = make(0.5), make(0.9)
    y = x
    for _ in range(n_ops // 3):
        y = (y * w + x).relu()  # type: ignore[operator, attr-defined]
    return y, x


def time_chain(make: Callable[[float], object], n_ops: int) -> float:
    """Seconds per op for building the chain and running backward once."""
    gc.collect()
    start = time.perf_counter()
    y, _ = chain(make, n_ops)
    y.backward()  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    del y
    gc.collect()
    return elapsed / n_ops


def bytes_per_node(make: Callable[[float], object], n_ops: int) -> float:
    """Memory held by a built chain, per node (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    y, _ = chain(make, n_ops)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del y
    gc.collect()
    return held / n_ops


def torch_scalar(x: float) -> object:
    assert torch is not None
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


# --- 2. an MLP on moons -----------------------------------------------------------


def moons(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=0.1, random_state=0)
    return X, 2.0 * y - 1.0


def chainrule_mlp_steps(X: np.ndarray, y: np.ndarray) -> dict[str, Callable[[], None]]:
    from nn import MLP

    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    samples = [list(map(float, row)) for row in X]
    targets = y.tolist()

    def per_sample() -> None:
        model.zero_grad()
        total = [
            (model(sample) - target) ** 2 for sample, target in zip(samples, targets)
        ]
        loss = total[0]
        for term in total[1:]:
            loss = loss + term
        (loss * (1.0 / len(samples))).backward()

    def batched() -> None:
        model.zero_grad()
        ((model(X) - y) ** 2).mean().backward()

    return {"chainrule per sample": per_sample, "chainrule batched": batched}


def micrograd_mlp_step(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    assert micrograd_nn is not None
    model = micrograd_nn.MLP(2, [16, 16, 1])
    samples = [list(map(float, row)) for row in X]
    targets = y.tolist()

    def step() -> None:
        model.zero_grad()
        losses = [(model(s) - t) ** 2 for s, t in zip(samples, targets)]
        loss = sum(losses) * (1.0 / len(losses))
        loss.backward()

    return step


def torch_mlp_step(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    assert torch is not None
    torch.set_num_threads(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 1),
    ).double()
    inputs = torch.tensor(X)
    targets = torch.tensor(y).unsqueeze(1)

    def step() -> None:
        model.zero_grad()
        loss = ((model(inputs) - targets) ** 2).mean()
        loss.backward()

    return step


def numpy_mlp_step(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    """Forward and backward written out by hand: the floor for this work."""
    rng = np.random.default_rng(0)
    W1, W2, W3 = (
        rng.uniform(-1, 1, (2, 16)),
        rng.uniform(-1, 1, (16, 16)),
        rng.uniform(-1, 1, (16, 1)),
    )
    b1, b2, b3 = np.zeros(16), np.zeros(16), np.zeros(1)
    t = y[:, None]

    def step() -> None:
        z1 = X @ W1 + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ W2 + b2
        h2 = np.maximum(z2, 0)
        out = h2 @ W3 + b3
        d_out = 2 * (out - t) / len(X)
        gW3, gb3 = h2.T @ d_out, d_out.sum(0)
        d2 = (d_out @ W3.T) * (z2 > 0)
        gW2, gb2 = h1.T @ d2, d2.sum(0)
        d1 = (d2 @ W2.T) * (z1 > 0)
        gW1, gb1 = X.T @ d1, d1.sum(0)
        del gW1, gb1, gW2, gb2, gW3, gb3

    return step


def best_time(step: Callable[[], None], min_seconds: float) -> float:
    """Seconds for one call: the best of enough calls to fill min_seconds."""
    step()  # warm up
    best = math.inf
    spent = 0.0
    calls = 0
    while spent < min_seconds or calls < 3:
        start = time.perf_counter()
        step()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        spent += elapsed
        calls += 1
    return best


# --- the run ----------------------------------------------------------------------


def run(quick: bool, rounds: int) -> None:
    n_ops = 3_000 if quick else 100_002
    chain_engines: dict[str, Callable[[float], object]] = {"chainrule": Value}
    if micrograd_engine is not None:
        chain_engines["micrograd"] = micrograd_engine.Value
    if torch is not None:
        chain_engines["pytorch (scalar tensors)"] = torch_scalar

    per_op: dict[str, float] = {name: math.inf for name in chain_engines}
    for _ in range(rounds):
        for name, make in chain_engines.items():
            per_op[name] = min(per_op[name], time_chain(make, n_ops))
    # tracemalloc sees Python's allocations only: PyTorch's own memory is invisible.
    memory = {
        name: bytes_per_node(make, min(n_ops, 30_000))
        for name, make in chain_engines.items()
        if not name.startswith("pytorch")
    }

    print(f"1. build + backward of a {n_ops:,}-op chain (best of {rounds} rounds)")
    print(f"   {'engine':<26}{'µs/op':>8}{'bytes/node':>12}{'chainrule is':>16}")
    for name in chain_engines:
        held = f"{memory[name]:,.0f}" if name in memory else "n/a"
        line = f"   {name:<26}{per_op[name] * 1e6:>8.2f}{held:>12}"
        if name != "chainrule":
            line += f"{per_op[name] / per_op['chainrule']:>14.1f}x faster"
        print(line)

    X, y = moons(100)
    steps = chainrule_mlp_steps(X, y)
    if micrograd_nn is not None:
        steps["micrograd (per sample)"] = micrograd_mlp_step(X, y)
    if torch is not None:
        steps["pytorch (tensors)"] = torch_mlp_step(X, y)
    steps["numpy by hand"] = numpy_mlp_step(X, y)

    best = {name: math.inf for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            slow = name.startswith("micrograd") or name.endswith("per sample")
            best[name] = min(best[name], best_time(step, 0.0 if slow else 0.2))
    print()
    print(
        "2. one forward + backward of MLP(2, [16, 16, 1]), MSE over 100 moons samples"
    )
    reference = best.get("micrograd (per sample)")
    print(f"   {'engine':<26}{'ms':>10}{'vs micrograd':>16}")
    for name, seconds in best.items():
        versus = f"{reference / seconds:>12.0f}x" if reference else "           -"
        print(f"   {name:<26}{seconds * 1e3:>10.3f}{versus:>16}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    args = parser.parse_args()
    # micrograd's backward is recursive: give it room for a deep chain.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(512 * 1024 * 1024)
    worker = threading.Thread(
        target=run, args=(args.quick, 1 if args.quick else args.rounds)
    )
    worker.start()
    worker.join()


if __name__ == "__main__":
    main()
