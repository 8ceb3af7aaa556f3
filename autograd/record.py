r"""One op of the table: the :class:`Op` record, and what a record is made of.

Everything chainrule knows about an op stands in its record: how to compute
it (the rule), how it is written and drawn, the formula of each local
derivative, what its parents are to it (their roles), its parameters, and how
a node of a batch becomes the nodes of one sample. The op table
(:data:`autograd.ops.OPS`) is a dict of these records; nothing outside it
asks an op's name to decide what to do.

A record *is* its name: ``Op`` is a ``str``, so a node's ``op`` reads,
prints and compares as the name (``y.op == "mul"``), and is at the same
time the record, with its parameters (``(a ** 2).op.params == {"n": 2.0}``).

>>> from autograd.ops import OPS
>>> mul = OPS["mul"]
>>> mul == "mul", mul.symbol, mul.roles_of(2)
(True, '×', ('factor', 'factor'))
>>> mul.write(["x", "w"]), mul.local_text(0, ["x", "w"], "y")
('x·w', 'w')
>>> square = OPS["pow"].bind(n=2)
>>> square.write(["a − t"], precedences=[SUM]), square.short_text(0, ["a"], "y")
('(a − t)²', '2a')
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

__all__ = [
    "ATOM",
    "KINDS",
    "POWER",
    "PRODUCT",
    "SIGN",
    "SUM",
    "Mistakes",
    "Nodes",
    "Op",
    "Sample",
    "Terms",
]

#: What an op is for, as the table groups them: ``"layer"`` is a whole layer
#: of a batch (Z = X·Wᵀ + b), ``"shape"`` moves a batch's numbers about
#: without changing them (a column, a reshape, patches of images).
KINDS = ("arithmetic", "function", "activation", "sum", "layer", "shape", "loss")

# How tightly a written op holds together, loosest first: a writer puts a
# parent's expression in parentheses when it binds more loosely than its
# place needs (the base of a power needs an ATOM: (a − t)², but a²).
SUM = 1  # a + b, a − b, Σ
PRODUCT = 2  # a × b, a / b
SIGN = 3  # −a
POWER = 4  # a², a^b
ATOM = 5  # a name, a number, a function call f(a)


#: An op's usual mistakes: (position, inputs' numbers, output, parameters) ->
#: ((kind, the wrong local derivative it gives), ...); see ``Op.mistakes``.
Mistakes = Callable[
    [int, Sequence[float], float, Mapping[str, Any]], tuple[tuple[str, float], ...]
]


class Nodes(Protocol):
    """How code that knows no ``Value`` makes nodes (handed in by the engine)."""

    def leaf(self, data: Any, label: str = "") -> Any:
        """A new leaf holding ``data`` (a number the graph is given)."""

    def make(
        self, data: Any, local_grads: tuple[Any, ...], op: Op | str, parents: tuple
    ) -> Any:
        """A node whose data and local derivatives are already known."""

    def apply(self, op: Op, parents: tuple) -> Any:
        """A node made by an op's rule (with the record's parameters)."""

    def vsum(self, values: Sequence[Any]) -> Any:
        """One Σ node of the values."""

    def wsum(self, weights: Sequence[Any], inputs: Sequence[Any]) -> Any:
        """One weighted-sum node Σ wᵢ·xᵢ."""


class Sample(Nodes, Protocol):
    r"""One sample of a batched node, as an op's ``per_sample`` sees it.

    ``node`` is the batched node, ``index`` the sample's row, and
    ``parents`` what each parent became for this sample: one node, or a
    numpy array of nodes (an object array, one node per number of the row).
    """

    node: Any
    index: int
    parents: list[Any]

    def row(self, position: int) -> Any:
        """The data of parent ``position`` for this sample (its row)."""


class Terms(Protocol):
    r"""How an op of any number of parents (Σ, the weighted sum) is written."""

    roles: tuple[str, ...]

    def roles_of(self, count: int) -> tuple[str, ...]:
        """Each parent's role, for a node of ``count`` parents."""

    def needs(self, count: int) -> tuple[int, ...]:
        """The least precedence each parent's expression needs to stand bare."""

    def write(self, names: Sequence[str]) -> str:
        """The op written with its parents' names."""

    def local(self, position: int, names: Sequence[str]) -> str:
        """∂out/∂(parent ``position``) in the parents' names."""

    def formula(self, position: int, count: int) -> str:
        """The textbook rule for one parent, in letters."""


def per_element(sample: Sample) -> Any:
    r"""The default ``per_sample``: an op that works number by number.

    The sample's node (or array of nodes) has the batch node's numbers at the
    sample's row, the same op, and the sample's parents.
    """
    node, k = sample.node, sample.index
    parents = sample.parents
    if type(node.data) is float:  # after a loss: recompute it from the sample's values
        return sample.apply(node.op, tuple(_one(p) for p in parents))
    shape = node.data.shape[1:]
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        here = tuple(p[index] if isinstance(p, np.ndarray) else p for p in parents)
        local_grads = tuple(
            local if type(local) is float else float(local[k][index])
            for local in node.local_grads
        )
        out[index] = sample.make(float(node.data[k][index]), local_grads, node.op, here)
    return out if shape else out[()]


def _one(rep: Any) -> Any:
    """The one node a sample has for a parent that should hold one number."""
    size = getattr(rep, "size", None)
    if size is None:
        return rep
    if size != 1:
        msg = "a scalar op needs one number per sample here, not an array."
        raise ValueError(msg)
    return rep.flat[0]


class _Shown(dict[str, str]):
    """A parameter's text for a template; one not given shows its own name."""

    def __missing__(self, key: str) -> str:
        return key


_FORMATTER = string.Formatter()


def _number(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:g}".replace("-", "−")
    return str(x)


class Op(str):
    r"""One op: how it computes, how it is written, and what its parents are to it.

    Made with keywords, most of them optional, so a simple activation is a
    line or two::

        Op("softplus", softplus, kind="activation", derivatives=("σ({0})",))

    - ``rule(*data, **params) -> (out, local derivatives)``: the op on its
      parents' numbers (floats or numpy arrays); it knows nothing of Value.
    - ``derivatives``: ∂out/∂parent for each parent, a template in which
      ``{0}``, ``{1}``, ... stand for the parents' names, ``{out}`` for the
      output's and ``{n}``, ``{slope}``, ... for the op's parameters.
      Their number is the op's ``arity`` (give ``terms`` instead for an op
      of any number of parents).
    - ``short``: each derivative as a path product writes it, where shorter
      (``σ′({0})`` for ``{out}·(1 − {out})``); by default ``derivatives``.
    - ``expression``: the op with its parents, ``"{0} × {1}"``; by default a
      call, ``"name({0})"``. ``precedence`` says how tightly it holds
      together (:data:`SUM` ... :data:`ATOM`; a call is an ATOM) and
      ``operands`` the least precedence each parent's expression needs to be
      written there without parentheses (by default none, as in a call).
    - ``roles``: what each parent is to the op (``("base", "exponent")``);
      by default ``("input",)``.
    - ``params``: the op's parameters with their defaults (``{"slope":
      0.01}``; ``None``: no default). :meth:`bind` makes the record of
      one choice of them, which the node keeps as its ``op``.
    - ``per_sample``: how a node of a batch becomes one sample's nodes (see
      :class:`Sample`); by default number by number (:func:`per_element`).
    - ``symbol`` is drawn in the op's node, ``micrograd`` is micrograd's
      ``_op`` (both by default the name), ``kind`` one of :data:`KINDS`,
      ``letters`` and ``textbook`` write the op's rule in :meth:`formula`.
    - ``specialise(params) -> dict``: fields written anew for one choice of
      the parameters (a power's exponent as a superscript).
    - ``mistakes(position, inputs, out, params) -> ((kind, wrong), ...)``: the
      usual mistakes with the local derivative of parent ``position`` and
      the wrong number each gives, on numbers (σ(z) for σ′(z): ``("sigmoid",
      out)``); what practice names a wrong answer by
      (:mod:`autograd.practice.mistakes`). ``None``: none known.
    """

    name: str
    rule: Callable[..., Any]
    symbol: str
    expression: str
    precedence: int
    operands: tuple[int, ...]
    derivatives: tuple[str, ...]
    short: tuple[str, ...]
    roles: tuple[str, ...]
    kind: str
    micrograd: str
    params: Mapping[str, Any]
    per_sample: Callable[[Sample], Any]
    letters: str
    textbook: str
    terms: Terms | None
    specialise: Callable[[Mapping[str, Any]], dict[str, Any]] | None
    mistakes: Mistakes | None
    _bound: dict[tuple[Any, ...], Op]  # the records of chosen parameters

    def __new__(
        cls,
        name: str,
        rule: Callable[..., Any],
        *,
        derivatives: Sequence[str] = (),
        short: Sequence[str] | None = None,
        expression: str | None = None,
        precedence: int = ATOM,
        operands: Sequence[int] | None = None,
        roles: Sequence[str] | None = None,
        kind: str = "function",
        symbol: str | None = None,
        micrograd: str | None = None,
        params: Mapping[str, Any] | None = None,
        per_sample: Callable[[Sample], Any] | None = None,
        letters: str = "abc",
        textbook: str = "",
        terms: Terms | None = None,
        specialise: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None,
        mistakes: Mistakes | None = None,
    ) -> Op:
        if kind not in KINDS:
            msg = f"kind must be one of {', '.join(KINDS)}, not {kind!r}."
            raise ValueError(msg)
        if not derivatives and terms is None:
            msg = f"the op {name!r} needs a derivative formula for each parent."
            raise ValueError(msg)
        arity = len(derivatives)
        record = super().__new__(cls, name)
        fields = {
            "name": name,
            "rule": rule,
            "symbol": symbol or name,
            "expression": expression or f"{name}({{0}})",
            "precedence": precedence,
            "operands": tuple(operands) if operands else (0,) * arity,
            "derivatives": tuple(derivatives),
            "short": tuple(short) if short else tuple(derivatives),
            "roles": tuple(roles) if roles else terms.roles if terms else ("input",),
            "kind": kind,
            "micrograd": micrograd or name,
            "params": dict(params or {}),
            "per_sample": per_sample or per_element,
            "letters": letters,
            "textbook": textbook,
            "terms": terms,
            "specialise": specialise,
            "mistakes": mistakes,
            "_bound": {},
        }
        record.__dict__.update(fields)
        return record

    def __setattr__(self, name: str, value: Any) -> None:
        msg = f"an op's record is fixed; make another Op instead of setting {name}."
        raise AttributeError(msg)

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        return _remade, (fields,)

    # --- parameters ------------------------------------------------------------------

    @property
    def arity(self) -> int | None:
        """The number of parents, ``None`` for any number (Σ, the weighted sum)."""
        return None if self.terms is not None else len(self.derivatives)

    def bind(self, **params: Any) -> Op:
        r"""The record of this op with these parameters (one record per choice).

        >>> from autograd.ops import OPS
        >>> leaky = OPS["leaky_relu"].bind(slope=0.2)
        >>> leaky, leaky.params, leaky.local_text(0, ["z"], "a")
        ('leaky_relu', {'slope': 0.2}, '1 if z > 0 else 0.2')
        """
        try:  # a choice made before: its record, at once
            return self._bound[tuple(params.items())]
        except (KeyError, TypeError):
            pass
        unknown = set(params) - set(self.params)
        if unknown:
            known = ", ".join(self.params) or "none"
            msg = (
                f"the op {self.name!r} has no parameter {sorted(unknown)[0]!r} "
                f"(its parameters: {known})."
            )
            raise TypeError(msg)
        chosen = {**self.params, **params}
        key = tuple(params.items())
        try:
            hash(key)
        except TypeError:  # an unhashable parameter: a record of its own
            key = ()
        fields = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        fields.update(params=chosen)
        if self.specialise is not None:
            fields.update(self.specialise(chosen))
        del fields["name"], fields["rule"]
        bound = Op(self.name, self.rule, **fields)
        if key:
            if len(self._bound) >= 256:  # many exponents: keep the latest few
                self._bound.clear()
            self._bound[key] = bound
        return bound

    def compute(self, *data: Any) -> Any:
        """The rule on these data, with this record's parameters."""
        return self.rule(*data, **self.params)

    # --- roles -----------------------------------------------------------------------

    def roles_of(self, count: int) -> tuple[str, ...]:
        """The role of each parent of a node with ``count`` parents."""
        if self.terms is not None:
            return self.terms.roles_of(count)
        return self.roles

    def parts(self, parents: Sequence[Any]) -> dict[str, list[Any]]:
        r"""The parents grouped by role, in order.

        >>> from autograd.ops import OPS
        >>> OPS["wsum"].parts(["w1", "w2", "x1", "x2", "b"])
        {'weight': ['w1', 'w2'], 'input': ['x1', 'x2'], 'bias': ['b']}
        """
        groups: dict[str, list[Any]] = {role: [] for role in self.roles}
        for role, parent in zip(self.roles_of(len(parents)), parents):
            groups.setdefault(role, []).append(parent)
        return groups

    # --- writing ---------------------------------------------------------------------

    def fill(self, template: str, names: Sequence[str], out: str) -> str:
        """A template of this op (``{0}``, ``{out}``, ``{n}``) in these names."""
        return self._fill(template, names, out)

    def _fill(self, template: str, names: Sequence[str], out: str) -> str:
        given = {k: _number(v) for k, v in self.params.items() if v is not None}
        shown = _Shown(given, out=out)
        return _FORMATTER.vformat(template, list(names), shown)

    def write(
        self,
        names: Sequence[str],
        out: str = "",
        precedences: Sequence[int] | None = None,
    ) -> str:
        r"""The op written with its parents' names: ``x × w``.

        With ``precedences`` (each parent's expression's, see :data:`SUM`),
        a parent that binds more loosely than its place needs is put in
        parentheses: ``(a − t)²``.
        """
        if precedences is not None:
            names = [
                f"({name})" if p < need else name
                for name, p, need in zip(names, precedences, self._needs(len(names)))
            ]
        if self.terms is not None:
            return self.terms.write(names)
        return self._fill(self.expression, names, out)

    def _needs(self, count: int) -> tuple[int, ...]:
        if self.terms is not None:
            return self.terms.needs(count)
        return self.operands

    def local_text(self, position: int, names: Sequence[str], out: str) -> str:
        """∂out/∂(parent ``position``) as a formula in the given names: ``w``."""
        if self.terms is not None:
            return self.terms.local(position, names)
        return self._fill(self.derivatives[position], names, out)

    def short_text(self, position: int, names: Sequence[str], out: str) -> str:
        """The same derivative as a path product writes it: ``σ′(z)``."""
        if self.terms is not None:
            return self.terms.local(position, names)
        return self._fill(self.short[position], names, out)

    def formula(
        self, position: int, arity: int, letters: Sequence[str] | None = None
    ) -> str:
        r"""The textbook rule for one parent, in letters: ``∂(a·b)/∂a = b``.

        ``letters`` replace the record's own single letters (``u``, ``v``), so
        that a rule shown beside a graph never uses the graph's own names.
        """
        if self.terms is not None:
            return self.terms.formula(position, arity)
        names = self.letters.split() if " " in self.letters else list(self.letters)
        if letters is not None and " " not in self.letters:
            names = [*letters, *names[len(letters) :]]
        letters = names[: len(self.derivatives)]
        written = self.write(letters)
        if self.textbook:
            written = self._fill(self.textbook, letters, "")
        head = written.split("(")[0]
        called = written.endswith(")") and head and " " not in head
        wrapped = written if called else f"({written})"
        local = self.local_text(position, letters, out=written)
        return f"∂{wrapped}/∂{letters[position]} = {local}"


def _remade(fields: dict[str, Any]) -> Op:
    """A record made again from its fields (how a copy or a pickle makes it)."""
    fields = dict(fields)
    return Op(fields.pop("name"), fields.pop("rule"), **fields)
