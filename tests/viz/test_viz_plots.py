"""plot_history and plot_decision_boundary: files written, classes right."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from autograd import Value
from viz import plot_decision_boundary, plot_history, predict_classes


def linear(w1: float, w2: float, b: float, squash: str = ""):
    """A stand-in model: a batch (n, 2) -> one batched Value."""

    def model(grid: np.ndarray) -> Value:
        z = Value(grid[:, 0]) * w1 + Value(grid[:, 1]) * w2 + b
        return z.sigmoid() if squash == "sigmoid" else z

    return model


def two_scores(grid: np.ndarray) -> list[Value]:
    x = Value(grid[:, 0])
    return [-x, x]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_history_curves_are_written(tmp_path, suffix):
    history = SimpleNamespace(loss=[1.0, 0.6, 0.3, 0.2], accuracy=[0.5, 0.7, 0.9, 1.0])
    path = tmp_path / f"history{suffix}"
    fig = plot_history(history, path)
    assert path.stat().st_size > 1000
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    head = path.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head


def test_history_from_a_dict_or_a_list_and_with_validation(tmp_path):
    fig = plot_history({"loss": [3, 2, 1], "val_loss": [3.5, 2.5, 2.0]})
    assert [ax.get_title() for ax in fig.axes] == ["loss"]
    assert len(fig.axes[0].lines) == 2
    plot_history([0.9, 0.4], tmp_path / "l.png")
    assert (tmp_path / "l.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="no losses"):
        plot_history({"accuracy": [0.5]})
    with pytest.raises(ValueError, match="end the file name"):
        plot_history([1.0], tmp_path / "history.txt")


def test_thresholds_follow_the_output_activation():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.2, 0.0]])
    assert predict_classes(linear(1, 0, 0), X).tolist() == [1, 0, 1]
    # after a sigmoid the boundary is 0.5, not 0: σ(x - 0.5) > 0.5 iff x > 0.5
    assert predict_classes(linear(1, 0, -0.5, "sigmoid"), X).tolist() == [1, 0, 0]
    assert predict_classes(two_scores, X).tolist() == [1, 0, 1]


def test_decision_boundary_of_xor_like_data(tmp_path):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([-1, 1, 1, 1])
    for name, model in [
        ("lin", linear(1, 1, -0.5)),
        ("sig", linear(4, 4, -2, "sigmoid")),
    ]:
        path = tmp_path / f"{name}.png"
        fig = plot_decision_boundary(model, X, y, path, resolution=40)
        assert path.stat().st_size > 1000
        assert fig.axes[0].get_title() == "decision boundary"
    svg = tmp_path / "scores.svg"
    plot_decision_boundary(two_scores, X, [0, 0, 1, 1], svg, resolution=20)
    assert b"<svg" in svg.read_bytes()[:300]


def test_decision_boundary_checks_its_data():
    model = linear(1, 1, 0)
    with pytest.raises(ValueError, match=r"\(samples, 2\)"):
        plot_decision_boundary(model, np.zeros((4, 3)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="one each"):
        plot_decision_boundary(model, np.zeros((4, 2)), [0, 1])


def test_the_real_nn_mlp(tmp_path):
    nn = pytest.importorskip("nn")
    if not hasattr(nn, "MLP"):
        pytest.skip("nn has no MLP yet")
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    plot_decision_boundary(model, X, [0, 1, 1, 0], tmp_path / "xor.png", resolution=30)
    assert (tmp_path / "xor.png").stat().st_size > 1000
