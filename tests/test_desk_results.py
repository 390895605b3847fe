"""District results: every cell of the table on the page, in the CSV and Excel files and
from `python bot.py stats`, against figures seeded with known totals; the chart."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support.desk import Seed, add_operator, desk_client, save_seed, served_desk
from support.desk_seed import DISTRICTS, Expected, seed_districts, table_rows, totals
from support.processes import run_bot
from support.timing import Clock

from bot.domain.i18n import translator
from storage.sqlite import SqliteStore


def MONEY(amount: int) -> str:
    return translator("en").money(Decimal(amount))


@pytest.fixture
def expected(store: SqliteStore, clock: Clock) -> dict[str, Expected]:
    return seed_districts(store, clock.now)


@pytest.fixture
async def url(
    store: SqliteStore, clock: Clock, tmp_path: Path, expected: dict[str, Expected]
) -> AsyncIterator[str]:
    add_operator(store, "chief", "admin")
    add_operator(store, "durg-officer", "officer", ("Durg",))
    async with served_desk(store, clock, tmp_path / "evidence") as served:
        yield served


def shown(name: str, figures: Expected) -> list[str]:
    return [
        name,
        str(figures.complaints),
        MONEY(figures.lost),
        MONEY(figures.held),
        MONEY(figures.refunded),
        f"{figures.golden_percent}%",
        f"{figures.median:.0f}",
    ]


async def test_the_page_shows_every_figure(url: str, expected: dict[str, Expected]) -> None:
    async with desk_client(url) as browser:
        await browser.login("chief")
        await browser.get("/results")
    rows = table_rows(browser.page)
    assert set(rows) == {*DISTRICTS, ""}
    for district in DISTRICTS:
        assert rows[district] == shown(district, expected[district]), district
    assert rows[""] == shown("Total", totals(expected))
    # press-note order: most money saved first
    order = re.findall(r'<tr data-district="([^"]+)">', browser.page)
    assert order == sorted(DISTRICTS, key=lambda d: -expected[d].held)


async def test_an_officer_sees_their_districts_results(
    url: str, expected: dict[str, Expected]
) -> None:
    async with desk_client(url) as browser:
        await browser.login("durg-officer")
        await browser.get("/results")
    rows = table_rows(browser.page)
    assert rows["Durg"] == shown("Durg", expected["Durg"])
    assert rows[""] == shown("Total", expected["Durg"])
    assert set(rows) == {"Durg", ""}


def plain(figures: Expected, name: str) -> list[object]:
    return [
        name,
        figures.complaints,
        figures.lost,
        figures.held,
        figures.refunded,
        round(100 * figures.golden / figures.complaints, 1),
        round(figures.median, 1),
    ]


def numbers(row: list[str]) -> list[object]:
    """A row's cells as numbers where they are (Excel gives 10 for the CSV's 10.0)."""
    return [row[0], *(float(cell) for cell in row[1:])]


async def test_csv_and_excel_match_the_table(url: str, expected: dict[str, Expected]) -> None:
    async with desk_client(url) as browser:
        await browser.login("chief")
        response = await browser.get("/results.csv?from=2026-08-01&to=2026-11-30")
        text = await response.text()
        response = await browser.get("/results.xlsx?from=2026-08-01&to=2026-11-30")
        book = load_workbook(io.BytesIO(await response.read()))
    rows = list(csv.reader(io.StringIO(text)))
    sheet = [
        ["" if v is None else str(v) for v in row]
        for row in book.active.iter_rows(values_only=True)  # type: ignore[union-attr]
    ]
    for table in (rows, sheet):
        header, *body = table
        assert header[0] == "district" and len(body) == len(DISTRICTS) + 1
        by_name = {row[0]: row for row in body}
        for district in DISTRICTS:
            assert numbers(by_name[district]) == plain(expected[district], district)
        assert numbers(by_name["Total"]) == plain(totals(expected), "Total")


async def test_the_chart_has_a_bar_per_district(url: str, expected: dict[str, Expected]) -> None:
    async with desk_client(url) as browser:
        await browser.login("chief")
        response = await browser.get("/results/chart.svg")
        svg = await response.text()
    assert response.content_type == "image/svg+xml"
    widths = dict(
        zip(
            re.findall(r'class="district">([^<]+)<', svg),
            (int(w) for w in re.findall(r'width="(\d+)" height="\d+"\s+fill="#333"', svg)),
            strict=True,
        )
    )
    assert set(widths) == set(DISTRICTS)
    most = max(expected.values(), key=lambda f: f.held)
    for district, figures in expected.items():
        assert (
            abs(
                widths[district]
                - widths[max(expected, key=lambda d: expected[d].held)] * figures.held / most.held
            )
            <= 1
        )
    for figures in expected.values():
        assert MONEY(figures.held) in svg


async def test_a_district_typed_by_a_victim_is_exported_harmlessly(
    store: SqliteStore, clock: Clock, tmp_path: Path
) -> None:

    save_seed(store, Seed('=HYPERLINK("http://x")', (Decimal(100),), clock.now))
    add_operator(store, "chief", "admin")
    async with served_desk(store, clock, tmp_path) as url, desk_client(url) as browser:
        await browser.login("chief")
        text = await (await browser.get("/results.csv")).text()
        book = load_workbook(io.BytesIO(await (await browser.get("/results.xlsx")).read()))
    assert "'=HYPERLINK" in text
    cell = book.active["A2"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


@pytest.mark.slow
def test_stats_on_the_command_line(
    store: SqliteStore, db_path: Path, expected: dict[str, Expected]
) -> None:
    result = run_bot(
        db_path, "stats", "--from", "2026-08-01", "--to", "2026-11-30", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    by_name = {row["district"]: row for row in document["districts"]}
    for district, figures in expected.items():
        row = by_name[district]
        assert [row["complaints"], row["lost"], row["held"], row["refunded"]] == [
            figures.complaints,
            figures.lost,
            figures.held,
            figures.refunded,
        ]
        assert row["golden_hour_share"] == round(100 * figures.golden / figures.complaints, 1)
        assert row["median_minutes"] == figures.median
    assert document["total"]["held"] == totals(expected).held
    table = run_bot(db_path, "stats", "--from", "2026-08-01", "--to", "2026-11-30")
    assert "Kabirdham" in table.stdout and MONEY(totals(expected).held) in table.stdout
    as_csv = run_bot(
        db_path, "stats", "--from", "2026-08-01", "--to", "2026-11-30", "--format", "csv"
    )
    assert as_csv.stdout.startswith("district,complaints,lost,held")
