r"""The list of lessons: name → one-line summary → the function that runs it.

>>> [lesson.name for lesson in LESSONS.values()][:3]
['chain', 'square', 'neuron']
>>> get_lesson("sqare")
Traceback (most recent call last):
...
demos.lesson.DemoError: no lesson named 'sqare' (did you mean 'square'?); ...
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from types import ModuleType
from typing import TextIO

import nn
from demos.extras import require_extras
from demos.lesson import DemoError, Lesson, LessonResult, LessonRun, Settings
from demos.lessons import (
    activations,
    blame,
    building_blocks,
    camera,
    chain,
    digits,
    dropout,
    layer_matrix,
    mnist,
    moons,
    mse,
    neuron,
    optimizers,
    pixels,
    sigmoid_shape,
    softmax,
    square,
    xor,
)

__all__ = [
    "ALIASES",
    "LESSONS",
    "check_needs",
    "describe_lessons",
    "get_lesson",
    "run_lesson",
]


def _lesson(module: ModuleType) -> Lesson:
    return Lesson(
        module.NAME,
        module.SUMMARY,
        module.run,
        tuple(module.FILES),
        module.PICTURE,
        tuple(module.NEEDS),
        tuple(getattr(module, "OPTIONS", ())),
    )


#: Every lesson, in teaching order.
LESSONS: dict[str, Lesson] = {
    lesson.name: lesson
    for lesson in map(
        _lesson,
        (
            chain,
            square,
            neuron,
            sigmoid_shape,
            building_blocks,
            mse,
            softmax,
            blame,
            layer_matrix,
            xor,
            camera,
            pixels,
            moons,
            optimizers,
            dropout,
            activations,
            digits,
            mnist,
        ),
    )
}

#: Other names that reach a lesson, with the settings they imply.
ALIASES: dict[str, tuple[str, dict[str, bool]]] = {
    "digits-cnn": ("digits", {"cnn": True}),
    "mnist-cnn": ("mnist", {"cnn": True}),
    "building_blocks": ("building-blocks", {}),
    "blocks": ("building-blocks", {}),
    "sigmoid_shape": ("sigmoid-shape", {}),
    "layer_matrix": ("layer-matrix", {}),
}

#: The lesson options of the command line, as they are spelled there.
OPTION_FLAGS = {"cnn": "--cnn", "data": "--data DIR"}


def describe_lessons() -> str:
    r"""The lesson list as ``chainrule demo --list`` prints it."""
    width = max(map(len, LESSONS))
    lines = [f"  {name:<{width}}  {lesson.summary}" for name, lesson in LESSONS.items()]
    lines.append(
        f"  {'':<{width}}  (digits --cnn, mnist --cnn: "
        "the same with a small convolutional network)"
    )
    return "\n".join(lines)


def get_lesson(name: str) -> Lesson:
    """The lesson called ``name`` (or one of its aliases); a clear error if none is."""
    key = ALIASES.get(name, (name, {}))[0]
    if key in LESSONS:
        return LESSONS[key]
    close = difflib.get_close_matches(name, [*LESSONS, *ALIASES], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    msg = f"no lesson named {name!r}{hint}; the lessons are: {', '.join(LESSONS)}."
    raise DemoError(msg)


def check_needs(lesson: Lesson) -> None:
    r"""A one-line :class:`~demos.extras.MissingExtraError` if the lesson cannot run.

    It names what is missing and the command that installs it (``python -m
    pip install matplotlib``), before the lesson has said or written anything.
    """
    require_extras(f"the {lesson.name} lesson", lesson.needs)


def run_lesson(
    name: str,
    out: str | Path | None = None,
    *,
    seed: int = 0,
    progress: bool = True,
    quick: bool = False,
    epochs: int | None = None,
    cnn: bool = False,
    data: str | Path | None = None,
    stream: TextIO | None = None,
) -> LessonResult:
    r"""Run one lesson and return the files it wrote and the numbers it found.

    ``out`` defaults to ``./chainrule-out/<name>``. ``quick=True`` (or a
    small ``epochs``) keeps the training lessons short; ``stream`` receives
    what the lesson says (standard output by default; ``io.StringIO()`` to
    keep it quiet); ``cnn`` and ``data`` (the folder of the MNIST files) are
    options of the lessons that take them. A lesson that needs a package of
    the ``demos`` extra that is not installed raises
    :class:`~demos.extras.MissingExtraError` (a :class:`DemoError`) before it
    starts.
    """
    lesson = get_lesson(name)
    check_needs(lesson)
    cnn = cnn or ALIASES.get(name, ("", {}))[1].get("cnn", False)
    for option, given in (("cnn", cnn), ("data", data is not None)):
        if given and option not in lesson.options:
            takers = [n for n, each in LESSONS.items() if option in each.options]
            msg = (
                f"{OPTION_FLAGS[option]} is an option of the "
                f"{' and '.join(takers)} lesson{'s' if len(takers) > 1 else ''}, "
                f"not of {lesson.name!r}."
            )
            raise DemoError(msg)
    if epochs is not None and epochs < 1:
        msg = f"--epochs must be 1 or more, not {epochs}."
        raise DemoError(msg)
    folder = Path(out) if out is not None else Path("chainrule-out") / lesson.name
    if folder.exists() and not folder.is_dir():
        msg = (
            f"--out {str(folder)!r} is a file, not a folder; "
            "choose a folder with --out DIR."
        )
        raise DemoError(msg)
    settings = Settings(
        out=folder,
        seed=seed,
        progress=progress,
        quick=quick,
        epochs=epochs,
        cnn=cnn,
        data=Path(data) if data is not None else None,
        stream=stream if stream is not None else sys.stdout,
    )
    run = LessonRun(lesson.name, settings)
    run.prepare()  # a bad --out fails before any work
    nn.manual_seed(seed)  # what a lesson makes without seed= repeats with --seed
    lesson.run(run)
    return run.result()
