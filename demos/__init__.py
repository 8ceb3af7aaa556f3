r"""demos: the lessons and the ``chainrule`` command.

Each lesson prints what a student should look at and writes its pictures
into a folder. Run one from the shell (``chainrule demo chain``) or from
Python:

>>> import io, tempfile
>>> from demos import run_lesson
>>> with tempfile.TemporaryDirectory() as folder:
...     result = run_lesson("square", folder, stream=io.StringIO())
...     sorted(path.name for path in result.files)
['cost_curve.png', 'descent.png', 'graph.svg', 'steps.html']
>>> result.numbers["dE/dw"]
-2.0

``chainrule step`` reads an arithmetic expression safely and narrates its
backward pass:

>>> from demos import parse_expression
>>> parsed = parse_expression("x * w", {"x": 2.0, "w": -3.0})
>>> parsed.root.backward(); parsed.variables["w"].grad
2.0
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below load when first used: see __getattr__
    from demos.cli import main
    from demos.expression import ExpressionError, ParsedExpression, parse_expression
    from demos.extras import MissingExtraError
    from demos.lesson import DemoError, Lesson, LessonResult, LessonRun, Settings
    from demos.registry import LESSONS, describe_lessons, get_lesson, run_lesson
    from demos.step import narrate, parse_assignment

__all__ = [
    "LESSONS",
    "DemoError",
    "ExpressionError",
    "Lesson",
    "LessonResult",
    "LessonRun",
    "MissingExtraError",
    "ParsedExpression",
    "Settings",
    "describe_lessons",
    "get_lesson",
    "main",
    "narrate",
    "parse_assignment",
    "parse_expression",
    "run_lesson",
]

#: Where each public name lives. Importing ``demos`` loads none of them (numpy,
#: the engine and the lessons take a few tenths of a second), so the
#: ``chainrule`` command starts through :mod:`demos.launch` before anything
#: heavy is loaded, and a Ctrl-C in that time is one line, not a traceback.
_HOMES = {
    "main": "demos.cli",
    "ExpressionError": "demos.expression",
    "ParsedExpression": "demos.expression",
    "parse_expression": "demos.expression",
    "MissingExtraError": "demos.extras",
    "DemoError": "demos.lesson",
    "Lesson": "demos.lesson",
    "LessonResult": "demos.lesson",
    "LessonRun": "demos.lesson",
    "Settings": "demos.lesson",
    "LESSONS": "demos.registry",
    "describe_lessons": "demos.registry",
    "get_lesson": "demos.registry",
    "run_lesson": "demos.registry",
    "narrate": "demos.step",
    "parse_assignment": "demos.step",
}


def __getattr__(name: str) -> Any:
    """A public name, loaded from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        msg = f"module 'demos' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
