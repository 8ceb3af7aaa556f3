"""Loss values against numpy formulas, numerical stability, bad targets."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Value

RNG = np.random.default_rng(0)


def columns(matrix):
    return [Value(np.ascontiguousarray(c)) for c in np.asarray(matrix, dtype=float).T]


def test_losses_return_one_scalar_value_the_batch_mean():
    scores = RNG.normal(size=(7, 3))
    labels = np.array([0, 1, 2, 0, 1, 2, 2])
    for loss in (
        nn.cross_entropy(columns(scores), labels),
        nn.hinge(columns(scores), labels),
        nn.mse(columns(scores), scores + 1.0),
        nn.l1(columns(scores), scores),
    ):
        assert isinstance(loss, Value)
        assert type(loss.data) is float


def test_cross_entropy_matches_numpy():
    scores = RNG.normal(size=(6, 4)) * 3
    labels = np.array([0, 3, 1, 2, 2, 0])
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected = -log_p[np.arange(6), labels].mean()
    assert nn.cross_entropy(columns(scores), labels).data == pytest.approx(expected)


@pytest.mark.parametrize("big", [1000.0, -1000.0, 1e6])
def test_cross_entropy_is_stable_for_huge_logits(big):
    logits = columns(np.array([[big, -big, 0.0], [0.0, big, -big]]))
    loss = nn.cross_entropy(logits, np.array([0, 2]))
    assert math.isfinite(loss.data)
    loss.backward()
    assert all(np.isfinite(v.grad).all() for v in logits)
    if big > 0:  # sample 0 is right (loss 0), sample 1 wrong by 2·big
        assert loss.data == pytest.approx(big)


def test_softmax_sums_to_one_and_handles_huge_logits():
    z = columns(np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]]))
    p = np.stack([v.data for v in nn.softmax(z)], axis=1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert p[0, 0] == pytest.approx(1.0)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(p[1], e / e.sum())


def test_mse_l1_values():
    out = RNG.normal(size=(5, 2))
    target = RNG.normal(size=(5, 2))
    assert nn.mse(columns(out), target).data == pytest.approx(
        ((out - target) ** 2).mean()
    )
    assert nn.l1(columns(out), target).data == pytest.approx(
        np.abs(out - target).mean()
    )
    one = Value(np.array([1.0, 2.0, 3.0]))
    assert nn.mse(one, np.array([1.0, 1.0, 1.0])).data == pytest.approx(5 / 3)
    assert nn.mse(one, np.array([[1.0], [1.0], [1.0]])).data == pytest.approx(5 / 3)
    assert nn.mse(Value(3.0), 1.0).data == 4.0


def test_hinge_values():
    scores = np.array([0.5, -2.0, 3.0])
    t = np.array([1.0, -1.0, -1.0])
    expected = np.maximum(0, 1 - t * scores).mean()
    assert nn.hinge(Value(scores), t).data == pytest.approx(expected)
    multi = RNG.normal(size=(4, 3))
    labels = np.array([0, 1, 2, 1])
    margins = np.maximum(0, multi - multi[np.arange(4), labels][:, None] + 1)
    margins[np.arange(4), labels] = 0
    assert nn.hinge(columns(multi), labels).data == pytest.approx(
        margins.sum(axis=1).mean()
    )


def test_binary_cross_entropy_values_and_stability():
    z = np.array([-3.0, 0.5, 2.0])
    t = np.array([0.0, 1.0, 0.0])
    p = 1 / (1 + np.exp(-z))
    expected = -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean()
    assert nn.binary_cross_entropy(Value(z).sigmoid(), t).data == pytest.approx(
        expected
    )
    assert nn.binary_cross_entropy(Value(p), t).data == pytest.approx(expected)
    huge = Value(np.array([1000.0, -1000.0]))
    loss = nn.binary_cross_entropy(huge.sigmoid(), np.array([0, 0]))
    assert loss.data == pytest.approx(500.0)
    loss.backward()
    np.testing.assert_allclose(huge.grad, [0.5, 0.0])


def test_l2_penalty_of_a_model():
    model = nn.MLP(2, [2], seed=0)
    penalty = nn.l2_penalty(model, alpha=0.1)
    assert penalty.data == pytest.approx(
        0.1 * sum(p.data**2 for p in model.parameters())
    )
    penalty.backward()
    for p in model.parameters():
        assert p.grad == pytest.approx(0.2 * p.data)


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (
            lambda: nn.cross_entropy(columns(np.zeros((2, 3))), [0, 3]),
            ValueError,
            "out of range",
        ),
        (
            lambda: nn.cross_entropy(columns(np.zeros((2, 3))), [0, -1]),
            ValueError,
            "range",
        ),
        (
            lambda: nn.cross_entropy(columns(np.zeros((2, 3))), [0.5, 1]),
            ValueError,
            "whole",
        ),
        (
            lambda: nn.cross_entropy(columns(np.zeros((2, 3))), ["a", "b"]),
            TypeError,
            "integers",
        ),
        (
            lambda: nn.cross_entropy(columns(np.zeros((2, 3))), [True, False]),
            TypeError,
            "int",
        ),
        (
            lambda: nn.cross_entropy(columns(np.zeros((2, 3))), [0, 1, 2]),
            ValueError,
            "shape",
        ),
        (lambda: nn.cross_entropy(Value(1.0), 0), ValueError, "at least 2 outputs"),
        (lambda: nn.cross_entropy("logits", 0), TypeError, "list of Values"),
        (
            lambda: nn.mse(columns(np.zeros((2, 2))), np.zeros(2)),
            ValueError,
            r"shape \(2, 2\)",
        ),
        (lambda: nn.mse(Value(1.0), [1.0, 2.0]), ValueError, "one sample"),
        (lambda: nn.mse(Value(1.0), math.nan), ValueError, "finite"),
        (lambda: nn.mse(Value(1.0), "x"), TypeError, "numbers"),
        (lambda: nn.hinge(Value(1.0), 0), ValueError, "−1 or \\+1"),
        (
            lambda: nn.binary_cross_entropy(Value(1.0), 1),
            ValueError,
            "strictly between",
        ),
        (lambda: nn.binary_cross_entropy(Value(0.5), 2), ValueError, "between 0 and 1"),
        (
            lambda: nn.binary_cross_entropy(columns(np.zeros((1, 2))), [1]),
            ValueError,
            "one",
        ),
        (lambda: nn.l2_penalty([], 0.1), ValueError, "non-empty"),
        (lambda: nn.l2_penalty([Value(1.0)], -1), ValueError, "alpha"),
        (lambda: nn.losses.get_loss("huber"), ValueError, "unknown loss"),
    ],
)
def test_bad_targets_and_outputs_raise_clear_errors(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_mixed_batch_sizes_are_refused():
    with pytest.raises(ValueError, match="different sizes"):
        nn.mse([Value(np.zeros(2)), Value(np.zeros(3))], np.zeros((2, 2)))


@pytest.mark.parametrize("t", [0.0, 1.0, 0.3])
def test_binary_cross_entropy_at_a_logit_of_exactly_zero_has_gradient_half_minus_t(t):
    z = Value(0.0, "z")
    nn.binary_cross_entropy(z.sigmoid(), t).backward()
    assert z.grad == 0.5 - t  # σ(0) − t, once −t (|z| took slope 0 at its kink)
    batch = Value(np.array([0.0, 0.0, 2.0]), "z")
    nn.binary_cross_entropy(batch.sigmoid(), np.full(3, t)).backward()
    sigma_2 = 1.0 / (1.0 + math.exp(-2.0))
    assert batch.grad.tolist() == pytest.approx(
        [(0.5 - t) / 3, (0.5 - t) / 3, (sigma_2 - t) / 3], abs=1e-15
    )
    from autograd import gradcheck

    assert gradcheck(lambda z: nn.binary_cross_entropy(z.sigmoid(), t), [Value(0.0)])


def test_binary_cross_entropy_gradients_match_pytorch_where_every_relu_is_off():
    torch = pytest.importorskip("torch")
    model = nn.MLP(2, [4, 1], activation="relu", output_activation="sigmoid", seed=3)
    for layer in model.layers:
        layer.b.data[:] = 0.0
    x, t = np.array([[0.0, 0.0], [0.7, -0.2]]), np.array([1.0, 0.0])
    model.zero_grad()
    nn.binary_cross_entropy(model(x), t).backward()  # sample 0: a logit of exactly 0
    (w1, b1), (w2, b2) = [
        (torch.tensor(layer.W.data, requires_grad=True),
         torch.tensor(layer.b.data, requires_grad=True))
        for layer in model.layers
    ]  # fmt: skip
    logits = torch.relu(torch.tensor(x) @ w1.T + b1) @ w2.T + b2
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        logits[:, 0], torch.tensor(t)
    )
    loss.backward()
    for layer, (w, b) in zip(model.layers, [(w1, b1), (w2, b2)]):
        assert layer.b.grad == pytest.approx(b.grad.numpy(), abs=1e-12)
        assert layer.W.grad == pytest.approx(w.grad.numpy(), abs=1e-12)
