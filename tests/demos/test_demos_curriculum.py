"""The lessons from the four articles: each one's numbers, checked.

Every number a lesson prints and records (``result.numbers``) is compared
with what the articles' formulas give, computed here independently where
it can be. MNIST runs end to end on small files in the real format that the
tests write themselves (the 8×8 digits, enlarged to 28×28), read from a
folder or downloaded from a server on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import nn
from demos import LESSONS, DemoError, run_lesson
from demos.cli import main
from demos.lesson import LessonRun, Settings

NEW = [
    "mnist",
    "mse",
    "sigmoid-shape",
    "layer-matrix",
    "optimizers",
    "dropout",
    "softmax",
    "camera",
    "blame",
]


def _run(name: str, tmp_path: Path, **options: object) -> tuple[dict, str]:
    said = io.StringIO()
    options.setdefault("progress", False)
    result = run_lesson(name, tmp_path / name, stream=said, **options)  # type: ignore[arg-type]
    return result.numbers, said.getvalue()


def test_the_nine_lessons_are_listed_with_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert set(NEW) <= set(LESSONS)
    assert main(["demo", "--list"]) == 0
    listed = capsys.readouterr().out
    for name in NEW:
        line = next(line for line in listed.splitlines() if line.split()[:1] == [name])
        assert len(line.split(None, 1)[1]) > 30, line


# --- mse -------------------------------------------------------------------------


def test_mse_is_the_mean_of_ten_squared_differences(tmp_path: Path) -> None:
    numbers, text = _run("mse", tmp_path, quick=True)
    assert numbers["cost by hand"] == pytest.approx(
        numbers["cost by nn.mse"], abs=1e-12
    )
    assert numbers["dC/da0"] == pytest.approx(numbers["2(a0 - t0)/10"], abs=1e-12)
    assert numbers["average cost"] == pytest.approx(
        numbers["average cost by nn.mse"], abs=1e-12
    )
    assert 0 < numbers["cost by hand"] < 1  # sigmoid outputs: each gap below 1
    assert "divided by 10" in text and "400 training examples" in text


def test_mse_against_cross_entropy_both_learn(tmp_path: Path) -> None:
    numbers, _ = _run("mse", tmp_path, epochs=8)
    # chance is 10%; measured at seed 0: MSE 0.78, cross-entropy 0.96
    assert numbers["MSE test accuracy"] > 0.5
    assert numbers["cross-entropy test accuracy"] > 0.9
    assert (
        numbers["cross-entropy test accuracy after 1 epoch"]
        > numbers["MSE test accuracy after 1 epoch"]
    )


def test_mse_one_example_by_hand(tmp_path: Path) -> None:
    from demos.lessons.mse import network, one_hot

    split = nn.data.digits(seed=0)
    model = network(0, "sigmoid")
    digit = int(np.flatnonzero(split.y_train == 0)[0])
    a = nn.predict(model, split.X_train[digit : digit + 1])[0]
    expected = float(np.sum((a - one_hot(np.array([0]))[0]) ** 2) / 10)
    numbers, _ = _run("mse", tmp_path, quick=True)
    assert numbers["cost by hand"] == pytest.approx(expected, rel=1e-12)


# --- sigmoid-shape ---------------------------------------------------------------


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_sigmoid_gradients_are_slope_times_input(tmp_path: Path) -> None:
    numbers, text = _run("sigmoid-shape", tmp_path)
    for w, b in [(0.5, 0.0), (1.0, 0.0), (2.0, 0.0), (1.0, -2.0), (1.0, 2.0)]:
        a = _sigmoid(w * 2.0 + b)
        assert numbers[f"da/db at w={w:g}, b={b:g}"] == pytest.approx(a * (1 - a))
        assert numbers[f"da/dw at w={w:g}, b={b:g}"] == pytest.approx(2 * a * (1 - a))
    assert "switch at" in text and "x = -0" not in text


def test_without_a_bias_the_neuron_cannot_switch_off_at_2(tmp_path: Path) -> None:
    numbers, _ = _run("sigmoid-shape", tmp_path)
    assert numbers["cost without bias"] >= 5 * 0.5**2 / 10  # the bound it prints
    assert numbers["a(2) without bias"] > 0.5
    assert numbers["cost with bias"] < 0.01
    assert numbers["a(2) with bias"] < 0.1


# --- softmax ---------------------------------------------------------------------


def test_softmax_probabilities_loss_and_gradient(tmp_path: Path) -> None:
    numbers, text = _run("softmax", tmp_path)
    z = np.array([2.0, 1.0, 0.1])
    p = np.exp(z) / np.exp(z).sum()
    for k in range(3):
        assert numbers[f"p{k}"] == pytest.approx(p[k])
        assert numbers[f"dL/dz{k}"] == pytest.approx(p[k] - (k == 0))
    assert numbers["loss"] == pytest.approx(-math.log(p[0]))
    assert numbers["batch gradient difference"] < 1e-15
    assert numbers["huge loss"] == 2000.0
    assert "[nan, 0.0]" in text  # what the naive softmax gives for ±1000


# --- blame -----------------------------------------------------------------------


def test_blame_matches_the_hand_recursion_and_one_step_helps(tmp_path: Path) -> None:
    numbers, text = _run("blame", tmp_path)
    assert numbers["largest difference"] < 1e-12
    assert numbers["p correct before"] < 0.5  # a wrong answer
    assert numbers["loss before"] == pytest.approx(
        -math.log(numbers["p correct before"])
    )
    assert numbers["loss after"] < numbers["loss before"]
    assert numbers["p correct after"] > numbers["p correct before"]
    assert "hidden layer 2" in text and "Δw" in text


def test_blame_hand_recursion_on_its_own() -> None:
    from demos.lessons.blame import blame_by_hand, forward

    model = nn.MLP(4, [3, 3, 4], activation="sigmoid", seed=5)
    x = np.array([1.0, -1.0, 1.0, -1.0])
    layers, logits = forward(model, x)
    nn.cross_entropy(logits, 2).backward()
    upstream = np.array([v.grad for v in logits])
    for values, expected in zip(layers, blame_by_hand(model, layers, upstream)):
        np.testing.assert_allclose([v.grad for v in values], expected, atol=1e-14)
    # the blame of an input, numerically: nudge it and watch the loss
    h = 1e-6
    losses = []
    for sign in (1, -1):
        nudged = x.copy()
        nudged[0] += sign * h
        losses.append(nn.cross_entropy(model(list(nudged)), 2).data)
    assert layers[0][0].grad == pytest.approx((losses[0] - losses[1]) / (2 * h))


# --- layer-matrix ----------------------------------------------------------------


def test_layer_matrix_hand_backprop_equals_the_engine(tmp_path: Path) -> None:
    numbers, text = _run("layer-matrix", tmp_path)
    for key, value in numbers.items():
        if key != "largest gradient":
            assert value < 1e-12, key
    assert numbers["largest gradient"] > 1e-3  # the gradients compared are not all 0
    assert "ℓ = n−2" in text and "(W3ᵀ δ3) ⊙ σ'(z2)" in text


def test_layer_matrix_by_hand_against_central_differences() -> None:
    from demos.lessons.layer_matrix import by_hand

    rng = np.random.default_rng(1)
    weights = [rng.normal(size=(3, 4)), rng.normal(size=(2, 3))]
    biases = [rng.normal(size=3), rng.normal(size=2)]
    X, T = rng.normal(size=(5, 4)), rng.uniform(size=(5, 2))
    _, dW, db, _ = by_hand(weights, biases, X, T)
    h = 1e-6
    for ell, (j, k) in [(0, (1, 2)), (1, (0, 1))]:
        costs = []
        for sign in (1, -1):
            nudged = [w.copy() for w in weights]
            nudged[ell][j, k] += sign * h
            costs.append(by_hand(nudged, biases, X, T)[3])
        assert dW[ell][j, k] == pytest.approx((costs[0] - costs[1]) / (2 * h), rel=1e-6)
    assert db[1].shape == (2,)


# --- optimizers ------------------------------------------------------------------


def test_momentum_rolls_through_the_dip_and_learns_faster(tmp_path: Path) -> None:
    numbers, text = _run("optimizers", tmp_path, quick=True)
    assert numbers["gradient descent x"] < -2  # stopped in the dip near x = −2.9
    assert numbers["gradient descent f"] > 0.2
    assert numbers["momentum 0.9 f"] < 1e-4 and numbers["Adam f"] < 1e-4
    assert numbers["momentum 0.9 final loss"] < numbers["gradient descent final loss"]
    assert numbers["Adam final loss"] < numbers["gradient descent final loss"]
    assert "stuck in the dip" in text


def test_the_dip_is_a_local_minimum() -> None:
    from autograd import Value
    from demos.lessons.optimizers import surface

    x = Value(-2.8722, "x")
    surface(x, Value(0.0)).backward()
    assert abs(x.grad) < 1e-3
    for dx in (-0.05, 0.05):
        assert (
            surface(Value(-2.8722 + dx), Value(0.0)).data
            > surface(Value(-2.8722), Value(0.0)).data
        )


# --- dropout ---------------------------------------------------------------------


def test_dropout_overfits_less_and_is_deterministic_in_eval(tmp_path: Path) -> None:
    numbers, _ = _run("dropout", tmp_path)
    plain, dropped = "no dropout", "dropout 0.5"
    assert numbers[f"{plain} train loss"] < numbers[f"{dropped} train loss"]
    assert numbers[f"{dropped} test loss"] < numbers[f"{plain} test loss"] / 2
    assert numbers[f"{dropped} test accuracy"] >= numbers[f"{plain} test accuracy"]
    assert 10 < numbers["switched off"] < 54  # p = 0.5 of 64 neurons
    assert numbers["switched off without gradient"] == numbers["switched off"]
    assert numbers["train-mode difference"] > 0.01
    assert numbers["eval-mode difference"] == 0.0


# --- camera ----------------------------------------------------------------------


def test_the_hand_wired_camera_follows_the_article(tmp_path: Path) -> None:
    numbers, text = _run("camera", tmp_path, quick=True)
    t1 = math.tanh(-2.0)  # layer 1: top − bottom for a dark top
    t2 = math.tanh(2 * t1)  # layer 2: the two differences added
    assert numbers["layer 1 (tanh) of dark top"] == pytest.approx(2 * t1)
    assert numbers["layer 2 (tanh) of dark top"] == pytest.approx(t2)
    assert numbers["output of dark top"] == pytest.approx(-t2)
    assert numbers["dark top answer"] == nn.data.FOUR_PIXEL_CLASSES.index("horizontal")
    assert numbers["hand-wired accuracy"] == 1.0
    assert numbers["largest output field"] == 0.0
    assert numbers["trained accuracy"] == 1.0
    assert "■■/□□" in text


def test_the_hand_wired_weights_are_plus_minus_one_or_zero() -> None:
    from demos.lessons.camera import hand_wired

    model = hand_wired()
    for layer in model.layers:
        assert set(np.unique(layer.W.data)) <= {-1.0, 0.0, 1.0}
        assert not layer.b.data.any()
    X, y = nn.data.four_pixel_camera()
    assert (nn.predict(model, X).argmax(axis=1) == y).all()


# --- mnist -----------------------------------------------------------------------


@pytest.mark.slow
def test_mnist_end_to_end_on_small_files(
    tmp_path: Path, mnist_files: Callable[..., dict[str, Path]]
) -> None:
    folder = next(iter(mnist_files(gz=True).values())).parent
    numbers, text = _run("mnist", tmp_path, data=folder, epochs=4)
    # 1,000 enlarged 8×8 digits to learn from, 300 to test; chance is 10%
    assert numbers["test accuracy"] > 0.85  # measured 0.90 at seed 0
    assert numbers["last loss"] < numbers["first loss"] / 4
    assert numbers["ms per step"] > 0
    assert f"test accuracy: {100 * numbers['test accuracy']:.1f}%" in text
    assert "1,000 training images, 300 test images" in text
    assert "784 → 128 ReLU neurons → 10" in text.replace("pixels ", "")
    mistakes = int(numbers["mistakes"])
    assert f"Mistakes: {mistakes} of 300" in text
    assert text.count("  test image ") == min(mistakes, 10)


def test_mnist_cnn_on_small_files(
    tmp_path: Path, mnist_files: Callable[..., dict[str, Path]]
) -> None:
    folder = next(iter(mnist_files(gz=False).values())).parent
    numbers, text = _run("mnist", tmp_path, data=folder, cnn=True, epochs=2)
    assert numbers["test accuracy"] > 0.6  # measured 0.86 at seed 0
    assert "8 filters 5×5, stride 2" in text and "MLP" not in text


@pytest.mark.slow
def test_mnist_downloads_into_the_cache_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file_server: tuple[str, Path, list[str]],
    mnist_files: Callable[..., dict[str, Path]],
) -> None:
    url, served, asked = file_server
    paths = mnist_files(served, gz=True)
    checksums = {
        name: hashlib.md5(path.read_bytes()).hexdigest() for name, path in paths.items()
    }
    monkeypatch.setattr(nn.data, "MNIST_FILES", checksums)
    monkeypatch.setattr(nn.data, "MNIST_MIRRORS", (url,))
    cache = tmp_path / "cache"
    monkeypatch.setenv("CHAINRULE_DATA", str(cache))
    numbers, _ = _run("mnist", tmp_path, quick=True)
    assert numbers["test accuracy"] > 0.3
    assert sorted(p.name for p in cache.iterdir()) == sorted(f"{n}.gz" for n in paths)
    assert len(asked) == 4


def test_mnist_without_files_or_network_says_what_to_do(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    closed_port: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(nn.data, "MNIST_MIRRORS", (closed_port,))
    empty = tmp_path / "empty"
    with pytest.raises(DemoError, match="put the four files") as caught:
        run_lesson("mnist", tmp_path / "out", data=empty, stream=io.StringIO())
    assert str(empty) in str(caught.value)
    code = main(["demo", "mnist", "--data", str(empty), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("chainrule demo: error: the MNIST files: could not download")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(empty.iterdir()) == []  # nothing partial left behind


def test_mnist_with_a_damaged_file_names_it(
    tmp_path: Path, mnist_files: Callable[..., dict[str, Path]]
) -> None:
    paths = mnist_files(gz=False)
    labels = paths["t10k-labels-idx1-ubyte"]
    labels.write_bytes(labels.read_bytes()[:20])
    with pytest.raises(DemoError, match="is truncated") as caught:
        run_lesson("mnist", tmp_path / "out", data=labels.parent, stream=io.StringIO())
    assert str(labels) in str(caught.value)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["demo", "xor", "--data", "x"], "--data DIR is an option of the mnist lesson"),
        (
            ["demo", "xor", "--cnn"],
            "--cnn is an option of the digits and mnist lessons",
        ),
    ],
)
def test_lesson_options_belong_to_their_lessons(
    argv: list[str], words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--out", str(tmp_path)]) == 2
    assert words in capsys.readouterr().err


def test_save_history_calls_the_held_out_set_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = LessonRun("t", Settings(out=tmp_path, stream=io.StringIO()))
    history = nn.History(loss=[1.0, 0.5], accuracy=[0.5, 0.7])
    history.val_loss, history.val_accuracy = [1.1, 0.6], [0.4, 0.6]
    assert run.save_history(history, "history.png").read_bytes()[:4] == b"\x89PNG"
    figures: list = []
    monkeypatch.setattr(
        run, "save_figure", lambda figure, name: figures.append(figure) or tmp_path
    )
    run.save_history(history, "again.png")
    axes = figures[0].axes
    labels = [line.get_label() for ax in axes for line in ax.get_lines()]
    assert labels == ["train", "test", "train", "test"]
    legends = [ax.get_legend() for ax in axes if ax.get_legend() is not None]
    words = [t.get_text() for legend in legends for t in legend.texts]
    assert words == ["train", "test"]


def test_epoch_curves_draws_a_line_per_run_over_epochs_from_one():
    pytest.importorskip("matplotlib")
    from demos.lesson import epoch_curves

    runs = {"SGD": [1.0, 0.5, 0.25], "Adam": [1.0, 0.1]}
    plain = epoch_curves(runs, "training loss", "a title", ylim=(0.0, 1.5))
    (ax,) = plain.axes
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert sorted(lines) == ["Adam", "SGD"]
    assert list(lines["SGD"].get_xdata()) == [1, 2, 3]
    assert list(lines["Adam"].get_ydata()) == [1.0, 0.1]
    assert (ax.get_ylabel(), ax.get_title(), ax.get_yscale()) == (
        "training loss", "a title", "linear"
    )  # fmt: skip
    assert ax.get_ylim() == (0.0, 1.5)
    (log_ax,) = epoch_curves(runs, "loss", "t", log=True).axes
    assert log_ax.get_yscale() == "log"
