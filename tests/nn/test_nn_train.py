"""fit / evaluate / History: learning XOR, four pixels, digits (MLP and CNN), errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import nn
from autograd import Value

pytest.importorskip("sklearn")


def test_xor_trains_to_100_percent():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 2], activation="tanh", seed=1)
    history = nn.fit(
        model,
        X,
        y,
        optimizer=nn.Adam(model, lr=0.1),
        epochs=60,
        batch_size=4,
        progress=False,
    )
    assert history.epochs == 60
    assert history.loss[-1] < history.loss[0]
    assert nn.evaluate(model, X, y) == 1.0


def test_xor_with_one_sigmoid_output_and_sgd():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    nn.fit(
        model,
        X,
        y,
        loss="binary_cross_entropy",
        optimizer=nn.SGD(model, lr=0.5, momentum=0.9),
        epochs=200,
        batch_size=4,
        progress=False,
    )
    assert nn.evaluate(model, X, y) == 1.0


def test_four_pixel_camera_trains_to_100_percent():
    X, y = nn.data.four_pixel_camera()
    model = nn.MLP(4, [8, 4], activation="tanh", seed=0, init="xavier")
    history = nn.fit(
        model,
        X,
        y,
        optimizer=nn.Adam(model, lr=0.05),
        epochs=80,
        batch_size=8,
        progress=False,
    )
    assert history.accuracy[-1] == 1.0
    assert nn.evaluate(model, X, y) == 1.0


def test_moons_with_hinge_loss_like_micrograd():
    split = nn.data.moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0, init="he")
    y = 2 * split.y_train - 1
    nn.fit(
        model,
        split.X_train,
        y,
        loss="hinge",
        optimizer=nn.Adam(model, lr=0.02),
        epochs=60,
        batch_size=25,
        progress=False,
        l2=1e-4,
    )
    assert nn.evaluate(model, split.X_test, 2 * split.y_test - 1) >= 0.95


def test_digits_mlp_reaches_95_percent_test_accuracy():
    split = nn.data.digits(seed=0)
    model = nn.MLP(64, [32, 10], init="he", seed=0)
    history = nn.fit(
        model,
        split.X_train,
        split.y_train,
        optimizer=nn.Adam(model, lr=0.01),
        epochs=10,
        batch_size=32,
        progress=False,
    )
    assert history.accuracy[-1] > 0.97
    assert nn.evaluate(model, split.X_test, split.y_test) >= 0.95


def test_digits_small_cnn_reaches_95_percent_test_accuracy():
    split = nn.data.digits(seed=0, images=True)
    cnn = nn.Sequential(
        nn.Conv2d(1, 4, kernel_size=3, stride=1, init="he", seed=0),  # 4 × 6×6
        nn.Flatten(),
        nn.MLP(4 * 6 * 6, [10], init="he", seed=1),
    )
    epochs, steps_per_epoch = 6, 45  # 1,437 samples in batches of 32
    schedule = nn.exponential_decay(0.02, 0.05 ** (1 / (epochs * steps_per_epoch)))
    nn.fit(
        cnn,
        split.X_train,
        split.y_train,
        optimizer=nn.Adam(cnn, lr=0.02, schedule=schedule),
        epochs=epochs,
        batch_size=32,
        progress=False,
    )
    assert nn.evaluate(cnn, split.X_test, split.y_test) >= 0.95


def run(seed):
    X, y = nn.data.four_pixel_camera()
    model = nn.Sequential(
        nn.Layer(4, 6, "tanh", seed=seed),
        nn.Dropout(0.2, seed=seed),
        nn.Layer(6, 4, "linear", seed=seed),
    )
    history = nn.fit(
        model,
        X,
        y,
        optimizer=nn.SGD(model, lr=0.1, momentum=0.5),
        epochs=5,
        batch_size=3,
        seed=seed,
        progress=False,
    )
    return history, model.state_dict()


def test_same_seed_same_training():
    (h1, s1), (h2, s2), (_, s3) = run(3), run(3), run(4)
    assert h1 == h2 and s1 == s2
    assert s1 != s3


def test_history_and_validation():
    X, y = nn.data.four_pixel_camera()
    model = nn.MLP(4, [6, 4], seed=0)
    history = nn.fit(
        model, X, y, epochs=3, batch_size=4, progress=False, validation=(X, y)
    )
    assert len(history.loss) == len(history.accuracy) == 3
    assert len(history.val_loss) == len(history.val_accuracy) == 3
    assert all(0.0 <= a <= 1.0 for a in history.accuracy + history.val_accuracy)
    assert repr(history).startswith("History(epochs=3, loss=")
    calls = []
    nn.fit(
        model,
        X,
        y,
        epochs=2,
        progress=False,
        callback=lambda e, h: calls.append((e, h.epochs)),
    )
    assert calls == [(0, 1), (1, 2)]


def test_progress_bar_can_be_on(capsys):
    X, y = nn.data.xor()
    model = nn.MLP(2, [2, 2], seed=0)
    history = nn.fit(model, X, y, epochs=2, progress=True)  # not a TTY here: quiet
    assert history.epochs == 2


def test_mse_regression_has_no_accuracy():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    y = 0.3 * X[:, 0] + 0.1
    model = nn.MLP(1, [1], seed=0)
    history = nn.fit(
        model,
        X,
        y,
        loss="mse",
        optimizer=nn.SGD(model, lr=0.3),
        epochs=50,
        batch_size=20,
        progress=False,
    )
    assert history.loss[-1] < 1e-4
    assert np.isnan(history.accuracy[-1])


def test_predict_and_accuracy():
    X, y = nn.data.xor()
    model = nn.MLP(2, [3, 2], seed=0)
    scores = nn.predict(model, X)
    assert scores.shape == (4, 2)
    assert nn.accuracy(scores, y) == np.mean(scores.argmax(axis=1) == y)
    assert nn.accuracy(
        np.array([0.2, -0.1, 3.0]), np.array([1, -1, -1])
    ) == pytest.approx(2 / 3)
    assert nn.accuracy(np.array([0.7, 0.2]), np.array([1, 1])) == 0.5  # probabilities
    assert nn.accuracy(np.array([0.7, 0.2]), np.array([1, 1]), threshold=0.0) == 1.0
    assert np.isnan(nn.accuracy(np.array([0.7, 0.2]), np.array([0.3, 2.0])))


def test_custom_loss_function():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 2], activation="tanh", seed=1)
    history = nn.fit(
        model,
        X,
        y,
        loss=lambda out, t: nn.cross_entropy(out, t) * 2.0,
        optimizer=nn.Adam(model, lr=0.1),
        epochs=5,
        progress=False,
    )
    assert history.epochs == 5


def test_divergence_stops_with_advice():
    X = np.array([[1e3], [2e3]])
    y = np.array([1e6, -1e6])
    model = nn.MLP(1, [1], seed=0)
    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        nn.fit(
            model,
            X,
            y,
            loss="mse",
            optimizer=nn.SGD(model, lr=10.0),
            epochs=50,
            progress=False,
        )


X4, Y4 = np.zeros((4, 2)), np.array([0, 1, 1, 0])


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"X": np.zeros((4, 3))}, ValueError, "takes 2 inputs per sample, but X has 3"),
        ({"X": np.zeros(4)}, ValueError, "one row per sample"),
        ({"X": np.zeros((0, 2)), "y": np.array([], dtype=int)}, ValueError, "empty"),
        ({"X": [["a", "b"]] * 4}, TypeError, "numeric"),
        ({"X": np.full((4, 2), np.nan)}, ValueError, "nan"),
        ({"y": np.array([0, 1, 2, 0])}, ValueError, "out of range"),
        ({"y": np.array([0, 1, -1, 0])}, ValueError, "out of range"),
        ({"y": np.array([0, 1, 1])}, ValueError, "one target per sample"),
        ({"y": np.array([0.5, 1, 1, 0])}, ValueError, "whole numbers"),
        ({"epochs": 0}, ValueError, "epochs must be at least 1"),
        ({"epochs": 2.5}, TypeError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
        ({"batch_size": True}, TypeError, "batch_size"),
        ({"loss": "hinge", "y": np.array([0, 1, 1, 0])}, None, None),
        ({"loss": "nope"}, ValueError, "unknown loss"),
        ({"optimizer": "adam"}, TypeError, "nn.Optimizer"),
        ({"l2": -1.0}, ValueError, "l2"),
        (
            {"validation": (np.zeros((2, 3)), np.array([0, 1]))},
            ValueError,
            "X_val has 3",
        ),
        (
            {"validation": (np.zeros((2, 2)), np.array([0, 5]))},
            ValueError,
            "out of range",
        ),
        ({"validation": np.zeros((2, 2))}, TypeError, "pair"),
        ({"l2": math.nan}, ValueError, "l2 must be a finite number"),
        ({"l2": math.inf}, ValueError, "l2 must be a finite number"),
        ({"callback": 3}, TypeError, "callback must be a function"),
        (
            {"optimizer": nn.SGD(nn.MLP(2, [3, 2], seed=0), lr=0.1)},
            ValueError,
            "none of this model's parameters",
        ),
        ({"loss": lambda o, t: 1.0}, TypeError, "must return one number as a Value"),
        ({"loss": lambda o, t: o}, TypeError, r"not a Value of shape \(4, 2\)"),
        ({"y": np.array(list("abba"))}, TypeError, "integers"),
        ({"y": np.eye(2)[Y4]}, ValueError, r"one-hot rows .*argmax\(axis=1\)"),
        ({"loss": "mse", "y": Y4}, ValueError, r"need shape \(4, 2\)"),
        (
            {"loss": lambda o, t: (o * o).mean(), "y": np.array(list("abba"))},
            TypeError,
            "map names to numbers",
        ),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_bad_arguments_fail_before_training(kwargs, error, words):
    model = nn.MLP(2, [3, 2], seed=0)
    before = model.state_dict()
    arguments = {"X": X4, "y": Y4, "epochs": 1, "progress": False, **kwargs}
    if error is None:  # hinge with two outputs takes class labels: fine
        nn.fit(model, **arguments)
        return
    with pytest.raises(error, match=words):
        nn.fit(model, **arguments)
    assert model.state_dict() == before


@pytest.mark.parametrize(
    ("loss", "y", "words"),
    [
        ("binary_cross_entropy", np.array([0, 2, 1, 0]), "between 0 and 1"),
        ("hinge", np.array([0, 1, 1, 0]), "−1 or \\+1"),
        ("cross_entropy", np.array([0, 1, 1, 0]), "at least 2 outputs"),
        ("mse", np.zeros((4, 2)), "shape"),
    ],
)
def test_one_output_losses_check_labels_first(loss, y, words):
    model = nn.MLP(2, [3, 1], output_activation="sigmoid", seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=words):
        nn.fit(model, X4, y, loss=loss, epochs=1, progress=False)
    assert model.state_dict() == before


def test_fit_refuses_a_non_module():
    with pytest.raises(TypeError, match=r"nn\.Module"):
        nn.fit(lambda x: x, X4, Y4, progress=False)


def test_data_sets():
    X, y = nn.data.four_pixel_camera()
    assert X.shape == (8, 4) and set(np.unique(X)) == {-1.0, 1.0}
    assert np.bincount(y).tolist() == [2, 2, 2, 2]
    assert len({tuple(row) for row in X}) == 8
    solid = X[y == 0]
    assert all(len(set(row)) == 1 for row in solid)
    split = nn.data.digits()
    assert split.X_train.shape == (1437, 64) and split.X_test.shape == (360, 64)
    assert split.X_train.min() >= 0.0 and split.X_train.max() <= 1.0
    again = nn.data.digits()
    np.testing.assert_array_equal(split.X_train, again.X_train)
    other = nn.data.digits(seed=1)
    assert not np.array_equal(split.y_train, other.y_train)
    assert nn.data.digits(images=True).X_train.shape == (1437, 8, 8)
    X_train, _, y_train, _ = nn.data.moons(40, seed=0)
    assert X_train.shape == (30, 2) and set(np.unique(y_train)) == {0, 1}
    with pytest.raises(ValueError, match="test_size"):
        nn.data.moons(test_size=1.5)


# --- one-hot targets with mean squared error (the first article's set-up) ----------


def test_mse_trains_on_one_hot_targets_and_scores_them():
    X, y = nn.data.xor()
    one_hot = np.eye(2)[y]
    model = nn.MLP(2, [8, 2], activation="tanh", seed=1)
    history = nn.fit(
        model,
        X,
        one_hot,
        loss="mse",
        optimizer=nn.Adam(model, lr=0.05),
        epochs=150,
        batch_size=2,
        validation=(X, one_hot),
        progress=False,
    )
    assert history.loss[-1] < history.loss[0] / 10
    assert history.accuracy[-1] == history.val_accuracy[-1] == 1.0
    assert nn.evaluate(model, X, one_hot) == nn.evaluate(model, X, y) == 1.0
    assert nn.predict(model, X).shape == (4, 2)
    scores = model(X)
    assert nn.mse(scores, one_hot).data == pytest.approx(
        float(np.mean((scores.data - one_hot) ** 2))
    )


# --- divergence and nan: a FloatingPointError that names epoch and step -------------

ERUPTING = {
    "cross_entropy": ([16, 2], "linear", lambda y: y),
    "mse": ([16, 2], "linear", lambda y: np.eye(2)[y]),
    "l1": ([16, 2], "linear", lambda y: np.eye(2)[y]),
    "hinge": ([16, 2], "linear", lambda y: y),
    "binary_cross_entropy": ([16, 1], "sigmoid", lambda y: y),
}


@pytest.mark.parametrize("loss", ERUPTING)
def test_a_huge_learning_rate_ends_in_a_floating_point_error(loss):
    sizes, last, targets = ERUPTING[loss]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4))
    y = (X[:, 0] > 0).astype(int)
    model = nn.MLP(4, sizes, output_activation=last, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's overflow notes
        with pytest.raises(FloatingPointError, match=r"diverged in epoch 1, step \d"):
            nn.fit(
                model,
                X,
                targets(y),
                loss=loss,
                optimizer=nn.SGD(model, lr=1e300),
                epochs=5,
                batch_size=16,
                progress=False,
            )


def test_a_custom_loss_that_meets_a_diverged_model_is_a_floating_point_error():
    X, y = nn.data.xor()
    model = nn.MLP(2, [1], seed=0)
    model.layers[0].W.data[...] = 1e308  # what an update with a huge step leaves
    model.layers[0].b.data[...] = 1e308

    def loss(outputs, targets):  # σ(inf) = 1, so log(1 − σ) = log 0
        return (1.0 - outputs.sigmoid()).mean().log()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(FloatingPointError, match="epoch 1, step 1: log needs"):
            nn.fit(model, X, (y > 0).astype(float), loss=loss, progress=False)


def test_a_mistake_in_a_custom_loss_is_not_called_divergence():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 2], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match="log needs a positive input"):
        nn.fit(model, X, y, loss=lambda o, t: (o - 10.0).mean().log(), progress=False)
    assert model.state_dict() == before


def test_nan_in_the_weights_stops_training_at_once():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 2], seed=0)
    model.layers[0].neurons[1].w[0].data = math.nan
    with pytest.raises(
        FloatingPointError, match=r"epoch 1, step 1: cross_entropy got nan"
    ):
        nn.fit(model, X, y, epochs=3, progress=False)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_cross_entropy_says_when_its_logits_are_not_finite(bad):
    fused = Value(np.array([[bad, 1.0], [0.0, 1.0]]), "Z")
    columns = [Value(np.array([bad, 0.0]), "z0"), Value(np.array([1.0, 1.0]), "z1")]
    one = [Value(bad, "z0"), Value(1.0, "z1")]
    for logits, targets in ((fused, [0, 1]), (columns, [0, 1]), (one, 1)):
        with pytest.raises(FloatingPointError, match=r"cross_entropy got .* logits"):
            nn.cross_entropy(logits, np.array(targets))
    with pytest.raises(FloatingPointError, match="binary_cross_entropy got"):
        nn.binary_cross_entropy(Value(bad).sigmoid(), 1)


# --- predict, evaluate and accuracy say what they need -------------------------------


def test_predict_evaluate_and_accuracy_refuse_what_they_cannot_score():
    model = nn.MLP(2, [3, 2], seed=0)
    for bad in (0, -1):
        with pytest.raises(ValueError, match="batch_size must be at least 1"):
            nn.predict(model, X4, batch_size=bad)
    with pytest.raises(TypeError, match=r"nn\.Module"):
        nn.predict(lambda x: x, X4)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"y must be numbers .* such as .cat."):
        nn.evaluate(model, X4, np.array(["cat", "dog", "dog", "cat"]))
    with pytest.raises(ValueError, match="y has one label"):
        nn.evaluate(model, X4, 1)
    with pytest.raises(ValueError, match="4 samples but y has 2 labels"):
        nn.evaluate(model, X4, [0, 1])
    with pytest.raises(TypeError, match="threshold"):
        nn.evaluate(model, X4, Y4, threshold="high")  # type: ignore[arg-type]
    scores = np.zeros((4, 2))
    with pytest.raises(ValueError, match="one target per sample"):
        nn.accuracy(scores, [1])
    with pytest.raises(TypeError, match="map names to numbers"):
        nn.accuracy(scores, list("abcd"))
    with pytest.raises(ValueError, match="at least one sample"):
        nn.accuracy(np.zeros((0, 2)), [])
    assert np.isnan(nn.accuracy(scores, [0, 1, 5, 0]))  # not classes of 2 outputs
    assert np.isnan(nn.accuracy(scores, [0.5, 1, 1, 0]))
    assert nn.accuracy(np.eye(2)[Y4], np.array([True, False, False, True])) == 0.0


def test_accuracy_is_measured_before_the_update():
    model = nn.MLP(2, [3, 2], seed=0)
    before = model.state_dict()

    def ignores_targets(outputs, targets):
        return (outputs * outputs).mean()

    with pytest.raises(TypeError, match="map names to numbers"):
        nn.fit(model, X4, np.array(list("abba")), loss=ignores_targets, progress=False)
    assert model.state_dict() == before


def test_a_validation_loss_that_overflows_names_the_epoch():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(FloatingPointError, match="epoch 1: the validation loss"):
            nn.fit(model, X, y, loss="mse", validation=(X * 1e300, y), progress=False)
    nan_model = nn.MLP(2, [4, 2], seed=0)
    with pytest.raises(FloatingPointError, match=r"epoch 1 \(on the validation set\)"):
        nn.fit(
            nan_model,
            X,
            y,
            validation=(X, y),
            epochs=1,
            progress=False,
            optimizer=_poisoning(nan_model),
        )


def _poisoning(model):
    """An optimizer whose one step leaves a nan weight (a broken update rule)."""

    class Poison(nn.SGD):
        def step(self):
            super().step()
            model.layers[0].W.data[0, 0] = math.nan

    return Poison(model, lr=0.1)


def test_complex_numbers_are_refused_not_cut_to_their_real_parts():
    model = nn.MLP(2, [3, 1], seed=0)
    X = np.array([[1.0 + 2j, 0.5], [0.0, 1.0 + 0j]])
    y = np.array([1.0, 0.0])
    for call in (
        lambda: nn.fit(model, X, y, epochs=1, loss="mse", progress=False),
        lambda: nn.predict(model, X),
        lambda: nn.evaluate(model, X, np.array([1, 0])),
        lambda: nn.mse(model(X.real), y + 1j),
        lambda: nn.cross_entropy(nn.MLP(2, [2], seed=0)(X.real), np.array([1j, 0])),
        lambda: model(X),
    ):
        with pytest.raises(TypeError, match="complex"):
            call()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's ComplexWarning would be an error
        with pytest.raises(TypeError, match="X holds complex numbers"):
            nn.predict(model, X)


@pytest.mark.parametrize(
    ("loss", "labels"),
    [("cross_entropy", np.array([0, 2, 1, 1, 0, 2, 2])), ("mse", None)],
)
def test_fit_takes_the_same_steps_as_a_loop_written_by_hand(loss, labels):
    # fit checks the labels once and hands each batch in without a copy:
    # the steps must be exactly those of the plain loop it stands for
    rng = np.random.default_rng(3)
    X = rng.standard_normal((7, 4))
    y = labels if labels is not None else rng.standard_normal((7, 3))
    fitted = nn.MLP(4, [5, 3], seed=1)
    history = nn.fit(
        fitted,
        X,
        y,
        loss=loss,
        optimizer=nn.SGD(fitted, lr=0.1),
        epochs=2,
        batch_size=3,
        seed=5,
        progress=False,
    )
    by_hand = nn.MLP(4, [5, 3], seed=1)
    optimizer = nn.SGD(by_hand, lr=0.1)
    loss_fn = nn.cross_entropy if loss == "cross_entropy" else nn.mse
    shuffle = np.random.default_rng(5)
    losses = []
    for _ in range(2):
        order = shuffle.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), 3):
            rows = order[start : start + 3]
            batch_loss = loss_fn(by_hand(X[rows]), y[rows])
            optimizer.zero_grad()
            batch_loss.backward()
            optimizer.step()
            total += batch_loss.data * len(rows)
        losses.append(total / len(X))
    assert history.loss == pytest.approx(losses, rel=1e-12)
    for mine, theirs in zip(fitted.layers, by_hand.layers):
        assert np.array_equal(mine.W.data, theirs.W.data)
        assert np.array_equal(mine.b.data, theirs.b.data)
    assert X.flags.writeable  # the caller's array is left as it was
