r"""autograd: a scalar automatic-differentiation engine made for teaching.

Every op records its local derivatives in the forward pass; ``backward()``
multiplies them along the graph (the chain rule); ``backward_steps`` and
``explain`` show that work one line at a time.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> w = Value(-3.0, label="w")
>>> y = (x * w).sigmoid()
>>> y.backward()
>>> round(x.grad, 4)        # σ'(xw)·w
-0.0074
"""

from autograd.explain import Explanation, Path, explain
from autograd.gradcheck import GradcheckError, GradcheckReport, gradcheck
from autograd.graph import topological_order, zero_grad
from autograd.ops import SPECS, OpSpec, spec_for
from autograd.steps import ChainLine, Step, backward_steps, node_names
from autograd.value import Value, as_value, vsum, wsum

__all__ = [
    "SPECS",
    "ChainLine",
    "Explanation",
    "GradcheckError",
    "GradcheckReport",
    "OpSpec",
    "Path",
    "Step",
    "Value",
    "as_value",
    "backward_steps",
    "explain",
    "gradcheck",
    "node_names",
    "spec_for",
    "topological_order",
    "vsum",
    "wsum",
    "zero_grad",
]
