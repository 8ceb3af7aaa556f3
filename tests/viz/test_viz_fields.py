"""receptive_fields: one small SVG grid of weights per neuron."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from viz import receptive_fields
from viz.fields import weight_colour

SVG = "{http://www.w3.org/2000/svg}"


def test_one_grid_per_neuron_coloured_by_weight(make_mlp, tmp_path):
    model = make_mlp([4, 3, 1])
    path = tmp_path / "fields.svg"
    svg = receptive_fields(model, shape=(2, 2), path=path)
    assert path.read_text(encoding="utf-8") == svg
    root = ET.fromstring(svg)
    groups = root.findall(f"{SVG}g")
    assert len(groups) == 3
    neuron = model.layers[0].neurons[1]
    cells = groups[1].findall(f"{SVG}rect")
    assert len(cells) == 4
    largest = max(abs(w.data) for w in neuron.w)
    assert [c.get("fill") for c in cells] == [
        weight_colour(w.data, largest) for w in neuron.w
    ]
    assert "w = " in cells[0].find(f"{SVG}title").text


def test_eight_by_eight_grid_and_a_single_layer(make_mlp):
    layer = make_mlp([64, 5]).layers[0]
    svg = receptive_fields(layer, shape=(8, 8), columns=2, shared_scale=True)
    assert svg.count("<rect") == 5 * 64 + 1
    assert "neuron 5" in svg


def test_colours_run_from_red_through_white_to_blue():
    assert weight_colour(0.0, 2.0) == "#ffffff"
    assert weight_colour(2.0, 2.0) == "#1f77b4"
    assert weight_colour(-5.0, 2.0) == "#d62728"
    assert weight_colour(0.0, 0.0) == "#ffffff"


def test_a_shape_that_does_not_match_the_weights_is_refused(make_mlp):
    model = make_mlp([4, 2])
    with pytest.raises(ValueError, match="4 weights"):
        receptive_fields(model, shape=(3, 3))
    with pytest.raises(ValueError, match="height, width"):
        receptive_fields(model, shape=4)
    with pytest.raises(TypeError, match="layers"):
        receptive_fields(object(), shape=(2, 2))
