r"""Lesson ``mse``: the first article's cost, over 10 outputs.

One digit goes through a network with 10 output neurons (sigmoid, so each
activation is between 0 and 1). The desired activations are 1 for the
digit's own output and 0 for the other nine. The cost of that one example:

    C = (1/10) · Σₖ (aₖ − tₖ)²        ∂C/∂aₖ = 2·(aₖ − tₖ)/10

and the *average cost* of a round of training is the mean of the costs of
all its examples. Then the same network is trained twice: with MSE on
one-hot targets, and with softmax cross-entropy, to compare the two.

First, the article's names on this network (its Fig. 2 and 3, smaller): the
pixels are layer 1, so wˡⱼₖ is the weight into neuron j of layer l from
neuron k of layer l − 1 (w²₃₁: input 1 to hidden neuron 3), zˡⱼ the
weighted sum of neuron j of layer l, aˡⱼ = σ(zˡⱼ) its activation:

    z²₁ = Σₖ w²₁ₖ·a¹ₖ + b²₁        a²₁ = σ(z²₁)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from demos.lesson import LessonRun, epoch_curves, with_article
from viz.classroom import classroom, figure, legend_beside
from viz.colours import SERIES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "mse"
SUMMARY = "one digit's cost (1/10)·Σ(aₖ − tₖ)², the average cost; MSE vs cross-entropy"
PICTURE = "cost.png"  # the one shown in docs/lessons.md
FILES = ("cost.png", "training.png")
NEEDS = ("matplotlib", "sklearn")  # from the demos extra (the 8×8 digits)

HIDDEN = 16
AVERAGE_OVER = 400  # the first article's example: the average over 400 digits
BATCH = 32


def one_hot(labels: np.ndarray, k: int = 10) -> np.ndarray:
    r"""Each label as a row of k desired activations: 1 at the label, 0 elsewhere.

    >>> one_hot(np.array([2]), 4).tolist()
    [[0.0, 0.0, 1.0, 0.0]]
    """
    rows = np.zeros((len(labels), k))
    rows[np.arange(len(labels)), labels] = 1.0
    return rows


def network(seed: int, output: str) -> Any:
    r"""64 pixels → 16 sigmoid neurons → 10 outputs (``output``: their activation)."""
    import nn

    return nn.MLP(
        64, [HIDDEN, 10], activation="sigmoid", output_activation=output, seed=seed
    )


def first_neuron(model: Any, x: Any) -> tuple[float, float, float]:
    r"""By hand, the article's Fig. 3: z²₁ = Σₖ w²₁ₖ·a¹ₖ + b²₁ and a²₁ = σ(z²₁);
    and a²₁ as the network computes it."""
    layer = model.layers[0]
    W, b = np.asarray(layer.W.data), np.asarray(layer.b.data)
    z = float(W[0] @ np.asarray(x, dtype=float) + b[0])
    a = 1.0 / (1.0 + np.exp(-z))
    engine = float(layer(list(map(float, x)))[0].data)
    return z, float(a), engine


def _notation(lesson: LessonRun, model: Any, x: Any) -> None:
    """The first article's names on this network, with their numbers."""
    layer = model.layers[0]
    W = np.asarray(layer.W.data)
    lesson.heading("The article's names: wˡⱼₖ, zˡⱼ, aˡⱼ on this network")
    lesson.say(
        f"layer 1: the {len(x)} pixels a¹ₖ; layer 2: {W.shape[0]} hidden neurons; "
        "layer 3: 10 outputs"
    )
    lesson.say(
        f"w²₃₁ = {W[2, 0]:+.4f}: into neuron 3 of layer 2, from neuron 1 of layer 1"
    )
    lesson.say(
        "   (in the code: model.layers[0].W[2, 0], row = neuron, column = input)"
    )
    z, a, engine = first_neuron(model, x)
    terms = " + ".join(f"({W[0, k]:+.3f})·{x[k]:g}" for k in range(3))
    lesson.say(f"z²₁ = Σₖ w²₁ₖ·a¹ₖ + b²₁ = {terms} + ... + ({layer.b.data[0]:+.3f})")
    lesson.say(f"    = {z:.4f}")
    lesson.say(f"a²₁ = σ(z²₁) = {a:.4f}   (the network's own: {engine:.4f})")
    lesson.note("w2_31", float(W[2, 0]))
    lesson.note("z2_1 by hand", z)
    lesson.note("a2_1 by hand", a)
    lesson.note("a2_1 by the network", engine)


def run(lesson: LessonRun) -> None:
    import nn

    split = nn.data.digits(seed=lesson.seed)
    model = network(lesson.seed, "sigmoid")
    digit = int(np.flatnonzero(split.y_train == 0)[0])
    x, label = split.X_train[digit], int(split.y_train[digit])
    target = one_hot(np.array([label]))[0]
    _notation(lesson, model, x)

    lesson.heading(f"One example: {with_article(label)} through the untrained network")
    outputs = model(list(x))
    cost = nn.mse(outputs, list(target))
    cost.backward()
    lesson.say("  k   aₖ      tₖ   aₖ − tₖ   (aₖ − tₖ)²   ∂C/∂aₖ (backward)")
    total = 0.0
    for k, (out, t) in enumerate(zip(outputs, target)):
        gap = out.data - t
        total += gap**2
        lesson.say(
            f"  {k}   {out.data:.4f}  {t:.0f}   {gap:+.4f}   {gap**2:.4f}"
            f"       {out.grad:+.5f}"
        )
    by_hand = total / 10
    lesson.say(f"sum of squares {total:.4f}, divided by 10: C = {by_hand:.5f}")
    lesson.say(f"nn.mse gives {cost.data:.5f}; each ∂C/∂aₖ is 2·(aₖ − tₖ)/10.")
    lesson.note("cost by hand", by_hand)
    lesson.note("cost by nn.mse", cost.data)
    gap0 = outputs[0].data - target[0]
    lesson.note("dC/da0", outputs[0].grad)
    lesson.note("2(a0 - t0)/10", 2 * gap0 / 10)

    lesson.heading(f"The average cost over {AVERAGE_OVER} training examples")
    X, y = split.X_train[:AVERAGE_OVER], split.y_train[:AVERAGE_OVER]
    activations = nn.predict(model, X)
    costs = np.mean((activations - one_hot(y)) ** 2, axis=1)
    average = float(np.mean(costs))
    batch_cost = float(nn.mse(model(X), one_hot(y)).data)
    lesson.say(
        f"the {AVERAGE_OVER} costs range from {costs.min():.4f} to {costs.max():.4f}"
    )
    lesson.say(
        f"their average C(w) = {average:.5f} (nn.mse on the batch: {batch_cost:.5f})"
    )
    lesson.say("Training lowers this one number by gradient descent on every weight.")
    lesson.note("average cost", average)
    lesson.note("average cost by nn.mse", batch_cost)

    lesson.heading("Training: MSE on one-hot targets, then cross-entropy")
    epochs = lesson.epochs(default=20, quick=4)
    runs: dict[str, list[float]] = {}
    for name, output, loss, targets in (
        ("MSE", "sigmoid", "mse", one_hot(split.y_train)),
        ("cross-entropy", "linear", "cross_entropy", split.y_train),
    ):
        net = network(lesson.seed, output)
        with lesson.one_blas_thread():
            history = nn.fit(
                net,
                split.X_train,
                targets,
                loss=loss,
                optimizer=nn.SGD(net, lr=0.5, momentum=0.9),
                epochs=epochs,
                batch_size=BATCH,
                seed=lesson.seed,
                progress=lesson.progress,
                callback=_recorder(net, split, runs.setdefault(name, [])),
            )
        test = runs[name][-1]
        lesson.say(
            f"  {name:<14} train accuracy {history.accuracy[-1]:.1%}, "
            f"test {test:.1%} after {epochs} epochs"
        )
        lesson.note(f"{name} test accuracy", test)
        lesson.note(f"{name} test accuracy after 1 epoch", runs[name][0])
    lesson.say("Both learn (same start, SGD with momentum, lr 0.5). MSE's gradient")
    lesson.say("at a sigmoid output carries σ'(z), which is tiny where the output is")
    lesson.say("confidently wrong; cross-entropy's, p − one-hot, does not, so it")
    lesson.say("usually learns faster early on.")

    picture = lesson.save_figure(
        _cost_figure(x, label, [o.data for o in outputs], target), "cost.png"
    )
    training = lesson.save_figure(
        epoch_curves(
            runs, "test accuracy", "the same network, two costs", ylim=(0, 1.02)
        ),
        "training.png",
    )
    lesson.heading("Look at")
    lesson.say(f"{picture}: the digit, its 10 output activations next to the desired")
    lesson.say("  ones, and each squared difference: C is their mean.")
    lesson.say(f"{training}: test accuracy per epoch, MSE next to cross-entropy.")


def _recorder(model: Any, split: Any, into: list[float]) -> Any:
    """A ``fit`` callback that appends the test accuracy after every epoch."""
    import nn

    def callback(epoch: int, history: Any) -> None:
        into.append(nn.evaluate(model, split.X_test, split.y_test))

    return callback


@classroom()
def _cost_figure(
    x: np.ndarray, label: int, outputs: list[float], target: np.ndarray
) -> Figure:
    fig = figure(14.0, 5.0)
    image, bars, squares = fig.subplots(
        1, 3, gridspec_kw={"width_ratios": (0.7, 1.6, 1.6)}
    )
    image.imshow(x.reshape(8, 8), cmap="gray_r")
    image.set_title(with_article(label))
    image.set_axis_off()
    ks = np.arange(10)
    bars.bar(ks - 0.2, outputs, width=0.4, color=SERIES[1], label="activation aₖ")
    bars.bar(ks + 0.2, target, width=0.4, color=SERIES[0], label="desired tₖ")
    bars.set_xticks(ks)
    bars.set_ylim(0, 1.05)
    bars.set_xlabel("output k")
    bars.set_title("the 10 outputs")
    legend_beside(bars)
    errors = (np.array(outputs) - target) ** 2
    squares.bar(ks, errors, color=SERIES[2])
    squares.axhline(errors.mean(), color=SERIES[0], ls="--", lw=2)
    squares.text(
        9.4,
        errors.mean(),
        f" C = {errors.mean():.3f}",
        va="bottom",
        ha="right",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )
    squares.set_xticks(ks)
    squares.set_xlabel("output k")
    squares.set_title("(aₖ − tₖ)²; their mean is C")
    return fig
