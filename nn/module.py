r"""The base of every network: :class:`Module`.

A module owns parameters (leaf :class:`~autograd.Value` nodes holding one
number each) and sub-modules. It finds them by looking at its own attributes,
in the order they were set, so no registration is needed: a ``Value``
attribute is a parameter, a ``Module`` attribute is a sub-module, and lists
of either are numbered. A :class:`~autograd.ParameterArray` attribute (a
layer's weight matrix) is where parameters *live*: its numbers are the
parameters of the neurons that read its rows (a :class:`~autograd.Row`,
whose Values are made when asked for), listed under those neurons.
That gives every parameter a dotted name that says
where it lives, such as ``layers.0.neurons.2.w.1`` (first layer, third
neuron, second weight). Once the module is built each parameter's ``label``
reads that name (an array's elements read theirs from the array's
``naming`` when asked), so drawn graphs are legible.

>>> from autograd import Value
>>> class Line(Module):
...     def __init__(self):
...         self.w = [Value(2.0), Value(-1.0)]
...         self.b = Value(0.5)
>>> line = Line()
>>> [name for name, _ in line.named_parameters()]
['w.0', 'w.1', 'b']
>>> line.w[1].label
'w.1'
>>> line.state_dict()
{'w.0': 2.0, 'w.1': -1.0, 'b': 0.5}

Saving writes a temporary file in the same folder and renames it over the
target (``os.replace``), so a crash mid-save never leaves a broken file.
Loading checks everything before it changes anything.
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from autograd import Element, ParameterArray, Row, Value
from autograd.names import ArrayNames, LayerNames
from nn.files import write_file
from nn.model_file import (
    StateDictError,
    few,
    json_bytes,
    npz_bytes,
    one_number,
    path_text,
    read_into,
)

__all__ = ["Module", "StateDictError", "array_groups"]


# How many modules' __init__ are running in this thread: the outermost labels.
_building = threading.local()


class Module:
    r"""Base class of neurons, layers and networks.

    Subclasses set their parameters (``Value``) and sub-modules (``Module``)
    as attributes, alone or in lists; everything else (numbers, strings)
    is ignored by the parameter walk. Attributes whose name starts with ``_``
    are private and never walked.
    """

    training: bool = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        r"""Run the module: ``module(x)`` is ``module.forward(x)``, as in PyTorch.

        >>> from autograd import Value
        >>> class Double(Module):
        ...     def forward(self, x):
        ...         return x * 2.0
        >>> Double()(Value(3.0)).data
        6.0
        """
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """What the module computes; a subclass defines it (as in PyTorch)."""
        msg = (
            f"{type(self).__name__} has no forward(); define forward(self, x) in "
            "the class to say what it computes (module(x) calls it)."
        )
        raise NotImplementedError(msg)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # After the outermost __init__ of a module finishes, label every
        # parameter with its dotted name. A module built inside another's
        # __init__ (a layer of an MLP) is labelled by the outer one, with
        # the full path; built on its own, it labels itself.
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def init_then_label(self: Module, *args: Any, **kw: Any) -> None:
            depth = self.__dict__.get("_init_depth", 0)
            self.__dict__["_init_depth"] = depth + 1
            _building.depth = getattr(_building, "depth", 0) + 1
            try:
                init(self, *args, **kw)
            finally:
                self.__dict__["_init_depth"] = depth
                _building.depth -= 1
            if depth == 0:
                del self.__dict__["_init_depth"]
                if _building.depth == 0:
                    self.label_parameters()

        # setattr: assigned here, type checkers would take Module's __init__ to
        # be this function, unbound, and ask every Flatten() for a self
        setattr(cls, "__init__", init_then_label)  # noqa: B010

    # --- walking the module tree ----------------------------------------------------

    def _members(self) -> Iterator[tuple[str, Any]]:
        """(name, Value or Module) for each direct member, lists flattened."""
        for name, attribute in vars(self).items():
            if not name.startswith("_"):
                yield from _flatten(name, attribute)

    def _submodules(self) -> Iterator[tuple[str, Module]]:
        """(name, Module) for each direct sub-module, without walking Values."""
        for name, attribute in vars(self).items():
            if not name.startswith("_"):
                yield from _modules_in(name, attribute)

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module (named ``prefix``) and every sub-module, depth first."""
        yield prefix, self
        for name, member in self._submodules():
            yield from member.named_modules(f"{prefix}{name}.")

    def named_arrays(self, prefix: str = "") -> Iterator[tuple[str, ParameterArray]]:
        """Every parameter array (weight matrix, bias vector) with its dotted name."""
        for name, attribute in vars(self).items():
            if not name.startswith("_") and isinstance(attribute, ParameterArray):
                yield prefix + name, attribute
        for name, member in self._submodules():
            yield from member.named_arrays(f"{prefix}{name}.")

    def named_parameters(self) -> list[tuple[str, Value]]:
        r"""Every parameter with its dotted name, in a fixed order.

        A parameter shared by two places is listed once, under its first name.
        The weights of a neuron are made into Values here, if they were not
        yet (see :class:`~autograd.Row`).
        """
        seen: set[int] = set()
        result: list[tuple[str, Value]] = []
        self._collect("", result, seen)
        return result

    def _collect(
        self, prefix: str, out: list[tuple[str, Value]], seen: set[int]
    ) -> None:
        r"""(name, parameter) for each parameter, into ``out`` (a module whose
        neurons read rows of its arrays lists them itself: see ``nn.Layer``)."""
        for name, attribute in vars(self).items():
            if name.startswith("_"):
                continue
            if _all_parameters(attribute):  # a neuron's weights: the common case
                start = f"{prefix}{name}."
                for i, p in enumerate(attribute):
                    if id(p) not in seen:
                        seen.add(id(p))
                        out.append((f"{start}{i}", p))
                continue
            for member_name, member in _flatten(name, attribute):
                if isinstance(member, Module):
                    member._collect(f"{prefix}{member_name}.", out, seen)
                elif id(member) not in seen:
                    seen.add(id(member))
                    out.append((prefix + member_name, member))

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of :meth:`named_parameters`."""
        return [p for _, p in self.named_parameters()]

    def parameter_groups(self) -> tuple[list[ArrayGroup], list[Value]]:
        r"""The parameters as optimizers take them: arrays, and Values of their own.

        The same groups as ``array_groups(self.parameters())``, found without
        making a Value for each number of an array: every parameter array of
        the model is one group (the whole array), and the parameters that live
        in no array are the rest (``loose``).
        """
        arrays = {id(array): array for _, array in self.named_arrays()}
        own = [p for _, p in self._own_parameters("")]
        return [(array, None) for array in arrays.values()], own

    def label_parameters(self) -> None:
        r"""Name the model's parts (done once it is built).

        Each parameter array is given its names in the articles' notation
        (see :mod:`autograd.names`): a layer's weights ``w²ⱼₖ``, biases
        ``b²ⱼ``, and on one sample its sums ``z²ⱼ`` and activations ``a²ⱼ``.
        The names are read when they are shown, so they follow the notation
        in use (:func:`autograd.names.use_notation`). A parameter of its own
        (a Value attribute) is labelled with its dotted name (``scale``,
        ``w.1``). The keys of :meth:`named_parameters`, of state dicts and of
        saved files stay the code paths.
        """
        self.name_layers("", None)
        for name, p in self._own_parameters(""):
            p.label = name

    def _own_parameters(self, prefix: str) -> Iterator[tuple[str, Value]]:
        """The parameters that are Values of their own (not numbers of an array)."""
        for name, attribute in vars(self).items():
            if name.startswith("_") or _all_elements(attribute):
                continue
            for member_name, member in _flatten(name, attribute):
                if isinstance(member, Module):
                    yield from member._own_parameters(f"{prefix}{member_name}.")
                elif not isinstance(member, Element):
                    yield prefix + member_name, member

    def name_layers(self, path: str, number: int | None) -> None:
        r"""Give the parameter arrays of this module and its sub-modules their names.

        ``path`` is the module's code path (``"layers.0."``) and ``number``
        its place among the layers of the model that holds it (``None`` on
        its own). A module with arrays of its own names them after their
        attribute (``kernel``, ``kernel[0,1]``); layers override this to use
        the notation of a layer (``W²``, ``w²₁₂``).
        """
        for name, array in vars(self).items():
            if not name.startswith("_") and isinstance(array, ParameterArray):
                array.naming = ArrayNames(LayerNames(None, path), name)
        for name, member in self._submodules():
            member.name_layers(f"{path}{name}.", None)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (``backward()`` adds to it)."""
        for _, member in self._members():
            if isinstance(member, Module):
                member.zero_grad()
            else:
                member.grad = 0.0

    # --- training and evaluation mode -------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Switch this module and all sub-modules to training mode (or not)."""
        for _, module in self.named_modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode: dropout becomes the identity."""
        return self.train(False)

    # --- state ------------------------------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """Every parameter's value by name: a plain dict of floats."""
        return {name: float(p.data) for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        r"""Set the parameters from ``state`` (name -> number).

        Everything is checked first: the names must be exactly this model's,
        and every value one finite number. On any problem a
        :class:`StateDictError` explains it and no parameter is changed.
        """
        values = self._checked(state)
        for (_, p), value in zip(self.named_parameters(), values):
            p.data = value

    def _checked(self, state: Any) -> list[float]:
        if not isinstance(state, Mapping):
            msg = f"a state dict must map names to numbers, not {type(state).__name__}."
            raise StateDictError(msg)
        names = [name for name, _ in self.named_parameters()]
        missing = [name for name in names if name not in state]
        known = set(names)
        unexpected = [str(name) for name in state if name not in known]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append(f"missing {len(missing)} ({few(missing)})")
            if unexpected:
                parts.append(f"unexpected {len(unexpected)} ({few(unexpected)})")
            msg = (
                f"the state does not fit this {type(self).__name__} of "
                f"{len(names)} parameters: {'; '.join(parts)}. Was it saved from a "
                "model of another shape?"
            )
            raise StateDictError(msg)
        return [one_number(name, state[name]) for name in names]

    # --- files -----------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        r"""Write the parameters to ``path``, atomically.

        A path ending in ``.npz`` (any case) gets a numpy archive with one
        array per parameter matrix, under its name (``layers.0.W``): what
        ``np.load`` reads; anything else JSON, one number per parameter
        (readable, and exact). See :mod:`nn.model_file`. The bytes go
        through :func:`nn.files.write_file`: to a temporary file in the same
        folder, flushed to disk, then renamed over ``path``, so readers see
        the old file or the new one, never half of one. An existing file
        keeps its permissions; a symbolic link stays a link; a folder, a
        named pipe or a device such as ``/dev/null`` is refused with a
        ValueError before anything is written.
        """
        path = path_text(path)
        payload = npz_bytes(self) if path.lower().endswith(".npz") else json_bytes(self)
        write_file(path, payload)

    def load(self, path: str | os.PathLike[str]) -> Module:
        r"""Read parameters saved by :meth:`save` into this model; return it.

        The file's format is recognised from its contents (files written by
        earlier versions load too). A file that is corrupt, truncated, not a
        model file, for another shape, or far larger than this model's file
        can be, raises :class:`StateDictError` quickly, without reading more
        than the model needs, and leaves the model exactly as it was. A
        missing file is a ``FileNotFoundError``.
        """
        read_into(self, path_text(path))
        return self


# --- helpers ------------------------------------------------------------------------


ArrayGroup = tuple[ParameterArray, np.ndarray | None]


def array_groups(params: list[Value]) -> tuple[list[ArrayGroup], list[Value]]:
    r"""Parameters grouped by the array they live in, and the others.

    Each group is (array, places): ``places`` is None when the parameters
    are the whole array in its own order (a layer's weights, as a model
    lists them), else the flat positions of the listed elements, in the
    order listed. The rest are parameters of their own (``loose``).
    """
    found: dict[int, tuple[ParameterArray, list[Value]]] = {}
    loose: list[Value] = []
    for p in params:
        if type(p) is Element:
            found.setdefault(id(p.array), (p.array, []))[1].append(p)
        elif isinstance(p, ParameterArray):  # a whole array, given as one
            found.setdefault(id(p), (p, []))[1].extend(p.elements())
        else:
            loose.append(p)
    groups: list[ArrayGroup] = []
    for array, elements in found.values():
        if len(elements) == array.data.size and elements == list(array.elements()):
            groups.append((array, None))  # the whole array, in its own order
            continue
        axes = tuple(np.array([e.index for e in elements], dtype=np.intp).T)  # type: ignore[attr-defined]
        groups.append((array, np.ravel_multi_index(axes, array.data.shape)))
    return groups, loose


def _modules_in(name: str, attribute: Any) -> Iterator[tuple[str, Module]]:
    """The Modules in an attribute (or its lists), skipping lists of Values."""
    if isinstance(attribute, Module):
        yield name, attribute
    elif isinstance(attribute, list | tuple):
        for i, item in enumerate(attribute):
            if isinstance(item, Module):  # the common case, without recursing
                yield f"{name}.{i}", item
            elif isinstance(item, list | tuple):
                yield from _modules_in(f"{name}.{i}", item)


_ELEMENT = {Element}


def _all_elements(attribute: Any) -> bool:
    """True for an Element, a row of them or a list of them (a neuron's weights):
    named by their arrays."""
    if type(attribute) is Element or type(attribute) is Row:
        return True
    return isinstance(attribute, list | tuple) and set(map(type, attribute)) == _ELEMENT


def _all_parameters(attribute: Any) -> bool:
    """True for a neuron's row of weights, or a non-empty list (or tuple) of
    Values that are all parameters."""
    if type(attribute) is Row:
        return True
    if not isinstance(attribute, list | tuple):
        return False
    if set(map(type, attribute)) == _ELEMENT:  # a neuron's weights: the quick way
        return True
    return (
        bool(attribute)
        and all(map(isinstance, attribute, itertools.repeat(Value)))
        and not any(map(isinstance, attribute, itertools.repeat(ParameterArray)))
    )


def _flatten(name: str, attribute: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(attribute, ParameterArray):
        return  # where parameters live, not a parameter: see named_arrays
    if isinstance(attribute, Value | Module):
        yield name, attribute
    elif isinstance(attribute, list | tuple):
        for i, item in enumerate(attribute):
            if type(item) is not ParameterArray and isinstance(item, Value | Module):
                yield f"{name}.{i}", item  # the common case, without recursing
            else:
                yield from _flatten(f"{name}.{i}", item)
