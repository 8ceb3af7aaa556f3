r"""Make sure that ``autograd`` is chainrule's engine, before anything uses it.

The import names ``autograd`` and ``nn`` are short and generic. The PyPI
package ``autograd`` (another library) installs a module of the same name;
where it comes first on ``sys.path`` (installed into the same environment,
or seen from the system's Python), ``import autograd`` finds it instead of
chainrule's, and every import from it would fail with a puzzling message.
This says what happened and what to do instead.
"""

from __future__ import annotations

import autograd

__all__ = ["check_engine"]


def check_engine(module: object = autograd) -> None:
    """Raise an ImportError that explains the clash if ``module`` is not chainrule's."""
    if hasattr(module, "OPS") and hasattr(module, "Value"):
        return
    where = getattr(module, "__file__", None) or "an unknown place"
    msg = (
        f"the module named autograd that Python found ({where}) is not chainrule's "
        "engine; another package (such as the PyPI package 'autograd') uses the "
        "same name. Use chainrule in a virtual environment of its own (bash "
        ".ci/setup makes .venv), or pip uninstall autograd from this one."
    )
    raise ImportError(msg)


check_engine()
