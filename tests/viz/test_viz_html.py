"""save_steps_html: the page's text, and the page in headless Chromium at
1024×768 (a classroom projector): text sizes, keys, zoom, no sideways scroll."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from autograd import Value, topological_order
from viz import save_steps_html, steps_html

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
PROJECTOR = {"width": 1024, "height": 768}


def neuron() -> Value:
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(1.0, 'b <&> "q"')
    z = x * w + b
    z.label = "z"
    y = z.sigmoid()
    y.label = "y"
    return y


def small_mlp(hidden: int = 2) -> tuple[Value, Any]:
    """A 2-h-1 tanh MLP on one sample, and its squared error: 19 values for
    h = 2, 31 for h = 4."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [hidden, 1], activation="tanh", seed=0)
    out = model([Value(1.0, "x1"), Value(-1.0, "x2")])
    out = out[0] if isinstance(out, list) else out
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    return loss, model


def ops(root: Value) -> int:
    return sum(1 for n in topological_order(root) if n.parents)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    path = tmp_path_factory.mktemp("html") / "steps.html"
    return save_steps_html(neuron(), path, title="A <neuron> & its steps")


@pytest.fixture(scope="module")
def mlp_page(tmp_path_factory) -> Path:
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    loss, model = small_mlp()
    path = tmp_path_factory.mktemp("html") / "mlp.html"
    return save_steps_html(loss, path, title="A 2-2-1 MLP", params=model)


@pytest.fixture(scope="module")
def wider_page(tmp_path_factory) -> Path:
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    loss, model = small_mlp(hidden=4)
    assert len(topological_order(loss)) == 31  # a few dozen values
    path = tmp_path_factory.mktemp("html") / "mlp4.html"
    return save_steps_html(loss, path, title="A 2-4-1 MLP", params=model)


def test_forward_frames_then_one_frame_per_backward_step(page_path):
    page = page_path.read_text(encoding="utf-8")
    computed = ops(neuron())  # one forward frame per op, one backward step per op
    assert page.count('<section class="frame"') == computed + computed
    assert page.count("<svg") == computed + computed
    counters = re.findall(r'data-counter="([^"]+)"', page)
    assert counters[0] == f"forward pass: step 1 of {computed}"
    assert counters[computed] == f"backward pass: step 1 of {computed}"
    assert counters[-1] == f"backward pass: step {computed} of {computed}"
    assert "forward 1/3  x·w = 2·(−3) = -6" in page  # unnamed: its expression
    assert "keeps for the backward pass: ∂(x·w)/∂x = w = -3" in page
    assert "∂y/∂z = y·(1 − y) = 0.006648" in page  # the rule in the user's names
    assert '<span class="textbook">rules: ∂σ(u)/∂u' in page  # textbook in grey
    assert "gradients of the leaves" in page  # the table, on the last step
    assert "<title>A &lt;neuron&gt; &amp; its steps</title>" in page
    assert "b &lt;&amp;&gt; &quot;q&quot;" in page  # escaped in the step text
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


@needs_dot
def test_forward_frames_can_be_left_out_and_the_legend_too(tmp_path):
    page = steps_html(neuron(), forward=False, legend=False)
    assert page.count('<section class="frame"') == ops(neuron())
    assert "forward pass" not in page and 'class="legend"' not in page
    page = steps_html(neuron())
    legend = page.split('<ul class="legend"', 1)[1].split("</ul>", 1)[0]
    # only the kinds of values present: no parameters were marked here
    assert "input or constant" in legend and "parameter" not in legend


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


def test_bad_arguments_are_refused_before_any_work():
    x = Value(1.0, "x")
    for _ in range(200):
        x = x + 1.0
    with pytest.raises(ValueError, match="max_steps=150"):
        steps_html(x)
    with pytest.raises(TypeError, match="Value"):
        steps_html(1.0)
    with pytest.raises(TypeError, match="title must be text"):
        save_steps_html(neuron(), "never.html", title=None)
    with pytest.raises(ValueError, match="rankdir"):
        steps_html(neuron(), rankdir="up")
    assert not Path("never.html").exists()


@needs_dot
def test_the_graph_keeps_its_grads(tmp_path):
    y = neuron()
    y.backward()
    leaves = [n for n in topological_order(y) if not n.parents]
    before = [n.grad for n in leaves]
    save_steps_html(y, tmp_path / "p.html")
    assert [n.grad for n in leaves] == before


@needs_dot
def test_labels_that_break_rendering_are_shown_as_typed(tmp_path):
    x = Value(2.0, "nul\x00 &amp; &#xD800; \ud800" + "y" * 20_000)
    z = x * 3.0
    z.label = "z"
    page = save_steps_html(z, tmp_path / "odd.html").read_text(encoding="utf-8")
    assert "nul␀ &amp;amp; &amp;#xD800; \\ud800" in page
    assert "…" in page  # the long name, shortened in the pictures


# --- in the browser ---------------------------------------------------------------


@pytest.fixture
def browser(chromium: Any) -> Any:
    return chromium


def open_page(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport=PROJECTOR)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, errors, requests


MEASURE = """() => {
  const frame = document.querySelector("section.frame:not([hidden])");
  const area = frame.querySelector(".picture").getBoundingClientRect();
  const inside = (r) => r.right > area.left && r.left < area.right
    && r.bottom > area.top && r.top < area.bottom;
  const small = [], seen = [];
  frame.querySelectorAll("svg text").forEach((t) => {
    const r = t.getBoundingClientRect();
    if (!t.textContent.trim() || !inside(r)) { return; }
    seen.push(t.textContent);
    if (r.height < 12) { small.push([t.textContent, r.height]); }
  });
  const first = frame.getAttribute("data-focus").split(" ")[0];
  let current = null;
  frame.querySelectorAll("g.node").forEach((g) => {
    if (g.querySelector("title").textContent === first) {
      const r = g.getBoundingClientRect();
      current = r.left >= area.left - 1 && r.right <= area.right + 1
        && r.top >= area.top - 1 && r.bottom <= area.bottom + 1;
    }
  });
  const rule = frame.querySelector("pre.rule");
  return {
    seen: seen.length, small: small, current: current,
    pageWide: document.documentElement.scrollWidth,
    pageWidth: document.documentElement.clientWidth,
    ruleWide: rule.scrollWidth, ruleWidth: rule.clientWidth,
    areaHeight: area.height,
  };
}"""


@pytest.mark.parametrize("which", ["neuron", "mlp", "wider"])
def test_every_frame_reads_at_1024_by_768(
    browser, page_path, mlp_page, wider_page, which
):
    path = {"neuron": page_path, "mlp": mlp_page, "wider": wider_page}[which]
    page, errors, requests = open_page(browser, path)
    frames = page.locator("section.frame").count()
    for k in range(frames):
        found = page.evaluate(MEASURE)
        where = f"frame {k + 1} of {frames}"
        assert found["seen"] >= 3, where  # the graph is there, with text in view
        assert found["small"] == [], where  # every text in view at least 12 px
        assert found["current"], where  # the current node is in view, whole
        assert found["pageWide"] <= found["pageWidth"], where  # no sideways scroll
        assert found["ruleWide"] <= found["ruleWidth"], where  # long lines wrap
        # the graph gets the room the step's whole text leaves, 12rem at least
        assert found["areaHeight"] >= 190, where
        page.keyboard.press("ArrowRight")
    assert errors == []
    assert all(url.startswith("file://") for url in requests)


def test_keys_buttons_wheel_and_drag(browser, page_path, tmp_path):
    computed = ops(neuron())
    total = computed  # a backward step per op: leaves take none
    page, errors, _ = open_page(browser, page_path)
    counter = page.locator("#counter")
    rule = page.locator("section.frame:not([hidden]) pre.rule")
    assert counter.inner_text() == f"forward pass: step 1 of {computed}"
    assert page.locator("#prev").is_disabled()
    assert rule.inner_text().startswith("forward 1/3")
    page.click("#next")
    assert counter.inner_text() == f"forward pass: step 2 of {computed}"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == f"backward pass: step 1 of {total}"
    assert rule.inner_text().startswith(f"step 1/{total}")
    page.keyboard.press("ArrowLeft")
    assert counter.inner_text() == f"forward pass: step 3 of {computed}"
    page.keyboard.press("End")
    assert counter.inner_text() == f"backward pass: step {total} of {total}"
    assert page.locator("#next").is_disabled()
    assert page.locator("section.frame:visible svg").count() == 1

    def view() -> dict[str, float]:
        return page.evaluate("() => window.chainrule.view()")

    start = view()
    page.keyboard.press("+")
    assert view()["s"] == pytest.approx(start["s"] * 1.25)
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert view()["s"] == pytest.approx(start["s"] / 1.25)
    page.click("#zoom-in")
    page.click("#zoom-in")
    assert view()["s"] == pytest.approx(start["s"] * 1.25)
    page.click("#zoom-out")
    assert view()["s"] == pytest.approx(start["s"])
    page.keyboard.press("0")
    fitted = view()
    assert page.evaluate("() => window.chainrule.mode()") == "fit"
    box = page.locator("section.frame:not([hidden]) .picture").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(3):  # in far enough that the graph is wider than the view
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(100)
    wheeled = view()
    assert wheeled["s"] > fitted["s"]
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 150, box["y"] + box["height"] / 2)
    page.mouse.up()
    dragged = view()
    assert dragged["cx"] > wheeled["cx"]  # dragged left: the view moved right
    page.keyboard.press("f")
    assert page.evaluate("() => window.chainrule.mode()") == "follow"
    page.screenshot(path=str(tmp_path / "page.png"))
    assert (tmp_path / "page.png").read_bytes().startswith(b"\x89PNG")
    assert errors == []


@needs_dot
def test_a_batch_page_draws_each_layer_as_one_box(tmp_path, chromium):
    nn = pytest.importorskip("nn")
    import numpy as np

    model = nn.MLP(2, [3, 2], seed=0)
    X = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 1.0], [2.0, 0.0]])
    loss = nn.cross_entropy(model(X), np.array([0, 1, 1, 0]))
    path = save_steps_html(loss, tmp_path / "batch.html", params=model)
    page_text = path.read_text(encoding="utf-8")
    assert "Z² = x·W²ᵀ + b² (4×3)" in page_text  # in SVG: layer 2, the first hidden
    assert "∂Z²/∂W² = x (4×2)" in page_text
    assert "dE/dW² += (dE/dZ²)ᵀ·x = (3×4)·(4×2)" in page_text
    page, errors, _ = open_page(chromium, path)
    for _ in range(page.locator("section.frame").count()):
        found = page.evaluate(MEASURE)
        assert found["small"] == [] and found["current"]
        assert found["pageWide"] <= found["pageWidth"]
        page.keyboard.press("ArrowRight")
    assert errors == []
