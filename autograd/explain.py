r"""The chain rule as paths: "multiply the derivatives of each tiny step".

The gradient of a root L with respect to a node x is a sum over every path
from x up to L of the product of the local derivatives along that path:

    dL/dx = Σ over paths  Π over the path's edges  ∂(upper)/∂(lower)

:func:`explain` lists those paths, their products and the sum, which is what
``backward()`` puts in ``x.grad``.

>>> from autograd import Value
>>> x, w1, w2 = Value(1.5, "x"), Value(2.0, "w1"), Value(-0.5, "w2")
>>> y = x * w1; y.label = "y"
>>> E = y * w2; E.label = "E"
>>> print(explain(E, w1))
dE/dw1 = sum over 1 path of the product of the local derivatives
  path 1: w1 → y → E   ∂y/∂w1 × ∂E/∂y = x · w2 = 1.5 × -0.5 = -0.75
dE/dw1 = -0.75
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from autograd.data import is_whole_number
from autograd.graph import summed_to, topological_order, zeros_like
from autograd.latex import explanation_latex
from autograd.names import d, formula_in, node_names
from autograd.ops import is_batch
from autograd.text import show
from autograd.value import Value, check_value

__all__ = ["Explanation", "Path", "count_text", "explain", "path_product"]


@dataclass(frozen=True, repr=False)
class Path:
    r"""One path from ``wrt`` up to the root, with the local derivative of each step.

    ``nodes`` go from ``wrt`` up to the root. Between two nodes there may be
    more than one edge (``x·x`` uses x twice): ``edges[k]`` counts them,
    ``locals[k]`` holds the local derivative along each, and ``factors[k]``
    is their sum, ∂nodes[k+1]/∂nodes[k]. ``formulas[k]`` writes that local
    derivative in the graph's names (``σ′(z²₁)``, ``w³₁₁``). ``product`` is the
    product of the factors (for batches, summed over the batch where the
    graph sums over it).
    """

    nodes: tuple[Value, ...]
    names: tuple[str, ...]
    factors: tuple[Any, ...]
    product: Any
    edges: tuple[int, ...] = ()
    locals: tuple[tuple[Any, ...], ...] = ()
    formulas: tuple[str, ...] = ()

    @property
    def edge_count(self) -> int:
        """How many paths along edges this path of nodes stands for."""
        return math.prod(self.edges) if self.edges else 1

    def partials(self) -> str:
        """The chain of partial derivatives: ``∂y/∂w1 × ∂E/∂y``."""
        return " × ".join(
            f"∂{d(upper)}/∂{d(lower)}"
            for lower, upper in zip(self.names, self.names[1:])
        )

    def _step_numbers(self, k: int) -> str:
        parallel = self.locals[k] if self.locals else (self.factors[k],)
        if len(parallel) == 1:
            return show(parallel[0])
        return "(" + " + ".join(show(x) for x in parallel) + ")"

    def __str__(self) -> str:
        route = " → ".join(self.names)
        if not self.factors:
            return f"{route}   (the node itself) = 1"
        numbers = " × ".join(self._step_numbers(k) for k in range(len(self.factors)))
        text = f"{route}   {self.partials()}"
        shown = " · ".join(f for f in self.formulas if f != "1")  # ×1 changes nothing
        if shown and shown.replace("·", "×") != numbers:
            text += f" = {shown}"
        if len(self.factors) > 1 or numbers != show(self.product):
            text += f" = {numbers}"
        text += f" = {show(self.product)}"
        if self.edge_count > 1:
            edges = count_text(self.edge_count)
            text += f"   (along {edges} edges: {_used_twice(self)})"
        return text

    __repr__ = __str__


def _used_twice(path: Path) -> str:
    """Which step has parallel edges: ``x is used 2 times by y``."""
    parts = [
        f"{path.names[k]} is used {count} times by {path.names[k + 1]}"
        for k, count in enumerate(path.edges)
        if count > 1
    ]
    return "; ".join(parts)


@dataclass(frozen=True, repr=False)
class Explanation:
    r"""The paths from ``wrt`` to ``root`` and the sum of their products.

    Each distinct path (a sequence of nodes) is listed once; one that runs
    along parallel edges (``x·x``) says so. ``path_count`` is the number of
    distinct paths in the graph; when it is larger than ``limit`` only the
    first ``limit`` are listed (``truncated`` is True), but ``total`` is
    still the full gradient, computed without listing the paths. ``repr`` is
    the same text as ``str``; Jupyter shows it as HTML.
    """

    root: Value
    wrt: Value
    root_name: str
    wrt_name: str
    paths: tuple[Path, ...]
    path_count: int
    total: Any
    truncated: bool

    def __str__(self) -> str:
        dd = f"d{d(self.root_name)}/d{d(self.wrt_name)}"
        plural = "path" if self.path_count == 1 else "paths"
        lines = [
            f"{dd} = sum over {count_text(self.path_count)} {plural} of the product "
            "of the local derivatives"
        ]
        if self.path_count == 0:
            lines = [f"{dd} = 0: {self.root_name} does not depend on {self.wrt_name}"]
        lines += [f"  path {k}: {path}" for k, path in enumerate(self.paths, start=1)]
        if self.truncated:
            lines.append(
                f"  ... stopped after {len(self.paths):,} of "
                f"{count_text(self.path_count)} "
                "paths (raise limit= to list more); the total below counts them all"
            )
        lines.append(f"{dd} = {show(self.total)}")
        return "\n".join(lines)

    __repr__ = __str__

    def latex(self) -> str:
        r"""The paths, each one's product and their sum, as LaTeX (an ``align*``)."""
        return explanation_latex(self)

    def _repr_latex_(self) -> str:
        return self.latex()

    def _repr_html_(self) -> str:
        """The explanation for Jupyter: the same text, the total in bold."""
        *paths, total = str(self).split("\n")
        body = escape("\n".join(paths))
        return f'<pre class="chainrule-explain">{body}\n<b>{escape(total)}</b></pre>'


def count_text(count: int) -> str:
    r"""A count of paths as text: exact up to 15 digits, then in scientific form.

    Path counts grow as 2ⁿ (a ladder of n diamonds), far beyond the 4,300
    digits Python will turn into text.

    >>> count_text(1024), count_text(2**15000)
    ('1,024', 'about 2.8e4515')
    """
    if count < 10**15:
        return f"{count:,}"
    exponent = int(math.log10(count))
    while 10**exponent > count:  # log10 of a huge int can round up
        exponent -= 1
    leading = count // 10 ** (exponent - 1)  # the first two digits
    return f"about {leading / 10:.1f}e{exponent}"


def explain(root: Value, wrt: Value, limit: int = 100) -> Explanation:
    r"""Every path from ``wrt`` up to ``root``, the product along each, and their sum.

    The sum equals ``wrt.grad`` after ``root.backward()`` (from zeroed grads).
    At most ``limit`` paths are listed: graphs can have astronomically many
    (a ladder of n diamonds has 2ⁿ), so listing stops there and says so,
    while the total is still computed exactly, in one pass over the graph.
    """
    check_value(root, "the root of explain")
    check_value(wrt, "wrt (the node to explain the gradient for)")
    if not is_whole_number(limit):
        msg = f"limit must be a whole number of paths to list, not {limit!r}."
        raise TypeError(msg)
    if limit < 0:
        msg = f"limit must be 0 or more, not {limit}."
        raise ValueError(msg)
    order = topological_order(root)
    names = node_names(order, root)

    # The nodes that lie on some path from wrt to root, and how many distinct
    # paths (sequences of nodes) reach each of them from wrt (parents come
    # before children in `order`).
    paths_to: dict[Value, int] = {}
    for node in order:
        if node is wrt:
            paths_to[node] = 1
            continue
        count = sum(paths_to.get(parent, 0) for parent in dict.fromkeys(node.parents))
        if count:
            paths_to[node] = count

    listed = _list_paths(root, wrt, paths_to, names, limit)
    return Explanation(
        root=root,
        wrt=wrt,
        root_name=names[root],
        wrt_name=names.get(wrt, wrt.label or "x"),
        paths=tuple(listed),
        path_count=paths_to.get(root, 0),
        total=_total_gradient(order, root, wrt, paths_to),
        truncated=paths_to.get(root, 0) > len(listed),
    )


def _list_paths(
    root: Value,
    wrt: Value,
    paths_to: dict[Value, int],
    names: dict[Value, str],
    limit: int,
) -> list[Path]:
    """Depth-first, from the root down, only into nodes that lead to ``wrt``.

    A walk is kept as a linked list ``(node, step, rest)`` so that stepping
    down costs the same however deep the graph is; ``step`` holds the
    positions of the node among the parents of the node above (one, or
    several parallel edges).
    """
    found: list[Path] = []
    if root not in paths_to or limit == 0:
        return found
    stack: list[tuple[Value, Any, Any]] = [(root, None, None)]
    while stack and len(found) < limit:
        walk = stack.pop()
        node = walk[0]
        if node is wrt:
            found.append(_path_of(walk, names))
            continue
        positions: dict[Value, list[int]] = {}
        for position, parent in enumerate(node.parents):
            if parent in paths_to:
                positions.setdefault(parent, []).append(position)
        steps = [(parent, (node, where), walk) for parent, where in positions.items()]
        stack.extend(reversed(steps))
    return found


def _path_of(walk: Any, names: dict[Value, str]) -> Path:
    """A walk from the root down to ``wrt``, as a :class:`Path` from ``wrt`` up."""
    nodes: list[Value] = []
    steps: list[tuple[Value, list[int]]] = []
    link = walk
    while link is not None:
        nodes.append(link[0])
        if link[2] is not None:
            steps.append(link[1])
        link = link[2]
    locals_ = tuple(
        tuple(upper.local_grads[p] for p in where) for upper, where in steps
    )
    factors = tuple(_sum(parallel) for parallel in locals_)
    formulas = tuple(_formula(upper, where, names) for upper, where in steps)
    return Path(
        nodes=tuple(nodes),
        names=tuple(names[n] for n in nodes),
        factors=factors,
        product=path_product(tuple(nodes), factors),
        edges=tuple(len(where) for _, where in steps),
        locals=locals_,
        formulas=formulas,
    )


def _sum(parallel: tuple[Any, ...]) -> Any:
    total = parallel[0]
    for more in parallel[1:]:
        total = total + more
    return total


def _formula(upper: Value, where: list[int], names: dict[Value, str]) -> str:
    """The local derivative of one step in the graph's names, short (``σ′(z²₁)``)."""
    parts = [formula_in(upper, p, names, short=True) for p in where]
    return parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"


def path_product(nodes: tuple[Value, ...], factors: tuple[Any, ...]) -> Any:
    r"""Multiply the factors of one path, from the root down, as backward does.

    Going down the path, the running product is multiplied by each local
    derivative and, where a number meets a batch, summed over the batch:
    the backward pass restricted to this one path.
    """
    root, wrt = nodes[-1], nodes[0]
    running: Any = np.ones(root.data.shape) if is_batch(root.data) else 1.0
    for lower, factor in zip(reversed(nodes[:-1]), reversed(factors)):
        running = summed_to(lower.data, factor * running)
    if is_batch(wrt.data):
        return np.broadcast_to(running, wrt.data.shape).astype(float)
    return float(running)


def _total_gradient(
    order: list[Value], root: Value, wrt: Value, paths_to: dict[Value, int]
) -> Any:
    """d(root)/d(wrt) by reverse accumulation over the nodes on the paths only."""
    if root not in paths_to:
        return zeros_like(wrt.data)
    adjoint: dict[Value, Any] = {
        root: np.ones_like(root.data) if is_batch(root.data) else 1.0
    }
    for node in reversed(order):
        if node not in adjoint or node is wrt:
            continue
        upstream = adjoint[node]
        for parent, local in zip(node.parents, node.local_grads):
            if parent not in paths_to:
                continue
            share = summed_to(parent.data, local * upstream)
            adjoint[parent] = adjoint.get(parent, 0.0) + share
    total = adjoint.get(wrt, 0.0)
    if is_batch(wrt.data):
        return np.broadcast_to(total, wrt.data.shape).astype(float)
    return total
