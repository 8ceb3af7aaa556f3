r"""Three ways to see one graph: a node at a time, a neuron, a layer.

The articles draw and step a network a neuron or a layer at a time; the
engine records it one op at a time. The levels are *groupings* of the one
graph's nodes, never new graphs, so every number is the same at every level:

- ``"ops"``: every node on its own;
- ``"neurons"``: one :class:`Neuron` for each weighted sum
  zⱼ = Σₖ wⱼₖ·xₖ + bⱼ (a node whose op gives its parents the roles weight,
  input and bias: a sum without a bias is no neuron), with its activation
  aⱼ = φ(zⱼ) when that is the sum's only use and reads nothing else, and
  the weights and bias that only it uses;
- ``"layers"``: one :class:`Layer` for the neurons that read the same
  inputs and whose weights live in one parameter array (a model's layer;
  built by hand, that read the same inputs); a batch's layer node Z = X·Wᵀ + b, with its
  activation and its W and b, is a layer too.

Everything else (the inputs, the loss's ops, the targets) stays as it is at
the op level; the layer level draws a layer's inputs as one vector and the
loss as one box (a :class:`Fold`), though they keep their own steps.

>>> import nn
>>> net = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
>>> E = (net([1.0, 0.5]) - 1.0) ** 2
>>> view = grouping(E, "neurons")
>>> [view.title(unit) for unit in view.units]
['x₁', 'x₂', 'neuron 2₁', 'neuron 2₂', 'neuron 3₁', 't₁', 'a³₁ − t₁', 'E']
>>> [view.title(unit) for unit in grouping(E, "layers").units]
['inputs', 'layer 2', 'layer 3', 'loss']
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd.graph import topological_order
from autograd.names import (
    SUBSCRIPT_DIGITS,
    SUPERSCRIPT_DIGITS,
    LayerNames,
    node_names,
    superscript,
)
from autograd.ops import op_for
from autograd.parameters import Element
from autograd.value import Value

__all__ = [
    "LEVELS",
    "Fold",
    "Grouping",
    "Layer",
    "Neuron",
    "Stepped",
    "Unit",
    "check_level",
    "grouping",
    "name_parts",
]

#: The levels a graph can be drawn and stepped at, finest first.
LEVELS = ("ops", "neurons", "layers")

#: The roles of a neuron's own parameters among its sum's parents, and of a
#: batch's layer node's weights and biases among its parents.
_PARAMETER_ROLES = ("weight", "bias")
_MATRIX_ROLES = ("W", "b")


def check_level(level: str, auto: bool = False) -> str:
    """``level`` if it is one of :data:`LEVELS` (or ``"auto"``, when allowed)."""
    allowed = (*LEVELS, "auto") if auto else LEVELS
    if not isinstance(level, str) or level not in allowed:
        names = ", ".join(f'"{name}"' for name in allowed)
        msg = f"level must be one of {names}, not {level!r}."
        raise ValueError(msg)
    return level


@dataclass(frozen=True, eq=False)
class Neuron:
    r"""One neuron of a graph: zⱼ = Σₖ wⱼₖ·xₖ + bⱼ and aⱼ = φ(zⱼ).

    ``sum`` is its weighted-sum node, ``activation`` the node of φ (``None``
    for a linear neuron, whose output is the sum itself); ``weights``,
    ``inputs`` and ``bias`` are the sum's parents by their roles; ``own`` are
    the weights and bias that nothing else uses, which the neuron stands
    for (a weight shared with another node stays a node of its own).
    """

    sum: Value
    activation: Value | None
    weights: tuple[Value, ...]
    inputs: tuple[Value, ...]
    bias: Value | None
    own: tuple[Value, ...]

    @property
    def output(self) -> Value:
        """What the neuron hands on: its activation, or its sum."""
        return self.activation if self.activation is not None else self.sum

    @property
    def members(self) -> tuple[Value, ...]:
        """The nodes made by ops that the neuron stands for: z, then a."""
        if self.activation is None:
            return (self.sum,)
        return (self.sum, self.activation)

    @property
    def nodes(self) -> tuple[Value, ...]:
        """Every node the neuron stands for: its own leaves, z and a."""
        return (*self.own, *self.members)

    @property
    def outputs(self) -> tuple[Value, ...]:
        return (self.output,)


@dataclass(frozen=True, eq=False)
class Layer:
    r"""One layer: the :class:`Neuron`\ s of one sample, or a batch's layer node.

    A layer of one sample is its ``neurons`` (z = W·x + b, a = φ(z), one
    neuron a row); a batch's layer is its layer ``node`` Z = X·Wᵀ + b, its
    ``activation`` A = φ(Z) and the arrays W and b (``own``) that only it
    uses.
    """

    neurons: tuple[Neuron, ...] = ()
    node: Value | None = None
    activation: Value | None = None
    parameters: tuple[Value, ...] = ()

    @property
    def members(self) -> tuple[Value, ...]:
        """The nodes made by ops that the layer stands for."""
        if self.node is not None:
            if self.activation is None:
                return (self.node,)
            return (self.node, self.activation)
        return tuple(m for neuron in self.neurons for m in neuron.members)

    @property
    def own(self) -> tuple[Value, ...]:
        """The leaves (weights, biases) that only this layer uses."""
        if self.node is not None:
            return self.parameters
        return tuple(leaf for neuron in self.neurons for leaf in neuron.own)

    @property
    def nodes(self) -> tuple[Value, ...]:
        return (*self.own, *self.members)

    @property
    def outputs(self) -> tuple[Value, ...]:
        """What the layer hands on: each neuron's output (a batch's: A, or Z)."""
        if self.node is not None:
            return (self.activation if self.activation is not None else self.node,)
        return tuple(neuron.output for neuron in self.neurons)

    @property
    def inputs(self) -> tuple[Value, ...]:
        """What the layer reads, in order, each once."""
        if self.node is not None:
            own = set(self.parameters)
            return tuple(dict.fromkeys(p for p in self.node.parents if p not in own))
        found = (x for neuron in self.neurons for x in neuron.inputs)
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True, eq=False)
class Fold:
    r"""Nodes drawn as one box at the layer level, though each keeps its own
    step: a layer's inputs as one vector (``kind="inputs"``), or the loss
    after the layers' outputs (``kind="loss"``: its ops, up to the root,
    and the targets and constants only they read).
    """

    kind: str
    nodes: tuple[Value, ...]  # in the graph's order

    @property
    def members(self) -> tuple[Value, ...]:
        """The nodes made by ops (the inputs' leaves, for a vector of inputs)."""
        return tuple(n for n in self.nodes if n.parents) or self.nodes


#: What a level shows as one: a node on its own, a neuron, a layer or a fold.
Unit = Value | Neuron | Layer | Fold
#: What takes one step of a level's backward pass: a node, a neuron, a layer.
Stepped = Value | Neuron | Layer


@dataclass(frozen=True, eq=False)
class Grouping:
    r"""A graph seen at one level: its units, and which group each node is in.

    ``order`` is the graph's topological order, ``names`` every node's name
    (:func:`autograd.node_names`); ``units`` are what the level draws, in
    the order of the graph: each node that stays on its own, and each group
    (and fold) where its first node made by an op is. ``group_of`` maps
    every node a group stands for to its group (the units of the backward
    pass), ``shown_in`` every node drawn in a box of several to that group
    or :class:`Fold`, and ``uses`` every node to the nodes that use it (with
    the position it has among their parents).
    """

    level: str
    root: Value
    order: tuple[Value, ...]
    names: dict[Value, str]
    groups: tuple[Neuron | Layer, ...]
    group_of: dict[Value, Neuron | Layer] = field(repr=False)
    units: tuple[Unit, ...] = field(repr=False)
    uses: dict[Value, list[tuple[Value, int]]] = field(repr=False)
    folds: tuple[Fold, ...] = ()
    shown_in: dict[Value, Neuron | Layer | Fold] = field(default_factory=dict)

    def unit_of(self, node: Value) -> Unit:
        """The unit that shows ``node``: its group, or the node itself."""
        return self.group_of.get(node, node)

    def backward_units(self) -> list[Stepped]:
        r"""The units that take a step of the backward pass, in the order taken.

        A unit steps once every unit that uses it has (so its gradient is
        complete), and among those ready, the one whose first node the op
        level steps first: with no groups, exactly the op level's order.
        """
        found = _backward_units(self.order, self.root, self.group_of)
        if found is None:  # made impossible by grouping(): groups never cross
            msg = "the groups of this graph depend on each other both ways."
            raise RuntimeError(msg)
        # in the op level's order, so that each running total a step shows
        # (dE/dx₁: 0.02 → 0.019) is the one the pass had at that moment
        return found

    def forward_units(self) -> list[Stepped]:
        r"""The units made by ops in the order the forward pass computes them
        (each after every unit it reads)."""
        return _forward_units(self.order, self.group_of)

    # --- names ---------------------------------------------------------------

    def title(self, unit: Unit) -> str:
        """A unit's short name: a node's name, ``neuron 2₁``, ``layer 2``,
        ``inputs``, ``loss``."""
        if isinstance(unit, Fold):
            return unit.kind
        if isinstance(unit, Neuron):
            return f"neuron {self.neuron_index(unit)}"
        if isinstance(unit, Layer):
            return f"layer {self.layer_number(unit)}"
        return self.names[unit]

    def neuron_index(self, neuron: Neuron) -> str:
        r"""Which neuron: ``2₁`` (layer 2, neuron 1) from the sum's name ``z²₁``,
        else the sum's name."""
        found = name_parts(self.names[neuron.sum])
        if found and found[2]:
            return f"{found[1].translate(_FROM_SUPERSCRIPT)}{found[2]}"
        return self.names[neuron.sum]

    def layer_number(self, layer: Layer) -> str:
        """The layer's number: ``2`` from its names (``z²₁``, ``W²``), else its
        place among the graph's layers, counted from 1."""
        found = name_parts(self.layer_name(layer, "z"))
        if found and found[1]:
            return found[1].translate(_FROM_SUPERSCRIPT)
        layers = [g for g in self.groups if isinstance(g, Layer)]
        return str(layers.index(layer) + 1)

    def layer_name(self, layer: Layer, letter: str) -> str:
        r"""The name of one of a layer's vectors or matrices: ``z²``, ``a²``,
        ``δ²``, ``W²``, ``b²`` (``letter`` is z, a, δ, W or b).

        Read from the model's names where it has them (its weight array's
        naming, or its neurons' names ``z²₁``); a layer built by hand is
        numbered by its place, ``z¹``, ``z²``, ….
        """
        if layer.node is not None:  # a batch: the layer node's own names
            found = name_parts(self.names[layer.node])
            sup = found[1] if found else ""
            return f"{letter.upper() if letter in 'za' else letter}{sup}"
        first = layer.neurons[0]
        naming = getattr(getattr(first.weights[0], "array", None), "naming", None)
        names = getattr(naming, "layer", None)
        if isinstance(names, LayerNames):
            return names.matrix(letter)
        found = name_parts(self.names[first.sum])
        if found and found[1]:
            return f"{letter}{found[1]}"
        layers = [g for g in self.groups if isinstance(g, Layer)]
        return f"{letter}{superscript(layers.index(layer) + 1)}"


_SCRIPTED = re.compile(
    rf"([^\W\d_][\w′]*?)([{SUPERSCRIPT_DIGITS}]*)([{SUBSCRIPT_DIGITS},]*)"
)
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")


def name_parts(name: str) -> tuple[str, str, str] | None:
    r"""A name's letter, its superscript (the layer) and its subscripts (the
    indices), or None for a name not written so.

    >>> name_parts("z²₁"), name_parts("x₁"), name_parts("a³₁ − t₁")
    (('z', '²', '₁'), ('x', '', '₁'), None)
    """
    found = _SCRIPTED.fullmatch(name)
    return (found.group(1), found.group(2), found.group(3)) if found else None


def grouping(nodes: Value | Sequence[Value], level: str) -> Grouping:
    r"""The graph ending at ``nodes`` (a root, or its nodes in topological
    order) seen at ``level`` (one of :data:`LEVELS`).

    >>> from autograd import Value, wsum
    >>> x = [Value(1.0, "x1"), Value(2.0, "x2")]
    >>> w, b = [Value(0.5, "w1"), Value(-1.0, "w2")], Value(0.1, "b")
    >>> a = wsum(w, x, b).tanh()
    >>> neuron, = grouping(a, "neurons").groups
    >>> [n.label for n in neuron.own], neuron.activation is a
    (['w1', 'w2', 'b'], True)
    """
    check_level(level)
    order = topological_order(nodes) if isinstance(nodes, Value) else list(nodes)
    root = order[-1]
    names = node_names(order, root)
    uses: dict[Value, list[tuple[Value, int]]] = {}
    for node in order:
        for k, parent in enumerate(node.parents):
            uses.setdefault(parent, []).append((node, k))
    groups: list[Neuron | Layer] = []
    if level != "ops":
        users = {node: [user for user, _ in found] for node, found in uses.items()}
        neurons = [_neuron(node, users, root) for node in order if _is_sum(node)]
        if level == "neurons":
            groups = list(neurons)
        else:
            groups = _layers(order, root, neurons, users)
    group_of = {node: group for group in groups for node in group.nodes}
    folds = _folds(order, root, groups, group_of, uses) if level == "layers" else []
    shown_in: dict[Value, Neuron | Layer | Fold] = dict(group_of)
    shown_in.update((node, fold) for fold in folds for node in fold.nodes)
    position = {node: k for k, node in enumerate(order)}
    units: list[Unit] = [node for node in order if node not in shown_in]
    units += [*groups, *folds]
    units.sort(key=lambda u: position[u if isinstance(u, Value) else u.members[0]])
    return Grouping(
        level,
        root,
        tuple(order),
        names,
        tuple(groups),
        group_of,
        tuple(units),
        uses,
        tuple(folds),
        shown_in,
    )


# --- finding the neurons and the layers --------------------------------------------


def _folds(
    order: Sequence[Value],
    root: Value,
    groups: Sequence[Neuron | Layer],
    group_of: dict[Value, Neuron | Layer],
    uses: dict[Value, list[tuple[Value, int]]],
) -> list[Fold]:
    r"""What the layer level draws folded: each layer's inputs, when they are
    leaves that only layers read, as one vector; and the loss, the unlabelled
    ops after the layers' outputs up to the root, with the targets and
    constants only they read."""
    folds: list[Fold] = []
    seen: set[tuple[int, ...]] = set()
    for group in groups:
        if not isinstance(group, Layer) or group.node is not None:
            continue
        xs = group.inputs
        key = tuple(map(id, xs))
        only_layers = all(
            not x.parents
            and x not in group_of
            and all(isinstance(group_of.get(user), Layer) for user, _ in uses[x])
            for x in xs
        )
        if len(xs) > 1 and only_layers and key not in seen:
            seen.add(key)
            folds.append(Fold("inputs", xs))
    loss = _loss_region(order, root, group_of, uses)
    if loss:
        folds.append(Fold("loss", loss))
    return folds


def _loss_region(
    order: Sequence[Value],
    root: Value,
    group_of: dict[Value, Neuron | Layer],
    uses: dict[Value, list[tuple[Value, int]]],
) -> tuple[Value, ...]:
    r"""The loss after the layers: the root and the unlabelled ops used only
    on the way to it, when everything else they read is a group's output or
    a leaf only they read; empty if there is no such loss of two ops or
    more."""
    if root in group_of or not root.parents:
        return ()
    region = {root}
    for node in reversed(order[:-1]):
        if (
            node.parents
            and not node.label
            and node not in group_of
            and all(user in region for user, _ in uses.get(node, []))
        ):
            region.add(node)
    leaves = set()
    for node in region:
        for parent in node.parents:
            if parent in region:
                continue
            if not parent.parents and all(u in region for u, _ in uses[parent]):
                leaves.add(parent)
            elif parent not in group_of:
                return ()  # the loss reads something that is no group's output
    if len(region) < 2:
        return ()
    return tuple(n for n in order if n in region or n in leaves)


def _is_sum(node: Value) -> bool:
    r"""A neuron's weighted sum: its op gives its parents the roles of weights,
    inputs and a bias (a sum of weights and inputs alone, such as the pick of
    a target's logit in a cross-entropy, Σₖ yₖ·zₖ, is no neuron)."""
    if not node.parents:
        return False
    roles = op_for(node.op).roles_of(len(node.parents))
    return all(role in roles for role in ("weight", "input", "bias"))


def _activation_of(
    node: Value, users: dict[Value, list[Value]], root: Value
) -> Value | None:
    """The activation φ(node), if that is the node's only use and reads
    nothing else (the node is not the root)."""
    used_by = users.get(node, [])
    if len(used_by) != 1 or node is root:
        return None
    (user,) = used_by
    if len(user.parents) == 1 and op_for(user.op).kind == "activation":
        return user
    return None


def _neuron(node: Value, users: dict[Value, list[Value]], root: Value) -> Neuron:
    op = op_for(node.op)
    parts = op.parts(node.parents)
    activation = _activation_of(node, users, root)
    roles = op.roles_of(len(node.parents))
    own = tuple(
        dict.fromkeys(
            parent
            for parent, role in zip(node.parents, roles)
            if role in _PARAMETER_ROLES
            and not parent.parents
            and parent is not root
            and all(user is node for user in users.get(parent, []))
            and _only_as_parameter(node, parent, roles)
        )
    )
    bias = parts.get("bias") or [None]
    return Neuron(
        sum=node,
        activation=activation,
        weights=tuple(parts.get("weight", ())),
        inputs=tuple(parts.get("input", ())),
        bias=bias[0],
        own=own,
    )


def _only_as_parameter(node: Value, leaf: Value, roles: Sequence[str]) -> bool:
    """True if ``node`` reads ``leaf`` only as a weight or a bias."""
    return all(
        role in _PARAMETER_ROLES
        for parent, role in zip(node.parents, roles)
        if parent is leaf
    )


def _layers(
    order: Sequence[Value],
    root: Value,
    neurons: list[Neuron],
    users: dict[Value, list[Value]],
) -> list[Neuron | Layer]:
    r"""The neurons gathered into layers, and a batch's layer nodes as layers.

    Neurons are one layer when they read the same inputs and their weights
    live in one parameter array (built by hand: when they read the same
    inputs). A layer is kept only if the graph's order still holds with it
    as one unit (nothing outside it both uses one of its neurons and feeds
    another); otherwise its neurons stay neurons.
    """
    found: dict[tuple[Any, ...], list[Neuron]] = {}
    for neuron in neurons:
        found.setdefault(_layer_key(neuron), []).append(neuron)
    candidates: list[Layer] = [Layer(tuple(group)) for group in found.values()]
    candidates += [
        _batch_layer(node, users, root) for node in order if _is_layer_node(node)
    ]
    groups: list[Neuron | Layer] = list(neurons)
    for layer in candidates:
        trial = [g for g in groups if g not in layer.neurons] + [layer]
        group_of = {node: g for g in trial for node in g.nodes}
        if _backward_units(order, root, group_of) is not None:
            groups = trial
    position = {node: k for k, node in enumerate(order)}
    return sorted(groups, key=lambda g: position[g.members[0]])


def _layer_key(neuron: Neuron) -> tuple[Any, ...]:
    r"""What the neurons of one layer share: the inputs they read (so that
    z = W·x + b), and the parameter array their weights live in, if any (a
    convolution's filters at one place in the image are a layer; the same
    filters elsewhere read other inputs)."""
    arrays = {id(w.array) for w in neuron.weights if isinstance(w, Element)}
    inputs = tuple(id(x) for x in neuron.inputs)
    if len(arrays) == 1 and all(isinstance(w, Element) for w in neuron.weights):
        return ("array", *arrays, *inputs)
    return ("inputs", *inputs)


def _is_layer_node(node: Value) -> bool:
    return bool(node.parents) and op_for(node.op).kind == "layer"


def _batch_layer(node: Value, users: dict[Value, list[Value]], root: Value) -> Layer:
    activation = _activation_of(node, users, root)
    roles = op_for(node.op).roles_of(len(node.parents))
    parameters = tuple(
        parent
        for parent, role in zip(node.parents, roles)
        if role in _MATRIX_ROLES
        and not parent.parents
        and parent is not root
        and all(user is node for user in users.get(parent, []))
    )
    return Layer(node=node, activation=activation, parameters=parameters)


def _backward_units(
    order: Sequence[Value], root: Value, group_of: dict[Value, Any]
) -> list[Stepped] | None:
    r"""The units in the order the backward pass steps them, or ``None`` if the
    groups make that impossible (one would have to step before and after
    another).

    Kahn's algorithm from the root down: a unit is ready when every unit
    that uses it has stepped; of those ready, the one the op level reaches
    first steps next.
    """
    stepped = [node for node in reversed(order) if node.parents] or [root]
    return _kahn(stepped, group_of, backward=True)


def _forward_units(order: Sequence[Value], group_of: dict[Value, Any]) -> list[Stepped]:
    r"""The units made by ops in the order the forward pass computes them:
    each once every unit it reads is computed, the earliest in the graph's
    order first (with no groups, exactly the graph's order)."""
    computed = [node for node in order if node.parents]
    return _kahn(computed, group_of, backward=False) or []


def _kahn(
    nodes: Sequence[Value], group_of: dict[Value, Any], backward: bool
) -> list[Stepped] | None:
    r"""The units of ``nodes`` (in the op level's order), each after every unit
    it waits for: those that use it (``backward``) or that it reads; of the
    ready ones, the one whose first node comes first. ``None`` if there is a
    circle between units."""
    place = {node: k for k, node in enumerate(nodes)}

    def unit(node: Value) -> Any:
        return group_of.get(node, node)

    first: dict[int, int] = {}
    units: dict[int, Any] = {}
    for node in nodes:
        u = unit(node)
        units.setdefault(id(u), u)
        first.setdefault(id(u), place[node])
    waiting: dict[int, set[int]] = {key: set() for key in units}
    frees: dict[int, set[int]] = {key: set() for key in units}
    for node in nodes:
        for parent in node.parents:
            if parent in place and id(unit(parent)) != id(unit(node)):
                before, after = id(unit(node)), id(unit(parent))
                if not backward:
                    before, after = after, before
                waiting[after].add(before)
                frees[before].add(after)
    ready = [(first[key], key) for key in units if not waiting[key]]
    heapq.heapify(ready)
    out: list[Stepped] = []
    while ready:
        _, key = heapq.heappop(ready)
        out.append(units[key])
        for other in frees[key]:
            waiting[other].discard(key)
            if not waiting[other]:
                heapq.heappush(ready, (first[other], other))
    return out if len(out) == len(units) else None
