"""draw_paths: one weight's chain, drawn small enough to read on a projector."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

import nn
from autograd import Value, explain
from viz import draw_paths
from viz.render import render_svg

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def two_two_one() -> tuple[nn.MLP, Value]:
    model = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    return model, (model([1.0, 0.5]) - 1.0) ** 2


def digits_sample() -> tuple[nn.MLP, Value, Value]:
    """MLP(64, [32, 10]) on one image, and a first-layer weight of an active neuron."""
    split = nn.data.digits()
    model = nn.MLP(64, [32, 10], seed=0)
    x = split.X_train[0]
    loss = nn.cross_entropy(model(list(x)), int(split.y_train[0]))
    first = model.layers[0]
    active = int(np.argmax(first.W.data @ x + first.b.data))
    return model, loss, first.neurons[active].w[int(np.argmax(x))]


def records(dot: str) -> list[str]:
    return re.findall(r'^\s*p\d+ \[label="\{?([^|"]+) \|', dot, re.M)


def test_only_the_values_on_the_path_each_step_named_and_the_product_under():
    model, loss = two_two_one()
    w = model.layers[0].neurons[0].w[0]
    dot = str(draw_paths(loss, w))
    # the loss after the output is one step, 2(a³₁ − t₁): a³₁ − t₁ is folded
    assert records(dot) == ["w²₁₁", "z²₁", "a²₁", "z³₁", "a³₁", "E"]
    for label in [
        "x₁ = 1",
        "σ′(z²₁) = 0.2077",
        "w³₁₁ = 0.2133",
        "2(a³₁ − t₁) = -0.803",
    ]:
        assert f'label="{label}"' in dot
    assert "∂E/∂w²₁₁ = x₁ · σ′(z²₁) · w³₁₁ · σ′(z³₁) · 2(a³₁ − t₁)" in dot
    loss.backward()
    assert f"∂E/∂w²₁₁ = {w.grad:.4g}" in dot  # the same number as backward()
    assert "layers." not in dot and not re.search(r"\bv\d+\b", dot)


def test_a_network_of_any_size_draws_a_few_paths_and_folds_the_rest():
    _, loss, w = digits_sample()
    dot = str(draw_paths(loss, w))
    assert len(records(dot)) <= 3 + 3 + 1  # the weight's chain, 3 outputs, E
    assert "the sum over 10 paths" in dot and "7 more paths:" in dot
    assert "the loss: " in dot  # the cross-entropy's ops, folded into E
    total = explain(loss, w).total
    assert f"= {total:.4g}\\l" in dot
    assert len(records(str(draw_paths(loss, w, max_paths=1)))) == 5


def test_paths_are_summed_where_there_are_several():
    x, a, b = Value(2.0, "x"), Value(3.0, "a"), Value(-1.0, "b")
    y = x * a
    y.label = "y"
    z = x * b
    z.label = "z"
    E = y + z
    E.label = "E"
    dot = str(draw_paths(E, x))
    assert "the sum over 2 paths" in dot
    assert "path 1: a" in dot and "path 2: b" in dot and "∂E/∂x = 2\\l" in dot


def test_bad_arguments_are_refused_clearly():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = x * w
    with pytest.raises(ValueError, match="'other' is not in the graph"):
        draw_paths(y, Value(1.0, "other"))
    with pytest.raises(ValueError, match="not in the graph"):
        draw_paths(x * 2.0, w)
    with pytest.raises(TypeError, match="two Values"):
        draw_paths(y, 2.0)
    with pytest.raises(ValueError, match="max_paths"):
        draw_paths(y, x, max_paths=0)


@needs_dot
@pytest.mark.parametrize("network", ["2-2-1", "digits"])
def test_one_weights_paths_fit_a_projector(network, fitted_text_px):
    if network == "2-2-1":
        model, loss = two_two_one()
        w = model.layers[0].neurons[0].w[0]
    else:
        _, loss, w = digits_sample()
    sizes = fitted_text_px(render_svg(draw_paths(loss, w)))
    assert sizes and min(sizes) >= 10, min(sizes)


@needs_dot
def test_the_paths_page_walks_the_chain_rule_down_from_the_loss(tmp_path, chromium):
    from viz import save_paths_html

    model, loss = two_two_one()
    w = model.layers[0].neurons[0].w[0]
    page = save_paths_html(loss, w, tmp_path / "chain.html")
    text = page.read_text(encoding="utf-8")
    assert text.count('<section class="frame"') == 1 + 5  # the loss, then 5 steps
    assert "∂E/∂z³₁ = σ′(z³₁) · 2(a³₁ − t₁) = 0.2403 × -0.803 = -0.193" in text
    loss.backward()
    assert f"∂E/∂w²₁₁ = {w.grad:.4g}" in text
    browser = chromium.new_page(viewport={"width": 1024, "height": 768})
    try:
        browser.goto(page.as_uri())
        counter = browser.locator("#counter")
        assert counter.inner_text() == "chain rule: step 0 of 5"
        browser.keyboard.press("ArrowRight")
        browser.keyboard.press("ArrowRight")
        assert counter.inner_text() == "chain rule: step 2 of 5"
        shown = browser.locator("section.frame:not([hidden]) pre").inner_text()
        assert shown.startswith("∂E/∂z³₁ = σ′(z³₁)")
    finally:
        browser.close()


@needs_dot
def test_the_two_two_one_network_drawn_and_paged_speaks_only_the_articles_names():
    from viz import draw_graph, steps_html

    _, loss = two_two_one()
    for level in ("ops", "neurons", "layers"):
        dot, page = str(draw_graph(loss, level=level)), steps_html(loss, level=level)
        # what people read: the labels drawn, and the steps' and pictures' text
        labels = re.findall(r'label=(".*?(?<!\\)"|<.*?>)\s', dot, re.S)
        texts = re.findall(r"<(?:pre|text)[^>]*>(.*?)</(?:pre|text)>", page, re.S)
        shown = "\n".join(labels + texts)
        assert not re.search(r"\bv\d+\b", shown), level
        assert "layers." not in shown and "neurons." not in shown, level
        assert "final" not in shown, level  # no step that only says so
        assert "w²₁₁" in shown and "E" in shown
