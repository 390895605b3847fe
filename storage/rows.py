"""How the parts of a complaint become rows: shared by every store so that SQLite and any
other backend write the same columns the same way."""

from __future__ import annotations

from datetime import datetime

from bot.domain.complaint import Suspect, Transaction
from bot.domain.payments import Precision


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
