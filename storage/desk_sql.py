"""What the desk's SQLite and PostgreSQL tables share: the queue's filter as SQL in
either dialect, and rows read back as the desk's records.

Both schemas keep the same column types (ISO text for moments, decimal text for
amounts, integers for flags), so a row reads back the same from either; the dialects
differ in the parameter mark, the falsehood literal, the type an amount is compared as,
and how the time between two moments is taken (the golden hour).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from storage.desk_base import (
    AuditEntry,
    DebitMoney,
    Operator,
    QueueFilter,
    QueueRow,
    ResultRow,
    SuspectMention,
    TimelineEntry,
)


@dataclass(frozen=True, slots=True)
class Dialect:
    mark: str  # a parameter's placeholder
    false: str
    amount: str  # c.total_amount (stored as text) as a number
    golden: str  # a complaint registered within an hour of the incident


SQLITE = Dialect(
    mark="?",
    false="0",
    amount="cast(c.total_amount as real)",
    golden="(c.incident_at is not null"
    " and julianday(c.created_at) - julianday(c.incident_at) <= 1.0 / 24)",
)
POSTGRES = Dialect(
    mark="%s",
    false="false",
    amount="cast(nullif(c.total_amount, '') as numeric)",
    golden="(nullif(c.incident_at, '') is not null and cast(c.created_at as timestamptz)"
    " - cast(nullif(c.incident_at, '') as timestamptz) <= interval '1 hour')",
)

_NEW = "c.status in ('registered', 'submitted')"


def marks(dialect: Dialect, count: int) -> str:
    return ", ".join([dialect.mark] * count)


def queue_sql(wanted: QueueFilter, dialect: Dialect) -> tuple[str, str, list[Any]]:
    """The count of matching complaints, one page of them (the page's limit and offset
    are the last two parameters), and the filter's parameters."""
    where, params = _where(wanted, dialect)
    count = f"select count(*) from complaints c{where}"
    page = (
        "select c.reference, c.created_at, c.status, c.stage, c.category, c.district,"
        f" c.total_amount, c.mobile, c.name, c.channel, {dialect.golden} as golden"
        f" from complaints c{where}"
        f" order by ({_NEW} and {dialect.golden}) desc, c.created_at desc, c.reference"
        f" limit {dialect.mark} offset {dialect.mark}"
    )
    return count, page, params


def _where(wanted: QueueFilter, d: Dialect) -> tuple[str, list[Any]]:
    """The filter as SQL; the officer's scope always applies."""
    clauses: list[str] = []
    params: list[Any] = []
    if wanted.scope is not None:
        scope = [district.casefold() for district in wanted.scope]
        clauses.append(f"lower(c.district) in ({marks(d, len(scope))})" if scope else d.false)
        params += scope
    if wanted.statuses:
        clauses.append(f"c.status in ({marks(d, len(wanted.statuses))})")
        params += wanted.statuses
    if wanted.district:
        clauses.append(f"lower(c.district) = {d.mark}")
        params.append(wanted.district.casefold())
    if wanted.category:
        clauses.append(f"c.category = {d.mark}")
        params.append(wanted.category)
    if wanted.date_from:
        clauses.append(f"c.created_at >= {d.mark}")
        params.append(wanted.date_from.isoformat())
    if wanted.date_to:
        clauses.append(f"c.created_at < {d.mark}")
        params.append((wanted.date_to + timedelta(days=1)).isoformat())
    if wanted.amount_min is not None:
        clauses.append(f"{d.amount} >= {d.mark}")
        params.append(_amount(wanted.amount_min, d))
    if wanted.amount_max is not None:
        clauses.append(f"{d.amount} <= {d.mark}")
        params.append(_amount(wanted.amount_max, d))
    search, search_params = _search(wanted, d)
    if search:
        clauses.append(search)
        params += search_params
    return (" where " + " and ".join(clauses)) if clauses else "", params


def _amount(value: Decimal, d: Dialect) -> object:
    """SQLite compares amounts as floating point (it binds no Decimal)."""
    return float(value) if d is SQLITE else value


def _search(wanted: QueueFilter, d: Dialect) -> tuple[str, list[Any]]:
    """Any of: the complaint number, a UTR, the victim's mobile, a suspect identifier,
    the victim's name."""
    ors: list[str] = []
    params: list[Any] = []
    if wanted.references:
        ors.append(f"c.reference in ({marks(d, len(wanted.references))})")
        params += wanted.references
    if wanted.mobile:
        ors.append(f"c.mobile like {d.mark}")
        params.append(f"%{wanted.mobile}")
    if wanted.text:
        text = wanted.text.casefold()
        ors.append(
            "exists (select 1 from transactions t where t.reference = c.reference"
            f" and lower(t.transaction_id) = {d.mark})"
        )
        ors.append(
            "exists (select 1 from suspect_identifiers s where s.reference = c.reference"
            f" and (lower(s.value) like {d.mark}"
            f" or ({d.mark} != '' and s.value like {d.mark})))"
        )
        ors.append(f"lower(c.name) like {d.mark}")
        like = f"%{text}%"
        params += [text, like, wanted.mobile or "", f"%{wanted.mobile or ''}%", like]
    if not ors:
        return "", []
    return "(" + " or ".join(ors) + ")", params


def session_sql(dialect: Dialect) -> str:
    """The session of a token's hash, with its operator, unless the operator is disabled."""
    return (
        "select o.*, s.csrf as session_csrf, s.expires_at as session_expires"
        " from desk_sessions s join operators o on o.id = s.operator_id"
        f" where s.token_hash = {dialect.mark} and o.disabled = 0"
    )


def live_session(rows: list[dict[str, Any]], now: datetime) -> tuple[Operator, str] | None:
    """The operator and CSRF token of the session read by `session_sql`, unless expired."""
    if not rows or datetime.fromisoformat(rows[0]["session_expires"]) <= now:
        return None
    return operator_of(rows[0]), rows[0]["session_csrf"]


def registration_sql(dialect: Dialect) -> str:
    return f"select created_at, submitted_at from complaints where reference = {dialect.mark}"


def registration_entries(rows: list[dict[str, Any]]) -> list[TimelineEntry]:
    """A complaint's first timeline entries, from the row `registration_sql` reads."""
    entries: list[TimelineEntry] = []
    for row in rows:
        entries.append(TimelineEntry(datetime.fromisoformat(row["created_at"]), "registered"))
        if row["submitted_at"]:
            entries.append(TimelineEntry(datetime.fromisoformat(row["submitted_at"]), "completed"))
    return entries


def timeline_queries(dialect: Dialect) -> tuple[tuple[str, str], ...]:
    """What happened to a complaint besides its registration, by kind; each row has its
    moment as `at`, the rest is the entry's detail."""
    m = dialect.mark
    return (
        (
            "push",
            "select created_at as at, version, stage, status, attempts,"
            f" coalesce(last_error, '') as error from outbox where reference = {m}",
        ),
        (
            "status",
            "select received_at as at, status, note, source from status_events"
            f" where reference = {m}",
        ),
        (
            "notice",
            "select created_at as at, status, coalesce(sent_at, '') as sent_at,"
            f" coalesce(last_error, '') as error from notices where reference = {m}",
        ),
        (
            "request",
            "select created_at as at, kind, coalesce(step, '') as step"
            f" from person_requests where reference = {m}",
        ),
    )


def operator_of(row: dict[str, Any]) -> Operator:
    return Operator(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        districts=tuple(json.loads(row["districts"] or "[]")),
        disabled=bool(row["disabled"]),
        password_hash=row["password_hash"],
    )


def audit_entry_of(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=datetime.fromisoformat(row["at"]),
        operator=row["operator"],
        action=row["action"],
        reference=row["reference"],
        detail=row["detail"] or "",
        address=row["address"] or "",
    )


def queue_row_of(row: dict[str, Any]) -> QueueRow:
    return QueueRow(
        reference=row["reference"],
        created_at=datetime.fromisoformat(row["created_at"]),
        status=row["status"],
        stage=row["stage"],
        category=row["category"],
        district=row["district"],
        total_amount=Decimal(row["total_amount"] or "0"),
        golden_hour=bool(row["golden"]),
        mobile=row["mobile"],
        name=row["name"],
        channel=row["channel"],
    )


def debit_money_of(row: dict[str, Any]) -> DebitMoney:
    return DebitMoney(
        position=row["position"],
        held_amount=Decimal(row["held_amount"] or "0"),
        held_bank=row["held_bank"] or "",
        held_on=_day(row["held_on"]),
        refunded_amount=Decimal(row["refunded_amount"] or "0"),
        refunded_on=_day(row["refunded_on"]),
    )


def debit_money_row(reference: str, money: DebitMoney, by: str, at: datetime) -> dict[str, Any]:
    """The `debit_money` row of one debit, as both schemas store it."""
    return {
        "reference": reference,
        "position": money.position,
        "held_amount": f"{money.held_amount:.2f}",
        "held_bank": money.held_bank,
        "held_on": money.held_on.isoformat() if money.held_on else None,
        "refunded_amount": f"{money.refunded_amount:.2f}",
        "refunded_on": money.refunded_on.isoformat() if money.refunded_on else None,
        "updated_by": by,
        "updated_at": at.isoformat(),
    }


# The money of the complaints registered in a period, and the complaints themselves.
RESULT_MONEY = (
    "select m.reference, m.held_amount, m.refunded_amount from debit_money m"
    " join complaints c on c.reference = m.reference"
    " where c.created_at >= {m} and c.created_at < {m}"
)
RESULT_COMPLAINTS = (
    "select reference, district, created_at, incident_at, started_at, total_amount"
    " from complaints where created_at >= {m} and created_at < {m} order by created_at"
)
SUSPECT_MENTIONS = (
    "select s.reference, s.kind, s.value, s.ifsc, c.district, c.total_amount"
    " from suspect_identifiers s join complaints c on c.reference = s.reference"
    " order by c.created_at desc"
)


def result_rows_of(
    complaints: list[dict[str, Any]], money: list[dict[str, Any]]
) -> list[ResultRow]:
    """The district results' rows: each complaint with the money held and refunded."""
    held: dict[str, Decimal] = {}
    refunded: dict[str, Decimal] = {}
    for row in money:
        reference = row["reference"]
        held[reference] = held.get(reference, Decimal(0)) + Decimal(row["held_amount"] or "0")
        refunded[reference] = refunded.get(reference, Decimal(0)) + Decimal(
            row["refunded_amount"] or "0"
        )
    return [
        ResultRow(
            reference=row["reference"],
            district=row["district"],
            created_at=datetime.fromisoformat(row["created_at"]),
            incident_at=_moment(row["incident_at"]),
            started_at=_moment(row["started_at"]),
            total_amount=Decimal(row["total_amount"] or "0"),
            held=held.get(row["reference"], Decimal(0)),
            refunded=refunded.get(row["reference"], Decimal(0)),
        )
        for row in complaints
    ]


def suspect_mention_of(row: dict[str, Any]) -> SuspectMention:
    return SuspectMention(
        reference=row["reference"],
        kind=row["kind"],
        value=row["value"],
        ifsc=row["ifsc"],
        district=row["district"],
        total_amount=Decimal(row["total_amount"] or "0"),
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
