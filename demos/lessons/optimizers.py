r"""Lesson ``optimizers``: gradient descent, momentum and Adam on the same hill.

Three ways to turn a gradient g into a step:

- gradient descent:   p ← p − η·g
- momentum:           v ← μ·v + g,  p ← p − η·v   (a ball rolling down a bumpy
  hill: its velocity carries it through small dips)
- Adam:               steps of about η in every direction, from running means
  of g and g² (each parameter gets its own step size)

First on a surface of two parameters, a long valley with a dip on the way
down, where their paths can be drawn on the contour plot; then on a real
network, the 8×8 digits, where their loss curves can be compared.

And what the "stochastic" of stochastic gradient descent is: not a
randomized learning rate (as the second article puts it) but the noise of
mini-batches. Each batch's gradient is the gradient of the cost on a few
examples only: it scatters around the full gradient, and over an epoch of
equal batches its mean is the full gradient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from autograd import Value
from demos.lesson import LessonRun, epoch_curves
from viz.classroom import classroom, figure, legend_beside
from viz.colours import SERIES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "optimizers"
SUMMARY = "gradient descent, momentum and Adam: paths on a bumpy surface, loss curves"
PICTURE = "paths.png"  # the one shown in docs/lessons.md
FILES = ("paths.png", "network.png", "minibatch.png")
NEEDS = ("matplotlib", "sklearn")  # from the demos extra (the 8×8 digits)

START = (-4.5, 1.0)
STEPS = 150
DIP = (0.6, -3.0, 4.0)  # depth, place and sharpness of the dip on the way down
RUNS = (  # name, optimizer, settings
    ("gradient descent", "SGD", {"lr": 0.05}),
    ("momentum 0.9", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("Adam", "Adam", {"lr": 0.3}),
)


def surface(x: Value, y: Value) -> Value:
    r"""f(x, y) = x²/10 + 2y² − 0.6·e^{−4(x + 3)²}: a valley with a dip at x ≈ −3.6.

    Its lowest point is f(0, 0) = 0; the dip holds a ball that stops in it.

    >>> round(surface(Value(0.0), Value(0.0)).data, 6)
    -0.0
    """
    depth, place, sharpness = DIP
    return x * x / 10 + 2 * y * y - depth * (-sharpness * (x - place) ** 2).exp()


def descend(kind: str, settings: dict[str, float], steps: int) -> np.ndarray:
    r"""The path of one optimizer from START, as (steps + 1) × 2 positions."""
    import nn

    x, y = Value(START[0], "x"), Value(START[1], "y")
    optimizer = getattr(nn, kind)([x, y], **settings)
    path = [(x.data, y.data)]
    for _ in range(steps):
        optimizer.zero_grad()
        surface(x, y).backward()
        optimizer.step()
        path.append((x.data, y.data))
    return np.array(path)


def height(path: np.ndarray) -> float:
    """f at the end of a path."""
    return float(surface(Value(path[-1, 0]), Value(path[-1, 1])).data)


# A line to fit, y = 2x + 1 + noise, with two parameters (w, b): the
# gradients of a mini-batch and of all the data, at w = b = 0.
POINTS = 256
BATCH = 16


def minibatch_gradients(seed: int) -> tuple[np.ndarray, np.ndarray]:
    r"""∂C/∂(w, b) of C = mean (w·x + b − y)² at w = b = 0: on all the data,
    and on each batch of one shuffled epoch (one row per batch).

    >>> full, batches = minibatch_gradients(0)
    >>> batches.shape, bool(np.allclose(batches.mean(axis=0), full))
    ((16, 2), True)
    """
    from autograd import Constant

    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, POINTS)
    y = 2 * x + 1 + rng.normal(0, 0.5, POINTS)

    def gradient(rows: np.ndarray) -> np.ndarray:
        w, b = Value(0.0, "w"), Value(0.0, "b")
        cost = ((w * Constant(x[rows]) + b - Constant(y[rows])) ** 2).mean()
        cost.backward()
        return np.array([w.grad, b.grad])

    order = rng.permutation(POINTS)
    batches = np.array(
        [gradient(order[k : k + BATCH]) for k in range(0, POINTS, BATCH)]
    )
    return gradient(np.arange(POINTS)), batches


def _minibatch_noise(lesson: LessonRun) -> Figure:
    """SGD's randomness: the gradient of one mini-batch against the full one."""
    lesson.heading("Stochastic: the noise of mini-batches, not a random rate")
    full, batches = minibatch_gradients(lesson.seed)
    lesson.say(f"fit y = w·x + b to {POINTS} noisy points of y = 2x + 1; at w = b = 0:")
    lesson.say(
        f"  the full gradient (all {POINTS} points): ∂C/∂w = {full[0]:+.3f}, "
        f"∂C/∂b = {full[1]:+.3f}"
    )
    for k in range(3):
        lesson.say(
            f"  batch {k + 1} ({BATCH} points):              ∂C/∂w = "
            f"{batches[k, 0]:+.3f}, ∂C/∂b = {batches[k, 1]:+.3f}"
        )
    mean = batches.mean(axis=0)
    spread = batches.std(axis=0)
    lesson.say(
        f"the mean of the {len(batches)} batches' gradients: ({mean[0]:+.3f}, "
        f"{mean[1]:+.3f}): the full one;"
    )
    lesson.say(f"their spread (standard deviation): ({spread[0]:.3f}, {spread[1]:.3f})")
    lesson.say("The learning rate stays fixed. Each step follows one batch's")
    lesson.say("gradient: right on average, noisy from step to step. That noise,")
    lesson.say("not a randomized learning rate, is what 'stochastic' means here.")
    lesson.note("full gradient dC/dw", float(full[0]))
    lesson.note("full gradient dC/db", float(full[1]))
    lesson.note("mean of batch gradients vs full", float(np.abs(mean - full).max()))
    lesson.note("spread of batch dC/dw", float(spread[0]))
    return _minibatch_figure(full, batches)


@classroom()
def _minibatch_figure(full: np.ndarray, batches: np.ndarray) -> Figure:
    fig = figure(10.0, 6.4)
    ax = fig.add_subplot()
    batch = SERIES[1]
    for gw, gb in batches:
        ax.annotate(
            "",
            xy=(gw, gb),
            xytext=(0, 0),
            arrowprops={"arrowstyle": "->", "color": batch, "lw": 2, "alpha": 0.8},
        )
    ax.plot([], [], color=batch, label=f"one batch of {BATCH} points each")
    ax.annotate(
        "",
        xy=tuple(full),
        xytext=(0, 0),
        arrowprops={"arrowstyle": "->", "color": SERIES[0], "lw": 4},
    )
    ax.plot([], [], color=SERIES[0], lw=4, label=f"all {POINTS} points")
    mean = batches.mean(axis=0)
    ax.plot(*mean, "+", color=SERIES[0], ms=18, mew=3, label="mean of the batches")
    ends = np.vstack([batches, full, [0, 0]])
    pad = 0.15 * (ends.max(axis=0) - ends.min(axis=0))
    ax.set_xlim(ends[:, 0].min() - pad[0], ends[:, 0].max() + pad[0])
    ax.set_ylim(ends[:, 1].min() - pad[1], ends[:, 1].max() + pad[1])
    ax.set_xlabel("∂C/∂w")
    ax.set_ylabel("∂C/∂b")
    ax.set_title("the gradient at w = b = 0:\neach mini-batch's, and the full one")
    legend_beside(ax)
    return fig


def run(lesson: LessonRun) -> None:
    import nn

    lesson.heading(f"One surface, three optimizers, {STEPS} steps from {START}")
    lesson.say("f(x, y) = x²/10 + 2y² − 0.6·e^(−4(x + 3)²): steep across, gentle")
    lesson.say("along, with a dip on the way to the lowest point f(0, 0) = 0.")
    paths = {name: descend(kind, settings, STEPS) for name, kind, settings in RUNS}
    for (name, _, settings), path in zip(RUNS, paths.values()):
        f = height(path)
        shown = ", ".join(f"{k} {v:g}" for k, v in settings.items())
        where = "stuck in the dip" if path[-1, 0] < -2 else "reached the valley floor"
        lesson.say(
            f"  {name:<17} ({shown:<23}) ends at ({path[-1, 0]:+.3f}, "
            f"{path[-1, 1]:+.3f}), f = {f:.4f}: {where}"
        )
        lesson.note(f"{name} f", f)
        lesson.note(f"{name} x", path[-1, 0])
    lesson.say("Plain descent stops where the slope is 0, in the dip. Momentum keeps")
    lesson.say("the velocity it gathered on the way down and rolls through it. Adam")
    lesson.say("scales each step by its own gradient history: with lr 0.3 it gets out")
    lesson.say("(with lr 0.1 it stays in the dip too).")

    lesson.heading("The same three on a network: 8×8 digits, MLP 64 → 32 → 10")
    split = nn.data.digits(seed=lesson.seed)
    epochs = lesson.epochs(default=10, quick=3)
    curves: dict[str, list[float]] = {}
    settings_for = {
        "gradient descent": ("SGD", {"lr": 0.05}),
        "momentum 0.9": ("SGD", {"lr": 0.05, "momentum": 0.9}),
        "Adam": ("Adam", {"lr": 0.005}),
    }
    for name, (kind, settings) in settings_for.items():
        model = nn.MLP(64, [32, 10], activation="relu", seed=lesson.seed, init="he")
        with lesson.one_blas_thread():
            history = nn.fit(
                model,
                split.X_train,
                split.y_train,
                optimizer=getattr(nn, kind)(model, **settings),
                epochs=epochs,
                batch_size=32,
                seed=lesson.seed,
                progress=lesson.progress,
            )
        test = nn.evaluate(model, split.X_test, split.y_test)
        curves[name] = history.loss
        shown = ", ".join(f"{k} {v:g}" for k, v in settings.items())
        lesson.say(
            f"  {name:<17} ({shown + '):':<25} loss {history.loss[0]:.3f} → "
            f"{history.loss[-1]:.4f}, test accuracy {test:.1%}"
        )
        lesson.note(f"{name} final loss", history.loss[-1])
        lesson.note(f"{name} test accuracy", test)
    lesson.say(f"Same start, same {epochs} epochs of batches of 32: momentum and Adam")
    lesson.say("bring the loss down much faster than plain steps of the same size.")

    noise = lesson.save_figure(_minibatch_noise(lesson), "minibatch.png")
    picture = lesson.save_figure(_paths_figure(paths), "paths.png")
    network = lesson.save_figure(
        epoch_curves(
            curves, "training loss", "MLP 64 → 32 → 10 on the 8×8 digits", log=True
        ),
        "network.png",
    )
    lesson.heading("Look at")
    lesson.say(f"{picture}: the three paths on the contour plot of f, and f along")
    lesson.say(
        "  each path: momentum overshoots, swings back and settles at the bottom."
    )
    lesson.say(f"{network}: the training loss per epoch of the three on the digits.")
    lesson.say(f"{noise}: one arrow per mini-batch's gradient around the full one.")


@classroom()
def _paths_figure(paths: dict[str, np.ndarray]) -> Figure:
    fig = figure(15.0, 5.6)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1.6, 1)})
    xs, ys = np.meshgrid(np.linspace(-5.5, 2.5, 240), np.linspace(-1.6, 1.6, 120))
    grid = surface(Value(xs.ravel()), Value(ys.ravel())).data.reshape(xs.shape)
    left.contourf(xs, ys, grid, levels=30, cmap="Greys")
    left.contour(xs, ys, grid, levels=30, colors="0.5", linewidths=0.4)
    for (name, path), colour in zip(paths.items(), SERIES[1:]):
        left.plot(path[:, 0], path[:, 1], ".-", color=colour, ms=6, lw=2, label=name)
        right.plot(
            [height(path[: k + 1]) for k in range(len(path))], color=colour, label=name
        )
    left.plot(*START, "o", color="black", ms=10)
    left.plot(0, 0, "*", color="black", ms=16)
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title("paths from ● towards the lowest point ★")
    right.set_yscale("symlog", linthresh=1e-3)
    right.set_xlabel("step")
    right.set_ylabel("f")
    right.set_title("f along each path")
    legend_beside(right)
    return fig
