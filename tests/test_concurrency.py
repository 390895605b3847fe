"""Many people registering at the same moment, from several processes (as several bot
workers would): every one gets a reference, and no two get the same."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from support.concurrency_worker import register_all

from bot.domain.messages import ConversationKey
from bot.domain.reference import is_valid_verhoeff, normalize_reference
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow  # real bot.py processes

PEOPLE = 100
WORKERS = 4


def test_concurrent_registrations_get_distinct_valid_references(tmp_path: Path) -> None:
    db_path = tmp_path / "shared.db"
    SqliteStore(db_path).close()  # migrate once, before the workers race
    batches = [
        (str(db_path), worker, [f"victim-{n}" for n in range(worker, PEOPLE, WORKERS)])
        for worker in range(WORKERS)
    ]

    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        results = pool.starmap(register_all, batches, chunksize=1)

    registered = dict(pair for batch in results for pair in batch)
    references = list(registered.values())
    assert len(registered) == PEOPLE
    assert len(set(references)) == PEOPLE, "two people got the same reference"
    for reference in references:
        assert len(reference) == 12
        assert is_valid_verhoeff(reference)
        assert normalize_reference(reference) == reference

    store = SqliteStore(db_path)
    try:
        records = list(store.iter_complaints())
        assert len(records) == PEOPLE
        assert {r["reference"] for r in records} == set(references)
        for user_id, reference in registered.items():
            mine = store.complaints_of(ConversationKey("test", user_id))
            assert [c.reference for c in mine] == [reference]
        with store.transaction():
            assert store.next_reference_sequence(2026) == PEOPLE + 1
    finally:
        store.close()
