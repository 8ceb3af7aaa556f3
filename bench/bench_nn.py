r"""Benchmark batched training against PyTorch (CPU, float64, one thread) and numpy.

    python bench/bench_nn.py              # 7 interleaved rounds
    python bench/bench_nn.py --quick      # one short round: does it run?
    python bench/bench_nn.py --accuracy   # also: train to the end, test accuracy

The targets, each a ratio of medians measured in the same run:

1. moons: one forward + backward of MLP(2, [16, 16, 1]), ReLU, mean squared
   error over 100 samples, as one batch: at most 0.5× PyTorch's time.
2. 8×8 digits: one epoch of MLP(64, [32, 10]) through ``nn.fit`` (softmax
   cross-entropy, SGD lr 0.1, batches of 64, 1,437 samples) against the same
   loop in PyTorch: at most 0.5× PyTorch's time.
3. MNIST size: one step (forward, backward, update) of MLP(784, [128, 10])
   on a batch of 64, with SGD and with Adam: at most PyTorch's time each.
4. Building MLP(784, [128, 10]) and an Adam for it: at most 2× PyTorch's time.

Each batched case also runs hand-written numpy doing the same forward,
backward and update with no graph at all (:class:`NumpyMLP`): the floor any
engine in Python stands on. Its ratio is reported, not judged.

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


# --- the floor: the same arithmetic in numpy, no graph ------------------------------


class NumpyMLP:
    r"""An MLP with ReLU hidden layers and a linear last layer, by hand in numpy.

    ``forward`` keeps what ``backward`` needs; ``backward(dout)`` returns the
    gradients of every W and b; ``sgd`` and ``adam`` update in place. The
    weights start as ``nn.MLP``'s with the same seed and init.
    """

    def __init__(self, sizes: list[int], seed: int = 0, init: str = "uniform") -> None:
        model = nn.MLP(sizes[0], sizes[1:], seed=seed, init=init)
        self.W = [layer.W.data.copy() for layer in model.layers]
        self.b = [layer.b.data.copy() for layer in model.layers]
        self.m = [np.zeros_like(p) for p in (*self.W, *self.b)]
        self.s = [np.zeros_like(p) for p in (*self.W, *self.b)]
        self.t = 0

    def forward(self, X: np.ndarray) -> np.ndarray:
        self.inputs, self.sums = [], []
        out = X
        for k, (W, b) in enumerate(zip(self.W, self.b)):
            self.inputs.append(out)
            z = out @ W.T + b
            self.sums.append(z)
            out = np.maximum(z, 0.0) if k < len(self.W) - 1 else z
        return out

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        dW, db = [], []
        dz = dout
        for k in reversed(range(len(self.W))):
            dW.append(dz.T @ self.inputs[k])
            db.append(dz.sum(axis=0))
            if k:
                dz = (dz @ self.W[k]) * (self.sums[k - 1] > 0)
        return [*reversed(dW), *reversed(db)]

    def sgd(self, grads: list[np.ndarray], lr: float) -> None:
        for p, g in zip((*self.W, *self.b), grads):
            p -= lr * g

    def adam(self, grads: list[np.ndarray], lr: float = 0.001) -> None:
        self.t += 1
        for p, g, m, s in zip((*self.W, *self.b), grads, self.m, self.s):
            m *= 0.9
            m += 0.1 * g
            s *= 0.999
            s += 0.001 * g * g
            p -= (
                lr * (m / (1 - 0.9**self.t)) / (np.sqrt(s / (1 - 0.999**self.t)) + 1e-8)
            )


def cross_entropy_grad(Z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy of logits Z for classes y, and ∂/∂Z."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    totals = exps.sum(axis=1, keepdims=True)
    n = len(Z)
    loss = float(np.log(totals).sum() - shifted[np.arange(n), y].sum()) / n
    grad = exps / totals
    grad[np.arange(n), y] -= 1.0
    return loss, grad / n


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


def numpy_moons(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    model = NumpyMLP([2, 16, 16, 1])
    targets = y[:, None]

    def step() -> None:
        gap = model.forward(X) - targets
        float(np.mean(gap * gap))
        model.backward(gap * (2.0 / gap.size))

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


def numpy_epoch(split: nn.data.Split) -> Callable[[], None]:
    model = NumpyMLP([64, 32, 10], init="he")
    X, y = split.X_train, split.y_train
    rng = np.random.default_rng(0)

    def epoch() -> None:
        order = rng.permutation(len(X))
        for first in range(0, len(X), 64):
            rows = order[first : first + 64]
            _, grad = cross_entropy_grad(model.forward(X[rows]), y[rows])
            model.sgd(model.backward(grad), 0.1)

    return epoch


# --- 3. an MNIST-sized step -----------------------------------------------------------


def mnist_batch() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((64, 784)), rng.integers(0, 10, 64)


def chainrule_mnist(optimizer: str) -> Callable[..., Callable[[], None]]:
    def make(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
        model = nn.MLP(784, [128, 10], init="he", seed=0)
        step_with = nn.SGD(model, lr=0.1) if optimizer == "SGD" else nn.Adam(model)

        def step() -> None:
            step_with.zero_grad()
            nn.cross_entropy(model(X), y).backward()
            step_with.step()

        return step

    return make


def torch_mnist(optimizer: str) -> Callable[..., Callable[[], None]]:
    def make(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
        model = _torch_mlp([784, 128, 10])
        if optimizer == "SGD":
            step_with = torch.optim.SGD(model.parameters(), lr=0.1)
        else:
            step_with = torch.optim.Adam(model.parameters())
        inputs, labels = torch.tensor(X), torch.tensor(y)

        def step() -> None:
            step_with.zero_grad()
            torch.nn.functional.cross_entropy(model(inputs), labels).backward()
            step_with.step()

        return step

    return make


def numpy_mnist(optimizer: str) -> Callable[..., Callable[[], None]]:
    def make(X: np.ndarray, y: np.ndarray) -> Callable[[], None]:
        model = NumpyMLP([784, 128, 10], init="he")

        def step() -> None:
            _, grad = cross_entropy_grad(model.forward(X), y)
            grads = model.backward(grad)
            if optimizer == "SGD":
                model.sgd(grads, 0.1)
            else:
                model.adam(grads)

        return step

    return make


# --- 4. building a model --------------------------------------------------------------


def chainrule_build() -> Callable[[], None]:
    def build() -> None:
        nn.Adam(nn.MLP(784, [128, 10]))

    return build


def torch_build() -> Callable[[], None]:
    def build() -> None:
        torch.optim.Adam(_torch_mlp([784, 128, 10]).parameters())

    return build


# --- the run --------------------------------------------------------------------------


def speed(rounds: int, quick: bool, json_path: str | None) -> None:
    harness.settle()
    repeat = 1 if quick else 20
    cases = [
        ("1. moons MLP(2, [16, 16, 1]), one batch of 100: forward + backward",
         moons(), chainrule_moons, torch_moons, numpy_moons, 0.5, repeat),
        ("2. digits MLP(64, [32, 10]): one epoch through nn.fit, batches of 64",
         (nn.data.digits(),), chainrule_epoch, torch_epoch, numpy_epoch, 0.5,
         1 if quick else 3),
        ("3. MLP(784, [128, 10]) with SGD: one step on a batch of 64 (MNIST size)",
         mnist_batch(), chainrule_mnist("SGD"), torch_mnist("SGD"),
         numpy_mnist("SGD"), 1.0, repeat),
        ("4. MLP(784, [128, 10]) with Adam: one step on a batch of 64 (MNIST size)",
         mnist_batch(), chainrule_mnist("Adam"), torch_mnist("Adam"),
         numpy_mnist("Adam"), 1.0, repeat),
        ("5. building MLP(784, [128, 10]) and its Adam",
         (), chainrule_build, torch_build, None, 2.0, 1 if quick else 10),
    ]  # fmt: skip
    results = []
    for title, args, ours, theirs, floor, limit, best_of in cases:
        contenders = {"chainrule": harness.timed(ours(*args))}
        if torch is not None:
            contenders["PyTorch"] = harness.timed(theirs(*args))
        if floor is not None:
            contenders["numpy"] = harness.timed(floor(*args))
        times = harness.interleaved(contenders, rounds, repeat=best_of)
        name = title.split(":")[0][3:]
        targets = [harness.Target(name, "chainrule", "PyTorch", limit)]
        if floor is not None:
            targets.append(harness.Target(f"{name}, vs numpy", "chainrule", "numpy"))
        results += harness.report(title, times, targets)
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
