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

import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

__all__ = ["GZIP_MAGIC", "UNSIGNED_BYTE", "read_idx"]

UNSIGNED_BYTE = 0x08
GZIP_MAGIC = b"\x1f\x8b"


def _bad(path: Path, what: str) -> ValueError:
    return ValueError(f"{path}: {what}")


def _raw_bytes(path: Path) -> bytes:
    """The file's bytes, unzipped if it is a gzip file."""
    raw = path.read_bytes()
    if raw[:2] != GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        msg = (
            f"is a truncated or damaged gzip file ({error}); delete it and "
            "download it again, or put an intact copy there."
        )
        raise _bad(path, msg) from None


def read_idx(path: str | Path, *, dims: int) -> np.ndarray:
    r"""The array of unsigned bytes in an IDX file (gzipped or not).

    ``dims`` is the number of dimensions the file must have (3 for images,
    1 for labels). A wrong magic number, a file shorter than its header
    promises or longer than it, raises ``ValueError`` naming the file and
    what is wrong with it.
    """
    path = Path(path)
    data = _raw_bytes(path)
    expected = (UNSIGNED_BYTE << 8) | dims
    if len(data) < 4:
        msg = f"holds {len(data)} bytes, too few for an IDX file's header."
        raise _bad(path, msg)
    (magic,) = struct.unpack(">I", data[:4])
    if magic != expected:
        msg = (
            f"bad magic number 0x{magic:08x}; an IDX file of unsigned bytes with "
            f"{dims} dimension{'s' if dims > 1 else ''} starts with "
            f"0x{expected:08x}. Is this the right file?"
        )
        raise _bad(path, msg)
    header = 4 + 4 * dims
    if len(data) < header:
        msg = f"is truncated: it ends inside its header ({len(data)} bytes)."
        raise _bad(path, msg)
    sizes = struct.unpack(f">{dims}I", data[4:header])
    promised = int(np.prod(sizes))
    held = len(data) - header
    shape = " × ".join(str(s) for s in sizes)
    if held < promised:
        msg = (
            f"is truncated: its header promises {shape} = {promised:,} numbers, "
            f"but only {held:,} follow. Delete it and download it again."
        )
        raise _bad(path, msg)
    if held > promised:
        msg = (
            f"holds {held - promised:,} bytes more than its header ({shape}) "
            "promises; it is not an intact IDX file."
        )
        raise _bad(path, msg)
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(sizes)
