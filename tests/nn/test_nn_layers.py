"""Neuron, Layer, MLP, Sequential: structure, names, seeding, inputs, errors."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value
from autograd.names import use_notation


def test_structure_is_micrograds():
    model = nn.MLP(3, [4, 4, 1], seed=0)
    assert [len(layer.neurons) for layer in model.layers] == [4, 4, 1]
    neuron = model.layers[1].neurons[2]
    assert len(neuron.w) == 4
    assert all(isinstance(w, Value) for w in neuron.w)
    assert isinstance(neuron.b, Value)
    assert len(model.parameters()) == (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1


def test_parameter_names_are_dotted_paths_and_labels():
    model = nn.MLP(2, [3, 2], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert names[-1] == "layers.1.neurons.1.b"
    assert len(set(names)) == len(names)
    # the labels are the articles' names: layer 2 is the first hidden layer
    labels = [p.label for _, p in model.named_parameters()]
    assert labels[:4] == ["w²₁₁", "w²₁₂", "b²₁", "w²₂₁"]
    assert labels[-1] == "b³₂" and len(set(labels)) == len(labels)
    assert model.layers[0].neurons[2].w[1].label == "w²₃₂"
    with use_notation(style="code"):  # the code paths, as saved files store them
        assert model.layers[0].neurons[2].w[1].label == "layers.0.W[2,1]"
        assert model.layers[1].b.label == "layers.1.b"


def test_standalone_modules_label_their_own_parameters():
    neuron = nn.Neuron(2)
    assert [p.label for p in neuron.parameters()] == ["w₁", "w₂", "b"]
    layer = nn.Layer(2, 2)
    assert layer.neurons[1].b.label == "b₂" and layer.W.label == "W"


def test_sequential_names_and_user_subclass_labels():
    net = nn.Sequential(
        nn.Layer(2, 3, seed=0), nn.Dropout(0.1), nn.Layer(3, 1, "linear")
    )
    # dropout holds no weights and takes no layer number: Layer(3, 1) is layer 3
    assert net.layers[2].neurons[0].w[2].label == "w³₁₃"

    class Custom(nn.Module):
        def __init__(self):
            self.body = nn.MLP(2, [2], seed=0)
            self.scale = Value(1.0)

    class Sub(Custom):  # no __init__ of its own: still labelled
        pass

    model = Sub()
    assert model.scale.label == "scale"
    assert model.body.layers[0].neurons[1].w[0].label == "w²₂₁"
    with use_notation(style="code"):
        assert model.body.layers[0].neurons[1].w[0].label == "body.layers.0.W[1,0]"


def test_shared_parameter_is_listed_once():
    class Tied(nn.Module):
        def __init__(self):
            self.a = Value(1.0)
            self.b = [self.a, Value(2.0)]

    names = [name for name, _ in Tied().named_parameters()]
    assert names == ["a", "b.1"]


@pytest.mark.parametrize("activation", nn.ACTIVATIONS)
def test_neuron_is_one_wsum_and_its_activation(activation):
    neuron = nn.Neuron(3, activation=activation, seed=0)
    out = neuron([1.0, -2.0, 0.5])
    z = out if activation == "identity" else out.parents[0]
    assert z.op == "wsum"
    assert z.parents == (*neuron.w, *z.parents[3:6], neuron.b)
    expected_z = (
        sum(w.data * x for w, x in zip(neuron.w, [1.0, -2.0, 0.5])) + neuron.b.data
    )
    assert z.data == pytest.approx(expected_z)
    if activation != "identity":
        assert out.op == activation


def test_last_layer_is_linear_unless_told():
    assert nn.MLP(2, [3, 2])([1.0, 2.0])[0].op == "wsum"
    assert nn.MLP(2, [3, 1], output_activation="sigmoid")([1.0, 2.0]).op == "sigmoid"
    hidden = nn.MLP(2, [3, 1], activation="tanh").layers[0].neurons[0]
    assert hidden.activation == "tanh"


def test_single_neuron_hidden_layer_works():
    model = nn.MLP(2, [1, 1, 3], seed=0)
    out = model([0.5, -0.5])
    assert len(out) == 3
    batch = model(np.array([[0.5, -0.5], [1.0, 2.0]]))
    assert batch.shape == (2, 3)
    loss = nn.cross_entropy(batch, np.array([0, 2]))
    loss.backward()
    assert all(np.isfinite(p.grad) for p in model.parameters())


def test_one_output_returns_a_value_else_a_list():
    assert isinstance(nn.MLP(2, [2, 1])([1.0, 1.0]), Value)
    out = nn.MLP(2, [2, 2])([1.0, 1.0])
    assert isinstance(out, list) and len(out) == 2
    assert isinstance(nn.Layer(2, 1)([1.0, 1.0]), Value)


def test_seeded_init_is_reproducible_and_seeds_differ():
    a = nn.MLP(4, [5, 3], seed=7).state_dict()
    b = nn.MLP(4, [5, 3], seed=7).state_dict()
    c = nn.MLP(4, [5, 3], seed=8).state_dict()
    assert a == b
    assert a != c
    rng_model = nn.MLP(4, [5, 3], seed=np.random.default_rng(7)).state_dict()
    assert rng_model == a


@pytest.mark.parametrize("init", nn.SCHEMES)
def test_init_schemes_bounds(init):
    model = nn.MLP(50, [40, 10], init=init, seed=0)
    w = np.array([p.data for name, p in model.named_parameters() if ".w." in name])
    b = np.array(
        [p.data for name, p in model.named_parameters() if name.endswith(".b")]
    )
    if init == "micrograd":  # micrograd's own start: U(−1, 1) weights, zero biases
        assert np.abs(w).max() <= 1.0 and np.abs(w).max() > 0.9
        assert not b.any()
    elif init == "uniform":
        assert np.abs(w).max() <= 1.0 and np.abs(b).max() <= 1.0
        assert np.abs(w).max() > 0.9
        assert np.abs(b).max() > 0.0
    else:
        bound = np.sqrt(6 / 90) if init == "xavier" else np.sqrt(6 / 50)
        first = np.array([w.data for n in model.layers[0].neurons for w in n.w])
        assert np.abs(first).max() <= bound
        assert np.abs(first).max() > 0.8 * bound
        assert not b.any()


def test_init_aliases():
    glorot = nn.MLP(3, [2], init="glorot", seed=0).state_dict()
    assert glorot == nn.MLP(3, [2], init="xavier", seed=0).state_dict()
    kaiming = nn.MLP(3, [2], init="kaiming", seed=0).state_dict()
    assert kaiming == nn.MLP(3, [2], init="he", seed=0).state_dict()


def test_batch_equals_one_sample_at_a_time():
    model = nn.MLP(3, [4, 2], activation="tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    batch = model(X)
    assert batch.shape == (5, 2) and batch.op == "linear"
    for k, row in enumerate(X):
        single = model(row.tolist())
        for j, s in enumerate(single):
            assert batch.data[k, j] == pytest.approx(s.data, rel=1e-12)


def test_a_batch_is_one_input_matrix_and_a_layer_node_per_layer():
    model = nn.MLP(2, [3, 1], activation="tanh")
    out = model(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert out.op == "column" and out.shape == (2,)  # one output: a 1-D batch
    z = out.parents[0]
    assert z.op == "linear" and z.parents[0] is model.layers[1].W
    tanh = z.parents[1]
    assert tanh.op == "tanh" and tanh.parents[0].op == "linear"
    x = tanh.parents[0].parents[1]
    assert x.label == "x" and x.data.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert model.layers[0].W.label == "W²"
    probability = nn.MLP(2, [3, 1], output_activation="sigmoid")(np.ones((4, 2)))
    assert probability.op == "sigmoid" and probability.parents[0].op == "column"


def test_values_as_inputs_keep_the_graph():
    x = [Value(1.0, "a"), Value(2.0, "b")]
    out = nn.MLP(2, [2, 1], seed=0)(x)
    out.backward()
    assert x[0].grad != 0.0 or x[1].grad != 0.0


@pytest.mark.parametrize(
    ("x", "error", "words"),
    [
        ([1.0, 2.0], ValueError, "expected 3 inputs, but got 2"),
        (
            np.zeros((4, 2)),
            ValueError,
            "expected 3 inputs per sample, but the batch has 2",
        ),
        (np.zeros((0, 3)), ValueError, "empty"),
        (np.zeros((2, 3, 1)), ValueError, "shape"),
        ("abc", TypeError, "sequence of numbers"),
        ([1.0, "x", 2.0], TypeError, "input 2"),
        (np.array([["a", "b", "c"]]), TypeError, "real numbers"),
        (5.0, TypeError, "sequence"),
    ],
)
def test_bad_inputs_raise_clear_errors(x, error, words):
    model = nn.MLP(3, [2])
    with pytest.raises(error, match=words):
        model(x)


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: nn.MLP(0, [2]), ValueError, "nin must be at least 1"),
        (lambda: nn.MLP(2, 3), TypeError, "list of layer sizes"),
        (lambda: nn.MLP(2, []), ValueError, "at least one layer"),
        (lambda: nn.MLP(2, [3, 0]), ValueError, "layer size 1 must be at least 1"),
        (lambda: nn.MLP(2, [2.5]), TypeError, "positive int"),
        (lambda: nn.Neuron(2, activation="softplus"), ValueError, "unknown activation"),
        (lambda: nn.MLP(2, [2], init="normal"), ValueError, "unknown init"),
        (lambda: nn.MLP(2, [2], seed="x"), TypeError, "seed"),
        (lambda: nn.MLP(2, [2], seed=-1), ValueError, "non-negative"),
        (lambda: nn.Sequential(), ValueError, "at least one"),
        (lambda: nn.Sequential(nn.MLP(2, [2]), len), TypeError, "module 1"),
    ],
)
def test_bad_construction_raises(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_train_eval_modes_reach_every_submodule():
    net = nn.Sequential(nn.Layer(2, 2), nn.Dropout(0.5))
    net.eval()
    assert not any(m.training for _, m in net.named_modules())
    net.train()
    assert all(m.training for _, m in net.named_modules())


def test_zero_grad_clears_parameters():
    model = nn.MLP(2, [2, 1], seed=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_reprs():
    assert repr(nn.MLP(2, [3, 1])) == (
        "MLP(2, [3, 1], activation='relu', output_activation='identity')"
    )
    assert repr(nn.Layer(2, 3, "tanh")) == "Layer(2, 3, activation='tanh')"
    assert repr(nn.Neuron(2)) == "Neuron(2, activation='relu')"
