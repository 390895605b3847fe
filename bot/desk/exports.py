"""The district table as files: CSV, Excel (openpyxl) and an SVG bar chart.

Cells that came from victims (a district typed outside Chhattisgarh) are written so a
spreadsheet shows them and never runs them (`bot.domain.cells`); Excel cells are typed
as text explicitly, since openpyxl would store "=..." as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl import Workbook

from bot.desk.results import COLUMNS, DistrictResult, as_plain
from bot.domain.cells import FORMULA_STARTS, write_csv

TOTAL_LABEL = "Total"


def results_csv(results: list[DistrictResult], total: DistrictResult) -> str:
    out = io.StringIO()
    rows = [list(as_plain(r).values()) for r in results]
    rows.append([TOTAL_LABEL, *list(as_plain(total).values())[1:]])
    write_csv(out, list(COLUMNS), rows, frozenset())
    return out.getvalue()


def results_xlsx(results: list[DistrictResult], total: DistrictResult, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    rows = [list(as_plain(r).values()) for r in results]
    rows.append([TOTAL_LABEL, *list(as_plain(total).values())[1:]])
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # text, even when it starts like a formula
                if value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
            else:
                cell.value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BAR_HEIGHT = 28
LABEL_WIDTH = 170
CHART_WIDTH = 720
VALUE_WIDTH = 120


def results_svg(
    results: list[DistrictResult],
    *,
    title: str,
    money: Callable[[Decimal], str],
    label: Callable[[str], str],
) -> str:
    """Horizontal bars of money saved per district: black on white with the figure
    written beside each bar, so it reads the same printed in grey."""
    most = max((r.held for r in results), default=Decimal(0)) or Decimal(1)
    room = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = 40 + BAR_HEIGHT * len(results) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}"'
        f' viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(title)}"'
        ' font-family="Noto Sans, DejaVu Sans, sans-serif" font-size="14">',
        f'<rect width="{CHART_WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="0" y="22" font-size="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, result in enumerate(results):
        y = 40 + i * BAR_HEIGHT
        width = int(room * result.held / most)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" class="district">'
            f"{escape(label(result.district))}</text>",
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{BAR_HEIGHT - 8}"'
            ' fill="#333" class="bar"/>',
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 18}" class="amount">'
            f"{escape(money(result.held))}</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts)
