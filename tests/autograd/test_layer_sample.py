"""A layer run on one sample: its nodes read like the textbook, its pass is one step.

The backward pass lets each layer take the chain-rule step of all its
neurons at once (one matrix product); each node's own ``chain_rule`` is the
textbook's, one node at a time. Every test here checks that the two give the
same gradient at every node of the graph, whatever reads or reuses the
nodes in between.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import (
    OPS,
    LayerSample,
    NeuronOutput,
    ParameterArray,
    Value,
    apply,
    backward_steps,
    topological_order,
    wsum,
)


def by_hand(root: Value) -> None:
    """The textbook, one node at a time: zero, seed, chain rule in reverse order."""
    order = topological_order(root)
    for node in order:
        if node.parents:
            node.grad = 0.0
    root.grad = root.grad + 1.0
    for node in reversed(order):
        node.chain_rule()


def every_grad(root: Value) -> list[float]:
    return [node.grad for node in topological_order(root)]


def sample_loss(model: nn.MLP, x: list[float]) -> Value:
    out = model(x)
    outs = out if isinstance(out, list) else [out]
    loss = outs[0] * outs[0]
    for o in outs[1:]:
        loss = loss + o * o
    return loss


def both_ways(make_loss) -> tuple[list[float], list[float]]:
    """Every node's grad after a backward pass, and after the same by hand."""
    first = make_loss()
    first.backward()
    second = make_loss()
    by_hand(second)
    return every_grad(first), every_grad(second)


@pytest.mark.parametrize("activation", nn.ACTIVATIONS)
def test_the_pass_and_the_textbook_give_every_node_the_same_gradient(activation):
    x = [0.3, -1.2, 0.8]

    def make_loss():
        model = nn.MLP(3, [4, 3, 2], activation=activation, seed=1)
        return sample_loss(model, x)

    passed, textbook = both_ways(make_loss)
    np.testing.assert_allclose(passed, textbook, rtol=1e-12, atol=1e-15)
    assert any(g != 0.0 for g in passed)


@pytest.mark.parametrize("activation", nn.ACTIVATIONS)
def test_a_layer_sample_equals_the_same_layer_made_of_plain_nodes(activation):
    rng = np.random.default_rng(3)
    W = ParameterArray(rng.normal(size=(3, 4)), "W")
    b = ParameterArray(rng.normal(size=3), "b")
    op = None if activation == "identity" else OPS[activation]

    def run(use_layer_sample: bool) -> tuple[list[float], list[float], list[float]]:
        W.grad[...] = 0.0
        b.grad[...] = 0.0
        x = [Value(v, f"x{i}") for i, v in enumerate([0.5, -0.25, 2.0, -1.5])]
        if use_layer_sample:
            outs = LayerSample(W, b, op, x).outputs()
        else:
            sums = [wsum(W.row(j), x, b.elements()[j]) for j in range(3)]
            outs = sums if op is None else [apply(op, (z,)) for z in sums]
        loss = outs[0] * 2.0 + outs[1] * outs[2]
        loss.backward()
        return [o.data for o in outs], [v.grad for v in x], W.grad.ravel().tolist()

    for ours, plain in zip(run(True), run(False)):
        np.testing.assert_allclose(ours, plain, rtol=1e-12, atol=1e-15)


def test_a_hidden_neuron_used_outside_the_model_gets_both_shares():
    x = [0.4, -0.7]

    def make_loss():
        model = nn.MLP(2, [3, 3, 1], activation="tanh", seed=2)
        out = model(x)
        hidden = out.parents[3]  # wsum parents: 3 weights, then the 3 inputs
        assert isinstance(hidden, NeuronOutput)
        earlier = hidden.parents[0].parents[3]  # layer 1's wsum: 3 weights, 3 inputs
        assert isinstance(earlier, NeuronOutput) and earlier.layer is not hidden.layer
        return out * out + hidden * 0.5 + earlier.parents[0] * 3.0

    passed, textbook = both_ways(make_loss)
    np.testing.assert_allclose(passed, textbook, rtol=1e-12, atol=1e-15)


def test_layers_called_one_by_one_feed_each_other_plain_values():
    x = [1.0, -2.0, 0.5]

    def make_loss():
        first = nn.Layer(3, 4, "sigmoid", seed=0)
        second = nn.Layer(4, 2, "linear", seed=1)
        hidden = first(x)
        out = second(hidden)
        return out[0] * out[1] + hidden[2] * hidden[2]

    passed, textbook = both_ways(make_loss)
    np.testing.assert_allclose(passed, textbook, rtol=1e-12, atol=1e-15)


def test_inputs_made_by_other_ops_get_their_gradient():
    def make_loss():
        a = Value(0.7, "a")
        model = nn.MLP(2, [3, 1], activation="relu", seed=4)
        return model([a * 2.0, a + 1.0]) ** 2, a

    loss, a = make_loss()
    loss.backward()
    again, a2 = make_loss()
    by_hand(again)
    assert a.grad == pytest.approx(a2.grad, rel=1e-12)
    assert a.grad != 0.0


def test_backward_twice_doubles_the_leaves_and_resets_the_rest():
    model = nn.MLP(2, [4, 1], activation="relu", seed=0)
    loss = sample_loss(model, [0.5, -1.0])
    loss.backward()
    interior = [n.grad for n in topological_order(loss) if n.parents]
    weights = model.layers[0].W.grad.copy()
    loss.backward()
    assert [n.grad for n in topological_order(loss) if n.parents] == interior
    np.testing.assert_allclose(model.layers[0].W.grad, 2 * weights, rtol=1e-15)


def test_backward_from_a_neurons_own_node():
    model = nn.MLP(2, [3, 2], activation="sigmoid", seed=0)
    out = model([0.2, 0.9])
    out[1].backward()
    grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    by_hand(model([0.2, 0.9])[1])
    assert grads == pytest.approx([p.grad for p in model.parameters()], rel=1e-12)


def test_the_stepper_and_the_pass_agree_on_a_model():
    def make_loss():
        return sample_loss(nn.MLP(2, [3, 1], activation="tanh", seed=0), [0.5, -0.5])

    stepped = make_loss()
    steps = list(backward_steps(stepped, fresh=True))
    passed = make_loss()
    passed.backward()
    assert every_grad(stepped) == pytest.approx(every_grad(passed), rel=1e-12)
    assert len(steps) == len([n for n in topological_order(passed) if n.parents])


def test_micrograds_own_loop_over_prev_and_backward_works_on_a_model():
    model = nn.MLP(2, [4, 4, 1], seed=0)
    loss = sample_loss(model, [1.0, -0.5])
    topo: list[Value] = []
    seen: set[Value] = set()

    def build(v: Value) -> None:  # the lecture's recursive topological sort
        if v not in seen:
            seen.add(v)
            for child in v._prev:
                build(child)
            topo.append(v)

    build(loss)
    loss.grad = 1.0
    for node in reversed(topo):
        node._backward()
    by_lecture = [p.grad for p in model.parameters()]
    model.zero_grad()
    loss.backward()
    assert by_lecture == pytest.approx([p.grad for p in model.parameters()], rel=1e-12)


def test_a_weight_changed_after_the_forward_pass_keeps_its_derivative():
    model = nn.MLP(2, [2, 1], activation="linear", seed=0)
    out = model([1.0, 2.0])
    before = model.layers[1].W.data.copy()
    model.layers[1].W.data[...] = 100.0  # an update between forward and backward
    out.backward()
    # dout/dx goes through the weights the forward pass used
    w0 = model.layers[0].W.data
    expected = before[0] @ w0
    x_nodes = [p for p in topological_order(out) if p.label in ("x₁", "x₂")]
    assert [v.grad for v in x_nodes] == pytest.approx(expected.tolist(), rel=1e-12)


def test_a_neurons_grad_takes_only_a_number():
    model = nn.MLP(2, [2, 1], seed=0)
    out = model([1.0, 1.0])
    out.grad = np.float64(2.0)
    assert out.grad == 2.0 and type(out.grad) is float
    with pytest.raises(TypeError, match="one number"):
        out.grad = [1.0]


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    nin=st.integers(1, 4),
    activation=st.sampled_from(nn.ACTIVATIONS),
    seed=st.integers(0, 1000),
)
def test_random_models_agree_both_ways(sizes, nin, activation, seed):
    x = np.random.default_rng(seed).normal(size=nin).tolist()

    def make_loss():
        model = nn.MLP(nin, sizes, activation=activation, seed=seed)
        return sample_loss(model, x)

    passed, textbook = both_ways(make_loss)
    np.testing.assert_allclose(passed, textbook, rtol=1e-10, atol=1e-13)
