"""The notebook demos/notebooks/backprop.ipynb runs headless without errors."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = (
    Path(__file__).resolve().parents[2] / "demos" / "notebooks" / "backprop.ipynb"
)


def _text(output: dict) -> str:
    if "text" in output:
        return str(output["text"])
    return str(output.get("data", {}).get("text/plain", ""))


def test_the_notebook_runs_and_tells_the_chain_rule_and_xor(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [
        o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs
    ]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(_text(o) for o in outputs)
    assert "step 1/2" in text
    assert "dE/dw1 = -0.75" in text
    assert "(-0.75, -0.75)" in text
    assert "1.0)" in text  # the MLP's accuracy on XOR
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)
    assert (tmp_path / "xor_boundary.png").stat().st_size > 0


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
