"""Every doctest (README.md, docs/*.md and the modules') runs in a fresh
temporary folder.

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
