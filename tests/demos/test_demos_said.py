"""What a lesson says matches what it drew and wrote: the names, the order of
the numbers, the words for the held-out set, the files it points to."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from demos import run_lesson
from demos.lesson import with_article
from viz.colours import NEGATIVE, POSITIVE, ZERO

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def said_and_result(name: str, out: Path, **options):
    stream = io.StringIO()
    result = run_lesson(name, out, stream=stream, progress=False, **options)
    return stream.getvalue(), result


@needs_dot
def test_the_camera_draws_zero_weights_neutral_and_names_its_outputs(lesson_run):
    run = lesson_run("camera")
    text = run.said
    svg = (run.result.out / "network.svg").read_text(encoding="utf-8")
    # one line per weight, each coloured by its sign; zero grey and dashed
    strokes = re.findall(r'<path fill="none" stroke="([^"]+)"([^/]*)/>', svg)
    colours = {colour for colour, _ in strokes}
    assert {POSITIVE, NEGATIVE, ZERO} <= colours
    assert all("stroke-dasharray" in rest for colour, rest in strokes if colour == ZERO)
    assert all(
        "stroke-dasharray" not in rest for colour, rest in strokes if colour == POSITIVE
    )
    # the legend says what each colour means, grey included
    assert "w &gt; 0" in svg and "w &lt; 0" in svg and "w = 0" in svg
    # "follow it to the horizontal output": the outputs are named in the picture
    for name in ("solid", "vertical", "diagonal", "horizontal"):
        assert f">{name}</text>" in svg
    assert "horizontal output" in text


def test_blame_lists_the_activations_of_the_neurons_it_names_in_that_order(
    lesson_run,
):
    text = lesson_run("blame").said
    hidden = re.search(r"^  hidden layer 2 +a→∂L/∂a: (.*)$", text, re.M).group(1)
    activations = [
        float(a) for a, _ in re.findall(r"([+-][\d.]+)→([+-][\d.]+)", hidden)
    ]
    named = re.search(
        r"most changed first: \[([\d, ]+)\]; their activations \[([-\d., ]+)\]", text
    )
    order = [int(k) for k in named.group(1).split(", ")]
    listed = [float(a) for a in named.group(2).split(", ")]
    assert order != sorted(order)  # (seed 0: a case where the two orders differ)
    assert listed == pytest.approx([abs(activations[k - 1]) for k in order], abs=0.006)


def test_moons_calls_its_held_out_set_the_test_set_in_words_and_picture(lesson_run):
    run = lesson_run("moons")
    assert "validation" not in run.said and "test" in run.said
    axes = run.figures["history.png"].figure.axes
    labels = [line.get_label() for ax in axes for line in ax.get_lines()]
    assert "validation" not in labels and "test" in labels
    legends = [
        t.get_text() for ax in axes if ax.get_legend() for t in ax.get_legend().texts
    ]
    assert "test" in legends and "validation" not in legends
    drawn = [t.text for t in run.figures["history.png"].texts]
    assert "test" in drawn and "validation" not in drawn


def test_numbers_take_their_article():
    assert [with_article(d) for d in (0, 1, 7, 8, 11, 18, 80)] == [
        "a 0", "a 1", "a 7", "an 8", "an 11", "an 18", "an 80"
    ]  # fmt: skip


def test_no_lesson_says_a_8(lesson_run):
    run = lesson_run("digits")
    text = run.said
    assert run.result.numbers["mistakes"] > 12  # enough mistakes to meet an 8
    assert "an 8 read as" in text
    assert not re.search(r"\ba 8\b", text)


@pytest.mark.parametrize("name", ["chain", "square", "building-blocks", "neuron"])
def test_without_graphviz_a_lesson_points_only_to_files_it_wrote(
    name, tmp_path, monkeypatch, capsys
):
    empty = tmp_path / "no-graphviz"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no `dot` to be found
    text, result = said_and_result(name, tmp_path / "out", quick=True)
    warned = capsys.readouterr().err
    assert "no step page written" in warned
    assert "steps.html" not in text and "None" not in text
    assert not (tmp_path / "out" / "steps.html").exists()
    named = re.findall(r"^(\S+\.(?:svg|png|html|dot)):", text, re.M)
    assert named, text
    for path in named:
        assert Path(path).exists(), f"{name} points to {path}, which it did not write"
        assert Path(path) in result.files
