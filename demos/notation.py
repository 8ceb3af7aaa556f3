r"""What the lessons print, read back: the notation of ``chainrule step``.

A lesson writes ``y = x·w``, ``(a³₁ − t₁)²``, ``σ(z²₁)``, ``ln(x)`` and
``ReLU(z)``; a student who copies that into ``chainrule step`` should get the
same graph. :func:`translate` turns such text into the plain Python
arithmetic the safe parser (:mod:`demos.expression`) reads:

- ``×``, ``·`` and ``⋅`` are ``*``; ``−`` is ``-``; ``÷`` is ``/``;
- a superscript after a number, a name or a closing parenthesis is a power
  (``w²`` is ``w**2``, ``(a − t)²`` is ``(a - t)**2``), and ``^`` is read as
  ``**`` (with a note saying so, once);
- a name with a layer and indices (``w²₁₁``, ``z²₁``) or indices only
  (``x₁``, ``t₁``) is one name; its plain spelling (``w2_11``, ``x1``) is
  the same name, so either may be given with ``--set``;
- a function may be called as the lessons write it: ``σ`` for sigmoid,
  ``ln`` for log, ``ReLU``, ``LReLU`` (the op table's symbols and names).

>>> found = translate("(a³₁ − t₁)² + σ(w²₁₁·x₁) ^ 2")
>>> found.text
'(a3_1 - t1)**2 + sigmoid(w2_11*x1) ** 2'
>>> found.notes
['read ^ as ** (a power), as in Python']
>>> found.written["a3_1"], identifier("w2_11") == identifier("w²₁₁")
('a³₁', True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from autograd import OPS

__all__ = [
    "Translated",
    "function_name",
    "function_spellings",
    "identifier",
    "translate",
]

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS + "⁻", "0123456789-")
_FROM_SUBSCRIPT = str.maketrans(_SUBSCRIPTS, "0123456789")
_LETTER = r"[^\W\d" + _SUPERSCRIPTS + _SUBSCRIPTS + r"]"
_WORD = r"[^\W" + _SUPERSCRIPTS + _SUBSCRIPTS + r"]"

# One token: a name with its scripts, a number (and a power), a closing
# parenthesis (and a power), or one sign to spell the Python way.
_TOKEN = re.compile(
    rf"(?P<name>{_LETTER}{_WORD}*)"
    rf"(?P<sup>[{_SUPERSCRIPTS}⁻]*)"
    rf"(?P<sub>(?:[{_SUBSCRIPTS}]+,)*[{_SUBSCRIPTS}]+)?"
    rf"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?P<npow>[{_SUPERSCRIPTS}⁻]*)"
    rf"|(?P<close>\))(?P<cpow>[{_SUPERSCRIPTS}⁻]*)"
    r"|(?P<sign>[×·⋅∗−÷^])"
)

_SIGNS = {"×": "*", "·": "*", "⋅": "*", "∗": "*", "−": "-", "÷": "/", "^": "**"}


def identifier(name: str) -> str:
    r"""The plain spelling of a name, as a Python name: ``w²₁₁`` -> ``w2_11``.

    A layer (superscript) and indices (subscripts) are written as the plain
    text of :func:`autograd.names.plain_text` writes them: ``w2_31``, ``x1``,
    ``w2_12_3`` for ``w²₁₂,₃``. A name already plain is itself.

    >>> identifier("w²₃₁"), identifier("x₁"), identifier("w2_31"), identifier("W²")
    ('w2_31', 'x1', 'w2_31', 'W2')
    """
    found = _TOKEN.fullmatch(name.strip())
    if not found or found.group("name") is None:
        return name.strip()
    letters = found.group("name")
    sup = found.group("sup").translate(_FROM_SUPERSCRIPT).replace("-", "_")
    sub = (found.group("sub") or "").translate(_FROM_SUBSCRIPT).replace(",", "_")
    if sup and sub:
        return f"{letters}{sup}_{sub}"
    return f"{letters}{sup}{sub}"


def _function_names() -> dict[str, str]:
    """Each way a function may be written (its name, symbol, micrograd's
    name, the head of its expression), mapped to its name in the op table."""
    found: dict[str, str] = {}
    for name, op in OPS.items():
        if op.kind not in ("function", "activation"):
            continue
        head = op.expression.split("(")[0]
        for spelling in (name, op.symbol, op.micrograd, head):
            if spelling and spelling.isidentifier():
                found.setdefault(spelling, name)
    return found


def function_name(spelling: str) -> str | None:
    r"""The op table's name of a function written ``spelling``, or None.

    >>> [function_name(s) for s in ("σ", "ln", "ReLU", "Tanh")]
    ['sigmoid', 'log', 'relu', 'tanh']
    """
    spellings = _function_names()
    if spelling in spellings:
        return spellings[spelling]
    lowered = {k.lower(): v for k, v in spellings.items()}
    return lowered.get(spelling.lower())


def function_spellings() -> list[str]:
    """Every spelling of a function an expression may call (for "did you mean")."""
    return list(_function_names())


@dataclass(frozen=True)
class Translated:
    r"""An expression as the safe parser reads it.

    ``text`` is plain Python arithmetic; ``written`` maps each name in it to
    the name as it was written (``a3_1`` -> ``a³₁``); ``notes`` say what was
    read in another way than written, once each (``^`` as ``**``).
    """

    text: str
    written: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def translate(text: str, known: Iterable[str] = ()) -> Translated:
    r"""``text`` in the notation the lessons print, as plain Python arithmetic.

    ``known`` are names given with ``--set``: a name written with a
    superscript only (``W²``) is that name when it is known, and a power
    (``W**2``) otherwise.
    """
    known_names = {identifier(name) for name in known}
    written: dict[str, str] = {}
    notes: list[str] = []
    out: list[str] = []
    end = 0
    for found in _TOKEN.finditer(text):
        out.append(text[end : found.start()])
        end = found.end()
        kind = found.lastgroup
        if found.group("name") is not None:
            out.append(_name(found, text, end, known_names, written))
        elif found.group("number") is not None:
            out.append(found.group("number") + _power(found.group("npow")))
        elif found.group("close") is not None:
            out.append(")" + _power(found.group("cpow")))
        elif kind == "sign":
            sign = found.group("sign")
            if sign == "^" and not notes:
                notes.append("read ^ as ** (a power), as in Python")
            out.append(_SIGNS[sign])
    out.append(text[end:])
    return Translated("".join(out), written, notes)


def _power(superscripts: str) -> str:
    """A run of superscript digits after a number or ``)``: ``**n``."""
    if not superscripts:
        return ""
    return "**" + superscripts.translate(_FROM_SUPERSCRIPT)


def _name(
    found: re.Match[str],
    text: str,
    end: int,
    known: set[str],
    written: dict[str, str],
) -> str:
    """One name with its scripts: a name, a power of a name, or a function."""
    letters, sup, sub = found.group("name"), found.group("sup"), found.group("sub")
    whole = found.group(0)
    calls = text[end:].lstrip().startswith("(")
    if calls and not sup and not sub:
        spelled = function_name(letters)
        if spelled is not None:
            return spelled
    if sup and not sub and identifier(whole) not in known:
        return letters + _power(sup)  # w² is w**2, unless W² is a name given
    plain = identifier(whole)
    written.setdefault(plain, whole)
    return plain
