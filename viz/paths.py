r"""One weight's chain, drawn: :func:`draw_paths`.

The gradient of the loss E with respect to a weight w is the product of the
local derivatives of each tiny step from w up to E, summed over the paths
(the chain rule; :func:`autograd.explain`). :func:`draw_paths` draws just
that: the nodes on the paths from ``wrt`` to ``root``, each edge labelled with
its local derivative in the nodes' names and numbers, and under the picture
the product,

    ∂E/∂w²₁₁ = x₁ · σ′(z²₁) · w³₁₁ · σ′(z³₁) · 2(a³₁ − t₁) = … = −0.0085

Whatever else the graph holds is folded away: each value on a path that has
other inputs gets one faded box naming a few of them, and when there are
more paths than ``max_paths`` the ones that contribute least are folded into
one faded box with their sum. So the picture stays the same small size
however large the network is.

>>> from autograd import Value
>>> x, w1, w2 = Value(1.5, "x"), Value(2.0, "w1"), Value(-0.5, "w2")
>>> y = x * w1; y.label = "y"
>>> E = y * w2; E.label = "E"
>>> dot = str(draw_paths(E, w1))
>>> "∂E/∂w1 = x · w2" in dot and 'label="x = 1.5"' in dot
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import graphviz

from autograd import Value, explain, topological_order
from autograd.explain import Path, count_text, path_product
from autograd.graph import summed_to
from autograd.names import d, formula_in, node_names
from autograd.text import show
from viz.dot import CURRENT, FLOW, FONT, FONT_SIZE, LEGEND, STYLES
from viz.frames import final_grads, frames_of
from viz.labels import dot_text, label_lines, record_field, shortened, value_kind
from viz.layout import fitting

__all__ = ["FADED", "PathsPlan", "Route", "draw_paths"]

#: How a value off the paths is drawn: faded, and folded into one box.
FADED = {"color": "#b0b0b0", "fontcolor": "#8a8a8a", "style": "dashed"}

#: The paths :func:`autograd.explain` lists at most, to pick the largest from.
PATHS_LOOKED_AT = 500

#: A formula line under the picture is wrapped at about this many characters.
LINE = 64


def draw_paths(
    root: Value,
    wrt: Value,
    *,
    max_paths: int = 3,
    context: bool = True,
    fold_loss: bool = True,
    rankdir: str | None = None,
    legend: bool = True,
) -> graphviz.Digraph:
    r"""Draw the paths from ``wrt`` up to ``root`` and the product along each.

    - only the values on the paths are drawn, each a record ``name | data |
      grad`` (the gradient of ``root`` alone: a fresh backward pass runs on
      the side and leaves the graph's own grads as they were);
    - each edge goes from a value to the value that uses it and is labelled
      with its local derivative as a formula in the graph's names and as a
      number (``σ′(z²₁) = 0.2077``);
    - ``context``: a value on a path that has other inputs gets one faded box
      naming a few of them (``x₁, b²₁ +2``): where the names in the formulas
      come from;
    - ``fold_loss``: a loss written in scalar ops after a model's named
      outputs (a cross-entropy of one sample is a dozen ops) is folded into
      one step from each output to the loss, ∂E/∂(output), written as a
      formula when the loss is one chain (``2(a³₁ − t₁)``);
    - at most ``max_paths`` paths are drawn, the ones with the largest
      products; the others are folded into one faded box with their sum;
    - under the picture, the product along each path drawn, as formulas and
      as numbers, and their sum: ``∂E/∂w``, exactly as ``backward()`` gives it.

    ``rankdir`` is ``"LR"`` or ``"TB"``; by default the one that fits a 4:3
    screen better.
    """
    if not isinstance(root, Value) or not isinstance(wrt, Value):
        msg = (
            "draw_paths needs two Values: the end of a graph (the loss) and the "
            f"value to follow to it (a weight), not {type(root).__name__} and "
            f"{type(wrt).__name__}."
        )
        raise TypeError(msg)
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        msg = (
            f"max_paths must be a whole number of paths, at least 1, not {max_paths!r}."
        )
        raise ValueError(msg)
    order = topological_order(root)
    if wrt not in set(order):
        msg = (
            f"{wrt.label or 'wrt'!r} is not in the graph of "
            f"{root.label or 'the root'!r}: pass a value the root was computed from."
        )
        raise ValueError(msg)
    plan = PathsPlan(root, wrt, order, max_paths, context, fold_loss, legend)
    if rankdir is not None:
        if rankdir not in ("LR", "TB"):
            msg = f'rankdir must be "LR" or "TB", not {rankdir!r}.'
            raise ValueError(msg)
        return plan.draw(rankdir)
    return plan.draw(plan.direction())


class PathsPlan:
    r"""What :func:`draw_paths` draws: the routes, the picture, the product text.

    Made once, drawn as often as needed: the step page of the paths
    (:func:`viz.paths_page.save_paths_html`) draws it once per step, with the
    values reached so far highlighted.
    """

    def __init__(
        self,
        root: Value,
        wrt: Value,
        order: list[Value],
        max_paths: int,
        context: bool,
        fold_loss: bool,
        legend: bool,
    ) -> None:
        story = explain(root, wrt, limit=PATHS_LOOKED_AT)
        names = {
            node: shortened(name) for node, name in node_names(order, root).items()
        }
        if story.path_count == 0:
            msg = f"{names[root]} does not depend on {names[wrt]}: no path to draw."
            raise ValueError(msg)
        self.root, self.wrt, self.names, self.legend = root, wrt, names, legend
        self.loss = _Loss(order, root, names) if fold_loss else _Loss.none(root)
        self.routes = _largest(self.loss.routes(story.paths), max_paths)
        self.count = self.loss.count_routes(order, wrt, story.path_count)
        self.total = story.total
        self.folded = story.total - sum(route.product for route in self.routes)
        self.picture = _Picture(root, order, names, self.routes, context)
        self.product = _product_lines(
            self.count, self.routes, self.folded, names[root], names[wrt]
        )
        self.product.append(f"∂{d(names[root])}/∂{d(names[wrt])} = {show(self.total)}")

    def direction(self) -> str:
        """The direction that fits a 4:3 screen better (see viz.layout.fitting)."""
        return fitting(self.draw)[0]

    @property
    def depth(self) -> int:
        """The steps of the longest route drawn, from the root down to ``wrt``."""
        return max(len(route.nodes) - 1 for route in self.routes)

    def draw(self, rankdir: str, reached: int | None = None) -> graphviz.Digraph:
        r"""The picture; with ``reached``, the values ``reached`` steps down from
        the root are highlighted, and those further down show ``grad ?``."""
        return self.picture.draw(
            rankdir,
            self.product,
            self.count - len(self.routes),
            self.folded,
            self.legend,
            len(self.loss.region),
            reached,
        )

    def reached_text(self, reached: int) -> list[str]:
        r"""What the chain rule has found ``reached`` steps down from the root:
        ∂E/∂(value) along each route drawn, as formulas and numbers."""
        root = self.names[self.root]
        lines = []
        for route in self.routes:
            steps = len(route.nodes) - 1
            if reached > steps:
                continue
            node = route.nodes[steps - reached]
            formulas = [f for f in route.formulas[steps - reached :] if f != "1"]
            factors = route.factors[steps - reached :]
            value = path_product(route.nodes[steps - reached :], factors)
            head = f"∂{d(root)}/∂{d(self.names[node])}"
            written = " · ".join(formulas) or "1"
            numbers = " × ".join(
                show(x)
                for f, x in zip(route.formulas[steps - reached :], factors)
                if f != "1"
            )
            line = f"{head} = {written}"
            if numbers and numbers not in (written, show(value)):
                line += f" = {numbers}"
            if show(value) != written:
                line += f" = {show(value)}"
            lines.append(line)
        return list(dict.fromkeys(lines))


@dataclass(frozen=True)
class Route:
    r"""One path as it is drawn: ``nodes`` from ``wrt`` to the root, the local
    derivative of each step as a formula and a number, and their product.

    A step into the root may stand for the whole loss: the product of the
    steps folded into it, summed over its paths (see :class:`_Loss`).
    """

    nodes: tuple[Value, ...]
    formulas: tuple[str, ...]
    factors: tuple[Any, ...]
    product: Any


class _Loss:
    r"""The loss after a model's outputs: folded into one step to the root.

    A loss of one sample written in scalar ops (a cross-entropy is a dozen
    of them: the largest logit subtracted, an exp of each, their sum, its
    log) would fill the picture. The unlabelled values on the way from the
    model's named outputs (``a³₁``, ``z³₄``) to the unlabelled root are the
    loss; each output gets one step to the root, whose local derivative is
    ∂E/∂(output) along the loss alone: a formula when the loss is one chain
    (``2(a³₁ − t₁)``), else written ``∂E/∂z³₄``.
    """

    def __init__(self, order: list[Value], root: Value, names: dict[Value, str]):
        self.root, self.names = root, names
        self.region: set[Value] = set()
        self.outputs: set[Value] = set()
        if root.label or not root.parents:
            return
        users: dict[Value, list[Value]] = {}
        for node in order:
            for parent in node.parents:
                users.setdefault(parent, []).append(node)
        for node in reversed(order[:-1]):  # an unlabelled op used only by the loss
            only_loss = all(u is root or u in self.region for u in users.get(node, []))
            if node.parents and not node.label and only_loss:
                self.region.add(node)
        for node in [*self.region, root]:  # what the loss is made from: ops
            self.outputs.update(
                p for p in node.parents if p.parents and p not in self.region
            )
        # fold only when the loss comes after a model's named outputs (its
        # other inputs being leaves: targets, constants)
        if not self.region or not all(o.label for o in self.outputs):
            self.region, self.outputs = set(), set()
        self.steps = {output: self._step(output, order) for output in self.outputs}

    @classmethod
    def none(cls, root: Value) -> _Loss:
        loss = cls.__new__(cls)
        loss.root, loss.region, loss.outputs, loss.steps = root, set(), set(), {}
        return loss

    def _step(self, output: Value, order: list[Value]) -> tuple[str, Any]:
        """∂root/∂output along the loss alone: (formula, number)."""
        inside = [n for n in order if n in self.region] + [self.root]
        adjoint: dict[Value, Any] = {self.root: 1.0}
        chains: dict[Value, list[str] | None] = {self.root: []}
        for node in reversed(inside):
            if node not in adjoint:
                continue
            for position, parent in enumerate(node.parents):
                if parent is not output and parent not in self.region:
                    continue
                share = summed_to(
                    parent.data, node.local_grads[position] * adjoint[node]
                )
                formula = formula_in(node, position, self.names, short=True)
                if parent in adjoint:  # a second way down: no single chain
                    adjoint[parent] = adjoint[parent] + share
                    chains[parent] = None
                else:
                    adjoint[parent] = share
                    above = chains[node]
                    chains[parent] = None if above is None else [formula, *above]
        factors = [f for f in chains.get(output) or [] if f != "1"]
        # one local derivative says it (2(a³₁ − t₁)); a longer chain is ∂E/∂z
        written = factors[0] if len(factors) == 1 and len(factors[0]) <= 30 else None
        if written is None:
            written = f"∂{d(self.names[self.root])}/∂{d(self.names[output])}"
        return written, adjoint.get(output, 0.0)

    def routes(self, paths: Sequence[Path]) -> list[Route]:
        """The paths as drawn: each one's loss folded, the same ones once."""
        found: dict[tuple[Value, ...], Route] = {}
        for path in paths:
            nodes, formulas, factors = path.nodes, path.formulas, path.factors
            cut = next(
                (
                    k
                    for k, n in enumerate(nodes)
                    if n in self.outputs
                    and all(m in self.region for m in nodes[k + 1 : -1])
                ),
                None,
            )
            if cut is not None:
                formula, factor = self.steps[nodes[cut]]
                nodes = (*nodes[: cut + 1], self.root)
                formulas = (*formulas[:cut], formula)
                factors = (*factors[:cut], factor)
            if nodes not in found:
                product = path_product(nodes, factors)
                found[nodes] = Route(nodes, tuple(formulas), tuple(factors), product)
        return list(found.values())

    def count_routes(self, order: list[Value], wrt: Value, paths: int) -> int:
        """How many routes lead from ``wrt``, the loss folded: counted, not listed."""
        if not self.region:
            return paths
        reach: dict[Value, int] = {wrt: 1}
        for node in order:
            if node is wrt or node in self.region:
                continue
            parents = self.outputs if node is self.root else dict.fromkeys(node.parents)
            count = sum(reach.get(p, 0) for p in parents)
            if count:
                reach[node] = count
        return reach.get(self.root, 0)


def _largest(routes: Sequence[Route], count: int) -> list[Route]:
    """The ``count`` routes with the largest products (in size), in listed order."""
    ranked = sorted(range(len(routes)), key=lambda k: -abs(_size(routes[k].product)))
    return [routes[k] for k in sorted(ranked[:count])]


def _size(x: Any) -> float:
    try:
        return float(abs(x))
    except TypeError:  # a batch: its largest element
        return float(max(abs(v) for v in x.ravel()))


class _Picture:
    """The values and edges on the paths drawn, and how to draw them."""

    def __init__(
        self,
        root: Value,
        order: list[Value],
        names: dict[Value, str],
        paths: list[Route],
        context: bool,
    ) -> None:
        self.root, self.names, self.routes = root, names, paths
        on_paths = {node for path in paths for node in path.nodes}
        self.nodes = [node for node in order if node in on_paths]
        self.edges: dict[tuple[Value, Value], tuple[str, Any]] = {}
        for path in paths:
            for k, (lower, upper) in enumerate(zip(path.nodes, path.nodes[1:])):
                formula = path.formulas[k]
                self.edges[(lower, upper)] = (formula, path.factors[k])
        self.context = context
        steps = frames_of(root, order)
        self.grads = final_grads(steps)

    def draw(
        self,
        rankdir: str,
        product: list[str],
        folded_count: int,
        folded: Any,
        legend: bool,
        folded_loss: int = 0,
        reached: int | None = None,
    ) -> graphviz.Digraph:
        names = self.names
        seen, current = self._reached(reached)
        g = graphviz.Digraph("chainrule_paths", node_attr={"fontname": FONT})
        g.attr(rankdir=rankdir, fontname=FONT, fontsize=FONT_SIZE, labelloc="b")
        g.attr("node", fontsize=FONT_SIZE)
        g.attr("edge", fontname=FONT, fontsize=FONT_SIZE)
        g.attr(
            label=graphviz.nohtml("".join(f"{dot_text(line)}\\l" for line in product))
        )
        across = rankdir == "TB"  # the fields of a record stacked, so it is narrow
        ids = {node: f"p{k}" for k, node in enumerate(self.nodes)}
        kinds = set()
        for node in self.nodes:
            kind = value_kind(node, self.root)
            kinds.add(kind)
            grad = show(self.grads.get(id(node), 0.0)) if node in seen else "?"
            fields = " | ".join(
                record_field(text)
                for text in (names[node], f"data {show(node.data)}", f"grad {grad}")
            )
            attrs = dict(STYLES[kind])
            if node in current:
                attrs.update(CURRENT)
            g.node(
                ids[node],
                graphviz.nohtml("{" + fields + "}" if across else fields),
                shape="record",
                style="filled,rounded" if node.parents else "filled",
                **attrs,
            )
        for (lower, upper), (formula, factor) in self.edges.items():
            number = show(factor)
            text = number if formula == number else f"{formula} = {number}"
            flow = FLOW if reached is not None and lower in seen else {"penwidth": "2"}
            g.edge(ids[lower], ids[upper], label=label_lines(text), **flow)
        if self.context:
            self._context(g, ids, folded_loss)
        if folded_count:
            plural = "path" if folded_count == 1 else "paths"
            text = f"{count_text(folded_count)} more {plural}: {show(folded)}"
            g.node("folded", label_lines(text), shape="box", **FADED)
            g.edge("folded", ids[self.root], **FADED)
        if legend:
            self._legend(g, kinds)
        return g

    def _reached(self, reached: int | None) -> tuple[set[Value], set[Value]]:
        """The values the chain rule has reached ``reached`` steps down from the
        root (all, when None), and the ones it reached last."""
        if reached is None:
            return set(self.nodes), set()
        seen: set[Value] = set()
        current: set[Value] = set()
        for route in self.routes:
            steps = len(route.nodes) - 1
            seen.update(route.nodes[max(steps - reached, 0) :])
            if reached <= steps:
                current.add(route.nodes[steps - reached])
        return seen, current

    def _context(
        self, g: graphviz.Digraph, ids: dict[Value, str], folded_loss: int
    ) -> None:
        """A faded box for each value on a path with inputs off the paths."""
        names = self.names
        for node in self.nodes:
            others = [p for p in dict.fromkeys(node.parents) if p not in ids]
            if node is self.root and folded_loss > 1:  # the loss's ops, folded
                box = f"c{ids[node]}"
                g.node(
                    box,
                    label_lines(f"the loss: {folded_loss} ops"),
                    shape="box",
                    **FADED,
                )
                g.edge(box, ids[node], arrowhead="none", **FADED)
                continue
            if not others:
                continue
            formulas = " ".join(f for (_, u), (f, _) in self.edges.items() if u is node)
            mentioned = [p for p in others if names[p] in formulas]
            first = (mentioned + [p for p in others if p not in mentioned])[:2]
            text = ", ".join(names[p] for p in first)
            if len(others) > len(first):
                text += f" +{len(others) - len(first)}"
            box = f"c{ids[node]}"
            g.node(box, label_lines(text), shape="box", **FADED)
            g.edge(box, ids[node], arrowhead="none", **FADED)

    def _legend(self, g: graphviz.Digraph, kinds: set[str]) -> None:
        rows = "".join(
            f'<tr><td bgcolor="{attrs["fillcolor"]}" color="{attrs["color"]}">'
            f"{LEGEND[kind]}</td></tr>"
            for kind, attrs in STYLES.items()
            if kind in kinds
        )
        if self.context:
            rows += (
                f'<tr><td color="{FADED["color"]}" border="1" style="dashed">'
                f'<font color="{FADED["fontcolor"]}">off the paths (folded)</font>'
                "</td></tr>"
            )
        table = f'<<table border="0" cellspacing="4" cellpadding="4">{rows}</table>>'
        with g.subgraph(name="cluster_legend") as box:
            box.attr(
                label="legend", fontsize=FONT_SIZE, style="dashed", color="#999999"
            )
            box.node("legend", table, shape="plaintext", fontsize=FONT_SIZE)


def _product_lines(
    count: int, shown: list[Route], folded: Any, root: str, wrt: str
) -> list[str]:
    """The product along each path drawn, as formulas and as numbers."""
    head = f"∂{d(root)}/∂{d(wrt)}"
    if count == 1:
        (path,) = shown
        return [
            *_wrapped(f"{head} = ", _formula_factors(path), " · "),
            *_wrapped("\u00a0" * len(head) + " = ", _number_factors(path), " × "),
        ]
    lines = [f"{head} = the sum over {count_text(count)} paths"]
    for k, path in enumerate(shown, start=1):
        lines += _wrapped(f"path {k}: ", _formula_factors(path), " · ")
        lines += _wrapped("\u00a0" * 4 + "= ", [*_number_factors(path)], " × ")
    if count > len(shown):
        lines.append(f"{count_text(count - len(shown))} more paths: {show(folded)}")
    return lines


def _formula_factors(path: Route) -> list[str]:
    return [f for f in path.formulas if f != "1"] or ["1"]


def _number_factors(path: Route) -> list[str]:
    kept = [show(x) for f, x in zip(path.formulas, path.factors) if f != "1"]
    return [*(kept or ["1"]), f"= {show(path.product)}"]


def _wrapped(head: str, parts: list[str], joiner: str) -> list[str]:
    """``head`` and ``parts`` joined, broken into lines of about :data:`LINE`."""
    lines: list[str] = []
    line = head
    indent = "\u00a0" * len(head)  # no-break spaces: Graphviz keeps them
    for k, part in enumerate(parts):
        last = part.startswith("= ")
        piece = part if k == 0 else (f" {part}" if last else f"{joiner}{part}")
        if len(line) + len(piece) > LINE and line.strip():
            lines.append(line)
            line = indent + piece.lstrip(" ·×")
        else:
            line += piece
    lines.append(line)
    return lines
