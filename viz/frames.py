r"""A backward (or forward) pass frozen at one step: what each frame shows.

:func:`frames_of` runs a fresh backward pass on the side and keeps its
steps; a :class:`Frame` stands at one of them, and says which node is
current, which values are computed (forward) and what gradient each node
has received so far (backward).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd import Step, Value
from autograd.steps import steps_aside
from autograd.text import show

__all__ = [
    "Frame",
    "final_grads",
    "forward_order",
    "frame_state",
    "frames_of",
    "grad_text",
    "received",
    "step_index",
]


@dataclass(frozen=True)
class Frame:
    """Where a pass stands: the steps, and which one is current.

    A backward frame (``forward=False``) stands at backward step ``index``.
    A forward frame stands at the ``index``-th op of the forward pass: the
    values computed so far show their data, the others ``data ?``.
    ``every_chain`` writes every edge's chain-rule line on it, not only the
    current step's, and the longest grad texts: the widest text a frame can
    have, to lay frames out by. ``computing`` are the nodes made by ops in
    the order a forward frame counts them (by default the graph's order; a
    picture at the neuron level computes a neuron's two nodes at once).
    """

    steps: Sequence[Step]
    index: int  # 1-based
    every_chain: bool = False
    forward: bool = False
    computing: tuple[Value, ...] | None = None


def frames_of(root: Value, order: Sequence[Value] | None = None) -> list[Step]:
    r"""All the steps of a fresh backward pass from ``root``, side-effect free.

    Every grad in the graph is set to 0, :func:`autograd.backward_steps` runs
    to the end, and then every node gets back the grad it had before (see
    :func:`autograd.steps.steps_aside`). So the steps show the gradients of
    ``root`` alone (even if leaves had accumulated grads from earlier
    passes), and the graph is left as it was.
    """
    return steps_aside(root, order)


def step_index(step: int | Step, steps: Sequence[Step]) -> int:
    """The number of a step of ``steps`` (1-based), given as a number or a Step."""
    total = len(steps)
    if isinstance(step, Step):
        if step.total != total or steps[step.index - 1].node is not step.node:
            msg = (
                f"this Step (step {step.index}/{step.total}, node {step.name!r}) "
                "comes from another graph; pass a Step of this root's "
                "backward_steps, or the step number."
            )
            raise ValueError(msg)
        return step.index
    if isinstance(step, bool) or not isinstance(step, int | np.integer):
        msg = f"step must be a step number or a Step, not {type(step).__name__}."
        raise TypeError(msg)
    if not 1 <= step <= total:
        msg = (
            f"step must be between 1 and {total} (this graph's backward pass has "
            f"{total} steps, one per value made by an op), not {step}."
        )
        raise ValueError(msg)
    return int(step)


def final_grads(steps: Sequence[Step]) -> dict[int, Any]:
    r"""Each node's final gradient in a pass, keyed by ``id(node)``.

    A node made by an op has it when its step is reached; a leaf once the
    last step is done (the table of the last step).
    """
    finals: dict[int, Any] = {id(step.node): step.grad for step in steps}
    if steps:
        for leaf in steps[-1].leaves:
            finals[id(leaf.node)] = leaf.grad
    return finals


def received(steps: Sequence[Step], index: int) -> dict[int, tuple[Any, bool]]:
    r"""The gradient each node has received after backward step ``index``.

    Keyed by ``id(node)``: the running total of the last share sent to it,
    and whether that was its last share (every node that uses it has sent
    its part). Nodes nothing has reached yet are missing.
    """
    expected: dict[int, int] = {}
    for step in steps:
        for line in step.lines:
            if line.after is not None:
                expected[id(line.parent)] = expected.get(id(line.parent), 0) + 1
    totals: dict[int, tuple[Any, bool]] = {}
    counts: dict[int, int] = {}
    for step in steps[:index]:
        for line in step.lines:
            if line.after is not None:
                key = id(line.parent)
                counts[key] = counts.get(key, 0) + 1
                totals[key] = (line.after, counts[key] == expected[key])
    return totals


def forward_order(order: Sequence[Value]) -> list[Value]:
    """The ops of the forward pass, in the order they are computed."""
    return [node for node in order if node.parents]


def frame_state(
    frame: Frame | None, order: Sequence[Value]
) -> tuple[Value | None, set[Value] | None, dict[int, tuple[Any, bool]]]:
    """The current node, the values computed so far (forward frames only) and
    the gradients received so far (backward frames only)."""
    if frame is None:
        return None, None, {}
    if frame.forward:
        ops = list(frame.computing or forward_order(order))
        done = set(ops[: frame.index])
        computed = {node for node in order if not node.parents} | done
        return ops[frame.index - 1], computed, {}
    current = frame.steps[frame.index - 1].node
    return current, None, received(frame.steps, frame.index)


def grad_text(
    node: Value,
    frame: Frame | None,
    totals: dict[int, tuple[Any, bool]],
    step_of: dict[int, Step],
    finals: dict[int, Any],
) -> str:
    """A node's grad in a frame: final, so far, or ``?`` when nothing came yet."""
    if frame is None:
        return show(node.grad)
    final = show(finals.get(id(node), 0.0))
    if frame.every_chain:
        return f"{final} (so far)"  # the widest it can be, for the layout
    if frame.forward:
        return "?"
    step = step_of.get(id(node))
    if step is not None and step.index <= frame.index:
        return final
    if id(node) in totals:
        grad, complete = totals[id(node)]
        return show(grad) if complete else f"{show(grad)} (so far)"
    return "?"
