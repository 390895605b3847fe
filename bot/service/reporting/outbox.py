"""Delivers queued complaint versions to the reporting system, exactly once.

Exactly once from the receiver's point of view rests on three things: the job is queued
in the same transaction as the complaint (nothing to lose), it is marked delivered only
after a 2xx or 409 (a crash mid-push means it is sent again), and every request carries
`Idempotency-Key` plus the version, so the receiver can recognise the repeat.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import aiohttp

from bot.domain.json_body import parse_json_body
from bot.service.backoff import PUSH_RETRY
from bot.service.database import StoreRunner
from bot.service.waiting import rest
from storage.base import OutboxJob, Store

log = logging.getLogger(__name__)

_IDLE_POLL_SECONDS = 30.0
# What is read of a reply: the receiver's id is near the top; a huge or endless body
# must not fill memory.
MAX_REPLY_BYTES = 64 * 1024


class PushOutcome(StrEnum):
    """What one attempt to push a complaint version means for its outbox row."""

    DELIVERED = "delivered"  # 2xx or 409: the receiver has it
    RETRY = "retry"  # timeout, connection error, 408, 425, 429, 5xx
    DEAD = "dead"  # any other answer: retrying would not help


@dataclass(frozen=True, slots=True)
class Attempt:
    outcome: PushOutcome
    error: str = ""
    remote_id: str | None = None


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """When a push that failed `attempts` times before is tried again (`PUSH_RETRY`)."""
    return timedelta(seconds=PUSH_RETRY.delay(attempts, rng))


class OutboxWorker:
    def __init__(
        self,
        runner: StoreRunner,
        *,
        url: str | None,
        token: str,
        clock: Callable[[], datetime],
        timeout_seconds: float = 10.0,
        rng: random.Random | None = None,
        idle_seconds: float | None = None,
    ) -> None:
        """`idle_seconds`: how long to rest with nothing due; short when other workers
        queue pushes (their commits cannot `wake` this one)."""
        self.runner = runner
        self.idle_seconds = idle_seconds or _IDLE_POLL_SECONDS
        self.url = url.rstrip("/") + "/complaints" if url else None
        self.token = token
        self.clock = clock
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self.rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None
        # One pass at a time: the background loop and a drain must never both pick up
        # the same pending job and post it twice.
        self._pass = asyncio.Lock()

    def wake(self) -> None:
        """Called after a commit that queued a push: deliver now, not at the next poll."""
        self._wake.set()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def deliver_due(self) -> int:
        """One pass over the jobs that are due; returns how many were attempted."""
        if self.url is None:
            return 0
        async with self._pass:
            now = self.clock()
            jobs = await self.runner.transaction(lambda store: store.due_jobs(now))
            for job in jobs:
                await self._deliver(job)
            return len(jobs)

    async def run(self, stop: asyncio.Event) -> None:
        failures = 0
        while not stop.is_set():
            try:
                while await self.deliver_due():
                    pass
                failures = 0
            except Exception:  # a bug must not stop deliveries for good, nor spin
                failures += 1
                log.exception("outbox pass failed")
                await rest(self._wake, stop, PUSH_RETRY.delay(failures - 1))
                continue
            await self._sleep_until_due(stop)

    async def drain(self, timeout_seconds: float) -> bool:
        """Delivers what is due now, for at most `timeout_seconds`; True if nothing due
        is left (used before a console session exits)."""
        deadline = asyncio.get_running_loop().time() + timeout_seconds
        while asyncio.get_running_loop().time() < deadline:
            if not await self.deliver_due():
                return True
            await asyncio.sleep(0.05)
        return False

    async def _sleep_until_due(self, stop: asyncio.Event) -> None:
        due = await self.runner.transaction(lambda store: store.next_attempt_at())
        delay = self.idle_seconds
        if due is not None and self.url is not None:
            delay = max(0.0, min(delay, (due - self.clock()).total_seconds()))
        await rest(self._wake, stop, delay)

    async def _deliver(self, job: OutboxJob) -> None:
        assert self.url is not None
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": job.reference,
            "X-Complaint-Version": str(job.version),
        }
        try:
            async with self._session.post(self.url, json=job.payload, headers=headers) as reply:
                body = await reply.content.read(MAX_REPLY_BYTES)  # the rest is not read
                outcome = self._judge(reply.status, body.decode("utf-8", errors="replace"))
        except Exception as error:  # whatever happened, this attempt is recorded
            outcome = Attempt(PushOutcome.RETRY, f"{type(error).__name__}: {error}"[:300])
        await self._record(job, outcome)

    @staticmethod
    def _judge(status: int, body: str) -> Attempt:
        if 200 <= status < 300 or status == 409:
            return Attempt(PushOutcome.DELIVERED, remote_id=_remote_id(body))
        if status in (408, 425, 429) or status >= 500:
            return Attempt(PushOutcome.RETRY, f"HTTP {status}: {body[:200]}")
        return Attempt(PushOutcome.DEAD, f"HTTP {status}: {body[:200]}")

    async def _record(self, job: OutboxJob, attempt: Attempt) -> None:
        now = self.clock()
        error = attempt.error
        retry_at = now + backoff(job.attempts, self.rng)

        def record(store: Store) -> None:
            if attempt.outcome is PushOutcome.DELIVERED:
                store.mark_delivered(job.id, now, attempt.remote_id)
            elif attempt.outcome is PushOutcome.RETRY and now < job.deadline_at:
                store.mark_retry(job.id, retry_at, error)
            else:
                store.mark_dead(job.id, error or "gave up")

        await self.runner.transaction(record)
        if attempt.outcome is PushOutcome.DELIVERED:
            log.info("complaint %s v%d delivered", job.reference, job.version)
        elif attempt.outcome is PushOutcome.RETRY and now < job.deadline_at:
            log.warning("complaint %s v%d: %s, will retry", job.reference, job.version, error)
        else:
            log.error("complaint %s v%d dead-lettered: %s", job.reference, job.version, error)


def _remote_id(body: str) -> str | None:
    """The receiver's own id for the complaint, if its reply says one (any reply that is
    not a small, sane JSON object just has none)."""
    try:
        data = parse_json_body(body.encode(), max_depth=8)
    except ValueError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return str(value) if value is not None else None
