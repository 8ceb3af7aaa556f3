"""Names for people: the articles' notation, short expressions, one place."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, backward_steps, explain, node_names
from autograd.data import subscript, superscript
from autograd.names import (
    LayerNames,
    name_key,
    plain_text,
    target_name,
    use_notation,
)


def two_two_one(output_activation: str = "identity") -> tuple[nn.MLP, Value]:
    model = nn.MLP(2, [2, 1], activation="sigmoid", seed=0)
    if output_activation != "identity":
        model = nn.MLP(
            2, [2, 1], activation="sigmoid", output_activation=output_activation, seed=0
        )
    return model, (model([1.0, 0.5]) - 1.0) ** 2


# --- a model's parts ------------------------------------------------------------------


def test_a_layer_is_named_in_each_notation():
    first = LayerNames(0, "layers.0.")
    assert [first.weight(2, 0), first.bias(2), first.sum(2), first.activation(2)] == [
        "w²₃₁",  # into neuron 3 of layer 2 from input 1
        "b²₃",
        "z²₃",
        "a²₃",
    ]
    assert first.delta(0) == "δ²₁" and first.matrix("W") == "W²"
    with use_notation(style="matrix"):  # from input 1 to neuron 3, hidden layer 1
        assert first.weight(2, 0) == "W¹₁,₃" and first.sum(2) == "z¹₃"
    with use_notation(style="code"):
        assert (
            first.weight(2, 0) == "layers.0.W[2,0]" and first.bias(2) == "layers.0.b[2]"
        )
    wide = LayerNames(1, "layers.1.", wide=True)
    assert wide.weight(11, 2) == "w³₁₂,₃" and wide.weight(0, 1) == "w³₁,₂"
    assert LayerNames(None, single=True).weight(0, 1) == "w₂"
    assert LayerNames(None, single=True).sum(0) == "z"


def test_models_label_their_parts_and_the_labels_follow_the_notation():
    model, _ = two_two_one()
    w = model.layers[1].neurons[0].w[1]
    assert w.label == "w³₁₂" and model.layers[1].W.label == "W³"
    with use_notation(style="matrix"):
        assert w.label == "W²₂,₁"
    with use_notation(style="code"):
        assert w.label == "layers.1.W[0,1]"
    assert w.label == "w³₁₂"  # the with-block restored the notation
    w.label = "mine"  # a label given by hand is kept
    assert w.label == "mine"
    assert model.named_parameters()[0][0] == "layers.0.neurons.0.w.0"


# --- every node of a graph ---------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "written"),
    [
        (lambda x, w, b, t: x * w + b, "x·w + b"),
        (lambda x, w, b, t: (x * w + b - t) ** 2, "(x·w + b − t)²"),
        (lambda x, w, b, t: x - (w - b), "x − (w − b)"),
        (lambda x, w, b, t: x - w - b, "x − w − b"),
        (lambda x, w, b, t: x / (w * b), "x / (w·b)"),
        (lambda x, w, b, t: x * (w + b), "x·(w + b)"),
        (lambda x, w, b, t: (-x) ** 2, "(−x)²"),
        (lambda x, w, b, t: x * -3.0, "x·(−3)"),
        (lambda x, w, b, t: (x * w).sigmoid() * b, "σ(x·w)·b"),
        (lambda x, w, b, t: (x + w).log(), "ln(x + w)"),
        (lambda x, w, b, t: (x * w).relu(), "ReLU(x·w)"),
    ],
)
def test_an_unlabelled_node_is_its_short_expression(build, written):
    x, w, b, t = Value(1.5, "x"), Value(2.0, "w"), Value(0.5, "b"), Value(1.0, "t")
    y = build(x, w, b, t)
    z = y * 1.0  # so that y is not the root (the root is E)
    assert node_names(z)[y] == written


def test_long_expressions_fall_back_to_v_and_the_root_is_the_loss():
    xs = [Value(float(k), f"input{k}") for k in range(6)]
    first = xs[0] * xs[1] + xs[2] * xs[3]  # 27 characters: too long to be a name
    long = first + xs[4] * xs[5]
    root = long * 2.0
    names = node_names(root)
    assert re.fullmatch(r"v\d+", names[first])
    assert names[long] == f"{names[first]} + input4·input5"
    assert node_names(root)[root] == "E"
    with use_notation(loss="C"):
        assert node_names(root)[root] == "C"
    with pytest.raises(ValueError, match="loss must be a name"):
        use_notation(loss="")


def test_a_constant_subtracted_from_an_output_is_its_target():
    _, loss = two_two_one("sigmoid")
    names = node_names(loss)
    hidden = ["w²₁₁", "w²₁₂", "b²₁", "z²₁", "a²₁", "w²₂₁", "w²₂₂", "b²₂", "z²₂", "a²₂"]
    out = ["x₁", "x₂", "w³₁₁", "w³₁₂", "b³₁", "z³₁", "a³₁", "t₁", "a³₁ − t₁", "E"]
    assert sorted(names.values()) == sorted([*hidden, *out])
    three = nn.MLP(2, [3], output_activation="sigmoid", seed=0)
    outs = three([1.0, 0.5])
    error = nn.mse(outs, [0.0, 1.0, 0.0])
    shown = set(node_names(error).values())
    assert {"t₁", "t₂", "t₃", "(a²₂ − t₂)²"} <= shown
    assert target_name("a") == "t" and target_name("z²₃") == "t₃"


def test_the_two_two_one_network_is_stepped_in_the_articles_names_only():
    model, loss = two_two_one("sigmoid")
    text = "\n".join(str(step) for step in backward_steps(loss))
    assert not re.search(r"\bv\d+\b", text) and "layers." not in text
    assert "final" not in text and "(leaf)" not in text
    steps = list(backward_steps(loss, fresh=True))
    assert [s.name for s in steps] == [
        "E",
        "a³₁ − t₁",
        "a³₁",
        "z³₁",
        "a²₂",
        "z²₂",
        "a²₁",
        "z²₁",
    ]
    assert "dE/dz²₁ = δ²₁ = " in str(steps[-1])  # the article's δ
    table = {leaf.name: leaf.grad for leaf in steps[-1].leaves}
    parameters = {p.label: p.grad for p in model.parameters()}
    assert table.items() >= parameters.items()  # every parameter, as backward
    assert "t₁" not in table  # a number: the chain rule sends it nothing


def test_explain_writes_the_product_of_a_weight_in_names():
    model, loss = two_two_one("sigmoid")
    w = model.layers[0].neurons[0].w[0]
    (path,) = explain(loss, w).paths
    assert path.names == ("w²₁₁", "z²₁", "a²₁", "z³₁", "a³₁", "a³₁ − t₁", "E")
    assert path.formulas == (
        "x₁",
        "σ′(z²₁)",
        "w³₁₁",
        "σ′(z³₁)",
        "1",
        "2(a³₁ − t₁)",
    )
    assert "x₁ · σ′(z²₁) · w³₁₁ · σ′(z³₁) · 2(a³₁ − t₁)" in str(path)
    loss.backward()
    assert path.product == pytest.approx(w.grad, rel=1e-12)


def test_a_batch_names_its_layers_as_the_model_does():
    model = nn.MLP(2, [3, 2], seed=0)
    loss = nn.cross_entropy(model(np.ones((4, 2))), np.array([0, 1, 1, 0]))
    names = set(node_names(loss).values())
    assert {"Z²", "A²", "Z³", "W²", "b²", "W³", "b³"} <= names


# --- plain text, and reading names back --------------------------------------------


def test_plain_text_for_terminals_and_names_read_back_either_way():
    assert plain_text("∂E/∂w²₃₁ = x₁ · σ′(z²₁)") == "dE/dw2_31 = x1 * sigmoid'(z2_1)"
    assert plain_text("(a³₁ − t₁)²") == "(a3_1 - t1)^2"
    with use_notation(plain=True):
        _, loss = two_two_one()
        assert "w2_11" in node_names(loss).values()


@given(
    st.sampled_from("wbzaxt"),
    st.integers(1, 12),
    st.lists(st.integers(1, 40), min_size=1, max_size=2),
)
def test_every_scripted_name_has_one_key_in_both_spellings(letter, layer, indices):
    name = f"{letter}{superscript(layer)}{subscript(*indices)}"
    assert name_key(name) == name_key(plain_text(name))
    other = f"{letter}{superscript(layer + 1)}{subscript(*indices)}"
    assert name_key(other) != name_key(name)
