"""PostgreSQL tables of the police desk: operators, their sessions, the audit log, and
the complaint side (the queue and its search, a complaint's timeline, the money per
debit, the rows of the district results and of the repeat-suspect page).

Mixed into `PostgresStore`; the caller owns the transaction. The SQL that is not
PostgreSQL's own and the reading of rows are shared with SQLite (`storage.desk_sql`);
what differs is said here: upserts instead of `insert or replace`, and a taken name
found by `on conflict do nothing`, since a failed statement would abort the caller's
whole transaction.
"""

from __future__ import annotations

import json
from datetime import datetime

from storage.desk_base import (
    AuditEntry,
    DebitMoney,
    DuplicateOperator,
    Operator,
    QueueFilter,
    QueueRow,
    ResultRow,
    SuspectMention,
    TimelineEntry,
)
from storage.desk_sql import (
    POSTGRES,
    RESULT_COMPLAINTS,
    RESULT_MONEY,
    SUSPECT_MENTIONS,
    audit_entry_of,
    debit_money_of,
    debit_money_row,
    live_session,
    marks,
    operator_of,
    queue_row_of,
    queue_sql,
    registration_entries,
    registration_sql,
    result_rows_of,
    session_sql,
    suspect_mention_of,
    timeline_queries,
)
from storage.postgres_base import PgAccess


class DeskAccountTables(PgAccess):
    def add_operator(
        self, name: str, password_hash: str, role: str, districts: list[str], at: datetime
    ) -> int:
        row = self._one(
            "insert into operators (name, password_hash, role, districts, disabled,"
            " created_at, changed_at) values (%s, %s, %s, %s, 0, %s, %s)"
            " on conflict (name) do nothing returning id",
            [name, password_hash, role, json.dumps(districts), at.isoformat(), at.isoformat()],
        )
        if row is None:
            raise DuplicateOperator(name)
        return int(row[0])

    def operator_named(self, name: str) -> Operator | None:
        rows = self._dicts("select * from operators where name = %s", [name])
        return operator_of(rows[0]) if rows else None

    def operators(self) -> list[Operator]:
        return [operator_of(row) for row in self._dicts("select * from operators order by name")]

    def set_operator_password(self, name: str, password_hash: str, at: datetime) -> bool:
        changed = self._run(
            "update operators set password_hash = %s, changed_at = %s where name = %s",
            [password_hash, at.isoformat(), name],
        )
        self._end_sessions_of(name)
        return bool(changed)

    def disable_operator(self, name: str, at: datetime) -> bool:
        changed = self._run(
            "update operators set disabled = 1, changed_at = %s where name = %s",
            [at.isoformat(), name],
        )
        self._end_sessions_of(name)
        return bool(changed)

    def _end_sessions_of(self, name: str) -> None:
        self._run(
            "delete from desk_sessions where operator_id in"
            " (select id from operators where name = %s)",
            [name],
        )

    def create_session(
        self, token_hash: str, operator_id: int, csrf: str, at: datetime, expires_at: datetime
    ) -> None:
        self._run(
            "insert into desk_sessions (token_hash, operator_id, csrf, created_at, expires_at)"
            " values (%s, %s, %s, %s, %s)",
            [token_hash, operator_id, csrf, at.isoformat(), expires_at.isoformat()],
        )

    def session(self, token_hash: str, now: datetime) -> tuple[Operator, str] | None:
        return live_session(self._dicts(session_sql(POSTGRES), [token_hash]), now)

    def end_session(self, token_hash: str) -> None:
        self._run("delete from desk_sessions where token_hash = %s", [token_hash])

    def purge_sessions(self, now: datetime) -> int:
        # Offsets differ between writers only if the clock's zone did: all are IST.
        return self._run("delete from desk_sessions where expires_at <= %s", [now.isoformat()])

    def audit(
        self,
        at: datetime,
        operator: str,
        action: str,
        *,
        reference: str | None = None,
        detail: str = "",
        address: str = "",
    ) -> None:
        self._run(
            "insert into audit_log (at, operator, action, reference, detail, address)"
            " values (%s, %s, %s, %s, %s, %s)",
            [at.isoformat(), operator, action, reference, detail[:1000], address],
        )

    def audit_entries(self, *, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        rows = self._dicts(
            "select * from audit_log order by id desc limit %s offset %s", [limit, offset]
        )
        return [audit_entry_of(row) for row in rows]


class DeskQueueTables(PgAccess):
    def queue(self, wanted: QueueFilter) -> tuple[list[QueueRow], int]:
        count, page, params = queue_sql(wanted, POSTGRES)
        total = self._one(count, params)
        rows = self._dicts(page, [*params, wanted.limit, wanted.offset])
        return [queue_row_of(row) for row in rows], int(total[0]) if total else 0

    def timeline(self, reference: str) -> list[TimelineEntry]:
        """Everything that happened to a complaint, oldest first."""
        entries = registration_entries(self._dicts(registration_sql(POSTGRES), [reference]))
        for kind, sql in timeline_queries(POSTGRES):
            for row in self._dicts(sql, [reference]):
                at = datetime.fromisoformat(row.pop("at"))
                entries.append(TimelineEntry(at, kind, {k: str(v) for k, v in row.items()}))
        return sorted(entries, key=lambda entry: entry.at)

    def debit_money(self, reference: str) -> dict[int, DebitMoney]:
        rows = self._dicts("select * from debit_money where reference = %s", [reference])
        return {row["position"]: debit_money_of(row) for row in rows}

    def set_debit_money(self, reference: str, money: DebitMoney, *, by: str, at: datetime) -> None:
        row = debit_money_row(reference, money, by, at)
        kept = [column for column in row if column not in ("reference", "position")]
        updates = ", ".join(f"{column} = excluded.{column}" for column in kept)
        self._run(
            f"insert into debit_money ({', '.join(row)}) values ({marks(POSTGRES, len(row))})"
            f" on conflict (reference, position) do update set {updates}",
            list(row.values()),
        )

    def result_rows(self, start: datetime, end: datetime) -> list[ResultRow]:
        period = [start.isoformat(), end.isoformat()]
        money = self._dicts(RESULT_MONEY.format(m="%s"), period)
        complaints = self._dicts(RESULT_COMPLAINTS.format(m="%s"), period)
        return result_rows_of(complaints, money)

    def suspect_mentions(self) -> list[SuspectMention]:
        return [suspect_mention_of(row) for row in self._dicts(SUSPECT_MENTIONS)]
