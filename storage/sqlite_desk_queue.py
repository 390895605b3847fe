"""SQLite queries of the police desk's complaint side: the queue and its search, a
complaint's timeline, the money held and refunded per debit, the rows the district
results and the repeat-suspect page are computed from.

Mixed into `SqliteStore`. Times are stored as ISO strings in Indian time, so comparing
them as text orders them; SQLite's julianday() reads their offsets for differences.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from storage.desk_base import (
    DebitMoney,
    QueueFilter,
    QueueRow,
    ResultRow,
    SuspectMention,
    TimelineEntry,
)

_GOLDEN = (
    "(c.incident_at is not null and julianday(c.created_at) - julianday(c.incident_at) <= 1.0 / 24)"
)
_NEW = "c.status in ('registered', 'submitted')"


def _marks(values: tuple[Any, ...] | list[Any]) -> str:
    return ", ".join("?" * len(values))


def _where(wanted: QueueFilter) -> tuple[str, list[Any]]:
    """The filter as SQL; the officer's scope always applies."""
    clauses: list[str] = []
    params: list[Any] = []
    if wanted.scope is not None:
        scope = [d.casefold() for d in wanted.scope]
        clauses.append(f"lower(c.district) in ({_marks(scope)})" if scope else "0")
        params += scope
    if wanted.statuses:
        clauses.append(f"c.status in ({_marks(wanted.statuses)})")
        params += wanted.statuses
    if wanted.district:
        clauses.append("lower(c.district) = ?")
        params.append(wanted.district.casefold())
    if wanted.category:
        clauses.append("c.category = ?")
        params.append(wanted.category)
    if wanted.date_from:
        clauses.append("c.created_at >= ?")
        params.append(wanted.date_from.isoformat())
    if wanted.date_to:
        clauses.append("c.created_at < ?")
        params.append((wanted.date_to + timedelta(days=1)).isoformat())
    if wanted.amount_min is not None:
        clauses.append("cast(c.total_amount as real) >= ?")
        params.append(float(wanted.amount_min))
    if wanted.amount_max is not None:
        clauses.append("cast(c.total_amount as real) <= ?")
        params.append(float(wanted.amount_max))
    search, search_params = _search(wanted)
    if search:
        clauses.append(search)
        params += search_params
    return (" where " + " and ".join(clauses)) if clauses else "", params


def _search(wanted: QueueFilter) -> tuple[str, list[Any]]:
    """Any of: the complaint number, a UTR, the victim's mobile, a suspect identifier,
    the victim's name."""
    ors: list[str] = []
    params: list[Any] = []
    if wanted.references:
        ors.append(f"c.reference in ({_marks(wanted.references)})")
        params += wanted.references
    if wanted.mobile:
        ors.append("c.mobile like ?")
        params.append(f"%{wanted.mobile}")
    if wanted.text:
        text = wanted.text.casefold()
        ors.append(
            "exists (select 1 from transactions t where t.reference = c.reference"
            " and lower(t.transaction_id) = ?)"
        )
        ors.append(
            "exists (select 1 from suspect_identifiers s where s.reference = c.reference"
            " and (lower(s.value) like ? or (? != '' and s.value like ?)))"
        )
        ors.append("lower(c.name) like ?")
        like = f"%{text}%"
        params += [text, like, wanted.mobile or "", f"%{wanted.mobile or ''}%", like]
    if not ors:
        return "", []
    return "(" + " or ".join(ors) + ")", params


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class DeskQueueTables:
    db: Database

    def queue(self, wanted: QueueFilter) -> tuple[list[QueueRow], int]:
        where, params = _where(wanted)
        total = self.db.execute(f"select count(*) from complaints c{where}", params).fetchone()
        rows = self.db.query(
            "select c.reference, c.created_at, c.status, c.stage, c.category, c.district,"
            f" c.total_amount, c.mobile, c.name, c.channel, {_GOLDEN} as golden"
            f" from complaints c{where}"
            f" order by ({_NEW} and {_GOLDEN}) desc, c.created_at desc, c.reference"
            " limit ? offset ?",
            [*params, wanted.limit, wanted.offset],
        )
        found = [
            QueueRow(
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
            for row in rows
        ]
        return found, int(total[0])

    def timeline(self, reference: str) -> list[TimelineEntry]:
        """Everything that happened to a complaint, oldest first."""
        entries: list[TimelineEntry] = []
        for row in self.db.query(
            "select created_at, submitted_at from complaints where reference = ?", [reference]
        ):
            entries.append(TimelineEntry(datetime.fromisoformat(row["created_at"]), "registered"))
            if row["submitted_at"]:
                at = datetime.fromisoformat(row["submitted_at"])
                entries.append(TimelineEntry(at, "completed"))
        queries = (
            (
                "push",
                "select created_at as at, version, stage, status, attempts,"
                " coalesce(last_error, '') as error from outbox where reference = ?",
            ),
            (
                "status",
                "select received_at as at, status, note, source from status_events"
                " where reference = ?",
            ),
            (
                "notice",
                "select created_at as at, status, coalesce(sent_at, '') as sent_at,"
                " coalesce(last_error, '') as error from notices where reference = ?",
            ),
            (
                "request",
                "select created_at as at, kind, coalesce(step, '') as step"
                " from person_requests where reference = ?",
            ),
        )
        for kind, sql in queries:
            for row in self.db.query(sql, [reference]):
                at = datetime.fromisoformat(row.pop("at"))
                entries.append(TimelineEntry(at, kind, {k: str(v) for k, v in row.items()}))
        return sorted(entries, key=lambda entry: entry.at)

    def debit_money(self, reference: str) -> dict[int, DebitMoney]:
        rows = self.db.query("select * from debit_money where reference = ?", [reference])
        return {
            row["position"]: DebitMoney(
                position=row["position"],
                held_amount=Decimal(row["held_amount"] or "0"),
                held_bank=row["held_bank"] or "",
                held_on=_day(row["held_on"]),
                refunded_amount=Decimal(row["refunded_amount"] or "0"),
                refunded_on=_day(row["refunded_on"]),
            )
            for row in rows
        }

    def set_debit_money(self, reference: str, money: DebitMoney, *, by: str, at: datetime) -> None:
        row = {
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
        self.db.execute(
            f"insert or replace into debit_money ({', '.join(row)}) values ({_marks(list(row))})",
            list(row.values()),
        )

    def result_rows(self, start: datetime, end: datetime) -> list[ResultRow]:
        money: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for row in self.db.query(
            "select m.reference, m.held_amount, m.refunded_amount from debit_money m"
            " join complaints c on c.reference = m.reference"
            " where c.created_at >= ? and c.created_at < ?",
            [start.isoformat(), end.isoformat()],
        ):
            money[row["reference"]][0] += Decimal(row["held_amount"] or "0")
            money[row["reference"]][1] += Decimal(row["refunded_amount"] or "0")
        rows = self.db.query(
            "select reference, district, created_at, incident_at, started_at, total_amount"
            " from complaints where created_at >= ? and created_at < ? order by created_at",
            [start.isoformat(), end.isoformat()],
        )
        return [
            ResultRow(
                reference=row["reference"],
                district=row["district"],
                created_at=datetime.fromisoformat(row["created_at"]),
                incident_at=_moment(row["incident_at"]),
                started_at=_moment(row["started_at"]),
                total_amount=Decimal(row["total_amount"] or "0"),
                held=money[row["reference"]][0],
                refunded=money[row["reference"]][1],
            )
            for row in rows
        ]

    def suspect_mentions(self) -> list[SuspectMention]:
        rows = self.db.query(
            "select s.reference, s.kind, s.value, s.ifsc, c.district, c.total_amount"
            " from suspect_identifiers s join complaints c on c.reference = s.reference"
            " order by c.created_at desc"
        )
        return [
            SuspectMention(
                reference=row["reference"],
                kind=row["kind"],
                value=row["value"],
                ifsc=row["ifsc"],
                district=row["district"],
                total_amount=Decimal(row["total_amount"] or "0"),
            )
            for row in rows
        ]


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
