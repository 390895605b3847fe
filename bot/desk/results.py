"""District results, as the press note reports them: per district the complaints, the
money reported lost, put on hold ("saved") and refunded, the share reported within the
golden hour, and the median minutes from the first answer to the complaint number.

One computation serves the desk's page, its CSV and Excel downloads, its chart and
`python bot.py stats`, so every copy of the table says the same.
"""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from bot.domain.clock import IST
from storage.desk_base import ResultRow

GOLDEN_HOUR = timedelta(hours=1)
DEFAULT_MONTHS = 3
UNKNOWN_DISTRICT = ""


@dataclass(frozen=True, slots=True)
class Period:
    """Complaints registered from `start` to `end`, both days included (Indian time)."""

    start: date
    end: date

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time(), IST),
            datetime.combine(self.end + timedelta(days=1), time(), IST),
        )


def default_period(today: date) -> Period:
    """The last three months, ending today (2 Dec: 3 Sep to 2 Dec), the press note's
    quarter; a day missing in the earlier month is its last day."""
    months = today.year * 12 + today.month - 1 - DEFAULT_MONTHS
    year, month = divmod(months, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return Period(date(year, month + 1, day) + timedelta(days=1), today)


@dataclass(frozen=True, slots=True)
class DistrictResult:
    district: str
    complaints: int
    lost: Decimal
    held: Decimal
    refunded: Decimal
    golden: int  # complaints reported within the golden hour
    median_minutes: float | None

    @property
    def golden_share(self) -> float:
        return self.golden / self.complaints if self.complaints else 0.0


def _minutes(row: ResultRow) -> float | None:
    if row.started_at is None:
        return None
    return max(0.0, (row.created_at - row.started_at).total_seconds() / 60)


def _golden(row: ResultRow) -> bool:
    return row.incident_at is not None and row.created_at - row.incident_at <= GOLDEN_HOUR


def _summarise(name: str, rows: list[ResultRow]) -> DistrictResult:
    minutes = [m for row in rows if (m := _minutes(row)) is not None]
    return DistrictResult(
        district=name,
        complaints=len(rows),
        lost=sum((r.total_amount for r in rows), Decimal(0)),
        held=sum((r.held for r in rows), Decimal(0)),
        refunded=sum((r.refunded for r in rows), Decimal(0)),
        golden=sum(1 for r in rows if _golden(r)),
        median_minutes=statistics.median(minutes) if minutes else None,
    )


def district_results(
    rows: Iterable[ResultRow], scope: tuple[str, ...] | None = None
) -> tuple[list[DistrictResult], DistrictResult]:
    """One result per district (most money saved first, then by name) and the totals;
    an officer's `scope` keeps their districts only."""
    wanted = {d.casefold() for d in scope} if scope is not None else None
    by_district: defaultdict[str, list[ResultRow]] = defaultdict(list)
    for row in rows:
        name = row.district or UNKNOWN_DISTRICT
        if wanted is None or name.casefold() in wanted:
            by_district[name].append(row)
    results = [_summarise(name, group) for name, group in by_district.items()]
    results.sort(key=lambda r: (-r.held, r.district))
    everything = [row for group in by_district.values() for row in group]
    return results, _summarise("", everything)


COLUMNS = (
    "district",
    "complaints",
    "lost",
    "held",
    "refunded",
    "golden_hour_share",
    "median_minutes",
)


def as_plain(result: DistrictResult) -> dict[str, str | int | float | None]:
    """A row for CSV, Excel and JSON: amounts in rupees, the share as a percentage."""
    return {
        "district": result.district,
        "complaints": result.complaints,
        "lost": _number(result.lost),
        "held": _number(result.held),
        "refunded": _number(result.refunded),
        "golden_hour_share": round(100 * result.golden_share, 1),
        "median_minutes": (
            round(result.median_minutes, 1) if result.median_minutes is not None else None
        ),
    }


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)
