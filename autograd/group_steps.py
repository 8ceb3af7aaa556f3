r"""A neuron's and a layer's backward step, as the articles write them.

At the neuron level (see :mod:`autograd.levels`) the backward pass takes one
step per neuron, and that step is the article's δ line: the neuron's δ
(dE/dz) from the δs of the neurons it feeds, then each weight's gradient,

    δ²₁ = σ′(z²₁) · (w³₁₁·δ³₁ + w³₂₁·δ³₂) = 0.2077 × (…) = -0.0085
    ∂E/∂w²₁₁ = δ²₁ · x₁ = -0.0085 × 1 = -0.0085        ∂E/∂b²₁ = δ²₁

and at the layer level the same in matrices, with their shapes:
``δ² = σ′(z²) ⊙ (W³ᵀ·δ³)``, ``∂E/∂W² = δ²·xᵀ``. Every number is taken from the
steps of the op level of the same pass (``parts``), so it is exactly what
``backward()`` gives.

This module writes the story of such a step (:class:`GroupStory`); the
stepper (:func:`autograd.backward_steps` with ``level=``) puts it in a
:class:`~autograd.steps.Step`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from autograd.data import shape_text
from autograd.latex import latex_formula, latex_name
from autograd.levels import Grouping, Layer, Neuron, name_parts
from autograd.names import d, delta_name, formula_in, written
from autograd.ops import op_for
from autograd.text import show
from autograd.value import Value

__all__ = [
    "MAX_ROWS",
    "Equation",
    "GroupStory",
    "step_text",
    "story_latex",
    "story_of",
    "value_text",
    "vector_name",
    "vector_text",
]

#: A neuron's weights (and what it sends its inputs) are listed one a line up
#: to this many; beyond, the first few and how many more.
MAX_ROWS = 6

#: How the textbook writes a neuron's step and a layer's (in indices, so no
#: letter clashes with a name of the graph).
NEURON_RULES = (
    "δˡⱼ = φ′(zˡⱼ)·Σₖ wˡ⁺¹ₖⱼ·δˡ⁺¹ₖ",
    "∂{E}/∂wˡⱼₖ = δˡⱼ·aˡ⁻¹ₖ",
    "∂{E}/∂bˡⱼ = δˡⱼ",
)
LAYER_RULES = (
    "δˡ = φ′(zˡ) ⊙ (Wˡ⁺¹ᵀ·δˡ⁺¹)",
    "∂{E}/∂Wˡ = δˡ·(aˡ⁻¹)ᵀ",
    "∂{E}/∂bˡ = δˡ",
)


class _Part(Protocol):
    r"""One step of the op level, as a group's story reads it."""

    @property
    def node(self) -> Value: ...
    @property
    def grad(self) -> Any: ...
    @property
    def lines(self) -> Sequence[Any]: ...
    @property
    def root_name(self) -> str: ...
    @property
    def index(self) -> int: ...

    def rules(self) -> str: ...


@dataclass(frozen=True)
class Equation:
    r"""One line of a neuron's or a layer's step: what is computed, its formula
    in the graph's names, the same with numbers, and the result.

    ``sign`` is ``"+="`` for a share sent to a value that others send to as
    well (``total`` is then its running total, ``dE/dx₁: 0.02 → 0.019``).

    >>> print(Equation("δ²₁", "σ′(z²₁) · w³₁₁·δ³₁", "0.2077 × -0.04117", -0.00855))
    δ²₁ = σ′(z²₁) · w³₁₁·δ³₁ = 0.2077 × -0.04117 = -0.00855
    """

    left: str
    formula: str
    numbers: str
    value: Any
    sign: str = "="
    total: str = ""

    @property
    def result(self) -> str:
        """The value as it is written: a number, a short vector or matrix."""
        return value_text(self.value)

    def __str__(self) -> str:
        text = f"{self.left} {self.sign} {self.formula}"
        last = self.formula
        for shown in (self.numbers, self.result):
            if shown and shown != last:
                text += f" = {shown}"
                last = shown
        if self.total:
            text += f"   {self.total}"
        return text


@dataclass(frozen=True)
class GroupStory:
    r"""What a neuron's (or a layer's) backward step says.

    ``group`` is the :class:`~autograd.levels.Neuron` or
    :class:`~autograd.levels.Layer`, ``title`` its name (``neuron 2₁``),
    ``values`` its forward values as formulas (``z²₁ = w²₁₁·x₁ + w²₁₂·x₂ +
    b²₁ = -0.8743``), ``equations`` the lines of its step (an
    :class:`Equation`, or a line of text), ``rules`` the textbook's rules and
    ``parts`` the op-level steps it is made of, in the order taken.
    """

    group: Neuron | Layer
    title: str
    values: tuple[str, ...]
    equations: tuple[Equation | str, ...]
    rules: str
    parts: tuple[Any, ...]

    def body(self) -> list[str]:
        """The equations, one a line."""
        return [str(equation) for equation in self.equations]


def value_text(x: Any) -> str:
    """A number, or a short vector or matrix: ``[0.2944, 0.5429]``."""
    if isinstance(x, np.ndarray) and x.ndim == 1:
        return vector_text(x.tolist())
    if isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[0] * x.shape[1] <= 6:
        return "[" + ", ".join(vector_text(row) for row in x.tolist()) + "]"
    return show(x)


def vector_text(values: Sequence[Any] | np.ndarray, limit: int = 4) -> str:
    r"""A vector written short: every number up to ``limit``, else the first
    few and how many there are.

    >>> vector_text([0.5, -1.0]), vector_text(list(range(10)))
    ('[0.5, -1]', '[0, 1, 2, … 10 values]')
    """
    if len(values) <= limit:
        return "[" + ", ".join(show(float(v)) for v in values) + "]"
    shown = ", ".join(show(float(v)) for v in values[: limit - 1])
    return f"[{shown}, … {len(values)} values]"


def story_of(
    group: Neuron | Layer,
    parts: Sequence[_Part],
    view: Grouping,
    steps: Mapping[Value, _Part],
) -> tuple[GroupStory, dict[str, Any]]:
    r"""The story of ``group``'s step, and the fields of its Step.

    ``parts`` are the op-level steps of the group's nodes (in the order
    taken), ``steps`` every op-level step taken so far, by node (for the δs
    of the neurons it feeds). The fields are the Step's ``node``, ``name``,
    ``grad`` (δ) and ``expression``.
    """
    if isinstance(group, Neuron):
        return _NeuronStory(group, parts, view, steps).story()
    if group.node is not None:
        return _batch_story(group, parts, view)
    return _LayerStory(group, parts, view, steps).story()


# --- a neuron ----------------------------------------------------------------------


class _NeuronStory:
    def __init__(
        self,
        neuron: Neuron,
        parts: Sequence[_Part],
        view: Grouping,
        steps: Mapping[Value, _Part],
    ) -> None:
        self.neuron, self.view, self.steps = neuron, view, steps
        self.names = view.names
        self.root = parts[0].root_name
        self.step_of = {id(part.node): part for part in parts}
        self.parts = parts
        self.z = self.step_of[id(neuron.sum)]
        self.delta = delta_name(self.names[neuron.sum]) or (
            f"d{d(self.root)}/d{d(self.names[neuron.sum])}"
        )

    def story(self) -> tuple[GroupStory, dict[str, Any]]:
        neuron, names = self.neuron, self.names
        values = [_sum_value(neuron.sum, names)]
        if neuron.activation is not None:
            a = neuron.activation
            values.append(f"{names[a]} = {written(a, names)} = {show(a.data)}")
        rules = [r.format(E=d(self.root)) for r in NEURON_RULES]
        if not self._feeds_neurons():
            rules[0] = f"δˡⱼ = φ′(zˡⱼ)·∂{d(self.root)}/∂aˡⱼ"
        if neuron.activation is None:
            rules[0] = rules[0].replace("φ′(zˡⱼ)·", "").replace("∂aˡⱼ", "∂zˡⱼ")
        story = GroupStory(
            group=neuron,
            title=self.view.title(neuron),
            values=tuple(values),
            equations=(self._delta(), *self._weights(), *self._sent()),
            rules="rules: " + ",  ".join(rules),
            parts=tuple(self.parts),
        )
        fields = {
            "node": neuron.sum,
            "name": names[neuron.sum],
            "grad": self.z.grad,
            "expression": written(neuron.sum, names),
        }
        return story, fields

    def _feeds_neurons(self) -> bool:
        """True if every use of the neuron's output is another neuron's sum."""
        uses = self.view.uses.get(self.neuron.output, [])
        return bool(uses) and all(_is_neuron_sum(node, self.view) for node, _ in uses)

    def _delta(self) -> Equation:
        r"""δ = φ′(z)·(Σ w·δ over the neurons it feeds), or φ′(z)·dE/da."""
        neuron, names, root = self.neuron, self.names, self.root
        slope = slope_number = ""
        if neuron.activation is not None:
            a = self.step_of[id(neuron.activation)]
            slope = formula_in(neuron.activation, 0, names, short=True)
            slope_number = show(a.lines[0].local)
            upstream = a.grad
        else:
            upstream = self.z.grad
        if self._feeds_neurons():
            terms, numbers = [], []
            for node, k in self.view.uses[neuron.output]:
                weight = formula_in(node, k, names, short=True)
                their = delta_name(names[node]) or f"d{d(root)}/d{d(names[node])}"
                terms.append(f"{weight}·{their}")
                numbers.append(
                    f"{show(node.local_grads[k])} × {show(self.steps[node].grad)}"
                )
            if len(terms) > 4:  # the sum's value stands for its terms
                terms, numbers = [terms[0], "…", terms[-1]], [show(upstream)]
            formula, number = " + ".join(terms), " + ".join(numbers)
            if slope and len(terms) > 1:
                formula = f"({formula})"
            if slope and len(numbers) > 1:
                number = f"({number})"
        else:
            formula = f"d{d(root)}/d{d(names[neuron.output])}"
            number = show(upstream)
        if slope:
            formula, number = f"{slope} · {formula}", f"{slope_number} × {number}"
        return Equation(self.delta, formula, number, self.z.grad)

    def _weights(self) -> list[Equation | str]:
        r"""∂E/∂w = δ·(its input) for each weight, ∂E/∂b = δ."""
        neuron, names, root = self.neuron, self.names, self.root
        z = neuron.sum
        roles = op_for(z.op).roles_of(len(z.parents))
        own = set(neuron.own)
        rows: list[Equation | str] = []
        biases: list[Equation | str] = []
        for k, (parent, role) in enumerate(zip(z.parents, roles)):
            if role not in ("weight", "bias") or not parent.needs_grad:
                continue
            line = self.z.lines[k]
            name = names[parent]
            if parent in own:
                left, sign, total = f"∂{d(root)}/∂{d(name)}", "=", ""
            else:  # shared with other nodes: this is one share of its gradient
                left, sign, total = f"d{d(root)}/d{d(name)}", "+=", line.running_total
            if role == "bias":
                biases.append(Equation(left, self.delta, "", line.share, sign, total))
                continue
            local = formula_in(z, k, names)
            numbers = f"{show(self.z.grad)} × {show(line.local)}"
            formula = f"{self.delta} · {local}"
            rows.append(Equation(left, formula, numbers, line.share, sign, total))
        return [*_elided(rows, f"each {self.delta} · its input"), *biases]

    def _sent(self) -> list[Equation | str]:
        r"""What the neuron sends to inputs that are not another neuron's output
        (those take it in their own δ line)."""
        neuron, names, root = self.neuron, self.names, self.root
        z = neuron.sum
        roles = op_for(z.op).roles_of(len(z.parents))
        rows: list[Equation | str] = []
        for k, (parent, role) in enumerate(zip(z.parents, roles)):
            if role != "input" or not parent.needs_grad:
                continue
            if self.view.unit_of(parent) is not parent:
                continue  # another neuron's output: its δ line takes it
            line = self.z.lines[k]
            weight = formula_in(z, k, names)
            rows.append(
                Equation(
                    f"d{d(root)}/d{d(names[parent])}",
                    f"{weight} · {self.delta}",
                    f"{show(line.local)} × {show(self.z.grad)}",
                    line.share,
                    "+=",
                    line.running_total,
                )
            )
        return _elided(rows, f"each its weight · {self.delta}")


def _is_neuron_sum(node: Value, view: Grouping) -> bool:
    group = view.group_of.get(node)
    if isinstance(group, Neuron):
        return group.sum is node
    if isinstance(group, Layer):
        return any(neuron.sum is node for neuron in group.neurons)
    return False


def _sum_value(z: Value, names: Mapping[Value, str]) -> str:
    r"""``z²₁ = w²₁₁·x₁ + w²₁₂·x₂ + b²₁ = -0.8743`` (a long sum is written with
    its first and last terms, as the op table writes it)."""
    return f"{names[z]} = {written(z, names)} = {show(z.data)}"


def _elided(rows: list[Equation | str], each: str) -> list[Equation | str]:
    """Up to :data:`MAX_ROWS` rows, else the first few and how many more."""
    if len(rows) <= MAX_ROWS:
        return rows
    keep = MAX_ROWS - 2
    return [*rows[:keep], f"… {len(rows) - keep - 1} more ({each})", rows[-1]]


# --- a layer of one sample ------------------------------------------------------------


class _LayerStory:
    def __init__(
        self,
        layer: Layer,
        parts: Sequence[_Part],
        view: Grouping,
        steps: Mapping[Value, _Part],
    ) -> None:
        self.layer, self.view, self.steps = layer, view, steps
        self.names = view.names
        self.root = parts[0].root_name
        self.parts = parts
        self.step_of = {id(part.node): part for part in parts}
        self.name: Callable[[str], str] = lambda letter: view.layer_name(layer, letter)

    def story(self) -> tuple[GroupStory, dict[str, Any]]:
        layer, name = self.layer, self.name
        neurons = layer.neurons
        z = np.array([n.sum.data for n in neurons])
        delta = np.array([self.step_of[id(n.sum)].grad for n in neurons])
        inputs = layer.inputs
        x = self._inputs_name()
        shapes = f"({len(neurons)}×{len(inputs)})·({len(inputs)}) + ({len(neurons)})"
        values = [
            f"{name('z')} = {name('W')}·{x} + {name('b')} = {shapes} = {vector_text(z)}"
        ]
        activation = self._activation()
        if activation is not None:
            a = np.array([n.output.data for n in neurons])
            phi = activation.write([name("z")])
            values.append(f"{name('a')} = {phi} = {vector_text(a)}")
        rules = [r.format(E=d(self.root)) for r in LAYER_RULES]
        feeding = self._next_layer()
        if feeding is None:
            rules[0] = f"δˡ = φ′(zˡ) ⊙ ∂{d(self.root)}/∂aˡ"
        if activation is None:
            rules[0] = rules[0].replace("φ′(zˡ) ⊙ ", "").replace("∂aˡ", "∂zˡ")
        equations: list[Equation | str] = [self._delta(delta, feeding)]
        equations += self._weights(delta, x)
        equations += self._sent(x)
        story = GroupStory(
            group=layer,
            title=self.view.title(layer),
            values=tuple(values),
            equations=tuple(equations),
            rules="rules: " + ",  ".join(rules),
            parts=tuple(self.parts),
        )
        fields = {
            "node": neurons[0].sum,
            "name": name("z"),
            "grad": delta,
            "expression": f"{name('W')}·{x} + {name('b')}",
        }
        return story, fields

    def _activation(self) -> Any:
        """The op of the layer's activation (one for all its neurons), or None."""
        ops = {n.activation.op for n in self.layer.neurons if n.activation is not None}
        if len(ops) != 1 or any(n.activation is None for n in self.layer.neurons):
            return None
        return op_for(next(iter(ops)))

    def _inputs_name(self) -> str:
        """The name of the layer's inputs as one vector: ``x``, ``a²``."""
        inputs = self.layer.inputs
        for group in self.view.groups:
            if isinstance(group, Layer) and group.outputs == inputs:
                return self.view.layer_name(group, "a")
        return vector_name([self.names[x] for x in inputs])

    def _next_layer(self) -> Layer | None:
        """The one layer that reads this layer's outputs, all of them and
        nothing else, if there is one (then dE/da = Wᵀ·δ)."""
        outputs = self.layer.outputs
        users = {
            id(self.view.unit_of(node)): self.view.unit_of(node)
            for output in outputs
            for node, _ in self.view.uses.get(output, [])
        }
        if len(users) != 1:
            return None
        (group,) = users.values()
        if not isinstance(group, Layer) or group.inputs != outputs:
            return None
        return group

    def _delta(self, delta: np.ndarray, feeding: Layer | None) -> Equation:
        layer, root = self.layer, self.root
        factors, numbers = [], []
        if self._activation() is not None:
            slopes = [
                self.step_of[id(n.activation)].lines[0].local
                for n in layer.neurons
                if n.activation is not None
            ]
            upstream = [
                self.step_of[id(n.activation)].grad
                for n in layer.neurons
                if n.activation is not None
            ]
            factors.append(f"{self._activation().short_text(0, [self.name('z')], '')}")
            numbers.append(vector_text(slopes))
        else:
            upstream = list(delta)
        if feeding is not None:
            W, later = (
                self.view.layer_name(feeding, "W"),
                self.view.layer_name(feeding, "δ"),
            )
            product = f"{W}ᵀ·{later}"
            factors.append(f"({product})" if factors else product)
        else:
            factors.append(f"d{d(root)}/d{d(self.name('a'))}")
        numbers.append(vector_text(upstream))
        return Equation(self.name("δ"), " ⊙ ".join(factors), " ⊙ ".join(numbers), delta)

    def _weights(self, delta: np.ndarray, x: str) -> list[Equation]:
        layer, root = self.layer, self.root
        rows, biases = [], []
        shared = False
        own = set(layer.own)
        for neuron in layer.neurons:
            step = self.step_of[id(neuron.sum)]
            roles = op_for(neuron.sum.op).roles_of(len(neuron.sum.parents))
            row = [
                line.share for line, role in zip(step.lines, roles) if role == "weight"
            ]
            rows.append(row)
            biases += [
                line.share for line, role in zip(step.lines, roles) if role == "bias"
            ]
            shared = shared or any(
                p not in own for p in (*neuron.weights, neuron.bias) if p is not None
            )
        left = (f"d{d(root)}/d{{}}", "+=") if shared else (f"∂{d(root)}/∂{{}}", "=")
        n, m = len(rows), len(rows[0]) if rows else 0
        out = [
            Equation(
                left[0].format(self.name("W")),
                f"{self.name('δ')}·{x}ᵀ",
                f"({n}×1)·(1×{m})",
                np.array(rows),
                left[1],
            )
        ]
        if biases and len(biases) == n:
            out.append(
                Equation(
                    left[0].format(self.name("b")),
                    self.name("δ"),
                    "",
                    np.array(biases),
                    left[1],
                )
            )
        return out

    def _sent(self, x: str) -> list[Equation]:
        """What the layer sends to inputs that are no other group's outputs."""
        inputs = [
            p for p in self.layer.inputs if self.view.unit_of(p) is p and p.needs_grad
        ]
        if not inputs:
            return []
        sent = {id(p): 0.0 for p in inputs}
        for neuron in self.layer.neurons:
            step = self.step_of[id(neuron.sum)]
            for line in step.lines:
                if id(line.parent) in sent:
                    sent[id(line.parent)] += line.share
        root = self.root
        return [
            Equation(
                f"d{d(root)}/d{x}",
                f"{self.name('W')}ᵀ·{self.name('δ')}",
                "",
                np.array(list(sent.values())),
                "+=",
            )
        ]


def vector_name(names: Sequence[str]) -> str:
    r"""One name for several: ``x`` for ``x₁ x₂``, ``a²`` for ``a²₁ a²₂``; else ``x``.

    >>> vector_name(["x₁", "x₂"]), vector_name(["a²₁", "a²₂"]), vector_name(["p"])
    ('x', 'a²', 'x')
    """
    stems = set()
    for name in names:
        found = name_parts(name)
        if found is None or not found[2]:
            return "x"
        stems.add(found[0] + found[1])
    return stems.pop() if len(stems) == 1 else "x"


# --- a layer node of a batch ----------------------------------------------------------


def _batch_story(
    layer: Layer, parts: Sequence[_Part], view: Grouping
) -> tuple[GroupStory, dict[str, Any]]:
    r"""A batch's layer node and its activation: their op-level lines, in
    matrices with their shapes."""
    names = view.names
    node = layer.node
    assert node is not None  # a batch's layer (story_of checks)
    values = [
        f"{names[m]} = {written(m, names)}   ({shape_text(m.data.shape)})"
        for m in layer.members
    ]
    equations = tuple(
        f"{line.rule} {line.numbers}" for part in parts for line in part.lines
    )
    rules = [part.rules() for part in parts]
    story = GroupStory(
        group=layer,
        title=view.title(layer),
        values=tuple(values),
        equations=equations,
        rules="rules: " + ",  ".join(r.removeprefix("rules: ") for r in rules if r),
        parts=tuple(parts),
    )
    step = next(part for part in parts if part.node is node)
    fields = {
        "node": node,
        "name": names[node],
        "grad": step.grad,
        "expression": written(node, names),
    }
    return story, fields


# --- the step as text ----------------------------------------------------------------


class _Finished(Protocol):
    @property
    def node(self) -> Value: ...

    def text(self, root_name: str) -> str: ...


class _GroupStep(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def root_name(self) -> str: ...
    @property
    def story(self) -> GroupStory | None: ...
    @property
    def note(self) -> str: ...
    @property
    def finished(self) -> Sequence[_Finished]: ...

    def table(self) -> list[str]: ...


#: A step's first line holds its values too when it is no longer than this.
HEADING = 96


def step_text(step: _GroupStep) -> str:
    r"""A neuron's (or a layer's) step as text: its values, its δ line, the
    gradients of its weights, what it sends on; the leaves made final (other
    than its own weights, given above) and the textbook's rules."""
    story = step.story
    assert story is not None  # only a group's step has a story
    head = f"step {step.index}/{step.total}  {story.title}"
    lines = [head]
    joined = f"{head}:  " + ",  ".join(story.values)
    if len(joined) <= HEADING:
        lines = [joined]
    else:
        lines += [f"  {value}" for value in story.values]
    if step.note:
        lines.append(f"  note: {step.note}")
    lines += [f"  {line}" for line in story.body()]
    own = {id(leaf) for leaf in story.group.own}
    done = [f.text(step.root_name) for f in step.finished if id(f.node) not in own]
    if len(done) > MAX_ROWS:
        done = [*done[: MAX_ROWS - 2], f"… {len(done) - MAX_ROWS + 2} more"]
    if done:
        lines.append("  done: " + ",  ".join(done))
    lines.append(f"  {story.rules}")
    table = step.table()
    if table:
        lines += ["", *table]
    return "\n".join(lines)


# --- the step as LaTeX ----------------------------------------------------------------


def story_latex(step: _GroupStep) -> str:
    r"""A neuron's (or a layer's) step as LaTeX (an ``align*``): its values,
    its δ line and the gradients of its weights, as fractions."""
    story = step.story
    assert story is not None  # only a group's step has a story
    root = step.root_name
    word, _, which = story.title.partition(" ")
    rows = [rf"&\text{{{_latex_text(word)} }} {latex_name(which)}"]
    for value in story.values:
        left, _, right = value.partition(" = ")
        rows.append(f"{latex_name(left)} &= {_latex_math(right, root)}")
    for equation in story.equations:
        if isinstance(equation, str):
            rows.append(rf"&\text{{{_latex_text(equation)}}}")
            continue
        sign = r"\mathrel{+}=" if equation.sign == "+=" else "="
        parts = [_latex_math(equation.formula, root)]
        last = equation.formula
        for shown in (equation.numbers, equation.result):
            if shown and shown != last:
                parts.append(_latex_math(shown, root))
                last = shown
        rows.append(f"{_latex_math(equation.left, root)} &{sign} " + " = ".join(parts))
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def _latex_math(text: str, root: str) -> str:
    r"""A formula of a story in LaTeX, its ``∂E/∂w`` and ``dE/dx`` as fractions."""
    pieces = _DERIVATIVE.split(text)
    out = []
    for k in range(0, len(pieces), 4):
        out.append(latex_formula(pieces[k]) if pieces[k].strip() else pieces[k])
        if k + 3 < len(pieces):
            mark = r"\partial " if pieces[k + 1] == "∂" else "d"
            top, bottom = latex_name(pieces[k + 2]), latex_name(pieces[k + 3])
            out.append(rf"\frac{{{mark}{top}}}{{{mark}{bottom}}}")
    return " ".join(part.strip() for part in out if part.strip())


_DERIVATIVE = re.compile(
    r"(∂|\bd)(\([^()]*\)|[^\s/·()]+)/(?:∂|d)(\([^()]*\)|[^\s·()⊙]+)"
)


def _latex_text(text: str) -> str:
    """Plain text for ``\\text{}``: the characters LaTeX reads specially escaped."""
    for char, escaped in (("\\", r"\backslash "), ("{", r"\{"), ("}", r"\}")):
        text = text.replace(char, escaped)
    return re.sub(r"([%#&$_])", r"\\\1", text)
