r"""Lesson ``blame``: backpropagation as a blame game.

The third article's picture: after a wrong answer, the error is handed
backwards, layer by layer, and every neuron gets its share of the blame,
∂L/∂a, the amount the loss would change per unit of its activation. A
neuron passes blame to the neurons below it through its weights:

    ∂L/∂aₖ = Σⱼ wⱼₖ · δⱼ,      δⱼ = ∂L/∂zⱼ = ∂L/∂aⱼ · f'(zⱼ)

and a weight's own gradient is ∂L/∂wⱼₖ = δⱼ · aₖ: the more active the
upstream neuron aₖ was, the more of the blame lands on its connection, so
the busy neurons get their weights changed most. One step of gradient
descent, w ← w − lr · ∂L/∂w, then makes this wrong answer less wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import Value
from autograd.names import input_name
from demos.lesson import LessonRun
from viz.classroom import classroom, figure
from viz.colours import NEGATIVE, POSITIVE, sign_colour

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "blame"
SUMMARY = "backprop as a blame game: each neuron's share ∂L/∂a of one wrong answer"
PICTURE = "blame.png"  # the one shown in docs/lessons.md
FILES = ("blame.png", "network.svg", "chain.svg")
NEEDS = ("matplotlib",)  # from the demos extra

SIZES = (3, 3)  # hidden layers
LR = 0.5


def forward(model: Any, x: np.ndarray) -> tuple[list[list[Value]], list[Value]]:
    r"""Every layer's activation Values for one sample, inputs first; the logits last.

    Built neuron by neuron (one ``wsum`` node per neuron), so after
    ``backward()`` each Value's grad is that neuron's ∂L/∂a.
    """
    values: list[Value] = [Value(float(v), input_name(i)) for i, v in enumerate(x)]
    layers = [values]
    for layer in model.layers:
        values = list(layer.propagate(values))
        layers.append(values)
    return layers, values


def blame_by_hand(model: Any, layers: list[list[Value]], upstream: np.ndarray) -> list:
    r"""∂L/∂a of every layer from the output's, with numpy: Σⱼ wⱼₖ·∂L/∂aⱼ·f'(zⱼ).

    Returns one array per layer, inputs first.
    """
    result = [upstream]
    for ell in range(len(model.layers) - 1, -1, -1):
        layer = model.layers[ell]
        a = np.array([v.data for v in layers[ell + 1]])
        slope = _slope(layer.activation, a)
        delta = result[0] * slope
        result.insert(0, layer.W.data.T @ delta)
    return result


def _slope(activation: str, a: np.ndarray) -> np.ndarray:
    """f'(z) from the activation's output a."""
    if activation == "sigmoid":
        return a * (1 - a)
    if activation == "tanh":
        return 1 - a**2
    return np.ones_like(a)  # linear


def run(lesson: LessonRun) -> None:
    import nn
    import viz

    X, y = nn.data.four_pixel_camera()
    names = nn.data.FOUR_PIXEL_CLASSES
    model = nn.MLP(4, [*SIZES, 4], activation="sigmoid", seed=lesson.seed)
    guesses = nn.predict(model, X).argmax(axis=1)
    wrong = np.flatnonzero(guesses != y)
    pick = int(wrong[0]) if len(wrong) else 0
    x, label = X[pick], int(y[pick])

    layers, logits = forward(model, x)
    loss = nn.cross_entropy(logits, label)
    loss.backward()
    scores = np.array([v.data for v in logits])
    p = np.exp(scores - scores.max())
    p /= p.sum()
    guess = int(np.argmax(p))
    lesson.heading("One wrong answer")
    lesson.say(
        f"image {pick} (pixels {x.tolist()}) is {names[label]}; the untrained network"
    )
    lesson.say(
        f"says {names[guess]}: p({names[guess]}) = {p[guess]:.3f}, "
        f"p({names[label]}) = {p[label]:.3f}; loss −log p = {loss.data:.4f}"
    )
    lesson.note("loss before", loss.data)
    lesson.note("p correct before", p[label])

    upstream = np.array([v.grad for v in logits])
    by_hand = blame_by_hand(model, layers, upstream)
    titles = ["inputs", *[f"hidden layer {k}" for k in range(1, len(SIZES) + 1)]]
    titles.append("outputs")
    lesson.heading("The blame, from the output back: ∂L/∂a of every neuron")
    lesson.say("output k: ∂L/∂zₖ = pₖ − [k = correct] (softmax cross-entropy)")
    largest_gap = 0.0
    for ell in range(len(layers) - 1, -1, -1):
        engine = np.array([v.grad for v in layers[ell]])
        gap = float(np.abs(engine - by_hand[ell]).max())
        largest_gap = max(largest_gap, gap)
        shares = "  ".join(
            f"{v.data:+.2f}→{g:+.3f}" for v, g in zip(layers[ell], engine)
        )
        lesson.say(f"  {titles[ell]:<15} a→∂L/∂a: {shares}")
        lesson.note(f"blame {titles[ell]}", float(np.abs(engine).sum()))
    lesson.say("Each layer's blame is Σⱼ wⱼₖ·δⱼ of the layer above (numpy, by hand):")
    lesson.say(f"  largest difference from the engine's backward: {largest_gap:.1e}")
    lesson.note("largest difference", largest_gap)

    lesson.heading(f"The weight updates it implies: Δw = −{LR:g} · δⱼ · aₖ")
    for ell, layer in enumerate(model.layers):
        grads = layer.W.grad
        j, k = np.unravel_index(np.argmax(np.abs(grads)), grads.shape)
        upstream_a = layers[ell][k].data
        lesson.say(
            f"  into {titles[ell + 1]:<15} largest: neuron {j + 1} ← {k + 1} "
            f"(aₖ = {upstream_a:+.3f}): ∂L/∂w = {grads[j, k]:+.4f}, "
            f"Δw = {-LR * grads[j, k]:+.4f}"
        )
    first = model.layers[-1]
    activity = np.abs([v.data for v in layers[-2]])
    blamed = np.abs(first.W.grad).sum(axis=0)
    order = [int(k) + 1 for k in np.argsort(-blamed)]
    lesson.say(
        f"  the last hidden neurons, most changed first: {order}; their activations "
        f"{[round(float(activity[k - 1]), 3) for k in order]}"
    )
    lesson.say("  (∂L/∂wⱼₖ = δⱼ·aₖ: a quiet neuron, aₖ ≈ 0, gets little blame).")
    network = lesson.save_svg(
        viz.draw_network(model, x=list(x), show_grads=True), "network.svg"
    )
    grads = model.layers[0].W.grad
    j, k = np.unravel_index(int(np.argmax(np.abs(grads))), grads.shape)
    weight = model.layers[0].neurons[int(j)].w[int(k)]  # the most blamed in layer 2
    chain = lesson.save_svg(viz.draw_paths(loss, weight), "chain.svg")
    lesson.note("most blamed first-layer weight's gradient", weight.grad)
    picture = lesson.save_figure(
        _figure(model, layers, by_hand, titles, names, label), "blame.png"
    )

    optimizer = nn.SGD(model, lr=LR)
    optimizer.step()
    after = nn.cross_entropy(model(list(x)), label)
    scores = nn.predict(model, x.reshape(1, -1))[0]
    q = np.exp(scores - scores.max())
    q /= q.sum()
    lesson.heading("After one step of gradient descent")
    lesson.say(
        f"loss {loss.data:.4f} → {after.data:.4f}; "
        f"p({names[label]}) {p[label]:.3f} → {q[label]:.3f}"
    )
    lesson.note("loss after", after.data)
    lesson.note("p correct after", q[label])

    lesson.heading("Look at")
    lesson.say(f"{picture}: every neuron with its activation and its blame ∂L/∂a")
    lesson.say("  (blue, positive: raising it raises the loss; red, negative: lowers")
    lesson.say("  it); lines: the weight updates Δw, thicker for larger |Δw|.")
    lesson.say(f"{network}: the same network, each line labelled with ∂L/∂w.")
    lesson.say(f"{chain}: the blame of the most blamed first-layer weight,")
    lesson.say(f"  {weight.label}, traced back: each path from it to the loss, the")
    lesson.say("  local derivative of each step, and their products summed.")


@classroom()
def _figure(
    model: Any,
    layers: list[list[Value]],
    blame: list[np.ndarray],
    titles: list[str],
    classes: tuple[str, ...],
    label: int,
) -> Figure:
    from matplotlib.lines import Line2D

    fig = figure(15.0, 7.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    positions = []
    for ell, values in enumerate(layers):
        n = len(values)
        positions.append([(ell * 2.0, (n - 1) / 2 - j) for j in range(n)])
    updates = [np.abs(layer.W.grad) for layer in model.layers]
    largest_update = max(float(u.max()) for u in updates) or 1.0
    for ell, layer in enumerate(model.layers):
        for j in range(layer.nout):
            for k in range(layer.nin):
                change = -float(layer.W.grad[j, k])  # Δw = −lr · ∂L/∂w
                (x0, y0), (x1, y1) = positions[ell][k], positions[ell + 1][j]
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color=sign_colour(change),
                    lw=0.5 + 6 * abs(change) / largest_update,
                    alpha=0.6,
                    zorder=1,
                )
    largest_blame = max(float(np.abs(b).max()) for b in blame) or 1.0
    for ell, values in enumerate(layers):
        for (px, py), v, share in zip(positions[ell], values, blame[ell]):
            strength = min(abs(share) / largest_blame, 1.0)
            ax.scatter(
                [px],
                [py],
                s=5200,
                color=[_tint(sign_colour(share), 0.7 * strength)],
                edgecolors="black",
                linewidths=1.2,
                zorder=2,
            )
            ax.text(
                px,
                py,
                f"a={v.data:.2f}\n{share:+.3f}",
                ha="center",
                va="center",
                zorder=3,
            )
        top = (len(values) - 1) / 2 + 0.75
        ax.text(ell * 2.0, top, titles[ell], ha="center")
    for k, ((px, py), name) in enumerate(zip(positions[-1], classes)):
        mark = " (correct)" if k == label else ""
        ax.text(px + 0.45, py, name + mark, va="center")
    ax.set_title("every neuron: its activation a and its blame ∂L/∂a")
    ax.set_xlim(-0.6, 2.0 * (len(layers) - 1) + 2.4)
    ax.set_ylim(-2.0, 2.3)
    ax.legend(
        handles=[
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=18,
                mfc=_tint(POSITIVE, 0.7),
                mec="black",
                label="∂L/∂a > 0",
            ),
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=18,
                mfc=_tint(NEGATIVE, 0.7),
                mec="black",
                label="∂L/∂a < 0",
            ),
            Line2D([], [], color=POSITIVE, lw=4, label="update Δw > 0"),
            Line2D([], [], color=NEGATIVE, lw=4, label="update Δw < 0"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        borderaxespad=0.0,
        title="stronger colour, thicker\nline: larger |number|",
    )
    return fig


def _tint(colour: str, strength: float) -> tuple[float, float, float]:
    """``colour`` mixed into white: none of it at 0, all of it at 1."""
    rgb = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    r, g, b = (1 - strength * (1 - c) for c in rgb)
    return (r, g, b)
