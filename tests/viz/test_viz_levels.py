"""Pictures and pages at the neuron and the layer level: one box per neuron
(or layer), the numbers of the one graph, the level chosen to fit a screen."""

from __future__ import annotations

import re
import shutil

import pytest

import nn
from autograd import Value, backward_steps, topological_order
from autograd.levels import grouping
from autograd.text import show
from viz import draw_graph, render_svg, save_steps_html, steps_html
from viz.dot import CURRENT, GraphTooLargeError
from viz.levels import choose_level

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def two_two_one() -> tuple[nn.MLP, Value]:
    m = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    E = (m([1.0, 0.5]) - 1.0) ** 2
    E.backward()
    return m, E


def boxes(dot: str) -> dict[str, str]:
    """Each group's box in DOT source: its id and its label's text, tags removed."""
    found = re.findall(r"\t(g\d+) \[label=<(.*?)> ", dot)
    return {box: re.sub(r"<[^>]+>", " | ", label) for box, label in found}


def test_a_neuron_is_one_box_with_its_sum_activation_delta_and_weights():
    _, E = two_two_one()
    dot = str(draw_graph(E, level="neurons"))
    found = boxes(dot)
    assert len(found) == 3  # one box per neuron
    first = next(text for text in found.values() if "neuron 2₁" in text)
    for part in (
        "z²₁ = w²₁₁·x₁ + w²₁₂·x₂ + b²₁ = -0.8743",
        "a²₁ = σ(z²₁) = 0.2944",
        "δ²₁ = -0.008548",
        "w²₁₁ = 0.2739 |  | ∂E/∂w²₁₁ = -0.008548",
        "b²₁ = -0.9181 |  | ∂E/∂b²₁ = -0.008548",
    ):
        assert part in first, part
    # the weights are inside the box, not values of their own
    assert "{w²₁₁ |" not in dot and "{z²₁ |" not in dot
    # the inputs and the loss are drawn as at the op level
    assert "{x₁ | data 1 | grad 0.01891}" in dot
    assert "{a³₁ − t₁ | data -0.4015 | grad -0.803}" in dot
    ids = {re.search(r"neuron (\S+)", t).group(1): box for box, t in found.items()}
    edges = set(re.findall(r"\t(\w+) -> (\w+)", dot))
    assert (ids["2₁"], ids["3₁"]) in edges and (ids["2₂"], ids["3₁"]) in edges
    assert ("v4", ids["2₁"]) in edges  # x₁ feeds neuron 2₁


def test_a_layer_is_one_box_with_its_formula_shapes_and_short_vectors():
    _, E = two_two_one()
    found = list(boxes(str(draw_graph(E, level="layers"))).values())
    assert len(found) == 2
    (hidden,) = [text for text in found if "layer 2" in text]
    assert "z² = W²·x + b² = (2×2)·(2) + (2) = [-0.8743, 0.1718]" in hidden
    assert "a² = σ(z²) = [0.2944, 0.5429]" in hidden
    assert "δ² = [-0.008548, -0.02198]" in hidden
    assert "W²: 2×2,  b²: 2" in hidden
    (out,) = [text for text in found if "layer 3" in text]
    assert "z³ = W³·a² + b³ = (1×2)·(2) + (1) = [0.3992]" in out


def test_the_layer_level_draws_the_inputs_as_a_vector_and_folds_the_loss():
    _, E = two_two_one()
    dot = str(draw_graph(E, level="layers"))
    texts = list(boxes(dot).values())  # a fold's box is named f<k>
    folds = {
        box: re.sub(r"<[^>]+>", " | ", label)
        for box, label in re.findall(r"\t(f\d+) \[label=<(.*?)> ", dot)
    }
    assert len(texts) == 2 and len(folds) == 2
    inputs, loss = folds.values()
    assert "x = [1, 0.5]" in inputs and "dE/dx = [0.01891, -0.009835]" in inputs
    assert "E = (a³₁ − t₁)² = 0.1612" in loss and "t₁ = 1" in loss
    assert "dE/da³₁ = -0.803" in loss
    assert "{x₁ |" not in dot and "{a³₁ − t₁ |" not in dot  # drawn in the folds
    # the loss's ops keep their steps: step 2 (a³₁ − t₁) lights the loss's box
    step = str(draw_graph(E, level="layers", step=2))
    (current,) = re.findall(
        rf'\t(\w+) \[label=.*fillcolor="{CURRENT["fillcolor"]}"', step
    )
    assert current == list(folds)[1]
    model = nn.MLP(5, [2, 3, 5], activation="sigmoid", seed=0)  # article 3
    many = nn.mse(model([1.0, 0.5, -1.0, 2.0, 0.0]), [1.0] * 5)
    assert "E = ((z⁴₁ − t₁)² + … + (z⁴₅ − t₅)²)·0.2" in str(
        draw_graph(many, level="layers")
    )


def test_every_level_shows_the_same_numbers():
    _, E = two_two_one()
    ops = str(draw_graph(E, level="ops"))
    neurons = str(draw_graph(E, level="neurons"))
    for node in topological_order(E):
        if node.op == "wsum":  # δ at the neuron level is the sum's grad
            assert f"grad {show(node.grad)}" in ops
            assert f"= {show(node.grad)}" in neurons


def test_a_wide_neuron_shows_a_few_weights_and_how_many_more():
    model = nn.MLP(64, [1], activation="tanh", seed=0)
    E = model([0.01 * k for k in range(64)]) ** 2
    (first,) = boxes(str(draw_graph(E, level="neurons"))).values()
    assert "… 61 more" in first
    assert first.count("∂E/∂w²₁") == 3
    assert "z²₁ = w²₁₁·x₁ + ... + w²₁₆₄,₆₄" not in first  # a wide layer: w²₁,₆₄


def test_a_step_at_the_neuron_level_highlights_the_neuron_and_keeps_the_grads():
    model, E = two_two_one()
    before = [p.grad for p in model.parameters()]
    dot = str(draw_graph(E, level="neurons", step=4))  # neuron 2₂: see test_levels
    found = boxes(dot)
    current = [
        box
        for box in found
        if re.search(rf'\t{box} \[label=.*fillcolor="{CURRENT["fillcolor"]}"', dot)
    ]
    titles = [re.search(r"neuron \S+", found[box]).group(0) for box in current]
    assert titles == ["neuron 2₂"]
    later = next(text for text in found.values() if "neuron 2₁" in text)
    assert "δ²₁ = ?" in later and "∂E/∂w²₁₁ = ?" in later
    assert [p.grad for p in model.parameters()] == before  # drawn on the side


def test_a_step_given_as_a_step_is_drawn_at_its_own_level():
    _, E = two_two_one()
    op_step = list(backward_steps(E, fresh=True))[3]  # z³₁'s op-level step
    neuron_step = list(backward_steps(E, fresh=True, level="neurons"))[3]
    E.backward()
    assert str(draw_graph(E, step=op_step)) == str(draw_graph(E, step=4, level="ops"))
    assert str(draw_graph(E, step=neuron_step)) == str(
        draw_graph(E, step=4, level="neurons")
    )


def test_a_picture_at_a_level_still_has_a_limit():
    _, E = two_two_one()
    with pytest.raises(GraphTooLargeError, match="at the neurons level"):
        draw_graph(E, level="neurons", max_nodes=5)
    with pytest.raises(ValueError, match="level must be one of"):
        draw_graph(E, level="neuron")


def test_auto_draws_the_op_level_when_it_fits_else_neurons_else_layers():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    small = (x * w).sigmoid()
    assert str(draw_graph(small)) == str(draw_graph(small, level="ops"))
    _, E = two_two_one()  # 19 values: no way round fits, 3 neurons do
    assert str(draw_graph(E)) == str(draw_graph(E, level="neurons"))
    model = nn.MLP(4, [6, 6, 2], seed=0)  # 14 neurons do not fit, 3 layers do
    loss = nn.mse(model([1.0, -1.0, 0.5, 2.0]), [1.0, 0.0])
    assert str(draw_graph(loss)) == str(draw_graph(loss, level="layers"))


def test_the_finest_level_that_fits_is_chosen():
    _, E = two_two_one()
    order = topological_order(E)
    tried = []

    def fits(view):
        tried.append(view.level if view else "ops")
        return view is not None and view.level == "layers"

    assert choose_level(order, fits).level == "layers"
    assert tried == ["ops", "neurons", "layers"]
    assert choose_level(order, lambda view: True) is None
    assert choose_level(order, lambda view: False).level == "layers"
    x = Value(2.0, "x")
    plain = (x * 3.0).tanh()  # no neurons: only the op level
    assert choose_level(topological_order(plain), lambda view: False) is None


@needs_dot
@pytest.mark.parametrize("level", ["neurons", "layers"])
def test_the_two_two_one_network_fits_a_projector_at_each_level(level, fitted_text_px):
    _, E = two_two_one()
    sizes = fitted_text_px(render_svg(draw_graph(E, level=level)))
    assert sizes and min(sizes) >= 10.0, min(sizes)


@needs_dot
def test_a_page_at_the_neuron_level_has_a_frame_per_neuron_of_each_pass():
    _, E = two_two_one()
    page = steps_html(E, level="neurons")
    counters = re.findall(r'data-counter="([^"]+)"', page)
    assert counters[0] == "forward pass: step 1 of 5"
    assert counters[5:] == [f"backward pass: step {k} of 5" for k in range(1, 6)]
    assert "δ²₁ = σ′(z²₁) · w³₁₁·δ³₁ = 0.2077 × 0.2133 × -0.193 = -0.008548" in page
    assert "forward 1/5  neuron 2₁" in page
    layers = steps_html(E, level="layers")
    assert "δ² = σ′(z²) ⊙ (W³ᵀ·δ³)" in layers
    assert len(re.findall(r'data-counter="backward', layers)) == 4
    with pytest.raises(ValueError, match="at the neurons level, more than max_steps=3"):
        steps_html(E, level="neurons", max_steps=3)


IN_VIEW = """() => {
  const frame = document.querySelector("section.frame:not([hidden])");
  const area = frame.querySelector(".picture").getBoundingClientRect();
  let least = Infinity, seen = 0;
  frame.querySelectorAll("svg text").forEach((t) => {
    const r = t.getBoundingClientRect();
    if (!t.textContent.trim() || r.right < area.left || r.left > area.right
        || r.bottom < area.top || r.top > area.bottom) { return; }
    const m = t.getScreenCTM(), size = parseFloat(getComputedStyle(t).fontSize);
    seen += 1;
    least = Math.min(least, size * Math.hypot(m.a, m.b));
  });
  const current = [...frame.querySelectorAll("g.node")].filter((g) =>
    [...g.querySelectorAll("path, polygon")].some((p) =>
      p.getAttribute("stroke") === "CURRENT"));
  return { least, seen, current: current.map((g) => g.textContent) };
}""".replace("CURRENT", CURRENT["color"])


@needs_dot
def test_the_page_at_the_neuron_level_in_chromium(chromium, tmp_path):
    model, E = two_two_one()
    path = save_steps_html(E, tmp_path / "neurons.html", level="neurons", params=model)
    page = chromium.new_page(viewport={"width": 1024, "height": 768})
    try:
        page.goto(path.as_uri())
        frames = page.locator("section.frame").count()
        assert frames == 10
        for k in range(frames):
            found = page.evaluate(IN_VIEW)
            assert found["seen"] > 0 and found["least"] >= 10.0, (k, found)
            if k == 8:  # backward step 4: neuron 2₂, highlighted
                assert len(found["current"]) == 1
                assert "neuron 2₂" in found["current"][0]
                text = page.locator("section.frame:not([hidden]) pre").inner_text()
                assert text.startswith("step 4/5  neuron 2₂")
            page.keyboard.press("ArrowRight")
        counter = page.locator("#counter").inner_text()
        assert counter == "backward pass: step 5 of 5"
    finally:
        page.close()


def test_grouping_the_same_graph_twice_gives_the_same_picture():
    _, E = two_two_one()
    assert str(draw_graph(E, level="layers")) == str(draw_graph(E, level="layers"))
    assert grouping(E, "layers").level == "layers"
