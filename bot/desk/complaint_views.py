"""One complaint: everything the victim gave, its timeline, and what the police do with
it (a status change with a note; per debit, money put on hold and refunded).

A status change goes through `apply_status_change_within`, the code path of the
reporting system's callback and `complaints set-status`, so the victim's notice is the
same word for word. Money put on hold or refunded is told to the victim the same way: a
status change (funds on hold, refund in progress or, when everything came back,
resolved) whose note says how much, in the victim's language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from bot.desk.common import (
    Backend,
    audit_now,
    desk_of,
    form_text,
    operator_of,
    visible_complaint,
)
from bot.desk.money import MoneyRefused, money_notice, read_money
from bot.desk.pages import page
from bot.desk.suspects import repeats_for
from bot.domain.reference import normalize_reference
from bot.service.reporting.status import STATUSES, RefusedChange, apply_status_change_within
from storage.base import ComplaintRecord, StatusChange
from storage.desk_base import DebitMoney

_NOTICES = frozenset(
    {"status", "money", "stale", "bad_status", "bad_amount", "too_much", "bad_date"}
)


def _reference(request: web.Request) -> str:
    reference = normalize_reference(request.match_info["reference"])
    if reference is None:
        raise web.HTTPNotFound(text="Not found")
    return reference


@page("complaint.html")
async def complaint_page(request: web.Request) -> dict[str, Any]:
    reference = _reference(request)
    record = await visible_complaint(request, reference)
    operator = operator_of(request)

    def gather(store: Backend) -> tuple[Any, ...]:
        audit_now(store, request, "view", reference)
        return store.timeline(reference), store.debit_money(reference), store.suspect_mentions()

    timeline, money, mentions = await desk_of(request).read(gather)
    shown = request.query.get("done", "")
    return {
        "c": record,
        "timeline": timeline,
        "requests": [entry for entry in timeline if entry.kind == "request"],
        "money_rows": [money.get(i, DebitMoney(i)) for i in range(len(record["transactions"]))],
        "repeats": repeats_for(record, mentions, operator),
        "statuses": STATUSES,
        "done": shown if shown in _NOTICES else "",
        "today": desk_of(request).clock().date().isoformat(),
    }


async def evidence_file(request: web.Request) -> web.StreamResponse:
    """An evidence file, to operators allowed to see its complaint only; the path stored
    must lie inside EVIDENCE_DIR, whatever the row says."""
    reference = _reference(request)
    record = await visible_complaint(request, reference)
    position = request.match_info["position"]
    found = [e for e in record["evidence"] if str(e["position"]) == position]
    folder = desk_of(request).config.evidence_dir.resolve()
    if not found:
        raise web.HTTPNotFound(text="Not found")
    path = folder.joinpath(found[0]["file_ref"]).resolve()
    mime = found[0]["mime_type"] or ""
    allowed = mime in ("image/jpeg", "image/png", "image/webp", "application/pdf")
    if not path.is_relative_to(folder) or not path.is_file() or not allowed:
        raise web.HTTPNotFound(text="Not found")
    await desk_of(request).read(
        lambda store: audit_now(store, request, "evidence", reference, f"file {position}")
    )
    return web.Response(
        body=path.read_bytes(),
        content_type=mime,
        headers={"Content-Disposition": "inline", "Content-Security-Policy": "sandbox"},
    )


def _back(reference: str, done: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/complaints/{reference}?done={done}#actions")


async def change_status(request: web.Request) -> web.Response:
    reference = _reference(request)
    await visible_complaint(request, reference)
    form = await request.post()
    status, note = form_text(form, "status", 40), form_text(form, "note", 1000)
    desk = desk_of(request)

    def change(store: Backend) -> bool:
        applied = _apply(store, request, reference, status, note)
        if applied is not None:
            audit_now(store, request, "status", reference, f"{status}: {note}")
        return applied is not None

    try:
        applied = await desk.read(change)
    except RefusedChange:
        raise _back(reference, "bad_status") from None
    raise _back(reference, "status" if applied else "stale")


async def record_money(request: web.Request) -> web.Response:
    """Held and refunded amounts of one debit; the victim is told of what is new."""
    reference = _reference(request)
    record = await visible_complaint(request, reference)
    position = int(request.match_info["position"])
    if not 0 <= position < len(record["transactions"]):
        raise web.HTTPNotFound(text="Not found")
    debit = Decimal(record["transactions"][position]["amount"] or "0")
    desk = desk_of(request)
    try:
        money = read_money(await request.post(), position, debit, desk.clock().date())
    except MoneyRefused as refused:
        raise _back(reference, refused.code) from None
    await desk.read(lambda store: _save_money(store, request, record, money))
    raise _back(reference, "money")


def _save_money(
    store: Backend, request: web.Request, record: ComplaintRecord, money: DebitMoney
) -> None:
    """The money row, the audit line and (when something new was held or refunded) the
    victim's notice, in one transaction."""
    reference = record["reference"]
    before = store.debit_money(reference).get(money.position, DebitMoney(money.position))
    store.set_debit_money(
        reference, money, by=operator_of(request).name, at=desk_of(request).clock()
    )
    audit_now(
        store,
        request,
        "money",
        reference,
        f"debit {money.position + 1}: held {money.held_amount} ({money.held_bank}),"
        f" refunded {money.refunded_amount}",
    )
    all_money = store.debit_money(reference)
    notice = money_notice(record, before, money, all_money)
    if notice is not None:
        _apply(store, request, reference, *notice)


def _apply(
    store: Backend, request: web.Request, reference: str, status: str, note: str
) -> StatusChange | None:
    """The change as the reporting system's callback applies it (same notice), dated
    now and signed with the operator's name."""
    now = desk_of(request).clock()
    return apply_status_change_within(
        store,
        reference=reference,
        status=status,
        note=note,
        updated_at=now,
        source=f"desk:{operator_of(request).name}",
        now=now,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/complaints/{reference}", complaint_page)
    app.router.add_get("/complaints/{reference}/evidence/{position}", evidence_file)
    app.router.add_post("/complaints/{reference}/status", change_status)
    app.router.add_post("/complaints/{reference}/money/{position:\\d+}", record_money)
