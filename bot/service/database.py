"""Store work from async code without ever making the event loop wait for a lock.

SQLite waits for another process's write lock (up to its busy timeout, seconds) inside
the call that takes it. Made on the event loop, that wait froze every webhook, the
health check and every reply at once. The bot's own store therefore takes the lock
without waiting (`SqliteStore(..., wait_for_lock=False)`), and `StoreRunner` retries
work that found the database busy after an asynchronous pause, so other people's
messages, the health check and the platforms' requests are served meanwhile.

SQLite's work runs on the event loop's thread: its statements take microseconds here,
and a thread per call cost a quarter of the throughput in the webhook benchmark (a
thread hop, and the lock Python threads share). PostgreSQL's calls wait for a server
(and for another worker's lock on the same conversation), so a store that says it wants
threads (`PostgresStore.threads`) has its work run on that many threads instead.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bot.service.backoff import Backoff
from storage.base import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

# Another process holds the write lock: try again after 10 ms, 20 ms ... at most 0.5 s.
LOCK_RETRY = Backoff(first=0.01, maximum=0.5)


class Busy(Exception):
    """The database stayed locked by another process longer than the caller would wait."""


class StoreRunner:
    def __init__(self, store: Store, *, patience: float = 120.0) -> None:
        self.store = store
        self.patience = patience
        threads = int(getattr(store, "threads", 0))
        self._threads = (
            ThreadPoolExecutor(threads, thread_name_prefix="store") if threads > 0 else None
        )

    async def _call(self, work: Callable[[Store], T]) -> T:
        if self._threads is None:
            return work(self.store)
        # The work sees the caller's context variables, as on the event loop's thread
        # (the desk's views read the request's session from one), as asyncio.to_thread.
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._threads, functools.partial(context.run, work, self.store)
        )

    async def run(self, work: Callable[[Store], T], *, patience: float | None = None) -> T:
        """`work(store)`, again after a pause whenever it found the database locked by
        another process, for at most `patience` seconds (then `Busy`). The caller
        manages transactions; work that found the lock taken has changed nothing."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.patience if patience is None else patience)
        failures = 0
        while True:
            try:
                return await self._call(work)
            except Exception as error:
                if not self.store.is_busy(error):
                    raise
                if loop.time() >= deadline:
                    raise Busy("the database is locked by another process") from error
                if failures == 0:
                    log.info("the database is locked by another process: waiting")
                await asyncio.sleep(LOCK_RETRY.delay(failures))
                failures += 1

    async def transaction(self, work: Callable[[Store], T], *, patience: float | None = None) -> T:
        """`work(store)` inside one transaction (retried whole while the lock is taken)."""

        def atomically(store: Store) -> T:
            with store.transaction():
                return work(store)

        return await self.run(atomically, patience=patience)

    def close(self) -> None:
        """Lets the store's threads finish what they run, and ends them."""
        if self._threads is not None:
            self._threads.shutdown(wait=True)


_RUNNERS: weakref.WeakKeyDictionary[Store, StoreRunner] = weakref.WeakKeyDictionary()


def runner_for(store: Store) -> StoreRunner:
    """The one runner of `store`."""
    runner = _RUNNERS.get(store)
    if runner is None:
        runner = _RUNNERS[store] = StoreRunner(store)
    return runner
