"""One outbound queue per platform: priorities, rate limits, and pauses that lose nothing.

Conversation replies go before status notices, which go before awareness broadcasts.
Messages to one chat leave in the order they were queued and at most at the per-chat
rate (a token bucket allows a short burst, as a reply is often two messages); all chats
together are paced evenly under the platform's global rate (`Pacer`), with a few requests
in flight at once when the platform answers slower than the pace. When the platform says
"retry after N seconds" the chat pauses and the message is sent afterwards, not dropped;
when it says the person blocked the bot, their queue is dropped and the caller is told.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import IntEnum

from bot.channels.pacing import PACING, Pace, Pacer
from bot.service.backoff import SEND_RETRY
from bot.service.waiting import REAL_TIME, Timer

log = logging.getLogger(__name__)
# A token refilled to 0.9999999999 is a whole one: otherwise the time until the next token
# rounds away to nothing and the scheduler spins on a chat it can neither send to nor park.
_WHOLE_TOKEN = 1 - 1e-9


class Priority(IntEnum):
    REPLY = 0
    NOTICE = 1
    BROADCAST = 2


class RetryLater(Exception):
    """Raised by a send function: the platform asked to wait `seconds`."""

    def __init__(self, seconds: float, *, whole_channel: bool = False) -> None:
        super().__init__(seconds)
        self.seconds = seconds
        self.whole_channel = whole_channel


class Unreachable(Exception):
    """Raised by a send function: this person can no longer be messaged (blocked us)."""


Send = Callable[[], Awaitable[object]]


def only_if(go: Callable[[], Awaitable[bool]], send: Send) -> Send:
    """`send`, unless `go()` says no at the moment its turn comes."""

    async def run() -> None:
        if await go():
            await send()

    return run


@dataclass(order=True)
class _Job:
    priority: int
    seq: int
    chat: str = field(compare=False)
    send: Send = field(compare=False)
    done: asyncio.Future[bool] = field(compare=False)
    attempts: int = field(default=0, compare=False)


@dataclass
class _ChatQueue:
    jobs: deque[_Job] = field(default_factory=deque)
    tokens: float = 0.0
    refilled: float = 0.0
    paused_until: float = 0.0


class DeliveryQueue:
    """Sends queued actions in the right order at the right pace; `put` returns a future
    that says whether the action was delivered (False: unreachable or gave up)."""

    MAX_ATTEMPTS = 5

    def __init__(
        self,
        *,
        per_second: float,
        per_chat_per_second: float,
        per_chat_burst: int = 3,
        max_in_flight: int = 4,
        on_unreachable: Callable[[str], None] | None = None,
        timer: Timer = REAL_TIME,
        pace: Pace | None = None,
    ) -> None:
        """`pace`: shared with other workers (`SharedPace`); by default this queue's own."""
        # Evenly spaced a little under the platform's rate: a burst allowance would let
        # two bursts fall into one second, and the margin absorbs network jitter, so no
        # one-second window at the platform holds more than `per_second` messages.
        self.pacer = pace or Pacer(per_second * PACING, clock=timer, sleep=timer.sleep)
        # More than one request on the wire only when the platform answers slower than
        # the pace (a loopback fake never needs it; the real Bot API from India may).
        self.max_in_flight = max_in_flight
        self.in_flight: set[asyncio.Task[None]] = set()
        self.chat_rate = per_chat_per_second
        self.chat_burst = per_chat_burst
        self.on_unreachable = on_unreachable
        self.clock = timer
        self.timer = timer
        self._queued = 0
        self._drained = asyncio.Event()
        self._drained.set()
        self.chats: dict[str, _ChatQueue] = {}
        self.ready: list[tuple[int, int, str]] = []  # (priority, seq, chat) of each chat's head
        self.waiting: list[tuple[float, str]] = []  # (when, chat) for paused or throttled chats
        self.channel_paused_until = 0.0
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self.sent = 0

    def put(
        self, chat: str, send: Send, priority: Priority = Priority.REPLY
    ) -> asyncio.Future[bool]:
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        job = _Job(int(priority), next(self._seq), chat, send, done)
        queue = self.chats.get(chat)
        if queue is None:
            now = self.clock()
            queue = self.chats[chat] = _ChatQueue(tokens=float(self.chat_burst), refilled=now)
        queue.jobs.append(job)
        self._queued += 1
        self._drained.clear()
        if len(queue.jobs) == 1:
            self._schedule(chat, queue)
        self._wake.set()
        return done

    def pending(self) -> int:
        """Messages queued and not yet delivered or given up (those on the wire too)."""
        return self._queued

    def _left(self, count: int) -> None:
        self._queued -= count
        if self._queued == 0:
            self._drained.set()

    async def join(self) -> None:
        """Waits until everything queued so far has been delivered or given up."""
        await self._drained.wait()

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                if len(self.in_flight) >= self.max_in_flight:
                    await asyncio.wait(self.in_flight, return_when=asyncio.FIRST_COMPLETED)
                    continue
                job = self._next_job()
                if job is None:
                    await self._idle(stop)
                    continue
                await self.pacer.wait(job.chat)
                task = asyncio.create_task(self._attempt(job))
                self.in_flight.add(task)
                task.add_done_callback(self._landed)
        finally:
            if self.in_flight:  # let requests on the wire finish, briefly
                await asyncio.wait(self.in_flight, timeout=5)

    def _landed(self, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(task)
        self._wake.set()  # the chat's next message may be ready now

    # --- scheduling ------------------------------------------------------------------------

    def _schedule(self, chat: str, queue: _ChatQueue) -> None:
        """Puts the chat's head job where the loop will find it, now or later."""
        if not queue.jobs:
            if queue.paused_until <= self.clock():
                del self.chats[chat]
            return
        head = queue.jobs[0]
        when = max(queue.paused_until, self._token_time(queue))
        if when <= self.clock():
            heapq.heappush(self.ready, (head.priority, head.seq, chat))
        else:
            heapq.heappush(self.waiting, (when, chat))

    def _token_time(self, queue: _ChatQueue) -> float:
        self._refill(queue)
        if queue.tokens >= _WHOLE_TOKEN:
            return self.clock()
        return self.clock() + (1 - queue.tokens) / self.chat_rate

    def _refill(self, queue: _ChatQueue) -> None:
        now = self.clock()
        queue.tokens = min(
            float(self.chat_burst), queue.tokens + (now - queue.refilled) * self.chat_rate
        )
        queue.refilled = now

    def _next_job(self) -> _Job | None:
        now = self.clock()
        if self.channel_paused_until > now:
            return None
        while self.waiting and self.waiting[0][0] <= now:
            _, chat = heapq.heappop(self.waiting)
            queue = self.chats.get(chat)
            if queue is not None and queue.jobs:
                head = queue.jobs[0]
                heapq.heappush(self.ready, (head.priority, head.seq, chat))
        while self.ready:
            _, seq, chat = heapq.heappop(self.ready)
            queue = self.chats.get(chat)
            if queue is None or not queue.jobs or queue.jobs[0].seq != seq:
                continue  # stale entry
            self._refill(queue)
            if queue.tokens < _WHOLE_TOKEN or queue.paused_until > now:
                self._schedule(chat, queue)
                continue
            queue.tokens -= 1
            return queue.jobs[0]
        return None

    async def _idle(self, stop: asyncio.Event) -> None:
        now = self.clock()
        delay = 0.5
        if self.channel_paused_until > now:
            delay = self.channel_paused_until - now
        elif self.waiting:
            delay = max(0.0, self.waiting[0][0] - now)
        await self.timer.rest(self._wake, stop, delay)

    # --- sending ---------------------------------------------------------------------------

    async def _attempt(self, job: _Job) -> None:
        queue = self.chats[job.chat]
        job.attempts += 1
        try:
            await job.send()
        except RetryLater as pause:
            until = self.clock() + pause.seconds
            log.warning("rate limited for %.1f s (chat %s)", pause.seconds, job.chat)
            if pause.whole_channel:
                self.channel_paused_until = max(self.channel_paused_until, until)
            queue.paused_until = max(queue.paused_until, until)
            job.attempts -= 1  # a pause is not a failed attempt: nothing is dropped
            self._schedule(job.chat, queue)
            return
        except Unreachable:
            log.warning("chat %s is unreachable; dropping %d queued", job.chat, len(queue.jobs))
            for queued in queue.jobs:
                if not queued.done.done():
                    queued.done.set_result(False)
            self._left(len(queue.jobs))
            queue.jobs.clear()
            self._schedule(job.chat, queue)
            if self.on_unreachable is not None:
                self.on_unreachable(job.chat)
            return
        except Exception:
            log.exception("send to chat %s failed (attempt %d)", job.chat, job.attempts)
            if job.attempts < self.MAX_ATTEMPTS:
                queue.paused_until = self.clock() + SEND_RETRY.delay(job.attempts - 1)
                self._schedule(job.chat, queue)
                return
            self._finish(job, queue, delivered=False)
            return
        self.sent += 1
        self._finish(job, queue, delivered=True)

    def _finish(self, job: _Job, queue: _ChatQueue, *, delivered: bool) -> None:
        queue.jobs.popleft()
        self._left(1)
        if not job.done.done():
            job.done.set_result(delivered)
        self._schedule(job.chat, queue)
