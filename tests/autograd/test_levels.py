"""Levels: the neurons and the layers of a graph, stepped as the articles write them.

A level is a grouping of the one graph's nodes, so every number a neuron's or
a layer's step shows is the op level's number of the same pass.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import (
    Step,
    Value,
    backward_steps,
    linear,
    topological_order,
    wsum,
)
from autograd.group_steps import Equation
from autograd.levels import LEVELS, Layer, Neuron, grouping
from autograd.parameters import ParameterArray


def two_two_one() -> tuple[nn.MLP, Value]:
    """The first article's network: 2 inputs, 2 hidden, 1 output, all sigmoid."""
    m = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    return m, (m([1.0, 0.5]) - 1.0) ** 2


# --- the groups ------------------------------------------------------------------


def test_a_neuron_is_its_sum_its_activation_and_the_weights_only_it_uses():
    _, E = two_two_one()
    view = grouping(E, "neurons")
    assert [view.title(u) for u in view.units] == [
        "x₁",
        "x₂",
        "neuron 2₁",
        "neuron 2₂",
        "neuron 3₁",
        "t₁",
        "a³₁ − t₁",
        "E",
    ]
    first = view.groups[0]
    assert isinstance(first, Neuron)
    assert [view.names[n] for n in first.members] == ["z²₁", "a²₁"]
    assert [view.names[n] for n in first.own] == ["w²₁₁", "w²₁₂", "b²₁"]
    assert [view.names[n] for n in first.inputs] == ["x₁", "x₂"]
    # every node is shown once: on its own or in exactly one group
    shown = [n for u in view.units for n in (u.nodes if u in view.groups else (u,))]
    assert sorted(map(id, shown)) == sorted(map(id, topological_order(E)))


def test_a_layer_is_the_neurons_of_one_weight_array():
    _, E = two_two_one()
    view = grouping(E, "layers")
    layers = [g for g in view.groups if isinstance(g, Layer)]
    assert [view.title(layer) for layer in layers] == ["layer 2", "layer 3"]
    assert [len(layer.neurons) for layer in layers] == [2, 1]
    assert [view.layer_name(layers[0], k) for k in "zaδWb"] == [
        "z²",
        "a²",
        "δ²",
        "W²",
        "b²",
    ]
    assert layers[1].inputs == layers[0].outputs


def test_ops_level_groups_nothing_and_a_bad_level_says_which_there_are():
    _, E = two_two_one()
    view = grouping(E, "ops")
    assert view.groups == () and list(view.units) == topological_order(E)
    with pytest.raises(ValueError, match='"ops", "neurons", "layers"'):
        grouping(E, "neuron")
    with pytest.raises(ValueError, match="level must be one of"):
        backward_steps(E, level="layer")


def test_a_shared_weight_stays_a_node_of_its_own():
    x = [Value(1.0, "x1"), Value(2.0, "x2")]
    w1, w2, b = Value(0.5, "w1"), Value(-1.0, "w2"), Value(0.1, "b")
    z = wsum([w1, w2], x, b)
    loss = z.tanh() + w1 * w1  # a penalty on w1 uses it again
    (neuron,) = grouping(loss, "neurons").groups
    assert neuron.own == (w2, b) and neuron.weights == (w1, w2)
    text = str(list(backward_steps(loss, level="neurons"))[-1])
    assert "dE/dw1 += " in text and "∂E/∂w2 = " in text


def test_a_weighted_sum_without_a_bias_is_no_neuron():
    model = nn.MLP(3, [3], seed=0)
    E = nn.cross_entropy(model([1.0, 2.0, 3.0]), 1)  # Σₖ yₖ·(zₖ − m): a wsum
    view = grouping(E, "neurons")
    assert [view.title(g) for g in view.groups] == [
        "neuron 2₁",
        "neuron 2₂",
        "neuron 2₃",
    ]


def test_neurons_built_by_hand_are_one_layer_when_they_read_the_same_inputs():
    x = [Value(1.0, "x1"), Value(-2.0, "x2")]

    def neuron(k: int, inputs: list[Value]) -> Value:
        w = [Value(0.1 * (k + j + 1), f"w{k}{j}") for j in range(len(inputs))]
        return wsum(w, inputs, Value(0.0, f"b{k}")).tanh()

    hidden = [neuron(k, x) for k in range(3)]
    out = neuron(9, hidden)
    layers = [g for g in grouping(out, "layers").groups if isinstance(g, Layer)]
    assert [len(layer.neurons) for layer in layers] == [3, 1]


def test_a_batch_layer_node_with_its_activation_is_one_layer():
    W = ParameterArray([[0.5, -1.0], [2.0, 0.0]], "W")
    b = ParameterArray([0.1, -0.2], "b")
    X = Value(np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]), "X")
    loss = linear(W, X, b).sigmoid().sum()
    assert grouping(loss, "neurons").groups == ()  # a batch has no neurons
    view = grouping(loss, "layers")
    (layer,) = view.groups
    assert isinstance(layer, Layer) and layer.own == (W, b)
    assert [view.title(u) for u in view.units] == ["X", "layer 1", "E"]
    steps = list(backward_steps(loss, level="layers", fresh=True))
    assert len(steps) == 2 and steps[1].story is not None
    assert "(3×2)" in str(steps[1])  # the op level's lines, with shapes


# --- the steps --------------------------------------------------------------------


def test_the_two_two_one_network_steps_one_neuron_at_a_time():
    _, E = two_two_one()
    steps = list(backward_steps(E, level="neurons", fresh=True))
    # in the op level's order (so each running total is the pass's own)
    assert [s.name for s in steps] == ["E", "a³₁ − t₁", "z³₁", "z²₂", "z²₁"]
    out, hidden = steps[2], steps[4]
    assert isinstance(hidden, Step) and hidden.delta == "δ²₁"
    lines = str(hidden).splitlines()
    assert lines[0] == (
        "step 5/5  neuron 2₁:  z²₁ = w²₁₁·x₁ + w²₁₂·x₂ + b²₁ = -0.8743,  "
        "a²₁ = σ(z²₁) = 0.2944"
    )
    assert lines[1] == (
        "  δ²₁ = σ′(z²₁) · w³₁₁·δ³₁ = 0.2077 × 0.2133 × -0.193 = -0.008548"
    )
    assert lines[2] == "  ∂E/∂w²₁₁ = δ²₁ · x₁ = -0.008548 × 1 = -0.008548"
    assert lines[3] == "  ∂E/∂w²₁₂ = δ²₁ · x₂ = -0.008548 × 0.5 = -0.004274"
    assert lines[4] == "  ∂E/∂b²₁ = δ²₁ = -0.008548"
    assert lines[5].startswith("  dE/dx₁ += w²₁₁ · δ²₁ = 0.2739 × -0.008548")
    assert lines[5].endswith("dE/dx₁: 0.02125 → 0.01891")  # neuron 2₂'s share first
    assert any("δˡⱼ = φ′(zˡⱼ)·Σₖ wˡ⁺¹ₖⱼ·δˡ⁺¹ₖ" in line for line in lines)
    # the output neuron takes dE/da from the loss's own steps
    assert "δ³₁ = σ′(z³₁) · dE/da³₁ = 0.2403 × -0.803 = -0.193" in str(out)
    # the loss keeps its op-level steps, numbered at this level
    assert str(steps[0]).startswith("step 1/5  E = (a³₁ − t₁)² = 0.1612  (pow)")
    # nothing from the code's paths, and no step of a leaf
    text = "\n".join(map(str, steps))
    assert "layers." not in text and "v1" not in text and "final" not in text


def test_a_hidden_neuron_sums_over_the_neurons_it_feeds():
    model = nn.MLP(2, [2, 2], activation="sigmoid", seed=0)
    E = nn.mse(model([1.0, 0.5]), [1.0, 0.0])
    steps = list(backward_steps(E, level="neurons", fresh=True))
    hidden = next(s for s in steps if s.name == "z²₁")
    delta = str(hidden).splitlines()[1]
    assert delta.startswith("  δ²₁ = σ′(z²₁) · (w³₁₁·δ³₁ + w³₂₁·δ³₂) = ")
    assert " × (" in delta  # the numbers of each term, in the sum's brackets


def test_a_layer_steps_in_matrices_with_their_shapes():
    _, E = two_two_one()
    steps = list(backward_steps(E, level="layers", fresh=True))
    assert [s.name for s in steps] == ["E", "a³₁ − t₁", "z³", "z²"]
    text = str(steps[3])
    assert "layer 2" in text and "z² = W²·x + b² = (2×2)·(2) + (2)" in text
    assert "δ² = σ′(z²) ⊙ (W³ᵀ·δ³) = [0.2077, 0.2482] ⊙ " in text
    assert "∂E/∂W² = δ²·xᵀ = (2×1)·(1×2) = [[-0.008548, -0.004274], " in text
    assert "∂E/∂b² = δ² = [-0.008548, -0.02198]" in text
    assert "δ³ = σ′(z³) ⊙ dE/da³ = [0.2403] ⊙ [-0.803] = [-0.193]" in str(steps[2])
    assert steps[3].delta == "δ²" and np.shape(steps[3].grad) == (2,)


def test_a_wide_neuron_writes_a_few_weights_and_how_many_more():
    model = nn.MLP(9, [1], activation="tanh", seed=0)
    E = model([0.1 * k for k in range(9)]) ** 2
    step = next(s for s in backward_steps(E, level="neurons") if s.story)
    text = str(step)
    assert "z²₁ = w²₁₁·x₁ + ... + w²₁₉·x₉ + b²₁" in text.splitlines()[0]
    assert "… 4 more (each δ²₁ · its input)" in text
    shown = [line for line in text.splitlines() if line.startswith("  ∂E/∂w²₁")]
    assert [line.split(" = ")[0] for line in shown] == [
        f"  ∂E/∂w²₁{k}" for k in "₁₂₃₄₉"
    ]
    assert "∂E/∂b²₁ = δ²₁ = " in text and "… 5 more" in text  # the done: line


def test_a_group_step_keeps_the_surface_of_a_step():
    _, E = two_two_one()
    steps = list(backward_steps(E, level="neurons", fresh=True))
    hidden = steps[4]  # neuron 2₁
    assert hidden.story is not None and len(hidden.story.parts) == 2
    # the chain-rule lines of its parts: σ's, then the sum's five
    assert len(hidden.lines) == 6 and hidden.lines[0].parent is hidden.node
    assert {f.name for f in hidden.finished} >= {"w²₁₁", "b²₁"}
    assert hidden.rules().startswith("rules: δˡⱼ")
    assert "neuron" in hidden._repr_html_() and hidden.latex().startswith(
        "\\begin{align*}"
    )
    assert "\\frac{\\partial E}{\\partial w^{2}_{11}}" in hidden.latex()
    assert [leaf.name for leaf in steps[-1].leaves][:2] == ["x₁", "x₂"]
    assert all(not s.leaves for s in steps[:-1])
    eq = hidden.story.equations[0]
    assert isinstance(eq, Equation) and eq.value == hidden.grad


def test_stepping_at_a_level_accumulates_and_warns_as_the_op_level_does():
    _, E = two_two_one()
    list(backward_steps(E, level="neurons"))
    with pytest.warns(UserWarning, match="already held gradients"):
        again = list(backward_steps(E, level="layers"))
    assert "note: the leaves already held gradients" in str(again[0])


def test_the_ops_level_is_the_stepper_as_it_was():
    _, E = two_two_one()
    plain = [str(s) for s in backward_steps(E, fresh=True)]
    assert [str(s) for s in backward_steps(E, fresh=True, level="ops")] == plain


# --- the same numbers at every level -------------------------------------------------

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]


@st.composite
def small_mlps(draw):
    nin = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    activation = draw(st.sampled_from(ACTIVATIONS[:3]))
    output = draw(st.sampled_from(ACTIVATIONS))
    seed = draw(st.integers(0, 10_000))
    x = draw(st.lists(st.floats(-2, 2), min_size=nin, max_size=nin))
    model = nn.MLP(
        nin, sizes, activation=activation, output_activation=output, seed=seed
    )
    out = model(x)
    outputs = out if isinstance(out, list) else [out]
    targets = draw(
        st.lists(st.floats(-1, 1), min_size=len(outputs), max_size=len(outputs))
    )
    return model, nn.mse(outputs, targets)


def grads_of(E: Value) -> dict[Value, float]:
    E.backward()
    found = {n: float(np.copy(n.grad)) for n in topological_order(E)}
    for n in topological_order(E):
        n.grad = 0.0
    return found


@settings(max_examples=40, deadline=None)
@given(small_mlps())
def test_every_level_shows_the_numbers_of_backward(made):
    model, E = made
    model.zero_grad()
    expected = grads_of(E)
    ops = list(backward_steps(E, fresh=True))
    exact = {id(s.node): s.grad for s in ops}
    leaves = {leaf.node: leaf.grad for leaf in ops[-1].leaves}
    for level in LEVELS[1:]:
        steps = list(backward_steps(E, fresh=True, level=level))
        assert [s.index for s in steps] == list(range(1, len(steps) + 1))
        assert {leaf.node: leaf.grad for leaf in steps[-1].leaves} == leaves
        for step in steps:
            if step.story is None:  # the loss's ops: the op level's own steps
                assert step.grad == exact[id(step.node)]
                continue
            group = step.story.group
            neurons = [group] if isinstance(group, Neuron) else group.neurons
            deltas = [exact[id(n.sum)] for n in neurons]
            assert np.array_equal(np.atleast_1d(step.grad), deltas)  # bit for bit
            assert np.allclose(deltas, [expected[n.sum] for n in neurons], atol=1e-14)
            shown = {
                e.left: e.value for e in step.story.equations if isinstance(e, Equation)
            }
            if isinstance(group, Neuron):  # ∂E/∂w²₁₁ = δ²₁ · x₁ = the leaf's grad
                for p in (*group.weights, group.bias):
                    assert shown[f"∂E/∂{p.label}"] == leaves[p]
            else:  # ∂E/∂W² = δ²·xᵀ: the matrix of the leaves' grads
                W = [[leaves[w] for w in n.weights] for n in neurons]
                assert np.array_equal(shown[f"∂E/∂{W_name(step)}"], W)
            assert np.allclose(
                [leaves[w] for n in neurons for w in n.weights],
                [expected[w] for n in neurons for w in n.weights],
                atol=1e-14,
            )


def W_name(step: Step) -> str:
    return step.story.equations[1].left.removeprefix("∂E/∂")
