"""PostgreSQL: complaints and their children, the push outbox, status history, notices.

The rows are built by `storage.rows`, as SQLite's are. The outbox is drained by one
worker at a time, the leader (`bot.service.leader`): a push is an HTTP call outside any
transaction, so no row lock could keep two drainers from sending the same version.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey
from storage.base import Notice, OutboxJob, StatusChange
from storage.postgres_base import PgAccess
from storage.rows import (
    KEPT_ON_UPDATE,
    TRANSACTION_COLUMNS,
    complaint_row,
    outbox_job,
    status_change,
    suspect_rows,
    transaction_row,
)

_TRANSACTION_INSERT = (
    "insert into transactions (reference, position, amount, mode, transaction_id, bank,"
    " occurred_at, occurred_precision, account_last_digits, receiver_upi, receiver_account,"
    " receiver_ifsc, receiver_name, source)"
    " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
assert _TRANSACTION_INSERT.count("%s") == len(TRANSACTION_COLUMNS) + 2


class ComplaintTables(PgAccess):
    def save_complaint(
        self, key: ConversationKey, state: Conversation, at: datetime, *, submitted: bool
    ) -> None:
        reference = state.reference
        if reference is None:
            raise ValueError("a complaint needs a reference before it is saved")
        existing = self._one(
            "select created_at, submitted_at from complaints where reference = %s", [reference]
        )
        created_at = existing[0] if existing else at.isoformat()
        submitted_at = at.isoformat() if submitted else (existing[1] if existing else None)
        row = complaint_row(
            key, state, reference, at, created_at=created_at, submitted_at=submitted_at
        )
        self._upsert_complaint(row)
        for table in ("transactions", "suspect_identifiers", "evidence"):
            self._run(f"delete from {table} where reference = %s", [reference])
        draft = state.draft
        self._many(
            _TRANSACTION_INSERT,
            [(reference, i, *transaction_row(tx)) for i, tx in enumerate(draft.transactions)],
        )
        self._many(
            "insert into suspect_identifiers (reference, position, kind, value, ifsc)"
            " values (%s, %s, %s, %s, %s)",
            [(reference, i, *row) for i, row in enumerate(suspect_rows(draft.suspect))],
        )
        self._many(
            "insert into evidence (reference, position, file_ref, sha256, mime_type,"
            " size_bytes, kind) values (%s, %s, %s, %s, %s, %s, %s)",
            [
                (reference, i, e.file_ref, e.sha256, e.mime_type, e.size_bytes, e.kind)
                for i, e in enumerate(draft.evidence)
            ],
        )

    def _upsert_complaint(self, row: dict[str, Any]) -> None:
        names = list(row)  # fixed names from storage.rows, never user input
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in KEPT_ON_UPDATE)
        sql = (
            f"insert into complaints ({', '.join(names)})"
            f" values ({', '.join(['%s'] * len(names))})"
            f" on conflict (reference) do update set {updates}"
        )
        self._run(sql, list(row.values()))

    # --- outbox -----------------------------------------------------------------------------

    def enqueue_push(
        self, reference: str, stage: str, payload: dict[str, Any], at: datetime, max_age: timedelta
    ) -> int:
        row = self._one(
            "update complaints set version = coalesce(version, 0) + 1 where reference = %s"
            " returning version",
            [reference],
        )
        if row is None:
            raise KeyError(reference)
        version = int(row[0])
        body = json.dumps({**payload, "version": version}, ensure_ascii=False, sort_keys=True)
        self._run(
            "insert into outbox (reference, version, stage, payload, status, attempts,"
            " created_at, deadline_at, next_attempt_at)"
            " values (%s, %s, %s, %s, 'pending', 0, %s, %s, %s)",
            [
                reference,
                version,
                stage,
                body,
                at.isoformat(),
                (at + max_age).isoformat(),
                at.isoformat(),
            ],
        )
        return version

    def due_jobs(self, now: datetime, limit: int = 20) -> list[OutboxJob]:
        rows = self._dicts(
            "select * from outbox o where status = 'pending' and next_attempt_at <= %s"
            " and version = (select min(version) from outbox p"
            "   where p.reference = o.reference and p.status = 'pending')"
            " order by next_attempt_at, id limit %s",
            [now.isoformat(), limit],
        )
        return [outbox_job(row) for row in rows]

    def next_attempt_at(self) -> datetime | None:
        row = self._one("select min(next_attempt_at) from outbox where status = 'pending'")
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def mark_delivered(self, job_id: int, at: datetime, remote_id: str | None) -> None:
        self._run(
            "update outbox set status = 'delivered', delivered_at = %s,"
            " attempts = attempts + 1, last_error = null where id = %s",
            [at.isoformat(), job_id],
        )
        if remote_id:
            self._run(
                "update complaints set remote_id = %s where reference ="
                " (select reference from outbox where id = %s)",
                [remote_id, job_id],
            )

    def mark_retry(self, job_id: int, next_attempt: datetime, error: str) -> None:
        self._run(
            "update outbox set attempts = attempts + 1, next_attempt_at = %s, last_error = %s"
            " where id = %s",
            [next_attempt.isoformat(), error[:500], job_id],
        )

    def mark_dead(self, job_id: int, error: str) -> None:
        self._run(
            "update outbox set status = 'dead', attempts = attempts + 1, last_error = %s"
            " where id = %s",
            [error[:500], job_id],
        )

    def list_outbox(self, status: str | None = None) -> list[OutboxJob]:
        rows = self._dicts(
            "select * from outbox where %s::text is null or status = %s order by id",
            [status, status],
        )
        return [outbox_job(row) for row in rows]

    def retry_job(self, job_id: int, now: datetime, max_age: timedelta) -> bool:
        changed = self._run(
            "update outbox set status = 'pending', next_attempt_at = %s, deadline_at = %s"
            " where id = %s and status = 'dead'",
            [now.isoformat(), (now + max_age).isoformat(), job_id],
        )
        return changed == 1

    # --- status -----------------------------------------------------------------------------

    def apply_status(
        self,
        reference: str,
        status: str,
        note: str,
        updated_at: datetime,
        *,
        source: str,
        received_at: datetime,
        force: bool = False,
    ) -> StatusChange | None:
        rows = self._dicts(
            "select channel, user_id, language, status_updated_at from complaints"
            " where reference = %s for update",
            [reference],
        )
        if not rows:
            raise KeyError(reference)
        row = rows[0]
        last = row["status_updated_at"]
        if not force and last is not None and updated_at <= datetime.fromisoformat(last):
            return None
        self._run(
            "update complaints set status = %s, status_note = %s, status_updated_at = %s"
            " where reference = %s",
            [status, note, updated_at.isoformat(), reference],
        )
        self._run(
            "insert into status_events (reference, status, note, updated_at, received_at,"
            " source) values (%s, %s, %s, %s, %s, %s)",
            [reference, status, note, updated_at.isoformat(), received_at.isoformat(), source],
        )
        return status_change(reference, status, note, row)

    # --- notices ----------------------------------------------------------------------------

    def queue_notice(
        self, channel: str, user_id: str, reference: str | None, text: str, at: datetime
    ) -> int:
        row = self._one(
            "insert into notices (channel, user_id, reference, text, status, created_at)"
            " values (%s, %s, %s, %s, 'pending', %s) returning id",
            [channel, user_id, reference, text, at.isoformat()],
        )
        assert row is not None
        return int(row[0])

    def pending_notices(self, channel: str, limit: int = 50) -> list[Notice]:
        rows = self._dicts(
            "select id, channel, user_id, reference, text from notices"
            " where status = 'pending' and channel = %s order by id limit %s",
            [channel, limit],
        )
        return [Notice(**row) for row in rows]

    def mark_notice(self, notice_id: int, *, sent: bool, at: datetime, error: str = "") -> None:
        if sent:
            self._run(
                "update notices set status = 'sent', sent_at = %s, last_error = null where id = %s",
                [at.isoformat(), notice_id],
            )
        else:
            self._run("update notices set last_error = %s where id = %s", [error[:500], notice_id])
