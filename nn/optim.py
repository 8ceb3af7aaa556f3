r"""Optimizers: turn gradients into better parameters.

After ``loss.backward()`` every parameter p holds ∂L/∂p in ``p.grad``. An
optimizer moves each p a little against its gradient:

- SGD:        p ← p − η·g
- momentum:   v ← μ·v + g;   p ← p − η·v        (a velocity that remembers)
- Adam:       m ← β₁m + (1 − β₁)g;   s ← β₂s + (1 − β₂)g²;
              p ← p − η·m̂ / (√ŝ + ε),   m̂ = m/(1 − β₁ᵗ),  ŝ = s/(1 − β₂ᵗ)

The update is the same for every parameter, so it runs on numpy arrays. A
layer's weights already live in one matrix (``layer.W``), which the update
reads and writes in place; parameters of their own are gathered into an
array and written back one by one.

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
from typing import Any

import numpy as np

from autograd import Element, ParameterArray, Value
from autograd.data import real_number
from nn.module import Module, array_groups

__all__ = ["SGD", "Adam", "Optimizer", "Schedule", "exponential_decay", "linear_decay"]

Schedule = Callable[[int], float]

_data = operator.attrgetter("data")
_grad = operator.attrgetter("grad")


def exponential_decay(lr: float, rate: float) -> Schedule:
    r"""η_t = lr · rateᵗ: the learning rate shrinks by ``rate`` every step.

    ``rate`` is in (0, 1]; after very many steps η_t reaches 0 (no update).
    """
    lr = _positive(lr, "lr")
    rate = _positive(rate, "rate")
    if rate > 1:
        msg = (
            f"rate must be at most 1 (it shrinks the learning rate), not {rate}; a "
            "rate above 1 would grow it without end."
        )
        raise ValueError(msg)
    return lambda step: lr * rate**step


def linear_decay(start: float, end: float, steps: int) -> Schedule:
    r"""From ``start`` to ``end`` in a straight line over ``steps`` steps, then ``end``.

    micrograd's moons demo uses ``linear_decay(1.0, 0.1, 100)``. ``end`` may
    be 0 (training stops moving the parameters after ``steps`` steps).
    """
    start = _positive(start, "start")
    end = non_negative(end, "end")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        msg = f"steps must be a whole number of steps, not {steps!r}."
        raise TypeError(msg)
    if steps < 1:
        msg = f"steps must be at least 1 (steps from start to end), not {steps}."
        raise ValueError(msg)
    return lambda step: start + (end - start) * min(step, steps) / steps


def _positive(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{what} must be a number, not {type(value).__name__} {value!r}."
        raise TypeError(msg)
    number = real_number(value, what)  # an int beyond a float: a clear error
    if not (math.isfinite(number) and number > 0):
        msg = f"{what} must be a positive number, not {number}."
        raise ValueError(msg)
    return number


def non_negative(value: Any, what: str) -> float:
    """A finite number ≥ 0 as a float (a rate, a penalty's weight), else an error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{what} must be a number, not {type(value).__name__} {value!r}."
        raise TypeError(msg)
    number = real_number(value, what)  # an int beyond a float: a clear error
    if not (math.isfinite(number) and number >= 0):
        msg = f"{what} must be a finite number ≥ 0, not {number}."
        raise ValueError(msg)
    return number


def _fraction(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{what} must be a number in [0, 1), not {type(value).__name__}."
        raise TypeError(msg)
    if not 0.0 <= value < 1.0:
        msg = f"{what} must be in [0, 1), not {value}."
        raise ValueError(msg)
    return float(value)


def _check_parameter(p: Any) -> None:
    """A parameter is a Value holding one number (or a whole ParameterArray)."""
    if not isinstance(p, Value):
        msg = f"an optimizer takes parameter Values, not {type(p).__name__}."
        raise TypeError(msg)
    if p.batch_size is not None:
        msg = (
            f"parameter {p.label or '(unlabelled)'} holds a batch; parameters "
            "must be single numbers."
        )
        raise ValueError(msg)


class Optimizer:
    r"""What every optimizer shares: the parameters, the learning rate, the step.

    ``params`` is a Module or a list of parameter Values (a parameter listed
    twice is updated once). Subclasses implement :meth:`update`, the rule on
    numpy arrays, and name the state it keeps per parameter in
    ``state_names`` (one number per parameter each, e.g. a velocity).
    """

    state_names: tuple[str, ...] = ()

    def __init__(
        self,
        params: Module | Iterable[Value],
        lr: float,
        schedule: Schedule | None = None,
    ) -> None:
        values = params.parameters() if isinstance(params, Module) else list(params)
        unique: dict[int, Value] = {}
        for p in values:
            if type(p) is not Element:  # a weight of a layer is one number
                _check_parameter(p)
            unique.setdefault(id(p), p)
        if not unique:
            msg = "the optimizer got no parameters; pass model.parameters()."
            raise ValueError(msg)
        if schedule is not None and not callable(schedule):
            msg = "schedule must be a function: step number -> learning rate."
            raise TypeError(msg)
        self.params = list(unique.values())
        self._arrays, self._loose = array_groups(self.params)
        self.lr = _positive(lr, "lr")
        self.schedule = schedule
        self.steps = 0
        # one number of each kind of state per parameter: arrays first, then loose
        self.state = {name: np.zeros(len(self.params)) for name in self.state_names}

    @property
    def arrays(self) -> list[ParameterArray]:
        """The parameter arrays (weight matrices, biases) it updates, or part of."""
        return [array for array, _ in self._arrays]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        for array, places in self._arrays:
            if places is None:
                array.grad[...] = 0.0
            else:
                array.grad.flat[places] = 0.0
        for p in self._loose:
            p.grad = 0.0

    def step(self) -> None:
        r"""Update every parameter once from its current gradient.

        A whole weight matrix is updated in place by one call of the rule;
        parameters of their own are gathered into one array and written back.
        A gradient that is not finite stops the step before any change.
        """
        if self.schedule is not None:
            self.lr = non_negative(
                self.schedule(self.steps), "the scheduled learning rate"
            )
        grads = self._gradients()
        start = 0
        for (array, places), g in zip(self._arrays, grads):
            at = slice(start, start + g.size)
            if places is None:
                new = self.update(array.data, g, self._views(at, g.shape))
                if new is not array.data:
                    array.data[...] = new
            else:
                old = array.data.flat[places]
                array.data.flat[places] = self.update(old, g, self._views(at, g.shape))
            start += g.size
        if self._loose:
            old = np.fromiter(map(_data, self._loose), float, len(self._loose))
            at = slice(start, None)
            new = self.update(old, grads[-1], self._views(at, old.shape))
            for p, value in zip(self._loose, new.tolist()):
                p.data = value
        self.steps += 1

    def _views(self, at: slice, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
        """This group's part of every state array, in the group's shape."""
        return {name: state[at].reshape(shape) for name, state in self.state.items()}

    def _gradients(self) -> list[np.ndarray]:
        """Each array group's gradient, then the loose ones', all checked finite."""
        grads = [
            array.grad if places is None else array.grad.flat[places]
            for array, places in self._arrays
        ]
        if self._loose:
            try:
                loose = np.fromiter(map(_grad, self._loose), float, len(self._loose))
            except (TypeError, ValueError):
                bad = next(
                    p for p in self._loose if not isinstance(p.grad, numbers.Real)
                )
                msg = (
                    f"the gradient of {bad.label or 'a parameter'} is not one number; "
                    "was a parameter given batched data?"
                )
                raise ValueError(msg) from None
            grads.append(loose)
        for g, group in zip(grads, [*self._arrays, None]):
            if not np.isfinite(g).all():
                bad = self._first_bad(group, g)
                msg = (
                    f"the gradient of {bad.label or 'a parameter'} is {bad.grad}; the "
                    "loss has overflowed, so lower the learning rate (or scale the "
                    "inputs)."
                )
                raise FloatingPointError(msg)
        return grads

    def _first_bad(self, group: Any, grads: np.ndarray) -> Value:
        """The parameter of the first gradient that is not finite."""
        first = int(np.flatnonzero(~np.isfinite(grads))[0])
        if group is None:
            return self._loose[first]
        array, places = group
        flat = first if places is None else int(places[first])
        return array.element(*np.unravel_index(flat, array.data.shape))

    def update(
        self, data: np.ndarray, grads: np.ndarray, state: dict[str, np.ndarray]
    ) -> np.ndarray:
        r"""The new parameter values, from the old ones and their gradients.

        ``state`` holds this group's part of each state array (named in
        ``state_names``), shaped like ``data``: change it in place. The rule
        may also change ``data`` in place and return it.
        """
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent, with optional momentum μ.

    p ← p − η·g, or with momentum v ← μ·v + g, p ← p − η·v.
    """

    state_names = ("velocity",)

    def __init__(
        self,
        params: Module | Iterable[Value],
        lr: float = 0.1,
        momentum: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, schedule)
        self.momentum = _fraction(momentum, "momentum")

    @property
    def velocity(self) -> np.ndarray:
        """v, one number per parameter (in the order the update keeps them)."""
        return self.state["velocity"]

    def update(
        self, data: np.ndarray, grads: np.ndarray, state: dict[str, np.ndarray]
    ) -> np.ndarray:
        if self.momentum:
            v = state["velocity"]
            v *= self.momentum
            v += grads
            grads = v
        data -= self.lr * grads
        return data

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr:g}, momentum={self.momentum:g})"


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and on its square, with bias correction.

    Defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8; η = 0.001 is a safe start, and
    0.01 trains the small networks of this library quickly.
    ``weight_decay`` λ > 0 makes it AdamW: every step also shrinks each
    parameter, p ← p − η·λ·p, apart from the gradient (decoupled weight decay).
    """

    state_names = ("m", "s")
    weight_decay: float

    def __init__(
        self,
        params: Module | Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        schedule: Schedule | None = None,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, schedule)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            msg = f"betas must be a pair (β₁, β₂), not {betas!r}."
            raise TypeError(msg)
        self.betas = (_fraction(betas[0], "β₁"), _fraction(betas[1], "β₂"))
        self.eps = _positive(eps, "eps")
        self.weight_decay = non_negative(weight_decay, "weight_decay")

    @property
    def m(self) -> np.ndarray:
        """The running mean of the gradients, one number per parameter."""
        return self.state["m"]

    @property
    def s(self) -> np.ndarray:
        """The running mean of the squared gradients, one number per parameter."""
        return self.state["s"]

    def update(
        self, data: np.ndarray, grads: np.ndarray, state: dict[str, np.ndarray]
    ) -> np.ndarray:
        beta1, beta2 = self.betas
        t = self.steps + 1
        m, s = state["m"], state["s"]
        m *= beta1
        m += (1.0 - beta1) * grads
        s *= beta2
        s += (1.0 - beta2) * grads * grads
        m_hat = m / (1.0 - beta1**t)
        s_hat = s / (1.0 - beta2**t)
        new = data - self.lr * m_hat / (np.sqrt(s_hat) + self.eps)
        if self.weight_decay:
            new -= self.lr * self.weight_decay * data
        return new

    def __repr__(self) -> str:
        decay = f", weight_decay={self.weight_decay:g}" if self.weight_decay else ""
        return f"Adam(lr={self.lr:g}, betas={self.betas}{decay})"
