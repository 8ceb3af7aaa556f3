r"""Names for people: the articles' notation, and a short name for every node.

Names are given once and read everywhere. A model names its own parts in
the notation of the articles (it knows its structure); every other node is
named here, in one place, from the op that made it:

- a node with a ``label`` is called by its label (``x``, ``w²₁₁``, ``z²₁``);
- an unlabelled op node by its short expression in its parents' names
  (``a³₁ − t₁``, ``(a³₁ − t₁)²``), or ``v<k>`` when no short form fits;
- an unlabelled constant by its number (``2``), or ``tⱼ`` when it is
  subtracted from the output ``aˡⱼ`` of a model (the target of that output);
- the unlabelled root of a graph is the loss: ``E`` (or another letter, see
  :func:`use_notation`).

>>> from autograd import Value
>>> a = Value(0.8, "a³₁")
>>> E = (a - 1.0) ** 2
>>> names = node_names(E)
>>> [names[n] for n in topological_order(E)]
['a³₁', 't₁', 'a³₁ − t₁', 'E']

The notation of a model's parts (``textbook``, the default; ``matrix``;
``code``) is described in :class:`LayerNames`. A terminal that cannot show
sub- and superscripts gets the plain-text form of the same names
(:func:`plain_text`: ``w²₃₁`` is ``w2_31``), and :func:`name_key` reads
either form back, so a name printed anywhere can be typed in again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from autograd.data import subscript, superscript
from autograd.graph import topological_order
from autograd.ops import op_for
from autograd.record import ATOM, SIGN, SUM

__all__ = [
    "STYLES",
    "ArrayNames",
    "LayerNames",
    "Notation",
    "d",
    "delta_name",
    "input_name",
    "input_names",
    "is_compound",
    "name_key",
    "node_names",
    "notation",
    "number_name",
    "plain_text",
    "powers",
    "rule_letters",
    "target_name",
    "use_notation",
    "written",
]

#: The notations a model's parts can be named in:
#:
#: - ``"textbook"`` (the first article's, the common one): inputs ``x₁ x₂``,
#:   layer 1 is the inputs, so the first hidden layer is 2: weights ``w²ⱼₖ``
#:   (into neuron j of layer 2 from neuron k of layer 1), biases ``b²ⱼ``,
#:   sums ``z²ⱼ``, activations ``a²ⱼ``; ``δ²ⱼ`` is dE/dz²ⱼ.
#: - ``"matrix"`` (the third article's): the first hidden layer is 1 and a
#:   weight is written from–to: ``W¹₁,₂`` is the weight from input 1 to
#:   neuron 2 of hidden layer 1.
#: - ``"code"``: the code paths that are the keys of saved files,
#:   ``layers.0.W[1,0]``, ``layers.0.b[1]``, ``layers.0.z[1]``.
STYLES = ("textbook", "matrix", "code")

#: The longest short expression used as a name; longer ones are ``v<k>``.
MAX_SHORT = 24

_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_FROM_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"


# --- the notation in use -------------------------------------------------------------


@dataclass(frozen=True)
class Notation:
    r"""How names are written: the style of a model's parts, and the loss's letter.

    ``style`` is one of :data:`STYLES`; ``loss`` names the unlabelled root
    of a graph (``"E"``, the error, or ``"C"``, the cost); ``plain`` writes
    every name in plain text (``w2_31``), for terminals without sub- and
    superscripts.
    """

    style: str = "textbook"
    loss: str = "E"
    plain: bool = False


_DEFAULT = Notation()
_current: list[Notation] = [_DEFAULT]  # one notation for the whole program


def notation() -> Notation:
    """The notation in use: see :func:`use_notation`."""
    return _current[0]


class use_notation:
    r"""Choose how names are written: from now on, or for the ``with`` block only.

    >>> from autograd import Value
    >>> with use_notation(loss="C"):
    ...     root = Value(2.0, "x") * 3.0
    ...     node_names(root)[root]
    'C'
    >>> notation().loss                     # as it was before the block
    'E'

    ``style`` (one of :data:`STYLES`) changes how a model's parts are named,
    for every model at once (their names are read from the notation when
    they are shown); ``loss`` is the letter of an unlabelled root (``"E"``
    or ``"C"``); ``plain=True`` writes every name in plain text.
    """

    def __init__(
        self,
        style: str | None = None,
        loss: str | None = None,
        plain: bool | None = None,
    ) -> None:
        if style is not None and style not in STYLES:
            msg = f"style must be one of {', '.join(STYLES)}, not {style!r}."
            raise ValueError(msg)
        if loss is not None and (not isinstance(loss, str) or not loss.strip()):
            msg = f"loss must be a name such as 'E' or 'C', not {loss!r}."
            raise ValueError(msg)
        self.previous = notation()
        changes: dict[str, Any] = {}
        if style is not None:
            changes["style"] = style
        if loss is not None:
            changes["loss"] = loss.strip()
        if plain is not None:
            changes["plain"] = bool(plain)
        _current[0] = replace(self.previous, **changes)

    def __enter__(self) -> Notation:
        return notation()

    def __exit__(self, *exc: object) -> None:
        _current[0] = self.previous


# --- a model's parts -----------------------------------------------------------------


@dataclass(frozen=True)
class LayerNames:
    r"""The names of one layer's parts, in the notation in use.

    ``number`` is the layer's place in its model (0 for the first layer of
    weights), ``None`` for a layer (or a neuron) on its own, whose parts have
    no layer number; ``path`` is its code path (``"layers.0."``); ``wide``
    writes weight indices with a comma (``w²₁₂,₃``), for layers with ten
    neurons or inputs or more. Neuron j and input k count from 0 here and
    from 1 in the names.

    >>> names = LayerNames(0, "layers.0.", wide=False)
    >>> names.weight(0, 1), names.bias(0), names.sum(1), names.activation(1)
    ('w²₁₂', 'b²₁', 'z²₂', 'a²₂')
    >>> with use_notation(style="matrix"):
    ...     names.weight(0, 1)
    'W¹₂,₁'
    >>> with use_notation(style="code"):
    ...     names.weight(0, 1), names.sum(1)
    ('layers.0.W[0,1]', 'layers.0.z[1]')
    >>> LayerNames(None, "", wide=False).weight(0, 1)    # a layer on its own
    'w₁₂'
    """

    number: int | None
    path: str = ""
    wide: bool = False
    single: bool = False  # one neuron on its own: w₁, b, z, a

    def _layer(self, style: str) -> str:
        if self.number is None:
            return ""
        first = 2 if style == "textbook" else 1  # the textbook counts the inputs
        return superscript(self.number + first)

    def _neuron(self, j: int) -> str:
        return "" if self.single else subscript(j + 1)

    def weight(self, j: int, k: int) -> str:
        """The weight into neuron ``j`` from input (or neuron) ``k``."""
        style = notation().style
        if style == "code":
            return f"{self.path}W[{j},{k}]"
        if self.single:
            return f"w{subscript(k + 1)}"
        if style == "matrix":
            return f"W{self._layer(style)}{subscript(k + 1)},{subscript(j + 1)}"
        indices = (j + 1, k + 1)
        if self.wide and max(indices) < 10:
            return f"w{self._layer(style)}{subscript(j + 1)},{subscript(k + 1)}"
        return f"w{self._layer(style)}{subscript(*indices)}"

    def _part(self, letter: str, j: int) -> str:
        style = notation().style
        if style == "code":
            return f"{self.path}{letter}[{j}]"
        return f"{letter}{self._layer(style)}{self._neuron(j)}"

    def bias(self, j: int) -> str:
        """Neuron ``j``'s bias: ``b²ⱼ``."""
        return self._part("b", j)

    def sum(self, j: int) -> str:
        """Neuron ``j``'s weighted sum: ``z²ⱼ``."""
        return self._part("z", j)

    def activation(self, j: int) -> str:
        """Neuron ``j``'s activation (its output): ``a²ⱼ``."""
        return self._part("a", j)

    def delta(self, j: int) -> str:
        """dE/dz of neuron ``j``: ``δ²ⱼ``."""
        return self._part("δ", j)

    def matrix(self, letter: str) -> str:
        r"""The layer's matrix ``letter`` (``W``, ``b``, ``Z``, ``A``): ``W²``.

        >>> LayerNames(1, "layers.1.").matrix("Z")
        'Z³'
        """
        style = notation().style
        if style == "code":
            return f"{self.path}{letter}"
        return f"{letter}{self._layer(style)}"

    def element(self, letter: str, index: tuple[int, ...]) -> str:
        """The name of one number of the layer's matrix ``letter`` (W or b)."""
        if letter == "W" and len(index) == 2:
            return self.weight(*index)
        if letter == "b" and len(index) == 1:
            return self.bias(index[0])
        return f"{self.matrix(letter)}[{','.join(map(str, index))}]"


@dataclass(frozen=True)
class ArrayNames:
    r"""The names of a layer's matrix ``letter`` (``"W"`` or ``"b"``) and its numbers.

    A model gives one to each of its parameter arrays
    (:attr:`~autograd.parameters.ParameterArray.naming`); the array and its
    elements read their labels from it when they are shown.

    >>> names = ArrayNames(LayerNames(0, "layers.0."), "W")
    >>> names.whole(), names.element((1, 0))
    ('W²', 'w²₂₁')
    """

    layer: LayerNames
    letter: str

    def whole(self) -> str:
        return self.layer.matrix(self.letter)

    def element(self, index: tuple[int, ...]) -> str:
        return self.layer.element(self.letter, index)

    def neuron(self, part: str, j: int) -> str:
        return self.layer.sum(j) if part == "sum" else self.layer.activation(j)


def input_name(k: int, letter: str = "x") -> str:
    """Input ``k`` (counted from 0) of a sample: ``x₁``; ``x[0]`` in code style."""
    if notation().style == "code":
        return f"{letter}[{k}]"
    return f"{letter}{subscript(k + 1)}"


_INPUT_NAMES: dict[tuple[str, int], tuple[str, ...]] = {}


def input_names(count: int) -> tuple[str, ...]:
    r"""The names of a sample's ``count`` inputs, ``x₁`` to ``xₙ``, in the style in use.

    The same as :func:`input_name` for each, kept once made: a model run on
    one sample at a time names its inputs at every sample.

    >>> input_names(3)
    ('x₁', 'x₂', 'x₃')
    """
    key = (notation().style, count)
    names = _INPUT_NAMES.get(key)
    if names is None:
        names = _INPUT_NAMES[key] = tuple(input_name(k) for k in range(count))
    return names


# --- reading names back ---------------------------------------------------------------

_SCRIPTED = re.compile(
    rf"([^\W\d_][\w′]*?)([{SUPERSCRIPT_DIGITS}⁻]*)"
    rf"((?:[{SUBSCRIPT_DIGITS}]+,?)*[{SUBSCRIPT_DIGITS}])?(?![\w{SUPERSCRIPT_DIGITS}])"
)


def plain_text(text: str) -> str:
    r"""``text`` with its names in plain text, for terminals without sub/superscripts.

    A letter's superscript (its layer) follows it; its subscripts (its
    indices) follow an underscore when there is a layer, and are separated
    by underscores where they were by commas. The math signs become ASCII.

    >>> plain_text("∂E/∂w²₃₁ = x₁ · σ′(z²₁)")
    "dE/dw2_31 = x1 * sigmoid'(z2_1)"
    >>> plain_text("w²₁₂,₃ − t₁"), plain_text("(a³₁ − t₁)² + w²")
    ('w2_12_3 - t1', '(a3_1 - t1)^2 + w^2')
    """

    def scripted(found: re.Match[str]) -> str:
        letters, sup, sub = found.group(1), found.group(2), found.group(3) or ""
        if sup and not sub:  # a power (w²), or a layer's matrix: written w^2
            return f"{letters}^{sup.translate(_FROM_SUPERSCRIPT)}"
        sup_text = sup.translate(_FROM_SUPERSCRIPT)
        sub_text = sub.translate(_FROM_SUBSCRIPT).replace(",", "_")
        if sup_text and sub_text:
            return f"{letters}{sup_text}_{sub_text}"
        return f"{letters}{sup_text}{sub_text}"

    text = _SCRIPTED.sub(scripted, text)
    text = re.sub(
        rf"([)\]])([{SUPERSCRIPT_DIGITS}⁻]+)",
        lambda m: f"{m.group(1)}^{m.group(2).translate(_FROM_SUPERSCRIPT)}",
        text,
    )
    for fancy, plain in _PLAIN_SIGNS.items():
        text = text.replace(fancy, plain)
    return text.translate(_FROM_SUBSCRIPT)


_PLAIN_SIGNS = {
    "∂": "d",
    "−": "-",
    "·": "*",
    "×": "*",
    "→": "->",
    "σ′": "sigmoid'",
    "σ": "sigmoid",
    "′": "'",
    "δ": "delta",
    "Σ": "sum",
    "ᵀ": "^T",
    "…": "...",
}


def name_key(name: str) -> str:
    r"""The key two spellings of one name share: ``w²₃₁`` and ``w2_31`` alike.

    >>> name_key("w²₃₁") == name_key("w2_31"), name_key("x₁") == name_key("x1")
    (True, True)
    """
    return plain_text(name.strip()).replace(" ", "")


# --- names of nodes -----------------------------------------------------------------


def number_name(x: float) -> str:
    """A constant's name: its number, short (``2``, ``0.5``, ``−3``)."""
    text = f"{x:.4g}" if isinstance(x, float | int) else "c"
    return text.replace("-", "−")


def is_compound(name: str) -> bool:
    r"""True if ``name`` must be put in parentheses inside a larger expression.

    >>> is_compound("a³₁ − t₁"), is_compound("(a³₁ − t₁)²"), is_compound("σ(z)")
    (True, False, False)
    >>> is_compound("−3"), is_compound("x·w")
    (True, True)
    """
    if name.startswith(("−", "-")):
        return True
    depth = 0
    for char in name:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and (char.isspace() or char in "+−·×/^"):
            return True
    return False


def _wrapped(name: str) -> str:
    return f"({name})" if is_compound(name) else name


def d(name: str) -> str:
    r"""A name as it follows ``d`` or ``∂``: in parentheses if it is an expression.

    >>> "∂E/∂" + d("a³₁ − t₁"), "dE/d" + d("w²₁₁")
    ('∂E/∂(a³₁ − t₁)', 'dE/dw²₁₁')
    """
    return _wrapped(name)


def powers(text: str) -> str:
    """``^2`` written as ``²``: small whole exponents as superscripts."""
    return re.sub(
        r"\^(-?\d)(?![\d.])",
        lambda m: superscript(m.group(1)),
        text,
    )


def written(node: Any, names: Mapping[Any, str]) -> str:
    r"""The op that made ``node``, written with its parents' names.

    Parents whose names are expressions are put in parentheses where the
    op needs it (the op table's precedences), and small whole powers are
    superscripts:

    >>> from autograd import Value
    >>> a, t = Value(0.5, "a"), Value(1.0, "t")
    >>> d = a - t
    >>> written(d ** 2, {a: "a", t: "t", d: "a − t"})
    '(a − t)²'
    """
    op = op_for(node.op)
    parent_names = [names[p] for p in node.parents]
    precedences = [
        _name_precedence(parent, name, position)
        for position, (parent, name) in enumerate(zip(node.parents, parent_names))
    ]
    return powers(op.write(parent_names, names.get(node, ""), precedences))


def _name_precedence(node: Any, name: str, position: int) -> int:
    """How tightly a node's name binds where it stands.

    A label or a number is an atom, unless it is an expression itself or
    signed (``x·(−3)``, not ``x·−3``: a sign is an atom only in front); an
    unlabelled node's name binds as the op that made it.
    """
    if node.label or not node.parents or name.startswith("v"):
        if name.startswith(("−", "-")):
            return SIGN if position == 0 else SUM - 1
        return SUM - 1 if is_compound(name) else ATOM
    return op_for(node.op).precedence


def formula_in(
    node: Any, position: int, names: Mapping[Any, str], short: bool = False
) -> str:
    r"""∂node/∂(parent at ``position``) as a formula in the graph's own names.

    ``short`` writes it as a path product does (``σ′(z²₁)`` rather than
    ``a²₁·(1 − a²₁)``). A name that is an expression is put in parentheses
    inside a formula: ``2·(a³₁ − t₁)``.

    >>> from autograd import Value
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> y = x * w
    >>> formula_in(y, 0, {x: "x", w: "w", y: "y"})
    'w'
    """
    op = op_for(node.op)
    parent_names = [names[p] for p in node.parents]
    out = names.get(node, "")
    if op.terms is not None:  # Σ and the weighted sum: each local is one name
        text = op.short_text if short else op.local_text
        return powers(text(position, parent_names, out))
    template = (op.short if short else op.derivatives)[position]
    return powers(op.fill(_names_in(template, parent_names, out), [], ""))


_PLACEHOLDER = re.compile(r"\{(\d+|out)\}")


def _names_in(template: str, names: Sequence[str], out: str) -> str:
    r"""``template`` with the names put in, in parentheses where they need them.

    A name that is an expression is bracketed, unless it stands alone or
    directly inside a call's parentheses; the op's parameters (``{n}``) are
    left for the op to fill.

    >>> _names_in("{0}·(1 − {0})", ["a − t"], "")
    '(a − t)·(1 − (a − t))'
    >>> _names_in("exp({0})", ["z + 1"], "")
    'exp(z + 1)'
    """

    def put(found: re.Match[str]) -> str:
        key = found.group(1)
        name = out if key == "out" else names[int(key)]
        alone = template.strip() == found.group(0)
        before, after = template[: found.start()], template[found.end() :]
        enclosed = before.endswith("(") and after.startswith(")")
        shown = name if alone or enclosed else _wrapped(name)
        return shown.replace("{", "{{").replace("}", "}}")

    return _PLACEHOLDER.sub(put, template)


def target_name(output_name: str) -> str:
    r"""The target of the output ``output_name``: ``a³₁`` -> ``t₁``, ``a`` -> ``t``.

    >>> target_name("a³₂"), target_name("z"), target_name("a2_1")
    ('t₂', 't', 't1')
    """
    found = _SCRIPTED.fullmatch(output_name)
    if found and found.group(3):
        return "t" + found.group(3)
    plain = re.fullmatch(r"[A-Za-z]+\d*_(\d+)", output_name)
    return "t" + plain.group(1) if plain else "t"


def delta_name(sum_name: str) -> str | None:
    r"""δ of a weighted sum named like ``z²₁`` (dE/dz²₁ is δ²₁), else None.

    >>> delta_name("z²₁"), delta_name("x")
    ('δ²₁', None)
    """
    found = _SCRIPTED.fullmatch(sum_name)
    if found and found.group(1) == "z" and (found.group(2) or found.group(3)):
        return "δ" + sum_name[1:]
    return None


def _is_output_name(name: str) -> bool:
    """A name written like a neuron's output or sum: ``a³₁``, ``z``, ``a₂``."""
    found = _SCRIPTED.fullmatch(name)
    return bool(found) and found.group(1) in ("a", "z") if found else False


def node_names(nodes: Any, root: Any = None) -> dict[Any, str]:
    r"""A readable, deterministic name for each node of a graph.

    ``nodes`` is a graph's root (its whole graph is named) or its nodes in
    topological order; the root (the last node) is named after the loss
    unless it has a label. See the module's docstring for the rules.

    >>> from autograd import Value
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> y = (x * w).tanh()
    >>> sorted(node_names(y).values())
    ['E', 'w', 'x', 'x·w']
    """
    from autograd.value import Value  # the node class, for the root argument

    order = topological_order(nodes) if isinstance(nodes, Value) else list(nodes)
    if root is None and order:
        root = order[-1]
    names: dict[Any, str] = {}
    layers = 0
    constants: list[Any] = []
    for k, node in enumerate(order):
        if node.label:
            names[node] = node.label
        elif not node.parents:
            names[node] = number_name(node.data) if type(node.data) is float else "c"
            constants.append(node)
        elif _is_layer(node):
            layers += 1
            names[node] = _layer_name(node, "Z", layers)
        elif _activates_a_layer(node, names):
            names[node] = _layer_name(node.parents[0], "A", layers)
        else:
            short = written(node, names)
            names[node] = short if len(short) <= MAX_SHORT else f"v{k}"
    _name_targets(order, constants, names)
    if root is not None and not root.label:
        names[root] = notation().loss
    if notation().plain:
        names = {node: plain_text(name) for node, name in names.items()}
    return names


def _name_targets(order: Sequence[Any], constants: list[Any], names: dict) -> None:
    """An unlabelled constant subtracted from a neuron's output is its target, tⱼ.

    The names of the nodes made from it are written again with its new name.
    """
    if not constants:
        return
    waiting = set(constants)
    renamed = False
    for node in order:
        if not node.parents:
            continue
        roles = op_for(node.op).roles_of(len(node.parents))
        if "subtracted" not in roles:
            continue
        output = node.parents[roles.index("term")]
        constant = node.parents[roles.index("subtracted")]
        if constant in waiting and _is_output_name(names[output]):
            names[constant] = target_name(names[output])
            waiting.discard(constant)
            renamed = True
    if renamed:  # write the expressions again, with the targets' names
        for k, node in enumerate(order):
            unlabelled = node.parents and not node.label and not _is_layer(node)
            if unlabelled and not _activates_a_layer(node, names):
                short = written(node, names)
                names[node] = short if len(short) <= MAX_SHORT else f"v{k}"


def _is_layer(node: Any) -> bool:
    """A layer node of a batch, Z = X·Wᵀ + b (the op table's kind ``layer``)."""
    return bool(node.parents) and op_for(node.op).kind == "layer"


def _layer_name(layer_node: Any, letter: str, count: int) -> str:
    """``Z²`` (or ``A²``) for the layer node of a model's layer 2; else ``Z<count>``.

    The layer is known by its weights, the first parent of the layer node
    (its parents are in a weighted sum's order: weights, inputs, bias).
    """
    naming = getattr(layer_node.parents[0], "naming", None)
    layer = getattr(naming, "layer", None)
    if isinstance(layer, LayerNames):
        return layer.matrix(letter)
    return f"{letter}{count}"


def _activates_a_layer(node: Any, names: Mapping[Any, str]) -> bool:
    """An activation node of a whole (unlabelled) layer node named Zk."""
    if not node.op or op_for(node.op).kind != "activation":
        return False
    parent = node.parents[0]
    return not parent.label and _is_layer(parent) and parent in names


def rule_letters(names: Sequence[str], count: int) -> list[str]:
    r"""``count`` letters for a textbook rule that no name of the graph uses.

    >>> rule_letters(["u", "x"], 2)
    ['p', 'q']
    """
    used = set(names)
    for letters in ("uv", "pq", "fg", "rs", "mn", "αβ"):
        if not used.intersection(letters[:count]):
            return list(letters[:count]) + ["w"] * (count - len(letters))
    return ["u", "v", "w"][:count]
