r"""Small data sets for lessons: XOR, the four-pixel camera, moons, digits.

Every function returns numpy arrays: ``X`` with one row per sample and
integer class labels ``y``. ``moons`` and ``digits`` come from scikit-learn
(the ``demos`` extra) and are split into training and test sets with a
seeded, stratified split, returned as a :class:`Split`
(``X_train, X_test, y_train, y_test``, the order of scikit-learn's
``train_test_split``).

>>> X, y = xor()
>>> X.tolist(), y.tolist()
([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
>>> X, y = four_pixel_camera()
>>> X[y == FOUR_PIXEL_CLASSES.index("vertical")].tolist()
[[1.0, -1.0, 1.0, -1.0], [-1.0, 1.0, -1.0, 1.0]]
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = ["FOUR_PIXEL_CLASSES", "Split", "digits", "four_pixel_camera", "moons", "xor"]

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
            "pip install 'chainrule[demos]' (or pip install scikit-learn)."
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
