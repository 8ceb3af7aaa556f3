r"""The base of every network: :class:`Module`.

A module owns parameters (leaf :class:`~autograd.Value` nodes holding one
number each) and sub-modules. It finds them by looking at its own attributes,
in the order they were set, so no registration is needed: a ``Value``
attribute is a parameter, a ``Module`` attribute is a sub-module, and lists
of either are numbered. A :class:`~autograd.ParameterArray` attribute (a
layer's weight matrix) is where parameters *live*: its numbers are the
parameters of the neurons that read its rows, listed under those neurons.
That gives every parameter a dotted name that says
where it lives, such as ``layers.0.neurons.2.w.1`` (first layer, third
neuron, second weight), and each parameter's ``label`` is set to that name
once the module is built, so drawn graphs are legible.

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

import errno
import functools
import io
import itertools
import json
import math
import numbers
import os
import stat
import threading
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from autograd import Element, ParameterArray, Value
from autograd.names import ArrayNames, LayerNames
from nn.files import kind_of, write_file

__all__ = ["FILE_FORMAT", "Module", "StateDictError", "array_groups"]

FILE_FORMAT = "chainrule-model"
FILE_VERSION = 1


# How many modules' __init__ are running in this thread: the outermost labels.
_building = threading.local()


class StateDictError(ValueError):
    """A state dict or model file does not fit the model; nothing was changed."""


class Module:
    r"""Base class of neurons, layers and networks.

    Subclasses set their parameters (``Value``) and sub-modules (``Module``)
    as attributes, alone or in lists; everything else (numbers, strings)
    is ignored by the parameter walk. Attributes whose name starts with ``_``
    are private and never walked.
    """

    training: bool = True

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

        cls.__init__ = init_then_label  # type: ignore[method-assign,assignment]

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
        """
        seen: set[int] = set()
        result: list[tuple[str, Value]] = []
        self._collect("", result, seen)
        return result

    def _collect(
        self, prefix: str, out: list[tuple[str, Value]], seen: set[int]
    ) -> None:
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
                parts.append(f"missing {len(missing)} ({_few(missing)})")
            if unexpected:
                parts.append(f"unexpected {len(unexpected)} ({_few(unexpected)})")
            msg = (
                f"the state does not fit this {type(self).__name__} of "
                f"{len(names)} parameters: {'; '.join(parts)}. Was it saved from a "
                "model of another shape?"
            )
            raise StateDictError(msg)
        return [_one_number(name, state[name]) for name in names]

    # --- files -----------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        r"""Write the parameters to ``path``, atomically.

        A path ending in ``.npz`` (any case) gets a numpy archive, anything
        else JSON (readable, and exact: floats are written with all their
        digits). The data goes to a temporary file in the same folder, is
        flushed to disk, then renamed over ``path``: readers see the old file
        or the new one, never half of one, and no temporary file is left
        behind, even after an error. An existing file keeps its permissions
        (a new one gets the umask's); a symbolic link stays a link, and the
        file it points to is replaced. Anything else that is not a regular
        file (a folder, a named pipe, a device such as ``/dev/null``) is
        refused with a ValueError before anything is written.
        """
        state = self.state_dict()
        bad = [name for name, value in state.items() if not math.isfinite(value)]
        if bad:
            msg = (
                f"cannot save: {len(bad)} parameters are not finite ({_few(bad)}); "
                "training diverged, so lower the learning rate and train again."
            )
            raise ValueError(msg)
        path = _path_text(path)
        payload = (
            _npz_bytes(self, state)
            if path.lower().endswith(".npz")
            else _json_bytes(self, state)
        )
        write_file(path, payload)

    def load(self, path: str | os.PathLike[str]) -> Module:
        r"""Read parameters saved by :meth:`save` into this model; return it.

        The file's format is recognised from its contents. A file that is
        corrupt, truncated, not a model file, for another shape, or far
        larger than this model's file can be, raises :class:`StateDictError`
        quickly, without reading more than the model needs, and leaves the
        model exactly as it was. A missing file is a ``FileNotFoundError``.
        """
        path = _path_text(path)
        names = [name for name, _ in self.named_parameters()]
        limit = _size_limit(names)
        raw = _read_file(path, limit, len(names))
        state = _read_state(raw, path, limit)
        self.load_state_dict(state)
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
    elif isinstance(attribute, list | tuple) and attribute:
        if _all_parameters(attribute):
            return  # a neuron's weights: no modules in there
        for i, item in enumerate(attribute):
            yield from _modules_in(f"{name}.{i}", item)


_ELEMENT = {Element}


def _all_elements(attribute: Any) -> bool:
    """True for an Element, or a list of them (a neuron's weights): named by arrays."""
    if type(attribute) is Element:
        return True
    return isinstance(attribute, list | tuple) and set(map(type, attribute)) == _ELEMENT


def _all_parameters(attribute: Any) -> bool:
    """True for a non-empty list (or tuple) of Values that are all parameters."""
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


def _few(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (", ..." if len(names) > limit else "")


def _one_number(name: str, value: Any) -> float:
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        shape = (
            f"shape {np.shape(value)}" if isinstance(value, list | np.ndarray) else ""
        )
        what = shape or type(value).__name__
        msg = f"parameter {name!r} must be one number, not {what}."
        raise StateDictError(msg)
    try:
        number = float(value)
    except OverflowError:  # an int beyond any float, such as 10**400
        msg = f"parameter {name!r} is too large to be a float; it must be finite."
        raise StateDictError(msg) from None
    if not math.isfinite(number):
        msg = f"parameter {name!r} is {number}; every parameter must be finite."
        raise StateDictError(msg)
    return number


def _header(module: Module) -> dict[str, Any]:
    return {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "model": type(module).__name__,
    }


def _json_bytes(module: Module, state: dict[str, float]) -> bytes:
    document = {**_header(module), "parameters": state}
    return (json.dumps(document, indent=1, allow_nan=False) + "\n").encode()


def _npz_bytes(module: Module, state: dict[str, float]) -> bytes:
    buffer = io.BytesIO()
    np.savez(
        buffer,
        format=np.array(FILE_FORMAT),
        version=np.array(FILE_VERSION),
        model=np.array(type(module).__name__),
        names=np.array(list(state), dtype=str),
        values=np.array(list(state.values()), dtype=float),
    )
    return buffer.getvalue()


# --- files: writing ------------------------------------------------------------------


def _path_text(path: Any) -> str:
    """A path as text, from a ``str``, ``bytes`` or ``os.PathLike``."""
    if not isinstance(path, str | bytes | os.PathLike):
        msg = f"path must be a file name (str or pathlib.Path), not {path!r}."
        raise TypeError(msg)
    return os.fsdecode(os.fspath(path))


# --- files: reading ------------------------------------------------------------------


def _size_limit(names: list[str]) -> int:
    r"""The most bytes a model file with these parameter names can need.

    Generous (16 times what :meth:`Module.save` writes, in either format,
    plus 64 KiB), so that hand-edited files load; a file any larger holds
    something else, and is refused before it is read.
    """
    return 65_536 + 16 * sum(4 * len(name) + 40 for name in names)


def _read_file(path: str, limit: int, count: int) -> bytes:
    r"""The bytes of the regular file at ``path``, at most ``limit`` of them.

    Anything but a regular file (a named pipe would hang the read, a device
    such as ``/dev/zero`` never end it), or a file larger than ``limit``,
    raises :class:`StateDictError` before anything is read. The file is
    opened without blocking and checked again once open.
    """
    _check_readable(os.stat(path), path, limit, count)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        _check_readable(os.fstat(f.fileno()), path, limit, count)
        raw = f.read(limit + 1)
    if len(raw) > limit:  # the file grew while it was read
        msg = f"{path!r} is larger than a model of {count} parameters can need."
        raise StateDictError(msg)
    return raw


def _check_readable(info: os.stat_result, path: str, limit: int, count: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if not stat.S_ISREG(info.st_mode):
        msg = f"{path!r} is {kind_of(info.st_mode)}, not a model file."
        raise StateDictError(msg)
    if info.st_size > limit:
        msg = (
            f"{path!r} is not this model's file: it is {info.st_size:,} bytes, "
            f"but a model of {count} parameters needs at most {limit:,}."
        )
        raise StateDictError(msg)


#: Everything a broken file can make the readers raise.
_BROKEN = (
    ValueError,
    TypeError,
    KeyError,
    EOFError,
    OSError,
    OverflowError,
    RecursionError,
    MemoryError,
    NotImplementedError,
    RuntimeError,
    zipfile.BadZipFile,
    zlib.error,
)


def _read_state(raw: bytes, path: str, limit: int) -> dict[str, Any]:
    where = f"{path!r} is not a readable chainrule model file"
    if raw.startswith(b"PK"):
        return _read_npz(raw, where, limit)
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_repeats)
    except _Repeated as error:
        msg = f"{where}: {error}."
        raise StateDictError(msg) from None
    except _BROKEN as error:
        reason = (
            "it is nested too deeply" if isinstance(error, RecursionError) else error
        )
        msg = f"{where}: {reason} (is it truncated or corrupt?)."
        raise StateDictError(msg) from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        msg = f"{where}: it has no 'format': {FILE_FORMAT!r} header."
        raise StateDictError(msg)
    _check_version(document.get("version"), where)
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        msg = f"{where}: it has no 'parameters' table."
        raise StateDictError(msg)
    return parameters


class _Repeated(ValueError):
    """A name given twice in a model file."""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (JSON keeps the last)."""
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            msg = f"{key!r} is given twice"
            raise _Repeated(msg)
        table[key] = value
    return table


_ENTRIES = ("format", "version", "names", "values")


def _read_npz(raw: bytes, where: str, limit: int) -> dict[str, Any]:
    r"""The parameters of a numpy archive, reading only the entries a model has.

    Each entry's declared size and its array header (dtype and shape) are
    checked before its data is read, so a huge or lying entry costs nothing.
    """
    contents: dict[str, np.ndarray] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            known = set(archive.namelist())
            for key in _ENTRIES:
                if f"{key}.npy" in known:
                    contents[key] = _entry(archive, f"{key}.npy", limit)
    except StateDictError as error:
        msg = f"{where}: {error}"
        raise StateDictError(msg) from None
    except _BROKEN as error:
        msg = f"{where}: {error} (is it truncated or corrupt?)."
        raise StateDictError(msg) from None
    if "format" not in contents or str(contents["format"]) != FILE_FORMAT:
        msg = f"{where}: the archive has no format={FILE_FORMAT!r} entry."
        raise StateDictError(msg)
    _check_version(contents.get("version"), where)
    names, values = contents.get("names"), contents.get("values")
    if (
        names is None
        or values is None
        or names.ndim != 1
        or values.shape != names.shape
        or names.dtype.kind != "U"
    ):
        msg = (
            f"{where}: 'names' and 'values' must be two arrays of the same length, "
            "names as text."
        )
        raise StateDictError(msg)
    if not np.issubdtype(values.dtype, np.floating):
        msg = f"{where}: 'values' must hold floats, not {values.dtype}."
        raise StateDictError(msg)
    listed = names.tolist()
    if len(set(listed)) != len(listed):
        twice = next(name for name in listed if listed.count(name) > 1)
        msg = f"{where}: {twice!r} is given twice."
        raise StateDictError(msg)
    return dict(zip(listed, values.tolist()))


def _entry(archive: zipfile.ZipFile, name: str, limit: int) -> np.ndarray:
    """One ``.npy`` entry of an archive, its size and header checked first."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        msg = f"its entry {name!r} is {info.file_size:,} bytes, far more than needed."
        raise StateDictError(msg)
    with archive.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        msg = f"its entry {name!r} is larger than it says."
        raise StateDictError(msg)
    buffer = io.BytesIO(data)
    version = np.lib.format.read_magic(buffer)
    read_header = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    shape, _, dtype = read_header(buffer)
    needed = math.prod(shape) * dtype.itemsize
    if dtype.hasobject or needed > len(data) - buffer.tell():
        msg = f"its entry {name!r} declares {shape} of {dtype}, which it does not hold."
        raise StateDictError(msg)
    buffer.seek(0)
    return np.lib.format.read_array(buffer, allow_pickle=False)


def _check_version(version: Any, where: str) -> None:
    if isinstance(version, np.ndarray):
        version = version.item() if version.shape == () else None
    if type(version) is not int or version != FILE_VERSION:
        msg = f"{where}: version {version!r}, but this chainrule reads {FILE_VERSION}."
        raise StateDictError(msg)
