r"""Make sure that ``autograd`` is chainrule's engine, before anything uses it.

The import names ``autograd`` and ``nn`` are short and generic. The PyPI
package ``autograd`` (another library) installs a module of the same name;
where it comes first on ``sys.path`` (installed into the same environment,
or seen from the system's Python), ``import autograd`` finds it instead of
chainrule's, and every import from it would fail with a puzzling message.
This says what happened and how to recover, in full: chainrule installed
into a folder of its own, first on ``sys.path``, runs beside the other
package and touches none of its files (docs/nn.md, "Coming from
micrograd").
"""

from __future__ import annotations

import shlex
from pathlib import Path

import autograd

__all__ = ["check_engine"]


def check_engine(module: object = autograd) -> None:
    """Raise an ImportError that explains the clash if ``module`` is not chainrule's."""
    if hasattr(module, "OPS") and hasattr(module, "Value"):
        return
    where = getattr(module, "__file__", None) or "an unknown place"
    source = _source()
    msg = (
        f"the module named autograd that Python found ({where}) is not chainrule's "
        "engine; another package (such as the PyPI package 'autograd') uses the "
        "same name. To use chainrule beside it, install chainrule into a folder "
        f"of its own and put that folder first: python -m pip install --target "
        f"DIR {source}, then run with PYTHONPATH=DIR (in a notebook: "
        "sys.path.insert(0, DIR) before import nn). If both were installed into "
        "one environment, pip uninstall autograd removes files chainrule needs "
        f"too: then python -m pip install --force-reinstall --no-deps {source} "
        "puts them back. Or use chainrule in a virtual environment of its own "
        "(bash .ci/setup makes .venv)."
    )
    raise ImportError(msg)


def _source() -> str:
    """Where chainrule can be installed from: this checkout, if it is one."""
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file():
        return shlex.quote(str(root))
    return "PATH-TO-CHAINRULE (the source tree or checkout you installed it from)"


check_engine()
