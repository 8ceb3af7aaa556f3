"""save_steps_html: the page's text, and the page in headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from autograd import Value, topological_order
from viz import save_steps_html, steps_html

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def neuron() -> Value:
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(1.0, 'b <&> "q"')
    z = x * w + b
    z.label = "z"
    y = z.sigmoid()
    y.label = "y"
    return y


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    path = tmp_path_factory.mktemp("html") / "steps.html"
    return save_steps_html(neuron(), path, title="A <neuron> & its steps")


def test_one_frame_per_step_with_its_chain_rule_text(page_path):
    page = page_path.read_text(encoding="utf-8")
    total = len(topological_order(neuron()))
    assert page.count('<section class="frame"') == total
    assert page.count("<svg") == total
    assert f"step 1 of {total}" in page
    assert "dy/dz += dy/dy × ∂y/∂z" in page
    assert "<title>A &lt;neuron&gt; &amp; its steps</title>" in page
    assert "b &lt;&amp;&gt; &quot;q&quot;" in page  # escaped in the step text
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_every_frame_has_the_same_layout(page_path):
    page = page_path.read_text(encoding="utf-8")
    sizes = set(re.findall(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', page))
    assert len(sizes) == 1
    frames = page.split('<section class="frame"')[1:]
    # the first leaf's box sits at the same place in the first and last frame
    box = re.compile(r'<title>v0</title>\s*<polygon[^>]* points="([^"]+)"')
    assert box.search(frames[0]).group(1) == box.search(frames[-1]).group(1)


def test_the_page_needs_nothing_from_outside(page_path):
    page = page_path.read_text(encoding="utf-8")
    for outside in ["http://", "https://", "<link", " src=", "@import", "url("]:
        assert outside not in page
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page


def test_too_many_steps_is_refused_before_any_work():
    x = Value(1.0, "x")
    for _ in range(200):
        x = x + 1.0
    with pytest.raises(ValueError, match="max_steps=150"):
        steps_html(x)
    with pytest.raises(TypeError, match="Value"):
        steps_html(1.0)


@needs_dot
def test_the_graph_keeps_its_grads(tmp_path):
    y = neuron()
    y.backward()
    leaves = [n for n in topological_order(y) if not n.parents]
    before = [n.grad for n in leaves]
    save_steps_html(y, tmp_path / "p.html")
    assert [n.grad for n in leaves] == before


def test_in_headless_chromium(page_path, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    total = len(topological_order(neuron()))
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            counter = page.locator("#counter")
            rule = page.locator("section.frame:not([hidden]) pre.rule")
            assert counter.inner_text() == f"step 1 of {total}"
            assert page.locator("section.frame:visible").count() == 1
            assert page.locator("#prev").is_disabled()
            first = rule.inner_text()
            assert first.startswith(f"step 1/{total}")

            page.click("#next")
            assert counter.inner_text() == f"step 2 of {total}"
            second = rule.inner_text()
            assert second.startswith(f"step 2/{total}") and second != first

            page.keyboard.press("ArrowRight")
            assert counter.inner_text() == f"step 3 of {total}"
            assert rule.inner_text() not in (first, second)
            page.keyboard.press("ArrowLeft")
            assert counter.inner_text() == f"step 2 of {total}"
            page.keyboard.press("End")
            assert counter.inner_text() == f"step {total} of {total}"
            assert page.locator("#next").is_disabled()
            assert page.locator("section.frame:visible svg").count() == 1

            shot = page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests)
    png = (tmp_path / "page.png").read_bytes()
    assert png == shot and png.startswith(b"\x89PNG") and len(png) > 1000
