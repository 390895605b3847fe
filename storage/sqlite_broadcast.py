"""SQLite tables for awareness broadcasts: campaigns, one delivery row per subscriber,
and the consent log.

A campaign is expanded into its delivery rows in one statement inside one transaction, so
it reaches every subscriber of that moment exactly once (a unique index on campaign,
channel and user backs that up); the sender then moves each row from `pending` to its
final state, which is what lets a killed sender continue where it stopped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.domain.awareness import Campaign
from bot.domain.messages import ConversationKey
from bot.domain.statuses import DeliveryStatus
from storage.base import CampaignProgress, Delivery
from storage.rows import campaign_of

DELIVERY_STATES = tuple(status.value for status in DeliveryStatus)


class BroadcastTables:
    db: Database

    def log_consent(
        self, key: ConversationKey, *, subscribed: bool, language: str, how: str, at: datetime
    ) -> None:
        self.db.execute(
            "insert into consent_log (channel, user_id, subscribed, language, how, at)"
            " values (?, ?, ?, ?, ?, ?)",
            [key.channel, key.user_id, int(subscribed), language, how, at.isoformat()],
        )

    def consent_history(self, key: ConversationKey) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select subscribed, language, how, at from consent_log"
                " where channel = ? and user_id = ? order by id",
                [key.channel, key.user_id],
            )
        )

    def subscription_language(self, key: ConversationKey) -> str | None:
        row = self.db.execute(
            "select language from subscriptions"
            " where channel = ? and user_id = ? and subscribed = 1",
            [key.channel, key.user_id],
        ).fetchone()
        return str(row[0]) if row is not None else None

    def subscriber_count(self) -> int:
        row = self.db.execute("select count(*) from subscriptions where subscribed = 1").fetchone()
        return int(row[0])

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
        cursor = self.db.execute(
            "insert or ignore into campaigns (kind, library_key, text_en, text_hi, slot,"
            " created_by, created_at, send_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                kind,
                library_key,
                text_en,
                text_hi,
                slot,
                created_by,
                at.isoformat(),
                send_at.isoformat(),
            ],
        )
        return int(cursor.lastrowid) if cursor.rowcount == 1 and cursor.lastrowid else None

    def expand_due_campaigns(self, now: datetime) -> list[int]:
        due = [
            int(row[0])
            for row in self.db.execute(
                "select id from campaigns where expanded_at is null and send_at <= ?"
                " order by send_at, id",
                [now.isoformat()],
            ).fetchall()
        ]
        for campaign_id in due:
            self.db.execute(
                "insert or ignore into deliveries (campaign_id, channel, user_id, language)"
                " select ?, channel, user_id, coalesce(language, 'hi') from subscriptions"
                " where subscribed = 1 order by channel, user_id",
                [campaign_id],
            )
            self.db.execute(
                "update campaigns set expanded_at = ? where id = ?", [now.isoformat(), campaign_id]
            )
        return due

    def pending_deliveries(
        self, channel: str, *, after_id: int = 0, limit: int = 100
    ) -> list[Delivery]:
        return [
            Delivery(id=row[0], campaign_id=row[1], channel=row[2], user_id=row[3], language=row[4])
            for row in self.db.execute(
                "select id, campaign_id, channel, user_id, language from deliveries"
                " where status = 'pending' and channel = ? and id > ? order by id limit ?",
                [channel, after_id, limit],
            ).fetchall()
        ]

    def finish_delivery(
        self, delivery_id: int, status: str, at: datetime, error: str | None = None
    ) -> None:
        if status not in DELIVERY_STATES[1:]:
            raise ValueError(f"not a final delivery state: {status}")
        self.db.execute(
            "update deliveries set status = ?, attempts = attempts + 1, updated_at = ?,"
            " error = ? where id = ? and status = 'pending'",
            [status, at.isoformat(), error, delivery_id],
        )

    def finish_campaigns(self, now: datetime) -> list[int]:
        done = [
            int(row[0])
            for row in self.db.execute(
                "select c.id from campaigns c where c.expanded_at is not null"
                " and c.finished_at is null and not exists (select 1 from deliveries d"
                " where d.campaign_id = c.id and d.status = 'pending')"
            ).fetchall()
        ]
        for campaign_id in done:
            self.db.execute(
                "update campaigns set finished_at = ? where id = ?", [now.isoformat(), campaign_id]
            )
        return done

    def get_campaign(self, campaign_id: int) -> Campaign | None:
        rows = self.db.query("select * from campaigns where id = ?", [campaign_id])
        return next((campaign_of(row) for row in rows), None)

    def campaign_progress(self, campaign_ids: list[int] | None = None) -> list[CampaignProgress]:
        params = campaign_ids or []
        counts: dict[int, dict[str, int]] = {}
        for campaign_id, status, count in self.db.execute(
            f"select campaign_id, status, count(*) from deliveries"
            f" {_only('campaign_id', campaign_ids)} group by campaign_id, status",
            params,
        ).fetchall():
            counts.setdefault(campaign_id, {})[status] = count
        progress = []
        query = f"select * from campaigns {_only('id', campaign_ids)} order by id"
        for row in self.db.query(query, params):
            campaign = campaign_of(row)
            found = counts.get(campaign.id, {})
            progress.append(
                CampaignProgress(
                    campaign, {state: found.get(state, 0) for state in DELIVERY_STATES}
                )
            )
        return progress


def _only(column: str, ids: list[int] | None) -> str:
    """A where clause for these ids (placeholders only), or none for all."""
    return "" if ids is None else f"where {column} in ({', '.join('?' * len(ids))})"
