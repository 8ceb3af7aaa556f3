"""Every picture a lesson writes fits a 1024×768 projector.

The fit rule: shown as large as it can be on a 1024×768 screen (keeping its
shape), every text of the picture is at least 10 CSS pixels high.

- SVG: measured in Chromium: each text's font size times the scale of its
  place on the screen, the picture scaled to fit the screen.
- PNG (matplotlib): the sizes of the texts matplotlib's renderer really drew
  into the saved file (caught on the way: see conftest.py), scaled as the
  PNG is to fit the screen: pt × dpi / 72 × min(1024 / width, 768 / height).
- the step-by-step pages: every text in view, frame by frame, at 1024×768.

Matplotlib figures also keep their legends off the curves, and every picture
that uses the red and blue of signs and classes says so in a legend.

The lessons run once each (quick, one epoch: see ``lesson_run``); one
browser serves every picture.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from demos import LESSONS
from viz.colours import NEGATIVE, POSITIVE

SCREEN = {"width": 1024, "height": 768}
MIN_TEXT_PX = 10.0

#: Pictures that can only fit once a network's graph can be drawn at the
#: neuron or the layer level (one box per neuron, or per layer): a whole
#: MLP's graph of single operations does not fit either way round; and one
#: whose labels are too long.
NEEDS_LEVELS = {
    ("layer-matrix", "batch_graph.svg"): "needs the layer level (lead)",
    ("layer-matrix", "sample_graph.svg"): "needs the neuron level (lead)",
    ("xor", "graph.svg"): "needs the neuron level (lead)",
    # the short names of nested values make its edge labels some 250 points
    # wide (∂exp(z0 + (−max))/∂(z0 + (−max)) = 1): 2,000 points either way
    ("softmax", "graph.svg"): "needs shorter names of nested values (lead)",
}


def pictures() -> list[Any]:
    cases = []
    for name, lesson in LESSONS.items():
        for filename in lesson.files:
            marks = []
            if (name, filename) in NEEDS_LEVELS:
                reason = NEEDS_LEVELS[(name, filename)]
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            cases.append(
                pytest.param(name, filename, marks=marks, id=f"{name}/{filename}")
            )
    return cases


@pytest.fixture(scope="module")
def browser() -> Any:
    """One headless Chromium for every picture of this module (closed after it,
    so that other tests can start Playwright of their own)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs Debian's chromium")
    args = ["--headless", "--no-sandbox", "--disable-gpu"]
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def screen(browser: Any) -> Any:
    page = browser.new_page(viewport=SCREEN)
    yield page
    page.close()


# --- SVG --------------------------------------------------------------------------


def check_svg(svg: str, screen: Any, fit_svg: Any) -> None:
    found = fit_svg(screen, svg)
    texts = found["texts"]
    assert texts, "a picture with no text"
    smallest = min(texts, key=lambda t: t[1])
    assert smallest[1] >= MIN_TEXT_PX, (
        f"{smallest[0]!r} is {smallest[1]:.1f} px on a 1024×768 screen "
        f"(the picture is {found['width']:.0f}×{found['height']:.0f})"
    )
    words = " ".join(text for text, _ in texts)
    if POSITIVE in svg or NEGATIVE in svg:  # signs in colour: a legend says so
        assert re.search(r"blue|positive|> 0|\+", words), words[:300]
        assert re.search(r"red|negative|< 0|−", words), words[:300]


# --- matplotlib -------------------------------------------------------------------


def check_figure(saved: Any) -> None:
    scale = min(SCREEN["width"] / saved.width, SCREEN["height"] / saved.height)
    sizes = [(t.text, t.points * t.dpi / 72 * scale) for t in saved.texts]
    assert sizes, "a figure with no text"
    smallest = min(sizes, key=lambda t: t[1])
    assert smallest[1] >= MIN_TEXT_PX, (
        f"{smallest[0]!r} is {smallest[1]:.1f} px on a 1024×768 screen "
        f"(the PNG is {saved.width}×{saved.height})"
    )
    check_legends_hide_no_curve(saved.figure)
    check_colours_are_explained(saved.figure)


def check_legends_hide_no_curve(figure: Any) -> None:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # lays the figure out again, as it was saved
    renderer = canvas.get_renderer()
    legends = [ax.get_legend() for ax in figure.axes if ax.get_legend()]
    legends += list(figure.legends)
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in figure.axes:
            for line in ax.get_lines():
                xy = np.asarray(line.get_xydata(), dtype=float)
                if len(xy) > 1:  # the line between the points too
                    t = np.linspace(0, 1, 9)[:, None, None]
                    xy = (xy[:-1] + t * (xy[1:] - xy[:-1])).reshape(-1, 2)
                points = line.get_transform().transform(xy)
                inside = (
                    (points[:, 0] > box.x0)
                    & (points[:, 0] < box.x1)
                    & (points[:, 1] > box.y0)
                    & (points[:, 1] < box.y1)
                )
                assert not inside.any(), f"the legend hides {line.get_label()!r}"
            for dots in ax.collections:
                offsets = dots.get_offsets()
                if len(offsets) == 0 or not hasattr(offsets, "shape"):
                    continue
                points = dots.get_offset_transform().transform(offsets)
                inside = (
                    (points[:, 0] > box.x0)
                    & (points[:, 0] < box.x1)
                    & (points[:, 1] > box.y0)
                    & (points[:, 1] < box.y1)
                )
                assert not inside.any(), "the legend hides points"


def check_colours_are_explained(figure: Any) -> None:
    """A figure drawn with the red or blue of signs and classes has a legend
    or a colour bar that shows them."""
    import numpy as np
    from matplotlib.colors import to_hex

    def colours_of(artist: Any) -> set[str]:
        found = set()
        for name in ("get_color", "get_facecolor", "get_facecolors", "get_edgecolor"):
            getter = getattr(artist, name, None)
            with contextlib.suppress(TypeError, ValueError):
                value = getter() if getter is not None else []
                if isinstance(value, str) or np.ndim(value) == 1:
                    value = [value]
                found |= {to_hex(v) for v in value}
        cmap = getattr(artist, "get_cmap", lambda: None)()
        name = getattr(cmap, "name", "") if cmap is not None else ""
        if name == "sign" or name.startswith(("RdBu", "coolwarm", "bwr", "seismic")):
            found |= {POSITIVE, NEGATIVE}  # a red-to-blue colour scale
        return found

    signs = {POSITIVE, NEGATIVE}
    legends = [ax.get_legend() for ax in figure.axes if ax.get_legend()]
    legends += list(figure.legends)
    shown = set()
    for legend in legends:
        for handle in legend.legend_handles:
            shown |= colours_of(handle)
    colour_bars = any(getattr(ax, "_colorbar", None) for ax in figure.axes)
    for ax in figure.axes:
        if getattr(ax, "_colorbar", None):
            continue
        used = set()
        for artist in [*ax.get_lines(), *ax.patches, *ax.collections, *ax.images]:
            used |= colours_of(artist)
        if used & signs:
            assert colour_bars or (used & signs) <= shown, (
                f"{ax.get_title()!r} uses red or blue without a legend that shows them"
            )


# --- the step-by-step pages -------------------------------------------------------

PAGE_TEXTS = """() => {
  const frame = document.querySelector("section.frame:not([hidden])");
  const area = frame.querySelector(".picture").getBoundingClientRect();
  const small = [];
  let seen = 0;
  frame.querySelectorAll("svg text").forEach((t) => {
    const r = t.getBoundingClientRect();
    const inside = r.right > area.left && r.left < area.right
      && r.bottom > area.top && r.top < area.bottom;
    if (!t.textContent.trim() || !inside) { return; }
    seen += 1;
    const m = t.getScreenCTM();
    const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (size < MIN) { small.push([t.textContent, size]); }
  });
  const rule = parseFloat(getComputedStyle(frame.querySelector("pre")).fontSize);
  return { seen: seen, small: small, rule: rule };
}""".replace("MIN", str(MIN_TEXT_PX))


def check_page(path: Path, browser: Any) -> None:
    page = browser.new_page(viewport=SCREEN)
    try:
        page.goto(path.as_uri())
        frames = page.locator("section.frame").count()
        for k in range(frames):
            page.evaluate(f"() => window.chainrule.show({k})")
            found = page.evaluate(PAGE_TEXTS)
            where = f"frame {k + 1} of {frames}"
            assert found["seen"] > 0, where
            assert found["small"] == [], where
            assert found["rule"] >= MIN_TEXT_PX, where
    finally:
        page.close()


# --- every picture ----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
@pytest.mark.parametrize(("name", "filename"), pictures())
def test_every_lesson_picture_fits_a_projector(
    name: str, filename: str, lesson_run: Any, browser: Any, screen: Any, fit_svg: Any
) -> None:
    run = lesson_run(name)
    path = run.result.out / filename
    assert path in run.result.files
    if filename.endswith(".png"):
        check_figure(run.figures[filename])
    elif filename.endswith(".svg"):
        check_svg(path.read_text(encoding="utf-8"), screen, fit_svg)
    else:
        check_page(path, browser)


def test_every_picture_is_measured() -> None:
    kinds = {Path(f).suffix for lesson in LESSONS.values() for f in lesson.files}
    assert kinds <= {".png", ".svg", ".html"}  # a new kind needs a way to measure
