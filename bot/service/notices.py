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

from bot.domain.messages import ConversationKey
from bot.service.waiting import rest
from storage.base import Store

log = logging.getLogger(__name__)

Sender = Callable[[str, str], Awaitable[bool]]  # (user_id, text) -> delivered?
_POLL_SECONDS = 5.0


class NoticeDispatcher:
    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
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
            with self.store.transaction():
                notices = [
                    notice
                    for notice in self.store.pending_notices(channel)
                    # Someone who blocked the bot gets their notices when they write again.
                    if not self.store.is_unreachable(ConversationKey(channel, notice.user_id))
                ]
            for notice in notices:
                try:
                    sent = await sender(notice.user_id, notice.text)
                    error = "" if sent else "not delivered"
                except Exception as failure:  # one broken notice must not block the rest
                    log.exception("notice %d failed", notice.id)
                    sent, error = False, type(failure).__name__
                with self.store.transaction():
                    self.store.mark_notice(notice.id, sent=sent, at=self.clock(), error=error)
                delivered += int(sent)
        return delivered

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.deliver_pending()
            except Exception:
                log.exception("notice pass failed")
            await rest(self._wake, stop, _POLL_SECONDS)
