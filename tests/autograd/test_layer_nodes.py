"""Layer nodes and weights in arrays: the batch and the scalar graph agree.

A batch runs through layer nodes (Z = X·Wᵀ + b, one node per layer); one
sample runs through the scalar graph (one wsum node per neuron, one Value per
weight). Both must give the same gradients: the batched gradient of a loss
averaged over the batch is the mean of the samples' gradients.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import (
    OPS,
    Constant,
    Element,
    ParameterArray,
    Value,
    backward_steps,
    column,
    gradcheck,
    linear,
    mean_squared_error,
    patches,
    reshape,
    sample_graph,
    softmax_cross_entropy,
    to_channels,
)

RNG = np.random.default_rng(7)


def grads(model):
    return np.array([p.grad for p in model.parameters()])


def per_sample_mean(model, X, y, loss):
    """The mean over samples of each sample's own scalar-graph gradient."""
    model.zero_grad()
    for row, target in zip(X, y):
        loss(model(row.tolist()), target).backward()  # the grads add up
    return grads(model) / len(X)


def batched(model, X, y, loss):
    model.zero_grad()
    loss(model(X), y).backward()
    return grads(model)


def assert_same(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", nn.ACTIVATIONS)
@pytest.mark.parametrize("loss", ["mse", "cross_entropy", "hinge", "l1"])
def test_a_batch_and_its_samples_give_the_same_gradients(activation, loss):
    model = nn.MLP(3, [5, 4], activation=activation, seed=1)
    X = RNG.normal(size=(6, 3))
    if loss in ("mse", "l1"):
        y = RNG.normal(size=(6, 4))
    else:
        y = np.array([0, 3, 1, 2, 2, 0])
    fn = nn.losses.LOSSES[loss]
    assert_same(batched(model, X, y, fn), per_sample_mean(model, X, y, fn))


@pytest.mark.parametrize("output", ["sigmoid", "linear"])
def test_one_output_batch_and_samples_agree(output):
    model = nn.MLP(2, [4, 1], activation="tanh", output_activation=output, seed=2)
    X = RNG.normal(size=(5, 2))
    y = np.array([1, 0, 0, 1, 1])
    fn = nn.binary_cross_entropy if output == "sigmoid" else nn.mse
    assert_same(batched(model, X, y, fn), per_sample_mean(model, X, y, fn))


def test_mse_with_one_hot_targets_trains_ten_outputs():
    model = nn.MLP(4, [6, 10], activation="sigmoid", seed=0)
    X = RNG.normal(size=(8, 4))
    one_hot = np.eye(10)[RNG.integers(0, 10, 8)]
    assert_same(
        batched(model, X, one_hot, nn.mse), per_sample_mean(model, X, one_hot, nn.mse)
    )
    history = nn.fit(model, X, one_hot, loss="mse", epochs=3, progress=False)
    assert history.epochs == 3


def test_conv_batch_and_samples_agree():
    net = nn.Sequential(
        nn.Conv2d(2, 3, kernel_size=2, stride=1, activation="tanh", seed=0),
        nn.Flatten(),
        nn.MLP(3 * 3 * 3, [4], seed=1),
    )
    images = RNG.normal(size=(4, 2, 4, 4))
    y = np.array([0, 3, 1, 2])
    net.zero_grad()
    nn.cross_entropy(net(images), y).backward()
    together = grads(net)
    net.zero_grad()
    for image, label in zip(images, y):
        nn.cross_entropy(net(image.tolist()), label).backward()
    assert_same(together, grads(net) / len(images))


def test_dropout_with_the_same_mask_gives_the_same_gradients():
    model = nn.Sequential(
        nn.Layer(3, 6, "relu", seed=0),
        nn.Dropout(0.5, seed=3),
        nn.Layer(6, 2, "linear"),
    )
    X = RNG.normal(size=(5, 3))
    y = np.array([0, 1, 1, 0, 1])
    model.zero_grad()
    loss = nn.cross_entropy(model(X), y)
    loss.backward()
    together = grads(model)
    # each sample's scalar graph, cut out of the batch: the same mask row
    model.zero_grad()
    for k in range(len(X)):
        sample_graph(loss, k).backward()
    assert_same(together, grads(model) / len(X))


@pytest.mark.parametrize(
    "make",
    [
        lambda m: nn.SGD(m, lr=0.3),
        lambda m: nn.SGD(m, lr=0.3, momentum=0.9),
        lambda m: nn.Adam(m, lr=0.05),
        lambda m: nn.Adam(m, lr=0.05, weight_decay=0.1),
    ],
)
def test_every_optimizer_takes_the_same_steps_both_ways(make):
    X = RNG.normal(size=(4, 3))
    y = np.array([0, 2, 1, 1])
    one, other = nn.MLP(3, [4, 3], seed=5), nn.MLP(3, [4, 3], seed=5)
    opt_one, opt_other = make(one), make(other)
    for _ in range(3):
        opt_one.zero_grad()
        nn.cross_entropy(one(X), y).backward()
        opt_one.step()
        opt_other.zero_grad()
        for row, target in zip(X, y):
            nn.cross_entropy(other(row.tolist()), target).backward()
        for p in other.parameters():
            p.grad /= len(X)
        opt_other.step()
    np.testing.assert_allclose(
        list(one.state_dict().values()), list(other.state_dict().values()), rtol=1e-11
    )


# --- weights in arrays ----------------------------------------------------------


def test_a_weight_is_a_value_that_reads_and_writes_its_place_in_the_matrix():
    layer = nn.Layer(3, 2, seed=0)
    w = layer.neurons[1].w[2]
    assert w.label == "w₂₃" and w.is_leaf  # neuron 2's weight from input 3
    assert w.data == layer.W.data[1, 2]
    w.data -= 0.5  # a hand-written update, micrograd's way
    assert layer.W.data[1, 2] == w.data
    w.data = np.float64(0.25)  # what numpy arithmetic hands back
    assert type(w.data) is float and layer.W.data[1, 2] == 0.25
    layer(np.ones((4, 3))).sum().backward()  # a batch fills the matrix of grads
    assert w.grad == layer.W.grad[1, 2] != 0.0
    w.grad = 0
    assert layer.W.grad[1, 2] == 0.0 and type(w.grad) is float
    with pytest.raises(TypeError, match="one number"):
        w.data = np.array([1.0, 2.0])


def test_hand_updates_and_batched_training_stay_in_sync():
    model = nn.MLP(2, [3, 1], seed=0)
    X, y = RNG.normal(size=(5, 2)), RNG.normal(size=5)
    for p in model.parameters():
        p.grad = 0.0
    nn.mse(model(X), y).backward()
    for p in model.parameters():  # micrograd's loop over the parameters
        p.data -= 0.1 * p.grad
    expected = [float(v) for v in model.layers[0].W.data.ravel()]
    assert [n.w[k].data for n in model.layers[0].neurons for k in range(2)] == expected


def test_parameters_are_listed_as_numbers_and_stored_as_matrices():
    model = nn.MLP(4, [3, 2], seed=0)
    assert len(model.parameters()) == 4 * 3 + 3 + 3 * 2 + 2
    arrays = dict(model.named_arrays())
    assert list(arrays) == ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"]
    # the keys are code paths; the labels the articles' names (layer 3's W)
    assert arrays["layers.1.W"].shape == (2, 3) and arrays["layers.1.W"].label == "W³"


def test_a_layer_node_has_matrix_local_derivatives():
    W = ParameterArray([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "W")
    b = ParameterArray([0.5, 0.0, -0.5], "b")
    X = Value(np.array([[1.0, -1.0], [2.0, 0.5]]), "X")
    Z = linear(W, X, b)
    assert Z.op == "linear" and Z.parents == (W, X, b) and Z.shape == (2, 3)
    from_W, from_X, from_b = Z.local_grads
    assert from_W.matrix is X.data and from_b == 1.0
    np.testing.assert_array_equal(from_X.matrix, W.data)
    Z.sum().backward()
    np.testing.assert_allclose(W.grad, np.ones((3, 2)) @ np.diag(X.data.sum(0)))
    np.testing.assert_allclose(X.grad, np.ones((2, 3)) @ W.data)
    np.testing.assert_allclose(b.grad, [2.0, 2.0, 2.0])


def test_a_weight_update_after_the_forward_pass_does_not_change_its_derivative():
    W = ParameterArray([[2.0]], "W")
    X = Value(np.array([[3.0]]), "X")
    Z = linear(W, X, ParameterArray([0.0]))
    W.data[0, 0] = 100.0  # changed in place after the forward pass
    Z.sum().backward()
    assert X.grad[0, 0] == 2.0  # the derivative remembers the W it used


def test_constants_get_no_gradient():
    x = Value(np.array([[1.0, 2.0]]), "x")
    t = Constant(np.array([[0.0, 1.0]]), "t")
    mean_squared_error(x, t.data).backward()
    np.testing.assert_allclose(x.grad, [[1.0, 1.0]])
    loss = mean_squared_error(x * t, np.zeros((1, 2)))
    loss.backward()
    assert not t.grad.any()


# --- the per-sample scalar graph of a batch -------------------------------------


def test_sample_graph_uses_the_models_own_weights():
    model = nn.MLP(2, [3, 2], activation="tanh", seed=0)
    X = RNG.normal(size=(4, 2))
    y = np.array([0, 1, 1, 0])
    loss = nn.cross_entropy(model(X), y)
    one = sample_graph(loss, 2)
    assert type(one.data) is float
    single = nn.cross_entropy(model(X[2].tolist()), 1)
    assert one.data == pytest.approx(single.data, rel=1e-12)
    w = model.layers[0].neurons[1].w[0]
    from autograd import topological_order

    nodes = topological_order(one)
    assert w in nodes  # the very Value neuron.w[k], not a copy
    neurons = [n for n in nodes if n.op == "wsum" and isinstance(n.parents[0], Element)]
    assert len(neurons) == 3 + 2  # a weighted sum node per neuron
    inputs = [n.label for n in nodes if n.label in ("x₁", "x₂")]
    assert sorted(inputs) == ["x₁", "x₂"]
    steps = list(backward_steps(one))
    assert steps[0].total == len([n for n in nodes if n.parents])


def test_sample_graph_refuses_a_sample_outside_the_batch():
    model = nn.MLP(2, [2], seed=0)
    loss = nn.cross_entropy(model(np.zeros((3, 2))), np.array([0, 1, 0]))
    with pytest.raises(IndexError, match="between 0 and 2"):
        sample_graph(loss, 3)
    with pytest.raises(ValueError, match="no batch"):
        sample_graph(Value(1.0) * 2.0, 0)


# --- every layer op against central differences -----------------------------------

shapes = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3))


@settings(max_examples=15, deadline=None)
@given(shapes)
def test_linear_column_and_losses_match_central_differences(shape):
    n, units, nin = shape
    rng = np.random.default_rng(sum(shape))
    W = ParameterArray(rng.normal(size=(units, nin)), "W")
    b = ParameterArray(rng.normal(size=units), "b")
    X = Value(rng.normal(size=(n, nin)), "X")
    targets = rng.normal(size=(n, units))
    labels = rng.integers(0, units, n)

    def layer(W, X, b):
        Z = linear(W, X, b).tanh()
        loss = mean_squared_error(Z, targets) + column(Z, units - 1).sum()
        if units >= 2:
            loss = loss + softmax_cross_entropy(Z, labels)
        return loss

    report = gradcheck(layer, [W, X, b])
    assert report, str(report)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 2), st.integers(1, 2), st.integers(2, 3), st.integers(1, 2))
def test_patches_and_channels_match_central_differences(n, channels, k, stride):
    rng = np.random.default_rng(n + 3 * channels + 5 * k + 7 * stride)
    size = k + stride + 1
    x = Value(rng.normal(size=(n, channels, size, size)), "x")
    rows = (size - k) // stride + 1
    W = ParameterArray(rng.normal(size=(2, channels * k * k)), "W")
    b = ParameterArray(rng.normal(size=2), "b")

    def conv(x, W, b):
        z = linear(W, patches(x, k, stride), b)
        images = to_channels(z, n, rows, rows).sigmoid()
        return (reshape(images, n, -1) ** 2).sum()

    report = gradcheck(conv, [x, W, b])
    assert report, str(report)


def test_every_op_in_the_table_is_checked_against_central_differences():
    from tests.autograd import test_ops

    covered = set(test_ops.UNARY) | set(test_ops.BINARY) | {"vsum", "wsum", "pow"}
    covered |= {"linear", "column", "cross_entropy", "mse", "patches", "to_channels"}
    covered |= {"reshape"}  # the tests above
    covered = {name.replace("square", "pow") for name in covered}
    assert set(OPS) <= covered, sorted(set(OPS) - covered)


# --- no state shared between runs -----------------------------------------------


def train(seed):
    split = nn.data.digits()
    model = nn.MLP(64, [16, 10], seed=seed)
    X, y = split.X_train[:256], split.y_train[:256]
    nn.fit(model, X, y, epochs=2, seed=seed, progress=False)
    return model.state_dict()


def test_models_trained_in_threads_equal_models_trained_one_after_another():
    alone = [train(seed) for seed in range(4)]
    together: list = [None] * 4

    def work(seed):
        together[seed] = train(seed)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == alone
