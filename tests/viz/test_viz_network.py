"""draw_network: neurons as circles, weights as coloured lines."""

from __future__ import annotations

import re
import shutil
from itertools import pairwise

import pytest

from autograd import Value
from viz import draw_network, render_svg
from viz.colours import NEGATIVE, POSITIVE, ZERO


def edge(dot: str, tail: str, head: str) -> str:
    (line,) = [
        ln for ln in dot.splitlines() if ln.strip().startswith(f"{tail} -> {head} ")
    ]
    return line


def test_layers_become_columns_and_weights_coloured_lines(tiny_mlp):
    dot = str(draw_network(tiny_mlp))
    assert dot.count("shape=circle") == 1  # set once, for every neuron
    for name in ["cluster_layer0", "cluster_layer1", "cluster_layer2"]:
        assert name in dot
    assert "label=input" in dot and 'label="hidden 1"' in dot and "label=output" in dot
    assert "x₁" in dot and "x₂" in dot
    assert len(re.findall(r"->", dot)) == 2 * 3 + 3 * 1
    widths = {}
    for j, neuron in enumerate(tiny_mlp.layers[0].neurons):
        for k, w in enumerate(neuron.w):
            line = edge(dot, f"l0n{k}", f"l1n{j}")
            assert (POSITIVE if w.data >= 0 else NEGATIVE) in line
            widths[abs(w.data)] = float(re.search(r"penwidth=([\d.]+)", line).group(1))
    ordered = [widths[k] for k in sorted(widths)]
    assert ordered == sorted(ordered)


def test_activations_for_one_input_and_weight_grads(tiny_mlp):
    x = [0.5, -1.0]
    hidden = tiny_mlp.layers[0]([Value(0.5), Value(-1.0)])
    out = tiny_mlp([Value(0.5), Value(-1.0)])[0]
    out.backward()
    dot = str(draw_network(tiny_mlp, x=x, show_grads=True))
    assert f"{hidden[0].data:.4g}" in dot
    assert f"{out.data:.4g}" in dot
    w = tiny_mlp.layers[1].neurons[0].w[2]
    line = edge(dot, "l1n2", "l2n0")
    assert f"label={w.grad:.4g}" in line or f'label="{w.grad:.4g}"' in line
    assert "∂L/∂w" in line


def test_wrong_inputs_and_models_are_refused(tiny_mlp):
    with pytest.raises(ValueError, match="2 inputs"):
        draw_network(tiny_mlp, x=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"nn\.MLP"):
        draw_network(object())
    with pytest.raises(TypeError, match="x holds complex numbers"):
        draw_network(tiny_mlp, x=[1.0 + 2j, 0.0])


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_network_renders(tiny_mlp):
    assert "<svg" in render_svg(draw_network(tiny_mlp, x=[1.0, 0.0]))


def test_the_real_nn_mlp():
    nn = pytest.importorskip("nn")
    if not hasattr(nn, "MLP"):
        pytest.skip("nn has no MLP yet")
    model = nn.MLP(3, [4, 2], seed=0)
    dot = str(draw_network(model, x=[1.0, 0.0, -1.0]))
    assert len(re.findall(r"->", dot)) == 3 * 4 + 4 * 2
    assert "x₃" in dot and "l2n1" in dot


# --- blame, captions, and labels that never collide -------------------------------


def test_the_blame_view_shows_each_neurons_share_of_the_error(tiny_mlp):
    x = [0.5, -1.0]
    before = [w.grad for layer in tiny_mlp.layers for n in layer.neurons for w in n.w]
    dot = str(draw_network(tiny_mlp, x=x, blame=1.0, output_names=["yes"]))
    # the same numbers by hand: L = (out − 1)², the hidden activations as Values
    inputs = [Value(v) for v in x]
    hidden = tiny_mlp.layers[0](inputs)
    out = tiny_mlp.layers[1](hidden)[0]
    loss = (out - 1.0) ** 2
    loss.backward()
    assert f"∂L/∂a\\n{2 * (out.data - 1.0):.4g}" in dot
    for h in hidden:
        assert f"∂L/∂a\\n{h.grad:.4g}" in dot
    w = tiny_mlp.layers[1].neurons[0].w[1]
    assert f"label={w.grad:.4g}" in edge(dot, "l1n1", "l2n0") or (
        f'label="{w.grad:.4g}"' in edge(dot, "l1n1", "l2n0")
    )
    assert "yes" in dot and f"loss {loss.data:.4g}" in dot
    for param, grad in zip(
        [w for layer in tiny_mlp.layers for n in layer.neurons for w in n.w], before
    ):
        param.grad = grad  # (this test's own backward added to them)
    with pytest.raises(ValueError, match="blame needs x"):
        draw_network(tiny_mlp, blame=1.0)
    with pytest.raises(ValueError, match="1 outputs"):
        draw_network(tiny_mlp, x=x, blame=[1.0, 0.0])
    with pytest.raises(TypeError, match="one Value"):
        draw_network(tiny_mlp, x=x, blame=lambda outputs: 3.0)
    with pytest.raises(ValueError, match="one name per output"):
        draw_network(tiny_mlp, output_names=["a", "b"])


def test_the_blame_view_leaves_the_models_grads_alone(tiny_mlp):
    weights = [w for layer in tiny_mlp.layers for n in layer.neurons for w in n.w]
    for k, w in enumerate(weights):
        w.grad = float(k)
    draw_network(tiny_mlp, x=[1.0, 2.0], blame=lambda out: out[0] * 2.0)
    assert [w.grad for w in weights] == [float(k) for k in range(len(weights))]


LABELS = """() => {
  const boxes = (sel) => Array.from(document.querySelectorAll(sel)).map((el) => {
    const r = el.getBoundingClientRect();
    return { text: el.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
  });
  const order = Array.from(document.querySelectorAll("g.node, g.edge"))
    .map((g) => g.getAttribute("class"));
  return { labels: boxes("g.edge text"), circles: boxes("g.node ellipse"),
           texts: boxes("svg text"), order: order };
}"""


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
@pytest.mark.parametrize("sizes", [[2, 3, 1], [2, 8, 1], [4, 6, 3]])
@pytest.mark.parametrize("view", ["show_grads", "blame"])
def test_rendered_labels_never_collide_and_lines_lie_under_neurons(
    make_mlp, sizes, view, chromium
):
    model = make_mlp(sizes, seed=3)
    x = [0.5 * (k + 1) for k in range(sizes[0])]
    if view == "blame":
        picture = draw_network(model, x=x, blame=[0.0] * sizes[-1])
    else:
        outputs = model([Value(v) for v in x])
        sum(o * o for o in outputs).backward()
        picture = draw_network(model, x=x, show_grads=True)
    svg = render_svg(picture)
    page = chromium.new_page(viewport={"width": 1024, "height": 768})
    page.set_content(svg)
    found = page.evaluate(LABELS)
    page.close()
    labels, circles = found["labels"], found["circles"]
    assert len(labels) == sum(a * b for a, b in pairwise(sizes))

    def overlap(a, b):
        return (
            a["x0"] < b["x1"]
            and b["x0"] < a["x1"]
            and (a["y0"] < b["y1"] and b["y0"] < a["y1"])
        )

    for k, a in enumerate(labels):
        for b in labels[k + 1 :]:
            assert not overlap(a, b), (a, b)
        for c in circles:
            assert not overlap(a, c), (a, c)
    assert min(t["y1"] - t["y0"] for t in found["texts"]) >= 12  # readable
    # every line is drawn before (so under) every neuron
    order = found["order"]
    assert order.index("node") > max(i for i, c in enumerate(order) if c == "edge")


# --- colours, legend, direction ---------------------------------------------------


def test_zero_weights_are_grey_and_dashed_and_the_legend_says_so(tiny_mlp):
    tiny_mlp.layers[0].neurons[1].w[0].data = 0.0
    dot = str(draw_network(tiny_mlp))
    line = edge(dot, "l0n0", "l1n1")
    assert ZERO in line and "dashed" in line
    assert POSITIVE not in line and NEGATIVE not in line
    legend = next(ln for ln in dot.splitlines() if ln.strip().startswith("legend"))
    for colour, words in [
        (POSITIVE, "w &gt; 0"),
        (NEGATIVE, "w &lt; 0"),
        (ZERO, "w = 0"),
    ]:
        assert colour in legend and words in legend
    # no zero weight, no word about zero
    tiny_mlp.layers[0].neurons[1].w[0].data = 0.5
    dot = str(draw_network(tiny_mlp))
    legend = next(ln for ln in dot.splitlines() if ln.strip().startswith("legend"))
    assert ZERO not in legend and "w = 0" not in legend


def test_the_blame_border_is_blue_for_positive_blame_and_red_for_negative(tiny_mlp):
    dot = str(draw_network(tiny_mlp, x=[0.5, -1.0], blame=1.0))
    out = tiny_mlp([Value(0.5), Value(-1.0)])[0]
    colour = POSITIVE if out.data > 1.0 else NEGATIVE  # ∂L/∂out = 2(out − 1)/1
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith("l2n0 [")]
    assert f'color="{colour}"' in line


def test_wide_layers_are_laid_across_the_screen(make_mlp):
    def direction(sizes: list[int]) -> str:
        dot = str(draw_network(make_mlp(sizes, seed=0), x=[0.5] * sizes[0]))
        x0, _ = node_position(dot, "l0n0")
        x1, _ = node_position(dot, "l0n1")
        return "TB" if x0 != x1 else "LR"  # two inputs side by side or one above

    assert direction([2, 3, 1]) == "LR"
    assert direction([2, 16, 16, 2]) == "TB"


def node_position(dot: str, name: str) -> tuple[float, float]:
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith(f"{name} [")]
    x, y = re.search(r'pos="([\d.-]+),([\d.-]+)!"', line).groups()
    return float(x), float(y)


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_output_names_are_drawn_as_typed_in_well_formed_svg():
    import xml.etree.ElementTree as ET

    import nn

    names = ["&#1;", "<script>alert(1)</script>", "a&amp;b", "x\x01y"]
    model = nn.MLP(2, [3, len(names)], seed=0)
    svg = render_svg(draw_network(model, output_names=names))
    tree = ET.fromstring(svg)  # well-formed XML: a browser opens it
    texts = {t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")}
    assert {"&#1;", "a&amp;b", "x␁y"} <= texts  # as typed, control made visible
    assert "<script>alert(1)</script>" in texts  # text, not markup
