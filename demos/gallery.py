r"""Make the lessons' pictures: ``python -m demos.gallery docs/lessons``.

Runs every lesson at its default settings (seed 0, no progress bars) in a
temporary folder and copies each lesson's best picture into the given folder
as ``<lesson>.<svg|png>``, so the pictures in docs/lessons.md can be made again
at any time. Takes about a minute. The ``mnist`` lesson reads the real MNIST
files from its cache folder (``$CHAINRULE_DATA``), downloading them there if
they are missing.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from demos.lesson import DemoError
from demos.registry import LESSONS, run_lesson

__all__ = ["main", "make_gallery"]


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos.gallery",
        description="Run every lesson and copy one picture of each into FOLDER.",
    )
    parser.add_argument("folder", metavar="FOLDER", help="e.g. docs/lessons")
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these lessons")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in LESSONS]
    if unknown:
        print(f"error: no lesson named {', '.join(unknown)}.", file=sys.stderr)
        return 2
    try:
        paths = make_gallery(args.folder, args.names)
    except (OSError, DemoError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
