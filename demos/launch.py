r"""How the shell starts ``chainrule``: a Ctrl-C while it loads is one line.

Loading chainrule (numpy, the engine, the lessons) takes a few tenths of a
second, and a Ctrl-C in that time would end in a traceback of the imports.
The console script runs :func:`main` of this module, which imports nothing
heavy itself (nor does the ``demos`` package, whose names load when first
used): it loads :mod:`demos.cli` inside a ``try`` and runs it.

>>> main.__module__
'demos.launch'
"""

from __future__ import annotations

import contextlib
import sys

__all__ = ["main"]

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program Ctrl-C ended


def main() -> int:
    """Load the ``chainrule`` command and run it; 130 if Ctrl-C stops the loading."""
    try:
        from demos.cli import main as run
    except KeyboardInterrupt:
        if sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):  # nowhere left to say it
                print("interrupted.", file=sys.stderr)
        return INTERRUPTED
    return run()
