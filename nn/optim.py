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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, overload

import numpy as np

from autograd import Element, ParameterArray, Value
from autograd.data import all_finite, is_number, is_whole_number, real_number
from nn.module import Module, array_groups

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "ModelParameters",
    "Optimizer",
    "Schedule",
    "exponential_decay",
    "linear_decay",
]

Schedule = Callable[[int], float]

_data = operator.attrgetter("data")
_grad = operator.attrgetter("grad")
SCRATCH = "scratch"  # the key of each part's scratch array (see _Group._part_states)


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
    if not is_whole_number(steps):
        msg = f"steps must be a whole number of steps, not {steps!r}."
        raise TypeError(msg)
    if steps < 1:
        msg = f"steps must be at least 1 (steps from start to end), not {steps}."
        raise ValueError(msg)
    return lambda step: start + (end - start) * min(step, steps) / steps


def _positive(value: float, what: str) -> float:
    if not is_number(value):
        msg = f"{what} must be a number, not {type(value).__name__} {value!r}."
        raise TypeError(msg)
    number = real_number(value, what)  # an int beyond a float: a clear error
    if not (math.isfinite(number) and number > 0):
        msg = f"{what} must be a positive number, not {number}."
        raise ValueError(msg)
    return number


def non_negative(value: Any, what: str) -> float:
    """A finite number ≥ 0 as a float (a rate, a penalty's weight), else an error."""
    if not is_number(value):
        msg = f"{what} must be a number, not {type(value).__name__} {value!r}."
        raise TypeError(msg)
    number = real_number(value, what)  # an int beyond a float: a clear error
    if not (math.isfinite(number) and number >= 0):
        msg = f"{what} must be a finite number ≥ 0, not {number}."
        raise ValueError(msg)
    return number


def _fraction(value: float, what: str) -> float:
    if not is_number(value):
        msg = f"{what} must be a number in [0, 1), not {type(value).__name__}."
        raise TypeError(msg)
    if not 0.0 <= value < 1.0:
        msg = f"{what} must be in [0, 1), not {value}."
        raise ValueError(msg)
    return float(value)


def _unit(value: Any, what: str) -> float:
    if not is_number(value):
        msg = f"{what} must be a number in [0, 1], not {type(value).__name__}."
        raise TypeError(msg)
    number = float(value)
    if not 0.0 <= number <= 1.0:
        msg = f"{what} must be in [0, 1], not {number}."
        raise ValueError(msg)
    return number


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


ParamGroup = dict[str, Any]


class _Group:
    r"""The parameters of one group, gathered for the update, and their state.

    A group's parameters are updated together: those that live in a weight
    matrix by array (``arrays``: (array, places)), the others gathered into
    one array (``loose``). ``state`` holds one number of each kind per
    parameter (arrays first, then the loose ones), flat.
    """

    def __init__(self, params: Sequence[Value], names: tuple[str, ...]) -> None:
        self.params = params
        if isinstance(params, ModelParameters):  # the model's arrays, as they are
            self.arrays, self.loose = params.model.parameter_groups()
        else:
            self.arrays, self.loose = array_groups(list(params))
        self.state = {name: np.zeros(len(params)) for name in names}
        self._parts: list[dict[str, np.ndarray]] | None = None  # see _part_states

    def zero_grad(self) -> None:
        for array, places in self.arrays:
            if places is None:
                array.grad[...] = 0.0
            else:
                array.grad.flat[places] = 0.0
        for p in self.loose:
            p.grad = 0.0

    def gradients(self) -> list[np.ndarray]:
        """Each array's gradient, then the loose ones', all checked finite."""
        grads = [
            array.grad if places is None else array.grad.flat[places]
            for array, places in self.arrays
        ]
        if self.loose:
            try:
                loose = np.fromiter(map(_grad, self.loose), float, len(self.loose))
            except (TypeError, ValueError):
                bad = next(
                    p for p in self.loose if not isinstance(p.grad, numbers.Real)
                )
                msg = (
                    f"the gradient of {bad.label or 'a parameter'} is not one number; "
                    "was a parameter given batched data?"
                )
                raise ValueError(msg) from None
            grads.append(loose)
        for g, part in zip(grads, [*self.arrays, None]):
            if not all_finite(g):
                bad = self._first_bad(part, g)
                msg = (
                    f"the gradient of {bad.label or 'a parameter'} is {bad.grad}; the "
                    "loss has overflowed, so lower the learning rate (or scale the "
                    "inputs)."
                )
                raise FloatingPointError(msg)
        return grads

    def _first_bad(self, part: Any, grads: np.ndarray) -> Value:
        """The parameter of the first gradient that is not finite."""
        first = int(np.flatnonzero(~np.isfinite(grads))[0])
        if part is None:
            return self.loose[first]
        array, places = part
        flat = first if places is None else int(places[first])
        return array.element(*np.unravel_index(flat, array.data.shape))

    def step(
        self,
        update: Callable[..., np.ndarray],
        options: ParamGroup,
        grads: list[np.ndarray],
    ) -> None:
        """Apply ``update`` to every part, given the parts' checked gradients."""
        parts = self._part_states(grads)
        for (array, places), g, state in zip(self.arrays, grads, parts):
            if places is None:
                new = update(array.data, g, state, options)
                if new is not array.data:
                    array.data[...] = new
            else:
                old = array.data.flat[places]
                new = update(old, g, state, options)
                array.data.flat[places] = new
        if self.loose:
            old = np.fromiter(map(_data, self.loose), float, len(self.loose))
            new = update(old, grads[-1], parts[-1], options)
            for p, value in zip(self.loose, new.tolist()):
                p.data = value

    def _part_states(self, grads: list[np.ndarray]) -> list[dict[str, np.ndarray]]:
        r"""Each part's share of every state array, in the part's shape.

        Made at the first step and kept: they are views of ``state``, whose
        arrays are only ever changed in place. Each part also gets a
        ``scratch`` array of its shape, which an update may use for its
        working (η·g, say) instead of making a new array every step.
        """
        if self._parts is None:
            parts, start = [], 0
            for g in grads:
                at = slice(start, start + g.size)
                part = {name: s[at].reshape(g.shape) for name, s in self.state.items()}
                part[SCRATCH] = np.empty(g.shape)
                parts.append(part)
                start += g.size
            self._parts = parts
        return self._parts


class Optimizer:
    r"""What every optimizer shares: parameter groups, their state, the step.

    ``params`` is a Module, a list of parameter Values (a parameter listed
    twice is updated once), or, as in PyTorch, a list of *parameter groups*:
    dicts with ``"params"`` (a Module or a list of Values) and options of
    their own (``"lr"``, ``"weight_decay"``, ...) that override the
    optimizer's for that group. ``param_groups`` lists them.

    Subclasses implement :meth:`update`, the rule on numpy arrays, name the
    state it keeps per parameter in ``state_names`` (one number per
    parameter each, e.g. a velocity) and check their options in
    :meth:`check_options`. :meth:`state_dict` and :meth:`load_state_dict`
    save and restore all of it (the options, the state, the step count), so
    that training resumes exactly where it stopped.
    """

    state_names: tuple[str, ...] = ()

    def __init__(
        self,
        params: Module | Iterable[Value] | Iterable[ParamGroup],
        lr: float,
        schedule: Schedule | None = None,
        **defaults: Any,
    ) -> None:
        if schedule is not None and not callable(schedule):
            msg = "schedule must be a function: step number -> learning rate."
            raise TypeError(msg)
        self.defaults = self.check_options({"lr": lr, **defaults})
        self.param_groups: list[ParamGroup] = []
        self._groups: list[_Group] = []
        given_groups = _given_groups(params)
        seen: set[int] = set()
        for given in given_groups:
            unknown = set(given) - set(self.defaults) - {"params"}
            if unknown:
                msg = (
                    f"a parameter group has options {sorted(unknown)} that "
                    f"{type(self).__name__} does not take; it takes "
                    f"{sorted(self.defaults)}."
                )
                raise ValueError(msg)
            values = _parameters_of(given["params"])
            if len(given_groups) > 1:  # one group cannot share with another
                for p in values:
                    if id(p) in seen:
                        msg = (
                            "a parameter is in more than one parameter group; give "
                            "each parameter to one group only."
                        )
                        raise ValueError(msg)
                    seen.add(id(p))
            options = self.check_options({**self.defaults, **given, "params": None})
            self.param_groups.append({**options, "params": values})
            self._groups.append(_Group(values, self.state_names))
        if not any(len(group.params) for group in self._groups):
            msg = "the optimizer got no parameters; pass model.parameters()."
            raise ValueError(msg)
        self.schedule = schedule
        self.steps = 0

    @property
    def params(self) -> list[Value]:
        """Every parameter it updates, group after group, each as a Value."""
        return [p for group in self._groups for p in group.params]

    def check_options(self, options: ParamGroup) -> ParamGroup:
        """The options of a group, checked (a subclass checks its own too)."""
        return {**options, "lr": _positive(options["lr"], "lr")}

    @property
    def lr(self) -> float:
        """The learning rate (of the first group); setting it sets every group's."""
        return float(self.param_groups[0]["lr"])

    @lr.setter
    def lr(self, value: float) -> None:
        for group in self.param_groups:
            group["lr"] = value

    @property
    def state(self) -> dict[str, np.ndarray]:
        """Each kind of state, one number per parameter, all groups in a row."""
        return {
            name: np.concatenate([group.state[name] for group in self._groups])
            for name in self.state_names
        }

    @property
    def arrays(self) -> list[ParameterArray]:
        """The parameter arrays (weight matrices, biases) it updates, or part of."""
        return [array for group in self._groups for array, _ in group.arrays]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        for group in self._groups:
            group.zero_grad()

    def step(self) -> None:
        r"""Update every parameter once from its current gradient.

        A whole weight matrix is updated in place by one call of the rule;
        parameters of their own are gathered into one array and written back.
        A gradient that is not finite stops the step before any change.
        A schedule sets the learning rate of every group.
        """
        if self.schedule is not None:
            self.lr = non_negative(
                self.schedule(self.steps), "the scheduled learning rate"
            )
        # every gradient is checked before anything changes
        grads = [group.gradients() for group in self._groups]
        for group, options, g in zip(self._groups, self.param_groups, grads):
            group.step(self.update, options, g)
        self.steps += 1

    def update(
        self,
        data: np.ndarray,
        grads: np.ndarray,
        state: dict[str, np.ndarray],
        options: ParamGroup,
    ) -> np.ndarray:
        r"""The new parameter values, from the old ones and their gradients.

        ``state`` holds this part's share of each state array (named in
        ``state_names``), shaped like ``data``: change it in place.
        ``options`` are the group's (``options["lr"]``, ...). The rule may
        also change ``data`` in place and return it.
        """
        raise NotImplementedError

    # --- checkpoints --------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        r"""Everything needed to resume: the step count, each group's options and
        the state of every parameter (copies, so training on changes nothing).

        The parameters themselves are the model's (``model.state_dict()``);
        a group lists its parameters by their place in the optimizer's list,
        as PyTorch's does.
        """
        groups = []
        start = 0
        for options in self.param_groups:
            count = len(options["params"])
            places = list(range(start, start + count))
            groups.append({**options, "params": places})
            start += count
        return {
            "steps": self.steps,
            "param_groups": groups,
            "state": {
                name: [group.state[name].copy() for group in self._groups]
                for name in self.state_names
            },
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        r"""Restore what :meth:`state_dict` gave (from an optimizer of the same
        parameters): the step count, the groups' options and every state array.

        Everything is checked first; on any problem a ValueError says what
        does not fit, and nothing is changed.
        """
        where = f"the state does not fit this {type(self).__name__}"
        if not isinstance(state, Mapping) or set(state) != {
            "steps",
            "param_groups",
            "state",
        }:
            msg = f"{where}: it must be what state_dict() returns."
            raise ValueError(msg)
        steps = state["steps"]
        if not is_whole_number(steps):
            msg = f"{where}: 'steps' must be a whole number, not {steps!r}."
            raise ValueError(msg)
        groups = state["param_groups"]
        if not isinstance(groups, list) or len(groups) != len(self.param_groups):
            msg = (
                f"{where}: it has {len(groups) if isinstance(groups, list) else 0} "
                f"parameter groups, this optimizer {len(self.param_groups)}."
            )
            raise ValueError(msg)
        options = []
        for mine, given in zip(self.param_groups, groups):
            if not isinstance(given, Mapping) or set(given) != set(mine):
                msg = f"{where}: a group's options differ from {sorted(mine)}."
                raise ValueError(msg)
            if len(given["params"]) != len(mine["params"]):
                msg = (
                    f"{where}: a group of {len(given['params'])} parameters for one "
                    f"of {len(mine['params'])}."
                )
                raise ValueError(msg)
            options.append(self.check_options({**given, "params": None}))
        arrays = state["state"]
        if not isinstance(arrays, Mapping) or set(arrays) != set(self.state_names):
            msg = f"{where}: its state must be {list(self.state_names)}."
            raise ValueError(msg)
        new = {}
        for name in self.state_names:
            parts = arrays[name]
            if not isinstance(parts, list | tuple) or len(parts) != len(self._groups):
                msg = f"{where}: {name!r} needs one array per group."
                raise ValueError(msg)
            checked = []
            for group, part in zip(self._groups, parts):
                values = np.asarray(part, dtype=float)
                if values.shape != group.state[name].shape:
                    msg = (
                        f"{where}: {name!r} has shape {values.shape}, not "
                        f"{group.state[name].shape}."
                    )
                    raise ValueError(msg)
                if not np.isfinite(values).all():
                    msg = f"{where}: {name!r} holds nan or inf."
                    raise ValueError(msg)
                checked.append(values)
            new[name] = checked
        for mine, given in zip(self.param_groups, options):
            mine.update({k: v for k, v in given.items() if k != "params"})
        for name, parts in new.items():
            for group, values in zip(self._groups, parts):
                group.state[name][...] = values
        self.steps = int(steps)


def _given_groups(params: Any) -> list[ParamGroup]:
    """The parameter groups given: a list of dicts, or one group of everything."""
    if isinstance(params, Module):
        return [{"params": params}]
    items = list(params)
    if items and all(isinstance(item, Mapping) for item in items):
        for item in items:
            if "params" not in item:
                msg = 'a parameter group is a dict with "params": the Values to update.'
                raise ValueError(msg)
        return [dict(item) for item in items]
    return [{"params": items}]


def _parameters_of(params: Any) -> Sequence[Value]:
    """A group's parameters: checked Values, each once, in order."""
    if isinstance(params, Module):
        found = ModelParameters(params)
        for p in found.model.parameter_groups()[1]:
            _check_parameter(p)
        return found
    if isinstance(params, Value):
        params = [params]
    unique: dict[int, Value] = {}
    for p in params:
        if type(p) is not Element:  # a weight of a layer is one number
            _check_parameter(p)
        unique.setdefault(id(p), p)
    return list(unique.values())


class ModelParameters(Sequence[Value]):
    r"""A model's parameters, as an optimizer's group lists them.

    Its length is known from the model's arrays; the Values themselves
    (``model.parameters()``, one per weight) are made only if someone reads
    them, so an optimizer for a large model is made at once.
    """

    def __init__(self, model: Module) -> None:
        self.model = model
        arrays, loose = model.parameter_groups()
        self._count = len(loose) + sum(array.data.size for array, _ in arrays)
        self._values: list[Value] | None = None

    def _all(self) -> list[Value]:
        if self._values is None:
            self._values = self.model.parameters()
        return self._values

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Value: ...

    @overload
    def __getitem__(self, index: slice) -> list[Value]: ...

    def __getitem__(self, index: int | slice) -> Value | list[Value]:
        return self._all()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ModelParameters | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, like a list


class SGD(Optimizer):
    r"""Stochastic gradient descent, with optional momentum μ, as PyTorch's.

    p ← p − η·g; with ``weight_decay`` λ the gradient is g + λ·p (L2); with
    momentum v ← μ·v + (1 − dampening)·g (v = g at the first step) and
    p ← p − η·v, or with ``nesterov=True`` p ← p − η·(g + μ·v).
    """

    state_names = ("velocity",)

    def __init__(
        self,
        params: Module | Iterable[Value] | Iterable[ParamGroup],
        lr: float = 0.1,
        momentum: float = 0.0,
        schedule: Schedule | None = None,
        *,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            schedule,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )

    def check_options(self, options: ParamGroup) -> ParamGroup:
        checked = super().check_options(options)
        checked["momentum"] = _fraction(options["momentum"], "momentum")
        checked["dampening"] = _unit(options["dampening"], "dampening")
        checked["weight_decay"] = non_negative(options["weight_decay"], "weight_decay")
        nesterov = options["nesterov"]
        if not isinstance(nesterov, bool):
            msg = f"nesterov must be True or False, not {nesterov!r}."
            raise TypeError(msg)
        if nesterov and (checked["momentum"] == 0 or checked["dampening"] != 0):
            msg = "nesterov=True needs a momentum above 0 and no dampening."
            raise ValueError(msg)
        return checked

    @property
    def momentum(self) -> float:
        """μ (of the first group)."""
        return float(self.param_groups[0]["momentum"])

    @property
    def velocity(self) -> np.ndarray:
        """v, one number per parameter (in the order the update keeps them)."""
        return self.state["velocity"]

    def update(
        self,
        data: np.ndarray,
        grads: np.ndarray,
        state: dict[str, np.ndarray],
        options: ParamGroup,
    ) -> np.ndarray:
        if options["weight_decay"]:
            grads = grads + options["weight_decay"] * data
        momentum = options["momentum"]
        if momentum:
            v = state["velocity"]
            if self.steps == 0:
                v[...] = grads
            else:
                v *= momentum
                dampening = options["dampening"]
                v += (1.0 - dampening) * grads if dampening else grads
            grads = grads + momentum * v if options["nesterov"] else v
        lr = options["lr"]
        scratch = state.get(SCRATCH)
        data -= lr * grads if scratch is None else np.multiply(grads, lr, out=scratch)
        return data

    def __repr__(self) -> str:
        extra = "".join(
            f", {key}={self.param_groups[0][key]:g}"
            for key in ("dampening", "weight_decay")
            if self.param_groups[0][key]
        )
        nesterov = ", nesterov=True" if self.param_groups[0]["nesterov"] else ""
        return f"SGD(lr={self.lr:g}, momentum={self.momentum:g}{extra}{nesterov})"


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and on its square, with bias correction.

    Defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8; η = 0.001 is a safe start, and
    0.01 trains the small networks of this library quickly. As in PyTorch's
    ``torch.optim.Adam``, ``weight_decay`` λ adds the L2 term to the
    gradient, g + λ·p, before the moments see it; for decoupled weight decay
    use :class:`AdamW`.
    """

    state_names = ("m", "s")

    def __init__(
        self,
        params: Module | Iterable[Value] | Iterable[ParamGroup],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        schedule: Schedule | None = None,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(
            params, lr, schedule, betas=betas, eps=eps, weight_decay=weight_decay
        )

    def check_options(self, options: ParamGroup) -> ParamGroup:
        checked = super().check_options(options)
        betas = options["betas"]
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            msg = f"betas must be a pair (β₁, β₂), not {betas!r}."
            raise TypeError(msg)
        checked["betas"] = (_fraction(betas[0], "β₁"), _fraction(betas[1], "β₂"))
        checked["eps"] = _positive(options["eps"], "eps")
        checked["weight_decay"] = non_negative(options["weight_decay"], "weight_decay")
        return checked

    @property
    def betas(self) -> tuple[float, float]:
        """(β₁, β₂) of the first group."""
        beta1, beta2 = self.param_groups[0]["betas"]
        return beta1, beta2

    @property
    def eps(self) -> float:
        """ε of the first group."""
        return float(self.param_groups[0]["eps"])

    @property
    def weight_decay(self) -> float:
        """λ of the first group."""
        return float(self.param_groups[0]["weight_decay"])

    @property
    def m(self) -> np.ndarray:
        """The running mean of the gradients, one number per parameter."""
        return self.state["m"]

    @property
    def s(self) -> np.ndarray:
        """The running mean of the squared gradients, one number per parameter."""
        return self.state["s"]

    def decay(self, data: np.ndarray, grads: np.ndarray, options: ParamGroup) -> Any:
        """Adam's weight decay: the L2 term added to the gradient."""
        wd = options["weight_decay"]
        return grads + wd * data if wd else grads

    def update(
        self,
        data: np.ndarray,
        grads: np.ndarray,
        state: dict[str, np.ndarray],
        options: ParamGroup,
    ) -> np.ndarray:
        grads = self.decay(data, grads, options)
        beta1, beta2 = options["betas"]
        t = self.steps + 1
        m, s = state["m"], state["s"]
        # one array for every step below: the group's scratch array if it has one
        scratch = np.multiply(grads, 1.0 - beta1, out=state.get(SCRATCH))
        m *= beta1
        m += scratch  # m ← β₁m + (1 − β₁)g
        np.multiply(grads, grads, out=scratch)
        scratch *= 1.0 - beta2
        s *= beta2
        s += scratch  # s ← β₂s + (1 − β₂)g²
        # η·m̂/(√ŝ + ε) with m̂ = m/(1 − β₁ᵗ), ŝ = s/(1 − β₂ᵗ), as PyTorch writes it
        np.sqrt(s, out=scratch)
        scratch /= math.sqrt(1.0 - beta2**t)
        scratch += options["eps"]
        np.divide(m, scratch, out=scratch)
        scratch *= options["lr"] / (1.0 - beta1**t)
        data -= scratch
        return data

    def __repr__(self) -> str:
        decay = f", weight_decay={self.weight_decay:g}" if self.weight_decay else ""
        return f"{type(self).__name__}(lr={self.lr:g}, betas={self.betas}{decay})"


class AdamW(Adam):
    r"""Adam with decoupled weight decay, as PyTorch's ``torch.optim.AdamW``.

    Every step first shrinks each parameter, p ← p − η·λ·p, apart from the
    gradient, then takes Adam's step; λ defaults to 0.01, as in PyTorch.
    """

    def __init__(
        self,
        params: Module | Iterable[Value] | Iterable[ParamGroup],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        schedule: Schedule | None = None,
        weight_decay: float = 0.01,
    ) -> None:
        super().__init__(params, lr, betas, eps, schedule, weight_decay)

    def decay(self, data: np.ndarray, grads: np.ndarray, options: ParamGroup) -> Any:
        """AdamW's weight decay: the parameters shrink, the gradient is left alone."""
        wd = options["weight_decay"]
        if wd:
            data *= 1.0 - options["lr"] * wd
        return grads
