"""Fixtures shared by the tests of every package."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest


@pytest.fixture
def block_imports(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``block_imports("matplotlib", ...)``: those imports fail, as if not installed.

    Submodules already imported are blocked too; everything is put back after
    the test.
    """

    def block(*modules: str) -> None:
        for module in modules:
            loaded = [name for name in sys.modules if name.split(".")[0] == module]
            for name in [module, *loaded]:
                monkeypatch.setitem(sys.modules, name, None)

    return block
