"""Stand-ins for nn models (the same shape: layers -> neurons -> w, b)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pytest

from autograd import Value, wsum

#: Debian's chromium, driven by Playwright (never a browser of its own).
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium for the tests that look at pages and pictures."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class TinyNeuron:
    def __init__(self, weights: Sequence[float], bias: float, name: str) -> None:
        self.w = [Value(w, f"{name}.w.{i}") for i, w in enumerate(weights)]
        self.b = Value(bias, f"{name}.b")

    def __call__(self, x: Sequence[Value]) -> Value:
        return wsum(self.w, x, self.b).tanh()


class TinyLayer:
    def __init__(self, rows: Sequence[Sequence[float]], name: str) -> None:
        self.neurons = [
            TinyNeuron(row[:-1], row[-1], f"{name}.neurons.{j}")
            for j, row in enumerate(rows)
        ]

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        return [n(x) for n in self.neurons]


class TinyMLP:
    """layers of tanh neurons; called on one sample, a list of Values."""

    def __init__(self, sizes: Sequence[int], seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.layers = [
            TinyLayer(rng.uniform(-1, 1, (nout, nin + 1)).tolist(), f"layers.{i}")
            for i, (nin, nout) in enumerate(pairwise(sizes))
        ]

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for n in layer.neurons for p in (*n.w, n.b)]


@pytest.fixture
def tiny_mlp() -> TinyMLP:
    return TinyMLP([2, 3, 1], seed=0)


@pytest.fixture
def make_mlp():
    return TinyMLP


#: How large each text of an SVG shows when the picture is fitted to a
#: 1024×768 screen, in CSS pixels: its font size times the scale it is drawn at.
FIT_TEXT_PX = """
() => {
  const svg = document.querySelector("svg");
  const sizes = [...svg.querySelectorAll("text")]
    .filter((t) => t.textContent.trim())
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  return sizes;
}
"""


@pytest.fixture(scope="session")
def fitted_text_px(chromium):
    """A function: the size of every text of an SVG fitted to 1024×768, in px."""

    def measure(svg: str) -> list[float]:
        page = chromium.new_page(viewport={"width": 1024, "height": 768})
        try:
            page.set_content(
                '<html><body style="margin:0"><div style="width:1024px;'
                'height:768px">' + svg + "</div></body></html>"
            )
            page.evaluate(
                """() => { const s = document.querySelector("svg");
                s.setAttribute("width", "1024px"); s.setAttribute("height", "768px");
                s.setAttribute("preserveAspectRatio", "xMidYMid meet"); }"""
            )
            return page.evaluate(FIT_TEXT_PX)
        finally:
            page.close()

    return measure
