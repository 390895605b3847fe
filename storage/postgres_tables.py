"""PostgreSQL: what the channels keep (replies until sent, the webhook inbox, delivery
statuses, last inbound message) and the awareness tables (campaigns, deliveries, the
consent log), with the same meaning as SQLite's (`storage/sqlite_channels.py`,
`storage/sqlite_broadcast.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.awareness import Campaign
from bot.domain.messages import ConversationKey
from bot.domain.statuses import DeliveryStatus
from storage.base import CampaignProgress, Delivery, InboxItem, PendingReply, QuarantinedItem
from storage.postgres_base import PgAccess
from storage.rows import campaign_of, quarantined_item

_DELIVERY_STATES = tuple(status.value for status in DeliveryStatus)
_STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


class MessageTables(PgAccess):
    # --- replies until the platform has them ----------------------------------------------

    def queue_replies(
        self, channel: str, user_id: str, language: str, bodies: list[str], at: datetime
    ) -> list[int]:
        return [
            self._id(
                "insert into outbound (channel, user_id, language, body, created_at)"
                " values (%s, %s, %s, %s, %s) returning id",
                [channel, user_id, language, body, at.isoformat()],
            )
            for body in bodies
        ]

    def _id(self, sql: Any, params: list[object]) -> int:
        row = self._one(sql, params)
        assert row is not None
        return int(row[0])

    def pending_replies(
        self, channel: str, limit: int = 500, written_before: datetime | None = None
    ) -> list[PendingReply]:
        before = written_before.isoformat() if written_before else "9999"
        return [
            PendingReply(id=row[0], user_id=row[1], language=row[2], body=row[3])
            for row in self._rows(
                "select id, user_id, language, body from outbound where channel = %s"
                " and created_at < %s order by id limit %s",
                [channel, before, limit],
            )
        ]

    def forget_replies(self, reply_ids: list[int]) -> None:
        self._run("delete from outbound where id = any(%s)", [reply_ids])

    # --- the webhook inbox ---------------------------------------------------------------

    def store_webhook(
        self, channel: str, body: str, at: datetime, external_id: str | None = None
    ) -> int:
        return self._id(
            "insert into webhook_inbox (channel, body, received_at, external_id)"
            " values (%s, %s, %s, %s) returning id",
            [channel, body, at.isoformat(), external_id],
        )

    def unprocessed_webhooks(
        self, channel: str, limit: int = 100, due_by: datetime | None = None
    ) -> list[InboxItem]:
        return [
            InboxItem(id=row[0], body=row[1], attempts=row[2])
            for row in self._rows(
                "select id, body, attempts from webhook_inbox where channel = %s"
                " and processed_at is null and quarantined_at is null and external_id is null"
                " and (%s::text is null or coalesce(next_attempt_at, '') <= %s)"
                " order by id limit %s",
                [channel, *[due_by.isoformat() if due_by else None] * 2, limit],
            )
        ]

    def mark_webhook_processed(self, inbox_id: int, at: datetime) -> None:
        self._run(
            "update webhook_inbox set processed_at = %s, body = '', last_error = null"
            " where id = %s",
            [at.isoformat(), inbox_id],
        )

    def webhook_failed(
        self, inbox_id: int, error: str, at: datetime, *, retry_at: datetime | None
    ) -> None:
        self._run(
            "update webhook_inbox set attempts = attempts + 1, last_error = %s,"
            " next_attempt_at = %s, quarantined_at = %s where id = %s",
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
        row = self._one(
            "insert into webhook_inbox (channel, external_id, body, received_at, attempts,"
            " last_error) values (%s, %s, %s, %s, 1, %s) on conflict (channel, external_id)"
            " where external_id is not null do update set"
            " attempts = webhook_inbox.attempts + 1, last_error = excluded.last_error"
            " returning id, attempts",
            [channel, external_id, body, at.isoformat(), error[:500]],
        )
        assert row is not None
        return int(row[0]), int(row[1])

    def quarantine(self, inbox_id: int, body: str, at: datetime) -> None:
        self._run(
            "update webhook_inbox set quarantined_at = %s, body = %s where id = %s",
            [at.isoformat(), body, inbox_id],
        )

    def quarantined(self) -> list[QuarantinedItem]:
        return [
            quarantined_item(row)
            for row in self._dicts(
                "select * from webhook_inbox where quarantined_at is not null order by id"
            )
        ]

    def release_quarantined(self, inbox_id: int) -> bool:
        changed = self._run(
            "update webhook_inbox set quarantined_at = null, attempts = 0,"
            " next_attempt_at = null, external_id = null"
            " where id = %s and quarantined_at is not null",
            [inbox_id],
        )
        return changed == 1

    # --- delivery statuses and the last inbound message -------------------------------------

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
        row = self._one(
            "select status from message_statuses where channel = %s and message_id = %s for update",
            [channel, message_id],
        )
        if row is not None and _STATUS_RANK.get(row[0], 0) >= _STATUS_RANK.get(status, 0):
            return
        self._run(
            "insert into message_statuses"
            " (channel, message_id, user_id, status, error_code, updated_at)"
            " values (%s, %s, %s, %s, %s, %s) on conflict (channel, message_id) do update set"
            " status = excluded.status, error_code = excluded.error_code,"
            " updated_at = excluded.updated_at",
            [channel, message_id, user_id, status, error_code, at.isoformat()],
        )

    def message_status(self, channel: str, message_id: str) -> tuple[str, int | None] | None:
        row = self._one(
            "select status, error_code from message_statuses"
            " where channel = %s and message_id = %s",
            [channel, message_id],
        )
        return (row[0], row[1]) if row is not None else None

    def record_inbound(self, channel: str, user_id: str, at: datetime) -> None:
        self._run(
            "insert into last_inbound (channel, user_id, at) values (%s, %s, %s)"
            " on conflict (channel, user_id) do update set"
            " at = greatest(last_inbound.at, excluded.at)",
            [channel, user_id, at.isoformat()],
        )

    def last_inbound(self, channel: str, user_id: str) -> datetime | None:
        row = self._one(
            "select at from last_inbound where channel = %s and user_id = %s", [channel, user_id]
        )
        return datetime.fromisoformat(row[0]) if row is not None else None

    # --- requests to talk to a person -------------------------------------------------------

    def add_person_request(
        self, key: ConversationKey, *, reference: str | None, kind: str, step: str, at: datetime
    ) -> None:
        self._run(
            "insert into person_requests (channel, user_id, reference, kind, step, created_at)"
            " values (%s, %s, %s, %s, %s, %s)",
            [key.channel, key.user_id, reference, kind, step, at.isoformat()],
        )

    # --- awareness: consent, subscribers, campaigns, deliveries ------------------------------

    def log_consent(
        self, key: ConversationKey, *, subscribed: bool, language: str, how: str, at: datetime
    ) -> None:
        self._run(
            "insert into consent_log (channel, user_id, subscribed, language, how, at)"
            " values (%s, %s, %s, %s, %s, %s)",
            [key.channel, key.user_id, int(subscribed), language, how, at.isoformat()],
        )

    def consent_history(self, key: ConversationKey) -> list[dict[str, Any]]:
        return self._dicts(
            "select subscribed, language, how, at from consent_log"
            " where channel = %s and user_id = %s order by id",
            [key.channel, key.user_id],
        )

    def subscription_language(self, key: ConversationKey) -> str | None:
        row = self._one(
            "select language from subscriptions"
            " where channel = %s and user_id = %s and subscribed = 1",
            [key.channel, key.user_id],
        )
        return str(row[0]) if row is not None else None

    def subscriber_count(self) -> int:
        row = self._one("select count(*) from subscriptions where subscribed = 1")
        return int(row[0]) if row else 0

    def create_campaign(
        self,
        *,
        kind: str,
        created_by: str,
        at: datetime,
        send_at: datetime,
        library_key: str | None = None,
        text_en: str | None = None,
        text_hi: str | None = None,
        slot: str | None = None,
    ) -> int | None:
        row = self._one(
            "insert into campaigns (kind, library_key, text_en, text_hi, slot, created_by,"
            " created_at, send_at) values (%s, %s, %s, %s, %s, %s, %s, %s)"
            " on conflict do nothing returning id",
            [
                *(kind, library_key, text_en, text_hi, slot, created_by),
                *(at.isoformat(), send_at.isoformat()),
            ],
        )
        return int(row[0]) if row is not None else None

    def expand_due_campaigns(self, now: datetime) -> list[int]:
        due = [
            int(row[0])
            for row in self._rows(
                "select id from campaigns where expanded_at is null and send_at <= %s"
                " order by send_at, id for update",
                [now.isoformat()],
            )
        ]
        for campaign_id in due:
            self._run(
                "insert into deliveries (campaign_id, channel, user_id, language)"
                " select %s, channel, user_id, coalesce(language, 'hi') from subscriptions"
                " where subscribed = 1 order by channel, user_id on conflict do nothing",
                [campaign_id],
            )
            self._run(
                "update campaigns set expanded_at = %s where id = %s",
                [now.isoformat(), campaign_id],
            )
        return due

    def pending_deliveries(
        self, channel: str, *, after_id: int = 0, limit: int = 100
    ) -> list[Delivery]:
        return [
            Delivery(id=row[0], campaign_id=row[1], channel=row[2], user_id=row[3], language=row[4])
            for row in self._rows(
                "select id, campaign_id, channel, user_id, language from deliveries"
                " where status = 'pending' and channel = %s and id > %s order by id limit %s",
                [channel, after_id, limit],
            )
        ]

    def finish_delivery(
        self, delivery_id: int, status: str, at: datetime, error: str | None = None
    ) -> None:
        if status not in _DELIVERY_STATES[1:]:
            raise ValueError(f"not a final delivery state: {status}")
        self._run(
            "update deliveries set status = %s, attempts = attempts + 1, updated_at = %s,"
            " error = %s where id = %s and status = 'pending'",
            [status, at.isoformat(), error, delivery_id],
        )

    def finish_campaigns(self, now: datetime) -> list[int]:
        return [
            int(row[0])
            for row in self._rows(
                "update campaigns c set finished_at = %s where c.expanded_at is not null"
                " and c.finished_at is null and not exists (select 1 from deliveries d"
                " where d.campaign_id = c.id and d.status = 'pending') returning c.id",
                [now.isoformat()],
            )
        ]

    def get_campaign(self, campaign_id: int) -> Campaign | None:
        rows = self._dicts("select * from campaigns where id = %s", [campaign_id])
        return campaign_of(rows[0]) if rows else None

    def campaign_progress(self, campaign_ids: list[int] | None = None) -> list[CampaignProgress]:
        counts: dict[int, dict[str, int]] = {}
        for campaign_id, status, count in self._rows(
            "select campaign_id, status, count(*) from deliveries"
            " where %s::bigint[] is null or campaign_id = any(%s) group by campaign_id, status",
            [campaign_ids, campaign_ids],
        ):
            counts.setdefault(campaign_id, {})[status] = count
        rows = self._dicts(
            "select * from campaigns where %s::bigint[] is null or id = any(%s) order by id",
            [campaign_ids, campaign_ids],
        )
        progress = []
        for row in rows:
            found = counts.get(row["id"], {})
            states = {state: found.get(state, 0) for state in _DELIVERY_STATES}
            progress.append(CampaignProgress(campaign_of(row), states))
        return progress
