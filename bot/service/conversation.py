"""Runs the pure conversation core against storage: one inbound message, one transaction.

Everything a message changes (its id, the conversation state, a registered or updated
complaint, a subscription) is committed together, so a crash at any point either loses
the whole message (the channel redelivers it, or the person repeats it) or none of it,
and a redelivered message is never applied twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.clock import Clock, ist_now
from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey, Inbound, Outbound
from bot.domain.reference import make_reference
from bot.service.reporting.payload import build_payload
from handlers.engine import current_prompt, handle
from handlers.spec import Context, Effect, Event
from storage.base import Store

log = logging.getLogger(__name__)


class ConversationService:
    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = ist_now,
        resume_after: timedelta = timedelta(minutes=30),
        max_attachment_bytes: int = 10 * 1024 * 1024,
        push_max_age: timedelta = timedelta(hours=72),
        on_push_queued: Callable[[], None] | None = None,
        on_campaign: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.resume_after = resume_after
        self.max_attachment_bytes = max_attachment_bytes
        self.push_max_age = push_max_age
        self.on_push_queued = on_push_queued
        self.on_campaign = on_campaign

    def process(self, inbound: Inbound) -> list[Outbound]:
        """Applies one message; returns the replies to send (none for a redelivery)."""
        now = self.clock()
        key = inbound.key
        with self.store.transaction():
            if not self.store.claim_message(key.channel, inbound.message_id, now):
                log.info("duplicate message %s from %s ignored", inbound.message_id, key)
                return []
            self.store.mark_reachable(key)
            state = self.store.load_conversation(key) or Conversation()
            context = Context(
                now=now,
                new_reference=lambda: make_reference(
                    now.year, self.store.next_reference_sequence(now.year)
                ),
                complaints_of_user=lambda: self.store.complaints_of(key),
                resume_after=self.resume_after,
                max_attachment_bytes=self.max_attachment_bytes,
                operator=inbound.operator,
                subscriber_count=self.store.subscriber_count,
            )
            outcome = handle(inbound, state, context)
            pushed = self._persist(key, state, outcome.state, outcome.events, now)
        log.info("%s: %s -> %s", key, state.step, outcome.state.step)
        if pushed and self.on_push_queued is not None:
            self.on_push_queued()
        if self.on_campaign is not None and any(
            event.effect is Effect.BROADCAST for event in outcome.events
        ):
            self.on_campaign()
        return outcome.replies

    def current_prompt(self, key: ConversationKey) -> Outbound | None:
        """The question the person is on, asked again: a channel that shows long lists a
        page at a time renders the next page from it, so paging survives a restart."""
        with self.store.transaction():
            state = self.store.load_conversation(key)
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
