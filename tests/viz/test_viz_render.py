"""Rendering with the real `dot` program, and the error when it is missing."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from autograd import Value
from viz import GraphvizNotFound, draw_graph, render_svg, render_svgs, save_svg

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
SVG = "{http://www.w3.org/2000/svg}"


def small_graph() -> Value:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = (a * b).tanh()
    c.label = "c"
    c.backward()
    return c


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode())
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@needs_dot
def test_svg_is_valid_xml_with_the_labels():
    svg = render_svg(draw_graph(small_graph()))
    words = texts(svg)
    for expected in ["a", "b", "c", "data 2", "data -3", "tanh", "×", "∂(a·b)/∂a = -3"]:
        assert expected in words
    assert any(w.startswith("grad ") for w in words)


@needs_dot
def test_a_step_frame_renders_with_grad_question_marks(tmp_path):
    path = save_svg(draw_graph(small_graph(), step=1), tmp_path / "sub" / "f.svg")
    words = texts(path.read_text(encoding="utf-8"))
    assert "grad ?" in words and "current step" in words


@needs_dot
def test_many_graphs_render_in_one_run():
    c = small_graph()
    svgs = render_svgs([draw_graph(c, step=k) for k in (1, 2)])
    assert len(svgs) == 2
    # "?" only for nodes nothing has reached yet: a and b, until the × node
    assert [texts(s).count("grad ?") for s in svgs] == [2, 0]
    assert render_svgs([]) == []


def test_missing_dot_raises_a_clear_error_and_keeps_the_source(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot` here
    graph = draw_graph(small_graph())
    with pytest.raises(GraphvizNotFound) as info:
        render_svg(graph)
    message = str(info.value)
    assert "apt-get install graphviz" in message
    assert "brew install graphviz" in message
    assert "conda" in message and "Windows" in message
    assert isinstance(info.value, RuntimeError)
    with pytest.raises(GraphvizNotFound):
        save_svg(graph, tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()
    assert str(graph).startswith("digraph")
    assert "{c | data" in str(graph)


def test_missing_dot_stops_the_step_page_too(monkeypatch, tmp_path):
    from viz import save_steps_html

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFound, match="apt-get install graphviz"):
        save_steps_html(small_graph(), tmp_path / "steps.html")
    assert not (tmp_path / "steps.html").exists()
