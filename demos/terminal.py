r"""What a terminal can show: chainrule's text in plain ASCII when it must be.

The narration of a backward pass speaks in ∂, ×, σ, → and subscripts. A
terminal (or a file, or a pipe) whose encoding cannot show them gets ASCII
instead of a ``UnicodeEncodeError``: :func:`ascii_text` spells each one out,
and :func:`plain_when_needed` makes a stream do so for everything written to
it (the ``chainrule`` command wraps standard output and standard error in it).

>>> ascii_text("dL/dw₁ += ∂y/∂w₁ × σ(z)")
'dL/dw1 += dy/dw1 * sigmoid(z)'
>>> ascii_text("Σᵢ wᵢ·xᵢ + b,  e⁻ˣ,  X·Wᵀ,  ≥ 95%")
'sum_i w_i*x_i + b,  e^(-x),  X*W^T,  >= 95%'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from autograd.names import plain_text

__all__ = [
    "ERRORS",
    "ascii_text",
    "can_show",
    "plain_when_needed",
    "visible",
    "visible_lines",
]

#: The name of the codec error handler that writes :func:`ascii_text`.
ERRORS = "chainrule-ascii"

_WORDS = {
    "∂": "d",
    "×": "*",
    "·": "*",
    "⊗": "(x)",
    "÷": "/",
    "−": "-",
    "±": "+/-",
    "→": "->",
    "←": "<-",
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "≈": "~",
    "√": "sqrt",
    "Σ": "sum",
    "Π": "prod",
    "σ": "sigmoid",
    "′": "'",
    "φ": "phi",
    "α": "alpha",
    "β": "beta",
    "ε": "eps",
    "η": "eta",
    "λ": "lambda",
    "μ": "mu",
    "⌊": "floor(",
    "⌋": ")",
    "■": "#",
    "□": ".",
    "—": "--",
    "–": "-",
    "…": "...",
    "├": "|",
    "└": "`",
    "│": "|",
    "─": "-",
    "✓": "v",
    "✗": "x",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
}
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿᵀᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
_SUBSCRIPT_LETTERS = "ₐₑₒₓₔₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥᵦᵧᵨᵩᵪ"
_PIECES = re.compile(f"[{_SUPERSCRIPT}]+|[{_SUBSCRIPT_LETTERS}]+|[^\\x00-\\x7f]")


def _plain(text: str) -> str:
    """Compatibility letters (₁ → 1, ᵢ → i, é → e) with accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        _WORDS.get(ch, ch) for ch in decomposed if not unicodedata.combining(ch)
    )
    return kept.encode("ascii", "replace").decode("ascii")


def _spell(match: re.Match[str]) -> str:
    piece = match.group()
    if piece[0] in _SUPERSCRIPT:  # x² -> x^2, e⁻ˣ -> e^(-x)
        raised = _plain(piece)
        return f"^{raised}" if len(raised) == 1 else f"^({raised})"
    if piece[0] in _SUBSCRIPT_LETTERS:  # xᵢ -> x_i (digits stay plain: w₁ -> w1)
        return "_" + _plain(piece)
    return _WORDS.get(piece) or _plain(piece)


#: What a terminal obeys instead of showing: the C0 and C1 controls and DEL
#: (ESC begins the sequences that clear a screen or set a window's title),
#: the line and paragraph separators, and the marks that reorder text.
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)


def visible(text: str) -> str:
    r"""``text`` with each control character written as its escape, never obeyed.

    What a user typed is echoed through here (an expression, a path, an
    argument): ESC, BEL, a carriage return or a line break are shown as
    Python writes them in a string (``\x1b``, ``\x07``, ``\r``, ``\n``),
    so the echo stays one line and cannot clear the screen or retitle the
    window.

    >>> print(visible("x * 2 # \x1b[2J\x1b]0;PWNED\x07"))
    x * 2 # \x1b[2J\x1b]0;PWNED\x07
    """
    return _CONTROLS.sub(lambda found: repr(found.group())[1:-1], text)


def visible_lines(text: str) -> str:
    """Each line of ``text`` made :func:`visible`, the line breaks kept."""
    return "\n".join(visible(line) for line in text.split("\n"))


def ascii_text(text: str) -> str:
    r"""``text`` in plain ASCII: ∂ → d, × → *, σ → sigmoid, w₁ → w1, x² → x^2.

    Every character is spelled so that a formula still reads as one; a
    character with no spelling becomes its plainest form (é → e), or ``?``.
    """
    return _PIECES.sub(_spell, text)


_LAYER_AND_INDICES = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)((?:[₀₁₂₃₄₅₆₇₈₉]+,?)*[₀₁₂₃₄₅₆₇₈₉])")


def _ascii_errors(error: UnicodeError) -> tuple[str, int]:
    r"""A codec error handler: the unencodable run, spelled by :func:`ascii_text`.

    A name's layer and indices after its letter (``w²₃₁``) are written as
    :func:`autograd.names.plain_text` writes them, ``w2_31``, so that what the
    terminal shows can be typed back in.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    before = error.object[error.start - 1] if error.start else ""
    found = _LAYER_AND_INDICES.match(run) if before.isalpha() else None
    if found:
        return plain_text(before + found.group(0))[1:] + ascii_text(
            run[found.end() :]
        ), error.end
    return ascii_text(run), error.end


codecs.register_error(ERRORS, _ascii_errors)


def can_show(stream: Any, sample: str = "∂×σ→") -> bool:
    """True when ``stream``'s encoding can write ``sample`` (chainrule's symbols)."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        sample.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


@contextmanager
def plain_when_needed(*streams: Any) -> Iterator[None]:
    r"""Within the block, each stream that cannot show ∂, ×, σ writes ASCII for them.

    Only text streams that can be reconfigured (``sys.stdout``,
    ``sys.stderr``) are changed, and they get their own error handling back
    at the end.
    """
    changed = []
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not can_show(stream):
            changed.append((stream, stream.errors))
            reconfigure(errors=ERRORS)
    try:
        yield
    finally:
        for stream, errors in changed:
            with suppress(OSError, ValueError):  # a stream that cannot flush now
                stream.reconfigure(errors=errors)
