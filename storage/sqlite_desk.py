"""SQLite tables of the police desk: operators, their sessions and the audit log.

Mixed into `SqliteStore` (with `DeskQueueTables` for the complaints side); the caller
owns the transaction, as everywhere in the store.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from sqlite_utils import Database

from storage.desk_base import AuditEntry, DuplicateOperator, Operator
from storage.desk_sql import SQLITE, audit_entry_of, live_session, operator_of, session_sql


class DeskAccountTables:
    db: Database

    def add_operator(
        self, name: str, password_hash: str, role: str, districts: list[str], at: datetime
    ) -> int:
        try:
            cursor = self.db.execute(
                "insert into operators (name, password_hash, role, districts, disabled,"
                " created_at, changed_at) values (?, ?, ?, ?, 0, ?, ?)",
                [name, password_hash, role, json.dumps(districts), at.isoformat(), at.isoformat()],
            )
        except sqlite3.IntegrityError as error:
            raise DuplicateOperator(name) from error
        return int(cursor.lastrowid or 0)

    def operator_named(self, name: str) -> Operator | None:
        rows = list(self.db.query("select * from operators where name = ?", [name]))
        return operator_of(rows[0]) if rows else None

    def operators(self) -> list[Operator]:
        return [operator_of(row) for row in self.db.query("select * from operators order by name")]

    def set_operator_password(self, name: str, password_hash: str, at: datetime) -> bool:
        changed = self.db.execute(
            "update operators set password_hash = ?, changed_at = ? where name = ?",
            [password_hash, at.isoformat(), name],
        ).rowcount
        self._end_sessions_of(name)
        return bool(changed)

    def disable_operator(self, name: str, at: datetime) -> bool:
        changed = self.db.execute(
            "update operators set disabled = 1, changed_at = ? where name = ?",
            [at.isoformat(), name],
        ).rowcount
        self._end_sessions_of(name)
        return bool(changed)

    def _end_sessions_of(self, name: str) -> None:
        self.db.execute(
            "delete from desk_sessions where operator_id in"
            " (select id from operators where name = ?)",
            [name],
        )

    def create_session(
        self, token_hash: str, operator_id: int, csrf: str, at: datetime, expires_at: datetime
    ) -> None:
        self.db.execute(
            "insert into desk_sessions (token_hash, operator_id, csrf, created_at, expires_at)"
            " values (?, ?, ?, ?, ?)",
            [token_hash, operator_id, csrf, at.isoformat(), expires_at.isoformat()],
        )

    def session(self, token_hash: str, now: datetime) -> tuple[Operator, str] | None:
        return live_session(list(self.db.query(session_sql(SQLITE), [token_hash])), now)

    def end_session(self, token_hash: str) -> None:
        self.db.execute("delete from desk_sessions where token_hash = ?", [token_hash])

    def purge_sessions(self, now: datetime) -> int:
        # Offsets differ between writers only if the clock's zone did: all are IST.
        return int(
            self.db.execute(
                "delete from desk_sessions where expires_at <= ?", [now.isoformat()]
            ).rowcount
        )

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
        self.db.execute(
            "insert into audit_log (at, operator, action, reference, detail, address)"
            " values (?, ?, ?, ?, ?, ?)",
            [at.isoformat(), operator, action, reference, detail[:1000], address],
        )

    def audit_entries(self, *, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        rows = self.db.query(
            "select * from audit_log order by id desc limit ? offset ?", [limit, offset]
        )
        return [audit_entry_of(row) for row in rows]
