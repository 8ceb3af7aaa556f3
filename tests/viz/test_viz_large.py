"""Graphs whose values fan out far apart: drawn fast, or refused clearly."""

from __future__ import annotations

import subprocess
import sys

import pytest

import viz
from autograd import Value, topological_order, vsum
from viz.dot import LAYOUT_PER_VALUE, layout_size


def fan_out(terms: int) -> Value:
    """x·w + x·w + ... : one x and one w used by every term of a long sum."""
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    total = x * w
    for _ in range(terms - 1):
        total = total + x * w
    return total


def largest_accepted() -> int:
    terms = 2
    while True:
        try:
            viz.draw_graph(fan_out(terms + 1))
        except viz.GraphTooLargeError:
            return terms
        terms += 1


def test_a_long_edge_counts_once_per_rank_it_crosses():
    chain = Value(1.0, "x")
    for _ in range(10):
        chain = chain.tanh()
    order = topological_order(chain)
    assert layout_size(order, set()) == 11 + 10  # values and ops, no long edge
    assert layout_size(topological_order(fan_out(20)), set()) > 20 * 20


@pytest.mark.slow
def test_a_fan_out_too_costly_to_lay_out_is_refused_with_the_way_out():
    terms = largest_accepted()
    graph = fan_out(terms + 1)
    with pytest.raises(
        viz.GraphTooLargeError, match=r"max_nodes=\d+ .*anyway"
    ) as error:
        viz.draw_graph(graph)
    assert "used far apart" in str(error.value)
    values = len(topological_order(graph))
    assert values < viz.dot.DEFAULT_MAX_NODES  # few values: the layout is the cost
    needed = int(str(error.value).split("Pass max_nodes=")[1].split()[0])
    dot = str(viz.draw_graph(graph, max_nodes=needed))  # allowed when asked
    assert dot.count("->") > 4 * terms


@pytest.mark.slow
def test_the_largest_accepted_fan_out_renders_in_seconds():
    terms = largest_accepted()
    assert layout_size(topological_order(fan_out(terms)), set()) <= (
        LAYOUT_PER_VALUE * viz.dot.DEFAULT_MAX_NODES
    )
    script = (
        "import viz\n"
        "from autograd import Value\n"
        "x, w = Value(2.0, 'x'), Value(-3.0, 'w')\n"
        f"total = sum((x * w for _ in range({terms - 1})), x * w)\n"
        "svg = viz.render_svg(viz.draw_graph(total))\n"
        "print(svg.count('<g id=\"node'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,  # a guard, not a speed test: unguarded, this took minutes
        check=True,
    )
    assert int(done.stdout) > 2 * terms


def test_many_independent_terms_are_cheap_to_lay_out():
    terms = [Value(float(k), f"x{k}") * Value(1.0, f"w{k}") for k in range(40)]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    order = topological_order(total)
    assert layout_size(order, set()) < 3 * len(order)
    assert "x39" in str(viz.draw_graph(total))
    assert len(order) > 100 and vsum(terms).op == "vsum"
