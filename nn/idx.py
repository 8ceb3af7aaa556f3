r"""The IDX format of the MNIST files: a short header, then the numbers.

An IDX file starts with a *magic number* of four bytes, ``0 0 t d``: ``t``
the type of the numbers (``0x08``: unsigned bytes, 0-255) and ``d`` how many
dimensions the array has. Then come the ``d`` sizes, each a 4-byte
big-endian integer, and then the numbers themselves, row by row:

==========  ==============  ============================  ==================
file        magic number    sizes                         numbers
==========  ==============  ============================  ==================
images      ``0x00000803``  count, 28 (rows), 28 (cols)   count·28·28 pixels
labels      ``0x00000801``  count                         count labels 0-9
==========  ==============  ============================  ==================

The files are often stored gzipped; :func:`read_idx` reads both kinds (it
looks at the first two bytes, not at the name), and checks the header
against what follows before it returns anything.

>>> import struct, tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as folder:
...     path = Path(folder) / "labels-idx1-ubyte"
...     _ = path.write_bytes(struct.pack(">IIBBB", 0x801, 3, 7, 2, 1))
...     read_idx(path, dims=1).tolist()
[7, 2, 1]
"""

from __future__ import annotations

import contextlib
import gzip
import math
import os
import stat
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

__all__ = ["GZIP_MAGIC", "MAX_NUMBERS", "MAX_SIZES", "UNSIGNED_BYTE", "read_idx"]

UNSIGNED_BYTE = 0x08
GZIP_MAGIC = b"\x1f\x8b"

#: The largest sizes a header may give, by dimension: MNIST-like files (60,000
#: samples of 28×28 pixels) and a margin, never more (a header is only a
#: promise: a damaged or hostile one can promise terabytes).
MAX_SIZES = (1_000_000, 1_024, 1_024)

#: The most numbers (bytes) a file may hold: 4× MNIST's training images.
MAX_NUMBERS = 200_000_000

#: How far past the promised end a file is read to say by how much it is longer.
_EXTRA_SHOWN = 1 << 20


def _bad(path: Path, what: str) -> ValueError:
    return ValueError(f"{path}: {what}")


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """The file as a stream of its bytes: unzipped as they are read if gzipped."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise _bad(path, "is not a regular file; give the path of an IDX file.")
    with open(path, "rb") as raw:
        zipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if not zipped:
            yield raw
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield unzipped  # type: ignore[misc]


def _read(stream: BinaryIO, count: int, path: Path) -> bytes:
    r"""Up to ``count`` bytes (fewer only at the end of the file), never more."""
    parts, left = [], count
    try:
        while left:
            chunk = stream.read(min(left, 1 << 24))
            if not chunk:
                break
            parts.append(chunk)
            left -= len(chunk)
    except (EOFError, OSError, zlib.error) as error:
        msg = (
            f"is a truncated or damaged gzip file ({error}); delete it and "
            "download it again, or put an intact copy there."
        )
        raise _bad(path, msg) from None
    return b"".join(parts)


def read_idx(path: str | Path, *, dims: int) -> np.ndarray:
    r"""The array of unsigned bytes in an IDX file (gzipped or not).

    ``dims`` is the number of dimensions the file must have (3 for images,
    1 for labels). A wrong magic number, sizes beyond MNIST-like files
    (:data:`MAX_SIZES`, :data:`MAX_NUMBERS`), a file shorter than its header
    promises or longer than it, raises ``ValueError`` naming the file and
    what is wrong with it. The file is read as far as its header says and a
    little further, never whole: a gzip file that would unzip to gigabytes
    costs no more than what its header promises.
    """
    path = Path(path)
    with _opened(path) as stream:
        head = _read(stream, 4, path)
        expected = (UNSIGNED_BYTE << 8) | dims
        if len(head) < 4:
            msg = f"holds {len(head)} bytes, too few for an IDX file's header."
            raise _bad(path, msg)
        (magic,) = struct.unpack(">I", head)
        if magic != expected:
            msg = (
                f"bad magic number 0x{magic:08x}; an IDX file of unsigned bytes with "
                f"{dims} dimension{'s' if dims > 1 else ''} starts with "
                f"0x{expected:08x}. Is this the right file?"
            )
            raise _bad(path, msg)
        sizes_bytes = _read(stream, 4 * dims, path)
        if len(sizes_bytes) < 4 * dims:
            msg = (
                f"is truncated: it ends inside its header "
                f"({4 + len(sizes_bytes)} bytes)."
            )
            raise _bad(path, msg)
        sizes = struct.unpack(f">{dims}I", sizes_bytes)
        shape = " × ".join(str(s) for s in sizes)
        promised = math.prod(sizes)  # Python ints: no wrapping past 2⁶⁴
        limits = MAX_SIZES[:1] + MAX_SIZES[1:] * dims
        if any(s > limit for s, limit in zip(sizes, limits)) or promised > MAX_NUMBERS:
            msg = (
                f"its header promises {shape} numbers, beyond what an MNIST-like "
                f"file holds (at most {MAX_SIZES[0]:,} samples of up to "
                f"{MAX_SIZES[1]:,} × {MAX_SIZES[2]:,}, {MAX_NUMBERS:,} numbers in "
                "all); it is damaged, or not an MNIST file."
            )
            raise _bad(path, msg)
        data = _read(stream, promised, path)
        if len(data) < promised:
            msg = (
                f"is truncated: its header promises {shape} = {promised:,} numbers, "
                f"but only {len(data):,} follow. Delete it and download it again."
            )
            raise _bad(path, msg)
        extra = len(_read(stream, _EXTRA_SHOWN + 1, path))
    if extra:
        more = f"{extra:,}" if extra <= _EXTRA_SHOWN else f"over {_EXTRA_SHOWN:,}"
        msg = (
            f"holds {more} bytes more than its header ({shape}) promises; it is "
            "not an intact IDX file."
        )
        raise _bad(path, msg)
    return np.frombuffer(data, dtype=np.uint8).reshape(sizes)
