"""Even pacing under a platform's rate cap, without drift and without bursts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

# The pace is this share of the cap: the margin keeps network jitter from pushing any
# one-second window at the platform over the cap.
PACING = 0.97
# Shared by several workers, a start is reserved before it is made, so a start that is
# late (a busy CPU, a slow answer from the database) cannot move the others: with 30
# a second, 0.97 leaves 31 ms for that in each second, measured too little on a busy
# 2-core machine (a few 429s in tests/test_workers_campaign.py); 0.9 leaves 111 ms.
SHARED_PACING = 0.9


class Pace(Protocol):
    async def wait(self, chat: str = "") -> None:
        """Returns when the next message (to `chat`) may start."""


class Pacer:
    """Starts evenly spaced at `per_second`, without drift and without bursts.

    Each start is due one interval after the previous *due* time, not after the moment
    the previous timer actually fired: asyncio timers fire about a millisecond late here,
    which with aiolimiter's bucket of one cost a quarter of the rate at 300/s (and a
    bigger bucket lets a one-second window exceed the cap at low rates). Lateness up to
    `SLACK` (or one interval, if shorter) is made up by starting sooner; after a longer
    stall the schedule restarts from now instead of bursting. With the `PACING` margin
    no one-second window then holds more starts than the platform's cap (property-tested
    for caps from 1 to 1000 per second in tests/test_delivery.py).
    """

    SLACK = 0.010  # seconds of lateness made up by starting sooner

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self.due = 0.0

    async def wait(self, chat: str = "") -> None:
        now = self.clock()
        if self.due > now:
            await self.sleep(self.due - now)
            now = self.clock()
        # Starting now; the next start may make up at most `SLACK` of lateness, so any
        # start is at least (n × interval − SLACK) after the n-th before it.
        self.due = max(self.due, now - min(self.interval, self.SLACK)) + self.interval


class SharedPace:
    """The pace of all workers together: each message first reserves its start from a
    schedule they share (`PostgresStore.reserve_send`: the chat's slot, then the
    platform's, by the database's clock), then waits until it. Several workers' queues
    then keep the platform's caps as one worker's `Pacer` keeps them alone."""

    def __init__(
        self,
        reserve: Callable[[str], Awaitable[float]],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.reserve = reserve
        self.sleep = sleep

    async def wait(self, chat: str = "") -> None:
        delay = await self.reserve(chat)
        if delay > 0:
            await self.sleep(delay)
