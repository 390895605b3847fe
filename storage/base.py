"""The storage contract every backend fulfils (SQLite today; the contract tests in
`tests/storage_contract.py` are what a second backend must pass).

The caller owns the transaction: it opens `transaction()` around one inbound message and
calls the other methods inside it, so an answer, the message id that carried it and any
complaint it registered are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.domain.awareness import Campaign
from bot.domain.complaint import ComplaintSummary
from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey

ComplaintRecord = dict[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxJob:
    """One version of one complaint waiting to be pushed to the reporting system."""

    id: int
    reference: str
    version: int
    stage: str
    payload: dict[str, Any]
    status: str
    attempts: int
    created_at: datetime
    deadline_at: datetime
    next_attempt_at: datetime
    last_error: str | None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """An applied status change, with who must be told and in which language."""

    reference: str
    status: str
    note: str
    channel: str
    user_id: str
    language: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to a person that no conversation prompted (a status notice)."""

    id: int
    channel: str
    user_id: str
    reference: str | None
    text: str


@dataclass(frozen=True, slots=True)
class PendingReply:
    """A reply committed with the conversation and not yet handed to its platform."""

    id: int
    user_id: str
    language: str  # the conversation's, when the reply was written
    body: str  # bot.domain.messages.outbound_to_json


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A raw webhook body accepted from a platform and not yet processed."""

    id: int
    body: str
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class QuarantinedItem:
    """A body or update that failed too often, kept for an operator."""

    id: int
    channel: str
    body: str
    attempts: int
    last_error: str
    received_at: datetime
    quarantined_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """One campaign's message to one subscriber, in the language they chose."""

    id: int
    campaign_id: int
    channel: str
    user_id: str
    language: str


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    campaign: Campaign
    counts: dict[str, int]  # pending, sent, failed, unsubscribed

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Store(Protocol):
    # How many calls may run at once, each on a thread of its own (0: on the caller's
    # thread, for a store whose calls never wait long: SQLite).
    threads: int

    def transaction(self) -> AbstractContextManager[None]:
        """One atomic unit of work; writers are serialised."""

    def try_lead(self, role: str) -> bool:
        """Whether this process does `role`'s work now (the outbox, campaigns, polling):
        takes, or confirms it still holds, a lock that ends with the process, however it
        ends. True always on SQLite, where one bot process owns the database."""

    def claim_message(self, channel: str, message_id: str, at: datetime) -> bool:
        """Records a message id; False if it was seen before (a redelivery)."""

    def load_conversation(self, key: ConversationKey) -> Conversation | None: ...

    def save_conversation(
        self, key: ConversationKey, state: Conversation, at: datetime
    ) -> None: ...

    def next_reference_sequence(self, year: int) -> int:
        """1, 2, 3 ... per year; never the same number twice, even across processes."""

    def save_complaint(
        self, key: ConversationKey, state: Conversation, at: datetime, *, submitted: bool
    ) -> None:
        """Creates or updates the complaint `state.reference` from the conversation."""

    def complaints_of(self, key: ConversationKey) -> list[ComplaintSummary]: ...

    def get_complaint(self, reference: str) -> ComplaintRecord | None:
        """The complaint with its transactions, suspect identifiers and evidence."""

    def iter_complaints(self) -> Iterator[ComplaintRecord]: ...

    def set_subscription(
        self, key: ConversationKey, *, subscribed: bool, language: str, how: str, at: datetime
    ) -> None: ...

    def add_person_request(
        self, key: ConversationKey, *, reference: str | None, kind: str, step: str, at: datetime
    ) -> None:
        """They asked to talk to a person (`kind`), at `step`, on this complaint if any."""

    def mark_unreachable(self, key: ConversationKey, *, reason: str, at: datetime) -> None:
        """The platform refuses delivery (blocked): also ends the awareness subscription."""

    def is_unreachable(self, key: ConversationKey) -> bool: ...

    def mark_reachable(self, key: ConversationKey) -> None:
        """They wrote to us again, so they can be messaged again."""

    def close(self) -> None: ...

    def is_busy(self, error: BaseException) -> bool:
        """Whether `error` means another process holds the lock (try again later)."""

    def purge(self, *, records_before: datetime) -> int:
        """Forgets message ids and applied webhook rows older than `records_before`."""

    def referenced_files(self) -> set[str]:
        """Every evidence file a complaint or a draft still refers to."""

    def checkpoint(self) -> None:
        """Lets go of old copies of erased data (SQLite: truncates the write-ahead log)."""

    # --- reporting: outbox, status, notices ------------------------------------------------

    def enqueue_push(
        self, reference: str, stage: str, payload: dict[str, Any], at: datetime, max_age: timedelta
    ) -> int:
        """Queues the next version of a complaint for the reporting system."""

    def due_jobs(self, now: datetime, limit: int = 20) -> list[OutboxJob]: ...

    def next_attempt_at(self) -> datetime | None: ...

    def mark_delivered(self, job_id: int, at: datetime, remote_id: str | None) -> None: ...

    def mark_retry(self, job_id: int, next_attempt: datetime, error: str) -> None: ...

    def mark_dead(self, job_id: int, error: str) -> None: ...

    def list_outbox(self, status: str | None = None) -> list[OutboxJob]: ...

    def retry_job(self, job_id: int, now: datetime, max_age: timedelta) -> bool: ...

    def apply_status(
        self,
        reference: str,
        status: str,
        note: str,
        updated_at: datetime,
        *,
        source: str,
        received_at: datetime,
        force: bool = False,
    ) -> StatusChange | None:
        """None when the change is not newer than the last one applied (unless `force`:
        an operator's repair, applied whatever the recorded time)."""

    def queue_notice(
        self, channel: str, user_id: str, reference: str | None, text: str, at: datetime
    ) -> int: ...

    def pending_notices(self, channel: str, limit: int = 50) -> list[Notice]: ...

    def mark_notice(self, notice_id: int, *, sent: bool, at: datetime, error: str = "") -> None: ...

    # --- channels: replies until sent, webhook inbox, delivery statuses, last inbound -----

    def queue_replies(
        self, channel: str, user_id: str, language: str, bodies: list[str], at: datetime
    ) -> list[int]:
        """Keeps replies (in the caller's transaction) until `forget_replies`; their ids."""

    def pending_replies(
        self, channel: str, limit: int = 500, written_before: datetime | None = None
    ) -> list[PendingReply]:
        """Replies still to send, oldest first (after a crash: the ones it interrupted)."""

    def forget_replies(self, reply_ids: list[int]) -> None:
        """The platform has these (or will never take them): nothing to send again."""

    def store_webhook(
        self, channel: str, body: str, at: datetime, external_id: str | None = None
    ) -> int:
        """Keeps an accepted webhook body until it is processed; returns its id."""

    def unprocessed_webhooks(
        self, channel: str, limit: int = 100, due_by: datetime | None = None
    ) -> list[InboxItem]: ...

    def mark_webhook_processed(self, inbox_id: int, at: datetime) -> None:
        """Applied: the raw body is erased (it may hold what a person typed)."""

    def webhook_failed(
        self, inbox_id: int, error: str, at: datetime, *, retry_at: datetime | None
    ) -> None:
        """One more failed attempt; without `retry_at` the body is quarantined."""

    def update_failed(
        self, channel: str, external_id: str, body: str, error: str, at: datetime
    ) -> tuple[int, int]:
        """A platform update failed once more: (its inbox id, how often it has failed)."""

    def quarantine(self, inbox_id: int, body: str, at: datetime) -> None: ...

    def quarantined(self) -> list[QuarantinedItem]: ...

    def release_quarantined(self, inbox_id: int) -> bool: ...

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
        """sent, delivered, read, failed per outbound message; never moves backwards."""

    def message_status(self, channel: str, message_id: str) -> tuple[str, int | None] | None: ...

    def record_inbound(self, channel: str, user_id: str, at: datetime) -> None: ...

    def last_inbound(self, channel: str, user_id: str) -> datetime | None: ...

    # --- awareness: subscriptions, campaigns, deliveries ----------------------------------

    def subscription_language(self, key: ConversationKey) -> str | None:
        """The language of an active subscription; None when not subscribed."""

    def subscriber_count(self) -> int: ...

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
        """A new campaign's id; None when a campaign for `slot` exists already."""

    def expand_due_campaigns(self, now: datetime) -> list[int]:
        """Turns every due campaign into one pending delivery per current subscriber."""

    def pending_deliveries(
        self, channel: str, *, after_id: int = 0, limit: int = 100
    ) -> list[Delivery]: ...

    def finish_delivery(
        self, delivery_id: int, status: str, at: datetime, error: str | None = None
    ) -> None:
        """Final state of one delivery: sent, failed or unsubscribed."""

    def finish_campaigns(self, now: datetime) -> list[int]:
        """Marks expanded campaigns with nothing pending as finished; returns their ids."""

    def get_campaign(self, campaign_id: int) -> Campaign | None: ...

    def campaign_progress(self, campaign_ids: list[int] | None = None) -> list[CampaignProgress]:
        """Delivery counts per status for the given campaigns (all when None)."""
