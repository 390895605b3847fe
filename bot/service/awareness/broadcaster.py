"""Sends awareness campaigns: one delivery row per subscriber, worked through at the
lowest priority of each channel's delivery queue.

Each row goes from `pending` to `sent`, `failed` or `unsubscribed` in its own small
transaction right after the platform answered (for `sent`, before the channel's queue
sends the next message), so a sender killed at any moment continues where it stopped:
rows already answered are not sent again. The one message that may be
on the wire at the instant of a crash is sent again after the restart (the platforms offer
no idempotency key), so "exactly once" has that single, documented exception.

Opt-outs win over campaigns: a person who said STOP after the campaign was expanded is
skipped (`unsubscribed`) and never sent to, and each message goes in the language of the
subscription at the moment of sending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Protocol

from bot.domain.awareness import LIBRARY, Campaign, compose
from bot.domain.messages import ConversationKey
from bot.domain.statuses import DeliveryStatus
from bot.service.awareness.schedule import Rotation
from bot.service.database import StoreRunner
from bot.service.waiting import rest
from storage.base import Delivery, Store

log = logging.getLogger(__name__)


class Ticket(Protocol):
    """One broadcast message's link back to its delivery row."""

    async def go(self) -> bool:
        """Asked right before sending: False (they opted out meanwhile) skips it."""

    async def delivered(self) -> None:
        """Runs the moment the platform accepted the message, before anything else is
        sent, so a crash right after cannot make it look unsent."""


@dataclass(frozen=True, slots=True)
class SendResult:
    """How one awareness message ended for its subscriber, and why if not sent."""

    status: DeliveryStatus
    error: str | None = None


SENT = SendResult(DeliveryStatus.SENT)
SendAwareness = Callable[[str, str, Ticket], Awaitable[SendResult]]
"""(user id, text, ticket) -> result; see `Ticket` for what the channel calls when."""
Clock = Callable[[], datetime]


class Broadcaster:
    def __init__(
        self,
        runner: StoreRunner,
        clock: Clock,
        *,
        rotation: Rotation | None = None,
        window: int = 64,
        idle_seconds: float = 2.0,
    ) -> None:
        self.runner = runner
        self.clock = clock
        self.rotation = rotation
        self.window = window
        self.idle_seconds = idle_seconds
        self.senders: dict[str, SendAwareness] = {}
        self._campaigns: dict[int, Campaign] = {}
        self._wake = asyncio.Event()

    def register(self, channel: str, send: SendAwareness) -> None:
        self.senders[channel] = send

    def wake(self) -> None:
        self._wake.set()

    # --- what is due ---------------------------------------------------------------------

    async def tick(self) -> list[int]:
        """Creates the rotation's campaign when its time has come and expands every due
        campaign into delivery rows; returns the ids expanded now."""
        now = self.clock()
        rotation = self.rotation

        def due(store: Store) -> tuple[list[int], list[int]]:
            if rotation is not None and (number := rotation.due(now)) is not None:
                store.create_campaign(
                    kind="library",
                    library_key=LIBRARY[number % len(LIBRARY)],
                    created_by="schedule",
                    at=now,
                    send_at=rotation.start_of(number),
                    slot=rotation.slot(number),
                )
            return store.expand_due_campaigns(now), store.finish_campaigns(now)

        expanded, finished = await self.runner.transaction(due)
        for campaign_id in expanded:
            log.warning("awareness campaign %d: sending to subscribers", campaign_id)
        for campaign_id in finished:
            log.warning("awareness campaign %d: finished", campaign_id)
        return expanded

    # --- sending -------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
                sent = await self.pump_all()
                if sent:
                    continue
            except Exception:
                log.exception("awareness sender failed; trying again shortly")
            await rest(self._wake, stop, self.idle_seconds)

    async def pump_all(self) -> int:
        """Works through every channel's pending rows (channels in parallel)."""
        counts = await asyncio.gather(*(self.pump(channel) for channel in self.senders))
        if any(counts):
            now = self.clock()
            await self.runner.transaction(lambda store: store.finish_campaigns(now))
        return sum(counts)

    async def pump(self, channel: str) -> int:
        """Sends the channel's pending rows, at most `window` waiting in the delivery
        queue at once, so replies to people always find the queue short."""
        send = self.senders[channel]
        slots = asyncio.Semaphore(self.window)
        running: set[asyncio.Task[None]] = set()
        after, done = 0, 0
        try:
            while True:
                rows = await self.runner.transaction(
                    partial(_pending_rows, channel=channel, after=after, limit=self.window * 4)
                )
                if not rows:
                    break
                for row in rows:
                    await slots.acquire()
                    task = asyncio.create_task(self._deliver(send, row))
                    running.add(task)
                    task.add_done_callback(running.discard)
                    task.add_done_callback(lambda _: slots.release())
                    after = row.id
                    done += 1
            if running:
                await asyncio.gather(*running)
        finally:
            for task in running:
                task.cancel()
        return done

    async def _deliver(self, send: SendAwareness, row: Delivery) -> None:
        key = ConversationKey(row.channel, row.user_id)
        language = await self.runner.transaction(lambda store: store.subscription_language(key))
        campaign = await self._campaign(row.campaign_id)
        ticket = _RowTicket(self.runner, self.clock, row)
        result = _OPTED_OUT
        if language is not None:
            result = await send(row.user_id, compose(campaign, language), ticket)
        if ticket.skipped:
            result = _OPTED_OUT
        now = self.clock()
        await self.runner.transaction(  # a no-op for a row `delivered` already finished
            lambda store: store.finish_delivery(row.id, result.status, now, result.error)
        )

    async def _campaign(self, campaign_id: int) -> Campaign:
        campaign = self._campaigns.get(campaign_id)
        if campaign is None:
            campaign = await self.runner.transaction(lambda store: store.get_campaign(campaign_id))
            assert campaign is not None, f"delivery for a missing campaign {campaign_id}"
            self._campaigns[campaign_id] = campaign
        return campaign


def _pending_rows(store: Store, *, channel: str, after: int, limit: int) -> list[Delivery]:
    return store.pending_deliveries(channel, after_id=after, limit=limit)


_OPTED_OUT = SendResult(DeliveryStatus.UNSUBSCRIBED, "opted out before this campaign reached them")


class _RowTicket:
    """Ties one queued message to its delivery row (see `Ticket`)."""

    def __init__(self, runner: StoreRunner, clock: Clock, row: Delivery) -> None:
        self.runner = runner
        self.clock = clock
        self.row = row
        self.skipped = False

    async def go(self) -> bool:
        key = ConversationKey(self.row.channel, self.row.user_id)
        language = await self.runner.transaction(lambda store: store.subscription_language(key))
        self.skipped = self.skipped or language is None
        return not self.skipped

    async def delivered(self) -> None:
        row_id, now = self.row.id, self.clock()
        await self.runner.transaction(
            lambda store: store.finish_delivery(row_id, DeliveryStatus.SENT, now)
        )
