"""What the bot cleans up on its own: nothing kept longer than it is needed.

Every few minutes: the write-ahead log is folded into the database and emptied (erased
values do not linger in old log frames); message ids and applied webhook rows older than
`RECORDS_KEPT` are forgotten (platforms redeliver within days, not weeks); evidence files
no complaint or draft refers to are deleted after a day (a document sent and then
abandoned), and half-written `.part` files after an hour.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from pathlib import Path

from bot.domain.clock import Clock
from bot.service.database import StoreRunner
from bot.service.waiting import rest

log = logging.getLogger(__name__)

RECORDS_KEPT = timedelta(days=14)
ABANDONED_FILE = timedelta(days=1)
PARTIAL_FILE = timedelta(hours=1)
EVERY_SECONDS = 300.0


class Housekeeping:
    def __init__(self, runner: StoreRunner, clock: Clock, evidence_dir: Path) -> None:
        self.runner = runner
        self.clock = clock
        self.evidence_dir = evidence_dir

    async def once(self) -> None:
        cutoff = self.clock() - RECORDS_KEPT
        purged = await self.runner.transaction(lambda store: store.purge(records_before=cutoff))
        referenced = await self.runner.transaction(lambda store: store.referenced_files())
        removed = await asyncio.to_thread(self._remove_abandoned, referenced)
        await self.runner.run(lambda store: store.checkpoint())
        if purged or removed:
            log.info("housekeeping: %d old records, %d abandoned files removed", purged, removed)

    def _remove_abandoned(self, referenced: set[str]) -> int:
        if not self.evidence_dir.exists():
            return 0
        now, removed = time.time(), 0
        for path in self.evidence_dir.rglob("*"):
            if not path.is_file():
                continue
            age = now - path.stat().st_mtime
            partial = path.name.endswith(".part")
            if (partial and age > PARTIAL_FILE.total_seconds()) or (
                not partial and age > ABANDONED_FILE.total_seconds() and str(path) not in referenced
            ):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    async def run(self, stop: asyncio.Event) -> None:
        wake = asyncio.Event()
        while not stop.is_set():
            try:
                await self.once()
            except Exception:
                log.exception("housekeeping failed; trying again later")
            await rest(wake, stop, EVERY_SECONDS)
