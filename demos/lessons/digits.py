r"""Lesson ``digits``."""

from __future__ import annotations

from demos.lesson import LessonRun

NAME = "digits"
SUMMARY = "(being written)"
FILES: tuple[str, ...] = ()


def run(lesson: LessonRun) -> None:
    lesson.say("not yet")
