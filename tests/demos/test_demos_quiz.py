"""``chainrule quiz``: the answer key passes, each mistake is named, answers come
from a file when standard input is not a terminal, and the score and exit code."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import exercise
from autograd.practice import KINDS, LEVELS
from demos.cli import main
from demos.quiz import answer_key, quiz, read_line

CHAINRULE = str(Path(sys.executable).with_name("chainrule"))  # .venv/bin/chainrule


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("level", LEVELS)
def test_the_answer_key_fed_back_scores_full_marks(capsys, monkeypatch, level):
    code, key, _ = run(capsys, monkeypatch, "quiz", "--level", level, "--seed", "12")
    code, key, _ = run(
        capsys, monkeypatch, "quiz", "--level", level, "--seed", "12", "--answers"
    )
    assert code == 0
    questions = exercise(level=level, seed=12).questions
    answers = [line for line in key.splitlines() if line and not line.startswith("#")]
    # every question and its answer, one a line, in order; then the narration
    for question, line in zip(questions, answers):
        assert line.startswith(question.prompt + " = ")
    assert "step 1/" in key
    code, out, err = run(
        capsys, monkeypatch, "quiz", "--level", level, "--seed", "12", stdin=key
    )
    n = len(questions)
    assert code == 0, out + err
    assert out.splitlines()[-1] == f"score: {n}/{n} right first time"
    assert "not right" not in out


def test_the_same_seed_is_the_same_exercise_and_others_differ(capsys, monkeypatch):
    first = run(capsys, monkeypatch, "quiz", "--seed", "3", "--answers")[1]
    again = run(capsys, monkeypatch, "quiz", "--seed", "3", "--answers")[1]
    other = run(capsys, monkeypatch, "quiz", "--seed", "4", "--answers")[1]
    assert first == again and first != other


def mistaken(level: str, seed: int, kind: str) -> tuple[list[str], int, float]:
    """The key's answers, and a question where ``kind`` of mistake is known."""
    ex = exercise(level=level, seed=seed)
    answers = [f"{q.answer!r}" for q in ex.questions]
    for k, q in enumerate(ex.questions):
        for m in q.mistakes:
            if m.kind == kind:
                return answers, k, m.number
    raise LookupError(kind)


def seed_with(kind: str) -> tuple[str, int]:
    for level in LEVELS:
        for seed in range(30):
            try:
                mistaken(level, seed, kind)
            except LookupError:
                continue
            return level, seed
    raise LookupError(kind)


@pytest.mark.parametrize(
    "kind", ["upstream", "paths", "sigmoid", "relu", "sign", "power"]
)
def test_each_mistake_made_on_purpose_is_named(capsys, monkeypatch, kind):
    level, seed = seed_with(kind)
    answers, k, wrong = mistaken(level, seed, kind)
    fed = [*answers[:k], repr(wrong), answers[k], *answers[k + 1 :]]
    code, out, _ = run(
        capsys,
        monkeypatch,
        "quiz",
        "--level",
        level,
        "--seed",
        str(seed),
        stdin="\n".join(fed),
    )
    assert code == 0  # right on the second try
    assert f"likely mistake: {KINDS[kind]}" in out
    assert "the rule:" in out
    n = len(answers)
    assert out.splitlines()[-1] == (
        f"score: {n - 1}/{n} right first time, {n}/{n} in the end"
    )


def test_after_the_tries_the_answer_is_shown_and_the_exit_code_is_1(
    capsys, monkeypatch
):
    ex = exercise(level="chain", seed=0)
    answers = [repr(q.answer) for q in ex.questions]
    fed = ["42", "43", *answers[1:]]
    code, out, _ = run(capsys, monkeypatch, "quiz", stdin="\n".join(fed))
    assert code == 1
    assert f"the answer: {ex.questions[0].worked}" in out
    n = len(answers)
    assert out.splitlines()[-1] == f"score: {n - 1}/{n} right first time"
    code, out, _ = run(capsys, monkeypatch, "quiz", "--tries", "1", stdin="42\n")
    assert code == 1 and "try again" not in out


def test_answers_may_be_arithmetic_and_files_may_hold_comments(capsys, monkeypatch):
    ex = exercise(level="chain", seed=0)  # ∂E/∂y = w₂ = -1.5
    assert ex.questions[0].answer == -1.5
    lines = ["# my homework", "", "∂E/∂y = -3/2   # w₂", "-0.5 * 3"]
    code, out, _ = run(capsys, monkeypatch, "quiz", stdin="\n".join(lines))
    assert code == 1  # the rest ran out
    assert out.count("right\n") == 2
    assert "(no answer)" in out
    assert "unanswered (the answers ran out)" in out.splitlines()[-1]


def test_an_answer_that_cannot_be_read_says_what_to_write(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "quiz", "--tries", "1", stdin="abc\n")
    assert code == 1
    assert "cannot read 'abc'" in out


def test_a_problem_set_of_several_exercises(capsys, monkeypatch):
    code, key, _ = run(
        capsys, monkeypatch, "quiz", "--seed", "5", "--count", "3", "--answers"
    )
    n = sum(len(exercise(level="chain", seed=s).questions) for s in (5, 6, 7))
    code, out, _ = run(
        capsys, monkeypatch, "quiz", "--seed", "5", "--count", "3", stdin=key
    )
    assert code == 0
    assert "exercise 3 of 3" in out
    assert out.splitlines()[-1] == f"score: {n}/{n} right first time"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["quiz", "--level", "layer"], "invalid choice"),
        (["quiz", "--tries", "0"], "1 or more"),
        (["quiz", "--seed", "-1"], "not a seed"),
        (["quiz", "--count", "x"], "1 or more"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_code_2(capsys, monkeypatch, argv, words):
    code, _, err = run(capsys, monkeypatch, *argv)
    assert code == 2 and words in err


def test_the_help_names_every_option(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "quiz", "--help")
    assert code == 0
    for option in ("--level", "--seed", "--tries", "--count", "--answers", "--html"):
        assert option in out


def test_a_terminal_is_asked_one_answer_at_a_time():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = io.StringIO()
    typed = Terminal("\n  \nabc\n-1.5\n")  # blank lines ask again; unreadable: free
    code = quiz("chain", 0, tries=1, answers=typed, out=out, interactive=True)
    text = out.getvalue()
    assert code == 1  # the rest ran out
    assert "cannot read 'abc'" in text
    assert "∂E/∂y = ? -1.5" not in text  # a terminal shows what is typed itself
    assert text.count("right\n") == 1


def test_a_line_of_an_answer_file():
    assert read_line("dE/dx += dE/dy × ∂y/∂x = -0.5*2  # chain rule") == "-0.5*2"
    assert read_line("# only a comment") == ""
    assert read_line("  0.25 ") == "0.25"
    assert answer_key("chain", 0).splitlines()[0].startswith("# answer key")


def test_the_quiz_from_a_shell_with_a_file_on_standard_input(tmp_path):
    key = tmp_path / "answers.txt"
    key.write_text(answer_key("neuron", 2), encoding="utf-8")
    with key.open("rb") as given:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "demos.cli",
                "quiz",
                "--level",
                "neuron",
                "--seed",
                "2",
            ],
            stdin=given,
            capture_output=True,
            check=False,
            env={"PYTHONIOENCODING": "ascii", "PATH": "/usr/bin:/bin"},
        )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("ascii")  # a terminal without ∂ gets ASCII
    assert "right first time" in out and "dE/dz" in out


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_html_writes_the_worksheet_of_a_problem_set(capsys, monkeypatch, tmp_path):
    path = tmp_path / "sheets" / "sheet.html"
    code, out, _ = run(
        capsys,
        monkeypatch,
        "quiz",
        "--level",
        "neuron",
        "--seed",
        "4",
        "--count",
        "3",
        "--html",
        str(path),
    )
    assert code == 0
    n = sum(len(exercise(level="neuron", seed=s).questions) for s in (4, 5, 6))
    assert out == f"wrote {path} (3 exercises, {n} questions; open it in a browser)\n"
    text = path.read_text(encoding="utf-8")
    assert text.count('<section class="exercise"') == 3
    assert "level neuron, seed 6" in text
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    code, _, err = run(
        capsys, monkeypatch, "quiz", "--html", str(tmp_path / "a-file" / "sheet.html")
    )
    assert code == 2 and err.startswith("chainrule quiz: error: cannot write")
