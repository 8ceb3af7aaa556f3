"""The op table is the single source: an op added to it is taken by every consumer.

A throw-away op with a parameter, ``gained_tanh(x, gain)`` = tanh(gain·x), is
put in the table for one test and taken out again; nothing else is told of
it. Each consumer must then handle it by reading its record: the stepper,
``explain``, ``gradcheck``, the pictures, batches, one sample out of a
batch, ``chainrule step`` and ``nn``'s activations.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import nn
from autograd import (
    OPS,
    Op,
    Value,
    apply,
    backward_steps,
    explain,
    gradcheck,
    op_for,
    sample_graph,
)
from autograd.ops import is_batch
from autograd.record import ATOM, SUM
from demos.cli import main
from demos.expression import FUNCTIONS, OPTIONS, parse_expression
from viz import draw_graph


def gained_tanh(x, gain=1.0):
    r"""tanh(g·x);  ∂/∂x = g·(1 − tanh²(g·x))."""
    out = np.tanh(gain * x)
    local = gain * (1.0 - out * out)
    if is_batch(x):
        return out, (local,)
    return float(out), (float(local),)


GAINED = Op(
    "gained_tanh",
    gained_tanh,
    kind="activation",
    symbol="tanh_g",
    params={"gain": 1.0},
    derivatives=("{gain}·(1 − {out}²)",),
    short=("tanh_g′({0})",),
)


@pytest.fixture
def table(monkeypatch):
    """The op table with the throw-away op in it, for one test."""
    monkeypatch.setitem(OPS, "gained_tanh", GAINED)
    return OPS


def test_a_record_takes_keywords_and_fills_in_the_rest():
    assert GAINED == "gained_tanh" and GAINED.arity == 1
    assert GAINED.expression == "gained_tanh({0})" and GAINED.precedence == ATOM
    assert GAINED.roles == ("input",) and GAINED.micrograd == "gained_tanh"
    assert GAINED.formula(0, 1) == "∂gained_tanh(a)/∂a = 1·(1 − gained_tanh(a)²)"
    assert GAINED.bind(gain=3.0).local_text(0, ["z"], "a") == "3·(1 − a²)"
    with pytest.raises(TypeError, match="no parameter 'slope'"):
        GAINED.bind(slope=1.0)


def test_the_stepper_explain_and_gradcheck_take_a_new_op(table):
    x = Value(0.5, "x")
    y = apply(table["gained_tanh"], (x,), gain=2.0)
    y.label = "y"
    assert y.op == "gained_tanh" and y.op.params == {"gain": 2.0}
    first = next(backward_steps(y))
    assert first.expression == "gained_tanh(x)"
    assert first.lines[0].local_formula.startswith("∂y/∂x = 2·(1 − y²) = ")
    assert first.lines[0].local == pytest.approx(2 * (1 - np.tanh(1.0) ** 2))
    assert explain(y, x).total == pytest.approx(first.lines[0].local)
    report = gradcheck(lambda v: apply(op_for(y.op), (v,)) * 3.0, [Value(-0.3)])
    assert report, str(report)


def test_pictures_draw_a_new_op_with_its_symbol_and_derivative(table):
    x = Value(0.5, "x")
    y = apply(table["gained_tanh"], (x,))
    y.label = "y"
    y.backward()
    dot = str(draw_graph(y, show_rules=True))
    assert "label=tanh_g" in dot and "∂y/∂x = 1·(1 − y²)" in dot


def test_a_batch_and_one_sample_of_it_keep_the_op_and_its_parameter(table):
    X = np.array([[0.5, -1.0], [2.0, 0.25], [-0.5, 0.5]])
    model = nn.MLP(2, [3, 1], activation="gained_tanh", seed=0)
    gained = apply(table["gained_tanh"], (model(X),), gain=0.5)
    loss = gained.sum()
    loss.backward()
    one = sample_graph(loss, 1).parents[0]  # Σ of one number: the number
    assert one.op == "gained_tanh" and one.op.params == {"gain": 0.5}
    assert one.data == pytest.approx(gained.data[1])
    hidden = [n for n in one.parents[0].parents if n.op == "gained_tanh"]
    assert len(hidden) == 3 and all(n.op.params == {"gain": 1.0} for n in hidden)


def test_nn_offers_a_new_activation_op_on_one_sample_and_on_a_batch(table):
    assert "gained_tanh" in nn.ACTIVATIONS and "gained_tanh" in list(nn.ACTIVATIONS)
    model = nn.MLP(2, [4, 1], activation="gained_tanh", seed=0)
    out = model([0.5, -1.0])
    assert out.parents[4].op == "gained_tanh"  # after 4 weights: the first input
    batch = model(np.array([[0.5, -1.0]]))
    assert batch.data[0] == pytest.approx(out.data)
    out.backward()
    w = model.layers[0].neurons[0].w[0]
    grad_one = w.grad
    model.zero_grad()
    batch.sum().backward()
    assert w.grad == pytest.approx(grad_one)


def test_chainrule_step_calls_a_new_op_by_its_name_with_its_parameter(table, capsys):
    assert "gained_tanh" in FUNCTIONS and OPTIONS["gained_tanh"] == ("gain",)
    parsed = parse_expression("gained_tanh(x, 2)", {"x": 0.5})
    assert parsed.root.op.params == {"gain": 2.0}
    assert main(["step", "gained_tanh(x * w)", "--set", "x=0.5", "--set", "w=2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"= gained_tanh\(.+\) = 0\.7616", out), out


def test_without_the_op_no_consumer_knows_it():
    assert "gained_tanh" not in OPS and "gained_tanh" not in nn.ACTIVATIONS
    assert "gained_tanh" not in FUNCTIONS


def test_a_writer_puts_parentheses_where_precedence_needs_them():
    square = OPS["pow"].bind(n=2)
    assert square.write(["a − t"], precedences=[SUM]) == "(a − t)²"
    assert square.write(["a"], precedences=[ATOM]) == "a²"
    assert OPS["sub"].write(["a", "b + c"], precedences=[ATOM, SUM]) == "a − (b + c)"
    assert OPS["sub"].write(["a + b", "c"], precedences=[SUM, ATOM]) == "a + b − c"
    assert OPS["sigmoid"].write(["a + b"], precedences=[SUM]) == "σ(a + b)"
    assert OPS["mul"].write(["−a", "b"], precedences=[3, ATOM]) == "−a·b"


def test_every_record_says_what_its_parents_are():
    assert OPS["wsum"].roles_of(5) == ("weight", "weight", "input", "input", "bias")
    assert OPS["linear"].roles == ("W", "X", "b")
    assert OPS["mse"].roles == OPS["cross_entropy"].roles == ("prediction", "target")
    assert OPS["powv"].roles == ("base", "exponent")
    for name, op in OPS.items():
        count = op.arity or 5
        assert len(op.roles_of(count)) == count, name
        assert len(op.short) == len(op.derivatives), name


def test_short_forms_of_the_activations_for_path_products():
    for name, short in (
        ("sigmoid", "σ′(z)"),
        ("tanh", "tanh′(z)"),
        ("relu", "ReLU′(z)"),
    ):
        assert OPS[name].short_text(0, ["z"], "a") == short
    assert OPS["pow"].bind(n=2).short_text(0, ["z"], "a") == "2z"
    assert OPS["pow"].bind(n=3).short_text(0, ["z"], "a") == "3z²"


def test_leaky_relus_slope_survives_a_batch_cut_into_samples():
    X = np.array([[-1.0, 2.0], [0.5, -0.5]])
    model = nn.MLP(2, [3, 1], activation="identity", seed=0)
    loss = model(X).leaky_relu(0.2).sum()
    one = sample_graph(loss, 0).parents[0]  # Σ of one number: the number
    assert one.op == "leaky_relu" and one.op.params == {"slope": 0.2}
    loss.backward()
    assert one.local_grads[0] in (1.0, 0.2)
