"""Fixtures shared by the tests of every package."""

from __future__ import annotations

import gzip
import http.server
import socket
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def seeded() -> None:
    """Every test starts from the same library-wide seed, as a script with
    ``nn.manual_seed(0)`` at its top does: objects made without ``seed=`` draw
    the same numbers on every run."""
    import nn

    nn.manual_seed(0)


@pytest.fixture
def block_imports(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``block_imports("matplotlib", ...)``: those imports fail, as if not installed.

    Submodules already imported are blocked too; everything is put back after
    the test.
    """

    def block(*modules: str) -> None:
        for module in modules:
            loaded = [name for name in sys.modules if name.split(".")[0] == module]
            for name in [module, *loaded]:
                monkeypatch.setitem(sys.modules, name, None)

    return block


# --- MNIST files made by the tests (no downloads at test time) ---------------------

MNIST_NAMES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """An array of unsigned bytes in the IDX format, written out by hand."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    header = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def digits_as_mnist(
    train: int = 1000, test: int = 300
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Real handwritten digits in MNIST's format: the 8×8 digits, 3× larger, padded.

    Each 8×8 digit (0-16) becomes 24×24 pixels (0-255) inside a 28×28 frame.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    big = np.kron(data.images, np.ones((3, 3)))
    frames = np.zeros((len(big), 28, 28))
    frames[:, 2:26, 2:26] = big
    pixels = np.clip(np.round(frames * 255 / 16), 0, 255).astype(np.uint8)
    labels = data.target.astype(np.uint8)
    return pixels[:train], labels[:train], pixels[-test:], labels[-test:]


def write_mnist_files(
    folder: Path,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    gz: bool = True,
) -> dict[str, Path]:
    """The four files of ``arrays`` (train images, labels, test images, labels).

    Returns their paths by their standard names (``"t10k-labels-idx1-ubyte"``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, array in zip(MNIST_NAMES, arrays):
        path = folder / (name + (".gz" if gz else ""))
        raw = idx_bytes(array)
        path.write_bytes(gzip.compress(raw, mtime=0) if gz else raw)
        paths[name] = path
    return paths


@pytest.fixture(scope="session")
def mnist_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return digits_as_mnist()


@pytest.fixture(scope="session")
def mnist_folder(
    tmp_path_factory: pytest.TempPathFactory,
    mnist_arrays: tuple[np.ndarray, ...],
) -> Path:
    """A folder with the four MNIST files of ``mnist_arrays``, written once."""
    folder = tmp_path_factory.mktemp("mnist")
    write_mnist_files(folder, mnist_arrays)
    return folder


@pytest.fixture
def idx() -> Callable[..., bytes]:
    """``idx(array)``: the bytes of an IDX file of unsigned bytes, made by hand."""
    return idx_bytes


@pytest.fixture
def mnist_files(
    tmp_path: Path, mnist_arrays: tuple[np.ndarray, ...]
) -> Callable[..., dict[str, Path]]:
    """``mnist_files(folder=None, gz=True)``: write the four files; their paths."""

    def write(folder: Path | None = None, gz: bool = True) -> dict[str, Path]:
        return write_mnist_files(folder or tmp_path / "mnist", mnist_arrays, gz)

    return write


class _Files(http.server.SimpleHTTPRequestHandler):
    """Serves one folder; counts requests; quiet."""

    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """A server on 127.0.0.1: (base URL, the folder it serves, the paths asked)."""
    folder = tmp_path / "served"
    folder.mkdir()
    asked: list[str] = []

    class Handler(_Files):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[misc]

        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder, asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port() -> str:
    """A URL on 127.0.0.1 where nothing listens: what a machine without network sees."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# --- pictures on a projector ------------------------------------------------------

#: A classroom projector, in CSS pixels.
SCREEN = (1024, 768)
#: The smallest text a picture may show when it fills that screen.
MIN_TEXT_PX = 10.0

FIT_SVG = """(svg) => {
  document.body.style.margin = "0";
  document.body.innerHTML = svg;
  const el = document.querySelector("svg");
  const box = el.viewBox.baseVal;
  const width = box && box.width ? box.width : el.width.baseVal.value;
  const height = box && box.height ? box.height : el.height.baseVal.value;
  if (!(box && box.width)) { el.setAttribute("viewBox", `0 0 ${width} ${height}`); }
  const scale = Math.min(SCREEN_W / width, SCREEN_H / height);
  el.setAttribute("width", width * scale);
  el.setAttribute("height", height * scale);
  const texts = [];
  el.querySelectorAll("text").forEach((t) => {
    const style = getComputedStyle(t);
    if (!t.textContent.trim() || style.display === "none"
        || style.visibility === "hidden") { return; }
    const m = t.getScreenCTM();
    texts.push([t.textContent, parseFloat(style.fontSize) * Math.hypot(m.a, m.b)]);
  });
  return { width: width, height: height, texts: texts };
}""".replace("SCREEN_W", str(SCREEN[0])).replace("SCREEN_H", str(SCREEN[1]))


def svg_text_sizes(page: object, svg: str) -> dict[str, object]:
    """Every text of an SVG picture, as large as it shows when the picture is
    scaled (keeping its shape) to fill a 1024×768 screen, in CSS pixels.

    Measured by the browser: each text's font size times the scale of its
    place on the screen. Returns the picture's own width and height too.
    """
    return page.evaluate(FIT_SVG, svg)  # type: ignore[attr-defined]


@pytest.fixture
def fit_svg() -> object:
    """``fit_svg(page, svg)``: see :func:`svg_text_sizes`."""
    return svg_text_sizes


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
    """One headless Chromium for every test that looks at pages and pictures.

    One for the whole session: Playwright's sync API cannot start a second
    time in a process while the first is running.
    """
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


@pytest.fixture(scope="session")
def fitted_text_px(chromium: object) -> object:
    """``fitted_text_px(svg)``: the size of every text of an SVG picture scaled
    to fit a 1024×768 screen, in CSS pixels (see :func:`svg_text_sizes`)."""

    def measure(svg: str) -> list[float]:
        page = chromium.new_page(viewport={"width": 1024, "height": 768})  # type: ignore[attr-defined]
        try:
            return [size for _, size in svg_text_sizes(page, svg)["texts"]]  # type: ignore[union-attr]
        finally:
            page.close()

    return measure
