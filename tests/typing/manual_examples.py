"""The manual's examples as a user's script: it must pass mypy --strict and pyright.

tests/test_types.py checks it with both (and runs it). Everything is inside
``main`` so that importing this file (pytest collects doctests) runs nothing.
"""

from __future__ import annotations

import numpy as np

import nn
import viz
from autograd import Value, backward_steps, explain, topological_order


def main() -> None:
    X, y = nn.data.xor()
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 2], activation="tanh", seed=1)
    history = nn.fit(
        model,
        X,
        y,
        loss="cross_entropy",
        optimizer=nn.Adam(model, lr=0.1),
        epochs=60,
        batch_size=4,
        progress=False,
    )
    print(round(history.loss[0], 3), nn.evaluate(model, X, y))
    out = model(X)
    out.sum().backward()
    optimizer = nn.SGD(model, lr=0.5, momentum=0.9)
    loss = nn.cross_entropy(model(X), y)
    for _ in range(5):
        loss = nn.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(loss.item(), float(loss), loss < 0.5, nn.accuracy(model(X), y))
    sample = model([1.0, 0.0])
    print(sample[0].op)
    cnn = nn.Sequential(
        nn.Conv2d(1, 4, kernel_size=3, seed=0), nn.Flatten(), nn.MLP(144, [10], seed=1)
    )
    scores = cnn(np.zeros((2, 8, 8)))
    flat = nn.Flatten()
    print(scores.shape, flat(scores).shape)
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = (a * b + a**2).relu()
    c.backward()
    print(a.grad, [node.label for node in topological_order(c)])
    print(topological_order(a * 3.0)[0].label)
    print(explain(c, a), next(backward_steps(c)))
    graph = viz.draw_graph(c)
    print(graph.source[:10])
    state = optimizer.state_dict()
    optimizer.load_state_dict(state)
    print(nn.mse(model(X), np.zeros((4, 2)), reduction="sum").data)


if __name__ == "__main__":
    main()
