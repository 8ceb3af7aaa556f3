"""chainrule step reads what the lessons print, and every name printed reads back."""

from __future__ import annotations

import math
import shutil

import pytest

import nn
from autograd import backward_steps, node_names, topological_order
from autograd.names import plain_text
from demos.cli import main
from demos.expression import ExpressionError, parse_expression
from demos.notation import function_name, identifier, translate


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("y = x·w", {"x": 2, "w": -3}, -6.0),
        ("x × w", {"x": 2, "w": -3}, -6.0),
        ("x − w", {"x": 2, "w": -3}, 5.0),
        ("w²", {"w": -3}, 9.0),
        ("w³ + x²", {"w": 2, "x": 3}, 17.0),
        ("(x − w)²", {"x": 2, "w": -3}, 25.0),
        ("2³·x", {"x": 1}, 8.0),
        ("σ(x)", {"x": 0}, 0.5),
        ("ln(x)", {"x": math.e}, 1.0),
        ("ReLU(x) + relu(w)", {"x": 2, "w": -3}, 2.0),
        ("LReLU(w)", {"w": -3}, -0.03),
        ("w ^ 2", {"w": -3}, 9.0),
        ("(a³₁ − t₁)²", {"a³₁": 0.5, "t₁": 1.0}, 0.25),
        ("w²₁₁·x₁ + b²₁", {"w2_11": 2, "x1": 3, "b²₁": 1}, 7.0),
    ],
)
def test_the_lessons_notation_is_read(text, values, expected):
    parsed = parse_expression(text, values)
    assert parsed.root.data == pytest.approx(expected)


def test_caret_is_read_as_a_power_and_said_once(capsys):
    parsed = parse_expression("w ^ 2 + x ^ 3", {"w": 2, "x": 1})
    assert parsed.root.data == 5.0
    assert parsed.notes == ("read ^ as ** (a power), as in Python",)
    assert main(["step", "w^2", "--set", "w=3"]) == 0
    out = capsys.readouterr().out
    assert out.count("read ^ as **") == 1


def test_a_name_given_with_a_superscript_is_a_name_not_a_power():
    assert parse_expression("W² + 1", {"W²": 5.0}).root.data == 6.0
    assert parse_expression("W² + 1", {"W": 5.0}).root.data == 26.0


def test_both_spellings_of_a_name_are_one_name():
    with pytest.raises(ExpressionError, match="are the same name"):
        parse_expression("x₁", {"x₁": 1.0, "x1": 2.0})
    parsed = parse_expression("x1 + x₁", {"x₁": 1.5})
    assert parsed.root.data == 3.0 and parsed.variables["x₁"].grad == 0.0
    parsed.root.backward()
    assert parsed.variables["x₁"].grad == 2.0  # one leaf, used twice
    assert identifier("w²₁₂,₃") == "w2_12_3" == identifier(plain_text("w²₁₂,₃"))


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("sigmod(x)", "sigmoid"),
        ("Sigmoid(x)", None),
        ("tahn(x)", "tanh"),
        ("x + xx", "x"),
    ],
)
def test_misspellings_get_did_you_mean(text, suggestion):
    if suggestion is None:  # a function's name in another case is that function
        assert parse_expression(text, {"x": 0.0}).root.data == 0.5
        return
    with pytest.raises(ExpressionError, match=f"did you mean '{suggestion}'"):
        parse_expression(text, {"x": 1.0})


def test_function_spellings_come_from_the_op_table():
    assert [function_name(s) for s in ("σ", "ln", "ReLU", "LReLU", "exp")] == [
        "sigmoid",
        "log",
        "relu",
        "leaky_relu",
        "exp",
    ]
    assert translate("σ(z) · ln(x)").text == "sigmoid(z) * log(x)"
    assert function_name("softmax") is None


def test_every_name_printed_for_a_network_reads_back_as_its_value():
    # "a name printed anywhere can be pasted back into chainrule step": every
    # node's name, with the leaves given by their names, computes that node
    model = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid")
    loss = (model([1.0, 0.5]) - 1.0) ** 2
    names = node_names(loss)
    order = topological_order(loss)
    values = {names[n]: n.data for n in order if not n.parents}
    for node in order:
        name = names[node]
        if name == "E":
            continue
        defined = {k: v for k, v in values.items() if k != name}
        if not node.parents:
            continue
        # an op node's name is its expression, or a name the model gave it:
        # then its expression, written by the stepper, is read back instead
        step = next(s for s in backward_steps(loss, fresh=True) if s.node is node)
        parsed = parse_expression(step.expression, defined | _named(order, names))
        assert parsed.root.data == pytest.approx(node.data, rel=1e-12), name
    for shown in (plain_text(n) for n in values):  # and in plain text too
        assert parse_expression(shown, {shown: 1.0}).root.data == 1.0


def _named(order, names):
    """Every labelled op node (z²₁, a²₁) as a value: the next layer reads it."""
    return {names[n]: n.data for n in order if n.parents and n.label}


def test_step_with_wrt_takes_any_name_the_graph_prints(capsys):
    code = main(
        [
            *("step", "E = (x·w − t)²", "--set", "x=2", "--set", "w=0.5"),
            *("--set", "t=2", "--wrt", "x·w"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "paths from x·w to E" in out
    assert "dE/d(x·w) = sum over 1 path" in out
    code = main(["step", "x*w", "--set", "x=2", "--set", "w=3", "--wrt", "q"])
    err = capsys.readouterr().err
    assert code == 2 and "--wrt q" in err and "x, w, E" in err


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_step_with_wrt_draws_and_pages_only_that_values_paths(capsys, tmp_path):
    svg, html = tmp_path / "paths.svg", tmp_path / "paths.html"
    argv = ["step", "E = (x·w − t)²", "--set", "x=2", "--set", "w=0.5"]
    argv += ["--set", "t=2", "--wrt", "w", "--svg", str(svg), "--html", str(html)]
    assert main(argv) == 0, capsys.readouterr().err
    picture = svg.read_text(encoding="utf-8")
    assert "∂E/∂w = x · 2(x·w − t)" in picture  # the product, under the paths
    page = html.read_text(encoding="utf-8")
    assert "chain rule: step 1 of 3" in page and "∂E/∂w = -4" in page
