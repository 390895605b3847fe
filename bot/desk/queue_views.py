"""The queue: complaints newest first, golden-hour ones first among the new, with
filters, a search box and pages. Personal data is masked here; the complaint's own page
shows it (and the audit log records that view)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from bot.desk.common import (
    Backend,
    audit_now,
    csv_response,
    desk_of,
    operator_of,
    scope_of,
    t_of,
)
from bot.desk.pages import page
from bot.domain.masking import mask
from bot.domain.parsing.digits import to_ascii_digits
from bot.domain.places import CHHATTISGARH_DISTRICTS
from bot.domain.reference import REFERENCE_LENGTH, normalize_reference
from bot.domain.rupees import NotAnAmount, parse_rupees
from bot.domain.suspects import normalise_mobile
from bot.service.reporting.status import STATUSES
from handlers.answers import CATEGORY_MODES
from storage.base import ComplaintRecord
from storage.desk_base import QueueFilter

PAGE_SIZE = 25
_MOBILE = re.compile(r"\+?[\d\s-]{10,16}")


@dataclass(frozen=True, slots=True)
class Search:
    """What the search box asked for, and what to tell the operator about it."""

    references: tuple[str, ...] = ()
    text: str | None = None
    mobile: str | None = None
    problem: str | None = None  # a catalog id: a complaint number with a wrong check digit


def read_search(typed: str) -> Search:
    """A complaint number (spaces allowed; 12 digits with a wrong check digit is said to
    be one, though it is still looked for as a UTR), a mobile number in any spelling,
    or text: a UTR, a suspect identifier, a name."""
    typed = typed.strip()[:100]
    if not typed:
        return Search()
    compact = re.sub(r"[\s-]", "", to_ascii_digits(typed))
    if compact.isdigit() and len(compact) == REFERENCE_LENGTH:
        reference = normalize_reference(compact)
        if reference is None:
            return Search(text=compact, problem="desk.search.check_digit")
        return Search(references=(reference,), text=compact)
    mobile = normalise_mobile(typed) if _MOBILE.fullmatch(typed) else None
    if mobile is not None and len(mobile) != 10:
        mobile = None
    return Search(text=typed, mobile=mobile)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _rupees(value: str) -> Decimal | None:
    try:
        return parse_rupees(value) if value.strip() else None
    except NotAnAmount:
        return None


def read_filter(query: MultiMapping[str], scope: tuple[str, ...] | None) -> QueueFilter:
    search = read_search(query.get("q", ""))
    page = int(query["page"]) if query.get("page", "").isdigit() else 1
    return QueueFilter(
        scope=scope,
        statuses=tuple(s for s in query.getall("status", []) if s in STATUSES),
        district=query.get("district") or None,
        category=query.get("category") if query.get("category") in CATEGORY_MODES else None,
        date_from=_day(query.get("from", "")),
        date_to=_day(query.get("to", "")),
        amount_min=_rupees(query.get("min", "")),
        amount_max=_rupees(query.get("max", "")),
        references=search.references,
        text=search.text,
        mobile=search.mobile,
        offset=(max(1, min(page, 10_000)) - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )


def masked_name(name: str | None) -> str:
    return f"{name[:1]}***" if name else ""


def district_choices(scope: tuple[str, ...] | None) -> list[str]:
    """The districts an operator can filter by: their own, or all of the state's."""
    return list(scope) if scope is not None else [place.en for place in CHHATTISGARH_DISTRICTS]


@page("queue.html")
async def queue_page(request: web.Request) -> dict[str, Any]:
    operator = operator_of(request)
    wanted = read_filter(request.query, scope_of(operator))
    rows, total = await desk_of(request).read(lambda store: store.queue(wanted))
    search = read_search(request.query.get("q", ""))
    page = wanted.offset // PAGE_SIZE + 1
    base = [(k, v) for k, v in request.query.items() if k != "page"]
    return {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "base_query": base,
        "query": request.query,
        "statuses": STATUSES,
        "categories": list(CATEGORY_MODES),
        "districts": district_choices(scope_of(operator)),
        "search_problem": t_of(request)(search.problem) if search.problem else "",
        "mask": mask,
        "masked_name": masked_name,
    }


EXPORT_LIMIT = 100_000
EXPORT_COLUMNS = ["reference", "created_at", "status", "stage", "fast_track", "category"]
EXPORT_COLUMNS += ["incident_at", "total_amount", "mobile", "name", "state", "district"]
EXPORT_COLUMNS += ["description"]


async def export_csv(request: web.Request) -> web.Response:
    """The filtered complaints in full (personal data unmasked: recorded in the audit
    log with the count), as CSV a spreadsheet opens without running anything."""
    wanted = replace(read_filter(request.query, scope_of(operator_of(request))), offset=0)
    wanted = replace(wanted, limit=EXPORT_LIMIT)

    def export(store: Backend) -> list[ComplaintRecord]:
        rows, _ = store.queue(wanted)
        records = [r for row in rows if (r := store.get_complaint(row.reference))]
        audit_now(
            store, request, "export", None, f"{len(records)} complaints: {request.query_string}"
        )
        return records

    records = await desk_of(request).read(export)
    rows = ([record.get(column) for column in EXPORT_COLUMNS] for record in records)
    return csv_response(EXPORT_COLUMNS, rows, "complaints.csv", frozenset({"reference", "mobile"}))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", queue_page)
    app.router.add_get("/export.csv", export_csv)
