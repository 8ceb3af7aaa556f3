r"""The pictures in the README, made again by one command.

    python -m viz.examples docs/

writes ``graph.svg`` (one neuron, after ``backward()``), ``step.svg`` (the
same graph frozen at backward step 4), ``steps.html`` (the step-by-step page)
and, when :mod:`nn` is importable, ``network.svg`` (a small seeded MLP, in
its blame view: each neuron's ∂L/∂a for one sample whose target is 1).
Everything is deterministic: run it twice, get the same files.

>>> root, params = neuron()
>>> root.label, round(root.data, 4), [p.label for p in params]
('o', 0.7071, ['w1', 'w2', 'b'])
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from autograd import Value
from viz.dot import draw_graph
from viz.html import save_steps_html
from viz.render import save_svg

__all__ = ["main", "neuron", "write_pictures"]


def neuron() -> tuple[Value, list[Value]]:
    r"""One tanh neuron, o = tanh(x1·w1 + x2·w2 + b), built op by op.

    The numbers are chosen so that n = 0.8814 and o = tanh(n) = 0.7071, where
    do/dn = 1 − o² = 0.5: easy to check by hand.
    """
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [w1, w2, b]


def write_pictures(folder: str | Path) -> list[Path]:
    """Write the README's pictures into ``folder``; return their paths."""
    folder = Path(folder)
    root, params = neuron()
    root.backward()
    written = [
        save_svg(draw_graph(root, params=params), folder / "graph.svg"),
        save_svg(draw_graph(root, step=4, params=params), folder / "step.svg"),
        save_steps_html(
            root,
            folder / "steps.html",
            title="One neuron, backpropagation step by step",
            params=params,
        ),
    ]
    try:
        from nn import MLP
    except ImportError:  # the network picture needs nn; the others do not
        return written
    from viz.network import draw_network

    model = MLP(2, [3, 1], activation="tanh", seed=0)
    network = draw_network(model, x=[1.0, -1.0], blame=1.0)
    written.append(save_svg(network, folder / "network.svg"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``python -m viz.examples FOLDER``."""
    parser = argparse.ArgumentParser(
        prog="python -m viz.examples",
        description="Write the README's pictures (graph.svg, steps.html, ...).",
    )
    parser.add_argument("folder", nargs="?", default="docs", help="output folder")
    args = parser.parse_args(argv)
    for path in write_pictures(args.folder):
        print(f"wrote {path}")  # the command's output: which files it made
    return 0


if __name__ == "__main__":
    sys.exit(main())
