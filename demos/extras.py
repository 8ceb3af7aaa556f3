r"""What the lessons need beyond a plain install, and what to say when it is missing.

A plain install gives the engine, ``nn``, ``viz`` and ``chainrule step``.
Lessons that plot (matplotlib) or load scikit-learn's data sets need the
``demos`` extra. Each lesson lists the modules it imports from that extra
(``NEEDS`` in its module); one that is missing is reported in one line that
says what to install, before the lesson starts: the packages themselves,
by their names on PyPI, installed by the Python that runs chainrule (so the
command works wherever chainrule was installed from, a source tree or a
checkout; chainrule itself is not on PyPI).

>>> missing_extras(["math", "no_such_module"])
['no_such_module']
>>> require_extras("the xor lesson", ["math", "no_such_module"])
Traceback (most recent call last):
...
demos.extras.MissingExtraError: the xor lesson needs no_such_module, which is ...
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from collections.abc import Iterable

from demos.lesson import DemoError

__all__ = [
    "DISTRIBUTIONS",
    "MissingExtraError",
    "install_command",
    "missing_extras",
    "require_extras",
]

#: The modules of the ``demos`` extra -> the name pip installs each one by.
DISTRIBUTIONS = {"matplotlib": "matplotlib", "sklearn": "scikit-learn", "tqdm": "tqdm"}


def install_command(names: Iterable[str]) -> str:
    """The command that installs these packages for the Python running now.

    >>> install_command(["matplotlib"]).endswith(" -m pip install matplotlib")
    True
    """
    python = sys.executable or "python"
    return f"{shlex.quote(python)} -m pip install {' '.join(names)}"


class MissingExtraError(DemoError):
    """A lesson needs a package of the ``demos`` extra that is not installed."""


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or half-imported package
        return False


def missing_extras(modules: Iterable[str]) -> list[str]:
    """The pip names of those ``modules`` that cannot be imported, in order."""
    return [DISTRIBUTIONS.get(name, name) for name in modules if not _installed(name)]


def require_extras(what: str, modules: Iterable[str]) -> None:
    """Raise :class:`MissingExtraError` if one of ``modules`` is not installed."""
    missing = missing_extras(modules)
    if not missing:
        return
    names = " and ".join(missing)
    verb = "is" if len(missing) == 1 else "are"
    command = install_command(missing)
    msg = f"{what} needs {names}, which {verb} not installed; install with {command}."
    raise MissingExtraError(msg)
