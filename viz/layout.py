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
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import graphviz

from viz.render import GraphvizNotFound, not_found_message

__all__ = [
    "SCREEN",
    "EdgeCursor",
    "Layout",
    "drawn_size",
    "fit_scale",
    "fitting",
    "layout_of",
    "text_width",
]


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


# --- which way to draw: left to right or top to bottom ------------------------------

#: The screen a picture is made to fit: a classroom projector, in CSS pixels.
SCREEN = (1024, 768)
#: Graphviz's defaults, in points: the gap between nodes of a rank, between
#: ranks, and a node's smallest width and height.
NODESEP, RANKSEP, MIN_WIDTH, MIN_HEIGHT = 18.0, 36.0, 54.0, 36.0
#: About how wide a character of Helvetica is, as a share of the font size.
CHAR_WIDTH = 0.56
_NARROW, _WIDE = set("ijlrtf.,:;'|!()[]1 "), set("mwMWG@%∂")

_ID = r'("(?:[^"\\]|\\.)*"|[\w.]+)'
_STATEMENT = re.compile(rf"^\s*(?:{_ID}\s*->\s*{_ID}|{_ID})\s*(?:\[(.*)\])?\s*$")
_ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|<.*>|[^\s\]]+)')
_TAG = re.compile(r"<[^>]*>")


def text_width(text: str, size: float) -> float:
    r"""About how wide a line of Helvetica is, in points.

    >>> text_width("data 2", 10.0) < text_width("data -0.5", 10.0)
    True
    """
    units = sum(
        0.3 if c in _NARROW else 0.85 if c in _WIDE else CHAR_WIDTH for c in text
    )
    return units * size


@dataclass(frozen=True)
class _Box:
    width: float
    height: float


def _attributes(text: str | None) -> dict[str, str]:
    found = {}
    for key, value in _ATTRIBUTE.findall(text or ""):
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        found[key] = value
    return found


def _label_lines(label: str) -> list[str]:
    if label.startswith("<"):  # an HTML-like label: one line per table row
        rows = label.split("<tr>")[1:] or [label]
        return [_TAG.sub("", row).strip() for row in rows]
    for end in ("\\l", "\\r"):
        label = label.replace(end, "\\n")
    return label.split("\\n")


def _node_box(attrs: dict[str, str], size: float, across: bool) -> _Box:
    """About the size of a drawn node, in points; ``across``: the graph is
    drawn top to bottom (a record's fields then lie side by side)."""
    label = attrs.get("label", "")
    size = float(attrs.get("fontsize", size))
    if attrs.get("fixedsize") == "true" and "width" in attrs and "height" in attrs:
        return _Box(float(attrs["width"]) * 72, float(attrs["height"]) * 72)
    shape = attrs.get("shape", "ellipse")
    line = 1.2 * size
    if shape == "record":
        fields = [f.strip() for f in label.strip("{}").split(" | ")]
        widths = [text_width(f, size) + 16 for f in fields]
        turns = len(label) - len(label.lstrip("{"))  # each brace turns the fields
        if across == (turns % 2 == 0):  # fields side by side
            return _Box(max(sum(widths), MIN_WIDTH), max(line + 12, MIN_HEIGHT))
        return _Box(max(max(widths), MIN_WIDTH), max(len(fields) * (line + 8), 36))
    lines = _label_lines(label)
    width = max(text_width(text, size) for text in lines)
    height = len(lines) * line
    if label.startswith("<"):  # a table: padding and spacing around each cell
        return _Box(width + 28, height + 16 * len(lines) + 8)
    if shape in ("plaintext", "plain", "none"):
        return _Box(width + 16, height + 8)
    if shape == "circle":
        side = max(width, height, MIN_HEIGHT - 16) + 16
        return _Box(side, side)
    return _Box(max(1.3 * width + 16, MIN_WIDTH), max(1.3 * height + 8, MIN_HEIGHT))


@dataclass
class _Parsed:
    """The nodes, edges and clusters of a graph's DOT source, measured."""

    nodes: dict[str, _Box] = field(default_factory=dict)
    edges: list[tuple[str, str, _Box | None]] = field(default_factory=list)
    side: list[_Box] = field(default_factory=list)


def _parse(source: str, across: bool) -> _Parsed:
    parsed = _Parsed()
    sizes = {"node": 14.0, "edge": 14.0}
    cluster: list[_Box] | None = None
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("subgraph cluster"):
            cluster = []
            continue
        if stripped == "}" and cluster is not None:
            if cluster:  # a box beside the graph, with its title on top
                parsed.side.append(
                    _Box(
                        max(b.width for b in cluster) + 16,
                        sum(b.height for b in cluster) + 1.2 * sizes["node"] + 16,
                    )
                )
            cluster = None
            continue
        found = _STATEMENT.match(line)
        if found is None:
            continue
        tail, head, name, rest = found.groups()
        attrs = _attributes(rest)
        if name in sizes:
            sizes[name] = float(attrs.get("fontsize", sizes[name]))
        elif name == "graph":
            continue
        elif name is not None:
            box = _node_box(attrs, sizes["node"], across)
            if cluster is not None:
                cluster.append(box)
            else:
                parsed.nodes[name] = box
        else:
            label = attrs.get("label")
            box = None
            if label:
                size = float(attrs.get("fontsize", sizes["edge"]))
                lines = _label_lines(label)
                box = _Box(
                    max(text_width(t, size) for t in lines) + 4,
                    len(lines) * 1.2 * size + 2,
                )
            parsed.edges.append((tail.strip('"'), head.strip('"'), box))
    return parsed


def _ranks(names: list[str], uses: dict[str, list[str]], span: int) -> dict[str, int]:
    """Each node's rank, as late as its uses allow (the last rank is 0)."""
    rank: dict[str, int] = {}
    for start in names:  # depth first, without recursion
        if start in rank:
            continue
        stack, entered = [start], {start}
        while stack:
            top = stack[-1]
            later = [h for h in uses[top] if h not in rank and h not in entered]
            if later:
                stack.append(later[0])
                entered.add(later[0])
                continue
            stack.pop()
            rank[top] = min((rank.get(h, 0) - span for h in uses[top]), default=0)
    lowest = min(rank.values(), default=0)
    return {name: r - lowest for name, r in rank.items()}


def _breadth(
    ranks: dict[int, list[str]],
    size: dict[str, float],
    parents: dict[str, list[str]],
) -> float:
    """How far the ranks spread across: from the last rank back, each node
    centred on the nodes it feeds, beside the other nodes of its rank."""
    at: dict[str, float] = {}
    for r in sorted(ranks, reverse=True):
        wanted: dict[str, list[float]] = defaultdict(list)
        for child in ranks.get(r + 1, []):  # its parents side by side, centred
            row = parents[child]
            left = at[child] - (sum(size[p] for p in row) + NODESEP * len(row)) / 2
            for p in row:
                wanted[p].append(left + size[p] / 2)
                left += size[p] + NODESEP
        goal = {n: sum(wanted[n]) / len(wanted[n]) for n in ranks[r] if wanted[n]}
        names = sorted(ranks[r], key=lambda n: goal.get(n, float("inf")))
        right = None
        for n in names:  # left to right: where it wants to be, or further right
            x = goal.get(n)
            if right is not None:
                least = right + NODESEP + size[n] / 2
                x = least if x is None else max(x, least)
            at[n] = 0.0 if x is None else x
            right = at[n] + size[n] / 2
        if goal:  # the whole rank moved back towards where its nodes want to be
            shift = 0.5 * sum(goal[n] - at[n] for n in goal) / len(goal)
            for n in names:
                at[n] += shift
    if not at:
        return 0.0
    return max(at[n] + size[n] / 2 for n in at) - min(at[n] - size[n] / 2 for n in at)


def drawn_size(graph: graphviz.Digraph | str, rankdir: str) -> tuple[float, float]:
    r"""About the width and height, in points, that ``dot`` draws a graph at.

    Read from the DOT source alone (no Graphviz program needed), the way
    ``dot`` lays a graph out: every node and edge label is measured by its
    text; nodes are ranked as late as their uses allow (with labels in the
    graph, every edge spans two ranks, its label in the middle one; a
    cluster without edges, the legend, lies in the first rank); the ranks
    are stacked along ``rankdir`` (``"LR"`` or ``"TB"``) with Graphviz's
    gaps, and in each rank a node sits centred on the nodes it feeds,
    beside the others. An estimate, made for choosing between directions.

    >>> g = graphviz.Digraph()
    >>> for k in range(6):
    ...     g.edge(f"x{k}", "sum")
    >>> (w, h), (w2, h2) = drawn_size(g, "TB"), drawn_size(g, "LR")
    >>> w > h and h2 > w2
    True
    """
    across = rankdir in ("TB", "BT")
    parsed = _parse(str(graph), across)
    box = dict(parsed.nodes)
    for tail, head, _ in parsed.edges:
        for name in (tail, head):
            box.setdefault(name, _node_box({"label": name}, 14.0, across))
    span = 2 if any(label is not None for *_, label in parsed.edges) else 1
    uses: dict[str, list[str]] = defaultdict(list)
    for tail, head, _ in parsed.edges:
        uses[tail].append(head)
    rank = _ranks(list(box), uses, span)
    for k, side in enumerate(parsed.side):  # the legend: in the first rank
        box[f" cluster {k}"] = side
        rank[f" cluster {k}"] = 0
    # every edge one rank long: a long edge passes through a hidden node in
    # each rank it crosses, and its label is such a node, as wide as its text
    parents: dict[str, list[str]] = defaultdict(list)
    for k, (tail, head, label) in enumerate(parsed.edges):
        below = tail
        middle = (rank[tail] + rank[head]) // 2
        for r in range(rank[tail] + 1, rank[head]):
            name = f" edge {k} {r}"
            box[name] = label if label is not None and r == middle else _Box(2, 2)
            rank[name] = r
            parents[name].append(below)
            below = name
        parents[head].append(below)
    ranks: dict[int, list[str]] = defaultdict(list)
    for name, r in rank.items():
        ranks[r].append(name)
    depth = {n: b.height if across else b.width for n, b in box.items()}
    size = {n: b.width if across else b.height for n, b in box.items()}
    along = sum(max(depth[n] for n in names) for names in ranks.values())
    along += RANKSEP / span * (len(ranks) - 1)
    breadth = _breadth(ranks, size, parents)
    width, height = (breadth, along) if across else (along, breadth)
    return width + 8, height + 8


def fit_scale(width: float, height: float, screen: tuple[int, int] = SCREEN) -> float:
    r"""How much a picture of ``width`` × ``height`` is scaled to fit ``screen``.

    >>> fit_scale(2048, 100), fit_scale(100, 1536)
    (0.5, 0.5)
    """
    return min(screen[0] / width, screen[1] / height)


def fitting(
    build: Callable[[str], graphviz.Digraph], screen: tuple[int, int] = SCREEN
) -> tuple[str, graphviz.Digraph]:
    r"""The direction that fits ``screen`` best, and ``build(direction)``.

    Builds the graph left to right (``"LR"``) and top to bottom (``"TB"``),
    estimates how large each is drawn (:func:`drawn_size`) and keeps the one
    that can be shown larger on the screen; left to right unless top to
    bottom is clearly (5%) larger.

    >>> def build(rankdir):
    ...     g = graphviz.Digraph()
    ...     for k in range(1, 12):
    ...         g.edge(f"value number {k}", f"value number {k + 1}")
    ...     return g
    >>> fitting(build)[0]                       # a long chain of wide boxes
    'TB'
    """
    across, along = build("TB"), build("LR")
    tall = fit_scale(*drawn_size(across, "TB"), screen)
    wide = fit_scale(*drawn_size(along, "LR"), screen)
    return ("TB", across) if tall > 1.05 * wide else ("LR", along)
