"""The one type for text that users send: control characters are refused, everywhere.

A NUL, an escape sequence or a bidirectional override in a name or a note breaks logs,
emails and CSV exports, and can make text read differently from what it is ("Trojan
source"). ``OneLine`` is for one line of text; ``Paragraphs`` also allows line breaks and
tabs. A refusal is an ordinary 422 validation error.
"""

from __future__ import annotations

import unicodedata

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# Bidirectional embeddings, overrides and isolates: invisible, they reorder what is shown.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_PARAGRAPH_WHITESPACE = frozenset("\n\r\t")


def _refuse_controls(value: str, allowed: frozenset[str]) -> str:
    for character in value:
        if character in allowed:
            continue
        if unicodedata.category(character) == "Cc" or character in _BIDI_CONTROLS:
            raise PydanticCustomError(
                "control_characters",
                "Text must not contain control characters (code point U+{point}).",
                {"point": f"{ord(character):04X}"},
            )
    return value


def _line(value: str) -> str:
    return _refuse_controls(value, frozenset())


def _paragraphs(value: str) -> str:
    return _refuse_controls(value, _PARAGRAPH_WHITESPACE)


# Markers for Annotated, next to the field's length limits:
#     name: Annotated[str, StringConstraints(max_length=40), OneLine]
OneLine = AfterValidator(_line)
Paragraphs = AfterValidator(_paragraphs)
