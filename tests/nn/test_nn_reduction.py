"""Losses take ``reduction="mean" | "sum" | "none"``, as PyTorch's do."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value

torch = pytest.importorskip("torch")
F = torch.nn.functional

rng = np.random.default_rng(0)
OUTPUTS = rng.normal(size=(5, 3))
CLASSES = np.array([0, 2, 1, 1, 0])
REAL = rng.normal(size=(5, 3))
PROBABILITY = 1 / (1 + np.exp(-rng.normal(size=5)))
BINARY = np.array([1.0, 0.0, 0.0, 1.0, 1.0])

CASES = {
    "mse": (nn.mse, F.mse_loss, OUTPUTS, REAL),
    "l1": (nn.l1, F.l1_loss, OUTPUTS, REAL),
    "cross_entropy": (nn.cross_entropy, F.cross_entropy, OUTPUTS, CLASSES),
    "binary_cross_entropy": (
        nn.binary_cross_entropy,
        F.binary_cross_entropy,
        PROBABILITY,
        BINARY,
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", list(CASES))
def test_each_reduction_equals_torchs_value_and_gradient(name, reduction):
    ours_fn, torch_fn, outputs, targets = CASES[name]
    x = Value(outputs.copy(), "outputs")
    loss = ours_fn(x, targets, reduction=reduction)
    tx = torch.tensor(outputs, dtype=torch.float64, requires_grad=True)
    tt = torch.tensor(targets, dtype=torch.long if name == "cross_entropy" else None)
    expected = torch_fn(
        tx, tt.to(tx.dtype) if tt.is_floating_point() else tt, reduction=reduction
    )
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-12)
    upstream = np.linspace(0.5, 1.5, expected.numel()).reshape(expected.shape)
    loss.backward(upstream if reduction == "none" else None)
    expected.backward(torch.tensor(upstream) if reduction == "none" else None)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_hinge_and_one_sample_reduce_their_terms():
    scores = Value(np.array([0.25, 3.0, -0.5]))
    signs = np.array([1, 1, 1])
    terms = nn.hinge(scores, signs, reduction="none")
    assert terms.data.tolist() == [0.75, 0.0, 1.5]
    assert nn.hinge(scores, signs, reduction="sum").data == 2.25
    assert nn.hinge(scores, signs).data == 0.75
    one = [Value(1.0), Value(3.0)]
    assert nn.mse(one, [0.0, 1.0], reduction="sum").data == 5.0
    assert nn.mse(one, [0.0, 1.0], reduction="none").data == 2.5  # per sample


def test_an_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none'"):
        nn.mse(Value(1.0), 0.0, reduction="avg")
