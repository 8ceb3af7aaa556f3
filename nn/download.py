r"""Fetch a file safely: into a temporary file, checked, and only then in place.

:func:`download` streams a URL into a temporary file next to the
destination (with a progress bar), computes the file's checksum while it
arrives, and compares it with the published one. Only a file that matches
is moved into place (``os.replace``, atomic on one file system); a failed
or refused download leaves nothing behind, not even the partial file.

A download is bounded: by a ``deadline`` for the whole of it (a server that
sends one byte every few seconds is given up on), and by ``max_bytes`` (a
server that sends more than the file can hold is cut off), so no mirror can
fill the disk or keep the program waiting for ever. SIGTERM and SIGHUP
(``kill``, a closed terminal) remove the partial file before they end the
program, and a later download of the same file removes any left behind by
a program that could not clean up (``kill -9``, a power cut).

>>> import hashlib
>>> md5_of(b"abc") == hashlib.md5(b"abc").hexdigest()
True
>>> check_url("https://example.org/mnist/")
'https://example.org/mnist/'
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import secrets
import signal
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

__all__ = ["ChecksumError", "DownloadError", "check_url", "download", "md5_of"]

CHUNK = 1 << 16

#: The schemes a URL may use.
SCHEMES = ("http", "https", "file")


class DownloadError(OSError):
    """A file could not be downloaded (no network, a bad URL, a refused file)."""


class ChecksumError(DownloadError):
    """A downloaded file does not match its published checksum; it was not kept."""


def md5_of(data: bytes) -> str:
    """The MD5 checksum of ``data`` as hex (the checksum MNIST's files publish)."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def check_url(url: Any, what: str = "url") -> str:
    r"""``url`` itself if it is a URL a download may use, else a clear error.

    A string, with no spaces or control characters (a line break in a URL
    would let it add lines to the request), ``http://``, ``https://`` or
    ``file://``, and a host for the first two. A TypeError for what is not
    a string, a ValueError naming ``what`` for a string that is no such URL.

    >>> check_url("http://127.0.0.1:8765/\r\nX: 1/", "mirror")
    Traceback (most recent call last):
    ValueError: mirror 'http://127.0.0.1:8765/\r\nX: 1/' holds a control character ...
    """
    example = "give a plain URL such as 'https://example.org/mnist/'"
    if not isinstance(url, str):
        msg = f"{what} must be a URL (a string), not {type(url).__name__} {url!r}."
        raise TypeError(msg)
    odd = [c for c in url if c.isspace() or unicodedata.category(c) in ("Cc", "Cf")]
    if odd:
        msg = (
            f"{what} {url!r} holds a control character or a space ({odd[0]!r}); "
            f"{example}."
        )
        raise ValueError(msg)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (a port that is no number raises here)
    except ValueError as error:
        msg = f"{what} {url!r} is not a URL ({error}); {example}."
        raise ValueError(msg) from None
    if parts.scheme.lower() not in SCHEMES:
        msg = f"{what} {url!r} must start with http://, https:// or file://; {example}."
        raise ValueError(msg)
    if parts.scheme.lower() != "file" and not parts.hostname:
        msg = f"{what} {url!r} names no host; {example}."
        raise ValueError(msg)
    return url


class _Bar:
    """A progress bar: tqdm's when it is installed, else a line on stderr."""

    def __init__(self, name: str, total: int | None, show: bool) -> None:
        self.bar: Any = None
        self.show = show and sys.stderr is not None
        self.name, self.total, self.done = name, total, 0
        if not self.show:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional (the "demos" extra)
            return
        self.bar = tqdm(
            total=total, desc=name, unit="B", unit_scale=True, leave=False, disable=None
        )

    def update(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        elif self.show and self.total:
            percent = 100 * self.done // self.total
            print(f"\r{self.name}: {percent:3d}%", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.show and self.total:
            print(file=sys.stderr)


# --- SIGTERM and SIGHUP: the partial file goes first ----------------------------


class _Stopped(BaseException):
    """SIGTERM or SIGHUP arrived during a download (raised by its handler)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


@contextlib.contextmanager
def _stopped_cleanly() -> Iterator[None]:
    r"""While a download runs, SIGTERM and SIGHUP unwind it, then end the program.

    Only in the main thread (the only one Python lets set handlers), and
    only for a signal whose action is still the default (ending the
    program): a handler of the program's own is left alone. The download's
    ``finally`` removes the partial file; then the old action is put back
    and the signal raised again, so the program ends as the signal would
    have ended it (its exit status says so).
    """
    mine: list[int] = []
    try:
        if threading.current_thread() is threading.main_thread():
            for signum in _SIGNALS:
                if signal.getsignal(signum) is signal.SIG_DFL:
                    mine.append(signum)  # before it is set: never left set
                    signal.signal(signum, _stop)
        yield
    except _Stopped as stop:
        _put_back(mine)
        signal.raise_signal(stop.signum)  # the default action: the program ends
        raise SystemExit(128 + stop.signum) from None  # pragma: no cover
    finally:
        _put_back(mine)


_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _put_back(mine: list[int]) -> None:
    """The default action again for each signal whose handler this download set."""
    for signum in mine:
        if signal.getsignal(signum) is _stop:
            signal.signal(signum, signal.SIG_DFL)


# --- the download -------------------------------------------------------------


def download(
    url: str,
    destination: str | Path,
    *,
    md5: str | None,
    progress: bool = True,
    timeout: float = 30.0,
    deadline: float = 3600.0,
    max_bytes: int | None = 1 << 30,
) -> Path:
    r"""Download ``url`` to ``destination``, checked against ``md5`` first.

    The bytes go into a hidden temporary file in the destination's folder
    (``.NAME.XXXXXXXX.part``); when they are all there and their MD5
    checksum is ``md5`` (``None`` skips the check), the file is moved into
    place. ``timeout`` bounds each wait for the server (connecting, or the
    next bytes); ``deadline`` the whole download, in seconds; ``max_bytes``
    its size (``None``: no bound): a server that announces or sends more is
    cut off. Raises :class:`DownloadError` when the file cannot be fetched
    and :class:`ChecksumError` when it does not match; either way no partial
    or unverified file is left behind. A bad ``url`` is a ValueError (see
    :func:`check_url`).
    """
    check_url(url)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with _stopped_cleanly():
        _fetch_into(url, destination, md5, progress, timeout, deadline, max_bytes)
    _remove_stale_parts(destination, deadline)
    return destination


def _fetch_into(
    url: str,
    destination: Path,
    md5: str | None,
    progress: bool,
    timeout: float,
    deadline: float,
    max_bytes: int | None,
) -> None:
    r"""The download itself; the partial file is removed after any error.

    Its name is recorded before the file is made, and ``open(..., "xb")``
    makes the file and its Python file object in one call, so a
    KeyboardInterrupt (or a SIGTERM, raised as an exception here) landing
    anywhere still finds the partial file to remove.
    """
    start = time.monotonic()
    temporary = ""
    try:
        for _ in range(100):
            token = secrets.token_hex(4)
            temporary = str(destination.parent / f".{destination.name}.{token}.part")
            try:
                out = open(temporary, "xb")  # noqa: SIM115 (closed just below)
            except FileExistsError:
                temporary = ""  # another download's: never ours to remove
                continue
            break
        else:  # pragma: no cover (a hundred random names all taken)
            msg = f"no free name for a partial file in {destination.parent}"
            raise DownloadError(msg)
        digest = hashlib.md5(usedforsecurity=False)
        with out:
            response = _open(url, min(timeout, deadline))
            with response:
                total = _announced(response, url, max_bytes)
                bar = _Bar(destination.name, total, progress)
                read = getattr(response, "read1", response.read)
                try:
                    while chunk := read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        bar.update(len(chunk))
                        _within_bounds(url, bar.done, max_bytes, start, deadline)
                except (OSError, http.client.HTTPException) as error:
                    if isinstance(error, DownloadError):
                        raise
                    msg = f"the download from {url} broke off ({error!r})"
                    raise DownloadError(msg) from None
                finally:
                    bar.close()
                if total is not None and bar.done < total:
                    msg = (
                        f"the download from {url} broke off after {bar.done:,} of "
                        f"{total:,} bytes"
                    )
                    raise DownloadError(msg)
        got = digest.hexdigest()
        if md5 is not None and got != md5.lower():
            msg = (
                f"{destination.name} from {url} does not match its published MD5 "
                f"checksum (expected {md5}, got {got}); it was not kept"
            )
            raise ChecksumError(msg)
        os.replace(temporary, destination)
    except BaseException:
        if temporary:
            try:  # noqa: SIM105 (suppress() would run Python code before the unlink)
                os.unlink(temporary)
            except FileNotFoundError:
                pass  # moved into place already
        raise


def _open(url: str, timeout: float) -> Any:
    """The server's response, or a DownloadError that says why there is none."""
    try:
        return urllib.request.urlopen(url, timeout=timeout)
    except urllib.error.HTTPError as error:
        msg = f"{url} answered {error.code} ({error.reason})"
        raise DownloadError(msg) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        msg = f"cannot reach {url} ({reason})"
        raise DownloadError(msg) from None
    except http.client.HTTPException as error:
        msg = f"cannot reach {url} ({type(error).__name__}: {error})"
        raise DownloadError(msg) from None


def _announced(response: Any, url: str, max_bytes: int | None) -> int | None:
    """The size the server announces (Content-Length), refused if too large."""
    length = response.headers.get("Content-Length") if response.headers else None
    total = int(length) if length and length.isdigit() else None
    if total is not None and max_bytes is not None and total > max_bytes:
        msg = (
            f"{url} announces {total:,} bytes, more than the {max_bytes:,} this "
            "file may have; it is not the file asked for, so it was not downloaded"
        )
        raise DownloadError(msg)
    return total


def _within_bounds(
    url: str, done: int, max_bytes: int | None, start: float, deadline: float
) -> None:
    """A DownloadError once the download is larger or longer than allowed."""
    if max_bytes is not None and done > max_bytes:
        msg = (
            f"{url} sent more than the {max_bytes:,} bytes this file may have; "
            "the download was stopped and nothing was kept"
        )
        raise DownloadError(msg)
    spent = time.monotonic() - start
    if spent > deadline:
        msg = (
            f"the download from {url} took longer than its deadline of "
            f"{deadline:g} s ({done:,} bytes in {spent:.0f} s); the server is too "
            "slow, try another mirror or later"
        )
        raise DownloadError(msg)


def _remove_stale_parts(destination: Path, deadline: float) -> None:
    r"""Remove the partial files of earlier downloads of ``destination``.

    Only those of this file (``.NAME.XXXXXXXX.part``) untouched for longer
    than ``deadline``: a download still running writes to its file, and is
    over within its deadline.
    """
    now = time.time()
    prefix, suffix = f".{destination.name}.", ".part"
    with contextlib.suppress(OSError):
        for entry in os.scandir(destination.parent):
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            if len(name) != len(prefix) + 8 + len(suffix):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if entry.is_file(follow_symlinks=False) and now - info.st_mtime > (
                    deadline
                ):
                    os.unlink(entry.path)
