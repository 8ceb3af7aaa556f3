r"""nn: neurons, layers, MLPs, convolution, losses, optimizers and training.

Every network is made of :class:`autograd.Value` nodes, so any model can be
stepped through, explained and drawn. Because a Value can hold a batch, the
same model trains on a whole mini-batch in one pass.

>>> import nn
>>> X, y = nn.data.xor()
>>> model = nn.MLP(2, [4, 2], activation="tanh", seed=1)
>>> history = nn.fit(model, X, y, loss="cross_entropy",
...                  optimizer=nn.Adam(model, lr=0.1),
...                  epochs=60, batch_size=4, progress=False)
>>> nn.evaluate(model, X, y)
1.0
"""

from nn import _engine, data  # noqa: F401 (_engine first: is autograd chainrule's?)
from nn.conv import Conv2d, Flatten
from nn.dropout import Dropout
from nn.init import SCHEMES, initial_seed, manual_seed
from nn.layers import ACTIVATIONS, MLP, Layer, Neuron, Sequential
from nn.losses import (
    LOSSES,
    binary_cross_entropy,
    cross_entropy,
    hinge,
    l1,
    l2_penalty,
    mse,
    softmax,
)
from nn.module import Module, StateDictError
from nn.optim import SGD, Adam, AdamW, Optimizer, exponential_decay, linear_decay
from nn.train import History, accuracy, evaluate, fit, predict

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "MLP",
    "SCHEMES",
    "SGD",
    "Adam",
    "AdamW",
    "Conv2d",
    "Dropout",
    "Flatten",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "Sequential",
    "StateDictError",
    "accuracy",
    "binary_cross_entropy",
    "cross_entropy",
    "data",
    "evaluate",
    "exponential_decay",
    "fit",
    "hinge",
    "initial_seed",
    "l1",
    "l2_penalty",
    "linear_decay",
    "manual_seed",
    "mse",
    "predict",
    "softmax",
]
