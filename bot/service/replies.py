"""Replies are durable like pushes: stored in the transaction that changed the conversation,
sent after the commit, forgotten once the platform has them, and sent again after a crash.

Forgetting is batched (one small transaction per flush, not one per reply), so a reply the
platform took in the instant before a crash may be sent once more after the restart: the
same "at most once more" that awareness broadcasts document, and the price of never
leaving a frightened person without an answer. A reply whose sending was interrupted
without a crash (a request cancelled half-way) is picked up again after a minute.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from bot.domain.clock import Clock
from bot.domain.messages import Language, outbound_from_json
from bot.service.conversation import QueuedReply
from bot.service.database import StoreRunner
from bot.service.waiting import rest
from storage.base import PendingReply, Store

log = logging.getLogger(__name__)

Resend = Callable[[str, list[QueuedReply]], None]  # (user id, replies) -> queued
_FLUSH_SECONDS = 0.2
_STALE = timedelta(seconds=60)
_STALE_CHECK_SECONDS = 30.0


def _pending(store: Store, *, channel: str, written_before: datetime | None) -> list[PendingReply]:
    return store.pending_replies(channel, written_before=written_before)


class ReplyLedger:
    def __init__(self, runner: StoreRunner, clock: Clock) -> None:
        self.runner = runner
        self.clock = clock
        self.senders: dict[str, Resend] = {}
        self._done: set[int] = set()
        self._sending: set[int] = set()
        self._wake = asyncio.Event()

    def register(self, channel: str, resend: Resend) -> None:
        self.senders[channel] = resend

    def track(self, reply: QueuedReply, sends: list[asyncio.Future[bool]]) -> None:
        """Forgets `reply` once every message it became has left the queue, delivered or
        given up for good (blocked, refused): only a stop or a crash leaves it pending."""
        self._sending.add(reply.id)

        def settled(_: object) -> None:
            if all(send.done() for send in sends) and not any(s.cancelled() for s in sends):
                self._done.add(reply.id)
                self._wake.set()

        if not sends:
            self._done.add(reply.id)
        for send in sends:
            send.add_done_callback(settled)

    async def resend(self, *, stale_only: bool = False) -> int:
        """Sends again what is stored and not being sent: at start, everything a crash
        left; later, what has waited longer than a minute."""
        before = self.clock() - _STALE if stale_only else None
        count = 0
        for channel, resend in self.senders.items():
            rows = await self.runner.transaction(
                partial(_pending, channel=channel, written_before=before)
            )
            by_person: dict[str, list[QueuedReply]] = {}
            for row in rows:
                if row.id in self._sending:
                    continue
                reply = QueuedReply(row.id, outbound_from_json(row.body), Language(row.language))
                by_person.setdefault(row.user_id, []).append(reply)
            for user_id, replies in by_person.items():
                log.warning("%s: sending %d stored replies again", channel, len(replies))
                resend(user_id, replies)
                count += len(replies)
        return count

    async def flush(self) -> None:
        done, self._done = sorted(self._done), set()
        self._sending -= set(done)
        if done:
            await self.runner.transaction(lambda store: store.forget_replies(done))

    async def run(
        self, stop: asyncio.Event, *, resend_stale: Callable[[], bool] = lambda: True
    ) -> None:
        """Forgets what was sent; every half minute, when `resend_stale()` (the worker
        that leads, beside others), sends again what waited longer than a minute."""
        loop = asyncio.get_running_loop()
        next_check = loop.time() + _STALE_CHECK_SECONDS
        while not stop.is_set():
            await rest(self._wake, stop, _STALE_CHECK_SECONDS)
            await asyncio.sleep(_FLUSH_SECONDS)  # gather a batch
            try:
                await self.flush()
                if loop.time() >= next_check and resend_stale():
                    next_check = loop.time() + _STALE_CHECK_SECONDS
                    await self.resend(stale_only=True)
            except Exception:
                log.exception("keeping track of sent replies failed; they stay stored")
        await self.flush()
