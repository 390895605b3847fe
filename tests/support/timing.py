"""Time in tests: a wall clock the test moves, a virtual monotonic clock for the delivery
queue, waiting for a condition with a deadline, and counting messages per second."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.clock import IST

START = datetime(2026, 11, 27, 18, 0, tzinfo=IST)


class Clock:
    """The service's clock (Indian time), moved only by the test."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class VirtualTime:
    """A monotonic clock for the delivery queue that moves only when the queue waits:
    every sleep and rest returns at once with the clock advanced, so pacing is checked
    exactly and the test takes no real time."""

    # Turns of the event loop given to other tasks before time moves: a task that finishes
    # schedules its done-callbacks for the next turn, and those may wake the waiter.
    SETTLE = 5

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    async def _settle(self) -> None:
        for _ in range(self.SETTLE):
            await asyncio.sleep(0)

    async def sleep(self, seconds: float) -> None:
        await self._settle()  # what is ready now happens now, before the clock moves
        self.now += max(0.0, seconds)

    async def rest(self, wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
        await self._settle()
        if not (wake.is_set() or stop.is_set()):
            self.now += max(0.0, seconds)
        wake.clear()


async def until(
    condition: Callable[[], object], timeout: float = 15.0, every: float = 0.01
) -> None:
    """Waits until `condition()` is true, failing the test after `timeout` seconds: for
    something another task or process does (the delivery queue, the poller, a worker)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(every)


def max_in_any_second(times: list[float]) -> int:
    """The most moments that fall into any one-second window (rate-cap checks)."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best
