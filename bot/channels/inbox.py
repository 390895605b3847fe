"""Webhook bodies and updates that fail: retried a bounded number of times, then set aside.

A body the bot cannot apply (a malformed field, a file the platform will not hand over, a
bug) must never stop the bot or hold up other people's messages: each failure is
recorded, the body is tried again with back-off, and after `MAX_ATTEMPTS` it is
quarantined — kept, with anything that looks like an OTP or card number removed, for an
operator (`python bot.py quarantine list|retry`). Applied bodies lose their raw text.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.domain.clock import Clock
from bot.domain.redaction import redact_secrets
from bot.service.backoff import Backoff
from bot.service.database import Busy, StoreRunner
from bot.service.waiting import rest

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
INBOX_RETRY = Backoff(first=5.0, maximum=120.0)
_SWEEP_SECONDS = 10.0

Apply = Callable[[Any], Awaitable[None]]


class WebhookInbox:
    def __init__(
        self,
        runner: StoreRunner,
        channel: str,
        clock: Clock,
        apply: Apply,
        *,
        on_quarantine: Apply | None = None,
    ) -> None:
        self.runner = runner
        self.channel = channel
        self.clock = clock
        self.apply = apply
        self.on_quarantine = on_quarantine

    async def accept(self, body: str) -> int:
        """Stores a verified body before the platform gets its 200; returns its id."""
        now = self.clock()
        channel = self.channel
        return await self.runner.transaction(lambda store: store.store_webhook(channel, body, now))

    async def apply_stored(self, item_id: int, body: str, attempts: int = 0) -> bool:
        """Applies one stored body; records the outcome and never raises."""
        try:
            data = json.loads(body)
            await self.apply(data)
        except Busy:
            return False  # not the body's fault: the sweeper tries again, uncounted
        except Exception as error:
            await self._failed(item_id, body, attempts + 1, error)
            return False
        now = self.clock()
        await self.runner.transaction(lambda store: store.mark_webhook_processed(item_id, now))
        return True

    async def apply_due(self) -> int:
        """Applies the stored bodies whose time has come (at start: what a crash left);
        returns how many were tried."""
        channel, now = self.channel, self.clock()
        items = await self.runner.transaction(
            lambda store: store.unprocessed_webhooks(channel, due_by=now)
        )
        for item in items:
            await self.apply_stored(item.id, item.body, item.attempts)
        return len(items)

    async def run(self, stop: asyncio.Event) -> None:
        """Retries failed bodies when their back-off is over."""
        wake = asyncio.Event()
        while not stop.is_set():
            try:
                await self.apply_due()
            except Exception:
                log.exception("%s inbox sweep failed", self.channel)
            await rest(wake, stop, _SWEEP_SECONDS)

    async def update_failed(self, external_id: str, body: str, error: BaseException) -> bool:
        """A platform update (not stored beforehand) failed: True once it is quarantined,
        after which the platform should be told it was received."""
        now, channel = self.clock(), self.channel
        text = _describe(error)
        item_id, failures = await self.runner.transaction(
            lambda store: store.update_failed(channel, external_id, body, text, now)
        )
        log.warning("%s update %s failed (%d): %s", channel, external_id, failures, text)
        if failures < MAX_ATTEMPTS:
            return False
        await self._quarantine(item_id, body)
        return True

    async def _failed(self, item_id: int, body: str, failures: int, error: BaseException) -> None:
        text = _describe(error)
        log.warning(
            "%s body %d failed (attempt %d of %d): %s",
            self.channel, item_id, failures, MAX_ATTEMPTS, text, exc_info=error,
        )  # fmt: skip
        now = self.clock()
        retry_at: datetime | None = None
        if failures < MAX_ATTEMPTS:
            retry_at = now + timedelta(seconds=INBOX_RETRY.delay(failures - 1))
        await self.runner.transaction(
            lambda store: store.webhook_failed(item_id, text, now, retry_at=retry_at)
        )
        if retry_at is None:
            await self._quarantine(item_id, body)

    async def _quarantine(self, item_id: int, body: str) -> None:
        try:
            data: Any = json.loads(body)
        except (ValueError, RecursionError):
            data = None
        kept = json.dumps(redact_secrets(data), ensure_ascii=False) if data is not None else ""
        now = self.clock()
        await self.runner.transaction(lambda store: store.quarantine(item_id, kept, now))
        log.error(
            "%s body %d quarantined: see `python bot.py quarantine list`", self.channel, item_id
        )
        if self.on_quarantine is not None and data is not None:
            try:
                await self.on_quarantine(data)
            except Exception:
                log.exception("telling people about quarantined body %d failed", item_id)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
