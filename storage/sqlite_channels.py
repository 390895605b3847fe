"""SQLite tables that channels need beyond conversations: the inbox of raw webhook bodies
(stored before the platform gets its 200), delivery statuses per outbound message, and
each person's last inbound message time (WhatsApp's 24-hour window)."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.domain.messages import ConversationKey
from storage.base import InboxItem, PendingReply, QuarantinedItem
from storage.rows import quarantined_item

# A status only moves forward: a late "delivered" must not overwrite "read".
_STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


class ChannelTables:
    db: Database

    # --- requests to talk to a person -----------------------------------------------------

    def add_person_request(
        self, key: ConversationKey, *, reference: str | None, kind: str, step: str, at: datetime
    ) -> None:
        self.db.execute(
            "insert into person_requests (channel, user_id, reference, kind, step, created_at)"
            " values (?, ?, ?, ?, ?, ?)",
            [key.channel, key.user_id, reference, kind, step, at.isoformat()],
        )

    # --- replies until the platform has them ----------------------------------------------

    def queue_replies(
        self, channel: str, user_id: str, language: str, bodies: list[str], at: datetime
    ) -> list[int]:
        ids = []
        for body in bodies:
            cursor = self.db.execute(
                "insert into outbound (channel, user_id, language, body, created_at)"
                " values (?, ?, ?, ?, ?)",
                [channel, user_id, language, body, at.isoformat()],
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    def pending_replies(
        self, channel: str, limit: int = 500, written_before: datetime | None = None
    ) -> list[PendingReply]:
        before = written_before.isoformat() if written_before else "9999"
        return [
            PendingReply(id=row[0], user_id=row[1], language=row[2], body=row[3])
            for row in self.db.execute(
                "select id, user_id, language, body from outbound where channel = ?"
                " and created_at < ? order by id limit ?",
                [channel, before, limit],
            ).fetchall()
        ]

    def forget_replies(self, reply_ids: list[int]) -> None:
        self.db.conn.executemany("delete from outbound where id = ?", [(i,) for i in reply_ids])

    def store_webhook(
        self, channel: str, body: str, at: datetime, external_id: str | None = None
    ) -> int:
        cursor = self.db.execute(
            "insert into webhook_inbox (channel, body, received_at, external_id)"
            " values (?, ?, ?, ?)",
            [channel, body, at.isoformat(), external_id],
        )
        return int(cursor.lastrowid or 0)

    def unprocessed_webhooks(
        self, channel: str, limit: int = 100, due_by: datetime | None = None
    ) -> list[InboxItem]:
        """Bodies still to apply, oldest first; not the quarantined ones, and with `due_by`
        only those whose retry time has come."""
        due = "" if due_by is None else " and coalesce(next_attempt_at, '') <= ?"
        params: list[object] = [channel] + ([due_by.isoformat()] if due_by else []) + [limit]
        return [
            InboxItem(id=row["id"], body=row["body"], attempts=row["attempts"])
            for row in self.db.query(
                "select id, body, attempts from webhook_inbox where channel = ?"
                " and processed_at is null and quarantined_at is null and external_id is null"
                f"{due} order by id limit ?",
                params,
            )
        ]

    def mark_webhook_processed(self, inbox_id: int, at: datetime) -> None:
        """Applied: the raw body (which may hold what a person typed) is erased; the row
        stays, without it, for a while as a record."""
        self.db.execute(
            "update webhook_inbox set processed_at = ?, body = '', last_error = null where id = ?",
            [at.isoformat(), inbox_id],
        )

    def webhook_failed(
        self, inbox_id: int, error: str, at: datetime, *, retry_at: datetime | None
    ) -> None:
        """One more failed attempt; without `retry_at` the body is quarantined."""
        self.db.execute(
            "update webhook_inbox set attempts = attempts + 1, last_error = ?,"
            " next_attempt_at = ?, quarantined_at = ? where id = ?",
            [
                error[:500],
                retry_at.isoformat() if retry_at else None,
                None if retry_at else at.isoformat(),
                inbox_id,
            ],
        )

    def update_failed(
        self, channel: str, external_id: str, body: str, error: str, at: datetime
    ) -> tuple[int, int]:
        """A platform's update (by its own id) failed once more: its inbox id and the
        failures so far, keeping the body for when it is quarantined."""
        row = self.db.execute(
            "insert into webhook_inbox (channel, external_id, body, received_at, attempts,"
            " last_error) values (?, ?, ?, ?, 1, ?) on conflict (channel, external_id)"
            " where external_id is not null do update set attempts = attempts + 1,"
            " last_error = excluded.last_error returning id, attempts",
            [channel, external_id, body, at.isoformat(), error[:500]],
        ).fetchone()
        return int(row[0]), int(row[1])

    def quarantine(self, inbox_id: int, body: str, at: datetime) -> None:
        """Sets a body aside for an operator, as given (the caller removes secrets)."""
        self.db.execute(
            "update webhook_inbox set quarantined_at = ?, body = ? where id = ?",
            [at.isoformat(), body, inbox_id],
        )

    def quarantined(self) -> list[QuarantinedItem]:
        return [
            quarantined_item(row)
            for row in self.db.query(
                "select * from webhook_inbox where quarantined_at is not null order by id"
            )
        ]

    def release_quarantined(self, inbox_id: int) -> bool:
        """An operator fixed the cause: the body is tried again from the start."""
        cursor = self.db.execute(
            "update webhook_inbox set quarantined_at = null, attempts = 0,"
            " next_attempt_at = null, external_id = null"
            " where id = ? and quarantined_at is not null",
            [inbox_id],
        )
        return cursor.rowcount == 1

    def record_message_status(
        self,
        channel: str,
        message_id: str,
        *,
        user_id: str,
        status: str,
        at: datetime,
        error_code: int | None = None,
    ) -> None:
        rank = _STATUS_RANK.get(status, 0)
        row = self.db.execute(
            "select status from message_statuses where channel = ? and message_id = ?",
            [channel, message_id],
        ).fetchone()
        if row is not None and _STATUS_RANK.get(row[0], 0) >= rank:
            return
        self.db.execute(
            "insert into message_statuses"
            " (channel, message_id, user_id, status, error_code, updated_at)"
            " values (?, ?, ?, ?, ?, ?) on conflict (channel, message_id) do update set"
            " status = excluded.status, error_code = excluded.error_code,"
            " updated_at = excluded.updated_at",
            [channel, message_id, user_id, status, error_code, at.isoformat()],
        )

    def message_status(self, channel: str, message_id: str) -> tuple[str, int | None] | None:
        row = self.db.execute(
            "select status, error_code from message_statuses where channel = ? and message_id = ?",
            [channel, message_id],
        ).fetchone()
        return (row[0], row[1]) if row is not None else None

    def record_inbound(self, channel: str, user_id: str, at: datetime) -> None:
        self.db.execute(
            "insert into last_inbound (channel, user_id, at) values (?, ?, ?)"
            " on conflict (channel, user_id) do update set at = max(at, excluded.at)",
            [channel, user_id, at.isoformat()],
        )

    def last_inbound(self, channel: str, user_id: str) -> datetime | None:
        row = self.db.execute(
            "select at from last_inbound where channel = ? and user_id = ?", [channel, user_id]
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row is not None else None
