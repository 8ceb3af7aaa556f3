"""Conv2d and Flatten: values, shapes, input forms, sharing, errors; Dropout."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value

RNG = np.random.default_rng(0)


def reference_conv(images, conv):
    """The convolution in numpy, from the filters' weights (linear part)."""
    k, s = conv.kernel_size, conv.stride
    n, c, h, w = images.shape
    rows, cols = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, conv.out_channels, rows, cols))
    for f, flt in enumerate(conv.filters):
        kernel = np.array([p.data for p in flt.w]).reshape(c, k, k)
        for i in range(rows):
            for j in range(cols):
                patch = images[:, :, i * s : i * s + k, j * s : j * s + k]
                out[:, f, i, j] = (patch * kernel).sum(axis=(1, 2, 3)) + flt.b.data
    return out


@pytest.mark.parametrize(("k", "s"), [(3, 1), (2, 2), (3, 2), (4, 2)])
def test_conv_matches_numpy(k, s):
    conv = nn.Conv2d(2, 3, kernel_size=k, stride=s, activation="linear", seed=0)
    images = RNG.normal(size=(4, 2, 7, 8))
    out = conv(images)  # one Value: batch × filters × rows × columns
    np.testing.assert_allclose(out.data, reference_conv(images, conv))
    sample = conv(images[1].tolist())  # one image: nested lists of Values
    got = [[[v.data for v in row] for row in channel] for channel in sample]
    np.testing.assert_allclose(got, out.data[1])


def test_relu_conv_and_sample_forms_agree():
    conv = nn.Conv2d(1, 2, kernel_size=2, seed=0)
    image = RNG.normal(size=(3, 3))
    batch = conv(image[None])  # (batch, h, w): one channel
    one_grid = conv(image.tolist())  # a grid of numbers: one channel
    channels = conv([image.tolist()])  # a list of channels
    for f in range(2):
        for i in range(2):
            for j in range(2):
                assert batch.data[0, f, i, j] == pytest.approx(one_grid[f][i][j].data)
                assert channels[f][i][j].data == one_grid[f][i][j].data
                assert one_grid[f][i][j].op == "relu"


def test_output_size_and_parameter_names():
    conv = nn.Conv2d(2, 4, kernel_size=3, stride=2, seed=0)
    assert conv.output_size(8, 8) == (3, 3)
    assert len(conv.filters) == 4
    assert len(conv.filters[0].w) == 2 * 3 * 3
    # filter 4's weight 18 (a convolution on its own has no layer number)
    assert conv.filters[3].w[17].label == "w₄,₁₈"
    assert len(conv.parameters()) == 4 * (18 + 1)


def test_small_cnn_pipeline_shapes_and_names():
    cnn = nn.Sequential(
        nn.Conv2d(1, 2, kernel_size=3, stride=2, seed=0),
        nn.Flatten(),
        nn.MLP(2 * 3 * 3, [5, 10], seed=1),
    )
    out = cnn(RNG.normal(size=(6, 8, 8)))
    assert out.shape == (6, 10) and out.batch_size == 6
    assert cnn.layers[0].filters[1].b.label == "b²₂"
    assert cnn.layers[2].layers[1].neurons[9].w[4].label == "w³₁₀,₅"


def test_flatten_order_is_channel_row_column():
    values = [
        [[Value(float(100 * c + 10 * i + j)) for j in range(3)] for i in range(2)]
        for c in range(2)
    ]
    flat = nn.Flatten()(values)
    assert [v.data for v in flat][:4] == [0.0, 1.0, 2.0, 10.0]
    assert flat[6].data == 100.0
    assert nn.Flatten()(np.zeros((5, 2, 3))).shape == (5, 6)


def test_conv_takes_a_conv_output():
    first = nn.Conv2d(1, 2, kernel_size=2, seed=0)
    second = nn.Conv2d(2, 3, kernel_size=2, seed=1)
    out = second(first(RNG.normal(size=(2, 4, 4))))
    assert out.shape == (2, 3, 2, 2)
    one = second(first(RNG.normal(size=(4, 4)).tolist()))
    assert (len(one), len(one[0]), len(one[0][0])) == (3, 2, 2)


def test_pixels_may_be_any_kind_of_node():
    from autograd import Constant, topological_order

    a = Value(0.5, "a")
    image = [[[Constant(1.0), a * 2.0], [a + 1.0, Value(4.0)]]]
    conv = nn.Conv2d(1, 1, kernel_size=2, activation="linear", seed=0)
    out = conv(image)[0][0][0]
    numbers = np.array([[[[1.0, 1.0], [1.5, 4.0]]]])
    assert out.data == pytest.approx(conv(numbers).data[0, 0, 0, 0], rel=1e-12)
    out.backward()
    w = [p.data for p in conv.filters[0].w]
    assert a.grad == pytest.approx(2.0 * w[1] + w[2], rel=1e-12)
    assert a in topological_order(out)


@pytest.mark.parametrize(
    ("x", "error", "words"),
    [
        (np.zeros((2, 64)), ValueError, "reshape"),
        (np.zeros((2, 3, 8, 8)), ValueError, "expected 2 input channels"),
        (np.zeros((0, 2, 8, 8)), ValueError, "empty"),
        (np.zeros((1, 2, 2, 2)), ValueError, "smaller than the 3×3 kernel"),
        ([[[1.0, 2.0, 3.0]] * 3], ValueError, "expected 2 input channels"),
        ([[[1.0] * 3] * 3, [[1.0] * 3, [1.0] * 2, [1.0] * 3]], ValueError, "channel 1"),
        ([[["a"] * 3] * 3] * 2, TypeError, "pixel"),
        ("image", TypeError, "list of channels"),
        ([], TypeError, "list of channels"),
        ([0.5] * 16, TypeError, r"flat list of 16 numbers.*\(4, 4\)"),
        ([0.5] * 10, TypeError, r"flat list .*\(height, width\)"),
    ],
)
def test_bad_images_raise_clear_errors(x, error, words):
    conv = nn.Conv2d(2, 1, kernel_size=3)
    with pytest.raises(error, match=words):
        conv(x)


def test_flatten_refuses_non_values():
    with pytest.raises(TypeError, match="nested lists of Values"):
        nn.Flatten()([[1.0, 2.0]])


# --- dropout ----------------------------------------------------------------------


def test_dropout_in_training_scales_kept_inputs():
    drop = nn.Dropout(0.25, seed=0)
    x = [Value(np.ones(4000))]
    (out,) = drop(x)
    kept = out.data != 0
    assert 0.7 < kept.mean() < 0.8
    np.testing.assert_allclose(out.data[kept], 1 / 0.75)
    out.sum().backward()
    np.testing.assert_allclose(x[0].grad, out.data)  # d(x·m)/dx = m


def test_dropout_is_identity_in_eval_and_seeded():
    x = [Value(1.0), Value(2.0), Value(3.0)]
    drop = nn.Dropout(0.5, seed=3)
    drop.eval()
    assert drop(x) is x
    drop.train()
    a = [v.data for v in nn.Dropout(0.5, seed=3)(x)]
    b = [v.data for v in nn.Dropout(0.5, seed=3)(x)]
    assert a == b
    assert nn.Dropout(0.0)(x) is x


def test_dropout_in_a_network_follows_model_mode():
    net = nn.Sequential(
        nn.Layer(3, 50, seed=0), nn.Dropout(0.5, seed=0), nn.Layer(50, 2)
    )
    X = RNG.normal(size=(4, 3))
    net.eval()
    first = net(X).data
    second = net(X).data
    np.testing.assert_array_equal(first, second)
    net.train()
    assert not np.allclose(net(X).data, first)


def test_dropout_keeps_nested_structure():
    conv = nn.Conv2d(1, 2, kernel_size=2, seed=0)
    dropped = nn.Dropout(0.5, seed=0)(conv(RNG.normal(size=(3, 3)).tolist()))
    assert len(dropped) == 2 and len(dropped[0]) == 2 and len(dropped[0][0]) == 2
    batch = nn.Dropout(0.5, seed=0)(conv(RNG.normal(size=(3, 3, 3))))
    assert batch.shape == (3, 2, 2, 2) and batch.op == "mul"


@pytest.mark.parametrize(
    ("p", "error"), [(1.0, ValueError), (-0.1, ValueError), ("x", TypeError)]
)
def test_dropout_bad_p(p, error):
    with pytest.raises(error, match="p"):
        nn.Dropout(p)


def test_dropout_refuses_plain_numbers_and_takes_a_batch_of_inputs():
    with pytest.raises(TypeError, match=r"not plain numbers \(float\)"):
        nn.Dropout(0.5)([1.0, 2.0])
    with pytest.raises(TypeError, match=r"not plain numbers \(ndarray\)"):
        nn.Dropout(0.5)(np.ones(3))
    net = nn.Sequential(nn.Dropout(0.5, seed=0), nn.Layer(2, 3), nn.Layer(3, 2))
    out = net(np.ones((4, 2)))  # dropout on the input batch itself
    assert out.shape == (4, 2)
    nn.cross_entropy(out, np.array([0, 1, 0, 1])).backward()
    assert net.layers[1].W.grad.shape == (3, 2)
