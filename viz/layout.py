r"""One layout for many frames: pictures that do not jump between steps.

Graphviz places nodes by the size of their text, so two frames of the same
graph (``grad ?`` in one, ``grad -1.5`` in the next) come out laid out a little
differently, and a slide show of them jitters. Instead, the step-by-step page
lays the graph out *once*, with the widest text every node and edge will ever
show, and pins every frame to those positions:

1. ``dot -Tjson`` on the widest frame gives each node's position and size
   and each edge's spline and label position (:func:`layout_of`);
2. each frame is drawn with those as attributes (``pos="x,y!"``,
   ``fixedsize``) and rendered by ``neato -n2``, which keeps them as given.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import graphviz

from viz.render import GraphvizNotFound, not_found_message

__all__ = ["EdgeCursor", "Layout", "layout_of"]


@dataclass(frozen=True)
class Layout:
    """Positions from one ``dot`` run, keyed by node name and by edge ends."""

    bounding_box: str
    nodes: dict[str, dict[str, str]]
    clusters: dict[str, str]
    edges: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)

    def graph(self) -> dict[str, str]:
        """Graph attributes: the size of the canvas."""
        return {"bb": self.bounding_box}

    def node(self, name: str) -> dict[str, str]:
        """A node's pinned position (``!``) and fixed size, in points/inches."""
        return self.nodes.get(name, {})

    def cluster(self, name: str) -> dict[str, str]:
        return {"bb": self.clusters[name]} if name in self.clusters else {}

    def cursor(self) -> EdgeCursor:
        """A fresh reader of edge positions, for drawing one frame."""
        return EdgeCursor(self)


class EdgeCursor:
    """Hands out edge positions in order; edges between the same two nodes
    (as in ``a + a``) are taken one after the other."""

    def __init__(self, layout: Layout) -> None:
        self._layout = layout
        self._taken: dict[tuple[str, str], int] = defaultdict(int)

    def edge(self, tail: str, head: str) -> dict[str, str]:
        key = (tail, head)
        k = self._taken[key]
        self._taken[key] += 1
        found = self._layout.edges.get(key, [])
        return found[k] if k < len(found) else {}


def layout_of(graph: graphviz.Digraph | str) -> Layout:
    r"""Lay a graph out with ``dot`` once and keep every position."""
    try:
        out = graphviz.pipe("dot", "json", str(graph).encode("utf-8"))
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFound(not_found_message(error)) from None
    data: dict[str, Any] = json.loads(out)
    objects = data.get("objects", [])
    names = [o["name"] for o in objects]
    nodes = {
        o["name"]: {
            "pos": f"{o['pos']}!",
            "width": o["width"],
            "height": o["height"],
            "fixedsize": "true",
        }
        for o in objects
        if "pos" in o
    }
    clusters = {o["name"]: o["bb"] for o in objects if "bb" in o}
    edges: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for e in sorted(data.get("edges", []), key=lambda e: e["_gvid"]):
        pinned = {"pos": e["pos"]}
        if "lp" in e:
            pinned["lp"] = e["lp"]
        edges[(names[e["tail"]], names[e["head"]])].append(pinned)
    return Layout(data["bb"], nodes, clusters, dict(edges))
