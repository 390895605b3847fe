"""SQLite queries of the police desk's complaint side: the queue and its search, a
complaint's timeline, the money held and refunded per debit, the rows the district
results and the repeat-suspect page are computed from.

Mixed into `SqliteStore`. Times are stored as ISO strings in Indian time, so comparing
them as text orders them; SQLite's julianday() reads their offsets for differences.
The SQL and the rows' reading are shared with PostgreSQL (`storage.desk_sql`).
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.desk_base import (
    DebitMoney,
    QueueFilter,
    QueueRow,
    ResultRow,
    SuspectMention,
    TimelineEntry,
)
from storage.desk_sql import (
    RESULT_COMPLAINTS,
    RESULT_MONEY,
    SQLITE,
    SUSPECT_MENTIONS,
    debit_money_of,
    debit_money_row,
    marks,
    queue_row_of,
    queue_sql,
    registration_entries,
    registration_sql,
    result_rows_of,
    suspect_mention_of,
    timeline_queries,
)


class DeskQueueTables:
    db: Database

    def queue(self, wanted: QueueFilter) -> tuple[list[QueueRow], int]:
        count, page, params = queue_sql(wanted, SQLITE)
        total = self.db.execute(count, params).fetchone()
        rows = self.db.query(page, [*params, wanted.limit, wanted.offset])
        return [queue_row_of(row) for row in rows], int(total[0])

    def timeline(self, reference: str) -> list[TimelineEntry]:
        """Everything that happened to a complaint, oldest first."""
        entries = registration_entries(list(self.db.query(registration_sql(SQLITE), [reference])))
        for kind, sql in timeline_queries(SQLITE):
            for row in self.db.query(sql, [reference]):
                at = datetime.fromisoformat(row.pop("at"))
                entries.append(TimelineEntry(at, kind, {k: str(v) for k, v in row.items()}))
        return sorted(entries, key=lambda entry: entry.at)

    def debit_money(self, reference: str) -> dict[int, DebitMoney]:
        rows = self.db.query("select * from debit_money where reference = ?", [reference])
        return {row["position"]: debit_money_of(row) for row in rows}

    def set_debit_money(self, reference: str, money: DebitMoney, *, by: str, at: datetime) -> None:
        row = debit_money_row(reference, money, by, at)
        self.db.execute(
            f"insert or replace into debit_money ({', '.join(row)})"
            f" values ({marks(SQLITE, len(row))})",
            list(row.values()),
        )

    def result_rows(self, start: datetime, end: datetime) -> list[ResultRow]:
        period = [start.isoformat(), end.isoformat()]
        money = list(self.db.query(RESULT_MONEY.format(m="?"), period))
        complaints = list(self.db.query(RESULT_COMPLAINTS.format(m="?"), period))
        return result_rows_of(complaints, money)

    def suspect_mentions(self) -> list[SuspectMention]:
        return [suspect_mention_of(row) for row in self.db.query(SUSPECT_MENTIONS)]
