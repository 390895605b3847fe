"""The complaint a victim is writing: debits, suspect identifiers, evidence, who and where.

Plain serialisable data, stored as part of the conversation after every message, so it
must survive a restart and a reader of a later version: every field has a default, and
renamed fields still accept their old names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import AliasChoices, BaseModel, Field

from bot.domain.parsing.identifiers import PaymentMode
from bot.domain.payments import Precision


class DebitSource(StrEnum):
    """Where a debit's values came from: typed answers, or a message the person pasted or
    photographed (the police weigh an SMS differently from a remembered amount)."""

    TYPED = "typed"
    SMS = "sms"
    SCREENSHOT = "screenshot"


class Transaction(BaseModel):
    """One debit; fields stay None until answered, so a half-entered debit is a draft."""

    amount: Decimal | None = None
    mode: PaymentMode | None = None
    transaction_id: str | None = None
    bank: str | None = None
    occurred_at: datetime | None = None
    # None for debits stored before precision was kept: they were read to the minute.
    occurred_precision: Precision | None = None
    account_last_digits: str | None = None  # the victim's account, as the SMS masks it
    receiver_upi: str | None = None
    receiver_account: str | None = None
    receiver_ifsc: str | None = None
    receiver_name: str | None = None
    source: DebitSource = DebitSource.TYPED


class BankAccount(BaseModel):
    account_number: str
    ifsc: str | None = None


class Suspect(BaseModel):
    mobiles: list[str] = Field(default_factory=list)
    upi_ids: list[str] = Field(default_factory=list)
    bank_accounts: list[BankAccount] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list)
    other: list[str] = Field(default_factory=list)

    def count(self) -> int:
        return (
            len(self.mobiles)
            + len(self.upi_ids)
            + len(self.bank_accounts)
            + len(self.urls)
            + len(self.other)
        )


class Evidence(BaseModel):
    file_ref: str
    sha256: str = ""
    mime_type: str
    size_bytes: int
    kind: str = "photo"


class Draft(BaseModel):
    """The complaint being written. After registration it mirrors the stored complaint."""

    category: str | None = None
    lost_at: datetime | None = None
    lost_at_precision: Precision | None = None  # None: stored before precision was kept
    transactions: list[Transaction] = Field(default_factory=list)
    pending_tx: Transaction | None = None
    editing_tx: int | None = None
    mobile: str | None = None
    suspect: Suspect = Field(default_factory=Suspect)
    pending_account: str | None = None
    description: str | None = None
    name: str | None = None
    # The Indian state's two-letter code (stored conversations may still call it "state").
    state_code: str | None = Field(
        default=None, validation_alias=AliasChoices("state_code", "state")
    )
    district: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    consent_at: datetime | None = None
    created_at: datetime | None = None
    # No money left their account (an attempt, a threat, blackmail not yet paid): the
    # complaint has no debits and the money questions are not asked.
    no_loss: bool = False

    def total_amount(self) -> Decimal:
        return sum((tx.amount or Decimal(0) for tx in self.transactions), Decimal(0))

    def has_answers(self) -> bool:
        return self.category is not None or bool(self.transactions) or self.lost_at is not None


@dataclass(frozen=True, slots=True)
class ComplaintSummary:
    """What a status answer shows about one of the asker's own complaints."""

    reference: str
    created_at: datetime
    total_amount: Decimal
    status: str
    complete: bool
    note: str = ""
