r"""Optimizers: turn gradients into better parameters.

After ``loss.backward()`` every parameter p holds ∂L/∂p in ``p.grad``. An
optimizer moves each p a little against its gradient:

- SGD:        p ← p − η·g
- momentum:   v ← μ·v + g;   p ← p − η·v        (a velocity that remembers)
- Adam:       m ← β₁m + (1 − β₁)g;   s ← β₂s + (1 − β₂)g²;
              p ← p − η·m̂ / (√ŝ + ε),   m̂ = m/(1 − β₁ᵗ),  ŝ = s/(1 − β₂ᵗ)

The update is the same for every parameter, so it runs on numpy arrays: the
gradients are gathered into one array, updated in one go, and the new
values written back into each ``p.data``.

``backward()`` *adds* to ``p.grad``, so clear the gradients before each
backward pass with ``optimizer.zero_grad()`` (or ``model.zero_grad()``).

A learning-rate schedule is a function of the step number t (0, 1, 2, ...)
that returns the learning rate for that step:

>>> from autograd import Value
>>> p = Value(1.0)
>>> opt = SGD([p], lr=0.1, schedule=exponential_decay(0.1, 0.5))
>>> for _ in range(3):
...     opt.zero_grad()
...     (p * p).backward()            # dL/dp = 2p
...     opt.step()
>>> opt.lr, round(p.data, 6)          # 0.1·0.5²;  p ← p·(1 − 2η) each step
(0.025, 0.684)
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Iterable

import numpy as np

from autograd import Value
from nn.module import Module

__all__ = ["SGD", "Adam", "Optimizer", "Schedule", "exponential_decay", "linear_decay"]

Schedule = Callable[[int], float]

_data = operator.attrgetter("data")
_grad = operator.attrgetter("grad")


def exponential_decay(lr: float, rate: float) -> Schedule:
    r"""η_t = lr · rateᵗ: the learning rate shrinks by ``rate`` every step."""
    return lambda step: lr * rate**step


def linear_decay(start: float, end: float, steps: int) -> Schedule:
    r"""From ``start`` to ``end`` in a straight line over ``steps`` steps, then ``end``.

    micrograd's moons demo uses ``linear_decay(1.0, 0.1, 100)``.
    """
    return lambda step: start + (end - start) * min(step, steps) / steps


def _positive(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{what} must be a number, not {type(value).__name__} {value!r}."
        raise TypeError(msg)
    if not (math.isfinite(value) and value > 0):
        msg = f"{what} must be a positive number, not {value}."
        raise ValueError(msg)
    return float(value)


def _fraction(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{what} must be a number in [0, 1), not {type(value).__name__}."
        raise TypeError(msg)
    if not 0.0 <= value < 1.0:
        msg = f"{what} must be in [0, 1), not {value}."
        raise ValueError(msg)
    return float(value)


class Optimizer:
    r"""What every optimizer shares: the parameters, the learning rate, the step.

    ``params`` is a Module or a list of parameter Values (a parameter listed
    twice is updated once). Subclasses implement :meth:`update`, the rule on
    numpy arrays.
    """

    def __init__(
        self,
        params: Module | Iterable[Value],
        lr: float,
        schedule: Schedule | None = None,
    ) -> None:
        values = params.parameters() if isinstance(params, Module) else list(params)
        unique: dict[int, Value] = {}
        for p in values:
            if not isinstance(p, Value):
                msg = f"an optimizer takes parameter Values, not {type(p).__name__}."
                raise TypeError(msg)
            if p.batch_size is not None:
                msg = (
                    f"parameter {p.label or '(unlabelled)'} holds a batch; parameters "
                    "must be single numbers."
                )
                raise ValueError(msg)
            unique.setdefault(id(p), p)
        if not unique:
            msg = "the optimizer got no parameters; pass model.parameters()."
            raise ValueError(msg)
        if schedule is not None and not callable(schedule):
            msg = "schedule must be a function: step number -> learning rate."
            raise TypeError(msg)
        self.params = list(unique.values())
        self.lr = _positive(lr, "lr")
        self.schedule = schedule
        self.steps = 0

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        if self.schedule is not None:
            self.lr = _positive(
                self.schedule(self.steps), "the scheduled learning rate"
            )
        grads = self._gradients()
        data = np.fromiter(map(_data, self.params), float, len(self.params))
        new = self.update(data, grads)
        for p, value in zip(self.params, new.tolist()):
            p.data = value
        self.steps += 1

    def _gradients(self) -> np.ndarray:
        try:
            grads = np.fromiter(map(_grad, self.params), float, len(self.params))
        except (TypeError, ValueError):
            bad = next(p for p in self.params if not isinstance(p.grad, numbers.Real))
            msg = (
                f"the gradient of {bad.label or 'a parameter'} is not one number; "
                "was a parameter given batched data?"
            )
            raise ValueError(msg) from None
        if not np.isfinite(grads).all():
            bad = self.params[int(np.flatnonzero(~np.isfinite(grads))[0])]
            msg = (
                f"the gradient of {bad.label or 'a parameter'} is {bad.grad}; the loss "
                "has overflowed, so lower the learning rate (or scale the inputs)."
            )
            raise FloatingPointError(msg)
        return grads

    def update(self, data: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """The new parameter values, from the old ones and their gradients."""
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent, with optional momentum μ.

    p ← p − η·g, or with momentum v ← μ·v + g, p ← p − η·v.
    """

    def __init__(
        self,
        params: Module | Iterable[Value],
        lr: float = 0.1,
        momentum: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, schedule)
        self.momentum = _fraction(momentum, "momentum")
        self.velocity = np.zeros(len(self.params))

    def update(self, data: np.ndarray, grads: np.ndarray) -> np.ndarray:
        if self.momentum:
            self.velocity = self.momentum * self.velocity + grads
            return data - self.lr * self.velocity
        return data - self.lr * grads

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr:g}, momentum={self.momentum:g})"


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and on its square, with bias correction.

    Defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8; η = 0.001 is a safe start, and
    0.01 trains the small networks of this library quickly.
    """

    def __init__(
        self,
        params: Module | Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, schedule)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            msg = f"betas must be a pair (β₁, β₂), not {betas!r}."
            raise TypeError(msg)
        self.betas = (_fraction(betas[0], "β₁"), _fraction(betas[1], "β₂"))
        self.eps = _positive(eps, "eps")
        self.m = np.zeros(len(self.params))
        self.s = np.zeros(len(self.params))

    def update(self, data: np.ndarray, grads: np.ndarray) -> np.ndarray:
        beta1, beta2 = self.betas
        t = self.steps + 1
        self.m = beta1 * self.m + (1.0 - beta1) * grads
        self.s = beta2 * self.s + (1.0 - beta2) * grads * grads
        m_hat = self.m / (1.0 - beta1**t)
        s_hat = self.s / (1.0 - beta2**t)
        return data - self.lr * m_hat / (np.sqrt(s_hat) + self.eps)

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr:g}, betas={self.betas})"
