"""The storage contract every backend fulfils (SQLite today; the contract tests in
`tests/storage_contract.py` are what a second backend must pass).

The caller owns the transaction: it opens `transaction()` around one inbound message and
calls the other methods inside it, so an answer, the message id that carried it and any
complaint it registered are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from bot.model import ConversationKey
from handlers.spec import ComplaintSummary
from handlers.state import ConversationState

ComplaintRecord = dict[str, Any]


class Store(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """One atomic unit of work; writers are serialised."""

    def claim_message(self, channel: str, message_id: str, at: datetime) -> bool:
        """Records a message id; False if it was seen before (a redelivery)."""

    def load_conversation(self, key: ConversationKey) -> ConversationState | None: ...

    def save_conversation(
        self, key: ConversationKey, state: ConversationState, at: datetime
    ) -> None: ...

    def next_reference_sequence(self, year: int) -> int:
        """1, 2, 3 ... per year; never the same number twice, even across processes."""

    def save_complaint(
        self, key: ConversationKey, state: ConversationState, at: datetime, *, submitted: bool
    ) -> None:
        """Creates or updates the complaint `state.reference` from the conversation."""

    def complaints_of(self, key: ConversationKey) -> list[ComplaintSummary]: ...

    def get_complaint(self, reference: str) -> ComplaintRecord | None:
        """The complaint with its transactions, suspect identifiers and evidence."""

    def iter_complaints(self) -> Iterator[ComplaintRecord]: ...

    def set_subscription(
        self, key: ConversationKey, *, subscribed: bool, language: str, how: str, at: datetime
    ) -> None: ...

    def close(self) -> None: ...
