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
  never half of one, and the temporary file is removed after any error;
- an existing file keeps its permissions; a new one gets what the umask
  allows, as any new file does.

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
import os
import secrets
import stat
from pathlib import Path

__all__ = ["NotAFileError", "kind_of", "write_file"]


class NotAFileError(ValueError):
    """The path names something that is not a file (a folder, a pipe, a device)."""


def write_file(
    path: str | os.PathLike[str], payload: bytes | str, make_folders: bool = False
) -> Path:
    r"""Write ``payload`` (bytes, or text as UTF-8) to ``path``, whole or not at all.

    With ``make_folders`` the folders on the way are created (else a missing
    folder is a FileNotFoundError). See the module's docstring for what is
    refused and kept. Returns the path.
    """
    name = os.fspath(path)
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if make_folders:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(name)), exist_ok=True)
        except OSError as error:
            raise _naming(error, name) from None
    target, mode = _save_target(name)
    _write_atomically(name, target, mode, data)
    return Path(name)


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


def _save_target(path: str) -> tuple[str, int | None]:
    r"""The file to replace (a link's target) and its permissions (None: new).

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
    return target, stat.S_IMODE(info.st_mode)


def _naming(error: OSError, path: str) -> OSError:
    """The same kind of OSError, naming the user's path (not a temporary file)."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, path)


def _temporary_file(folder: str, name: str) -> tuple[int, str]:
    r"""A new file next to the target, opened for writing: (descriptor, path).

    Created with O_EXCL (never an existing file, never through a link) and
    mode 0o666, which the kernel narrows by the umask, as for any new file.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    prefix = f".{name[:200]}."  # room for the suffix within a 255-byte name
    for _ in range(100):
        temporary = os.path.join(folder, f"{prefix}{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    msg = f"cannot make a temporary file in {folder!r}"  # pragma: no cover
    raise FileExistsError(msg)  # pragma: no cover


def _write_atomically(path: str, target: str, mode: int | None, payload: bytes) -> None:
    r"""Write ``payload`` to a temporary file, flush it, rename it over ``target``.

    ``mode`` is the permissions of the file being replaced (kept), or None
    for a new file (the umask's). The temporary file is removed on any error.
    """
    folder, name = os.path.split(target)
    try:
        fd, temporary = _temporary_file(folder, name)
    except OSError as error:
        raise _naming(error, path) from None
    try:
        try:
            with os.fdopen(fd, "wb") as f:
                if mode is not None:
                    os.fchmod(f.fileno(), mode)
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, target)
        except OSError as error:
            raise _naming(error, path) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


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
