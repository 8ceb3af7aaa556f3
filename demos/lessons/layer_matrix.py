r"""Lesson ``layer-matrix``: a layer is W@X + B, and backprop has a pattern.

A layer of neurons, each computing Σₖ wⱼₖ·xₖ + bⱼ, is one matrix product:
with W the n × m matrix of weights (row j: neuron j's), X the m inputs and B
the n biases, Z = W@X + B, then A = f(Z) element by element. The engine
runs a batch exactly so, as one *layer node* per layer; one sample, as one
``wsum`` node per neuron. Both give the same numbers.

The backward pass through layers ℓ = n, n−1, n−2, ... repeats one step
(the second article's "there is a pattern to it"):

    δₙ = ∂C/∂aₙ ⊙ f'(zₙ)
    δℓ = (Wℓ₊₁ᵀ δℓ₊₁) ⊙ f'(zℓ)
    ∂C/∂Wℓ = δℓ · aℓ₋₁ᵀ        ∂C/∂bℓ = δℓ

(for a batch, summed over its samples). Here it is computed by hand with
numpy and checked against the engine's ``layer.W.grad``, layer by layer.

Two worked examples of the articles close it. The second article counts
the bias as one more input whose activity is always 1, with its own
weight: [W | b]@[x; 1] = W@x + b, and the same gradient either way. The
third article's network (five inputs, two hidden layers, five outputs)
names its weights Wₐ,ᵦ, from input (or neuron) a to neuron b; its forward
pass is [W]@[X] + [Bias] = [Z] at every layer, with [W] n × m.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from autograd import Value, sample_graph
from demos.lesson import LessonRun
from viz.classroom import classroom, figure, sign_colour_map
from viz.colours import NEGATIVE, POSITIVE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "layer-matrix"
SUMMARY = "a layer is W@X + B; δℓ = (Wℓ₊₁ᵀ δℓ₊₁) ⊙ f'(zℓ) by hand against the engine"
PICTURE = "gradients.png"  # the one shown in docs/lessons.md
FILES = ("gradients.png", "batch_graph.svg", "sample_graph.svg")
NEEDS = ("matplotlib",)  # from the demos extra

SIZES = (3, 3, 2)  # three layers: ℓ = n, n − 1, n − 2
# The third article's network: 5 inputs, two hidden layers (the first of two
# neurons, as it says; the second of three), 5 outputs; one sample.
ARTICLE_SIZES = (2, 3, 5)
ARTICLE_INPUT = (1.0, 0.5, -1.0, 2.0, 0.0)
INPUTS = 4
BATCH = 5


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def by_hand(
    weights: list[np.ndarray], biases: list[np.ndarray], X: np.ndarray, T: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], float]:
    r"""Forward and backward with numpy alone: (δ's, ∂C/∂W's, ∂C/∂b's, C).

    Column vectors, as the articles write them: aℓ = f(Wℓ@aℓ₋₁ + bℓ) with
    one column per sample, so the batch is a matrix of columns. The cost is
    the mean over every output number of every sample, C = mean (aₙ − t)².
    """
    activations = [X.T]  # a₀: one column per sample
    for W, b in zip(weights, biases):
        z = W @ activations[-1] + b[:, None]
        activations.append(sigmoid(z))
    out = activations[-1]
    cost = float(np.mean((out - T.T) ** 2))
    dC_da = 2 * (out - T.T) / out.size
    deltas: list[np.ndarray] = [dC_da * out * (1 - out)]  # δₙ = ∂C/∂aₙ ⊙ σ'(zₙ)
    for ell in range(len(weights) - 1, 0, -1):
        a = activations[ell]
        deltas.insert(0, (weights[ell].T @ deltas[0]) * a * (1 - a))
    dW = [delta @ activations[ell].T for ell, delta in enumerate(deltas)]
    db = [delta.sum(axis=1) for delta in deltas]
    return deltas, dW, db, cost


def bias_as_input(
    weights: Any, bias: float, x: Any, target: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    r"""One sigmoid neuron and its squared error, two ways: with a bias b, and
    with b as the weight of one more input that is always 1.

    Returns ((z with b, z with the 1-input), (∂C/∂b, ∂C/∂(its weight))).

    >>> zs, grads = bias_as_input([0.5, -1.0], 0.25, [2.0, 1.0], 1.0)
    >>> zs[0] == zs[1], grads[0] == grads[1]
    (True, True)
    """
    from autograd import Constant, wsum

    found = []
    for as_input in (False, True):
        w = [Value(float(v), f"w{k}") for k, v in enumerate(weights, start=1)]
        inputs = [Constant(float(v), f"x{k}") for k, v in enumerate(x, start=1)]
        b = Value(float(bias), "b")
        if as_input:
            z = wsum([*w, b], [*inputs, Constant(1.0, "1")])
        else:
            z = wsum(w, inputs, b)
        cost = (z.sigmoid() - float(target)) ** 2
        cost.backward()
        found.append((float(z.data), float(b.grad)))
    (z0, g0), (z1, g1) = found
    return (z0, z1), (g0, g1)


def _bias_as_input(lesson: LessonRun, model: Any, x: np.ndarray, t: float) -> None:
    """The second article's bias: an input that is always 1, with its own weight."""
    layer = model.layers[0]
    W, b = np.asarray(layer.W.data), np.asarray(layer.b.data)
    lesson.heading("The bias is a weight on an input that is always 1")
    augmented = np.hstack([W, b[:, None]])
    with_one = np.append(x, 1.0)
    lesson.say(
        f"[W | b] is {augmented.shape[0]} × {augmented.shape[1]} and [x; 1] has "
        f"{len(with_one)} numbers, the last always 1:"
    )
    lesson.say(f"  W@x + b       = {np.round(W @ x + b, 6).tolist()}")
    lesson.say(f"  [W | b]@[x; 1] = {np.round(augmented @ with_one, 6).tolist()}")
    zs, grads = bias_as_input(W[0], b[0], x, t)
    lesson.say(f"neuron 1, squared error against {t:g}: ∂C/∂b = {grads[0]:.6f} as a")
    lesson.say(f"  bias, {grads[1]:.6f} as the weight of the input that is always 1")
    lesson.note("bias as input: z gap", float(abs(zs[0] - zs[1])))
    lesson.note("bias as input: gradient gap", float(abs(grads[0] - grads[1])))


def article_forward(model: Any, x: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""One forward pass as matrices: for each layer, Z = [W]@[X] + [Bias] and
    A = σ(Z), columns as the third article writes them."""
    column = np.asarray(x, dtype=float)[:, None]
    passes = []
    for layer in model.layers:
        W, b = np.asarray(layer.W.data), np.asarray(layer.b.data)[:, None]
        z = W @ column + b
        column = sigmoid(z)
        passes.append((z, column))
    return passes


def _article_network(lesson: LessonRun) -> None:
    """The third article's 5-input network: Wₐ,ᵦ and [W]@[X] + [Bias] = [Z]."""
    import nn

    sizes = ARTICLE_SIZES
    model = nn.MLP(
        5, list(sizes), activation="sigmoid", output_activation="sigmoid", seed=1
    )
    lesson.heading("The third article's network: 5 inputs, 2 hidden layers, 5 outputs")
    lesson.say("Wₐ,ᵦ lives on the line from input (or neuron) a to neuron b: W₁,₂")
    lesson.say("joins input 1 to neuron 2. In [W], row b is neuron b, column a is")
    lesson.say("input a, so [W] is n × m for m inputs and n neurons.")
    W = np.asarray(model.layers[0].W.data)
    for b in range(W.shape[0]):
        cells = "  ".join(f"W{a + 1},{b + 1} {W[b, a]:+.3f}" for a in range(5))
        lesson.say(f"  neuron {b + 1}: {cells}")
    passes = article_forward(model, ARTICLE_INPUT)
    rows = [5, *sizes]
    lesson.say(f"[X] = {list(ARTICLE_INPUT)}")
    for k, ((z, a), m, n) in enumerate(zip(passes, rows, rows[1:]), start=1):
        lesson.say(
            f"layer {k}: [W]@[X] + [Bias] = [Z]: ({n}×{m})@({m}×1) + ({n}×1) = "
            f"({n}×1); Z = {np.round(z[:, 0], 4).tolist()}"
        )
        lesson.say(f"         A = σ(Z) = {np.round(a[:, 0], 4).tolist()}")
    out = cast("list[Value]", model(list(ARTICLE_INPUT)))
    engine = np.array([v.data for v in out])
    gap = float(np.abs(engine - passes[-1][1][:, 0]).max())
    lesson.say(
        f"the network's own outputs (one node per neuron): largest gap {gap:.1e}"
    )
    lesson.note("article network: matrices vs nodes", gap)


def run(lesson: LessonRun) -> None:
    import nn

    model = nn.MLP(
        INPUTS,
        list(SIZES),
        activation="sigmoid",
        output_activation="sigmoid",
        seed=lesson.seed,
    )
    rng = np.random.default_rng(lesson.seed)
    X = rng.normal(size=(BATCH, INPUTS)).round(2)
    T = rng.uniform(size=(BATCH, SIZES[-1])).round(2)
    layer = model.layers[0]

    lesson.heading("A layer is W@X + B")
    x = X[0]
    z_matrix = layer.W.data @ x + layer.b.data
    neurons = cast("list[Value]", layer(list(x)))
    z_neurons = np.array([n.parents[0].data for n in neurons])
    batch_out = cast(Value, layer(X)).data[0]
    lesson.say(
        f"layer 1: W is {layer.W.shape[0]} × {layer.W.shape[1]}, B has {layer.nout}"
    )
    lesson.say(
        f"  W@x + B for sample 0 (numpy):          {np.round(z_matrix, 6).tolist()}"
    )
    lesson.say(
        f"  one wsum node per neuron (scalar graph): {np.round(z_neurons, 6).tolist()}"
    )
    lesson.say(
        f"  σ of it, row 0 of the batch's layer node: {np.round(batch_out, 6).tolist()}"
    )
    lesson.note("wsum vs matrix", float(np.abs(z_neurons - z_matrix).max()))
    lesson.note(
        "layer node vs sigmoid(matrix)",
        float(np.abs(batch_out - sigmoid(z_matrix)).max()),
    )

    lesson.heading(f"The batch of {BATCH} and the scalar graph of one sample")
    cost = nn.mse(model(X), T)
    model.zero_grad()
    cost.backward()
    batch_grads = [lay.W.grad.copy() for lay in model.layers]
    samples = [sample_graph(cost, k) for k in range(BATCH)]
    mean_of_samples = float(np.mean([s.data for s in samples]))
    lesson.say(f"batch cost (one fused node): {cost.data:.8f}")
    lesson.say(f"mean of the {BATCH} samples' scalar graphs:  {mean_of_samples:.8f}")
    model.zero_grad()
    for one in samples:
        one.backward()
    summed = [lay.W.grad.copy() / BATCH for lay in model.layers]
    gap = max(float(np.abs(a - b).max()) for a, b in zip(summed, batch_grads))
    lesson.say(f"their gradients, averaged, against the batch's: largest gap {gap:.1e}")
    lesson.note("cost gap", abs(mean_of_samples - cost.data))
    lesson.note("sample gradient gap", gap)
    model.zero_grad()
    cost.backward()  # the batch's gradients again, for the checks below

    lesson.heading("Backprop by hand, layer by layer (numpy) against the engine")
    weights = [lay.W.data.copy() for lay in model.layers]
    biases = [lay.b.data.copy() for lay in model.layers]
    _, dW, db, hand_cost = by_hand(weights, biases, X, T)
    n = len(model.layers)
    lesson.say(f"C by hand {hand_cost:.8f} (engine {cost.data:.8f})")
    for ell in range(n, 0, -1):
        name = "n" if ell == n else f"n−{n - ell}"
        lay = model.layers[ell - 1]
        rule = (
            "δ = ∂C/∂a ⊙ σ'(z)"
            if ell == n
            else f"δ = (W{ell + 1}ᵀ δ{ell + 1}) ⊙ σ'(z{ell})"
        )
        w_gap = float(np.abs(dW[ell - 1] - lay.W.grad).max())
        b_gap = float(np.abs(db[ell - 1] - lay.b.grad).max())
        lesson.say(
            f"  ℓ = {name} (layer {ell}, W {lay.W.shape[0]}×{lay.W.shape[1]}): {rule}"
        )
        lesson.say(
            f"      ∂C/∂W{ell} = δ{ell}·a{ell - 1}ᵀ: largest |hand − W.grad| = "
            f"{w_gap:.1e};  ∂C/∂b{ell}: {b_gap:.1e}"
        )
        lesson.note(f"layer {ell} W gap", w_gap)
        lesson.note(f"layer {ell} b gap", b_gap)
    lesson.note("largest gradient", float(max(np.abs(g).max() for g in dW)))
    lesson.say("The same two lines at every layer: that is the pattern, and the")
    lesson.say("engine's backward pass is that pattern run by the chain rule.")

    _bias_as_input(lesson, model, X[0], float(T[0, 0]))
    _article_network(lesson)

    batch = lesson.save_graph(cost, "batch_graph.svg")
    one = sample_graph(cost, 0)
    sample = lesson.save_graph(one, "sample_graph.svg")
    picture = lesson.save_figure(_figure(dW, model), "gradients.png")
    lesson.heading("Look at")
    lesson.say(f"{picture}: ∂C/∂Wℓ by hand and from the engine, side by side.")
    lesson.say(f"{batch}: the batch: one layer node W@X + B per layer, then σ.")
    lesson.say(f"{sample}: the same network on sample 0: one wsum node per neuron.")


@classroom()
def _figure(dW: list[np.ndarray], model: Any) -> Figure:
    from matplotlib.patches import Patch

    n = len(dW)
    fig = figure(4.2 * n, 8.4)
    axes = fig.subplots(2, n, squeeze=False)
    for ell in range(n):
        engine = model.layers[ell].W.grad
        largest = float(max(np.abs(dW[ell]).max(), np.abs(engine).max())) or 1.0
        for row, (values, how) in enumerate(((dW[ell], "by hand"), (engine, "engine"))):
            ax = axes[row][ell]
            ax.imshow(values, cmap=sign_colour_map(), vmin=-largest, vmax=largest)
            ax.set_title(f"∂C/∂W{ell + 1}, {how}")
            ax.set_xlabel("from neuron k")
            ax.set_ylabel("to neuron j")
            ax.set_xticks([])
            ax.set_yticks([])
            for (j, k), v in np.ndenumerate(values):
                strong = abs(v) > 0.6 * largest
                ax.text(
                    k,
                    j,
                    f"{v:.3g}",
                    ha="center",
                    va="center",
                    fontsize="small",
                    color="white" if strong else "black",
                )
    fig.suptitle("δℓ·aℓ₋₁ᵀ by hand (top) and layer.W.grad (bottom)")
    fig.legend(
        handles=[
            Patch(color=POSITIVE, label="positive"),
            Patch(facecolor="white", edgecolor="0.6", label="0"),
            Patch(color=NEGATIVE, label="negative"),
        ],
        loc="outside lower center",
        ncols=3,
        title="each matrix on its own colour scale",
    )
    return fig
