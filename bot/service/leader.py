"""Work that exactly one worker does at a time, with failover when it dies.

Several bot workers may share one PostgreSQL database. Pushing the outbox, sending
notices and campaigns, the weekly rotation, housekeeping and Telegram's long polling
must each happen once, not once per worker: the worker that holds a role's lock
(`Store.try_lead`, an advisory lock that the server releases when the worker's
connection ends) does that work; the others ask again every `interval` seconds and
the first to ask after the leader died takes over. On SQLite the one bot process
always leads.

A leader that cannot confirm its lock (its connection broke) stops the work at once:
another worker may already have taken over.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bot.service.database import StoreRunner
from bot.service.waiting import rest

log = logging.getLogger(__name__)

Work = Callable[[asyncio.Event], list[Coroutine[Any, Any, Any]]]


class Leadership:
    def __init__(self, runner: StoreRunner, role: str, *, interval: float = 1.0) -> None:
        self.runner = runner
        self.role = role
        self.interval = interval
        self.leading = False
        self.became_leader = asyncio.Event()

    async def _ask(self) -> bool:
        try:
            return await self.runner.run(lambda store: store.try_lead(self.role), patience=0)
        except Exception:
            log.exception("%s: could not ask who leads", self.role)
            return False

    async def run(self, stop: asyncio.Event, work: Work) -> None:
        """Runs `work(term)` whenever this process leads; `term` is set when it stops
        leading or the process stops, and the work's coroutines are awaited then."""
        nothing = asyncio.Event()
        while not stop.is_set():
            if not await self._ask():
                await rest(nothing, stop, self.interval)
                continue
            log.warning("%s: this worker leads", self.role)
            self.leading = True
            self.became_leader.set()
            term = asyncio.Event()
            tasks = [asyncio.create_task(coroutine) for coroutine in work(term)]
            while not stop.is_set() and await self._ask():
                await rest(nothing, stop, self.interval)
            if not stop.is_set():
                log.warning("%s: this worker no longer leads", self.role)
            self.leading = False
            self.became_leader.clear()
            term.set()
            await asyncio.gather(*tasks, return_exceptions=True)
