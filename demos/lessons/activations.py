r"""Lesson ``activations``: sigmoid, tanh, ReLU, leaky ReLU and their slopes.

Backprop multiplies the slopes of every layer it passes through. σ' is at
most 1/4, so through many sigmoid layers the gradient shrinks layer after
layer (*vanishing gradients*): the first layers barely learn. ReLU's slope is
1 where it is active, so the gradient keeps its size, but a ReLU that is
negative for every input has slope 0 everywhere: a *dead ReLU* never
learns again. The numbers here come from real networks, measured with the
engine's backward pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import Value
from demos.lesson import LessonRun
from viz.classroom import classroom, figure, legend_beside
from viz.colours import SERIES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "activations"
SUMMARY = (
    "sigmoid, tanh, ReLU, leaky ReLU and their slopes; vanishing gradients, dead ReLUs"
)
PICTURE = "activations.png"  # the one shown in docs/lessons.md
FILES = ("activations.png", "gradients.png")
NEEDS = ("matplotlib", "sklearn")  # from the demos extra (moons)

FUNCTIONS = {
    "sigmoid": lambda v: v.sigmoid(),
    "tanh": lambda v: v.tanh(),
    "ReLU": lambda v: v.relu(),
    "leaky ReLU (0.1)": lambda v: v.leaky_relu(0.1),
}
DEPTH = 8


def curve(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The activation's values at ``z`` and its slopes, from one batched backward pass.

    >>> values, slopes = curve("sigmoid", np.array([0.0]))
    >>> float(values[0]), float(slopes[0])
    (0.5, 0.25)
    """
    x = Value(np.asarray(z, dtype=float), "z")
    out = FUNCTIONS[name](x)
    out.sum().backward()  # d/dzᵢ Σ f(zⱼ) = f'(zᵢ)
    return np.asarray(out.data), np.asarray(x.grad)


def weight_gradients(model: Any, X: np.ndarray, y: np.ndarray) -> list[float]:
    r"""Mean |∂L/∂w| over the weights of each layer, first layer first."""
    import nn

    model.zero_grad()
    nn.cross_entropy(model(X), y).backward()
    return [
        float(np.mean([abs(w.grad) for neuron in layer.neurons for w in neuron.w]))
        for layer in model.layers
    ]


def dead_fractions(model: Any, X: np.ndarray) -> list[float]:
    r"""For each hidden layer, the fraction of ReLUs that output 0 for every sample."""
    values = [Value(X[:, i]) for i in range(X.shape[1])]
    fractions = []
    for layer in model.layers[:-1]:
        values = layer.propagate(values)
        fractions.append(float(np.mean([np.all(v.data <= 0) for v in values])))
    return fractions


def run(lesson: LessonRun) -> None:
    import nn

    lesson.heading("Four activations and their slopes (computed by backward)")
    z = np.linspace(-5, 5, 201)
    curves = {name: curve(name, z) for name in FUNCTIONS}
    for name, (_, slopes) in curves.items():
        lesson.say(
            f"  {name:<17} largest slope {slopes.max():<5.3g} slope at z = −4: "
            f"{slopes[np.searchsorted(z, -4.0)]:.3g}"
        )
    lesson.say(
        "σ' = σ(1 − σ) is never above 0.25; tanh' reaches 1 at 0; ReLU' is 1 or 0."
    )

    lesson.heading(
        f"Vanishing gradients: {DEPTH} hidden layers of 16, one batch of two moons"
    )
    split = nn.data.moons(100 if lesson.quick else 300, noise=0.1, seed=lesson.seed)
    X, y = split.X_train, split.y_train
    deep = {
        "sigmoid": nn.MLP(
            2, [16] * DEPTH + [2], activation="sigmoid", seed=lesson.seed, init="xavier"
        ),
        "ReLU": nn.MLP(
            2, [16] * DEPTH + [2], activation="relu", seed=lesson.seed, init="he"
        ),
    }
    gradients = {name: weight_gradients(model, X, y) for name, model in deep.items()}
    lesson.say(
        f"mean |∂L/∂w| per layer of weights: layers 1-{DEPTH} hidden (1 next to the "
        f"input), {DEPTH + 1} the output:"
    )
    lesson.say(f"  {'layer':>5}  {'sigmoid':>9}  {'ReLU':>9}")
    for k, (s, r) in enumerate(zip(gradients["sigmoid"], gradients["ReLU"]), start=1):
        where = "  (output)" if k == DEPTH + 1 else ""
        lesson.say(f"  {k:>5}  {s:>9.2e}  {r:>9.2e}{where}")
    for name, values in gradients.items():
        ratio = values[-1] / values[0] if values[0] else float("inf")
        times = f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}"
        lesson.say(f"{name}: the last layer's gradient is {times}× the first layer's")
        lesson.note(f"{name} first-layer gradient", values[0])
        lesson.note(f"{name} last-layer gradient", values[-1])

    lesson.heading("Dead ReLUs: units that output 0 for every input")
    lesson.say(
        "MLP 2 → 32 → 32 → 2 (ReLU) on the same moons; "
        "fraction of dead units per layer:"
    )
    epochs = lesson.epochs(default=10, quick=2)
    runs = (
        ("at the start (He init)", None, None),
        (f"after {epochs} epochs, Adam lr 0.01", lambda m: nn.Adam(m, lr=0.01), None),
        (
            f"after {epochs} epochs, SGD lr 3 (too large)",
            lambda m: nn.SGD(m, lr=3.0),
            None,
        ),
        ("bad init: every bias −2", None, -2.0),
    )
    for title, make_optimizer, bias in runs:
        model = nn.MLP(2, [32, 32, 2], activation="relu", seed=lesson.seed, init="he")
        if bias is not None:
            for layer in model.layers[:-1]:
                for neuron in layer.neurons:
                    neuron.b.data = bias
        note = ""
        if make_optimizer is not None:
            try:
                history = nn.fit(
                    model,
                    X,
                    y,
                    loss="cross_entropy",
                    optimizer=make_optimizer(model),
                    epochs=epochs,
                    batch_size=32,
                    seed=lesson.seed,
                    progress=lesson.progress,
                )
                note = f"   (train accuracy {history.accuracy[-1]:.0%})"
            except FloatingPointError:
                note = "   (training blew up: the loss became nan)"
        fractions = dead_fractions(model, X)
        shown = "  ".join(
            f"layer {k}: {f:>4.0%}" for k, f in enumerate(fractions, start=1)
        )
        lesson.say(f"  {title:<38} {shown}{note}")
        lesson.note(f"dead: {title}", float(np.mean(fractions)))
        if bias is not None:
            first = weight_gradients(model, X, y)[0]
            lesson.say(
                f"  {'':<38} gradient reaching layer 1: mean |∂L/∂w| = {first:.3g}"
            )
    lesson.say(
        "A dead unit has slope 0 for every sample, so no gradient passes through it"
    )
    lesson.say(
        "and it never comes back; leaky ReLU (slope 0.1 or 0.01 below 0) avoids that."
    )

    plots = lesson.save_figure(_activations_figure(z, curves), "activations.png")
    bars = lesson.save_figure(_gradients_figure(gradients), "gradients.png")
    lesson.heading("Look at")
    lesson.say(f"{plots}: each function (top) and its slope (bottom).")
    lesson.say(f"{bars}: the gradient per layer on a log scale: sigmoid's falls layer")
    lesson.say("  by layer towards the input, ReLU's stays level.")


@classroom()
def _activations_figure(
    z: np.ndarray, curves: dict[str, tuple[np.ndarray, np.ndarray]]
) -> Figure:
    fig = figure(14.0, 7.0)
    axes = fig.subplots(2, len(curves), sharex=True)
    for column, (name, (values, slopes)) in enumerate(curves.items()):
        top, bottom = axes[0][column], axes[1][column]
        top.plot(z, values, color=SERIES[0])
        top.set_title(name)
        bottom.plot(z, slopes, color=SERIES[1])
        bottom.set_ylim(-0.05, 1.05)  # one scale for every slope: compare them
        bottom.set_xlabel("z")
        for ax in (top, bottom):
            ax.axhline(0, color="0.8", lw=1.0)
            ax.axvline(0, color="0.8", lw=1.0)
    axes[0][0].set_ylabel("f(z)")
    axes[1][0].set_ylabel("f'(z)  (from backward)")
    return fig


@classroom()
def _gradients_figure(gradients: dict[str, list[float]]) -> Figure:
    fig = figure(10.0, 5.6)
    axes = fig.add_subplot()
    for name, values in gradients.items():
        axes.plot(range(1, len(values) + 1), values, "o-", label=name)
    axes.set_yscale("log")
    axes.set_xlabel(f"layer (1 = next to the input, {DEPTH + 1} = the output)")
    axes.set_ylabel("mean |∂L/∂w|")
    axes.set_title(f"Gradient per layer, {DEPTH} hidden layers")
    legend_beside(axes)
    return fig
