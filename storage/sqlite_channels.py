"""SQLite tables that channels need beyond conversations: the inbox of raw webhook bodies
(stored before the platform gets its 200), delivery statuses per outbound message, and
each person's last inbound message time (WhatsApp's 24-hour window)."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.base import InboxItem

# A status only moves forward: a late "delivered" must not overwrite "read".
_STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


class ChannelTables:
    db: Database

    def store_webhook(self, channel: str, body: str, at: datetime) -> int:
        cursor = self.db.execute(
            "insert into webhook_inbox (channel, body, received_at) values (?, ?, ?)",
            [channel, body, at.isoformat()],
        )
        return int(cursor.lastrowid or 0)

    def unprocessed_webhooks(self, channel: str, limit: int = 100) -> list[InboxItem]:
        return [
            InboxItem(id=row["id"], body=row["body"])
            for row in self.db.query(
                "select id, body from webhook_inbox where channel = ? and processed_at is null"
                " order by id limit ?",
                [channel, limit],
            )
        ]

    def mark_webhook_processed(self, inbox_id: int, at: datetime) -> None:
        self.db.execute(
            "update webhook_inbox set processed_at = ? where id = ?", [at.isoformat(), inbox_id]
        )

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
