"""Store work off the event loop: one thread owns the store's connection.

SQLite waits for another process's write lock (up to its busy timeout, seconds) inside
the call that takes it. Made on the event loop, that wait froze every webhook, the
health check and every reply at once. Every store call from async code therefore goes
through `StoreRunner`, which runs it on a thread of its own; for SQLite that is one
thread, so the connection is never used by two threads at a time and transactions stay
serialised as before. Synchronous callers (the CLI, tests) may still use the store
directly when no runner is using it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from storage.base import Store

T = TypeVar("T")


class StoreRunner:
    def __init__(self, store: Store, *, threads: int = 1) -> None:
        self.store = store
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="store")

    async def run(self, work: Callable[[Store], T]) -> T:
        """`work(store)` on the store's thread; the caller manages transactions."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, work, self.store)

    async def transaction(self, work: Callable[[Store], T]) -> T:
        """`work(store)` inside one transaction, on the store's thread."""

        def atomically(store: Store) -> T:
            with store.transaction():
                return work(store)

        return await self.run(atomically)

    def close(self) -> None:
        """Waits for queued work, then stops the thread (the store stays open)."""
        self._executor.shutdown(wait=True)


_RUNNERS: weakref.WeakKeyDictionary[Store, StoreRunner] = weakref.WeakKeyDictionary()


def runner_for(store: Store) -> StoreRunner:
    """The one runner of `store`: two runners would use its connection from two threads."""
    runner = _RUNNERS.get(store)
    if runner is None:
        runner = _RUNNERS[store] = StoreRunner(store)
    return runner
