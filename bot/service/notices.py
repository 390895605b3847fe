"""Delivers notices (messages nobody asked for, such as status updates) per channel.

Notices are queued in the database in the transaction that caused them; a channel that
is running registers a sender, and whatever it cannot deliver now stays queued for the
next attempt (or for the next start, if that channel is not configured yet).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial

from bot.domain.messages import ConversationKey
from bot.service.database import StoreRunner
from bot.service.waiting import rest
from storage.base import Notice, Store

log = logging.getLogger(__name__)

Sender = Callable[[str, str], Awaitable[bool]]  # (user_id, text) -> delivered?
_POLL_SECONDS = 5.0


class NoticeDispatcher:
    def __init__(
        self,
        runner: StoreRunner,
        clock: Callable[[], datetime],
        *,
        idle_seconds: float | None = None,
    ) -> None:
        self.runner = runner
        self.idle_seconds = idle_seconds or _POLL_SECONDS
        self.clock = clock
        self.senders: dict[str, Sender] = {}
        self._wake = asyncio.Event()

    def register(self, channel: str, sender: Sender) -> None:
        self.senders[channel] = sender

    def wake(self) -> None:
        self._wake.set()

    async def deliver_pending(self) -> int:
        delivered = 0
        for channel, sender in self.senders.items():
            notices = await self.runner.transaction(partial(_reachable_notices, channel))
            for notice in notices:
                try:
                    sent = await sender(notice.user_id, notice.text)
                    error = "" if sent else "not delivered"
                except Exception as failure:  # one broken notice must not block the rest
                    log.exception("notice %d failed", notice.id)
                    sent, error = False, type(failure).__name__
                await self._mark(notice.id, sent=sent, error=error)
                delivered += int(sent)
        return delivered

    async def _mark(self, notice_id: int, *, sent: bool, error: str) -> None:
        """A notice that could not be sent stays pending (with the error) for a retry."""
        now = self.clock()
        await self.runner.transaction(
            lambda store: store.mark_notice(notice_id, sent=sent, at=now, error=error)
        )

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.deliver_pending()
            except Exception:
                log.exception("notice pass failed")
            await rest(self._wake, stop, self.idle_seconds)


def _reachable_notices(channel: str, store: Store) -> list[Notice]:
    """Pending notices; someone who blocked the bot gets theirs when they write again."""
    return [
        notice
        for notice in store.pending_notices(channel)
        if not store.is_unreachable(ConversationKey(channel, notice.user_id))
    ]
