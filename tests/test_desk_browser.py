"""The desk in a real headless Chromium, beside a running bot: a victim files a complaint
through the console, an officer of their district finds it, records ₹50,000 put on
hold, and the victim's console receives the Hindi notice; an admin reads the district
table (every seeded cell), the chart renders, and the CSV and Excel downloads match.

Screenshots of the list, a complaint and the district page are kept in docs/desk/ for
the README. The test fails when a page's structure no longer matches the one recorded
with them (docs/desk/structure.txt); `DESK_SCREENSHOTS=1 pytest tests/test_desk_browser.py`
refreshes both.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from support.browser import chromium, new_context, skeleton
from support.console import Console, reporting_env
from support.desk import PASSWORD, add_operator
from support.desk_seed import DISTRICTS, Expected, seed_districts, table_rows, totals
from support.processes import HINDI_LINES, REPO, BotProcess

from bot.domain.clock import ist_now
from bot.domain.i18n import translator
from bot.domain.reference import format_reference
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow
DOCS = REPO / "docs" / "desk"
REFRESH = os.environ.get("DESK_SCREENSHOTS") == "1"
KORBA_LINES = ["कोरबा" if line == "रायपुर" else line for line in HINDI_LINES]
HELD_NOTICE = "आपके ₹50,000 SBI में रोक दिए गए हैं।"


def money(amount: int) -> str:
    from decimal import Decimal

    return translator("en").money(Decimal(amount))


async def _login(context: Any, url: str, name: str) -> Any:
    page = await context.new_page()
    await page.goto(url + "/")
    await page.fill("input[name=name]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_selector("table.queue")
    return page


async def _record_hold(page: Any, reference: str) -> None:
    """Filter to the officer's district, open the complaint, record the hold."""
    await page.select_option("select[name=district]", "Korba")
    await page.click("form.filters button[type=submit]")
    # (a selector, not wait_for_url: Playwright 1.49 misses the load of a GET form)
    await page.wait_for_selector(
        "select[name=district] option[value=Korba][selected]", state="attached"
    )
    assert "district=Korba" in page.url
    rows = await page.locator("tr[data-reference]").all()
    assert [await row.get_attribute("data-reference") for row in rows] == [reference]
    await page.click(f"text={format_reference(reference)}")
    await page.wait_for_selector("form#money-0")
    assert await page.locator("dd.personal").first.inner_text() == "सुनीता वर्मा"
    await page.fill("form#money-0 input[name=held_amount]", "50,000")
    await page.fill("form#money-0 input[name=held_bank]", "SBI")
    await page.click("form#money-0 button[type=submit]")
    await page.wait_for_selector("p.done")


def _expected_rows(expected: dict[str, Expected]) -> dict[str, list[str]]:
    korba = Expected(1, 2_604_000, 50_000, 0, 0, [0.0])
    every = totals({**expected, "Korba": korba})
    rows = {}
    for name, figures in [*expected.items(), ("Korba", korba), ("", every)]:
        minutes = statistics.median(figures.minutes or [])
        rows[name] = [
            name or "Total",
            str(figures.complaints),
            money(figures.lost),
            money(figures.held),
            money(figures.refunded),
            f"{round(100 * figures.golden / figures.complaints)}%",
            f"{minutes:.0f}",
        ]
    return rows


async def _downloads(page: Any, tmp_path: Path) -> tuple[list[list[str]], list[list[str]]]:
    files = []
    for link in ("a[href^='/results.csv']", "a[href^='/results.xlsx']"):
        async with page.expect_download() as info:
            await page.click(link)
        download = await info.value
        target = tmp_path / download.suggested_filename
        await download.save_as(target)
        files.append(target)
    as_csv = list(csv.reader(io.StringIO(files[0].read_text(encoding="utf-8"))))
    book = load_workbook(files[1])
    sheet = [[str(v) for v in row] for row in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    return as_csv, sheet


def _check_files(rows: list[list[str]], expected: dict[str, list[str]]) -> None:
    header, *body = rows
    assert header[:5] == ["district", "complaints", "lost", "held", "refunded"]
    by_name = {row[0]: row for row in body}
    for name, cells in expected.items():
        got = by_name[name or "Total"]
        assert int(got[1]) == int(cells[1]), name
        assert [money(int(float(v))) for v in got[2:5]] == cells[2:5], name
        assert f"{round(float(got[5]))}%" == cells[5], name


async def _screens(pages: dict[str, Any], tmp_path: Path) -> None:
    """Screenshots for the README; the test fails if the structure changed without them."""
    recorded = (DOCS / "structure.txt").read_text(encoding="utf-8") if not REFRESH else ""
    current = ""
    for name, page in pages.items():
        target = (DOCS if REFRESH else tmp_path) / f"{name}.png"
        await page.screenshot(path=str(target), full_page=True)
        current += f"== {name}\n{skeleton(await page.content())}"
    if REFRESH:
        DOCS.mkdir(parents=True, exist_ok=True)
        (DOCS / "structure.txt").write_text(current, encoding="utf-8")
        recorded = current
    assert current == recorded, (
        "a desk page's structure changed since docs/desk/ was made: refresh the screenshots "
        "with DESK_SCREENSHOTS=1 pytest tests/test_desk_browser.py"
    )


async def test_an_officer_puts_money_on_hold_and_the_victim_hears_it(
    db_path: Path, tmp_path: Path
) -> None:
    store = SqliteStore(db_path)
    try:
        expected = seed_districts(store, ist_now())
        add_operator(store, "korba-officer", "officer", ("Korba",))
        add_operator(store, "chief", "admin")
    finally:
        store.close()
    with Console(reporting_env(db_path)) as victim:
        victim.send(*KORBA_LINES)
        _, reference = victim.wait_for_reference()
        victim.wait_for_line(lambda line: "जमा" in line or "सबमिट" in line, timeout=20)
        desk = await BotProcess.start(
            db_path, "desk", DESK_PORT="0", log_path=tmp_path / "desk.log"
        )
        try:
            url = (await desk.wait_for_output(r"Desk on (http://[\d.]+:\d+)/"))[1]
            async with chromium() as browser:
                officer = await _login(await new_context(browser), url, "korba-officer")
                await _record_hold(officer, reference)
                complaint_page = officer
                victim.wait_for_line(lambda line: HELD_NOTICE in line, timeout=30)
                context = await new_context(browser)
                admin = await _login(context, url, "chief")
                await admin.goto(url + "/results")
                rows = table_rows(await admin.content())
                wanted = _expected_rows(expected)
                assert set(rows) == set(wanted)
                for name, cells in wanted.items():
                    assert rows[name] == cells, name
                width = await admin.evaluate("document.querySelector('.chart img').naturalWidth")
                assert width > 0
                for table in await _downloads(admin, tmp_path):
                    _check_files(table, wanted)
                listing = await context.new_page()
                await listing.goto(url + "/")
                await _screens(
                    {"list": listing, "complaint": complaint_page, "districts": admin}, tmp_path
                )
        finally:
            await desk.stop()
    assert set(DISTRICTS) < set(rows)
