r"""What every lesson shares: its settings, its output folder, what it wrote.

A lesson is a function ``run(lesson: LessonRun) -> None``. It talks to the
student through :meth:`LessonRun.say`, writes its pictures through the
``save_*`` methods (each one records the file it wrote), and records the
numbers worth checking (an accuracy, a gradient) with :meth:`LessonRun.note`.

>>> import io, tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as folder:
...     run = LessonRun("demo", Settings(out=Path(folder), stream=io.StringIO()))
...     path = run.save_text("numbers.txt", "dE/dw = -2\n")
...     run.note("slope", -2.0)
...     run.result().numbers
{'slope': -2.0}
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from demos.terminal import visible_lines
from nn.files import write_file

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from autograd import Value

__all__ = [
    "DemoError",
    "Lesson",
    "LessonResult",
    "LessonRun",
    "Settings",
    "epoch_curves",
    "with_article",
]


class DemoError(ValueError):
    """A mistake in how a lesson was asked for: a bad name, folder or setting."""


@dataclass
class Settings:
    r"""How to run a lesson.

    ``out`` is the folder for its files; ``seed`` seeds every random choice;
    ``progress`` turns progress bars on or off. ``quick`` and ``epochs`` make
    the training lessons short (for tests); ``cnn`` picks the convolutional
    network in ``digits`` and ``mnist``; ``data`` is the folder of a lesson's
    data files (``mnist``). ``stream`` receives what the lesson says
    (standard output when ``None``).
    """

    out: Path
    seed: int = 0
    progress: bool = True
    quick: bool = False
    epochs: int | None = None
    cnn: bool = False
    data: Path | None = None
    stream: TextIO | None = None


@dataclass(frozen=True)
class LessonResult:
    r"""What a lesson did: the files it wrote and the numbers it measured."""

    name: str
    out: Path
    files: tuple[Path, ...]
    numbers: dict[str, float]


@dataclass(frozen=True)
class Lesson:
    r"""One entry of the lesson list: its name, a one-line summary, its code.

    ``files`` names the files the lesson promises to write into its folder;
    ``picture`` is the one that shows it best (the lessons table in
    docs/lessons.md); ``needs`` names the modules of the ``demos`` extra it
    imports (``"matplotlib"``, ``"sklearn"``), checked before it runs;
    ``options`` the settings of its own it reads (``"cnn"``, ``"data"``):
    asking another lesson for them is a mistake the student is told about.
    """

    name: str
    summary: str
    run: Callable[[LessonRun], None]
    files: tuple[str, ...] = ()
    picture: str = ""
    needs: tuple[str, ...] = ()
    options: tuple[str, ...] = ()


@dataclass
class LessonRun:
    r"""One run of a lesson: where it writes, what it says, what it recorded."""

    name: str
    settings: Settings
    files: list[Path] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)

    # --- settings the lessons read -------------------------------------------------

    @property
    def out(self) -> Path:
        return self.settings.out

    @property
    def seed(self) -> int:
        return self.settings.seed

    @property
    def progress(self) -> bool:
        return self.settings.progress

    @property
    def quick(self) -> bool:
        return self.settings.quick

    def epochs(self, default: int, quick: int) -> int:
        """``--epochs`` if it was given, else ``quick`` or ``default``."""
        if self.settings.epochs is not None:
            return self.settings.epochs
        return quick if self.settings.quick else default

    def fit_full_batch(
        self, model: Any, X: Any, y: Any, loss: str, lr: float, epochs: int, seed: int
    ) -> Any:
        """Train a small model on all its (few) samples at once, with Adam.

        Used for the toy data sets (XOR, the four pixels, one neuron's data):
        a fraction of a second, so no progress bar.
        """
        import nn

        return nn.fit(
            model,
            X,
            y,
            loss=loss,
            optimizer=nn.Adam(model, lr=lr),
            epochs=epochs,
            batch_size=len(X),
            seed=seed,
            progress=False,
        )

    @contextlib.contextmanager
    def one_blas_thread(self) -> Iterator[None]:
        r"""Run the block with numpy's BLAS on one thread, as the benchmarks do.

        The matrix products of a mini-batch are small: split over two threads
        on two busy cores they get many times slower, not faster. Uses
        threadpoolctl (it comes with scikit-learn) when it is installed.
        """
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # optional: without it training is only slower
            yield
            return
        with threadpool_limits(limits=1, user_api="blas"):
            yield

    # --- talking to the student ----------------------------------------------------

    def say(self, text: str = "") -> None:
        """Print a line (or several) for the student.

        Control characters (in a folder's name the user chose) are escaped.
        """
        stream = self.settings.stream or sys.stdout
        print(visible_lines(text), file=stream)

    def heading(self, text: str) -> None:
        """Print a section title, underlined."""
        self.say()
        self.say(text)
        self.say("-" * len(text))

    def note(self, key: str, value: float) -> None:
        """Record a number the lesson measured (tests and the summary read it)."""
        self.numbers[key] = float(value)

    # --- writing files -------------------------------------------------------------

    def path(self, name: str) -> Path:
        """The path of a file in the output folder (the folder is created)."""
        self.prepare()
        return self.out / name

    def prepare(self) -> None:
        """Create the output folder; a clear error if it cannot be written."""
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _unwritable(self.out, error) from None

    def _record(self, path: Path) -> Path:
        if path not in self.files:
            self.files.append(path)
        return path

    def save_text(self, name: str, text: str) -> Path:
        """Write a text file into the output folder."""
        path = self.path(name)
        try:
            write_file(path, text)
        except OSError as error:
            raise _unwritable(self.out, error) from None
        return self._record(path)

    def save_figure(self, figure: Figure, name: str) -> Path:
        """Save a matplotlib figure (PNG or SVG, by the name's suffix)."""
        path = self.path(name)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=path.suffix[1:], dpi=100, bbox_inches="tight")
        try:
            write_file(path, buffer.getvalue())
        except OSError as error:
            raise _unwritable(self.out, error) from None
        return self._record(path)

    def save_history(self, history: Any, name: str, held_out: str = "test") -> Path:
        r"""``viz.plot_history`` of a run, its held-out curves named ``held_out``.

        ``nn.fit`` calls the held-out set "validation"; the lessons keep their
        test set aside and call it the test set, in the text and in the plot.
        """
        import viz

        return self.save_figure(viz.plot_history(history, held_out=held_out), name)

    def save_graph(self, root: Value, name: str, **options: Any) -> Path:
        """Draw ``root``'s computation graph with ``viz.draw_graph`` as SVG."""
        import viz

        return self.save_svg(viz.draw_graph(root, **options), name)

    def save_svg(self, picture: Any, name: str) -> Path:
        r"""Write a picture as SVG: SVG text as it is, a graphviz graph rendered.

        Without the Graphviz ``dot`` program a graph cannot be rendered: its
        DOT source is written instead (``name`` with the suffix ``.dot``) and
        the student is told how to install Graphviz.
        """
        from viz.render import GraphvizNotFound, render_svg

        if isinstance(picture, str):
            return self.save_text(name, picture)
        try:
            svg = render_svg(picture)
        except GraphvizNotFound as error:
            dot = Path(name).with_suffix(".dot").name
            warning = f"warning: {error}\nwriting {dot} instead."
            print(visible_lines(warning), file=sys.stderr)
            return self.save_text(dot, str(picture))
        return self.save_text(name, svg)

    def save_steps(
        self, root: Value, name: str, title: str, **options: Any
    ) -> Path | None:
        """Write the step-by-step page of ``root``'s backward pass (HTML).

        ``options`` go to ``viz.save_steps_html`` (``params=`` marks the
        weights). The page runs its own backward pass on the side: the
        graph's grads are left as they were. Without Graphviz no page can
        be made: the student is told so, and ``None`` comes back instead of
        a path, so that the lesson points only to what it wrote.
        """
        import viz
        from viz.render import GraphvizNotFound

        path = self.path(name)
        try:
            viz.save_steps_html(root, path, title=title, **options)
        except OSError as error:
            raise _unwritable(self.out, error) from None
        except GraphvizNotFound as error:
            warning = f"warning: {error}\nno step page written."
            print(visible_lines(warning), file=sys.stderr)
            return None
        return self._record(path)

    def result(self) -> LessonResult:
        return LessonResult(
            name=self.name,
            out=self.out,
            files=tuple(self.files),
            numbers=dict(self.numbers),
        )


def epoch_curves(
    curves: dict[str, list[float]],
    ylabel: str,
    title: str,
    *,
    log: bool = False,
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """One line per run, a dot per epoch (1, 2, ...): a lesson's training curves."""
    from viz.classroom import classroom, figure, legend_beside

    with classroom():
        fig = figure(8.0, 4.6)
        ax = fig.add_subplot()
        for name, values in curves.items():
            ax.plot(range(1, len(values) + 1), values, "o-", label=name)
        if log:
            ax.set_yscale("log")
        if ylim is not None:
            ax.set_ylim(*ylim)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        legend_beside(ax)
        ax.grid(True)
    return fig


def with_article(number: int) -> str:
    r"""A number as a lesson says it, with its article: "a 7", "an 8", "an 11".

    >>> with_article(7), with_article(8), with_article(18), with_article(80)
    ('a 7', 'an 8', 'an 18', 'an 80')
    """
    said = str(number)  # "eight", "eleven", "eighteen", "eighty..." start with a vowel
    vowel = said.startswith("8") or said in ("11", "18")
    return f"{'an' if vowel else 'a'} {said}"


def _unwritable(folder: Path, error: OSError) -> DemoError:
    reason = error.strerror or str(error)
    msg = (
        f"cannot write into the output folder {str(folder)!r} ({reason}); "
        "choose another folder with --out DIR."
    )
    return DemoError(msg)
