r"""What a picture of a graph writes: names made safe and short, titles, kinds.

Labels are shown as typed: ``&amp;`` stays ``&amp;``, control characters and
lone surrogates are drawn as visible symbols, and a name longer than
:data:`MAX_NAME` characters is shortened with an ellipsis in the middle.
Each value is a parameter, an input, an intermediate value or the output
(:func:`value_kind`), and is filled in that kind's colour.

>>> shortened("x" * 50, 11), visible("a\x00b")
('xxxxx…xxxxx', 'a␀b')
"""

from __future__ import annotations

import re

import graphviz

from autograd import Element, ParameterArray, Value, op_for
from autograd.ops import shape_text
from autograd.text import expression_of

__all__ = [
    "MAX_NAME",
    "dot_text",
    "is_parameter_label",
    "label_lines",
    "record_field",
    "shortened",
    "value_kind",
    "value_title",
    "visible",
]

MAX_NAME = 40


# nn labels parameters with dotted paths: layers.0.neurons.2.w.1, layer1.neuron3.b
_PARAMETER = re.compile(r"\.(w|b|weight|weights|bias|kernel)(\.?\d+)*$")


def is_parameter_label(label: str) -> bool:
    r"""True for a label that names a parameter the way ``nn`` names them.

    >>> is_parameter_label("layers.0.neurons.2.w.1"), is_parameter_label("l1.n3.b")
    (True, True)
    >>> is_parameter_label("x"), is_parameter_label("b")
    (False, False)
    """
    return bool(_PARAMETER.search(label))


def value_kind(node: Value, root: Value, params: set[Value] | None = None) -> str:
    r"""Which kind of value a node is: parameter, input, intermediate or output.

    A leaf is a *parameter* if it lives in a parameter array (a layer's
    weights, or one of them), is in ``params``, or its label looks like an
    ``nn`` parameter name (see :func:`is_parameter_label`); other leaves are
    *inputs* (or constants). The root is the *output*.
    """
    if node is root:
        return "output"
    if node.parents:
        return "intermediate"
    if (
        isinstance(node, ParameterArray | Element)
        or (params is not None and node in params)
        or is_parameter_label(node.label)
    ):
        return "parameter"
    return "input"


def visible(text: str) -> str:
    r"""Text as typed, made safe to draw: nothing in it is read as markup.

    Control characters become their visible symbols (NUL is ``␀``), a lone
    surrogate (which no file can hold) is written as its escape ``\\udc80``.

    >>> visible("a\x00b"), visible("\ud800")
    ('a␀b', '\\ud800')
    """
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("␡")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def shortened(name: str, limit: int = MAX_NAME) -> str:
    r"""A name cut to ``limit`` characters with an ellipsis in the middle.

    >>> shortened("layers.0.neurons.12.w.3"), shortened("x" * 50, 11)
    ('layers.0.neurons.12.w.3', 'xxxxx…xxxxx')
    """
    if len(name) <= limit:
        return name
    head = (limit - 1) // 2 + (limit - 1) % 2
    return name[:head] + "…" + name[len(name) - (limit - 1 - head) :]


def dot_text(text: str) -> str:
    """Text for a DOT string: visible, with ``\\``, quotes and ``&`` escaped
    (Graphviz reads ``&amp;`` as ``&``, so a typed ``&`` must be ``&amp;``)."""
    text = visible(text).replace("&", "&amp;")
    return text.replace("\\", "\\\\").replace('"', '\\"')


_RECORD_SPECIAL = re.compile(r"([{}|<>])")


def record_field(text: str) -> str:
    """Text for one field of a record label: also escape ``{ } | < >``."""
    return _RECORD_SPECIAL.sub(r"\\\1", dot_text(text))


def label_lines(*lines: str) -> graphviz.quoting.NoHtml:
    """Several lines of plain text as one label (never read as HTML)."""
    return graphviz.nohtml("\\n".join(dot_text(line) for line in lines))


def value_title(node: Value, names: dict[Value, str]) -> str:
    r"""A value's name in its box.

    A layer node is titled with its formula and shape (batch × units):
    ``Z² = x·W²ᵀ + b²  (64×32)``, layer 2 being the first hidden layer.
    """
    if node.parents and op_for(node.op).kind == "layer":
        shape = shape_text(node.data.shape)
        return f"{names[node]} = {expression_of(node, names)}  ({shape})"
    return names[node]
