r"""Practice: the student does each chain-rule step, and chainrule checks it.

An *exercise* is a graph and the questions the stepper would narrate, asked
instead of told (:mod:`autograd.practice.questions`); a wrong answer is
named by comparing it with the wrong numbers the usual mistakes give
(:mod:`autograd.practice.mistakes`). The terminal's ``chainrule quiz``, the
worksheet page and :func:`check_grads` all ask and check through this model.

>>> from autograd import exercise
>>> ex = exercise(level="chain", seed=0)
>>> q = ex.questions[2]
>>> q.prompt, q.answer
('∂E/∂w₂', -0.75)
>>> q.check("-3/4").right
True

- :mod:`~autograd.practice.answers`: reading an answer safely, 3 significant digits;
- :mod:`~autograd.practice.mistakes`: the usual mistakes and their wrong numbers;
- :mod:`~autograd.practice.questions`: the questions of a backward pass;
- :mod:`~autograd.practice.exercises`: exercises at three levels, from a seed;
- :mod:`~autograd.practice.by_hand`: :func:`check_grads`, for a pass done by hand.
"""

from autograd.practice.answers import AnswerError, close_enough, read_answer, tolerance
from autograd.practice.by_hand import GradReport, NodeCheck, check_grads
from autograd.practice.exercises import LEVELS, Exercise, Marks, exercise
from autograd.practice.mistakes import KINDS, Mistake
from autograd.practice.questions import Check, Question, questions_of

__all__ = [
    "KINDS",
    "LEVELS",
    "AnswerError",
    "Check",
    "Exercise",
    "GradReport",
    "Marks",
    "Mistake",
    "NodeCheck",
    "Question",
    "check_grads",
    "close_enough",
    "exercise",
    "questions_of",
    "read_answer",
    "tolerance",
]
