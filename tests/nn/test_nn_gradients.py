"""Gradients of networks and losses against central differences; batches vs samples."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value, gradcheck

RNG = np.random.default_rng(0)


def check(f, inputs, tol=1e-5):
    report = gradcheck(f, inputs, eps=1e-6, tol=tol)
    assert report, f"\n{report}"


def test_small_mlp_gradients_match_central_differences():
    model = nn.MLP(3, [4, 3], activation="tanh", seed=0, init="xavier")
    X = RNG.normal(size=(5, 3))
    y = np.array([0, 2, 1, 1, 0])
    check(lambda *_: nn.cross_entropy(model(X), y), model.parameters())


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu", "relu"])
def test_mlp_gradients_for_each_activation(activation):
    model = nn.MLP(2, [3, 1], activation=activation, seed=1)
    X = RNG.normal(size=(4, 2))
    y = RNG.normal(size=4)
    check(lambda *_: nn.mse(model(X), y), model.parameters())


def test_mlp_input_gradients_match():
    model = nn.MLP(3, [4, 2], activation="sigmoid", seed=0)
    x = [Value(0.3, "a"), Value(-1.2, "b"), Value(0.8, "c")]
    check(lambda *xs: nn.cross_entropy(model(list(xs)), 1), x)


def test_conv2d_gradients_match_central_differences():
    conv = nn.Conv2d(2, 2, kernel_size=2, stride=1, activation="tanh", seed=0)
    head = nn.MLP(2 * 2 * 2, [3], seed=1)
    images = RNG.normal(size=(3, 2, 3, 3))
    y = np.array([0, 2, 1])
    batch = Value(images, "x")  # a Value (not a Constant): dL/dx is checked too

    def loss(*_):
        return nn.cross_entropy(head(nn.Flatten()(conv(batch))), y)

    check(loss, [*conv.parameters(), *head.parameters()[:4], batch])


def test_conv2d_with_stride_gradients():
    conv = nn.Conv2d(1, 2, kernel_size=2, stride=2, activation="sigmoid", seed=3)
    image = [[Value(float(v)) for v in row] for row in RNG.normal(size=(4, 4))]
    check(
        lambda *_: nn.mse(nn.Flatten()(conv([image])), np.zeros(8)), conv.parameters()
    )


def test_shared_weights_collect_gradient_from_every_position():
    conv = nn.Conv2d(1, 1, kernel_size=2, stride=1, activation="linear", seed=0)
    image = np.arange(9.0).reshape(3, 3)
    out = conv([image.tolist()])
    wsum_nodes = [node for row in out[0] for node in row]
    assert len(wsum_nodes) == 4
    w = conv.filters[0].w
    for node in wsum_nodes:  # every position uses the very same weight Values
        assert node.op == "wsum"
        assert node.parents[:4] == tuple(w)
    total = nn.Flatten()(out)
    from autograd import vsum

    vsum(total).backward()
    # d(Σ out)/d w[di,dj] = Σ over the 4 positions of the pixel under w[di,dj]
    for di in range(2):
        for dj in range(2):
            expected = image[di : di + 2, dj : dj + 2].sum()
            assert w[di * 2 + dj].grad == pytest.approx(expected)
    assert conv.filters[0].b.grad == pytest.approx(4.0)


def _grads(model):
    return np.array([p.grad for p in model.parameters()])


@pytest.mark.parametrize("loss", ["cross_entropy", "mse", "hinge"])
def test_batched_step_equals_mean_of_per_sample_steps(loss):
    X = RNG.normal(size=(6, 3))
    y = RNG.normal(size=(6, 3)) if loss == "mse" else np.array([0, 1, 2, 2, 1, 0])
    loss_fn = nn.losses.LOSSES[loss]

    batched = nn.MLP(3, [5, 3], activation="tanh", seed=0)
    loss_fn(batched(X), y).backward()
    batch_grads = _grads(batched)

    single = nn.MLP(3, [5, 3], activation="tanh", seed=0)
    for row, target in zip(X, y):
        loss_fn(single(row.tolist()), target).backward()  # grads accumulate
    np.testing.assert_allclose(
        batch_grads, _grads(single) / len(X), rtol=1e-10, atol=1e-12
    )

    sgd_b, sgd_s = nn.SGD(batched, lr=0.5), nn.SGD(single, lr=0.5)
    for p in single.parameters():
        p.grad /= len(X)
    sgd_b.step()
    sgd_s.step()
    np.testing.assert_allclose(
        list(batched.state_dict().values()),
        list(single.state_dict().values()),
        rtol=1e-12,
    )


# --- every loss --------------------------------------------------------------------


def batch(*columns):
    return [Value(np.array(c, dtype=float), f"o{k}") for k, c in enumerate(columns)]


TARGETS = np.random.default_rng(1).normal(size=(3, 3))
LOSS_CASES = {
    "mse one output": (lambda o: nn.mse(o[0], np.array([0.5, -1.0, 2.0])), 1),
    "mse three outputs": (lambda o: nn.mse(o, TARGETS), 3),
    "l1": (lambda o: nn.l1(o, np.array([[5.0, -5.0, 0.0]] * 3)), 3),
    "hinge binary": (lambda o: nn.hinge(o[0], np.array([1.0, -1.0, 1.0])), 1),
    "hinge multiclass": (lambda o: nn.hinge(o, np.array([0, 2, 1])), 3),
    "cross_entropy": (lambda o: nn.cross_entropy(o, np.array([0, 2, 1])), 3),
    "softmax": (lambda o: nn.softmax(o)[1] * 3.0 + nn.softmax(o)[2], 3),
    "bce sigmoid": (
        lambda o: nn.binary_cross_entropy(o[0].sigmoid(), np.array([1, 0, 1])),
        1,
    ),
    "bce probability": (
        lambda o: nn.binary_cross_entropy(
            (o[0] * 0.1).tanh() * 0.4 + 0.5, np.array([1, 0, 0])
        ),
        1,
    ),
    "l2 penalty": (lambda o: nn.l2_penalty([o[0].sum(), o[1].mean()], alpha=0.3), 2),
}


@pytest.mark.parametrize("name", LOSS_CASES)
def test_every_loss_matches_central_differences(name):
    f, k = LOSS_CASES[name]
    columns = [[0.3, -0.7, 1.9], [0.25, 0.4, -1.1], [1.3, -0.2, 0.6]][:k]
    outputs = batch(*columns)
    check(lambda *o: f(list(o)), outputs)


@pytest.mark.parametrize(
    "loss",
    [
        lambda o: nn.cross_entropy(o, 1),
        lambda o: nn.mse(o, [1.0, 0.0]),
        lambda o: nn.l1(o, [1.0, 0.0]),
        lambda o: nn.hinge(o, 0),
    ],
)
def test_losses_on_one_sample_match_central_differences(loss):
    outputs = [Value(0.4, "a"), Value(-0.3, "b")]
    check(lambda *o: loss(list(o)), outputs)


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    z = batch([1.0, 1000.0], [2.0, -1000.0], [-3.0, 0.0])
    loss = nn.cross_entropy(z, np.array([1, 0]))
    loss.backward()
    logits = np.array([[1.0, 2.0, -3.0], [1000.0, -1000.0, 0.0]])
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[[0, 1], [1, 0]] -= 1.0
    got = np.stack([v.grad for v in z], axis=1)
    np.testing.assert_allclose(got, p / 2, atol=1e-12)
