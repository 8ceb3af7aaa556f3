"""Which way a graph is drawn: the size estimate read from the DOT source, and
the direction chosen from it, against what Graphviz really draws."""

from __future__ import annotations

import json
import shutil

import graphviz
import pytest

from autograd import Value, vsum
from viz import draw_graph
from viz.layout import drawn_size, fit_scale, fitting

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def chain(length: int) -> Value:
    """x → (· w1) → (· w2) → ...: one long line of values."""
    value = Value(1.5, "x")
    for k in range(1, length + 1):
        value = value * Value(0.5, f"w{k}")
        value.label = f"y{k}"
    return value


def fan_in(width: int) -> Value:
    """The sum of many inputs: one wide rank."""
    total = vsum([Value(float(k), f"x{k}") for k in range(1, width + 1)])
    total.label = "s"
    return total


def neuron() -> Value:
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(1.0, "b")
    z = x * w + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    loss = (a - 1.0) ** 2
    loss.label = "L"
    return loss


def real_size(graph: graphviz.Digraph) -> tuple[float, float]:
    """The width and height ``dot`` draws the graph at, in points."""
    data = json.loads(graphviz.pipe("dot", "json", str(graph).encode("utf-8")))
    x0, y0, x1, y1 = map(float, data["bb"].split(","))
    return x1 - x0, y1 - y0


def rankdir_of(graph: graphviz.Digraph) -> str:
    return "TB" if "rankdir=TB" in str(graph) else "LR"


def test_a_long_chain_goes_down_and_a_wide_sum_goes_across():
    assert rankdir_of(draw_graph(chain(6))) == "TB"
    assert rankdir_of(draw_graph(fan_in(12))) == "LR"
    # the argument still decides when it is given
    assert rankdir_of(draw_graph(chain(6), rankdir="LR")) == "LR"
    assert rankdir_of(draw_graph(fan_in(12), rankdir="TB")) == "TB"


def test_records_read_the_same_both_ways():
    one = str(draw_graph(chain(1), rankdir="LR"))
    other = str(draw_graph(chain(1), rankdir="TB"))
    assert '"{y1 | data 0.75 | grad 0}"' in one  # fields side by side
    assert '"{{y1 | data 0.75 | grad 0}}"' in other  # turned twice: side by side


def test_the_estimate_needs_no_graphviz_and_names_the_wider_side():
    def width(root: Value, rankdir: str) -> float:
        return drawn_size(draw_graph(root, rankdir=rankdir), rankdir)[0]

    assert width(fan_in(12), "TB") > 2 * width(fan_in(12), "LR")
    assert width(chain(8), "LR") > 2 * width(chain(8), "TB")
    assert fit_scale(2048, 384) == 0.5 and fit_scale(512, 1536) == 0.5


def test_fitting_keeps_left_to_right_unless_top_to_bottom_is_clearly_better():
    def square(rankdir: str) -> graphviz.Digraph:
        g = graphviz.Digraph()
        g.attr(rankdir=rankdir)
        g.edge("a", "b")
        return g

    direction, graph = fitting(square)
    assert direction == "LR" and "rankdir=LR" in str(graph)


@needs_dot
@pytest.mark.parametrize(
    "root", [chain(3), chain(7), fan_in(5), fan_in(14), neuron()], ids=str
)
def test_the_estimate_is_close_to_what_graphviz_draws(root):
    for rankdir in ("LR", "TB"):
        graph = draw_graph(root, rankdir=rankdir)
        (width, height), (real_w, real_h) = drawn_size(graph, rankdir), real_size(graph)
        assert 0.7 < width / real_w < 1.6, (rankdir, width, real_w)
        assert 0.7 < height / real_h < 1.6, (rankdir, height, real_h)


@needs_dot
@pytest.mark.parametrize(
    "root", [chain(2), chain(7), fan_in(4), fan_in(14), neuron()], ids=str
)
def test_the_chosen_direction_fits_the_screen_about_as_well_as_the_best(root):
    chosen = draw_graph(root)
    other = draw_graph(root, rankdir="LR" if rankdir_of(chosen) == "TB" else "TB")
    assert fit_scale(*real_size(chosen)) >= 0.9 * fit_scale(*real_size(other))
