"""Runs in a spawned process for tests/test_concurrency.py: one worker, its own store and
service on the shared database, registering complaints for the user ids it is given.

It lives in its own module because the spawn start method pickles the function by
reference, so the child must be able to import it.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from datetime import datetime
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS, TESTS.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bot.domain.clock import IST  # noqa: E402
from bot.service.conversation import ConversationService  # noqa: E402
from storage.sqlite import SqliteStore  # noqa: E402
from support.journeys import hindi_money_trail  # noqa: E402
from support.person import ServiceLink, person_on  # noqa: E402

FIXED_NOW = datetime(2026, 11, 27, 18, 0, tzinfo=IST)


def register_all(db_path: str, worker: int, user_ids: list[str]) -> list[tuple[str, str]]:
    """(user id, reference) for each user, each through the whole Hindi money trail."""
    # ServiceLink numbers message ids per process; give each worker its own range so two
    # workers' "m1" are not taken for a redelivery of one message.
    ServiceLink._ids = itertools.count(worker * 1_000_000 + 1)
    store = SqliteStore(db_path)
    service = ConversationService(store, clock=lambda: FIXED_NOW)

    async def register() -> list[tuple[str, str]]:
        return [(uid, await hindi_money_trail(person_on(service, uid))) for uid in user_ids]

    try:
        return asyncio.run(register())
    finally:
        store.close()
