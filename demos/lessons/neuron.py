r"""Lesson ``neuron``."""

from __future__ import annotations

from demos.lesson import LessonRun

NAME = "neuron"
SUMMARY = "(being written)"
FILES: tuple[str, ...] = ()


def run(lesson: LessonRun) -> None:
    lesson.say("not yet")
