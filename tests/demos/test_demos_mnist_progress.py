"""The mnist lesson shows its progress within each epoch (an epoch takes seconds)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
import pytest

import nn
from demos.lessons import mnist

pytest.importorskip("tqdm")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_each_epoch_shows_a_bar_of_its_steps_on_a_terminal(monkeypatch):
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    said: list[str] = []
    lesson = SimpleNamespace(seed=0, progress=True, say=said.append)
    rng = np.random.default_rng(0)
    X, y = rng.random((3 * mnist.BATCH, 784)), rng.integers(0, 10, 3 * mnist.BATCH)
    losses, _ = mnist.train(lesson, nn.MLP(784, [10], seed=0), X, y, 1)
    shown = screen.getvalue()
    assert "epoch 1/1" in shown and "/3 " in shown and "step" in shown  # 3 steps
    assert len(losses) == 3 and said[0].startswith("  epoch 1:")
    quiet = Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    lesson.progress = False  # --no-progress: no bar at all
    mnist.train(lesson, nn.MLP(784, [10], seed=0), X, y, 1)
    assert quiet.getvalue() == ""
