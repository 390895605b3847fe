"""The conversation state: what one person has said so far, as plain serialisable data.

Stored as JSON after every message, so it must survive a restart and a schema reader of
a later version; every field has a default for that reason.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from bot.model import Language
from bot.parsing.identifiers import PaymentMode


class Transaction(BaseModel):
    """One debit; fields stay None until answered, so a half-entered debit is a draft."""

    amount: Decimal | None = None
    mode: PaymentMode | None = None
    transaction_id: str | None = None
    bank: str | None = None
    occurred_at: datetime | None = None


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
    transactions: list[Transaction] = Field(default_factory=list)
    pending_tx: Transaction | None = None
    editing_tx: int | None = None
    mobile: str | None = None
    suspect: Suspect = Field(default_factory=Suspect)
    pending_account: str | None = None
    description: str | None = None
    name: str | None = None
    state: str | None = None
    district: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    consent_at: datetime | None = None
    created_at: datetime | None = None

    def total_amount(self) -> Decimal:
        return sum((tx.amount or Decimal(0) for tx in self.transactions), Decimal(0))

    def has_answers(self) -> bool:
        return self.category is not None or bool(self.transactions) or self.lost_at is not None


NOT_IN_COMPLAINT = frozenset(
    {
        "start",
        "language",
        "menu",
        "resume",
        "awareness",
        "awareness_offer",
        "broadcast_en",
        "broadcast_hi",
        "broadcast_confirm",
    }
)


class ConversationState(BaseModel):
    """Where one person is in the conversation and everything they answered."""

    step: str = "start"
    language: Language | None = None
    draft: Draft = Field(default_factory=Draft)
    history: list[str] = Field(default_factory=list)
    return_to: str | None = None
    reference: str | None = None
    paused_step: str | None = None
    pending_intent: str | None = None
    last_choice: str | None = None
    subscribed: bool = False
    asked_once: list[str] = Field(default_factory=list)
    broadcast_en: str | None = None  # an operator's campaign being written
    broadcast_hi: str | None = None
    last_activity: datetime | None = None
    phone_hint: str | None = None

    def in_complaint(self) -> bool:
        return self.step not in NOT_IN_COMPLAINT
