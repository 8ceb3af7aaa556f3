"""draw_graph: the DOT source, checked without the Graphviz binary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from autograd import Value, backward_steps, topological_order, vsum, wsum
from viz import GraphTooLargeError, draw_graph, frames_of
from viz.dot import CURRENT, FLOW, STYLES
from viz.labels import is_parameter_label


def neuron() -> tuple[Value, dict[str, Value]]:
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    a, c = x1 * w1, x2 * w2
    a.label, c.label = "x1w1", "x2w2"
    s = a + c
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {v.label: v for v in topological_order(o)}


def node_line(dot: str, node: Value, root: Value) -> str:
    k = topological_order(root).index(node)
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith(f"v{k} [")]
    return line


def edge_line(dot: str, parent: Value, node: Value, root: Value) -> str:
    order = topological_order(root)
    head = f"v{order.index(parent)} -> op{order.index(node)}"
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith(head)]
    return line


def test_records_show_label_data_and_grad_to_four_digits():
    o, v = neuron()
    o.backward()
    dot = str(draw_graph(o))
    assert "{n | data 0.8814 | grad 0.5}" in dot
    assert "{o | data 0.7071 | grad 1}" in dot
    assert "{b | data 6.881 | grad 0.5}" in dot
    assert "{x1 | data 2 | grad -1.5}" in dot
    assert "shape=record" in node_line(dot, v["n"], o)


def test_op_nodes_are_named_by_their_symbol():
    a, b = Value(1.5, "a"), Value(-2.0, "b")
    out = vsum([(a * b).sigmoid(), a.relu(), wsum([a], [b], 1.0)])
    dot = str(draw_graph(out))
    for symbol in ["×", "σ", "ReLU", "Σw·x+b", "Σ"]:
        assert f'label="{symbol}"' in dot or f"label={symbol} " in dot


def test_edges_carry_the_local_derivative():
    o, v = neuron()
    dot = str(draw_graph(o))
    assert 'label="∂o/∂n = 0.5"' in edge_line(dot, v["n"], v["o"], o)
    assert 'label="∂x1w1/∂x1 = -3"' in edge_line(dot, v["x1"], v["x1w1"], o)
    assert "∂" not in str(draw_graph(o, show_local_grads=False))


def test_a_batch_shows_its_length_and_mean_not_every_element():
    x = Value(np.array([1.0, 2.0, 3.0, 4.0]), "x")
    y = (x * 2.0).sum()
    y.label = "y"
    y.backward()
    dot = str(draw_graph(y))
    assert "{x | data [4 values, mean 2.5] | grad [4 values, mean 2]}" in dot
    assert "3.0, 4.0" not in dot


def test_parameters_inputs_intermediates_and_output_are_styled_apart():
    o, v = neuron()
    dot = str(draw_graph(o, params=[v["w1"], v["w2"], v["b"]]))
    fills = {
        name: re.search(r'fillcolor="([^"]+)"', node_line(dot, v[name], o)).group(1)
        for name in ["w1", "b", "x1", "s", "o"]
    }
    assert fills["w1"] == fills["b"] == STYLES["parameter"]["fillcolor"]
    assert fills["x1"] == STYLES["input"]["fillcolor"]
    assert fills["s"] == STYLES["intermediate"]["fillcolor"]
    assert fills["o"] == STYLES["output"]["fillcolor"]
    assert len(set(fills.values())) == 4
    assert "cluster_legend" in dot and "parameter" in dot and "intermediate" in dot


def test_nn_style_labels_mark_parameters_without_being_told():
    assert is_parameter_label("layers.0.neurons.2.w.1")
    assert is_parameter_label("layers.1.neurons.0.b")
    assert is_parameter_label("layer1.neuron3.w2")
    assert not is_parameter_label("x1") and not is_parameter_label("w")
    w = Value(0.5, "layers.0.neurons.0.w.0")
    x = Value(2.0, "x1")
    y = w * x
    dot = str(draw_graph(y))
    assert STYLES["parameter"]["fillcolor"] in node_line(dot, w, y)
    assert STYLES["input"]["fillcolor"] in node_line(dot, x, y)


def test_params_can_be_a_model(tiny_mlp):
    out = tiny_mlp([Value(1.0, "x1"), Value(-1.0, "x2")])[0]
    dot = str(draw_graph(out, params=tiny_mlp))
    first_weight = tiny_mlp.layers[0].neurons[0].w[0]
    assert STYLES["parameter"]["fillcolor"] in node_line(dot, first_weight, out)


def test_step_highlights_the_node_and_the_edges_carrying_its_gradient():
    o, v = neuron()
    dot = str(draw_graph(o, step=3))  # o, n, then s (leaves take no step)
    current = node_line(dot, v["s"], o)
    assert CURRENT["fillcolor"] in current and "penwidth=3" in current
    assert "{s | data -6 | grad 0.5}" in current
    for parent in ["x1w1", "x2w2"]:
        edge = edge_line(dot, v[parent], v["s"], o)
        assert FLOW["color"] in edge
        assert f"do/d{parent} += 0.5 × 1 = 0.5" in edge
    assert FLOW["color"] not in edge_line(dot, v["s"], v["n"], o)
    # reached before: final grads; its only share received: that grad (every
    # node using it has sent its part); nothing yet: "?"
    assert "{n | data 0.8814 | grad 0.5}" in dot
    assert "{b | data 6.881 | grad 0.5}" in dot
    assert "{x1w1 | data -6 | grad 0.5}" in dot
    assert "{x1 | data 2 | grad ?}" in dot


def test_step_can_be_a_step_object_and_must_exist():
    o, _ = neuron()
    steps = list(backward_steps(o))
    assert str(draw_graph(o, step=steps[2])) == str(draw_graph(o, step=3))
    assert "grad ?" not in str(draw_graph(o, step=len(steps)))
    for bad in [0, len(steps) + 1]:
        with pytest.raises(ValueError, match=f"between 1 and {len(steps)}"):
            draw_graph(o, step=bad)
    other, _ = neuron()
    with pytest.raises(ValueError, match="another graph"):
        draw_graph(other * 2.0, step=steps[0])
    with pytest.raises(TypeError, match="step number"):
        draw_graph(o, step="2")


def test_drawing_a_step_leaves_the_graphs_grads_alone():
    o, v = neuron()
    o.backward()
    o.backward()  # leaves now hold twice their gradient
    before = {name: node.grad for name, node in v.items()}
    dot = str(draw_graph(o, step=5))
    assert {name: node.grad for name, node in v.items()} == before
    # the frames show one clean pass: dL/dx1 = -1.5, not the accumulated -3
    assert "{x1 | data 2 | grad -1.5}" in dot
    assert [s.index for s in frames_of(o)] == list(range(1, 6))


def test_dot_source_is_byte_identical_run_to_run(tmp_path):
    o, _ = neuron()
    o.backward()
    assert str(draw_graph(o, step=3)) == str(draw_graph(o, step=3))
    script = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        from test_viz_dot import neuron
        from viz import draw_graph
        o, _ = neuron()
        o.backward()
        sys.stdout.write(str(draw_graph(o)) + str(draw_graph(o, step=5)))
        """
    )
    here = os.path.dirname(__file__)
    outputs = set()
    for seed in ["1", "2"]:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, here],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert outputs.pop().decode() == str(draw_graph(o)) + str(draw_graph(o, step=5))


def test_labels_with_record_and_dot_special_characters_are_escaped():
    a = Value(1.0, 'a|b {c} <d> "e" \\f')
    y = a * 2.0
    y.label = "y"
    line = node_line(str(draw_graph(y)), a, y)
    assert r"a\|b \{c\} \<d\> \"e\" \\f" in line


def test_rankdir_top_to_bottom_and_bad_values():
    o, _ = neuron()
    dot = str(draw_graph(o, rankdir="TB"))
    assert "rankdir=TB" in dot and 'label="{{o | data 0.7071 | grad 0}}"' in dot
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(o, rankdir="sideways")
    with pytest.raises(TypeError, match="Value"):
        draw_graph(3.0)


def mlp_loss(make_mlp, sizes):
    model = make_mlp(sizes, seed=1)
    xs = [Value(float(i), f"x{i + 1}") for i in range(sizes[0])]
    out = model(xs)
    loss = vsum([(o - 1.0) ** 2 for o in out])
    loss.label = "loss"
    return model, loss


def test_large_graphs_collapse_each_neuron_into_one_node(make_mlp):
    model, loss = mlp_loss(make_mlp, [16, 16, 4])
    order = topological_order(loss)
    assert len(order) > 300
    dot = str(draw_graph(loss))
    assert "16 weights + bias" in dot
    weight = model.layers[0].neurons[0].w[0]
    assert f"v{order.index(weight)} " not in dot  # the weights are folded in
    assert f"v{order.index(loss)} " in dot
    shown = len(re.findall(r"^\s*v\d+ \[", dot, flags=re.MULTILINE))
    assert shown < 100
    full = str(draw_graph(loss, max_nodes=len(order)))  # under the limit: every node
    assert f"v{order.index(weight)} [" in full


def test_collapse_can_be_forced_or_refused(make_mlp):
    model, loss = mlp_loss(make_mlp, [2, 2, 1])
    weight = model.layers[0].neurons[0].w[0]
    k = topological_order(loss).index(weight)
    assert f"v{k} [" not in str(draw_graph(loss, collapse=True))
    assert f"v{k} [" in str(draw_graph(loss, collapse=False))
    with pytest.raises(GraphTooLargeError, match="max_nodes=5"):
        draw_graph(loss, max_nodes=5, collapse=False)


def test_a_weight_used_elsewhere_stays_visible_when_collapsing():
    w, x = Value(0.5, "n.w.0"), Value(2.0, "x")
    y = wsum([w], [x]) + w**2
    dot = str(draw_graph(y, collapse=True))
    assert "{n.w.0 | data 0.5" in dot


def test_still_too_large_raises_naming_the_limit_and_the_option():
    x = Value(1.0, "x")
    y = x
    for _ in range(400):
        y = y * 1.001
    with pytest.raises(GraphTooLargeError) as info:
        draw_graph(y)
    message = str(info.value)
    assert "max_nodes=300" in message and "max_nodes=801" in message
    assert str(draw_graph(y, max_nodes=801)).count("shape=record") == 801


def test_a_layer_node_is_one_box_with_its_formula_and_shapes():
    import nn

    model = nn.MLP(2, [3, 2], seed=0)
    X = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 1.0], [2.0, 0.0]])
    loss = nn.cross_entropy(model(X), np.array([0, 1, 1, 0]))
    loss.backward()
    dot = str(draw_graph(loss))
    # the layers are named as the articles name them: layer 2 is the first
    # hidden layer (layer 1 is the inputs)
    assert "Z² = x·W²ᵀ + b²  (4×3)" in dot
    assert "Z³ = A²·W³ᵀ + b³  (4×2)" in dot
    assert "∂Z²/∂W² = x (4×2)" in dot  # ∂Z/∂W = X, with its shape
    assert "∂Z³/∂A² = W³ (2×3)" in dot  # ∂Z/∂X = W
    # a layer's weights are drawn as parameters, its input batch as an input
    assert dot.count('fillcolor="#fde2c4"') == 4  # W and b of each layer


def test_a_value_used_twice_shows_its_gradient_so_far():
    x = Value(2.0, "x")
    y = x * x
    y.label = "y"
    z = y + x
    z.label = "z"
    # z first: x receives 1 from z, y has yet to send its part: "so far";
    # then y sends 2 + 2 more: complete before x's own step
    assert "{x | data 2 | grad 1 (so far)}" in str(draw_graph(z, step=1))
    assert "{x | data 2 | grad 5}" in str(draw_graph(z, step=2))
    assert "grad ?" not in str(draw_graph(z, step=1))  # every node has a share


def test_rules_on_edges_edge_text_as_large_as_node_text_and_the_legend():
    o, v = neuron()
    dot = str(draw_graph(o, show_rules=True))
    assert 'label="∂x1w1/∂x1 = w1 = -3"' in edge_line(dot, v["x1"], v["x1w1"], o)
    assert 'label="∂o/∂n = 1 − o² = 0.5"' in edge_line(dot, v["n"], v["o"], o)
    assert (
        "node [fontsize=14]" in dot and "edge [fontname=Helvetica fontsize=14]" in dot
    )
    # the legend lists only the kinds present: here no parameters were marked
    assert "parameter (weight, bias)" not in dot and "input or constant" in dot
    assert "parameter (weight, bias)" in str(draw_graph(o, params=[v["w1"]]))
    assert "cluster_legend" not in str(draw_graph(o, legend=False))


def test_a_forward_frame_shows_the_values_computed_so_far():
    from viz.dot import FORWARD, draw_frame
    from viz.frames import Frame

    o, v = neuron()
    order = topological_order(o)
    steps = frames_of(o, order)
    dot = str(
        draw_frame(
            o,
            order,
            Frame(steps, 2, forward=True),
            show_local_grads=True,
            rankdir="LR",
            max_nodes=300,
            collapse="auto",
            params=None,
            legend=True,
        )
    )
    assert "{x1w1 | data -6 | grad ?}" in dot and "{x2w2 | data 0 | grad ?}" in dot
    assert "{s | data ? | grad ?}" in dot and "{x1 | data 2 | grad ?}" in dot
    current = node_line(dot, v["x2w2"], o)
    assert CURRENT["fillcolor"] in current
    assert FORWARD["color"] in edge_line(dot, v["x2"], v["x2w2"], o)
    assert "∂x2w2/∂x2 = w2 = 1" in dot  # the local derivatives, known from now on
    assert "∂n/∂s" not in dot  # not computed yet


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("a\x00b", "a␀b"),
        ("\ud800", "\\ud800"),
        ("&#xD800;", "&#xD800;"),
        ("&amp;", "&amp;"),
        ("tab\there", "tab␉here"),
        ("x" * 20_000, "x" * 20 + "…" + "x" * 19),
    ],
)
def test_any_label_is_drawn_as_typed_or_shortened(label, shown):
    a = Value(1.0, label)
    y = a * 2.0
    y.label = "y"
    dot = str(draw_graph(y))
    assert "\x00" not in dot and len(dot) < 5000
    dot.encode("utf-8")  # no lone surrogate left
    if shutil.which("dot") is None:
        return
    from viz import render_svg

    svg = ET.fromstring(render_svg(draw_graph(y)))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert shown in texts
