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

>>> rng = make_rng(0)
>>> w, b = initial_weights("he", rng, fan_in=6, fan_out=1)
>>> len(w), b
(6, 0.0)
>>> bool(max(abs(x) for x in w) <= 1.0)       # √(6/6) = 1
True
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SCHEMES", "Seed", "initial_layer", "initial_weights", "make_rng"]

SCHEMES = ("uniform", "micrograd", "xavier", "he")
ALIASES = {"glorot": "xavier", "kaiming": "he"}  # the same schemes, other names

Seed = int | np.random.Generator | None


def make_rng(seed: Seed) -> np.random.Generator:
    r"""A random generator from a seed.

    An ``int`` gives a reproducible generator; an existing generator is used
    as it is (so the layers of one network draw one after another from the
    same stream); ``None`` gives fresh, unrepeatable randomness.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        msg = (
            f"seed must be an int, a numpy Generator or None, not "
            f"{type(seed).__name__} {seed!r}."
        )
        raise TypeError(msg)
    if seed < 0:
        msg = f"seed must be a non-negative int, not {seed}."
        raise ValueError(msg)
    return np.random.default_rng(int(seed))


def check_scheme(scheme: str) -> str:
    """The scheme's name (``"glorot"`` is ``"xavier"``, ``"kaiming"`` is ``"he"``)."""
    scheme = ALIASES.get(scheme, scheme)
    if scheme not in SCHEMES:
        msg = f"unknown init {scheme!r}; choose one of {', '.join(SCHEMES)}."
        raise ValueError(msg)
    return scheme


def initial_weights(
    scheme: str, rng: np.random.Generator, fan_in: int, fan_out: int = 1
) -> tuple[list[float], float]:
    r"""``fan_in`` starting weights and one bias for a neuron, as floats.

    See the module docstring for the four schemes and their bounds.
    """
    scheme = check_scheme(scheme)
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
    scheme: str, rng: np.random.Generator, fan_in: int, units: int, fan_out: int
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
    scheme = check_scheme(scheme)
    # One draw of every neuron's numbers, row after row: the generator hands
    # out the same numbers as one draw per neuron would, in the same order.
    if scheme == "uniform":
        values = rng.uniform(-1.0, 1.0, size=(units, fan_in + 1))
        return values[:, :-1], values[:, -1]
    if scheme == "micrograd":
        bound = 1.0
    elif scheme == "xavier":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
    else:
        bound = math.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=(units, fan_in)), np.zeros(units)
