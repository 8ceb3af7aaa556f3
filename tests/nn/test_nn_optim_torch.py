"""Every optimizer equals ``torch.optim`` step by step; checkpoints resume exactly.

PyTorch is the reference: the same starting parameters and the same
gradients at every step give the same parameters after every step.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import nn
from autograd import Value

torch = pytest.importorskip("torch")

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1, "nesterov": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.003, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1, "betas": (0.85, 0.95)}),
]


def paired(groups_of_shapes, seed=0):
    """Our parameters (a layer's arrays and loose Values) and torch's copies."""
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    for shapes in groups_of_shapes:
        mine, copies = [], []
        for shape in shapes:
            start = rng.normal(size=shape)
            if shape == ():
                mine.append(Value(float(start)))
            else:
                layer = nn.Layer(shape[1], shape[0], seed=0)
                layer.W.data[...] = start
                mine.extend(layer.W.elements())
            copies.append(torch.tensor(start, dtype=torch.float64, requires_grad=True))
        ours.append(mine)
        theirs.append(copies)
    return ours, theirs


def set_gradients(ours, theirs, rng):
    for mine, copies in zip(ours, theirs):
        at = 0
        for tensor in copies:
            g = rng.normal(size=tuple(tensor.shape))
            tensor.grad = torch.tensor(g, dtype=torch.float64)
            flat = g.reshape(-1).tolist()
            for value in mine[at : at + len(flat)]:
                value.grad = flat.pop(0)
            at += tensor.numel()


def assert_same(ours, theirs, rtol=1e-12):
    for mine, copies in zip(ours, theirs):
        got = np.array([p.data for p in mine])
        want = np.concatenate([t.detach().numpy().reshape(-1) for t in copies])
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-15)


@pytest.mark.parametrize(("name", "options"), CASES, ids=str)
def test_each_step_equals_torch_optim(name, options):
    ours, theirs = paired([[(3, 4), (), ()]])
    mine = getattr(nn, name)(ours[0], **options)
    reference = getattr(torch.optim, name)(theirs[0], **options)
    rng = np.random.default_rng(1)
    for _ in range(12):
        set_gradients(ours, theirs, rng)
        mine.step()
        reference.step()
        assert_same(ours, theirs)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_parameter_groups_with_their_own_options_equal_torchs(name):
    ours, theirs = paired([[(2, 3)], [(4, 2), ()]])
    extra = {"momentum": 0.9} if name == "SGD" else {}
    groups = [{"params": ours[0]}, {"params": ours[1], "lr": 0.3, "weight_decay": 0.2}]
    mine = getattr(nn, name)(groups, lr=0.05, **extra)
    reference = getattr(torch.optim, name)(
        [{"params": theirs[0]}, {"params": theirs[1], "lr": 0.3, "weight_decay": 0.2}],
        lr=0.05,
        **extra,
    )
    assert [g["lr"] for g in mine.param_groups] == [0.05, 0.3]
    rng = np.random.default_rng(2)
    for _ in range(8):
        set_gradients(ours, theirs, rng)
        mine.step()
        reference.step()
        assert_same(ours, theirs)


def test_adams_weight_decay_is_l2_and_adamws_is_decoupled():
    def after(optimizer):
        p = Value(2.0)
        opt = optimizer([p], lr=0.1, weight_decay=0.5)
        p.grad = 1.0
        opt.step()
        return p.data

    # Adam: g = 1 + 0.5·2 = 2, its first step is −η·sign(g); AdamW: 2·(1 − 0.05) − 0.1
    assert after(nn.Adam) == pytest.approx(2.0 - 0.1, rel=1e-6)
    assert after(nn.AdamW) == pytest.approx(2.0 * (1 - 0.1 * 0.5) - 0.1, rel=1e-6)


def test_bad_groups_are_refused():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match="more than one parameter group"):
        nn.SGD([{"params": [a]}, {"params": [a, b]}])
    with pytest.raises(ValueError, match=r"options \['betas'\] that SGD does not take"):
        nn.SGD([{"params": [a], "betas": (0.9, 0.99)}])
    with pytest.raises(ValueError, match="lr must be a positive number"):
        nn.Adam([{"params": [a], "lr": -1.0}])
    with pytest.raises(ValueError, match="nesterov=True needs a momentum"):
        nn.SGD([a], nesterov=True)


# --- checkpoints -------------------------------------------------------------------


def batches(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n * 8, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return [(X[i : i + 8], y[i : i + 8]) for i in range(0, len(X), 8)]


def train(model, optimizer, data):
    for X, y in data:
        loss = nn.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@pytest.mark.parametrize(
    "make",
    [
        lambda m: nn.SGD(m, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
        lambda m: nn.Adam(m, lr=0.01, weight_decay=1e-3),
        lambda m: nn.AdamW(m, lr=0.01),
    ],
    ids=["SGD", "Adam", "AdamW"],
)
def test_a_checkpoint_of_model_and_optimizer_resumes_exactly(make, tmp_path):
    data = batches(10)
    straight = nn.MLP(3, [5, 2], seed=0)
    train(straight, make(straight), data)

    first = nn.MLP(3, [5, 2], seed=0)
    optimizer = make(first)
    train(first, optimizer, data[:5])
    first.save(tmp_path / "model.npz")
    (tmp_path / "optimizer.pkl").write_bytes(pickle.dumps(optimizer.state_dict()))

    resumed = nn.MLP(3, [5, 2], seed=9).load(tmp_path / "model.npz")
    again = make(resumed)
    again.load_state_dict(pickle.loads((tmp_path / "optimizer.pkl").read_bytes()))
    assert again.steps == 5
    train(resumed, again, data[5:])
    assert resumed.state_dict() == straight.state_dict()  # to the last bit


def test_state_dict_is_a_copy_and_a_wrong_one_changes_nothing():
    model = nn.MLP(3, [4, 2], seed=0)
    opt = nn.Adam(model, lr=0.01)
    train(model, opt, batches(2))
    saved = opt.state_dict()
    before = copy.deepcopy(saved)
    train(model, opt, batches(1, seed=1))
    assert all(
        np.array_equal(a, b) for a, b in zip(saved["state"]["m"], before["state"]["m"])
    )
    other = nn.Adam(nn.MLP(3, [5, 2], seed=0))
    with pytest.raises(ValueError, match="a group of 26 parameters for one of 32"):
        other.load_state_dict(saved)
    assert other.steps == 0 and not other.m.any()
    with pytest.raises(ValueError, match="what state_dict"):
        opt.load_state_dict({"steps": 1})
    sgd = nn.SGD(model, momentum=0.9)
    with pytest.raises(ValueError, match="a group's options differ from"):
        sgd.load_state_dict(saved)
