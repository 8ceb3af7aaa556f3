r"""Benchmark batched training against PyTorch (CPU, float64, one thread).

    python bench/bench_nn.py              # 7 interleaved rounds
    python bench/bench_nn.py --quick      # one short round: does it run?
    python bench/bench_nn.py --accuracy   # also: train to the end, test accuracy

The targets, each a ratio of medians measured in the same run:

1. moons: one forward + backward of MLP(2, [16, 16, 1]), ReLU, mean squared
   error over 100 samples, as one batch: at most PyTorch's time.
2. 8×8 digits: one epoch of MLP(64, [32, 10]) through ``nn.fit`` (softmax
   cross-entropy, SGD lr 0.1, batches of 64, 1,437 samples) against the same
   loop in PyTorch: at most PyTorch's time.
3. MNIST size: one step (forward, backward, SGD update) of MLP(784, [128, 10])
   on a batch of 64: at most 1.5× PyTorch's time.

See bench/harness.py for the conditions (one BLAS thread, gc.freeze() after
the imports, interleaved rounds, medians).
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from typing import Any

import harness  # before numpy: it pins the BLAS to one thread
import numpy as np

import nn

torch = harness.import_torch()


# --- 1. moons, one batch --------------------------------------------------------------


def moons() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=100, noise=0.1, random_state=0)
    return X, 2.0 * y - 1.0


def chainrule_moons(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)

    def step() -> None:
        model.zero_grad()
        nn.mse(model(X), y).backward()

    return step


def torch_moons(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    model = _torch_mlp([2, 16, 16, 1])
    inputs, targets = torch.tensor(X), torch.tensor(y).unsqueeze(1)

    def step() -> None:
        model.zero_grad()
        ((model(inputs) - targets) ** 2).mean().backward()

    return step


def _torch_mlp(sizes: list[int]) -> Any:
    layers: list[Any] = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1]).double()


# --- 2. digits, one epoch through fit -------------------------------------------------


def chainrule_epoch(split: nn.data.Split) -> Callable[[], None]:
    model = nn.MLP(64, [32, 10], init="he", seed=0)
    optimizer = nn.SGD(model, lr=0.1)

    def epoch() -> None:
        nn.fit(
            model,
            split.X_train,
            split.y_train,
            loss="cross_entropy",
            optimizer=optimizer,
            epochs=1,
            batch_size=64,
            progress=False,
        )

    return epoch


def torch_epoch(split: nn.data.Split) -> Callable[[], None]:
    torch.manual_seed(0)
    model = _torch_mlp([64, 32, 10])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, y = torch.tensor(split.X_train), torch.tensor(split.y_train)

    def epoch() -> None:
        order = torch.randperm(len(X))
        for first in range(0, len(X), 64):
            rows = order[first : first + 64]
            loss = loss_fn(model(X[rows]), y[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    return epoch


# --- 3. an MNIST-sized step -----------------------------------------------------------


def mnist_batch() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((64, 784)), rng.integers(0, 10, 64)


def chainrule_mnist(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    model = nn.MLP(784, [128, 10], init="he", seed=0)
    optimizer = nn.SGD(model, lr=0.1)

    def step() -> None:
        optimizer.zero_grad()
        nn.cross_entropy(model(X), y).backward()
        optimizer.step()

    return step


def torch_mnist(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    model = _torch_mlp([784, 128, 10])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    inputs, labels = torch.tensor(X), torch.tensor(y)

    def step() -> None:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()

    return step


# --- the run --------------------------------------------------------------------------


def speed(rounds: int, quick: bool, json_path: str | None) -> None:
    harness.settle()
    repeat = 3 if quick else 20
    cases = [
        ("1. moons MLP(2, [16, 16, 1]), one batch of 100: forward + backward",
         moons(), chainrule_moons, torch_moons, 1.0, repeat),
        ("2. digits MLP(64, [32, 10]): one epoch through nn.fit, batches of 64",
         nn.data.digits(), chainrule_epoch, torch_epoch, 1.0, 1 if quick else 3),
        ("3. MLP(784, [128, 10]): one step on a batch of 64 (MNIST size)",
         mnist_batch(), chainrule_mnist, torch_mnist, 1.5, repeat),
    ]  # fmt: skip
    results = []
    for title, data, ours, theirs, limit, best_of in cases:
        args = data if isinstance(data, tuple) and len(data) == 2 else (data,)
        contenders = {"chainrule": harness.timed(ours(*args))}
        if torch is not None:
            contenders["PyTorch"] = harness.timed(theirs(*args))
        times = harness.interleaved(contenders, rounds, repeat=best_of)
        target = harness.Target(title.split(":")[0][3:], "chainrule", "PyTorch", limit)
        results += harness.report(title, times, [target])
    harness.save_json(json_path, results)


def accuracy_runs() -> None:
    """Longer runs: train to the end and report the test accuracy and time."""
    split = nn.data.digits()
    start = time.perf_counter()
    mlp = nn.MLP(64, [32, 10], init="he", seed=0)
    nn.fit(mlp, split.X_train, split.y_train, optimizer=nn.Adam(mlp, lr=0.01),
           epochs=30, batch_size=32, progress=False)  # fmt: skip
    seconds = time.perf_counter() - start
    test = nn.evaluate(mlp, split.X_test, split.y_test)
    print(f"MLP(64, [32, 10]), Adam, 30 epochs: test accuracy {test:.3f}", end="")
    print(f" in {seconds:.1f} s")

    images = nn.data.digits(images=True)
    start = time.perf_counter()
    cnn = nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, stride=1, init="he", seed=0),
        nn.Flatten(),
        nn.MLP(8 * 6 * 6, [32, 10], init="he", seed=1),
    )
    nn.fit(cnn, images.X_train, images.y_train, optimizer=nn.Adam(cnn, lr=0.01),
           epochs=20, batch_size=32, progress=False)  # fmt: skip
    seconds = time.perf_counter() - start
    test = nn.evaluate(cnn, images.X_test, images.y_test)
    print(
        f"CNN conv(1->8, 3x3) + MLP(288, [32, 10]), 20 epochs: test accuracy "
        f"{test:.3f} in {seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--accuracy", action="store_true")
    parser.add_argument("--json", help="also write the targets' results to this file")
    args = parser.parse_args()
    speed(1 if args.quick else args.rounds, args.quick, args.json)
    if args.accuracy:
        accuracy_runs()


if __name__ == "__main__":
    main()
