"""draw_network: neurons as circles, weights as coloured lines."""

from __future__ import annotations

import re
import shutil

import pytest

from autograd import Value
from viz import draw_network, render_svg
from viz.network import NEGATIVE, POSITIVE


def edge(dot: str, tail: str, head: str) -> str:
    (line,) = [
        ln for ln in dot.splitlines() if ln.strip().startswith(f"{tail} -> {head} ")
    ]
    return line


def test_layers_become_columns_and_weights_coloured_lines(tiny_mlp):
    dot = str(draw_network(tiny_mlp))
    assert dot.count("shape=circle") == 1  # set once, for every neuron
    for name in ["cluster_layer0", "cluster_layer1", "cluster_layer2"]:
        assert name in dot
    assert "label=input" in dot and 'label="hidden 1"' in dot and "label=output" in dot
    assert "x₁" in dot and "x₂" in dot
    assert len(re.findall(r"->", dot)) == 2 * 3 + 3 * 1
    widths = {}
    for j, neuron in enumerate(tiny_mlp.layers[0].neurons):
        for k, w in enumerate(neuron.w):
            line = edge(dot, f"l0n{k}", f"l1n{j}")
            assert (POSITIVE if w.data >= 0 else NEGATIVE) in line
            widths[abs(w.data)] = float(re.search(r"penwidth=([\d.]+)", line).group(1))
    ordered = [widths[k] for k in sorted(widths)]
    assert ordered == sorted(ordered)


def test_activations_for_one_input_and_weight_grads(tiny_mlp):
    x = [0.5, -1.0]
    hidden = tiny_mlp.layers[0]([Value(0.5), Value(-1.0)])
    out = tiny_mlp([Value(0.5), Value(-1.0)])[0]
    out.backward()
    dot = str(draw_network(tiny_mlp, x=x, show_grads=True))
    assert f"{hidden[0].data:.4g}" in dot
    assert f"{out.data:.4g}" in dot
    w = tiny_mlp.layers[1].neurons[0].w[2]
    line = edge(dot, "l1n2", "l2n0")
    assert f"label={w.grad:.4g}" in line or f'label="{w.grad:.4g}"' in line
    assert "∂L/∂w" in line


def test_wrong_inputs_and_models_are_refused(tiny_mlp):
    with pytest.raises(ValueError, match="2 inputs"):
        draw_network(tiny_mlp, x=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"nn\.MLP"):
        draw_network(object())


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_network_renders(tiny_mlp):
    assert "<svg" in render_svg(draw_network(tiny_mlp, x=[1.0, 0.0]))


def test_the_real_nn_mlp():
    nn = pytest.importorskip("nn")
    if not hasattr(nn, "MLP"):
        pytest.skip("nn has no MLP yet")
    model = nn.MLP(3, [4, 2], seed=0)
    dot = str(draw_network(model, x=[1.0, 0.0, -1.0]))
    assert len(re.findall(r"->", dot)) == 3 * 4 + 4 * 2
    assert "x₃" in dot and "l2n1" in dot
