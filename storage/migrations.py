"""Numbered schema migrations, applied at start-up and recorded in the database.

Append new migrations at the end; never edit one that has shipped. Each runs inside the
same transaction as its record, so a crash mid-migration leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlite_utils import Database

Migration = Callable[[Database], None]


def _initial_schema(db: Database) -> None:
    db.table("conversations").create(
        {"channel": str, "user_id": str, "language": str, "state": str, "updated_at": str},
        pk=("channel", "user_id"),
    )
    db.table("processed_messages").create(
        {"channel": str, "message_id": str, "processed_at": str}, pk=("channel", "message_id")
    )
    db.table("reference_counters").create({"year": int, "last": int}, pk="year")
    db.table("complaints").create(
        {
            "reference": str,
            "channel": str,
            "user_id": str,
            "language": str,
            "status": str,
            "stage": str,
            "fast_track": int,
            "category": str,
            "incident_at": str,
            "total_amount": str,
            "mobile": str,
            "name": str,
            "state": str,
            "district": str,
            "description": str,
            "consent_at": str,
            "created_at": str,
            "updated_at": str,
            "submitted_at": str,
        },
        pk="reference",
        not_null={"channel", "user_id", "status", "stage", "created_at", "updated_at"},
    )
    db.table("complaints").create_index(["channel", "user_id"])
    db.table("transactions").create(
        {
            "reference": str,
            "position": int,
            "amount": str,
            "mode": str,
            "transaction_id": str,
            "bank": str,
            "occurred_at": str,
        },
        pk=("reference", "position"),
        foreign_keys=[("reference", "complaints", "reference")],
    )
    db.table("suspect_identifiers").create(
        {"reference": str, "position": int, "kind": str, "value": str, "ifsc": str},
        pk=("reference", "position"),
        foreign_keys=[("reference", "complaints", "reference")],
    )
    db.table("evidence").create(
        {
            "reference": str,
            "position": int,
            "file_ref": str,
            "sha256": str,
            "mime_type": str,
            "size_bytes": int,
            "kind": str,
        },
        pk=("reference", "position"),
        foreign_keys=[("reference", "complaints", "reference")],
    )
    db.table("subscriptions").create(
        {
            "channel": str,
            "user_id": str,
            "language": str,
            "subscribed": int,
            "how": str,
            "changed_at": str,
        },
        pk=("channel", "user_id"),
    )


def _reporting(db: Database) -> None:
    """Outbox of pushes to the reporting system, status history, notices to victims."""
    complaints = db.table("complaints")
    complaints.add_column("version", int)
    complaints.add_column("remote_id", str)
    complaints.add_column("status_note", str)
    complaints.add_column("status_updated_at", str)
    db.table("outbox").create(
        {
            "id": int,
            "reference": str,
            "version": int,
            "stage": str,
            "payload": str,
            "status": str,
            "attempts": int,
            "created_at": str,
            "deadline_at": str,
            "next_attempt_at": str,
            "last_error": str,
            "delivered_at": str,
        },
        pk="id",
        not_null={"reference", "version", "payload", "status", "created_at", "next_attempt_at"},
    )
    db.table("outbox").create_index(["reference", "version"], unique=True)
    db.table("outbox").create_index(["status", "next_attempt_at"])
    db.table("status_events").create(
        {
            "id": int,
            "reference": str,
            "status": str,
            "note": str,
            "updated_at": str,
            "received_at": str,
            "source": str,
        },
        pk="id",
        foreign_keys=[("reference", "complaints", "reference")],
    )
    db.table("notices").create(
        {
            "id": int,
            "channel": str,
            "user_id": str,
            "reference": str,
            "text": str,
            "status": str,
            "created_at": str,
            "sent_at": str,
            "last_error": str,
        },
        pk="id",
        not_null={"channel", "user_id", "text", "status", "created_at"},
    )
    db.table("notices").create_index(["status", "channel"])


def _unreachable(db: Database) -> None:
    """People a platform says we can no longer message (they blocked the bot)."""
    db.table("unreachable").create(
        {"channel": str, "user_id": str, "since": str, "reason": str},
        pk=("channel", "user_id"),
    )


def _whatsapp(db: Database) -> None:
    """WhatsApp: raw signed webhook bodies (stored before the 200, processed from here),
    delivery statuses per outbound message, and each person's last inbound message (the
    24-hour customer-service window)."""
    db.table("webhook_inbox").create(
        {"id": int, "channel": str, "body": str, "received_at": str, "processed_at": str},
        pk="id",
        not_null={"channel", "body", "received_at"},
    )
    db.table("webhook_inbox").create_index(["channel", "processed_at"])
    db.table("message_statuses").create(
        {
            "channel": str,
            "message_id": str,
            "user_id": str,
            "status": str,
            "error_code": int,
            "updated_at": str,
        },
        pk=("channel", "message_id"),
    )
    db.table("last_inbound").create(
        {"channel": str, "user_id": str, "at": str}, pk=("channel", "user_id")
    )


def _awareness(db: Database) -> None:
    """Awareness broadcasts: campaigns (a library message by the schedule, or an operator's
    own text), one delivery row per subscriber (what makes a campaign resumable and each
    person's message exactly-once), and every consent change ever made (who, how, when)."""
    db.table("campaigns").create(
        {
            "id": int,
            "kind": str,  # library | custom
            "library_key": str,
            "text_en": str,
            "text_hi": str,
            "slot": str,  # the scheduler's period, unique: a rotation is created once
            "created_by": str,
            "created_at": str,
            "send_at": str,
            "expanded_at": str,
            "finished_at": str,
        },
        pk="id",
        not_null={"kind", "created_by", "created_at", "send_at"},
    )
    db.table("campaigns").create_index(["slot"], unique=True)
    db.table("deliveries").create(
        {
            "id": int,
            "campaign_id": int,
            "channel": str,
            "user_id": str,
            "language": str,
            "status": str,  # pending | sent | failed | unsubscribed
            "attempts": int,
            "updated_at": str,
            "error": str,
        },
        pk="id",
        not_null={"campaign_id", "channel", "user_id", "language", "status"},
        defaults={"status": "pending", "attempts": 0},
        foreign_keys=[("campaign_id", "campaigns", "id")],
    )
    db.table("deliveries").create_index(["campaign_id", "channel", "user_id"], unique=True)
    db.table("deliveries").create_index(["status", "channel", "id"])
    db.table("consent_log").create(
        {
            "id": int,
            "channel": str,
            "user_id": str,
            "subscribed": int,
            "language": str,
            "how": str,
            "at": str,
        },
        pk="id",
        not_null={"channel", "user_id", "subscribed", "how", "at"},
    )
    db.execute(
        "insert into consent_log (channel, user_id, subscribed, language, how, at)"
        " select channel, user_id, subscribed, language, how, changed_at from subscriptions"
    )


def _outbound(db: Database) -> None:
    """Replies written in the transaction that changed the conversation and deleted once
    the platform has them: a crash between the commit and the send loses no answer."""
    db.table("outbound").create(
        {
            "id": int,
            "channel": str,
            "user_id": str,
            "language": str,
            "body": str,
            "created_at": str,
        },
        pk="id",
        not_null={"channel", "user_id", "language", "body", "created_at"},
    )
    db.table("outbound").create_index(["channel", "id"])


def _quarantine(db: Database) -> None:
    """A stored body or update that keeps failing is retried a few times, then set aside
    (quarantined) for an operator instead of blocking start-up or other people."""
    inbox = db.table("webhook_inbox")
    inbox.add_column("external_id", str)  # a platform's own id (a Telegram update id)
    inbox.add_column("attempts", int, not_null_default=0)
    inbox.add_column("last_error", str)
    inbox.add_column("next_attempt_at", str)
    inbox.add_column("quarantined_at", str)
    db.execute(
        "create unique index webhook_inbox_external on webhook_inbox (channel, external_id)"
        " where external_id is not null"
    )


def _readings(db: Database) -> None:
    """How exactly a moment is known (a date alone is not midnight, "2 days ago" is not a
    minute), what a bank SMS or screenshot said of the victim's account and the receiver,
    where a debit came from, and a person's requests to talk to someone."""
    transactions = db.table("transactions")
    for column in (
        "occurred_precision",
        "account_last_digits",
        "receiver_upi",
        "receiver_account",
        "receiver_ifsc",
        "receiver_name",
        "source",
    ):
        transactions.add_column(column, str)
    db.table("complaints").add_column("incident_precision", str)
    db.table("person_requests").create(
        {
            "id": int,
            "channel": str,
            "user_id": str,
            "reference": str,
            "kind": str,
            "step": str,
            "created_at": str,
        },
        pk="id",
        not_null={"channel", "user_id", "kind", "created_at"},
    )
    db.table("person_requests").create_index(["reference"])


def _desk(db: Database) -> None:
    """The police desk: operators and their sessions, an audit log of every unmasked view
    and change, the money side of each debit (held at which bank, refunded), and when a
    complaint's conversation started (for the time from first message to number)."""
    db.table("operators").create(
        {
            "id": int,
            "name": str,
            "password_hash": str,
            "role": str,  # admin | officer
            "districts": str,  # JSON list; empty for an admin (who sees every district)
            "disabled": int,
            "created_at": str,
            "changed_at": str,
        },
        pk="id",
        not_null={"name", "password_hash", "role", "districts", "created_at"},
        defaults={"disabled": 0, "districts": "[]"},
    )
    db.table("operators").create_index(["name"], unique=True)
    db.table("desk_sessions").create(
        {
            "token_hash": str,  # SHA-256 of the cookie's value: a stolen file opens nothing
            "operator_id": int,
            "csrf": str,
            "created_at": str,
            "expires_at": str,
        },
        pk="token_hash",
        not_null={"operator_id", "csrf", "created_at", "expires_at"},
        foreign_keys=[("operator_id", "operators", "id")],
    )
    db.table("audit_log").create(
        {
            "id": int,
            "at": str,
            "operator": str,
            "action": str,
            "reference": str,
            "detail": str,
            "address": str,
        },
        pk="id",
        not_null={"at", "operator", "action"},
    )
    db.table("audit_log").create_index(["reference"])
    db.table("debit_money").create(
        {
            "reference": str,
            "position": int,
            "held_amount": str,
            "held_bank": str,
            "held_on": str,
            "refunded_amount": str,
            "refunded_on": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk=("reference", "position"),
        foreign_keys=[("reference", "complaints", "reference")],
    )
    db.table("complaints").add_column("started_at", str)
    db.execute("update complaints set started_at = created_at where started_at is null")
    db.table("complaints").create_index(["created_at"])
    db.table("transactions").create_index(["transaction_id"])


MIGRATIONS: tuple[tuple[int, str, Migration], ...] = (
    (1, "initial schema", _initial_schema),
    (2, "reporting outbox, status events, notices", _reporting),
    (3, "unreachable users", _unreachable),
    (4, "webhook inbox, message statuses, last inbound", _whatsapp),
    (5, "awareness campaigns, deliveries, consent log", _awareness),
    (6, "outbound replies until sent", _outbound),
    (7, "webhook inbox: attempts and quarantine", _quarantine),
    (8, "reading precision, receivers, requests for a person", _readings),
    (9, "desk: operators, sessions, audit log, money per debit, conversation start", _desk),
)


def applied(db: Database) -> set[int]:
    if "migrations" not in db.table_names():
        return set()
    return {row["id"] for row in db.query("select id from migrations")}


def migrate(db: Database) -> list[int]:
    """Applies what is missing, in order; returns the numbers applied now."""
    if "migrations" not in db.table_names():
        with db.atomic():
            db.table("migrations").create({"id": int, "name": str, "applied_at": str}, pk="id")
    done = applied(db)
    ran: list[int] = []
    for number, name, migration in MIGRATIONS:
        if number in done:
            continue
        with db.atomic():
            migration(db)
            db.table("migrations").insert(
                {"id": number, "name": name, "applied_at": datetime.now(UTC).isoformat()}
            )
        ran.append(number)
    return ran
