r"""One meaning for red and blue in every picture.

**Blue is positive, red is negative**: a weight, a gradient, a blame, a
field. The two classes of a two-class problem follow it: **class 1 blue,
class 0 red**. Zero is grey (a line) or white (a cell of a colour scale).
Everything else (training curves, the runs being compared, highlights)
uses other colours, so red and blue never mean anything else; every
picture that uses them says so in its legend.

>>> sign_colour(0.5) == POSITIVE, sign_colour(-2.0) == NEGATIVE, sign_colour(0.0)
(True, True, '#9e9e9e')
>>> class_colour(0) == NEGATIVE and class_colour(1) == POSITIVE
True
"""

from __future__ import annotations

__all__ = [
    "CLASS_COLOURS",
    "NEGATIVE",
    "POSITIVE",
    "SERIES",
    "SIGN_WORDS",
    "ZERO",
    "class_colour",
    "sign_colour",
]

POSITIVE = "#1f77b4"  # blue
NEGATIVE = "#d62728"  # red
ZERO = "#9e9e9e"  # grey
#: The words every legend uses for the two colours.
SIGN_WORDS = "blue: positive, red: negative"
#: Classes: 0 red and 1 blue, then colours that are neither.
CLASS_COLOURS = (NEGATIVE, POSITIVE, "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
#: Curves that are not signs or classes (train and test, one run and
#: another): black, orange, green, purple, brown, pink; never red or blue.
SERIES = ("#222222", "#e69f00", "#009e73", "#7b3294", "#8c564b", "#cc79a7")


def sign_colour(value: float) -> str:
    """Blue for a positive number, red for a negative one, grey for zero."""
    if value > 0:
        return POSITIVE
    if value < 0:
        return NEGATIVE
    return ZERO


def class_colour(label: int) -> str:
    """The colour of class ``label`` (0 red, 1 blue, then neither)."""
    return CLASS_COLOURS[label % len(CLASS_COLOURS)]
