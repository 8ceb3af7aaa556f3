r"""Seeded initialisation: where a network's first weights come from.

Four schemes, each drawing from one ``numpy`` random generator, so the same
seed gives the same network on every run:

- ``"uniform"``: wᵢ ~ U(−1, 1) and b ~ U(−1, 1). Simple, but a neuron with
  many inputs starts with a large weighted sum.
- ``"micrograd"``: wᵢ ~ U(−1, 1) and b = 0, exactly as micrograd starts.
- ``"xavier"`` (Glorot): wᵢ ~ U(−a, a) with a = √(6 / (fan_in + fan_out)),
  b = 0. Keeps the variance of the signal about the same from layer to layer
  for tanh and sigmoid neurons.
- ``"he"`` (Kaiming): wᵢ ~ U(−a, a) with a = √(6 / fan_in), b = 0. The same
  idea for ReLU neurons, which zero out half of their inputs.

``fan_in`` is the number of inputs of a neuron; ``fan_out`` the number of
neurons in its layer (a filter of a convolution counts every kernel position).

Where the numbers come from, as in PyTorch: an object made without ``seed=``
(a network, a layer, a dropout, the shuffling of :func:`nn.fit`) draws from
one library-wide generator, so two of them differ. :func:`manual_seed` seeds
it (as ``torch.manual_seed``); never seeded, it is seeded from the operating
system, and :func:`initial_seed` tells with what. ``seed=`` on one object
fixes that object alone. ``init="micrograd"`` draws from Python's ``random``
instead, micrograd's numbers in micrograd's order: after ``random.seed(1337)``
an ``MLP(..., init="micrograd")`` starts with the weights micrograd's demo
starts with (``seed=1337`` gives the same, from a ``random.Random(1337)``).

>>> rng = make_rng(0)
>>> w, b = initial_weights("he", rng, fan_in=6, fan_out=1)
>>> len(w), b
(6, 0.0)
>>> bool(max(abs(x) for x in w) <= 1.0)       # √(6/6) = 1
True
>>> _ = manual_seed(7); first = generator().random()
>>> _ = manual_seed(7); generator().random() == first, initial_seed()
(True, 7)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np

__all__ = [
    "SCHEMES",
    "Seed",
    "generator",
    "initial_layer",
    "initial_seed",
    "initial_weights",
    "make_rng",
    "manual_seed",
    "network_stream",
]

SCHEMES = ("uniform", "micrograd", "xavier", "he")
ALIASES = {"glorot": "xavier", "kaiming": "he"}  # the same schemes, other names

#: What ``seed=`` takes: a number, a generator to draw from (numpy's, or
#: Python's for ``init="micrograd"``), or None: the library-wide generator.
Seed = int | np.random.Generator | random.Random | None

# The library-wide generator: one object, reseeded in place by manual_seed, so
# whoever holds it (a Dropout made without seed=) sees the new seed too.
_first_seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
_GENERATOR = np.random.default_rng(_first_seed)
_seeded = [_first_seed]


def manual_seed(seed: int) -> np.random.Generator:
    r"""Seed the library-wide generator, as ``torch.manual_seed`` does; return it.

    Every object made after it without ``seed=`` (and every ``fit`` without
    ``seed=``) draws from it, so a script that calls ``nn.manual_seed(0)``
    first gives the same numbers on every run. (``init="micrograd"`` draws
    from Python's ``random``: seed that with ``random.seed``, as micrograd's
    demo does.)
    """
    checked = _checked_seed(seed)
    _GENERATOR.bit_generator.state = np.random.PCG64(checked).state
    _seeded[0] = checked
    return _GENERATOR


def initial_seed() -> int:
    """The seed of the library-wide generator: the last manual_seed, or the OS's."""
    return _seeded[0]


def generator() -> np.random.Generator:
    """The library-wide generator (what ``seed=None`` draws from)."""
    return _GENERATOR


def _checked_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        msg = (
            f"seed must be an int, a numpy Generator or None, not "
            f"{type(seed).__name__} {seed!r}."
        )
        raise TypeError(msg)
    if seed < 0:
        msg = f"seed must be a non-negative int, not {seed}."
        raise ValueError(msg)
    return int(seed)


def make_rng(seed: Seed) -> np.random.Generator:
    r"""A numpy random generator from a seed.

    An ``int`` gives a reproducible generator of its own; an existing
    generator is used as it is (so the layers of one network draw one after
    another from the same stream); ``None`` gives the library-wide generator
    (see :func:`manual_seed`).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return _GENERATOR
    if isinstance(seed, random.Random):
        msg = (
            "a random.Random seeds only init='micrograd' (Python's random, as "
            "micrograd draws); give an int or a numpy Generator."
        )
        raise TypeError(msg)
    return np.random.default_rng(_checked_seed(seed))


def network_stream(seed: Seed, scheme: str) -> Seed:
    r"""What the layers of one network draw from, one after another.

    A generator (or None, the library-wide one) as it is; an ``int`` becomes
    a generator of its own: numpy's, or for ``"micrograd"`` Python's
    ``random.Random(seed)``, as ``random.seed(seed)`` would seed micrograd.
    """
    if seed is None or isinstance(seed, np.random.Generator | random.Random):
        return seed
    if check_scheme(scheme) == "micrograd":
        return random.Random(_checked_seed(seed))
    return make_rng(seed)


def _python_uniform(
    seed: int | random.Random | None,
) -> Callable[[float, float], float]:
    """micrograd's draw, ``random.uniform``, from the generator ``seed`` names."""
    if seed is None:
        return random.uniform  # Python's own, as micrograd draws
    if isinstance(seed, random.Random):
        return seed.uniform
    return random.Random(_checked_seed(seed)).uniform


def check_scheme(scheme: str) -> str:
    """The scheme's name (``"glorot"`` is ``"xavier"``, ``"kaiming"`` is ``"he"``)."""
    scheme = ALIASES.get(scheme, scheme)
    if scheme not in SCHEMES:
        msg = f"unknown init {scheme!r}; choose one of {', '.join(SCHEMES)}."
        raise ValueError(msg)
    return scheme


def initial_weights(
    scheme: str, rng: Seed, fan_in: int, fan_out: int = 1
) -> tuple[list[float], float]:
    r"""``fan_in`` starting weights and one bias for a neuron, as floats.

    See the module docstring for the four schemes and their bounds, and for
    what ``rng`` may be (a seed, a generator, or None).
    """
    scheme = check_scheme(scheme)
    if scheme == "micrograd" and not isinstance(rng, np.random.Generator):
        uniform = _python_uniform(rng)
        return [uniform(-1.0, 1.0) for _ in range(fan_in)], 0.0
    rng = make_rng(rng)
    if scheme == "uniform":
        values = rng.uniform(-1.0, 1.0, size=fan_in + 1)
        return values[:-1].tolist(), float(values[-1])
    if scheme == "micrograd":
        return rng.uniform(-1.0, 1.0, size=fan_in).tolist(), 0.0
    if scheme == "xavier":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
    else:
        bound = math.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=fan_in).tolist(), 0.0


def initial_layer(
    scheme: str, rng: Seed, fan_in: int, units: int, fan_out: int
) -> tuple[np.ndarray, np.ndarray]:
    r"""The starting weight matrix (units × fan_in) and biases (units) of a layer.

    Neuron after neuron, each drawn as :func:`initial_weights` draws it, so a
    layer starts exactly as its neurons would one at a time:

    >>> rng_layer, rng_neurons = make_rng(3), make_rng(3)
    >>> W, b = initial_layer("uniform", rng_layer, fan_in=4, units=3, fan_out=3)
    >>> rows = [initial_weights("uniform", rng_neurons, 4, 3) for _ in range(3)]
    >>> W.tolist() == [w for w, _ in rows] and b.tolist() == [c for _, c in rows]
    True

    >>> W, b = initial_layer("he", make_rng(0), fan_in=3, units=2, fan_out=2)
    >>> W.shape, b.tolist()
    ((2, 3), [0.0, 0.0])
    """
    rng = network_stream(rng, scheme)  # one stream for all the neurons
    scheme = check_scheme(scheme)
    if scheme == "micrograd" and not isinstance(rng, np.random.Generator):
        rows = [initial_weights(scheme, rng, fan_in, fan_out) for _ in range(units)]
        return np.array([w for w, _ in rows]), np.array([b for _, b in rows])
    # One draw of every neuron's numbers, row after row: the generator hands
    # out the same numbers as one draw per neuron would, in the same order.
    generator = make_rng(rng)
    if scheme == "uniform":
        values = generator.uniform(-1.0, 1.0, size=(units, fan_in + 1))
        return values[:, :-1], values[:, -1]
    if scheme == "micrograd":
        bound = 1.0
    elif scheme == "xavier":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
    else:
        bound = math.sqrt(6.0 / fan_in)
    return generator.uniform(-bound, bound, size=(units, fan_in)), np.zeros(units)
