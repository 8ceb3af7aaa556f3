"""The articles' worked examples in the lessons: each runs and prints the
articles' numbers (quick settings, one run per lesson)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from demos import run_lesson

pytest.importorskip("matplotlib")


def ran(name: str, folder: Path, **options: Any) -> tuple[dict[str, float], str]:
    said = io.StringIO()
    result = run_lesson(
        name, folder, quick=True, progress=False, stream=said, **options
    )
    return result.numbers, said.getvalue()


@pytest.fixture(scope="module")
def camera(tmp_path_factory) -> tuple[dict[str, float], str, Path]:
    folder = tmp_path_factory.mktemp("camera")
    numbers, text = ran("camera", folder)
    return numbers, text, folder


# --- article 4 ---------------------------------------------------------------------


def test_the_worked_neuron_of_the_fourth_article(camera):
    numbers, text, _ = camera
    assert numbers["worked neuron pixel sum"] == pytest.approx(0.5)
    assert numbers["worked neuron output"] == pytest.approx(math.tanh(0.965))
    assert f"{numbers['worked neuron output']:.3f}" == "0.746"
    assert "add up to 0.5" in text
    assert "a = tanh(z) = 0.746" in text
    assert "stays between −1 and 1: that is tanh" in text
    assert "tanh(0.5) = 0.462" in text  # squashing 0.5 gives a little less


def test_the_truth_vector_and_the_total_error(camera):
    numbers, text, _ = camera
    assert "truth:  [0.0, 0.0, 0.0, 1.0]" in text
    hand = numbers["output of dark top"]  # the horizontal output, 0.959
    assert numbers["total error (hand-wired)"] == pytest.approx(1 - hand)
    assert numbers["total error (untrained)"] > numbers["total error (hand-wired)"]
    errors = re.findall(r"error  \[([^\]]+)\]   total error ([\d.]+)", text)
    for listed, total in errors:
        values = [float(v) for v in listed.split(",")]
        assert sum(values) == pytest.approx(float(total), abs=2e-3)


def test_the_article_draws_white_and_black_links(camera):
    _, _, folder = camera
    neuron = (folder / "neuron.svg").read_text(encoding="utf-8")
    assert 'stroke="#ffffff"' in neuron and 'stroke="#000000"' in neuron
    assert neuron.count('class="edge"') == 3  # the weight of 0 has no line
    assert 'fill="#a6a6a6"' in neuron  # on grey, where white shows
    network = (folder / "network_white_black.svg").read_text(encoding="utf-8")
    assert "white: w &gt; 0" in network and "#d62728" not in network


def test_draw_network_links_option():
    import nn
    import viz

    layer = nn.Layer(3, 1, "tanh")
    layer.W.data[...] = [[0.5, 0.0, -1.0]]
    dot = str(viz.draw_network(layer, links="white-black"))
    assert 'color="#ffffff"' in dot and 'color="#000000"' in dot
    assert "l0n1 -> l1n0" not in dot  # w = 0: no line
    coloured = str(viz.draw_network(layer))
    assert "l0n1 -> l1n0" in coloured and "#1f77b4" in coloured
    with pytest.raises(ValueError, match="links must be one of"):
        viz.draw_network(layer, links="rainbow")


# --- article 1 ---------------------------------------------------------------------


def test_two_linear_layers_are_one_matrix(tmp_path):
    from demos.lessons.xor import collapsed

    numbers, text = ran("xor", tmp_path)
    assert numbers["collapsed M first weight"] == -3.5
    assert numbers["collapsed M second weight"] == -1.5
    assert numbers["two layers vs one matrix, largest difference"] < 1e-12
    assert "M = W₂·W₁ = [[-3.5, -1.5]], c = W₂·b₁ + b₂ = -2" in text
    rng = np.random.default_rng(0)  # any two linear layers collapse
    w1, b1, w2, b2 = (
        rng.normal(size=(4, 3)),
        rng.normal(size=4),
        rng.normal(size=(2, 4)),
        rng.normal(size=2),
    )
    M, c = collapsed(w1, b1, w2, b2)
    x = rng.normal(size=3)
    assert np.allclose(w2 @ (w1 @ x + b1) + b2, M @ x + c)


def test_the_first_articles_names_on_a_network(tmp_path):
    numbers, text = ran("mse", tmp_path)
    assert numbers["a2_1 by hand"] == pytest.approx(numbers["a2_1 by the network"])
    assert numbers["a2_1 by hand"] == pytest.approx(
        1 / (1 + math.exp(-numbers["z2_1 by hand"]))
    )
    assert "w²₃₁ = " in text and "into neuron 3 of layer 2, from neuron 1" in text
    assert "z²₁ = Σₖ w²₁ₖ·a¹ₖ + b²₁" in text


def test_the_cost_curve_with_two_slopes(tmp_path):
    from demos.lessons.square import RATE, cost_slope

    numbers, text = ran("square", tmp_path)
    left, right = numbers["dC/dw at w = 0.5"], numbers["dC/dw at w = 2.5"]
    assert left == pytest.approx(-26 / 3) and right == pytest.approx(10.0)
    assert "move right" in text and "move left" in text
    for w in (0.5, 2.5):  # each step lowers the cost, from either side
        after = numbers[f"w after one step from {w:g}"]
        assert after == pytest.approx(w - RATE * cost_slope(w)[1])
        assert cost_slope(after)[0] < cost_slope(w)[0]
    h = 1e-6
    numeric = (cost_slope(0.5 + h)[0] - cost_slope(0.5 - h)[0]) / (2 * h)
    assert numeric == pytest.approx(left, rel=1e-6)
    assert (tmp_path / "cost_curve.png").read_bytes()[:4] == b"\x89PNG"


def test_a_seven_read_as_an_eight_before_training(
    tmp_path, mnist_files: Callable[..., dict[str, Path]]
):
    from demos.lessons.mnist import seven_read_as_eight

    folder = next(iter(mnist_files().values())).parent
    numbers, text = ran("mnist", tmp_path, data=folder, epochs=1)
    assert "Before training: a 7 read as an 8" in text
    assert (tmp_path / "seven.png").exists()
    assert 0 <= numbers["untrained 7: output 8"] <= 1
    if numbers["untrained 7 read as 8"]:
        assert numbers["untrained 7: output 8"] > numbers["untrained 7: output 7"]
    scores = np.array([[0.1] * 7 + [0.3, 0.2, 0.1], [0.1] * 7 + [0.2, 0.25, 0.1]])
    assert seven_read_as_eight(scores, np.array([7, 7])) == (1, True)
    assert seven_read_as_eight(scores[:1], np.array([7])) == (0, False)


# --- article 2 ---------------------------------------------------------------------


def test_the_bias_is_an_input_that_is_always_one(tmp_path):
    from demos.lessons.layer_matrix import bias_as_input

    numbers, text = ran("layer-matrix", tmp_path)
    assert numbers["bias as input: z gap"] == 0.0
    assert numbers["bias as input: gradient gap"] == 0.0
    assert "[W | b]@[x; 1] =" in text
    zs, grads = bias_as_input([1.0, -2.0, 0.5], -0.75, [0.5, 0.25, 2.0], 0.0)
    assert zs[0] == zs[1] and grads[0] == grads[1] != 0.0
    # and the third article's network, in the same run
    assert numbers["article network: matrices vs nodes"] < 1e-12
    assert "(2×5)@(5×1) + (2×1) = (2×1)" in text
    assert "(5×3)@(3×1) + (5×1) = (5×1)" in text
    assert "W1,2" in text and "W5,2" in text


def test_the_noise_of_mini_batches(tmp_path):
    from demos.lessons.optimizers import POINTS, minibatch_gradients

    numbers, text = ran("optimizers", tmp_path)
    assert numbers["mean of batch gradients vs full"] < 1e-12
    assert numbers["spread of batch dC/dw"] > 0.05  # the batches disagree
    assert "not a randomized learning rate" in text
    full, batches = minibatch_gradients(0)
    rng = np.random.default_rng(0)  # the full gradient, in closed form
    x = rng.uniform(-1, 1, POINTS)
    y = 2 * x + 1 + rng.normal(0, 0.5, POINTS)
    assert full == pytest.approx([np.mean(-2 * y * x), np.mean(-2 * y)])
    assert len({tuple(np.round(b, 6)) for b in batches}) == len(batches)


def test_the_fields_of_a_deeper_convolutional_layer(tmp_path):
    import nn
    from demos.lessons.digits import deeper_fields

    numbers, _ = ran("digits", tmp_path)
    assert numbers["deeper field size"] == 5.0
    # the field is what the two layers compute when nothing squashes: check
    # it against two linear convolutions without biases, at every position
    first = nn.Conv2d(1, 3, kernel_size=3, activation="linear", seed=1)
    second = nn.Conv2d(3, 2, kernel_size=3, activation="linear", seed=2)
    first.b.data[...] = 0.0
    second.b.data[...] = 0.0
    image = np.random.default_rng(0).uniform(size=(8, 8))
    out = second(first(image.tolist()))
    fields = deeper_fields(np.asarray(first.W.data), np.asarray(second.W.data))
    for f in range(2):
        for i in range(4):
            for j in range(4):
                expected = float(np.sum(fields[f] * image[i : i + 5, j : j + 5]))
                assert float(out[f][i][j].data) == pytest.approx(expected)
