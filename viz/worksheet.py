r"""A worksheet page: exercises a student answers in the browser, checked in the page.

:func:`save_worksheet` writes one self-contained HTML file in the step page's
look: for each exercise (:func:`autograd.exercise`) its graph, with the
forward values and blanks for the gradients, its forward pass, and one
input box per question, in backward order. The page checks each answer
itself, with no server: the expected numbers, each known mistake's wrong
number and the words to show come from the exercise, embedded as JSON, so
the script only reads the student's arithmetic and compares numbers. A
wrong answer gets the rule and the likely mistake, as in ``chainrule quiz``;
after the tries a "show answer" button appears. The score counts the
answers right first time. The question being answered is highlighted in the
graph (its node, and the edge it is about).

Printed, the page is a worksheet with blanks; the "answer key" button turns
it into the key, which prints with the answers filled in. Nothing is fetched
from anywhere: the file works offline. Making it needs Graphviz's ``dot``.

>>> from autograd import exercise
>>> data = worksheet_data(exercise(level="chain", seed=0))
>>> question = data[0]["questions"][0]
>>> question["prompt"], question["answer"], question["focus"]
('∂E/∂y', -1.5, ['v4', 'op4', 'v2->op4'])
>>> [(m["kind"], m["number"]) for m in question["mistakes"]]    # y for w₂
[('swap', -0.75)]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from autograd import Exercise, Question, Value, topological_order
from nn.files import write_file
from viz.dot import CURRENT, DEFAULT_MAX_NODES, draw_frame
from viz.html import document_head, inline_svg
from viz.render import render_svgs

__all__ = ["key_text", "save_worksheet", "worksheet_data", "worksheet_html"]


def _asset(name: str) -> str:
    return files("viz").joinpath(name).read_text(encoding="utf-8")


def _exercises(given: Exercise | Sequence[Exercise]) -> list[Exercise]:
    made = [given] if isinstance(given, Exercise) else list(given)
    if not made or not all(isinstance(ex, Exercise) for ex in made):
        msg = (
            "a worksheet needs one or more exercises, as made by "
            "autograd.exercise(level=..., seed=...)."
        )
        raise TypeError(msg)
    return made


def _focus(question: Question, position: dict[Value, int]) -> list[str]:
    r"""The titles of the picture's parts a question is about (Graphviz's ids).

    A local derivative or a share: the node, its op and the edge from the
    parent; a total: the node and every edge out of it.
    """
    node = question.node
    k = position[node]
    if question.line is not None:
        parent = position[question.line.parent]
        return [f"v{k}", f"op{k}", f"v{parent}->op{k}"]
    users = [position[n] for n in position if node in n.parents]
    return [f"v{k}", *(f"v{k}->op{j}" for j in users)]


def worksheet_data(exercises: Exercise | Sequence[Exercise]) -> list[dict[str, Any]]:
    r"""What the page's script checks against: each exercise's
    :meth:`~autograd.Exercise.to_data`, and for each question the parts of
    the picture to highlight."""
    data = []
    for ex in _exercises(exercises):
        position = {node: k for k, node in enumerate(topological_order(ex.root))}
        item = ex.to_data()
        for fields, question in zip(item["questions"], ex.questions):
            fields["focus"] = _focus(question, position)
        data.append(item)
    return data


def _picture(ex: Exercise, rankdir: str) -> Any:
    order = topological_order(ex.root)
    asked = {
        node for node in order if not node.parents and node.needs_grad and node.label
    }
    return draw_frame(
        ex.root,
        order,
        None,
        show_local_grads=True,
        rankdir=rankdir,
        max_nodes=DEFAULT_MAX_NODES,
        collapse=False,
        params=asked,
        legend=False,
        blank=True,
    )


def key_text(question: Question) -> str:
    r"""The worked answer as the key writes it after the question's ``=``.

    >>> from autograd import exercise
    >>> key_text(exercise(level="chain", seed=4).questions[-1])     # dE/dx
    '4.5 + 4.5 = 9'
    """
    worked = question.worked
    if worked.startswith(question.prompt):
        worked = worked[len(question.prompt) :].strip()
        worked = worked[1:].strip() if worked.startswith("=") else worked
    return worked


def _question_html(question: Question, exercise: int, tries: int) -> str:
    q = f"q{exercise}-{question.number}"
    prompt = escape(question.prompt)
    return (
        f'<li class="question" id="{q}" data-kind="{question.kind}">'
        f'<label for="{q}-answer"><span class="prompt">{prompt}</span> =</label> '
        f'<input id="{q}-answer" class="answer" type="text" inputmode="decimal" '
        f'autocomplete="off" spellcheck="false" aria-describedby="{q}-said">'
        f'<span class="blank" aria-hidden="true"></span>'
        f'<span class="key-answer">{escape(key_text(question))}</span> '
        '<button type="button" class="check">check</button> '
        '<button type="button" class="show" hidden>show answer</button>'
        f'<span class="mark" aria-hidden="true"></span>'
        f'<div class="said" id="{q}-said" aria-live="polite"></div>'
        "</li>"
    )


def _exercise_html(ex: Exercise, number: int, svg: str, tries: int) -> str:
    items = []
    at = None
    for question in ex.questions:
        if question.step is not at:
            at = question.step
            where = at.name
            if at.expression != at.name:
                where += f" = {at.expression}"
            items.append(f'<li class="at">at {escape(where)}</li>')
        items.append(_question_html(question, number, tries))
    forward = "\n".join(ex.forward_lines())
    return "\n".join(
        [
            f'<section class="exercise" id="exercise-{number}" '
            f'data-exercise="{number - 1}">',
            f"<h2>Exercise {number}: {escape(ex.title)}</h2>",
            f'<div class="picture">{inline_svg(svg, number)}</div>',
            '<div class="work">',
            f'<pre class="forward">forward pass\n{escape(forward)}</pre>',
            f'<ol class="questions">{"".join(items)}</ol>',
            "</div>",
            "</section>",
        ]
    )


def worksheet_html(
    exercises: Exercise | Sequence[Exercise],
    title: str | None = None,
    *,
    tries: int = 2,
    rankdir: str = "LR",
) -> str:
    r"""The text of the worksheet page (see :func:`save_worksheet`)."""
    made = _exercises(exercises)
    if isinstance(tries, bool) or not isinstance(tries, int) or tries < 1:
        msg = f"tries must be a whole number of 1 or more, not {tries!r}."
        raise ValueError(msg)
    if rankdir not in ("LR", "TB"):
        msg = f'rankdir must be "LR" or "TB", not {rankdir!r}.'
        raise ValueError(msg)
    if title is None:
        title = _default_title(made)
    svgs = render_svgs([_picture(ex, rankdir) for ex in made])
    sections = [
        _exercise_html(ex, k, svg, tries)
        for k, (ex, svg) in enumerate(zip(made, svgs), start=1)
    ]
    total = sum(len(ex.questions) for ex in made)
    data = json.dumps(
        {"tries": tries, "exercises": worksheet_data(made)}, ensure_ascii=False
    )
    # JSON inside <script>: no "</" may end the element early
    data = data.replace("</", "<\\/")
    style = (
        f"{_asset('steps_page.css')}\n{_asset('worksheet.css')}"
        f"\n:root {{ --current-fill: {CURRENT['fillcolor']}; "
        f"--current-line: {CURRENT['color']}; }}\n"
    )
    heading = escape(title)
    plural = "try" if tries == 1 else "tries"
    return "\n".join(
        [
            *document_head(heading, style),
            '<body class="worksheet">',
            "<header>",
            f"<h1>{heading}</h1>",
            "<nav>",
            f'<span id="score" aria-live="polite">0/{total} right first time</span>',
            '<button id="key" type="button" aria-pressed="false">answer key</button>',
            '<button id="print" type="button">print</button>',
            "</nav>",
            f'<p class="hint">Work back from the end of each graph. Answer with a '
            "number or arithmetic (-0.5*2, 1/4, 0.5*(1 - 0.5)); 3 significant "
            f"digits are enough. Enter checks an answer; {tries} {plural} each, "
            'then "show answer".</p>',
            "</header>",
            "<main>",
            *sections,
            "</main>",
            f'<script id="worksheet-data" type="application/json">{data}</script>',
            "<script>",
            _asset("worksheet.js"),
            "</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _default_title(made: list[Exercise]) -> str:
    if len(made) == 1:
        return "Backpropagation by hand: a worksheet"
    return f"Backpropagation by hand: {len(made)} exercises"


def save_worksheet(
    exercises: Exercise | Sequence[Exercise],
    path: str | Path,
    title: str | None = None,
    **options: Any,
) -> Path:
    r"""Write the worksheet of ``exercises`` (one, or a problem set) to ``path``.

    ``tries`` (default 2) is how many tries each question gets before "show
    answer"; ``rankdir`` lays the graphs out left to right (``"LR"``) or top
    to bottom (``"TB"``). Needs the ``dot`` program. Returns the path.
    """
    page = worksheet_html(exercises, title, **options)
    return write_file(path, page, make_folders=True)
