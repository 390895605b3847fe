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

import csv
import json
import unicodedata
from collections.abc import Iterable
from typing import Any, TextIO

# Shown as-is: joiners are part of Indic spelling and reorder nothing.
_JOINERS = frozenset("\u200c\u200d")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def _identifier(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) >= 6


def csv_cell(value: object, *, identifier: bool) -> object:
    """One cell: a digit identifier kept as text, anything formula-like made inert."""
    if identifier and _identifier(value):
        return f'="{value}"'
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    out: TextIO,
    header: list[str],
    rows: Iterable[list[object]],
    identifiers: frozenset[str],
) -> None:
    """Rows under `header`; the columns named in `identifiers` hold validated digits."""
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            csv_cell(value, identifier=column in identifiers)
            for column, value in zip(header, row, strict=True)
        )
