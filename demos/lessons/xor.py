r"""Lesson ``xor``."""

from __future__ import annotations

from demos.lesson import LessonRun

NAME = "xor"
SUMMARY = "(being written)"
FILES: tuple[str, ...] = ()


def run(lesson: LessonRun) -> None:
    lesson.say("not yet")
