"""Runs the pure conversation core against storage: one inbound message, one transaction.

Everything a message changes (its id, the conversation state, a registered or updated
complaint, a subscription) is committed together, so a crash at any point either loses
the whole message (the channel redelivers it, or the person repeats it) or none of it,
and a redelivered message is never applied twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from bot.domain.clock import Clock, ist_now
from bot.domain.conversation import Conversation
from bot.domain.messages import (
    Attachment,
    ConversationKey,
    Inbound,
    Language,
    Outbound,
    outbound_to_json,
)
from bot.domain.payments import PaymentText
from bot.domain.reference import DEMO_REFERENCE_KEY, make_reference
from bot.service.database import StoreRunner, runner_for
from bot.service.reporting.payload import build_payload
from handlers.engine import current_prompt, handle, reads_screenshots, takes_files
from handlers.screenshot import is_image
from handlers.spec import Context, Effect, Event
from storage.base import Store

log = logging.getLogger(__name__)
# How long a message waits for a database another process has locked: then `Busy`, and
# the platform is asked to deliver it again later (a webhook must answer within seconds).
MESSAGE_PATIENCE = 20.0
_MAX_REFERENCE_TRIES = 100
# Reads a payment screenshot: the payments it shows, None when it could not be read.
ScreenReader = Callable[[Path, datetime], Awaitable[list[PaymentText] | None]]


@dataclass(frozen=True, slots=True)
class QueuedReply:
    """A reply stored with the conversation: send it, then `ReplyLedger.done(id)`."""

    id: int
    outbound: Outbound
    language: Language  # the conversation's: what a channel's own labels are written in


@dataclass(frozen=True, slots=True)
class _Applied:
    replies: list[QueuedReply]
    pushed: bool  # a version of a complaint was queued for the reporting system
    campaign: bool  # an operator queued an awareness campaign


class ConversationService:
    def __init__(
        self,
        store: Store,
        *,
        runner: StoreRunner | None = None,
        clock: Clock = ist_now,
        resume_after: timedelta = timedelta(minutes=30),
        max_attachment_bytes: int = 10 * 1024 * 1024,
        push_max_age: timedelta = timedelta(hours=72),
        on_push_queued: Callable[[], None] | None = None,
        on_campaign: Callable[[], None] | None = None,
        reference_key: bytes = DEMO_REFERENCE_KEY,
        screen_reader: ScreenReader | None = None,
        helpdesk: tuple[str | None, str | None] = (None, None),
    ) -> None:
        """`screen_reader` reads payment screenshots (None: pictures are kept, not read)."""
        self.store = store
        self.screen_reader = screen_reader
        self.helpdesk_phone, self.helpdesk_hours = helpdesk
        self.runner = runner or runner_for(store)
        self.reference_key = reference_key
        self.clock = clock
        self.resume_after = resume_after
        self.max_attachment_bytes = max_attachment_bytes
        self.push_max_age = push_max_age
        self.on_push_queued = on_push_queued
        self.on_campaign = on_campaign
        # One message per person at a time, in the order they reached this process: with
        # a store on threads, a second message could otherwise overtake the first (other
        # processes' messages wait for the conversation's lock in the database).
        self._people: dict[ConversationKey, tuple[asyncio.Lock, list[int]]] = {}

    async def handle(self, inbound: Inbound) -> list[QueuedReply]:
        """Applies one message on the store's thread (the event loop never waits for the
        database); returns the replies to send, already stored (none for a redelivery)."""
        lock, users = self._people.setdefault(inbound.key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:  # a screenshot being read keeps the person's next message behind
                read = await self.read_image(inbound)
                applied = await self.runner.run(
                    lambda store: self._apply(read), patience=MESSAGE_PATIENCE
                )
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._people[inbound.key]
        self._wake(applied)
        return applied.replies

    def process(self, inbound: Inbound) -> list[QueuedReply]:
        """`handle` for callers without an event loop running the store (CLI, tests)."""
        applied = self._apply(inbound)
        self._wake(applied)
        return applied.replies

    def _apply(self, inbound: Inbound) -> _Applied:
        now = self.clock()
        key = inbound.key
        with self.store.transaction():
            if not self.store.claim_message(key.channel, inbound.message_id, now):
                log.info("duplicate message %s from %s ignored", inbound.message_id, key)
                return _Applied([], pushed=False, campaign=False)
            self.store.mark_reachable(key)
            state = self.store.load_conversation(key) or Conversation()
            outcome = handle(inbound, state, self._context(inbound, now))
            pushed = self._persist(key, state, outcome.state, outcome.events, now)
            language = outcome.state.language or Language.HI
            bodies = [outbound_to_json(reply) for reply in outcome.replies]
            ids = self.store.queue_replies(key.channel, key.user_id, language, bodies, now)
        log.info("%s: %s -> %s", key, state.step, outcome.state.step)
        campaign = any(event.effect is Effect.BROADCAST for event in outcome.events)
        replies = [
            QueuedReply(i, reply, language) for i, reply in zip(ids, outcome.replies, strict=True)
        ]
        return _Applied(replies, pushed, campaign)

    def _context(self, inbound: Inbound, now: datetime) -> Context:
        key = inbound.key
        return Context(
            now=now,
            new_reference=lambda: self._new_reference(now.year),
            complaints_of_user=lambda: self.store.complaints_of(key),
            resume_after=self.resume_after,
            max_attachment_bytes=self.max_attachment_bytes,
            operator=inbound.operator,
            subscriber_count=self.store.subscriber_count,
            helpdesk_phone=self.helpdesk_phone,
            helpdesk_hours=self.helpdesk_hours,
        )

    def _new_reference(self, year: int) -> str:
        """The next complaint number. A number an earlier REFERENCE_KEY already gave to
        a complaint is skipped (the sequence moves on), never overwritten or refused."""
        for _ in range(_MAX_REFERENCE_TRIES):
            sequence = self.store.next_reference_sequence(year)
            reference = make_reference(year, sequence, key=self.reference_key)
            if self.store.get_complaint(reference) is None:
                return reference
            log.warning("complaint number for sequence %d is taken (key changed?)", sequence)
        raise RuntimeError("no free complaint number: the reference counter looks corrupt")

    def _wake(self, applied: _Applied) -> None:
        """Background work the message created starts now (called on the event loop)."""
        if applied.pushed and self.on_push_queued is not None:
            self.on_push_queued()
        if applied.campaign and self.on_campaign is not None:
            self.on_campaign()

    async def read_image(self, inbound: Inbound) -> Inbound:
        """The message with the payments its picture shows, read before the core sees it
        (OCR is slow and runs off the event loop; the core stays pure). Only a picture
        the person sends first, or at a money-trail step, is read."""
        payload = inbound.payload
        if (
            self.screen_reader is None
            or not isinstance(payload, Attachment)
            or not payload.file_ref
            or not is_image(payload.mime_type)
        ):
            return inbound

        def check(store: Store) -> bool:
            with store.transaction():
                return reads_screenshots(store.load_conversation(inbound.key))

        if not await self.runner.run(check):
            return inbound
        payments = await self.screen_reader(Path(payload.file_ref), self.clock())
        read = tuple(payments) if payments is not None else None
        log.info("screenshot from %s: %s", inbound.key, "not read" if read is None else len(read))
        return replace(inbound, payload=replace(payload, payments=read))

    async def wants_file(self, key: ConversationKey, mime_type: str) -> bool:
        """Whether a file of this (claimed) type from this person would be kept now: the
        channel downloads nothing otherwise (files arrive at any step, wanted or not).
        A first message may be a payment screenshot."""

        def check(store: Store) -> bool:
            with store.transaction():
                state = store.load_conversation(key)
            if state is None:
                return is_image(mime_type)
            return takes_files(state, mime_type)

        return await self.runner.run(check)

    async def prompt_now(self, key: ConversationKey) -> Outbound | None:
        """The question the person is on, asked again: a channel that shows long lists a
        page at a time renders the next page from it, so paging survives a restart."""

        def load(store: Store) -> Conversation | None:
            with store.transaction():
                return store.load_conversation(key)

        state = await self.runner.run(load)
        return current_prompt(state) if state is not None else None

    def _persist(
        self,
        key: ConversationKey,
        before: Conversation,
        state: Conversation,
        events: list[Event],
        now: datetime,
    ) -> bool:
        """Writes what the message changed; True if a push to the reporting system was
        queued (in this same transaction: the transactional outbox)."""
        pushed = False
        for event in events:
            reference = event.snapshot.reference if event.snapshot is not None else None
            if event.snapshot is not None and reference is not None:
                submitted = event.effect is Effect.SUBMIT
                self.store.save_complaint(key, event.snapshot, now, submitted=submitted)
                record = self.store.get_complaint(reference)
                assert record is not None
                stage = "complete" if submitted else "registered"
                self.store.enqueue_push(
                    reference, stage, build_payload(record), now, self.push_max_age
                )
                pushed = True
            if event.effect is Effect.PERSON_REQUEST:
                self.store.add_person_request(
                    key, reference=event.reference, kind="talk_to_person", step=event.how, at=now
                )
            if event.effect in (Effect.SUBSCRIBE, Effect.UNSUBSCRIBE):
                self.store.set_subscription(
                    key,
                    subscribed=event.effect is Effect.SUBSCRIBE,
                    language=(state.language or "hi"),
                    how=event.how,
                    at=now,
                )
            if event.effect is Effect.BROADCAST and event.snapshot is not None:
                self.store.create_campaign(
                    kind="custom",
                    text_en=event.snapshot.broadcast_en,
                    text_hi=event.snapshot.broadcast_hi,
                    created_by=f"{key.channel}:{key.user_id}",
                    at=now,
                    send_at=now,
                )
        # Awareness messages follow the language the person now speaks with us.
        if (
            state.language is not None
            and state.language != before.language
            and self.store.subscription_language(key) not in (None, state.language.value)
        ):
            self.store.set_subscription(
                key, subscribed=True, language=state.language.value, how="language", at=now
            )
        if state.reference is not None and (state.draft != before.draft or pushed):
            self.store.save_complaint(key, state, now, submitted=False)
        self.store.save_conversation(key, state, now)
        return pushed
