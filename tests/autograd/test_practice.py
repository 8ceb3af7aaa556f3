"""Practice: answers read safely, questions from the stepper, mistakes named by
their numbers, exercises from a seed, and check_grads on a hand-done pass."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    Constant,
    Value,
    backward_steps,
    check_grads,
    exercise,
    op_for,
    topological_order,
    wsum,
)
from autograd.practice import (
    KINDS,
    LEVELS,
    AnswerError,
    close_enough,
    questions_of,
    read_answer,
    tolerance,
)

# --- answers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("-0.5*2", -1.0),
        ("1/4", 0.25),
        ("0.5 * (1 - 0.5)", 0.25),
        ("2·(0.75 − 1)", -0.5),
        ("3 × -2", -6.0),
        ("2^3", 8.0),
        ("0.5²", 0.25),
        ("σ(0)·(1 − σ(0))", 0.25),
        ("exp(0) + ln(1) + tanh(0) + sqrt(4)", 3.0),
        ("  +7  ", 7.0),
        ("1e-3", 0.001),
    ],
)
def test_answers_may_be_numbers_or_arithmetic(text: str, number: float) -> None:
    assert read_answer(text) == pytest.approx(number)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("x * 2", "the name 'x'"),
        ("__import__('os')", "no function"),
        ("__import__('os').system('true')", "only numbers"),
        ("(1).real", "only numbers"),
        ("[1, 2]", "decimals with a point"),
        ("0,5", "decimals with a point"),
        ("10 ** 10 ** 10", "too large"),
        ("1/0", "cannot work out"),
        ("ln(-1)", "cannot work out"),
        ("2 +", "cannot read"),
        ("True", "not a number"),
        ("'3'", "not a number"),
        ("9" * 300, "under 200"),
    ],
)
def test_anything_else_is_refused_with_what_to_write(text: str, words: str) -> None:
    with pytest.raises(AnswerError, match=words):
        read_answer(text)


def test_answers_that_are_not_text_or_numbers_are_refused() -> None:
    with pytest.raises(AnswerError, match="not list"):
        read_answer([1.0])  # type: ignore[arg-type]
    with pytest.raises(AnswerError, match="finite"):
        read_answer(math.inf)


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
)
def test_a_number_written_out_reads_back_as_itself(x: float) -> None:
    assert read_answer(repr(x)) == x


@given(
    st.floats(min_value=1e-6, max_value=1e6, allow_nan=False),
    st.sampled_from([1.0, -1.0]),
)
def test_three_significant_digits_are_enough(size: float, sign: float) -> None:
    right = sign * size
    assert close_enough(float(f"{right:.3g}"), right)
    assert close_enough(float(f"{right:.6g}"), right)
    # one unit of the third digit off is the most allowed
    assert not close_enough(right + 2.5 * tolerance(right), right)


def test_two_significant_digits_are_not() -> None:
    assert close_enough(0.197, 0.19661193)
    assert close_enough(0.196, 0.19661193)
    assert not close_enough(0.2, 0.19661193)
    assert not close_enough(0.19, 0.19661193)
    assert close_enough(0.0, 0.0) and not close_enough(0.001, 0.0)


# --- questions from the stepper ---------------------------------------------------


def chain() -> tuple[Value, dict[str, Value]]:
    """Article 4's chain x → y = x·w1 → E = y·w2."""
    x, w1, w2 = Value(1.5, "x"), Value(2.0, "w1"), Value(-0.5, "w2")
    y = x * w1
    y.label = "y"
    E = y * w2
    E.label = "E"
    return E, {"x": x, "w1": w1, "w2": w2, "y": y}


def test_questions_follow_the_stepper_in_its_names_and_numbers() -> None:
    E, _ = chain()
    steps = list(backward_steps(E, fresh=True))
    questions = questions_of(steps)
    expected = []
    for step in steps:
        for line in step.lines:
            expected.append(("local", f"∂{step.name}/∂{line.parent_name}", line.local))
            expected.append(("share", line.rule, line.share))
    assert [(q.kind, q.prompt, q.answer) for q in questions] == expected
    assert [q.number for q in questions] == list(range(1, len(questions) + 1))
    for q in questions:  # every name in a question is one the stepper gave
        assert q.line is not None and q.line.parent_name in q.prompt
        assert q.step.name in q.prompt
        assert q.check(repr(q.answer)).right


def test_a_node_reached_along_two_paths_is_asked_for_its_total() -> None:
    x, w = Value(3.0, "x"), Value(-2.0, "w")
    y = x * w
    y.label = "y"
    E = y * x
    E.label = "E"
    questions = questions_of(list(backward_steps(E, fresh=True)))
    totals = [q for q in questions if q.kind == "total"]
    assert len(totals) == 1
    total = totals[0]
    assert total.answer == pytest.approx(2 * 3.0 * -2.0)  # d(x²w)/dx = 2xw
    assert total.node is x and total.prompt == "dE/dx"
    assert questions[-1] is total  # asked once its last share has come
    shares = [q.answer for q in questions if q.kind == "share" and q.line.parent is x]
    forgot = total.check(repr(shares[0]))
    assert not forgot.right and forgot.mistake.kind == "paths"
    assert forgot.mistake.title == KINDS["paths"]


def test_constants_and_typed_numbers_are_not_asked_about() -> None:
    x, w = Constant(2.0, "x"), Value(-3.0, "w")
    E = x * w * 4.0
    E.label = "E"
    questions = questions_of(list(backward_steps(E, fresh=True)))
    asked = {q.line.parent for q in questions if q.line is not None}
    assert x not in asked and w in asked
    assert all(p.label or p.parents for p in asked)


def test_batches_are_refused_with_what_to_do() -> None:
    x = Value(np.array([1.0, 2.0]), "x")
    E = (x * 2.0).sum()
    with pytest.raises(ValueError, match="single numbers"):
        exercise(E)


# --- each mistake, named -----------------------------------------------------------


def questions_of_graph(root: Value) -> list:
    return list(exercise(root).questions)


def find(questions: list, kind: str, prompt: str):
    return next(q for q in questions if q.kind == kind and q.prompt == prompt)


def test_forgetting_the_upstream_gradient_is_named() -> None:
    E, _ = chain()
    q = find(questions_of_graph(E), "share", "dE/dx += dE/dy × ∂y/∂x")
    check = q.check("2")  # ∂y/∂x = w1 = 2, but dE/dy = -0.5
    assert not check.right and check.mistake.kind == "upstream"
    assert "dE/dy = -0.5" in check.message
    assert q.check("-0.5 * 2").right


def test_sigma_for_its_slope_is_named() -> None:
    z = Value(1.0, "z")
    a = z.sigmoid()
    a.label = "a"
    E = a * Value(2.0, "v")
    E.label = "E"
    q = find(questions_of_graph(E), "local", "∂a/∂z")
    sigma = 1 / (1 + math.exp(-1))
    assert q.answer == pytest.approx(sigma * (1 - sigma))
    check = q.check(f"{sigma:.3f}")
    assert check.mistake.kind == "sigmoid"
    assert "a·(1 − a)" in check.mistake.text
    share = find(questions_of_graph(E), "share", "dE/dz += dE/da × ∂a/∂z")
    assert share.check(f"2 * {sigma}").mistake.kind == "sigmoid"


def test_relu_slope_where_the_input_is_negative_is_named() -> None:
    z = Value(-1.0, "z")
    h = z.relu()
    h.label = "h"
    E = h * Value(3.0, "v")
    E.label = "E"
    q = find(questions_of_graph(E), "local", "∂h/∂z")
    assert q.answer == 0.0
    assert q.check("1").mistake.kind == "relu"
    assert "z = -1 is negative" in q.check("1").mistake.text
    positive = Value(1.0, "z").relu()  # on: slope 1, and 1 is right
    positive.label = "h"
    on = find(questions_of_graph(positive), "local", "∂h/∂z")
    assert on.check("1").right and on.mistakes == ()


def squared_error() -> Value:
    y, t = Value(0.5, "y"), Value(2.0, "t")
    d = y - t
    d.label = "d"
    E = d**2
    E.label = "E"
    return E


def test_the_sign_of_a_subtraction_is_named() -> None:
    q = find(questions_of_graph(squared_error()), "local", "∂d/∂t")
    assert q.answer == -1.0
    assert q.check("1").mistake.kind == "sign"
    share = find(questions_of_graph(squared_error()), "share", "dE/dt += dE/dd × ∂d/∂t")
    assert share.answer == pytest.approx(3.0)  # 2·(0.5 − 2) × −1
    assert share.check("-3").mistake.kind == "sign"


def test_the_power_rule_is_named() -> None:
    q = find(questions_of_graph(squared_error()), "local", "∂E/∂d")
    assert q.answer == pytest.approx(-3.0)  # 2d at d = −1.5
    for wrong in ("-1.5", "2.25"):  # d, d²
        check = q.check(wrong)
        assert check.mistake.kind == "power"
        assert "2·d" in check.mistake.text


def test_an_unknown_mistake_gets_the_rule_alone() -> None:
    E, _ = chain()
    q = find(questions_of_graph(E), "local", "∂y/∂w1")
    check = q.check("42")
    assert not check.right and check.mistake is None
    assert "the rule: ∂y/∂w1 = x, where x = 1.5" in check.message
    assert "likely mistake" not in check.message


def test_no_mistake_is_listed_that_gives_the_right_number() -> None:
    one = Value(1.0, "x")  # x·w with x = w: the wrong factor is the right number
    w = Value(1.0, "w")
    E = one * w
    E.label = "E"
    for q in questions_of_graph(E):
        assert all(not close_enough(m.number, q.answer) for m in q.mistakes)


# --- exercises ---------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_the_same_seed_makes_the_same_exercise(level: str) -> None:
    first, again = exercise(level=level, seed=7), exercise(level=level, seed=7)
    assert first.key_lines() == again.key_lines()
    assert first.forward_lines() == again.forward_lines()
    others = {tuple(exercise(level=level, seed=s).key_lines()) for s in range(6)}
    assert len(others) >= 4  # other seeds, other exercises


def evaluate(node: Value, nudged: dict[int, float]) -> float:
    """The forward value of ``node``, recomputed from the op table's rules."""
    if not node.parents:
        return nudged.get(id(node), float(node.data))
    inputs = [evaluate(p, nudged) for p in node.parents]
    return op_for(node.op).compute(*inputs)[0]  # the record keeps its parameters


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("seed", range(5))
def test_the_answers_are_the_gradients_by_central_differences(
    level: str, seed: int
) -> None:
    ex = exercise(level=level, seed=seed)
    gradients: dict[int, float] = {}
    for q in ex.questions:
        if q.kind == "share":
            key = id(q.line.parent)
            gradients[key] = gradients.get(key, 0.0) + q.answer
    leaves = [n for n in topological_order(ex.root) if not n.parents and n.label]
    for leaf in leaves:
        if not leaf.needs_grad:
            assert id(leaf) not in gradients
            continue
        h = 1e-6
        up = evaluate(ex.root, {id(leaf): leaf.data + h})
        down = evaluate(ex.root, {id(leaf): leaf.data - h})
        numeric = (up - down) / (2 * h)
        assert gradients[id(leaf)] == pytest.approx(numeric, abs=1e-6), leaf.label


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(LEVELS), st.integers(min_value=0, max_value=10_000))
def test_every_answer_passes_and_every_mistake_is_named(level: str, seed: int) -> None:
    ex = exercise(level=level, seed=seed)
    assert ex.questions
    for line, q in zip(ex.key_lines(), ex.questions):
        assert q.check(line.rsplit("=", 1)[1]).right
        for mistake in q.mistakes:
            check = q.check(repr(mistake.number))
            assert not check.right
            assert check.mistake is not None
            assert close_enough(mistake.number, check.mistake.number)


def test_the_levels_between_them_invite_every_mistake() -> None:
    kinds = set()
    for level in LEVELS:
        for seed in range(10):
            for q in exercise(level=level, seed=seed).questions:
                kinds |= {m.kind for m in q.mistakes}
    assert kinds >= {"upstream", "paths", "sigmoid", "relu", "sign", "power"}


def test_an_exercise_leaves_the_grads_at_zero() -> None:
    ex = exercise(level="network", seed=3)
    assert all(n.grad == 0.0 for n in topological_order(ex.root))
    E, nodes = chain()
    nodes["w1"].grad = 5.0  # a teacher's graph keeps what it held
    exercise(E)
    assert nodes["w1"].grad == 5.0 and E.grad == 0.0


def test_the_network_level_speaks_the_articles_notation() -> None:
    ex = exercise(level="network", seed=0)
    text = "\n".join(ex.forward_lines())
    for name in ("x₁", "w²₁₁", "b²₁", "z²₁", "a²₁", "w³₁₂", "a³₁", "t₁", "E"):
        assert name in text
    assert len(ex.questions) == 32
    assert ex.graph_lines()[0].startswith("E = ")


def test_marking_a_set_of_answers() -> None:
    ex = exercise(level="chain", seed=0)
    answers = [q.answer for q in ex.questions]
    assert str(ex.mark(answers)) == f"{len(answers)}/{len(answers)} right"
    answers[0] = "nonsense"
    answers[1] = answers[1] + 1
    assert ex.mark(answers).right == len(answers) - 2


def test_bad_levels_and_seeds_are_refused() -> None:
    with pytest.raises(ValueError, match="chain, neuron, network"):
        exercise(level="layer")
    with pytest.raises(ValueError, match="0 or more"):
        exercise(seed=-1)
    with pytest.raises(TypeError, match="whole number"):
        exercise(seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a Value"):
        exercise(3.0)  # type: ignore[arg-type]


# --- check_grads -------------------------------------------------------------------


def lecture() -> dict[str, Value]:
    """micrograd's lecture: L = d·f, d = e + c, e = a·b."""
    a, b, c, f = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "L": L}


RIGHT = {"L": 1.0, "d": -2.0, "f": 4.0, "c": -2.0, "e": -2.0, "a": 6.0, "b": -4.0}


def by_name(report) -> dict:
    return {check.name: check for check in report.checks}


def test_a_right_hand_done_pass_passes() -> None:
    nodes = lecture()
    for name, grad in RIGHT.items():
        nodes[name].grad = grad
    report = check_grads(nodes["L"])
    assert report and report.passed and report.wrong == ()
    assert {c.name: c.right for c in report.checks} == RIGHT
    assert "✗" not in str(report)


def test_the_lecture_example_names_each_wrong_grad_and_its_mistake() -> None:
    nodes = lecture()
    for name, grad in RIGHT.items():
        nodes[name].grad = grad
    nodes["a"].grad = -3.0  # ∂e/∂a = b alone: the upstream dL/de forgotten
    nodes["b"].grad = 6.0  # dL/de × b instead of × a: the wrong factor
    nodes["f"].grad = -2.0  # f instead of d: the wrong factor
    nodes["c"].grad = 0.0  # c left at 0: not done
    report = check_grads(nodes["L"])
    checks = by_name(report)
    assert checks["a"].status == "wrong" and checks["a"].mistake.kind == "upstream"
    assert checks["b"].mistake.kind == "swap"
    assert checks["f"].mistake.kind == "swap"
    assert checks["c"].status == "not done" and checks["c"].given == 0.0
    assert not report
    text = str(report)
    assert "✗ a: dL/da = dL/de × ∂e/∂a = -2 × -3 = 6" in text
    assert KINDS["upstream"] in text
    assert "not done" in text


def test_a_wrong_gradient_above_is_blamed_not_the_step_below() -> None:
    nodes = lecture()
    for name, grad in RIGHT.items():
        nodes[name].grad = grad
    nodes["e"].grad = 2.0  # the sign lost at e ...
    nodes["a"].grad = 2.0 * -3.0  # ... and a, b done right from it
    nodes["b"].grad = 2.0 * 2.0
    checks = by_name(check_grads(nodes["L"]))
    assert checks["e"].status == "wrong"
    assert checks["a"].mistake.kind == "carried"
    assert "dL/de = 2 as set" in checks["a"].mistake.text
    assert checks["b"].mistake.kind == "carried"


def test_check_grads_never_changes_a_grad() -> None:
    nodes = lecture()
    nodes["L"].grad = 1.0
    nodes["a"].grad = 7.0
    before = {name: node.grad for name, node in nodes.items()}
    check_grads(nodes["L"])
    assert {name: node.grad for name, node in nodes.items()} == before
    for name, node in nodes.items():
        assert node.grad is before[name]  # the very same objects


def test_a_neuron_by_hand() -> None:
    """The lecture's neuron: o = tanh(x1·w1 + x2·w2 + b)."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = wsum([w1, w2], [x1, x2], b)
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.grad = 1.0
    n.grad = o.data  # tanh(n) for its slope 1 − o²
    b.grad = 0.5
    w1.grad = 0.5 * -3.0  # the weight, not the input it multiplies (x1 = 2)
    x1.grad = -1.5
    report = check_grads(o)
    checks = by_name(report)
    assert checks["n"].mistake.kind == "tanh"
    assert checks["n"].right == pytest.approx(0.5)
    assert checks["b"].status == "right"
    assert checks["w1"].mistake.kind == "swap"
    assert checks["x1"].status == "right"
    assert checks["x2"].status == "not done"  # left at 0; dL/dx2 = w2 × 0.5
    assert checks["w2"].status == "right"  # 0 is right: x2 = 0
    html = report._repr_html_()
    assert html.startswith('<table class="chainrule-check-grads">')
    assert "color:#d62728" in html and "likely mistake" in html


def test_the_root_must_start_at_one() -> None:
    nodes = lecture()
    checks = by_name(check_grads(nodes["L"]))
    assert checks["L"].status == "not done"
    nodes["L"].grad = 2.0
    checks = by_name(check_grads(nodes["L"]))
    assert checks["L"].status == "wrong"
    assert "starts with 1 at L" in checks["L"].rule


def test_an_exercise_can_be_done_by_hand_and_checked() -> None:
    ex = exercise(level="neuron", seed=2)
    for step in ex.steps:
        step.node.grad = step.grad  # the right gradients, set by hand
    assert not check_grads(ex.root).passed  # the leaves are not done yet
    for leaf in ex.steps[-1].leaves:
        leaf.node.grad = leaf.grad
    report = check_grads(ex.root)
    assert report.passed
    assert {c.name for c in report.checks} == {
        name for node, name in ex.names.items() if node.needs_grad
    }


# --- the op table holds each op's usual mistakes ----------------------------------


def test_the_op_table_holds_each_ops_mistakes() -> None:
    from autograd import OPS

    assert OPS["sigmoid"].mistakes(0, (1.0,), 0.73, {}) == (("sigmoid", 0.73),)
    assert OPS["relu"].mistakes(0, (-2.0,), 0.0, {}) == (("relu", 1.0),)
    assert OPS["relu"].mistakes(0, (2.0,), 2.0, {}) == ()
    assert OPS["sub"].mistakes(1, (3.0, 1.0), 2.0, {}) == (("sign", 1.0),)
    assert OPS["sub"].mistakes(0, (3.0, 1.0), 2.0, {}) == ()
    square = OPS["pow"].bind(n=2.0)
    assert square.mistakes(0, (-1.5,), 2.25, square.params) == (
        ("power", -1.5),
        ("power", 2.25),
    )
    with_bias = OPS["wsum"].mistakes
    assert with_bias(0, (0.5, 2.0, 1.0), 2.0, {}) == (("swap", 0.5),)
    assert with_bias(2, (0.5, 2.0, 1.0), 2.0, {}) == ()  # ∂/∂b = 1: no factor


@given(
    st.sampled_from(["sigmoid", "tanh", "relu", "sub", "neg", "mul", "pow"]),
    st.floats(min_value=-3, max_value=3).filter(lambda v: abs(v) > 0.05),
    st.floats(min_value=-3, max_value=3).filter(lambda v: abs(v) > 0.05),
)
def test_every_mistake_of_the_table_has_words_and_a_number(
    name: str, a: float, b: float
) -> None:
    from autograd import OPS

    op = OPS[name].bind(n=2.0) if name == "pow" else OPS[name]
    arity = op.arity or 1
    inputs = (a, b)[:arity]
    out, _ = op.compute(*inputs)
    for position in range(arity):
        for kind, number in op.mistakes(position, inputs, out, op.params):
            assert kind in KINDS and math.isfinite(number)
