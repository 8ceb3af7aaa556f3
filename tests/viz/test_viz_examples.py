"""python -m viz.examples FOLDER: the pictures in docs/, made again."""

from __future__ import annotations

import shutil

import pytest

from viz.examples import main


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_the_readme_pictures_are_written_the_same_every_time(tmp_path, capsys):
    assert main([str(tmp_path / "a")]) == 0
    assert main([str(tmp_path / "b")]) == 0
    assert "wrote" in capsys.readouterr().out
    for name in ["graph.svg", "step.svg", "steps.html"]:
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes()
        assert len(first) > 1000
    assert b"grad ?" in (tmp_path / "a" / "step.svg").read_bytes()
