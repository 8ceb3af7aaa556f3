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
