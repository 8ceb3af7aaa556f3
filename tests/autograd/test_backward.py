"""The backward pass: depth, reuse, accumulation, zero_grad, batches, order."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from autograd import Value, topological_order, vsum, wsum


def test_a_chain_a_hundred_times_deeper_than_pythons_recursion_limit():
    depth = 100 * sys.getrecursionlimit()  # a recursive walk would fail long before
    x = Value(1.0, "x")
    y = x
    for _ in range(depth):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0
    assert y.data == depth + 1.0
    order = topological_order(y)
    assert len(order) == 2 * depth + 1  # a constant leaf per step
    assert order[-1] is y


def test_a_deep_chain_of_unary_ops():
    x = Value(0.5, "x")
    y = x
    for _ in range(100_000):
        y = y.tanh()
    y.backward()
    expected = 1.0
    value = 0.5
    for _ in range(100_000):
        value = np.tanh(value)
        expected *= 1 - value**2
    assert x.grad == pytest.approx(expected, rel=1e-9)


def test_reused_nodes_accumulate():
    a = Value(3.0, "a")
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0


def test_a_node_used_by_two_ops():
    a = Value(2.0, "a")
    y = a * a * a  # a³: d/da = 3a² = 12
    y.backward()
    assert a.grad == 12.0


def test_backward_twice_doubles_leaves_and_never_double_counts_intermediates():
    x, w = Value(1.5, "x"), Value(-2.0, "w")
    h = (x * w).tanh()
    out = h * h + x
    out.backward()
    once = (x.grad, w.grad, h.grad)
    out.backward()
    assert x.grad == 2 * once[0]
    assert w.grad == 2 * once[1]
    assert h.grad == once[2]  # intermediate: reset, then computed again
    assert out.grad == 1.0


def test_zero_grad_clears_every_node():
    x, w = Value(1.5, "x"), Value(np.array([1.0, 2.0]), "w")
    out = (x * w).sum()
    out.backward()
    out.zero_grad()
    for node in topological_order(out):
        assert np.all(node.grad == 0)
    out.backward()
    assert x.grad == 3.0 and np.array_equal(w.grad, [1.5, 1.5])


def test_a_batched_pass_equals_the_sum_of_per_sample_passes():
    rng = np.random.default_rng(0)
    samples = rng.normal(size=(6, 3))
    targets = rng.normal(size=6)
    weights = [Value(float(v), f"w{k}") for k, v in enumerate(rng.normal(size=3))]
    bias = Value(0.1, "b")

    def loss(xs, target):
        return (wsum(weights, xs, bias).tanh() - target) ** 2

    for sample, target in zip(samples, targets):
        loss(list(sample), float(target)).backward()
    per_sample = [w.grad for w in weights] + [bias.grad]
    for w in [*weights, bias]:
        w.grad = 0.0
    columns = [Value(samples[:, k]) for k in range(3)]
    loss(columns, targets).backward(np.ones(6))  # ones: differentiates the sum
    batched = [w.grad for w in weights] + [bias.grad]
    assert batched == pytest.approx(per_sample, rel=1e-12)

    for w in [*weights, bias]:
        w.grad = 0.0
    loss(columns, targets).sum().backward()  # the same through an explicit sum
    assert [w.grad for w in weights] + [bias.grad] == pytest.approx(per_sample)


def test_mean_over_a_batch():
    x = Value(np.array([1.0, 2.0, 3.0, 4.0]), "x")
    m = (x * x).mean()
    m.backward()
    assert m.data == 7.5
    assert np.allclose(x.grad, 2 * x.data / 4)


def test_a_batched_root_needs_grad_as_pytorchs_does():
    x = Value(np.array([1.0, 2.0]), "x")
    y = x * 3.0
    with pytest.raises(ValueError, match=r"'x'.*shape \(2,\); reduce it") as caught:
        x.backward()
    assert "grad= an array of shape (2,)" in str(caught.value)
    with pytest.raises(ValueError, match="an unlabelled mul holds a batch"):
        y.backward()
    assert np.array_equal(x.grad, [0.0, 0.0]) and np.array_equal(y.grad, [0.0, 0.0])
    y.backward(np.ones(2))  # the gradient of the sum, asked for
    assert np.array_equal(x.grad, [3.0, 3.0])
    matrix = Value(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        (matrix * 2.0).backward()


def test_node_order_is_deterministic_across_runs():
    script = (
        "from autograd import Value, vsum, node_names\n"
        "a, b = Value(1.0, 'a'), Value(2.0, 'b')\n"
        "c = vsum([a * b, (a + b).tanh(), b.exp()])\n"
        "names = node_names(c)\n"
        "print([n.op or n.label for n in names], list(names.values()))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(runs) == 1
    assert "['a', 'b', 'mul', 'add', 'tanh', 'exp', 'vsum']" in runs.pop()


def test_topological_order_puts_parents_first_and_visits_each_node_once():
    a = Value(1.0, "a")
    nodes = [a]
    for k in range(50):
        nodes.append(nodes[-1] * nodes[k // 2] + a)
    order = topological_order(nodes[-1])
    position = {node: k for k, node in enumerate(order)}
    assert len(position) == len(order)
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]


def test_grads_have_the_shape_of_the_data():
    x = Value(np.array([1.0, 2.0, 3.0]))
    w = Value(2.0)
    y = vsum([x * w, x.exp()])
    assert y.grad.shape == (3,)
    y.backward(np.ones(3))
    assert isinstance(w.grad, float)
    assert x.grad.shape == (3,)


# --- the order of the pass: latest made first ---------------------------------------


def test_every_node_is_made_with_a_larger_serial_than_its_parents():
    import nn
    from autograd import Constant, ParameterArray, apply
    from autograd.ops import OPS
    from autograd.value import make_node

    a, b = Value(2.0, "a"), Constant(3.0, "b")
    made = [
        a + b, a - 1.0, 2.0 * a, a / b, -a, a**2, a**b, a.relu(), a.tanh(),
        a.leaky_relu(), apply(OPS["mul"], (a, a)), make_node(1.0, (1.0,), "neg", (a,)),
        wsum([a, a], [1.0, 2.0], bias=a), vsum([a, a, a]),
    ]  # fmt: skip
    for node in made:
        assert all(node.serial > parent.serial for parent in node.parents), node.op
    W = ParameterArray([[1.0, 2.0]])
    assert W.element(0, 1).serial > W.serial
    model = nn.MLP(2, [3, 1], seed=0)
    out = model([a, 1.0])
    for node in topological_order(out):
        sources = getattr(node, "sources", ())
        assert all(node.serial > s.serial for s in sources), type(node).__name__


def test_the_pass_takes_each_node_before_its_parents_even_when_found_late():
    # b is found (as a parent of d) before c, which also uses b: a walk that
    # stepped in the order it found nodes would step b before c adds to it.
    a = Value(1.5, "a")
    b = a * a  # b = a²
    c = b * 3.0  # c = 3a²
    d = b + c  # d = 4a², dd/da = 8a
    d.backward()
    assert a.grad == 8 * 1.5
    assert b.grad == 4.0


def test_each_batch_node_ends_a_pass_with_a_gradient_of_its_own():
    # a batch node's gradient is the first share it is sent, not 0 + share:
    # no two nodes may end up holding the same array
    x = Value(np.array([1.0, -2.0, 3.0]), "x")
    same = x + 0.0  # a local derivative of 1: its share is the sender's gradient
    twice = same * 2.0
    y = twice + 0.0
    assert not same.grad.flags.writeable  # before a pass: a shared array of 0s
    assert same.grad.tolist() == [0.0, 0.0, 0.0]
    y.backward(np.array([1.0, 1.0, 1.0]))
    grads = [x.grad, same.grad, twice.grad, y.grad]
    assert len({id(g) for g in grads}) == 4
    assert [g.tolist() for g in grads] == [[2.0] * 3, [2.0] * 3, [1.0] * 3, [1.0] * 3]
    y.grad += 5.0  # changing one node's gradient changes no other's
    assert twice.grad.tolist() == [1.0] * 3 and x.grad.tolist() == [2.0] * 3
    y.backward(np.array([1.0, 1.0, 1.0]))  # again: intermediates reset, leaves add
    assert same.grad.tolist() == [2.0] * 3 and x.grad.tolist() == [4.0] * 3


def test_a_batch_node_a_number_flows_into_gets_an_array_of_its_shape():
    x = Value(np.array([[1.0, 2.0], [3.0, 4.0]]), "x")
    inner = x * 3.0
    total = inner.sum()  # a number: each element of inner is sent 1
    total.backward()
    assert inner.grad.shape == (2, 2) and inner.grad.tolist() == [[1.0, 1.0]] * 2
    assert x.grad.tolist() == [[3.0, 3.0]] * 2
