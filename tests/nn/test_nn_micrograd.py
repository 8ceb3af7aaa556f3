"""micrograd users at home: its names, its keywords, its start and its AdamW.

Code written for micrograd (its engine, its nn module, its notebooks and the
lecture that builds it) runs here with only the imports changed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Value


def trace(root):
    """micrograd's draw_dot helper: every node and edge, through ``_prev``."""
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def test_op_symbols_are_micrographs():
    a, b = Value(2.0), Value(-3.0)
    made = {
        "+": a + b,
        "*": a * b,
        "**2": a**2,
        "**-1": a**-1,
        "**0.5": a**0.5,
        "ReLU": b.relu(),
        "tanh": a.tanh(),
        "exp": a.exp(),
    }
    for symbol, node in made.items():
        assert node._op == symbol
    assert a._op == "" and a._prev == set()


def test_prev_is_the_set_of_parents_and_read_only():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    c = a * b + a
    assert c._prev == {c.parents[0], a}
    assert c.parents[0]._prev == {a, b}
    with pytest.raises(AttributeError):
        c._prev = set()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        c._op = "+"  # type: ignore[misc]


def test_draw_dots_trace_walks_a_model_built_for_one_sample():
    model = nn.MLP(2, [3, 1], seed=0)
    loss = (model([1.0, -1.0]) - 1.0) ** 2
    nodes, edges = trace(loss)
    labels = {v.label for v in nodes}
    assert "w²₃₂" in labels and "x₁" in labels
    assert all(child in nodes and parent in nodes for child, parent in edges)
    assert len(edges) == sum(len(v._prev) for v in nodes)


def test_the_lectures_backward_by_hand_matches_backward():
    def neuron():
        x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
        w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
        b = Value(6.8813735870195432, "b")
        x1w1, x2w2 = x1 * w1, x2 * w2
        x1w1x2w2 = x1w1 + x2w2
        n = x1w1x2w2 + b
        o = n.tanh()
        return o, n, x1w1x2w2, x1w1, x2w2, (x1, x2, w1, w2)

    o, n, x1w1x2w2, x1w1, x2w2, leaves = neuron()
    o.grad = 1.0
    for node in (o, n, x1w1x2w2, x1w1, x2w2):  # the lecture, one line at a time
        node._backward()
    by_hand = [v.grad for v in leaves]
    o2, *_, leaves2 = neuron()
    o2.backward()
    assert by_hand == [v.grad for v in leaves2]
    assert by_hand[2] == pytest.approx(1.0, abs=1e-6)  # dL/dw1 = x1·(1 − o²)


def test_micrographs_nonlin_keyword():
    assert nn.Neuron(3, nonlin=True).activation == "relu"
    assert nn.Neuron(3, nonlin=False).activation == "identity"
    assert nn.Layer(3, 2, nonlin=False).activation == "identity"
    assert nn.Layer(3, 2, nonlin=True)([1.0, 2.0, 3.0])[0].op == "relu"
    with pytest.raises(TypeError, match="nonlin must be True"):
        nn.Neuron(3, nonlin="yes")  # type: ignore[arg-type]


def test_init_micrograd_starts_as_micrograd_does():
    model = nn.MLP(4, [16, 16, 1], init="micrograd", seed=0)
    for layer in model.layers:
        assert not layer.b.data.any()
        assert np.abs(layer.W.data).max() <= 1.0
    uniform = nn.MLP(4, [16, 16, 1], init="uniform", seed=0)
    assert uniform.layers[0].b.data.any()  # "uniform" is not micrograd's start


def test_backward_takes_the_gradient_to_seed():
    x = Value(3.0, "x")
    y = x * x
    y.backward(grad=2.0)
    assert x.grad == 12.0  # 2 · dy/dx
    batch = Value(np.array([1.0, 2.0]))
    (batch * 3.0).backward(grad=np.array([1.0, -1.0]))
    assert batch.grad.tolist() == [3.0, -3.0]
    with pytest.raises(ValueError, match=r"needs shape \(2,\)"):
        (batch * 3.0).backward(grad=1.0)
    with pytest.raises(ValueError, match="needs one number"):
        y.backward(grad=np.ones(2))


def test_adamw_is_eurekalabs_micrograds_adamw():
    rng = np.random.default_rng(0)
    start, grads = rng.normal(size=3), rng.normal(size=(4, 3))
    params = [Value(float(v)) for v in start]
    lr, wd, (b1, b2), eps = 0.1, 0.05, (0.9, 0.95), 1e-8
    opt = nn.AdamW(params, lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    p, m, v = start.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        for param, gi in zip(params, g):
            param.grad = float(gi)
        opt.step()
        # EurekaLabs' micrograd AdamW, written out
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        p = p - lr * (m_hat / (np.sqrt(v_hat) + eps) + wd * p)
    np.testing.assert_allclose([q.data for q in params], p, rtol=1e-12)
    # nn.Adam(weight_decay=) is PyTorch's Adam: the L2 term joins the gradient
    q = Value(float(start[0]))
    adam = nn.Adam([q], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    q.grad = 0.0
    adam.step()  # g = λ·p: Adam's first step is −η·sign(g), whatever its size
    assert q.data == pytest.approx(start[0] - lr * np.sign(start[0]), rel=1e-4)


def test_weight_decay_alone_shrinks_a_parameter_by_lr_times_lambda():
    p = Value(2.0)
    opt = nn.AdamW([p], lr=0.1, weight_decay=0.5)
    p.grad = 0.0
    opt.step()
    assert p.data == pytest.approx(2.0 * (1 - 0.1 * 0.5))
    for bad in (-1.0, math.nan):
        with pytest.raises(ValueError, match="weight_decay"):
            nn.Adam([p], weight_decay=bad)
    with pytest.raises(TypeError, match="weight_decay must be a number"):
        nn.Adam([p], weight_decay="0.1")  # type: ignore[arg-type]


def test_a_value_takes_no_attributes_of_its_own():
    p = Value(1.0)
    with pytest.raises(AttributeError):
        p.m = 0.0  # type: ignore[attr-defined]
    state = {p: 0.0}  # where per-parameter state goes instead
    assert state[p] == 0.0
