"""How background loops wait: until there is work, shutdown, or a timeout; and the clock
they wait by, which tests replace with a virtual one."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


async def rest(wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    """Sleeps up to `seconds`, returning early when `wake` or `stop` is set; clears
    `wake` first so a wake-up that arrives while resting is not lost."""
    waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        wake.clear()


class Timer(Protocol):
    """A monotonic clock with the two ways of waiting on it."""

    def __call__(self) -> float:
        """Seconds on a monotonic clock."""

    async def sleep(self, seconds: float) -> None: ...

    async def rest(self, wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
        """`rest` above, on this clock."""


class RealTime:
    """The running process's monotonic clock."""

    def __call__(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def rest(self, wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
        await rest(wake, stop, seconds)


REAL_TIME = RealTime()
