r"""Make the lessons' pictures: ``python -m demos.gallery docs/lessons``.

Runs every lesson at its default settings (seed 0, no progress bars) in a
temporary folder and copies each lesson's best picture into the given folder
as ``<lesson>.<svg|png>``, so the pictures in docs/lessons.md can be made again
at any time. Takes about a minute. The ``mnist`` lesson reads the real MNIST
files from its cache folder (``$CHAINRULE_DATA``), downloading them there if
they are missing.

``python -m demos.gallery --page docs`` instead photographs the step-by-step
page as a class sees it on a 1024×768 projector (headless Chromium, driven by
Playwright): ``step-page.png``, the picture in the README.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from demos.lesson import DemoError
from demos.registry import LESSONS, run_lesson
from demos.terminal import visible, visible_lines

__all__ = ["main", "make_gallery", "page_screenshots"]


def make_gallery(folder: str | Path, names: Sequence[str] | None = None) -> list[Path]:
    r"""Run the lessons (all or those named); copy a picture of each to ``folder``."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in names or list(LESSONS):
            lesson = LESSONS[name]
            result = run_lesson(
                name, Path(scratch) / name, seed=0, progress=False, stream=io.StringIO()
            )
            source = result.out / lesson.picture
            destination = target / f"{name}{source.suffix}"
            shutil.copyfile(source, destination)
            written.append(destination)
    return written


#: Debian's chromium; Playwright drives it (it never fetches a browser).
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1024, 768  # a classroom projector


def page_screenshots(folder: str | Path, frame: int = 9) -> list[Path]:
    r"""Photograph the README's step-by-step page at 1024×768: ``step-page.png``.

    The page is the one neuron of :mod:`viz.examples`, at ``frame`` (frame 9:
    backward step 4, where the sum ``s`` sends its gradient to both products).
    Needs Graphviz, Playwright and Chromium (``bash .ci/setup test``).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        msg = "screenshots need Playwright: bash .ci/setup test installs it."
        raise DemoError(msg) from None
    if not Path(CHROMIUM).exists():
        msg = (
            f"screenshots need Chromium at {CHROMIUM}: bash .ci/setup test installs it."
        )
        raise DemoError(msg)
    from viz.examples import neuron
    from viz.html import save_steps_html

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    shot = target / "step-page.png"
    with tempfile.TemporaryDirectory() as scratch:
        root, params = neuron()
        page_path = save_steps_html(
            root,
            Path(scratch) / "steps.html",
            title="One neuron, backpropagation step by step",
            params=params,
        )
        arguments = ["--headless", "--no-sandbox", "--disable-gpu"]
        arguments += ["--disable-background-networking", "--disable-component-update"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=arguments)
            try:
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
                page.goto(page_path.as_uri())
                page.evaluate(f"() => window.chainrule.show({frame - 1})")
                page.screenshot(path=str(shot))
            finally:
                browser.close()
    return [shot]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos.gallery",
        description="Run every lesson and copy one picture of each into FOLDER.",
    )
    parser.add_argument("folder", metavar="FOLDER", help="e.g. docs/lessons")
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these lessons")
    parser.add_argument(
        "--page",
        action="store_true",
        help="photograph the step-by-step page instead (step-page.png)",
    )
    args = parser.parse_args(argv)
    if args.page:
        return _list_written(lambda: page_screenshots(args.folder))
    unknown = [name for name in args.names if name not in LESSONS]
    if unknown:
        named = ", ".join(visible(name) for name in unknown)  # inert, as typed
        print(f"error: no lesson named {named}.", file=sys.stderr)
        return 2
    return _list_written(lambda: make_gallery(args.folder, args.names))


def _list_written(write: Callable[[], list[Path]]) -> int:
    """Run ``write`` and list the files it wrote: exit status 0, or 2 on an error."""
    try:
        paths = write()
    except (OSError, DemoError) as error:
        print(visible_lines(f"error: {error}"), file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {visible(str(path))} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
