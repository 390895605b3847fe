"""SQLite tables for the reporting side: the push outbox, status history and notices.

Mixed into `SqliteStore`; like everything else, the caller owns the transaction, so a
push is queued in the same commit that registers the complaint (transactional outbox).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage.base import Notice, OutboxJob, StatusChange
from storage.rows import outbox_job, status_change


class ReportingTables:
    db: Database

    # --- outbox -----------------------------------------------------------------------------

    def enqueue_push(
        self, reference: str, stage: str, payload: dict[str, Any], at: datetime, max_age: timedelta
    ) -> int:
        """Queues the next version of a complaint; returns that version number."""
        row = self.db.execute(
            "update complaints set version = coalesce(version, 0) + 1 where reference = ?"
            " returning version",
            [reference],
        ).fetchone()
        if row is None:
            raise KeyError(reference)
        version = int(row[0])
        body = {**payload, "version": version}
        self.db.execute(
            "insert into outbox (reference, version, stage, payload, status, attempts,"
            " created_at, deadline_at, next_attempt_at) values (?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
            [
                reference,
                version,
                stage,
                json.dumps(body, ensure_ascii=False, sort_keys=True),
                at.isoformat(),
                (at + max_age).isoformat(),
                at.isoformat(),
            ],
        )
        return version

    def due_jobs(self, now: datetime, limit: int = 20) -> list[OutboxJob]:
        """Pending jobs whose time has come, only the oldest version of each complaint
        (versions of one complaint are delivered in order)."""
        rows = self.db.query(
            "select * from outbox o where status = 'pending' and next_attempt_at <= ?"
            " and version = (select min(version) from outbox p"
            "   where p.reference = o.reference and p.status = 'pending')"
            " order by next_attempt_at, id limit ?",
            [now.isoformat(), limit],
        )
        return [outbox_job(row) for row in rows]

    def next_attempt_at(self) -> datetime | None:
        row = self.db.execute(
            "select min(next_attempt_at) from outbox where status = 'pending'"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def mark_delivered(self, job_id: int, at: datetime, remote_id: str | None) -> None:
        self.db.execute(
            "update outbox set status = 'delivered', delivered_at = ?, attempts = attempts + 1,"
            " last_error = null where id = ?",
            [at.isoformat(), job_id],
        )
        if remote_id:
            self.db.execute(
                "update complaints set remote_id = ? where reference ="
                " (select reference from outbox where id = ?)",
                [remote_id, job_id],
            )

    def mark_retry(self, job_id: int, next_attempt: datetime, error: str) -> None:
        self.db.execute(
            "update outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
            " where id = ?",
            [next_attempt.isoformat(), error[:500], job_id],
        )

    def mark_dead(self, job_id: int, error: str) -> None:
        self.db.execute(
            "update outbox set status = 'dead', attempts = attempts + 1, last_error = ?"
            " where id = ?",
            [error[:500], job_id],
        )

    def list_outbox(self, status: str | None = None) -> list[OutboxJob]:
        if status is None:
            rows = self.db.query("select * from outbox order by id")
        else:
            rows = self.db.query("select * from outbox where status = ? order by id", [status])
        return [outbox_job(row) for row in rows]

    def retry_job(self, job_id: int, now: datetime, max_age: timedelta) -> bool:
        """Puts a dead letter back in the queue with a fresh deadline."""
        cursor = self.db.execute(
            "update outbox set status = 'pending', next_attempt_at = ?, deadline_at = ?"
            " where id = ? and status = 'dead'",
            [now.isoformat(), (now + max_age).isoformat(), job_id],
        )
        return cursor.rowcount == 1

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
        """Records a status change unless it is not newer than the last applied one (a
        replay or an out-of-order callback) and not `force`d. Raises KeyError for an
        unknown reference."""
        rows = list(
            self.db.query(
                "select channel, user_id, language, status_updated_at from complaints"
                " where reference = ?",
                [reference],
            )
        )
        if not rows:
            raise KeyError(reference)
        row = rows[0]
        last = row["status_updated_at"]
        if not force and last is not None and updated_at <= datetime.fromisoformat(last):
            return None
        self.db.execute(
            "update complaints set status = ?, status_note = ?, status_updated_at = ?"
            " where reference = ?",
            [status, note, updated_at.isoformat(), reference],
        )
        self.db.table("status_events").insert(
            {
                "reference": reference,
                "status": status,
                "note": note,
                "updated_at": updated_at.isoformat(),
                "received_at": received_at.isoformat(),
                "source": source,
            }
        )
        return status_change(reference, status, note, row)

    # --- notices ----------------------------------------------------------------------------

    def queue_notice(
        self, channel: str, user_id: str, reference: str | None, text: str, at: datetime
    ) -> int:
        cursor = self.db.execute(
            "insert into notices (channel, user_id, reference, text, status, created_at)"
            " values (?, ?, ?, ?, 'pending', ?)",
            [channel, user_id, reference, text, at.isoformat()],
        )
        return int(cursor.lastrowid or 0)

    def pending_notices(self, channel: str, limit: int = 50) -> list[Notice]:
        rows = self.db.query(
            "select id, channel, user_id, reference, text from notices"
            " where status = 'pending' and channel = ? order by id limit ?",
            [channel, limit],
        )
        return [Notice(**row) for row in rows]

    def mark_notice(self, notice_id: int, *, sent: bool, at: datetime, error: str = "") -> None:
        """A notice that could not be sent stays pending (with the error) for a retry."""
        if sent:
            self.db.execute(
                "update notices set status = 'sent', sent_at = ?, last_error = null where id = ?",
                [at.isoformat(), notice_id],
            )
        else:
            self.db.execute(
                "update notices set last_error = ? where id = ?", [error[:500], notice_id]
            )
