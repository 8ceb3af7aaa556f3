"""Stand-ins for nn models (the same shape: layers -> neurons -> w, b)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pytest

from autograd import Value, wsum


class TinyNeuron:
    def __init__(self, weights: Sequence[float], bias: float, name: str) -> None:
        self.w = [Value(w, f"{name}.w.{i}") for i, w in enumerate(weights)]
        self.b = Value(bias, f"{name}.b")

    def __call__(self, x: Sequence[Value]) -> Value:
        return wsum(self.w, x, self.b).tanh()


class TinyLayer:
    def __init__(self, rows: Sequence[Sequence[float]], name: str) -> None:
        self.neurons = [
            TinyNeuron(row[:-1], row[-1], f"{name}.neurons.{j}")
            for j, row in enumerate(rows)
        ]

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        return [n(x) for n in self.neurons]


class TinyMLP:
    """layers of tanh neurons; called on one sample, a list of Values."""

    def __init__(self, sizes: Sequence[int], seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.layers = [
            TinyLayer(rng.uniform(-1, 1, (nout, nin + 1)).tolist(), f"layers.{i}")
            for i, (nin, nout) in enumerate(pairwise(sizes))
        ]

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for n in layer.neurons for p in (*n.w, n.b)]


@pytest.fixture
def tiny_mlp() -> TinyMLP:
    return TinyMLP([2, 3, 1], seed=0)


@pytest.fixture
def make_mlp():
    return TinyMLP
