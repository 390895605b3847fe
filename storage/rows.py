"""How the parts of a complaint become rows: shared by every store so that SQLite and any
other backend write the same columns the same way."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.domain.awareness import Campaign
from bot.domain.complaint import ComplaintSummary, Suspect, Transaction
from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey
from bot.domain.payments import Precision
from storage.base import OutboxJob, QuarantinedItem, StatusChange

FAST_TRACK_WINDOW = timedelta(hours=24)
# Kept as they were when a complaint is saved again (status changes come from the police
# or the reporting system, and a complaint is created once).
KEPT_ON_UPDATE = frozenset({"reference", "status", "created_at"})


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


TRANSACTION_COLUMNS = (
    "amount",
    "mode",
    "transaction_id",
    "bank",
    "occurred_at",
    "occurred_precision",
    "account_last_digits",
    "receiver_upi",
    "receiver_account",
    "receiver_ifsc",
    "receiver_name",
    "source",
)


def transaction_row(tx: Transaction) -> tuple[str | None, ...]:
    """One debit as stored, in the order of `TRANSACTION_COLUMNS`."""
    return (
        f"{tx.amount:.2f}" if tx.amount is not None else None,
        tx.mode.value if tx.mode else None,
        tx.transaction_id,
        tx.bank,
        iso(tx.occurred_at),
        precision_of(tx.occurred_at, tx.occurred_precision),
        tx.account_last_digits,
        tx.receiver_upi,
        tx.receiver_account,
        tx.receiver_ifsc,
        tx.receiver_name,
        tx.source.value,
    )


def precision_of(moment: datetime | None, precision: Precision | None) -> str | None:
    """How exactly `moment` is known; a moment stored before precision was kept was read
    to the minute."""
    if moment is None:
        return None
    return (precision or Precision.MINUTE).value


def suspect_rows(suspect: Suspect) -> list[tuple[str, str, str | None]]:
    """(kind, value, ifsc) for every suspect identifier, in a stable order."""
    return [
        *(("mobile", value, None) for value in suspect.mobiles),
        *(("upi_id", value, None) for value in suspect.upi_ids),
        *(("bank_account", a.account_number, a.ifsc) for a in suspect.bank_accounts),
        *(("url", value, None) for value in suspect.urls),
        *(("other", value, None) for value in suspect.other),
    ]


def complaint_row(
    key: ConversationKey,
    state: Conversation,
    reference: str,
    at: datetime,
    *,
    created_at: str,
    submitted_at: str | None,
) -> dict[str, Any]:
    """The complaint's own row, given when it was first created and submitted."""
    draft = state.draft
    fast_track = draft.lost_at is not None and (
        datetime.fromisoformat(created_at) - draft.lost_at < FAST_TRACK_WINDOW
    )
    return {
        "reference": reference,
        "channel": key.channel,
        "user_id": key.user_id,
        "language": state.language.value if state.language else "hi",
        "status": "registered",
        "stage": "complete" if submitted_at else "registered",
        "fast_track": int(fast_track),
        "category": draft.category,
        "incident_at": iso(draft.lost_at),
        "incident_precision": precision_of(draft.lost_at, draft.lost_at_precision),
        "total_amount": f"{draft.total_amount():.2f}",
        "mobile": draft.mobile,
        "name": draft.name,
        "state": draft.state_code,
        "district": draft.district,
        "description": draft.description,
        "consent_at": iso(draft.consent_at),
        "created_at": created_at,
        "updated_at": at.isoformat(),
        "submitted_at": submitted_at,
        # The first message of the visit, for the desk's minutes to the complaint number.
        "started_at": iso(draft.created_at) or created_at,
    }


def outbox_job(row: dict[str, Any]) -> OutboxJob:
    return OutboxJob(
        id=row["id"],
        reference=row["reference"],
        version=row["version"],
        stage=row["stage"],
        payload=json.loads(row["payload"]),
        status=row["status"],
        attempts=row["attempts"],
        created_at=datetime.fromisoformat(row["created_at"]),
        deadline_at=datetime.fromisoformat(row["deadline_at"]),
        next_attempt_at=datetime.fromisoformat(row["next_attempt_at"]),
        last_error=row["last_error"],
    )


def campaign_of(row: dict[str, Any]) -> Campaign:
    def moment(name: str) -> datetime | None:
        value = row[name]
        return datetime.fromisoformat(value) if value else None

    created_at, send_at = moment("created_at"), moment("send_at")
    assert created_at is not None and send_at is not None
    return Campaign(
        id=row["id"],
        kind=row["kind"],
        library_key=row["library_key"],
        text_en=row["text_en"],
        text_hi=row["text_hi"],
        created_by=row["created_by"],
        created_at=created_at,
        send_at=send_at,
        expanded_at=moment("expanded_at"),
        finished_at=moment("finished_at"),
    )


# The columns `complaint_summary` reads, for both backends' queries.
SUMMARY_COLUMNS = "reference, created_at, total_amount, status, stage, status_note"


def complaint_summary(row: dict[str, Any]) -> ComplaintSummary:
    return ComplaintSummary(
        reference=row["reference"],
        created_at=datetime.fromisoformat(row["created_at"]),
        total_amount=Decimal(row["total_amount"]),
        status=row["status"],
        complete=row["stage"] == "complete",
        note=row["status_note"] or "",
    )


def status_change(reference: str, status: str, note: str, row: dict[str, Any]) -> StatusChange:
    """The change applied, addressed to the complaint's owner (`row`: their complaint)."""
    return StatusChange(
        reference=reference,
        status=status,
        note=note,
        channel=row["channel"],
        user_id=row["user_id"],
        language=row["language"],
    )


def quarantined_item(row: dict[str, Any]) -> QuarantinedItem:
    return QuarantinedItem(
        id=row["id"],
        channel=row["channel"],
        body=row["body"],
        attempts=row["attempts"],
        last_error=row["last_error"] or "",
        received_at=datetime.fromisoformat(row["received_at"]),
        quarantined_at=datetime.fromisoformat(row["quarantined_at"]),
    )
