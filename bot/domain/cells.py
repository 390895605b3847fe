"""Cells for spreadsheets (the operators' CSV exports, the desk's CSV and Excel files).

A spreadsheet turns long digit strings into numbers (a 12-digit UTR becomes 6.31845E+11
and loses digits past 15) and runs any cell that starts like a formula. Identifiers we
validated as digits are written as `="631845002917"` (a text formula of that exact
text); any other cell starting with = + - @, a tab or a carriage return gets a leading
apostrophe, so it is shown, never run.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _identifier(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) >= 6


def csv_cell(value: object, *, identifier: bool) -> object:
    """One cell: a digit identifier kept as text, anything formula-like made inert."""
    if identifier and _identifier(value):
        return f'="{value}"'
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    out: TextIO,
    header: list[str],
    rows: Iterable[Sequence[object]],
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
