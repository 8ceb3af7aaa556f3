"""SGD, momentum, Adam and schedules against hand-written reference updates."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Value


def quadratic_run(optimizer_factory, steps=5):
    """Minimise Σ (pᵢ − cᵢ)²; return the parameter trajectory."""
    params = [Value(1.0, "a"), Value(-2.0, "b")]
    targets = [3.0, 0.5]
    opt = optimizer_factory(params)
    path = []
    for _ in range(steps):
        opt.zero_grad()
        loss = sum(((p - c) ** 2 for p, c in zip(params, targets)), Value(0.0))
        loss.backward()
        opt.step()
        path.append([p.data for p in params])
    return np.array(path), opt


def reference(update, steps=5):
    p = np.array([1.0, -2.0])
    c = np.array([3.0, 0.5])
    state: dict = {}
    path = []
    for t in range(1, steps + 1):
        g = 2 * (p - c)
        p = update(p, g, t, state)
        path.append(p.copy())
    return np.array(path)


def test_sgd_matches_reference():
    path, _ = quadratic_run(lambda ps: nn.SGD(ps, lr=0.1))
    np.testing.assert_allclose(path, reference(lambda p, g, t, s: p - 0.1 * g))


def test_sgd_momentum_matches_reference():
    def update(p, g, t, s):
        s["v"] = 0.9 * s.get("v", 0.0) + g
        return p - 0.05 * s["v"]

    path, _ = quadratic_run(lambda ps: nn.SGD(ps, lr=0.05, momentum=0.9))
    np.testing.assert_allclose(path, reference(update))


def test_adam_matches_reference():
    def update(p, g, t, s):
        s["m"] = 0.9 * s.get("m", 0.0) + 0.1 * g
        s["v"] = 0.999 * s.get("v", 0.0) + 0.001 * g * g
        m_hat = s["m"] / (1 - 0.9**t)
        v_hat = s["v"] / (1 - 0.999**t)
        return p - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8)

    path, _ = quadratic_run(lambda ps: nn.Adam(ps, lr=0.1))
    np.testing.assert_allclose(path, reference(update))


def test_schedule_sets_the_learning_rate_each_step():
    seen = []

    def schedule(step):
        seen.append(step)
        return 0.1 / (1 + step)

    path, opt = quadratic_run(lambda ps: nn.SGD(ps, lr=0.1, schedule=schedule), steps=3)
    assert seen == [0, 1, 2]
    assert opt.lr == pytest.approx(0.1 / 3)
    expected = reference(lambda p, g, t, s: p - 0.1 / t * g, steps=3)
    np.testing.assert_allclose(path, expected)


def test_schedule_helpers():
    assert nn.linear_decay(1.0, 0.1, 100)(0) == 1.0
    assert nn.linear_decay(1.0, 0.1, 100)(50) == pytest.approx(0.55)
    assert nn.linear_decay(1.0, 0.1, 100)(500) == pytest.approx(0.1)
    assert nn.exponential_decay(0.2, 0.5)(3) == pytest.approx(0.025)


def test_optimizer_takes_a_module_and_zero_grad_clears():
    model = nn.MLP(2, [3, 1], seed=0)
    opt = nn.Adam(model, lr=0.01)
    assert opt.params == model.parameters()
    model([1.0, 2.0]).backward()
    opt.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_step_writes_plain_floats():
    model = nn.MLP(2, [2], seed=0)
    nn.mse(model(np.ones((3, 2))), np.zeros((3, 2))).backward()
    nn.SGD(model, lr=0.1).step()
    assert all(type(p.data) is float for p in model.parameters())


def test_duplicated_parameters_are_updated_once():
    p = Value(1.0)
    opt = nn.SGD([p, p], lr=0.5)
    (p * 2.0).backward()
    opt.step()
    assert p.data == 0.0


def test_non_finite_gradient_stops_with_advice():
    p = Value(1.0, "w")
    p.grad = math.inf
    with pytest.raises(
        FloatingPointError, match=r"gradient of w is inf.*lower the learning rate"
    ):
        nn.SGD([p], lr=0.1).step()
    assert p.data == 1.0


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: nn.SGD([], lr=0.1), ValueError, "no parameters"),
        (lambda: nn.SGD([1.0], lr=0.1), TypeError, "parameter Values"),
        (lambda: nn.SGD([Value(1.0)], lr=0), ValueError, "lr must be a positive"),
        (lambda: nn.SGD([Value(1.0)], lr="fast"), TypeError, "lr must be a number"),
        (lambda: nn.SGD([Value(1.0)], lr=0.1, momentum=1.0), ValueError, "momentum"),
        (lambda: nn.Adam([Value(1.0)], betas=(0.9,)), TypeError, "betas"),
        (lambda: nn.Adam([Value(1.0)], eps=-1), ValueError, "eps"),
        (lambda: nn.SGD([Value(np.ones(2))], lr=0.1), ValueError, "batch"),
        (lambda: nn.SGD([Value(1.0)], lr=0.1, schedule=3), TypeError, "schedule"),
        (lambda: nn.SGD([Value(1.0)], lr=10**400), OverflowError, "lr is a number too"),
        (lambda: nn.Adam([Value(1.0)], lr=10**400), OverflowError, "lr is a number"),
        (lambda: nn.Adam([Value(1.0)], eps=10**400), OverflowError, "eps is a number"),
        (
            lambda: nn.Adam([Value(1.0)], lr=0.1, weight_decay=10**400),
            OverflowError,
            "weight_decay is a number",
        ),
    ],
)
def test_bad_optimizer_arguments(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_bad_schedule_value_is_caught():
    opt = nn.SGD([Value(1.0)], lr=0.1, schedule=lambda step: -1.0)
    with pytest.raises(ValueError, match="scheduled learning rate"):
        opt.step()


def test_schedule_helpers_check_their_arguments():
    with pytest.raises(ValueError, match="steps must be at least 1"):
        nn.linear_decay(1.0, 0.1, 0)
    with pytest.raises(TypeError, match="steps must be a whole number"):
        nn.linear_decay(1.0, 0.1, 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="start must be a positive number"):
        nn.linear_decay(0.0, 0.1, 10)
    with pytest.raises(ValueError, match="end must be a finite number"):
        nn.linear_decay(1.0, -0.1, 10)
    with pytest.raises(ValueError, match="rate must be at most 1"):
        nn.exponential_decay(0.1, 1.5)
    with pytest.raises(ValueError, match="rate must be a positive number"):
        nn.exponential_decay(0.1, 0.0)


def test_a_schedule_that_decays_to_zero_stops_moving_the_parameters():
    p = Value(1.0)
    opt = nn.SGD([p], lr=0.1, schedule=nn.exponential_decay(0.1, 0.5))
    opt.steps = 2000  # 0.1·0.5²⁰⁰⁰ is 0 in floating point
    (p * p).backward()
    opt.step()
    assert p.data == 1.0 and opt.lr == 0.0
    q = Value(1.0)
    ends = nn.SGD([q], lr=1.0, schedule=nn.linear_decay(1.0, 0.0, 2))
    for _ in range(4):
        ends.zero_grad()
        (q * q).backward()
        ends.step()
    assert ends.lr == 0.0 and q.data == 0.0  # 1 − 2·1·1 = −1, then −1 + 2·0.5 = 0
