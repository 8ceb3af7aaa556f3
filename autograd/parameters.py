r"""Weights that live in arrays, and a Value for each number in them.

A layer's weights are one matrix and its biases one vector: a
:class:`ParameterArray`, a leaf Value whose ``data`` and ``grad`` are
writable numpy arrays. A layer node of a batch reads the whole matrix at
once, and an optimizer updates it in place with a few array operations.

Each number of the array is also a Value of its own, an :class:`Element`, as
a student sees it in a single sample's graph: ``neuron.w[k]``. An element
holds no number itself: its ``data`` and ``grad`` read and write its place in
the array. So the two views never disagree: a batched backward pass fills
``W.grad`` and every element sees its share; a hand-written update
``p.data -= lr * p.grad`` on an element changes the matrix the next batch
reads.

>>> W = ParameterArray([[0.5, -1.0], [2.0, 0.0]], label="W")
>>> w = W.element(0, 1)
>>> w.data
-1.0
>>> w.data += 3.0          # writes into the matrix
>>> W.data.tolist()
[[0.5, 2.0], [2.0, 0.0]]
>>> W.grad[1, 0] = 7.0     # a batched pass writes the matrix of gradients
>>> W.element(1, 0).grad
7.0
"""

from __future__ import annotations

import numbers
from typing import Any, Protocol

import numpy as np

from autograd.data import real_array
from autograd.graph import next_serial
from autograd.value import Value

__all__ = ["Debt", "Element", "Naming", "ParameterArray", "plain_number"]


class Debt(Protocol):
    """Shares of a gradient not yet added to a parameter array."""

    @staticmethod
    def settle_all(debts: list[Any]) -> None:
        """Add the shares of these debts (all of one kind) to their arrays, once."""


def plain_number(value: Any, what: str) -> float:
    r"""A real number as a plain Python ``float`` (numpy scalars included).

    >>> type(plain_number(np.float64(2.5), "data"))
    <class 'float'>
    """
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = (
            f"{what} must be one number (an int or a float), not "
            f"{type(value).__name__}; a parameter holds a single number."
        )
        raise TypeError(msg)
    try:
        return float(value)
    except OverflowError:
        msg = f"{what} is too large for a float (beyond ±1.8e308); give a float."
        raise OverflowError(msg) from None


class Naming(Protocol):
    """How an array and each of its numbers are called (see :mod:`autograd.names`)."""

    def whole(self) -> str:
        """The array's name: ``W²``."""

    def element(self, index: tuple[int, ...]) -> str:
        """The name of the number at ``index``: ``w²₁₂``."""

    def neuron(self, part: str, j: int) -> str:
        """Neuron ``j``'s ``part`` (``"sum"`` or ``"activation"``): ``z²ⱼ``."""


#: The label slot every Value has: an array and its elements keep a label the
#: user gave there, and otherwise read their names from the array's naming.
_OWN_LABEL = Value.__dict__["label"]


class ParameterArray(Value):
    r"""A leaf whose data is a writable array of parameters (weights or biases).

    ``data`` and ``grad`` are float arrays of the same shape, changed in place
    by optimizers and ``zero_grad``. :meth:`element` gives the Value of one
    number, always the same object for the same place.

    Shares of the gradient may be *owed* to the array (see :meth:`owe`): a
    layer run on one sample sends its weights their shares a layer at a
    time. Whatever reads or replaces ``grad`` first receives every owed
    share, so ``grad`` always reads as if each share had been added at once.
    """

    __slots__ = ("_elements", "_grad", "_owed", "_rows", "naming")

    def __init__(self, values: Any, label: str = "") -> None:
        array = real_array(values, "a ParameterArray's values").copy()
        if array.ndim == 0 or array.size == 0:
            msg = "a ParameterArray holds a non-empty array of numbers."
            raise ValueError(msg)
        self._owed: list[Debt] = []
        self.naming: Naming | None = None  # given by the model that owns the array
        super().__init__(1.0, label)
        self.data = array  # writable: optimizers update it in place
        self.grad = np.zeros(array.shape)
        self._elements: dict[tuple[int, ...], Element] = {}
        self._rows: dict[int, tuple[Element, ...]] = {}  # -1: all of them

    @property
    def label(self) -> str:
        """The label given to the array, or else its name in the model (``W²``)."""
        own: str = _OWN_LABEL.__get__(self)
        if own or self.naming is None:
            return own
        return self.naming.whole()

    @label.setter
    def label(self, value: str) -> None:
        _OWN_LABEL.__set__(self, value)

    @property
    def grad(self) -> np.ndarray:
        if self._owed:
            self.settle()
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if self._owed:
            self.settle()
        self._grad = value

    def owe(self, debt: Debt) -> None:
        """Remember shares to add to ``grad`` before anything reads it."""
        self._owed.append(debt)

    def settle(self) -> None:
        """Add every owed share to ``grad`` now."""
        owed, self._owed = self._owed, []
        kinds: dict[Any, list[Debt]] = {}
        for debt in owed:
            kinds.setdefault(type(debt), []).append(debt)
        for kind, debts in kinds.items():
            kind.settle_all(debts)

    @property
    def batch_size(self) -> None:
        """None: the rows of a weight matrix are neurons, not samples."""
        return None

    def element(self, *index: int) -> Element:
        """The Value of the number at ``index`` (the same object every time)."""
        found = self._elements.get(index)
        if found is not None:
            return found
        key = tuple(int(i) for i in index)
        found = self._elements.get(key)
        if found is None:
            if len(key) != self.data.ndim:
                msg = (
                    f"an element of a {self.data.ndim}-D parameter array needs "
                    f"{self.data.ndim} indices, not {len(key)}."
                )
                raise IndexError(msg)
            self.data[key]  # raises IndexError for a place outside the array
            found = self._elements[key] = Element(self, key)
        return found

    def elements(self) -> tuple[Element, ...]:
        """Every element, in the array's (row by row) order."""
        found = self._rows.get(-1)
        if found is None:
            if self.data.ndim == 2:  # row by row, as the neurons hold them
                rows = [self.row(i) for i in range(len(self.data))]
                found = tuple(e for row in rows for e in row)
            else:
                found = tuple(self.element(*i) for i in np.ndindex(*self.data.shape))
            self._rows[-1] = found
        return found

    def row(self, i: int) -> tuple[Element, ...]:
        """The elements of row ``i`` (one neuron's weights), in order."""
        found = self._rows.get(i)
        if found is None:
            i = int(i)
            if not -len(self.data) <= i < len(self.data):
                msg = f"row {i} is outside this {self.data.shape[0]}-row array."
                raise IndexError(msg)
            elements = self._elements
            made = []
            for k in range(self.data.shape[1]):
                element = elements.get((i, k))
                if element is None:
                    element = elements[(i, k)] = Element(self, (i, k))
                made.append(element)
            found = self._rows[i] = tuple(made)
        return found


class Element(Value):
    r"""One number of a :class:`ParameterArray`, seen as a Value of its own.

    A leaf: ``data`` and ``grad`` read and write the array at ``index`` and
    are always plain floats. Its ``label`` is the one given to it, or else
    its name in the model that owns the array (``w²₁₂``), read from the
    array's naming whenever it is shown, so it follows the notation in use.
    """

    __slots__ = ("array", "index")

    array: ParameterArray
    index: tuple[int, ...]

    def __init__(self, array: ParameterArray, index: tuple[int, ...]) -> None:
        self.array = array
        self.index = index
        self.label = ""
        self.op = ""
        self.parents = ()
        self.local_grads = ()
        self.serial = next_serial()

    @property
    def label(self) -> str:
        own: str = _OWN_LABEL.__get__(self)
        naming = self.array.naming
        if own or naming is None:
            return own
        return naming.element(self.index)

    @label.setter
    def label(self, value: str) -> None:
        _OWN_LABEL.__set__(self, value)

    @property
    def data(self) -> float:
        return self.array.data.item(self.index)

    @data.setter
    def data(self, value: Any) -> None:
        self.array.data[self.index] = plain_number(value, f"{self.label or 'data'}")

    @property
    def grad(self) -> float:
        return self.array.grad.item(self.index)

    @grad.setter
    def grad(self, value: Any) -> None:
        if type(value) is not float:
            value = plain_number(value, f"the grad of {self.label or 'a parameter'}")
        self.array.grad[self.index] = value
