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
    svg = receptive_fields(model, shape=(2, 2), path=path, shared_scale=False)
    assert path.read_text(encoding="utf-8") == svg
    root = ET.fromstring(svg)
    groups = root.findall(f"{SVG}g[@class='neuron']")
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
    assert svg.count("<rect x=") == 5 * 64  # one cell per pixel per neuron
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


def test_one_shared_scale_with_a_legend_and_a_readable_size(make_mlp):
    model = make_mlp([4, 3, 1])
    svg = receptive_fields(model, shape=(2, 2))
    root = ET.fromstring(svg)
    assert float(root.get("width")) >= 3 * 96 and float(root.get("height")) >= 96
    weights = [w.data for n in model.layers[0].neurons for w in n.w]
    largest = max(abs(w) for w in weights)
    cells = [c for g in root.findall(f"{SVG}g[@class='neuron']") for c in g]
    fills = [c.get("fill") for c in cells if c.tag == f"{SVG}rect"]
    assert fills == [weight_colour(w, largest) for w in weights]
    cell = next(c for c in cells if c.tag == f"{SVG}rect")
    assert float(cell.get("width")) >= 48  # a 2×2 field: 96 pixels across
    legend = root.find(f"{SVG}g[@class='legend']")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert f"{-largest:.4g}" in texts and "0" in texts and f"+{largest:.4g}" in texts
    assert "weight: red −, white 0, blue +" in texts
    assert "combined weight" in receptive_fields(model, shape=(2, 2), layer=1)


def test_class_names_caption_the_output_layer(make_mlp, tmp_path):
    model = make_mlp([4, 2, 3])
    names = ["solid", "vertical", "a very long class name indeed"]
    svg = receptive_fields(model, shape=(2, 2), layer=1, class_names=names)
    captions = [
        g[0].text for g in ET.fromstring(svg).findall(f"{SVG}g[@class='neuron']")
    ]
    assert captions[:2] == ["solid", "vertical"] and "…" in captions[2]
    assert svg._repr_svg_() == svg and svg.save(tmp_path / "f.svg").read_text() == svg
    with pytest.raises(ValueError, match="layer=1"):
        receptive_fields(model, shape=(2, 2), layer=0, class_names=names)
    with pytest.raises(ValueError, match="one name each"):
        receptive_fields(model, shape=(2, 2), layer=1, class_names=["a"])
    with pytest.raises(ValueError, match="cell"):
        receptive_fields(model, shape=(2, 2), cell=0)


@pytest.mark.parametrize("shape", [(2, 2), (8, 8), (1, 3)])
def test_captions_never_overlap_in_the_browser(make_mlp, chromium, shape):
    nin = shape[0] * shape[1]
    model = make_mlp([nin, 10, 4])
    page = chromium.new_page(viewport={"width": 1024, "height": 768})
    for layer, names in [(0, None), (1, ["horizontal", "vertical", "diagonal", "x"])]:
        page.set_content(
            receptive_fields(model, shape=shape, layer=layer, class_names=names)
        )
        boxes = page.evaluate(
            """() => Array.from(document.querySelectorAll("text")).map((t) => {
                 const r = t.getBoundingClientRect();
                 return [r.left, r.top, r.right, r.bottom, r.height]; })"""
        )
        for k, a in enumerate(boxes):
            assert a[4] >= 12  # readable
            for b in boxes[k + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (a, b)
    page.close()
