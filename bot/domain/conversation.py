"""Where one person is in the conversation and everything they answered.

Stored as JSON after every message, so it must survive a restart and a reader of a later
version; every field has a default for that reason.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bot.domain.complaint import Draft
from bot.domain.messages import Language
from bot.domain.payments import PaymentText

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
        "new_confirm",
        "stop_which",
    }
)


class Unconfirmed(BaseModel):
    """A reading waiting for the person's one tap at `step` (see `UnsureReading`)."""

    step: str
    kind: str
    value: str
    why: str = ""


class Conversation(BaseModel):
    """One person's conversation: the step they are on, their language, their draft."""

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
    # The first message of this visit (after a silence longer than the resume window):
    # where "minutes from the first message to the complaint number" starts.
    visit_started_at: datetime | None = None
    phone_hint: str | None = None
    unsure: Unconfirmed | None = None
    # Payments read from a pasted SMS or a screenshot, shown on a card until accepted.
    read_payments: list[PaymentText] = Field(default_factory=list)
    card_from: str | None = None  # the step the card interrupted ("no" goes back there)
    card_source: str | None = None  # "sms" or "screenshot": where the card's debits came from
    held_text: str | None = None  # the first message, kept while the language is asked
    held_screenshot: bool = False  # ...or a payment screenshot (its debits: read_payments)
    # Values read from earlier words ("mere account se 5000 kat gaye" before the language
    # was chosen) and offered as a one-tap answer where they belong: never stored unasked.
    hints: dict[str, str] = Field(default_factory=dict)

    def clone(self) -> Conversation:
        """A deep copy, five times cheaper than `model_copy(deep=True)` (which walks
        pydantic's internals through `copy.deepcopy`): the engine copies the state on
        every message (measured with bench/telegram_webhook.py --profile)."""
        return Conversation.model_validate(self.model_dump())

    def in_complaint(self) -> bool:
        return self.step not in NOT_IN_COMPLAINT
