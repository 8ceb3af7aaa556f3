"""The step-by-step page in class: a presenter's clicker moves it, and a
zoomed-in browser (150%, 200% on a 1024×768 screen) still shows the whole
text of the current step. Measured in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from autograd import Value
from viz import save_steps_html

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def neuron() -> tuple[Value, list[Value]]:
    from viz.examples import neuron as example

    return example()


def chain() -> tuple[Value, list[Value]]:
    x, w1, w2 = Value(1.5, "x"), Value(2.0, "w1"), Value(-0.5, "w2")
    y = x * w1
    y.label = "y"
    e = y * w2
    e.label = "E"
    return e, [w1, w2]


def mlp() -> tuple[Value, Any]:
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [2, 1], activation="sigmoid", seed=0)
    out = model([Value(1.0, "x1"), Value(0.5, "x2")])
    out = out[0] if isinstance(out, list) else out
    loss = (out - 1.0) ** 2
    loss.label = "E"
    return loss, model


PAGES = {"neuron": neuron, "chain": chain, "2-2-1 MLP": mlp}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    made = {}
    for name, build in PAGES.items():
        root, params = build()
        made[name] = save_steps_html(root, folder / f"{name}.html", params=params)
    return made


def open_page(chromium: Any, path: Path, zoom: float = 1.0) -> Any:
    """The page in a 1024×768 window, the browser zoomed to ``zoom``: the
    page then lays itself out in 1024/zoom × 768/zoom CSS pixels."""
    page = chromium.new_page(
        viewport={"width": round(1024 / zoom), "height": round(768 / zoom)},
        device_scale_factor=zoom,
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.errors = errors
    return page


def counter(page: Any) -> str:
    return page.locator("#counter").inner_text()


def frame_number(page: Any) -> int:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('section.frame'))"
        ".findIndex((f) => !f.hidden)"
    )


def test_a_presenters_clicker_moves_the_page(chromium, pages):
    page = open_page(chromium, pages["neuron"])
    try:
        moves = [
            ("PageDown", 1),
            ("PageDown", 2),
            ("PageUp", 1),
            (" ", 2),
            ("Shift+ ", 1),
            ("Backspace", 0),
            ("ArrowRight", 1),
            ("ArrowLeft", 0),
        ]
        for key, expected in moves:
            page.keyboard.press("Shift+Space" if key == "Shift+ " else key)
            assert frame_number(page) == expected, key
        # a focused button does not turn one press of Space into two steps
        page.focus("#next")
        page.keyboard.press("Space")
        assert frame_number(page) == 1
        page.focus("#prev")
        page.keyboard.press("Space")
        assert frame_number(page) == 2
        page.keyboard.press("End")
        last = frame_number(page)
        page.keyboard.press("PageDown")  # past the end: stays there
        assert frame_number(page) == last
        assert page.evaluate("() => window.scrollX") == 0
        assert page.errors == []
    finally:
        page.close()


VISIBLE = """() => {
  const frame = document.querySelector("section.frame:not([hidden])");
  const text = frame.querySelector("pre");
  const r = text.getBoundingClientRect();
  const nav = document.querySelector("nav").getBoundingClientRect();
  const picture = frame.querySelector(".picture").getBoundingClientRect();
  const count = document.querySelector("#counter").getBoundingClientRect();
  return {
    top: r.top, bottom: r.bottom, left: r.left, right: r.right,
    size: parseFloat(getComputedStyle(text).fontSize),
    clipped: text.scrollHeight - text.clientHeight, navBottom: nav.bottom,
    pictureBottom: picture.bottom, pictureHeight: picture.height,
    counterTop: count.top, counterBottom: count.bottom,
    height: window.innerHeight, width: document.documentElement.clientWidth,
    wide: document.documentElement.scrollWidth,
  };
}"""


#: The pages and zooms measured: the MLP's long steps at every zoom, the
#: others where the window is shortest (1024×768 itself is measured in
#: test_viz_html.py).
ZOOMS = {"neuron": (1.5, 2.0), "chain": (2.0,), "2-2-1 MLP": (1.0, 1.5, 2.0)}


def zoom_cases() -> list[Any]:
    return [
        pytest.param(name, zoom, id=f"{name}-{zoom:g}x")
        for name, zooms in ZOOMS.items()
        for zoom in zooms
    ]


@pytest.mark.parametrize(("name", "zoom"), zoom_cases())
def test_zoomed_in_the_steps_text_is_never_hidden(chromium, pages, name, zoom):
    page = open_page(chromium, pages[name], zoom)
    try:
        frames = page.locator("section.frame").count()
        for k in range(frames):
            if k:
                page.keyboard.press("PageDown")
            found = page.evaluate(VISIBLE)
            where = f"{name} at {zoom:g}×, frame {k + 1} of {frames}"
            assert found["clipped"] <= 1, where  # no scroll bar inside the text
            assert found["size"] >= 10, where  # smaller type to fit, but readable
            if zoom < 2.0:
                assert found["size"] == 16, where  # the page's own size of text
            assert found["top"] >= found["navBottom"] - 1, where  # under the buttons
            assert found["bottom"] <= found["height"] + 1, where  # in the window
            assert found["left"] >= 0 and found["right"] <= found["width"] + 1, where
            assert found["wide"] <= found["width"], where  # no sideways scroll
            assert found["pictureBottom"] <= found["top"] + 1, where  # graph above it
            assert found["pictureHeight"] >= 0.25 * found["height"], where
            assert found["counterTop"] >= 0, where  # which step it is, in view
            assert found["counterBottom"] <= found["height"], where
        assert page.errors == []
    finally:
        page.close()


def test_the_last_steps_table_of_gradients_is_laid_in_columns(pages):
    page = pages["2-2-1 MLP"].read_text(encoding="utf-8")
    last = page.rsplit('<pre class="rule">', 1)[1]
    assert 'gradients of the leaves\n<span class="leaves">' in last
    assert last.count("dE/d") > 10  # every leaf of the network, in the table
