r"""Dropout: switch inputs off at random while training.

In training mode each input xᵢ is kept with probability 1 − p and scaled,
or dropped (set to 0):

    out = xᵢ · mᵢ / (1 − p),   mᵢ ~ Bernoulli(1 − p)

so the expected output equals the input. In evaluation mode
(``model.eval()``) dropout is the identity and adds no node to the graph.
For a batch, every sample gets its own mask. The masks come from a seeded
generator, so a training run can be repeated exactly.

>>> from autograd import Value
>>> drop = Dropout(0.5, seed=0)
>>> [v.data for v in drop([Value(1.0), Value(1.0), Value(1.0), Value(1.0)])]
[2.0, 0.0, 0.0, 0.0]
>>> drop.eval()
Dropout(p=0.5)
>>> x = [Value(1.0)]
>>> drop(x) is x
True
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from autograd import Value
from nn.init import Seed, make_rng
from nn.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    r"""Drop each input with probability ``p`` in training; identity in eval.

    Takes a list of Values (a flat layer output) or nested lists of them
    (the channels of a convolution) and returns the same structure.
    """

    p: float
    _rng: np.random.Generator

    def __init__(self, p: float = 0.5, *, seed: Seed = 0) -> None:
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            msg = f"p must be a number in [0, 1), not {type(p).__name__} {p!r}."
            raise TypeError(msg)
        if not 0.0 <= p < 1.0:
            msg = f"p is the chance of dropping an input: a number in [0, 1), not {p}."
            raise ValueError(msg)
        self.p = float(p)
        self._rng = make_rng(seed)

    def __call__(self, x: Any) -> Any:
        if not self.training or self.p == 0.0:
            return x
        return self._drop(x)

    def _drop(self, x: Any) -> Any:
        if isinstance(x, Value):
            return self._drop([x])[0]
        if isinstance(x, list | tuple) and x and not isinstance(x[0], Value):
            return [self._drop(part) for part in x]
        scale = 1.0 / (1.0 - self.p)
        out = []
        for v in x:
            if not isinstance(v, Value):
                msg = f"Dropout takes Values (layer outputs), not {type(v).__name__}."
                raise TypeError(msg)
            size = v.batch_size
            keep = self._rng.random(size) >= self.p
            mask = (
                np.where(keep, scale, 0.0) if size is not None else float(keep) * scale
            )
            out.append(v * Value(mask, label="mask"))
        return out

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
