"""Every doctest (README.md, docs/*.md and the modules') runs in a fresh
temporary folder; the slow test files run first.

The examples write files by plain names (``model.save("xor.json")``), as a
reader would; in the test suite those files land in a temporary folder,
never in the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _examples_run_in_a_temporary_folder(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = isinstance(request.node, pytest.DoctestItem)
    if example or Path(str(request.node.path)).suffix == ".md":
        monkeypatch.chdir(tmp_path)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files holding a test marked ``slow`` or ``install`` come first, each
    file's tests still together and in their order.

    The suite runs on every core (``-n auto --dist loadfile``): each worker
    takes whole files in this order. Started first, the long files overlap
    with the rest, and no worker is left running one alone at the end.
    """
    slow = {
        item.path
        for item in items
        if item.get_closest_marker("slow") or item.get_closest_marker("install")
    }
    items.sort(key=lambda item: item.path not in slow)  # stable: order kept
