"""The district results page, its CSV and Excel downloads and its chart.

An officer's results cover their districts only; an admin's, every district."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiohttp import web

from bot.desk.common import desk_of, language_of, operator_of, scope_of, t_of
from bot.desk.exports import results_csv, results_svg, results_xlsx
from bot.desk.pages import page
from bot.desk.results import DistrictResult, Period, default_period, district_results
from bot.domain.messages import Language
from bot.domain.places import CHHATTISGARH_DISTRICTS


def _period(request: web.Request) -> Period:
    fallback = default_period(desk_of(request).clock().date())
    try:
        start = date.fromisoformat(request.query.get("from", "")) or fallback.start
    except ValueError:
        start = fallback.start
    try:
        end = date.fromisoformat(request.query.get("to", ""))
    except ValueError:
        end = fallback.end
    return Period(start, end) if start <= end else fallback


async def _results(request: web.Request) -> tuple[Period, list[DistrictResult], DistrictResult]:
    period = _period(request)
    start, end = period.bounds
    rows = await desk_of(request).read(lambda store: store.result_rows(start, end))
    results, total = district_results(rows, scope_of(operator_of(request)))
    return period, results, total


def district_label(name: str, language: Language) -> str:
    """The district in the reader's script, when it is one of the state's."""
    for place in CHHATTISGARH_DISTRICTS:
        if place.en == name:
            return place.hi if language is Language.HI else place.en
    return name or "—"


@page("results.html")
async def results_page(request: web.Request) -> dict[str, Any]:
    period, results, total = await _results(request)
    language = language_of(request)
    return {
        "period": period,
        "results": results,
        "total": total,
        "label": lambda name: district_label(name, language),
        "query": f"from={period.start.isoformat()}&to={period.end.isoformat()}",
    }


def _filename(period: Period, suffix: str) -> str:
    return f"district-results-{period.start.isoformat()}-{period.end.isoformat()}.{suffix}"


async def results_csv_file(request: web.Request) -> web.Response:
    period, results, total = await _results(request)
    return web.Response(
        text=results_csv(results, total),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(period, "csv")}"'},
    )


async def results_xlsx_file(request: web.Request) -> web.Response:
    period, results, total = await _results(request)
    body = results_xlsx(results, total, f"{period.start.isoformat()} {period.end.isoformat()}")
    return web.Response(
        body=body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_filename(period, "xlsx")}"'},
    )


async def results_chart(request: web.Request) -> web.Response:
    period, results, _ = await _results(request)
    t, language = t_of(request), language_of(request)
    start, end = period.bounds
    title = t("desk.results.chart", start=t.date(start), end=t.date(end - timedelta(days=1)))
    svg = results_svg(
        results, title=title, money=t.money, label=lambda n: district_label(n, language)
    )
    return web.Response(text=svg, content_type="image/svg+xml", charset="utf-8")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/results", results_page)
    app.router.add_get("/results.csv", results_csv_file)
    app.router.add_get("/results.xlsx", results_xlsx_file)
    app.router.add_get("/results/chart.svg", results_chart)
