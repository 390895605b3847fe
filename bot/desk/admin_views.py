"""The audit log, for admins only: who viewed unmasked data or changed what, when and
from where; on screen and as a CSV file."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.desk.common import Backend, audit_now, csv_response, desk_of, operator_of
from bot.desk.pages import page
from storage.desk_base import AuditEntry

AUDIT_PAGE = 200
AUDIT_EXPORT_LIMIT = 1_000_000


def _admin(request: web.Request) -> None:
    if not operator_of(request).is_admin:
        raise web.HTTPNotFound(text="Not found")


@page("audit.html")
async def audit_page(request: web.Request) -> dict[str, Any]:
    _admin(request)
    page = int(request.query["page"]) if request.query.get("page", "").isdigit() else 1
    offset = (max(1, page) - 1) * AUDIT_PAGE
    entries = await desk_of(request).read(
        lambda store: store.audit_entries(limit=AUDIT_PAGE, offset=offset)
    )
    return {"entries": entries, "page": max(1, page), "more": len(entries) == AUDIT_PAGE}


async def audit_csv(request: web.Request) -> web.Response:
    _admin(request)

    def export(store: Backend) -> list[AuditEntry]:
        audit_now(store, request, "audit-export", None)
        return store.audit_entries(limit=AUDIT_EXPORT_LIMIT)

    entries = await desk_of(request).read(export)
    header = ["id", "at", "operator", "action", "reference", "detail", "address"]
    rows = (
        [e.id, e.at.isoformat(), e.operator, e.action, e.reference or "", e.detail, e.address]
        for e in entries
    )
    return csv_response(header, rows, "audit-log.csv", frozenset({"reference"}))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/audit.csv", audit_csv)
