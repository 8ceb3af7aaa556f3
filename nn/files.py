r"""Writing files safely: what chainrule saves, it saves whole, or not at all.

:func:`write_file` is how every file chainrule writes gets to disk (a saved
model, a picture, a step-by-step page, a lesson's output):

- only a regular file, or nothing yet, is replaced: a folder, a named pipe,
  a device (``/dev/null``) or a socket is refused with a
  :class:`NotAFileError` (a ``ValueError``)
  before anything is written (a pipe would make the writer wait forever, a
  device would be swapped for a file); a symbolic link stays a link and the
  file it points to is replaced;
- the bytes go to a temporary file in the same folder, are flushed to disk,
  then renamed over the target: readers see the old file or the new one,
  never half of one, and the temporary file is removed after any error,
  a Ctrl-C (KeyboardInterrupt) landing anywhere included;
- an existing file keeps its permissions, and its owner and group where the
  system allows it (root keeps both; another user keeps the group if they
  belong to it); a new one gets what the umask allows, as any new file does;
- a file you may not write (read-only for you: ``chmod a-w``) is refused
  with a PermissionError, as ``open(path, "w")`` would refuse it, unless
  ``force=True`` (the folder must still let you make files).

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = write_file(os.path.join(folder, "note.txt"), "∂L/∂w = 2\n")
>>> open(path, encoding="utf-8").read()
'∂L/∂w = 2\n'
>>> sorted(os.listdir(folder))           # no temporary file left behind
['note.txt']
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = ["NotAFileError", "kind_of", "write_file"]


class NotAFileError(ValueError):
    """The path names something that is not a file (a folder, a pipe, a device)."""


def write_file(
    path: str | os.PathLike[str],
    payload: bytes | str,
    make_folders: bool = False,
    *,
    force: bool = False,
) -> Path:
    r"""Write ``payload`` (bytes, or text as UTF-8) to ``path``, whole or not at all.

    With ``make_folders`` the folders on the way are created (else a missing
    folder is a FileNotFoundError). With ``force`` a file that is read-only
    for you is replaced too. See the module's docstring for what is refused
    and kept. Returns the path.
    """
    name = os.fspath(path)
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if make_folders:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(name)), exist_ok=True)
        except OSError as error:
            raise _naming(error, name) from None
    target, info = _save_target(name)
    if info is not None and not force and not _writable(target):
        msg = (
            f"{name!r} is read-only for you; make it writable (chmod u+w) first, "
            "or pass force=True to replace it anyway"
        )
        raise PermissionError(errno.EACCES, msg, name)
    _write_atomically(name, target, info, data)
    return Path(name)


def _writable(path: str) -> bool:
    """True when you may open ``path`` for writing (as ``open(path, "w")`` checks)."""
    if os.access in os.supports_effective_ids:
        return os.access(path, os.W_OK, effective_ids=True)
    return os.access(path, os.W_OK)  # pragma: no cover (systems without euids)


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, said aloud."""
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


def _save_target(path: str) -> tuple[str, os.stat_result | None]:
    r"""The file to replace (a link's target) and its ``stat`` (None: a new file).

    Only a regular file, or nothing yet, may be replaced: saving over a
    folder, a named pipe or a device (``/dev/null``) would swap it for a file.
    """
    target = os.path.realpath(path)  # a symbolic link stays; its target is saved
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as error:
        raise _naming(error, path) from None
    if not stat.S_ISREG(info.st_mode):
        msg = (
            f"cannot save to {path!r}: it is {kind_of(info.st_mode)}, not a file; "
            "give the name of a file to write."
        )
        raise NotAFileError(msg)
    return target, info


def _naming(error: OSError, path: str) -> OSError:
    """The same kind of OSError, naming the user's path (not a temporary file)."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, path)


#: The longest temporary name's stem, in bytes: a folder takes names of up to
#: 255 bytes, and ``.{stem}.{8 hex digits}.tmp`` adds 14.
_STEM_BYTES = 200


def _temporary_name(name: str) -> str:
    r"""A new hidden name next to ``name``: ``.NAME.1f2e3d4c.tmp``.

    The name is cut to :data:`_STEM_BYTES` *bytes* as the file system counts
    them (``'∂'`` is 3 bytes in UTF-8), at a whole character.
    """
    stem = name
    while len(os.fsencode(stem)) > _STEM_BYTES:
        stem = stem[:-1]
    return f".{stem}.{secrets.token_hex(4)}.tmp"


def _write_atomically(
    path: str, target: str, info: os.stat_result | None, payload: bytes
) -> None:
    r"""Write ``payload`` to a temporary file, flush it, rename it over ``target``.

    ``info`` is the ``stat`` of the file being replaced (its permissions,
    owner and group are kept), or None for a new file (the umask's).

    The temporary file is removed after any error, a KeyboardInterrupt
    landing anywhere included: its name is recorded *before* the file is
    made (``temporary``), so the ``except`` clause always knows what to
    remove, and ``open(..., "xb")`` makes the file and wraps it in a Python
    file object in one call, which closes it even if the interrupt lands
    just after it returns. (O_EXCL never opens an existing file, nor follows
    a symbolic link.)
    """
    folder, name = os.path.split(target)
    temporary = ""
    try:
        for _ in range(100):
            temporary = os.path.join(folder, _temporary_name(name))
            try:
                file = open(temporary, "xb")  # noqa: SIM115 (closed just below)
            except FileExistsError:
                temporary = ""  # someone else's: never ours to remove
                continue
            break
        else:  # pragma: no cover (a hundred random names all taken)
            raise FileExistsError(errno.EEXIST, "no free temporary name", path)
        with file:
            if info is not None:
                _keep_owner_and_mode(file.fileno(), info)
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        if temporary:
            try:  # noqa: SIM105 (suppress() would run Python code before the unlink)
                os.unlink(temporary)
            except FileNotFoundError:
                pass  # renamed into place already, or never made
        if isinstance(error, OSError):
            raise _naming(error, path) from None
        raise
    _sync_folder(folder)


def _keep_owner_and_mode(fd: int, info: os.stat_result) -> None:
    """Give the new file the old one's owner and group (where allowed), then mode.

    Root may give a file to anyone; another user may only change its group,
    to one they belong to. The mode comes last: a change of owner clears the
    set-user-ID bits.
    """
    chown = getattr(os, "fchown", None)
    if chown is not None:
        try:
            chown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            with contextlib.suppress(PermissionError):
                chown(fd, -1, info.st_gid)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))


def _sync_folder(folder: str) -> None:
    """Flush the folder's entry for the renamed file to disk (where possible)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover (not every system opens folders)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
