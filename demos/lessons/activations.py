r"""Lesson ``activations``."""

from __future__ import annotations

from demos.lesson import LessonRun

NAME = "activations"
SUMMARY = "(being written)"
FILES: tuple[str, ...] = ()


def run(lesson: LessonRun) -> None:
    lesson.say("not yet")
