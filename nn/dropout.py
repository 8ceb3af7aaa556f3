r"""Dropout: switch inputs off at random while training.

In training mode each input xᵢ is kept with probability 1 − p and scaled,
or dropped (set to 0):

    out = xᵢ · mᵢ / (1 − p),   mᵢ ~ Bernoulli(1 − p)

so the expected output equals the input. In evaluation mode
(``model.eval()``) dropout is the identity and adds no node to the graph.
For a batch, every sample gets its own mask. The masks come from the
library-wide generator (:func:`nn.manual_seed`), or from one of their own
with ``seed=``, so a training run can be repeated exactly.

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
from typing import Any, overload

import numpy as np

from autograd import Constant, Value
from autograd.data import is_number
from nn.init import Seed, make_rng
from nn.layers import check_batch
from nn.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    r"""Drop each input with probability ``p`` in training; identity in eval.

    Takes a list of Values (a flat layer output), nested lists of them (the
    channels of a convolution) or one batch Value (a layer node's output:
    one mask number per sample and unit) and returns the same structure. A
    2-D numpy batch (dropout on the inputs) becomes a constant leaf first.
    """

    p: float
    _rng: np.random.Generator

    def __init__(self, p: float = 0.5, *, seed: Seed = None) -> None:
        if not is_number(p):
            msg = f"p must be a number in [0, 1), not {type(p).__name__} {p!r}."
            raise TypeError(msg)
        if not 0.0 <= p < 1.0:
            msg = f"p is the chance of dropping an input: a number in [0, 1), not {p}."
            raise ValueError(msg)
        self.p = float(p)
        self._rng = make_rng(seed)

    @overload
    def __call__(self, x: Value) -> Value: ...
    @overload
    def __call__(self, x: Any) -> Any: ...
    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    def forward(self, x: Any) -> Any:
        """``x`` with each input dropped or scaled (in training), else ``x``."""
        if not self.training or self.p == 0.0:
            return x
        return self._drop(x)

    def _drop(self, x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.ndim >= 2:  # a batch of given data
            check_batch(x, "sample (one row)")
            x = Constant(x, label="x")
        if isinstance(x, Value):
            keep = (
                self._rng.random(x.shape) >= self.p
                if x.shape
                else (self._rng.random() >= self.p)
            )
            mask = np.where(keep, 1.0 / (1.0 - self.p), 0.0)
            return x * Constant(mask, label="mask")
        if isinstance(x, list | tuple) and x:
            return [self._drop(part) for part in x]
        if isinstance(x, numbers.Real | np.ndarray):
            msg = (
                f"Dropout takes Values (what a layer returns) or a 2-D batch, not "
                f"plain numbers ({type(x).__name__}). Put it between layers, e.g. "
                "nn.Sequential(layer, nn.Dropout(0.5), ...)."
            )
            raise TypeError(msg)
        msg = (
            "Dropout takes the Values a layer returns (a list of them, nested "
            f"lists for images, or one batch Value), not {type(x).__name__}; "
            "use it between layers, e.g. nn.Sequential(layer, nn.Dropout(0.5), ...)."
        )
        raise TypeError(msg)

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
