r"""Seconds per training epoch: chainrule vs micrograd vs PyTorch.

The task: MLP(64, [32, 10]) (ReLU hidden layer, linear output) with softmax
cross-entropy on the 8x8 handwritten digits (1,437 training samples), plain
SGD (lr 0.1), mini-batches of 64, one epoch = one pass over the samples.

- chainrule: ``nn.fit`` through the batched path (one graph per mini-batch);
- micrograd: one graph per sample, as it must (it has no batches); its loss
  for a mini-batch is the mean of the per-sample losses, then one backward.
  It is slow, so only part of an epoch is timed (``--micrograd-samples``)
  and the time scaled to 1,437 samples. Its closures hold reference
  cycles, so Python's cycle collector keeps rescanning its graph: that is
  how micrograd runs, and it is timed so; it is also timed with the
  collector paused, to show the cost of the scalar graph alone;
- PyTorch (if installed): the same network on tensors, on the CPU, with one
  thread (chainrule and micrograd use one core too).

The three run interleaved, round after round, so a busy machine slows them
all alike; the median over the rounds is reported, with the ratios.

    python bench/bench_nn.py                 # 5 rounds
    python bench/bench_nn.py --rounds 9 --micrograd-samples 256
    python bench/bench_nn.py --accuracy      # also: train to the end, test accuracy
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import time
from collections.abc import Callable

import numpy as np

import nn

BATCH = 64
LR = 0.1
SIZES = [32, 10]


# --- chainrule -------------------------------------------------------------------


def chainrule_epoch(split: nn.data.Split, seed: int) -> Callable[[], float]:
    model = nn.MLP(64, SIZES, init="he", seed=seed)
    optimizer = nn.SGD(model, lr=LR)

    def epoch() -> float:
        start = time.perf_counter()
        nn.fit(
            model,
            split.X_train,
            split.y_train,
            loss="cross_entropy",
            optimizer=optimizer,
            epochs=1,
            batch_size=BATCH,
            seed=seed,
            progress=False,
        )
        return time.perf_counter() - start

    return epoch


# --- micrograd -------------------------------------------------------------------


def micrograd_epoch(
    split: nn.data.Split, samples: int, pause_gc: bool = False
) -> Callable[[], float] | None:
    try:
        from micrograd import nn as mnn
        from micrograd.engine import Value as MValue
    except ImportError:
        return None

    def exp(v: MValue) -> MValue:  # micrograd has no exp or log: added its way
        out = MValue(math.exp(v.data), (v,), "exp")

        def _backward() -> None:
            v.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(v: MValue) -> MValue:
        out = MValue(math.log(v.data), (v,), "log")

        def _backward() -> None:
            v.grad += out.grad / v.data

        out._backward = _backward
        return out

    def cross_entropy(logits: list[MValue], label: int) -> MValue:
        top = max(z.data for z in logits)  # a constant: softmax is shift-invariant
        shifted = [z - top for z in logits]
        return log(sum((exp(z) for z in shifted), MValue(0.0))) - shifted[label]

    model = mnn.MLP(64, SIZES)
    params = model.parameters()
    X, y = split.X_train.tolist(), split.y_train.tolist()
    rng = np.random.default_rng(0)
    scale = len(X) / samples

    def epoch() -> float:
        order = rng.permutation(len(X))[:samples]
        if pause_gc:
            gc.disable()
        start = time.perf_counter()
        for first in range(0, samples, BATCH):
            rows = order[first : first + BATCH]
            losses = [cross_entropy(model(X[i]), y[i]) for i in rows]
            loss = sum(losses, MValue(0.0)) * (1.0 / len(rows))
            model.zero_grad()
            loss.backward()
            for p in params:
                p.data -= LR * p.grad
        seconds = time.perf_counter() - start
        gc.enable()
        # Free the cyclic garbage now, untimed, so that collecting it does
        # not land in the next contender's time.
        del losses, loss
        gc.collect()
        return seconds * scale

    return epoch


# --- PyTorch ---------------------------------------------------------------------


def torch_epoch(split: nn.data.Split, seed: int) -> Callable[[], float] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, SIZES[0]),
        torch.nn.ReLU(),
        torch.nn.Linear(SIZES[0], SIZES[1]),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    X = torch.tensor(split.X_train, dtype=torch.float32)
    y = torch.tensor(split.y_train, dtype=torch.long)

    def epoch() -> float:
        start = time.perf_counter()
        order = torch.randperm(len(X))
        for first in range(0, len(X), BATCH):
            rows = order[first : first + BATCH]
            loss = loss_fn(model(X[rows]), y[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return time.perf_counter() - start

    return epoch


# --- the run ---------------------------------------------------------------------


def speed(rounds: int, micrograd_samples: int) -> dict[str, float]:
    split = nn.data.digits()
    contenders = {
        "chainrule (batched)": chainrule_epoch(split, seed=0),
        "micrograd (per sample)": micrograd_epoch(split, micrograd_samples),
        "micrograd, gc paused": micrograd_epoch(split, micrograd_samples, True),
        "PyTorch (CPU tensors)": torch_epoch(split, seed=0),
    }
    times: dict[str, list[float]] = {name: [] for name, f in contenders.items() if f}
    for f in contenders.values():  # warm up (imports, first allocations)
        if f is not None:
            f()
    for _ in range(rounds):
        for name, f in contenders.items():
            if f is not None:
                times[name].append(f())
    medians = {name: statistics.median(t) for name, t in times.items()}

    print(
        f"MLP(64, {SIZES}), softmax cross-entropy, SGD, batch {BATCH}, "
        f"{len(split.X_train)} training digits; median of {rounds} interleaved rounds"
    )
    print(f"(micrograd: {micrograd_samples} samples timed per round, scaled)\n")
    print(f"{'':24} {'s / epoch':>10}")
    for name, seconds in medians.items():
        print(f"{name:24} {seconds:10.4f}")
    ours = medians["chainrule (batched)"]
    print()
    if "micrograd (per sample)" in medians:
        ratio = medians["micrograd (per sample)"] / ours
        print(f"chainrule is {ratio:,.0f}x faster than micrograd (target: >= 100x)")
        paused = medians["micrograd, gc paused"] / ours
        print(
            f"  ({paused:,.0f}x faster than micrograd with its cycle collector paused)"
        )
    if "PyTorch (CPU tensors)" in medians:
        ratio = ours / medians["PyTorch (CPU tensors)"]
        print(f"chainrule takes {ratio:,.1f}x PyTorch's time (target: <= 10x)")
    else:
        print("PyTorch is not installed: skipped.")
    return medians


def accuracy_runs() -> None:
    """Longer runs: train to the end and report the test accuracy and time."""
    split = nn.data.digits()
    start = time.perf_counter()
    mlp = nn.MLP(64, SIZES, init="he", seed=0)
    nn.fit(
        mlp,
        split.X_train,
        split.y_train,
        optimizer=nn.Adam(mlp, lr=0.01),
        epochs=30,
        batch_size=32,
        progress=False,
    )
    seconds = time.perf_counter() - start
    test = nn.evaluate(mlp, split.X_test, split.y_test)
    print(f"\nMLP(64, {SIZES}), Adam, 30 epochs: test accuracy {test:.3f}", end="")
    print(f" in {seconds:.1f} s")

    images = nn.data.digits(images=True)
    start = time.perf_counter()
    cnn = nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, stride=1, init="he", seed=0),
        nn.Flatten(),
        nn.MLP(8 * 6 * 6, [32, 10], init="he", seed=1),
    )
    nn.fit(
        cnn,
        images.X_train,
        images.y_train,
        optimizer=nn.Adam(cnn, lr=0.01),
        epochs=20,
        batch_size=32,
        progress=False,
    )
    seconds = time.perf_counter() - start
    test = nn.evaluate(cnn, images.X_test, images.y_test)
    print(
        f"CNN conv(1->8, 3x3) + MLP(288, [32, 10]), 20 epochs: test accuracy "
        f"{test:.3f} in {seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--micrograd-samples", type=int, default=128)
    parser.add_argument("--accuracy", action="store_true")
    args = parser.parse_args()
    speed(args.rounds, args.micrograd_samples)
    if args.accuracy:
        accuracy_runs()


if __name__ == "__main__":
    main()
