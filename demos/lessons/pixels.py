r"""Lesson ``pixels``."""

from __future__ import annotations

from demos.lesson import LessonRun

NAME = "pixels"
SUMMARY = "(being written)"
FILES: tuple[str, ...] = ()


def run(lesson: LessonRun) -> None:
    lesson.say("not yet")
