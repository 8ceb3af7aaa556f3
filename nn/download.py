r"""Fetch a file safely: into a temporary file, checked, and only then in place.

:func:`download` streams a URL into a temporary file next to the
destination (with a progress bar), computes the file's checksum while it
arrives, and compares it with the published one. Only a file that matches
is moved into place (``os.replace``, atomic on one file system); a failed
or refused download leaves nothing behind, not even the partial file.

>>> import hashlib
>>> md5_of(b"abc") == hashlib.md5(b"abc").hexdigest()
True
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["ChecksumError", "DownloadError", "download", "md5_of"]

CHUNK = 1 << 16


class DownloadError(OSError):
    """A file could not be downloaded (no network, a bad URL, a refused file)."""


class ChecksumError(DownloadError):
    """A downloaded file does not match its published checksum; it was not kept."""


def md5_of(data: bytes) -> str:
    """The MD5 checksum of ``data`` as hex (the checksum MNIST's files publish)."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


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


def download(
    url: str,
    destination: str | Path,
    *,
    md5: str | None,
    progress: bool = True,
    timeout: float = 30.0,
) -> Path:
    r"""Download ``url`` to ``destination``, checked against ``md5`` first.

    The bytes go into a hidden temporary file in the destination's folder;
    when they are all there and their MD5 checksum is ``md5`` (``None``
    skips the check), the file is moved into place. Raises
    :class:`DownloadError` when the file cannot be fetched and
    :class:`ChecksumError` when it does not match; either way no partial
    or unverified file is left behind.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
    )
    moved = False
    try:
        digest = hashlib.md5(usedforsecurity=False)
        with os.fdopen(handle, "wb") as out:
            try:
                response = urllib.request.urlopen(url, timeout=timeout)
            except urllib.error.HTTPError as error:
                msg = f"{url} answered {error.code} ({error.reason})"
                raise DownloadError(msg) from None
            except (urllib.error.URLError, OSError, ValueError) as error:
                reason = getattr(error, "reason", None) or error
                msg = f"cannot reach {url} ({reason})"
                raise DownloadError(msg) from None
            with response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                bar = _Bar(destination.name, total, progress)
                try:
                    while chunk := response.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        bar.update(len(chunk))
                except (OSError, http.client.HTTPException) as error:
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
        moved = True
    finally:
        if not moved:
            Path(temporary).unlink(missing_ok=True)
    return destination
