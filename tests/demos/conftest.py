"""Every lesson run once per test session, for the tests that look at what it
wrote, said and drew (the files it promises, the pictures' fit, the details)."""

from __future__ import annotations

import io
import struct
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from demos import LESSONS, run_lesson
from demos.extras import DISTRIBUTIONS
from demos.lesson import LessonResult, LessonRun


@dataclass
class DrawnText:
    """One text as matplotlib drew it into a saved picture."""

    text: str
    points: float  # its font size
    dpi: float  # the resolution it was drawn at


@dataclass
class SavedFigure:
    """A lesson's matplotlib figure, as saved: the texts drawn and the size."""

    name: str
    figure: Any
    texts: list[DrawnText]
    width: int  # pixels of the saved PNG
    height: int


@dataclass
class Run:
    """What one lesson said, wrote and drew."""

    said: str
    result: LessonResult
    figures: dict[str, SavedFigure] = field(default_factory=dict)


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="session")
def lesson_run(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Run]]:
    """``lesson_run(name)``: the lesson run once, with its short settings
    (``quick``, seed 0, no progress bars).

    Only the extras the lesson declares are importable while it runs, so a
    lesson that needs more than its ``NEEDS`` fails. Each figure it saves is
    caught on the way: the texts matplotlib's renderer really draws into the
    PNG (and their sizes), and the PNG's size; the figure keeps the canvas it
    was drawn on, so its pieces can be measured afterwards.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    runs: dict[str, Run] = {}
    drawn: list[DrawnText] = []
    draw_text = RendererAgg.draw_text
    save_figure = LessonRun.save_figure

    def recording_draw_text(
        self: Any, gc: Any, x: Any, y: Any, s: str, prop: Any, *args: Any, **kwargs: Any
    ) -> Any:
        drawn.append(DrawnText(s, prop.get_size_in_points(), self.dpi))
        return draw_text(self, gc, x, y, s, prop, *args, **kwargs)

    def run(name: str) -> Run:
        if name in runs:
            return runs[name]
        out = tmp_path_factory.mktemp(name)
        options = {}
        if name == "mnist":  # its files, written once (only when needed)
            options["data"] = request.getfixturevalue("mnist_folder")
        figures: dict[str, SavedFigure] = {}

        def catching_save_figure(self: LessonRun, figure: Any, filename: str) -> Path:
            drawn.clear()
            FigureCanvasAgg(figure)  # saved on this canvas, which it keeps
            path = save_figure(self, figure, filename)
            width, height = _png_size(path.read_bytes())
            texts = [t for t in drawn if t.text.strip()]
            figures[filename] = SavedFigure(filename, figure, texts, width, height)
            return path

        said = io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(RendererAgg, "draw_text", recording_draw_text)
            patch.setattr(LessonRun, "save_figure", catching_save_figure)
            for module in set(DISTRIBUTIONS) - set(LESSONS[name].needs):
                loaded = [m for m in sys.modules if m.split(".")[0] == module]
                for blocked in [module, *loaded]:  # as if not installed
                    patch.setitem(sys.modules, blocked, None)
            result = run_lesson(
                name, out / "out", quick=True, progress=False, stream=said, **options
            )
        runs[name] = Run(said.getvalue(), result, figures)
        return runs[name]

    yield run
