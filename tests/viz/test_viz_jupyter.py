"""In Jupyter (run headless with nbclient): every picture shows as a picture,
a Value as its graph (once viz is imported), the teaching objects as HTML."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")

CELLS = {
    "value_alone": "from autograd import Value\nx = Value(2.0, 'x')\ny = x * 3.0\ny",
    "value_with_viz": "import viz\ny.label = 'y'\ny",
    "step": "from autograd import backward_steps\nstep = next(backward_steps(y))\nstep",
    "explain": "from autograd import explain\nexplain(y, x)",
    "gradcheck": "from autograd import gradcheck\ngradcheck(lambda a: a * a, [x])",
    "network": "import nn\nmodel = nn.MLP(2, [3, 1], seed=0)\n"
    "viz.draw_network(model, x=[1.0, -1.0])",
    "fields": "viz.receptive_fields(nn.MLP(4, [2]), shape=(2, 2))",
    "fit": "X, labels = nn.data.xor()\nmodel = nn.MLP(2, [4, 2], seed=1)\n"
    "history = nn.fit(model, X, labels, epochs=3, batch_size=4, progress=True)\n"
    "viz.plot_history(history)",
    "boundary": "figure = viz.plot_decision_boundary(model, X, labels, resolution=20)\n"
    "figure.save('boundary.png')\nfigure",
    "huge": "big = x\nfor _ in range(400):\n    big = big * 1.0\nbig",
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, list[dict]]:
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    folder = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in CELLS.values()]
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    assert (folder / "boundary.png").stat().st_size > 0
    return {name: cell.outputs for name, cell in zip(CELLS, notebook.cells)}


def kinds(cell_outputs: list[dict]) -> set[str]:
    return {kind for o in cell_outputs for kind in o.get("data", {})}


def test_a_value_is_text_until_viz_is_imported_then_its_graph(outputs):
    assert kinds(outputs["value_alone"]) == {"text/plain"}
    shown = outputs["value_with_viz"][0]["data"]
    assert "image/svg+xml" in shown and "<svg" in shown["image/svg+xml"]
    assert shown["text/plain"].startswith("Value(label='y'")
    assert kinds(outputs["huge"]) == {"text/plain"}  # too large: the text only


def test_steps_explanations_and_reports_show_as_html(outputs):
    for name in ["step", "explain", "gradcheck"]:
        data = outputs[name][0]["data"]
        assert "text/html" in data, name
        assert "text/plain" in data and "Step(" not in data["text/plain"]
    assert "step 1/1" in outputs["step"][0]["data"]["text/plain"]
    assert "<table" in outputs["gradcheck"][0]["data"]["text/html"]


def test_every_picture_shows_as_a_picture_without_warnings(outputs):
    assert "image/svg+xml" in kinds(outputs["network"])
    assert "image/svg+xml" in kinds(outputs["fields"])
    assert "image/png" in kinds(outputs["fit"])
    assert "image/png" in kinds(outputs["boundary"])
    streams = " ".join(o.get("text", "") for cell in outputs.values() for o in cell)
    assert "IProgress" not in streams and "Warning" not in streams


def test_autograd_alone_imports_no_pictures():
    code = (
        "import autograd, sys; print('viz' in sys.modules, 'graphviz' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.split() == ["False", "False"]
    assert Path(__file__).exists()


def test_jupyter_without_graphviz_shows_chainrules_message(monkeypatch, tmp_path):
    """A notebook asks the graph for SVG; with no ``dot`` on PATH it gets
    chainrule's GraphvizNotFound, which says how to install it."""
    from autograd import Value
    from viz import draw_graph
    from viz.render import GraphvizNotFound

    graph = draw_graph(Value(2.0, "a") * 3.0)
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot here
    with pytest.raises(GraphvizNotFound, match="Install Graphviz"):
        graph._repr_mimebundle_()
