r"""Data sets for lessons: XOR, the four-pixel camera, moons, digits, MNIST.

Every function returns numpy arrays: ``X`` with one row per sample and
integer class labels ``y``. ``moons`` and ``digits`` come from scikit-learn
(the ``demos`` extra) and are split into training and test sets with a
seeded, stratified split, returned as a :class:`Split`
(``X_train, X_test, y_train, y_test``, the order of scikit-learn's
``train_test_split``). :func:`mnist` reads the four standard MNIST files
(60,000 training and 10,000 test images of 28×28 pixels), downloading them
once into a cache folder when they are missing.

>>> X, y = xor()
>>> X.tolist(), y.tolist()
([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
>>> X, y = four_pixel_camera()
>>> X[y == FOUR_PIXEL_CLASSES.index("vertical")].tolist()
[[1.0, -1.0, 1.0, -1.0], [-1.0, 1.0, -1.0, 1.0]]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from nn.download import ChecksumError, DownloadError, check_url
from nn.download import download as download_file
from nn.idx import read_idx

__all__ = [
    "FOUR_PIXEL_CLASSES",
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "ChecksumError",
    "DownloadError",
    "Split",
    "digits",
    "four_pixel_camera",
    "mnist",
    "mnist_folder",
    "moons",
    "xor",
]

FOUR_PIXEL_CLASSES = ("solid", "vertical", "diagonal", "horizontal")


class Split(NamedTuple):
    """A training set and a test set: ``X_train, X_test, y_train, y_test``."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def xor() -> tuple[np.ndarray, np.ndarray]:
    r"""The four points of XOR: y = 1 when exactly one input is 1.

    No straight line separates the classes, so a network needs a hidden layer.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    return X, y


def four_pixel_camera() -> tuple[np.ndarray, np.ndarray]:
    r"""Every 2×2 black-and-white image that is solid, vertical, diagonal or horizontal.

    A row is the pixels (top-left, top-right, bottom-left, bottom-right),
    +1 for white and −1 for black; the label indexes ``FOUR_PIXEL_CLASSES``:

    ==========  =============  ==============
    class       image          its inverse
    ==========  =============  ==============
    solid       ■■ / ■■        □□ / □□
    vertical    ■□ / ■□        □■ / □■
    diagonal    ■□ / □■        □■ / ■□
    horizontal  ■■ / □□        □□ / ■■
    ==========  =============  ==============

    These are the 8 such images. The other 8 of the 16 black-and-white
    images have three pixels of one colour; each of those is one pixel away
    from a solid, a vertical, a diagonal and a horizontal image alike, so it
    belongs to no class and is left out.
    """
    white, black = 1.0, -1.0
    rows: list[tuple[list[float], int]] = []
    for a, b in ((white, black), (black, white)):
        rows.append(([a, a, a, a], 0))  # solid (the second round: the other colour)
        rows.append(([a, b, a, b], 1))  # vertical: left and right columns differ
        rows.append(([a, b, b, a], 2))  # diagonal: the two diagonals differ
        rows.append(([a, a, b, b], 3))  # horizontal: top and bottom rows differ
    rows.sort(key=lambda row: row[1])
    X = np.array([pixels for pixels, _ in rows])
    y = np.array([label for _, label in rows])
    return X, y


def _sklearn() -> Any:
    try:
        import sklearn.datasets
        import sklearn.model_selection
    except ImportError:  # scikit-learn is optional (the "demos" extra)
        msg = (
            "this data set comes from scikit-learn; install it with "
            f"{sys.executable or 'python'} -m pip install scikit-learn."
        )
        raise ImportError(msg) from None
    return sklearn


def _split(X: np.ndarray, y: np.ndarray, test_size: float, seed: int) -> Split:
    if not 0.0 < test_size < 1.0:
        msg = (
            "test_size is the fraction kept for testing: a number in (0, 1), "
            f"not {test_size}."
        )
        raise ValueError(msg)
    sklearn = _sklearn()
    parts = sklearn.model_selection.train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    return Split(*parts)


def moons(
    n_samples: int = 200, noise: float = 0.1, *, test_size: float = 0.25, seed: int = 0
) -> Split:
    r"""Two interleaving half circles (scikit-learn's ``make_moons``), labels 0/1.

    For the hinge loss with one output, map the labels to ±1 with ``2 * y - 1``.

    >>> split = moons(100, seed=0)
    >>> split.X_train.shape, split.X_test.shape
    ((75, 2), (25, 2))
    """
    sklearn = _sklearn()
    X, y = sklearn.datasets.make_moons(
        n_samples=n_samples, noise=noise, random_state=seed
    )
    return _split(X, y.astype(int), test_size, seed)


def digits(*, test_size: float = 0.2, seed: int = 0, images: bool = False) -> Split:
    r"""The 1,797 8×8 handwritten digits (0-9) of scikit-learn, scaled to [0, 1].

    The default split keeps 1,437 images for training and 360 for testing.
    Rows are the 64 pixels, row by row; ``images=True`` gives arrays of shape
    (n, 8, 8) instead, the input a :class:`~nn.conv.Conv2d` takes.

    >>> split = digits()
    >>> split.X_train.shape, split.X_test.shape, int(split.y_train.max())
    ((1437, 64), (360, 64), 9)
    """
    sklearn = _sklearn()
    data = sklearn.datasets.load_digits()
    X = data.data / 16.0
    if images:
        X = X.reshape(-1, 8, 8)
    return _split(X, data.target.astype(int), test_size, seed)


# --- MNIST -------------------------------------------------------------------------

#: The four MNIST files -> the MD5 checksum published for each gzipped file.
MNIST_FILES = {
    "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
}

#: The size in bytes of each gzipped file: a download is cut off past it.
MNIST_SIZES = {
    "train-images-idx3-ubyte": 9_912_422,
    "train-labels-idx1-ubyte": 28_881,
    "t10k-images-idx3-ubyte": 1_648_877,
    "t10k-labels-idx1-ubyte": 4_542,
}

#: How long one file's download may take in all, in seconds (the training
#: images, 9.9 MB, need 80 s at 1 Mbit/s).
MNIST_DEADLINE = 600.0

#: Where the gzipped files are downloaded from, tried in this order.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)


def mnist_folder() -> Path:
    r"""Where :func:`mnist` looks for the files by default, and downloads them to.

    ``$CHAINRULE_DATA`` if it is set, else ``~/.cache/chainrule/mnist``.
    """
    chosen = os.environ.get("CHAINRULE_DATA")
    if chosen:
        return _expanded(chosen, "$CHAINRULE_DATA")
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no $HOME and no entry in the user database
        msg = (
            "cannot find your home folder for the MNIST cache; set $CHAINRULE_DATA "
            "to a folder, or give one (mnist(folder), --data DIR)."
        )
        raise ValueError(msg) from None
    return home / ".cache" / "chainrule" / "mnist"


def _expanded(folder: str | os.PathLike[str], what: str) -> Path:
    r"""The folder with ``~`` or ``~user`` expanded; a clear error for a user unknown.

    >>> _expanded("~nosuchuser/mnist", "the folder")
    Traceback (most recent call last):
    ValueError: the folder '~nosuchuser/mnist' names the home folder of ...
    """
    path = Path(folder)
    try:
        return path.expanduser()
    except (RuntimeError, KeyError):  # Python 3.12 and before: RuntimeError
        user = path.parts[0][1:] if path.parts else ""
        msg = (
            f"{what} {os.fspath(folder)!r} names the home folder of "
            + (f"no user {user!r}" if user else "a user who has none")
            + "; give the folder's full path."
        )
        raise ValueError(msg) from None


def _candidates(folder: Path, name: str) -> list[Path]:
    """The names a file goes by: plain or gzipped, ``-idx`` or ``.idx``."""
    dotted = name.replace("-idx", ".idx")
    return [folder / n for n in (name, f"{name}.gz", dotted, f"{dotted}.gz")]


def _find(folder: Path, name: str) -> Path | None:
    return next((p for p in _candidates(folder, name) if p.is_file()), None)


def _by_hand(folder: Path) -> str:
    return (
        f"put the four files ({', '.join(MNIST_FILES)}, gzipped or not) into "
        f"{folder} by hand, or point to a folder that holds them "
        "(mnist(folder), chainrule demo mnist --data DIR or $CHAINRULE_DATA)"
    )


def _fetch(folder: Path, name: str, mirrors: tuple[str, ...], progress: bool) -> Path:
    """Download ``name``.gz from the first mirror that gives a verified copy."""
    target = folder / f"{name}.gz"
    failures: list[DownloadError] = []
    for url in mirrors:  # each ends with "/"
        try:
            return download_file(
                url + target.name,
                target,
                md5=MNIST_FILES[name],
                progress=progress,
                max_bytes=MNIST_SIZES.get(name),
                deadline=MNIST_DEADLINE,
            )
        except DownloadError as error:
            failures.append(error)
    reasons = "; ".join(str(error) for error in failures)
    kind = (
        ChecksumError
        if all(isinstance(e, ChecksumError) for e in failures)
        else DownloadError
    )
    msg = f"could not download {target.name}: {reasons}. Instead, {_by_hand(folder)}."
    raise kind(msg)


def _mirrors(mirror: str | Sequence[str] | None) -> tuple[str, ...]:
    r"""The base URLs to try: ``mirror`` (one, or several in order), else MNIST's.

    >>> _mirrors("http://127.0.0.1:8000/mnist")
    ('http://127.0.0.1:8000/mnist/',)
    >>> _mirrors(5)
    Traceback (most recent call last):
    TypeError: mirror must be a URL (a string such as ...) or a list of URLs, not int 5.
    """
    if mirror is None:
        mirror = MNIST_MIRRORS
    many = not isinstance(mirror, str) and isinstance(mirror, Sequence)
    urls = list(mirror) if many else [mirror]
    if not urls or not all(isinstance(url, str) for url in urls):
        shown = repr(mirror) if len(repr(mirror)) <= 60 else repr(mirror)[:57] + "..."
        msg = (
            "mirror must be a URL (a string such as 'https://example.org/mnist/') "
            f"or a list of URLs, not {type(mirror).__name__} {shown}."
        )
        raise TypeError(msg)
    checked = (check_url(url, "mirror") for url in urls)
    return tuple(url if url.endswith("/") else url + "/" for url in checked)


def mnist(
    folder: str | Path | None = None,
    *,
    download: bool = True,
    mirror: str | Sequence[str] | None = None,
    images: bool = False,
    progress: bool = True,
) -> Split:
    r"""The MNIST handwritten digits: 60,000 training and 10,000 test images, 28×28.

    Reads the four standard files (``train-images-idx3-ubyte``,
    ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
    ``t10k-labels-idx1-ubyte``, each plain or gzipped as ``NAME.gz``) from
    ``folder``, by default :func:`mnist_folder` (``$CHAINRULE_DATA`` or
    ``~/.cache/chainrule/mnist``). Returns the same :class:`Split` as
    :func:`digits`: ``X`` as (n, 784) floats in [0, 1] (the pixels row by
    row; ``images=True`` gives (n, 28, 28)), ``y`` as ints 0-9.

    Each file's header is checked (magic number, 28×28 images, as many
    labels as images, nothing truncated); a bad file raises ``ValueError``
    naming it, as does a header that promises more than an MNIST-like file
    holds (see :mod:`nn.idx`); a file is never read further than its header
    says. Missing files are downloaded when ``download`` is true, from
    :data:`MNIST_MIRRORS` (or from ``mirror``: a base URL, or a list of them
    tried in order), with a progress bar, into a temporary file that is kept
    only once its MD5 checksum matches the published one (:data:`MNIST_FILES`);
    a file may take :data:`MNIST_DEADLINE` seconds and no more bytes than
    its known size (:data:`MNIST_SIZES`). A download that fails
    raises :class:`DownloadError` (:class:`ChecksumError` for a mismatch),
    saying which file and where to put the files by hand; with
    ``download=False`` a missing file raises ``FileNotFoundError``.
    """
    mirrors = _mirrors(mirror)
    where = _expanded(folder, "the folder") if folder is not None else mnist_folder()
    if where.exists() and not where.is_dir():
        msg = f"{where} is a file, not a folder; give the folder of the MNIST files."
        raise NotADirectoryError(msg)
    paths: dict[str, Path] = {}
    for name in MNIST_FILES:
        found = _find(where, name)
        if found is None:
            if not download:
                msg = f"{name} is not in {where}; {_by_hand(where)}."
                raise FileNotFoundError(msg)
            found = _fetch(where, name, mirrors, progress)
        paths[name] = found
    parts = []
    for prefix in ("train", "t10k"):
        pictures = paths[f"{prefix}-images-idx3-ubyte"]
        labels = paths[f"{prefix}-labels-idx1-ubyte"]
        X = read_idx(pictures, dims=3)
        y = read_idx(labels, dims=1)
        for path, array, what in ((pictures, X, "images"), (labels, y, "labels")):
            if len(array) == 0:
                msg = f"{path}: holds no {what} (its header says 0); it is damaged."
                raise ValueError(msg)
        if X.shape[1:] != (28, 28):
            msg = f"{pictures}: holds {X.shape[1]}×{X.shape[2]} images, not 28×28."
            raise ValueError(msg)
        if len(X) != len(y):
            msg = (
                f"{labels}: holds {len(y):,} labels, but {pictures.name} holds "
                f"{len(X):,} images; the two files must belong together."
            )
            raise ValueError(msg)
        if len(y) and y.max() > 9:
            msg = f"{labels}: holds the label {int(y.max())}; digits are 0-9."
            raise ValueError(msg)
        X = X.astype(float) / 255.0
        parts.append((X if images else X.reshape(len(X), -1), y.astype(int)))
    (X_train, y_train), (X_test, y_test) = parts
    return Split(X_train, X_test, y_train, y_test)
