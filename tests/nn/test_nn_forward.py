"""A Module is called as in PyTorch: ``module(x)`` runs ``module.forward(x)``."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value


class Net(nn.Module):
    def __init__(self) -> None:
        self.hidden = nn.Layer(2, 4, "tanh", seed=0)
        self.out = nn.Layer(4, 2, "linear", seed=1)

    def forward(self, x):
        return self.out(self.hidden(x))


def test_a_subclass_with_forward_is_callable_and_trains():
    X, y = nn.data.xor()
    net = Net()
    scores = net(X)
    assert isinstance(scores, Value) and scores.shape == (4, 2)
    assert net.named_parameters()[0][0] == "hidden.neurons.0.w.0"
    history = nn.fit(
        net,
        X,
        y,
        optimizer=nn.Adam(net, lr=0.1),
        epochs=80,
        batch_size=4,
        seed=0,
        progress=False,
    )
    assert history.loss[-1] < history.loss[0] and nn.evaluate(net, X, y) == 1.0


def test_a_module_without_forward_says_what_to_define():
    class Empty(nn.Module):
        pass

    with pytest.raises(NotImplementedError, match=r"Empty has no forward\(\); define"):
        Empty()(np.zeros((1, 2)))


@pytest.mark.parametrize(
    "module",
    [
        nn.MLP(2, [3, 2], seed=0),
        nn.Layer(2, 3, seed=0),
        nn.Neuron(2, seed=0),
        nn.Sequential(nn.Layer(2, 3, seed=0), nn.Dropout(0.5, seed=0).eval()),
    ],
    ids=repr,
)
def test_forward_is_what_calling_computes(module):
    X = np.array([[1.0, -2.0], [0.5, 0.25]])
    assert np.array_equal(module(X).data, module.forward(X).data)
    one = module([1.0, -2.0])
    again = module.forward([1.0, -2.0])
    first = one if isinstance(one, list) else [one]
    second = again if isinstance(again, list) else [again]
    assert [v.data for v in first] == [v.data for v in second]


def test_a_subclass_of_mlp_overriding_forward_is_called():
    class Doubled(nn.MLP):
        def forward(self, x):
            return super().forward(x) * 2.0

    model = Doubled(2, [1], seed=0)
    plain = nn.MLP(2, [1], seed=0)
    assert (
        model(np.ones((3, 2))).data.tolist()
        == (plain(np.ones((3, 2))).data * 2).tolist()
    )
