"""The worksheet page: its text, and the page in headless Chromium: right
answers accepted, a wrong one rejected with its diagnosis, the score, the
question's node highlighted, the printed worksheet's blanks and the key."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from autograd import exercise
from autograd.practice import KINDS, read_answer
from viz import save_worksheet, worksheet_html
from viz.worksheet import key_text

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
PROJECTOR = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> Path:
    """A problem set: a chain with a sigmoid, and a 2-2-1 network."""
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    made = [exercise(level="chain", seed=2), exercise(level="network", seed=3)]
    return save_worksheet(made, tmp_path_factory.mktemp("sheet") / "sheet.html")


def data_of(text: str) -> dict[str, Any]:
    found = re.search(
        r'<script id="worksheet-data" type="application/json">(.*?)</script>',
        text,
        re.S,
    )
    assert found
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_the_page_holds_the_numbers_to_check_against(sheet):
    text = sheet.read_text(encoding="utf-8")
    data = data_of(text)
    made = [exercise(level="chain", seed=2), exercise(level="network", seed=3)]
    assert data["tries"] == 2
    for ex, item in zip(made, data["exercises"]):
        assert [q["answer"] for q in item["questions"]] == [
            q.answer for q in ex.questions
        ]
        assert [q["prompt"] for q in item["questions"]] == [
            q.prompt for q in ex.questions
        ]
        for fields, q in zip(item["questions"], ex.questions):
            assert [m["number"] for m in fields["mistakes"]] == [
                m.number for m in q.mistakes
            ]
            assert fields["tolerance"] == q.tolerance
            assert fields["focus"][0].startswith("v")
    questions = sum(len(ex.questions) for ex in made)
    assert text.count('<input id="q') == questions
    assert text.count('class="key-answer"') == questions


def test_the_pictures_leave_the_gradients_blank(sheet):
    text = sheet.read_text(encoding="utf-8")
    svgs = re.findall(r"<svg.*?</svg>", text, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert re.findall(r">grad ([^<]*)<", svg) and set(
            re.findall(r">grad ([^<]*)<", svg)
        ) == {"?"}
        locals_ = re.findall(r">∂[^<]*= ([^<]*)<", svg)
        assert locals_ and set(locals_) == {"?"}
        assert ">data " in svg  # the forward values are given


def test_the_page_needs_nothing_from_outside(sheet):
    text = sheet.read_text(encoding="utf-8")
    for outside in ["http://", "https://", "<link", " src=", "@import", "url("]:
        assert outside not in text
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids))


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="exercises"):
        worksheet_html([])
    with pytest.raises(TypeError, match="exercises"):
        worksheet_html(["not an exercise"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="tries"):
        worksheet_html(exercise(), tries=0)
    with pytest.raises(ValueError, match="rankdir"):
        worksheet_html(exercise(), rankdir="up")


# --- in the browser ---------------------------------------------------------------


def open_page(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport=PROJECTOR)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, errors, requests


def answer(page: Any, exercise_number: int, number: int, text: str) -> Any:
    item = page.locator(f"#q{exercise_number}-{number}")
    box = item.locator("input.answer")
    box.fill(text)
    box.press("Enter")
    return item


def test_right_answers_are_accepted_and_counted(chromium, sheet):
    page, errors, requests = open_page(chromium, sheet)
    made = [exercise(level="chain", seed=2), exercise(level="network", seed=3)]
    total = sum(len(ex.questions) for ex in made)
    assert page.locator("#score").inner_text() == f"0/{total} right first time"
    for q in made[0].questions:
        text = f"{q.answer:.3g}" if q.number % 2 else repr(q.answer)  # 3 digits do
        item = answer(page, 1, q.number, text)
        assert "right" in item.get_attribute("class")
        assert item.locator(".said").inner_text().startswith("right: ")
    n = len(made[0].questions)
    assert page.locator("#score").inner_text() == f"{n}/{total} right first time"
    # after the last question of one exercise, the next exercise's first is asked
    assert page.evaluate("document.activeElement.id") == "q2-1-answer"
    assert errors == []
    assert all(url.startswith("file://") for url in requests)


def test_a_wrong_answer_is_rejected_with_its_diagnosis(chromium, sheet):
    page, errors, _ = open_page(chromium, sheet)
    ex = exercise(level="network", seed=3)
    q = next(q for q in ex.questions if any(m.kind == "sigmoid" for m in q.mistakes))
    mistake = next(m for m in q.mistakes if m.kind == "sigmoid")
    item = answer(page, 2, q.number, repr(mistake.number))
    said = item.locator(".said").inner_text()
    assert "is not right" in said
    assert f"likely mistake: {KINDS['sigmoid']}" in said
    assert f"the rule: {q.hint}" in said
    assert item.locator("button.show").is_hidden()  # one try left
    answer(page, 2, q.number, "12345")
    said = item.locator(".said").inner_text()
    assert "likely mistake" not in said and "the rule:" in said
    assert item.locator("button.show").is_visible()  # the tries are used up
    item.locator("button.show").click()
    assert item.locator(".said").inner_text() == f"the answer: {q.worked}"
    total = len(ex.questions) + len(exercise(level="chain", seed=2).questions)
    assert page.locator("#score").inner_text() == f"0/{total} right first time"
    # right on the second try: done, but not right first time
    other = ex.questions[0]
    answer(page, 2, other.number, "99")
    answer(page, 2, other.number, repr(other.answer))
    assert page.locator("#score").inner_text() == f"0/{total} right first time"
    unreadable = answer(page, 2, ex.questions[1].number, "abc")
    said = unreadable.locator(".said").inner_text()
    assert said == "cannot read 'abc': " + (
        "the name 'abc' has no value here; write the number it stands for."
    )
    with pytest.raises(ValueError, match=re.escape(said)):  # as Python says it
        read_answer("abc")
    assert errors == []


def test_the_question_being_answered_is_highlighted_in_the_graph(chromium, sheet):
    page, _, _ = open_page(chromium, sheet)
    data = data_of(sheet.read_text(encoding="utf-8"))
    for k in (1, 5, 12):
        focus = data["exercises"][1]["questions"][k - 1]["focus"]
        page.locator(f"#q2-{k}-answer").focus()
        current = page.evaluate(
            """() => Array.from(document.querySelectorAll('#exercise-2 g.current'))
                  .map((g) => g.querySelector('title').textContent)"""
        )
        assert sorted(current) == sorted(focus)
        inside = page.evaluate(
            """(title) => {
                 const area = document.querySelector('#exercise-2 .picture')
                   .getBoundingClientRect();
                 const node = Array.from(
                     document.querySelectorAll('#exercise-2 g.node'))
                   .find((g) => g.querySelector('title').textContent === title)
                   .getBoundingClientRect();
                 return node.left >= area.left - 1 && node.right <= area.right + 1;
               }""",
            focus[0],
        )
        assert inside  # the picture scrolled to the node
    smallest = page.evaluate(
        """() => Math.min(...Array.from(
             document.querySelectorAll('#exercise-2 svg text'))
             .map((t) => t.getBoundingClientRect().height).filter((h) => h > 0))"""
    )
    assert smallest >= 12  # the graph at its own size: readable on a projector


ANSWERS = [
    "-0.5*2",
    "1/4",
    "0.5 * (1 - 0.5)",
    "2·(0.75 − 1)",
    "3 × -2",
    "2^3",
    "2**3**2",
    "-2**2",
    "0.5²",
    "σ(0)·(1 − σ(0))",
    "exp(0) + ln(1) + tanh(0.5) + sqrt(4)",
    "1e-3",
    ".5",
    "2.",
    "sigmoid(1) * (1 - sigmoid(1))",
]


def test_the_page_reads_answers_as_python_does(chromium, sheet):
    page, _, _ = open_page(chromium, sheet)
    for text in ANSWERS:
        read = page.evaluate("(t) => window.chainrule.read(t)", text)
        assert read == pytest.approx(read_answer(text)), text
    for text in ["x * 2", "alert(1)", "1,5", "", "2 +", "(1", "1/0", "[1]"]:
        assert page.evaluate("(t) => window.chainrule.read(t)", text) is None, text


def test_printed_it_is_a_worksheet_with_blanks_and_the_key_has_the_numbers(
    chromium, sheet
):
    page, errors, _ = open_page(chromium, sheet)
    ex = exercise(level="chain", seed=2)
    page.emulate_media(media="print")
    first = page.locator("#q1-1")
    assert first.locator("input.answer").is_visible()
    assert first.locator("input.answer").input_value() == ""
    assert first.locator(".key-answer").is_hidden()
    assert page.locator("button:visible").count() == 0
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector('#q1-1 input'));
                   return [s.borderTopWidth, s.borderBottomWidth]; }"""
    )
    assert style == ["0px", "1px"]  # a line to write on
    page.emulate_media(media="screen")
    page.click("#key")
    page.emulate_media(media="print")
    for q in ex.questions:
        item = page.locator(f"#q1-{q.number}")
        assert item.locator(".key-answer").is_visible()
        assert item.locator(".key-answer").inner_text() == key_text(q)
        assert f"{q.answer:.4g}" in key_text(q)  # the number, filled in
        assert item.locator("input.answer").is_hidden()
    assert f"{ex.questions[0].answer:.4g}" in page.locator("#q1-1").inner_text()
    page.pdf(path=str(sheet.with_suffix(".pdf")))
    assert sheet.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert errors == []
