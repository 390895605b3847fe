"""Sixty complaints across six districts with totals known in advance, for the district
results in HTTP, browser and command-line tests. Every figure is derived here from the
loop counters, independently of the code that computes the table."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from storage.sqlite import SqliteStore
from support.desk import Seed, hold, save_seed

DISTRICTS = ("Raipur", "Rajnandgaon", "Kabirdham", "Durg", "Mahasamund", "Bilaspur")
PER_DISTRICT = 10


@dataclass
class Expected:
    complaints: int = 0
    lost: int = 0
    held: int = 0
    refunded: int = 0
    golden: int = 0
    minutes: list[float] | None = None

    @property
    def golden_percent(self) -> int:
        return round(100 * self.golden / self.complaints)

    @property
    def median(self) -> float:
        return statistics.median(self.minutes or [])


def seed_districts(store: SqliteStore, now: datetime) -> dict[str, Expected]:
    """District k, complaint i: lost ₹(k+1)·10,000 + i·1,000, reported within the golden
    hour when i <= k, half held when i is even, ₹1,000 refunded when i % 3 == 0, the
    first answer i + k + 1 minutes before the number. Plus one complaint before the
    period, which no figure may count."""
    expected: dict[str, Expected] = {}
    for k, district in enumerate(DISTRICTS):
        figures = expected[district] = Expected(minutes=[])
        for i in range(PER_DISTRICT):
            amount = (k + 1) * 10_000 + i * 1_000
            golden = i <= k
            started = i + k + 1
            reference = save_seed(
                store,
                Seed(
                    district,
                    (Decimal(amount),),
                    now - timedelta(days=3 * i + k, hours=1),
                    lost_minutes_before=30 if golden else 90,
                    started_minutes_before=started,
                    name=f"Victim {k}-{i}",
                ),
            )
            held = amount // 2 if i % 2 == 0 else 0
            refunded = 1_000 if i % 3 == 0 else 0
            if held or refunded:
                hold(store, reference, 0, str(held), str(refunded))
            figures.complaints += 1
            figures.lost += amount
            figures.held += held
            figures.refunded += refunded
            figures.golden += int(golden)
            assert figures.minutes is not None
            figures.minutes.append(float(started))
    old = save_seed(store, Seed("Raipur", (Decimal(999_999),), now - timedelta(days=200)))
    hold(store, old, 0, "999999")
    return expected


def totals(expected: dict[str, Expected]) -> Expected:
    every = Expected(minutes=[])
    for figures in expected.values():
        every.complaints += figures.complaints
        every.lost += figures.lost
        every.held += figures.held
        every.refunded += figures.refunded
        every.golden += figures.golden
        assert every.minutes is not None and figures.minutes is not None
        every.minutes += figures.minutes
    return every


def table_rows(page: str) -> dict[str, list[str]]:
    """The district table's cells by district ("" for the totals), spaces collapsed."""
    rows = {}
    for district, body in re.findall(r'<tr data-district="([^"]*)">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", body, re.S)
        rows[district] = [" ".join(c.split()) for c in cells]
    return rows
