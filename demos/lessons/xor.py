r"""Lesson ``xor``: XOR is not linearly separable; a hidden layer fixes that.

    x1  x2 | XOR
     0   0 |  0
     0   1 |  1
     1   0 |  1
     1   1 |  0

A linear model σ(w1·x1 + w2·x2 + b) draws one straight line through the
plane, and no straight line puts (0, 1) and (1, 0) on one side and (0, 0) and
(1, 1) on the other. A small MLP with a nonlinearity (tanh) bends the
boundary and gets all four right.

Why the nonlinearity is needed, with numbers (the first article's answer):
without a squashing function two layers collapse into one matrix,
W₂·(W₁·x + b₁) + b₂ = M·x + c with M = W₂·W₁, so stacking linear layers
still draws one straight line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from demos.lesson import LessonRun
from viz.classroom import classroom, figure, legend_beside, sign_colour_map
from viz.colours import class_colour

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "xor"
SUMMARY = "XOR is not linearly separable: a linear model fails, a small MLP solves it"
PICTURE = "mlp_boundary.png"  # the one shown in docs/lessons.md
FILES = (
    "linear_boundary.png",
    "mlp_boundary.png",
    "history.png",
    "network.svg",
    "graph.svg",
    "paths.svg",
)
NEEDS = ("matplotlib",)  # from the demos extra

HIDDEN = 8

# Two linear layers (no squashing) with small whole numbers: 2 → 3 → 1.
W1 = ((1.0, -1.0), (2.0, 1.0), (-1.0, 3.0))
B1 = (0.0, 1.0, -1.0)
W2 = ((1.0, -2.0, 0.5),)
B2 = (0.5,)


def collapsed(
    w1: Any = W1, b1: Any = B1, w2: Any = W2, b2: Any = B2
) -> tuple[np.ndarray, np.ndarray]:
    r"""The one layer two linear layers are: M = W₂·W₁ and c = W₂·b₁ + b₂.

    >>> M, c = collapsed()
    >>> M.tolist(), c.tolist()
    ([[-3.5, -1.5]], [-2.0])
    """
    w1, w2 = np.array(w1), np.array(w2)
    return w2 @ w1, w2 @ np.array(b1) + np.array(b2)


def _linear_layers_collapse(lesson: LessonRun, X: Any) -> None:
    """Two layers without squashing are one matrix: the same numbers both ways."""
    import nn

    lesson.heading("Why a nonlinearity: two linear layers are one matrix")
    layers = [nn.Layer(2, 3, "linear"), nn.Layer(3, 1, "linear")]
    for layer, (w, b) in zip(layers, ((W1, B1), (W2, B2))):
        layer.W.data[...] = np.array(w)
        layer.b.data[...] = np.array(b)
    two = nn.Sequential(*layers)
    M, c = collapsed()
    lesson.say(f"layer 1: h = W₁·x + b₁   W₁ = {_rows(W1)}  b₁ = {_rows([B1])[1:-1]}")
    lesson.say(f"layer 2: y = W₂·h + b₂   W₂ = {_rows(W2)}  b₂ = {_rows([B2])[1:-1]}")
    lesson.say(f"one matrix: M = W₂·W₁ = {_rows(M)}, c = W₂·b₁ + b₂ = {c[0]:g}")
    largest = 0.0
    for x in X:
        through = float(two(list(map(float, x))).data)
        at_once = float((M @ x + c)[0])
        largest = max(largest, abs(through - at_once))
        lesson.say(
            f"  x = ({x[0]:g}, {x[1]:g}):  two layers {through:g}   "
            f"M·x + c = {at_once:g}"
        )
    lesson.say(
        f"Every output is M·x + c: its boundary is one straight line, "
        f"{M[0, 0]:g}·x1 + ({M[0, 1]:g})·x2 + ({c[0]:g}) = 0,"
    )
    lesson.say("however many linear layers are stacked. A squashing function")
    lesson.say("between them is what bends it.")
    lesson.note("collapsed M first weight", float(M[0, 0]))
    lesson.note("collapsed M second weight", float(M[0, 1]))
    lesson.note("two layers vs one matrix, largest difference", largest)


def _rows(matrix: Any) -> str:
    return (
        "["
        + ", ".join("[" + ", ".join(f"{v:g}" for v in row) + "]" for row in matrix)
        + "]"
    )


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    X, y = nn.data.xor()
    epochs = lesson.epochs(default=300, quick=60)
    lesson.heading("The data: four points, two classes")
    for row, label in zip(X, y):
        lesson.say(f"  x1 = {row[0]:g}  x2 = {row[1]:g}  →  {label}")

    lesson.heading("A linear model: a = σ(w1·x1 + w2·x2 + b)")
    linear = nn.MLP(2, [1], output_activation="sigmoid", seed=lesson.seed)
    linear_history = lesson.fit_full_batch(
        linear, X, y, "binary_cross_entropy", lr=0.1, epochs=epochs, seed=lesson.seed
    )
    linear_accuracy = nn.evaluate(linear, X, y)
    lesson.say(
        f"after {epochs} epochs: loss {linear_history.loss[-1]:.3f} "
        f"(log 2 = 0.693 means 'no idea'), accuracy {linear_accuracy:.0%}"
    )
    lesson.say("No straight line separates XOR: the best a line can do is 3 of 4.")
    lesson.note("linear accuracy", linear_accuracy)
    _linear_layers_collapse(lesson, X)

    lesson.heading(f"A small MLP: 2 inputs → {HIDDEN} tanh neurons → 1 sigmoid output")
    mlp = nn.MLP(
        2, [HIDDEN, 1], activation="tanh", output_activation="sigmoid", seed=lesson.seed
    )
    history = lesson.fit_full_batch(
        mlp, X, y, "binary_cross_entropy", lr=0.1, epochs=epochs, seed=lesson.seed
    )
    accuracy = nn.evaluate(mlp, X, y)
    probabilities = nn.predict(mlp, X)[:, 0]
    lesson.say(
        f"after {epochs} epochs: loss {history.loss[-1]:.4f}, accuracy {accuracy:.0%}"
    )
    for row, label, p in zip(X, y, probabilities):
        lesson.say(f"  x = ({row[0]:g}, {row[1]:g})  label {label}  P(1) = {p:.3f}")
    lesson.note("mlp accuracy", accuracy)
    lesson.note("mlp loss", history.loss[-1])

    lesson.heading("Why it works: the hidden layer moves the points")
    hidden = nn.predict(mlp.layers[0], X)
    lesson.say("the hidden neurons' outputs for each point (rounded):")
    for row, label, h in zip(X, y, hidden):
        values = " ".join(f"{v:+.1f}" for v in h)
        lesson.say(f"  ({row[0]:g}, {row[1]:g}) → [{values}]   class {label}")
    lesson.say(
        "In this new space one straight line (the output neuron) separates the classes."
    )

    left = lesson.save_figure(_linear_figure(nn, linear, X, y), "linear_boundary.png")
    right = lesson.save_figure(
        viz.plot_decision_boundary(
            mlp, X, y, title=f"MLP 2-{HIDDEN}-1 (tanh): {accuracy:.0%}"
        ),
        "mlp_boundary.png",
    )
    curves = lesson.save_figure(viz.plot_history(history), "history.png")
    network = lesson.save_svg(viz.draw_network(mlp, x=[1.0, 0.0]), "network.svg")
    output = mlp([1.0, 0.0])
    loss = nn.binary_cross_entropy(output, 1)
    mlp.zero_grad()
    loss.backward()
    # 8 neurons a box each do not fit a projector; a layer a box does
    graph = lesson.save_graph(
        loss, "graph.svg", params=mlp.parameters(), level="layers"
    )
    weight = mlp.layers[0].neurons[0].w[0]
    paths = lesson.save_svg(viz.draw_paths(loss, weight), "paths.svg")
    lesson.note("dE/dw2_11", weight.grad)
    lesson.heading("Look at")
    lesson.say(f"{left}: the trained linear model says 0.5 everywhere (it gave up);")
    lesson.say("  the best straight line still puts one point on the wrong side.")
    lesson.say(f"{right}: the MLP's bent boundary puts every point on its side.")
    lesson.say(f"{curves}: the MLP's loss and accuracy over the epochs.")
    lesson.say(f"{network}: blue and red lines are positive and negative weights,")
    lesson.say("  thicker is larger; circles show each neuron's output for x = (1, 0).")
    lesson.say(f"{graph}: the computation graph of the loss for x = (1, 0), a layer")
    lesson.say("  a box: z = W·x + b with this sample's values and δ, then the loss.")
    lesson.say(f"{paths}: one weight's chain: the local derivative of each tiny")
    lesson.say("  step from it up to the loss, multiplied, and summed over its paths:")
    lesson.say(f"  ∂E/∂{weight.label} = {weight.grad:.4g}, what backward() gave.")


@classroom()
def _linear_figure(nn: Any, model: Any, X: np.ndarray, y: np.ndarray) -> Figure:
    """The trained linear model's P(1), and the best any straight line can do."""
    fig = figure(14.0, 5.6)
    left, right = fig.subplots(1, 2)
    ticks = np.linspace(-0.25, 1.25, 121)
    g1, g2 = np.meshgrid(ticks, ticks)
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    chance = nn.predict(model, grid)[:, 0].reshape(g1.shape)
    # P(class 1) from red (class 0) through white (0.5) to blue (class 1)
    image = left.contourf(
        g1, g2, chance, levels=np.linspace(0, 1, 11), cmap=sign_colour_map()
    )
    fig.colorbar(image, ax=left, label="P(class 1)")
    spread = float(chance.max() - chance.min())
    left.set_title(
        f"trained linear model:\nP(1) ≈ 0.5 everywhere (spread {spread:.1e})"
    )
    # The best a line can do: x1 + x2 = 0.5 cuts (0, 0) off from the rest.
    right.fill_between(ticks, -0.25, 0.5 - ticks, color=class_colour(0), alpha=0.15)
    right.fill_between(ticks, 0.5 - ticks, 1.25, color=class_colour(1), alpha=0.15)
    right.plot(ticks, 0.5 - ticks, color="black", lw=2)
    wrong = X[(X.sum(axis=1) > 0.5).astype(int) != y]
    right.scatter(
        wrong[:, 0],
        wrong[:, 1],
        s=500,
        facecolors="none",
        edgecolors="black",
        linewidths=2,
        label="wrong side",
    )
    right.set_title("the best any line can do: 3 of 4")
    for axes in (left, right):
        for label in (0, 1):
            here = y == label
            axes.scatter(
                X[here, 0],
                X[here, 1],
                color=class_colour(label),
                edgecolors="black",
                s=120,
                zorder=3,
                label=f"class {label}",
            )
        axes.set_xlim(-0.25, 1.25)
        axes.set_ylim(-0.25, 1.25)
        axes.set_xlabel("x₁")
        axes.set_ylabel("x₂")
    legend_beside(right)
    return fig
