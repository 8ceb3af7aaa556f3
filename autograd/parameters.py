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
reads. Elements are made when someone asks for one (``neuron.w[k]``,
``parameters()``, a picture), and the same place always gives the same
element: a model of a hundred thousand weights is built without making a
hundred thousand Values.

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

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, overload

import numpy as np

from autograd.data import is_number, is_whole_number, real_array
from autograd.graph import next_serial
from autograd.value import Value

__all__ = ["Element", "Naming", "ParameterArray", "Row", "plain_number"]

Index = tuple[int, ...]


def plain_number(value: Any, what: str) -> float:
    r"""A real number as a plain Python ``float`` (numpy scalars included).

    >>> type(plain_number(np.float64(2.5), "data"))
    <class 'float'>
    """
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if not is_number(value):
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
    by optimizers, backward passes and ``zero_grad``. :meth:`element` gives the
    Value of one number, always the same object for the same place, made the
    first time it is asked for; :meth:`row` a neuron's row of them.

    ``naming`` says how the array and its elements are called (see
    :class:`Naming`): the model that owns the array gives it, and labels are
    read from it each time they are shown. ``sample_shares`` is kept for the
    layers run on one sample that read the array (see
    :class:`~autograd.layer_sample.SampleShares`): ``None`` until one does.
    """

    __slots__ = ("_elements", "naming", "sample_shares")

    def __init__(self, values: Any, label: str = "") -> None:
        array = real_array(values, "a ParameterArray's values").copy()
        if array.ndim == 0 or array.size == 0:
            msg = "a ParameterArray holds a non-empty array of numbers."
            raise ValueError(msg)
        self.naming: Naming | None = None  # given by the model that owns the array
        self.sample_shares: Any = None  # made by the first layer sample that reads it
        super().__init__(1.0, label)
        self.data = array  # writable: optimizers update it in place
        self.grad = np.zeros(array.shape)
        self._elements: dict[Index, Element] = {}

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
            key = tuple(i % n for i, n in zip(key, self.data.shape))  # -1: the last
            found = self._elements.get(key)
            if found is None:
                found = self._elements[key] = Element(self, key)
        self._elements[index] = found
        return found

    def elements(self) -> tuple[Element, ...]:
        """Every element, in the array's (row by row) order."""
        return tuple(self.element(*i) for i in np.ndindex(*self.data.shape))

    def row(self, i: int) -> Row:
        """Row ``i`` of a matrix (one neuron's weights), as a sequence of elements."""
        if self.data.ndim != 2:
            msg = f"row needs a matrix of weights, not a {self.data.ndim}-D array."
            raise IndexError(msg)
        i = int(i)
        if not -len(self.data) <= i < len(self.data):
            msg = f"row {i} is outside this {self.data.shape[0]}-row array."
            raise IndexError(msg)
        return Row(self, i % len(self.data))


class Row(Sequence["Element"]):
    r"""One row of a weight matrix, as a neuron's weights ``w``: ``w[k]`` is W[j, k].

    A view: it holds no Values, and ``w[k]`` makes the element the first
    time it is asked for.

    >>> W = ParameterArray([[0.5, -1.0], [2.0, 0.0]], label="W")
    >>> w = W.row(1)
    >>> len(w), w[0].data, w[0] is W.element(1, 0)
    (2, 2.0, True)
    >>> [e.data for e in w + [W.element(0, 0)]]
    [2.0, 0.0, 0.5]
    """

    __slots__ = ("array", "j")

    def __init__(self, array: ParameterArray, j: int) -> None:
        self.array = array
        self.j = j  # the row: neuron j's weights

    def __len__(self) -> int:
        return int(self.array.data.shape[1])

    @overload
    def __getitem__(self, k: int) -> Element: ...

    @overload
    def __getitem__(self, k: slice) -> list[Element]: ...

    def __getitem__(self, k: int | slice) -> Element | list[Element]:
        if isinstance(k, slice):
            return [self.array.element(self.j, i) for i in range(len(self))[k]]
        n = len(self)
        if not is_whole_number(k):
            msg = f"a weight's index must be a whole number, not {k!r}."
            raise TypeError(msg)
        if not -n <= k < n:
            msg = f"index {k} is outside this neuron's {n} weights."
            raise IndexError(msg)
        return self.array.element(self.j, int(k) % n)

    def __iter__(self) -> Iterator[Element]:
        element, j = self.array.element, self.j
        return (element(j, k) for k in range(len(self)))

    def __add__(self, other: Sequence[Any]) -> list[Any]:
        return [*self, *other]

    def __radd__(self, other: Sequence[Any]) -> list[Any]:
        return [*other, *self]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self.array is other.array and self.j == other.j
        if isinstance(other, list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, like a list

    def __repr__(self) -> str:
        return f"Row({self.j} of {self.array.label or 'a weight matrix'})"


class Element(Value):
    r"""One number of a :class:`ParameterArray`, seen as a Value of its own.

    A leaf: ``data`` and ``grad`` read and write the array at ``index`` and
    are always plain floats. Its ``label`` is the one given to it, or else
    its name in the model that owns the array (``w²₁₂``), read from the
    array's naming whenever it is shown, so it follows the notation in use.
    """

    __slots__ = ("array", "index")

    array: ParameterArray
    index: Index

    def __init__(self, array: ParameterArray, index: Index) -> None:
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
