r"""autograd: a scalar automatic-differentiation engine made for teaching.

Every op records its local derivatives in the forward pass; ``backward()``
multiplies them along the graph (the chain rule); ``backward_steps`` and
``explain`` show that work one line at a time. The ops, their symbols and
their derivative formulas are one table, :data:`OPS`.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> w = Value(-3.0, label="w")
>>> y = (x * w).sigmoid()
>>> y.backward()
>>> round(x.grad, 4)        # σ'(xw)·w
-0.0074

The layers: :mod:`autograd.ops` (pure rules on numbers and arrays) <-
:mod:`autograd.graph` (the topological sort and the backward pass, on any
node) <- :mod:`autograd.value` (the Value) <- everything else.
"""

from autograd.expand import sample_graph
from autograd.explain import Explanation, Path, explain
from autograd.gradcheck import GradcheckError, GradcheckReport, gradcheck
from autograd.graph import topological_order, zero_grad
from autograd.layer_nodes import (
    column,
    linear,
    mean_squared_error,
    patches,
    reshape,
    softmax_cross_entropy,
    to_channels,
)
from autograd.layer_sample import LayerSample, NeuronOutput, NeuronSum, SampleShares
from autograd.names import node_names
from autograd.ops import OPS, Op, op_for
from autograd.parameters import Element, ParameterArray, Row
from autograd.practice import (
    Exercise,
    GradReport,
    Question,
    check_grads,
    exercise,
)
from autograd.steps import (
    AccumulatingGradientsWarning,
    ChainLine,
    Step,
    backward_steps,
)
from autograd.value import (
    Constant,
    Value,
    apply,
    as_value,
    set_collector_pause,
    vsum,
    wsum,
)

__all__ = [
    "OPS",
    "AccumulatingGradientsWarning",
    "ChainLine",
    "Constant",
    "Element",
    "Exercise",
    "Explanation",
    "GradReport",
    "GradcheckError",
    "GradcheckReport",
    "LayerSample",
    "NeuronOutput",
    "NeuronSum",
    "Op",
    "ParameterArray",
    "Path",
    "Question",
    "Row",
    "SampleShares",
    "Step",
    "Value",
    "apply",
    "as_value",
    "backward_steps",
    "check_grads",
    "column",
    "exercise",
    "explain",
    "gradcheck",
    "linear",
    "mean_squared_error",
    "node_names",
    "op_for",
    "patches",
    "reshape",
    "sample_graph",
    "set_collector_pause",
    "softmax_cross_entropy",
    "to_channels",
    "topological_order",
    "vsum",
    "wsum",
    "zero_grad",
]
