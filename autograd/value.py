r"""The node of the graph: :class:`Value`.

A ``Value`` holds a number (or a batch of numbers), the gradient of the final
output with respect to it, and how it was made: the op, its parents, and the
local derivative ∂self/∂parent for each parent, computed in the forward pass
by the op's rule in :mod:`autograd.ops`.

>>> a = Value(2.0, label="a")
>>> b = Value(-3.0, label="b")
>>> c = a * b + a
>>> c.backward()
>>> a.grad, b.grad        # ∂(ab + a)/∂a = b + 1,  ∂(ab + a)/∂b = a
(-2.0, 2.0)
"""

from __future__ import annotations

import gc
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from autograd.data import is_number, real_number
from autograd.graph import backward as backward_pass
from autograd.graph import next_serial, summed_to
from autograd.graph import zero_grad as zero_graph
from autograd.ops import OPS, Data, DomainError, Op, is_batch, op_for

__all__ = [
    "VALUES",
    "Constant",
    "Value",
    "apply",
    "as_value",
    "check_value",
    "fresh_constant",
    "make_node",
    "name_of",
    "seed_gradient",
    "set_collector_pause",
    "to_data",
    "vsum",
    "wsum",
]


# --- the methods of the ops ---------------------------------------------------------

# Python's cycle collector is paused while an op makes its node. A graph of
# Values holds no reference cycles (a node points only to its parents), so
# reference counting alone frees it; but each node made counts towards the
# collector's next pass, and as a graph grows the collector would rescan all
# of it again and again: unpaused, a chain of a million nodes builds three
# times slower. Paused inside the ops, it runs at the first allocation of the
# user's own code instead (nothing is missed).
#
# An op pauses the collector only if it finds it running, and then switches it
# back on in its ``finally``:
#
# - ``paused`` is set inside the ``try``, just before the pause, with no point
#   between them where Python could run a signal handler (it runs them only
#   after a call returns, at a loop's jump back and on entering a Python
#   function): a Ctrl-C before the pause changes nothing, one after it lands
#   in the ``try``, and ``finally`` switches the collector back on;
# - an op that finds the collector off (the user's choice, or another thread's
#   op in progress) leaves it alone, and every op that paused it switches it
#   back on after its own pause, so the last of them to finish leaves it on.
#
# The switch is the process's own: while one thread is inside an op, every
# thread reads ``gc.isenabled()`` as False. set_collector_pause(False) turns
# the pause off (for a program whose threads switch the collector themselves).


def _switched_off() -> bool:
    """What an op asks instead of ``gc.isenabled()`` when the pause is off."""
    return False


_collector_running, _pause_collector, _resume_collector = (
    gc.isenabled,
    gc.disable,
    gc.enable,
)


def set_collector_pause(on: bool) -> bool:
    r"""Switch the collector's pause inside ops on or off; return the old setting.

    By default (on) an op that finds Python's cycle collector running pauses
    it while it makes its node and switches it back on as it returns, so a
    deep graph builds without the collector rescanning it (a million-node
    chain builds three times faster). Off, the ops never touch the
    collector: for a program in which one thread switches the collector on
    or off while another thread builds graphs (the pause is process-wide:
    while one thread is inside an op, ``gc.isenabled()`` is False in every
    thread, and that op's return may undo another thread's ``gc.disable()``).

    >>> import gc
    >>> previous = set_collector_pause(False)
    >>> (Value(2.0) * 3.0).data, gc.isenabled()
    (6.0, True)
    >>> set_collector_pause(previous)
    False
    """
    global _collector_running  # the one switch the ops read
    if not isinstance(on, bool):
        msg = f"set_collector_pause takes True or False, not {type(on).__name__}."
        raise TypeError(msg)
    previous = _collector_running is gc.isenabled
    _collector_running = gc.isenabled if on else _switched_off
    return previous


def _binary_method(name: str) -> Callable[[Value, Any], Value]:
    """``a ∘ b`` for the op ``name`` of the table: :func:`apply`, made for two inputs.

    The arithmetic ops are the hottest path of a scalar graph, so the op's
    record is read once, here, not on every call as ``apply`` reads it.
    """
    op = OPS[name]
    rule = op.rule
    what = f"a number to combine with {op.symbol}"

    def method(a: Value, b: Any) -> Value:
        paused = False
        try:
            if _collector_running():  # pause it while the node is made: see above
                paused = True
                _pause_collector()
            if not isinstance(b, Value):  # a number in the expression: a constant
                if type(b) is float:
                    b = make_node(b, (), "", (), Constant)
                else:
                    b = _leaf(to_data(b, what=what))
            try:
                data, local_grads = rule(a.data, b.data)
            except DomainError as error:
                raise error.for_input(name_of((a, b)[error.position])) from None
            return make_node(data, local_grads, op, (a, b))
        finally:
            if paused:
                _resume_collector()

    method.__name__ = method.__qualname__ = name
    return method


def _unary_method(name: str, doc: str = "") -> Callable[[Value], Value]:
    """``f(a)`` for the op ``name`` of the table: :func:`apply`, made for one input."""
    op = OPS[name]
    rule = op.rule

    def method(a: Value) -> Value:
        paused = False
        try:
            if _collector_running():  # paused while the node is made, as for two
                paused = True
                _pause_collector()
            try:
                data, local_grads = rule(a.data)
            except DomainError as error:
                raise error.for_input(name_of(a)) from None
            return make_node(data, local_grads, op, (a,))
        finally:
            if paused:
                _resume_collector()

    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc
    return method


class Value:
    r"""One node of a computation graph.

    ``data`` is a float, or a numpy array of floats: a *batch*, in which the
    same graph computes every sample at once (samples along the first axis:
    a 1-D column of a scalar graph, or the batch × units matrix of a layer).
    ``grad`` has the shape of ``data`` and starts at 0. ``op`` names the op
    that made the node (``""`` for a leaf), ``parents`` are its inputs in
    order, and ``local_grads`` holds ∂self/∂parent for each parent.
    ``serial`` counts the nodes made before it, so an op's node always has a
    larger serial than its parents: the backward pass takes nodes in the
    reverse order of their making.

    >>> x = Value(np.array([1.0, 2.0, 3.0]), label="x")
    >>> (x * x).sum().backward()     # d/dx Σ x² = 2x
    >>> x.grad
    array([2., 4., 6.])

    A Value has ``__slots__``, so it takes no attributes of its own
    (``v.momentum = ...`` fails): keep per-parameter state in a dict keyed
    by the Value, or in an optimizer.
    """

    __slots__ = ("data", "grad", "label", "local_grads", "op", "parents", "serial")

    # numpy must hand arithmetic with arrays back to Value, not loop over it.
    __array_ufunc__ = None

    #: False for a :class:`Constant`: the chain rule sends it nothing.
    needs_grad = True

    data: Data
    grad: Data
    label: str
    op: str
    parents: tuple[Value, ...]
    local_grads: tuple[Any, ...]
    serial: int

    #: None: a node takes its own step in a backward pass (a neuron of a layer
    #: run on one sample names its layer instead: see LayerSample).
    shortcut: Any = None

    def __init__(self, data: Any, label: str = "") -> None:
        if not isinstance(label, str):
            msg = f"label must be a string, not {type(label).__name__}."
            raise TypeError(msg)
        self.data = to_data(data)
        self.grad = 0.0 if type(self.data) is float else np.zeros(self.data.shape)
        self.label = label
        self.op = ""
        self.parents = ()
        self.local_grads = ()
        self.serial = next_serial()

    # --- reading a node -----------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"Value(label={self.label!r}, data={_show(self.data)}, "
            f"grad={_show(self.grad)}, op={self.op!r})"
        )

    @property
    def is_leaf(self) -> bool:
        """True for a node that no op made: an input, a weight or a constant."""
        return not self.parents

    @property
    def batch_size(self) -> int | None:
        """The number of samples in a batched node, ``None`` for one number."""
        data = self.data
        return int(data.shape[0]) if is_batch(data) else None

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data``: ``()`` for one number, ``(n,)``, ``(n, units)``."""
        data = self.data
        return tuple(data.shape) if is_batch(data) else ()

    # --- as a number, as PyTorch's tensors and micrograd's Values are ------------

    def item(self) -> float:
        r"""The number a one-number Value holds, as a Python ``float``.

        ``loss.item()`` as in PyTorch; ``float(loss)`` is the same. A batch
        holds many numbers: read ``.data`` (a numpy array) instead.

        >>> Value(0.25).item(), float(Value(2.0) * 3.0)
        (0.25, 6.0)
        """
        data = self.data
        if is_batch(data):
            msg = (
                f"item() needs a Value holding one number, but {name_of(self)} "
                f"holds a batch of shape {tuple(data.shape)}; read .data for the "
                "array, or reduce it first (.sum(), .mean())."
            )
            raise TypeError(msg)
        return float(data)

    def __float__(self) -> float:
        return self.item()

    # Ordering compares the numbers, as micrograd's and PyTorch's do (``loss <
    # 0.01``), and gives a bool. ``==`` is not among them: it stays identity,
    # so that Values, the nodes of a graph, can be kept in sets and dicts.

    def __lt__(self, other: Any) -> bool:
        return self.item() < _number(other)

    def __le__(self, other: Any) -> bool:
        return self.item() <= _number(other)

    def __gt__(self, other: Any) -> bool:
        return self.item() > _number(other)

    def __ge__(self, other: Any) -> bool:
        return self.item() >= _number(other)

    @property
    def _prev(self) -> set[Value]:
        """The parents as a set, as micrograd calls them (read-only)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """The op's symbol as micrograd writes it (``+``, ``*``, ``ReLU``, ``**2``)."""
        return op_for(self.op).micrograd if self.op else ""

    # --- the arithmetic ops -------------------------------------------------------

    # Each applies its op's record in the table (see _binary_method).
    __add__ = _binary_method("add")
    __sub__ = _binary_method("sub")
    __mul__ = _binary_method("mul")
    __truediv__ = _binary_method("div")

    __neg__ = _unary_method("neg")

    def __pow__(self, exponent: Any) -> Value:
        r"""a ** n for a number n, or a ** b for a Value b (positive base only)."""
        kind = type(exponent)
        if kind is int or kind is float:  # the usual exponent: its record, kept
            power = _POWERS.get(exponent)
            if power is not None:
                return apply(power, (self,))
        if isinstance(exponent, Value):
            return _POWV(self, exponent)
        if is_number(exponent):
            n = float(to_data(exponent, what="the exponent"))
            power = OPS["pow"].bind(n=n)
            if kind is int or kind is float:
                if len(_POWERS) >= 256:  # many exponents: keep the latest few
                    _POWERS.clear()
                _POWERS[exponent] = power
            return apply(power, (self,))
        msg = (
            f"the exponent must be a number or a Value, not {type(exponent).__name__}."
        )
        raise TypeError(msg)

    # A number on the left (``2 * x``) is a constant leaf, as on the right.
    def __radd__(self, other: Any) -> Value:
        return _as_constant(other, "a number to combine with +").__add__(self)

    def __rsub__(self, other: Any) -> Value:
        return _as_constant(other, "a number to combine with −").__sub__(self)

    def __rmul__(self, other: Any) -> Value:
        return _as_constant(other, "a number to combine with ×").__mul__(self)

    def __rtruediv__(self, other: Any) -> Value:
        return _as_constant(other, "a number to combine with ÷").__truediv__(self)

    def __rpow__(self, base: Any) -> Value:
        return _as_constant(base, "the base of a power") ** self

    # --- the functions ------------------------------------------------------------

    exp = _unary_method("exp", r"""eˣ;  d/dx eˣ = eˣ.""")

    log = _unary_method("log", r"""ln x (x > 0);  d/dx ln x = 1/x.""")

    tanh = _unary_method("tanh", r"""tanh x;  d/dx tanh x = 1 − tanh²x.""")

    sigmoid = _unary_method(
        "sigmoid", r"""σ(x) = 1/(1 + e⁻ˣ);  d/dx σ(x) = σ(x)(1 − σ(x))."""
    )

    relu = _unary_method("relu", r"""max(0, x);  d/dx = 1 if x > 0 else 0.""")

    def leaky_relu(self, slope: float = 0.01) -> Value:
        r"""x if x > 0 else slope·x;  d/dx = 1 if x > 0 else slope."""
        if not is_number(slope):
            msg = (
                f"slope must be a number (the gradient for x < 0, e.g. 0.01), not "
                f"{type(slope).__name__} {slope!r}."
            )
            raise TypeError(msg)
        slope = real_number(slope, "slope")
        if not math.isfinite(slope):
            msg = f"slope must be a finite number (e.g. 0.01), not {slope}."
            raise ValueError(msg)
        return apply(OPS["leaky_relu"], (self,), slope=slope)

    def sum(self) -> Value:
        r"""Σᵢ xᵢ over a batch: a scalar node;  ∂/∂xᵢ = 1."""
        return apply(OPS["sum"], (self,))

    def mean(self) -> Value:
        r"""(1/n)·Σᵢ xᵢ over the n numbers of a batch: a scalar node;  ∂/∂xᵢ = 1/n."""
        return apply(OPS["mean"], (self,))

    # --- the backward pass --------------------------------------------------------

    def backward(self, grad: Any = None) -> None:
        r"""Fill in ``grad`` of every node in the graph by the chain rule.

        Seeds this node's grad with ``grad`` (default 1), then walks
        the graph in reverse topological order doing
        ``parent.grad += local_grad × node.grad``. Intermediate nodes are
        reset first, so calling ``backward()`` twice leaves every leaf with
        exactly twice its gradient.

        A node holding a batch or a matrix needs ``grad`` (as PyTorch's
        ``backward()`` does): the gradient of *what* would be ambiguous, so
        reduce it to one number first (``.sum()``, ``.mean()``) or pass a
        ``grad`` of its shape.
        """
        backward_pass(self, seed_gradient(self, grad))

    def zero_grad(self) -> None:
        """Set the grad of every node in this graph to 0."""
        zero_graph(self)

    def chain_rule(self) -> None:
        r"""Send this node's gradient to its parents: the chain rule at one node.

        For each parent p with local derivative ∂self/∂p:

            p.grad += ∂self/∂p × self.grad

        For a layer node × is a matrix product (see
        :class:`~autograd.layer_rules.MatrixLocal`); where a number meets a
        batch, the share is summed over the batch (see
        :func:`~autograd.graph.summed_to`).
        """
        upstream = self.grad
        if upstream is None:  # no path from the root reaches this node
            return
        local_grads = self.local_grads
        k = 0  # counted by hand: a zip here costs a million-node pass about 30%
        if type(upstream) is float:  # one number: the line as written above
            for parent in self.parents:
                if parent.needs_grad:
                    share = local_grads[k] * upstream
                    if type(share) is not float:  # a batch meets a number
                        share = summed_to(parent.data, share)
                        if parent.grad is None:  # a batch node's first share
                            parent.grad = _first_share(parent, share, upstream)
                        else:
                            parent.grad += share
                    else:
                        try:
                            parent.grad += share
                        except TypeError:  # None += a number: a batch's first share
                            parent.grad = _first_share(parent, share, upstream)
                k += 1
            return
        for parent in self.parents:  # a batch: the same line, on arrays
            if parent.needs_grad:
                local = local_grads[k]
                if type(local) is float and local == 1.0:
                    share = upstream  # 1 × upstream, without a copy of it
                else:
                    share = local * upstream
                data = parent.data
                if type(data) is not _ARRAY or data.shape != share.shape:
                    share = summed_to(data, share)  # a number meets a batch
                grad = parent.grad
                if grad is None:  # its first share: itself (see _first_share)
                    if share is upstream or share.shape != data.shape:
                        share = _first_share(parent, share, upstream)
                    parent.grad = share
                else:
                    grad += share
                    parent.grad = grad
            k += 1

    def _backward(self) -> None:
        """micrograd's name for :meth:`chain_rule` (its lecture calls it by hand)."""
        self.chain_rule()


def _first_share(parent: Value, share: Data, upstream: Data) -> np.ndarray:
    r"""A batch node's gradient from the first share it is sent: the share itself.

    The backward pass starts a batch node's grad at None, not at an array of
    0 that the first share is then added to (see
    :func:`~autograd.graph.backward`). The share is copied only where it is
    the sender's own gradient (a local derivative of 1), and spread to the
    node's shape where it is a number or a smaller array.
    """
    if parent.grad is not None:  # some other mistake: let it be seen
        msg = f"cannot add a {type(share).__name__} to the gradient {parent.grad!r}"
        raise TypeError(msg)
    if type(share) is not _ARRAY or share.shape != parent.data.shape:
        return np.full(parent.data.shape, share, dtype=float)
    return share.copy() if share is upstream else share


class Constant(Value):
    r"""A leaf whose gradient nobody needs: given data, not something to learn.

    A batch of inputs, the targets of a loss, a dropout mask. It is drawn and
    stepped through like any leaf, but the chain rule sends it nothing (its
    grad stays 0), which spares the work: for a layer's input batch X,
    dL/dX = dL/dZ·W is a whole matrix product. Make the input a ``Value`` to
    get dL/dX.

    >>> c = Constant(np.array([1.0, 2.0]), "targets")
    >>> x = Value(np.array([3.0, 4.0]), "x")
    >>> ((x - c) ** 2).sum().backward()
    >>> x.grad.tolist(), c.grad.tolist()
    ([4.0, 4.0], [0.0, 0.0])
    """

    __slots__ = ()

    needs_grad = False


# --- applying an op ------------------------------------------------------------------


def apply(op: Op, parents: tuple[Value, ...], **params: Any) -> Value:
    r"""A new node: ``op``'s rule applied to the parents' data.

    The rule returns the forward value and the local derivatives, which the
    node keeps, with the op's record as its ``op``: ``params`` (a power's
    exponent ``n``, a leaky ReLU's ``slope``) are bound into that record
    (see :meth:`~autograd.record.Op.bind`). A rule that refuses its input
    raises before the node exists, naming the parent to blame.

    >>> from autograd.ops import OPS
    >>> y = apply(OPS["mul"], (Value(2.0), Value(-3.0)))
    >>> y.data, y.local_grads
    (-6.0, (-3.0, 2.0))
    >>> cube = apply(OPS["pow"], (Value(2.0),), n=3.0)
    >>> cube.op, cube.op.params, cube.data, cube.local_grads
    ('pow', {'n': 3.0}, 8.0, (12.0,))
    """
    if params:
        op = op.bind(**params)
    paused = False
    try:
        if _collector_running():  # paused while the node is made: see above
            paused = True
            _pause_collector()
        try:
            if op.params:
                data, local_grads = op.rule(*map(_data_of, parents), **op.params)
            else:
                data, local_grads = op.rule(*map(_data_of, parents))
        except DomainError as error:
            raise error.for_input(name_of(parents[error.position])) from None
        return make_node(data, local_grads, op, parents)
    finally:
        if paused:
            _resume_collector()


_new = object.__new__
_ARRAY = np.ndarray
_data_of = operator.attrgetter("data")
_POWV = _binary_method("powv")
#: The record of ``pow`` bound to each exponent used (``x ** 2``: n = 2).
_POWERS: dict[float, Op] = {}


def make_node(
    data: Data,
    local_grads: tuple[Any, ...],
    op: str,
    parents: tuple,
    kind: type[Value] | None = None,
) -> Value:
    """Make an op's output node (``op``: its record), or with ``kind`` a leaf.

    The op has already checked its inputs.
    """
    node = _new(kind or Value)
    node.data = data
    node.grad = 0.0 if type(data) is float else _zeros_of(data.shape)
    node.label = ""
    node.op = op
    node.parents = parents
    node.local_grads = local_grads
    node.serial = next_serial()
    return node


_ZEROS: dict[tuple[int, ...], np.ndarray] = {}


def _zeros_of(shape: tuple[int, ...]) -> np.ndarray:
    r"""A read-only array of 0s of this shape: a new node's gradient, shared.

    A node's gradient stays 0 until a backward pass, which gives each node
    of its graph a gradient of its own before it adds anything to it, so
    the nodes made by ops can share one array of 0s per (small) shape
    instead of each making its own.
    """
    zeros = _ZEROS.get(shape)
    if zeros is None:
        if math.prod(shape) > 4096:  # a big one is not kept (calloc makes it fast)
            return np.zeros(shape)
        if len(_ZEROS) >= 64:  # a few shapes are in use at a time
            _ZEROS.clear()
        zeros = _ZEROS[shape] = np.zeros(shape)
        zeros.flags.writeable = False
    return zeros


def _leaf(data: Data) -> Value:
    r"""A plain number given to an op (``x * 3``), as a :class:`Constant` leaf.

    ``data`` is already checked. A number written into an expression is
    given data, not something to learn: the chain rule sends it nothing.
    """
    return make_node(data, (), "", (), Constant)


def fresh_constant(data: np.ndarray, label: str = "") -> Value:
    r"""A :class:`Constant` holding a float array made for it, without a copy.

    A user's array is copied into a Value (see :func:`to_data`): the graph
    relies on data never changing. An array chainrule has just made itself
    (one-hot rows, the rows of a dataset cut out for a batch) is held by
    nobody else, so it is only made read-only.
    """
    data.flags.writeable = False
    node = make_node(data, (), "", (), Constant)
    node.label = label
    return node


def _as_constant(x: Any, what: str) -> Value:
    """``x`` itself if it is a Value, else a constant leaf holding it."""
    return x if isinstance(x, Value) else _leaf(to_data(x, what=what))


def seed_gradient(root: Value, grad: Any) -> Data:
    r"""∂root/∂root: 1, or the gradient a user hands in.

    A root holding a batch or a matrix needs ``grad`` (as PyTorch's
    ``backward()`` does), in ``backward()`` and ``backward_steps()`` alike:
    the gradient of *what* would be ambiguous.
    """
    batch = is_batch(root.data)
    if grad is None and batch:
        msg = (
            f"backward() without grad= needs a Value holding one number, but "
            f"{name_of(root)} holds a batch of shape {root.shape}; reduce it to "
            "one number first (.sum() or .mean(), as a loss does), or pass "
            f"grad= an array of shape {root.shape} (np.ones for the sum)."
        )
        raise ValueError(msg)
    if grad is None:
        return 1.0
    seed = to_data(grad, what="the gradient given to backward()")
    if is_batch(seed) != batch or (batch and seed.shape != root.data.shape):
        shape = f"shape {root.shape}" if batch else "one number"
        msg = f"backward(grad=...) needs {shape}, the shape of this node's data."
        raise ValueError(msg)
    return seed


# --- data -----------------------------------------------------------------------------

_ACCEPTED = "a number (int or float) or a numpy array of floats (a batch)"
_REAL_KINDS = "iuf"  # numpy's kinds of real numbers: signed, unsigned, floating


def to_data(data: Any, what: str = "a Value's data") -> Data:
    r"""Check and convert what a user gave as data: a float or a float array.

    Numbers of any kind (``int``, numpy scalars, 0-d arrays) become a plain
    ``float``; an array becomes a read-only float copy, since the graph
    relies on data never changing after an op has used it.
    """
    kind = type(data)
    if kind is float:
        return data
    if kind is int:
        try:
            return float(data)
        except OverflowError:
            raise OverflowError(_too_large(what)) from None
    if kind is np.ndarray and data.ndim:  # a batch: straight to the array's checks
        return _array_data(data, what)
    if isinstance(data, bool) or data is None or isinstance(data, str | bytes):
        msg = f"{what} must be {_ACCEPTED}, not {type(data).__name__} {data!r}."
        raise TypeError(msg)
    if isinstance(data, numbers.Real):  # a numpy scalar, a Fraction
        try:
            return float(data)
        except OverflowError:
            raise OverflowError(_too_large(what)) from None
    if isinstance(data, np.ndarray):
        if data.ndim == 0:
            return to_data(data.item(), what)
        return _array_data(data, what)
    msg = f"{what} must be {_ACCEPTED}, not {type(data).__name__}."
    if isinstance(data, list | tuple):
        msg += " Wrap a batch in numpy.array(...)."
    raise TypeError(msg)


def _array_data(data: np.ndarray, what: str) -> np.ndarray:
    """A batch a user gave: a read-only float copy, once it is seen to hold numbers."""
    if data.dtype.kind not in _REAL_KINDS:
        msg = f"{what} must be {_ACCEPTED}, not an array of {data.dtype}."
        raise TypeError(msg)
    if data.size == 0:
        msg = f"{what} is an empty batch; a batch needs at least one sample."
        raise ValueError(msg)
    batch = np.array(data, dtype=float)
    batch.flags.writeable = False
    return batch


def _number(other: Any) -> float:
    """The number to compare a Value with: a one-number Value's, or a real number."""
    if isinstance(other, Value):
        return other.item()
    if isinstance(other, numbers.Real):
        return float(other)
    if isinstance(other, np.ndarray) and other.shape == ():
        return float(other)
    msg = (
        f"a Value is compared with a number or a one-number Value, not "
        f"{type(other).__name__}."
    )
    raise TypeError(msg)


def _too_large(what: str) -> str:
    return f"{what} is a number too large for a float (beyond ±1.8e308); give a float."


def _show(data: Data) -> str:
    """Data for a repr: 4 significant digits; whatever was set by hand, as it is."""
    try:
        if is_batch(data):
            text = np.array2string(data, precision=4, threshold=6, separator=", ")
            return " ".join(text.split())
        return f"{data:.4g}"
    except (TypeError, ValueError, OverflowError):  # .data set by hand: None, ...
        try:
            text = repr(data)
        except ValueError:  # an int of 5,000 digits has no repr (Python's limit)
            return f"<a {type(data).__name__}>"
        return text if len(text) <= 40 else text[:37] + "..."


def name_of(node: Value) -> str:
    """The node's label, or a description of it when it has none."""
    return repr(node.label) if node.label else f"an unlabelled {node.op or 'leaf'}"


def check_value(x: Any, what: str) -> Value:
    """``x`` itself if it is a Value, else a TypeError naming ``what`` it is for."""
    if not isinstance(x, Value):
        shown = repr(x) if len(repr(x)) <= 40 else repr(x)[:37] + "..."
        msg = (
            f"{what} must be a Value (a node of a graph), not {type(x).__name__} "
            f"{shown}; make a number a node with Value(number)."
        )
        raise TypeError(msg)
    return x


def as_value(x: Any) -> Value:
    """``x`` itself if it is a Value, else a new leaf Value holding it."""
    return x if isinstance(x, Value) else Value(x)


def _as_values(items: Iterable[Any]) -> tuple[Value, ...]:
    """A tuple of Values: Values kept as they are, numbers made into leaves."""
    return tuple(x if isinstance(x, Value) else Value(x) for x in items)


def vsum(values: Iterable[Any]) -> Value:
    r"""x₁ + x₂ + ... + xₙ as a single node;  ∂/∂xᵢ = 1 for every i.

    >>> total = vsum([Value(1.0), Value(2.0), 3.0])
    >>> total.data, total.local_grads
    (6.0, (1.0, 1.0, 1.0))
    """
    parents = _as_values(values)
    if not parents:
        msg = "vsum needs at least one value to add up."
        raise ValueError(msg)
    return apply(OPS["vsum"], parents)


def wsum(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    r"""The weighted sum Σᵢ wᵢ·xᵢ + b as a single node.

    Its local derivatives are ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ and ∂/∂b = 1. The parents
    are the weights, then the inputs, then the bias (if given): their roles
    in the op table (``OPS["wsum"].roles_of(n)``).

    >>> w = [Value(0.5, "w1"), Value(-1.0, "w2")]
    >>> z = wsum(w, [2.0, 3.0], bias=Value(1.0, "b"))
    >>> z.data                           # 0.5·2 − 1·3 + 1
    -1.0
    >>> z.backward(); [wi.grad for wi in w]
    [2.0, 3.0]
    """
    w = _as_values(weights)
    x = _as_values(inputs)
    if len(w) != len(x):
        msg = (
            f"wsum needs one weight per input, but got {len(w)} weights and "
            f"{len(x)} inputs."
        )
        raise ValueError(msg)
    if not w:
        msg = "wsum needs at least one weight and one input."
        raise ValueError(msg)
    parents = (*w, *x) if bias is None else (*w, *x, as_value(bias))
    return apply(OPS["wsum"], parents)


class _ValueNodes:
    r"""How the op table's code makes nodes: as Values (see ``record.Nodes``).

    The table knows nothing of Value; what it builds of nodes (one sample of
    a batch, a loss written in scalar ops) it builds through this.
    """

    def leaf(self, data: Any, label: str = "") -> Value:
        return Value(data, label)

    def make(
        self, data: Data, local_grads: tuple[Any, ...], op: Op | str, parents: tuple
    ) -> Value:
        return make_node(data, local_grads, op_for(op), parents)

    def apply(self, op: Op, parents: tuple) -> Value:
        return apply(op, parents)

    def vsum(self, values: Sequence[Any]) -> Value:
        return vsum(values)

    def wsum(self, weights: Sequence[Any], inputs: Sequence[Any]) -> Value:
        return wsum(weights, inputs)


#: The nodes the op table's code makes: Values.
VALUES = _ValueNodes()
