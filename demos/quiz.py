r"""``chainrule quiz``: the student does each step of the backward pass.

An exercise (:func:`autograd.exercise`) shows its forward values and its
graph in text, then asks, in backward order, for each local derivative, each
share and each total, in the graph's own names. A wrong answer gets the rule
that applies and the likely mistake, then another try (``tries`` in all)
before the answer is shown. It ends with the score; the exit code is 0 when
every answer was finally right, 1 otherwise.

Answers come from standard input, one a line. From a terminal they are
asked one at a time; from a file (``chainrule quiz --seed 12 < answers.txt``)
each line is read in turn and shown after its question, blank lines and
``#`` comments are skipped, and a line may hold the question too: only what
follows its last ``=`` is the answer. :func:`answer_key` writes such a file.

>>> import io
>>> key = answer_key("chain", seed=0)
>>> print(key.splitlines()[2])
∂E/∂y = -1.5
>>> out = io.StringIO()
>>> quiz("chain", seed=0, answers=io.StringIO(key), out=out)
0
>>> out.getvalue().splitlines()[-1]
'score: 8/8 right first time'
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import TextIO

from autograd import Exercise, Question, exercise
from autograd.practice import AnswerError
from demos.lesson import DemoError
from demos.terminal import visible

__all__ = ["answer_key", "exercises", "quiz", "quiz_command", "read_line"]

INTRO = (
    "Work back from {root}, one question at a time (d{root}/d{root} = 1).\n"
    "Answer with a number or arithmetic (-0.5*2, 1/4, 0.5*(1 - 0.5));\n"
    "3 significant digits are enough, {tries}."
)


def exercises(level: str, seed: int, count: int = 1) -> list[Exercise]:
    r"""``count`` exercises of one level, from seeds ``seed``, ``seed + 1``, ...

    So exercise k of a problem set made with ``--seed N`` is the one
    ``--seed N+k-1`` makes alone.
    """
    return [exercise(level=level, seed=seed + k) for k in range(count)]


def answer_key(level: str, seed: int, count: int = 1) -> str:
    r"""The worked solution: every question and its answer, one a line, in order,
    then the backward pass as the stepper tells it.

    Fed back to :func:`quiz` (or ``chainrule quiz``) it scores full marks.
    """
    made = exercises(level, seed, count)
    lines = [f"# answer key: chainrule quiz --level {level} --seed {seed}"]
    if count > 1:
        lines[0] += f" --count {count}"
    for ex in made:
        lines.append(f"# {ex.title}")
        lines += ex.key_lines()
    for ex in made:
        lines += ["", f"# the backward pass of {ex.title}"]
        lines += ex.narration()
    return "\n".join(lines) + "\n"


def read_line(line: str) -> str:
    r"""The answer a line of an answer file holds: after its last ``=``, before ``#``.

    >>> read_line("dE/dx += dE/dy × ∂y/∂x = -0.5*2   # the chain rule")
    '-0.5*2'
    >>> read_line("0.25")
    '0.25'
    """
    text = line.split("#", 1)[0]
    return text.rsplit("=", 1)[-1].strip()


@dataclass
class _Answers:
    """Where answers come from: a terminal (asked) or a file (read, and shown)."""

    stream: TextIO
    out: TextIO
    interactive: bool
    ended: bool = False

    def next(self, prompt: str) -> str | None:
        """The next answer, or ``None`` when there are no more."""
        self.out.write(prompt)
        self.out.flush()
        while not self.ended:
            line = self.stream.readline()
            if not line:
                self.ended = True
                break
            answer = read_line(line)
            if answer:
                if not self.interactive:
                    self.out.write(f"{visible(answer)}\n")  # inert, as typed
                return answer
            if self.interactive:
                self.out.write(prompt)
                self.out.flush()
        self.out.write("(no answer)\n")
        return None


@dataclass
class _Score:
    asked: int = 0
    first_time: int = 0
    in_the_end: int = 0
    unanswered: list[int] = field(default_factory=list)


def quiz(
    level: str,
    seed: int,
    *,
    tries: int = 2,
    count: int = 1,
    answers: TextIO,
    out: TextIO,
    interactive: bool = False,
) -> int:
    r"""Ask the questions of ``count`` exercises; return the exit code.

    0 when every answer was right in the end, 1 otherwise.

    ``answers`` gives one answer a line; ``interactive`` says it is a
    terminal (nothing is echoed, a blank line asks again, an answer that
    cannot be read costs no try).
    """
    if tries < 1:
        msg = f"tries must be 1 or more, not {tries}."
        raise ValueError(msg)
    source = _Answers(answers, out, interactive)
    score = _Score()
    made = exercises(level, seed, count)
    for k, ex in enumerate(made, start=1):
        if count > 1:
            out.write(f"exercise {k} of {count}\n")
        _ask_exercise(ex, tries, source, score, out)
    out.write(_score_line(score) + "\n")
    return 0 if score.in_the_end == score.asked else 1


def _ask_exercise(
    ex: Exercise, tries: int, source: _Answers, score: _Score, out: TextIO
) -> None:
    plural = "tries" if tries > 1 else "try"
    statement = [ex.title, "", "forward pass", *_indented(ex.forward_lines())]
    statement += ["", "the graph", *_indented(ex.graph_lines()), ""]
    out.write("\n".join(statement) + "\n")
    out.write(INTRO.format(root=ex.root_name, tries=f"{tries} {plural} each") + "\n")
    at = None
    width = len(str(len(ex.questions)))
    for question in ex.questions:
        if question.step is not at:
            at = question.step
            out.write(f"\nat {_where(question)}\n")
        score.asked += 1
        first, last = _ask(question, tries, source, out, width, len(ex.questions))
        score.first_time += first
        score.in_the_end += last
        if source.ended and not last:
            score.unanswered.append(score.asked)
    out.write("\n")


def _indented(lines: list[str]) -> list[str]:
    return [f"  {line}" for line in lines]


def _where(question: Question) -> str:
    step = question.step
    value = f"{step.node.data:.4g}"
    if step.is_leaf or step.expression == step.name:
        return f"{step.name} = {value}"
    return f"{step.name} = {step.expression} = {value}"


def _ask(
    question: Question,
    tries: int,
    source: _Answers,
    out: TextIO,
    width: int,
    total: int,
) -> tuple[bool, bool]:
    """Ask one question up to ``tries`` times: (right first time, right in the end)."""
    prompt = f"{question.number:>{width}}/{total}  {question} "
    pad = " " * (width + len(str(total)) + 3)
    used = 0
    while used < tries:
        answer = source.next(prompt if used == 0 else f"{pad}try again: ")
        if answer is None:
            return False, False
        try:
            check = question.check(answer)
        except AnswerError as error:
            out.write(f"{pad}{visible(str(error))}\n")  # it may quote the answer
            if not source.interactive:
                used += 1
            continue
        used += 1
        if check.right:
            out.write(f"{pad}right\n")
            return used == 1, True
        for line in check.message.splitlines():
            out.write(f"{pad}{line}\n")
    out.write(f"{pad}the answer: {question.worked}\n")
    return False, False


def _score_line(score: _Score) -> str:
    line = f"score: {score.first_time}/{score.asked} right first time"
    if score.in_the_end != score.first_time:
        line += f", {score.in_the_end}/{score.asked} in the end"
    if score.unanswered:
        line += f"; {len(score.unanswered)} unanswered (the answers ran out)"
    return line


def quiz_command(args: argparse.Namespace) -> int:
    r"""``chainrule quiz``: write the worksheet, print the key, or ask."""
    if args.html is not None:
        from viz.worksheet import save_worksheet

        made = exercises(args.level, args.seed, args.count)
        try:
            path = save_worksheet(made, args.html, tries=args.tries)
        except OSError as error:
            msg = f"cannot write {str(args.html)!r}: {error.strerror or error}."
            raise DemoError(msg) from None
        shown = visible(str(path))  # a path the user named: shown, not obeyed
        print(f"wrote {shown} ({_count_text(made)}; open it in a browser)")
        if not args.answers:
            return 0
    if args.answers:
        sys.stdout.write(answer_key(args.level, args.seed, args.count))
        return 0
    stdin = sys.stdin
    if stdin is None:
        msg = "standard input is closed: there is nothing to read the answers from."
        raise DemoError(msg)
    interactive = stdin.isatty()
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:  # an answer file is UTF-8, whatever the terminal
        reconfigure(errors="replace", **({} if interactive else {"encoding": "utf-8"}))
    return quiz(
        args.level,
        args.seed,
        tries=args.tries,
        count=args.count,
        answers=stdin,
        out=sys.stdout,
        interactive=interactive,
    )


def _count_text(made: list[Exercise]) -> str:
    questions = sum(len(ex.questions) for ex in made)
    plural = "exercise" if len(made) == 1 else "exercises"
    return f"{len(made)} {plural}, {questions} questions"
