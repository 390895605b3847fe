"""What the operators' commands print: safe for a terminal and for a spreadsheet.

Victims' free text (a description, a note) reaches operators' screens. Typed or pasted
there are characters a terminal obeys instead of showing: escape sequences (which can
rewrite the screen or the window title) and bidirectional overrides (which make
"exe.gnp" read "png.exe"). `terminal_json` prints them as JSON `\\uXXXX` escapes: the
document still decodes to exactly what was stored, but nothing is obeyed on screen.
Zero-width joiners stay: Hindi and other Indic names are written with them.

A CSV export opens in a spreadsheet, which turns long digit strings into numbers (a
12-digit UTR becomes 6.31845E+11 and loses digits past 15) and runs any cell that starts
like a formula. Identifiers we validated as digits are written as `="631845002917"` (a
text formula of that exact text); any other cell starting with = + - @, a tab or a
carriage return gets a leading apostrophe, so it is shown, never run.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from bot.domain.cells import csv_cell, write_csv

__all__ = ["csv_cell", "terminal_json", "terminal_text", "write_csv"]

# Shown as-is: joiners are part of Indic spelling and reorder nothing.
_JOINERS = frozenset("\u200c\u200d")


def _unsafe(char: str) -> bool:
    if char in _JOINERS:
        return False
    # Cc: C0/C1 controls and DEL; Cf: bidi marks and overrides, invisible tags, BOM;
    # Zl/Zp: line and paragraph separators; Cs: lone surrogates (unprintable in UTF-8).
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP: a surrogate pair, as JSON writes it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def terminal_text(text: str, keep: str = "") -> str:
    """`text` with every character a terminal would obey written as \\uXXXX (except
    those in `keep`)."""
    return "".join(_escape(char) if _unsafe(char) and char not in keep else char for char in text)


def terminal_json(value: Any) -> str:
    """JSON for a terminal: readable Devanagari, no control or bidi character raw.

    Such characters can only occur inside JSON strings, where the \\uXXXX form is a
    standard escape, so the document decodes to the same data. (json.dumps escapes
    newlines inside strings itself: a raw one is the layout's, and stays.)"""
    return terminal_text(json.dumps(value, ensure_ascii=False, indent=2), keep="\n")
