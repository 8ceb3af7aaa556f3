r"""The model file: a model's parameters on disk, and read back safely.

:meth:`Module.save <nn.module.Module.save>` writes one of two formats:

- ``.npz`` (a path ending in ``.npz``, any case): a numpy archive with one
  array per parameter matrix, under the names the model gives its arrays
  (``layers.0.W``, ``layers.0.b``, ...), in its own shape, so ``np.load``
  gives the matrices; a parameter that lives in no matrix is an array of
  its own (0-d) under its dotted name. Plus three small entries: ``format``,
  ``version`` and ``model``.
- anything else: JSON, one number per parameter under its dotted name
  (readable, and exact: floats are written with all their digits).

Files of version 1 (an ``.npz`` with a ``names`` and a ``values`` array,
one number per parameter) still load.

Loading checks everything before it changes anything: the file is a
regular file of a plausible size, every entry's declared size and header
(dtype and shape) before its data is read, the names, the shapes and that
every number is finite. Anything wrong raises :class:`StateDictError` and
leaves the model as it was.

>>> import io, numpy as np
>>> from nn.layers import MLP
>>> model = MLP(3, [2, 1], seed=0)
>>> archive = np.load(io.BytesIO(npz_bytes(model)))
>>> archive["layers.0.W"].shape, archive["layers.1.b"].shape
((2, 3), (1,))
"""

from __future__ import annotations

import errno
import io
import json
import math
import operator
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

import numpy as np

from autograd import Element, ParameterArray, Value
from autograd.data import is_number
from nn.files import kind_of


class Model(Protocol):
    """What a model file reads of a model (an ``nn.Module``): this module
    needs no import of it, and ``nn.module`` imports this one."""

    def named_arrays(self, prefix: str = "") -> Iterator[tuple[str, ParameterArray]]:
        """Every parameter array with its dotted name."""

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Any]]:
        """The module and every sub-module, with their dotted names."""

    def state_dict(self) -> dict[str, Any]:
        """Every parameter's value by name."""

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Set the parameters from a state."""


__all__ = [
    "FILE_FORMAT",
    "FILE_VERSION",
    "StateDictError",
    "entries",
    "json_bytes",
    "npz_bytes",
    "read_into",
]

FILE_FORMAT = "chainrule-model"
FILE_VERSION = 2  # one array per parameter matrix; 1: one number per parameter


class StateDictError(ValueError):
    """A state dict or model file does not fit the model; nothing was changed."""


# --- what a model file holds ----------------------------------------------------------

Entry = tuple[str, "ParameterArray | Value"]


def entries(module: Model) -> list[Entry]:
    r"""What a model file holds for ``module``: (name, array or parameter).

    Every parameter array (a layer's ``W`` and ``b``) under its name, then
    every parameter that lives in none of them, under its dotted name (as
    :meth:`~nn.module.Module.named_parameters` names it). Found without
    listing the numbers of the arrays one by one.
    """
    arrays: list[Entry] = list(module.named_arrays())
    known = {id(array) for _, array in arrays}
    seen: set[int] = set(known)
    loose: list[Entry] = []
    for prefix, sub in module.named_modules():
        for name, attribute in vars(sub).items():
            if name.startswith("_") or _in_known_arrays(attribute, known):
                continue
            for member, p in _values_in(name, attribute):
                if id(p) in seen or (type(p) is Element and id(p.array) in known):
                    continue
                seen.add(id(p))
                loose.append((prefix + member, p))
    return arrays + loose


_ELEMENT = {Element}
_array_of = operator.attrgetter("array")


def _in_known_arrays(attribute: Any, known: set[int]) -> bool:
    """True for a list of elements of arrays already in the file (a neuron's w)."""
    if type(attribute) is Element:
        return id(attribute.array) in known
    if not isinstance(attribute, list | tuple) or not attribute:
        return False
    first = attribute[0]
    if (  # the quick answer: a neuron's weights are a row of its layer's matrix
        type(first) is Element
        and id(first.array) in known
        and len(first.index) == 2
        and first.array.row(first.index[0]) == tuple(attribute)
    ):
        return True
    if set(map(type, attribute)) != _ELEMENT:
        return False
    return set(map(id, map(_array_of, attribute))) <= known


def _values_in(name: str, attribute: Any) -> list[tuple[str, Value]]:
    """The parameter Values of an attribute (alone, or in lists), with names.

    Modules in it are skipped: ``named_modules`` walks them.
    """
    if isinstance(attribute, ParameterArray):
        return []
    if isinstance(attribute, Value):
        return [(name, attribute)]
    found: list[tuple[str, Value]] = []
    if isinstance(attribute, list | tuple):
        for i, item in enumerate(attribute):
            found.extend(_values_in(f"{name}.{i}", item))
    return found


# --- writing ------------------------------------------------------------------------


def _header(module: Model) -> dict[str, Any]:
    return {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "model": type(module).__name__,
    }


def _check_finite(items: list[Entry]) -> None:
    bad = [
        name
        for name, target in items
        if not np.isfinite(np.asarray(target.data, dtype=float)).all()
    ]
    if bad:
        msg = (
            f"cannot save: parameters are not finite ({few(bad)}); training "
            "diverged, so lower the learning rate and train again."
        )
        raise ValueError(msg)


def json_bytes(module: Model) -> bytes:
    r"""The JSON file: the header and one number per parameter, by dotted name."""
    state = module.state_dict()
    _check_finite([(name, Value(value)) for name, value in state.items()])
    document = {**_header(module), "parameters": state}
    return (json.dumps(document, indent=1, allow_nan=False) + "\n").encode()


def npz_bytes(module: Model) -> bytes:
    r"""The ``.npz`` file: the header and one array per entry (see :func:`entries`)."""
    items = entries(module)
    _check_finite(items)
    contents = {key: np.array(value) for key, value in _header(module).items()}
    for name, target in items:
        if name in contents:
            msg = (
                f"cannot save a parameter named {name!r} in an .npz file: the name "
                "is the file's own; rename it, or save as .json."
            )
            raise ValueError(msg)
        contents[name] = np.asarray(target.data, dtype=float)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **contents)
    return buffer.getvalue()


def path_text(path: Any) -> str:
    """A path as text, from a ``str``, ``bytes`` or ``os.PathLike``."""
    if not isinstance(path, str | bytes | os.PathLike):
        msg = f"path must be a file name (str or pathlib.Path), not {path!r}."
        raise TypeError(msg)
    return os.fsdecode(os.fspath(path))


# --- reading ------------------------------------------------------------------------


def read_into(module: Model, path: str) -> None:
    r"""Read the model file at ``path`` into ``module`` (see the module docstring).

    The format is recognised from the contents. Nothing is changed unless
    everything fits.
    """
    items = entries(module)
    count = sum(np.size(target.data) for _, target in items)
    limit = _size_limit(items)
    raw = _read_file(path, limit, count)
    where = f"{path!r} is not a readable chainrule model file"
    if raw.startswith(b"PK"):
        arrays = _read_npz(raw, where, limit, items, module)
        if arrays is None:  # version 1: one number per parameter
            return
        for name, target in items:
            if isinstance(target, ParameterArray):
                target.data[...] = arrays[name]
            else:
                target.data = float(arrays[name])
        return
    module.load_state_dict(_read_json(raw, where))


def _size_limit(items: list[Entry]) -> int:
    r"""The most bytes a model file of these entries can need, in any format.

    Generous (16 times what a file of version 1 needs, the larger format,
    with the dotted name of every number, plus 64 KiB), so that hand-edited
    files load; a file any larger holds something else, and is refused
    before it is read.
    """
    per_entry = (
        np.size(target.data) * (4 * (len(name) + 32) + 40) for name, target in items
    )
    return 65_536 + 16 * int(sum(per_entry))


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


def _read_json(raw: bytes, where: str) -> dict[str, Any]:
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


def _read_npz(
    raw: bytes, where: str, limit: int, items: list[Entry], module: Model
) -> dict[str, np.ndarray] | None:
    r"""The arrays of a numpy archive for these entries, each checked.

    Only the entries the model has are read, each after its declared size
    and its array header (dtype and shape) are checked, so a huge or lying
    entry costs nothing. A file of version 1 (``names`` and ``values``) is
    loaded into ``module`` through its state dict, and None is returned.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            known = {name.removesuffix(".npy") for name in archive.namelist()}
            header = {
                key: _entry(archive, f"{key}.npy", limit)
                for key in ("format", "version")
                if key in known
            }
            if "format" not in header or str(header["format"]) != FILE_FORMAT:
                msg = f"{where}: the archive has no format={FILE_FORMAT!r} entry."
                raise StateDictError(msg)
            version = _check_version(header.get("version"), where)
            if version == 1:
                state: dict[str, np.ndarray] = {
                    key: _entry(archive, f"{key}.npy", limit)
                    for key in ("names", "values")
                    if key in known
                }
                module.load_state_dict(_numbers_of(state, where))
                return None
            _fits(module, items, known)
            arrays = {name: _entry(archive, f"{name}.npy", limit) for name, _ in items}
    except StateDictError as error:
        text = str(error)
        msg = text if text.startswith(("the state", where)) else f"{where}: {text}"
        raise StateDictError(msg) from None
    except _BROKEN as error:
        msg = f"{where}: {error} (is it truncated or corrupt?)."
        raise StateDictError(msg) from None
    for name, target in items:
        array = arrays[name]
        shape = np.shape(target.data)
        if array.shape != shape or not np.issubdtype(array.dtype, np.floating):
            msg = (
                f"{where}: {name!r} holds {array.dtype} of shape {array.shape}, but "
                f"this {type(module).__name__} needs floats of shape {shape}. Was it "
                "saved from a model of another shape?"
            )
            raise StateDictError(msg)
        if not np.isfinite(array).all():
            msg = f"{where}: {name!r} holds numbers that are not finite."
            raise StateDictError(msg)
    return arrays


def _fits(module: Model, items: list[Entry], names: set[str]) -> None:
    """Every entry the model needs must be in the archive (others are not read)."""
    wanted = [name for name, _ in items]
    missing = [name for name in wanted if name not in names]
    if missing:
        msg = (
            f"the state does not fit this {type(module).__name__} of "
            f"{len(wanted)} arrays: missing {len(missing)} ({few(missing)}). Was "
            "it saved from a model of another shape?"
        )
        raise StateDictError(msg)


def _numbers_of(state: dict[str, np.ndarray], where: str) -> dict[str, Any]:
    """A version 1 archive's ``names`` and ``values`` as a state dict."""
    names, values = state.get("names"), state.get("values")
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


def _check_version(version: Any, where: str) -> int:
    if isinstance(version, np.ndarray):
        version = version.item() if version.shape == () else None
    if type(version) is not int or version not in (1, FILE_VERSION):
        msg = (
            f"{where}: version {version!r}, but this chainrule reads versions 1 "
            f"to {FILE_VERSION}."
        )
        raise StateDictError(msg)
    return version


# --- checking numbers ---------------------------------------------------------------


def few(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (", ..." if len(names) > limit else "")


def one_number(name: str, value: Any) -> float:
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if not is_number(value):
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
