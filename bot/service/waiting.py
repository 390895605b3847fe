"""The one way background loops rest: until there is work, shutdown, or a timeout."""

from __future__ import annotations

import asyncio


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
