"""The stepper, explain and gradcheck agree with backward on random graphs."""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    AccumulatingGradientsWarning,
    GradcheckError,
    Value,
    backward_steps,
    explain,
    gradcheck,
    topological_order,
    vsum,
    wsum,
)
from autograd.names import use_notation

# --- random composite graphs ------------------------------------------------------

SAFE_UNARY = [
    lambda a: a.tanh(),
    lambda a: a.sigmoid(),
    lambda a: -a,
    lambda a: a * 0.5,
    lambda a: (a * a + 1.0).log(),
    lambda a: (a * 0.3).exp(),
    lambda a: a**2,
]
SAFE_BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (b * b + 1.0),
    lambda a, b: wsum([a, b], [b, a], 0.1),
    lambda a, b: vsum([a, b, a]),
]

programs = st.lists(
    st.tuples(
        st.booleans(), st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)
    ),
    min_size=1,
    max_size=12,
)


def build(program, inputs):
    """Run a random program: each step applies an op to earlier nodes (with reuse)."""
    nodes = list(inputs)
    for binary, op, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if binary:
            nodes.append(SAFE_BINARY[op % len(SAFE_BINARY)](a, b))
        else:
            nodes.append(SAFE_UNARY[op % len(SAFE_UNARY)](a))
    return vsum(nodes[len(inputs) :]).tanh()


def leaves(xs, batch):
    if batch:
        return [Value(np.array([x, x / 2 - 0.3]), f"x{k}") for k, x in enumerate(xs)]
    return [Value(x, f"x{k}") for k, x in enumerate(xs)]


inputs = st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(programs, inputs, st.booleans())
def test_random_graphs_match_central_differences(program, xs, batch):
    report = gradcheck(lambda *v: build(program, v), leaves(xs, batch), tol=1e-5)
    assert report, str(report)


@settings(max_examples=40, deadline=None)
@given(programs, inputs, st.booleans())
def test_stepping_leaves_exactly_the_grads_of_backward(program, xs, batch):
    values = leaves(xs, batch)
    root = build(program, values)
    seed = np.ones(root.shape) if root.shape else None  # a batch: its sum
    root.backward(seed)
    expected = {node: np.copy(node.grad) for node in topological_order(root)}
    for node in expected:
        node.grad = np.zeros_like(node.grad) if node.batch_size else 0.0
    steps = list(backward_steps(root, seed))
    made_by_ops = [node for node in expected if node.parents]
    assert len(steps) == len(made_by_ops)  # leaves take no step of their own
    assert [s.index for s in steps] == list(range(1, len(steps) + 1))
    for node, grad in expected.items():
        assert np.array_equal(node.grad, grad)
    table = {leaf.node: leaf.grad for leaf in steps[-1].leaves}
    assert set(table) == {n for n in expected if not n.parents and n.needs_grad}
    for x, grad in table.items():
        assert np.array_equal(grad, x.grad)


@settings(max_examples=40, deadline=None)
@given(programs, inputs, st.booleans())
def test_explain_sums_to_the_gradient(program, xs, batch):
    values = leaves(xs, batch)
    root = build(program, values)
    root.backward(np.ones(root.shape) if root.shape else None)  # a batch: its sum
    for x in values:
        explanation = explain(root, x, limit=10_000)
        assert np.allclose(explanation.total, x.grad, rtol=1e-9, atol=1e-12)
        if not explanation.truncated:
            listed = sum((path.product for path in explanation.paths), 0.0)
            assert np.allclose(listed, x.grad, rtol=1e-9, atol=1e-12)


# --- the stepper ------------------------------------------------------------------


def test_steps_narrate_the_chain_rule():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    z = x * w
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    steps = list(backward_steps(a))
    assert [s.name for s in steps] == ["a", "z"]  # leaves take no step
    first = steps[0]
    assert first.grad == 1.0 and first.total == 2
    (line,) = first.lines
    assert line.rule == "da/dz += da/da × ∂a/∂z"
    assert line.formula == "∂σ(u)/∂u = σ(u)·(1 − σ(u))"  # letters not in the graph
    assert line.local_formula == f"∂a/∂z = a·(1 − a) = {line.share:.4g}"
    assert line.share == pytest.approx(a.data * (1 - a.data))
    text = str(steps[1])
    assert "step 2/2" in text and "z = x·w" in text
    assert "da/dx += da/dz × ∂z/∂x" in text and "∂(u·v)/∂u = v" in text
    assert f"{line.share:.4g} × -3 = {-3 * line.share:.4g}" in text
    # the leaves' gradients: final at the step that sent them their last share,
    # and in one table at the end
    assert f"done: da/dx = {x.grad:.4g},  da/dw = {w.grad:.4g}" in text
    table = text.split("gradients of the leaves\n")[1].splitlines()
    assert table == [f"  da/dx = {x.grad:.4g}", f"  da/dw = {w.grad:.4g}"]
    assert "final" not in text and "(leaf)" not in text


def test_step_lines_are_aligned_for_a_repl():
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    out = wsum([a, b], [c, a], Value(0.5, "bias"))
    out.label = "out"
    lines = str(next(backward_steps(out))).splitlines()
    # the heading, one line per parent, the leaves done, the rules, the table
    assert len(lines) == 1 + 5 + 1 + 1 + 1 + 1 + 4
    chains = lines[1:6]
    assert len({line.index(" += ") for line in chains}) == 1
    assert len({line.index("dout/d") for line in chains}) == 1
    assert lines[6].startswith("  done: ") and "dout/da = 5," in lines[6]
    assert lines[7].startswith("  rules: ∂(Σw·x+b)/∂w₁ = x₁")


def test_rules_are_written_in_the_graphs_own_names_and_numbers():
    # a and b are the user's names here: the textbook's a·b must not be the rule
    b, a = Value(2.0, "b"), Value(-3.0, "a")
    y = b * a
    y.label = "y"
    first = next(backward_steps(y))
    to_b, to_a = first.lines
    assert to_b.local_formula == "∂y/∂b = a = -3"
    assert to_a.local_formula == "∂y/∂a = b = 2"
    text = str(first).splitlines()
    assert text[1].lstrip().startswith("∂y/∂b = a = -3")
    # the textbook rule, in letters that are not the user's a and b
    assert "  rules: ∂(u·v)/∂u = v,  ∂(u·v)/∂v = u" in text
    u, v = Value(2.0, "u"), Value(1.0, "v")
    rules = next(backward_steps(u * v, fresh=True)).rules()
    assert rules == "rules: ∂(p·q)/∂p = q,  ∂(p·q)/∂q = p"
    z = (b * 3.0).sigmoid()
    assert (
        next(backward_steps(z, fresh=True))
        .lines[0]
        .local_formula.startswith("∂E/∂(b·3) = E·(1 − E) = ")
    )
    assert next(backward_steps(b + a, fresh=True)).lines[0].local_formula == "∂E/∂b = 1"


def test_running_totals_show_how_shares_add_up():
    x = Value(2.0, "x")
    y = x * x + x
    y.label = "y"
    steps = list(backward_steps(y))
    totals = [line.running_total for s in steps for line in s.lines if line.parent is x]
    assert totals == ["dy/dx: 0 → 1", "dy/dx: 1 → 3", "dy/dx: 3 → 5"]
    assert "dy/dx: 1 → 3" in str(steps[1]) and x.grad == 5.0
    assert [line.after for line in steps[1].lines] == [3.0, 5.0]


def test_stepping_twice_says_the_leaves_accumulate_or_starts_fresh():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = x * w
    y.label = "y"
    list(backward_steps(y))
    with pytest.warns(AccumulatingGradientsWarning, match=r"zero_grad\(\)"):
        again = list(backward_steps(y))  # the default: accumulate, as backward()
    assert "already held gradients" in again[0].note and "fresh=True" in again[0].note
    assert "note: the leaves already held" in str(again[0])
    assert x.grad == -6.0 and w.grad == 4.0
    assert "dy/dx: -3 → -6" in str(again[0])
    (leaf,) = [f for f in again[-1].leaves if f.node is x]
    assert leaf.earlier == -3.0 and leaf.grad == -6.0
    assert "dy/dx = -6 (-3 of it from an earlier pass)" in str(again[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh = list(backward_steps(y, fresh=True))
    assert fresh[0].note == "" and x.grad == -3.0 and w.grad == 2.0
    assert str(fresh[0]) == str(next(backward_steps(y, fresh=True)))
    with pytest.raises(TypeError, match="Value at the end of a graph"):
        list(backward_steps(2.0))


def test_reprs_are_the_text_and_jupyter_gets_html():
    x, w = Value(2.0, "x<"), Value(-3.0, "w")
    y = x * w
    y.label = "y"
    step = next(backward_steps(y, fresh=True))
    assert repr(step) == str(step) and repr(step.lines[0]) == str(step.lines[0])
    html = step._repr_html_()
    assert html.startswith("<pre") and "x&lt;" in html and "x<" not in html
    assert '<span style="color:#777">rules: ∂(u·v)/∂u = v' in html
    story = explain(y, x)
    assert repr(story) == str(story) and "<b>dy/dx&lt; = -3</b>" in story._repr_html_()
    report = gradcheck(lambda a, b: a * b, [x, w])
    assert repr(report) == str(report) and "<th>analytic</th>" in report._repr_html_()
    wrong = gradcheck(lambda a: a * 1.0 + _broken(a), [x])
    assert 'style="color:#d62728"' in wrong._repr_html_()


def _broken(a):
    out = a * a
    out.local_grads = (0.0, 0.0)
    return out


def test_stepping_a_batch_shows_length_and_mean_and_the_batch_sum():
    x = Value(np.array([1.0, 2.0, 3.0]), "x")
    w = Value(2.0, "w")
    loss = (x * w).mean()
    loss.label = "loss"
    steps = list(backward_steps(loss))
    text = "\n".join(map(str, steps))
    assert "[3 values, mean" in text
    assert "summed over the batch: 2" in text  # dloss/dw = mean(x) = 2
    assert w.grad == pytest.approx(2.0)


def test_a_batch_root_needs_its_gradient_when_stepped_as_in_backward():
    x = Value(np.array([1.0, 2.0]), "x")
    y = x * 3.0
    with pytest.raises(ValueError, match="needs a Value holding one number"):
        list(backward_steps(y))
    with pytest.raises(ValueError, match="needs a Value holding one number"):
        y.backward()
    steps = list(backward_steps(y, np.ones(2)))
    assert x.grad.tolist() == [3.0, 3.0] and steps[0].index == 1


def test_an_unlabelled_root_is_called_E_or_the_letter_chosen():
    x = Value(1.0, "x")
    step = next(backward_steps(x * 3.0))
    assert step.name == "E" and step.lines[0].rule.startswith("dE/dx += dE/dE")
    with use_notation(loss="C"):
        step = next(backward_steps(x * 3.0, fresh=True))
    assert step.name == "C" and step.lines[0].rule.startswith("dC/dx += dC/dC")
    with pytest.raises(ValueError, match="style must be one of"):
        use_notation(style="greek")


# --- explain ----------------------------------------------------------------------


def test_explain_the_chaining_story():
    x, w1, w2 = Value(1.5, "x"), Value(2.0, "w1"), Value(-0.5, "w2")
    y = x * w1
    y.label = "y"
    E = y * w2
    E.label = "E"
    story = explain(E, w1)
    (path,) = story.paths
    assert path.names == ("w1", "y", "E")
    assert path.factors == (1.5, -0.5)  # ∂y/∂w1 = x, ∂E/∂y = w2
    assert path.product == story.total == 1.5 * -0.5
    assert "dE/dw1 = -0.75" in str(story)


def test_explain_lists_each_distinct_path_once_with_its_parallel_edges():
    a = Value(3.0, "a")
    c = (a + a) + (a + a)  # two nodes a + a, each using a twice
    story = explain(c, a)
    assert story.path_count == 2 and len(story.paths) == 2 and story.total == 4.0
    assert [path.edge_count for path in story.paths] == [2, 2]
    assert [path.product for path in story.paths] == [2.0, 2.0]
    lines = str(story).splitlines()
    assert len(set(lines[1:3])) == 2 or lines[1] == lines[2]  # listed once each
    assert "(along 2 edges: a is used 2 times by a + a)" in lines[1]
    x = Value(3.0, "x")
    y = x * x
    y.label = "y"
    (path,) = explain(y, x).paths  # one path: x → y, along two edges
    assert path.locals == ((3.0, 3.0),) and path.product == 6.0
    assert "∂y/∂x = (x + x) = (3 + 3) = 6   (along 2 edges: x is used 2" in str(path)


def test_explain_stops_at_the_limit_and_says_so_without_hanging():
    x = Value(0.5, "x")
    node = x
    for _ in range(80):  # a ladder of diamonds: 2**80 paths
        node = node.tanh() + node.sigmoid()
    start = time.perf_counter()
    story = explain(node, x, limit=50)
    assert time.perf_counter() - start < 5
    assert story.truncated and len(story.paths) == 50
    assert story.path_count == 2**80
    assert "stopped after 50" in str(story) and "raise limit=" in str(story)
    node.backward()
    assert story.total == pytest.approx(x.grad)


@pytest.mark.slow
def test_explain_on_a_deep_chain_lists_its_one_path():
    x = Value(1.0, "x")
    y = x
    for _ in range(100_000):
        y = y * 1.0
    story = explain(y, x)
    assert story.path_count == 1 and len(story.paths[0].nodes) == 100_001


def test_explain_a_node_the_root_does_not_depend_on():
    x, unused = Value(1.0, "x"), Value(2.0, "u")
    story = explain(x * 2.0, unused)
    assert story.path_count == 0 and story.total == 0.0
    assert "does not depend" in str(story)


# --- gradcheck --------------------------------------------------------------------


def test_gradcheck_catches_a_wrong_derivative_and_shows_both_numbers():
    def wrong(a):
        out = a * a
        out.local_grads = (a.data, 0.0)  # a broken rule: ∂(a·a) needs (a, a)
        return out

    a = Value(3.0, "a")
    report = gradcheck(wrong, [a])
    assert not report and not report.passed and len(report) == 1
    assert report.max_error == pytest.approx(0.5)  # |3 − 6| / 6
    assert [check.name for check in report] == ["a"]
    (failure,) = report.failures
    assert failure.analytic == 3.0 and failure.numeric == pytest.approx(6.0)
    with pytest.raises(GradcheckError, match=r"a: analytic 3 vs numeric 6"):
        gradcheck(wrong, [a], raise_on_failure=True)


def test_gradcheck_restores_inputs_and_their_grads():
    a = Value(np.array([1.0, 2.0]), "a")
    a.grad = np.array([5.0, 5.0])
    report = gradcheck(lambda v: (v * v).sum(), [a])
    assert report and np.array_equal(a.data, [1.0, 2.0])
    assert np.array_equal(a.grad, [5.0, 5.0])
    assert np.allclose(report.checks[0].numeric, [2.0, 4.0])


def test_gradcheck_refuses_bad_arguments():
    with pytest.raises(ValueError, match="at least one"):
        gradcheck(lambda: Value(1.0), [])
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda a: a, [Value(1.0)], eps=0)


def test_sigmoid_steps_at_extremes_stay_finite():
    x = Value(1000.0, "x")
    steps = list(backward_steps(x.sigmoid() * x.tanh()))
    for step in steps:
        assert math.isfinite(step.grad)


def test_steps_narrate_a_layer_node_with_matrices_and_shapes():
    import nn

    model = nn.MLP(2, [3, 2], seed=0)
    X = np.ones((5, 2))
    loss = nn.cross_entropy(model(X), np.array([0, 1, 1, 0, 1]))
    layer = next(s for s in backward_steps(loss) if s.node.op == "linear")
    to_W, to_A, to_b = layer.lines
    assert to_W.rule == "dE/dW³ += (dE/dZ³)ᵀ·A²"  # layer 3 (layer 1: the inputs)
    assert to_W.numbers.startswith("= (2×5)·(5×3) = [2×3 matrix, mean ")
    assert to_A.rule == "dE/dA² += dE/dZ³·W³"
    assert "summed over the batch" in to_b.numbers
    assert to_W.formula == "∂(X·Wᵀ + b)/∂W = X"
    np.testing.assert_allclose(to_W.share, model.layers[1].W.grad)
    first = [s for s in backward_steps(loss, fresh=True) if s.node.op == "linear"][1]
    assert "(a constant: not sent)" in first.lines[1].numbers  # the input batch
